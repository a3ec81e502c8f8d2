"""GNU Health's side of bench/gnuhealth.py, run with the GNU Health virtualenv's Python.

Not imported by kapclinic: bench/gnuhealth.py starts it as a subprocess
(`<venv>/bin/python bench/gnuhealth_worker.py CONF DB`) and talks to it in JSON lines on
stdin/stdout, one request and one answer a line. Every operation goes through Tryton's model
layer (Pool, Transaction, Model.create/search_read), in a transaction of its own as a server
request would be, and is timed here, so the pipe between the processes is not measured.

Requests: {"op": "setup"}, {"op": "load", "patients": [...]}, {"op": "search", "prefix": "Tre",
"limit": 20}, {"op": "latest", "patient": ID}, {"op": "quit"}. Answers carry "seconds" (and
what was found), or {"error": "..."} with the traceback on stderr.
"""

import json
import sys
import time
import traceback
from datetime import date, datetime
from importlib.metadata import version

CONF, DB = sys.argv[1], sys.argv[2]

from trytond.config import config  # noqa: E402 (the configuration must be read first)

config.update_etc(CONF)

from trytond.pool import Pool  # noqa: E402
from trytond.transaction import Transaction  # noqa: E402

with Transaction().start(DB, 0, readonly=True):
    Pool(DB).init()
POOL = Pool(DB)
with Transaction().start(DB, 0, readonly=True):
    _admin = POOL.get("res.user").search([("login", "=", "admin")])
    if not _admin:
        sys.exit(f"no 'admin' user in the Tryton database {DB}: was trytond-admin --all run?")
    USER = _admin[0].id
    CONTEXT = POOL.get("res.user").get_preferences(context_only=True)
HEALTHPROF: int | None = None


def _with_defaults(model: str, rows: list[dict]) -> list[dict]:
    """Rows completed with the model's defaults, as the Tryton client sends them on create."""
    Model = POOL.get(model)
    defaults = Model.default_get(list(Model._fields), with_rec_name=False)
    plain = {}
    for name, value in defaults.items():
        field = Model._fields[name]
        if field._type in ("one2many", "many2many"):
            continue
        if getattr(field, "getter", None) and not getattr(field, "setter", None):
            continue
        plain[name] = value
    return [{**plain, **row} for row in rows]


def setup(_request: dict) -> dict:
    """The health professional that signs the evaluations (created once), and the versions."""
    global HEALTHPROF
    with Transaction().start(DB, USER, context=CONTEXT):
        Party = POOL.get("party.party")
        Professional = POOL.get("gnuhealth.healthprofessional")
        found = Professional.search([("party.ref", "=", "BENCH-HP")], limit=1)
        if not found:
            (party,) = Party.create(
                _with_defaults(
                    "party.party",
                    [
                        {
                            "name": "Bench",
                            "lastname": "Clinician",
                            "ref": "BENCH-HP",
                            "is_person": True,
                            "is_healthprof": True,
                            "gender": "f",
                            "internal_user": USER,
                            "create_target": False,
                        }
                    ],
                )
            )
            found = Professional.create(
                _with_defaults(Professional.__name__, [{"party": party.id}])
            )
        HEALTHPROF = found[0].id
    return {
        "versions": {
            "gnuhealth": version("gnuhealth"),
            "trytond": version("trytond"),
            "python": sys.version.split()[0],
        }
    }


def load(request: dict) -> dict:
    """Patients (party + gnuhealth.patient), one appointment each, their evaluations (vitals).

    GNU Health's party.party.create makes one party per call (it draws one PUID a call and
    creates the gnuhealth.patient from the party), so parties go one by one; appointments and
    evaluations go in one create() each for the batch. One transaction for the batch.
    """
    started = time.perf_counter()
    with Transaction().start(DB, USER, context=CONTEXT) as transaction:
        Party = POOL.get("party.party")
        Patient = POOL.get("gnuhealth.patient")
        Appointment = POOL.get("gnuhealth.appointment")
        Evaluation = POOL.get("gnuhealth.patient.evaluation")
        patients = []
        for row in request["patients"]:
            (party,) = Party.create(
                _with_defaults(
                    "party.party",
                    [
                        {
                            "name": row["given"],
                            "lastname": row["family"],
                            "ref": row["ref"],
                            "is_person": True,
                            "is_patient": True,
                            "gender": "f" if row["sex"] == "female" else "m",
                            "dob": date.fromisoformat(row["dob"]),
                        }
                    ],
                )
            )
            patients.append(party)
        by_party = {
            p.party.id: p.id for p in Patient.search([("party", "in", [p.id for p in patients])])
        }
        ids = [by_party[p.id] for p in patients]
        appointments = Appointment.create(
            _with_defaults(
                Appointment.__name__,
                [
                    {
                        "patient": pid,
                        "healthprof": HEALTHPROF,
                        "state": "confirmed",
                        "appointment_type": "outpatient",
                        "appointment_date": datetime.fromisoformat(row["appointment"]),
                    }
                    for pid, row in zip(ids, request["patients"], strict=True)
                ],
            )
        )
        Evaluation.create(
            _with_defaults(
                Evaluation.__name__,
                [
                    {
                        "patient": pid,
                        "appointment": appointment.id,
                        "healthprof": HEALTHPROF,
                        "evaluation_start": datetime.fromisoformat(v[0]),
                        "systolic": v[1],
                        "diastolic": v[2],
                        "bpm": v[3],
                        "osat": v[4],
                        "respiratory_rate": v[5],
                    }
                    for pid, appointment, row in zip(
                        ids, appointments, request["patients"], strict=True
                    )
                    for v in row["vitals"]
                ],
            )
        )
        transaction.commit()
    return {"seconds": time.perf_counter() - started, "ids": ids}


def search(request: dict) -> dict:
    """Patients whose name starts with the prefix, as the GNU Health client searches them."""
    started = time.perf_counter()
    with Transaction().start(DB, USER, readonly=True, context=CONTEXT):
        rows = POOL.get("gnuhealth.patient").search_read(
            [("rec_name", "ilike", f"{request['prefix']}%")],
            limit=request["limit"],
            fields_names=["rec_name", "puid"],
        )
    return {"seconds": time.perf_counter() - started, "found": len(rows)}


def latest(request: dict) -> dict:
    """The patient's latest evaluation's vital signs."""
    started = time.perf_counter()
    with Transaction().start(DB, USER, readonly=True, context=CONTEXT):
        rows = POOL.get("gnuhealth.patient.evaluation").search_read(
            [("patient", "=", request["patient"])],
            order=[("evaluation_start", "DESC"), ("id", "DESC")],
            limit=1,
            fields_names=[
                "evaluation_start",
                "systolic",
                "diastolic",
                "bpm",
                "osat",
                "respiratory_rate",
            ],
        )
    return {"seconds": time.perf_counter() - started, "found": len(rows)}


OPS = {"setup": setup, "load": load, "search": search, "latest": latest}


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "quit":
            break
        try:
            answer = OPS[request["op"]](request)
        except Exception as exc:  # answered to the driver, which stops with the message
            traceback.print_exc(file=sys.stderr)
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
