"""Hostile inputs for the compiled kernel's path (mechestim/_accel.c via
``execute(..., fuse=...)``): what a review found, each pinned by a test that failed
before its fix, then what held up (operands of every kind and threads racing a writer
look the same with and without the kernel), kept so it stays that way."""

from __future__ import annotations

import sys
import threading
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
            assert inner.operations == {"add": {"flop_cost": 3, "calls": 1}}
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


# -- what held up: the kernel's path and the pure path agree on hostile operands ---------
def _hostile_pairs():
    """Operand pairs of a large call: each served by the kernel or left to NumPy."""
    rng = np.random.default_rng(11)
    x, y = rng.standard_normal(LARGE), rng.standard_normal(LARGE)
    readonly = x.copy()
    readonly.flags.writeable = False
    wide = rng.standard_normal(2 * LARGE)
    tagged = np.dtype(np.float64, metadata={"unit": "m"})
    ones = (1,) * 63 + (LARGE,)  # NumPy's most dimensions
    raw = np.zeros(8 * LARGE + 1, np.uint8)
    unaligned = raw[1:].view(np.float64)
    unaligned[:] = x
    zeros = np.zeros(LARGE)
    return {
        "plain": (x, y),
        "mechestim": (me.asarray(x), me.asarray(y)),
        "mixed": (x, me.asarray(y)),
        "aliased": (x, x),
        "read-only": (readonly, y),
        "views of one array": (wide[:LARGE], wide[LARGE:]),
        "negative strides": (x[::-1], y),
        "Fortran order": (x.reshape(64, 64).T, y.reshape(64, 64).T),
        "a bytearray's memory": (np.frombuffer(bytearray(x.tobytes())), y),
        "byte-swapped": (x.astype(">f8"), y.astype(">f8")),
        "dtype metadata": (x.astype(tagged), y.astype(tagged)),
        "metadata on one": (x.astype(tagged), y),
        "64 dimensions": (x.reshape(ones), y.reshape(ones)),
        "a size-1 axis of any stride": (
            np.lib.stride_tricks.as_strided(x, (1, LARGE), (0, 8)),
            y.reshape(1, LARGE),
        ),
        "broadcast view": (np.broadcast_to(x[:1], (LARGE,)), y),
        "unaligned": (unaligned, y),
        "float32": (x.astype(np.float32), y.astype(np.float32)),
        "float32 and float64": (x.astype(np.float32), y),
        "float16": (x.astype(np.float16), y.astype(np.float16)),
        "complex": (x.astype(complex), y.astype(complex)),
        "integers": (x.astype(np.int64), (y * 10).astype(np.int64) | 1),
        "a scalar": (x, 1.5),
        "float32 and a scalar": (x.astype(np.float32), 1.5),
        "a 0-d array": (x, np.array(1.5)),
        "a list": (x.tolist(), y),
        "by zero": (x, zeros),
        "NaN in": (np.where(x > 2, np.nan, x), y),
    }


def _observe(func, first, second):
    """Everything a user can see of ``func(first, second)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with me.BudgetContext(10**9, namespace="outer") as outer:
            with me.BudgetContext(10**9, namespace="inner", flop_multiplier=2.5) as inner:
                try:
                    result = func(first, second)
                except Exception as error:  # noqa: BLE001 - compared, not hidden
                    result = error
    if isinstance(result, Exception):
        seen: tuple = (type(result), str(result))
    else:
        plain = result.view(np.ndarray)
        flags = (plain.flags.c_contiguous, plain.flags.writeable, plain.flags.aligned)
        seen = (type(result), plain.dtype, plain.dtype.metadata, plain.shape, plain.strides,
                flags, plain.tobytes())  # fmt: skip
    budgets = [(b.flops_used, b.operations, [tuple(e)[:4] for e in b.op_log])
               for b in (outer, inner)]  # fmt: skip
    return seen, budgets, [(w.category, str(w.message), w.filename, w.lineno) for w in caught]


@needs_kernel
@pytest.mark.parametrize("check", [True, False], ids=["check on", "check off"])
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide"])
def test_hostile_operands_look_the_same_with_and_without_the_kernel(name, check, monkeypatch):
    func = getattr(me, name)
    me.configure(nonfinite_warnings=check)
    try:
        for label, (first, second) in _hostile_pairs().items():
            monkeypatch.setattr(pipeline, "accel", KERNEL)
            with np.errstate(all="warn"):
                fused = _observe(func, first, second)
            monkeypatch.setattr(pipeline, "accel", None)
            with np.errstate(all="warn"):
                pure = _observe(func, first, second)
            assert fused == pure, label
    finally:
        me.configure(nonfinite_warnings=True)


@needs_kernel
def test_threads_racing_a_writer_get_numpys_values_and_exact_charges(monkeypatch):
    """Six threads divide a shared array (plain and as mechestim's) while another thread
    rewrites it, sometimes with NaN: the race is the user's, but each element must be
    one NumPy computes from a value the array held, and every call charged once."""
    monkeypatch.setattr(pipeline, "accel", KERNEL)
    size = 4 * LARGE
    rng = np.random.default_rng(5)
    first, second = rng.standard_normal(size), rng.standard_normal(size)
    second[::999] = np.nan
    divisor = rng.standard_normal(size)
    shared = first.copy()
    expected = [np.divide(first, divisor), np.divide(second, divisor)]
    stop = threading.Event()
    problems: list = []

    def write():
        turn = 0
        while not stop.is_set():
            shared[:] = second if turn % 2 else first
            turn += 1

    def compute(operand):
        with me.BudgetContext(10**12) as budget:
            for _ in range(60):
                got = me.divide(operand, divisor).view(np.ndarray)
                bits = got.view(np.uint64)
                fits = np.zeros(size, bool)
                for option in expected:
                    fits |= bits == option.view(np.uint64)
                fits |= np.isnan(got) & np.isnan(expected[1])
                if got.shape != (size,) or got.dtype != np.float64 or not fits.all():
                    problems.append(got)
        if budget.flops_used != 60 * size or len(budget.op_log) != 60:
            problems.append(budget.flops_used)

    writer = threading.Thread(target=write)
    workers = [
        threading.Thread(target=compute, args=(shared if k % 2 else shared.view(me.ndarray),))
        for k in range(6)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NaN warnings, from any thread
        writer.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stop.set()
        writer.join()
    assert problems == []


@pytest.mark.parametrize("size", [2, LARGE])
def test_an_event_numpy_warns_of_before_it_raises_is_warned_then_and_not_later(both_ways, size):
    """divide='warn', over='raise', a call with both: NumPy warns of the division by zero,
    then raises for the overflow. mechestim raised but kept the recorded event pending,
    and a later, clean call reported it as its own ("divide by zero encountered in add")."""
    numerators = np.full(size, 1e308)
    denominators = np.full(size, 1e-308)
    numerators[0], denominators[0] = 1.0, 0.0
    with warnings.catch_warnings(record=True) as expected, np.errstate(divide="warn", over="raise"):
        warnings.simplefilter("always")
        with pytest.raises(FloatingPointError, match="overflow"):
            np.divide(numerators, denominators)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with me.BudgetContext(10**9) as budget:
            with np.errstate(divide="warn", over="raise"):
                line = sys._getframe().f_lineno + 2
                with pytest.raises(FloatingPointError, match="overflow"):
                    me.divide(numerators, me.asarray(denominators))
            assert budget.flops_used == size  # computed, then raised: charged
            me.add(np.ones(size), np.ones(size))  # clean: nothing to report
    assert (
        [(w.category, str(w.message)) for w in caught]
        == [(w.category, str(w.message)) for w in expected]
        == [(RuntimeWarning, "divide by zero encountered in divide")]
    )
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)


@pytest.mark.parametrize("size", [3, LARGE])
def test_each_event_numpy_warns_of_is_warned_in_its_order(both_ways, size):
    """divide and over at 'warn', under at 'raise', a division with all three: NumPy
    warns of the division by zero, then of the overflow, then raises. mechestim warned
    only of the last event it had recorded."""
    numerators = np.full(size, 2.0)
    denominators = np.ones(size)
    numerators[:3] = 1.0, 1e308, 1e-300
    denominators[:3] = 0.0, 1e-10, 1e300
    state = {"divide": "warn", "over": "warn", "under": "raise"}
    with warnings.catch_warnings(record=True) as expected, np.errstate(**state):
        warnings.simplefilter("always")
        with pytest.raises(FloatingPointError, match="underflow"):
            np.divide(numerators, denominators)
    with warnings.catch_warnings(record=True) as caught, np.errstate(**state):
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 2
        with pytest.raises(FloatingPointError, match="underflow"):
            me.divide(me.asarray(numerators), denominators)
    assert (
        [(w.category, str(w.message)) for w in caught]
        == [(w.category, str(w.message)) for w in expected]
        == [
            (RuntimeWarning, "divide by zero encountered in divide"),
            (RuntimeWarning, "overflow encountered in divide"),
        ]
    )
    assert {(w.filename, w.lineno) for w in caught} == {(__file__, line)}


@needs_kernel
def test_weights_multipliers_and_a_refused_call_charge_as_the_pure_path(monkeypatch):
    """Weighted and scaled charges are the pure path's; a call over budget is refused
    before the kernel is offered it (nothing computed, nothing charged)."""
    offered = []

    class Spy:
        def fused_new(self, *args):
            offered.append(args[0])
            return KERNEL.fused_new(*args)

    x = np.random.default_rng(4).standard_normal(LARGE)
    expected = int(LARGE * 2.5 * 1.5)  # weight 2.5, flop_multiplier 1.5
    me.configure(weights={"add": 2.5})
    try:
        for kernel in (Spy(), None):
            monkeypatch.setattr(pipeline, "accel", kernel)
            with me.BudgetContext(10**9) as outer:
                with me.BudgetContext(10**9, flop_multiplier=1.5) as inner:
                    me.add(x, me.asarray(x))
                assert inner.flops_used == expected and outer.flops_used == int(LARGE * 2.5)
                with me.BudgetContext(expected - 1, flop_multiplier=1.5) as tight:
                    with pytest.raises(me.BudgetExhaustedError):
                        x + me.asarray(x)
                assert tight.flops_used == 0 and tight.op_log == []
                assert outer.flops_used == int(LARGE * 2.5)
                assert outer.operations == {"add": {"flop_cost": int(LARGE * 2.5), "calls": 1}}
    finally:
        me.configure(weights=None)
    assert offered == [0]  # the refused call never reached the kernel
