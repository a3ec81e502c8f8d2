"""allauth adapter: nobody signs themselves up through the account pages, and a failed password
is limited per address only by allauth: axes locks the (account, address) pair, so an attacker
elsewhere cannot lock a real user out (OWASP ASVS 6.1.1). allauth's per-account limit in
settings.ACCOUNT_RATE_LIMITS then applies to TOTP codes alone, where whoever is guessing already
has the password."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest


def per_address_limits() -> dict[str, str]:
    """The `login_failed` rates of ACCOUNT_RATE_LIMITS without the per-account ones."""
    limits = settings.ACCOUNT_RATE_LIMITS
    rates = str(limits.get("login_failed", "")) if isinstance(limits, dict) else ""
    kept = [rate for rate in rates.split(",") if rate and not rate.strip().endswith("/key")]
    return {"login_failed": ",".join(kept)}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        self._login_failed_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config=per_address_limits(),
            key=self._get_login_attempts_cache_key(request, **credentials),
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")
