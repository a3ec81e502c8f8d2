"""A physician opens a session recording, states a reason, plays it and seeks; the audit
trail shows the opening and the range reads with that reason."""

import base64
from io import BytesIO
from typing import Any

import pytest

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.recordings import capture
from tests.dosing.conftest import checked_in, ready  # noqa: F401 (the fixture)
from tests.e2e.conftest import sign_in
from tests.recordings.conftest import recordings_settings  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

# A few seconds of WebM made by Chromium itself (canvas + MediaRecorder): no video file in git.
MAKE_WEBM = """async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 160; canvas.height = 120;
  const context = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(25), {mimeType: "video/webm"});
  const parts = [];
  recorder.ondataavailable = (event) => parts.push(event.data);
  let frame = 0;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${(frame * 9) % 360}, 70%, 50%)`;
    context.fillRect(0, 0, 160, 120);
    frame += 1;
  }, 40);
  recorder.start(200);
  await new Promise((resolve) => setTimeout(resolve, 4000));
  recorder.stop();
  await new Promise((resolve) => (recorder.onstop = resolve));
  clearInterval(timer);
  const buffer = await new Blob(parts, {type: "video/webm"}).arrayBuffer();
  let binary = "";
  new Uint8Array(buffer).forEach((byte) => (binary += String.fromCharCode(byte)));
  return btoa(binary);
}"""


def test_a_physician_states_a_reason_plays_and_seeks(
    live_server: Any,
    browser: Any,
    ready: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.RECORDINGS_SEGMENT_BYTES = 4096  # many segments, so a seek reads only some
    page = browser.new_context(locale="en-CA").new_page()
    page.set_default_timeout(20_000)
    page.goto("about:blank")
    webm = base64.b64decode(page.evaluate(MAKE_WEBM))
    session = checked_in(ready)
    recording = capture.start_upload(by=ready["nurse"], session=session, content_type="video/webm")
    capture.receive_chunk(
        by=ready["nurse"], recording_id=recording.pk, offset=0, source=BytesIO(webm), final=True
    )

    doctor = ready["physician"]
    sign_in(page, live_server.url, doctor.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recordings").click()
    page.get_by_role("link", name="Open").click()
    page.get_by_label("Why are you opening this recording?").fill("Review of the adverse event")
    page.get_by_role("button", name="Open the recording").click()

    video = page.locator("#recording-player")
    video.wait_for()
    page.wait_for_function("() => document.querySelector('#recording-player').readyState >= 1")
    page.evaluate("document.querySelector('#recording-player').muted = true")
    page.evaluate("document.querySelector('#recording-player').play()")
    page.wait_for_function("() => document.querySelector('#recording-player').currentTime > 0.3")
    page.evaluate(
        """() => new Promise((resolve) => {
            const v = document.querySelector('#recording-player');
            v.addEventListener('seeked', resolve, {once: true});
            v.currentTime = 3;
        })"""
    )
    assert page.evaluate("document.querySelector('#recording-player').currentTime") >= 2.9
    assert page.evaluate("document.querySelector('#recording-player').error") is None

    events = AuditEvent.objects.filter(
        actor=doctor, object_type="recordings.recording", object_id=str(recording.pk)
    )
    opened = events.filter(detail__opened_as="treating_physician")
    assert opened.count() == 1
    assert opened.get().reason == "Review of the adverse event"
    reads = events.filter(action=Action.READ, detail__has_key="bytes")
    assert reads.exists()
    assert {e.reason for e in reads} == {"Review of the adverse event"}

    # The privacy officer sees it in the audit trail.
    officer = browser.new_context(locale="en-CA").new_page()
    sign_in(officer, live_server.url, ready["privacy_officer"].email)
    officer.goto(f"{live_server.url}/audit/?patient={session.patient_id}")
    assert "Review of the adverse event" in officer.content()


def test_a_nurse_uploads_a_recording_and_sees_it_listed(
    live_server: Any,
    browser: Any,
    ready: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.RECORDINGS_SEGMENT_BYTES = 4096
    page = browser.new_context(locale="en-CA").new_page()
    page.set_default_timeout(20_000)
    page.goto("about:blank")
    webm = base64.b64decode(page.evaluate(MAKE_WEBM))
    session = checked_in(ready)
    sign_in(page, live_server.url, ready["nurse"].email)
    page.goto(f"{live_server.url}/sessions/{session.pk}/recordings/")
    assert page.get_by_text("This session has no recording.").is_visible()
    page.get_by_label("Video file").set_input_files(
        {"name": "session-1.webm", "mimeType": "video/webm", "buffer": webm}
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The recording is stored.").first.wait_for()
    page.get_by_role("listitem").filter(has_text="session-1.webm").wait_for()
    assert page.get_by_text("This session has no recording.").count() == 0
