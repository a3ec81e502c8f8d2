"""A patient's request for a copy: the privacy officer approves, the patient downloads for a
while; a recording with other people in it needs their review first."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.recordings import requests
from kapclinic.recordings.errors import RecordingError
from kapclinic.recordings.models import AccessRequest, AccessRequestStatus
from tests.recordings.conftest import flip_byte, store


def test_request_approve_download(
    ready: dict[str, Any], session: Any, client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    store(ready["nurse"], session, b"my session")
    login(client, ready["patient_user"])
    with django_assert_num_queries(6):
        page = client.get(reverse("recordings:mine"))
    assert "Ask for a copy" in page.text
    recording_id = session.recordings.get().pk
    client.post(reverse("recordings:ask", args=[recording_id]))
    asked = AccessRequest.objects.get()
    login(client, ready["privacy_officer"])
    with django_assert_num_queries(4):
        assert client.get(reverse("recordings:requests")).status_code == 200
    client.post(reverse("recordings:requests"), {"request_id": asked.pk, "approve": "1"})
    asked.refresh_from_db()
    assert asked.status == AccessRequestStatus.APPROVED
    login(client, ready["patient_user"])
    download = client.get(reverse("recordings:download", args=[asked.grant.token]))
    assert b"".join(download.streaming_content) == b"my session"
    assert "attachment" in download["Content-Disposition"]


def test_other_people_in_it_are_reviewed_before_release(
    ready: dict[str, Any], session: Any
) -> None:
    recording = store(ready["nurse"], session, b"x", third_parties_present=True)
    asked = requests.request_copy(by=ready["patient_user"], recording_id=recording.pk)
    with pytest.raises(RecordingError, match="reviewed and severed"):
        requests.decide(by=ready["privacy_officer"], request_id=asked.pk, approve=True)
    done = requests.decide(
        by=ready["privacy_officer"], request_id=asked.pk, approve=True, others_reviewed=True
    )
    assert done.grant is not None and done.grant.for_patient


def test_a_tampered_copy_is_refused_to_the_patient_with_a_409_naming_it(
    ready: dict[str, Any], session: Any, client: Any, login: Any
) -> None:
    recording = store(ready["nurse"], session, b"my session")
    login(client, ready["patient_user"])
    client.post(reverse("recordings:ask", args=[recording.pk]))
    asked = AccessRequest.objects.get()
    login(client, ready["privacy_officer"])
    client.post(reverse("recordings:requests"), {"request_id": asked.pk, "approve": "1"})
    asked.refresh_from_db()
    flip_byte(recording, 40)
    login(client, ready["patient_user"])
    download = client.get(reverse("recordings:download", args=[asked.grant.token]))
    assert download.status_code == 409  # not a 500, and not garbage handed over
    assert str(recording.uid) in download.text
