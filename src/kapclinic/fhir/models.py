"""API bearer tokens (only their hash is stored) and bulk export jobs."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A bearer token for the FHIR API: it acts as its user, with that user's role and access.

    The token itself is shown once when created; only its SHA-256 is kept, so a copy of the
    database cannot be replayed against the API."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, to tell tokens apart in lists (never enough to use).
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user}"

    def usable(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    # Cancelled by its requester (FHIR Bulk Data DELETE): before it finished, or afterwards,
    # when its files were deleted. The job row stays, as the record of the request.
    CANCELLED = "cancelled", "Cancelled"


class ExportJob(models.Model):
    """One `$export` request: run by the worker, its NDJSON files readable by its requester."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The whole of what the requester may see (system level), or one patient's compartment.
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    types = models.JSONField(default=list, blank=True)
    # _since: only resources changed from then on.
    since = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ExportStatus.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"


class ExportFile(models.Model):
    """The NDJSON of one resource type of an export, kept in the database like the rows it
    copies (no unencrypted copy of health data on disk)."""

    job = models.ForeignKey(ExportJob, on_delete=models.PROTECT, related_name="files")
    resource_type = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    content = models.TextField()

    class Meta:
        ordering: ClassVar = ["job", "resource_type"]

    def __str__(self) -> str:
        return f"{self.job} {self.resource_type}"


class InboundReferral(models.Model):
    """The identifier a referrer's EMR gave the ServiceRequest of an e-referral it sent (its
    own order number, say), so that a retried transaction (the EMR timed out and posted the
    same Bundle again) finds the referral it made instead of making a second one.

    The identifier is the sender's: it is unique per referrer only (two EMRs may well number
    their orders alike), and a referrer's identifier never finds another referrer's referral."""

    referrer = models.ForeignKey("referrals.Referrer", on_delete=models.PROTECT, related_name="+")
    system = models.CharField(max_length=255)
    value = models.CharField(max_length=255)
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="+"
    )
    # SHA-256 of what the Bundle said (the referral's fields as read from it): a repeat with
    # other content under the same identifier is a conflict, never silently dropped.
    fingerprint = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["referrer", "system", "value"], name="fhir_inbound_referral_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value} -> referral {self.referral_id}"
