"""Orders: a physician signs, routes outside the clinic's scope are refused, a change is a
new version that points back."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from freezegun import freeze_time

from kapclinic.audit.models import AuditEvent
from kapclinic.care.models import Enrolment
from kapclinic.dosing import ordering
from kapclinic.dosing.errors import DosingError
from kapclinic.errors import Conflict, NotPermitted
from tests.factories import UserFactory

NEXT_MONTH = date.today() + timedelta(days=30)


def sign(ready: dict[str, Any], **fields: Any) -> Any:
    values = {
        "by": ready["physician"],
        "patient": ready["patient_a"],
        "route": "intranasal_spray",
        "dose_mg": Decimal(56),
        "expires_on": NEXT_MONTH,
    }
    return ordering.sign_order(**(values | fields))


def test_a_physician_signs_an_order_with_titration(ready: dict[str, Any]) -> None:
    order = sign(ready, titration_mg=[Decimal(28), Decimal(42)])
    assert order.titration == [Decimal(28), Decimal(42)]
    assert order.signed_by == ready["physician"] and order.enrolment == ready["enrolment"]
    assert AuditEvent.objects.filter(object_id=str(order.pk), action="create").exists()


@pytest.mark.parametrize("route", ["intravenous", "intramuscular"])
def test_an_intravenous_or_intramuscular_order_is_refused(
    ready: dict[str, Any], route: str
) -> None:
    with pytest.raises(DosingError) as refused:
        sign(ready, route=route)
    assert refused.value.params["refusals"][0] == "order.route_not_allowed"
    assert "is not given at this clinic" in refused.value.message


def test_a_dose_above_the_configured_maximum_is_refused(
    ready: dict[str, Any], settings: Any
) -> None:
    settings.DOSING_MAX_DOSE_MG = Decimal(200)
    with pytest.raises(DosingError, match="250 mg, is above the maximum of 200 mg per session"):
        sign(ready, dose_mg=Decimal(250))


@pytest.mark.parametrize("role", ["nurse", "therapist"])
def test_only_a_physician_orders(ready: dict[str, Any], role: str) -> None:
    with pytest.raises(NotPermitted, match=r"Only a physician orders ketamine\."):
        sign(ready, by=ready[role])


def test_a_change_is_a_new_version_and_the_old_one_stays(ready: dict[str, Any]) -> None:
    first = ready["order"]
    with pytest.raises(DosingError, match=r"Say why the order changes\."):
        sign(ready, supersedes=first)
    second = sign(ready, supersedes=first, reason_for_change="Tablets caused nausea")
    assert second.version == 2 and second.supersedes == first
    first.refresh_from_db()
    assert first.dose_mg == Decimal(100)
    with pytest.raises(Conflict, match="already changed"):
        sign(ready, supersedes=first, reason_for_change="again")


@freeze_time(
    "2026-11-24 05:30:00+00:00"
)  # 00:30 on the 24th in Montreal, 21:30 on the 23rd in Vancouver
def test_expiry_is_judged_by_the_patients_clinic_day(ready: dict[str, Any]) -> None:
    vancouver_patient = ready["patient_b"]
    Enrolment.objects.create(
        patient=vancouver_patient,
        program=ready["enrolment"].program,
        enrolled_by=ready["physician"],
    )
    vancouver_physician = UserFactory(role="physician", clinics=[ready["vancouver"]])
    evening = date(2026, 11, 23)
    assert sign(ready, by=vancouver_physician, patient=vancouver_patient, expires_on=evening)
    with pytest.raises(DosingError) as refused:
        sign(ready, expires_on=evening)
    assert refused.value.params["refusals"][0] == "order.expired"
