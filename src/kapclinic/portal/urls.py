from kapclinic.accounts.policy import PUBLIC, allow, route
from kapclinic.accounts.roles import Role
from kapclinic.portal import receipts, views

app_name = "portal"

# Public by design: the secret token in the address is the credential (single use, expiring).
PATIENT = allow(Role.PATIENT)

urlpatterns = [
    route("portal/", views.home, name="home", policy=PATIENT),
    route("portal/answer/<str:instrument>/", views.answer, name="answer", policy=PATIENT),
    route("portal/consents/<str:kind>/", views.sign_consent, name="consent", policy=PATIENT),
    route(
        "portal/materials/<int:assignment_id>/",
        views.read_material,
        name="material",
        policy=PATIENT,
    ),
    route(
        "portal/appointments/<int:attendance_id>.ics",
        views.invitation_file,
        name="invitation",
        policy=PATIENT,
    ),
    route("portal/receipts/", receipts.receipts, name="receipts", policy=PATIENT),
    route("portal/receipts/<int:line_id>.pdf", receipts.receipt, name="receipt", policy=PATIENT),
    route("portal/welcome/<str:uidb64>/<str:token>/", views.welcome, name="welcome", policy=PUBLIC),
    route("q/<str:token>/", views.link_home, name="link", policy=PUBLIC),
    route(
        "q/<str:token>/<str:instrument>/",
        views.link_questionnaire,
        name="questionnaire",
        policy=PUBLIC,
    ),
]
