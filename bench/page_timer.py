"""Key pages against their floor, for profiling work between two `kapclinic bench run`s.

The same targets as bench/pages.py, one client, each page then its floor round after round
(interleaved); prints medians, ratios and query counts. In-process through Django's test client
by default; `--http` through gunicorn on loopback as the runner does (work done after the
response is sent is then not counted, as a browser would not wait for it); `--profile PAGE`
prints a pyinstrument profile of that page instead (pip install pyinstrument). Needs a database
made by `kapclinic bench generate` (KAPCLINIC_DATABASE_URL).

    PYTHONPATH=bench .venv/bin/python bench/page_timer.py [--rounds 30] [--http] [--only "chart"]
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from pages import _cookie, _get, _gunicorn, _setup, _targets


def _profile(request: Callable[[], Any], rounds: int) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(rounds):
        request()
    profiler.stop()
    show_all = bool(os.environ.get("SHOW_ALL"))
    sys.stdout.write(profiler.output_text(unicode=False, color=False, show_all=show_all))


def _query_counts(targets: dict[str, tuple[str, str, str]], clients: dict[str, Any]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, (email, page, _floor) in targets.items():
        with CaptureQueriesContext(connection) as queries:
            clients[email].get(page)
        counts[name] = [len(queries), [q["sql"][:160] for q in queries.captured_queries]]
    return counts


def _measure(
    targets: dict[str, tuple[str, str, str]], fetch: Callable[[str, str], None], rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Each page then its floor, round after round, after two warm-up rounds."""
    timings: dict[str, dict[str, list[float]]] = {n: {"page": [], "floor": []} for n in targets}
    for round_ in range(rounds + 2):
        for name, (email, page, floor) in targets.items():
            for kind, path in (("page", page), ("floor", floor)):
                started = time.perf_counter()
                fetch(email, path)
                if round_ >= 2:  # gunicorn's workers start cold
                    timings[name][kind].append((time.perf_counter() - started) * 1000)
    return timings


def _report(
    timings: dict[str, dict[str, list[float]]],
    counts: dict[str, Any],
    patients: int,
    http: bool,
    path: str,
) -> None:
    found = {}
    for name, measured in timings.items():
        page50, floor50 = statistics.median(measured["page"]), statistics.median(measured["floor"])
        found[name] = {
            "page_ms": round(page50, 1),
            "floor_ms": round(floor50, 1),
            "ratio": round(page50 / floor50, 2),
            "queries": counts[name][0],
        }
        sys.stdout.write(
            f"{name:15} {patients:>7} page {page50:7.1f} ms  floor {floor50:6.1f} ms"
            f"  {page50 / floor50:5.2f}x  {counts[name][0]} queries\n"
        )
    if path:
        run = {"patients": patients, "http": http, "load_average": os.getloadavg()[0]}
        with open(path, "w") as handle:
            json.dump(run | {"pages": found, "queries": counts}, handle, indent=1)


def _clients(targets: dict[str, tuple[str, str, str]]) -> dict[str, Any]:
    """One signed-in test client per user, each page and floor requested once (warm, and a
    page that is not a 200 fails here)."""
    from django.test import Client

    from kapclinic.accounts.models import User

    clients: dict[str, Any] = {}
    for email, page, floor in targets.values():
        if email not in clients:
            clients[email] = Client()
            clients[email].force_login(User.objects.get(email=email))
        for path in (page, floor):  # warm, and fail early on a page that is not a 200
            if clients[email].get(path).status_code != 200:
                raise RuntimeError(f"{path} is not a 200")
    return clients


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", default="")
    parser.add_argument("--only", default="")
    parser.add_argument("--json", default="")
    parser.add_argument("--http", action="store_true")
    args = parser.parse_args()
    _setup()
    targets, patients = _targets()
    if args.only:
        targets = {k: v for k, v in targets.items() if k in args.only.split(",")}
    clients = _clients(targets)
    if args.profile:
        email, page, _ = targets[args.profile]
        _profile(lambda: clients[email].get(page), args.rounds)
        return
    counts = _query_counts(targets, clients)
    if args.http:
        cookies = {email: _cookie(email) for email in clients}
        server = _gunicorn()

        def fetch(email: str, path: str) -> None:
            _get(path, cookies[email])
    else:
        server = None

        def fetch(email: str, path: str) -> None:
            clients[email].get(path)

    try:
        timings = _measure(targets, fetch, args.rounds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    _report(timings, counts, patients, args.http, args.json)


if __name__ == "__main__":
    main()
