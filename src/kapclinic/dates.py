"""Short dates in the reader's language, as each language writes them.

Django's "D" and "M" give "mar" and "Déc" in French; French writes "mar. 1 déc." (Office
québécois de la langue française, abréviations des jours et des mois). Builtin filters
(settings.TEMPLATES): `{{ day|short_day }}` ("Tue 1 Dec", "mar. 1 déc.") and
`{{ when|weekday }}` ("Tue", "mar.").
"""

from datetime import date, datetime

from django import template
from django.utils.timezone import template_localtime
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
