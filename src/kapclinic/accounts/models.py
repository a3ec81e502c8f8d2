"""Users log in by email and hold one role; staff belong to one or more clinics."""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.roles import STAFF_ROLES, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    is_medical_director = models.BooleanField(_("medical director"), default=False)
    # Sees every clinic of the network (a medical director or the privacy officer).
    network_wide = models.BooleanField(_("whole network"), default=False)
    clinics = models.ManyToManyField(
        "clinics.Clinic", blank=True, related_name="staff", verbose_name=_("clinics")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    # Honoured only while settings.DEMO is on; lets the demo accounts skip MFA enrolment.
    mfa_exempt = models.BooleanField(default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Access to Django's admin site (operators only; clinical work never goes through it).
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(is_medical_director=False) | Q(role=Role.PHYSICIAN),
                name="medical_director_is_physician",
            ),
            models.CheckConstraint(
                condition=Q(network_wide=False)
                | Q(is_medical_director=True)
                | Q(role=Role.PRIVACY_OFFICER),
                name="network_wide_is_director_or_privacy",
            ),
        ]

    def __str__(self) -> str:
        return self.label_of(self.full_name, self.email)

    @staticmethod
    def label_of(full_name: str, email: str) -> str:
        """How a person is named on a page, from the two columns (for plain-row reads)."""
        return full_name or email

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in STAFF_ROLES


class LoginSession(models.Model):
    """One browser session of a user, so that deactivation can end all of them at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


class CredentialKind(models.TextChoices):
    LICENCE = "licence", _("Licence or registration")
    CRIMINAL_RECORD_CHECK = "criminal_record_check", _("Criminal record check")
    ETHICS_ATTESTATION = "ethics_attestation", _("Code of ethics attestation")
    TRAUMA_TRAINING = "trauma_training", _("Trauma-therapy training")


class Credential(models.Model):
    """A staff member's licence, check, attestation or training; corrected by marking in error."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(_("credential"), max_length=30, choices=CredentialKind.choices)
    # The college (licence), the jurisdiction (record check) or the training body.
    issuer = models.CharField(_("issued by"), max_length=120)
    number = models.CharField(_("number"), max_length=60, blank=True)
    # The code of ethics version attested to.
    version = models.CharField(_("version"), max_length=40, blank=True)
    issued_on = models.DateField(_("date"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    entered_in_error = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["kind", "-issued_on"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="credential_expires_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user}"
