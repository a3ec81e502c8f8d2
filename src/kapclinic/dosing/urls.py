from kapclinic.accounts.policy import allow, route
from kapclinic.dosing import order_views, views
from kapclinic.dosing.access import DOSING_ROLES, NOTE_ROLES, ORDER_ROLES, SESSION_ROLES

app_name = "dosing"
SESSION = allow(SESSION_ROLES)
DOSING = allow(DOSING_ROLES)

urlpatterns = [
    route("sessions/", views.today, name="today", policy=SESSION),
    route("sessions/check-in/<int:attendance_id>/", views.check_in, name="check_in", policy=DOSING),
    route("sessions/<int:session_id>/", views.session, name="session", policy=SESSION),
    route("sessions/<int:session_id>/pre-dose/", views.pre_dose, name="pre_dose", policy=DOSING),
    route("sessions/<int:session_id>/clear/", views.clear, name="clear", policy=DOSING),
    route("sessions/<int:session_id>/dose/", views.dose, name="dose", policy=DOSING),
    route("sessions/<int:session_id>/vitals/", views.vitals, name="vitals", policy=SESSION),
    route(
        "sessions/<int:session_id>/adverse-events/",
        views.adverse_event,
        name="adverse_event",
        policy=SESSION,
    ),
    route("sessions/<int:session_id>/note/", views.note, name="note", policy=allow(NOTE_ROLES)),
    route("sessions/<int:session_id>/discharge/", views.discharge, name="discharge", policy=DOSING),
    route("sessions/<int:session_id>/stop/", views.stop, name="stop", policy=DOSING),
    route(
        "patients/<int:patient_id>/ketamine-orders/",
        order_views.orders,
        name="orders",
        policy=SESSION,
    ),
    route(
        "ketamine-orders/<int:order_id>/change/",
        order_views.change,
        name="change_order",
        policy=allow(ORDER_ROLES),
    ),
]
