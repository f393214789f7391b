"""The live business case of a municipality: its targets, its money and its chance of a net
gain, on one page, and the same as a report (HTML and PDF)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from brobygger.errors import BrobyggerError
from brobygger.indicators.actuals import LABELS
from brobygger.pathways.chains import INDICATOR_CODES
from brobygger.scenario.load import load_scenario
from brobygger.scenario.schema import assumption_texts
from brobygger.web.forecast import charts, services
from brobygger.web.lab.forms import base_label
from brobygger.web.numbers import kr, month, number, percent, shown_date
from brobygger.web.pathways.labels import indicator_name
from brobygger.web.problems import problem_text
from brobygger.web.registry.models import Municipality, Target


@login_required
def forecast_home(request):
    """A municipality's own page; the operator chooses a municipality."""
    codes = services.municipality_codes_for_user(request)
    if codes is None:
        try:
            data = services.forecast()
        except BrobyggerError as exc:
            return _problems(request, exc)
        names = dict(Municipality.objects.filter(code__in=list(data["municipalities"]))
                     .values_list("code", "name"))
        rows = [{"code": code, "name": names.get(code, code),
                 "p_gain": percent(m["payers"]["municipality"]["p_gain"]),
                 "mean": kr(m["payers"]["municipality"]["mean_final"])}
                for code, m in sorted(data["municipalities"].items())]
        return render(request, "forecast/choose.html", {"rows": rows, "run": _run(data)})
    if not codes:
        raise Http404
    return municipality_page(request, codes[0], others=codes[1:])


@login_required
def forecast_municipality(request, code: str):
    return municipality_page(request, code)


def municipality_page(request, code: str, others: list[str] | None = None):
    municipality = services.get_municipality_for_user(request, code)
    try:
        context = business_case(municipality)
    except BrobyggerError as exc:
        return _problems(request, exc, municipality)
    context["others"] = Municipality.objects.filter(code__in=others or [])
    context["fan_figures"] = [
        {"id": f"fan-{p['payer']}", "data_id": f"fan-{p['payer']}-data",
         "figure": charts.fan_figure(context["forecast"], p["payer"], p["title"])}
        for p in context["payers"]
    ]
    context["break_even_figures"] = [
        {"id": f"break-even-{p['payer']}", "data_id": f"break-even-{p['payer']}-data",
         "figure": charts.break_even_figure(
            context["forecast"], p["payer"], _("Break-even year: %(payer)s")
            % {"payer": p["title"]})} for p in context["payers"]
    ]
    return render(request, "forecast/page.html", context)


def _problems(request, exc: BrobyggerError, municipality: Municipality | None = None):
    """The registry cannot be forecast as it is: say why, naming fields and participants.
    A user sees the problems of the municipalities whose business case it may see (the
    secretariat all of them); of the others only how many there are, for they name
    another municipality's participants."""
    codes = services.municipality_codes_for_user(request)
    shown = [p for p in exc.problems if codes is None or _problem_municipality(p) in codes
             or _names_nobody(p)]
    return render(request, "forecast/problems.html", {
        "municipality": municipality, "problems": [problem_text(p) for p in shown],
        "others": len(exc.problems) - len(shown)}, status=409)


def _problem_municipality(problem) -> str | None:
    return dict(problem.context).get("municipality")


def _names_nobody(problem) -> bool:
    """A problem of the scenario itself: it names no municipality and no participant."""
    context = dict(problem.context)
    return not {"municipality", "participant", "participants"} & context.keys()


@login_required
def forecast_report(request, code: str):
    municipality = services.get_municipality_for_user(request, code)
    try:
        return HttpResponse(report_html(municipality))
    except BrobyggerError as exc:
        return _problems(request, exc, municipality)


@login_required
def forecast_report_pdf(request, code: str):
    from weasyprint import HTML

    municipality = services.get_municipality_for_user(request, code)
    try:
        html = report_html(municipality)
    except BrobyggerError as exc:
        return _problems(request, exc, municipality)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")
               ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="business-case-{code}.pdf"')
    return response


def report_html(municipality: Municipality) -> str:
    context = business_case(municipality)
    run = context["run"]
    caption = _("Run %(digest)s: scenario %(scenario)s, seed %(seed)s, %(draws)s draws, "
                "code %(code)s; data date %(date)s") % {
        **run, "scenario": run["scenario_label"],
        "date": shown_date(run["day"])}
    context["fan_svgs"] = [
        {"title": p["title"], "src": charts.fan_svg(context["forecast"], p["payer"], p["title"],
                                                    caption)}
        for p in context["payers"]
    ] if context["forecast"] else []
    # in the active language (the request's, or the PDF's), Danish where a text lacks it
    texts = assumption_texts(load_scenario(services.scenario_name()).assumptions, get_language())
    context["assumptions"] = sorted(texts.items(),
                                    key=lambda kv: int(kv[0][1:]) if kv[0][1:].isdigit() else 0)
    return render_to_string("forecast/report.html", context)


def _run(data: dict[str, Any]) -> dict[str, Any]:
    run = data["run"]
    return {"digest": run["digest"], "scenario": base_label(run["scenario"]),
            "scenario_label": base_label(run["scenario"]), "seed": str(run["seed"]),
            "draws": number(run["draws"]), "code": run["code"],
            "date": shown_date(dt.date.fromisoformat(run["data_date"])),
            "day": dt.date.fromisoformat(run["data_date"]),
            "registry": run["registry"], "participants": number(run["participants"]),
            "known_months": number(run["known_months"]), "computed_at": run["computed_at"]}


def _month(months: list[str], k: int) -> str:
    """A 1-based model break-even month as the page writes months; 0 means after the
    horizon, and 1 that the result is never in deficit (it stays at or above zero from the
    first month: there is nothing to break even)."""
    if k == 1:
        return _("never in deficit")
    return month(months[k - 1]) if k > 0 else _("after %(month)s") % {"month": month(months[-1])}


def business_case(municipality: Municipality) -> dict[str, Any]:
    """Everything the page and the report show, formatted; numbers from the cached core run."""
    data = services.forecast()
    fc = data["municipalities"].get(municipality.code)
    payers = []
    if fc is not None:
        months = fc["months"]
        for payer, title in (("municipality", municipality.name), ("state", _("the state"))):
            p = fc["payers"][payer]
            payers.append({
                "payer": payer, "title": title,
                "p_gain": percent(p["p_gain"]), "p_gain_value": p["p_gain"],
                "mean_final": kr(p["mean_final"]),
                "final_range": (kr(p["final"]["5"]), kr(p["final"]["95"])),
                "median_final": kr(p["final"]["50"]),
                "p_break_even": percent(p["p_break_even"]),
                "break_even_median": _month(months, p["break_even"]["50"]),
                # most draws never in deficit: the median break-even month says nothing
                "never_in_deficit": percent(p["break_even_counts"][1]
                                            / max(1, sum(p["break_even_counts"])))
                if p["break_even"]["50"] == 1 else None,
                "break_even_range": (_month(months, p["break_even"]["5"]),
                                     _month(months, p["break_even"]["95"])),
                "realised_savings": kr(p["realised_savings"]),
                "realised_savings_range": tuple(kr(v) for v in p["realised_savings_range"]),
                "realised_net": kr(p["realised_net"]),
            })
    flows = services.ledger_flows(municipality.code)
    labels = services.account_labels(
        [f.payer for f in flows or ()] + [f.payee for f in flows or ()])
    return {
        "municipality": municipality,
        "run": _run(data),
        "forecast": fc,
        "data_month": month(fc["months"][fc["data_month"]])
        if fc and fc["data_month"] >= 0 else None,
        "horizon": (month(fc["months"][0]), month(fc["months"][-1])) if fc else None,
        "payers": payers,
        "flows": None if flows is None else [
            {"payer": labels[f.payer], "payee": labels[f.payee],
             "total": kr(f.total, 2),
             "months": [(month(m), kr(v, 2)) for m, v in sorted(f.months.items())]}
            for f in flows],
        "flows_total": None if flows is None else kr(sum((f.total for f in flows),
                                                            Decimal(0)), 2),
        "targets": targets(municipality.code, data),
    }


def targets(code: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The programme's targets with the actual counts for the municipality and in all."""
    actuals = data.get("actuals") or {}
    mine = actuals.get("municipalities", {}).get(code, {})
    total = actuals.get("total", {})
    rows = []
    seen = set()
    for t in Target.objects.filter(
            programme__partnerships__municipality__municipality__code=code).distinct():
        if t.code in seen:
            continue
        seen.add(t.code)
        # an indicator the app knows by its name in the page's language, else the stored label
        label = indicator_name(t.code).removeprefix(f"{t.code} ") if t.code in LABELS \
            else t.label
        rows.append({"code": t.code if t.code in INDICATOR_CODES else "", "label": label,
                     "target": number(float(t.value)),
                     "municipality": number(mine[t.code]) if t.code in mine else "–",
                     "total": number(total[t.code]) if t.code in total else "–",
                     "share": percent(total[t.code] / float(t.value))
                     if t.code in total and t.value else "–"})
    return rows
