"""The trajectory chart of a progress report.

One small seam on purpose: today it draws the questionnaire totals already stored (screening)
with `charts.line_chart_svg`; when the outcomes app's `trajectory_svg` lands (severity bands,
sessions marked), this function calls it instead and nothing else in sharedcare changes.
"""

from django.utils.translation import gettext as _

from kapclinic.charts import line_chart_svg
from kapclinic.patients.models import Patient
from kapclinic.screening.models import QuestionnaireResponse


def trajectory_chart(patient: Patient) -> str:
    """An SVG of each instrument's total over time ("" when nothing was answered)."""
    rows = list(
        QuestionnaireResponse.objects.filter(patient=patient, entered_in_error=False)
        .order_by("submitted_at", "id")
        .values_list("instrument", "total", "submitted_at")
    )
    if not rows:
        return ""
    tz = patient.clinic.tzinfo
    days = sorted({at.astimezone(tz).date() for _i, _t, at in rows})
    series: dict[str, list[float | None]] = {}
    for instrument, total, at in rows:
        values = series.setdefault(instrument.upper(), [None] * len(days))
        values[days.index(at.astimezone(tz).date())] = float(total)
    return line_chart_svg(
        title=_("Questionnaire scores over time"),
        x_labels=[d.isoformat() for d in days],
        series=series,
        y_label=_("Total score"),
    )
