"""Hand-worked business cases: one citizen, deterministic paths, round test parameters.

Test parameters (tests/fixtures/params_simple): benefit 10,000 kr a month in 2020 and
12,000 kr from 2021-01-01; personfradrag 48,000 a year (4,000 a month); bundskat 10 %;
kommuneskat 25 % in municipality 101; AM-bidrag 8 %; beskæftigelsesfradrag 10 % (max 3,000 a
month); refund staircase 80/40/30/20 % by weeks 1–4, 5–26, 27–52, over 52. The horizon is
July 2020 to December 2021, so every case crosses the rate change on 2021-01-01.
"""

from __future__ import annotations

import numpy as np
import pytest

from brobygger.economics.business_case import expect
from brobygger.economics.rates import WEEKS_PER_MONTH
from tests.builders import deterministic_path, scenario, simple_params

JAN_2021 = 6  # month index of 2021-01 in a horizon starting 2020-07


@pytest.fixture(scope="module")
def params():
    return simple_params()


def test_a_citizen_on_benefit_who_never_moves_costs_the_same_in_both_worlds(params):
    """Long-term recipient (156 weeks: 20 % refund), benefit B, taxable above 4,000 a month.

    2020: municipality 10,000 × 0.8 − 25 % × (10,000 − 4,000) = 8,000 − 1,500 = 6,500;
          state 10,000 × 0.2 − 10 % × 6,000 = 2,000 − 600 = 1,400.
    2021: municipality 12,000 × 0.8 − 25 % × 8,000 = 9,600 − 2,000 = 7,600;
          state 12,000 × 0.2 − 10 % × 8,000 = 2,400 − 800 = 1,600.
    Savings 0 every month: the programme changes nothing and costs nothing.
    """
    bc = expect(scenario(), params)
    muni = bc.cost("programme", "municipality", "101")
    state = bc.cost("programme", "state", "101")
    np.testing.assert_allclose(muni[:JAN_2021], 6500)
    np.testing.assert_allclose(muni[JAN_2021:], 7600)
    np.testing.assert_allclose(state[:JAN_2021], 1400)
    np.testing.assert_allclose(state[JAN_2021:], 1600)
    for payer in ("municipality", "state"):
        np.testing.assert_allclose(bc.total(payer).net, 0.0, atol=1e-9)


def test_a_citizen_who_takes_a_job_in_month_4_and_keeps_it_saves_benefit_and_pays_tax(params):
    """Job: 30 h × 100 kr × 52/12 = 13,000 kr a month.

    AM-bidrag 8 % = 1,040 (state); personal income 11,960; bundskat 10 % × (11,960 − 4,000)
    = 796 (state); beskæftigelsesfradrag 10 % × 13,000 = 1,300, so kommuneskat 25 % ×
    (11,960 − 1,300 − 4,000) = 1,665 (municipality).
    From month 4 on, the programme world costs the municipality −1,665 and the state
    −1,836 a month; the counterfactual stays on benefit (6,500 / 1,400 in 2020, 7,600 /
    1,600 in 2021). Savings: municipality 8,165 then 9,265; state 3,236 then 3,436.
    """
    path = deterministic_path(["benefit", "benefit", "benefit", "benefit", "job_other"])
    bc = expect(scenario({"pathways.programme": path}), params)
    muni = bc.total("municipality").savings
    state = bc.total("state").savings
    np.testing.assert_allclose(muni[:4], 0.0, atol=1e-9)
    np.testing.assert_allclose(muni[4:JAN_2021], 8165)
    np.testing.assert_allclose(muni[JAN_2021:], 9265)
    np.testing.assert_allclose(state[4:JAN_2021], 3236)
    np.testing.assert_allclose(state[JAN_2021:], 3436)


def _first_month_rate(b: int) -> float:
    """Staircase averaged over the weeks of the (b+1)-th month on support."""
    lo, hi = b * WEEKS_PER_MONTH, (b + 1) * WEEKS_PER_MONTH
    bands = [(0, 4, 0.8), (4, 26, 0.4), (26, 52, 0.3), (52, 1e9, 0.2)]
    weighted = sum(max(0.0, min(hi, top) - max(lo, bottom)) * r for bottom, top, r in bands)
    return weighted / WEEKS_PER_MONTH


def test_a_job_that_ends_sends_the_citizen_back_up_the_staircase_where_they_left_it(params):
    """A new recipient (0 weeks at entry): 3 months on benefit, 6 months in a job, back.

    Months on support before each benefit month: 0, 1, 2, then (after the job, which is
    self-support for fewer than 52 weeks, so the count does not restart) 3, 4, …
    The first month's refund is 4 weeks at 80 % and 1/3 week at 40 %: 76.92 %; the month
    after the job is weeks 13–17⅓, all at 40 %. The municipality's cost of that month in
    2021 is 12,000 × (1 − 0.4) − 2,000 = 5,200.
    """
    path = deterministic_path(["benefit"] * 3 + ["job_other"] * 6 + ["benefit"])
    sc = scenario({"pathways.programme": path, "profiles.p.weeks_on_benefit_at_entry": 0})
    bc = expect(sc, params)
    muni = bc.cost("programme", "municipality", "101")
    assert _first_month_rate(0) == pytest.approx((4 * 0.8 + (52 / 12 - 4) * 0.4) / (52 / 12))
    assert muni[0] == pytest.approx(10000 * (1 - _first_month_rate(0)) - 1500)
    assert muni[2] == pytest.approx(10000 * (1 - _first_month_rate(2)) - 1500)
    assert muni[9] == pytest.approx(12000 * (1 - 0.4) - 2000)  # 2021-04, 4th month on support
    assert muni[10] == pytest.approx(12000 * (1 - _first_month_rate(4)) - 2000)


def test_a_year_of_self_support_restarts_the_staircase(params):
    """Long-term recipient (20 %) works 12 months: 52 weeks of self-support (§ 6).

    Back on benefit in 2021-08 (month 13), the count has restarted: the first month is
    refunded at 76.92 %, so the municipality pays 12,000 × (1 − 0.7692) − 2,000.
    With 11 months in the job the count carries on at 20 %.
    """
    restart = deterministic_path(["benefit"] + ["job_other"] * 12 + ["benefit"])
    carry = deterministic_path(["benefit"] + ["job_other"] * 11 + ["benefit"])
    muni = expect(scenario({"pathways.programme": restart}), params).cost(
        "programme", "municipality", "101")
    assert muni[13] == pytest.approx(12000 * (1 - _first_month_rate(0)) - 2000)
    muni = expect(scenario({"pathways.programme": carry}), params).cost(
        "programme", "municipality", "101")
    assert muni[12] == pytest.approx(12000 * 0.8 - 2000)


def test_a_subsidised_job_is_paid_by_the_municipality_and_refunded_by_the_staircase(params):
    """Løntilskud 50 kr an hour × 30 h × 52/12 = 6,500 kr a month, refunded at 20 %.

    Municipality: 6,500 × 0.8 − 1,665 (kommuneskat on the wage) = 3,535 a month.
    State: 6,500 × 0.2 − 1,040 − 796 = −536 a month.
    """
    path = deterministic_path(["benefit", "job_other"])
    sc = scenario({
        "pathways.programme": path,
        "jobs.other.subsidy": {"type": "loentilskud", "per_hour": 50},
    })
    bc = expect(sc, params)
    np.testing.assert_allclose(bc.cost("programme", "municipality", "101")[1:], 3535)
    np.testing.assert_allclose(bc.cost("programme", "state", "101")[1:], -536)


RATE_CARD = [
    {"id": "start", "label": "job start", "trigger": {"type": "job_start"}, "price": 15000,
     "payer": "municipality", "payees": {"other_actor": 1.0}},
    {"id": "sustained", "label": "6 months", "price": 30000, "payer": "municipality",
     "trigger": {"type": "job_sustained", "months": 6}, "payees": {"social_enterprise": 1.0}},
]


def test_a_per_participant_cap_cuts_the_payment_that_crosses_it(params):
    """Job from month 4: the start pays 15,000 (due month 5, lag 1); six months in the job is
    reached in month 9 and would pay 30,000, but the cap of 40,000 leaves 25,000 (due
    month 10). The municipality pays 40,000 in all.
    """
    path = deterministic_path(["benefit"] * 4 + ["job_other"])
    sc = scenario({
        "pathways.programme": path,
        "contract": {"id": "c", "label": "c", "lag_months": 1, "outcomes": RATE_CARD,
                     "caps": {"per_participant": 40000}},
    })
    bc = expect(sc, params)
    paid = bc.total("municipality").payments
    assert paid[5] == pytest.approx(15000)
    assert paid[10] == pytest.approx(25000)
    assert paid.sum() == pytest.approx(40000)
    assert bc.payment_flows[("municipality", "social_enterprise")].sum() == pytest.approx(25000)


def test_a_job_that_ends_after_two_months_pays_only_the_start(params):
    path = deterministic_path(["benefit", "job_other", "job_other", "benefit"])
    sc = scenario({
        "pathways.programme": path,
        "contract": {"id": "c", "label": "c", "outcomes": RATE_CARD},
    })
    bc = expect(sc, params)
    assert bc.payments_by_outcome["start"].sum() == pytest.approx(15000)
    assert bc.payments_by_outcome["sustained"].sum() == 0.0


def test_a_benefit_without_a_rate_in_the_horizon_is_refused_before_any_output(params):
    """The test benefit is known only through 2021; a horizon into 2022 names it and the date."""
    from brobygger.scenario.check import check_scenario

    sc = scenario({"horizon.months": 24})
    problems = check_scenario(sc, params=params)
    assert any(p.location == "profiles.p.benefit" and "benefits.test.kth" in p.message
               and "2022-01-01" in p.message for p in problems), problems


def test_partnership_costs_follow_the_partnerships_not_the_intake(params):
    """10,000 kr a partnership a month for 3 months; København 2 partnerships and 1
    referral, Hjørring 1 partnership and 9 referrals: København bears 2/3 of 90,000."""
    sc = scenario({
        "municipalities": [
            {"code": "101", "partnerships": 2, "intake": {"schedule": {"2020-07": 1}}},
            {"code": "860", "partnerships": 1, "intake": {"schedule": {"2020-07": 9}}}],
        "costs": [{"id": "p", "label": "p", "basis": "per_partnership_month", "amount": 10000,
                   "start": "2020-07", "end": "2020-09", "financing": {"municipality": 1.0}}],
    })
    bc = expect(sc, params)
    assert bc.municipality("101", "municipality").programme_costs.sum() == pytest.approx(60000)
    assert bc.municipality("860", "municipality").programme_costs.sum() == pytest.approx(30000)


def test_flows_are_deflated_by_the_named_index_before_the_real_rate():
    """The default deflates with the satsreguleringsprocent: 2019's flows count at
    1/(1 + r_2019) of their kroner, then the real rate applies."""
    from brobygger.economics.business_case import discount_factors, price_level
    from brobygger.params import default_parameters
    from brobygger.scenario.load import load_scenario

    sc = load_scenario()
    params = default_parameters()
    level = price_level(sc, params, sc.horizon.months)
    r2019 = params.value("indexation.satsregulering", "2019-01-01")
    assert level[0] == 1.0  # 2018-02, the analysis year
    assert level[11] == pytest.approx(1 + r2019)  # 2019-01
    factors = discount_factors(sc, params, sc.horizon.months)
    assert factors[11] == pytest.approx(1.04 ** (-11 / 12) / (1 + r2019))
