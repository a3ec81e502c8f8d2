"""`kapclinic audit verify` walks the chain; `kapclinic audit seal` seals what is pending."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kapclinic.audit.chain import seal_pending, verify_chain


class Command(BaseCommand):
    help = "Verify or seal the hash-chained audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "seal":
            total = 0
            while sealed := seal_pending():
                total += sealed
                self.stdout.write(f"sealed {total} events…")
            self.stdout.write(self.style.SUCCESS(f"Sealed {total} events."))
            return
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event {result.broken_event_id}: {result.problem}. "
                f"{result.checked} events verified before it."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain OK: {result.checked} events verified; "
                f"{result.unsealed} not yet sealed (run `kapclinic audit seal`)."
            )
        )
