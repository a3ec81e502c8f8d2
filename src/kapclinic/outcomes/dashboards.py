"""Clinic dashboards: outcomes of the patients enrolled in a period, grouped by clinic, program
or indication, computed by the database (one aggregate query, whatever the number of patients).

Per group: N (enrolments with a baseline score), the baseline and latest means, the mean change
(patients with both), the response rate (>= 50% lower, among those with a baseline above 0 and
a later score) and the remission rate (latest below the cut-off, among those with a later one).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
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


def with_scores(query: DashboardQuery, clinics: QuerySet[Clinic]) -> QuerySet[Measurement]:
    """Each baseline measurement of an enrolment in the period, with its baseline and latest
    scores as subqueries (first score in the baseline window; last one after it)."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(query.start, time(0), tz)
    until = datetime.combine(query.end + timedelta(days=1), time(0), tz)
    baseline = _scores(query.instrument).filter(
        submitted_at__gte=OuterRef("opens_at"), submitted_at__lte=OuterRef("closes_at")
    )
    first = baseline.order_by("submitted_at", "id")
    later = _scores(query.instrument).filter(
        submitted_at__gt=OuterRef("baseline_at"), submitted_at__lt=until
    )
    indication = Screening.objects.filter(patient=OuterRef("patient")).order_by(
        "-created_at", "-id"
    )
    return (
        Measurement.objects.filter(
            kind=MeasurementKind.BASELINE,
            enrolment__enrolled_at__gte=since,
            enrolment__enrolled_at__lt=until,
            patient__clinic__in=clinics,
            patient__entered_in_error=False,
        )
        .annotate(
            baseline_total=Subquery(first.values("total")[:1]),
            baseline_at=Subquery(first.values("submitted_at")[:1]),
            indication_id=Subquery(indication.values("indication")[:1]),
        )
        .annotate(latest_total=Subquery(later.order_by("-submitted_at", "-id").values("total")[:1]))
        .filter(baseline_total__isnull=False)
    )


_KEYS = {
    "clinic": "patient__clinic_id",
    "program": "enrolment__program_id",
    "indication": "indication_id",
}


def _names(group_by: str, ids: list[int]) -> dict[int | None, str]:
    model = {"clinic": Clinic, "program": ProgramTemplate, "indication": Condition}[group_by]
    if model is Clinic:
        return dict(Clinic.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {row.pk: in_language(row, "name") for row in model.objects.filter(pk__in=ids)}  # type: ignore[attr-defined]


def dashboard(*, by: User, query: DashboardQuery) -> list[Row]:
    """The rows of the dashboard (one aggregate query, one for the group names), audited."""
    cutoff = settings.OUTCOMES_REMISSION_BELOW.get(query.instrument, -1)
    key = _KEYS[query.group_by]
    scored = with_scores(query, dashboard_clinics(by)).annotate(
        doubled=Cast(F("latest_total") * 2, IntegerField())
    )
    both = Q(baseline_total__gt=0, latest_total__isnull=False)
    groups = list(
        scored.values(key)
        .annotate(
            n=Count("pk"),
            with_latest=Count("pk", filter=Q(latest_total__isnull=False)),
            baseline_mean=Avg("baseline_total"),
            latest_mean=Avg("latest_total"),
            mean_change=Avg(F("latest_total") - F("baseline_total")),
            response_base=Count("pk", filter=both),
            responders=Count("pk", filter=both & Q(doubled__lte=F("baseline_total"))),
            remitters=Count("pk", filter=Q(latest_total__lt=cutoff)),
        )
        .order_by(key)
    )
    names = _names(query.group_by, [g[key] for g in groups if g[key] is not None])
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
            group=names.get(g[key], "—"),
            n=g["n"],
            with_latest=g["with_latest"],
            baseline_mean=_round(g["baseline_mean"]),
            latest_mean=_round(g["latest_mean"]),
            mean_change=_round(g["mean_change"]),
            responders=g["responders"],
            response_base=g["response_base"],
            remitters=g["remitters"],
        )
        for g in groups
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)
