"""People read words, not codes, in their own language (issue 10, items 17, 19 and 21)."""

from datetime import date
from typing import Any

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from kapclinic.clinical import instruments
from kapclinic.labels import BANDS, CONTRAINDICATIONS, FLAGS, label
from kapclinic.referrals.models import Contraindication

# --- one registry of labels -------------------------------------------------------------------


def test_every_band_flag_and_contraindication_code_has_a_label() -> None:
    for bands in (
        instruments.PHQ9_BANDS,
        instruments.GAD7_BANDS,
        instruments.PCL5_BANDS,
        instruments.AUDIT_BANDS,
    ):
        assert {code for _, code in bands} <= set(BANDS)
    assert set(instruments.DUDIT_BAND_CODES) <= set(BANDS)
    assert {instruments.SUICIDAL_IDEATION, instruments.PROVISIONAL_PTSD_DSM5} <= set(FLAGS)
    assert set(Contraindication.values) <= set(CONTRAINDICATIONS)


@pytest.mark.parametrize(
    ("code", "kind", "english", "french"),
    [
        ("moderately_severe", "band", "Moderately severe", "Modérément sévère"),
        ("zone_1", "band", "Zone I (low risk)", "Zone I (risque faible)"),
        ("suicidal_ideation", "flag", "Suicidal ideation", "Idées suicidaires"),
        ("untreated_hypertension", "contraindication", "Untreated hypertension", None),
        ("absolute", "severity", "Absolute", "Absolue"),
        ("needs_review", "outcome", "needs a physician's review", "à revoir par un médecin"),
        ("physician", "role", "Physician", "Médecin"),
        ("patients.patient", "object", "Patient", "Patient"),
        ("some_new_code", "band", "Some new code", "Some new code"),
    ],
)
def test_a_code_reads_as_words_in_both_languages(
    code: str, kind: str, english: str, french: str | None
) -> None:
    assert label(code, kind) == english
    with translation.override("fr"):
        worded = label(code, kind)
    assert "_" not in worded
    if french is not None:
        assert worded == french


def test_audit_rows_name_the_object_and_the_role(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.audit.models import Action
    from kapclinic.audit.services import record_event

    patient = network["patient_a"]
    record_event(actor=network["physician"], action=Action.READ, patient=patient, target=patient)
    page = login(client, network["privacy_officer"]).get(reverse("audit:search"), {"q": ""})
    html = page.content.decode()
    assert f"Patient #{patient.pk}" in html and f"patients.patient:{patient.pk}" not in html
    assert "<td>Physician</td>" in html and "<td>physician</td>" not in html


# --- French gaps ------------------------------------------------------------------------------


def test_short_dates_are_written_as_french_writes_them() -> None:
    page = Template("{{ day|short_day }}")
    day = Context({"day": date(2026, 12, 1)})
    assert page.render(day) == "Tue 1 Dec"
    with translation.override("fr"):
        assert page.render(day) == "mar. 1 déc."


def test_an_adverse_events_severity_agrees_with_gravite() -> None:
    from kapclinic.dosing.models import AdverseEvent

    event = AdverseEvent(kind="nausea", severity="mild")
    page = Template(
        "{% load i18n %}{{ e.get_kind_display }} — {% blocktranslate with "
        "severity=e.get_severity_display %}severity: {{ severity }}{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert page.render(Context({"e": event})) == "Nausées — gravité : légère"


def test_the_severity_help_names_each_grade_as_its_option_does() -> None:
    """The options say "légère" (la gravité): the help text beside them says "Légère :"."""
    from kapclinic.dosing.forms import AdverseEventForm
    from kapclinic.dosing.models.monitoring import SEVERITY_LABELS

    with translation.override("fr"):
        form = AdverseEventForm()
        help_text = str(form.fields["severity"].help_text)
        for option in SEVERITY_LABELS.values():
            assert f"{str(option)[0].upper()}{str(option)[1:]} :" in help_text


def test_the_attachment_help_text_is_in_the_readers_language(db: None) -> None:
    from kapclinic.referrals.forms import ReferralForm

    with translation.override("fr"):
        help_text = str(ReferralForm().fields["attachments"].help_text)
    assert "PDF or images" not in help_text and "Mo" in help_text


def test_the_sign_in_message_speaks_the_users_language(db: None, client: Any) -> None:
    from tests.factories import PASSWORD, ClinicFactory, UserFactory

    user = UserFactory(role="nurse", clinics=[ClinicFactory()], language="fr")
    page = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    shown = [str(m) for m in page.context["messages"]]
    assert shown and "Successfully signed in" not in shown[0]


def test_a_task_title_reads_in_the_readers_language(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.patients.models import CareRole
    from kapclinic.screening.services import record_response
    from tests.factories import CareTeamMemberFactory

    CareTeamMemberFactory(
        patient=network["patient_a"], user=network["physician"], care_role=CareRole.PHYSICIAN
    )
    with translation.override("en"):  # raised by someone working in English
        record_response(
            by=network["nurse"],
            patient=network["patient_a"],
            instrument="PHQ-9",
            answers=[0, 0, 0, 0, 0, 0, 0, 0, 2],
            source="staff",
            language="en",
        )
    network["physician"].language = "fr"
    network["physician"].save()
    html = login(client, network["physician"]).get(reverse("screening:tasks")).content.decode()
    assert "Urgent : " in html and "Urgent: review suicidal ideation" not in html


# --- the portal -------------------------------------------------------------------------------


def test_the_portal_has_a_header_and_confirms_each_answer(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.care.services import enrol
    from kapclinic.screening.services import assign_questionnaires
    from tests.factories import seeded_programs, signed_eligible

    assign_questionnaires(by=network["nurse"], patient=network["patient_a"], instruments=["GAD-7"])
    signed_eligible(network["patient_a"])
    enrol(by=network["intake"], patient=network["patient_a"], program=seeded_programs()["standard"])
    client = login(client, network["patient_user"])
    home = client.get(reverse("portal:home")).content.decode()
    assert "Montréal" in home and 'href="tel:514-555-0000"' in home
    assert 'name="language"' in home and "Sign out" in home
    sign = reverse("portal:consent", kwargs={"kind": "treatment"})
    done = client.post(sign, {"signed_name": "Canary Zzyzx-Patient", "agree": "on"}, follow=True)
    assert "Thank you: your consent is recorded." in done.content.decode()
    answers = {f"item_{n}": 0 for n in range(1, 8)}
    answered = client.post(
        reverse("portal:answer", kwargs={"instrument": "GAD-7"}), answers, follow=True
    )
    assert "your answers were sent to your care team" in answered.content.decode()


def test_the_crisis_screen_offers_a_way_on(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.screening.services import assign_questionnaires

    assign_questionnaires(by=network["nurse"], patient=network["patient_a"], instruments=["PHQ-9"])
    client = login(client, network["patient_user"])
    answers = {f"item_{n}": 0 for n in range(1, 9)} | {"item_9": 1}
    page = client.post(reverse("portal:answer", kwargs={"instrument": "PHQ-9"}), answers)
    html = page.content.decode()
    assert "You are not alone" in html
    assert f'href="{reverse("portal:home")}"' in html and "Back to your care" in html
    # On a phone in crisis, one tap calls the helpline, emergency services or the clinic.
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert f'href="tel:{network["patient_a"].clinic.phone}"' in html


def test_a_checkbox_sits_beside_its_label() -> None:
    from kapclinic.portal.forms import PortalConsentForm

    html = Template('{% include "web/form.html" %}').render(Context({"form": PortalConsentForm()}))
    box = html.index('type="checkbox"')
    label = html.index('<label for="id_agree">')
    assert '<div class="field check">' in html and box < label
