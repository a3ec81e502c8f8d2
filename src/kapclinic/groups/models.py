"""Integration groups of the Reconnect stage: ongoing, led by a therapist, with a capacity,
sessions, members and attendance. Members leave (left_at); nothing is deleted."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IntegrationGroup(models.Model):
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, related_name="integration_groups"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_groups",
        verbose_name=_("facilitator"),
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["name", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="group_capacity_positive")
        ]

    def __str__(self) -> str:
        return self.name


class GroupSession(models.Model):
    group = models.ForeignKey(IntegrationGroup, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_at:%Y-%m-%d %H:%M}"


class Membership(models.Model):
    group = models.ForeignKey(
        IntegrationGroup, on_delete=models.PROTECT, related_name="memberships"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="group_memberships"
    )
    # The finished program the patient came from.
    enrolment = models.ForeignKey("care.Enrolment", on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["joined_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["group", "patient"],
                condition=Q(left_at__isnull=True),
                name="one_active_group_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} in {self.group}"


class Attendance(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "membership"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.membership.patient} at {self.session}: {self.present}"
