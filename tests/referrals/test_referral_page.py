"""The staff referral page shows what the referrer sent: files, history, contact details, the
booked call; attachments are served as what their bytes are, through the referral, audited."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action, AuditEvent
from kapclinic.referrals.models import ContactAttempt, IntakeSlot, ReferralAttachment
from kapclinic.referrals.selectors import masked_health_number
from kapclinic.referrals.services import change_status
from tests.factories import ReferralFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 16
EXE = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def attach(referral: Any, name: str, content: bytes, claimed: str = "") -> ReferralAttachment:
    return ReferralAttachment.objects.create(
        referral=referral,
        file=SimpleUploadedFile(name, content),
        original_name=name,
        content_type=claimed,
        size=len(content),
    )


def url(referral: Any, attachment: Any) -> str:
    return reverse(
        "referrals:attachment", kwargs={"referral_id": referral.pk, "attachment_id": attachment.pk}
    )


def test_the_page_links_each_attachment_and_serves_a_pdf_inline_audited(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    referral = network["referral"]
    letter = attach(referral, "lettre.pdf", PDF)
    client = login(client, network["intake"])
    html = client.get(reverse("referrals:detail", kwargs={"referral_id": referral.pk})).content
    assert url(referral, letter).encode() in html and b"lettre.pdf" in html
    response = client.get(url(referral, letter))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=Action.EXPORT, object_id=str(letter.pk))
    assert event.actor == network["intake"] and event.patient == referral.patient
    assert event.object_type == "referrals.referralattachment"
    assert event.detail["attachment"] == "lettre.pdf"
    assert event.detail["referral"] == referral.number


def test_a_fax_tiff_is_shown_as_an_image(network: dict[str, Any], client: Any, login: Any) -> None:
    fax = attach(network["referral"], "fax.tif", TIFF)
    response = login(client, network["intake"]).get(url(network["referral"], fax))
    assert response["Content-Type"] == "image/tiff"
    assert response["Content-Disposition"].startswith("inline")


def test_a_renamed_exe_is_only_downloaded_never_shown_as_a_pdf(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """A file stored before uploads were checked, or claimed as a PDF, is sent as bytes."""
    renamed = attach(network["referral"], "results.pdf", EXE, claimed="application/pdf")
    response = login(client, network["intake"]).get(url(network["referral"], renamed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action=Action.EXPORT,
        object_id=str(renamed.pk),
        detail__content_type="application/octet-stream",
    ).exists()


def test_an_attachment_id_from_another_referral_is_not_found(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    mine = network["referral"]
    other = ReferralFactory(clinic=network["montreal"])
    theirs = attach(other, "other.pdf", PDF)
    client = login(client, network["intake"])
    assert client.get(url(mine, theirs)).status_code == 404
    assert client.get(url(other, theirs)).status_code == 200  # it exists, under its referral
    assert not AuditEvent.objects.filter(
        action=Action.EXPORT, object_id=str(theirs.pk), detail__referral=mine.number
    ).exists()


def test_staff_of_another_clinic_and_a_therapist_get_nothing(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    letter = attach(network["referral"], "lettre.pdf", PDF)
    elsewhere = UserFactory(role=Role.INTAKE, clinics=[network["vancouver"]])
    assert login(client, elsewhere).get(url(network["referral"], letter)).status_code == 404
    assert login(client, network["therapist"]).get(
        url(network["referral"], letter)
    ).status_code in (
        403,
        404,
    )
    assert not AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(letter.pk)).exists()


def test_the_page_shows_contact_details_and_a_masked_health_number(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    referral = ReferralFactory(
        clinic=network["montreal"],
        email="canary@example.test",
        health_number="ZZYC85061512",
        preferred_language="fr",
    )
    html = (
        login(client, network["intake"])
        .get(reverse("referrals:detail", kwargs={"referral_id": referral.pk}))
        .content.decode()
    )
    assert "canary@example.test" in html and "<dd>French</dd>" in html
    assert "ZZYC85061512" not in html and masked_health_number("ZZYC85061512") in html
    assert masked_health_number("ZZYC85061512") == "\u2022" * 8 + "1512"


def test_the_history_lists_status_changes_and_attempts_with_who(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    referral = network["referral"]
    ContactAttempt.objects.create(
        referral=referral, by=network["intake"], method="phone", outcome="voicemail", note="vm 1"
    )
    change_status(
        by=network["intake"], referral_id=referral.pk, to="withdrawn", reason="Moved away"
    )
    html = (
        login(client, network["intake"])
        .get(reverse("referrals:detail", kwargs={"referral_id": referral.pk}))
        .content.decode()
    )
    assert "Contact attempt (Phone): Left a message" in html and "vm 1" in html
    assert "Status: Withdrawn" in html and "Moved away" in html
    assert html.count(str(network["intake"])) >= 2
    assert html.index("Left a message") < html.index("Status: Withdrawn")


def test_a_self_referrals_booked_call_shows_in_the_clinics_time(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    vancouver = network["vancouver"]
    coordinator = UserFactory(role=Role.INTAKE, clinics=[vancouver], full_name="Coord Van")
    referral = ReferralFactory(clinic=vancouver, referrer=None, channel="self", province="BC")
    starts = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)  # 19:30 PDT on 9 March; 22:30 in Toronto
    IntakeSlot.objects.create(
        clinic=vancouver,
        coordinator=coordinator,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        referral=referral,
    )
    html = (
        login(client, coordinator)
        .get(reverse("referrals:detail", kwargs={"referral_id": referral.pk}))
        .content.decode()
    )
    assert "Mon 2026-03-09 19:30 Pacific time (Coord Van)" in html
    assert "22:30" not in html and "2026-03-10" not in html  # Toronto's time and date


@pytest.mark.parametrize("attachments", [0, 5])
def test_the_referral_page_query_count_is_pinned(
    attachments: int,
    network: dict[str, Any],
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    referral = network["referral"]
    for n in range(attachments):
        attach(referral, f"page-{n}.pdf", PDF)
    for _ in range(attachments):
        ContactAttempt.objects.create(
            referral=referral, by=network["intake"], method="phone", outcome="no_answer"
        )
    client = login(client, network["intake"])
    page = reverse("referrals:detail", kwargs={"referral_id": referral.pk})
    with django_assert_num_queries(8):
        response = client.get(page)
    assert response.status_code == 200


def test_an_attachment_whose_file_is_gone_is_not_found_not_a_crash(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    lost = attach(network["referral"], "lost.pdf", PDF)
    lost.file.storage.delete(lost.file.name)
    response = login(client, network["intake"]).get(url(network["referral"], lost))
    assert response.status_code == 404


def test_the_page_names_the_clinics_time_zone_in_words_in_french(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    referral = network["referral"]
    intake = network["intake"]
    intake.language = "fr"
    intake.save(update_fields=["language"])
    html = (
        login(client, intake)
        .get(reverse("referrals:detail", kwargs={"referral_id": referral.pk}))
        .content.decode()
    )
    assert "America/Toronto" not in html and "America/Vancouver" not in html
    assert "heure de l\u2019Est" in html or "heure du Pacifique" in html


def test_a_zone_without_a_label_reads_as_the_clinics_city() -> None:
    from kapclinic.clinics.models import zone_label

    assert zone_label("America/Toronto") == "Eastern time"
    assert zone_label("America/Halifax", "Halifax") == "Halifax time"
