"""`kapclinic bench generate --patients N`: a synthetic network at scale (demo.bench_data);
`kapclinic bench run`: the page benchmark (bench/pages.py, needs the repository checkout)."""

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kapclinic.demo.bench_data import generate


class Command(BaseCommand):
    help = "Benchmarks: generate a synthetic clinic network at scale, or measure the key pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate", "run"])
        parser.add_argument("--patients", type=int, default=1000)

    def handle(self, *args: Any, action: str, patients: int, **options: Any) -> None:
        if action == "run":
            script = Path(__file__).resolve().parents[5] / "bench" / "pages.py"
            if not script.exists():
                raise CommandError(f"{script} not found: run from a repository checkout.")
            raise SystemExit(subprocess.call([sys.executable, str(script)]))  # noqa: S603
        if patients < 1:
            raise CommandError("--patients must be at least 1.")
        started = time.perf_counter()

        seeded: list[float] = []

        def progress(done: int) -> None:
            if not seeded:
                seeded.append(time.perf_counter())
            width = 40
            filled = width * done // patients
            rate = done / max(time.perf_counter() - seeded[0], 1e-9)
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{patients} patients"
                f" ({rate:.0f}/s)"
            )
            sys.stderr.flush()

        made = generate(patients, progress=progress)
        sys.stderr.write("\n")
        elapsed = time.perf_counter() - seeded[0]
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made} patients in {elapsed:.1f} s ({made / elapsed:.0f}/s), "
                f"after {seeded[0] - started:.1f} s seeding the demo network."
            )
        )
