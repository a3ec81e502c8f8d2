from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import CLINICAL_ROLES, Role
from kapclinic.care import views

app_name = "care"
CLINICAL = allow(CLINICAL_ROLES)
JOURNEY = "patients/<int:patient_id>/journey/"
CONSENTS = "patients/<int:patient_id>/consents/"

# Physicians read the programs; the medical director (a physician) edits them.
PHYSICIANS = allow(Role.PHYSICIAN)

urlpatterns = [
    route("programs/", views.programs, name="programs", policy=PHYSICIANS),
    route("programs/<int:program_id>/", views.program, name="program", policy=PHYSICIANS),
    route(JOURNEY, views.journey, name="journey", policy=CLINICAL),
    route(f"{JOURNEY}enrol/", views.enrol, name="enrol", policy=CLINICAL),
    route(f"{JOURNEY}move/", views.move, name="move", policy=CLINICAL),
    route(f"{JOURNEY}preparation/", views.preparation, name="preparation", policy=CLINICAL),
    route(CONSENTS, views.consents, name="consents", policy=CLINICAL),
    route(
        f"{CONSENTS}<int:consent_id>/withdraw/", views.withdraw, name="withdraw", policy=CLINICAL
    ),
    route(
        f"{CONSENTS}<int:consent_id>/document/",
        views.consent_document,
        name="consent_document",
        policy=CLINICAL,
    ),
]
