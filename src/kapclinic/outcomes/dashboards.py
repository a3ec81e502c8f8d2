"""Clinic dashboards: outcomes of the patients enrolled in a period, grouped by clinic, program
or indication, computed by the database (one aggregate query, whatever the number of patients).

Per group: N (enrolments with a baseline score), the baseline and latest means, the mean change
(patients with both), the response rate (>= 50% lower, among those with a baseline above 0 and
a later score) and the remission rate (latest below the cut-off, among those with a later one).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.bilingual import in_language
from kapclinic.care.models import ProgramTemplate
from kapclinic.clinics.models import Clinic, Condition
from kapclinic.outcomes.models import Measurement, MeasurementKind
from kapclinic.screening.models import QuestionnaireResponse, Screening

GROUPINGS = ("clinic", "program", "indication")


@dataclass(frozen=True)
class DashboardQuery:
    instrument: str
    start: date
    end: date
    group_by: str


@dataclass(frozen=True)
class Row:
    group: str
    n: int
    with_latest: int
    baseline_mean: float | None
    latest_mean: float | None
    mean_change: float | None
    responders: int
    response_base: int
    remitters: int

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.responders / self.response_base, 1) if self.response_base else None

    @property
    def remission_rate(self) -> float | None:
        return round(100 * self.remitters / self.with_latest, 1) if self.with_latest else None


def dashboard_clinics(user: User) -> QuerySet[Clinic]:
    """The clinics a dashboard reader sees: the whole network, or their own clinics."""
    return Clinic.objects.all() if user.network_wide else user.clinics.all()


def _scores(instrument: str) -> QuerySet[QuestionnaireResponse]:
    return QuestionnaireResponse.objects.filter(
        patient=OuterRef("patient"), instrument=instrument, entered_in_error=False
    )


_KEYS = {
    "clinic": "patient__clinic_id",
    "program": "enrolment__program_id",
    "indication": "indication_id",
}


def with_scores(query: DashboardQuery, clinics: QuerySet[Clinic]) -> QuerySet[Measurement]:
    """Each baseline measurement of an enrolment in the period, with its group, its baseline
    score (the first in the baseline window) and the patient's last score before the period's
    end, each a subquery that names only the measurement's own columns (so the database runs
    each once a row). That last score is the "latest" when it came after the baseline: it is
    the last of those that did, and none did when it did not."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(query.start, time(0), tz)
    until = datetime.combine(query.end + timedelta(days=1), time(0), tz)
    first = (
        _scores(query.instrument)
        .filter(submitted_at__gte=OuterRef("opens_at"), submitted_at__lte=OuterRef("closes_at"))
        .order_by("submitted_at", "id")
    )
    last = _scores(query.instrument).filter(submitted_at__lt=until).order_by("-submitted_at", "-id")
    measurements = Measurement.objects.filter(
        kind=MeasurementKind.BASELINE,
        enrolment__enrolled_at__gte=since,
        enrolment__enrolled_at__lt=until,
        patient__clinic__in=clinics,
        patient__entered_in_error=False,
    )
    if query.group_by == "indication":
        indication = Screening.objects.filter(patient=OuterRef("patient")).order_by(
            "-created_at", "-id"
        )
        measurements = measurements.annotate(
            indication_id=Subquery(indication.values("indication")[:1])
        )
    return measurements.annotate(
        group_key=F(_KEYS[query.group_by]),
        baseline_total=Subquery(first.values("total")[:1]),
        baseline_at=Subquery(first.values("submitted_at")[:1]),
        last_total=Subquery(last.values("total")[:1]),
        last_at=Subquery(last.values("submitted_at")[:1]),
    )


# The groups' figures over with_scores' rows. Aggregating the annotated queryset directly
# repeats each score subquery inside every aggregate, and a derived table is flattened by
# PostgreSQL into the same repetition (23 subplans a row: 2.3 s for 28,000 enrolments against
# the floor's 0.3 s); a MATERIALIZED CTE runs each subquery once a row (PostgreSQL 12+ and
# SQLite 3.35+ both read it). "later" is the latest score, or NULL when none came after the
# baseline.
_COLUMNS = ("group_key", "baseline_total", "baseline_at", "last_total", "last_at")
_AGGREGATE = """
WITH scored AS MATERIALIZED ({rows})
SELECT grp, COUNT(*),
       SUM(CASE WHEN later IS NOT NULL THEN 1 ELSE 0 END),
       AVG(baseline_total), AVG(later), AVG(later - baseline_total),
       SUM(CASE WHEN baseline_total > 0 AND later IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN baseline_total > 0 AND later * 2 <= baseline_total THEN 1 ELSE 0 END),
       SUM(CASE WHEN later < %s THEN 1 ELSE 0 END)
FROM (
    SELECT group_key AS grp, baseline_total,
           CASE WHEN last_at > baseline_at THEN last_total END AS later
    FROM scored
    WHERE baseline_total IS NOT NULL
) AS per_enrolment
GROUP BY grp
ORDER BY grp
"""


def _names(group_by: str, ids: list[int]) -> dict[int | None, str]:
    model = {"clinic": Clinic, "program": ProgramTemplate, "indication": Condition}[group_by]
    if model is Clinic:
        return dict(Clinic.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {row.pk: in_language(row, "name") for row in model.objects.filter(pk__in=ids)}  # type: ignore[attr-defined]


def dashboard(*, by: User, query: DashboardQuery) -> list[Row]:
    """The rows of the dashboard (one aggregate query, one for the group names), audited."""
    cutoff = settings.OUTCOMES_REMISSION_BELOW.get(query.instrument, -1)
    rows = with_scores(query, dashboard_clinics(by)).order_by().values(*_COLUMNS)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_AGGREGATE.format(rows=sql), [*params, cutoff])
        groups = cursor.fetchall()
    names = _names(query.group_by, [g[0] for g in groups if g[0] is not None])
    record_event(
        actor=by,
        action=Action.READ,
        detail={
            "dashboard": query.instrument,
            "group_by": query.group_by,
            "period": f"{query.start}/{query.end}",
        },
    )
    return [
        Row(
            group=names.get(g[0], "—"),
            n=g[1],
            with_latest=g[2],
            baseline_mean=_round(g[3]),
            latest_mean=_round(g[4]),
            mean_change=_round(g[5]),
            response_base=g[6],
            responders=g[7],
            remitters=g[8],
        )
        for g in groups  # in _AGGREGATE's column order
    ]


def _round(value: float | Decimal | None) -> float | None:
    return None if value is None else round(float(value), 1)
