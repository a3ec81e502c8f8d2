"""A request's audit events are chained once, after its response is sent; elsewhere at commit."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kapclinic.audit.middleware import RequestContextMiddleware
from kapclinic.audit.models import Action, AuditEvent
from kapclinic.audit.services import record_event


def unsealed() -> int:
    return AuditEvent.objects.filter(seal__isnull=True).count()


def page_writing_two_events(request: HttpRequest) -> HttpResponse:
    record_event(actor=None, action=Action.READ, detail={"n": 1})
    record_event(actor=None, action=Action.READ, detail={"n": 2})
    return HttpResponse("page")


def test_a_requests_events_are_sealed_when_its_response_is_closed(transactional_db: None) -> None:
    response = RequestContextMiddleware(page_writing_two_events)(RequestFactory().get("/"))
    assert unsealed() == 2  # stored and committed, the reader not kept waiting for the chain
    response.close()  # what the server does once the response is sent
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
