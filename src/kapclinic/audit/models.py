"""Audit events are only ever inserted; seals chain them, in order, by SHA-256.

Writing an event takes no lock, so requests stay parallel. A short sealing step
(`audit.chain.seal_pending`, run after each commit and by `kapclinic audit seal`)
appends one AuditSeal per event: hash_n = SHA-256(hash_{n-1} || canonical(event_n)).
Database triggers (migration 0002) refuse UPDATE and DELETE on both tables.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Create")
    READ = "read", _("Read")
    UPDATE = "update", _("Update")
    SEARCH = "search", _("Search")
    EXPORT = "export", _("Export")
    EXECUTE = "execute", _("Execute")
    LOGIN = "login", _("Sign in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    # A wrong password re-entered to sign: a register witness co-signing, a physician signing a
    # screening decision (accounts.reauth counts them for lockout). The value predates the
    # second use and stays, so older events keep counting.
    WITNESS_PASSWORD_FAILED = "witness_failed", _("Wrong password re-entered to sign")
    LOGOUT = "logout", _("Sign out")
    DENIED = "denied", _("Access denied")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A snapshot: the trail must still say who it was after a rename or role change.
    actor_label = models.CharField(max_length=254, blank=True)
    role = models.CharField(max_length=20, blank=True)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    reason = models.TextField(blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # HMAC of the event's content with the audit key, set when the application writes it: a row
    # inserted by anyone without the key cannot carry a valid one (audit.chain.event_mac).
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["patient", "occurred_at"], name="audit_patient_time"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id} by {self.actor_label}"

    @property
    def failed(self) -> bool:
        return self.outcome == Outcome.FAILURE


class AuditSeal(models.Model):
    """The chain link of one event; the chain order is the seal order."""

    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    # Unique: two seals can never claim the same predecessor, so the chain cannot fork.
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"seal {self.pk} of event {self.event_id}"
