"""The lab's form: one field per lever of the base scenario, plus draws, seed and free changes.

Fields are named after the lever keys with ``-`` for ``.`` (``price-job_start``), so the
core's problems, traced to a lever, land next to the field that caused them.
"""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from brobygger.lab import EXTRA, LabInput, base_data, base_inputs
from brobygger.municipalities import municipalities
from brobygger.web.numbers import number

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 1
DRAWS = (500, 1_000, 2_000, 5_000, 10_000)  # the lab's choices of draws


def draw_choices(*more: int) -> list[tuple[int, str]]:
    """The choices of draws (and ``more``), each in the page's number format."""
    return [(n, number(n)) for n in (*DRAWS, *more)]

GROUPS = {
    "rates": _("Transition rates"),
    "prices": _("Prices in the rate card"),
    "caps": _("Caps"),
    "intake": _("Intake (participants per municipality)"),
    "wages": _("Wages and hours"),
}
#: the shipped base scenarios by what they are (a scenario not named here shows its name)
BASE_LABELS = {
    "default": _("Seed programme, 12 municipalities"),
    "national": _("National roll-out, 98 municipalities"),
}


def base_label(name: str) -> str:
    return str(BASE_LABELS.get(name, name))


LEVER_LABELS = {
    "rate.completion": _("Course completion (× the scenario's rate)"),
    "rate.job_finding": _("Job finding after the course (× the scenario's rate)"),
    "rate.counterfactual_job_finding": _("Job finding without the programme (× the "
                                         "scenario's rate)"),
    "cap.per_participant": _("Cap per participant (empty: none)"),
    "cap.per_contract": _("Cap per contract (empty: none)"),
}
KIND_LABELS = {"accelerator": _("accelerator enterprise"), "other": _("other enterprise")}
#: no lever of a scenario (a price, a wage, a count, a rate) is anywhere near a trillion; beyond
#: that a number is a slip of the keyboard, and 1e308 overflows the model's arithmetic
MAX_LEVER = 1e12

UNITS = {"kr.": _("DKK"), "× parameter": _("× minimum wage"), "kr./hour": _("DKK per hour"),
         "hours/week": _("hours per week"), "participants": _("participants"), "×": "×"}


def view_codes(base: str) -> list[str]:
    """The kommunekoder of the base scenario's municipalities, in its order."""
    return [str(m["code"]) for m in base_data(base).get("municipalities", [])]


def field_name(key: str) -> str:
    return key.replace(".", "-")


def label_for(item: LabInput) -> str:
    if item.key in LEVER_LABELS:
        return str(LEVER_LABELS[item.key])
    if item.group == "intake":
        register = municipalities()
        name = register[item.label].name if item.label in register else item.label
        return f"{name} ({item.label})"
    if item.group == "wages":
        what = _("Hourly wage") if item.key.startswith("wage.") else _("Hours per week")
        return f"{what}, {KIND_LABELS.get(item.label, item.label)}"
    return item.label


class LabForm(forms.Form):
    base = forms.CharField(widget=forms.HiddenInput)
    draws = forms.TypedChoiceField(label=_("Draws"), choices=draw_choices, coerce=int,
                                   initial=DEFAULT_DRAWS)
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**31 - 1,
                              initial=DEFAULT_SEED)
    extra = forms.CharField(
        label=_("Other changes"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One 'dotted.path: value' per line, in the scenario format, e.g. "
                    "pathways.programme.periods.0.rows.referred: {induction: 0.9, "
                    "referred: 0.1}"))

    #: whose result to show: the municipalities together ("") or one kommunekode; not a
    #: lever, the simulation is the same
    view = forms.ChoiceField(label=_("Show the result for"), required=False)

    def __init__(self, *args, base: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.inputs = base_inputs(base)
        self.fields["base"].initial = base
        register = municipalities()
        self.fields["view"].choices = [("", _("the municipalities together"))] + [
            (code, f"{register[code].name} ({code})" if code in register else code)
            for code in view_codes(base)]
        self.lever_fields: dict[str, str] = {}
        too_large = _("must be at most %(most)s") % {"most": number_format(int(MAX_LEVER))}
        for item in self.inputs:
            name = field_name(item.key)
            self.lever_fields[item.key] = name
            kind = forms.IntegerField if item.integer else forms.FloatField
            self.fields[name] = kind(
                label=label_for(item), required=False, localize=True, max_value=MAX_LEVER,
                error_messages={"max_value": too_large},
                help_text=str(UNITS.get(item.unit, item.unit)),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}))
            if item.base is not None:
                self.fields[name].initial = _plain_number(item.base)
        self.order_fields([*self.lever_fields.values(), "extra", "view", "draws", "seed",
                           "base"])

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        out: dict[str, list[forms.BoundField]] = {}
        for item in self.inputs:
            out.setdefault(item.group, []).append(self[self.lever_fields[item.key]])
        return [(str(GROUPS.get(g, g)), fields) for g, fields in out.items()]

    def clean_extra(self) -> dict[str, Any] | None:
        text = self.cleaned_data.get("extra") or ""
        if not text.strip():
            return None
        try:
            # aliases could expand a short text into a huge one: not needed here, refused
            if any(isinstance(t, yaml.AliasToken) for t in yaml.scan(text)):
                raise forms.ValidationError(_("aliases (*name) are not allowed here"))
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:  # where, not the reader's English about it
            mark = getattr(exc, "problem_mark", None)
            if mark is None:
                raise forms.ValidationError(
                    _("not readable as 'dotted.path: value' lines")) from None
            raise forms.ValidationError(
                _("not readable as 'dotted.path: value' lines: line %(line)s, column "
                  "%(column)s"), params={"line": mark.line + 1, "column": mark.column + 1}
            ) from None
        except RecursionError:  # thousands of nested brackets
            raise forms.ValidationError(_("write one 'dotted.path: value' per line")) from None
        if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
            raise forms.ValidationError(_("write one 'dotted.path: value' per line"))
        return data

    def values(self) -> dict[str, float | None]:
        """Lever values as the core takes them: an optional field sent empty means 'none';
        a field not sent at all keeps the base value."""
        out: dict[str, float | None] = {}
        for item in self.inputs:
            name = self.lever_fields[item.key]
            value = self.cleaned_data.get(name)
            if value is not None or (item.optional and name in self.data):
                out[item.key] = value
        return out

    def field_for(self, key: str) -> str | None:
        """The form field of a lever key, ``extra``, or a field of the run (draws, seed)."""
        if key == EXTRA:
            return "extra"
        if key in ("draws", "seed", "base", "view"):
            return key
        return self.lever_fields.get(key)


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def initial_from(inputs: list[LabInput], values: dict[str, Any]) -> dict[str, Any]:
    """Form initial data for a saved scenario's lever values."""
    initial: dict[str, Any] = {}
    for item in inputs:
        if item.key in values:
            value = values[item.key]
            initial[field_name(item.key)] = None if value is None else _plain_number(value)
    if values.get(EXTRA):
        initial["extra"] = yaml.safe_dump(values[EXTRA], default_flow_style=None,
                                          allow_unicode=True, sort_keys=False).strip()
    return initial


class SaveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
