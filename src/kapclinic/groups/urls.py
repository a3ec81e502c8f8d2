from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import CLINICAL_ROLES
from kapclinic.groups import views
from kapclinic.groups.access import GROUP_ROLES

app_name = "groups"
GROUPS = allow(GROUP_ROLES)
CLINICAL = allow(CLINICAL_ROLES)
RECONNECT = "patients/<int:patient_id>/reconnect/"

urlpatterns = [
    route("groups/", views.index, name="index", policy=GROUPS),
    route("groups/<int:group_id>/", views.detail, name="detail", policy=GROUPS),
    route("groups/<int:group_id>/sessions/", views.schedule, name="schedule", policy=GROUPS),
    route("groups/<int:group_id>/attendance/", views.attendance, name="attendance", policy=GROUPS),
    route("groups/<int:group_id>/leave/", views.leave, name="leave", policy=GROUPS),
    route(RECONNECT, views.reconnect, name="reconnect", policy=CLINICAL),
    route(f"{RECONNECT}join/", views.join, name="join", policy=CLINICAL),
    route(f"{RECONNECT}further/", views.further, name="further", policy=CLINICAL),
]
