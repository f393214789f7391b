"""What one participant-month costs the municipality and the state, by state.

Costs are positive, revenue (taxes) negative. For each calendar month t, state s and months
on the refund staircase b, :class:`CostTable` gives the net cost to the municipality and to
the state. The kommuneskat is the only part that differs between municipalities, so a table
is built once per profile and combined with a municipality's tax rate by :meth:`for_rate`.

Rules (all rates are dated parameters):

* benefit states: the municipality pays the benefit and the state refunds a share by the
  staircase; the benefit is taxable: kommuneskat goes to the municipality, bundskat and
  sundhedsbidrag to the state (no AM-bidrag on benefits);
* jobs: the wage is not a public flow, its taxes are: AM-bidrag (8 %) and bundskat and
  sundhedsbidrag to the state, kommuneskat after beskæftigelses- and jobfradrag to the
  municipality; a wage subsidy (løntilskud, fleksjob) is paid by the municipality and
  refunded by the staircase, like a benefit;
* education: SU is paid by the state and taxed like a benefit;
* exited: nothing is counted in either world.

Personfradrag is applied month by month (a twelfth of the yearly amount): participants'
incomes are steady within a year, so this equals the yearly tax up to rounding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from brobygger.economics.rates import (
    P_KOMMUNESKAT,
    WEEKS_PER_MONTH,
    TaxRates,
    keyed_rates,
    monthly_amounts,
    refund_rates,
)
from brobygger.params import ParameterTree
from brobygger.pathways.chains import REFUND_MONTHS_CAP
from brobygger.pathways.states import (
    EDUCATION,
    INDEX,
    JOB_ACCELERATOR,
    JOB_OTHER,
    N_STATES,
    ON_BENEFIT,
)
from brobygger.scenario.schema import JobType, Scenario


@dataclass(frozen=True)
class CostTable:
    """Net public cost per (t, s, b) for one profile, before the kommuneskat is applied."""

    refundable: np.ndarray  # (T, S) paid by the municipality, refunded by the staircase
    refund_rate: np.ndarray  # (T, B) state's share of a refundable amount
    state_paid: np.ndarray  # (T, S) paid by the state directly (SU)
    state_tax: np.ndarray  # (T, S) taxes to the state
    kommune_base: np.ndarray  # (T, S) income on which the kommuneskat is paid

    def for_rate(self, kommuneskat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(municipality, state) net costs, each (T, S, B), for a municipality's tax rate."""
        refund = self.refundable[:, :, None] * self.refund_rate[:, None, :]
        municipality = (
            self.refundable[:, :, None] - refund
            - (kommuneskat[:, None] * self.kommune_base)[:, :, None]
        )
        state = refund + (self.state_paid - self.state_tax)[:, :, None]
        return municipality, state


def income_tax_bases(income: np.ndarray, taxes: TaxRates, *, wage: bool) -> tuple[
    np.ndarray, np.ndarray, np.ndarray
]:
    """(AM-bidrag, state tax base, kommuneskat base) for a monthly income.

    For a wage, AM-bidrag is taken first and the employment deductions reduce the
    kommuneskat base; a benefit or SU pays no AM-bidrag and has no such deductions.
    """
    if wage:
        am = taxes.am * income
        personal = income - am
        beskf = np.minimum(taxes.beskf_rate * income, taxes.beskf_max)
        jobf = np.minimum(
            taxes.jobf_rate * np.maximum(income - taxes.jobf_threshold, 0.0), taxes.jobf_max
        )
    else:
        am = np.zeros_like(income)
        personal = income
        beskf = jobf = np.zeros_like(income)
    state_base = np.maximum(personal - taxes.personfradrag, 0.0)
    kommune_base = np.maximum(personal - beskf - jobf - taxes.personfradrag, 0.0)
    return am, state_base, kommune_base


def wage_taxes(wage: np.ndarray, taxes: TaxRates) -> tuple[np.ndarray, np.ndarray]:
    """(taxes to the state, kommuneskat base) of a monthly wage; ``wage`` may have leading
    axes (draws) before the month axis."""
    am, sb, kb = income_tax_bases(wage, taxes, wage=True)
    return am + taxes.bundskat * sb + taxes.sundhedsbidrag * kb, kb


@dataclass(frozen=True)
class JobMonth:
    wage: np.ndarray  # (T,) DKK per month
    subsidy: np.ndarray  # (T,) DKK per month paid by the municipality


def job_month(job: JobType, params: ParameterTree, months: Sequence[dt.date]) -> JobMonth:
    hours = job.hours_per_week * WEEKS_PER_MONTH
    w = job.hourly_wage
    if w.parameter:
        hourly = np.array([float(params.value(w.parameter, m)) for m in months]) * w.factor
    else:
        hourly = np.full(len(months), float(w.amount or 0.0))
    subsidy = np.full(len(months), job.subsidy.per_hour * hours)
    return JobMonth(hourly * hours, subsidy)


class FinanceContext:
    """Everything the cost tables need over a horizon, evaluated once per scenario."""

    def __init__(self, scenario: Scenario, params: ParameterTree, months: Sequence[dt.date]):
        self.scenario = scenario
        self.params = params
        self.months = list(months)
        self.taxes = TaxRates.load(params, self.months)
        self.refund = refund_rates(params, self.months, REFUND_MONTHS_CAP)
        self.su = monthly_amounts(params, scenario.education.benefit, self.months)
        self.jobs = {
            JOB_ACCELERATOR: job_month(scenario.jobs.accelerator, params, self.months),
            JOB_OTHER: job_month(scenario.jobs.other, params, self.months),
        }
        self._benefits: dict[str, np.ndarray] = {}
        self._kommuneskat: dict[str, np.ndarray] = {}

    def benefit(self, name: str) -> np.ndarray:
        if name not in self._benefits:
            self._benefits[name] = monthly_amounts(self.params, name, self.months)
        return self._benefits[name]

    def kommuneskat(self, code: str) -> np.ndarray:
        if code not in self._kommuneskat:  # every municipality's at once
            codes = {m.code for m in self.scenario.municipalities} | {code}
            self._kommuneskat.update(keyed_rates(self.params, P_KOMMUNESKAT, sorted(codes),
                                                 self.months))
        return self._kommuneskat[code]

    def cost_table(self, benefit_name: str) -> CostTable:
        T = len(self.months)
        taxes = self.taxes
        refundable = np.zeros((T, N_STATES))
        state_paid = np.zeros((T, N_STATES))
        state_tax = np.zeros((T, N_STATES))
        kommune_base = np.zeros((T, N_STATES))

        benefit = self.benefit(benefit_name)
        _, sb, kb = income_tax_bases(benefit, taxes, wage=False)
        for s in np.flatnonzero(ON_BENEFIT):
            refundable[:, s] = benefit
            state_tax[:, s] = (taxes.bundskat + taxes.sundhedsbidrag) * sb
            kommune_base[:, s] = kb

        for job_state, job in self.jobs.items():
            refundable[:, job_state] = job.subsidy
            state_tax[:, job_state], kommune_base[:, job_state] = wage_taxes(job.wage, taxes)

        _, sb, kb = income_tax_bases(self.su, taxes, wage=False)
        state_paid[:, EDUCATION] = self.su
        state_tax[:, EDUCATION] = (taxes.bundskat + taxes.sundhedsbidrag) * sb
        kommune_base[:, EDUCATION] = kb
        return CostTable(refundable, self.refund, state_paid, state_tax, kommune_base)


__all__ = ["INDEX", "CostTable", "FinanceContext", "JobMonth", "income_tax_bases", "job_month",
           "wage_taxes"]
