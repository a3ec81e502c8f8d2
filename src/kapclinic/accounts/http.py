"""The request a view receives once the access policy has let a signed-in user through."""

from django.http import HttpRequest

from kapclinic.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is signed in (AccessPolicyMiddleware refused anyone else).

    Views declared with a role or SIGNED_IN policy take this type, so `request.user` is a
    `User` and not `User | AnonymousUser`; public views keep HttpRequest."""

    user: User
