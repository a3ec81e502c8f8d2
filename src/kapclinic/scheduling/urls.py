from kapclinic.accounts.policy import PUBLIC, allow, route
from kapclinic.accounts.roles import Role
from kapclinic.scheduling import views
from kapclinic.scheduling.access import CALENDAR_ROLES, SCHEDULE_ROLES, WEEK_ROLES

app_name = "scheduling"
SCHEDULE = allow(SCHEDULE_ROLES)
WEEK = allow(WEEK_ROLES)
ADMIN = allow(Role.CLINIC_ADMIN)

urlpatterns = [
    route(
        "patients/<int:patient_id>/appointments/",
        views.patient_schedule,
        name="patient",
        policy=SCHEDULE,
    ),
    route(
        "patients/<int:patient_id>/appointments/plan/",
        views.book_plan,
        name="book_plan",
        policy=SCHEDULE,
    ),
    route(
        "patients/<int:patient_id>/appointments/book/", views.book_one, name="book", policy=SCHEDULE
    ),
    route(
        "patients/<int:patient_id>/appointments/group/",
        views.join_group,
        name="join_group",
        policy=SCHEDULE,
    ),
    route(
        "appointments/<int:appointment_id>/cancel/", views.cancel, name="cancel", policy=SCHEDULE
    ),
    route(
        "appointments/<int:appointment_id>/reschedule/",
        views.reschedule,
        name="reschedule",
        policy=SCHEDULE,
    ),
    route(
        "attendances/<int:attendance_id>/record/",
        views.record_attendance,
        name="attendance",
        policy=SCHEDULE,
    ),
    route("schedule/", views.my_week, name="my_week", policy=WEEK),
    route("schedule/<int:clinic_id>/week/", views.week, name="week", policy=WEEK),
    route("schedule/<int:clinic_id>/hours/", views.hours, name="hours", policy=ADMIN),
    route(
        "schedule/calendar/", views.my_calendar, name="my_calendar", policy=allow(CALENDAR_ROLES)
    ),
    # Public by design: calendar apps cannot sign in; the secret token is the credential.
    route("calendar/<str:token>.ics", views.feed, name="feed", policy=PUBLIC),
]
