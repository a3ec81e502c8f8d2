from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import CLINICAL_ROLES, Role
from kapclinic.screening import views

app_name = "screening"
CLINICAL = allow(CLINICAL_ROLES)
REVIEWERS = allow(Role.PHYSICIAN, Role.NURSE, Role.THERAPIST)

urlpatterns = [
    route(
        "patients/<int:patient_id>/screening/", views.screening, name="screening", policy=CLINICAL
    ),
    route(
        "patients/<int:patient_id>/screening/start/",
        views.start_screening,
        name="start",
        policy=CLINICAL,
    ),
    route(
        "patients/<int:patient_id>/screening/rescreen/",
        views.rescreen,
        name="rescreen",
        policy=CLINICAL,
    ),
    route(
        "patients/<int:patient_id>/screening/sign/",
        views.sign,
        name="sign",
        policy=allow(Role.PHYSICIAN),
    ),
    route("tasks/", views.my_tasks, name="tasks", policy=CLINICAL),
    route(
        "patients/<int:patient_id>/questionnaires/",
        views.questionnaires,
        name="questionnaires",
        policy=CLINICAL,
    ),
    route(
        "patients/<int:patient_id>/questionnaires/assign/",
        views.assign,
        name="assign",
        policy=CLINICAL,
    ),
    route("patients/<int:patient_id>/portal-invite/", views.invite, name="invite", policy=CLINICAL),
    route(
        "patients/<int:patient_id>/questionnaires/link/",
        views.issue_link,
        name="link",
        policy=CLINICAL,
    ),
    route(
        "patients/<int:patient_id>/questionnaires/<str:instrument>/",
        views.enter_response,
        name="enter",
        policy=CLINICAL,
    ),
    route(
        "patients/<int:patient_id>/safety/<int:flag_id>/review/",
        views.review_flag,
        name="review",
        policy=REVIEWERS,
    ),
]
