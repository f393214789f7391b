from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.numbers import shown_date
from brobygger.web.pathways.forms import DateInput

#: the most places or hires one enterprise reports for one period: far above any real count,
#: far below where the indicators' integer arithmetic would overflow
MAX_COUNT = 100_000
COUNTS = ("education_places", "internship_places", "ordinary_hires", "vulnerable_hires")


class GrowthFigureForm(forms.ModelForm):
    class Meta:
        model = GrowthFigure
        fields = ["period_start", "period_end", "revenue", "fte", "education_places",
                  "internship_places", "ordinary_hires", "vulnerable_hires"]
        # amounts typed as the page writes them (4.500.000,50 and 7,5 in Danish)
        localized_fields = ["revenue", "fte"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(),
                   "revenue": forms.TextInput(attrs={"inputmode": "decimal"}),
                   "fte": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        for name in COUNTS:
            field = self.fields[name]
            field.max_value = MAX_COUNT
            field.validators.append(MaxValueValidator(MAX_COUNT))
            field.widget.attrs["max"] = MAX_COUNT

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            for name, problem in GrowthFigure.period_problems(start, end).items():
                self.add_error(name, problem)
        if start and end and end >= start:
            other = GrowthFigure.overlapping(self.instance.enterprise, start, end)
            if other is not None and other.period_start == start:
                self.add_error("period_start",
                               _("Figures for this period are already registered."))
            elif other is not None:
                self.add_error("period_start", _(
                    "Figures for %(first)s to %(last)s, which overlap this period, are "
                    "already registered.") % {"first": shown_date(other.period_start),
                                              "last": shown_date(other.period_end)})
        for name in ("revenue", "fte"):
            if cleaned.get(name) is not None and cleaned[name] < 0:
                self.add_error(name, _("Cannot be negative."))
        return cleaned
