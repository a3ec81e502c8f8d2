"""The flows the demo sets up can be tried from it: letters to a referrer who may receive them,
an integration group with a Reconnect patient in it, and a research export with rows."""

import csv
import io
import logging
import warnings

import pytest
from django.core.management import call_command
from django.test import Client

from kapclinic.accounts.models import User
from kapclinic.audit.models import AuditEvent
from kapclinic.care.models import ConsentKind
from kapclinic.care.selectors import current_enrolment, valid_consent_kinds
from kapclinic.clinical.journey import Stage
from kapclinic.clinics.models import Clinic
from kapclinic.demo.groups import GROUP_NAME, reconnect_members
from kapclinic.demo.research import research_patients
from kapclinic.demo.seed import seed_demo
from kapclinic.demo.sharedcare import shared_care_patient
from kapclinic.dosing.models import DosingSession
from kapclinic.groups.models import IntegrationGroup, Membership
from kapclinic.outcomes.export import HEADER
from kapclinic.referrals.models import Referral
from kapclinic.sharedcare.models import Letter, LetterKind, LetterStatus
from kapclinic.sharedcare.services import (
    download_letter,
    draft_letter,
    referrer_of,
    release_letter,
)

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email), backend=BACKEND)
    return client


@pytest.mark.django_db
def test_each_clinic_has_a_referred_patient_who_consented_to_share_once() -> None:
    seed_demo()
    seed_demo()
    for clinic in Clinic.objects.all():
        patient = shared_care_patient(clinic)
        assert patient is not None and current_enrolment(patient) is not None
        referral = Referral.objects.get(patient=patient)
        assert referral.status == "accepted"
        assert referral.referrer == referrer_of(patient)
        assert referral.referrer.user.clinics.count() == 0  # the demo referrer, outside
        assert ConsentKind.SHARE_WITH_REFERRER in valid_consent_kinds(patient)
        assert patient.consents.filter(kind=ConsentKind.SHARE_WITH_REFERRER).count() == 1


@pytest.mark.django_db
def test_a_progress_report_is_drafted_released_and_read_by_the_referrer() -> None:
    seed_demo()
    clinic = Clinic.objects.get(name__contains="Montr")
    patient = shared_care_patient(clinic)
    assert patient is not None
    physician = User.objects.get(email="physician.mtl@demo.kapclinic.test")
    letter = draft_letter(by=physician, patient=patient, kind=LetterKind.PROGRESS)
    released = release_letter(by=physician, letter_id=letter.pk)
    assert released.status == LetterStatus.RELEASED
    assert bytes(released.pdf).startswith(b"%PDF")
    referrer = User.objects.get(email="referrer.mtl@demo.kapclinic.test")
    assert download_letter(by=referrer, letter=released) == bytes(released.pdf)
    assert AuditEvent.objects.filter(actor=referrer, patient=patient, action="export").exists()
    listed = signed_in(referrer.email).get("/refer/letters/")
    assert listed.status_code == 200
    assert patient.legal_family_name in listed.content.decode()


@pytest.mark.django_db
def test_the_physician_drafts_and_releases_a_letter_from_the_demo_patients_letters_page() -> None:
    seed_demo()
    patient = shared_care_patient(Clinic.objects.get(name__contains="Montr"))
    assert patient is not None
    client = signed_in("physician.mtl@demo.kapclinic.test")
    letters = f"/patients/{patient.pk}/letters/"
    drafted = client.post(letters, {"kind": LetterKind.ELIGIBILITY, "note": "Bienvenue."})
    assert drafted.status_code == 302, drafted.content.decode()
    letter = Letter.objects.get(patient=patient)
    assert drafted["Location"] == f"{letters}{letter.pk}/"
    released = client.post(f"{letters}{letter.pk}/release/", follow=True)
    assert released.status_code == 200
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RELEASED


@pytest.mark.django_db
def test_each_clinic_has_a_reconnect_patient_in_its_integration_group_once() -> None:
    seed_demo()
    seed_demo()
    for clinic in Clinic.objects.all():
        group = IntegrationGroup.objects.get(clinic=clinic, name=GROUP_NAME)
        assert group.sessions.count() == 1
        [member] = reconnect_members(clinic)
        enrolment = current_enrolment(member)
        assert enrolment is not None and enrolment.stage == Stage.RECONNECT
        journey = [t.to_stage for t in enrolment.transitions.order_by("pk")]
        assert journey == ["prepare", "experience", "integrate", "reconnect"]
        assert Membership.objects.filter(patient=member).count() == 1
    therapist = signed_in("therapist.mtl@demo.kapclinic.test")
    group = IntegrationGroup.objects.get(clinic__name__contains="Montr")
    page = therapist.get(f"/groups/{group.pk}/")
    assert page.status_code == 200
    member = reconnect_members(group.clinic)[0]
    assert member.legal_family_name in page.content.decode()


@pytest.mark.django_db
def test_the_research_export_has_the_consenting_patients_scores_only() -> None:
    seed_demo()
    seed_demo()
    for clinic in Clinic.objects.all():
        assert len(research_patients(clinic)) == 2
    director = signed_in("physician.mtl@demo.kapclinic.test")
    response = director.post("/outcomes/research-export/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADER
    # Two consenting patients a clinic, five PHQ-9 and five GAD-7 scores each.
    assert len(rows) - 1 == 2 * 2 * 10
    assert len({row[0] for row in rows[1:]}) == 4


@pytest.mark.django_db
def test_the_demo_command_names_the_patients_to_try() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for clinic in Clinic.objects.all():
        named = [shared_care_patient(clinic), *reconnect_members(clinic)]
        named += research_patients(clinic)
        for patient in named:
            assert patient is not None
            assert patient.display_name in text
    assert "letters to the referrer" in text and "integration group" in text


@pytest.mark.django_db
def test_the_demos_matplotlib_charts_draw_dates_and_times_without_a_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The session's vital signs and the contact SLA chart plot times and dates: strings made
    matplotlib log "Using categorical units to plot a list of strings that are all parsable
    as floats or dates" for each chart drawn."""
    seed_demo()
    session = DosingSession.objects.get(clinic__name__contains="Montr")
    with caplog.at_level(logging.INFO, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        pages = [
            signed_in("nurse.mtl@demo.kapclinic.test").get(f"/sessions/{session.pk}/"),
            signed_in("clinic-admin.mtl@demo.kapclinic.test").get("/referrals/sla/"),
        ]
    for page in pages:
        assert page.status_code == 200
        assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []
