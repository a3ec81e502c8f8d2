"""Staff on a phone: the menu wraps inside a 390 px screen, in French, whatever the role."""

from typing import Any

import pytest

from kapclinic.accounts.roles import Role
from tests.factories import PASSWORD, ClinicFactory, UserFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("role", [Role.CLINIC_ADMIN, Role.PHYSICIAN, Role.INTAKE])
def test_the_staff_menu_fits_a_phone_screen_in_french(
    live_server: Any, browser: Any, role: Role
) -> None:
    clinic = ClinicFactory()
    user = UserFactory(role=role, clinics=[clinic], language="fr")
    context = browser.new_context(locale="fr-CA", viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.locator("input[name=login]").fill(user.email)
    phone.locator("input[name=password]").fill(PASSWORD)
    phone.locator("form button[type=submit]").last.click()
    menu = phone.get_by_role("navigation", name="Principal")
    menu.wait_for()
    assert menu.get_by_role("link").count() >= 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for link in menu.get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], link.inner_text()
    context.close()
