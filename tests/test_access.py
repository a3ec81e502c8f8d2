"""Child ids are tied to their parent (issue 11, item 1): every route that names a child under
a parent (in its path or in its form) is tried with the child of another patient of the same
clinic, the child of a patient of another clinic, an id that does not exist and one that is
not an id. Each swap is a 404 and changes nothing.

The actor works at both clinics (a physician covering two sites), so that the parent is
always one they may open and only the parent-child tie is tested.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from kapclinic.access import child_of
from kapclinic.care.models import Consent, ConsentKind, Enrolment, Material, MaterialAssignment
from kapclinic.clinical.journey import Stage
from kapclinic.dosing import ordering
from kapclinic.dosing.models import Order
from kapclinic.errors import NotFound
from kapclinic.register.models import LedgerEntry, Product, ProductForm
from kapclinic.register.services import receive_stock
from kapclinic.scheduling.models import Appointment
from kapclinic.screening.models import SafetyFlag, Source
from kapclinic.screening.services import record_response
from kapclinic.sharedcare.models import Letter
from tests.factories import (
    PatientFactory,
    RoomFactory,
    UserFactory,
    appointment_types,
    seeded_programs,
)

MISSING = 987654321


def _children(setup: dict[str, Any], patient: Any, tag: str) -> dict[str, Any]:
    """One of every child kind for `patient`."""
    nurse, physician = setup["nurse"], setup["actor"]
    record_response(
        by=nurse,
        patient=patient,
        instrument="PHQ-9",
        answers=[0, 0, 0, 0, 0, 0, 0, 0, 1],
        source=Source.STAFF,
        language="en",
    )
    consent = Consent.objects.create(
        patient=patient,
        kind=ConsentKind.TREATMENT,
        text_version="2026.1",
        signed_name=patient.display_name,
        recorded_by=nurse,
        document=ContentFile(b"%PDF-1.4 " + tag.encode(), name=f"{tag}.pdf"),
    )
    enrolment = Enrolment.objects.create(
        patient=patient,
        program=setup["program"],
        enrolled_by=physician,
        stage=Stage.PREPARE,
    )
    material = MaterialAssignment.objects.create(
        enrolment=enrolment, material=Material.objects.filter(active=True).first()
    )
    order = Order.objects.create(
        enrolment=enrolment,
        patient=patient,
        route="sublingual_rdt",
        dose_mg=Decimal(100),
        expires_on=date.today() + timedelta(days=60),
        signed_by=physician,
    )
    letter = Letter.objects.create(
        patient=patient,
        referrer=setup["referrer_profile"],
        kind="acknowledgement",
        language="en",
        drafted_by=physician,
    )
    return {
        "letter": letter,
        "flag": SafetyFlag.objects.get(patient=patient),
        "consent": consent,
        "material": material,
        "order": order,
    }


def _clinic_children(setup: dict[str, Any], clinic: Any, tag: str, days: int) -> dict[str, Any]:
    room = RoomFactory(clinic=clinic, name=f"Group room {tag}")
    starts = timezone.now() + timedelta(days=days)
    group = Appointment.objects.create(
        clinic=clinic,
        type=setup["types"]["integration-group"],
        room=room,
        clinician=setup["actor"],
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        booked_by=setup["actor"],
    )
    entry = receive_stock(
        by=setup["actor"],
        clinic=clinic,
        product=setup["product"],
        lot_number=f"LOT-{tag}",
        expiry=date.today() + timedelta(days=200),
        supplier="Pharmacy",
        invoice=f"INV-{tag}",
        quantity_mg=500,
    )
    return {"group": group, "entry": entry}


@pytest.fixture
def swaps(network: dict[str, Any]) -> dict[str, Any]:
    setup = dict(network)
    montreal, vancouver = network["montreal"], network["vancouver"]
    setup["actor"] = UserFactory(role="physician", clinics=[montreal, vancouver])
    setup["program"] = next(iter(seeded_programs().values()))
    setup["types"] = appointment_types()
    setup["product"] = Product.objects.create(
        name="Ketamine RDT", form=ProductForm.RAPID_DISSOLVING_TABLET, strength_mg=100
    )
    setup["patient_c"] = PatientFactory(clinic=montreal, legal_given_name="Neighbour")
    for key in ("patient_a", "patient_c", "patient_b"):
        setup[key + "_children"] = _children(setup, setup[key], key)
    setup["montreal_children"] = _clinic_children(setup, montreal, "MTL", 3)
    setup["vancouver_children"] = _clinic_children(setup, vancouver, "VAN", 4)
    return setup


@dataclass(frozen=True)
class SwapRoute:
    """A route naming a child under a parent, and how to see that a swap changed nothing."""

    name: str
    method: str
    # (setup, foreign child id) -> (url, POST data)
    request: Callable[[dict[str, Any], object], tuple[str, dict[str, object]]]
    # the foreign children (by the setup key of their owner) this route is tried with
    owners: tuple[str, ...]
    kind: str
    unchanged: Callable[[Any], bool] = lambda child: True


PATIENTS = ("patient_c_children", "patient_b_children")
ROUTES = [
    SwapRoute(
        "review a safety flag",
        "post",
        lambda s, cid: (
            reverse(
                "screening:review", kwargs={"patient_id": s["patient_a"].pk, "flag_id": 1}
            ).replace("/1/review/", f"/{cid}/review/"),
            {"note": "Called; closed."},
        ),
        PATIENTS,
        "flag",
        lambda flag: SafetyFlag.objects.get(pk=flag.pk).reviewed_at is None,
    ),
    SwapRoute(
        "withdraw a consent",
        "post",
        lambda s, cid: (
            reverse(
                "care:withdraw", kwargs={"patient_id": s["patient_a"].pk, "consent_id": 1}
            ).replace("/1/withdraw/", f"/{cid}/withdraw/"),
            {"reason": "Changed my mind."},
        ),
        PATIENTS,
        "consent",
        lambda consent: Consent.objects.get(pk=consent.pk).withdrawn_at is None,
    ),
    SwapRoute(
        "download a signed consent",
        "get",
        lambda s, cid: (
            reverse(
                "care:consent_document",
                kwargs={"patient_id": s["patient_a"].pk, "consent_id": 1},
            ).replace("/1/document/", f"/{cid}/document/"),
            {},
        ),
        PATIENTS,
        "consent",
    ),
    SwapRoute(
        "mark a preparation material read (form field)",
        "post",
        lambda s, cid: (
            reverse("care:preparation", kwargs={"patient_id": s["patient_a"].pk}),
            {"read": cid},
        ),
        PATIENTS,
        "material",
        lambda material: MaterialAssignment.objects.get(pk=material.pk).read_at is None,
    ),
    SwapRoute(
        "join a group (form field)",
        "post",
        lambda s, cid: (
            reverse("scheduling:join_group", kwargs={"patient_id": s["patient_a"].pk}),
            {"appointment": cid},
        ),
        ("vancouver_children",),
        "group",
        lambda group: not group.attendances.exists(),
    ),
    SwapRoute(
        "preview a letter to the referrer",
        "get",
        lambda s, cid: (
            reverse(
                "sharedcare:pdf", kwargs={"patient_id": s["patient_a"].pk, "letter_id": 1}
            ).replace("/letters/1/", f"/letters/{cid}/"),
            {},
        ),
        PATIENTS,
        "letter",
    ),
    SwapRoute(
        "release a letter to the referrer",
        "post",
        lambda s, cid: (
            reverse(
                "sharedcare:release", kwargs={"patient_id": s["patient_a"].pk, "letter_id": 1}
            ).replace("/letters/1/", f"/letters/{cid}/"),
            {},
        ),
        PATIENTS,
        "letter",
        lambda letter: Letter.objects.get(pk=letter.pk).status == "draft",
    ),
    SwapRoute(
        "reverse a ledger entry",
        "post",
        lambda s, cid: (
            reverse(
                "register:reverse", kwargs={"clinic_id": s["montreal"].pk, "entry_id": 1}
            ).replace("/entries/1/", f"/entries/{cid}/"),
            {"reason": "Entered twice."},
        ),
        ("vancouver_children",),
        "entry",
        lambda entry: not LedgerEntry.objects.filter(reverses=entry).exists(),
    ),
]
# The patient portal: the parent is the signed-in patient's own record.
PORTAL_ROUTES = [
    SwapRoute(
        "read a preparation material in the portal",
        "get",
        lambda s, cid: (
            reverse("portal:material", kwargs={"assignment_id": 1}).replace("/1/", f"/{cid}/"),
            {},
        ),
        PATIENTS,
        "material",
    ),
    SwapRoute(
        "mark a material read in the portal",
        "post",
        lambda s, cid: (
            reverse("portal:material", kwargs={"assignment_id": 1}).replace("/1/", f"/{cid}/"),
            {},
        ),
        PATIENTS,
        "material",
        lambda material: MaterialAssignment.objects.get(pk=material.pk).read_at is None,
    ),
]
CASES = [
    pytest.param(route, owner, id=f"{route.name}: {owner.removesuffix('_children')}")
    for route in ROUTES + PORTAL_ROUTES
    for owner in (*route.owners, "missing", "not an id")
]


@pytest.mark.parametrize(("route", "owner"), CASES)
def test_a_child_id_from_elsewhere_is_not_found_and_changes_nothing(
    client: Any, login: Any, swaps: dict[str, Any], route: SwapRoute, owner: str
) -> None:
    portal = route in PORTAL_ROUTES
    login(client, swaps["patient_user"] if portal else swaps["actor"])
    child = swaps[owner][route.kind] if owner.endswith("_children") else None
    child_id: object = child.pk if child else (MISSING if owner == "missing" else "x1")
    url, data = route.request(swaps, child_id)
    response = client.post(url, data) if route.method == "post" else client.get(url)
    assert response.status_code == 404, (url, response.status_code)
    assert child is None or route.unchanged(child)
    assert b"Neighbour" not in response.content


def test_the_swap_catalogue_covers_every_route_with_a_child_id() -> None:
    """The figure for the security table: 38 swaps tried over 10 routes."""
    assert len(ROUTES) + len(PORTAL_ROUTES) == 10
    assert len(CASES) == 38


def test_the_same_requests_with_the_patients_own_children_succeed(
    client: Any, login: Any, swaps: dict[str, Any]
) -> None:
    """The control: the routes above work for the parent's own children."""
    login(client, swaps["actor"])
    own = swaps["patient_a_children"]
    review = reverse(
        "screening:review",
        kwargs={"patient_id": swaps["patient_a"].pk, "flag_id": own["flag"].pk},
    )
    assert client.post(review, {"note": "Called."}).status_code == 302
    assert SafetyFlag.objects.get(pk=own["flag"].pk).reviewed_at is not None
    document = reverse(
        "care:consent_document",
        kwargs={"patient_id": swaps["patient_a"].pk, "consent_id": own["consent"].pk},
    )
    assert client.get(document).status_code == 200
    group = swaps["montreal_children"]["group"]
    join = reverse("scheduling:join_group", kwargs={"patient_id": swaps["patient_a"].pk})
    assert client.post(join, {"appointment": group.pk}).status_code == 302
    assert group.attendances.filter(patient=swaps["patient_a"]).exists()
    letter = reverse(
        "sharedcare:release",
        kwargs={"patient_id": swaps["patient_a"].pk, "letter_id": own["letter"].pk},
    )
    assert client.post(letter).status_code == 302
    assert Letter.objects.get(pk=own["letter"].pk).status == "released"


def test_a_missing_flag_is_a_404_not_a_server_error(
    client: Any, login: Any, swaps: dict[str, Any]
) -> None:
    login(client, swaps["actor"])
    url = f"/patients/{swaps['patient_a'].pk}/safety/{MISSING}/review/"
    assert client.post(url, {"note": "x"}).status_code == 404


def test_an_order_changed_must_be_the_patients_own(swaps: dict[str, Any]) -> None:
    """The service checks the tie too: no caller can change another patient's order."""
    foreign = swaps["patient_c_children"]["order"]
    with pytest.raises(NotFound):
        ordering.sign_order(
            by=swaps["actor"],
            patient=swaps["patient_a"],
            route="sublingual_rdt",
            dose_mg=Decimal(100),
            expires_on=date.today() + timedelta(days=30),
            supersedes=foreign,
            reason_for_change="Swap",
        )
    assert not hasattr(Order.objects.get(pk=foreign.pk), "superseded_by")


@pytest.mark.parametrize("raw", ["", "abc", "-1", "0", "1e3", "١٢", 2**70, True, None])
def test_child_of_refuses_anything_that_is_not_an_id(swaps: dict[str, Any], raw: object) -> None:
    with pytest.raises(NotFound):
        child_of(swaps["patient_a"], SafetyFlag, raw)
