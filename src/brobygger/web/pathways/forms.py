"""Forms for registering participants and events. Validation messages explain the reason."""

from __future__ import annotations

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brobygger.cpr import CprError, parse_cpr
from brobygger.web.numbers import shown_date
from brobygger.web.pathways.models import EmploymentStatus, EventKind, Participant, PathwayEvent
from brobygger.web.pathways.timeline import problems_with, referral_problems
from brobygger.web.registry.models import Organisation


class NoEchoTextInput(forms.TextInput):
    """A text box that never writes the submitted value back into the page."""

    def format_value(self, value):
        return None


CPR_MESSAGES = {
    "shape": _("A CPR number has ten digits, written DDMMYY-XXXX."),
    "date": _("The first six digits of the CPR number are not a valid date (DDMMYY)."),
}


class CprField(forms.CharField):
    widget = NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                                    "placeholder": _("DDMMYY-XXXX")})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("CPR number"))
        kwargs.setdefault("max_length", 11)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_cpr(value)
        except CprError as exc:  # the message never contains the number
            raise ValidationError(CPR_MESSAGES[exc.code], code=exc.code) from None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def format_value(self, value):
        """The date as a date input takes it, ISO, also when a form comes back with a date
        typed in the page's format (15.01.2020), which the input would show empty."""
        if isinstance(value, str) and value.strip():
            # read as a date field reads it, by the page's input formats; a date it cannot
            # read is shown as typed, beside the field's error
            with contextlib.suppress(ValidationError):
                value = forms.DateField().to_python(value)
        return super().format_value(value)


class ParticipantForm(forms.ModelForm):
    cpr = CprField()
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())

    class Meta:
        model = Participant
        fields = [
            "partnership", "name", "benefit_type", "weeks_on_benefit_at_entry",
            "employment_status_at_entry", "education", "migrant_background", "disability",
            "other_disadvantage", "consent_given_on",
        ]
        widgets = {"consent_given_on": DateInput()}

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partnerships is not None:
            self.fields["partnership"].queryset = partnerships

    def clean(self):
        cleaned = super().clean()
        cpr = cleaned.get("cpr")
        problems = referral_problems(cpr.birth_date if cpr else None, cleaned.get("referred_on"),
                                     cleaned.get("consent_given_on"),
                                     partnership=cleaned.get("partnership"))
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return cleaned


class EndForm(forms.ModelForm):
    """The EU Social Fund end form: the participant's situation on leaving."""

    class Meta:
        model = Participant
        fields = ["employment_status_at_exit"]

    def __init__(self, *args, job=None, **kwargs):
        """``job``: the employment start of the job the timeline shows the participant in on
        leaving (:func:`~brobygger.web.pathways.timeline.job_on_leaving`), if any."""
        super().__init__(*args, **kwargs)
        self.job = job
        self.fields["employment_status_at_exit"].required = True

    def clean_employment_status_at_exit(self):
        status = self.cleaned_data["employment_status_at_exit"]
        if self.job is not None and status != EmploymentStatus.EMPLOYED:
            raise forms.ValidationError(
                _("The timeline shows the participant in a job on leaving (started %(date)s): "
                  "the status at exit is “employed”, unless the timeline is corrected first.")
                % {"date": shown_date(self.job.occurred_on)})
        return status


class FindByCprForm(forms.Form):
    cpr = CprField()


#: the fields an event of each kind uses beyond kind, date and correction
KIND_FIELDS = {
    EventKind.EMPLOYMENT_START: {"employer", "hours_per_week", "monthly_wage", "subsidy_type"},
    EventKind.BENEFIT_STATUS: {"benefit_month", "benefit_type"},
}
_EXTRA_FIELDS = set().union(*KIND_FIELDS.values())


class EventForm(forms.ModelForm):
    """With a known ``kind`` only its fields are shown (htmx swaps them when the kind
    changes); without one, every field is, so the form also works without JavaScript."""

    class Meta:
        model = PathwayEvent
        fields = ["kind", "occurred_on", "corrects", "employer", "hours_per_week",
                  "monthly_wage", "subsidy_type", "benefit_month", "benefit_type"]
        # amounts typed as the page writes them (37,5 and 20.066,50 in Danish): a text
        # input read in the page's language, not a number input, which drops a comma
        localized_fields = ["hours_per_week", "monthly_wage"]
        widgets = {"occurred_on": DateInput(), "benefit_month": DateInput(),
                   "hours_per_week": forms.TextInput(attrs={"inputmode": "decimal"}),
                   "monthly_wage": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args, participant: Participant, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.fields["kind"].widget.attrs.update({
            "hx-get": "", "hx-target": "#event-fields", "hx-select": "#event-fields",
            "hx-swap": "outerHTML", "hx-include": "#id_occurred_on",  # not the CSRF token
        })
        self.fields["kind"].choices = [
            c for c in EventKind.choices if c[0] != EventKind.REFERRAL
        ]
        self.fields["corrects"].queryset = participant.events.all()
        self.fields["corrects"].required = False
        self.fields["employer"].queryset = Organisation.employers()
        if kind in EventKind.values:
            for name in _EXTRA_FIELDS - KIND_FIELDS.get(kind, set()):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = PathwayEvent(participant=self.participant, **{
            k: v for k, v in cleaned.items() if k in self.fields
        })
        for field, messages in problems_with(candidate, self.participant.events.all()).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return cleaned
