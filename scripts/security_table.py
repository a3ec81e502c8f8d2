"""Print the security catalogue's table from the figures its tests recorded, and keep them as
JSON in bench/results/security.json (tests/security_catalogue.py writes var/security/figures/)."""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = Path(os.environ.get("KAPCLINIC_VAR_DIR", ROOT / "var")) / "security" / "figures"
RESULT = ROOT / "bench" / "results" / "security.json"

# (group, label, how the figures read, the figure that must be 0 or None)
ROWS = [
    ("route_matrix", "(route, role) pairs / mismatches", "{pairs} / {mismatches}", "mismatches"),
    ("denied_bodies", "denied bodies scanned / PHI hits", "{scanned} / {phi_hits}", "phi_hits"),
    ("child_id_swaps", "child-id swap cases tried / refused", "{tried} / {caught}", None),
    ("phi_audit", "PHI pages read / with an audit event", "{phi_pages} / {audited}", None),
    ("tamper", "audit tamper cases tried / caught", "{tried} / {caught}", None),
    ("append_only", "append-only changes tried as the app's DB role / refused",
     "{tried} / {refused}", None),
    ("crawl", "crawl requests / 5xx", "{requests} / {errors_5xx}", "errors_5xx"),
    ("crawl", "script payloads left unescaped", "{unescaped}", "unescaped"),
    ("csv_injection", "CSV formula cells neutralised / left unsafe",
     "{neutralised} / {unsafe}", "unsafe"),
    ("booking_race", "concurrent bookings of one room / booked / 5xx / rows",
     "{attempts} / {booked} / {errors_5xx} / {rows}", "errors_5xx"),
    ("withdrawals", "concurrent withdrawals / accepted / refused / balance discrepancy",
     "{attempts} / {accepted} / {rejected} / {balance_discrepancy}", "balance_discrepancy"),
    ("check_deploy", "check --deploy (production settings) warnings", "{warnings}", "warnings"),
]  # fmt: skip


def gather() -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path in sorted(FIGURES.glob("*.json")):
        record = json.loads(path.read_text())
        for name, value in record["figures"].items():
            totals[record["group"]][name] += int(value)
    return {group: dict(figures) for group, figures in totals.items()}


def main() -> int:
    totals = gather()
    width = max(len(label) for _, label, _, _ in ROWS)
    print(f"{'Security catalogue (SECURITY.md)':<{width}}  figures")  # noqa: T201
    failing = []
    for group, label, shape, must_be_zero in ROWS:
        figures = totals.get(group)
        shown = shape.format_map(defaultdict(int, figures)) if figures else "not run"
        print(f"{label:<{width}}  {shown}")  # noqa: T201
        if figures and must_be_zero and figures.get(must_be_zero, 0):
            failing.append(label)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(totals, indent=2, sort_keys=True) + "\n")
    print(f"(figures in {RESULT.relative_to(ROOT)})")  # noqa: T201
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
