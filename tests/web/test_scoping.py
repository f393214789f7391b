"""The scoping layer, for any mix of memberships: a participant is visible exactly when the
user belongs to one of the three organisations of its partnership, or is an operator."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brobygger.web.accounts import scoping
from brobygger.web.accounts.models import Membership, Role
from brobygger.web.registry.models import Organisation

counter = itertools.count()
ROLES = st.sampled_from([Role.READ_ONLY, Role.CASEWORKER, Role.MANAGER])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.integers(0, 6), ROLES), max_size=4,
                      unique_by=lambda t: t[0]))
def test_visibility_follows_the_partnership_organisations(world, picks):
    orgs = list(Organisation.objects.order_by("pk"))
    user = get_user_model().objects.create_user(username=f"u{next(counter)}")
    for index, role in picks:
        Membership.objects.create(user=user, organisation=orgs[index], role=role)
    member_of = {orgs[i].pk for i, _ in picks}
    operator = any(orgs[i].kind == Organisation.Kind.OPERATOR for i, _ in picks)

    for participant in (world.participant_a, world.participant_b):
        ids = participant.partnership.organisation_ids
        expected = operator or bool(ids & member_of)
        visible = scoping.participants_for_user(user).filter(pk=participant.pk).exists()
        assert visible == expected
        if not expected:
            with pytest.raises(Http404):
                scoping.get_participant_for_user(user, participant.pk)
            continue
        roles = [r for i, r in picks if orgs[i].pk in ids or orgs[i].kind == "operator"]
        can_change = any(r != Role.READ_ONLY for r in roles)
        if can_change:
            scoping.get_participant_for_user(user, participant.pk, scoping.CHANGE)
        else:
            with pytest.raises(PermissionDenied):
                scoping.get_participant_for_user(user, participant.pk, scoping.CHANGE)


def test_an_inactive_operator_sees_nothing(world):
    world.operator.is_active = False
    world.operator.save()
    assert not scoping.participants_for_user(world.operator).filter(
        pk=world.participant_b.pk).exists()


def test_an_anonymous_user_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scoping.participants_for_user(AnonymousUser()).exists()
    assert not scoping.partnerships_for_user(AnonymousUser()).exists()
    assert not scoping.enterprises_for_user(AnonymousUser()).exists()


def test_an_inactive_caseworker_sees_nothing(world):
    world.owner.is_active = False
    world.owner.save()
    assert not scoping.participants_for_user(world.owner).exists()
