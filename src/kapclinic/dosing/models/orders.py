"""A physician's signed ketamine order for an enrolment; a change is a new version."""

from decimal import Decimal
from typing import ClassVar, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.orders import Route

ROUTE_LABELS = {
    Route.INTRANASAL_SPRAY: _("Intranasal spray"),
    Route.SUBLINGUAL_RDT: _("Sublingual rapid-dissolving tablet"),
    Route.INTRAVENOUS: _("Intravenous injection"),
    Route.INTRAMUSCULAR: _("Intramuscular injection"),
}
ROUTE_CHOICES = [(route.value, label) for route, label in ROUTE_LABELS.items()]


class Order(models.Model):
    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="ketamine_orders"
    )
    route = models.CharField(_("route"), max_length=20, choices=ROUTE_CHOICES)
    # Whole mg, as the administration and the register count them (clinical.orders.is_whole_mg).
    dose_mg = models.PositiveIntegerField(_("dose (mg)"))
    # Doses of the first sessions in turn, in whole mg ([50, 75]); then dose_mg.
    titration_mg = models.JSONField(_("titration (mg)"), default=list, blank=True)
    expires_on = models.DateField(_("expires on"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason_for_change = models.CharField(_("reason for the change"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-signed_at", "-id"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(dose_mg__gt=0), name="order_dose_positive")
        ]

    def __str__(self) -> str:
        return f"{self.dose_mg} mg {self.route} for {self.patient}"

    @property
    def titration(self) -> list[int]:
        # Orders signed before whole mg kept their steps as strings ("50"); the migration checked
        # that every one is whole.
        return [int(Decimal(step)) for step in self.titration_mg]

    @cached_property
    def version(self) -> int:
        """1 for the first order, one more for each change (one query per change; the orders
        page has selectors.orders_of work it out for every order at once)."""
        number, order = 1, self
        while order.supersedes_id is not None:
            number, order = number + 1, cast("Order", order.supersedes)
        return number
