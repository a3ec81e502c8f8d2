"""Plain text (emails and subjects) is not HTML: apostrophes and ampersands arrive as typed."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import translation

import kapclinic
from kapclinic.referrals.tasks import acknowledge_referral, notify_referrer
from kapclinic.text import render_subject, render_text

SRC = Path(kapclinic.__file__).parent


def test_a_text_email_keeps_apostrophes_and_ampersands(network: dict[str, Any]) -> None:
    referral = network["referral"]
    referral.referrer.full_name = "Dr D'Arcy & Sons <MD>"
    referral.referrer.save()
    acknowledge_referral.call(referral.pk)
    body = mail.outbox[-1].body
    assert "Dr D'Arcy & Sons <MD>" in body
    assert "&#x27;" not in body and "&amp;" not in body


def test_a_french_status_email_keeps_its_apostrophes(network: dict[str, Any]) -> None:
    referral = network["referral"]
    referral.referrer.user.language = "fr"
    referral.referrer.user.save()
    notify_referrer.call(referral.pk)
    assert "&#x27;" not in mail.outbox[-1].body


def test_subject_is_one_unescaped_line() -> None:
    with translation.override("fr"):
        subject = render_subject(
            "referrals/email/acknowledgement_subject.txt", {"referral": {"number": "R'1"}}
        )
    assert subject == "Orientation R'1 reçue" or "R'1" in subject
    assert "\n" not in subject


def test_html_templates_are_refused_by_the_text_renderer() -> None:
    with pytest.raises(ValueError):
        render_text("web/base.html")


def test_no_plain_text_template_is_rendered_with_html_escaping() -> None:
    """The kind of fault: a .txt template rendered by the HTML engine escapes its text."""
    offenders = [
        f"{path.relative_to(SRC)}"
        for path in SRC.rglob("*.py")
        if re.search(r"render_to_string\(\s*[\"'][^\"']+\.txt", path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("l j F", "mercredi 2 décembre"), ("l j F Y, H:i", "mercredi 2 décembre 2026, 09:30")],
)
def test_french_dates_are_lower_case(fmt: str, expected: str) -> None:
    from datetime import datetime

    from django.utils.dateformat import format as date_format

    with translation.override("fr"):
        assert date_format(datetime(2026, 12, 2, 9, 30), fmt) == expected


def test_the_catalogue_does_not_capitalise_djangos_day_and_month_names() -> None:
    """French day and month names are lower case; our catalogue must not shadow Django's."""
    from django.utils.dates import MONTHS, WEEKDAYS

    with translation.override("fr"):
        names = [str(n) for n in (*WEEKDAYS.values(), *MONTHS.values())]
    assert names == [n.lower() for n in names]
