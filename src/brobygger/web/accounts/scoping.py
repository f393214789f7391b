"""The scoping layer: every view and API endpoint fetches through these functions.

Who sees what:

- the programme operator (a member of an ``operator`` organisation, or a superuser) sees all;
- a member of a municipality, other actor or social enterprise sees the partnerships that
  organisation takes part in, and the participants of those partnerships;
- a member of a social enterprise sees its own enterprise page; enterprises of visible
  partnerships are visible too;
- nobody else sees anything.

Something outside a user's scope is a 404 (its existence is not revealed); something inside it
that the user's role may not change is a 403 (``PermissionDenied``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from brobygger.web.accounts.models import ROLE_RANK, Membership, Role
from brobygger.web.registry.models import Organisation, Partnership

VIEW, CHANGE, ERASE = "view", "change", "erase"
_NEEDED_RANK = {VIEW: ROLE_RANK[Role.READ_ONLY], CHANGE: ROLE_RANK[Role.CASEWORKER],
                ERASE: ROLE_RANK[Role.MANAGER]}


def _user(request_or_user):
    return getattr(request_or_user, "user", request_or_user)


def memberships(user) -> dict[int, str]:
    """organisation id -> role, cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_brobygger_memberships", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._brobygger_memberships = cached
    return cached


def operator_role(user) -> str | None:
    """The user's role over the whole programme, or None when not an operator."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.MANAGER
    cached = getattr(user, "_brobygger_operator_role", False)
    if cached is False:
        ops = Membership.objects.filter(
            user=user, organisation__kind=Organisation.Kind.OPERATOR
        ).values_list("role", flat=True)
        cached = max(ops, key=lambda r: ROLE_RANK[r], default=None)
        user._brobygger_operator_role = cached
    return cached


def is_operator(request_or_user) -> bool:
    return operator_role(_user(request_or_user)) is not None


def _best_role(user, organisation_ids, need: str = VIEW) -> str | None:
    """The user's strongest role among these organisations; the secretariat's role counts
    for every organisation, but not for erasure, which is the municipality's own decision
    (it is the data controller)."""
    op = operator_role(user) if need != ERASE else None
    roles = [r for org, r in memberships(user).items() if org in organisation_ids]
    if op:
        roles.append(op)
    return max(roles, key=lambda r: ROLE_RANK[r], default=None)


def _require(user, organisation_ids, need: str) -> None:
    """Called once the object is known to be visible: a missing or weak role is a 403."""
    role = _best_role(user, organisation_ids, need)
    if role is None or ROLE_RANK[role] < _NEEDED_RANK[need]:
        raise PermissionDenied


# --- partnerships -----------------------------------------------------------------------------

def partnerships_for_user(request_or_user) -> QuerySet[Partnership]:
    user = _user(request_or_user)
    qs = Partnership.objects.select_related("programme", "municipality", "other_actor",
                                              "social_enterprise")
    if is_operator(user):
        return qs
    orgs = list(memberships(user))
    return qs.filter(
        Q(municipality__in=orgs) | Q(other_actor__in=orgs) | Q(social_enterprise__in=orgs)
    )


def visible_partnerships(request_or_user) -> list[Partnership]:
    """``partnerships_for_user`` read once per request (cached on the user object like the
    memberships): the navigation and a page that lists the partnerships share one query."""
    user = _user(request_or_user)
    cached = getattr(user, "_brobygger_partnerships", None)
    if cached is None:
        cached = list(partnerships_for_user(user))
        user._brobygger_partnerships = cached
    return cached


def get_partnership_for_user(request_or_user, pk: int, need: str = VIEW) -> Partnership:
    user = _user(request_or_user)
    partnership = partnerships_for_user(user).filter(pk=pk).first()
    if partnership is None:
        raise Http404
    _require(user, partnership.organisation_ids, need)
    return partnership


# --- participants -----------------------------------------------------------------------------

def participants_for_user(request_or_user):
    from brobygger.web.pathways.models import Participant

    user = _user(request_or_user)
    qs = Participant.objects.select_related("partnership", "partnership__municipality")
    if is_operator(user):
        return qs
    return qs.filter(partnership__in=partnerships_for_user(user).values("pk"))


def get_participant_for_user(request_or_user, pk: int, need: str = VIEW):
    user = _user(request_or_user)
    participant = participants_for_user(user).filter(pk=pk).first()
    if participant is None:
        raise Http404
    partnership = participant.partnership
    if need == ERASE:  # erasure is the municipality's (the data controller's) decision
        _require(user, {partnership.municipality_id}, need)
    else:
        _require(user, partnership.organisation_ids, need)
    return participant


# --- accelerator enterprises ------------------------------------------------------------------

def enterprises_for_user(request_or_user) -> QuerySet[Organisation]:
    user = _user(request_or_user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.SOCIAL_ENTERPRISE)
    if is_operator(user):
        return qs
    orgs = list(memberships(user))
    in_partnerships = partnerships_for_user(user).values("social_enterprise")
    return qs.filter(Q(pk__in=orgs) | Q(pk__in=in_partnerships))


def get_enterprise_for_user(request_or_user, pk: int, need: str = VIEW) -> Organisation:
    user = _user(request_or_user)
    enterprise = enterprises_for_user(user).filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    if need != VIEW:  # only the enterprise itself (or the operator) reports its figures
        _require(user, {enterprise.pk}, need)
    return enterprise


def can(request_or_user, need: str, organisation_ids) -> bool:
    """For templates: show a button only when the action would be allowed."""
    role = _best_role(_user(request_or_user), set(organisation_ids), need)
    return role is not None and ROLE_RANK[role] >= _NEEDED_RANK[need]
