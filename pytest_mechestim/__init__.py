"""pytest_mechestim: FLOP budgets for pytest, powered by mechestim."""

from __future__ import annotations

__version__ = "0.3.0"
