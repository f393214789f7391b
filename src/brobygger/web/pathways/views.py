"""Participant screens. Every object comes from ``accounts.scoping``; every read of personal
data writes an audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import capfirst, floatformat
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from brobygger.cpr import CPR_PATTERN
from brobygger.web.accounts import scoping
from brobygger.web.accounts.context import navigation
from brobygger.web.audit.log import record
from brobygger.web.audit.models import Action
from brobygger.web.lib.ids import is_row_id
from brobygger.web.numbers import shown_date
from brobygger.web.pathways import importing, services
from brobygger.web.pathways.cpr import fingerprint, masked_cpr, masked_from_ciphertext
from brobygger.web.pathways.forms import EndForm, EventForm, FindByCprForm, ParticipantForm
from brobygger.web.pathways.labels import state_label, state_labels
from brobygger.web.pathways.models import (
    BenefitType,
    EmploymentStatus,
    EventKind,
    Participant,
    SubsidyType,
)
from brobygger.web.pathways.timeline import (
    current_state,
    current_states,
    job_on_leaving,
    timeline,
)

PAGE_SIZE = 50



@login_required
def participant_list(request):
    participants = scoping.participants_for_user(request)
    partnerships = scoping.visible_partnerships(request)
    q = request.GET.get("q", "").strip()[:200]  # a name search, not a document
    if CPR_PATTERN.search(q):
        # a CPR number typed into the name search: never use it, never echo it
        messages.error(request, _("Search by CPR number with the CPR field: it keeps the number "
                                  "out of the address bar and the logs."))
        return redirect("participant-list")
    if q:
        match = Q(name__icontains=q)
        if q.upper().startswith("D-") and is_row_id(q[2:]):
            match |= Q(pk=int(q[2:]))
        participants = participants.filter(match)
    partnership_id = request.GET.get("partnership", "")
    if is_row_id(partnership_id):
        participants = participants.filter(partnership_id=int(partnership_id))
    # a row needs a few columns, not a model instance with its partnership and municipality
    page = Paginator(participants.order_by("pk").values_list(*LIST_COLUMNS), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    states = current_states({r[0]: r[6] for r in page})
    labels = state_labels()
    # reverse() once, not once per row (it costs as much as the rest of a row)
    url_head, _marker, url_tail = reverse("participant-detail", args=[_URL_MARKER]).rpartition(
        str(_URL_MARKER))
    rows = [
        {"pk": pk, "url": f"{url_head}{pk}{url_tail}", "reference": f"D-{pk:05d}",
         "name": name, "fictitious": fictitious, "erased": erased_at is not None,
         "cpr": masked_from_ciphertext(ciphertext), "partnership": partnership,
         "state": states[pk] and state_label(states[pk], labels)}
        for pk, name, fictitious, erased_at, ciphertext, partnership, _enterprise in page
    ]
    record(request, Action.LIST, [r["pk"] for r in rows if not r["erased"]])
    # htmx asks for the rows only when the filters change: the page stays, the table swaps
    template = ("pathways/_participant_rows.html" if request.headers.get("HX-Request")
                else "pathways/participant_list.html")
    return render(request, template, {
        "page": page, "rows": rows, "q": q, "partnerships": partnerships,
        "partnership_id": partnership_id, "find_form": FindByCprForm(),
        "can_register": any(
            scoping.can(request, scoping.CHANGE, p.organisation_ids) for p in partnerships
        ),
    })


_URL_MARKER = 918273645


#: what a list row shows (``participant_list`` unpacks them in this order)
LIST_COLUMNS = ("pk", "name", "fictitious", "erased_at", "cpr_ciphertext", "partnership__name",
                "partnership__social_enterprise_id")


@sensitive_post_parameters("cpr")
@login_required
@require_POST
def participant_find(request):
    """Find a participant by CPR number. POST only: the number never goes into a URL."""
    form = FindByCprForm(request.POST)
    if form.is_valid():
        found = scoping.participants_for_user(request).filter(
            cpr_fingerprint=fingerprint(form.cleaned_data["cpr"])
        ).first()
        if found is not None:
            record(request, Action.FIND, [found.pk])
            return redirect("participant-detail", pk=found.pk)
        messages.warning(request, _("No participant with that CPR number in your partnerships."))
    else:
        for error in form.errors.get("cpr", []):
            messages.error(request, error)
    return redirect("participant-list")


@sensitive_post_parameters("cpr")
@login_required
@require_http_methods(["GET", "POST"])
def participant_create(request):
    writable = [p.pk for p in scoping.partnerships_for_user(request)
                if scoping.can(request, scoping.CHANGE, p.organisation_ids)]
    partnerships = scoping.partnerships_for_user(request).filter(pk__in=writable)
    posted = request.POST if request.method == "POST" else None  # an empty POST too
    form = ParticipantForm(posted, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        # re-check through the scoping layer: the form's queryset is a convenience, not a guard
        scoping.get_partnership_for_user(request, form.cleaned_data["partnership"].pk,
                                         scoping.CHANGE)
        try:
            participant = services.register_participant(
                request, form.save(commit=False), form.cleaned_data["cpr"],
                form.cleaned_data["referred_on"],
            )
        except services.DuplicateParticipant as exc:
            form.add_error(None, exc)  # on the CPR field: the error names it
        else:
            messages.success(request, _("Participant %(ref)s registered.")
                             % {"ref": participant.reference})
            return redirect("participant-detail", pk=participant.pk)
    return render(request, "pathways/participant_form.html", {"form": form})


@login_required
def participant_detail(request, pk: int):
    participant = scoping.get_participant_for_user(request, pk)
    enterprise = participant.partnership.social_enterprise_id
    # the events as tuples with what a row shows (no event, employer and user instances)
    events = [TimelineEvent(*values) for values in participant.events.order_by().values_list(
        *TimelineEvent._fields[:-2], "registered_by__" + get_user_model().USERNAME_FIELD,
        "registered_at")]
    if not participant.is_erased:
        record(request, Action.VIEW, [participant.pk])
    ids = participant.partnership.organisation_ids
    status = participant.employment_status_at_exit
    job = job_on_leaving(events) if status and status != EmploymentStatus.EMPLOYED else None
    return render(request, "pathways/participant_detail.html", {
        "participant": participant,
        # an end form saved before the job it contradicts was registered
        "job_contradicts_end_form": shown_date(job.occurred_on) if job else "",
        "cpr": masked_cpr(participant),
        "rows": _timeline_rows(events, enterprise),
        "state": current_state(events, enterprise),
        "can_change": scoping.can(request, scoping.CHANGE, ids) and not participant.is_erased,
        "can_erase": scoping.can(request, scoping.ERASE, {participant.partnership.municipality_id})
        and not participant.is_erased,
    })


class TimelineEvent(NamedTuple):
    """One event as the timeline reads it (the last two: who registered it, and when)."""

    pk: int
    kind: str
    occurred_on: dt.date
    corrects_id: int | None
    employer_id: int | None
    employer__name: str | None
    hours_per_week: Decimal | None
    monthly_wage: Decimal | None
    subsidy_type: str
    benefit_month: dt.date | None
    benefit_type: str
    registered_by: str
    registered_at: dt.datetime


def _timeline_rows(events: list[TimelineEvent], enterprise: int | None) -> list[dict]:
    """The timeline's cells as text, formatted here once per row rather than by a template
    include, filters and ``get_FOO_display`` lookups per cell (the same filters, so the same
    output)."""
    kinds = {value: capfirst(label) for value, label in EventKind.choices}
    subsidies = dict(SubsidyType.choices)
    benefits = dict(BenefitType.choices)
    states = state_labels()
    hours_week, dkk_month, no_benefit = _("hours/week"), _("DKK/month"), _("no benefit")
    rows = []
    for row in timeline(events, enterprise):
        e = row.event
        details = SafeString()
        if e.employer_id is not None:
            details = format_html(
                "{}, {} {}, {} {}, {}", e.employer__name,
                floatformat(e.hours_per_week, "-2"), hours_week,
                floatformat(e.monthly_wage, "0g"), dkk_month,
                subsidies.get(e.subsidy_type, e.subsidy_type))
        if e.benefit_month:
            details += format_html("{}: {}", date_filter(e.benefit_month, "F Y"),
                                   benefits.get(e.benefit_type, e.benefit_type) or no_benefit)
        rows.append({
            "replaced": row.replaced,
            "date": date_filter(e.occurred_on, "SHORT_DATE_FORMAT"),
            "kind": kinds.get(e.kind, e.kind),
            "pk": str(e.pk),
            "corrects": str(e.corrects_id) if e.corrects_id else "",
            "details": details,
            "state": row.state and state_label(row.state, states),
            "registered": format_html("{}, {}", e.registered_by, date_filter(
                template_localtime(e.registered_at), "SHORT_DATETIME_FORMAT")),
        })
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, pk: int):
    participant = scoping.get_participant_for_user(request, pk, scoping.CHANGE)
    kind = request.POST.get("kind") or request.GET.get("kind")
    posted = request.POST if request.method == "POST" else None  # an empty POST too
    form = EventForm(posted, participant=participant, kind=kind,
                     initial={"kind": kind} if kind else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_event(request, participant, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Event registered."))
            return redirect("participant-detail", pk=participant.pk)
    return render(request, "pathways/event_form.html",
                  {"form": form, "participant": participant})


@login_required
@require_http_methods(["GET", "POST"])
def participant_end_form(request, pk: int):
    participant = scoping.get_participant_for_user(request, pk, scoping.CHANGE)
    if participant.is_erased:
        raise Http404
    posted = request.POST if request.method == "POST" else None  # an empty POST too
    form = EndForm(posted, instance=participant, job=job_on_leaving(participant.events.all()))
    if request.method == "POST" and form.is_valid():
        Participant.objects.filter(pk=participant.pk).update(
            employment_status_at_exit=form.cleaned_data["employment_status_at_exit"])
        record(request, Action.CHANGE, [participant.pk])
        messages.success(request, _("End form saved."))
        return redirect("participant-detail", pk=participant.pk)
    return render(request, "pathways/end_form.html", {"form": form, "participant": participant})


@login_required
@require_http_methods(["GET", "POST"])
def participant_erase(request, pk: int):
    participant = scoping.get_participant_for_user(request, pk, scoping.ERASE)
    if request.method == "POST" and not participant.is_erased:
        services.erase(request, participant)
        messages.success(request, _("The personal data of %(ref)s has been erased.")
                         % {"ref": participant.reference})
        return redirect(reverse("participant-detail", kwargs={"pk": participant.pk}))
    return render(request, "pathways/participant_erase.html", {"participant": participant})


# --- import -----------------------------------------------------------------------------------

def _may_write_somewhere(request) -> bool:
    return navigation(request)["may_import"]()


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request):
    """Upload participants or events (CSV or Excel); all rows are written or none."""
    if not _may_write_somewhere(request):
        raise PermissionDenied
    result, kind, error = None, request.POST.get("kind", "participants"), None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if kind not in ("participants", "events"):
            error = _("Choose what the file holds.")
        elif getattr(request, "upload_too_large", False):  # (uploads.LimitedUpload)
            error = _("The file is larger than %(mb)s MB.") % {
                "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        elif upload is None:
            error = _("Choose a file.")
        else:
            try:
                rows = importing.read_rows(upload.name, upload.read())
                importing.check_header(kind, rows)
            except importing.FileError as exc:
                error = str(exc)
            else:
                run = (importing.import_participants if kind == "participants"
                       else importing.import_events)
                result = run(request, rows)
                if result.ok:
                    messages.success(request, ngettext(
                        "%(created)s row imported, %(skipped)s already registered.",
                        "%(created)s rows imported, %(skipped)s already registered.",
                        result.created) % {"created": result.created,
                                           "skipped": result.skipped})
                    return redirect("import")
    return render(request, "pathways/import.html", {
        "result": result, "kind": kind, "error": error,
        "columns": [(_("participants"), importing.column_help("participants")),
                    (_("events"), importing.column_help("events"))],
    }, status=422 if (error or (result and not result.ok)) else 200)


@login_required
def import_template(request, kind: str, fmt: str):
    if kind not in ("participants", "events") or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(importing.template_csv(kind), content_type="text/csv")
    else:
        response = HttpResponse(
            importing.template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="brobygger-{kind}.{fmt}"'
    return response
