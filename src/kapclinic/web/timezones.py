"""Pages show times on the clinic's clock, never the server's.

At sign-in the user's zone is worked out once and kept in the session: the zone of the clinic
a staff member works in (when all their clinics share one zone), or of the patient's clinic for
a patient. Each request then activates it (ClinicTimeZoneMiddleware) at no query's cost. Pages
about one clinic's objects still say which zone they use (`{% timezone clinic.time_zone %}`),
for a network-wide user or one working in two zones."""

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kapclinic.accounts.roles import Role
from kapclinic.clinics.models import Clinic

SESSION_KEY = "kapclinic_time_zone"


def zone_of(user: Any) -> str:
    """The one zone the user's clinics keep, or "" when none or several."""
    if user.role == Role.PATIENT:
        zones = set(Clinic.objects.filter(patients__user=user).values_list("time_zone", flat=True))
    else:
        zones = set(user.clinics.values_list("time_zone", flat=True))
    return zones.pop() if len(zones) == 1 else ""


@receiver(user_logged_in, dispatch_uid="kapclinic-clinic-time-zone")
def remember_zone(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = zone_of(user)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class ClinicTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = (
            _zone(request.session.get(SESSION_KEY, "")) if request.user.is_authenticated else None
        )
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
