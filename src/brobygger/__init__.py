"""brobygger: run and judge outcome-based employment partnerships.

The core (this package, without ``web``) never imports Django: it holds the dated
public-finance parameters, the scenario schema, the pathway model, the economics,
the payment model and ledger, the simulation and the reports.
"""

from __future__ import annotations

__version__ = "0.2.0"
