"""The role x view matrix: every URL is declared, and each role gets what its declaration says."""

from typing import Any

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from kapclinic.accounts.policy import Policy, policy_of
from kapclinic.accounts.roles import Role

ACTORS = [
    "anonymous",
    "intake",
    "physician",
    "nurse",
    "therapist",
    "therapist_2",
    "billing",
    "clinic_admin",
    "privacy_officer",
    "referrer",
    "patient_user",
    "no_role",
    "deactivated",
]


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, Any]]:
    """Every (qualified name, pattern) under the root URLconf."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}", entry))
    return found


def own_routes() -> list[tuple[str, Policy]]:
    """kapclinic's own named routes (allauth's are checked for declaration only)."""
    routes = []
    for name, pattern in walk(get_resolver().url_patterns):
        policy = policy_of(pattern.callback)
        if ":" in name:  # every kapclinic app namespaces its URLs; allauth's do not
            routes.append((name, policy))
    return routes


def test_every_url_pattern_declares_who_may_use_it() -> None:
    undeclared = [
        name
        for name, pattern in walk(get_resolver().url_patterns)
        if policy_of(pattern.callback) is None
    ]
    assert undeclared == []
    assert len(own_routes()) >= 9


# What each URL keyword is filled with: a real object where one exists, else an id or token
# that resolves to nothing (an allowed actor then gets a 404, never a 403).
URL_VALUES: dict[str, Any] = {
    "patient_id": lambda people: people["patient_a"].pk,
    "user_id": lambda people: people["nurse"].pk,
    "referral_id": lambda people: people["referral"].pk,
    "referrer_id": lambda people: people["referrer_profile"].pk,
    "clinic_id": lambda people: people["montreal"].pk,
    "flag_id": lambda people: 1,
    "appointment_id": lambda people: 1,
    "attendance_id": lambda people: 1,
    "consent_id": lambda people: 1,
    "program_id": lambda people: 1,
    "assignment_id": lambda people: 1,
    "entry_id": lambda people: 1,
    "discrepancy_id": lambda people: 1,
    "kind": lambda people: "treatment",
    "instrument": lambda people: "PHQ-9",
    "token": lambda people: "not-a-real-token",
    "uidb64": lambda people: "MQ",
    "session_id": lambda people: 1,
    "order_id": lambda people: 1,
    "recording_id": lambda people: 1,
    "member_id": lambda people: 1,
    "attachment_id": lambda people: 1,
    "resource_type": lambda people: "Patient",
    "resource_id": lambda people: str(people["patient_a"].pk),
    "job_id": lambda people: 1,
    "invoice_id": lambda people: 1,
    "line_id": lambda people: 1,
    "group_id": lambda people: 1,
    "letter_id": lambda people: 1,
    "unknown": lambda people: "Patient/1/_history",
}


def url_for(name: str, people: dict[str, Any]) -> str:
    pattern = dict(walk(get_resolver().url_patterns))[name]
    kwargs = {key: URL_VALUES[key](people) for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def actor_client(actor: str, people: dict[str, Any], client: Any, login: Any) -> Any:
    if actor == "anonymous":
        return client
    if actor == "deactivated":
        user = people["billing"]
        login(client, user)
        user.is_active = False
        user.save()
        return client
    return login(client, people[actor])


# Routes whose view narrows a role the route admits by something about the person: the route
# admits physicians, and only the medical director among them reads the outcome dashboards.
NARROWED: dict[str, Any] = {
    "outcomes:dashboards": lambda user: user.role != Role.PHYSICIAN or user.is_medical_director,
}


def expected_allowed(policy: Policy, actor: str, people: dict[str, Any], name: str = "") -> bool:
    if policy.public:
        return True
    if actor in ("anonymous", "deactivated"):
        return False
    user = people[actor]
    admitted = policy.admits(user.role, is_superuser=user.is_superuser)
    return admitted and NARROWED.get(name, lambda _user: True)(user)


@pytest.mark.parametrize("actor", ACTORS)
def test_role_view_matrix(
    actor: str, network: dict[str, Any], client: Any, login: Any, security_figures: Any
) -> None:
    client = actor_client(actor, network, client, login)
    mismatches, leaks, denied_bodies, pairs = [], [], 0, 0
    for name, policy in own_routes():
        url = url_for(name, network)
        response = client.get(url)
        pairs += 1
        signed_out = response.status_code == 302 and "/accounts/login/" in response["Location"]
        denied = response.status_code == 403 or signed_out
        allowed = expected_allowed(policy, actor, network, name)
        if denied == allowed:
            mismatches.append((name, response.status_code))
        if denied:
            denied_bodies += 1
            if b"Zzyzx-Patient" in response.content:
                leaks.append(name)
    security_figures("route_matrix", pairs=pairs, mismatches=len(mismatches))
    security_figures("denied_bodies", scanned=denied_bodies, phi_hits=len(leaks))
    assert leaks == [], "denied responses leak a patient name"
    assert mismatches == []


def test_denied_is_the_default_for_a_new_view(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    def new_view(request: Any) -> Any:  # pragma: no cover - must never run
        raise AssertionError("an undeclared view ran")

    from kapclinic import urls

    patterns = [path("new/", new_view, name="new"), *urls.urlpatterns]
    urlconf = type("urlconf", (), {"urlpatterns": patterns})
    with override_settings(ROOT_URLCONF=urlconf):
        for actor in ("clinic_admin", "physician", "privacy_officer"):
            response = login(client, network[actor]).get("/new/")
            assert response.status_code == 403


def test_a_denial_is_audited(network: dict[str, Any], client: Any, login: Any) -> None:
    from kapclinic.audit.models import Action, AuditEvent

    login(client, network["billing"]).get(reverse("audit:search"))
    event = AuditEvent.objects.get(action=Action.DENIED)
    assert event.actor == network["billing"]
    assert event.role == Role.BILLING
    assert event.detail["path"] == "/audit/"


def test_therapists_see_only_their_care_team(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    chart = reverse("patients:chart", kwargs={"patient_id": network["patient_a"].pk})
    assert login(client, network["therapist"]).get(chart).status_code == 200
    response = login(client, network["therapist_2"]).get(chart)
    assert response.status_code == 404
    assert b"Zzyzx-Patient" not in response.content


def test_staff_see_only_their_clinics_patients(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    other = reverse("patients:chart", kwargs={"patient_id": network["patient_b"].pk})
    assert login(client, network["intake"]).get(other).status_code == 404
    director = network["physician"]
    director.is_medical_director = True
    director.network_wide = True
    director.save()
    assert login(client, director).get(other).status_code == 200
