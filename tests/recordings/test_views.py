"""The recording screens: who reaches them, the reason form, range requests, the upload API.
Each screen pins its query count."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.recordings.models import PlaybackGrant, Recording, Status
from tests.recordings.conftest import SEGMENT, flip_byte, store, video


@pytest.fixture
def stored(ready: dict[str, Any], session: Any) -> Recording:
    return store(ready["nurse"], session, video(4 * SEGMENT + 10))


def test_the_list_and_the_session_page(
    ready: dict[str, Any],
    stored: Recording,
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    login(client, ready["physician"])
    with django_assert_num_queries(4):
        response = client.get(reverse("recordings:index"))
    assert response.status_code == 200
    assert reverse("recordings:recording", args=[stored.pk]) in response.text
    with django_assert_num_queries(6):  # + the recording consent, checked before any upload
        response = client.get(reverse("recordings:session", args=[stored.session_id]))
    assert response.status_code == 200
    assert "recording-upload" in response.text


def test_a_reason_opens_the_player_and_seeks_decrypt_the_range(
    ready: dict[str, Any],
    stored: Recording,
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    login(client, ready["physician"])
    url = reverse("recordings:recording", args=[stored.pk])
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "no"})
    assert response.status_code == 400
    assert "State why" in response.text
    response = client.post(url, {"reason": "Adverse event review"})
    grant = PlaybackGrant.objects.get()
    assert response.url == reverse("recordings:player", args=[grant.token])
    with django_assert_num_queries(3):
        page = client.get(response.url)
    assert reverse("recordings:stream", args=[grant.token]) in page.text
    stream = reverse("recordings:stream", args=[grant.token])
    part = client.get(stream, HTTP_RANGE=f"bytes={3 * SEGMENT}-")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes {3 * SEGMENT}-{4 * SEGMENT + 9}/{4 * SEGMENT + 10}"
    assert b"".join(part.streaming_content) == video(4 * SEGMENT + 10)[3 * SEGMENT :]
    reads = AuditEvent.objects.filter(
        actor=ready["physician"], action=Action.READ, object_type="recordings.recording"
    )
    assert reads.count() == 2
    assert {e.reason for e in reads} == {"Adverse event review"}


def test_staff_outside_the_policy_are_refused_and_audited(
    ready: dict[str, Any], stored: Recording, client: Any, login: Any
) -> None:
    login(client, ready["therapist_2"])
    response = client.get(reverse("recordings:recording", args=[stored.pk]))
    assert response.status_code == 404
    login(client, ready["nurse"])
    assert client.get(reverse("recordings:index")).status_code == 403


def test_a_tampered_recording_is_a_409_naming_it(
    ready: dict[str, Any], stored: Recording, client: Any, login: Any
) -> None:
    flip_byte(stored, 100)
    login(client, ready["physician"])
    client.post(reverse("recordings:recording", args=[stored.pk]), {"reason": "Checking it out"})
    grant = PlaybackGrant.objects.get()
    response = client.get(reverse("recordings:stream", args=[grant.token]))
    assert response.status_code == 409
    assert str(stored.uid) in response.text


def test_the_chunked_upload_api(
    ready: dict[str, Any], session: Any, client: Any, login: Any
) -> None:
    login(client, ready["nurse"])
    start = client.post(reverse("recordings:upload_start", args=[session.pk]), {"name": "a.mp4"})
    assert start.status_code == 201
    upload = start.json()
    data = video(3 * SEGMENT + 1)
    chunk = reverse("recordings:chunk", args=[upload["id"]])
    first = client.post(
        f"{chunk}?offset=0&final=0", data[: 2 * SEGMENT], content_type="application/octet-stream"
    )
    assert first.json()["received"] == 2 * SEGMENT
    wrong = client.post(f"{chunk}?offset=0&final=1", data, content_type="application/octet-stream")
    assert wrong.status_code == 409
    assert wrong.json()["expected"] == 2 * SEGMENT
    last = client.post(
        f"{chunk}?offset={2 * SEGMENT}&final=1",
        data[2 * SEGMENT :],
        content_type="application/octet-stream",
    )
    assert last.json()["status"] == Status.AVAILABLE


def test_no_consent_is_a_clear_refusal(
    ready: dict[str, Any], session: Any, client: Any, login: Any
) -> None:
    from kapclinic.care.services import withdraw_consent

    withdraw_consent(by=ready["nurse"], consent=ready["recording_consent"], reason="Withdrawn")
    login(client, ready["nurse"])
    response = client.post(reverse("recordings:upload_start", args=[session.pk]))
    assert response.status_code == 409
    assert "no valid consent to recording" in response.json()["error"]


def test_the_privacy_officer_places_a_legal_hold(
    ready: dict[str, Any], stored: Recording, client: Any, login: Any
) -> None:
    login(client, ready["privacy_officer"])
    response = client.post(
        reverse("recordings:legal_hold", args=[stored.pk]), {"hold": "on", "reason": "Claim 7"}
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.legal_hold


def test_a_nurse_sees_the_recording_without_a_link_she_may_not_follow(
    ready: dict[str, Any], stored: Recording, client: Any, login: Any
) -> None:
    """Nurses record but do not play: the session page names the recording without a link
    that would end on a refusal, and leads back to the session."""
    login(client, ready["nurse"])
    response = client.get(reverse("recordings:session", args=[stored.session_id]))
    assert response.status_code == 200
    assert reverse("recordings:recording", args=[stored.pk]) not in response.text
    assert reverse("dosing:session", args=[stored.session_id]) in response.text


def test_an_attempt_on_a_recording_out_of_reach_is_audited(
    ready: dict[str, Any], stored: Recording, client: Any, login: Any
) -> None:
    login(client, ready["therapist_2"])
    response = client.get(reverse("recordings:recording", args=[stored.pk]))
    assert response.status_code == 404
    refused = AuditEvent.objects.get(actor=ready["therapist_2"], action=Action.DENIED)
    assert refused.detail["recording_id"] == stored.pk
    assert refused.patient_id is None  # a 404 tells nothing of whose recording it is


def test_the_player_leads_back_and_the_audit_names_recordings_in_french(
    ready: dict[str, Any], stored: Recording, client: Any, login: Any
) -> None:
    login(client, ready["physician"])
    url = reverse("recordings:recording", args=[stored.pk])
    player = client.post(url, {"reason": "Adverse event review"}, follow=True)
    assert f'href="{url}"' in player.text
    officer = ready["privacy_officer"]
    officer.language = "fr"
    officer.save(update_fields=["language"])
    login(client, officer)
    page = client.get(reverse("audit:search") + f"?patient={stored.patient_id}")
    assert "Enregistrement #" in page.text
    assert "Recording #" not in page.text


def test_without_consent_the_session_page_says_so_before_any_file_is_chosen(
    ready: dict[str, Any], session: Any, client: Any, login: Any
) -> None:
    from kapclinic.care.services import withdraw_consent

    withdraw_consent(by=ready["nurse"], consent=ready["recording_consent"], reason="Withdrawn")
    login(client, ready["nurse"])
    response = client.get(reverse("recordings:session", args=[session.pk]))
    assert response.status_code == 200
    assert "no valid consent to recording" in response.text
    assert "recording-upload" not in response.text
    assert reverse("care:consents", args=[session.patient_id]) in response.text


def test_an_upload_is_discarded_over_http_and_another_users_refused(
    ready: dict[str, Any], session: Any, client: Any, login: Any
) -> None:
    login(client, ready["nurse"])
    start = client.post(reverse("recordings:upload_start", args=[session.pk]), {"name": "a.mp4"})
    upload = start.json()
    discard = reverse("recordings:discard", args=[upload["id"]])
    refused = login(client, ready["billing"]).post(discard)
    assert refused.status_code in (403, 404)
    assert Recording.objects.get(pk=upload["id"]).status != Status.DISCARDED
    response = login(client, ready["nurse"]).post(discard)
    assert response.json() == {"id": upload["id"], "status": "discarded"}
    assert Recording.objects.get(pk=upload["id"]).status == Status.DISCARDED
