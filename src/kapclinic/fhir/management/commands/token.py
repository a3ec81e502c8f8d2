"""`kapclinic token create --user EMAIL` prints a FHIR API bearer token once; `token revoke`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kapclinic.accounts.models import User
from kapclinic.fhir.models import ApiToken
from kapclinic.fhir.tokens import DEFAULT_DAYS, create_token, revoke_token


class Command(BaseCommand):
    help = "Create, list or revoke bearer tokens of the FHIR API."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="print a new token (shown only once)")
        create.add_argument("--user", required=True, help="the email of the user it acts as")
        create.add_argument("--days", type=int, default=DEFAULT_DAYS, help="days until it expires")
        listing = actions.add_parser("list", help="the tokens of a user")
        listing.add_argument("--user", required=True)
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("--id", type=int, required=True, dest="token_id")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "revoke":
            if revoke_token(token_id=options["token_id"]) is None:
                raise CommandError("No token has this id.")
            self.stdout.write(self.style.SUCCESS("Token revoked."))
            return
        user = User.objects.filter(email__iexact=options["user"].strip()).first()
        if user is None or not user.is_active:
            raise CommandError("No active user has this email.")
        if action == "list":
            for token in ApiToken.objects.filter(user=user):
                state = "revoked" if token.revoked_at else f"expires {token.expires_at:%Y-%m-%d}"
                self.stdout.write(f"{token.pk}\t{token.prefix}…\t{state}")
            return
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days must be between 1 and 366.")
        token, plain = create_token(user=user, days=options["days"])
        self.stderr.write(f"Token {token.pk} for {user.email}, expires {token.expires_at:%Y-%m-%d}")
        self.stdout.write(plain)
