from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import Role
from kapclinic.outcomes import views

app_name = "outcomes"
# The route admits physicians and clinic admins; outcomes.access narrows physicians to the
# medical director.
READERS = allow(Role.PHYSICIAN, Role.CLINIC_ADMIN)

urlpatterns = [
    route("", views.dashboards, name="dashboards", policy=READERS),
    route("research-export/", views.export, name="export", policy=allow(Role.PHYSICIAN)),
]
