"""pytest_mechestim: FLOP budgets for pytest, powered by mechestim.

The plugin (entry point ``mechestim``) gives tests a ``flop_budget`` marker and
fixture, a FLOP section in the terminal summary, a JSON report and a baseline gate.
Type the fixture with :class:`FlopBudgetFixture`.
"""

from __future__ import annotations

__version__ = "0.3.0"

from .fixture import BlockBudget, BudgetReading, FlopBudgetFixture, TestBudget  # noqa: E402
from .measure import FlopBudgetExceeded, FlopBudgetWarning  # noqa: E402

__all__ = [
    "__version__",
    "BlockBudget",
    "BudgetReading",
    "FlopBudgetExceeded",
    "FlopBudgetFixture",
    "FlopBudgetWarning",
    "TestBudget",
]
