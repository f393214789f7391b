"""``{{ state|state_label }}``: a participant's state in words (see ``pathways.labels``)."""

from __future__ import annotations

from django import template

from brobygger.web.pathways.labels import state_label as _state_label

register = template.Library()


@register.filter
def state_label(state) -> str:
    return _state_label(state)
