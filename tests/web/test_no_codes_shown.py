"""No page of the demo shows a snake_case code to a person, in English or in French.

Every demo account (each staff role, a referrer, the portal patient) walks the pages it reaches
from its navigation, a patient search included, each page shape (ids aside) visited twice at
most, and the visible text of each (never attributes) is scanned for codes such as
`needs_review` or `zone_1`. The demo is given what a working clinic has on its first day:
answered questionnaires in every band (a PHQ-9 with item 9 raises a safety flag and tasks), a
referral with contraindications, and a screening that needs a physician's review.
"""

import importlib
from collections import Counter, deque

import pytest
from django.test import Client

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.clinics.models import Condition
from kapclinic.demo.seed import seed_demo
from kapclinic.patients.models import Patient
from kapclinic.referrals.models import Referral
from kapclinic.screening.services import record_response
from kapclinic.screening.workflow import start_screening
from tests.factories import appointment_types, seeded_programs
from tests.web.crawl import codes_in, next_links, read, shape

DEPTH = 6
PER_SHAPE = 2
STARTS = ("/", "/patients/?q=a", "/audit/?q=")
# PHQ-9 with item 9 above 0 (moderately severe, suicidal ideation), PCL-5 at the cut-off with
# the DSM-5 pattern, AUDIT in zone 1, DUDIT and GAD-7: every kind of band and flag.
ANSWERS = {
    "PHQ-9": [2, 2, 2, 2, 2, 2, 2, 2, 1],
    "GAD-7": [1, 1, 1, 1, 1, 1, 1],
    "PCL-5": [2] * 20,
    "AUDIT": [0] * 10,
}


def walk(client: Client, *starts: str) -> dict[str, list[str]]:
    """Each page reached that shows a code (path -> the lines that show it)."""
    found: dict[str, list[str]] = {}
    seen_shapes: Counter[str] = Counter()
    queue: deque[tuple[str, int]] = deque((start, 0) for start in (*STARTS, *starts))
    visited: set[str] = set()
    while queue:
        path, depth = queue.popleft()
        if path in visited or seen_shapes[shape(path)] >= PER_SHAPE:
            continue
        visited.add(path)
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        seen_shapes[shape(path)] += 1
        text, links = read(response.content.decode())
        if lines := codes_in(text):
            found[path] = lines
        if depth < DEPTH:
            queue.extend((link, depth + 1) for link in next_links(links))
    return found


def reseed_reference_data() -> None:
    """The rows the migrations seed (jurisdictions, conditions, programs, appointment types),
    which an earlier browser test's flush removed; the demo builds on them."""
    from django.apps import apps

    for module in ("clinics.migrations.0002_jurisdictions", "clinics.migrations.0004_conditions"):
        importlib.import_module(f"kapclinic.{module}").seed(apps, None)
    seeded_programs()
    appointment_types()


def first_day(accounts: list[User]) -> Patient:
    """What the demo lacks and a clinic has: answers, flags, findings, contraindications."""
    physician = next(a for a in accounts if a.role == Role.PHYSICIAN)
    patient = Patient.objects.filter(clinic__in=physician.clinics.all()).order_by("pk").first()
    for instrument, answers in ANSWERS.items():
        record_response(
            by=physician,
            patient=patient,
            instrument=instrument,
            answers=answers,
            source="staff",
            language="en",
        )
    unscreened = Patient.objects.filter(clinic=patient.clinic, screenings=None).order_by("pk")
    start_screening(by=physician, patient=unscreened.first(), indication=Condition.objects.first())
    Referral.objects.filter(pk=Referral.objects.order_by("pk").first().pk).update(
        contraindications=["untreated_hypertension", "pregnant_or_nursing"]
    )
    return patient


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.django_db
def test_no_demo_page_shows_a_code(language: str) -> None:
    reseed_reference_data()
    demo = [a for a in seed_demo() if ".mtl@" in a.email]
    answered = first_day(demo)
    shown: set[str] = set()
    for account in demo:
        User.objects.filter(pk=account.pk).update(language=language)
        client = Client()
        client.force_login(account, backend="allauth.account.auth_backends.AuthenticationBackend")
        for path, lines in walk(client, f"/patients/{answered.pk}/").items():
            shown.update(f"{account.role} {shape(path)}: {line[:120]}" for line in lines)
    assert not shown, "\n".join(sorted(shown))


def test_the_scan_reads_text_not_attributes() -> None:
    text, _ = read('<p class="outcome-needs_review">Needs review</p><td>zone_1</td>')
    assert codes_in(text) == ["zone_1"]
