"""Downloads: the ESF indicator report and the table exports, each read through
``accounts.scoping``. An export that holds participants' personal data writes an audit entry
per participant (``Action.LIST``, channel ``export``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brobygger.reports import tables
from brobygger.reports.esf import write_esf_xlsx
from brobygger.web.accounts import scoping
from brobygger.web.audit.log import record
from brobygger.web.audit.models import Action, Channel
from brobygger.web.lib.ids import is_row_id
from brobygger.web.reports import esf, exports
from brobygger.web.reports.period import PeriodError, ReportPeriod, given, parse_period

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {"csv": tables.CSV_CONTENT_TYPE, "xlsx": tables.XLSX_CONTENT_TYPE}


def _titles() -> dict[str, str]:
    return {"participants": _("Participants"), "partnerships": _("Partnerships"),
            "growth": _("Enterprises' growth figures"), "indicators": _("ESF indicators")}


class BadParameter(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def _scope(request, *, default_period: ReportPeriod | None) -> exports.Scope:
    """The period and the partnership the query string asks for (BadParameter, Http404)."""
    partnership = None
    raw = request.GET.get("partnership", "").strip()
    if raw:
        if not is_row_id(raw):
            raise BadParameter("partnership", _("“%(value)s” is not a partnership number.")
                               % {"value": raw[:40]})
        partnership = scoping.get_partnership_for_user(request, int(raw))  # 404 outside scope
    period = None
    if default_period is not None or given(request.GET):
        try:
            period = parse_period(request.GET, default_period or esf.default_period(request))
        except PeriodError as exc:
            raise BadParameter(exc.field, exc.message) from None
    return exports.Scope(period=period, partnership=partnership)


def _bad_request(request, exc: BadParameter) -> HttpResponse:
    fields = {"period": _("Period"), "from": _("From"), "to": _("To"),
              "partnership": _("Partnership")}  # as the form labels them
    return render(request, "reports/bad_request.html",
                  {"field": fields.get(exc.field, exc.field), "message": exc.message},
                  status=400)


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="brobygger-{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"  # the files hold what only this user may see
    return response


@login_required
@require_GET
def reports(request):
    """The downloads this user can make, with a period to choose."""
    period = esf.default_period(request)
    titles = _titles()
    return render(request, "reports/index.html", {
        "period": period,
        "tables": [{"name": name, "title": titles[name]} for name in exports.TABLES],
        "partnerships": scoping.visible_partnerships(request),
        "programmes": esf.programmes(request),
    })


@login_required
@require_GET
def esf_xlsx(request):
    """The ESF indicator report as an Excel workbook (the programme's period by default)."""
    try:
        scope = _scope(request, default_period=esf.default_period(request))
    except BadParameter as exc:
        return _bad_request(request, exc)
    data = esf.report_for(request, scope)
    assert scope.period is not None
    metadata = esf.metadata(request, _("ESF indicator report"), scope.period, scope.partnership)
    body = write_esf_xlsx(data.report, metadata, data.labels)
    return _download(body, "xlsx", "esf")


@login_required
@require_GET
def export(request, table: str, fmt: str):
    """One table as CSV or XLSX; ``period``/``from``/``to`` and ``partnership`` narrow it."""
    builder = exports.TABLES.get(table)
    if builder is None or fmt not in FORMATS:
        raise Http404
    try:
        default = esf.default_period(request) if table == "indicators" else None
        scope = _scope(request, default_period=default)
    except BadParameter as exc:
        return _bad_request(request, exc)
    result = builder(request, scope)
    if result.personal_data_of:
        record(request, Action.LIST, result.personal_data_of, channel=Channel.EXPORT)
    metadata = esf.metadata(request, _titles()[table], scope.period, scope.partnership)
    return _download(tables.write(result.table, metadata, fmt), fmt, table)
