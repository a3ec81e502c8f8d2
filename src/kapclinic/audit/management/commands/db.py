"""`kapclinic db roles`: create and grant the application's PostgreSQL role (audit/roles.py)."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from kapclinic.audit import roles


class Command(BaseCommand):
    help = (
        "Create (if missing) and grant the application's PostgreSQL role: ordinary tables read "
        "and written, the audit trail and the register only read and appended to. Run it as the "
        "owner (migrator) role, after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["roles"])
        parser.add_argument("--app-role", default=roles.DEFAULT_APP_ROLE)
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="set the role's password from this environment variable",
        )
        parser.add_argument(
            "--print", action="store_true", help="print the SQL instead of running it"
        )

    def handle(self, *args: Any, app_role: str, password_env: str | None, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only (SQLite has none).")
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"{password_env} is not set.")
        with transaction.atomic():
            plan = roles.plan(app_role, password=password)
            if problems := roles.refusals(app_role, plan.owner):
                raise CommandError(
                    f"{app_role} cannot be the application's role: " + "; ".join(problems) + "."
                )
            if options["print"]:
                for statement in plan.statements:
                    shown = (
                        statement
                        if "PASSWORD" not in statement
                        else statement.split(" PASSWORD")[0] + " PASSWORD '…'"
                    )
                    self.stdout.write(shown + ";")
                return
            roles.apply(plan)
        made = "created and granted" if plan.create else "granted"
        self.stdout.write(
            self.style.SUCCESS(
                f"{app_role} {made}: the audit trail and the register are read and appended "
                f"only; {plan.owner} keeps ownership (and the maintenance switch)."
            )
        )
