"""Letters to the referring professional: drafted by a physician, released once as a PDF kept
byte for byte, corrected only by a new version that supersedes the old one; each delivery
(portal, email, fax) logged as it happens."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of receipt")
    ELIGIBILITY = "eligibility", _("Eligibility outcome")
    PROGRAM_START = "program_start", _("Program start")
    PROGRESS = "progress", _("Progress report")
    DISCHARGE = "discharge", _("Discharge summary")


# Sent without the patient's consent to share: it says only that the referral arrived.
CONSENT_FREE_KINDS = frozenset({LetterKind.ACKNOWLEDGEMENT})


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RELEASED = "released", _("Released")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class Letter(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="referrer_letters"
    )
    referrer = models.ForeignKey(
        "referrals.Referrer", on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    # The referrer's language when drafted; the PDF is written in it.
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    version = models.PositiveSmallIntegerField(default=1)
    # The released letter this one corrects (it becomes superseded on release).
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    status = models.CharField(max_length=12, choices=LetterStatus.choices, default="draft")
    note = models.TextField(_("physician's note"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The released document, exactly as sent (never re-rendered), and its digest.
    pdf = models.BinaryField(default=b"", editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering: ClassVar = ["-drafted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} for {self.patient}"

    @property
    def filename(self) -> str:
        return f"letter-{self.pk}-v{self.version}.pdf"

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def is_released(self) -> bool:
        return self.status == LetterStatus.RELEASED

    @property
    def is_superseded(self) -> bool:
        return self.status == LetterStatus.SUPERSEDED


class DeliveryChannel(models.TextChoices):
    PORTAL = "portal", _("Referrer portal")
    EMAIL = "email", _("Email")
    FAX = "fax", _("Fax")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    AVAILABLE = "available", _("Available in the portal")
    SENT = "sent", _("Sent")
    DOWNLOADED = "downloaded", _("Downloaded by the referrer")
    FAILED = "failed", _("Failed")


class DeliveryLog(models.Model):
    """One line per step of one channel (append only): queued, sent or failed, downloaded."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    # Where it went: an email address, a fax number; blank for the portal.
    address = models.CharField(max_length=254, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} {self.at:%Y-%m-%d %H:%M}"
