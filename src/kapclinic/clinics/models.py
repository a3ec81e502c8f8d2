"""A clinic belongs to a jurisdiction (a province) whose rules are rows, not code."""

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.bilingual import in_language


class Province(models.TextChoices):
    QC = "QC", _("Quebec")
    BC = "BC", _("British Columbia")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a time zone name."), params={"value": value})


# What a person reads for a zone: the name of its time, not its tz database key.
ZONE_LABELS = {
    "America/Toronto": _("Eastern time"),
    "America/Montreal": _("Eastern time"),
    "America/Vancouver": _("Pacific time"),
}


def zone_label(zone: str, city: str = "") -> str:
    """A zone in words ("Eastern time"); a zone without a label reads as the city's time."""
    if zone in ZONE_LABELS:
        return str(ZONE_LABELS[zone])
    return str(_("%(city)s time") % {"city": city}) if city else zone


class Jurisdiction(models.Model):
    """Rules that follow from the province's law: seeded by migration 0002, edited as data."""

    province = models.CharField(_("province"), max_length=2, choices=Province.choices, unique=True)
    # Age of majority: Civil Code of Quebec art. 153 (18); BC Age of Majority Act s. 1 (19).
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"))

    def __str__(self) -> str:
        return self.get_province_display()


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="clinics", verbose_name=_("province")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    address = models.CharField(_("address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=7)
    phone = models.CharField(_("phone"), max_length=30)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    # Shown to a patient whose answers suggest risk; empty means the Canadian defaults.
    crisis_resources = models.TextField(_("crisis resources"), blank=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def province(self) -> str:
        return self.jurisdiction.province

    @property
    def zone_label(self) -> str:
        """The clinic's time zone as a person reads it ("Eastern time", "heure de l'Est")."""
        return zone_label(self.time_zone, self.city)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> date:
        """The date at the clinic now: late evening in Vancouver is already tomorrow in Toronto."""
        return timezone.localdate(timezone=self.tzinfo)

    def now(self) -> datetime:
        """The time now on the clinic's clock (aware, in the clinic's zone)."""
        return timezone.localtime(timezone=self.tzinfo)


# The zone of each province's clocks, for a date needed before a clinic is known (a date of
# birth typed with a province): Quebec observes Eastern time, BC Pacific time (IANA tz database).
PROVINCE_ZONES = {"QC": "America/Toronto", "BC": "America/Vancouver"}


def province_today(province: str) -> date:
    """The date in the province now; the server's date only for a province we do not serve."""
    zone = PROVINCE_ZONES.get(province)
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(zone)) if zone else timezone.localdate()


def latest_today(clinics: Iterable["Clinic"]) -> date:
    """The furthest-on date among these clinics (the server's when none): a credential that
    expired anywhere its holder works has expired."""
    return max((clinic.today() for clinic in clinics), default=timezone.localdate())


class Room(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=80)
    dosing_capable = models.BooleanField(_("dosing sessions possible"), default=False)

    class Meta:
        ordering: ClassVar = ["clinic", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["clinic", "name"], name="room_name_unique_in_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.clinic} / {self.name}"


class ConditionStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    UNDER_DEVELOPMENT = "under_development", _("Under development")


class Condition(models.Model):
    """The conditions the network treats, or plans to: a medical director's data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=ConditionStatus.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "code"]

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return in_language(self, "name", language)

    @property
    def offered(self) -> bool:
        return self.status == ConditionStatus.OFFERED
