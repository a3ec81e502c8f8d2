"""The benchmark's site: kapclinic's own URLs plus the floor views (bench/pages.py).

A floor view is the least a Django page can cost: the same middleware, the same login and
access policy, and the same rows read by one raw SQL query, written out without a template.
Served only by `kapclinic bench run` (DJANGO_SETTINGS_MODULE=bench_settings), never deployed.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse

from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import Role
from kapclinic.urls import urlpatterns as kapclinic_urls

# The rows each key page shows, by raw SQL (%s: the page's object id where it has one).
FLOOR_SQL = {
    "queue": """SELECT r.id, r.number, r.given_name, r.family_name, r.status, r.contact_due_at,
                       p.id, c.name
                FROM referrals_referral r JOIN clinics_clinic c ON c.id = r.clinic_id
                LEFT JOIN patients_patient p ON p.id = r.patient_id
                WHERE r.status IN ('received', 'contacted') AND r.clinic_id = %s
                ORDER BY r.contact_due_at, r.id LIMIT 50""",
    "chart": """SELECT p.id, p.legal_given_name, p.legal_family_name, p.date_of_birth,
                       q.instrument, q.total, q.submitted_at
                FROM patients_patient p
                LEFT JOIN screening_questionnaireresponse q ON q.patient_id = p.id
                WHERE p.id = %s""",
    "session": """SELECT v.taken_at, v.systolic, v.diastolic, v.pulse, v.spo2, s.state
                  FROM dosing_dosingsession s JOIN dosing_vitalsign v ON v.session_id = s.id
                  WHERE s.id = %s ORDER BY v.taken_at""",
    "week": """SELECT a.id, a.starts_at, a.ends_at, a.room_id, a.clinician_id, t.patient_id
               FROM scheduling_appointment a
               JOIN scheduling_attendance t ON t.appointment_id = a.id
               WHERE a.clinic_id = %s AND a.status = 'booked'
                 AND a.starts_at >= now() - interval '8 days'
                 AND a.starts_at < now() + interval '8 days'""",
    "sla": """SELECT clinic_id, date_trunc('week', received_at), count(*),
                     count(*) FILTER (WHERE first_contact_at <= contact_due_at)
              FROM referrals_referral
              WHERE received_at >= now() - interval '12 weeks' AND clinic_id = %s
              GROUP BY 1, 2""",
}


def floor(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL[kind], [object_id])
        rows = cursor.fetchall()
    return HttpResponse("\n".join(map(str, rows)), content_type="text/plain")


urlpatterns = [
    route(
        "bench/floor/<str:kind>/<int:object_id>/",
        floor,
        name="bench_floor",
        policy=allow([role for role in Role if role not in (Role.PATIENT, Role.REFERRER)]),
    ),
    *kapclinic_urls,
]
