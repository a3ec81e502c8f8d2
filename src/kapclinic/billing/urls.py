from kapclinic.accounts.policy import PUBLIC, allow, route
from kapclinic.billing import receipt_views, views
from kapclinic.billing.access import BILLING_ROLES, ESTIMATE_ROLES

app_name = "billing"
BILLING = allow(BILLING_ROLES)

urlpatterns = [
    route("billing/", views.index, name="index", policy=BILLING),
    route("billing/invoices/new/", views.issue_invoice, name="issue", policy=BILLING),
    route("billing/invoices/<int:invoice_id>/", views.invoice, name="invoice", policy=BILLING),
    route(
        "billing/invoices/<int:invoice_id>/payments/",
        views.payment,
        name="payment",
        policy=BILLING,
    ),
    route(
        "billing/invoices/<int:invoice_id>/credit-notes/",
        views.credit_note,
        name="credit_note",
        policy=BILLING,
    ),
    route(
        "billing/invoices/<int:invoice_id>/lines/<int:line_id>/receipt.pdf",
        receipt_views.receipt,
        name="receipt",
        policy=BILLING,
    ),
    route(
        "billing/invoices/<int:invoice_id>/lines/<int:line_id>/send/",
        receipt_views.send_receipt,
        name="send_receipt",
        policy=BILLING,
    ),
    # Public by design: the signed, expiring token in the address is the credential.
    route("receipts/<str:token>/", receipt_views.receipt_link, name="receipt_link", policy=PUBLIC),
    route("billing/receivables/", views.receivables, name="receivables", policy=BILLING),
    route("billing/fees/", views.fees, name="fees", policy=BILLING),
    route(
        "billing/patients/<int:patient_id>/estimate/",
        views.estimate,
        name="estimate",
        policy=allow(ESTIMATE_ROLES),
    ),
]
