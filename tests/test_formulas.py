"""Every counted op's charge is computed by the ``me.flops`` formula the registry declares
for it (``OpSpec.formula``, the formula docs/operations.md states).

Each op's registry cost rule runs on sample arguments (tests/test_pipeline.py's probe of
every counted op, plus symmetric operands) under ``sys.setprofile``, which records every
function of ``mechestim._costs`` entered from outside ``mechestim._costs`` and what it
returned. The declared formula must be among them and the charge must be what it
returned: a formula merely used inside another one (``sort_cost`` inside
``sort_array_cost``) or called on the side does not pass. The op itself, run on the same
arguments, must charge that amount. Every counted op with a formula is sampled; none is
left out for being costly to sample.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from test_coverage import _resolve
from test_pipeline import COUNTED_CALLS

import mechestim as me
from mechestim._core import registry
from mechestim._core.registry import COUNTED, REGISTRY, too_new

COSTS_DIR = os.path.dirname(me._costs.core.__file__) + os.sep

S = me.as_symmetric(np.arange(16.0).reshape(4, 4) + np.arange(16.0).reshape(4, 4).T, (0, 1))
X = np.arange(12.0).reshape(4, 3)
# Symmetric operands take other branches of the rules (unique elements).
SYMMETRIC_CALLS = [
    ("exp", (S,), {}),
    ("add", (S, S), {}),
    ("sum", (S,), {"axis": 0}),
    ("var", (S,), {}),
    ("emath.sqrt", (S,), {}),
    ("emath.logn", (S, S), {}),
    ("einsum", ("ij,jk->ik", S, S), {}),
    ("einsum", ("ki,kj->ij", X, X), {}),  # the same array twice: a symmetric product
    ("clip", (S, 1.0, 9.0), {}),
]
CALLS = COUNTED_CALLS + SYMMETRIC_CALLS


def _copy(args: tuple) -> tuple:
    """Fresh copies of the array arguments (ops may write into them): a SymmetricTensor
    stays one, and an array passed twice stays one array (einsum's repeated operands)."""
    copies: dict[int, Any] = {}
    for a in args:
        if isinstance(a, np.ndarray) and id(a) not in copies:
            copies[id(a)] = a.copy()
    return tuple(copies.get(id(a), a) for a in args)


def formula_calls(rule: Callable[..., int], args: tuple, kwargs: dict) -> tuple[Any, list]:
    """``rule(*args, **kwargs)`` and the (code, returned value) of each ``mechestim._costs``
    function it entered from outside ``mechestim._costs``, in order."""
    entered: list = []

    def profile(frame, event, value):
        if event == "return" and frame.f_code.co_filename.startswith(COSTS_DIR):
            caller = frame.f_back
            if caller is None or not caller.f_code.co_filename.startswith(COSTS_DIR):
                entered.append((frame.f_code, value))

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        charge = rule(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return charge, entered


def check_formula(name: str, formula: Callable[..., int], args: tuple, kwargs: dict) -> int:
    """The charge the cost rule of ``name`` computes; fails unless ``formula`` returned it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        charge, entered = formula_calls(REGISTRY[name].cost, _copy(args), kwargs)
    returned = [value for code, value in entered if code is formula.__code__]
    called = sorted({code.co_name for code, _ in entered})
    assert returned, f"{name}: declares {formula.__name__} but its cost rule called {called}"
    assert charge == returned[-1], (
        f"{name}: charged {charge}, but {formula.__name__} returned {returned} ({called})"
    )
    return charge


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS, ids=[c[0] for c in CALLS])
def test_the_charge_is_computed_by_the_declared_formula(name, args, kwargs):
    charge = check_formula(name, REGISTRY[name].formula, args, kwargs)
    if too_new(REGISTRY[name]):
        return  # the op raises on this NumPy; its cost rule still answers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(10**12) as budget:
            _resolve(me, name)(*_copy(args), **kwargs)
    assert budget.flops_used == charge, (name, budget.flops_used, charge)


def test_the_samples_cover_every_counted_op_with_a_formula():
    with_formula = {n for n, s in REGISTRY.items() if s.status == COUNTED and s.formula}
    assert with_formula == {name for name, _, _ in CALLS}
    assert len(with_formula) == 322


def test_every_counted_op_declares_a_public_formula_or_says_why_not():
    for name, spec in REGISTRY.items():
        if spec.status != COUNTED:
            assert spec.formula is None, name
        elif name in registry._NO_FORMULA:
            assert spec.formula is None, name
        else:
            public = spec.formula.__name__
            assert public in me.flops.__all__, (name, public)
            assert getattr(me.flops, public) is spec.formula, (name, public)
            assert spec.formula.__module__.startswith("mechestim._costs."), (name, public)
            assert (spec.formula.__doc__ or "").strip(), (name, public)
    # Counted by the spec's table, yet it only plans: the one op without a formula.
    assert set(registry._NO_FORMULA) == {"einsum_path"}
    assert REGISTRY["einsum_path"].cost("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4))) == 0


WRONG = [
    ("sort", me.flops.sort_cost, (np.ones((3, 4)),)),  # called inside sort_array_cost
    ("fft.ifft", me.flops.fft_cost, (np.ones(8),)),  # called inside ifft_cost
    ("clip", me.flops.pointwise_cost, (np.ones(8), 0, 1)),  # called inside clip_cost
    ("add", me.flops.reduction_cost, (np.ones(8), np.ones(8))),  # not called at all
    ("random.normal", me.flops.rand_cost, ()),
]


@pytest.mark.parametrize(("name", "formula", "args"), WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_declaration_is_caught(name, formula, args):
    with pytest.raises(AssertionError, match=name):
        check_formula(name, formula, args, {})
