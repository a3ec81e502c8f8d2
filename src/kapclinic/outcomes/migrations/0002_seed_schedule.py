"""Seed each program's measurement schedule (a medical director's data, editable as rows):
baseline, before each ketamine session, end of program, follow-ups at 1, 3 and 6 months."""

from django.db import migrations

ALL = ["PHQ-9", "GAD-7", "PCL-5"]
# Before a session: the two short ones (16 items), not the PCL-5's 20 every week.
SHORT = ["PHQ-9", "GAD-7"]
# kind, offset days, months, opens days before, closes days after, instruments
POINTS = [
    # A screening questionnaire answered up to 30 days before enrolment is the baseline.
    ("baseline", 0, 0, 30, 14, ALL),
    # Opens 3 days before the session, closes when it starts.
    ("before_session", 0, 0, 3, 0, SHORT),
    ("end_of_program", 0, 0, 7, 14, ALL),
    # 1, 3 and 6 months after the end of the program's window (30, 91 and 182 days).
    ("follow_up", 30, 1, 7, 14, ALL),
    ("follow_up", 91, 3, 7, 14, ALL),
    ("follow_up", 182, 6, 7, 21, ALL),
]
FIELDS = ("offset_days", "opens_days_before", "closes_days_after", "instruments")


def seed(apps, schema_editor):
    ProgramTemplate = apps.get_model("care", "ProgramTemplate")
    SchedulePoint = apps.get_model("outcomes", "SchedulePoint")
    for program in ProgramTemplate.objects.all():
        for kind, offset, months, opens, closes, instruments in POINTS:
            SchedulePoint.objects.get_or_create(
                program=program,
                kind=kind,
                months=months,
                defaults=dict(zip(FIELDS, (offset, opens, closes, instruments), strict=True)),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_measurement_schedule"),
        ("care", "0006_seed_consents_and_materials"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
