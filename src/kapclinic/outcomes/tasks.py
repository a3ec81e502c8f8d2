"""Outcome measurement links and reminders, sent by `kapclinic worker` every few minutes."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from kapclinic.outcomes.services import sweep_measurements

# How often the worker looks for measurements to send, remind, or close.
MEASUREMENT_SWEEP_MINUTES = 10


@task()
def send_measurement_links() -> str:
    """Sweep, then schedule the next sweep (one worker keeps it going, no cron)."""
    counts = sweep_measurements()
    send_measurement_links.using(
        run_after=timezone.now() + timedelta(minutes=MEASUREMENT_SWEEP_MINUTES)
    ).enqueue()
    return ", ".join(f"{count} {what}" for what, count in counts.items())
