"""The whole journey in French, in Chromium, read as a person reads it: no page shows a code.

The demo (with a first day's answers, see tests/web/test_no_codes_shown.py) has a patient at
every stage. Each demo role signs in through the real sign-in page with a French browser and
a French profile, walks the pages of the journey in order (referral, intake queue, screening
and determination, enrolment and journey, dosing session, portal), then every page its
navigation reaches, and each page's rendered text (`innerText`) is scanned for snake_case.
"""

from collections import Counter, deque
from datetime import timedelta
from typing import Any

import pytest

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.demo.seed import DEMO_PASSWORD, seed_demo
from kapclinic.dosing.models import DosingSession
from kapclinic.referrals.models import Referral
from tests.web.crawl import CODE, next_links, shape
from tests.web.test_no_codes_shown import first_day, reseed_reference_data

pytestmark = pytest.mark.browser
DEPTH = 3
PER_SHAPE = 1


def journey(role: str, patient_id: int, session_id: int, referral_id: int) -> list[str]:
    """The journey's pages in order, as each role reaches them."""
    chart = f"/patients/{patient_id}/"
    by_role = {
        Role.INTAKE: ["/referrals/", f"/referrals/{referral_id}/", chart],
        Role.PHYSICIAN: [
            chart,
            f"{chart}screening/",
            f"{chart}questionnaires/",
            f"{chart}journey/",
            f"{chart}consents/",
            f"{chart}ketamine-orders/",
            f"/sessions/{session_id}/",
            "/tasks/",
        ],
        Role.NURSE: [f"/sessions/{session_id}/", f"{chart}journey/", "/sessions/"],
        Role.REFERRER: ["/refer/"],
        Role.PATIENT: ["/portal/"],
    }
    return by_role.get(Role(role), [])


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def codes_on(page: Any) -> list[str]:
    text = page.locator("body").inner_text()
    return [line.strip() for line in text.splitlines() if CODE.search(line)]


def walk(page: Any, base: str, starts: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    seen: Counter[str] = Counter()
    queue: deque[tuple[str, int]] = deque((start, 0) for start in ["/", *starts])
    visited: set[str] = set()
    while queue:
        path, depth = queue.popleft()
        if path in visited or (depth and seen[shape(path)] >= PER_SHAPE):
            continue
        visited.add(path)
        response = page.goto(base + path)
        if response is None or response.status != 200:
            continue
        assert page.locator("html").get_attribute("lang") == "fr", path
        seen[shape(path)] += 1
        if lines := codes_on(page):
            found[path] = lines
        if depth < DEPTH:
            links = page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            queue.extend((link, depth + 1) for link in next_links(links))
    return found


def refer_and_contact_in_french(browser: Any, base: str, accounts: list[User]) -> None:
    """The journey's first steps done in French: a referral with contraindications sent by the
    referrer, then the intake coordinator's first contact attempt."""
    by_role = {a.role: a for a in accounts}
    context = browser.new_context(locale="fr-CA")
    page = context.new_page()
    # The first page of a session's live server is slow on a loaded CI machine (cold start).
    page.set_default_timeout(30_000)
    try:
        sign_in(page, base, by_role[Role.REFERRER].email)
        page.goto(f"{base}/refer/new/")
        page.locator("#id_given_name").fill("Hélène")
        page.locator("#id_family_name").fill("Bélanger")
        page.locator("#id_date_of_birth").fill("1984-03-09")
        page.locator("#id_province").select_option("QC")
        page.locator("#id_phone").fill("514-555-0199")
        page.locator("#id_condition").select_option(index=1)
        page.locator("#id_reason").fill("Dépression résistante après deux essais.")
        page.locator("input[value=untreated_hypertension]").check()
        page.locator("#id_patient_agreed").check()
        page.locator("button[name=submit]").click()
        page.wait_for_url(lambda url: "/refer/new/" not in url)
        assert not codes_on(page), codes_on(page)
        context.clear_cookies()
        sign_in(page, base, by_role[Role.INTAKE].email)
        page.goto(f"{base}/referrals/")
        page.locator("table.queue tbody tr", has_text="Bélanger").get_by_role("link").first.click()
        assert "Hypertension non traitée" in page.locator("body").inner_text()
        page.locator("#id_method").select_option("phone")
        page.locator("#id_outcome").select_option("reached")
        page.locator("form[action$='/attempts/'] button[type=submit]").click()
        page.locator(".messages").wait_for()
        assert not codes_on(page), codes_on(page)
    finally:
        context.close()


def _program_for_everyone() -> int:
    from kapclinic.care.models import ProgramTemplate

    return ProgramTemplate.objects.filter(requires_community_support=False).first().pk


def screen_enrol_and_book_in_french(
    browser: Any, base: str, accounts: list[User]
) -> dict[str, list[str]]:
    """The journey on from the first contact, by the physician in French: the screening opens
    with the referral's facts (marked as the referrer's word), the physician corrects them and
    signs "eligible", enrols the patient and books the program's sessions. Each page is read
    for codes; returns what each step showed (step -> lines)."""
    from kapclinic.care.models import Enrolment
    from kapclinic.scheduling.models import Attendance

    referral = Referral.objects.get(family_name="Bélanger")
    assert referral.patient_id, "a verified referrer's referral makes the patient's record"
    chart = f"{base}/patients/{referral.patient_id}/"
    physician = next(a for a in accounts if a.role == Role.PHYSICIAN)
    shown: dict[str, list[str]] = {}

    def read(step: str) -> None:
        assert page.locator("html").get_attribute("lang") == "fr", step
        if lines := codes_on(page):
            shown[step] = lines

    context = browser.new_context(locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)  # a long walk on a shared CI machine
    try:
        sign_in(page, base, physician.email)
        page.goto(f"{chart}screening/")
        read("screening, not started")
        page.locator("#id_indication").select_option(str(referral.condition_id))
        page.locator("form[action$='/screening/start/'] button[type=submit]").click()
        page.locator("#findings").wait_for()
        hypertension = page.locator("input[name=history][value=untreated_hypertension]")
        assert hypertension.is_checked(), "the referral's contraindication is a starting fact"
        assert "Selon la demande de consultation" in page.locator("body").inner_text()
        read("screening, from the referral")
        hypertension.uncheck()  # treated since the referral, as the physician finds
        page.locator("#id_systolic").fill("124")
        page.locator("#id_diastolic").fill("78")
        page.locator("form[data-live] button[type=submit]").click()
        page.locator(".messages").wait_for()
        read("screening, amended")
        page.locator("#id_decision").select_option("eligible")
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.locator("form[action$='/screening/sign/'] button[type=submit]").click()
        page.locator("section.determination").wait_for()
        read("determination signed")
        page.goto(f"{chart}journey/")
        page.locator("#id_program").select_option(str(_program_for_everyone()))
        with page.expect_navigation():
            page.locator("form[action$='/journey/enrol/'] button[type=submit]").click()
        assert Enrolment.objects.filter(patient_id=referral.patient_id).exists(), codes_on(page)
        read("enrolled")
        page.goto(f"{chart}appointments/")
        today = referral.clinic.today()
        monday = today + timedelta(days=7 - today.weekday())
        page.locator("#id_start").fill(monday.isoformat())
        page.locator("form[method=get] button[type=submit]").click()
        page.locator("table.proposal").wait_for()
        read("plan proposed")
        page.locator("form[action$='/appointments/plan/'] button[type=submit]").click()
        page.locator(".messages").wait_for()
        read("sessions booked")
        assert Attendance.objects.filter(patient_id=referral.patient_id).exists()
    finally:
        context.close()
    return shown


def test_a_french_speaking_team_takes_a_referral_to_booked_sessions(
    live_server: Any, browser: Any, settings: Any
) -> None:
    """Referral, first contact, screening from the referral's facts, signed determination,
    enrolment and booked sessions, all in French, with no code shown on the way."""
    settings.DEMO = True
    reseed_reference_data()
    accounts = [a for a in seed_demo() if ".mtl@" in a.email]
    User.objects.filter(pk__in=[a.pk for a in accounts]).update(language="fr")
    refer_and_contact_in_french(browser, live_server.url, accounts)
    shown = screen_enrol_and_book_in_french(browser, live_server.url, accounts)
    assert not shown, shown


def test_the_journey_in_french_shows_no_code(live_server: Any, browser: Any, settings: Any) -> None:
    settings.DEMO = True
    reseed_reference_data()
    accounts = [a for a in seed_demo() if ".mtl@" in a.email]
    answered = first_day(accounts)
    session = DosingSession.objects.filter(clinic__name__contains="Montr").first() or (
        DosingSession.objects.first()
    )
    referral = Referral.objects.filter(clinic=session.clinic).order_by("pk").first()
    User.objects.filter(pk__in=[a.pk for a in accounts]).update(language="fr")
    refer_and_contact_in_french(browser, live_server.url, accounts)
    shown: set[str] = set()
    for account in accounts:
        phone = account.role == Role.PATIENT  # the portal is read on a phone
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(locale="fr-CA", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            sign_in(page, live_server.url, account.email)
            starts = journey(account.role, session.patient_id, session.pk, referral.pk)
            if account.role in (Role.PHYSICIAN, Role.NURSE):  # the answers, bands and flags
                starts += [f"/patients/{answered.pk}/", f"/patients/{answered.pk}/questionnaires/"]
            for path, lines in walk(page, live_server.url, starts).items():
                shown.update(f"{account.role} {shape(path)}: {line[:120]}" for line in lines)
        finally:
            context.close()
    assert not shown, "\n".join(sorted(shown))
