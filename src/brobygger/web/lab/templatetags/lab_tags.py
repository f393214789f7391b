"""Numbers in the lab in the page's language (``brobygger.web.numbers``), and the
indicators by their names."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from brobygger.web.lab.changes import change_names
from brobygger.web.lab.forms import base_label
from brobygger.web.numbers import kr, month, number, percent
from brobygger.web.pathways.labels import indicator_name

register = template.Library()


@register.filter
def model_month(k: int | None, horizon_start: str) -> str:
    """A break-even month of the model (1-based from ``horizon_start``, YYYY-MM) as the page
    writes months (november 2025); 1 is a result never in deficit, none one not within the
    horizon."""
    if not k:
        return _("not within the horizon")
    if int(k) == 1:
        return _("never in deficit")
    year, first = (int(x) for x in horizon_start.split("-"))
    index = year * 12 + first - 1 + int(k) - 1
    return month(f"{index // 12:04d}-{index % 12 + 1:02d}")


@register.filter
def dkk(value) -> str:
    """1.234.567 kr.; empty for a missing value."""
    return "" if value is None else kr(float(value))


@register.filter
def share(value) -> str:
    """0.5248 → 52,5 %."""
    return "" if value is None else percent(float(value), 1)


@register.filter
def num(value, decimals: int = 0) -> str:
    return "" if value is None else number(float(value), int(decimals))


@register.filter
def figure(value) -> str:
    """148 for a whole number, 94,5 otherwise (a mean, a median month); "–" for none."""
    if value is None:
        return "–"
    value = float(value)
    return number(value, 0 if value.is_integer() else 1)


@register.filter
def points(value) -> str:
    """A difference of two shares: 0.043 → 4,3 procentpoint."""
    return "" if value is None else f"{number(100 * float(value), 1)} {_('percentage points')}"


@register.filter(name="month")
def month_filter(label) -> str:
    """2018-02 → februar 2018."""
    return month(str(label)) if label else ""


@register.simple_tag
def quantile(name: str) -> str:
    """A quantile's short name (p5, p50, p95) with what it means when pointed at."""
    meaning = {"p5": _("5th percentile: 5 % of the draws lie below it"),
               "p50": _("median: half of the draws lie below it"),
               "p95": _("95th percentile: 95 % of the draws lie below it")}[name]
    return format_html('<abbr title="{}">{}</abbr>', meaning, name)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None



@register.filter
def indicator(code: str) -> str:
    """3B.1 Started the induction course; Education and internship places created."""
    return indicator_name(code)


@register.filter
def base(name: str) -> str:
    """A shipped base scenario by what it is (Forsøgsprogrammet, 12 kommuner)."""
    return base_label(name)


@register.filter
def change_labels(owner) -> list[str]:
    """A saved scenario's or a run's changes by their labels in the lab."""
    return change_names(owner.base, owner.changes)
