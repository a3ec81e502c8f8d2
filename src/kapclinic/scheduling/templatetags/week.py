"""`{{ bookings|week_cell:"room" }}`: one day's bookings of a week row as HTML, built here in
Python rather than by a template loop, which cost ten times the page's queries at 700
appointments a week (bench/results/pages.md). Every text is escaped (html.escape, as
django.utils.html.escape does, without its lazy-string wrapper on each of thousands of calls)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from kapclinic.scheduling.selectors import Booking

register = template.Library()


def _booking(booking: Booking, show: str) -> str:
    where = booking.room if show == "room" else booking.clinician
    patients = "".join(
        f'<br><a href="{escape(url)}">{escape(name)}</a>' for url, name in booking.patients
    )
    return (
        f'<div class="booking kind-{escape(booking.kind)}"><strong>{escape(booking.times)}'
        f"</strong> {escape(booking.type_name)}<br>{escape(where)}{patients}</div>"
    )


@register.filter
def week_cell(bookings: list[Booking], show: str) -> SafeString:
    """`show` is "room" (the cell of a clinician's row) or "clinician" (of a room's row)."""
    return mark_safe("".join(_booking(booking, show) for booking in bookings))  # noqa: S308 (escaped above)
