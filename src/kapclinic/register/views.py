"""Register pages: balances per clinic, the ledger, the forms that post entries, counts and
discrepancies. Each view parses, calls one service or selector, and renders."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.accounts.http import AuthedRequest
from kapclinic.clinics.models import Clinic
from kapclinic.errors import call_service, found_or_404
from kapclinic.register import counts, forms, selectors, services
from kapclinic.register.access import (
    FORMULARY_ROLES,
    HANDLING_ROLES,
    access_clinic,
    register_clinics,
)


def _clinic(request: AuthedRequest, clinic_id: int) -> Clinic:
    return found_or_404(access_clinic, by=request.user, clinic_id=clinic_id)


def index(request: AuthedRequest) -> HttpResponse:
    clinics = list(register_clinics(request.user))
    if len(clinics) == 1:
        return redirect("register:clinic", clinic_id=clinics[0].pk)
    edits_formulary = request.user.role in FORMULARY_ROLES
    context = {"clinics": clinics, "edits_formulary": edits_formulary}
    return render(request, "register/index.html", context)


def clinic(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    place = _clinic(request, clinic_id)
    context = {
        "clinic": place,
        "balances": selectors.stock_on_hand(by=request.user, clinic=place),
        "discrepancies": selectors.open_discrepancies(clinic=place),
        "period_form": forms.PeriodForm({}, clinic=place),
        "handles_stock": request.user.role in HANDLING_ROLES,
    }
    return render(request, "register/clinic.html", context)


# A busy clinic writes thousands of entries a year; the screen shows them a page at a time
# (the CSV and PDF report give the whole period).
LEDGER_PAGE_SIZE = 100


def ledger(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    place = _clinic(request, clinic_id)
    form = forms.PeriodForm(request.GET, clinic=place)
    entries, query = None, request.GET.copy()
    query.pop("page", None)
    if form.is_valid():
        period = form.cleaned_data
        found = selectors.ledger_entries(
            by=request.user,
            clinic=place,
            start=period["start"],
            end=period["end"],
            product=period["product"],
        )
        entries = Paginator(found, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"clinic": place, "form": form, "entries": entries, "query": query.urlencode()}
    return render(request, "register/ledger.html", context)


def _form_page(
    request: AuthedRequest,
    place: Clinic | None,
    form: Form,
    write: Callable[[dict[str, Any]], Any],
    texts: tuple[str, str, str],
    extra: dict[str, Any] | None = None,
    done_url: str = "",
) -> HttpResponse:
    """GET shows the form; a valid POST calls `write`, or shows the service's refusal.

    After a write the page goes to `done_url` (a URL or URL name), by default the clinic's
    register; `place` is None for a form that belongs to no clinic."""
    title, button, done = texts
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(request, lambda: write(form.cleaned_data), form=form)
    ):
        messages.success(request, done)
        if done_url or place is None:
            return redirect(done_url)
        return redirect("register:clinic", clinic_id=place.pk)
    context = {"clinic": place, "form": form, "title": title, "button": button, **(extra or {})}
    return render(request, "register/form.html", context)


def receive(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    place = _clinic(request, clinic_id)
    form = forms.ReceiptForm(request.POST or None)
    return _form_page(
        request,
        place,
        form,
        lambda data: services.receive_stock(
            by=request.user,
            clinic=place,
            product=data["product"],
            lot_number=data["lot_number"],
            expiry=data["expiry"],
            supplier=data["supplier"],
            invoice=data["invoice"],
            quantity_mg=data["quantity_mg"],
        ),
        (_("Receive stock"), _("Enter the receipt"), _("Receipt entered.")),
    )


def waste(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    place = _clinic(request, clinic_id)
    form = forms.WasteForm(request.POST or None, clinic=place, by=request.user)
    # The message names what was written: a dose's remainder is waste, unusable stock destroyed.
    destroying = request.method == "POST" and bool(request.POST.get("destruction"))
    done = (
        _("Destruction recorded and co-signed.")
        if destroying
        else _("Waste recorded and co-signed.")
    )
    return _form_page(
        request,
        place,
        form,
        lambda data: services.record_waste(
            by=request.user,
            clinic=place,
            lot=data["lot"],
            quantity_mg=data["quantity_mg"],
            witness=data["witness"],
            witness_password=data["witness_password"],
            reason=data["reason"],
            destruction=data["destruction"],
        ),
        (
            _("Waste or destruction, witnessed"),
            _("Sign the joint declaration"),
            done,
        ),
    )


def transfer(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    place = _clinic(request, clinic_id)
    form = forms.TransferForm(request.POST or None, clinic=place)
    return _form_page(
        request,
        place,
        form,
        lambda data: services.transfer(
            by=request.user,
            clinic_from=place,
            clinic_to=data["clinic_to"],
            lot=data["lot"],
            quantity_mg=data["quantity_mg"],
            note=data["note"],
        ),
        (_("Transfer to another clinic"), _("Transfer"), _("Transfer recorded at both clinics.")),
    )


def count(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    place = _clinic(request, clinic_id)
    form = forms.CountForm(request.POST or None, clinic=place)
    return _form_page(
        request,
        place,
        form,
        lambda data: counts.record_count(
            by=request.user,
            clinic=place,
            lot=data["lot"],
            counted_mg=data["counted_mg"],
            kind=data["kind"],
            explanation=data["explanation"],
        ),
        (_("Physical count"), _("Record the count"), _("Count recorded.")),
    )


def reverse(request: AuthedRequest, clinic_id: int, entry_id: int) -> HttpResponse:
    place = _clinic(request, clinic_id)
    entry = found_or_404(selectors.ledger_entry, by=request.user, clinic=place, entry_id=entry_id)
    form = forms.ReverseForm(request.POST or None)
    return _form_page(
        request,
        place,
        form,
        lambda data: services.reverse_entry(by=request.user, entry=entry, reason=data["reason"]),
        (_("Reverse an entry"), _("Reverse it"), _("Entry reversed.")),
        {"entry": entry},
    )


def product_new(request: AuthedRequest) -> HttpResponse:
    form = forms.ProductCreateForm(request.POST or None)
    return _form_page(
        request,
        None,
        form,
        lambda data: services.add_product(
            by=request.user,
            name=data["name"],
            form=data["form"],
            strength_mg=data["strength_mg"],
            unit=data["unit"],
            din=data["din"],
        ),
        (_("Add a product"), _("Add"), _("Product added.")),
        done_url="register:index",
    )


def discrepancy(request: AuthedRequest, discrepancy_id: int) -> HttpResponse:
    found = found_or_404(
        selectors.discrepancy_detail, by=request.user, discrepancy_id=discrepancy_id
    )
    return render(request, "register/discrepancy.html", {"discrepancy": found})


@require_POST
def mark_reported(request: AuthedRequest, discrepancy_id: int) -> HttpResponse:
    found = found_or_404(
        selectors.discrepancy_detail, by=request.user, discrepancy_id=discrepancy_id
    )
    if call_service(
        request,
        lambda: counts.mark_discrepancy_reported(by=request.user, discrepancy_id=found.pk),
    ):
        messages.success(request, _("Marked as reported to Health Canada."))
    return redirect("register:discrepancy", discrepancy_id=found.pk)
