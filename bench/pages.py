"""Key pages under gunicorn on loopback against the floor, at one scale (`kapclinic bench run`).

Needs a database made by `kapclinic bench generate --patients N` (KAPCLINIC_DATABASE_URL, one
database per scale: kc_bench_1k, kc_bench_10k, ...; never a test database). Starts gunicorn on
127.0.0.1 with bench/bench_settings.py, signs the demo
staff in, and requests each key page and its floor in turn (interleaved, so both see the same
machine), with a small threaded client (http.client, no new dependency). Query counts come from
the same pages in-process (Django's test client). Then the vitals ingestion rate
(bench/ingestion.py) and the audit verify rate, in the same run. Writes
bench/results/pages-<N>.json and updates bench/results/pages.md (every scale measured so far).
"""

import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "2"))


def _setup() -> None:
    sys.path.insert(0, str(BENCH))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ.setdefault("KAPCLINIC_DEMO", "true")
    import django

    django.setup()


def _targets() -> tuple[dict[str, tuple[str, str, str]], int]:
    """page name -> (user email, page path, floor path), and the number of patients."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from kapclinic.accounts.models import User
    from kapclinic.clinics.models import Clinic
    from kapclinic.dosing.models import DosingSession
    from kapclinic.patients.models import Patient

    clinic = Clinic.objects.order_by("pk").first()
    # The newest session of the network, not one the ingestion benchmark opened on an earlier
    # run and filled with hundreds of readings (a real session has a reading every 15 minutes).
    session = (
        DosingSession.objects.filter(clinic=clinic)
        .annotate(readings=Count("vitals"))
        .filter(readings__lte=50)
        .order_by("-pk")
        .first()
    )
    patient = session.patient
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    intake = User.objects.get(email="intake.mtl@demo.kapclinic.test")
    director = User.objects.get(email="physician.mtl@demo.kapclinic.test")
    nurse = User.objects.get(email="nurse.mtl@demo.kapclinic.test")
    admin = User.objects.get(email="clinic-admin.mtl@demo.kapclinic.test")
    week = reverse("scheduling:week", kwargs={"clinic_id": clinic.pk})
    targets = {
        "intake queue": (intake.email, reverse("referrals:queue"), f"queue/{clinic.pk}"),
        "chart": (
            nurse.email,
            reverse("patients:chart", kwargs={"patient_id": patient.pk}),
            f"chart/{patient.pk}",
        ),
        "dosing screen": (
            nurse.email,
            reverse("dosing:session", kwargs={"session_id": session.pk}),
            f"session/{session.pk}",
        ),
        "week view": (intake.email, f"{week}?start={monday.isoformat()}", f"week/{clinic.pk}"),
        "SLA figures": (admin.email, reverse("referrals:sla"), f"sla/{clinic.pk}"),
        "outcomes dashboard": (
            director.email,
            reverse("outcomes:dashboards"),
            f"outcomes/{clinic.pk}",
        ),
    }
    return (
        {k: (u, p, f"/bench/floor/{f}/") for k, (u, p, f) in targets.items()},
        Patient.objects.count(),
    )


def _cookie(email: str) -> str:
    from django.conf import settings
    from django.test import Client

    from kapclinic.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _query_counts(targets: dict[str, tuple[str, str, str]]) -> dict[str, tuple[int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kapclinic.accounts.models import User

    counts = {}
    for name, (email, page, floor) in targets.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        client.get(page)  # warm (first-request work is not the page's)
        found = []
        for path in (page, floor):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {path} answered {response.status_code}")
            found.append(len(queries))
        counts[name] = (found[0], found[1])
    return counts


def _get(path: str, cookie: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed * 1000


def _latencies(targets: dict[str, tuple[str, str, str]]) -> dict[str, dict[str, list[float]]]:
    """Each client requests every page then its floor, round after round (interleaved)."""
    cookies = {email: _cookie(email) for email, _, _ in targets.values()}
    timings: dict[str, dict[str, list[float]]] = {n: {"page": [], "floor": []} for n in targets}
    lock = threading.Lock()

    def client() -> None:
        for _ in range(ROUNDS):
            for name, (email, page, floor) in targets.items():
                page_ms = _get(page, cookies[email])
                floor_ms = _get(floor, cookies[email])
                with lock:
                    timings[name]["page"].append(page_ms)
                    timings[name]["floor"].append(floor_ms)

    for email, page, floor in targets.values():  # warm every worker's first request
        for _ in range(CLIENTS * 2):
            _get(page, cookies[email])
            _get(floor, cookies[email])
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _port_taken() -> bool:
    try:
        http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("GET", "/")
    except OSError:
        return False
    return True


def _gunicorn() -> subprocess.Popen[bytes]:
    if _port_taken():  # another benchmark's server would answer for ours
        raise RuntimeError(f"127.0.0.1:{PORT} is in use: choose another BENCH_PORT.")
    env = {**os.environ, "PYTHONPATH": str(BENCH), "DJANGO_SETTINGS_MODULE": "bench_settings"}
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "kapclinic.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(CLIENTS),
            "--timeout",
            "300",
            "--log-level",
            "warning",
            "--error-logfile",
            str(RESULTS / "gunicorn.log"),
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        if _port_taken():
            return server
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (verify's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _verify() -> dict[str, Any]:
    """`kapclinic audit verify` on the whole trail: events per second by the wall clock, and by
    the CPU seconds of verify's own processes (what a loaded machine does not stretch)."""
    from kapclinic.audit.chain import seal_pending, verify_chain

    while seal_pending():
        pass
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), _cpu()
    verified = verify_chain()
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    if not verified.ok:
        raise RuntimeError(f"audit verify failed: {verified.problem}")
    return {
        "events": verified.checked,
        "ok": verified.ok,
        "seconds": round(seconds, 2),
        "events_per_second": round(verified.checked / seconds),
        "cpu_seconds": round(cpu, 2),
        "events_per_cpu_second": round(verified.checked / cpu),
        "load_average": round(load, 1),
    }


def main() -> None:
    _setup()
    from django.db import connection
    from ingestion import measure

    targets, patients = _targets()
    counts = _query_counts(targets)
    server = _gunicorn()
    try:
        load = os.getloadavg()[0]
        timings = _latencies(targets)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ingestion = {**measure(), "load_average": round(os.getloadavg()[0], 1)}
    verify = _verify()
    pages = {}
    for name, found in timings.items():
        page50, floor50 = statistics.median(found["page"]), statistics.median(found["floor"])
        pages[name] = {
            "page_p50_ms": round(page50, 1),
            "page_p95_ms": round(_percentile(found["page"], 0.95), 1),
            "floor_p50_ms": round(floor50, 1),
            "floor_p95_ms": round(_percentile(found["floor"], 0.95), 1),
            "ratio_p50": round(page50 / floor50, 2),
            "queries": counts[name][0],
            "floor_queries": counts[name][1],
            "requests": len(found["page"]),
        }
    figures = {
        "database": connection.vendor,
        "patients": patients,
        "clients": CLIENTS,
        "rounds": ROUNDS,
        "load_average": round(max(load, os.getloadavg()[0]), 1),
        "pages": pages,
        "vitals_ingestion": ingestion,
        "audit_verify": verify,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"pages-{patients}.json").write_text(json.dumps(figures, indent=2) + "\n")
    _table()
    sys.stdout.write(json.dumps(figures) + "\n")


def _table() -> None:
    """bench/results/pages.md from every pages-<N>.json: ratios to the floor, query counts;
    then vitals ingestion and audit verify at each scale."""
    runs = sorted(
        (json.loads(p.read_text()) for p in RESULTS.glob("pages-*.json")),
        key=lambda run: run["patients"],
    )
    lines = [
        "# Key pages against the floor (gunicorn on loopback, PostgreSQL)",
        "",
        "p50 / p95 in ms; the floor is a minimal Django view (same middleware, login and access",
        "policy) reading the same rows by raw SQL, measured interleaved in the same run; ratio is",
        "page p50 / floor p50; queries are page (floor). The machine is shared (2 cores): the",
        "load average says how shared; compare ratios, not times.",
        "",
        "| Page | Patients | Page p50 / p95 | Floor p50 / p95 | Ratio | Queries | Load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for name, page in run["pages"].items():
            lines.append(
                f"| {name} | {run['patients']:,} | {page['page_p50_ms']} / {page['page_p95_ms']}"
                f" | {page['floor_p50_ms']} / {page['floor_p95_ms']} | {page['ratio_p50']}x"
                f" | {page['queries']} ({page['floor_queries']}) | {run['load_average']:.1f} |"
            )
    lines += [
        "",
        "## Vitals ingestion and audit verify",
        "",
        "Ingestion: readings per second through the nurse's path (VitalsForm, then",
        "dosing.monitoring.record_vitals: lock, limits, insert, audit event, seal after commit),",
        "one transaction each, interleaved with the same readings by one raw INSERT each (floor).",
        "Verify: `audit verify` over the whole trail (events per wall second, and per CPU second",
        "of verify's own processes, which a loaded machine does not stretch; PostgreSQL's side",
        "is not in the CPU figure).",
        "",
        "| Patients | Vitals/s (service) | Vitals/s (raw INSERT) | Floor / service |"
        " Audit events | Verify events/s (wall) | Verify events/CPU s | Load avg |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        ingest, verify = run.get("vitals_ingestion"), run.get("audit_verify", {})
        if not ingest or "cpu_seconds" not in verify:
            continue
        lines.append(
            f"| {run['patients']:,} | {ingest['service_per_second']:,}"
            f" | {ingest['floor_per_second']:,} | {ingest['ratio']}x | {verify['events']:,}"
            f" | {verify['events_per_second']:,} | {verify['events_per_cpu_second']:,}"
            f" | {verify['load_average']:.1f} |"
        )
    (RESULTS / "pages.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
