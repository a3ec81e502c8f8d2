"""`kapclinic register verify`: recompute every balance from the ledger and compare."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kapclinic.register.models import Balance
from kapclinic.register.posting import verify_balances


class Command(BaseCommand):
    help = "Verify that every stored balance equals the sum of its ledger entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        mismatches = verify_balances()
        for m in mismatches:
            self.stderr.write(
                f"clinic {m.clinic_id} lot {m.lot_id}: stored {m.stored_mg} mg, "
                f"ledger {m.ledger_mg} mg"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} balances differ from the ledger.")
        checked = Balance.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Register OK: {checked} balances match the ledger."))
