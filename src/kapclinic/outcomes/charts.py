"""The trajectory chart: a small hand-written SVG (no matplotlib: about 1 ms instead of ~130 ms,
issue 16), the same markup in a page and in a PDF (WeasyPrint draws inline SVG).

Only presentation attributes, no `style`, so the page's Content Security Policy lets it inline;
every text is escaped. The output is deterministic: the same data gives the same bytes.
"""

from datetime import datetime, timedelta
from html import escape
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _

from kapclinic.clinical.instruments import get_instrument
from kapclinic.labels import label
from kapclinic.outcomes.trajectories import Trajectory, trajectory_of
from kapclinic.patients.models import Patient

if TYPE_CHECKING:
    from kapclinic.outcomes.dashboards import Row

# Light to dark as the bands get more severe (minimal ... severe); two-band PCL-5 uses the ends.
BAND_FILLS = ("#e6f4ea", "#fdf6d8", "#fde7cc", "#fbd3b8", "#f6c4c4")
LINE = "#1f4e79"
SESSION = "#6b4c9a"
CUTOFF = "#2e7d32"
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 36, 128, 28, 34


def _fills(count: int) -> tuple[str, ...]:
    if count == len(BAND_FILLS):
        return BAND_FILLS
    if count == 2:
        return (BAND_FILLS[0], BAND_FILLS[-1])
    return BAND_FILLS[:count]


def _span(trajectory: Trajectory) -> tuple[datetime, datetime]:
    moments = [s.at for s in trajectory.scores] + list(trajectory.sessions)
    start, end = min(moments), max(moments)
    if end - start < timedelta(days=14):
        middle = start + (end - start) / 2
        start, end = middle - timedelta(days=7), middle + timedelta(days=7)
    return start, end


def _date(moment: datetime) -> str:
    return formats.date_format(moment, "Y-m-d")


class _Frame:
    """Where a moment and a total fall in the picture."""

    def __init__(self, trajectory: Trajectory, width: int, height: int) -> None:
        self.start, self.end = _span(trajectory)
        self.left, self.right = MARGIN_LEFT, width - MARGIN_RIGHT
        self.top, self.bottom = MARGIN_TOP, height - MARGIN_BOTTOM
        self.max_total = trajectory.max_total

    def x(self, moment: datetime) -> float:
        share = (moment - self.start) / (self.end - self.start)
        return round(self.left + share * (self.right - self.left), 1)

    def y(self, total: float) -> float:
        return round(self.bottom - total / self.max_total * (self.bottom - self.top), 1)


def _bands(trajectory: Trajectory, frame: _Frame) -> list[str]:
    parts = []
    bands = trajectory.bands
    for index, ((lowest, code), fill) in enumerate(zip(bands, _fills(len(bands)), strict=False)):
        upper = bands[index + 1][0] if index + 1 < len(bands) else trajectory.max_total + 1
        top, bottom = frame.y(min(upper, trajectory.max_total)), frame.y(lowest)
        parts.append(
            f'<rect x="{frame.left}" y="{top}" width="{frame.right - frame.left}" '
            f'height="{round(bottom - top, 1)}" fill="{fill}"/>'
            f'<text x="{frame.right + 6}" y="{round((top + bottom) / 2 + 4, 1)}" '
            f'font-size="11" fill="#333">{escape(label(code, "band"))} ({lowest}+)</text>'
        )
    return parts


def _sessions(trajectory: Trajectory, frame: _Frame) -> list[str]:
    parts = []
    for number, at in enumerate(trajectory.sessions, start=1):
        x = frame.x(at)
        name = _("Ketamine session %(n)d, %(date)s") % {"n": number, "date": _date(at)}
        parts.append(
            f'<g><title>{escape(name)}</title><line x1="{x}" y1="{frame.top}" x2="{x}" '
            f'y2="{frame.bottom}" stroke="{SESSION}" stroke-width="1" stroke-dasharray="3 3"/>'
            f'<text x="{x}" y="{frame.top - 4}" font-size="10" text-anchor="middle" '
            f'fill="{SESSION}">K{number}</text></g>'
        )
    return parts


def _scores(trajectory: Trajectory, frame: _Frame) -> list[str]:
    points = [(frame.x(s.at), frame.y(s.total), s) for s in trajectory.scores]
    path = " ".join(f"{x},{y}" for x, y, _score in points)
    parts = [f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>']
    for x, y, score in points:
        tip = f"{_date(score.at)}: {score.total} ({label(score.band, 'band')})"
        baseline = score.at == trajectory.baseline_at
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{5 if baseline else 4}" fill="'
            f'{"#fff" if baseline else LINE}" stroke="{LINE}" stroke-width="2">'
            f"<title>{escape(tip)}</title></circle>"
        )
    return parts


def _axes(trajectory: Trajectory, frame: _Frame, cutoff: int | None) -> list[str]:
    parts = [
        f'<line x1="{frame.left}" y1="{frame.bottom}" x2="{frame.right}" y2="{frame.bottom}" '
        f'stroke="#555"/><line x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" '
        f'y2="{frame.bottom}" stroke="#555"/>'
    ]
    for total in sorted({0, trajectory.max_total, *(lowest for lowest, _c in trajectory.bands)}):
        parts.append(
            f'<text x="{frame.left - 4}" y="{frame.y(total) + 4}" font-size="10" '
            f'text-anchor="end" fill="#333">{total}</text>'
        )
    for moment, anchor in ((frame.start, "start"), (frame.end, "end")):
        parts.append(
            f'<text x="{frame.x(moment)}" y="{frame.bottom + 14}" font-size="10" '
            f'text-anchor="{anchor}" fill="#333">{_date(moment)}</text>'
        )
    if cutoff is not None:
        y = frame.y(cutoff)
        name = _("Remission below %(n)d") % {"n": cutoff}
        parts.append(
            f'<line x1="{frame.left}" y1="{y}" x2="{frame.right}" y2="{y}" stroke="{CUTOFF}" '
            f'stroke-dasharray="6 3"><title>{escape(name)}</title></line>'
        )
    return parts


def _summary(trajectory: Trajectory) -> str:
    result = trajectory.outcome
    if result.baseline is None:
        return _("No baseline score.")
    if result.latest is None:
        return _("Baseline %(baseline)d; no later score yet.") % {"baseline": result.baseline}
    return _("Baseline %(baseline)d, latest %(latest)d.") % {
        "baseline": result.baseline,
        "latest": result.latest,
    }


def render_trajectory_svg(
    trajectory: Trajectory, *, width: int = 640, height: int = 240, cutoff: int | None = None
) -> str:
    """The chart of a trajectory already loaded (no query)."""
    title = _("%(instrument)s over time") % {"instrument": trajectory.instrument}
    if not trajectory.scores:
        nothing = _("No score yet.")
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40" role="img">'
            f'<text x="4" y="24" font-size="12">{escape(nothing)}</text></svg>'
        )
    frame = _Frame(trajectory, width, height)
    body = (
        _bands(trajectory, frame)
        + _axes(trajectory, frame, cutoff)
        + _sessions(trajectory, frame)
        + _scores(trajectory, frame)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif">'
        f"<title>{escape(title)}</title><desc>{escape(_summary(trajectory))}</desc>"
        f'<text x="{frame.left}" y="14" font-size="12" font-weight="bold" fill="#111">'
        f"{escape(title)}</text>" + "".join(body) + "</svg>"
    )


def trajectory_svg(
    patient: Patient, instrument_code: str, *, width: int = 640, height: int = 240
) -> str:
    """The patient's chart for one instrument (PHQ-9, GAD-7, PCL-5), for a page or a letter.

    Loads the scores and sessions (three queries); the caller audits the read of the chart."""
    from django.conf import settings

    trajectory = trajectory_of(patient, instrument_code)
    cutoff = settings.OUTCOMES_REMISSION_BELOW.get(instrument_code)
    return render_trajectory_svg(trajectory, width=width, height=height, cutoff=cutoff)


def _cut(name: str, fits: int) -> str:
    return name if len(name) <= fits else name[: fits - 1] + "…"


def means_svg(rows: "list[Row]", instrument: str, *, width: int = 640) -> str:
    """Baseline and latest means side by side for each group of a dashboard."""
    maximum = get_instrument(instrument).max_total
    bar, gap, left, top, bottom = 18, 28, 36, 28, 30
    height = top + bottom + 160
    scale = 160 / maximum
    labels = (_("Baseline mean"), _("Latest mean"))
    title = _("%(instrument)s means by group") % {"instrument": instrument}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif">'
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="6" width="10" height="10" fill="#9bb7d4"/><text x="{left + 14}" '
        f'y="15" font-size="11">{escape(labels[0])}</text><rect x="{left + 150}" y="6" '
        f'width="10" height="10" fill="{LINE}"/><text x="{left + 164}" y="15" font-size="11">'
        f"{escape(labels[1])}</text>",
    ]
    # Each group gets an equal slot across the width (at most 200 px), its bars centred and
    # its name cut to what fits (about 6 px a character at this size), so names never overlap.
    slot = min(200.0, max(2 * bar + gap, (width - left - 8) / max(len(rows), 1)))
    fits = max(4, int(slot / 6))
    for index, row in enumerate(rows):
        x = round(left + index * slot + slot / 2 - bar, 1)
        for offset, (value, fill) in enumerate(
            ((row.baseline_mean, "#9bb7d4"), (row.latest_mean, LINE))
        ):
            if value is None:
                continue
            h = round(value * scale, 1)
            parts.append(
                f'<rect x="{x + offset * bar}" y="{round(top + 160 - h, 1)}" width="{bar - 2}" '
                f'height="{h}" fill="{fill}"><title>{escape(row.group)}: {value}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar}" y="{top + 160 + 14}" font-size="10" text-anchor="middle">'
            f"{escape(_cut(row.group, fits))}</text>"
        )
    parts.append(
        f'<line x1="{left - 2}" y1="{top + 160}" x2="{width - 8}" y2="{top + 160}" stroke="#555"/>'
    )
    return "".join(parts) + "</svg>"
