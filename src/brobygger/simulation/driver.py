"""One draw at a time: the paths kernel, then the reduction, while the draw's monthly
arrays are still in the processor's cache (compiled, numba).

:func:`brobygger.simulation.run.run_chunk` calls this; the two steps stay separate
functions (:func:`brobygger.simulation.kernel.run_paths`, tested against the reference,
and :func:`brobygger.simulation.reduce.reduce_draws`, tested against the NumPy
accounting), and :func:`brobygger.simulation.run.chunk_outputs` still gives the monthly
arrays of a whole chunk for the tests.
"""

from __future__ import annotations

from numba import njit

from brobygger.simulation.kernel import run_paths
from brobygger.simulation.reduce import reduce_draws


@njit(nogil=True, cache=True)
def draws_summarised(
    kernel, cum, job, first, save, due, events,
    enterprise, accounts, paths,
    net, net_disc, savings, borne_out, payments, break_even, muni_net, muni_be, flows,
    indicators, cap_bound, muni_path, muni_savings_path,
):  # pragma: no cover - compiled; tested through run_chunk against chunk_outputs
    """For each draw c of the chunk: zero the one-draw scratch arrays ``save``, ``due``
    and ``events``, fill them with :func:`run_paths` and reduce them into row c of the
    outputs. ``kernel`` holds run_paths' fixed arguments before ``cum`` (seed first ...
    period_end, with ``first`` left out) and after it up to ``job`` (r_next ... job_col),
    and then the rest (kommuneskat, lags); ``accounts`` those of reduce_draws after the
    enterprise side."""
    (seed, codes, starts, entry, regime, profile_cum, profile_of, forced, period_of,
     period_end, r_next, r_cls, r_j, r_state, r_init, c_next, c_sig, c_ptr, c_what, c_amount,
     c_init, c_entry_pay, c_entry_ev, table, job_col, kskat, lags) = kernel
    (ent_kind, ent_price, ent_lag, partner_share, cap, payer_of, flow_share, fixed_borne,
     per_start, discount, window) = accounts
    for c in range(cum.shape[0]):
        save[:] = 0.0
        due[:] = 0.0
        events[:] = 0.0
        run_paths(seed, first + c, codes, starts, entry, regime, profile_cum, profile_of,
                  forced, cum[c:c + 1], period_of, period_end, r_next, r_cls, r_j, r_state,
                  r_init, c_next, c_sig, c_ptr, c_what, c_amount, c_init, c_entry_pay,
                  c_entry_ev, table, job_col, job[c:c + 1], kskat, lags, save, due, events)
        reduce_draws(save, due, events, enterprise[c:c + 1], ent_kind, ent_price, ent_lag,
                     partner_share, cap, payer_of, flow_share, fixed_borne, per_start,
                     discount, window, paths, net[c:c + 1], net_disc[c:c + 1],
                     savings[c:c + 1], borne_out[c:c + 1], payments[c:c + 1],
                     break_even[c:c + 1], muni_net[c:c + 1], muni_be[c:c + 1],
                     flows[c:c + 1], indicators[c:c + 1], cap_bound[c:c + 1],
                     muni_path[c:c + 1], muni_savings_path[c:c + 1])
