"""Django set-up for the web tests, and the little world every test lives in.

The world has two municipalities, each in one partnership with its own other actor and social
enterprise, and these personas:

- ``owner``: caseworker at Jobcenter A (the participant's municipality)
- ``colleague``: read-only colleague in the same jobcentre
- ``manager``: manager at Jobcenter A (may erase)
- ``outsider``: caseworker at Jobcenter B, another municipality
- ``actor``: caseworker at partnership A's other actor
- ``enterprise``: caseworker at partnership A's social enterprise
- ``operator``: manager in the programme secretariat
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobygger.web.settings")
os.environ.setdefault("DEBUG", "1")  # development defaults for keys; tests run with DEBUG off
os.environ.setdefault("BROBYGGER_VAR_DIR", tempfile.mkdtemp(prefix="brobygger-web-tests-"))

import django

django.setup()

from django.conf import settings  # noqa: E402

# hashing is slow on purpose; the tests create many users
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

import pytest  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from brobygger.cpr import parse_cpr  # noqa: E402
from brobygger.web.accounts.models import Membership, Role  # noqa: E402
from brobygger.web.forecast import services  # noqa: E402
from brobygger.web.pathways.cpr import store_cpr  # noqa: E402
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent  # noqa: E402
from brobygger.web.registry.contracts import read_contract  # noqa: E402
from brobygger.web.registry.models import (  # noqa: E402
    Contract,
    Municipality,
    Organisation,
    Partnership,
    Programme,
    Target,
)

#: fictitious CPR numbers used throughout (valid dates; modulus 11 is not required)
CPR_A = "0102901234"  # 1 Feb 1990, female
CPR_B = "1511854321"  # 15 Nov 1985, male
CPR_NEW = "2307921118"


@dataclass
class World:
    municipality_a: Organisation
    municipality_b: Organisation
    actor_a: Organisation
    enterprise_a: Organisation
    enterprise_b: Organisation
    partnership_a: Partnership
    partnership_b: Partnership
    participant_a: Participant
    participant_b: Participant
    owner: object
    colleague: object
    manager: object
    outsider: object
    actor: object
    enterprise: object
    operator: object

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(self, persona))
        return client


def make_participant(partnership, cpr: str, by, referred_on=dt.date(2019, 3, 1), name="Test"):
    p = Participant(
        partnership=partnership, name=name, benefit_type="kontanthjaelp",
        weeks_on_benefit_at_entry=60, employment_status_at_entry="long_term_unemployed",
        education="isced_1_2", created_by=by,
    )
    store_cpr(p, parse_cpr(cpr), entry_date=referred_on)
    p.save()
    PathwayEvent.objects.create(participant=p, kind=EventKind.REFERRAL, occurred_on=referred_on,
                                registered_by=by)
    return p


@pytest.fixture
def world(db) -> World:
    User = get_user_model()
    ma = Municipality.objects.create(code="101", name="København", region="Hovedstaden")
    mb = Municipality.objects.create(code="751", name="Aarhus", region="Midtjylland")
    kinds = Organisation.Kind
    jc_a = Organisation.objects.create(name="Jobcenter A", kind=kinds.MUNICIPALITY, municipality=ma)
    jc_b = Organisation.objects.create(name="Jobcenter B", kind=kinds.MUNICIPALITY, municipality=mb)
    actor_a = Organisation.objects.create(name="Aktør A", kind=kinds.OTHER_ACTOR)
    actor_b = Organisation.objects.create(name="Aktør B", kind=kinds.OTHER_ACTOR)
    se_a = Organisation.objects.create(name="Café A", kind=kinds.SOCIAL_ENTERPRISE)
    se_b = Organisation.objects.create(name="Café B", kind=kinds.SOCIAL_ENTERPRISE)
    op = Organisation.objects.create(name="Sekretariatet", kind=kinds.OPERATOR)
    programme = Programme.objects.create(name="P", starts_on=dt.date(2018, 1, 1),
                                         ends_on=dt.date(2022, 12, 31), eligible_costs=1,
                                         esf_share="0.5")
    pa = Partnership.objects.create(programme=programme, name="A", municipality=jc_a,
                                    other_actor=actor_a, social_enterprise=se_a,
                                    starts_on=dt.date(2018, 1, 1))
    pb = Partnership.objects.create(programme=programme, name="B", municipality=jc_b,
                                    other_actor=actor_b, social_enterprise=se_b,
                                    starts_on=dt.date(2018, 1, 1))

    def person(username: str, org: Organisation, role: Role):
        user = User.objects.create_user(username=username, password="a-long-test-password")
        Membership.objects.create(user=user, organisation=org, role=role)
        return user

    owner = person("owner", jc_a, Role.CASEWORKER)
    outsider = person("outsider", jc_b, Role.CASEWORKER)
    return World(
        municipality_a=jc_a, municipality_b=jc_b, actor_a=actor_a, enterprise_a=se_a,
        enterprise_b=se_b, partnership_a=pa, partnership_b=pb,
        participant_a=make_participant(pa, CPR_A, owner, name="Anna Andersen"),
        participant_b=make_participant(pb, CPR_B, outsider, name="Bo Bentsen"),
        owner=owner,
        colleague=person("colleague", jc_a, Role.READ_ONLY),
        manager=person("manager", jc_a, Role.MANAGER),
        outsider=outsider,
        actor=person("actor", actor_a, Role.CASEWORKER),
        enterprise=person("enterprise", se_a, Role.CASEWORKER),
        operator=person("operator", op, Role.MANAGER),
    )


def masked(cpr: str) -> str:
    return f"{cpr[:6]}-XXXX"


def cpr_forms(cpr: str) -> list[str]:
    """The ways a CPR number could leak: with and without the dash, and its last four digits
    next to the birth date."""
    return [cpr, f"{cpr[:6]}-{cpr[6:]}", f"{cpr[:6]} {cpr[6:]}"]


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium for the end-to-end tests (tests/web/browser.py)."""
    from tests.web.browser import open_browser

    with open_browser(tmp_path) as b:
        yield b


#: the live forecast's draws and seed in the tests (few: the figures are compared, not judged)
DRAWS, SEED = 48, 5


@pytest.fixture
def live(world, settings, tmp_path):
    """The world with a contract, targets, a course and a hire, and a private VAR_DIR."""
    settings.VAR_DIR = tmp_path
    settings.BROBYGGER_FORECAST_DRAWS = DRAWS
    settings.BROBYGGER_FORECAST_SEED = SEED
    services._MEMO.clear()
    programme = world.partnership_a.programme
    spec = read_contract()
    contract = Contract.objects.create(programme=programme, code=spec["id"], label="rate card",
                                       spec=spec)
    for p in (world.partnership_a, world.partnership_b):
        p.contract = contract
        p.save()
    Target.objects.create(programme=programme, code="3B.1", label="course starts", value=148)
    Target.objects.create(programme=programme, code="3B.3", label="accelerator jobs", value=72)
    a = world.participant_a
    for kind, day, extra in [
        (EventKind.INDUCTION_START, dt.date(2019, 4, 2), {}),
        (EventKind.INDUCTION_COMPLETION, dt.date(2019, 9, 30), {}),
        (EventKind.EMPLOYMENT_START, dt.date(2019, 11, 4),
         {"employer": world.enterprise_a, "hours_per_week": 25, "monthly_wage": 18000}),
    ]:
        PathwayEvent.objects.create(participant=a, kind=kind, occurred_on=day,
                                    registered_by=world.owner, **extra)
    yield world
    services._MEMO.clear()
