"""Staff pages for clinic admins: who works here, add a colleague, deactivate an account."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.accounts.forms import DeactivateForm, StaffForm
from kapclinic.accounts.selectors import staff_of
from kapclinic.accounts.services import create_staff_member, deactivate_user
from kapclinic.clinics.selectors import clinics_of
from kapclinic.errors import NotPermitted


def staff_list(request: HttpRequest) -> HttpResponse:
    context = {"staff": staff_of(by=request.user), "deactivate_form": DeactivateForm()}
    return render(request, "accounts/staff.html", context)


def staff_create(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, clinics=clinics_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            create_staff_member(by=request.user, **form.cleaned_data)
        except NotPermitted as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Staff member added."))
            return redirect("accounts:staff")
    return render(request, "accounts/staff_create.html", {"form": form})


@require_POST
def staff_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = staff_of(by=request.user).filter(pk=user_id).first()
    if user is None:
        raise Http404
    form = DeactivateForm(request.POST)
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
