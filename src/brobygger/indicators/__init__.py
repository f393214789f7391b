"""The programme's indicators as they actually happened: counted from verified events
(:mod:`.actuals`: ESF 3B.1–3B.4, places, hires, partnership cases, enterprises; totals,
cumulative by month, by partnership, municipality, region and participant attributes; the
pipeline of participants by state) and from the accelerator's growth figures
(:mod:`.growth`: enterprise growth against its cohort).

>>> import datetime as dt
>>> from brobygger.payments.events import table_from_records
>>> table, problems = table_from_records([
...     {"participant": "a", "type": "referral", "date": "2019-01-10", "partnership": "p1",
...      "municipality": "101", "other_actor": "o", "social_enterprise": "s"},
...     {"participant": "a", "type": "induction_start", "date": "2019-02-01"},
... ])
>>> compute_indicators(table, as_of=dt.date(2019, 3, 31)).totals["3B.1"]
1
"""

from __future__ import annotations

from brobygger.indicators.actuals import (
    BASE_GROUPINGS,
    CITIZEN_CODES,
    CODES,
    ENTERPRISE_CODES,
    LABELS,
    STRUCTURE_CODES,
    UNKNOWN,
    Indicators,
    Occurrences,
    Pipeline,
    TargetRow,
    against_targets,
    compute_indicators,
    compute_pipeline,
    current_states,
    occurrences,
    participant_partnerships,
    partnership_municipalities,
    region_of,
    restrict,
    share_of_targets,
    target_path,
)
from brobygger.indicators.growth import (
    MEASURE_LABELS,
    MEASURES,
    Band,
    GrowthFigure,
    cohort_bands,
    enterprises_grown,
    growth_rate,
    yearly,
)

__all__ = [
    "BASE_GROUPINGS", "CITIZEN_CODES", "CODES", "ENTERPRISE_CODES", "LABELS", "MEASURES",
    "MEASURE_LABELS",
    "STRUCTURE_CODES", "UNKNOWN", "Band", "GrowthFigure", "Indicators", "Occurrences",
    "Pipeline", "TargetRow", "against_targets", "cohort_bands", "compute_indicators",
    "compute_pipeline", "current_states", "enterprises_grown", "growth_rate", "occurrences",
    "participant_partnerships", "partnership_municipalities", "region_of", "restrict",
    "share_of_targets", "target_path", "yearly",
]
