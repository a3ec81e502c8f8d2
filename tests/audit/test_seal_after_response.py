"""A request's audit events are chained once, after its response is sent; elsewhere at commit."""

import io
from collections.abc import Iterator
from typing import Any
from wsgiref.util import FileWrapper, setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory, override_settings

from kapclinic.accounts.policy import PUBLIC, route
from kapclinic.audit import middleware
from kapclinic.audit.middleware import RequestContextMiddleware
from kapclinic.audit.models import Action, AuditEvent
from kapclinic.audit.services import record_event

# What the server did, in order: "headers", each body chunk sent, "seal".
timeline: list[str] = []


def unsealed() -> int:
    return AuditEvent.objects.filter(seal__isnull=True).count()


def write_two_events() -> None:
    record_event(actor=None, action=Action.READ, detail={"n": 1})
    record_event(actor=None, action=Action.READ, detail={"n": 2})


def page_writing_two_events(request: HttpRequest) -> HttpResponse:
    write_two_events()
    return HttpResponse("page")


def stream_writing_two_events(request: HttpRequest) -> StreamingHttpResponse:
    write_two_events()

    def body() -> Iterator[bytes]:
        for chunk in (b"first,", b"second"):
            timeline.append(f"produced {chunk!r}")
            yield chunk

    return StreamingHttpResponse(body(), content_type="text/plain")


def file_writing_two_events(request: HttpRequest) -> FileResponse:
    write_two_events()
    return FileResponse(io.BytesIO(b"a document"), content_type="application/pdf")


urlpatterns = [
    route("page/", page_writing_two_events, name="page", policy=PUBLIC),
    route("stream/", stream_writing_two_events, name="stream", policy=PUBLIC),
    route("file/", file_writing_two_events, name="file", policy=PUBLIC),
]


@pytest.fixture
def watched_seal(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Note in the timeline when the middleware seals (and still seal)."""
    timeline.clear()
    seal = middleware.seal_recent

    def noted() -> None:
        timeline.append(f"seal ({unsealed()} unsealed)")
        seal()

    monkeypatch.setattr(middleware, "seal_recent", noted)
    return timeline


def serve(path: str) -> list[str]:
    """Serve `path` as a WSGI server does: start the response, send the body, close it."""
    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "https",
        "wsgi.file_wrapper": FileWrapper,
    }
    setup_testing_defaults(environ)

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        timeline.append(f"headers {status}")

    body = WSGIHandler()(environ, start_response)
    try:
        for chunk in body:
            timeline.append(f"sent {chunk!r}")
    finally:
        body.close()
    return timeline


def test_a_requests_events_are_sealed_when_its_response_is_closed(transactional_db: None) -> None:
    response = RequestContextMiddleware(page_writing_two_events)(RequestFactory().get("/"))
    assert unsealed() == 2  # stored and committed, the reader not kept waiting for the chain
    response.close()  # what the server does once the response is sent
    assert unsealed() == 0


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("path", ["/page/", "/stream/", "/file/"])
def test_the_seal_comes_after_the_last_byte_of_the_body(
    path: str, transactional_db: None, watched_seal: list[str]
) -> None:
    served = serve(path)
    assert served[0] == "headers 200 OK"
    assert served[-1] == "seal (2 unsealed)"
    sent = [entry for entry in served if entry.startswith("sent ")]
    assert sent and served.index(sent[-1]) < served.index("seal (2 unsealed)")
    assert served.count("seal (2 unsealed)") == 1
    assert unsealed() == 0


@override_settings(ROOT_URLCONF=__name__)
def test_a_stream_is_sealed_once_the_client_has_read_it_all(
    transactional_db: None, watched_seal: list[str]
) -> None:
    response = Client().get("/stream/")
    assert unsealed() == 2 and watched_seal == []
    assert b"".join(response.streaming_content) == b"first,second"  # type: ignore[attr-defined]
    assert watched_seal == ["produced b'first,'", "produced b'second'", "seal (2 unsealed)"]
    assert unsealed() == 0


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("path", ["/page/", "/file/"])
def test_in_the_test_client_a_requests_events_are_sealed_by_the_end_of_it(
    path: str, transactional_db: None, watched_seal: list[str]
) -> None:
    response = Client().get(path)
    assert response.status_code == 200 and response.getvalue()  # a file is read to its end
    assert watched_seal == ["seal (2 unsealed)"]
    assert unsealed() == 0


@override_settings(ROOT_URLCONF=__name__)
def test_a_request_without_events_does_not_seal(
    transactional_db: None, watched_seal: list[str]
) -> None:
    response = RequestContextMiddleware(lambda request: HttpResponse("quiet"))(
        RequestFactory().get("/")
    )
    response.close()
    assert watched_seal == []


@override_settings(ROOT_URLCONF=__name__)
def test_a_failed_seal_loses_no_event_the_next_request_seals_them(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lock_busy(**kwargs: Any) -> int:
        raise RuntimeError("seal lock unavailable")

    monkeypatch.setattr("kapclinic.audit.services.seal_pending", lock_busy)
    assert Client().get("/page/").status_code == 200
    assert unsealed() == 2  # stored, unsealed: the failure is logged, the reader sees the page
    monkeypatch.undo()
    assert Client().get("/page/").status_code == 200
    assert unsealed() == 0


def test_a_request_that_raises_still_seals_its_events(transactional_db: None) -> None:
    def failing(request: HttpRequest) -> HttpResponse:
        record_event(actor=None, action=Action.READ)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        RequestContextMiddleware(failing)(RequestFactory().get("/"))
    assert unsealed() == 0


def test_outside_a_request_an_event_is_sealed_at_commit(transactional_db: None) -> None:
    record_event(actor=None, action=Action.READ)
    assert unsealed() == 0
