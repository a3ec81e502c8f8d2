"""`kapclinic worker`: run queued background work (django.tasks, database backend).

It makes sure the daily breach summary is scheduled, then hands over to django-tasks-db's
worker, which polls the task table on both SQLite and PostgreSQL.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.models import DBTaskResult

from kapclinic.referrals.tasks import send_breach_summary


class Command(BaseCommand):
    help = "Run kapclinic's background work (emails, reminders, daily summaries)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        pending = DBTaskResult.objects.filter(
            task_path=send_breach_summary.module_path, status="READY"
        )
        if not pending.exists():
            send_breach_summary.enqueue()
            self.stdout.write("Scheduled the daily breach summary.")
        call_command("db_worker", batch=batch, interval=1, reload=False, startup_delay=False)
