from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import CHART_ROLES, REGISTRATION_ROLES
from kapclinic.patients import views

app_name = "patients"

urlpatterns = [
    route("", views.patient_search, name="search", policy=allow(CHART_ROLES)),
    route("new/", views.patient_create, name="create", policy=allow(REGISTRATION_ROLES)),
    route("<int:patient_id>/", views.patient_chart, name="chart", policy=allow(CHART_ROLES)),
]
