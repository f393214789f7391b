"""The programme dashboard and the accelerator dashboard.

Every figure comes from the core (:mod:`brobygger.indicators`) over the events the user may
see: the scoping layer decides the partnerships, :mod:`.data` reads their events, the core
counts them, :mod:`.charts` draws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.indicators import (
    CODES,
    LABELS,
    MEASURE_LABELS,
    MEASURES,
    GrowthFigure,
    against_targets,
    cohort_bands,
    compute_indicators,
    compute_pipeline,
    enterprises_grown,
    growth_rate,
    restrict,
    share_of_targets,
    target_path,
    yearly,
)
from brobygger.pathways.chains import INDICATOR_CODES
from brobygger.web.accelerator.models import Enrolment
from brobygger.web.accelerator.models import GrowthFigure as GrowthFigureRow
from brobygger.web.accounts import scoping
from brobygger.web.dashboard import charts
from brobygger.web.dashboard.data import event_table
from brobygger.web.numbers import number, percent
from brobygger.web.pathways.labels import indicator_name, state_labels
from brobygger.web.registry.models import Municipality, Partnership, Programme

#: indicators drawn over time, by group and offered for the ranking
CHART_CODES = ("3B.1", "3B.2", "3B.3", "3B.4", "places", "ordinary_hires")
#: a cohort's median and band are shown only over at least this many enterprises, so that
#: no single other enterprise's figures can be read from them
MIN_COHORT = 5
GROUPINGS = (("municipality", gettext_lazy("municipality")), ("region", gettext_lazy("region")),
             ("partnership", gettext_lazy("partnership")))


def indicator_labels() -> dict[str, str]:
    """The core's indicator labels in the active language."""
    return {code: _(label) for code, label in LABELS.items()}


class Filters(forms.Form):
    """What to show: choices are only what the user's partnerships allow."""

    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    partnership = forms.ChoiceField(label=gettext_lazy("Partnership"), required=False)
    by = forms.ChoiceField(label=gettext_lazy("Group by"), required=False, choices=GROUPINGS,
                           initial="municipality")
    rank = forms.ChoiceField(label=gettext_lazy("Rank municipalities by"), required=False,
                             initial="3B.3")

    as_of = forms.DateField(label=gettext_lazy("Figures as of"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_as_of(self) -> dt.date | None:
        day = self.cleaned_data.get("as_of")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The figures cannot be as of a day in the future."))
        return day

    def __init__(self, data, *, partnerships: Sequence[Partnership], labels: dict[str, str]):
        super().__init__(data)
        everything = [("", _("All"))]
        munis = sorted({p.municipality.municipality for p in partnerships}, key=lambda m: m.name)
        self.fields["municipality"].choices = everything + [(m.code, m.name) for m in munis]
        regions = sorted({m.region for m in munis})
        self.fields["region"].choices = everything + [(r, r) for r in regions]
        self.fields["partnership"].choices = everything + [(str(p.pk), p.name)
                                                           for p in partnerships]
        self.fields["rank"].choices = [(c, indicator_name(c)) for c in CHART_CODES]


def _programme_partnerships(request) -> tuple[Programme | None, list[Partnership]]:
    """The programme the user's partnerships belong to (the earliest, if several) and the
    user's partnerships in it."""
    visible = list(scoping.partnerships_for_user(request)
                   .select_related("municipality__municipality", "programme").order_by("pk"))
    if not visible:
        return None, []
    programme = min((p.programme for p in visible), key=lambda p: (p.starts_on, p.pk))
    return programme, [p for p in visible if p.programme_id == programme.pk]


@login_required
def dashboard(request):
    labels = indicator_labels()
    programme, partnerships = _programme_partnerships(request)
    if programme is None:
        return render(request, "dashboard/dashboard.html", {"programme": None})
    form = Filters(request.GET or None, partnerships=partnerships, labels=labels)
    if request.GET and not form.is_valid():
        return render(request, "dashboard/dashboard.html",
                      {"programme": programme, "form": form}, status=400)
    chosen = form.cleaned_data if request.GET else {}
    by = chosen.get("by") or "municipality"
    rank_code = chosen.get("rank") or "3B.3"
    as_of = chosen.get("as_of") or timezone.localdate()

    table = event_table(partnerships, as_of=as_of)
    shown = [p for p in partnerships
             if (not chosen.get("municipality")
                 or p.municipality.municipality.code == chosen["municipality"])
             and (not chosen.get("region")
                  or p.municipality.municipality.region == chosen["region"])
             and (not chosen.get("partnership") or str(p.pk) == chosen["partnership"])]
    filtered = len(shown) != len(partnerships)
    view = restrict(table, partnerships=[str(p.pk) for p in shown]) if filtered else table
    everything = compute_indicators(table, as_of=as_of, start=programme.starts_on)
    indicators = (compute_indicators(view, as_of=as_of, start=programme.starts_on)
                  if filtered else everything)
    pipeline = compute_pipeline(view, as_of=as_of, start=programme.starts_on)

    in_programme = Partnership.objects.filter(programme=programme).count()
    programme_targets = {t.code: float(t.value) for t in programme.targets.all()}
    targets = (share_of_targets(programme_targets, len(shown), in_programme)
               if len(shown) != in_programme else programme_targets)
    rows = against_targets(indicators.totals, targets, [c for c in CODES if c != "referrals"])

    # the lines run to the data date, but not years past the programme with nothing new
    last_event = _last_day(view, as_of)
    until = f"{max(programme.ends_on, last_event or programme.ends_on):%Y-%m}"
    months = tuple(m for m in indicators.months if m <= until)
    paths = {c: target_path(targets[c], programme.starts_on, programme.ends_on, months)
             for c in CHART_CODES if c in targets}
    names = _group_names(by, partnerships)
    groups = sorted(((names.get(k, k), v) for k, v in indicators.groups[by].items()),
                    key=lambda g: g[0])
    ranked = _ranking(everything.groups["municipality"], rank_code, names_of_municipalities())
    figures = _growth_figures([p.social_enterprise_id for p in shown], until=as_of)
    years = yearly(figures)
    grown = enterprises_grown(years)
    words = state_labels()
    named = {c: indicator_name(c) for c in labels}  # 3B.1 Påbegyndt …; Uddannelses- og …

    context = {
        "programme": programme, "form": form, "as_of": as_of, "filtered": filtered,
        "shown": len(shown), "in_programme": in_programme,
        "last_event": last_event, "indicators": indicators, "pipeline": pipeline,
        "targets": targets, "rows": [_row(r, labels) for r in rows],
        "pipeline_rows": [(words[s.value], number(n)) for s, n in pipeline.counts.items()],
        "pipeline_total": number(pipeline.total),
        "growth": {"grown": len(grown), "reporting": len(years)},
        "by": by, "by_label": dict(GROUPINGS)[by], "rank_name": named[rank_code],
        "charts": {
            "targets": charts.target_bars(rows, named),
            "over_time": charts.over_time(
                months, {c: indicators.cumulative[c][:len(months)] for c in CHART_CODES},
                paths, named, _("target")),
            "groups": charts.grouped_bars(groups, CHART_CODES, named),
            "ranking": charts.ranking(ranked, named[rank_code]),
            "pipeline": charts.pipeline_now(pipeline, words),
            "pipeline_time": charts.pipeline_over_time(pipeline, words, len(months)),
            "pipeline_groups": charts.pipeline_by_group(
                sorted(((names.get(k, k), v) for k, v in pipeline.groups[by].items()),
                       key=lambda g: g[0]), words),
        },
        "ranked": [(name, number(v), percent(s, 1) if s is not None else "–")
                   for name, v, s in ranked],
    }
    return render(request, "dashboard/dashboard.html", context)


def _row(r, labels: dict[str, str]) -> dict[str, object]:
    return {"code": r.code, "numbered": r.code in INDICATOR_CODES, "label": labels[r.code],
            "actual": number(r.actual),
            "target": number(r.target, 1 if r.target % 1 else 0) if r.target is not None
            else "–",
            "share": percent(r.share) if r.share is not None else "–", "value": r.actual}


def _last_day(table, as_of: dt.date) -> dt.date | None:
    """The day of the latest participant event counted (up to ``as_of``)."""
    epoch = dt.date(1970, 1, 1)
    days = table.day[(table.participant >= 0) & (table.day <= (as_of - epoch).days)]
    return epoch + dt.timedelta(days=int(days.max())) if len(days) else None


def names_of_municipalities() -> dict[str, str]:
    return dict(Municipality.objects.values_list("code", "name"))


def _group_names(by: str, partnerships: Sequence[Partnership]) -> dict[str, str]:
    if by == "partnership":
        return {str(p.pk): p.name for p in partnerships}
    if by == "municipality":
        return {p.municipality.municipality.code: p.municipality.municipality.name
                for p in partnerships}
    return {}


def _ranking(by_municipality: dict[str, dict[str, int]], code: str, names: dict[str, str]
             ) -> list[tuple[str, int, float | None]]:
    """(name, count, count per referred citizen), best first, ties by name."""
    out = []
    for muni, counts in by_municipality.items():
        referred = counts.get("referrals", 0)
        out.append((names.get(muni, muni), counts[code],
                    counts[code] / referred if referred else None))
    return sorted(out, key=lambda r: (-r[1], r[0]))


def _growth_figures(enterprise_ids: Sequence[int], until: dt.date | None = None
                    ) -> list[GrowthFigure]:
    rows = GrowthFigureRow.objects.filter(enterprise_id__in=list(set(enterprise_ids)))
    if until is not None:
        rows = rows.filter(period_start__lte=until)
    return [_core_figure(f) for f in rows]


def _core_figure(f: GrowthFigureRow) -> GrowthFigure:
    return GrowthFigure(
        str(f.enterprise_id), f.period_start, f.period_end, float(f.revenue), float(f.fte),
        f.education_places, f.internship_places, f.ordinary_hires, f.vulnerable_hires)


# --------------------------------------------------------------------------- accelerator


def measure_labels() -> dict[str, str]:
    return {m: _(label) for m, label in MEASURE_LABELS.items()}


def _cohorts(enterprise_ids: Sequence[int] | None = None) -> dict[int, str]:
    """enterprise id -> its latest cohort."""
    qs = Enrolment.objects.order_by("starts_on", "pk")
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    return dict(qs.values_list("enterprise_id", "cohort"))


@login_required
def accelerator(request):
    enterprises = list(scoping.enterprises_for_user(request).order_by("name"))
    years = yearly(_growth_figures([e.pk for e in enterprises]))
    cohorts = _cohorts([e.pk for e in enterprises])
    rows = []
    for e in enterprises:
        mine = years.get(str(e.pk), {})
        latest = mine[max(mine)] if mine else None
        g = growth_rate(mine) if mine else None
        rows.append({"enterprise": e, "cohort": cohorts.get(e.pk, "–"), "growth_value": g,
                     "revenue": number(latest["revenue"]) if latest else "–",
                     "fte": number(latest["fte"], 1) if latest else "–",
                     "growth": percent(g, 1) if g is not None else "–",
                     "years": f"{min(mine)}–{max(mine)}" if mine else "–"})
    grown = enterprises_grown(years)
    chart = charts.growth_overview([(r["enterprise"].name, r["growth_value"]) for r in rows],
                                   _("Revenue growth"))
    return render(request, "dashboard/accelerator.html", {
        "rows": rows, "grown": len(grown), "reporting": len(years),
        "charts": {"overview": chart}, "as_of": timezone.localdate(),
    })


@login_required
def accelerator_enterprise(request, pk: int):
    enterprise = scoping.get_enterprise_for_user(request, pk)
    cohort = _cohorts([enterprise.pk]).get(enterprise.pk)
    peers = (list(Enrolment.objects.filter(cohort=cohort).values_list("enterprise_id", flat=True))
             if cohort else [])
    years = yearly(_growth_figures([enterprise.pk, *peers]))
    mine = years.get(str(enterprise.pk), {})
    peer_keys = [str(p) for p in set(peers)]
    words = {"band": _("cohort p25–p75"), "median": _("cohort median"),
             "enterprise": enterprise.name}
    labels = measure_labels()
    figures, bands_of = {}, {}
    for measure in MEASURES:
        bands = {y: b for y, b in cohort_bands(years, peer_keys, measure).items()
                 if b.n >= MIN_COHORT}
        bands_of[measure] = bands
        figures[measure] = charts.growth_against_cohort(mine, bands, measure, labels[measure],
                                                        words)
    table = [{"year": str(y), **{m: number(mine[y][m], 1 if m == "fte" else 0) for m in MEASURES},
              "median": number(bands_of["revenue"][y].median) if y in bands_of["revenue"]
              else "–"} for y in sorted(mine)]
    g = growth_rate(mine) if mine else None
    return render(request, "dashboard/accelerator_enterprise.html", {
        "enterprise": enterprise, "cohort": cohort, "cohort_size": len(set(peers)),
        "min_cohort": MIN_COHORT, "years": mine, "bands": bands_of, "table": table,
        "growth": percent(g, 1) if g is not None else "–",
        "charts": [(m, labels[m], figures[m]) for m in MEASURES],
        "labels": labels, "as_of": timezone.localdate(),
    })

