"""The clinic dashboards and the research export. Thin: parse, call, render."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from kapclinic.accounts.http import AuthedRequest
from kapclinic.errors import NotPermitted
from kapclinic.outcomes import access
from kapclinic.outcomes.charts import means_svg
from kapclinic.outcomes.dashboards import dashboard, dashboard_clinics
from kapclinic.outcomes.export import research_export
from kapclinic.outcomes.forms import DashboardForm
from kapclinic.spreadsheets import CONTENT_TYPE


def _refused(request: AuthedRequest, error: NotPermitted) -> HttpResponse:
    return render(request, "outcomes/refused.html", {"message": error.message}, status=403)


def dashboards(request: AuthedRequest) -> HttpResponse:
    try:
        access.check_dashboards(request.user)
    except NotPermitted as error:
        return _refused(request, error)
    form = DashboardForm(request.GET or DashboardForm.initial_for(timezone.localdate()))
    rows, chart = [], ""
    if form.is_valid():
        query = form.query()
        rows = dashboard(by=request.user, query=query)
        # means_svg escapes every text it writes.
        chart = mark_safe(means_svg(rows, query.instrument))  # noqa: S308
    context = {
        "form": form,
        "rows": rows,
        "chart": chart,
        "may_export": access.may_export_research(request.user),
        "cutoffs": _cutoffs(),
    }
    return render(
        request, "outcomes/dashboards.html", context, status=200 if form.is_valid() else 400
    )


def _cutoffs() -> dict[str, int]:
    from django.conf import settings

    return dict(settings.OUTCOMES_REMISSION_BELOW)


@require_POST
def export(request: AuthedRequest) -> HttpResponse:
    try:
        access.check_research_export(request.user)
    except NotPermitted as error:
        return _refused(request, error)
    result = research_export(by=request.user, clinics=dashboard_clinics(request.user))
    response = HttpResponse(result.csv, content_type=CONTENT_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="outcomes-research-{stamp}.csv"'
    return response
