"""The session's readings against the limits in force, as an SVG image (charts.py)."""

from django.utils.translation import gettext as _

from kapclinic.charts import line_chart_svg, svg_data_uri
from kapclinic.clinical.vitals import VitalsLimits
from kapclinic.dosing.models import VitalSign


def _limit_lines(limits: VitalsLimits) -> dict[str, float]:
    lines = {
        _("systolic max"): limits.systolic_max,
        _("diastolic max"): limits.diastolic_max,
        _("pulse max"): limits.pulse_max,
        _("SpO2 min"): limits.spo2_min,
    }
    return {str(name): value for name, value in lines.items() if value is not None}


def vitals_chart_uri(readings: list[VitalSign], limits: VitalsLimits, tz: object) -> str:
    """Blood pressure, pulse and SpO2 per reading, with dotted lines at the limits."""
    if not readings:
        return ""
    # Plotted at the time each was taken, in the clinic's time zone: the gaps between readings
    # are shown as they were.
    taken = [r.taken_at.astimezone(tz) for r in readings]  # type: ignore[arg-type]
    svg = line_chart_svg(
        title=str(_("Vital signs")),
        x=taken,
        x_format="%H:%M",
        series={
            str(_("Systolic")): [r.systolic for r in readings],
            str(_("Diastolic")): [r.diastolic for r in readings],
            str(_("Pulse")): [r.pulse for r in readings],
            str(_("SpO2")): [r.spo2 for r in readings],
        },
        y_label=str(_("mmHg, per minute, %")),
        y_max=220,
        limits=_limit_lines(limits),
    )
    return svg_data_uri(svg)
