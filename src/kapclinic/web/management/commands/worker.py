"""`kapclinic worker`: run queued background work (django.tasks, database backend).

It makes sure the recurring tasks (breach summary, reminders) are scheduled, then hands over
to django-tasks-db's worker, which polls the task table on both SQLite and PostgreSQL.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.models import DBTaskResult

from kapclinic.outcomes.tasks import send_measurement_links
from kapclinic.referrals.tasks import send_breach_summary
from kapclinic.scheduling.tasks import send_appointment_reminders

# Tasks that schedule their own next run: the worker starts each once if none is queued.
RECURRING = (send_breach_summary, send_appointment_reminders, send_measurement_links)


class Command(BaseCommand):
    help = "Run kapclinic's background work (emails, reminders, daily summaries)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        for recurring in RECURRING:
            pending = DBTaskResult.objects.filter(task_path=recurring.module_path, status="READY")
            if not pending.exists():
                recurring.enqueue()
                self.stdout.write(f"Scheduled {recurring.name}.")
        call_command("db_worker", batch=batch, interval=1, reload=False, startup_delay=False)
