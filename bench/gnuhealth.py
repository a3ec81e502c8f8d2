"""kapclinic beside GNU Health: one workload on PostgreSQL, in one run (`make bench-gnuhealth`).

    .venv/bin/python bench/gnuhealth.py --patients 1000

1. Installs GNU Health from PyPI into a virtualenv of its own, $KAPCLINIC_VAR_DIR/gnuhealth-venv
   (exact versions in bench/gnuhealth-requirements.txt; GNU Health 5.0 runs on Tryton 7.0,
   which wants Python 3.10 to 3.12: GNUHEALTH_PYTHON names one, else the first found), and
   initialises a Tryton template database `gnuhealth_template` with the `health` module
   activated (`trytond-admin --all`, then `-u health --activate-dependencies`; the admin
   password comes through TRYTONPASSFILE). Both steps are skipped when already done.
2. Makes two fresh databases, `kc_gnuhealth_bench_<N>` (kapclinic, migrated, demo network
   seeded) and `gnuhealth_bench_<N>` (a copy of the template), and loads the same N patients
   into both, batch by batch, alternating which system goes first: one appointment each and
   10 vital-sign records each (in GNU Health: party + gnuhealth.patient, gnuhealth.appointment,
   and gnuhealth.patient.evaluation records carrying the vitals; in kapclinic: Patient,
   Appointment + Attendance + DosingSession, VitalSign). Each side goes through its own model
   layer: the Django ORM here, Tryton's Pool/Transaction API in bench/gnuhealth_worker.py, run
   by the GNU Health virtualenv's Python. No raw SQL in what is timed.
3. Times, interleaved (the order of the systems rotates every repetition), a search of
   patients by name prefix (3 letters, 20 rows) and a patient's latest vital signs, each in a
   transaction of its own; and the load throughput.
4. Writes bench/results/gnuhealth.json (every N run so far) and bench/results/gnuhealth.md.

PostgreSQL is the server of GNUHEALTH_BENCH_PG (default postgres://postgres@127.0.0.1:5432),
reached with the createdb/dropdb/psql clients. Ratios are kapclinic time / GNU Health time:
below 1 means kapclinic is faster.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
VAR = Path(os.environ.get("KAPCLINIC_VAR_DIR", ROOT / "var")).resolve()
GH_VENV = VAR / "gnuhealth-venv"
GH_HOME = VAR / "gnuhealth"  # trytond.conf, the admin password file, Tryton's data path
REQUIREMENTS = BENCH / "gnuhealth-requirements.txt"
TEMPLATE = "gnuhealth_template"
PG = urlsplit(os.environ.get("GNUHEALTH_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
PG_ARGS = ["-h", PG.hostname or "127.0.0.1", "-p", str(PG.port or 5432), "-U", PG.username or ""]
BATCH = 100  # patients a transaction, on both sides
VITALS = 10
WARMUP = 20


class Failed(SystemExit):
    """A step that failed: what was run, and what it said."""

    def __init__(self, step: str, command: list[str] | None = None, output: str = "") -> None:
        text = f"gnuhealth bench: {step} failed"
        if command:
            text += f"\n  command: {' '.join(command)}"
        if output:
            tail = "\n".join(output.strip().splitlines()[-25:])
            text += f"\n  output (last lines):\n{tail}"
        super().__init__(text)


def _run(step: str, command: list[str], **kwargs: Any) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603
    except FileNotFoundError as exc:
        raise Failed(step, command, f"{exc.filename} was not found (is it installed?)") from exc
    if done.returncode != 0:
        raise Failed(step, command, done.stdout + done.stderr)
    return done.stdout


def _psql(db: str, sql: str) -> str | None:
    """One value from `sql` in database `db`, or None if the database or the table is missing."""
    done = subprocess.run(  # noqa: S603
        ["psql", *PG_ARGS, "-d", db, "-tAc", sql],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def _fresh_database(name: str, template: str | None = None) -> None:
    _run(f"dropping database {name}", ["dropdb", *PG_ARGS, "--if-exists", name])
    extra = ["-T", template] if template else []
    _run(f"creating database {name}", ["createdb", *PG_ARGS, *extra, name])


# --- GNU Health: virtualenv and template database -------------------------------------------


def _gnuhealth_python() -> str:
    """A Python that Tryton 7.0 supports (3.10 to 3.12)."""
    home = Path.home() / ".pyenv" / "versions"
    chosen = os.environ.get("GNUHEALTH_PYTHON", "")
    candidates = [chosen]
    for minor in ("3.12", "3.11", "3.10"):
        candidates += [
            f"python{minor}",
            *sorted(str(p) for p in home.glob(f"{minor}*/bin/python3")),
        ]
    for candidate in filter(None, candidates):
        path = shutil.which(candidate)
        if path is None:
            continue
        check = subprocess.run(  # noqa: S603
            [
                path,
                "-c",
                "import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)",
            ],
            capture_output=True,
            check=False,
        )
        if check.returncode == 0:
            return path
        if candidate == chosen:
            raise Failed(
                f"checking GNUHEALTH_PYTHON={chosen}",
                output="It is not Python 3.10 to 3.12, which Tryton 7.0 (GNU Health 5.0) wants.",
            )
    raise Failed(
        "finding a Python for GNU Health (Tryton 7.0 runs on Python 3.10 to 3.12)",
        output="None of GNUHEALTH_PYTHON, python3.12/3.11/3.10 or ~/.pyenv/versions/3.1[0-2]* "
        "was found. Install one (e.g. 'pyenv install 3.12') or set GNUHEALTH_PYTHON.",
    )


def ensure_venv() -> Path:
    """The GNU Health virtualenv's Python, installed from the pinned requirements if needed."""
    python = GH_VENV / "bin" / "python"
    marker = GH_VENV / ".installed"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    base = _gnuhealth_python()
    print(f"Installing GNU Health into {GH_VENV} with {base} (a few minutes)", flush=True)
    if GH_VENV.exists():
        shutil.rmtree(GH_VENV)
    _run("creating the GNU Health virtualenv", [base, "-m", "venv", str(GH_VENV)])
    _run(
        "installing GNU Health from PyPI",
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
    )
    marker.write_text(wanted)
    return python


def _config() -> Path:
    GH_HOME.mkdir(parents=True, exist_ok=True)
    (GH_HOME / "data").mkdir(exist_ok=True)
    conf = GH_HOME / "trytond.conf"
    user = f"{PG.username}@" if PG.username else ""
    conf.write_text(
        "[database]\n"
        f"uri = postgresql://{user}{PG.hostname or '127.0.0.1'}:{PG.port or 5432}/\n"
        f"path = {GH_HOME / 'data'}\n"
    )
    password = GH_HOME / "admin-password"  # a local throwaway database's admin
    password.write_text("gnuhealth-bench\n")
    return conf


def ensure_template(python: Path, conf: Path) -> None:
    """`gnuhealth_template`: Tryton initialised with `health` activated (skipped if so)."""
    if _psql(TEMPLATE, "SELECT state FROM ir_module WHERE name = 'health'") == "activated":
        return
    print(
        f"Initialising the Tryton database {TEMPLATE} with the health module (~3 min)", flush=True
    )
    _fresh_database(TEMPLATE)
    admin = str(python.parent / "trytond-admin")
    env = {**os.environ, "TRYTONPASSFILE": str(GH_HOME / "admin-password")}
    base = [admin, "-c", str(conf), "-d", TEMPLATE]
    _run("trytond-admin --all", [*base, "--all", "--email", "admin@bench.test"], env=env)
    _run(
        "activating the health module", [*base, "-u", "health", "--activate-dependencies"], env=env
    )
    state = _psql(TEMPLATE, "SELECT state FROM ir_module WHERE name = 'health'")
    if state != "activated":
        raise Failed(f"activating the health module (its state is {state!r}, not 'activated')")


class GnuHealth:
    """bench/gnuhealth_worker.py in the GNU Health virtualenv, one JSON line each way."""

    def __init__(self, python: Path, conf: Path, db: str) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [str(python), "-W", "ignore", str(BENCH / "gnuhealth_worker.py"), str(conf), db],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, op: str, **request: Any) -> dict[str, Any]:
        if self.process.stdin is None or self.process.stdout is None:
            raise Failed("GNU Health worker: no pipe to it")
        self.process.stdin.write(json.dumps({"op": op, **request}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise Failed(f"GNU Health worker ({op}): it exited with {self.process.wait()}")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise Failed(f"GNU Health worker ({op})", output=answer["error"])
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            if self.process.stdin is None:
                return
            self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.process.stdin.close()
            self.process.wait(timeout=30)


# --- kapclinic -----------------------------------------------------------------------------


def _django(db: str, anchor: Path) -> None:
    user = f"{PG.username}@" if PG.username else ""
    os.environ["KAPCLINIC_DATABASE_URL"] = (
        f"postgres://{user}{PG.hostname or '127.0.0.1'}:{PG.port or 5432}/{db}"
    )
    os.environ["KAPCLINIC_AUDIT_ANCHOR"] = str(anchor)
    os.environ.setdefault("KAPCLINIC_DEMO", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kapclinic.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


class Kapclinic:
    """The same workload through kapclinic's models (bulk_create, as the bench generator does)."""

    def __init__(self, patients: int) -> None:
        from django.utils import timezone

        from kapclinic.accounts.models import User
        from kapclinic.accounts.roles import Role
        from kapclinic.clinics.models import Clinic
        from kapclinic.demo import bench_data
        from kapclinic.demo.seed import seed_demo
        from kapclinic.scheduling.models import AppointmentType

        seed_demo()
        self.clinic = Clinic.objects.select_related("jurisdiction").order_by("pk").first()
        pairs = max(1, -(-patients // bench_data.PATIENTS_PER_ROOM))
        self.pairs = bench_data._rooms_and_clinicians(self.clinic, pairs)
        self.slots = bench_data._slots(self.clinic, pairs, timezone.localdate() - timedelta(days=1))
        self.session_type = AppointmentType.objects.get(code="ketamine-session")
        self.intake = User.objects.filter(role=Role.INTAKE).order_by("pk").first()
        self.nurse = User.objects.get(email="nurse.mtl@demo.kapclinic.test")

    def load(self, rows: list[dict[str, Any]]) -> tuple[float, list[int]]:
        from django.db import transaction

        from kapclinic.dosing.models import DosingSession, VitalSign
        from kapclinic.patients.models import Patient, fold
        from kapclinic.scheduling.models import Appointment, Attendance
        from kapclinic.scheduling.models import Status as AppointmentStatus

        started = time.perf_counter()
        with transaction.atomic():
            people = Patient.objects.bulk_create(
                Patient(
                    clinic=self.clinic,
                    legal_given_name=row["given"],
                    legal_family_name=row["family"],
                    date_of_birth=date.fromisoformat(row["dob"]),
                    sex_at_birth=row["sex"],
                    preferred_language="en",
                    search_key=fold(f"{row['given']} {row['family']} "),
                )
                for row in rows
            )
            appointments = Appointment.objects.bulk_create(
                Appointment(
                    clinic=self.clinic,
                    type=self.session_type,
                    room=self.pairs[row["pair"]][0],
                    clinician=self.pairs[row["pair"]][1],
                    starts_at=row["starts"],
                    ends_at=row["starts"] + timedelta(hours=3),
                    status=AppointmentStatus.ATTENDED,
                    booked_by=self.intake,
                )
                for row in rows
            )
            attendances = Attendance.objects.bulk_create(
                Attendance(
                    appointment=a,
                    patient=p,
                    starts_at=a.starts_at,
                    ends_at=a.ends_at,
                    status=a.status,
                )
                for a, p in zip(appointments, people, strict=True)
            )
            sessions = DosingSession.objects.bulk_create(
                DosingSession(
                    attendance=attendance,
                    patient=attendance.patient,
                    clinic=self.clinic,
                    state="discharged",
                    route="sublingual_rdt",
                    fasted_as_instructed=True,
                    ride_home_arranged=True,
                    pregnancy_attestation="not_pregnant",
                    created_at=attendance.starts_at,
                )
                for attendance in attendances
            )
            VitalSign.objects.bulk_create(
                VitalSign(
                    session=session,
                    taken_at=v[0],
                    systolic=v[1],
                    diastolic=v[2],
                    pulse=v[3],
                    spo2=v[4],
                    respiratory_rate=v[5],
                    recorded_by=self.nurse,
                )
                for session, row in zip(sessions, rows, strict=True)
                for v in row["vitals_at"]
            )
        return time.perf_counter() - started, [p.pk for p in people]

    def search(self, prefix: str, limit: int) -> int:
        """Patients whose given or family name starts with the prefix (the ORM, no audit)."""
        from django.db import transaction
        from django.db.models import Q

        from kapclinic.patients.models import Patient

        with transaction.atomic():
            return len(
                Patient.objects.filter(
                    Q(legal_family_name__istartswith=prefix)
                    | Q(legal_given_name__istartswith=prefix),
                    entered_in_error=False,
                )
                .order_by("legal_family_name", "legal_given_name", "pk")
                .values("pk", "legal_given_name", "legal_family_name")[:limit]
            )

    def search_screen(self, prefix: str) -> int:
        """kapclinic's own search service: access rules, one audit event naming the patients."""
        from django.db import transaction

        from kapclinic.patients.selectors import search_patients

        with transaction.atomic():
            return len(search_patients(by=self.nurse, query=prefix))

    def latest(self, patient: int) -> int:
        from django.db import transaction

        from kapclinic.dosing.models import VitalSign

        with transaction.atomic():
            found = (
                VitalSign.objects.filter(session__patient_id=patient)
                .order_by("-taken_at", "-pk")
                .values("taken_at", "systolic", "diastolic", "pulse", "spo2", "respiratory_rate")
                .first()
            )
        return int(found is not None)


# --- the workload and the measurements ------------------------------------------------------


def _rows(n: int, first: int, size: int, kc: Kapclinic, rng: random.Random) -> list[dict[str, Any]]:
    from kapclinic.demo.seed import FAMILY, GIVEN

    rows = []
    for k in range(first, first + size):
        pair, starts = next(kc.slots)
        vitals_at = [
            (
                starts + timedelta(minutes=15 * (j + 1)),
                rng.randint(110, 150),
                rng.randint(65, 95),
                rng.randint(60, 100),
                rng.randint(94, 99),
                rng.randint(12, 18),
            )
            for j in range(VITALS)
        ]
        utc = starts.astimezone(UTC).replace(tzinfo=None)
        rows.append(
            {
                "ref": f"KB{n}-{k:07d}",
                "given": rng.choice(GIVEN),
                "family": f"{rng.choice(FAMILY)}{k}",
                "dob": date(
                    rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)
                ).isoformat(),
                "sex": rng.choice(["female", "male"]),
                "pair": pair,
                "starts": starts,
                "appointment": utc.isoformat(),
                "vitals_at": vitals_at,
                "vitals": [
                    [(v[0].astimezone(UTC).replace(tzinfo=None)).isoformat(), *v[1:]]
                    for v in vitals_at
                ],
            }
        )
    return rows


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], 3),
        "n": len(ms),
    }


def measure(patients: int, rounds: int) -> dict[str, Any]:
    kc_db, gh_db = f"kc_gnuhealth_bench_{patients}", f"gnuhealth_bench_{patients}"
    python = ensure_venv()
    conf = _config()
    ensure_template(python, conf)
    print(f"Fresh databases {kc_db} and {gh_db}", flush=True)
    _fresh_database(gh_db, TEMPLATE)
    _fresh_database(kc_db)
    anchor = VAR / "gnuhealth-bench" / f"audit-anchor-{patients}.json"
    anchor.parent.mkdir(parents=True, exist_ok=True)
    anchor.unlink(missing_ok=True)
    _django(kc_db, anchor)
    load_before = os.getloadavg()
    kc = Kapclinic(patients)
    gh = GnuHealth(python, conf, gh_db)
    try:
        versions = gh("setup")["versions"]
        rng = random.Random(patients)  # synthetic data, not security
        kc_ids: list[int] = []
        gh_ids: list[int] = []
        names: list[tuple[str, str]] = []
        load = {"kapclinic": 0.0, "gnuhealth": 0.0}
        for batch, first in enumerate(range(0, patients, BATCH)):
            rows = _rows(patients, first, min(BATCH, patients - first), kc, rng)
            names += [(r["given"], r["family"]) for r in rows]

            def kc_load(rows: list[dict[str, Any]] = rows) -> None:
                seconds, ids = kc.load(rows)
                load["kapclinic"] += seconds
                kc_ids.extend(ids)

            def gh_load(rows: list[dict[str, Any]] = rows) -> None:
                answer = gh(
                    "load",
                    patients=[
                        {k: v for k, v in r.items() if k not in ("starts", "vitals_at")}
                        for r in rows
                    ],
                )
                load["gnuhealth"] += answer["seconds"]
                gh_ids.extend(answer["ids"])

            for step in (kc_load, gh_load) if batch % 2 == 0 else (gh_load, kc_load):
                step()
            print(f"  loaded {first + len(rows)}/{patients}", end="\r", flush=True)
        print(flush=True)
        # Fresh planner statistics on both sides, as autovacuum would give a live system: with
        # the bulk load's stale ones PostgreSQL hash-joins every vital sign for one patient's.
        _psql(kc_db, "ANALYZE")
        _psql(gh_db, "ANALYZE")

        prefixes = [rng.choice(rng.choice(names))[:3] for _ in range(WARMUP + rounds)]
        picks = [rng.randrange(patients) for _ in range(WARMUP + rounds)]
        ops: dict[str, Callable[[int], tuple[float, int]]] = {
            "kapclinic search": lambda i: _timed(lambda: kc.search(prefixes[i], 20)),
            "kapclinic search screen": lambda i: _timed(lambda: kc.search_screen(prefixes[i])),
            "gnuhealth search": lambda i: _worker(gh("search", prefix=prefixes[i], limit=20)),
            "kapclinic latest vitals": lambda i: _timed(lambda: kc.latest(kc_ids[picks[i]])),
            "gnuhealth latest vitals": lambda i: _worker(gh("latest", patient=gh_ids[picks[i]])),
        }
        timings: dict[str, list[float]] = {name: [] for name in ops}
        found: dict[str, int] = dict.fromkeys(ops, 0)
        order = list(ops)
        for i in range(WARMUP + rounds):
            turn = order[i % len(order) :] + order[: i % len(order)]  # rotate who goes first
            for name in turn:
                seconds, count = ops[name](i)
                if i >= WARMUP:
                    timings[name].append(seconds)
                    found[name] += count
    finally:
        gh.close()
    load_after = os.getloadavg()
    figures = {
        name: {**_summary(t), "rows_found_mean": round(found[name] / rounds, 1)}
        for name, t in timings.items()
    }
    records = patients * (2 + VITALS)  # patient, appointment, vitals
    throughput = {
        system: {
            "seconds": round(seconds, 2),
            "patients_per_s": round(patients / seconds, 1),
            "records_per_s": round(records / seconds, 1),
        }
        for system, seconds in load.items()
    }
    ratios = {
        "search p50": _ratio(
            figures["kapclinic search"]["p50_ms"], figures["gnuhealth search"]["p50_ms"]
        ),
        "search p95": _ratio(
            figures["kapclinic search"]["p95_ms"], figures["gnuhealth search"]["p95_ms"]
        ),
        "search screen p50": _ratio(
            figures["kapclinic search screen"]["p50_ms"], figures["gnuhealth search"]["p50_ms"]
        ),
        "search screen p95": _ratio(
            figures["kapclinic search screen"]["p95_ms"], figures["gnuhealth search"]["p95_ms"]
        ),
        "latest vitals p50": _ratio(
            figures["kapclinic latest vitals"]["p50_ms"],
            figures["gnuhealth latest vitals"]["p50_ms"],
        ),
        "latest vitals p95": _ratio(
            figures["kapclinic latest vitals"]["p95_ms"],
            figures["gnuhealth latest vitals"]["p95_ms"],
        ),
        "load time": _ratio(load["kapclinic"], load["gnuhealth"]),
    }
    import django

    return {
        "patients": patients,
        "rounds": rounds,
        "warmup": WARMUP,
        "vitals_per_patient": VITALS,
        "batch": BATCH,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "cores": os.cpu_count(),
        "versions": {
            **{f"gnuhealth {k}": v for k, v in versions.items()},
            "kapclinic python": sys.version.split()[0],
            "django": django.get_version(),
            "postgresql": _psql(kc_db, "SHOW server_version"),
        },
        "load": throughput,
        "operations": figures,
        "ratios_kapclinic_over_gnuhealth": ratios,
    }


def _timed(call: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    count = call()
    return time.perf_counter() - started, count


def _worker(answer: dict[str, Any]) -> tuple[float, int]:
    return answer["seconds"], answer["found"]


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


def write(run: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "gnuhealth.json"
    runs = json.loads(path.read_text())["runs"] if path.exists() else {}
    runs[str(run["patients"])] = run
    runs = dict(sorted(runs.items(), key=lambda kv: int(kv[0])))
    path.write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    (RESULTS / "gnuhealth.md").write_text(markdown(runs))


def markdown(runs: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# kapclinic beside GNU Health",
        "",
        "Written by `bench/gnuhealth.py` (`make bench-gnuhealth`). The same workload on the same",
        "PostgreSQL server, both systems in one run, the order rotating every repetition:",
        f"N patients, one appointment each, {VITALS} vital-sign records each. Times are p50 / p95",
        "in ms of one operation in a transaction of its own, through each system's model layer",
        "(Django ORM; Tryton's Pool/Transaction API). Ratio = kapclinic / GNU Health (below 1:",
        "kapclinic is faster). kapclinic's database also holds the demo network (30",
        "patients), which the bench seeds for its clinic, rooms and staff.",
        "",
        "- *search*: patients whose given or family name starts with 3 letters, 20 rows",
        "  (GNU Health: `gnuhealth.patient` `search_read` on `rec_name ilike 'abc%'`, what its",
        "  client sends; kapclinic: the ORM query on the patient's names).",
        "- *search screen*: kapclinic's own search service (`search_patients`: access rules, a",
        "  contains match on the folded name, up to 50 rows, one audit event naming them),",
        "  against the same GNU Health search, which audits nothing.",
        "- *latest vitals*: the patient's latest vital-sign record (GNU Health: their latest",
        "  `gnuhealth.patient.evaluation`; kapclinic: their latest `VitalSign`).",
        "- *load*: the whole workload in batches of 100 patients a transaction (GNU Health creates",
        "  a party per call, as its `party.party.create` draws one PUID a call; appointments and",
        "  evaluations in one `create` a batch; kapclinic: `bulk_create`, as the bench generator).",
        "- *rows*: the mean number of rows each side returned (kapclinic / GNU Health).",
        "",
    ]
    for n, run in runs.items():
        ops, ratios, load = run["operations"], run["ratios_kapclinic_over_gnuhealth"], run["load"]
        v = run["versions"]
        lines += [
            f"## N = {int(n):,} patients ({run['when']})",
            "",
            f"GNU Health {v['gnuhealth gnuhealth']} on trytond {v['gnuhealth trytond']} "
            f"(Python {v['gnuhealth python']}); kapclinic on Django {v['django']} "
            f"(Python {v['kapclinic python']}); PostgreSQL {v['postgresql']}; "
            f"{run['cores']} cores, load average {run['load_average']['before'][0]} before, "
            f"{run['load_average']['after'][0]} after; {run['rounds']} repetitions "
            f"after {run['warmup']} warm-up.",
            "",
            "| operation | kapclinic p50 / p95 | GNU Health p50 / p95 | ratio p50 / p95 | rows |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for label, kc_key, gh_key, r in (
            ("search by name prefix", "kapclinic search", "gnuhealth search", "search"),
            (
                "search screen (audited)",
                "kapclinic search screen",
                "gnuhealth search",
                "search screen",
            ),
            (
                "latest vitals",
                "kapclinic latest vitals",
                "gnuhealth latest vitals",
                "latest vitals",
            ),
        ):
            lines.append(
                f"| {label} | {ops[kc_key]['p50_ms']:.2f} / {ops[kc_key]['p95_ms']:.2f} ms "
                f"| {ops[gh_key]['p50_ms']:.2f} / {ops[gh_key]['p95_ms']:.2f} ms "
                f"| {ratios[r + ' p50']:.2f} / {ratios[r + ' p95']:.2f} "
                f"| {ops[kc_key]['rows_found_mean']:g} / {ops[gh_key]['rows_found_mean']:g} |"
            )
        kcl, ghl = load["kapclinic"], load["gnuhealth"]
        lines += [
            f"| load ({run['patients'] * (2 + run['vitals_per_patient']):,} records) "
            f"| {kcl['seconds']:.1f} s, {kcl['patients_per_s']:,.0f} patients/s "
            f"| {ghl['seconds']:.1f} s, {ghl['patients_per_s']:,.1f} patients/s "
            f"| {ratios['load time']:.3f} (time) | |",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "200")))
    args = parser.parse_args()
    if args.patients < 1 or args.rounds < 1:
        parser.error("--patients and --rounds must be at least 1")
    run = measure(args.patients, args.rounds)
    write(run)
    print((RESULTS / "gnuhealth.md").read_text())


if __name__ == "__main__":
    main()
