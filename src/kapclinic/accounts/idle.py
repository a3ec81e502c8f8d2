"""Staff sessions end after SESSION_IDLE_MINUTES without a request, for one write a minute.

Saving a session moves its expiry to now + SESSION_COOKIE_AGE. Saving it on every request
(SESSION_SAVE_EVERY_REQUEST) cost each page an UPDATE of django_session and a commit; here a
request saves it only when the last save is a minute old or more, so a session may end up to a
minute before SESSION_IDLE_MINUTES of idleness (the safe side), never after.
"""

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

# How stale the saved expiry may grow before a request renews it (the most it can be early).
RENEW_AFTER_SECONDS = 60
# When the session was last saved (whole seconds since the epoch), kept in the session itself.
RENEWED_AT = "kapclinic_renewed_at"


@receiver(user_logged_in, dispatch_uid="kapclinic-session-renewed-at-sign-in")
def renewed_at_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A sign-in saves the session: its idle clock starts there."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT] = int(time.time())


class SessionRenewalMiddleware:
    """Just inside SessionMiddleware, which saves a modified session after the response: marks
    the session modified when its saved expiry is RENEW_AFTER_SECONDS old. A request that never
    never read the session (so never asked who is signed in) does not renew it, nor load it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(RENEWED_AT, 0) >= RENEW_AFTER_SECONDS:
            session[RENEWED_AT] = now  # saved by SessionMiddleware, with the new expiry
        return response
