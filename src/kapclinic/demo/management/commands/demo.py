"""`kapclinic demo`: seed the demo clinic network (idempotent) and print the logins."""

from typing import Any

from django.core.management.base import BaseCommand

from kapclinic.demo.seed import DEMO_PASSWORD, seed_demo, showcase


class Command(BaseCommand):
    help = "Seed the demo clinic network (synthetic data) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo clinic network ready. Demo logins:"))
        for user in accounts:
            self.stdout.write(f"  {user.email:<44} {user.get_role_display()}")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write("Demo patients to try:")
        for clinic, what, patients in showcase():
            names = ", ".join(p.display_name for p in patients) or "-"
            self.stdout.write(f"  {clinic}, {what}: {names}")
