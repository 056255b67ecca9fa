"""The optional compiled kernel (mechestim/_accel.c): a large add, subtract, multiply or
divide computed and checked for NaN/Inf in one pass.

With the kernel, results must be bit-identical to NumPy's, and warnings, errors and
charges exactly those of the pure-Python path (each such test runs both ways, switching
``pipeline.accel``, so they also test the kernel under ``MECHESTIM_NO_ACCEL=1``). The
tests that need the built extension skip, saying so, where it was not built;
``MECHESTIM_NO_ACCEL`` itself is checked in a subprocess.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mechestim as me
from mechestim._core import pipeline
from tests.helpers import SETTINGS

try:
    from mechestim import _accel
except ImportError:
    _accel = None

# The kernel even under MECHESTIM_NO_ACCEL=1, set up as the pipeline would (the tests that
# use it switch pipeline.accel themselves).
KERNEL = pipeline.accel if pipeline.accel is not None else _accel and pipeline.set_up(_accel)
needs_kernel = pytest.mark.skipif(
    KERNEL is None,
    reason="mechestim._accel is not built (no C compiler at install): the pure-Python "
    "path is what runs, and the rest of the suite tests it",
)

OPS = {"add": (0, np.add), "subtract": (1, np.subtract), "multiply": (2, np.multiply),
       "divide": (3, np.divide)}  # fmt: skip
LARGE = pipeline.FUSE_MIN  # the smallest call the binary wrapper fuses


@pytest.fixture(params=["accel", "pure-python"])
def both_ways(request, monkeypatch):
    """Run the test with the kernel and again without it."""
    if request.param == "accel":
        if KERNEL is None:
            pytest.skip("mechestim._accel is not built (no C compiler at install)")
        monkeypatch.setattr(pipeline, "accel", KERNEL)
    else:
        monkeypatch.setattr(pipeline, "accel", None)
    return request.param


def special(dtype):
    """Values that exercise IEEE corners: NaN, +-Inf, -0.0, subnormals, the extremes."""
    info = np.finfo(dtype)
    return st.sampled_from(
        [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, float(info.max), -float(info.max),
         float(info.smallest_subnormal), -float(info.smallest_subnormal),
         float(info.tiny), float(info.eps), 3.0, 1e-30, 1e30]  # fmt: skip
    )


def elements(dtype):
    width = 64 if dtype == np.float64 else 32
    return st.one_of(st.floats(width=width), special(dtype))


def pairs(dtype):
    """Two arrays of one shape and dtype."""
    return hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=40).flatmap(
        lambda shape: st.tuples(
            hnp.arrays(dtype, shape, elements=elements(dtype)),
            hnp.arrays(dtype, shape, elements=elements(dtype)),
        )
    )


def numpy_verdict(ufunc, a, b):
    """NumPy's result and whether it is finite everywhere with no floating-point event."""
    with np.errstate(all="ignore"):
        expected = ufunc(a, b)
    try:
        with np.errstate(all="raise"):
            ufunc(a, b)
        clean = True
    except FloatingPointError:
        clean = False
    return expected, clean and bool(np.isfinite(expected).all())


def near_the_largest(result) -> bool:
    """Whether finite results are large enough that the kernel's running sums may
    overflow: a false alarm (NumPy then computes the call), allowed only there."""
    finite = result[np.isfinite(result)]
    return finite.size > 0 and float(np.abs(finite).max()) > np.finfo(result.dtype).max / 2**16


def same_bits(x, y) -> bool:
    unsigned = np.uint64 if x.dtype == np.float64 else np.uint32
    return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(
        x.view(unsigned), y.view(unsigned)
    )


# -- the kernel itself ----------------------------------------------------------------
@needs_kernel
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(OPS))
@SETTINGS
@given(data=st.data())
def test_the_kernel_writes_numpys_bits_and_reports_exactly_when_numpy_would(name, dtype, data):
    a, b = data.draw(pairs(dtype))
    code, ufunc = OPS[name]
    expected, clean = numpy_verdict(ufunc, a, b)
    out = KERNEL.fused_new(code, a, b)
    reported = out is not None
    assert reported is clean or (not reported and near_the_largest(expected))
    if reported:
        assert type(out) is np.ndarray and out.flags.c_contiguous
        assert same_bits(out, expected)


@needs_kernel
@given(a=hnp.arrays(np.float64, 50, elements=st.floats(width=64, allow_nan=False)))
@example(a=np.full(50, np.finfo(np.float64).max))  # overflows to Inf
@example(a=np.full(50, np.finfo(np.float64).smallest_subnormal))  # subnormal, exact
@SETTINGS
def test_overflow_and_subnormal_cases_match_numpy(a):
    for code, ufunc in OPS.values():
        for b in (a, a[::-1].copy(), np.full_like(a, 0.5), np.zeros_like(a)):
            expected, clean = numpy_verdict(ufunc, a, b)
            out = KERNEL.fused_new(code, a, b)
            reported = out is not None
            assert reported is clean or (not reported and near_the_largest(expected))
            if reported:
                assert same_bits(out, expected)


@needs_kernel
@pytest.mark.parametrize("position", [0, 16383, 16384, 40000, 3 * 16384 + 4])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_one_nonfinite_value_anywhere_is_reported(position, bad):
    a = np.ones(3 * 16384 + 5)
    b = np.full_like(a, 2.0)
    b[position] = bad
    assert KERNEL.fused_new(0, a, b) is None
    b[position] = 2.0
    assert same_bits(KERNEL.fused_new(0, a, b), a + b)


class Subclass(np.ndarray):
    """A user's ndarray subclass: NumPy computes for it (its own wrapping and attributes)."""


@needs_kernel
def test_operands_the_kernel_does_not_serve_are_left_to_numpy():
    raw = np.zeros(8 * 100 + 1, np.uint8)
    unaligned = raw[1:].view(np.float64)
    readonly = np.ones(3)
    readonly.flags.writeable = False
    not_served = [
        (unaligned, unaligned),
        (np.ones(3), np.ones(4)),  # lengths
        (np.ones((2, 3)), np.ones((3, 2))),  # shapes of one length
        (np.ones(3, np.int64), np.ones(3, np.int64)),  # integers
        (np.ones(3), np.ones(3, np.float32)),  # mixed dtypes
        (np.ones(3, ">f8"), np.ones(3, ">f8")),  # byte-swapped
        (np.ones((3, 3))[:, 0], np.ones(3)),  # strided
        (np.asfortranarray(np.ones((3, 2))), np.asfortranarray(np.ones((3, 2)))),
        (np.ones(3).view(Subclass), np.ones(3).view(Subclass)),  # another subclass
        (me.as_symmetric(np.ones((3, 3)), symmetric_axes=(0, 1)), np.ones((3, 3))),  # symmetry
        (np.ones(3), 1.0),  # a scalar
        (np.ones(3), [1.0, 2.0, 3.0]),  # a list
    ]
    for a, b in not_served:
        assert KERNEL.fused_new(0, a, b) is None, (a, b)
    assert same_bits(KERNEL.fused_new(0, readonly, readonly), readonly + readonly)
    copied = pickle.loads(pickle.dumps(np.full(3, 1.5)))  # a dtype equal to float64's
    assert same_bits(KERNEL.fused_new(0, copied, copied), np.add(copied, copied))
    tagged = np.ones(3, np.dtype(np.float64, metadata={"unit": "m"}))
    assert KERNEL.fused_new(0, tagged, tagged).dtype.metadata == np.add(tagged, tagged).dtype.metadata
    ours = KERNEL.fused_new(2, me.ones(3), np.full(3, 2.0))  # mechestim's arrays are read
    assert type(ours) is np.ndarray and same_bits(ours, np.full(3, 2.0))
    assert KERNEL.fused_new(0, np.ones((0, 3)), np.ones((0, 3))).shape == (0, 3)
    with pytest.raises(ValueError, match="op must be 0..3"):
        KERNEL.fused_new(4, np.ones(3), np.ones(3))
    with pytest.raises(TypeError, match="3 arguments"):
        KERNEL.fused_new(0, np.ones(3))


# -- through mechestim ------------------------------------------------------------------
@needs_kernel
def test_a_large_add_takes_the_fused_path_and_skips_the_second_pass(monkeypatch):
    calls = []

    class Recording:
        def fused_new(self, *args):
            calls.append(KERNEL.fused_new(*args) is not None)
            return calls[-1] and KERNEL.fused_new(*args)

    def no_second_pass(*args):
        raise AssertionError("the result was checked a second time")

    monkeypatch.setattr(pipeline, "accel", Recording())
    monkeypatch.setattr(pipeline, "_sum_of", no_second_pass)
    x = me.asarray(np.random.default_rng(0).random((64, LARGE // 64)))
    with me.BudgetContext(10**9) as budget:
        result = me.add(x, x)
        product = x * x  # the operator goes through the same wrapper
    assert calls == [True, True]
    assert type(result) is me.ndarray and same_bits(result.view(np.ndarray), 2 * x.view(np.ndarray))
    assert same_bits(product.view(np.ndarray), x.view(np.ndarray) ** 2)
    assert budget.flops_used == 2 * x.size  # charged as always


@needs_kernel
def test_calls_the_kernel_does_not_serve_are_computed_by_numpy(monkeypatch):
    calls = []

    class Recording:
        def fused_new(self, *args):
            calls.append(KERNEL.fused_new(*args))
            return calls[-1]

    monkeypatch.setattr(pipeline, "accel", Recording())
    big = np.ones((2, LARGE))
    with me.BudgetContext(10**9):
        me.add(me.ones(10), me.ones(10))  # small
        me.add(big, big, out=np.empty_like(big))  # out=
        me.power(big, big)  # not one of the four
        assert calls == []  # not offered: too small, or a call with keywords
        for args in [(big, big.astype(np.float32)), (big[:, ::2], big[:, ::2]), (big, big[0]),
                     (big.astype(np.int64), big.astype(np.int64)), (big, 1.0)]:  # fmt: skip
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                result = me.add(*args)
            assert calls[-1] is None  # offered and declined: NumPy computed it
            assert same_bits(result.view(np.ndarray), np.add(*args))
    assert len(calls) == 5


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(OPS))
def test_results_warnings_and_charges_are_the_same_both_ways(both_ways, name, dtype):
    rng = np.random.default_rng(1)
    a = rng.standard_normal(LARGE).astype(dtype)
    b = rng.standard_normal(LARGE).astype(dtype)
    b[::97] = 0.0  # divide gives Inf and NaN
    c = a.copy()
    c[5] = np.nan  # a NaN already in an input raises no floating-point flag
    info = np.finfo(dtype)
    huge = np.full(LARGE, info.max, dtype)  # overflow
    tiny = np.full(LARGE, info.tiny, dtype)  # underflow
    half = np.full(LARGE, info.max / 2, dtype)  # finite, but the kernel's sums overflow
    ones = np.ones(LARGE, dtype)
    func = getattr(me, name)
    ufunc = OPS[name][1]
    cases = ((a, a), (a, b), (c, a), (huge, huge), (tiny, tiny), (half, ones), (a, a[::-1].copy()))
    # mechestim's arrays reach the kernel as they are, and NumPy (when the kernel
    # declines) made plain: the same bits, warnings and charge as NumPy's arrays
    cases += tuple((me.asarray(x), me.asarray(y)) for x, y in cases)
    for x, y in cases:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with me.BudgetContext(10**9) as budget:
                result = func(x, y)
        with np.errstate(all="ignore"):
            expected = ufunc(np.asarray(x).view(np.ndarray), np.asarray(y).view(np.ndarray))
        assert type(result) is me.ndarray and same_bits(result.view(np.ndarray), expected)
        assert budget.flops_used == LARGE and len(budget.op_log) == 1
        finite = bool(np.isfinite(expected).all())
        expected_warnings = [] if finite else [me.MechEstimWarning]
        assert [w.category for w in caught] == expected_warnings, (name, caught)
        assert all(w.filename == __file__ for w in caught)


@needs_kernel
@pytest.mark.parametrize("name", list(OPS))
def test_with_the_check_off_the_kernel_changes_nothing_either(name, monkeypatch):
    """``nonfinite_warnings=False``: the kernel still serves the call (one pass, as
    fast as NumPy's), and results, warnings and charges are those of the pure path."""
    rng = np.random.default_rng(3)
    a = rng.standard_normal(LARGE)
    b = rng.standard_normal(LARGE)
    b[::97] = 0.0
    huge = np.full(LARGE, np.finfo(np.float64).max)
    cases = ((a, a), (a, b), (huge, huge), (me.asarray(a), me.asarray(b)))
    func = getattr(me, name)

    def observe(kernel):
        monkeypatch.setattr(pipeline, "accel", kernel)
        seen = []
        for x, y in cases:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                with me.BudgetContext(10**9) as budget:
                    result = func(x, y)
            bits = result.view(np.ndarray).view(np.uint64)
            seen.append((bits.tobytes(), [(w.category, str(w.message)) for w in caught],
                         budget.flops_used, type(result)))  # fmt: skip
        return seen

    me.configure(nonfinite_warnings=False)
    try:
        assert observe(KERNEL) == observe(None)
    finally:
        me.configure(nonfinite_warnings=True)


def test_numpys_errstate_is_obeyed_both_ways(both_ways):
    huge = np.full(LARGE, np.finfo(np.float64).max)
    tiny = np.full(LARGE, np.finfo(np.float64).tiny)
    with me.BudgetContext(10**9) as budget:
        with np.errstate(over="raise"):
            with pytest.raises(FloatingPointError, match="overflow"):
                me.multiply(huge, huge)
        assert budget.flops_used == LARGE  # it ran: the charge is kept
        with np.errstate(under="raise"):
            with pytest.raises(FloatingPointError, match="underflow"):
                me.multiply(tiny, tiny)
        with np.errstate(divide="raise"):
            with pytest.raises(FloatingPointError, match="divide by zero"):
                me.divide(huge, np.zeros(LARGE))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(all="ignore"):
                assert np.isinf(me.multiply(huge, huge)).all()  # silent
            with np.errstate(over="raise"):
                assert same_bits(me.add(tiny, tiny).view(np.ndarray), tiny + tiny)


@needs_kernel
def test_threads_get_their_own_results():
    rng = np.random.default_rng(2)
    inputs = [rng.random(LARGE * 4) for _ in range(4)]
    failures = []

    def work(x):
        with me.BudgetContext(10**12):
            for _ in range(20):
                if not same_bits(me.subtract(x, 0.5 * x).view(np.ndarray), x - 0.5 * x):
                    failures.append(x)

    threads = [threading.Thread(target=work, args=(x,)) for x in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.parametrize("value, loaded", [("1", False), ("yes", False), ("0", True), ("", True)])
def test_MECHESTIM_NO_ACCEL_chooses_the_pure_python_path_at_import(value, loaded):
    env = {**os.environ, "MECHESTIM_NO_ACCEL": value}
    code = "import mechestim._core.pipeline as p; print(p.accel is not None)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == str(loaded and _accel is not None)
