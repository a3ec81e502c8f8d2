"""Fee schedule, invoices, credit notes and payments.

An invoice is issued once, numbered from its clinic's counter with no gap, and never changed
or deleted afterwards: a correction is a credit note, a payment is a new row. Each invoice
line bills one delivered service (an attendance), and the database refuses a second line for
the same service.
"""

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kapclinic.bilingual import in_language
from kapclinic.billing.money import CURRENCY

# Every amount: up to 9,999,999,999.99 in the clinic's currency.
MONEY_DIGITS = 12
MONEY_PLACES = 2


class TaxTreatment(models.TextChoices):
    # Excise Tax Act Schedule V Part II (s. 5, s. 7): health care services by physicians and
    # licensed practitioners (psychologists, ...) are GST/HST exempt; Revenu Québec's QST follows.
    EXEMPT = "exempt", _("Exempt")
    TAXABLE = "taxable", _("Taxable")


class Frozen(models.Model):
    """Written once: an issued document is corrected by a new one, never edited or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} is issued and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} is issued and cannot be deleted")


class SalesTax(models.Model):
    """A sales tax levied in a province, as data (seeded by migration 0002, edited by an admin)."""

    jurisdiction = models.ForeignKey(
        "clinics.Jurisdiction", on_delete=models.PROTECT, related_name="sales_taxes"
    )
    code = models.CharField(_("code"), max_length=10)
    name_en = models.CharField(max_length=60)
    name_fr = models.CharField(max_length=60)
    rate = models.DecimalField(_("rate"), max_digits=7, decimal_places=5)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="sales_tax_once"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=1), name="sales_tax_rate_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name()} {number_format(self.rate * 100, 3)} %"

    def name(self, language: str | None = None) -> str:
        return in_language(self, "name", language)


class FeeItem(models.Model):
    """One service on a clinic's fee schedule: what it costs and how it is taxed and claimed."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="fees")
    code = models.CharField(_("code"), max_length=20)
    description_en = models.CharField(_("description (English)"), max_length=120)
    description_fr = models.CharField(_("description (French)"), max_length=120)
    # The appointments billed with this item.
    appointment_type = models.ForeignKey(
        "scheduling.AppointmentType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appointment type"),
    )
    price = models.DecimalField(_("price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(max_length=3, default=CURRENCY)
    # A private insurer may reimburse it (psychotherapy by a registered practitioner).
    claimable = models.BooleanField(_("claimable from insurers"), default=False)
    tax_treatment = models.CharField(
        _("tax treatment"), max_length=10, choices=TaxTreatment.choices
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["clinic", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["clinic", "code"], name="fee_code_once_per_clinic"),
            models.UniqueConstraint(
                fields=["clinic", "appointment_type"],
                condition=Q(active=True),
                name="one_active_fee_per_appointment_type",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="fee_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description()}"

    def description(self, language: str | None = None) -> str:
        return in_language(self, "description", language)


class Series(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class DocumentCounter(models.Model):
    """The next number of a clinic's invoices (or credit notes): locked and moved forward in the
    transaction that issues the document, so a rollback gives the number back and none is
    skipped or used twice."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=12, choices=Series.choices)
    prefix = models.CharField(max_length=12)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["clinic", "series"], name="counter_once_per_series"),
            models.UniqueConstraint(fields=["prefix", "series"], name="counter_prefix_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.series} {self.last_number}"


class Invoice(Frozen):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("number"), max_length=30)
    sequence = models.PositiveIntegerField()
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3, default=CURRENCY)
    subtotal = models.DecimalField(
        _("subtotal"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )
    tax = models.DecimalField(_("taxes"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    total = models.DecimalField(_("total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)

    class Meta:
        ordering: ClassVar = ["-issued_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["clinic", "sequence"], name="invoice_sequence_once"),
            models.UniqueConstraint(fields=["number"], name="invoice_number_once"),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(Frozen):
    """One delivered service billed, with what the receipt needs copied as it was that day."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    # The service billed: never twice (the constraint below, proven under concurrency).
    attendance = models.ForeignKey(
        "scheduling.Attendance", on_delete=models.PROTECT, related_name="+"
    )
    fee = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    description_en = models.CharField(max_length=120)
    description_fr = models.CharField(max_length=120)
    service_date = models.DateField(_("service date"))
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    practitioner_name = models.CharField(max_length=200)
    profession = models.CharField(max_length=60)
    college = models.CharField(max_length=120, blank=True)
    registration_number = models.CharField(max_length=60, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    tax_treatment = models.CharField(max_length=10, choices=TaxTreatment.choices)
    # [{"code": "GST", "rate": "0.05", "amount": "7.50"}, ...]
    taxes = models.JSONField(default=list)
    tax = models.DecimalField(_("taxes"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    total = models.DecimalField(_("total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    claimable = models.DecimalField(
        _("claimable part"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES
    )

    class Meta:
        ordering: ClassVar = ["service_date", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["attendance"], name="service_invoiced_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.service_date}"

    def description(self, language: str | None = None) -> str:
        return in_language(self, "description", language)


class CreditNote(Frozen):
    """A correction of one invoice line: its own number, a reason, the amount and its taxes."""

    line = models.ForeignKey(InvoiceLine, on_delete=models.PROTECT, related_name="credit_notes")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(_("number"), max_length=30)
    sequence = models.PositiveIntegerField()
    reason = models.CharField(_("reason"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    tax = models.DecimalField(_("taxes"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    total = models.DecimalField(_("total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["issued_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["clinic", "sequence"], name="credit_note_sequence_once"
            ),
            models.UniqueConstraint(fields=["number"], name="credit_note_number_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_note_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    DEBIT = "debit", _("Debit card")
    CREDIT_CARD = "credit_card", _("Credit card")
    E_TRANSFER = "e_transfer", _("Interac e-Transfer")
    CHEQUE = "cheque", _("Cheque")
    INSURER = "insurer", _("Paid by an insurer")


class Payment(Frozen):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["received_on", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.method}"


ZERO = Decimal("0.00")
