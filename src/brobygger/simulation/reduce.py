"""What turns a draw's monthly accounts into its business case, prepared once per scenario.

:func:`brobygger.simulation.run.summarise` gets the summaries through
:func:`brobygger.economics.business_case.assemble`, the accounting ``expect`` uses, with
NumPy over a batch of draws; that is the reference. The simulation does the same
accounting draw by draw as each draw is made (:func:`brobygger.simulation.kernel.reduce_draw`),
with the scenario's fixed parts gathered here (:class:`Accounts`: enterprise prices,
programme costs, discount factors, who pays what to whom); the tests check that both give
the same summaries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from brobygger.economics.business_case import (
    PAYERS,
    _enterprise_prices,
    _fixed_programme_costs,
    discount_factors,
    partnership_shares,
    payer_index,
    referral_counts,
)
from brobygger.model import CompiledScenario


@dataclass(frozen=True)
class Accounts:
    """What turns a draw's monthly arrays into its business case, per compiled scenario."""

    ent_kind: np.ndarray  # (E,) 0 places created, 1 ordinary hires
    ent_price: np.ndarray  # (E, T) kroner per place or hire, by month
    ent_lag: np.ndarray  # (E,) months from the event to the payment
    partner_share: np.ndarray  # (M,) share of the enterprise side's payments
    cap: float  # the per-contract cap on all payments (inf when none)
    payer_of: np.ndarray  # (O + E,) index into PAYERS, -1 for other payers
    flow_share: np.ndarray  # (O + E, F) share of each outcome's payment in each flow
    fixed_borne: np.ndarray  # (2, M, T) programme costs that do not depend on the draw
    per_start: np.ndarray  # (2,) cost of a course start to municipality and state
    discount: np.ndarray  # (T,)
    window: int  # months counted in the indicators
    borne_by_month: np.ndarray  # (2, T) fixed_borne summed over the municipalities
    borne_by_muni: np.ndarray  # (2, M) fixed_borne summed over the months
    #: (O + E,) share of each outcome's payment to the providers (other actors and social
    #: enterprises), whom a scenario's investor pre-finances; 0 where the investor pays
    provider_share: np.ndarray

    def as_tuple(self) -> tuple:
        """The fields in order, as :func:`reduce_draw` takes them."""
        return tuple(getattr(self, f) for f in Accounts.__dataclass_fields__)


def accounts(c: CompiledScenario, flow_keys: list[tuple[str, str]]) -> Accounts:
    T = c.T
    ent = c.enterprise_outcomes
    fixed_borne, _, per_start = _fixed_programme_costs(c, referral_counts(c))
    outcomes = c.citizen_outcomes + ent
    flow_share = np.zeros((len(outcomes), len(flow_keys)))
    for i, o in enumerate(outcomes):
        for payee, share in o.payees.items():
            flow_share[i, flow_keys.index((str(o.payer), str(payee)))] += share
    cap = c.scenario.contract.caps.per_contract
    return Accounts(
        ent_kind=np.array([0 if o.trigger.type == "place_created" else 1 for o in ent],
                          dtype=np.int64),
        ent_price=np.array([_enterprise_prices(c, o) for o in ent]).reshape(len(ent), T),
        ent_lag=np.array([c.lag(o) for o in ent], dtype=np.int64),
        partner_share=partnership_shares(c),
        cap=math.inf if cap is None else float(cap),
        payer_of=payer_index(c),
        flow_share=flow_share,
        fixed_borne=np.ascontiguousarray(fixed_borne, dtype=np.float64),
        per_start=np.array([per_start.get(p, 0.0) for p in PAYERS]),
        discount=discount_factors(c.scenario, c.params, T),
        window=max(c.window_end_index + 1, 0),
        borne_by_month=fixed_borne.sum(axis=1),
        borne_by_muni=fixed_borne.sum(axis=2),
        provider_share=provider_shares(c),
    )


def provider_shares(c: CompiledScenario) -> np.ndarray:
    """(O + E,) each outcome's share paid to the providers (other actors and social
    enterprises); none of an outcome the investor pays (it does not repay itself)."""
    from brobygger.economics.investor import PROVIDERS

    return np.array([0.0 if str(o.payer) == "investor" else
                     sum(share for payee, share in o.payees.items() if str(payee) in PROVIDERS)
                     for o in c.citizen_outcomes + c.enterprise_outcomes], dtype=np.float64)
