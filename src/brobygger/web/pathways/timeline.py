"""From a participant's events to the effective events, the derived states, and the rules a new
event must obey. Plain functions over event objects (anything with the model's attributes), so
forms, the API and the import use the same rules, with reasons a caseworker can act on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db.models import Prefetch, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brobygger.scenario.schema import State
from brobygger.web.numbers import shown_date
from brobygger.web.pathways.models import EventKind, PathwayEvent


def effective(events) -> list:
    """Events that count: not cancellations, and not replaced by a later correction; in
    date order, and on one day in the order registered (:func:`in_order`)."""
    events = list(events)
    replaced = {e.corrects_id for e in events if e.corrects_id}
    return sorted(
        (e for e in events if e.pk not in replaced and e.kind != EventKind.CANCELLATION),
        key=in_order,
    )


def in_order(e) -> tuple:
    """Date order; on one day in the order registered, an event not yet saved last (as it
    will be saved)."""
    return (e.occurred_on, e.pk if e.pk is not None else float("inf"))


def state_after(event, enterprise_id: int | None, current: State | None) -> State | None:
    """The core's state a participant is in after an event (None: unchanged)."""
    match event.kind:
        case EventKind.REFERRAL:
            return State.referred
        case EventKind.INDUCTION_START:
            return State.induction
        case EventKind.INDUCTION_COMPLETION:
            return State.jobseeking
        case EventKind.DROPOUT:
            return State.benefit
        case EventKind.EDUCATION_START | EventKind.INTERNSHIP_START:
            return State.education
        case EventKind.EMPLOYMENT_START:
            if event.employer_id and event.employer_id == enterprise_id:
                return State.job_accelerator
            return State.job_other
        case EventKind.EMPLOYMENT_END | EventKind.EDUCATION_END:
            return State.benefit
        case EventKind.EXIT:
            return State.exited
    return None


@dataclass(frozen=True)
class TimelineRow:
    event: object
    state: State | None
    replaced: bool


def timeline(events, enterprise_id: int | None) -> list[TimelineRow]:
    """Every event in date order, with the state after it; replaced events are flagged."""
    events = list(events)
    states = {id(e): state for e, state in _states(effective(events), enterprise_id)}
    return [TimelineRow(e, states.get(id(e)), id(e) not in states)
            for e in sorted(events, key=in_order)]


def _states(events, enterprise_id: int | None):
    """(event, the state after it) along effective events: a job or an education that
    ends leaves the participant in the other, if it is still under way (an internship
    beside a job), else on benefit."""
    state, job, education = None, None, False
    for e in events:
        after = state_after(e, enterprise_id, state)
        if e.kind == EventKind.EMPLOYMENT_START:
            job = after
        elif e.kind == EventKind.EMPLOYMENT_END:
            job = None
            after = State.education if education else after
        elif e.kind in EDUCATION_STARTS:
            education = True
        elif e.kind == EventKind.EDUCATION_END:
            education = False
            after = job or after
        state = after or state
        yield e, state


#: The events that can change a participant's state. A monthly benefit status never does
#: (``state_after`` gives None), and most events are monthly statuses, so they are left out
#: unless they correct another event; a cancellation is kept whatever it cancels.
#: ``current_state`` of these events is the same as of all of them.
STATE_CHANGING = ~Q(kind=EventKind.BENEFIT_STATUS) | Q(corrects__isnull=False)


def prefetch_state_events() -> Prefetch:
    """For lists that show each participant's current state: only the events that can change
    it (``STATE_CHANGING``), with only the fields it reads, as ``participant.state_events``."""
    return Prefetch(
        "events",
        queryset=PathwayEvent.objects.filter(STATE_CHANGING)
        .only("participant", "kind", "occurred_on", "corrects", "employer")
        .order_by("occurred_on", "pk"),
        to_attr="state_events",
    )


class StateEvent(NamedTuple):
    """The fields of an event that ``current_state`` reads, without a model instance."""

    pk: int
    kind: str
    occurred_on: dt.date
    corrects_id: int | None
    employer_id: int | None


def current_states(enterprises: dict[int, int | None]) -> dict[int, State | None]:
    """participant id -> accelerator enterprise id  =>  participant id -> current state.

    One query over the state-changing events of all of them, read as tuples (a list page
    would otherwise build a few hundred model instances just to read five fields each).
    """
    events: dict[int, list[StateEvent]] = {pk: [] for pk in enterprises}
    rows = (PathwayEvent.objects.filter(STATE_CHANGING, participant_id__in=list(enterprises))
            .order_by().values_list("participant_id", "pk", "kind", "occurred_on",
                                    "corrects_id", "employer_id"))
    for participant_id, *fields in rows:
        events[participant_id].append(StateEvent(*fields))
    return {pk: current_state(events[pk], enterprise) for pk, enterprise in enterprises.items()}


def current_state(events, enterprise_id: int | None) -> State | None:
    walked = list(_states(effective(events), enterprise_id))
    return walked[-1][1] if walked else None


def job_on_leaving(events):
    """The employment start of the job a participant holds on leaving — at its exit event,
    or now before one — or None: a job started and not ended, as the rules for a new
    employment see it (an internship beside it does not end it)."""
    before_exit = []
    for e in effective(events):
        if e.kind == EventKind.EXIT:
            break
        before_exit.append(e)
    return _open_employment(before_exit)


#: an education or internship starts, or ends, a spell of education (as the core reads it)
EDUCATION_STARTS = (EventKind.EDUCATION_START, EventKind.INTERNSHIP_START)


def _open_education(events):
    """The start of the education or internship under way after ``events`` (effective, in
    date order), or None."""
    under_way = None
    for e in events:
        if e.kind in EDUCATION_STARTS:
            under_way = e
        elif e.kind == EventKind.EDUCATION_END:
            under_way = None
    return under_way


#: the fields of an event the core's records hold: two events alike in these are one
#: event to the core, which refuses the second
SAME_EVENT = ("kind", "occurred_on", "employer_id", "hours_per_week", "monthly_wage",
              "benefit_month")


def same_event(a, b) -> bool:
    """Two events alike to the core (an internship's start is an education's start there)."""
    def kind(e) -> str:
        return EventKind.EDUCATION_START if e.kind == EventKind.INTERNSHIP_START else e.kind

    return kind(a) == kind(b) and all(getattr(a, f, None) == getattr(b, f, None)
                                      for f in SAME_EVENT if f != "kind")


def _open_employment(events):
    open_job = None
    for e in events:
        if e.kind == EventKind.EMPLOYMENT_START:
            open_job = e
        elif e.kind == EventKind.EMPLOYMENT_END:
            open_job = None
    return open_job


#: the earliest day the registry takes for a referral, an event, a consent or a benefit
#: month: the schemes with other actors it follows date from the 2000s, so an earlier date
#: is a typing error (0001-01-01, 1900-01-01, two digits of the year swapped)
EARLIEST = dt.date(2000, 1, 1)


def date_problem(day: dt.date, today: dt.date) -> str | None:
    """Why ``day`` cannot be a registered date (future or before :data:`EARLIEST`)."""
    if day > today:
        return _("The date is in the future.")
    if day < EARLIEST:
        return _("The date is before %(first)s.") % {"first": shown_date(EARLIEST)}
    return None


def referral_problems(birth_date: dt.date | None, referred_on: dt.date | None,
                      consent_given_on: dt.date | None, *, partnership=None,
                      today: dt.date | None = None) -> dict[str, list[str]]:
    """Why a participant's referral and consent dates cannot be registered: field name ->
    reasons (the same rules for the form, the import and the API). With ``partnership``
    the referral must also lie in its :attr:`~brobygger.web.registry.models.Partnership.
    referral_period` (a referral outside the programme's period would stop every
    municipality's forecast)."""
    today = today or dt.date.today()
    errors: dict[str, list[str]] = {}
    if referred_on is not None:
        problem = date_problem(referred_on, today)
        if problem is None and birth_date is not None and referred_on < birth_date:
            problem = _("The referral is before the citizen's birth date.")
        if problem is None and partnership is not None:
            first, last = partnership.referral_period
            if not first <= referred_on <= last:
                problem = _("The referral lies outside the partnership's period in the "
                            "programme (%(first)s to %(last)s).") % {
                    "first": shown_date(first), "last": shown_date(last)}
        if problem:
            errors["referred_on"] = [problem]
    if consent_given_on is not None:
        problem = date_problem(consent_given_on, today)
        if problem:
            errors["consent_given_on"] = [problem]
    return errors


def problems_with(new, existing, *, today: dt.date | None = None) -> dict[str, list[str]]:
    """Why ``new`` may not be added to ``existing`` events: field name -> reasons ('' = form).

    The new event is judged against the events before it; then, where it could change how
    a later event reads (it lies before one, or corrects or cancels one), the history it
    leaves is read again event by event, and a later event it would make wrong refuses it
    (an exit before a job start, a cancelled induction start before its completion): the
    registry keeps only histories the settlement accepts."""
    today = today or dt.date.today()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    existing = list(existing)
    target = None
    if new.corrects_id:
        target = next((e for e in existing if e.pk == new.corrects_id), None)
        if target is None:
            add("corrects", _("The event to correct does not belong to this participant."))
            return errors
        if any(e.corrects_id == target.pk for e in existing):
            add("corrects", _("That event has already been corrected."))
        if target.kind == EventKind.CANCELLATION:
            add("corrects", _("A cancellation cannot be cancelled or corrected: register the "
                              "cancelled event again."))
            return errors
        if target.kind == EventKind.REFERRAL:
            add("corrects", _("A referral cannot be cancelled or corrected. A citizen "
                              "registered by mistake, or with a wrong referral date, is for "
                              "the municipality's manager to erase and register again."))
            return errors
        if new.kind != EventKind.CANCELLATION and new.kind != target.kind:
            # (nothing more to say: the rules below would judge the wrong kind)
            add("kind", _("A correction must be of the same kind as the event it corrects."))
            return errors
    elif new.kind == EventKind.CANCELLATION:
        add("corrects", _("A cancellation must name the event it cancels."))
    if new.occurred_on and (problem := date_problem(new.occurred_on, today)):
        add("occurred_on", problem)
    if new.kind != EventKind.CANCELLATION:
        # judged against the history that counts, its target (if it corrects one) left out
        _rules(new, [e for e in effective(existing) if e is not target], today, add)
    if not errors:
        for reason in _later_problems(new, target, existing):
            add("", reason)
    return errors


def _later_problems(new, target, before: list) -> list[str]:
    """What adding ``new`` (correcting or cancelling ``target``, if not None) to the events
    ``before`` makes wrong in the events after it that
    was not wrong before: the history that counts then (:func:`effective`: a correction's
    target, or a cancelled correction's with it, left out), each later event read against
    the events before it, by the same rules — from the first day the change touches (the
    events before it read as they did)."""
    if new.kind == EventKind.BENEFIT_STATUS and not new.corrects_id:
        return []  # (a month's status changes no state; its own rules see the whole history)
    counted = effective(before)
    days = [d for d in (None if new.kind == EventKind.CANCELLATION else new.occurred_on,
                        target.occurred_on if target is not None else None) if d is not None]
    if not days:
        return []
    first = min(days)
    if target is None and not any(e.occurred_on > first for e in counted):
        return []  # nothing later for it to change
    today = dt.date.max  # (the dates were judged when they were registered)
    # (the same objects in both histories: an event not yet saved has no pk to tell it by)
    was = {(id(e), reason) for e, reason in _replayed(counted, first, today)}
    return [_("It would make a later event wrong: %(event)s on %(date)s: %(reason)s") % {
        "event": EventKind(e.kind).label, "date": shown_date(e.occurred_on), "reason": reason}
        for e, reason in _replayed(effective([*before, new]), first, today)
        if e is not new and (id(e), reason) not in was]


def _replayed(events: list, first: dt.date, today: dt.date) -> list[tuple[object, str]]:
    """Each of the effective ``events`` (in order) from the day ``first`` judged against
    those before it: the reasons the rules give, event by event."""
    found: list[tuple[object, str]] = []
    for k, e in enumerate(events):
        if e.occurred_on < first:
            continue
        reasons: list[str] = []
        _rules(e, events[:k], today, lambda _field, message, into=reasons: into.append(message))
        found += [(e, reason) for reason in reasons]
    return found


def _rules(new, history: list, today: dt.date, add) -> None:
    """The rules an event (not a cancellation) obeys against ``history``: the events that
    count (:func:`effective`, in order), those before it among them."""
    for field in ("hours_per_week", "monthly_wage"):
        value = getattr(new, field)
        if value is not None:
            limit = PathwayEvent._meta.get_field(field)
            try:  # (a form gives a Decimal; the rules' own tests may give an int)
                DecimalValidator(limit.max_digits, limit.decimal_places)(Decimal(str(value)))
            except ValidationError as exc:
                add(field, " ".join(exc.messages))
            else:
                if value < 0:
                    add(field, _("The amount cannot be negative."))
    events = [e for e in history if e.occurred_on <= new.occurred_on]
    later = [e for e in history if e.occurred_on > new.occurred_on]
    kinds = [e.kind for e in events]
    referral = next((e for e in history if e.kind == EventKind.REFERRAL), None)

    if new.kind == EventKind.REFERRAL:
        if referral is not None:
            add("kind", _("The participant has already been referred."))
        elif later:
            add("occurred_on", _("The referral must come before every other event."))
        return
    if referral is None:
        add("kind", _("Register the referral first."))
        return
    if new.occurred_on < referral.occurred_on:
        add("occurred_on", _("The date is before the referral (%(date)s).")
            % {"date": shown_date(referral.occurred_on)})
    # a benefit status is of its month (as the core reads it); anything else of its day
    month = new.benefit_month if new.kind == EventKind.BENEFIT_STATUS else None
    exit_ = next((e for e in history if e.kind == EventKind.EXIT), None)
    if new.kind == EventKind.EXIT and EventKind.EXIT in kinds:
        add("kind", _("The participant has already exited."))
    elif new.kind == EventKind.EXIT and (after := [
            e.benefit_month for e in history if e.kind == EventKind.BENEFIT_STATUS
            and e.benefit_month and e.benefit_month > new.occurred_on]):
        add("occurred_on", _("A benefit status is registered for a month after this date "
                             "(%(month)s).") % {"month": date_format(max(after), "F Y")})
    elif exit_ is not None and (month or new.occurred_on) > exit_.occurred_on and (
            month is not None or exit_ in events):
        add("benefit_month" if month else "occurred_on",
            _("The participant has exited before this date."))

    if (new.kind in (EventKind.INDUCTION_COMPLETION, EventKind.DROPOUT)
            and EventKind.INDUCTION_START not in kinds):
        add("kind", _("The induction course has not started by this date."))
    if new.kind == EventKind.INDUCTION_START and EventKind.INDUCTION_START in kinds:
        add("kind", _("The induction course has already started."))

    if new.kind == EventKind.EMPLOYMENT_START:
        for field, label in (("employer", _("employer")), ("hours_per_week", _("hours per week")),
                             ("monthly_wage", _("monthly wage")), ("subsidy_type", _("subsidy"))):
            if getattr(new, field) in (None, ""):
                add(field, _("An employment start needs the %(field)s.") % {"field": label})
        if _open_employment(events) is not None:
            add("kind", _("The participant is already employed; register the end first."))
        if new.hours_per_week is not None and not 0 < new.hours_per_week <= 80:
            add("hours_per_week", _("Hours per week must be between 0 and 80."))

    if new.kind == EventKind.EMPLOYMENT_END and _open_employment(events) is None:
        started = next((e for e in later if e.kind == EventKind.EMPLOYMENT_START), None)
        if started is None:
            add("kind", _("There is no employment to end."))
        else:
            add("occurred_on", _("The job ends before it started (%(date)s).")
                % {"date": shown_date(started.occurred_on)})

    if new.kind in EDUCATION_STARTS and _open_education(events) is not None:
        add("kind", _("An education or internship is under way; register its end first."))
    if new.kind == EventKind.EDUCATION_END and _open_education(events) is None:
        started = next((e for e in later if e.kind in EDUCATION_STARTS), None)
        if started is None:
            add("kind", _("There is no education or internship to end."))
        else:
            add("occurred_on", _("The education or internship ends before it started "
                                 "(%(date)s).") % {"date": shown_date(started.occurred_on)})
    if any(same_event(e, new) for e in events):
        add("", _("This event is already registered."))

    if new.kind == EventKind.BENEFIT_STATUS:
        if new.benefit_month is None:
            add("benefit_month", _("A benefit status needs the month."))
        elif new.benefit_month.day != 1:
            add("benefit_month", _("Give the month as its first day."))
        elif problem := date_problem(new.benefit_month, today):
            add("benefit_month", problem)
        elif new.benefit_month < referral.occurred_on.replace(day=1):
            add("benefit_month", _("The month is before the referral's month (%(date)s).")
                % {"date": shown_date(referral.occurred_on)})
        elif any(e.kind == EventKind.BENEFIT_STATUS and e.benefit_month == new.benefit_month
                 for e in history):
            add("benefit_month", _("This month's benefit status is registered already; "
                                   "correct that one instead."))
