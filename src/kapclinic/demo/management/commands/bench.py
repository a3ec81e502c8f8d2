"""`kapclinic bench generate --patients N`: a synthetic network at scale (demo.bench_data);
`kapclinic bench run`: the page benchmark (bench/pages.py, needs the repository checkout).

The generator reports its wall time beside the CPU seconds it cost: this process's and its
PostgreSQL backend's (read from /proc when the server runs on this machine), with the load
average, since a shared machine stretches the wall time but not the CPU seconds."""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kapclinic.demo.bench_data import BenchDataError, generate


def _backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Command(BaseCommand):
    help = "Benchmarks: generate a synthetic clinic network at scale, or measure the key pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate", "run"])
        parser.add_argument("--patients", type=int, default=1000)

    def handle(self, *args: Any, action: str, patients: int, **options: Any) -> None:
        if action == "run":
            script = RESULTS.parent / "pages.py"
            if not script.exists():
                raise CommandError(f"{script} not found: run from a repository checkout.")
            raise SystemExit(subprocess.call([sys.executable, str(script)]))  # noqa: S603
        if patients < 1:
            raise CommandError("--patients must be at least 1.")
        started = time.perf_counter()
        marks: list[tuple[float, float, float | None]] = []

        def progress(done: int) -> None:
            if not marks:  # the demo network is seeded: the generation starts here
                marks.append((time.perf_counter(), _own_cpu(), _backend_cpu()))
            width = 40
            filled = width * done // patients
            rate = done / max(time.perf_counter() - marks[0][0], 1e-9)
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{patients} patients"
                f" ({rate:.0f}/s)"
            )
            sys.stderr.flush()

        try:
            made = generate(patients, progress=progress)
        except BenchDataError as error:
            raise CommandError(str(error)) from error
        sys.stderr.write("\n")
        seeded, cpu_before, backend_before = marks[0]
        elapsed = time.perf_counter() - seeded
        cpu = _own_cpu() - cpu_before
        backend_after = _backend_cpu()
        backend = (
            f"{backend_after - backend_before:.1f} s"
            if backend_after is not None and backend_before is not None
            else "unknown"
        )
        load = os.getloadavg()[0]
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made} patients in {elapsed:.1f} s ({made / elapsed:.0f}/s), "
                f"after {seeded - started:.1f} s seeding the demo network. CPU: {cpu:.1f} s "
                f"here, {backend} in PostgreSQL; load average {load:.1f}."
            )
        )
        figures = {
            "patients": made,
            "seconds": round(elapsed, 1),
            "seeding_seconds": round(seeded - started, 1),
            "cpu_seconds": round(cpu, 1),
            "postgresql_cpu_seconds": (
                round(backend_after - backend_before, 1)
                if backend_after is not None and backend_before is not None
                else None
            ),
            "load_average": round(load, 1),
        }
        if RESULTS.is_dir():  # a repository checkout: keep the figure beside the others
            write_results(figures)


RESULTS = Path(__file__).resolve().parents[5] / "bench" / "results"


def write_results(figures: dict[str, Any]) -> None:
    """bench/results/generate-<N>.json, and generate.md from every such file."""
    (RESULTS / f"generate-{figures['patients']}.json").write_text(json.dumps(figures) + "\n")
    lines = [
        "# The benchmark network's generator (`kapclinic bench generate --patients N`)",
        "",
        "Wall seconds from the seeded demo network to the last patient, with the CPU seconds",
        "of the generator and of its PostgreSQL backend, and the load average at the end",
        "(a shared machine stretches the wall time, not the CPU seconds). Goal: 100,000",
        "patients in under 15 minutes on 2 cores.",
        "",
        "| Patients | Wall s | Patients/s | CPU s (generator) | CPU s (PostgreSQL) | Load avg |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    runs = [json.loads(path.read_text()) for path in RESULTS.glob("generate-*.json")]
    for run in sorted(runs, key=lambda run: run["patients"]):
        lines.append(
            f"| {run['patients']:,} | {run['seconds']:,} | {run['patients'] / run['seconds']:,.0f}"
            f" | {run['cpu_seconds']} | {run['postgresql_cpu_seconds'] or 'unknown'}"
            f" | {run['load_average']} |"
        )
    (RESULTS / "generate.md").write_text("\n".join(lines) + "\n")
