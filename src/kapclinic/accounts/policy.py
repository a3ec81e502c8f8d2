"""Who may use each view, declared beside its URL; anything undeclared is denied.

Each app's urls.py builds its routes with `route(..., policy=...)`; third-party URL
sets are wrapped with `declare_all`. AccessPolicyMiddleware enforces the declaration.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.urls import URLPattern, URLResolver, path

from kapclinic.accounts.roles import Role

View = Callable[..., Any]


@dataclass(frozen=True)
class Policy:
    """A view's declared audience."""

    # Anyone, signed in or not (login page, health check).
    public: bool = False
    # Roles allowed; empty with authenticated=True means "any signed-in user".
    roles: frozenset[Role] = field(default_factory=frozenset)
    authenticated: bool = False
    # Reachable before a staff member has enrolled MFA (login, logout, enrolment itself).
    before_mfa: bool = False
    # Operators of the installation (Django superusers), not clinic roles.
    superuser: bool = False

    def admits(self, role: str, *, is_superuser: bool = False) -> bool:
        """Whether a signed-in user with this role passes (the caller checked sign-in)."""
        if self.public or self.authenticated:
            return True
        if self.superuser:
            return is_superuser
        return role in self.roles


PUBLIC = Policy(public=True, before_mfa=True)
SIGNED_IN = Policy(authenticated=True)
ACCOUNT_PAGES = Policy(public=True, before_mfa=True)


def allow(*groups: Role | Iterable[Role]) -> Policy:
    """A policy for the given roles or role groups."""
    roles: set[Role] = set()
    for group in groups:
        roles.update([group] if isinstance(group, Role) else group)
    return Policy(roles=frozenset(roles))


def declare(view: View, policy: Policy) -> View:
    """Attach a policy to a view; the same function may be declared differently per route."""

    @wraps(view)
    def declared(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    declared.access_policy = policy  # type: ignore[attr-defined]
    return declared


def route(pattern: str, view: View, *, name: str, policy: Policy) -> URLPattern:
    """`path()` with the audience stated: the only way kapclinic apps add a URL."""
    return path(pattern, declare(view, policy), name=name)


def declare_all(patterns: list[Any], policy: Policy) -> list[Any]:
    """Declare every view of a third-party URL list (allauth, i18n) with one policy."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            declare_all(entry.url_patterns, policy)
        elif isinstance(entry, URLPattern) and not hasattr(entry.callback, "access_policy"):
            entry.callback = declare(entry.callback, policy)
    return patterns


def policy_of(view: View) -> Policy | None:
    """The declared policy of a resolved view, or None when nobody declared one."""
    return getattr(view, "access_policy", None)
