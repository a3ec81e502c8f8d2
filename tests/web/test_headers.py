"""Privacy headers on every page, and the health check reachable by plain-HTTP probes."""

from typing import Any

from django.urls import reverse


def test_a_chart_is_never_stored_and_asks_for_no_browser_features(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    chart = reverse("patients:chart", kwargs={"patient_id": network["patient_a"].pk})
    response = login(client, network["physician"]).get(chart)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_and_error_pages_are_not_stored_either(db: None, client: Any) -> None:
    for path in (reverse("account_login"), "/no-such-page/"):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"], path
        assert "Permissions-Policy" in response.headers, path


def test_the_health_check_answers_plain_http_when_https_is_enforced(
    db: None, client: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    redirected = client.get(reverse("account_login"))
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")


def test_production_settings_exempt_only_the_health_check() -> None:
    from kapclinic import settings as production

    assert production.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]
