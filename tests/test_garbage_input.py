"""Garbage input found by the crawl gets a clear answer: a form error or a 404, never a 500."""

from datetime import date
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from kapclinic.dates import PlausibleDateField
from kapclinic.errors import id_or_none


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "99999999999999999999", "١٢", "", "1e3"])
def test_only_a_plausible_id_is_an_id(raw: str) -> None:
    assert id_or_none(raw) is None


def test_an_id_is_an_id() -> None:
    assert id_or_none("42") == 42


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_dates_outside_1900_to_2199_are_a_form_error(raw: str) -> None:
    form = type("F", (forms.Form,), {"day": PlausibleDateField()})({"day": raw})
    assert not form.is_valid()
    assert form.errors["day"] == ["Enter a date between 1900 and 2199."]
    ok = type("F", (forms.Form,), {"day": PlausibleDateField()})({"day": "1950-06-01"})
    assert ok.is_valid() and ok.cleaned_data["day"] == date(1950, 6, 1)


def test_a_credential_in_error_with_a_bad_id_is_not_found(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    url = reverse("accounts:credentials", kwargs={"user_id": network["nurse"].pk})
    response = login(client, network["clinic_admin"]).post(url, {"in_error": "abc", "reason": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31"])
def test_a_week_at_the_ends_of_the_calendar_shows_this_week(
    network: dict[str, Any], client: Any, login: Any, start: str
) -> None:
    url = reverse("scheduling:week", kwargs={"clinic_id": network["montreal"].pk})
    response = login(client, network["intake"]).get(url, {"start": start})
    assert response.status_code == 200


def test_a_register_period_in_year_9999_is_a_form_error(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    url = reverse("register:ledger", kwargs={"clinic_id": network["montreal"].pk})
    response = login(client, network["physician"]).get(
        url, {"start": "2026-01-01", "end": "9999-12-31"}
    )
    assert response.status_code in (200, 400)
    assert "Enter a date between 1900 and 2199." in response.content.decode()


def test_a_staff_member_with_an_address_in_use_is_a_form_error(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.accounts.services import create_staff_member
    from kapclinic.errors import Conflict

    with pytest.raises(Conflict):
        create_staff_member(
            by=network["clinic_admin"],
            email=network["nurse"].email,
            full_name="Twin",
            role="nurse",
            clinics=[network["montreal"]],
            password=None,
        )


def test_a_duplicate_product_or_a_huge_strength_is_a_form_error(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    client = login(client, network["physician"])
    url = reverse("register:product_new")
    fields = {"name": "Ketamine RDT", "form": "rdt", "strength_mg": "100", "unit": "tablet"}
    from kapclinic.register.models import ProductForm

    fields["form"] = ProductForm.values[0]
    assert client.post(url, fields).status_code == 302
    again = client.post(url, {**fields, "name": "ketamine rdt"})
    assert again.status_code == 200 and "already exists" in again.content.decode()
    huge = client.post(url, {**fields, "name": "Other", "strength_mg": "99999999999"})
    assert huge.status_code == 200 and "less than or equal to" in huge.content.decode()


def test_an_unknown_referrer_is_not_found(network: dict[str, Any], client: Any, login: Any) -> None:
    url = reverse("referrals:verify", kwargs={"referrer_id": 987654})
    assert login(client, network["clinic_admin"]).post(url).status_code == 404


@pytest.mark.parametrize("systolic", ["0", "400"])
def test_an_implausible_screening_blood_pressure_is_a_form_error(systolic: str) -> None:
    from kapclinic.screening.forms import ScreeningForm

    form = ScreeningForm({"systolic": systolic, "diastolic": "80"})
    assert "systolic" in form.errors


def test_a_clinic_id_beyond_any_column_is_a_form_error(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    response = login(client, network["clinic_admin"]).post(
        reverse("accounts:staff_create"),
        {"full_name": "N", "email": "n@example.test", "role": "nurse", "clinics": "9" * 20},
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
