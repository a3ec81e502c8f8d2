"""Plausible dates: every date a person types or a link carries stays within bounds, so date
arithmetic (a week's Monday, an expiry window) never overflows at year 1 or 9999 into a 500."""

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

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
