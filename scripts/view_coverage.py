"""Which screens pin their query count and which POST views a test exercises over HTTP.

    python scripts/view_coverage.py record [pytest args]   # run tests, record their requests
    python scripts/view_coverage.py report                 # the table and the two counts

The routes are the route matrix's (tests/accounts/test_policy.own_routes). A route is a
*screen* when it answers GET with an HTML page (or FHIR JSON: an API read); a *POST view*
when its view accepts POST. What the tests did comes from scripts/view_coverage_plugin.py,
which records each request and whether it ran inside `django_assert_num_queries`."""

import inspect
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RECORDS = Path(
    os.environ.get("VIEW_COVERAGE_RECORDS")
    or Path(os.environ.get("KAPCLINIC_VAR_DIR", ROOT / "var")) / "view_coverage"
)

# Routes that answer GET with a file, a redirect or a stream rather than a page.
NOT_SCREENS = {
    "web:language",  # switches language and redirects back
    "web:healthz",  # plain-text health check
    "scheduling:my_week",  # redirects to the week of the user's clinic
    "referrals:fax_document",
    "referrals:attachment",
    "register:report_csv",
    "register:report_pdf",
    "register:loss_report",
    "scheduling:feed",
    "portal:invitation",
    "portal:receipt",
    "billing:receipt",
    "billing:receipt_link",
    "sharedcare:pdf",
    "sharedcare:referrer_pdf",
    "care:consent_document",
    "recordings:stream",
    "recordings:download",
    "outcomes:export",
    "fhir:export_file",
    # Bulk export kick-offs: a GET that starts a job (FHIR Bulk Data), answered 202 with no body.
    "fhir:export",
    "fhir:export_patients",
    "fhir:export_patient",
    "fhir:openapi",  # a static document: no data, no database
}
# Requests that are not a view test: the browser journeys, and the crawl, which POSTs garbage
# to every route without looking at what happened.
NOT_VIEW_TESTS = ("tests/e2e/", "tests/security/test_crawl.py")
# Views that take POST through a helper the heuristic below cannot see.
POST_HELPERS = re.compile(
    r"require_POST|request\.method|request\.POST|request\.FILES|request\.body|@api\(\"POST\""
    r"|_form_page|_act\(|_posted"
)


def _source(view: Any) -> str:
    try:
        return inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return ""


def inventory() -> dict[str, dict[str, bool]]:
    """Every kapclinic route: whether it is a screen and whether its view takes POST."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kapclinic.settings")
    import django

    django.setup()
    from django.urls import get_resolver
    from tests.accounts.test_policy import own_routes, walk

    patterns = dict(walk(get_resolver().url_patterns))
    found = {}
    for name, _policy in own_routes():
        source = _source(patterns[name].callback)
        post_only = "@require_POST" in source or '@api("POST")' in source
        found[name] = {
            "screen": not post_only and name not in NOT_SCREENS,
            "post": bool(POST_HELPERS.search(source)) and "@require_GET" not in source,
        }
    return found


def recorded() -> dict[str, dict[str, set[str]]]:
    """Per route: the tests that pinned a GET's queries (exact / max), and that POSTed to it."""
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _latest_rows():
        if row["route"]:
            test = row["test"]
            if row["method"] == "GET" and row["pin"]:
                seen[row["route"]][f"pin_{row['pin']}"].add(test)
            if row["method"] == "POST" and not test.startswith(NOT_VIEW_TESTS):
                seen[row["route"]]["post"].add(test)
    return seen


def _latest_rows() -> list[dict[str, Any]]:
    """The recorded requests; a later run of a test file replaces an earlier run's rows."""
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in RECORDS.glob("requests-*.jsonl"):
        run = path.stem.rsplit("-", 1)[0]  # requests-<run>-<worker>
        runs[run] += [json.loads(line) for line in path.read_text().splitlines()]
    latest: dict[str, list[dict[str, Any]]] = {}
    for run in sorted(runs, key=lambda r: min(p.stat().st_mtime for p in RECORDS.glob(f"{r}-*"))):
        by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in runs[run]:
            by_file[row["test"].split("::")[0]].append(row)
        latest.update(by_file)
    return [row for rows in latest.values() for row in rows]


def report() -> None:
    routes = inventory()
    seen = recorded()
    screens = [n for n, r in routes.items() if r["screen"]]
    posts = [n for n, r in routes.items() if r["post"]]
    pinned = [n for n in screens if seen[n]["pin_exact"]]
    bounded = [n for n in screens if seen[n]["pin_max"] and not seen[n]["pin_exact"]]
    posted = [n for n in posts if seen[n]["post"]]
    print(f"{'route':34} {'screen':8} {'pinned':8} {'POST':6} {'POSTed':6}")
    for name, kind in routes.items():
        pin = "exact" if seen[name]["pin_exact"] else ("max" if seen[name]["pin_max"] else "-")
        print(
            f"{name:34} {'yes' if kind['screen'] else '':8} {pin if kind['screen'] else '':8} "
            f"{'yes' if kind['post'] else '':6} "
            f"{('yes' if seen[name]['post'] else 'NO') if kind['post'] else '':6}"
        )
    print()
    print(f"screens with a pinned query count: {len(pinned)} / {len(screens)}", end="")
    print(f" (+{len(bounded)} with a maximum only)" if bounded else "")
    print(f"POST views with an HTTP test: {len(posted)} / {len(posts)}")
    missing_pins = [n for n in screens if n not in pinned]
    missing_posts = [n for n in posts if n not in posted]
    print("screens without a pin:", " ".join(missing_pins) or "none")
    print("POST views without an HTTP test:", " ".join(missing_posts) or "none")


def record(args: list[str]) -> int:
    """Run pytest with the recording plugin; a run of some files replaces only their rows."""
    RECORDS.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "scripts"), str(ROOT)]),
        "VIEW_COVERAGE_RUN": f"requests-{int(time.time())}",
        "VIEW_COVERAGE_RECORDS": str(RECORDS),
    }
    command = [sys.executable, "-m", "pytest", "-p", "view_coverage_plugin", *args]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    if sys.argv[1:2] == ["record"]:
        sys.exit(record(sys.argv[2:]))
    report()
