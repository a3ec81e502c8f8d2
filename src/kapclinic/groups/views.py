"""Integration group pages, and a patient's Reconnect page (join a group, book further
treatment, or discharge with a summary letter)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.access import child_of
from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.models import User
from kapclinic.audit.services import record_page_read
from kapclinic.care import cycles
from kapclinic.care.selectors import current_enrolment
from kapclinic.errors import DomainError, found_or_404, run_service
from kapclinic.groups import selectors, services
from kapclinic.groups.access import ORGANISER_ROLES, access_group
from kapclinic.groups.forms import FurtherTreatmentForm, GroupForm, JoinForm, SessionForm
from kapclinic.groups.models import GroupSession, Membership
from kapclinic.patients.access import access_patient


def _user(request: AuthedRequest) -> User:
    """The signed-in user (the access policy admitted only signed-in users with a role)."""
    return request.user


def index(request: AuthedRequest) -> HttpResponse:
    user = _user(request)
    form = GroupForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = services.NewGroup(
            clinic=data["clinic"],
            name=data["name"],
            facilitator=data["facilitator"],
            capacity=data["capacity"],
            description=data["description"],
        )
        try:
            group = services.open_group(by=user, group=new)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Group opened."))
            return redirect("groups:detail", group_id=group.pk)
    context = {
        "groups": list(selectors.groups_with_places(user)),
        "form": form if user.role in ORGANISER_ROLES else None,
    }
    return render(request, "groups/index.html", context)


def detail(request: AuthedRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    group = found_or_404(access_group, by=user, group_id=group_id)
    with timezone.override(group.clinic.tzinfo):
        context = {
            "roster": selectors.roster_of(by=user, group=group),
            "session_form": SessionForm() if user.role in ORGANISER_ROLES else None,
            "now": timezone.now(),
        }
        return render(request, "groups/detail.html", context)


@require_POST
def schedule(request: AuthedRequest, group_id: int) -> HttpResponse:
    group = found_or_404(access_group, by=_user(request), group_id=group_id)
    with timezone.override(group.clinic.tzinfo):
        form = SessionForm(request.POST)
        if form.is_valid():
            if run_service(
                request,
                services.schedule_session,
                group=group,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            ):
                messages.success(request, _("Session scheduled."))
        else:
            messages.error(request, _("Give the start time and the duration."))
    return redirect("groups:detail", group_id=group.pk)


@require_POST
def attendance(request: AuthedRequest, group_id: int) -> HttpResponse:
    group = found_or_404(access_group, by=_user(request), group_id=group_id)
    session = found_or_404(child_of, group, GroupSession, request.POST.get("session"), via="group")
    membership = found_or_404(
        child_of, group, Membership, request.POST.get("membership"), via="group"
    )
    present = request.POST.get("present") == "yes"
    run_service(
        request,
        services.record_attendance,
        session=session,
        membership=membership,
        present=present,
    )
    return redirect("groups:detail", group_id=group.pk)


@require_POST
def leave(request: AuthedRequest, group_id: int) -> HttpResponse:
    group = found_or_404(access_group, by=_user(request), group_id=group_id)
    membership = found_or_404(
        child_of, group, Membership, request.POST.get("membership"), via="group"
    )
    run_service(request, services.leave_group, membership=membership)
    return redirect("groups:detail", group_id=group.pk)


def reconnect(request: AuthedRequest, patient_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    groups = selectors.groups_with_places(user).filter(clinic=patient.clinic, active=True)
    record_page_read(actor=user, patient=patient, page="reconnect")
    context = {
        "patient": patient,
        "enrolment": current_enrolment(patient),
        "groups": list(groups),
        "memberships": selectors.memberships_of(patient),
        "join_form": JoinForm(groups=groups),
        "further_form": FurtherTreatmentForm(),
    }
    return render(request, "groups/reconnect.html", context)


@require_POST
def join(request: AuthedRequest, patient_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    form = JoinForm(request.POST, groups=selectors.groups_with_places(user))
    if not form.is_valid():
        messages.error(request, _("Choose a group."))
    elif run_service(
        request, services.join_group, group_id=form.cleaned_data["group"].pk, patient=patient
    ):
        messages.success(request, _("The patient joined the group."))
    return redirect("groups:reconnect", patient_id=patient.pk)


@require_POST
def further(request: AuthedRequest, patient_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    enrolment = current_enrolment(patient)
    form = FurtherTreatmentForm(request.POST)
    if enrolment is None or not form.is_valid():
        messages.error(request, _("Choose a program."))
        return redirect("groups:reconnect", patient_id=patient.pk)
    data = form.cleaned_data
    if run_service(
        request,
        cycles.book_further_treatment,
        enrolment_id=enrolment.pk,
        program=data["program"],
        supporter_name=data["supporter_name"],
        supporter_contact=data["supporter_contact"],
    ):
        messages.success(request, _("Further treatment booked: a new program cycle begins."))
        return redirect("care:journey", patient_id=patient.pk)
    return redirect("groups:reconnect", patient_id=patient.pk)
