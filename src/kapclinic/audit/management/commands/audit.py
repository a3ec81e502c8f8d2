"""`kapclinic audit verify` walks the chain; `kapclinic audit seal` seals what is pending;
`kapclinic audit cutover` records, once, where a chain sealed before the key existed ends."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kapclinic.audit.chain import CutOverRefused, cut_over, seal_pending, verify_chain


class Command(BaseCommand):
    help = "Verify or seal the hash-chained audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal", "cutover"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "seal":
            total = 0
            while sealed := seal_pending():
                total += sealed
                self.stdout.write(f"sealed {total} events…")
            self.stdout.write(self.style.SUCCESS(f"Sealed {total} events."))
            return
        if action == "cutover":
            try:
                done = cut_over()
            except CutOverRefused as refusal:
                raise CommandError(str(refusal)) from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"Cut over: {done.legacy_events} events sealed before the key are pinned in "
                    f"the anchor (their unkeyed SHA-256 chain is checked up to that head); "
                    f"{done.unsigned_events} written before the key were sealed after it."
                )
            )
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
