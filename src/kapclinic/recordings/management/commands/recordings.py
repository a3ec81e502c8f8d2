"""`kapclinic recordings upload|purge-expired|rotate-keys|verify`."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kapclinic.dosing.models import DosingSession
from kapclinic.errors import DomainError
from kapclinic.recordings import capture, playback, retention
from kapclinic.recordings.models import Recording, Status


class Command(BaseCommand):
    help = "Upload a session recording, purge expired ones, rotate keys, verify integrity."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        upload = commands.add_parser("upload", help="Encrypt and store a recording file.")
        upload.add_argument("file", type=Path)
        upload.add_argument("--session", type=int, required=True)
        upload.add_argument("--by", required=True, help="Email of the staff member recording.")
        upload.add_argument("--content-type", default="video/mp4")
        upload.add_argument("--third-parties", action="store_true")
        purge = commands.add_parser("purge-expired", help="Destroy recordings past retention.")
        purge.add_argument("--dry-run", action="store_true")
        commands.add_parser("rotate-keys", help="Re-wrap data keys under the current master key.")
        commands.add_parser("verify", help="Authenticate every segment of every recording.")

    def handle(self, *args: Any, command: str, **options: Any) -> None:
        try:
            getattr(self, command.replace("-", "_"))(**options)
        except DomainError as error:
            raise CommandError(error.message) from None

    def upload(self, *, file: Path, session: int, by: str, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        user = get_user_model().objects.filter(email=by).first()
        found = DosingSession.objects.select_related("patient").filter(pk=session).first()
        if user is None or found is None:
            raise CommandError("No such staff member or session.")
        recording = capture.upload_file(
            by=user,
            session=found,
            path=file,
            content_type=options["content_type"],
            third_parties_present=options["third_parties"],
        )
        self.stdout.write(
            self.style.SUCCESS(f"Stored recording {recording.pk} ({recording.plain_size} bytes).")
        )

    def purge_expired(self, *, dry_run: bool, **options: Any) -> None:
        due = retention.purge_expired(dry_run=dry_run)
        verb = "would be destroyed" if dry_run else "destroyed"
        for item in due:
            what = "kept: legal hold" if item.held else verb
            self.stdout.write(
                f"recording {item.recording.pk} ({item.rule}, {item.days} days): {what}"
            )
        done = sum(not item.held for item in due)
        held = len(due) - done
        summary = f"{_count(done, 'recording')} past retention {verb}"
        if held:
            summary += f"; {held} kept under legal hold"
        self.stdout.write(self.style.SUCCESS(f"{summary}."))

    def rotate_keys(self, **options: Any) -> None:
        self.stdout.write(self.style.SUCCESS(f"Re-wrapped {retention.rotate_keys()} data keys."))

    def verify(self, **options: Any) -> None:
        bad = checked = 0
        for recording in Recording.objects.filter(status=Status.AVAILABLE):
            checked += 1
            try:
                playback.verify(recording)
            except DomainError as error:
                bad += 1
                self.stderr.write(error.message)
        if bad:
            raise CommandError(
                f"{bad} of {_count(checked, 'recording')} failed the integrity check."
            )
        self.stdout.write(
            self.style.SUCCESS(f"{_count(checked, 'recording')} checked: every one passed.")
        )


def _count(number: int, noun: str) -> str:
    """ "1 recording", "2 recordings" (the command speaks English, like the others)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
