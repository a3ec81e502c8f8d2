"""The controlled-substance register: products, lots, an append-only ledger per clinic and lot,
the balance it implies, physical counts and the discrepancies they reveal.

Quantities are whole milligrams of ketamine hydrochloride (clinical.ledger says why). Ledger
entries and counts are only ever inserted: database triggers (migration 0002) refuse UPDATE
and DELETE, so a correction is a reversing entry. A Balance row per (clinic, lot) caches the
ledger's sum; services change it under a row lock in the entry's transaction, and a check
constraint keeps it from going negative.
"""

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.ledger import (
    INFLOWS,
    NOT_REVERSIBLE,
    OUTFLOWS,
    EntryKind,
    loss_report_due,
)


class ProductForm(models.TextChoices):
    NASAL_SPRAY = "nasal_spray", _("Nasal spray")
    RAPID_DISSOLVING_TABLET = "rapid_dissolving_tablet", _("Rapid-dissolving tablet")


class ProductUnit(models.TextChoices):
    """What one unit of a product is: its strength is the mg in one of them."""

    TABLET = "tablet", _("tablet")
    SPRAY = "spray", _("spray")


class Product(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    form = models.CharField(_("dosage form"), max_length=30, choices=ProductForm.choices)
    # Milligrams of ketamine hydrochloride in one tablet, or in one spray actuation.
    strength_mg = models.PositiveIntegerField(_("strength (mg per unit)"))
    unit = models.CharField(_("unit"), max_length=30, choices=ProductUnit.choices)
    din = models.CharField(_("DIN"), max_length=8, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(strength_mg__gt=0), name="product_strength_positive")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.strength_mg} mg/{self.get_unit_display()}"


class Lot(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    number = models.CharField(_("lot number"), max_length=60)
    expiry = models.DateField(_("expiry date"))
    supplier = models.CharField(_("supplier"), max_length=120)

    class Meta:
        ordering: ClassVar = ["product__name", "expiry", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["product", "number"], name="lot_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product.name} lot {self.number}"


KIND_LABELS = {
    EntryKind.RECEIPT: _("Receipt"),
    EntryKind.ADMINISTRATION: _("Administration"),
    EntryKind.WASTE: _("Waste"),
    EntryKind.DESTRUCTION: _("Destruction"),
    EntryKind.TRANSFER_OUT: _("Transfer out"),
    EntryKind.TRANSFER_IN: _("Transfer in"),
    EntryKind.COUNT_ADJUSTMENT: _("Count adjustment"),
    EntryKind.REVERSAL: _("Reversal"),
}
KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]


class LedgerEntry(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    # Signed: what this entry adds to (or takes from) the clinic's balance of the lot.
    quantity_mg = models.IntegerField(_("quantity (mg)"))
    # For an administration: the whole tablets or sprays of the lot's product it took.
    units = models.PositiveIntegerField(_("units"), null=True, blank=True)
    # The balance right after this entry, as the printed register shows it.
    balance_after_mg = models.IntegerField(_("balance after (mg)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Invoice number for a receipt; the other clinic's name for a transfer.
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    # The dosing session that administered the dose (the dosing app's id, kept as text).
    session_ref = models.CharField(_("dosing session"), max_length=64, blank=True)
    # Both legs of one transfer share this value.
    transfer_ref = models.UUIDField(null=True, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering: ClassVar = ["recorded_at", "id"]
        indexes: ClassVar = [
            models.Index(fields=["clinic", "recorded_at"], name="ledger_clinic_time"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(kind__in=sorted(k.value for k in INFLOWS), quantity_mg__gt=0)
                | Q(kind__in=sorted(k.value for k in OUTFLOWS), quantity_mg__lt=0)
                | (
                    Q(kind__in=[EntryKind.COUNT_ADJUSTMENT.value, EntryKind.REVERSAL.value])
                    & ~Q(quantity_mg=0)
                ),
                name="ledger_sign_follows_kind",
            ),
            models.CheckConstraint(
                condition=Q(balance_after_mg__gte=0), name="ledger_balance_after_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REVERSAL.value, reverses__isnull=False)
                | (~Q(kind=EntryKind.REVERSAL.value) & Q(reverses__isnull=True)),
                name="ledger_reversal_names_its_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity_mg:+d} mg of {self.lot} at {self.clinic}"

    @property
    def reversible(self) -> bool:
        """Counts and reversals are not reversed (clinical.ledger.NOT_REVERSIBLE)."""
        return self.kind not in NOT_REVERSIBLE


class Balance(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances")
    quantity_mg = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["clinic", "lot"], name="balance_per_clinic_lot"),
            models.CheckConstraint(condition=Q(quantity_mg__gte=0), name="balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.lot} at {self.clinic}: {self.quantity_mg} mg"


class Count(models.Model):
    """A physical count of one lot at one clinic, and what the ledger expected."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="counts")
    expected_mg = models.IntegerField(_("expected (mg)"))
    counted_mg = models.PositiveIntegerField(_("counted (mg)"))
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counted_at = models.DateTimeField(default=timezone.now)
    adjustment = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="count"
    )

    class Meta:
        ordering: ClassVar = ["-counted_at", "-id"]

    def __str__(self) -> str:
        return f"count of {self.lot} at {self.clinic}: {self.counted_mg}/{self.expected_mg} mg"

    @property
    def difference_mg(self) -> int:
        return self.counted_mg - self.expected_mg


class DiscrepancyKind(models.TextChoices):
    LOSS = "loss", _("Loss")
    THEFT = "theft", _("Theft")
    UNEXPLAINED = "unexplained", _("Unexplained")


class Discrepancy(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="discrepancies")
    count = models.OneToOneField(Count, on_delete=models.PROTECT, related_name="discrepancy")
    kind = models.CharField(_("kind"), max_length=20, choices=DiscrepancyKind.choices)
    # Positive when stock is missing, negative when more was found than the ledger held.
    missing_mg = models.IntegerField(_("missing (mg)"))
    explanation = models.TextField(_("explanation"), blank=True)
    discovered_at = models.DateTimeField(_("discovered"), default=timezone.now)
    discovered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported to Health Canada"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-discovered_at", "-id"]
        verbose_name_plural = _("discrepancies")

    def __str__(self) -> str:
        return f"{self.kind} of {self.missing_mg} mg of {self.lot} at {self.clinic}"

    @property
    def report_due(self) -> datetime:
        return loss_report_due(self.discovered_at)

    @property
    def needs_report(self) -> bool:
        """Missing stock is reported to Health Canada; a surplus is investigated locally."""
        return self.missing_mg > 0
