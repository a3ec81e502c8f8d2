"""The demo network: complete, valid, and seeded only once however often it runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import STAFF_ROLES
from kapclinic.clinical.health_numbers import validate_health_number
from kapclinic.clinics.models import Clinic
from kapclinic.demo.seed import seed_demo
from kapclinic.outcomes.dashboards import DashboardQuery, dashboard
from kapclinic.outcomes.trajectories import trajectory_of
from kapclinic.patients.models import Patient


@pytest.mark.django_db
def test_the_demo_seeds_every_role_at_both_clinics_and_30_patients() -> None:
    seed_demo()
    assert {c.province for c in Clinic.objects.select_related("jurisdiction")} == {"QC", "BC"}
    for clinic in Clinic.objects.all():
        roles = set(User.objects.filter(clinics=clinic).values_list("role", flat=True))
        assert roles == set(STAFF_ROLES)
    patients = list(Patient.objects.all())
    assert len(patients) == 30
    for patient in patients:
        province = patient.health_number_province
        assert validate_health_number(province, patient.health_number) == patient.health_number


@pytest.mark.django_db
def test_a_second_run_adds_nothing() -> None:
    seed_demo()
    counts = (User.objects.count(), Patient.objects.count(), Clinic.objects.count())
    seed_demo()
    assert (User.objects.count(), Patient.objects.count(), Clinic.objects.count()) == counts


@pytest.mark.django_db
def test_the_demo_stocks_each_clinics_register_once() -> None:
    from kapclinic.register.models import Balance, LedgerEntry
    from kapclinic.register.posting import verify_balances

    seed_demo()
    seed_demo()
    for clinic in Clinic.objects.all():
        assert LedgerEntry.objects.filter(clinic=clinic, kind="receipt").count() == 3
        # 9000 mg received, 100 mg given in the demo ketamine session.
        assert sum(b.quantity_mg for b in Balance.objects.filter(clinic=clinic)) == 8900
    assert verify_balances() == []


@pytest.mark.django_db
def test_the_demo_books_plans_once_and_gives_a_patient_a_portal_login() -> None:
    from django.utils import timezone

    from kapclinic.accounts.credentials import expiring
    from kapclinic.scheduling.models import Appointment, Attendance

    seed_demo()
    upcoming = Appointment.objects.filter(starts_at__gt=timezone.now())
    assert upcoming.count() == 40  # two Standard plans of 10 appointments at each clinic
    seed_demo()
    assert upcoming.count() == 40
    portal = User.objects.get(email="patient.mtl@demo.kapclinic.test")
    booked = Attendance.objects.filter(patient__user=portal, starts_at__gt=timezone.now())
    assert booked.count() == 10
    assert {c.kind for c in expiring(clinics=None)} == {"criminal_record_check"}


@pytest.mark.django_db
def test_the_demo_bills_each_clinic_once_and_the_portal_patient_paid_a_session() -> None:
    from kapclinic.billing.models import FeeItem, Invoice
    from kapclinic.billing.selectors import billable_services, receipt_lines

    seed_demo()
    seed_demo()
    for clinic in Clinic.objects.all():
        assert FeeItem.objects.filter(clinic=clinic).count() == 5
        assert Invoice.objects.filter(clinic=clinic).count() == 3
        # and a new billing clerk finds one delivered session waiting to be invoiced
        clerk = User.objects.get(role="billing", clinics=clinic)
        assert len(billable_services(by=clerk, clinics=[clinic])) == 1
    portal = User.objects.get(email="patient.mtl@demo.kapclinic.test")
    assert len(receipt_lines(Patient.objects.get(user=portal))) == 1


@pytest.mark.django_db
def test_the_demo_has_an_order_and_one_discharged_session_per_clinic_once() -> None:
    from kapclinic.dosing.models import DosingSession, Order

    seed_demo()
    seed_demo()
    for clinic in Clinic.objects.all():
        sessions = DosingSession.objects.filter(clinic=clinic)
        assert [s.state for s in sessions] == ["discharged"]
        assert Order.objects.filter(patient=sessions[0].patient).count() == 1
        assert sessions[0].administration.ledger_entry.quantity_mg == -100
        journey = sessions[0].enrolment.transitions.order_by("pk")
        assert [(t.from_stage, t.to_stage) for t in journey] == [
            ("connect", "prepare"),
            ("prepare", "experience"),
        ]
        assert sessions[0].attendance.status == "attended"


@pytest.mark.django_db
def test_the_demo_has_outcomes_to_show_on_a_chart_and_the_dashboard() -> None:
    seed_demo()
    seed_demo()
    physician = User.objects.get(email="physician.mtl@demo.kapclinic.test")
    # The enrolled patients with scores (the Reconnect demo patient has none).
    enrolled = Patient.objects.filter(
        enrolments__isnull=False, responses__isnull=False, clinic__name__contains="Montr"
    )
    trajectories = [trajectory_of(p, "PHQ-9") for p in enrolled.distinct().order_by("pk")]
    assert [len(t.scores) for t in trajectories] == [5, 5, 5]
    assert [(t.outcome.response, t.outcome.remission) for t in trajectories] == [
        (True, True),
        (True, False),
        (False, False),
    ]
    today = timezone.localdate()
    query = DashboardQuery("PHQ-9", today - timedelta(days=365), today, "clinic")
    rows = dashboard(by=physician, query=query)
    assert [(row.n, row.responders, row.remitters) for row in rows] == [(3, 2, 1), (3, 2, 1)]


@pytest.mark.django_db
def test_the_demo_reads_as_words_of_either_language_and_renames_an_older_demos_rows() -> None:
    from django.utils import translation

    from kapclinic.accounts.models import Credential
    from kapclinic.clinics.models import Room
    from kapclinic.register.models import Product

    seed_demo()
    # Rows as an older demo named them, in English: a new run renames them in place.
    Product.objects.filter(name="KetaSub 100").update(name="Ketamine HCl rapid-dissolving tablet")
    Room.objects.filter(name="Studio").update(name="Consult")
    Clinic.objects.filter(name="KAP Vancouver").update(name="KAP Clinic Vancouver")
    User.objects.filter(email="physician.mtl@demo.kapclinic.test").update(
        full_name="Physician (Montréal)"
    )
    counts = (Product.objects.count(), Room.objects.count(), Clinic.objects.count())
    seed_demo()
    assert (Product.objects.count(), Room.objects.count(), Clinic.objects.count()) == counts
    assert set(Product.objects.values_list("name", flat=True)) == {"KetaNasal 10", "KetaSub 100"}
    assert set(Room.objects.values_list("name", flat=True)) == {"Horizon", "Cascade", "Studio"}
    assert set(Clinic.objects.values_list("name", flat=True)) == {
        "Clinique KAP Montréal",
        "KAP Vancouver",
    }
    assert not User.objects.filter(full_name__contains="(").exists()
    with translation.override("fr"):
        units = {product.get_unit_display() for product in Product.objects.all()}
    assert units == {"comprimé", "vaporisation"}
    assert not Credential.objects.filter(issuer__icontains="college").exists()
    montreal = Patient.objects.filter(clinic__name="Clinique KAP Montréal")
    assert set(montreal.values_list("emergency_contact_relationship", flat=True)) == {"conjoint(e)"}
