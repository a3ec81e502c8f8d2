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
    # The outcomes dashboard's default (PHQ-9, enrolled in the last year, by clinic, the whole
    # network): each baseline measurement's first score in its window and latest one after it.
    "outcomes": """SELECT p.clinic_id, count(*), avg(b.total), avg(l.total),
                          count(l.total) FILTER (WHERE l.total * 2 <= b.total AND b.total > 0)
                   FROM outcomes_measurement m
                   JOIN care_enrolment e ON e.id = m.enrolment_id
                   JOIN patients_patient p ON p.id = m.patient_id
                   CROSS JOIN LATERAL (
                       SELECT q.total, q.submitted_at FROM screening_questionnaireresponse q
                       WHERE q.patient_id = m.patient_id AND q.instrument = 'PHQ-9'
                         AND NOT q.entered_in_error
                         AND q.submitted_at BETWEEN m.opens_at AND m.closes_at
                       ORDER BY q.submitted_at, q.id LIMIT 1) b
                   LEFT JOIN LATERAL (
                       SELECT q.total FROM screening_questionnaireresponse q
                       WHERE q.patient_id = m.patient_id AND q.instrument = 'PHQ-9'
                         AND NOT q.entered_in_error
                         AND q.submitted_at > b.submitted_at AND q.submitted_at < now()
                       ORDER BY q.submitted_at DESC, q.id DESC LIMIT 1) l ON true
                   WHERE m.kind = 'baseline' AND NOT p.entered_in_error
                     AND e.enrolled_at >= now() - interval '366 days'
                     AND p.clinic_id IN (SELECT id FROM clinics_clinic WHERE id >= 0 OR id = %s)
                   GROUP BY p.clinic_id""",
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
