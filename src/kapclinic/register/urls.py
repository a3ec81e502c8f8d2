from kapclinic.accounts.policy import allow, route
from kapclinic.register import export_views, views
from kapclinic.register.access import FORMULARY_ROLES, HANDLING_ROLES, REGISTER_ROLES

app_name = "register"
REGISTER = allow(REGISTER_ROLES)
HANDLING = allow(HANDLING_ROLES)
FORMULARY = allow(FORMULARY_ROLES)

urlpatterns = [
    route("", views.index, name="index", policy=REGISTER),
    route("products/new/", views.product_new, name="product_new", policy=FORMULARY),
    route("<int:clinic_id>/", views.clinic, name="clinic", policy=REGISTER),
    route("<int:clinic_id>/ledger/", views.ledger, name="ledger", policy=REGISTER),
    route("<int:clinic_id>/receive/", views.receive, name="receive", policy=REGISTER),
    route("<int:clinic_id>/waste/", views.waste, name="waste", policy=HANDLING),
    route("<int:clinic_id>/transfer/", views.transfer, name="transfer", policy=REGISTER),
    route("<int:clinic_id>/count/", views.count, name="count", policy=REGISTER),
    route(
        "<int:clinic_id>/entries/<int:entry_id>/reverse/",
        views.reverse,
        name="reverse",
        policy=REGISTER,
    ),
    route(
        "<int:clinic_id>/report.csv", export_views.report_csv, name="report_csv", policy=REGISTER
    ),
    route(
        "<int:clinic_id>/report.pdf", export_views.report_pdf, name="report_pdf", policy=REGISTER
    ),
    route(
        "discrepancies/<int:discrepancy_id>/",
        views.discrepancy,
        name="discrepancy",
        policy=REGISTER,
    ),
    route(
        "discrepancies/<int:discrepancy_id>/report.pdf",
        export_views.loss_report,
        name="loss_report",
        policy=REGISTER,
    ),
    route(
        "discrepancies/<int:discrepancy_id>/reported/",
        views.mark_reported,
        name="mark_reported",
        policy=REGISTER,
    ),
]
