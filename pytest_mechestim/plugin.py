"""pytest hooks of the mechestim FLOP-budget plugin (placeholder while it is built)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "flop_budget(n, *, namespace=None): run the test's call phase inside a FLOP budget of n",
    )
