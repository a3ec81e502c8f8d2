"""Every move of the session through the service, each refusal with its sentence, the audit."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.audit.models import AuditEvent
from kapclinic.care.models import Enrolment
from kapclinic.dosing import services
from kapclinic.dosing.errors import DosingError
from kapclinic.dosing.models import DosingSession
from kapclinic.errors import Conflict, NotPermitted
from kapclinic.register.models import Balance, LedgerEntry
from tests.dosing.conftest import book_session, checked_in, cleared, dosed, with_checks
from tests.factories import PatientFactory, RoomFactory


def states(session: Any) -> list[str]:
    return [f"{t.from_state}->{t.to_state}" for t in session.transitions.all()]


def test_a_nurse_checks_the_patient_in_and_the_move_is_stored_and_audited(
    ready: dict[str, Any],
) -> None:
    session = checked_in(ready)
    assert session.state == "checked_in"
    assert session.route == "sublingual_rdt"
    assert states(session) == ["scheduled->checked_in"]
    ready["attendance"].refresh_from_db()
    assert ready["attendance"].status == "attended"
    assert AuditEvent.objects.filter(
        object_id=str(session.pk),
        patient=ready["patient_a"],
        detail__session="scheduled->checked_in",
    ).exists()


def test_a_patient_is_checked_in_once(ready: dict[str, Any]) -> None:
    checked_in(ready)
    with pytest.raises(Conflict, match="already checked in"):
        services.check_in(by=ready["nurse"], attendance=ready["attendance"])


@pytest.mark.parametrize("stage", ["connect", "prepare", "reconnect", "discharged"])
def test_a_patient_whose_journey_is_not_at_experience_is_not_checked_in(
    ready: dict[str, Any], stage: str
) -> None:
    Enrolment.objects.filter(pk=ready["enrolment"].pk).update(stage=stage)
    with pytest.raises(DosingError, match=f"The journey is at {stage.capitalize()}"):
        checked_in(ready)
    assert not DosingSession.objects.exists()
    ready["attendance"].refresh_from_db()
    assert ready["attendance"].status == "booked"


def test_the_next_session_of_the_plan_checks_in_from_integrate(ready: dict[str, Any]) -> None:
    Enrolment.objects.filter(pk=ready["enrolment"].pk).update(stage="integrate")
    assert checked_in(ready).state == "checked_in"


def test_a_patient_with_no_enrolment_is_not_checked_in(ready: dict[str, Any]) -> None:
    next_door = {"dosing_room": RoomFactory(clinic=ready["montreal"], dosing_capable=True)}
    next_door["therapist"] = ready["therapist_2"]
    walk_in = book_session(ready | next_door, PatientFactory(clinic=ready["montreal"]))
    with pytest.raises(DosingError, match="not enrolled in a program"):
        services.check_in(by=ready["nurse"], attendance=walk_in)


@pytest.mark.parametrize("role", ["therapist", "intake", "clinic_admin"])
def test_only_a_nurse_or_physician_checks_in(ready: dict[str, Any], role: str) -> None:
    with pytest.raises(NotPermitted):
        services.check_in(by=ready[role], attendance=ready["attendance"])


def test_saving_the_pre_dose_facts_starts_the_checks(ready: dict[str, Any]) -> None:
    session = with_checks(ready)
    assert session.state == "pre_dose_checks"
    baseline = session.vitals.get()
    assert baseline.baseline and baseline.systolic == 122 and baseline.alerts == []


def test_a_session_with_every_check_met_is_cleared_under_the_order_in_force(
    ready: dict[str, Any],
) -> None:
    session = cleared(ready)
    assert session.state == "cleared_to_dose"
    assert session.order == ready["order"]


def test_clearing_before_the_checks_is_refused(ready: dict[str, Any]) -> None:
    session = checked_in(ready)
    with pytest.raises(DosingError) as refused:
        services.clear_to_dose(by=ready["nurse"], session_id=session.pk)
    assert refused.value.message == (
        "A dosing session cannot go from checked in to cleared to dose."
    )


def test_the_dose_is_recorded_with_its_register_entry_in_one_go(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=20)
    administration = session.administration
    assert session.state == "dosed"
    assert administration.dose_mg == 100 and administration.lot == ready["lot"]
    assert administration.given_by == ready["nurse"]
    entry = administration.ledger_entry
    assert (entry.kind, entry.quantity_mg, entry.session_ref) == (
        "administration",
        -100,
        str(session.pk),
    )
    assert Balance.objects.get(lot=ready["lot"]).quantity_mg == 900


def test_a_dose_the_register_cannot_cover_is_refused_and_nothing_is_written(
    ready: dict[str, Any],
) -> None:
    session = cleared(ready)
    Balance.objects.filter(lot=ready["lot"]).update(quantity_mg=50)
    with pytest.raises(Exception, match="Not enough stock"):
        services.record_dose(
            by=ready["nurse"],
            session_id=session.pk,
            given_at=timezone.now(),
            dose_mg=100,
            lot=ready["lot"],
        )
    session.refresh_from_db()
    assert session.state == "cleared_to_dose"
    assert not LedgerEntry.objects.filter(kind="administration").exists()


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(minutes=5), "The time of the dose cannot be in the future."),
        (timedelta(hours=-5), "The time of the dose can be documented at most 4 hours late."),
    ],
)
def test_the_dose_time_may_be_late_but_never_in_the_future(
    ready: dict[str, Any], offset: timedelta, message: str
) -> None:
    session = cleared(ready)
    with pytest.raises(DosingError) as refused:
        services.record_dose(
            by=ready["nurse"],
            session_id=session.pk,
            given_at=timezone.now() + offset,
            dose_mg=100,
            lot=ready["lot"],
        )
    assert refused.value.message == message


def test_a_dose_other_than_the_ordered_one_is_refused(ready: dict[str, Any]) -> None:
    session = cleared(ready)
    with pytest.raises(DosingError) as refused:
        services.record_dose(
            by=ready["nurse"],
            session_id=session.pk,
            given_at=timezone.now(),
            dose_mg=150,
            lot=ready["lot"],
        )
    assert refused.value.params["refusals"][0] == "administration.dose_not_ordered"


def test_dosing_before_clearing_is_refused(ready: dict[str, Any]) -> None:
    session = with_checks(ready)
    with pytest.raises(DosingError, match="cannot go from pre-dose checks to dosed"):
        services.record_dose(
            by=ready["nurse"],
            session_id=session.pk,
            given_at=timezone.now(),
            dose_mg=100,
            lot=ready["lot"],
        )


def test_a_session_stops_only_with_a_reason_and_keeps_it(ready: dict[str, Any]) -> None:
    session = checked_in(ready)
    with pytest.raises(DosingError, match=r"Say why the session is stopped\."):
        services.stop_session(by=ready["nurse"], session_id=session.pk, reason="  ")
    stopped = services.stop_session(
        by=ready["nurse"], session_id=session.pk, reason="Patient unwell on arrival."
    )
    assert stopped.state == "stopped" and stopped.stop_reason == "Patient unwell on arrival."
    with pytest.raises(DosingError, match="cannot go from stopped to stopped"):
        services.stop_session(by=ready["nurse"], session_id=session.pk, reason="again")


def test_a_therapist_cannot_give_the_dose(ready: dict[str, Any]) -> None:
    session = cleared(ready)
    with pytest.raises(NotPermitted):
        services.record_dose(
            by=ready["therapist"],
            session_id=session.pk,
            given_at=timezone.now(),
            dose_mg=100,
            lot=ready["lot"],
        )
