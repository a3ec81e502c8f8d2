"""Whole mg from order to administration to ledger (issue 10, item 4), and doses in whole units
of the product, stated as units and mg (item 5)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kapclinic.dosing import ordering, services
from kapclinic.dosing.errors import DosingError
from kapclinic.dosing.models import DosingSession, Order
from kapclinic.register.models import LedgerEntry, Product, ProductForm
from kapclinic.register.services import receive_stock
from tests.dosing.conftest import cleared

NEXT_MONTH = date.today() + timedelta(days=30)


def sign(ready: dict[str, Any], dose: Any, route: str = "sublingual_rdt", **more: Any) -> Order:
    return ordering.sign_order(
        by=ready["physician"],
        patient=ready["patient_a"],
        route=route,
        dose_mg=dose,
        expires_on=NEXT_MONTH,
        **more,
    )


def spray_stock(ready: dict[str, Any]) -> Any:
    product = Product.objects.create(
        name="Ketamine spray", form=ProductForm.NASAL_SPRAY, strength_mg=10, unit="spray"
    )
    return receive_stock(
        by=ready["clinic_admin"],
        clinic=ready["montreal"],
        product=product,
        lot_number="SPR-1",
        expiry=date.today() + timedelta(days=200),
        supplier="Compounding pharmacy",
        invoice="INV-2",
        quantity_mg=500,
    ).lot


def test_an_order_of_a_fraction_of_a_mg_is_refused_when_signed(ready: dict[str, Any]) -> None:
    with pytest.raises(DosingError) as refused:
        sign(ready, Decimal("37.5"))
    assert refused.value.params["refusals"][0] == "order.dose_not_whole_mg"
    assert "37.5 mg, is not a whole number of mg" in refused.value.message
    with pytest.raises(DosingError, match=r"titration dose for session 1, 12\.5 mg"):
        sign(ready, Decimal(100), titration_mg=[Decimal("12.5")])
    assert Order.objects.count() == 1


def test_orders_are_stored_in_whole_mg(ready: dict[str, Any]) -> None:
    order = sign(ready, Decimal("200.00"), titration_mg=[Decimal(100)])
    order.refresh_from_db()
    assert order.dose_mg == 200 and isinstance(order.dose_mg, int)
    assert order.titration_mg == [100]


def test_an_order_that_no_product_can_make_is_refused_when_signed(ready: dict[str, Any]) -> None:
    spray_stock(ready)
    with pytest.raises(DosingError) as refused:
        sign(ready, 28, route="intranasal_spray")
    assert refused.value.params["refusals"][0] == "dose.not_whole_units"
    assert "28 mg is not a whole number of spray of Ketamine spray (10 mg each)" in (
        refused.value.message
    )
    assert sign(ready, 30, route="intranasal_spray").dose_mg == 30


def _spray_session(ready: dict[str, Any], dose: int) -> DosingSession:
    """A spray order signed before the formulary had a spray product, then the stock."""
    Order.objects.all().delete()
    sign(ready, dose, route="intranasal_spray")
    lot = spray_stock(ready)
    ready["lot"] = lot
    return cleared(ready)


def test_a_dose_of_no_whole_number_of_sprays_is_refused_and_nothing_is_written(
    ready: dict[str, Any],
) -> None:
    session = _spray_session(ready, 28)
    with pytest.raises(DosingError) as refused:
        services.record_dose(
            by=ready["nurse"],
            session_id=session.pk,
            given_at=timezone.now(),
            dose_mg=28,
            lot=ready["lot"],
        )
    assert refused.value.params["refusals"][0] == "dose.not_whole_units"
    assert "20 mg = 2 × spray / 30 mg = 3 × spray" in refused.value.message  # noqa: RUF001
    assert not LedgerEntry.objects.filter(kind="administration").exists()


def test_a_dose_is_stated_in_units_and_mg_on_the_screen_the_ledger_and_the_order(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = _spray_session(ready, 30)
    login(client, ready["nurse"])
    screen = reverse("dosing:session", kwargs={"session_id": session.pk})
    assert "= 3 × spray of 10 mg (Ketamine spray)" in client.get(screen).content.decode()  # noqa: RUF001
    given = services.record_dose(
        by=ready["nurse"],
        session_id=session.pk,
        given_at=timezone.now(),
        dose_mg=30,
        lot=ready["lot"],
    )
    assert given.units == 3 and given.ledger_entry.units == 3
    assert "Given: 30 mg = 3 × spray of 10 mg" in client.get(screen).content.decode()  # noqa: RUF001
    orders = client.get(reverse("dosing:orders", kwargs={"patient_id": ready["patient_a"].pk}))
    assert "30 mg = 3 × spray of 10 mg (Ketamine spray)" in orders.content.decode()  # noqa: RUF001
    ledger = client.get(
        reverse("register:ledger", kwargs={"clinic_id": ready["montreal"].pk}),
        {
            "start": (date.today() - timedelta(days=1)).isoformat(),
            "end": (date.today() + timedelta(days=1)).isoformat(),
        },
    )
    assert "-30 (3 × spray of 10 mg)" in ledger.content.decode()  # noqa: RUF001


def test_the_order_page_refuses_37_5_mg_with_the_reason(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    login(client, ready["physician"])
    url = reverse("dosing:orders", kwargs={"patient_id": ready["patient_a"].pk})
    response = client.post(
        url, {"route": "sublingual_rdt", "dose_mg": "37.5", "expires_on": "2099-01-01"}
    )
    assert response.status_code == 400
    assert "is not a whole number of mg" in response.content.decode()
    assert Order.objects.count() == 1


def test_the_session_screen_and_order_page_read_a_fixed_number_of_queries(
    ready: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    session = _spray_session(ready, 30)
    login(client, ready["nurse"])
    with django_assert_num_queries(13):
        client.get(reverse("dosing:session", kwargs={"session_id": session.pk}))


def test_the_order_page_reads_a_fixed_number_of_queries(
    ready: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    sign(ready, 200, titration_mg=[100])
    login(client, ready["physician"])
    with django_assert_num_queries(6):
        client.get(reverse("dosing:orders", kwargs={"patient_id": ready["patient_a"].pk}))
