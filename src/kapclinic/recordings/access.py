"""Who may see which recording: the one place for that rule.

Playback is for the session's treating physician, the session's therapist, the medical
director and the privacy officer, each only for patients they may see (patients.access).
Recording is for the staff in the room (physicians, nurses, therapists).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.dosing.models import Order
from kapclinic.errors import NotFound, NotPermitted
from kapclinic.patients.access import visible_patients
from kapclinic.patients.models import CareRole, Patient
from kapclinic.recordings.models import Recording, Status

# Start, resume or discard an upload from the room.
CAPTURE_ROLES = frozenset({Role.PHYSICIAN, Role.NURSE, Role.THERAPIST})
# May reach the recording pages at all; `may_play` decides per recording.
PLAYBACK_ROLES = frozenset({Role.PHYSICIAN, Role.THERAPIST, Role.PRIVACY_OFFICER})
# Legal hold, patient access requests, the destruction log.
PRIVACY_ROLES = frozenset({Role.PRIVACY_OFFICER})


def recording_patients(user: User) -> QuerySet[Patient]:
    """Patients whose recordings `user` may reach: as for charts, and for the privacy officer
    the patients of their clinics (or of the network) though they open no chart."""
    if getattr(user, "role", None) == Role.PRIVACY_OFFICER and user.is_active:
        patients = Patient.objects.all()
        return patients if user.network_wide else patients.filter(clinic__in=user.clinics.all())
    return visible_patients(user)


def find_recording(*, by: User, recording_id: int) -> Recording:
    """A stored recording of a patient `by` may see; NotFound otherwise (no hint it exists)."""
    recording = (
        Recording.objects.filter(
            pk=recording_id, patient__in=recording_patients(by), status=Status.AVAILABLE
        )
        .select_related(
            "patient__clinic",
            "session__clinic",
            "session__order",
            "session__attendance__appointment",
        )
        .first()
    )
    if recording is None:
        raise NotFound(_("No recording was found."))
    return recording


def playback_role(user: User, recording: Recording) -> str | None:
    """Why `user` may play the recording ("treating physician", ...), or None."""
    session = recording.session
    if user.role == Role.PRIVACY_OFFICER:
        return "privacy_officer"
    if user.role == Role.PHYSICIAN and user.is_medical_director:
        return "medical_director"
    if user.role == Role.PHYSICIAN and (
        _signed_orders(user, recording) or _on_care_team(user, recording, CareRole.PHYSICIAN)
    ):
        return "treating_physician"
    if user.role == Role.THERAPIST and session.attendance.appointment.clinician_id == user.pk:
        return "session_therapist"
    return None


def _signed_orders(user: User, recording: Recording) -> bool:
    """The physician who orders the patient's ketamine treats them."""
    return Order.objects.filter(patient=recording.patient_id, signed_by=user).exists()


def _on_care_team(user: User, recording: Recording, care_role: CareRole) -> bool:
    return recording.patient.care_team.filter(
        user=user, care_role=care_role, ended_at__isnull=True
    ).exists()


def require_playback(user: User, recording: Recording) -> str:
    role = playback_role(user, recording)
    if role is None:
        raise NotPermitted(
            _(
                "Only the treating physician, the session's therapist, the medical director "
                "and the privacy officer may play a recording."
            )
        )
    return role
