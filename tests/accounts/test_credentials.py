"""Staff credentials: recorded, corrected by marking in error, listed when they expire soon."""

from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from kapclinic.accounts.credentials import expiring, missing_on
from kapclinic.accounts.models import Credential
from kapclinic.audit.models import AuditEvent
from tests.factories import UserFactory, credential_all


def test_an_admin_records_a_credential_and_the_gap_closes(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    nurse = network["nurse"]
    url = reverse("accounts:credentials", kwargs={"user_id": nurse.pk})
    client = login(client, network["clinic_admin"])
    page = client.get(url).content.decode()
    assert "Cannot be booked today" in page and "Licence or registration" in page
    refused = client.post(
        url,
        {"kind": "ethics_attestation", "issuer": "kapclinic", "issued_on": "2026-01-10"},
        follow=True,
    )
    assert "needs the version" in refused.content.decode()
    for kind in ("licence", "criminal_record_check"):
        client.post(
            url,
            {
                "kind": kind,
                "issuer": "OIIQ",
                "number": "N-1",
                "issued_on": "2025-01-01",
                "expires_on": "2030-01-01",
            },
        )
    client.post(
        url,
        {
            "kind": "ethics_attestation",
            "issuer": "kapclinic",
            "version": "2026.1",
            "issued_on": "2026-01-10",
        },
    )
    assert missing_on(nurse, date.today()) == []
    assert "Every required credential is valid today." in client.get(url).content.decode()
    assert (
        AuditEvent.objects.filter(object_type="accounts.credential", action="create").count() == 3
    )


def test_a_credential_entered_in_error_stays_but_no_longer_counts(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    nurse = network["nurse"]
    credential_all(nurse)
    licence = Credential.objects.get(user=nurse, kind="licence")
    url = reverse("accounts:credentials", kwargs={"user_id": nurse.pk})
    client = login(client, network["clinic_admin"])
    client.post(url, {"in_error": licence.pk, "reason": "Wrong person's number"})
    licence.refresh_from_db()
    assert licence.entered_in_error
    assert missing_on(nurse, date.today()) == ["Licence or registration"]


def test_admins_see_what_expires_in_the_next_60_days_in_their_clinics(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    today = date.today()
    credential_all(network["nurse"], expires_on=today + timedelta(days=60))
    credential_all(network["physician"], expires_on=today + timedelta(days=61))
    elsewhere = UserFactory(role="nurse", clinics=[network["vancouver"]], full_name="Far Away")
    credential_all(elsewhere, expires_on=today + timedelta(days=5))
    found = expiring(clinics=network["clinic_admin"].clinics.all(), today=today)
    assert {c.user for c in found} == {network["nurse"]}
    page = login(client, network["clinic_admin"]).get(reverse("accounts:expiring"))
    text = page.content.decode()
    assert network["nurse"].full_name in text and "Far Away" not in text
