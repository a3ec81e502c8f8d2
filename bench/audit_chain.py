"""Benchmark the audit chain: append rate, seal rate and verify rate.

Run with `make bench` (SQLite) or with KAPCLINIC_DATABASE_URL pointing at PostgreSQL.
Writes bench/results/audit_chain-<vendor>.json; the figures are for the closing note,
not a test. Uses a scratch database that it creates and drops (Django's test runner).
"""

import json
import os
import sys
import time
from pathlib import Path

import django

EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "20000"))
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kapclinic.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import setup_databases, teardown_databases

    from kapclinic.audit.chain import seal_pending, verify_chain
    from kapclinic.audit.models import Action
    from kapclinic.audit.services import record_event

    # A scratch database of its own, so a benchmark never collides with a test run.
    database = settings.DATABASES["default"]
    database["TEST"]["NAME"] = f"bench_{Path(str(database['NAME'])).stem}"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        for n in range(EVENTS):
            with transaction.atomic():
                record_event(actor=None, action=Action.READ, detail={"n": n})
        appended = time.perf_counter() - started
        # after-commit sealing ran as events came in; seal what is left, then verify
        started = time.perf_counter()
        seal_pending()
        sealed_tail = time.perf_counter() - started
        started = time.perf_counter()
        result = verify_chain()
        verified = time.perf_counter() - started
    finally:
        teardown_databases(old, verbosity=0)
    figures = {
        "database": connection.vendor,
        "events": EVENTS,
        "append_and_seal_per_second": round(EVENTS / appended),
        "final_seal_seconds": round(sealed_tail, 3),
        "verify_seconds": round(verified, 3),
        "verify_seconds_per_100k": round(verified * 100_000 / EVENTS, 2),
        "chain_ok": result.ok,
        "verified": result.checked,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"audit_chain-{connection.vendor}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    sys.stdout.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
