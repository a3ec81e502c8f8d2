from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import AUDIT_ROLES, Role
from kapclinic.audit_review import views

app_name = "audit"

urlpatterns = [
    route("", views.audit_search, name="search", policy=allow(AUDIT_ROLES)),
    route(
        "patients/<int:patient_id>/access/",
        views.patient_access,
        name="patient_access",
        policy=allow(AUDIT_ROLES),
    ),
    route("chain/", views.chain_status, name="chain", policy=allow(Role.PRIVACY_OFFICER)),
]
