from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator

from brobygger.web.accelerator.models import GrowthFigure
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
