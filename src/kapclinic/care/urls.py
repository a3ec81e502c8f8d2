from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import CLINICAL_ROLES
from kapclinic.care import views

app_name = "care"
CLINICAL = allow(CLINICAL_ROLES)

urlpatterns = [
    route("patients/<int:patient_id>/journey/", views.journey, name="journey", policy=CLINICAL),
    route("patients/<int:patient_id>/journey/enrol/", views.enrol, name="enrol", policy=CLINICAL),
    route("patients/<int:patient_id>/journey/move/", views.move, name="move", policy=CLINICAL),
]
