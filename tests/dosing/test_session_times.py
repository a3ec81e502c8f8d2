"""Every time written in a session lies between its check-in and now (issue 10, item 1), and
the discharge reads every reading of the latest minute (item 3)."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from kapclinic.dosing import monitoring, services
from kapclinic.dosing.errors import DosingCode, DosingError
from kapclinic.dosing.models import VitalSign
from tests.dosing.conftest import BASELINE, book_session, checked_in, cleared, dosed, with_checks

OBSERVED = {"alert_and_oriented": True, "walking_steadily": True, "escort_present": True}


def _dose(ready: dict[str, Any], session: Any, given_at: Any) -> Any:
    return services.record_dose(
        by=ready["nurse"], session_id=session.pk, given_at=given_at, dose_mg=100, lot=ready["lot"]
    )


def test_a_dose_timed_before_the_check_in_is_refused_and_discharge_cannot_follow(
    ready: dict[str, Any],
) -> None:
    session = cleared(ready)
    with pytest.raises(DosingError) as refused:
        _dose(ready, session, timezone.now() - timedelta(minutes=125))
    assert refused.value.code == DosingCode.TIME_BEFORE_SESSION
    assert "The time of the dose cannot be before the clearing to dose" in refused.value.message
    session.refresh_from_db()
    assert session.state == "cleared_to_dose"


def test_a_dose_timed_between_check_in_and_clearing_is_refused(ready: dict[str, Any]) -> None:
    with freeze_time(timezone.now() - timedelta(minutes=30)):
        session = with_checks(ready)
    session = services.clear_to_dose(by=ready["nurse"], session_id=session.pk)
    with pytest.raises(DosingError, match="cannot be before the clearing to dose"):
        _dose(ready, session, timezone.now() - timedelta(minutes=10))


def test_a_baseline_reading_before_the_check_in_is_refused(ready: dict[str, Any]) -> None:
    session = checked_in(ready)
    with pytest.raises(DosingError) as refused:
        services.record_pre_dose_facts(
            by=ready["nurse"],
            session_id=session.pk,
            fasted_as_instructed=True,
            ride_home_arranged=True,
            pregnancy_attestation="not_pregnant",
            baseline=BASELINE,
            baseline_taken_at=timezone.now() - timedelta(minutes=3),
        )
    assert refused.value.message.startswith("The baseline reading cannot be before the check-in (")
    assert not VitalSign.objects.exists()


def test_a_baseline_reading_in_the_future_is_refused(ready: dict[str, Any]) -> None:
    session = checked_in(ready)
    with pytest.raises(DosingError, match=r"The baseline reading cannot be in the future\."):
        services.record_pre_dose_facts(
            by=ready["nurse"],
            session_id=session.pk,
            fasted_as_instructed=True,
            ride_home_arranged=True,
            pregnancy_attestation="not_pregnant",
            baseline=BASELINE,
            baseline_taken_at=timezone.now() + timedelta(minutes=5),
        )


def test_an_adverse_event_before_the_check_in_is_refused(ready: dict[str, Any]) -> None:
    session = checked_in(ready)
    with pytest.raises(DosingError, match="The onset cannot be before the check-in"):
        monitoring.record_adverse_event(
            by=ready["nurse"],
            session_id=session.pk,
            kind="nausea",
            severity="mild",
            onset_at=timezone.now() - timedelta(hours=1),
        )


def test_a_reading_before_the_dose_is_refused(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=10)
    with pytest.raises(DosingError, match="The time of the reading cannot be before the dose"):
        monitoring.record_vitals(
            by=ready["nurse"],
            session_id=session.pk,
            taken_at=timezone.now() - timedelta(minutes=15),
            values=BASELINE,
        )


def test_observation_counts_from_the_real_dose_time(ready: dict[str, Any]) -> None:
    """Checked in and dosed now: discharge a minute later is refused on the time observed."""
    session = cleared(ready)
    _dose(ready, session, timezone.now())
    monitoring.record_vitals(
        by=ready["nurse"], session_id=session.pk, taken_at=timezone.now(), values=BASELINE
    )
    with pytest.raises(DosingError, match="at least 120 are required"):
        services.discharge(
            by=ready["nurse"],
            session_id=session.pk,
            now=timezone.now() + timedelta(minutes=1),
            **OBSERVED,
        )


def _reading(ready: dict[str, Any], session: Any, taken_at: Any, **values: Any) -> None:
    monitoring.record_vitals(
        by=ready["nurse"], session_id=session.pk, taken_at=taken_at, values=BASELINE | values
    )


@pytest.mark.parametrize("flagged_first", [True, False])
def test_two_readings_in_the_latest_minute_cannot_hide_an_out_of_limit_one(
    ready: dict[str, Any], flagged_first: bool
) -> None:
    session = dosed(ready, minutes_ago=130)
    minute = (timezone.now() - timedelta(minutes=2)).replace(second=0, microsecond=0)
    flagged = {"systolic": 188, "diastolic": 114, "spo2": 89}
    for values in [flagged, {}] if flagged_first else [{}, flagged]:
        _reading(ready, session, minute, **values)
    session.refresh_from_db()
    readiness = services.readiness(session, timezone.now(), **OBSERVED)
    vitals = next(c for c in readiness.criteria if c.code == "discharge.vitals")
    assert not vitals.met
    assert "back within the limits:" in str(vitals.sentence)
    with pytest.raises(DosingError, match="not back within the limits"):
        services.discharge(by=ready["nurse"], session_id=session.pk, **OBSERVED)


def test_the_screen_shows_the_alerts_of_every_reading_in_the_latest_minute(
    ready: dict[str, Any], client: Any
) -> None:
    session = dosed(ready, minutes_ago=30)
    minute = (timezone.now() - timedelta(minutes=2)).replace(second=0, microsecond=0)
    _reading(ready, session, minute, systolic=188, diastolic=114)
    _reading(ready, session, minute)
    client.force_login(ready["nurse"])
    page = client.get(reverse("dosing:session", args=[session.pk])).content.decode()
    assert "188" in page and "above" in page.lower()


def test_a_second_session_the_same_day_is_refused_at_clearing_and_at_the_dose(
    ready: dict[str, Any],
) -> None:
    """Issue 10 item 2: a second session booked and dosed the same day passed without a word."""
    first = dosed(ready, minutes_ago=150)
    ready["attendance"] = book_session(ready, ready["patient_a"], ready["attendance"].ends_at)
    second = with_checks(ready)
    with pytest.raises(DosingError) as refused:
        services.clear_to_dose(by=ready["nurse"], session_id=second.pk)
    assert refused.value.code == DosingCode.DOSE_TOO_SOON
    assert "doses are at least 24 hours apart" in refused.value.message
    # Cleared before the first dose was documented (late): the dose itself is refused.
    services.stop_session(by=ready["nurse"], session_id=first.pk, reason="documentation test")
    assert first.administration.pk


def test_the_dose_itself_is_refused_within_the_interval(ready: dict[str, Any]) -> None:
    first = dosed(ready, minutes_ago=150)
    ready["attendance"] = book_session(ready, ready["patient_a"], ready["attendance"].ends_at)
    second = with_checks(ready)
    # Cleared while the interval setting was lower: the dose checks it again.
    from django.test import override_settings

    with override_settings(DOSING_MIN_INTERVAL_HOURS=1):
        services.clear_to_dose(by=ready["nurse"], session_id=second.pk)
    with pytest.raises(DosingError, match="The patient was given ketamine at"):
        _dose(ready, second, timezone.now())
    assert first.administration.given_at < timezone.now()
