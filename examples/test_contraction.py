"""A symmetric contraction: the Gram matrix X^T X through me.einsum.

Passing the same array twice makes the output symmetric, and mechestim charges only
its unique entries, so the contraction fits a budget the dense product would not.
"""

from __future__ import annotations

import numpy as np
import pytest

import mechestim as me

SAMPLES, FEATURES = 64, 32
DENSE = me.flops.einsum_cost("ki,kj->ij", shapes=[(SAMPLES, FEATURES)] * 2)
SYMMETRIC = me.flops.einsum_cost(
    "ki,kj->ij", shapes=[(SAMPLES, FEATURES)] * 2, repeated_operands=[(0, 1)]
)


@pytest.fixture
def samples(rng: np.random.Generator) -> me.ndarray:
    return me.asarray(rng.standard_normal((SAMPLES, FEATURES)))


@pytest.mark.flop_budget(80_000, namespace="kernels")  # the dense product needs 131,072
def test_gram_matrix_is_charged_for_unique_entries(samples, flop_budget) -> None:
    gram = me.einsum("ki,kj->ij", samples, samples)
    assert isinstance(gram, me.SymmetricTensor)
    me.testing.assert_allclose(
        gram, np.asarray(samples).T @ np.asarray(samples), rtol=1e-12
    )  # free
    assert flop_budget.flops_used == SYMMETRIC < DENSE


@pytest.mark.flop_budget(80_000, namespace="kernels")
def test_pointwise_ops_on_the_result_stay_cheap(samples, flop_budget) -> None:
    gram = me.einsum("ki,kj->ij", samples, samples)
    kernel = me.exp(gram / SAMPLES)  # two pointwise ops over the 528 unique entries
    assert isinstance(kernel, me.SymmetricTensor)
    assert flop_budget.flops_used == SYMMETRIC + 2 * me.flops.pointwise_cost(
        (FEATURES, FEATURES), symmetry_info=gram.symmetry_info
    )
