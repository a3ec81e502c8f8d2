from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import (
    CARE_TEAM_MANAGER_ROLES,
    CHART_ROLES,
    CLINICAL_ROLES,
    REGISTRATION_ROLES,
    Role,
)
from kapclinic.patients import views

app_name = "patients"

# The chart (patients:chart) is web/chart.py, joined to these in kapclinic/urls.py.
urlpatterns = [
    route("", views.patient_search, name="search", policy=allow(CHART_ROLES)),
    route("new/", views.patient_create, name="create", policy=allow(REGISTRATION_ROLES)),
    route(
        "<int:patient_id>/care-team/",
        views.care_team,
        name="care_team",
        policy=allow(CLINICAL_ROLES, Role.CLINIC_ADMIN),
    ),
    route(
        "<int:patient_id>/care-team/add/",
        views.care_team_add,
        name="care_team_add",
        policy=allow(CARE_TEAM_MANAGER_ROLES),
    ),
    route(
        "<int:patient_id>/care-team/<int:member_id>/end/",
        views.care_team_end,
        name="care_team_end",
        policy=allow(CARE_TEAM_MANAGER_ROLES),
    ),
]
