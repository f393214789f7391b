"""The core's English labels, marked for translation (the core does not import Django).

A test checks that every label in ``brobygger.indicators.LABELS`` and ``MEASURE_LABELS`` is
here, so a new indicator cannot reach the screen untranslated.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

CORE_LABELS = (
    gettext_noop("Citizens referred"),
    gettext_noop("Started the induction course"),
    gettext_noop("Completed the induction course"),
    gettext_noop("Employed at the accelerator enterprises"),
    gettext_noop("Employed at other enterprises"),
    gettext_noop("Education and internship places created"),
    gettext_noop("Ordinary unemployed hired"),
    gettext_noop("Partnership cases"),
    gettext_noop("Social enterprises taking part"),
    gettext_noop("Revenue (DKK)"),
    gettext_noop("Full-time equivalents"),
    gettext_noop("Vulnerable citizens hired"),
)
