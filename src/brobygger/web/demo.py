"""A synthetic programme shaped like the seed ("Social inklusion gennem vækstpartnerskaber"):
12 municipalities, 12 other actors, 18 social enterprises and partnerships, ~148 participants
with pathways over 2018-2022, growth figures, and demo users for every role.

All CPR numbers are made up and the participants are marked ``fictitious``. Every event goes
through the same rules as the screens (``pathways.timeline.problems_with``).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from brobygger.cpr import age_band, parse_cpr
from brobygger.web.accelerator.models import Enrolment, GrowthFigure, Milestone
from brobygger.web.accounts.models import Membership, Role
from brobygger.web.lib.cvr import make_cvr
from brobygger.web.pathways.cpr import store_cpr
from brobygger.web.pathways.models import (
    BenefitType,
    EmploymentStatus,
    EventKind,
    Isced,
    Participant,
    PathwayEvent,
    SubsidyType,
)
from brobygger.web.pathways.timeline import problems_with
from brobygger.web.registry.management.commands.loadmunicipalities import load_municipalities
from brobygger.web.registry.models import (
    Contract,
    InvestorAgreement,
    Municipality,
    Organisation,
    Partnership,
    Programme,
    Target,
)

PROGRAMME_NAME = "Social inklusion gennem vækstpartnerskaber"
PASSWORD = "brobygger-demo"
START, END = dt.date(2018, 2, 6), dt.date(2022, 9, 30)
#: the seed's geography, as the shipped default scenario has it (Hovedstaden with Bornholm,
#: Syddanmark, Midtjylland, Nordjylland): the demo's business case and lab then cover the
#: same municipalities as its registry
MUNICIPALITY_CODES = ["101", "147", "400", "461", "479", "540", "561", "630", "730", "751",
                      "851", "860"]
TARGETS = [
    ("3B.1", "Påbegyndt indslusningsforløb", 148), ("3B.2", "Gennemført indslusningsforløb", 110),
    ("3B.3", "Ansat i acceleratorvirksomhederne", 72), ("3B.4", "Ansat i andre virksomheder", 11),
    ("places", "Uddannelses- og praktikpladser etableret", 90),
    ("ordinary_hires", "Ordinært ledige ansat", 36),
    ("partnerships", "Partnerskabscases", 18),
]
ENTERPRISE_TRADES = ["Café", "Cykelværksted", "Genbrug", "Catering", "Gartneri", "Vaskeri",
                     "Rengøring", "Trykkeri", "Bageri", "Tømrer", "Kantine", "Møbelværksted",
                     "Webbureau", "Ølbryggeri", "Flyttefirma", "Hotel", "Landbrug", "Butik"]
FIRST_NAMES = {"female": ["Anne", "Mette", "Sofie", "Fatima", "Line", "Maja", "Hanne", "Ida"],
               "male": ["Jens", "Mads", "Ali", "Peter", "Lars", "Kasper", "Omar", "Søren"]}
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Demir", "Holm"]


def slug(text: str) -> str:
    """'Café København' -> 'cafe-koebenhavn' (user names are plain ASCII)."""
    text = text.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), (" ", "-")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text if c.isalnum() or c == "-")


@dataclass
class DemoResult:
    programme: Programme
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, what they are)
    participants: int = 0
    events: int = 0
    warnings: list[str] = field(default_factory=list)


class _Cvr:
    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set(Organisation.objects.values_list("cvr", flat=True))

    def __call__(self) -> str:
        while True:
            try:
                cvr = make_cvr(self.rng.randrange(1_000_000, 9_999_999))
            except ValueError:
                continue
            if cvr not in self.used:
                self.used.add(cvr)
                return cvr


def _fake_cpr(rng: random.Random, used: set[str]):
    while True:
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        gender_digit = rng.randrange(10)
        digits = f"{born:%d%m%y}{rng.randrange(0, 4)}{rng.randrange(100):02d}{gender_digit}"
        if digits not in used:
            used.add(digits)
            return parse_cpr(digits)


def _clip(day: dt.date, last: dt.date) -> dt.date | None:
    return day if day <= last else None


def _pathway(rng: random.Random, referred: dt.date, last: dt.date, enterprise, other_employer):
    """The events (kind, date, extra fields) of one synthetic participant."""
    steps: list[tuple[str, dt.date, dict]] = [(EventKind.REFERRAL, referred, {})]

    def after(day: dt.date, lo: int, hi: int) -> dt.date | None:
        return _clip(day + dt.timedelta(days=rng.randint(lo, hi)), last)

    start = after(referred, 7, 30)
    if start is None:
        return steps
    steps.append((EventKind.INDUCTION_START, start, {}))
    if rng.random() > 110 / 148:
        if (day := after(start, 20, 90)) is not None:
            steps.append((EventKind.DROPOUT, day, {}))
        return steps
    done = after(start, 90, 200)
    if done is None:
        return steps
    steps.append((EventKind.INDUCTION_COMPLETION, done, {}))
    roll = rng.random()
    if roll < 72 / 110 or roll < 83 / 110:
        employer = enterprise if roll < 72 / 110 else other_employer
        hired = after(done, 10, 120)
        if hired is None:
            return steps
        hours = Decimal(rng.choice([15, 20, 25, 30, 37]))
        steps.append((EventKind.EMPLOYMENT_START, hired, {
            "employer": employer, "hours_per_week": hours,
            "monthly_wage": (hours * Decimal("4.33") * Decimal("125.25")).quantize(Decimal("1")),
            "subsidy_type": rng.choices(
                [SubsidyType.NONE, SubsidyType.LOENTILSKUD, SubsidyType.FLEKSJOB], [5, 3, 2])[0],
        }))
        if rng.random() < 0.3 and (ended := after(hired, 90, 540)) is not None:
            steps.append((EventKind.EMPLOYMENT_END, ended, {}))
    elif roll < 93 / 110 and (day := after(done, 20, 150)) is not None:
        steps.append((rng.choice([EventKind.EDUCATION_START, EventKind.INTERNSHIP_START]), day, {}))
    if rng.random() < 0.05 and (day := after(steps[-1][1], 30, 300)) is not None:
        steps.append((EventKind.EXIT, day, {}))
    return steps


MAIN_LOGINS = [
    ("operator", "programme operator: sees everything, Django admin"),
    ("koebenhavn-sagsbehandler", "caseworker, Jobcenter København"),
    ("koebenhavn-leder", "manager, Jobcenter København (may erase)"),
    ("koebenhavn-laeser", "read-only, Jobcenter København"),
    ("aktoer-koebenhavn", "other actor in København"),
    ("virksomhed-cafe", "social enterprise Café København ApS"),
    ("frederiksberg-sagsbehandler", "caseworker in another municipality"),
    ("investor", "investor Socialinvest Fonden: its pre-financing and return"),
]


def logins_text() -> str:
    width = max(len(u) for u, _ in MAIN_LOGINS)
    lines = [f"Demo logins (password for all: {PASSWORD}):"]
    lines += [f"  {u:<{width}}  {note}" for u, note in MAIN_LOGINS]
    return "\n".join(lines)


def demo_present() -> bool:
    return Programme.objects.filter(name=PROGRAMME_NAME).exists()


@transaction.atomic
def seed_demo(*, participants: int = 148, seed: int = 2018,
              today: dt.date | None = None) -> DemoResult:
    if demo_present():
        raise ValueError("the demo programme is already in this database")
    today = today or dt.date.today()
    last = min(END, today)
    rng = random.Random(seed)
    load_municipalities()
    cvr = _Cvr(rng)
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
    result = DemoResult(Programme.objects.create(
        name=PROGRAMME_NAME, starts_on=START, ends_on=END,
        eligible_costs=Decimal("34152809"), esf_share=Decimal("0.5"),
    ))
    Target.objects.bulk_create([Target(programme=result.programme, code=c, label=label, value=v)
                                for c, label, v in TARGETS])

    def user(username: str, org: Organisation, role: Role, note: str | None = None):
        u = User.objects.create(username=username, password=password,
                                first_name=role.label.capitalize(), last_name=org.name)
        Membership.objects.create(user=u, organisation=org, role=role)
        if note:
            result.logins.append((username, note))
        return u

    operator = Organisation.objects.create(name="Programsekretariatet", cvr=cvr(),
                                           kind=Organisation.Kind.OPERATOR)
    op_user = user("operator", operator, Role.MANAGER, "programme operator: sees everything")
    op_user.is_staff = op_user.is_superuser = True  # the operator also uses the Django admin
    op_user.save(update_fields=["is_staff", "is_superuser"])
    jobcentres, actors, enterprises = [], [], []
    writers: dict[int, object] = {}
    for i, code in enumerate(MUNICIPALITY_CODES):
        m = Municipality.objects.get(code=code)
        s = slug(m.name)
        jc = Organisation.objects.create(name=f"Jobcenter {m.name}", cvr=cvr(), municipality=m,
                                         kind=Organisation.Kind.MUNICIPALITY)
        first = i == 0
        writers[jc.pk] = user(f"{s}-sagsbehandler", jc, Role.CASEWORKER,
                              f"caseworker, Jobcenter {m.name}" if i < 2 else None)
        user(f"{s}-leder", jc, Role.MANAGER, f"manager, Jobcenter {m.name}" if first else None)
        user(f"{s}-laeser", jc, Role.READ_ONLY, f"read-only, Jobcenter {m.name}" if first else None)
        aa = Organisation.objects.create(name=f"Aktørhuset {m.name}", cvr=cvr(), municipality=m,
                                         kind=Organisation.Kind.OTHER_ACTOR)
        writers[aa.pk] = user(f"aktoer-{s}", aa, Role.CASEWORKER,
                              f"other actor in {m.name}" if first else None)
        jobcentres.append(jc)
        actors.append(aa)
    for i, trade in enumerate(ENTERPRISE_TRADES):
        m = jobcentres[i % 12].municipality
        se = Organisation.objects.create(name=f"{trade} {m.name} ApS", cvr=cvr(), municipality=m,
                                         kind=Organisation.Kind.SOCIAL_ENTERPRISE)
        writers[se.pk] = user(f"virksomhed-{slug(trade)}", se, Role.CASEWORKER,
                              f"social enterprise {se.name}" if i == 0 else None)
        enterprises.append(se)
    employers = [Organisation.objects.create(name=name, cvr=cvr(), kind=Organisation.Kind.EMPLOYER)
                 for name in ("Netto", "Danish Crown", "Region Syddanmark")]

    partnerships = []
    for i, se in enumerate(enterprises):
        jc, aa = jobcentres[i % 12], actors[i % 12]
        partnerships.append(Partnership.objects.create(
            programme=result.programme, name=f"{jc.municipality.name} × {se.name}",
            municipality=jc, other_actor=aa, social_enterprise=se,
            starts_on=START + dt.timedelta(days=60 * (i // 12)), ends_on=END,
        ))

    try:  # the rate card of the shipped default scenario, as the core reads it
        from brobygger.web.registry.contracts import read_contract

        spec = read_contract()
    except Exception as exc:  # the demo still works without it; say why
        result.warnings.append(f"no contract attached: {exc}")
    else:
        contract = Contract.objects.create(programme=result.programme, code=spec["id"],
                                           label=spec["label"], spec=spec)
        Partnership.objects.filter(programme=result.programme).update(contract=contract)
        # an investor pre-finances the first two other actors' start
        fund = Organisation.objects.create(name="Socialinvest Fonden", cvr=cvr(),
                                           kind=Organisation.Kind.INVESTOR)
        user("investor", fund, Role.READ_ONLY, "investor Socialinvest Fonden")
        InvestorAgreement.objects.create(contract=contract, investor=fund, terms={
            "drawdowns": [{"month": "2018-04", "amount": 250000,
                           "provider": f"other_actor:{aa.pk}"} for aa in actors[:2]],
            "share_of_payments": 0.5, "return_rate": 0.04, "success_fee_share": 0.1})

    used: set[str] = set()
    for n in range(participants):
        ps = partnerships[n % len(partnerships)]
        referred = dt.date(2018, 4, 1) + dt.timedelta(days=rng.randrange(0, 365 * 3))
        if referred > last:
            referred = last
        cpr = _fake_cpr(rng, used)
        p = Participant(
            partnership=ps, fictitious=True,
            name=f"{rng.choice(FIRST_NAMES[cpr.gender])} {rng.choice(LAST_NAMES)}",
            benefit_type=rng.choices(
                [BenefitType.KONTANTHJAELP, BenefitType.UDDANNELSESHJAELP,
                 BenefitType.RESSOURCEFORLOEB], [6, 2, 2])[0],
            weeks_on_benefit_at_entry=rng.randint(26, 520),
            employment_status_at_entry=EmploymentStatus.LONG_TERM_UNEMPLOYED,
            education=rng.choices([Isced.ISCED_1_2, Isced.ISCED_3_4, Isced.ISCED_5_8],
                                  [6, 3, 1])[0],
            migrant_background=rng.random() < 0.3, disability=rng.random() < 0.15,
            other_disadvantage=rng.random() < 0.5, consent_given_on=referred,
            created_by=writers[ps.municipality_id],
        )
        store_cpr(p, cpr, entry_date=referred)
        assert p.age_band_at_entry == age_band(cpr.birth_date, referred)
        p.save()
        result.participants += 1
        saved: list[PathwayEvent] = []
        for kind, day, extra in _pathway(rng, referred, last, ps.social_enterprise,
                                         rng.choice(employers)):
            by = writers[ps.municipality_id]
            if kind in (EventKind.INDUCTION_START, EventKind.INDUCTION_COMPLETION,
                        EventKind.DROPOUT):
                by = writers[ps.other_actor_id]
            elif extra.get("employer") == ps.social_enterprise:
                by = writers[ps.social_enterprise_id]
            event = PathwayEvent(participant=p, kind=kind, occurred_on=day, registered_by=by,
                                 source="demo", **extra)
            problems = problems_with(event, saved, today=today)
            assert not problems, (kind, day, problems)
            event.save()
            saved.append(event)
        result.events += len(saved)

    for i, se in enumerate(enterprises):
        cohort_start = dt.date(2018, 9, 1) if i < 9 else dt.date(2019, 9, 1)
        enrolment = Enrolment.objects.create(
            enterprise=se, cohort=f"Hold {1 if i < 9 else 2}", starts_on=cohort_start,
            ends_on=cohort_start + dt.timedelta(days=365),
        )
        for k, name in enumerate(["Forretningsplan", "Første inklusionsansættelse",
                                  "Bestyrelse med socialt formål", "Omsætningsmål nået"]):
            due = cohort_start + dt.timedelta(days=90 * (k + 1))
            Milestone.objects.create(
                enrolment=enrolment, name=name, due_on=due,
                achieved_on=due + dt.timedelta(days=rng.randint(-20, 60))
                if rng.random() < 0.8 and due < last else None,
            )
        revenue = Decimal(rng.randint(800, 4000)) * 1000
        fte = Decimal(rng.randint(3, 15))
        for year in range(2018, min(END.year, last.year) + 1):
            GrowthFigure.objects.create(
                enterprise=se, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                revenue=revenue, fte=fte, education_places=rng.randint(0, 2),
                internship_places=rng.randint(0, 3), ordinary_hires=rng.randint(0, 2),
                vulnerable_hires=rng.randint(0, 4), registered_by=writers[se.pk],
            )
            revenue = (revenue * Decimal(1 + rng.uniform(0.0, 0.25))).quantize(Decimal("1"))
            fte = fte + rng.randint(0, 3)
    return result
