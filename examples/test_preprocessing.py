"""A per-namespace budget for a whole class, and an unbudgeted (measured) test."""

from __future__ import annotations

import numpy as np
import pytest

import mechestim as me


def standardize(x: me.ndarray) -> me.ndarray:
    centered = x - me.mean(x, axis=0)
    return centered / me.std(x, axis=0)


@pytest.mark.flop_budget(20_000, namespace="preprocess")
class TestStandardize:
    def test_columns_have_zero_mean(self, batch) -> None:
        z = standardize(batch)
        me.testing.assert_allclose(np.asarray(z).mean(axis=0), 0.0, atol=1e-12)

    def test_columns_have_unit_variance(self, batch) -> None:
        z = standardize(batch)
        me.testing.assert_allclose(np.asarray(z).std(axis=0), 1.0)


def test_measured_without_a_budget(batch, flop_budget) -> None:
    me.linalg.norm(batch, axis=1)
    assert flop_budget.flop_budget is None and flop_budget.flops_used > 0
