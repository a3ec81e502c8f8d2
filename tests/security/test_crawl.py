"""The crawl (SECURITY.md C1/C3/B1): every route, as every role it admits, with garbage ids in
the path, and garbage dates, huge numbers, over-long strings and a script payload in every
query-string and form field the page offers. Pass: no 5xx, no unescaped payload; PHI pages (a
patient's own pages, and any page showing patient A's name) write an audit event. Seeded
network from tests/conftest.py."""

import re
from typing import Any

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from kapclinic.audit.models import AuditEvent
from tests.accounts.test_policy import URL_VALUES, actor_client, expected_allowed, own_routes, walk

PAYLOAD = "<script>alert('kc-crawl')</script>"
# Patient A's family name (tests/conftest.py): a page that shows it read health data.
CANARY = b"Zzyzx-Patient"
GARBAGE = {
    "word": "abc",
    "year_1": "0001-01-01",
    "year_9999": "9999-12-31",
    "huge": "99999999999999999999",
    "negative": "-1",
    "long": "x" * 5000,
    "payload": PAYLOAD,
}
GARBAGE_IDS = {"zero": 0, "beyond_int": 10**20}
# Names many pages read from the query string, tried even when no form shows them.
QUERY_NAMES = ["start", "end", "date", "day", "week", "page", "q", "in_error", "status", "kind"]
FIELD = re.compile(rb'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')
SKIP_NAMES = {"csrfmiddlewaretoken"}
ROLES = [
    "anonymous",
    "intake",
    "physician",
    "nurse",
    "therapist",
    "billing",
    "clinic_admin",
    "privacy_officer",
    "referrer",
    "patient_user",
]


def _path(name: str, people: dict[str, Any], ids: int | None = None) -> str | None:
    pattern = dict(walk(get_resolver().url_patterns))[name]
    kwargs = {}
    for key, converter in pattern.pattern.converters.items():
        real = URL_VALUES[key](people) if key in URL_VALUES else 1
        numeric = type(converter).__name__ == "IntConverter"
        kwargs[key] = ids if (ids is not None and numeric) else real
    if ids is not None and kwargs == {
        k: (URL_VALUES[k](people) if k in URL_VALUES else 1) for k in kwargs
    }:
        return None  # no id to garble on this route
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _fields(body: bytes) -> list[str]:
    names = {m.decode() for m in FIELD.findall(body)} - SKIP_NAMES
    return sorted(names)


class Crawl:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.client.raise_request_exception = False
        self.requests = 0
        self.server_errors: list[tuple[str, str, str]] = []
        self.unescaped: list[str] = []

    def send(self, method: str, path: str, data: dict[str, str], variant: str) -> Any:
        self.requests += 1
        response = getattr(self.client, method)(path, data)
        if response.status_code >= 500:
            self.server_errors.append((method.upper(), path, variant))
        body = getattr(response, "content", b"")
        if PAYLOAD.encode() in body:
            self.unescaped.append(path)
        return response


@pytest.mark.security
@pytest.mark.parametrize("actor", ROLES)
def test_garbage_gets_a_clear_answer_never_a_server_error(
    actor: str, network: dict[str, Any], client: Any, login: Any, security_figures: Any
) -> None:
    crawl = Crawl(actor_client(actor, network, client, login))
    phi_pages = audited = 0
    for name, policy in own_routes():
        if not expected_allowed(policy, actor, network, name) or "logout" in name:
            continue
        path = _path(name, network)
        if path is None:
            continue
        before = AuditEvent.objects.count()
        page = crawl.send("get", path, {}, "real")
        # A PHI page: about one patient (its path names them) or showing one (a list).
        shows_patient = CANARY in getattr(page, "content", b"")
        if page.status_code == 200 and ("patient_id" in path_keys(name) or shows_patient):
            phi_pages += 1
            audited += AuditEvent.objects.count() > before
        names = sorted(set(_fields(getattr(page, "content", b""))) | set(QUERY_NAMES))
        for garbage_name, ids in GARBAGE_IDS.items():
            if (garbled := _path(name, network, ids)) is not None:
                crawl.send("get", garbled, {}, garbage_name)
        for variant, value in GARBAGE.items():
            crawl.send("get", path, dict.fromkeys(QUERY_NAMES, value), variant)
            crawl.send("post", path, dict.fromkeys(names, value), variant)
    security_figures(
        "crawl",
        requests=crawl.requests,
        errors_5xx=len(crawl.server_errors),
        unescaped=len(crawl.unescaped),
    )
    security_figures("phi_audit", phi_pages=phi_pages, audited=audited)
    assert crawl.server_errors == []
    assert audited == phi_pages
    assert crawl.unescaped == []


def path_keys(name: str) -> list[str]:
    return list(dict(walk(get_resolver().url_patterns))[name].pattern.converters)
