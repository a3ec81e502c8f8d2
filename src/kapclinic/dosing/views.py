"""The session pages: today's sessions, and the session screen made for a tablet in the room.

Each POST parses one form, calls one service and comes back to the screen; a refusal is
shown there with its sentence. Times are read and shown in the clinic's time zone.
"""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.models import User
from kapclinic.clinical.dosing import SessionState
from kapclinic.dosing import monitoring, selectors, services
from kapclinic.dosing.access import DOSING_ROLES, NOTE_ROLES, access_session
from kapclinic.dosing.forms import (
    AdverseEventForm,
    DischargeForm,
    DoseForm,
    NoteForm,
    PreDoseForm,
    StopForm,
    VitalsForm,
)
from kapclinic.dosing.models import DosingSession
from kapclinic.errors import DomainError, call_service, found_or_404, run_service
from kapclinic.scheduling.access import access_attendance

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

SessionView = Callable[[AuthedRequest, DosingSession], HttpResponse]


def session_view(view: SessionView) -> Callable[..., HttpResponse]:
    """Open the session the user may see, in its clinic's time zone."""

    @wraps(view)
    def opened(request: AuthedRequest, session_id: int) -> HttpResponse:
        session = found_or_404(access_session, by=request.user, session_id=session_id)
        with timezone.override(session.clinic.tzinfo):
            return view(request, session)

    return opened


def today(request: AuthedRequest) -> HttpResponse:
    clinics = list(selectors.session_clinics(request.user))
    chosen = next((c for c in clinics if str(c.pk) == request.GET.get("clinic")), None)
    clinic = chosen or (clinics[0] if clinics else None)
    day = clinic.today() if clinic else None  # no clinic, no day to show
    attendances = (
        selectors.todays_sessions(by=request.user, clinic=clinic, day=clinic.today())
        if clinic
        else []
    )
    context = {"clinics": clinics, "clinic": clinic, "day": day, "attendances": attendances}
    return render(request, "dosing/today.html", context)


@require_POST
def check_in(request: AuthedRequest, attendance_id: int) -> HttpResponse:
    attendance = found_or_404(access_attendance, by=request.user, attendance_id=attendance_id)
    try:
        session = services.check_in(by=request.user, attendance=attendance)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("dosing:today")
    return redirect("dosing:session", session_id=session.pk)


def _forms(
    session: DosingSession, planned: Decimal | int | None, **bound: BaseForm
) -> dict[str, BaseForm]:
    """Every form of the screen, empty unless bound; `planned` is the dose the form proposes."""
    lots = selectors.usable_lots(session)
    forms: dict[str, BaseForm] = {
        "pre_dose_form": PreDoseForm(
            initial={
                "fasted_as_instructed": session.fasted_as_instructed,
                "ride_home_arranged": session.ride_home_arranged,
                "pregnancy_attestation": session.pregnancy_attestation,
                "alternative_safeguard": session.alternative_safeguard,
            }
        ),
        "dose_form": DoseForm(lots=lots, initial={"dose_mg": planned}),
        "vitals_form": VitalsForm(),
        "event_form": AdverseEventForm(),
        "note_form": NoteForm(),
        "discharge_form": DischargeForm(),
        "stop_form": StopForm(),
    }
    return forms | bound


def _screen(request: AuthedRequest, session: DosingSession, **bound: Any) -> HttpResponse:
    now = timezone.now()
    screen = selectors.session_screen(by=request.user, session=session, now=now)
    context = screen.context()
    # The discharge criteria are shown while monitoring only.
    if session.state == SessionState.MONITORING:
        form = bound.get("discharge_form")
        observed = form.cleaned_data if form and form.is_valid() else {}
        context["readiness"] = services.readiness(
            session,
            now,
            after_dose=screen.after_dose,
            alert_and_oriented=observed.get("alert_and_oriented", False),
            walking_steadily=observed.get("walking_steadily", False),
            escort_present=observed.get("escort_present", False),
        )
        context["missing_readings"] = services.missing_readings(
            session, now, after_dose=screen.after_dose
        )
    context |= _forms(session, screen.planned_dose, **bound)
    context["may_dose"] = request.user.role in DOSING_ROLES
    context["may_write_note"] = request.user.role in NOTE_ROLES
    status = 400 if bound else 200
    return render(request, "dosing/session.html", context, status=status)


@session_view
def session(request: AuthedRequest, session: DosingSession) -> HttpResponse:
    return _screen(request, session)


def _act(
    request: AuthedRequest,
    session: DosingSession,
    form: BaseForm,
    name: str,
    act: Callable[[], Any],
    *,
    show_form_on_refusal: bool = False,
    done: "_StrPromise | None" = None,
) -> HttpResponse:
    """Call the service when the form is valid; show its refusal, or the form's errors.

    A refusal comes back to the screen, with the form as filled in when `show_form_on_refusal`
    (discharge: the unmet criteria are shown against what was observed); `done`, when given,
    is the confirmation shown once the service ran."""
    if not form.is_valid():
        return _screen(request, session, **{name: form})
    if not call_service(request, act):
        if show_form_on_refusal:
            return _screen(request, session, **{name: form})
    elif done is not None:
        messages.success(request, done)
    return redirect("dosing:session", session_id=session.pk)


@require_POST
@session_view
def pre_dose(request: AuthedRequest, session: DosingSession) -> HttpResponse:
    form = PreDoseForm(request.POST)
    return _act(
        request,
        session,
        form,
        "pre_dose_form",
        lambda: services.record_pre_dose_facts(
            by=request.user,
            session_id=session.pk,
            fasted_as_instructed=form.cleaned_data["fasted_as_instructed"],
            ride_home_arranged=form.cleaned_data["ride_home_arranged"],
            pregnancy_attestation=form.cleaned_data["pregnancy_attestation"],
            alternative_safeguard=form.cleaned_data["alternative_safeguard"],
            baseline=form.values(),
            baseline_taken_at=form.cleaned_data["taken_at"],
        ),
    )


@require_POST
@session_view
def clear(request: AuthedRequest, session: DosingSession) -> HttpResponse:
    run_service(request, services.clear_to_dose, session_id=session.pk)
    return redirect("dosing:session", session_id=session.pk)


@require_POST
@session_view
def dose(request: AuthedRequest, session: DosingSession) -> HttpResponse:
    form = DoseForm(request.POST, lots=selectors.usable_lots(session))
    return _act(
        request,
        session,
        form,
        "dose_form",
        lambda: services.record_dose(
            by=request.user,
            session_id=session.pk,
            given_at=form.cleaned_data["given_at"],
            dose_mg=form.cleaned_data["dose_mg"],
            lot=form.cleaned_data["lot"],
        ),
    )


@require_POST
@session_view
def vitals(request: AuthedRequest, session: DosingSession) -> HttpResponse:
    form = VitalsForm(request.POST)
    return _act(
        request,
        session,
        form,
        "vitals_form",
        lambda: monitoring.record_vitals(
            by=request.user,
            session_id=session.pk,
            taken_at=form.cleaned_data["taken_at"],
            values=form.values(),
        ),
    )


def _posted(
    form_class: type[BaseForm],
    name: str,
    service: Callable[[User, int, BaseForm], object],
    *,
    show_form_on_refusal: bool = False,
    done: "_StrPromise | None" = None,
) -> Callable[..., HttpResponse]:
    """A session action: `service(by, session_id, form)` calls the service with the form's
    fields, each named, so the type checker sees every argument."""

    @require_POST
    @session_view
    def view(request: AuthedRequest, session: DosingSession) -> HttpResponse:
        form = form_class(request.POST)
        return _act(
            request,
            session,
            form,
            name,
            lambda: service(request.user, session.pk, form),
            show_form_on_refusal=show_form_on_refusal,
            done=done,
        )

    return view


def _adverse_event(by: User, session_id: int, form: BaseForm) -> object:
    data = form.cleaned_data
    return monitoring.record_adverse_event(
        by=by,
        session_id=session_id,
        kind=data["kind"],
        severity=data["severity"],
        onset_at=data["onset_at"],
        description=data["description"],
        action=data["action"],
        outcome=data["outcome"],
        serious_outcomes=data["serious_outcomes"],
    )


def _note(by: User, session_id: int, form: BaseForm) -> object:
    data = form.cleaned_data
    return monitoring.write_session_note(
        by=by,
        session_id=session_id,
        intention=data["intention"],
        experience=data["experience"],
        observations=data["observations"],
        music=data["music"],
        eye_shades=data["eye_shades"],
    )


def _stop(by: User, session_id: int, form: BaseForm) -> object:
    return services.stop_session(by=by, session_id=session_id, reason=form.cleaned_data["reason"])


def _discharge(by: User, session_id: int, form: BaseForm) -> object:
    data = form.cleaned_data
    return services.discharge(
        by=by,
        session_id=session_id,
        alert_and_oriented=data["alert_and_oriented"],
        walking_steadily=data["walking_steadily"],
        escort_present=data["escort_present"],
        missed_reason=data["missed_reason"],
    )


# A refused event comes back open and as typed: nothing the nurse wrote is lost.
adverse_event = _posted(AdverseEventForm, "event_form", _adverse_event, show_form_on_refusal=True)
note = _posted(NoteForm, "note_form", _note, done=gettext_lazy("Note saved."))
stop = _posted(StopForm, "stop_form", _stop)
# A refused discharge shows the unmet criteria against what was observed.
discharge = _posted(DischargeForm, "discharge_form", _discharge, show_form_on_refusal=True)
