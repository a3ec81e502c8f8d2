"""Staff pages for clinic admins: who works here, add a colleague, deactivate an account."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.accounts import credentials
from kapclinic.accounts.forms import CredentialForm, ReasonForm, StaffForm
from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.selectors import clinics_of, staff_of
from kapclinic.accounts.services import create_staff_member, deactivate_user
from kapclinic.clinics.models import latest_today
from kapclinic.errors import DomainError, NotPermitted, id_or_none, run_service


def staff_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/staff.html", {"staff": staff_of(by=request.user)})


def staff_create(request: AuthedRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, clinics=clinics_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            create_staff_member(
                by=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                clinics=data["clinics"],
                password=data["password"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Staff member added."))
            return redirect("accounts:staff")
    return render(request, "accounts/staff_create.html", {"form": form})


@require_POST
def staff_deactivate(request: AuthedRequest, user_id: int) -> HttpResponse:
    user = staff_of(by=request.user).filter(pk=user_id).first()
    if user is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to deactivate an account."))
        return redirect("accounts:staff")
    try:
        ended = deactivate_user(by=request.user, user=user, reason=form.cleaned_data["reason"])
    except NotPermitted as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s deactivated; %(count)d sessions ended.") % {"name": user, "count": ended},
        )
    return redirect("accounts:staff")


def staff_credentials(request: AuthedRequest, user_id: int) -> HttpResponse:
    """A staff member's credentials: add one, or mark one entered in error with the reason."""
    member = staff_of(by=request.user).filter(pk=user_id).first()
    if member is None:
        raise Http404
    form = CredentialForm(request.POST or None)
    if request.method == "POST" and "in_error" in request.POST:
        credential_id = id_or_none(request.POST["in_error"])
        credential = member.credentials.filter(pk=credential_id).first() if credential_id else None
        if credential is None:
            raise Http404
        reason = ReasonForm(request.POST)
        if not reason.is_valid():
            messages.error(request, " ".join(str(error) for error in reason.errors["reason"]))
        elif run_service(
            request,
            credentials.mark_in_error,
            credential=credential,
            reason=reason.cleaned_data["reason"],
        ):
            return redirect("accounts:credentials", user_id=member.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            credentials.record_credential,
            user=member,
            kind=data["kind"],
            issuer=data["issuer"],
            number=data["number"],
            version=data["version"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
        ):
            messages.success(request, _("Credential recorded."))
            return redirect("accounts:credentials", user_id=member.pk)
    held = list(member.credentials.all())
    context = {
        "member": member,
        "form": form,
        "held": held,
        "missing": credentials.missing_on(member, latest_today(member.clinics.all()), held),
        "required": credentials.required_kinds(member.role),
    }
    return render(request, "accounts/credentials.html", context)


def expiring_credentials(request: AuthedRequest) -> HttpResponse:
    """Credentials of the admin's staff that expire within the warning window."""
    clinics = None if request.user.network_wide else clinics_of(request.user)
    context = {
        "expiring": credentials.expiring(clinics=clinics),
        "days": settings.CREDENTIAL_WARNING_DAYS,
    }
    return render(request, "accounts/expiring.html", context)
