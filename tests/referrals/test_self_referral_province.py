"""/start/ offers the times of the clinics in the person's province, in that province's time."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kapclinic.referrals.models import IntakeSlot, Referral
from kapclinic.referrals.self_referral import open_intake_slots
from tests.factories import UserFactory
from tests.referrals.test_self_referral import booking


def _offer(clinic: Any, coordinator: Any, hour: int) -> IntakeSlot:
    day = timezone.localdate(timezone=clinic.tzinfo) + timedelta(days=1)
    start = datetime.combine(day, datetime.min.time(), tzinfo=clinic.tzinfo).replace(hour=hour)
    return open_intake_slots(
        by=coordinator, clinic=clinic, starts=start, ends=start + timedelta(minutes=30)
    )[0]


@pytest.fixture
def vancouver_slot(network: dict[str, Any]) -> IntakeSlot:
    cache.clear()
    coordinator = UserFactory(role="intake", clinics=[network["vancouver"]])
    return _offer(network["vancouver"], coordinator, 9)


def test_a_quebec_person_is_not_offered_vancouver_times(
    network: dict[str, Any], vancouver_slot: IntakeSlot, client: Any
) -> None:
    montreal_slot = _offer(network["montreal"], network["intake"], 14)
    page = client.get(reverse("referrals:self_referral") + "?province=QC").content.decode()
    assert f'value="{montreal_slot.pk}">Montréal' in page
    assert f'value="{vancouver_slot.pk}">Vancouver' not in page
    bc = client.get(reverse("referrals:self_referral") + "?province=BC").content.decode()
    assert f'value="{vancouver_slot.pk}">Vancouver' in bc and "Vancouver — " in bc
    assert " 09:00" in bc  # 9:00 in Vancouver, not 12:00 Eastern


def test_a_time_in_another_province_is_refused_with_the_true_reason(
    network: dict[str, Any], vancouver_slot: IntakeSlot, client: Any
) -> None:
    response = client.post(
        reverse("referrals:self_referral"), booking(vancouver_slot, province="QC")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "in another province" in page and "just taken" not in page
    assert not Referral.objects.filter(family_name="Lapointe").exists()


def test_a_province_with_no_free_time_says_so(
    network: dict[str, Any], vancouver_slot: IntakeSlot, client: Any
) -> None:
    page = client.get(reverse("referrals:self_referral") + "?province=QC").content.decode()
    assert "No time is free in your province" in page


def test_a_british_columbian_books_the_vancouver_time(
    network: dict[str, Any], vancouver_slot: IntakeSlot, client: Any
) -> None:
    response = client.post(
        reverse("referrals:self_referral"),
        booking(vancouver_slot, province="BC", date_of_birth="1980-01-01"),
    )
    assert response.status_code == 302
    referral = Referral.objects.get(family_name="Lapointe")
    assert referral.clinic == network["vancouver"]


def test_the_availability_page_shows_vancouver_times_in_vancouver_time(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    coordinator = UserFactory(role="intake", clinics=[network["vancouver"]])
    day = (timezone.localdate(timezone=network["vancouver"].tzinfo) + timedelta(days=2)).isoformat()
    login(client, coordinator).post(
        reverse("referrals:availability"),
        {"clinic": network["vancouver"].pk, "day": day, "start": "09:00", "end": "09:30"},
    )
    page = client.get(reverse("referrals:availability")).content.decode()
    assert f"Vancouver · {day} 09:00 P" in page  # PST/PDT, not 12:00 Eastern


def test_the_page_asks_the_province_first_and_offers_no_time_before(
    network: dict[str, Any], vancouver_slot: IntakeSlot, client: Any, django_assert_num_queries: Any
) -> None:
    montreal_slot = _offer(network["montreal"], network["intake"], 14)
    with django_assert_num_queries(0):  # the first step reads no slot
        first = client.get(reverse("referrals:self_referral")).content.decode()
    assert 'name="province"' in first and "Continue" in first
    assert 'name="slot"' not in first and "Vancouver —" not in first
    with django_assert_num_queries(2):  # the free slots and the conditions
        second = client.get(reverse("referrals:self_referral"), {"province": "QC"})
    page = second.content.decode()
    assert '<input type="hidden" name="province" value="QC"' in page
    assert f'value="{montreal_slot.pk}">Montréal' in page
    assert f'value="{vancouver_slot.pk}">Vancouver' not in page and "Vancouver —" not in page
    assert "Change the province" in page


def test_an_unknown_province_is_asked_again(network: dict[str, Any], client: Any) -> None:
    page = client.get(reverse("referrals:self_referral"), {"province": "ON"}).content.decode()
    assert 'name="slot"' not in page and "Select a valid choice" in page


def test_both_steps_read_in_french(
    network: dict[str, Any], vancouver_slot: IntakeSlot, client: Any
) -> None:
    _offer(network["montreal"], network["intake"], 14)
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    first = client.get(reverse("referrals:self_referral"), **french).content.decode()
    assert "Où habitez-vous ?" in first and "Continuer" in first
    second = client.get(reverse("referrals:self_referral"), {"province": "QC"}, **french)
    page = second.content.decode()
    assert "Changer de province" in page and "Québec" in page
