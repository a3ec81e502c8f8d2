"""Dates people read and type.

Short dates in the reader's language: Django's "D" and "M" give "mar" and "Déc" in French;
French writes "mar. 1 déc." (Office québécois de la langue française, abréviations des jours et
des mois). Builtin filters (settings.TEMPLATES): `{{ day|short_day }}` ("Tue 1 Dec",
"mar. 1 déc.") and `{{ when|weekday }}` ("Tue", "mar.").

Plausible dates: every date a person types or a link carries stays within bounds, so date
arithmetic (a week's Monday, an expiry window) never overflows at year 1 or 9999 into a 500.
"""

from datetime import date, datetime
from typing import Any

from django import forms, template
from django.core.validators import MaxValueValidator, MinValueValidator

# django-stubs lacks this public helper of the template engine.
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

WEEKDAYS = (
    pgettext_lazy("abbreviated weekday", "Mon"),
    pgettext_lazy("abbreviated weekday", "Tue"),
    pgettext_lazy("abbreviated weekday", "Wed"),
    pgettext_lazy("abbreviated weekday", "Thu"),
    pgettext_lazy("abbreviated weekday", "Fri"),
    pgettext_lazy("abbreviated weekday", "Sat"),
    pgettext_lazy("abbreviated weekday", "Sun"),
)
MONTHS = (
    pgettext_lazy("abbreviated month", "Jan"),
    pgettext_lazy("abbreviated month", "Feb"),
    pgettext_lazy("abbreviated month", "Mar"),
    pgettext_lazy("abbreviated month", "Apr"),
    pgettext_lazy("abbreviated month", "May"),
    pgettext_lazy("abbreviated month", "Jun"),
    pgettext_lazy("abbreviated month", "Jul"),
    pgettext_lazy("abbreviated month", "Aug"),
    pgettext_lazy("abbreviated month", "Sep"),
    pgettext_lazy("abbreviated month", "Oct"),
    pgettext_lazy("abbreviated month", "Nov"),
    pgettext_lazy("abbreviated month", "Dec"),
)


def _local(value: date) -> date:
    return template_localtime(value) if isinstance(value, datetime) else value


@register.filter
def weekday(value: date | None) -> str:
    return "" if value is None else str(WEEKDAYS[_local(value).weekday()])


@register.filter
def short_day(value: date | None) -> str:
    if value is None:
        return ""
    local = _local(value)
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"


# Nobody alive was born before 1900; no licence, order or slot runs past 2199.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
MESSAGE = _("Enter a date between 1900 and 2199.")


def plausible(day: date | None) -> date | None:
    """The date if within bounds, else None (for dates read from a query string)."""
    return day if day is not None and EARLIEST <= day <= LATEST else None


class PlausibleDateField(forms.DateField):
    """A form date field refusing dates outside EARLIEST..LATEST with a clear message."""

    latest: date | None = LATEST

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(MinValueValidator(EARLIEST, message=MESSAGE))
        if self.latest is not None:
            self.validators.append(MaxValueValidator(self.latest, message=MESSAGE))


class BirthDateField(PlausibleDateField):
    """A date of birth: from 1900; its form says why a date in the future is refused."""

    latest = None
