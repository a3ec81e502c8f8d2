"""How django-axes names the account in a login attempt (allauth posts it as `login`)."""

from typing import Any

from django.http import HttpRequest


def login_identifier(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    credentials = credentials or {}
    for key in ("email", "login", "username"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    posted = request.POST.get("login", "") if request is not None else ""
    return posted.strip().lower()
