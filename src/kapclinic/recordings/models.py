"""Recordings of dosing sessions: ciphertext in storage, the wrapped key and state here.

A recording is never deleted: past its retention its stored object and its key are destroyed
and a DestructionRecord keeps what was destroyed, when, by whom and why.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    AVAILABLE = "available", _("Available")
    DISCARDED = "discarded", _("Upload discarded")
    DESTROYED = "destroyed", _("Destroyed")


class Recording(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        "dosing.DosingSession", on_delete=models.PROTECT, related_name="recordings"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADING)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, default="video/mp4")
    # Plaintext bytes received so far (whole segments until the last chunk).
    received = models.BigIntegerField(default=0)
    plain_size = models.BigIntegerField(null=True, blank=True)
    stored_size = models.BigIntegerField(null=True, blank=True)
    segment_size = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=300, blank=True)
    key_id = models.CharField(max_length=40)
    wrapped_key = models.BinaryField()
    third_parties_present = models.BooleanField(_("other people appear in it"), default=False)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-started_at"]

    def __str__(self) -> str:
        return f"recording {self.uid}"


class PlaybackGrant(models.Model):
    """A stated reason opens a recording to one person for a short while."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recording = models.ForeignKey(Recording, on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    for_patient = models.BooleanField(default=False)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"grant {self.token} on {self.recording_id}"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the privacy officer")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AccessRequest(models.Model):
    """A patient asks for a copy of a recording; the privacy officer decides."""

    recording = models.ForeignKey(Recording, on_delete=models.PROTECT, related_name="requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    grant = models.OneToOneField(
        PlaybackGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"access request {self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == AccessRequestStatus.PENDING


class DestructionRecord(models.Model):
    """Survives the destruction: what was destroyed, under which rule, by whom, when.

    Deliberately no foreign key to the recording's object: only identifiers and figures.
    """

    recording_uid = models.UUIDField()
    recording_pk = models.PositiveBigIntegerField()
    session_pk = models.PositiveBigIntegerField()
    patient_pk = models.PositiveBigIntegerField()
    clinic_name = models.CharField(max_length=120)
    started_at = models.DateTimeField()
    stored_size = models.BigIntegerField(null=True)
    retention_days = models.PositiveIntegerField()
    rule = models.CharField(max_length=200)
    destroyed_at = models.DateTimeField(default=timezone.now)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-destroyed_at"]

    def __str__(self) -> str:
        return f"destroyed {self.recording_uid} at {self.destroyed_at:%Y-%m-%d}"
