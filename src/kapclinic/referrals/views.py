"""Referral pages: the referrer portal, the intake queue, the faxed-form desk, the SLA figure."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.selectors import clinics_of
from kapclinic.audit.middleware import client_address
from kapclinic.charts import line_chart_svg, svg_data_uri
from kapclinic.errors import DomainError, found_or_404
from kapclinic.referrals import registration, selectors, services
from kapclinic.referrals import self_referral as self_referral_flow
from kapclinic.referrals.forms import (
    AvailabilityForm,
    ContactAttemptForm,
    FaxReferralForm,
    ProvinceForm,
    ReferralForm,
    ReferrerForm,
    ReferrerRegistrationForm,
    SelfReferralForm,
    StatusForm,
    SubmitReferralForm,
)
from kapclinic.referrals.models import Referrer

AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _detail_or_404(request: AuthedRequest, referral_id: int) -> Any:
    return found_or_404(selectors.referral_detail, by=request.user, referral_id=referral_id)


# --- referrer portal -------------------------------------------------------------------


def referrer_register(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address has an account: "check your email"."""
    form = ReferrerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.register_referrer(
                details=form.to_input(),
                password=form.cleaned_data["password"],
                language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("referrals:register_sent")
    return render(request, "referrals/register.html", {"form": form})


def register_sent(request: AuthedRequest) -> HttpResponse:
    return render(request, "referrals/register_sent.html")


def register_confirm(request: AuthedRequest, uidb64: str, token: str) -> HttpResponse:
    """The emailed link: activates the account, signs the referrer in."""
    user = registration.confirm_registration(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "referrals/register_closed.html", status=410)
    login(request, user, backend=AUTH_BACKEND)
    messages.success(request, _("Welcome. A clinic admin will verify your registration."))
    return redirect("referrals:portal")


def portal(request: AuthedRequest) -> HttpResponse:
    referrals = selectors.referrals_sent_by(by=request.user)
    return render(request, "referrals/portal.html", {"referrals": referrals})


def referral_edit(request: AuthedRequest, referral_id: int | None = None) -> HttpResponse:
    """New e-referral or a draft: "Save draft" keeps it, "Submit" sends it to the clinic."""
    referral = _detail_or_404(request, referral_id) if referral_id else None
    submitting = "submit" in request.POST
    form_class = SubmitReferralForm if submitting else ReferralForm
    form = form_class(request.POST or None, request.FILES or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_referral(
                by=request.user,
                referrer=Referrer.objects.get(user=request.user),
                details=form.to_input(),
                attachments=form.cleaned_data["attachments"],
                referral=referral,
                submit=submitting,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Referral sent.") if submitting else _("Draft saved."))
            return redirect("referrals:sent", referral_id=saved.pk)
    return render(request, "referrals/edit.html", {"form": form, "referral": referral})


def referral_sent(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _detail_or_404(request, referral_id)
    return render(request, "referrals/sent.html", {"referral": referral})


# --- intake staff -----------------------------------------------------------------------


QUEUE_TAB_LABELS = {
    "waiting": gettext_lazy("To contact or book"),
    "screening_booked": gettext_lazy("Screening booked"),
    "unable_to_contact": gettext_lazy("Unable to contact"),
}


def queue(request: AuthedRequest) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    queue = selectors.intake_queue(by=request.user, tab=request.GET.get("tab", ""), page=page)
    tabs = [(name, QUEUE_TAB_LABELS[name], queue.counts[name]) for name in selectors.QUEUE_TABS]
    context = {
        "queue": queue,
        "referrals": queue.referrals,
        "tabs": tabs,
        "now": timezone.now(),
    }
    return render(request, "referrals/queue.html", context)


def referral_detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    page = found_or_404(selectors.referral_page, by=request.user, referral_id=referral_id)
    referral = page.referral
    context = {
        "referral": referral,
        "page": page,
        "proposed": selectors.proposed_record(by=request.user, referral=referral),
        "attempt_form": ContactAttemptForm(),
        "status_form": StatusForm(allowed=services.ALLOWED_CHANGES.get(referral.status, set())),
        "now": timezone.now(),
    }
    return render(request, "referrals/detail.html", context)


@require_POST
def contact_attempt(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _detail_or_404(request, referral_id)
    form = ContactAttemptForm(request.POST)
    if form.is_valid():
        services.record_contact_attempt(
            by=request.user,
            referral_id=referral.pk,
            method=form.cleaned_data["method"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Contact attempt logged."))
    else:
        messages.error(request, _("Choose the method and the outcome."))
    return redirect("referrals:detail", referral_id=referral.pk)


@require_POST
def change_status(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _detail_or_404(request, referral_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                by=request.user,
                referral_id=referral.pk,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose the new status."))
    return redirect("referrals:detail", referral_id=referral.pk)


@require_POST
def reconcile(request: AuthedRequest, referral_id: int) -> HttpResponse:
    """Link the referral to the proposed record (`decision=link`) or make a new one (`new`)."""
    referral = _detail_or_404(request, referral_id)
    decision = request.POST.get("decision", "")
    if decision not in ("link", "new"):
        messages.error(request, _("Choose to link the proposed record or to make a new one."))
    else:
        try:
            services.reconcile_patient(
                by=request.user, referral_id=referral.pk, link=decision == "link"
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The referral is linked to the patient's record."))
    return redirect("referrals:detail", referral_id=referral.pk)


def fax_intake(request: AuthedRequest) -> HttpResponse:
    form = FaxReferralForm(
        request.POST or None, request.FILES or None, clinics=clinics_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referral = services.receive_faxed_referral(
            by=request.user,
            clinic=data["clinic"],
            referrer=data["referrer"],
            fax_document=data["fax_document"],
            details=form.to_input(),
            attachments=data["attachments"],
        )
        messages.success(request, _("Referral %(number)s received.") % {"number": referral.number})
        return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/fax.html", {"form": form})


def fax_document(request: AuthedRequest, referral_id: int) -> FileResponse:
    referral = found_or_404(selectors.faxed_form, by=request.user, referral_id=referral_id)
    return FileResponse(
        referral.fax_document.open("rb"),
        as_attachment=True,
        filename=f"{referral.number}-fax.pdf",
        content_type="application/pdf",
    )


def attachment(request: AuthedRequest, referral_id: int, attachment_id: int) -> FileResponse:
    """One attachment, as the kind of file its bytes say it is: PDF and images shown in the
    browser, anything else only downloaded; never cached, never content-sniffed by the browser."""
    download = found_or_404(
        selectors.referral_attachment,
        by=request.user,
        referral_id=referral_id,
        attachment_id=attachment_id,
    )
    response = FileResponse(
        download.attachment.file.open("rb"),
        as_attachment=not download.inline,
        filename=download.attachment.original_name,
        content_type=download.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def referrer_from_fax(request: AuthedRequest) -> HttpResponse:
    form = ReferrerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referrer = services.add_referrer_from_fax(by=request.user, details=form.to_input())
        messages.success(
            request, _("%(name)s added; choose them on the faxed referral.") % {"name": referrer}
        )
        return redirect("referrals:fax")
    return render(request, "referrals/referrer_new.html", {"form": form})


def referrers(request: AuthedRequest) -> HttpResponse:
    listed = Referrer.objects.order_by("verified_at", "full_name", "id")
    return render(request, "referrals/referrers.html", {"referrers": listed})


@require_POST
def verify_referrer(request: AuthedRequest, referrer_id: int) -> HttpResponse:
    found_or_404(services.verify_referrer, by=request.user, referrer_id=referrer_id)
    messages.success(request, _("Referrer verified."))
    return redirect("referrals:referrers")


def sla(request: AuthedRequest) -> HttpResponse:
    figures = selectors.sla_figures(by=request.user)
    weeks = sorted({f.week for f in figures.weeks})
    clinics = sorted({f.clinic for f in figures.weeks})
    share = {(f.clinic, f.week): round(100 * f.share, 1) for f in figures.weeks}
    chart = (
        line_chart_svg(
            title=_("Referrals contacted within 24 hours"),
            x=weeks,
            x_format="%Y-%m-%d",
            series={c: [share.get((c, w)) for w in weeks] for c in clinics},
            y_label="%",
            y_max=100,
            target=100,
        )
        if weeks
        else ""
    )
    context = {"figures": figures, "chart": svg_data_uri(chart) if chart else ""}
    return render(request, "referrals/sla.html", context)


# --- self-referral ----------------------------------------------------------------------


def _province_step(request: HttpRequest) -> HttpResponse | None:
    """The first step, until a province is chosen: then only its clinics' times are offered."""
    chosen = ProvinceForm(request.GET if "province" in request.GET else None)
    if chosen.is_valid():
        return None
    return render(request, "referrals/self_referral_province.html", {"form": chosen})


def self_referral(request: HttpRequest) -> HttpResponse:
    """Public: pre-check, details and a time; robots and floods are turned away."""
    if request.method != "POST" and (step := _province_step(request)) is not None:
        return step
    slots = self_referral_flow.free_slots_everywhere()
    province = request.GET.get("province", "")
    form = SelfReferralForm(request.POST or None, slots=slots, initial={"province": province})
    reasons: tuple[str, ...] = ()
    if request.method == "POST" and not form.is_valid():
        known = form.cleaned_data
        if "province" in known and "date_of_birth" in known:  # say why, even beside other errors
            reasons = self_referral_flow.pre_check(
                province=known["province"],
                born=known["date_of_birth"],
                pregnant_or_nursing=known.get("pregnant_or_nursing", False),
            ).reasons
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # the honeypot: answer as if booked, book nothing
            return redirect("referrals:self_booked")
        if not self_referral_flow.allow_attempt(client_address(request)):
            form.add_error(
                None, _("Too many bookings from this connection. Please call us instead.")
            )
        else:
            check = self_referral_flow.pre_check(
                province=data["province"],
                born=data["date_of_birth"],
                pregnant_or_nursing=data["pregnant_or_nursing"],
            )
            reasons = check.reasons
            if check.booking_allowed:
                try:
                    self_referral_flow.book_intake_call(
                        slot_id=int(data["slot"]), details=form.to_input()
                    )
                except DomainError as error:
                    form.add_error("slot", error.message)
                else:
                    return redirect("referrals:self_booked")
    return render(request, "referrals/self_referral.html", {"form": form, "reasons": reasons})


def self_booked(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/self_booked.html")


def availability(request: AuthedRequest) -> HttpResponse:
    """A coordinator offers times for intake calls."""
    form = AvailabilityForm(request.POST or None, clinics=clinics_of(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        zone = data["clinic"].tzinfo
        try:
            opened = self_referral_flow.open_intake_slots(
                by=request.user,
                clinic=data["clinic"],
                starts=datetime.combine(data["day"], data["start"], tzinfo=zone),
                ends=datetime.combine(data["day"], data["end"], tzinfo=zone),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(count)d times offered.") % {"count": len(opened)})
            return redirect("referrals:availability")
    slots = self_referral_flow.upcoming_slots_of(request.user)
    return render(request, "referrals/availability.html", {"form": form, "slots": slots})
