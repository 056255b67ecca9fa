"""Helpers shared by the op-family tests: run a call in a fresh budget and read what it
charged, compare results with NumPy's, check that a refused call charges nothing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mechestim as me
from mechestim._core.compat import needs_numpy_message

SETTINGS = settings(max_examples=25, deadline=None)


def numpy_has(name: str) -> bool:
    """Whether the installed NumPy provides the public name ``name`` ("linalg.svd" style)."""
    prefix, dot, short = name.partition(".")
    return hasattr(getattr(np, prefix), short) if dot else hasattr(np, name)


def skip_unless_numpy_has(name: str) -> None:
    """Skip the running test, saying which NumPy it needs, when NumPy lacks ``name``."""
    if not numpy_has(name):
        pytest.skip(f"numpy.{name} is missing: {needs_numpy_message(name)}")

floats = st.floats(-100, 100, allow_nan=False, allow_infinity=False, width=64)


def arrays(min_dims=1, max_dims=3, max_side=6, elements=floats, min_side=1, dtype=np.float64):
    """Arrays of ``dtype`` with 1 to 3 dimensions of 1 to 6 elements (by default)."""
    return hnp.arrays(
        dtype,
        hnp.array_shapes(
            min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
        ),
        elements=elements,
    )


def used(fn):
    """(FLOPs charged by fn(), its result) inside a fresh budget."""
    with me.BudgetContext(10**15) as budget:
        result = fn()
    return budget.flops_used, result


def recorded(fn):
    """(result, FLOPs charged, op names recorded) of running ``fn`` in a fresh budget."""
    with me.BudgetContext(10**15) as budget:
        result = fn()
    return result, budget.flops_used, [r.op_name for r in budget.op_log]


def cost_of(fn) -> int:
    """FLOPs charged by ``fn()`` in a fresh budget."""
    return used(fn)[0]


def assert_same(got, want):
    """Results equal NumPy's, element-wise, through tuples, lists and named tuples:
    arrays come back as ``me.ndarray`` of NumPy's dtype and shape, bools as bools."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, me.ndarray)
        assert got.dtype == want.dtype and got.shape == want.shape
    elif isinstance(want, (bool, np.bool_)):
        assert type(got) is type(want)
    np.testing.assert_array_equal(np.asarray(got), want)


def refused(exc, fn, *args, match=None, **kwargs):
    """``fn(*args, **kwargs)`` raises ``exc`` (message matching the regex ``match``) and
    charges nothing."""
    with me.BudgetContext(10**15) as budget:
        with pytest.raises(exc, match=match):
            fn(*args, **kwargs)
    assert budget.flops_used == 0
    assert budget.op_log == []
