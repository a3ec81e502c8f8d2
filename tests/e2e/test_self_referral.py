"""A person books an intake call on the public page and sees it confirmed."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from kapclinic.accounts.roles import Role
from kapclinic.referrals.models import Referral
from kapclinic.referrals.self_referral import open_intake_slots
from tests.factories import ClinicFactory, UserFactory, condition, jurisdiction

pytestmark = pytest.mark.browser


def test_a_person_books_an_intake_call(live_server: Any, page: Any) -> None:
    clinic = ClinicFactory(name="Clinique KAP Montréal")
    condition("anxiety")
    coordinator = UserFactory(role=Role.INTAKE, clinics=[clinic])
    day = timezone.localdate() + timedelta(days=1)
    start = datetime.combine(day, datetime.min.time(), tzinfo=clinic.tzinfo).replace(hour=14)
    open_intake_slots(by=coordinator, clinic=clinic, starts=start, ends=start + timedelta(hours=1))

    page.goto(f"{live_server.url}/start/")
    page.get_by_label("Province where you live").select_option("QC")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Date of birth").fill("1988-02-03")
    page.get_by_label("Given name").fill("Noé")
    page.get_by_label("Family name").fill("Lapointe")
    page.get_by_label("Phone").fill("438-555-0101")
    page.get_by_label("Email").fill("noe@example.test")
    page.get_by_label("What would you like help with?").select_option(label="Anxiety")
    page.get_by_label("In a few words, why now?").fill("Anxiety for years.")
    page.get_by_label("Time for the intake call").select_option(index=0)
    page.get_by_role("button", name="Book the call").click()
    page.get_by_role("heading", name="Your call is booked").wait_for()

    referral = Referral.objects.get(family_name="Lapointe")
    assert referral.intake_slot.starts_at == start
    assert any(m.to == ["noe@example.test"] for m in mail.outbox)


PHONE = {"width": 390, "height": 844}


def test_a_quebec_person_on_a_phone_in_french_sees_only_quebec_times(
    live_server: Any, browser: Any
) -> None:
    montreal = ClinicFactory(name="Clinique KAP Montréal")
    vancouver = ClinicFactory(
        name="KAP Clinic Vancouver", jurisdiction=jurisdiction("BC"), time_zone="America/Vancouver"
    )
    for clinic in (vancouver, montreal):
        coordinator = UserFactory(role=Role.INTAKE, clinics=[clinic])
        day = timezone.localdate() + timedelta(days=1)
        start = datetime.combine(day, datetime.min.time(), tzinfo=clinic.tzinfo).replace(hour=9)
        open_intake_slots(
            by=coordinator, clinic=clinic, starts=start, ends=start + timedelta(minutes=30)
        )
    context = browser.new_context(locale="fr-CA", viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/start/")
    assert phone.locator("#id_slot").count() == 0  # no time before the province
    phone.get_by_label("Province où vous habitez").select_option("QC")
    phone.get_by_role("button", name="Continuer").click()
    options = phone.locator("#id_slot option").all_inner_texts()
    assert options and all("Montréal" in option for option in options), options
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
