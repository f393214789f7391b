"""Who sees which lab scenarios and runs: the members of the organisation that owns them.

Built on the memberships of :mod:`brobygger.web.accounts.scoping`. A lab scenario is an
organisation's own analysis, so even the programme operator sees only its own. Something
outside the user's organisations is a 404; inside them, a role too weak to change it is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from brobygger.web.accounts.models import ROLE_RANK
from brobygger.web.accounts.scoping import CHANGE, VIEW, can, memberships
from brobygger.web.lab.models import LabScenario, Run
from brobygger.web.registry.models import Organisation


def _orgs(request) -> list[int]:
    return list(memberships(request.user))


def scenarios_for_user(request) -> QuerySet[LabScenario]:
    return LabScenario.objects.filter(organisation__in=_orgs(request)).select_related(
        "organisation", "created_by")


def runs_for_user(request) -> QuerySet[Run]:
    return Run.objects.filter(organisation__in=_orgs(request)).select_related(
        "organisation", "created_by", "scenario")


def get_scenario_for_user(request, pk: int, need: str = VIEW) -> LabScenario:
    scenario = scenarios_for_user(request).filter(pk=pk).first()
    if scenario is None:
        raise Http404
    if not can(request, need, {scenario.organisation_id}):
        raise PermissionDenied
    return scenario


def get_run_for_user(request, pk: int, need: str = VIEW) -> Run:
    run = runs_for_user(request).filter(pk=pk).first()
    if run is None:
        raise Http404
    if not can(request, need, {run.organisation_id}):
        raise PermissionDenied
    return run


def owning_organisation(request) -> Organisation | None:
    """The organisation a new scenario or run belongs to: the one where the user's role is
    strongest (at least caseworker), the first by id on a tie; None when there is none."""
    roles = memberships(request.user)
    allowed = [(-ROLE_RANK[role], org) for org, role in roles.items()
               if can(request, CHANGE, {org})]
    if not allowed:
        return None
    return Organisation.objects.get(pk=min(allowed)[1])
