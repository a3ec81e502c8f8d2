from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import Role
from kapclinic.recordings import views
from kapclinic.recordings.access import CAPTURE_ROLES, PLAYBACK_ROLES, PRIVACY_ROLES

app_name = "recordings"
CAPTURE = allow(CAPTURE_ROLES)
PLAY = allow(PLAYBACK_ROLES)
PATIENT = allow(frozenset({Role.PATIENT}))

urlpatterns = [
    route("recordings/", views.index, name="index", policy=PLAY),
    route(
        "sessions/<int:session_id>/recordings/",
        views.session_recordings,
        name="session",
        policy=allow(CAPTURE_ROLES | PLAYBACK_ROLES),
    ),
    route(
        "sessions/<int:session_id>/recordings/upload/",
        views.upload_start,
        name="upload_start",
        policy=CAPTURE,
    ),
    route("uploads/<int:recording_id>/chunk/", views.upload_chunk, name="chunk", policy=CAPTURE),
    route(
        "uploads/<int:recording_id>/discard/", views.upload_discard, name="discard", policy=CAPTURE
    ),
    route("recordings/<int:recording_id>/", views.recording, name="recording", policy=PLAY),
    route("recordings/play/<str:token>/", views.player, name="player", policy=PLAY),
    route("recordings/stream/<str:token>/", views.stream, name="stream", policy=PLAY),
    route("my/recordings/", views.my_recordings, name="mine", policy=PATIENT),
    route("my/recordings/<int:recording_id>/ask/", views.ask_copy, name="ask", policy=PATIENT),
    route("my/recordings/<str:token>/", views.my_download, name="download", policy=PATIENT),
    route(
        "recordings/requests/",
        views.access_requests,
        name="requests",
        policy=allow(PRIVACY_ROLES),
    ),
    route(
        "recordings/<int:recording_id>/legal-hold/",
        views.legal_hold,
        name="legal_hold",
        policy=allow(PRIVACY_ROLES),
    ),
]
