"""The patient's ketamine orders: every version, and the physician's form to sign or change."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kapclinic.accounts.http import AuthedRequest
from kapclinic.care.selectors import current_enrolment
from kapclinic.dosing import ordering, selectors
from kapclinic.dosing.access import ORDER_ROLES, access_order
from kapclinic.dosing.forms import OrderForm
from kapclinic.dosing.models import Order
from kapclinic.errors import DomainError, found_or_404
from kapclinic.patients.access import access_patient
from kapclinic.patients.models import Patient


def _page(
    request: AuthedRequest, patient: Patient, form: OrderForm, changing: Order | None = None
) -> HttpResponse:
    orders = selectors.orders_of(by=request.user, patient=patient)
    may_order = request.user.role in ORDER_ROLES
    # An order belongs to an enrolment: a patient with orders was enrolled, so only a page
    # without any order looks the enrolment up (one query), to say so before the form is filled.
    needs_enrolment = may_order and not orders and current_enrolment(patient) is None
    # The order being changed as the list loaded it, with its version already worked out.
    shown = next((row for row in orders if changing and row.order.pk == changing.pk), None)
    context = {
        "patient": patient,
        "orders": orders,
        "form": form,
        "changing": shown,
        "may_order": may_order,
        "needs_enrolment": needs_enrolment,
    }
    return render(request, "dosing/orders.html", context, status=400 if form.is_bound else 200)


def _sign(
    request: AuthedRequest, patient: Patient, form: OrderForm, supersedes: Order | None
) -> HttpResponse:
    if form.is_valid():
        try:
            data = form.cleaned_data
            ordering.sign_order(
                by=request.user,
                patient=patient,
                supersedes=supersedes,
                route=data["route"],
                dose_mg=data["dose_mg"],
                titration_mg=data["titration"],
                expires_on=data["expires_on"],
                reason_for_change=data["reason_for_change"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The order is signed."))
            return redirect("dosing:orders", patient_id=patient.pk)
    return _page(request, patient, form, supersedes)


def orders(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """Every version of the patient's orders; a physician signs a new one here."""
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    if request.method == "POST" and request.user.role in ORDER_ROLES:
        return _sign(request, patient, OrderForm(request.POST), None)
    return _page(request, patient, OrderForm())


def change(request: AuthedRequest, order_id: int) -> HttpResponse:
    """A new version of an order: the form starts from the current one."""
    order = found_or_404(access_order, by=request.user, order_id=order_id)
    patient = found_or_404(access_patient, by=request.user, patient_id=order.patient_id)
    if request.method == "POST":
        return _sign(request, patient, OrderForm(request.POST), order)
    initial = {
        "route": order.route,
        "dose_mg": order.dose_mg,
        "titration": ", ".join(str(step) for step in order.titration),
        "expires_on": order.expires_on,
    }
    return _page(request, patient, OrderForm(initial=initial), order)
