"""Words for the states a participant can be in, and for the indicators, in the active
language.

One place for them: the list and the timeline put the label into each row from Python (no
template include per row), and ``{{ state|state_label }}`` (``pathways_tags``) shows one
anywhere else.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from brobygger.indicators.actuals import LABELS
from brobygger.pathways.chains import INDICATOR_CODES


def state_labels() -> dict[str, str]:
    """state -> label, for the active language (look it up once per page, not per row)."""
    return {
        "referred": _("referred"),
        "induction": _("in induction course"),
        "jobseeking": _("course completed, job-seeking"),
        "job_accelerator": _("employed at the accelerator enterprise"),
        "job_other": _("employed elsewhere"),
        "education": _("in education or internship"),
        "benefit": _("on benefit"),
        "exited": _("exited"),
    }


def state_label(state, labels: dict[str, str] | None = None) -> str:
    """The label of one state; an unknown state shows as itself."""
    if labels is None:
        labels = state_labels()
    return labels.get(state, str(state))


def indicator_name(code: str) -> str:
    """An indicator's name in the active language, the programme's number before it
    (3B.1 …) where it has one; an unknown code shows as itself."""
    name = _(LABELS[code]) if code in LABELS else code
    return f"{code} {name}" if code in INDICATOR_CODES else name
