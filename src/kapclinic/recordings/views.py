"""Recording pages: a session's recordings and the upload, the reason form, the player, the
byte-range stream. Uploads speak JSON to the upload script; pages are server-rendered."""

import mimetypes

from django.contrib import messages
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.accounts.http import AuthedRequest
from kapclinic.dosing.access import access_session
from kapclinic.errors import DomainError, NotFound, NotPermitted, found_or_404
from kapclinic.recordings import capture, playback, requests, retention, selectors
from kapclinic.recordings.access import (
    CAPTURE_ROLES,
    PLAYBACK_ROLES,
    find_recording,
    playback_role,
)
from kapclinic.recordings.errors import NoConsent, StorageUnavailable, TamperedRecording
from kapclinic.recordings.forms import DecisionForm, HoldForm, ReasonForm
from kapclinic.recordings.models import PlaybackGrant, Status


def index(request: AuthedRequest) -> HttpResponse:
    recordings = selectors.recent(by=request.user)
    return render(request, "recordings/index.html", {"recordings": recordings})


def session_recordings(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = found_or_404(access_session, by=request.user, session_id=session_id)
    try:
        capture.require_consent(session)
    except NoConsent as error:
        refused = error.message  # said before a file is chosen, not after it is sent
    else:
        refused = ""
    context = {
        "session": session,
        "refused": refused,
        "recordings": selectors.of_session(by=request.user, session=session),
        "may_record": request.user.role in CAPTURE_ROLES,
        # Nurses record but do not play: no link to a page that would refuse them.
        "may_open": request.user.role in PLAYBACK_ROLES,
    }
    return render(request, "recordings/session.html", context)


def _json_error(error: DomainError, status: int = 409) -> JsonResponse:
    return JsonResponse({"error": error.message, **error.params}, status=status)


@require_POST
def upload_start(request: AuthedRequest, session_id: int) -> JsonResponse:
    session = found_or_404(access_session, by=request.user, session_id=session_id)
    try:
        recording = capture.start_upload(
            by=request.user,
            session=session,
            original_name=request.POST.get("name", ""),
            content_type=request.POST.get("type", "") or "video/mp4",
            third_parties_present=request.POST.get("third_parties") == "1",
        )
    except NotPermitted as error:
        return _json_error(error, 403)
    except DomainError as error:
        return _json_error(error)
    return JsonResponse(
        {"id": recording.pk, "received": 0, "segment": recording.segment_size}, status=201
    )


@require_POST
def upload_chunk(request: AuthedRequest, recording_id: int) -> JsonResponse:
    """The body is the raw chunk, read as a stream (never loaded whole)."""
    try:
        offset = int(request.GET.get("offset", ""))
    except ValueError:
        return JsonResponse({"error": "offset"}, status=400)
    try:
        recording = capture.receive_chunk(
            by=request.user,
            recording_id=recording_id,
            offset=offset,
            source=request,  # type: ignore[arg-type]
            final=request.GET.get("final") == "1",
        )
    except NotPermitted as error:
        return _json_error(error, 403)
    except DomainError as error:
        return _json_error(error, 503 if isinstance(error, StorageUnavailable) else 409)
    if recording.status == Status.AVAILABLE:
        # The page reloads to list the recording, and says so (upload.js).
        messages.success(request, _("The recording is stored."))
    return JsonResponse(
        {"id": recording.pk, "received": recording.received, "status": recording.status}
    )


@require_POST
def upload_discard(request: AuthedRequest, recording_id: int) -> JsonResponse:
    try:
        capture.discard_upload(by=request.user, recording_id=recording_id)
    except DomainError as error:
        return _json_error(error)
    return JsonResponse({"id": recording_id, "status": "discarded"})


def recording(request: AuthedRequest, recording_id: int) -> HttpResponse:
    """The reason form; a stated reason opens the player. An attempt on a recording the user
    may not reach is audited (a 404 that says nothing of whether it exists)."""
    try:
        found = find_recording(by=request.user, recording_id=recording_id)
    except NotFound as error:
        playback.refused_unseen(by=request.user, recording_id=recording_id)
        raise Http404(str(error)) from None
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = playback.open_recording(
                by=request.user, recording=found, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error("reason", error.message)
        else:
            return redirect("recordings:player", token=grant.token)
    context = {
        "recording": found,
        "form": form,
        "may_play": playback_role(request.user, found) is not None,
        "hold_form": HoldForm(initial={"hold": found.legal_hold}),
    }
    return render(request, "recordings/recording.html", context, status=400 if form.errors else 200)


def player(request: AuthedRequest, token: str) -> HttpResponse:
    grant = found_or_404(playback.valid_grant, by=request.user, token=token)
    return render(request, "recordings/player.html", {"grant": grant})


def stream(request: AuthedRequest, token: str) -> HttpResponseBase:
    """The decrypted bytes asked for (HTTP range); a failed check is a 409 naming the recording."""
    grant = found_or_404(playback.valid_grant, by=request.user, token=token)
    download = request.GET.get("download") == "1"
    return _decrypted(request, grant, ranged=request.headers.get("Range", ""), download=download)


def _decrypted(
    request: AuthedRequest, grant: PlaybackGrant, *, ranged: str = "", download: bool
) -> HttpResponseBase:
    """Stream the grant's bytes; the first segment is authenticated before anything is sent,
    so a tampered recording is a 409 that names it, never a 500 or garbage played."""
    try:
        part = playback.read(by=request.user, grant=grant, byte_range=ranged, download=download)
    except TamperedRecording as error:
        return HttpResponse(error.message, status=409, content_type="text/plain; charset=utf-8")
    except DomainError as error:
        return HttpResponse(error.message, status=416, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        part.chunks, status=206 if ranged else 200, content_type=part.recording.content_type
    )
    response["Accept-Ranges"] = "bytes"
    response["Content-Length"] = str(part.length)
    response["Cache-Control"] = "no-store"
    if ranged:
        response["Content-Range"] = f"bytes {part.start}-{part.end}/{part.recording.plain_size}"
    if download:
        extension = mimetypes.guess_extension(part.recording.content_type) or ".mp4"
        response["Content-Disposition"] = (
            f'attachment; filename="recording-{part.recording.uid}{extension}"'
        )
    return response


@require_POST
def legal_hold(request: AuthedRequest, recording_id: int) -> HttpResponse:
    found = found_or_404(find_recording, by=request.user, recording_id=recording_id)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("recordings:recording", recording_id=found.pk)
    try:
        retention.set_legal_hold(
            by=request.user,
            recording=found,
            hold=form.cleaned_data["hold"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("recordings:recording", recording_id=found.pk)


def my_recordings(request: AuthedRequest) -> HttpResponse:
    recordings = requests.own_recordings(by=request.user)
    now = timezone.now()
    rows = []
    for found in recordings:
        asked = sorted(found.requests.all(), key=lambda r: r.requested_at)
        latest = asked[-1] if asked else None
        grant = latest.grant if latest is not None else None
        live = grant is not None and grant.expires_at > now
        rows.append({"recording": found, "request": latest, "grant": grant if live else None})
    return render(request, "recordings/mine.html", {"rows": rows})


@require_POST
def ask_copy(request: AuthedRequest, recording_id: int) -> HttpResponse:
    try:
        requests.request_copy(by=request.user, recording_id=recording_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request was sent to the privacy officer."))
    return redirect("recordings:mine")


def my_download(request: AuthedRequest, token: str) -> HttpResponseBase:
    grant = found_or_404(playback.valid_grant, by=request.user, token=token)
    if not grant.for_patient:
        raise Http404
    return _decrypted(request, grant, download=True)


def access_requests(request: AuthedRequest) -> HttpResponse:
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            requests.decide(
                by=request.user,
                request_id=data["request_id"],
                approve=data["approve"],
                note=data["note"],
                others_reviewed=data["others_reviewed"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("recordings:requests")
    pending = requests.pending(by=request.user)
    return render(request, "recordings/requests.html", {"pending": pending})
