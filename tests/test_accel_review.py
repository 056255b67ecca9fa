"""Hostile inputs for the compiled kernel's path (mechestim/_accel.c via
``execute(..., fuse=...)``): what a review found, each pinned by a test that failed
before its fix."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

import mechestim as me
from mechestim._core import pipeline

try:
    from mechestim import _accel
except ImportError:
    _accel = None

KERNEL = pipeline.accel if pipeline.accel is not None else _accel
needs_kernel = pytest.mark.skipif(
    KERNEL is None, reason="mechestim._accel is not built (no C compiler at install)"
)
LARGE = pipeline.FUSE_MIN


def _setup(allocate) -> None:
    """Give the kernel ``allocate`` in place of numpy.empty (as _load_accel does)."""
    KERNEL.setup((np.ndarray, me.ndarray), allocate, (np.dtype(np.float64), np.dtype(np.float32)))


@needs_kernel
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide"])
def test_a_kernel_that_cannot_allocate_its_result_leaves_no_charge(name, monkeypatch):
    """numpy.empty raising MemoryError inside the kernel: nothing was computed, so, as
    when NumPy's own allocation fails on the pure path, the call is refunded."""

    def no_memory(shape, dtype):
        raise MemoryError(f"cannot allocate {shape} {dtype}")

    monkeypatch.setattr(pipeline, "accel", KERNEL)
    x = np.ones(LARGE)
    _setup(no_memory)
    try:
        with me.BudgetContext(10**9) as outer, me.BudgetContext(10**9) as inner:
            me.add(x[:3], x[:3])
            with pytest.raises(MemoryError, match="cannot allocate"):
                getattr(me, name)(x, me.asarray(x))
            assert inner.flops_used == 3 and outer.flops_used == 3
            assert [entry[0] for entry in inner.op_log] == ["add"]
            assert len(inner.op_log) == 1
    finally:
        _setup(np.empty)
    assert getattr(me, name)(x, x).shape == (LARGE,)  # the kernel works again


@pytest.fixture(params=["accel", "pure-python"])
def both_ways(request, monkeypatch):
    """Run the test with the kernel and again without it."""
    if request.param == "accel" and KERNEL is None:
        pytest.skip("mechestim._accel is not built (no C compiler at install)")
    monkeypatch.setattr(pipeline, "accel", KERNEL if request.param == "accel" else None)
    return request.param


@pytest.mark.parametrize("size", [100, LARGE, 5 * LARGE])
def test_an_underflow_is_reported_when_large_finite_values_overflow_the_check(both_ways, size):
    """Every result finite, one underflow, values so large that the finite check's sum
    of squares overflows (a false alarm, settled by counting): NumPy's underflow warning,
    at the user's line, as NumPy gives it. It was lost: the recount found nothing
    non-finite and returned, dropping the event it had taken."""
    a = np.full(size, 1e200)
    b = np.ones(size)
    a[0] = b[0] = 1e-300  # 1e-600 underflows to 0.0
    with warnings.catch_warnings(record=True) as expected, np.errstate(under="warn"):
        warnings.simplefilter("always")
        np.multiply(a, b)
    with warnings.catch_warnings(record=True) as caught, np.errstate(under="warn"):
        warnings.simplefilter("always")
        with me.BudgetContext(10**9) as budget:
            line = sys._getframe().f_lineno + 1
            result = me.multiply(a, me.asarray(b))
    assert (
        [(w.category, str(w.message)) for w in caught]
        == [(w.category, str(w.message)) for w in expected]
        == [(RuntimeWarning, "underflow encountered in multiply")]
    )
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)
    assert np.array_equal(result.view(np.ndarray), a * b) and budget.flops_used == size
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        me.multiply(a, b)  # underflow ignored, NumPy's default: silent
