"""The scenario lab: change a scenario in the browser, see the core's simulation of it.

Every number comes from :mod:`brobygger.lab` (the core's ``simulate`` and its JSON); these
views only turn forms into lever values and results into pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brobygger.errors import BrobyggerError, Problem
from brobygger.lab import (
    BACKGROUND_BUDGET,
    base_data,
    base_inputs,
    check_lab,
    code_version,
    field_errors,
    lab_changes,
    run_lab,
    values_of,
)
from brobygger.scenario.load import shipped_scenario_names
from brobygger.web.accounts.scoping import CHANGE, can, memberships
from brobygger.web.lab.changes import change_rows
from brobygger.web.lab.charts import compare_figure, histogram_figure
from brobygger.web.lab.compare import compare_rows, payer_label
from brobygger.web.lab.forms import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    LabForm,
    SaveForm,
    draw_choices,
    initial_from,
    view_codes,
)
from brobygger.web.lab.models import LabScenario, Run
from brobygger.web.lab.scoping import (
    get_run_for_user,
    get_scenario_for_user,
    owning_organisation,
    runs_for_user,
    scenarios_for_user,
)
from brobygger.web.lab.worker import start_worker
from brobygger.web.problems import problem_message
from brobygger.web.registry.models import Organisation

DEFAULT_BASE = "default"
MAX_COMPARED = 6
COMPARE_DRAWS = 2_000


def _base_from(value: str | None) -> str:
    base = value or DEFAULT_BASE
    if base not in shipped_scenario_names():
        raise Http404
    return base


def _form(request: HttpRequest, data=None, initial=None) -> LabForm:
    source = data if data is not None else request.GET
    return LabForm(data, initial=initial, base=_base_from(source.get("base")))


def _attach(form: LabForm, exc: BrobyggerError, changes: list[dict[str, Any]]) -> None:
    """The core's problems next to the fields they belong to."""
    base = form.cleaned_data["base"]
    lab_level = [p for p in exc.problems if p.source == "lab"]
    for p in lab_level:
        form.add_error(form.field_for(p.location), problem_message(p))
    rest = [p for p in exc.problems if p.source != "lab"]
    for key, found in field_errors(rest, changes, base_data(base), problem_message).items():
        for message in found:
            form.add_error(form.field_for(key) if key else None, message)


def _changes(form: LabForm) -> list[dict[str, Any]]:
    return lab_changes(form.cleaned_data["base"], form.values(), form.cleaned_data["extra"])


def _evaluate(form: LabForm) -> tuple[list[dict[str, Any]] | None, dict[str, Any] | None]:
    """(changes, result) of a bound form; the result is None when there are errors."""
    if not form.is_valid():
        return None, None
    changes = _changes(form)
    try:
        result = run_lab(form.cleaned_data["base"], changes, form.cleaned_data["draws"],
                         form.cleaned_data["seed"])
    except BrobyggerError as exc:
        _attach(form, exc, changes)
        return changes, None
    return changes, result


def result_context(result: dict[str, Any] | None, view: str = "") -> dict[str, Any]:
    """The page's figures: the municipalities' net result together, or with ``view`` (a
    kommunekode of the scenario) that municipality's own."""
    if result is None:
        return {"result": None}
    shown = result["municipalities"].get(view) if view else None
    if shown is None:
        muni, hist, name = (result["net_result"]["municipality"],
                            result["histograms"]["municipality"], None)
    else:
        muni, hist, name = (shown["net_result"]["municipality"],
                            result["municipality_histograms"][view], shown["name"])
    return {
        "result": result,
        "muni": muni,
        "shown_name": name,
        "payers": [(payer_label(p), row) for p, row in result["net_result"].items()],
        "figure": histogram_figure(hist, muni, name),
    }


def _view(form: LabForm) -> str:
    if not form.is_valid():
        return ""
    return form.cleaned_data.get("view") or ""


def own_municipality(request: HttpRequest, base: str) -> str:
    """The kommunekode of the user's municipality when it is in the base scenario, else ""."""
    codes = set(view_codes(base))
    found = (Organisation.objects.filter(pk__in=memberships(request.user).keys(),
                                         kind=Organisation.Kind.MUNICIPALITY,
                                         municipality__code__in=codes)
             .order_by("pk").values_list("municipality__code", flat=True).first())
    return found or ""


def _page(request: HttpRequest, form: LabForm, result: dict[str, Any] | None,
          scenario: LabScenario | None = None, status: int = 200,
          save: SaveForm | None = None) -> HttpResponse:
    """The lab's page; ``save``, the save form as posted, to show why it was refused."""
    if save is None:
        save = SaveForm(initial={"name": scenario.name} if scenario else None)
    # no 'required' in the page: the name is needed only to save, not to update
    save.use_required_attribute = False
    return render(request, "lab/lab.html", {
        "form": form, "bases": shipped_scenario_names(), "scenario": scenario,
        "save_form": save,
        # saving and running are offered to those who may (a read-only user may try levers)
        "may_write": owning_organisation(request) is not None,
        **result_context(result, _view(form)),
    }, status=status)


@login_required
def lab(request: HttpRequest) -> HttpResponse:
    """GET: the form (a saved scenario's values with ?scenario=pk), the result loads by htmx.
    POST (without JavaScript): the form and its result on one page."""
    if request.method == "POST":
        form = _form(request, request.POST)
        _, result = _evaluate(form)
        return _page(request, form, result, status=200 if result else 400)
    scenario = None
    initial: dict[str, Any] = {"draws": DEFAULT_DRAWS, "seed": DEFAULT_SEED}
    if "scenario" in request.GET:
        try:
            pk = int(request.GET["scenario"])
        except ValueError:
            raise Http404 from None
        scenario = get_scenario_for_user(request, pk)
        initial["base"] = scenario.base
        initial.update(initial_from(base_inputs(scenario.base),
                                    values_of(base_data(scenario.base), scenario.changes)))
    base = _base_from(initial.get("base") or request.GET.get("base"))
    initial["view"] = own_municipality(request, base)
    form = LabForm(initial=initial, base=base)
    return _page(request, form, None, scenario)


@login_required
@require_POST
def lab_update(request: HttpRequest) -> HttpResponse:
    """The htmx answer to a change: the result, and every field's errors out of band."""
    form = _form(request, request.POST)
    _, result = _evaluate(form)
    return render(request, "lab/_update.html", {"form": form,
                                                **result_context(result, _view(form))})


@login_required
@require_POST
def lab_save(request: HttpRequest) -> HttpResponse:
    form = _form(request, request.POST)
    save = SaveForm(request.POST)
    organisation = owning_organisation(request)
    if organisation is None:
        raise PermissionDenied
    if not (form.is_valid() & save.is_valid()):
        return _page(request, form, None, status=400, save=save)
    changes = _changes(form)
    try:
        check_lab(form.cleaned_data["base"], changes, 1, form.cleaned_data["seed"])
    except BrobyggerError as exc:
        _attach(form, exc, changes)
        return _page(request, form, None, status=400)
    try:
        with transaction.atomic():
            scenario = LabScenario.objects.create(
                organisation=organisation, name=save.cleaned_data["name"],
                base=form.cleaned_data["base"], changes=changes, created_by=request.user)
    except IntegrityError:
        messages.error(request, _("%(org)s already has a scenario called %(name)s.") % {
            "org": organisation.name, "name": save.cleaned_data["name"]})
        return _page(request, form, None, status=400)
    messages.success(request, _("The scenario is saved."))
    return redirect("lab-scenario-detail", pk=scenario.pk)


@login_required
@require_GET
def scenario_list(request: HttpRequest) -> HttpResponse:
    return render(request, "lab/scenario_list.html", {
        "scenarios": scenarios_for_user(request), "draw_choices": draw_choices(),
        "compare_draws": COMPARE_DRAWS, "seed": DEFAULT_SEED,
    })


@login_required
@require_GET
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_scenario_for_user(request, pk)
    return render(request, "lab/scenario_detail.html", {
        "scenario": scenario, "changes": change_rows(scenario), "runs": scenario.runs.all()[:20],
        "draw_choices": draw_choices(100_000),
        "seed": DEFAULT_SEED,
        "can_change": can(request, CHANGE, {scenario.organisation_id}),
    })


@login_required
@require_http_methods(["GET", "POST"])
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting the scenario means, to confirm; POST: delete it."""
    scenario = get_scenario_for_user(request, pk, CHANGE)
    if request.method == "GET":
        return render(request, "lab/scenario_delete.html", {"scenario": scenario})
    scenario.delete()
    messages.success(request, _("The scenario is deleted."))
    return redirect("lab-scenarios")


def _int(value: str | None, default: int, lo: int, hi: int, name: str) -> int:
    if value in (None, ""):
        return default
    try:
        whole = int(value)
    except ValueError:
        raise BrobyggerError(Problem("", name, _("%(value)s is not a whole number") % {
            "value": repr(value)})) from None
    if not lo <= whole <= hi:
        raise BrobyggerError(Problem("", name, _("must be from %(lo)s to %(hi)s, got "
                                                 "%(number)s") % {
            "lo": number_format(lo), "hi": number_format(hi), "number": number_format(whole)}))
    return whole


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Two or more saved scenarios run with one seed (common random numbers), side by side."""
    try:
        ids = [int(i) for i in request.GET.getlist("ids")]
    except ValueError:
        raise Http404 from None
    ids = list(dict.fromkeys(ids))
    scenarios = [get_scenario_for_user(request, pk) for pk in ids]
    problems: list[str] = []
    if not 2 <= len(scenarios) <= MAX_COMPARED:
        problems.append(_("Choose from 2 to %(n)d scenarios to compare.") % {"n": MAX_COMPARED})
    try:
        draws = _int(request.GET.get("draws"), COMPARE_DRAWS, 1, 10_000, "draws")
        seed = _int(request.GET.get("seed"), DEFAULT_SEED, 0, 2**31 - 1, "seed")
    except BrobyggerError as exc:
        problems += [f"{p.location}: {problem_message(p)}" for p in exc.problems]
        draws, seed = COMPARE_DRAWS, DEFAULT_SEED
    results: list[dict[str, Any] | None] = []
    errors: list[str] = []
    if not problems:
        for s in scenarios:
            try:
                results.append(run_lab(s.base, s.changes, draws, seed))
                errors.append("")
            except BrobyggerError as exc:
                results.append(None)
                errors.append("; ".join(problem_message(p) for p in exc.problems))
    rows = compare_rows(results) if results else []
    figure = compare_figure([s.name for s in scenarios],
                            [r["net_result"]["municipality"] if r else None for r in results]
                            ) if any(results) else None
    return render(request, "lab/compare.html", {
        "scenarios": scenarios, "columns": list(zip(scenarios, errors, strict=False)),
        "rows": rows, "draws": draws, "seed": seed, "problems": problems, "figure": figure,
        "horizon_start": next((r["horizon_start"] for r in results if r), ""),
    }, status=400 if problems else 200)


# --- background runs --------------------------------------------------------------------------

def _queue(request: HttpRequest, organisation, *, base: str, changes: list[dict[str, Any]],
           draws: int, seed: int, scenario: LabScenario | None = None,
           rerun_of: Run | None = None, label: str = "") -> Run:
    version = code_version()
    run = Run.objects.create(
        organisation=organisation, scenario=scenario, label=label, base=base, changes=changes,
        draws=draws, seed=seed, version=version["version"], commit=version["commit"],
        rerun_of=rerun_of, created_by=request.user)
    transaction.on_commit(start_worker)
    return run


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    """Queue a run: the lab form's current values, or a saved scenario (``scenario=pk``)."""
    if "scenario" in request.POST:
        try:
            pk = int(request.POST["scenario"])
        except ValueError:
            raise Http404 from None
        scenario = get_scenario_for_user(request, pk, CHANGE)
        try:
            draws = _int(request.POST.get("draws"), 1_000, 1, 100_000, "draws")
            seed = _int(request.POST.get("seed"), DEFAULT_SEED, 0, 2**31 - 1, "seed")
            check_lab(scenario.base, scenario.changes, draws, seed, budget=BACKGROUND_BUDGET)
        except BrobyggerError as exc:
            for p in exc.problems:
                messages.error(request, f"{p.location}: {problem_message(p)}" if p.location
                               else problem_message(p))
            return redirect("lab-scenario-detail", pk=scenario.pk)
        run = _queue(request, scenario.organisation, base=scenario.base,
                     changes=scenario.changes, draws=draws, seed=seed, scenario=scenario,
                     label=scenario.name)
        return redirect("lab-run-detail", pk=run.pk)
    form = _form(request, request.POST)
    organisation = owning_organisation(request)
    if organisation is None:
        raise PermissionDenied
    if not form.is_valid():
        return _page(request, form, None, status=400)
    changes = _changes(form)
    base, draws, seed = (form.cleaned_data[k] for k in ("base", "draws", "seed"))
    try:
        check_lab(base, changes, draws, seed, budget=BACKGROUND_BUDGET)
    except BrobyggerError as exc:
        _attach(form, exc, changes)
        return _page(request, form, None, status=400)
    run = _queue(request, organisation, base=base, changes=changes, draws=draws, seed=seed,
                 label=request.POST.get("name", "")[:200])
    return redirect("lab-run-detail", pk=run.pk)


@login_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    return render(request, "lab/run_list.html", {"runs": runs_for_user(request)[:100]})


def _run_context(run: Run) -> dict[str, Any]:
    original = run.rerun_of
    same = None
    if original is not None and run.status == Run.Status.DONE and original.result is not None:
        same = original.result == run.result
    return {"run": run, "same_as_original": same, **result_context(run.result)}


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run_for_user(request, pk)
    return render(request, "lab/run_detail.html", {
        **_run_context(run), "current": code_version()})


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by htmx while the run is under way; once finished, the page reloads."""
    run = get_run_for_user(request, pk)
    response = render(request, "lab/_run_progress.html", {"run": run})
    if run.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """The same inputs (base, changes, draws, seed) again, with the code as it is now."""
    run = get_run_for_user(request, pk, CHANGE)
    again = _queue(request, run.organisation, base=run.base, changes=run.changes,
                   draws=run.draws, seed=run.seed, scenario=run.scenario, rerun_of=run,
                   label=run.label)
    return redirect(reverse("lab-run-detail", kwargs={"pk": again.pk}))
