"""An MLP forward pass with a FLOP budget, checked against the analytical cost."""

from __future__ import annotations

import numpy as np
import pytest

import mechestim as me
from pytest_mechestim import FlopBudgetFixture

BATCH, IN, HIDDEN, OUT = 32, 64, 128, 10


def forward(x: me.ndarray, params: dict[str, me.ndarray]) -> me.ndarray:
    """Linear -> ReLU -> linear -> softmax, every step a counted op."""
    hidden = me.maximum(x @ params["w1"] + params["b1"], 0)
    logits = hidden @ params["w2"] + params["b2"]
    shifted = logits - me.max(logits, axis=1, keepdims=True)
    exps = me.exp(shifted)
    return exps / me.sum(exps, axis=1, keepdims=True)


def forward_cost() -> int:
    """What `forward` should charge, from mechestim's own cost formulas."""
    flops = me.flops
    layer1 = flops.matmul_cost((BATCH, IN), (IN, HIDDEN)) + 2 * flops.pointwise_cost(
        (BATCH, HIDDEN)
    )
    layer2 = flops.matmul_cost((BATCH, HIDDEN), (HIDDEN, OUT)) + flops.pointwise_cost((BATCH, OUT))
    softmax = (
        flops.reduction_cost((BATCH, OUT), axis=1, op="max")
        + 2 * flops.pointwise_cost((BATCH, OUT))  # subtract, exp
        + flops.reduction_cost((BATCH, OUT), axis=1)
        + flops.pointwise_cost((BATCH, OUT))  # divide
    )
    return layer1 + layer2 + softmax


@pytest.mark.flop_budget(700_000, namespace="mlp")
def test_forward_pass_fits_its_budget(batch, mlp_params, flop_budget: FlopBudgetFixture) -> None:
    probs = forward(batch, mlp_params)
    me.testing.assert_allclose(np.asarray(probs).sum(axis=1), 1.0)
    assert flop_budget.flops_used == forward_cost()
    assert flop_budget.operations["matmul"]["calls"] == 2


@pytest.mark.flop_budget(700_000, namespace="mlp")
def test_each_layer_has_its_own_budget(batch, mlp_params, flop_budget: FlopBudgetFixture) -> None:
    with flop_budget(540_000, namespace="layer1") as layer1:
        hidden = me.maximum(batch @ mlp_params["w1"] + mlp_params["b1"], 0)
    with flop_budget(100_000, namespace="layer2") as layer2:
        hidden @ mlp_params["w2"] + mlp_params["b2"]
    assert layer1.flops_used > 5 * layer2.flops_used  # the wide layer dominates
    assert flop_budget.flops_used == layer1.flops_used + layer2.flops_used


@pytest.mark.flop_budget(700_000, namespace="mlp")
@pytest.mark.parametrize(
    "batch_size",
    [1, 8, pytest.param(64, marks=pytest.mark.flop_budget(1_400_000, namespace="mlp"))],
)
def test_cost_scales_with_the_batch(batch_size, mlp_params, rng, flop_budget) -> None:
    x = me.asarray(rng.standard_normal((batch_size, IN)))
    forward(x, mlp_params)
    assert flop_budget.flops_used <= flop_budget.flop_budget
