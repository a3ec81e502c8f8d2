"""The letter screens: what each role sees, the refusals shown, and each screen's query count."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.sharedcare import services
from kapclinic.sharedcare.models import Letter, LetterKind, LetterStatus
from tests.factories import ReferrerFactory
from tests.sharedcare.conftest import share_consent

pytestmark = pytest.mark.django_db


def _letters_url(people: dict[str, Any]) -> str:
    return reverse("sharedcare:letters", kwargs={"patient_id": people["patient_a"].pk})


def _released(people: dict[str, Any]) -> Letter:
    share_consent(people["patient_a"], people["physician"])
    letter = services.draft_letter(
        by=people["physician"], patient=people["patient_a"], kind=LetterKind.PROGRESS
    )
    return services.release_letter(by=people["physician"], letter_id=letter.pk)


def test_drafting_without_consent_shows_why(
    client: Any, login: Any, referred: dict[str, Any]
) -> None:
    login(client, referred["physician"])
    page = client.get(_letters_url(referred)).content.decode()
    assert "only the acknowledgement of receipt can be sent" in page
    response = client.post(_letters_url(referred), {"kind": "progress", "note": ""})
    assert response.status_code == 200
    assert "has not consented to share information" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_physician_drafts_and_releases(client: Any, login: Any, referred: dict[str, Any]) -> None:
    share_consent(referred["patient_a"], referred["physician"])
    login(client, referred["physician"])
    response = client.post(_letters_url(referred), {"kind": "progress", "note": "Doing well."})
    letter = Letter.objects.get()
    kwargs = {"patient_id": referred["patient_a"].pk, "letter_id": letter.pk}
    assert response["Location"] == reverse("sharedcare:letter", kwargs=kwargs)
    preview = client.get(reverse("sharedcare:pdf", kwargs=kwargs))
    assert preview["Content-Type"] == "application/pdf"
    client.post(reverse("sharedcare:release", kwargs=kwargs))
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RELEASED
    page = client.get(reverse("sharedcare:letter", kwargs=kwargs)).content.decode()
    assert "Referrer portal" in page and "Available in the portal" in page


def test_a_nurse_reads_letters_but_does_not_release(
    client: Any, login: Any, referred: dict[str, Any]
) -> None:
    share_consent(referred["patient_a"], referred["physician"])
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.PROGRESS
    )
    login(client, referred["nurse"])
    kwargs = {"patient_id": referred["patient_a"].pk, "letter_id": letter.pk}
    assert client.get(reverse("sharedcare:letter", kwargs=kwargs)).status_code == 200
    assert client.post(reverse("sharedcare:release", kwargs=kwargs)).status_code == 403


def test_the_referrer_sees_and_downloads_only_their_letters(
    client: Any, login: Any, referred: dict[str, Any]
) -> None:
    letter = _released(referred)
    login(client, referred["referrer"])
    page = client.get(reverse("sharedcare:referrer_letters")).content.decode()
    assert "Progress report" in page
    download = client.get(reverse("sharedcare:referrer_pdf", kwargs={"letter_id": letter.pk}))
    assert download.content == bytes(letter.pdf)
    other = ReferrerFactory()
    login(client, other.user)
    assert (
        "Progress report" not in client.get(reverse("sharedcare:referrer_letters")).content.decode()
    )
    url = reverse("sharedcare:referrer_pdf", kwargs={"letter_id": letter.pk})
    assert client.get(url).status_code == 404


def test_query_counts(
    client: Any, login: Any, referred: dict[str, Any], django_assert_num_queries: Any
) -> None:
    letter = _released(referred)
    services.correct_letter(by=referred["physician"], letter=letter, note="Fix")
    login(client, referred["physician"])
    kwargs = {"patient_id": referred["patient_a"].pk, "letter_id": letter.pk}
    with django_assert_num_queries(7):
        assert client.get(_letters_url(referred)).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(reverse("sharedcare:letter", kwargs=kwargs)).status_code == 200
    login(client, referred["referrer"])
    with django_assert_num_queries(3):
        assert client.get(reverse("sharedcare:referrer_letters")).status_code == 200


def test_a_released_letter_is_corrected_once_with_a_note(
    client: Any, login: Any, referred: dict[str, Any]
) -> None:
    letter = _released(referred)
    kwargs = {"patient_id": referred["patient_a"].pk, "letter_id": letter.pk}
    url = reverse("sharedcare:correct", kwargs=kwargs)
    login(client, referred["physician"])
    refused = client.post(url, {"note": ""}, follow=True)
    assert "Write the corrected note." in refused.text
    assert Letter.objects.count() == 1
    page = client.post(url, {"note": "The PHQ-9 was 12, not 21."}, follow=True)
    assert "Correction drafted as a new version." in page.text
    assert Letter.objects.count() == 2
    again = client.post(url, {"note": "Another"}, follow=True)
    assert "A correction of this letter is already drafted." in again.text
    assert Letter.objects.count() == 2


def test_discharge_drafts_the_summary_and_needs_a_note(
    client: Any, login: Any, referred: dict[str, Any]
) -> None:
    from kapclinic.care.models import Enrolment

    patient = referred["patient_a"]
    share_consent(patient, referred["physician"])
    url = reverse("sharedcare:discharge", kwargs={"patient_id": patient.pk})
    assert login(client, referred["nurse"]).post(url, {"note": "x"}).status_code == 403
    login(client, referred["physician"])
    refused = client.post(url, {"note": ""}, follow=True)
    assert "Write the discharge summary for the referrer." in refused.text
    assert Enrolment.objects.get(patient=patient).stage == "integrate"
    page = client.post(url, {"note": "Completed the program; PHQ-9 now 8."}, follow=True)
    assert "Discharged. The summary letter is drafted: release it." in page.text
    assert Enrolment.objects.get(patient=patient).stage == "discharged"
    assert Letter.objects.get(kind=LetterKind.DISCHARGE).status == LetterStatus.DRAFT


def test_the_draft_button_is_a_verb_in_french(
    client: Any, login: Any, referred: dict[str, Any]
) -> None:
    physician = referred["physician"]
    physician.language = "fr"
    physician.save()
    page = login(client, physician).get(_letters_url(referred)).text
    assert '<button type="submit">Rédiger le brouillon</button>' in page
