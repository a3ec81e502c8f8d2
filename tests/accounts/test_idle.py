"""The idle timeout: a session ends SESSION_IDLE_MINUTES after its last request (up to a minute
sooner, never later), and a request renews it with a session write at most once a minute."""

from datetime import timedelta
from typing import Any

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.test_authentication import LOGIN, sign_in

IDLE = timedelta(minutes=15)


def session_writes(client: Client, when: Any) -> int:
    """GET a page at `when`; how many UPDATEs of django_session it made (it must be allowed)."""
    with freeze_time(when), CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("patients:search")).status_code == 200
    return sum('UPDATE "django_session"' in query["sql"] for query in queries.captured_queries)


def signed_in(client: Client, when: Any) -> bool:
    with freeze_time(when):
        response = client.get(reverse("patients:search"))
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN)
        return False
    assert response.status_code == 200
    return True


def test_a_page_within_the_minute_does_not_write_the_session(
    network: dict[str, Any], client: Client
) -> None:
    start = timezone.now()
    with freeze_time(start):
        sign_in(client, network["intake"].email)
    assert session_writes(client, start + timedelta(seconds=1)) == 0
    assert session_writes(client, start + timedelta(seconds=59)) == 0
    assert session_writes(client, start + timedelta(seconds=60)) == 1  # the minute is up
    assert session_writes(client, start + timedelta(seconds=100)) == 0


def test_a_signed_in_test_client_starts_its_idle_clock_at_sign_in_too(
    network: dict[str, Any], client: Client, login: Any
) -> None:
    login(client, network["intake"])
    assert session_writes(client, timezone.now()) == 0


def test_an_active_session_is_not_ended(network: dict[str, Any], client: Client) -> None:
    start = timezone.now()
    with freeze_time(start):
        sign_in(client, network["intake"].email)
    # A request every 50 seconds for twice the idle time: most of them write nothing.
    for step in range(1, 37):
        assert signed_in(client, start + step * timedelta(seconds=50))


def test_an_idle_session_ends_at_most_the_idle_minutes_after_its_last_request(
    network: dict[str, Any], client: Client
) -> None:
    start = timezone.now()
    with freeze_time(start):
        sign_in(client, network["intake"].email)
    renewal = start + timedelta(minutes=5)
    assert session_writes(client, renewal) == 1
    last = renewal + timedelta(seconds=59)
    assert session_writes(client, last) == 0
    # Saved with the renewal: it ends 15 minutes after it, 14 min 1 s after the last request.
    expiry = Session.objects.get().expire_date
    assert last + IDLE - timedelta(minutes=1) < expiry <= last + IDLE
    assert not signed_in(client, renewal + IDLE + timedelta(seconds=1))


def test_an_idle_session_is_still_there_until_its_expiry(
    network: dict[str, Any], client: Client
) -> None:
    start = timezone.now()
    with freeze_time(start):
        sign_in(client, network["intake"].email)
    assert signed_in(client, start + IDLE - timedelta(seconds=1))


def test_a_visitor_who_is_not_signed_in_gets_no_session_row(db: None, client: Client) -> None:
    assert client.get(LOGIN).status_code == 200
    assert client.get(reverse("patients:search")).status_code == 302
    assert not Session.objects.exists()
