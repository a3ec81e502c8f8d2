"""People refer themselves by booking an intake call, after a short pre-check.

The pre-check explains, rather than books, when the program cannot help yet (under the
province's minimum age, pregnant or nursing). A booking is a received referral with its
24-hour clock, a reserved slot, and a confirmation email with a calendar invitation.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.ages import age_on
from kapclinic.clinics.models import Clinic, Jurisdiction, province_today
from kapclinic.errors import NotPermitted
from kapclinic.referrals.errors import ReferralError
from kapclinic.referrals.inputs import ReferralInput
from kapclinic.referrals.models import Channel, IntakeSlot, Referral
from kapclinic.referrals.services import receive_referral
from kapclinic.text import render_text


@dataclass(frozen=True)
class PreCheck:
    booking_allowed: bool
    reasons: tuple[str, ...]


def pre_check(*, province: str, born: date, pregnant_or_nursing: bool) -> PreCheck:
    """Whether a person may book; each reason is a sentence for them to read."""
    reasons = []
    jurisdiction = Jurisdiction.objects.get(province=province)
    clinic = jurisdiction.clinics.order_by("name").first()
    today = clinic.today() if clinic else province_today(province)  # the province's date
    if age_on(born, today) < jurisdiction.minimum_age:
        reasons.append(
            _(
                "The program is open from age %(age)s in your province. Your family doctor can "
                "suggest other help."
            )
            % {"age": jurisdiction.minimum_age}
        )
    if pregnant_or_nursing:
        reasons.append(
            _(
                "Ketamine is not offered during pregnancy or while nursing. Please talk with "
                "your doctor; we will be glad to hear from you later."
            )
        )
    return PreCheck(not reasons, tuple(reasons))


def allow_attempt(client_address: str | None) -> bool:
    """At most SELF_REFERRAL_PER_HOUR bookings an hour from one address."""
    key = f"self-referral:{client_address or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) <= settings.SELF_REFERRAL_PER_HOUR


@transaction.atomic
def book_intake_call(*, slot_id: int, details: ReferralInput) -> Referral:
    """Reserve the slot (locked, so two people cannot take it) and receive the referral."""
    slot = IntakeSlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is not None and slot.clinic.province != details.province:
        raise ReferralError(
            _("This time is at a clinic in another province. Please choose a time in yours.")
        )
    if slot is not None and slot.starts_at <= timezone.now():
        raise ReferralError(_("That time has already passed. Please choose another."))
    if slot is None or slot.referral_id is not None:
        raise ReferralError(_("That time was just taken. Please choose another."))
    referral = Referral(clinic=slot.clinic, channel=Channel.SELF)
    details.write_to(referral)
    referral.patient_agreed = True  # booking is the person's own agreement
    referral.save()
    receive_referral(by=None, referral=referral)
    slot.referral = referral
    slot.save(update_fields=["referral"])
    transaction.on_commit(lambda: send_booking_confirmation(slot.pk))
    return referral


def invitation(slot: IntakeSlot) -> bytes:
    """An iCalendar invitation for the intake call, in the clinic's time zone.

    RFC 5545 3.6.5: a TZID names a VTIMEZONE in the same file; RFC 5546 3.2.2: a REQUEST has
    an ORGANIZER (the clinic's sending address) and its ATTENDEE.
    """
    zone = slot.clinic.tzinfo
    calendar = Calendar()
    calendar.add("prodid", "-//kapclinic//intake//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"intake-{slot.pk}@kapclinic")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at.astimezone(zone))
    event.add("dtend", slot.ends_at.astimezone(zone))
    event.add("summary", _("Intake call with %(clinic)s") % {"clinic": slot.clinic.name})
    event.add("description", _("A coordinator will call you at the number you gave."))
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["CN"] = slot.clinic.name
    event.add("organizer", organizer)
    referral = slot.referral if slot.referral_id else None
    if referral is not None and referral.email:
        attendee = vCalAddress(f"mailto:{referral.email}")
        attendee.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"})
        event.add("attendee", attendee)
    calendar.add_component(event)
    day = slot.starts_at.date()
    calendar.add_missing_timezones(
        first_date=day - timedelta(days=366), last_date=day + timedelta(days=366)
    )
    return calendar.to_ical()


def send_booking_confirmation(slot_id: int) -> None:
    slot = IntakeSlot.objects.select_related("clinic", "referral__patient").get(pk=slot_id)
    referral = slot.referral
    if referral is None or not referral.email:
        return
    body = render_text("referrals/email/booking.txt", {"slot": slot})
    message = EmailMessage(
        subject=_("Your intake call with %(clinic)s") % {"clinic": slot.clinic.name},
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[referral.email],
    )
    message.attach("intake-call.ics", invitation(slot), "text/calendar; method=REQUEST")
    record_event(
        actor=None,
        action=Action.EXPORT,
        patient=referral.patient,
        target=referral,
        detail={"email": "booking", "to": "patient"},
    )
    message.send()


@transaction.atomic
def open_intake_slots(
    *, by: User, clinic: Clinic, starts: datetime, ends: datetime, minutes: int = 30
) -> list[IntakeSlot]:
    """A coordinator offers the half hours between `starts` and `ends` for intake calls."""
    if by.role != Role.INTAKE or not (by.network_wide or by.clinics.filter(pk=clinic.pk).exists()):
        raise NotPermitted(_("Only the clinic's intake coordinators offer intake calls."))
    if starts < timezone.now():
        raise ReferralError(_("Intake calls are offered from now on, not in the past."))
    slots = []
    moment = starts
    while moment + timedelta(minutes=minutes) <= ends:
        slot, _created = IntakeSlot.objects.get_or_create(
            coordinator=by,
            starts_at=moment,
            defaults={"clinic": clinic, "ends_at": moment + timedelta(minutes=minutes)},
        )
        slots.append(slot)
        moment += timedelta(minutes=minutes)
    return slots


def free_slots_everywhere(days: int = 14) -> list[IntakeSlot]:
    """Free times at every clinic, soonest first (the public page lists them by clinic)."""
    now = timezone.now()
    slots = IntakeSlot.objects.filter(
        referral__isnull=True, starts_at__gt=now, starts_at__lt=now + timedelta(days=days)
    )
    slots = slots.select_related("clinic__jurisdiction")
    return list(slots.order_by("clinic__jurisdiction__province", "clinic__name", "starts_at", "id"))


def upcoming_slots_of(user: User) -> list[IntakeSlot]:
    slots = IntakeSlot.objects.filter(coordinator=user, starts_at__gt=timezone.now())
    return list(slots.select_related("clinic", "referral"))
