"""Stress and atomicity (quality.md, Reliability): threads and nesting, overruns, asyncio.

* Threads: eight threads open nested named budgets inside one shared outer budget and
  run mixed ops (generic, custom, operators, symmetric); every budget's total, the
  per-op totals and ``budget_summary_dict(by_namespace=True)`` come out exact.
* Overrun atomicity: every counted op of the registry whose NumPy twin takes ``out=``
  is refused one FLOP short, with the inner or the outer budget the tight one, and must
  leave ``out`` untouched and record nothing; a sample of each family without ``out=``
  must leave its inputs, the random state and every budget unchanged.
* asyncio: tasks with their own budgets interleave at every ``await`` and still see
  only their own charges.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import math
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import mechestim as me
from mechestim._core.registry import COUNTED, REGISTRY


def rule(name: str, *args: Any, **kwargs: Any) -> int:
    """What the registry's cost rule says ``name`` charges for these arguments."""
    return int(REGISTRY[name].cost(*args, **kwargs))


@pytest.fixture
def fast_switching():
    """Switch threads far more often than usual, to shake out races."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


# -- threads and nesting ------------------------------------------------------------------------
V7 = me.ones(7)
M34 = me.ones((3, 4))
M45 = me.ones((4, 5))
SYM = me.as_symmetric(np.eye(4), (0, 1))


def _mixed_round() -> None:
    """One round of mixed ops; its exact cost is ``ROUND_COST`` (checked below)."""
    me.add(V7, 1)  # 7
    me.sum(M34)  # 12
    _ = M34 @ M45  # 2*3*4*5 = 120, recorded as "matmul"
    me.einsum("ij,jk->ik", M34, M45)  # 120
    me.exp(SYM)  # 10 unique elements of a symmetric 4x4
    me.sort(V7)  # sort_cost(7) = 21
    _ = V7 * 2.0  # 7, recorded as "multiply"


ROUND_OPS = {
    "add": 7,
    "sum": 12,
    "matmul": 120,
    "einsum": 120,
    "exp": 10,
    "sort": 21,
    "multiply": 7,
}
ROUND_COST = sum(ROUND_OPS.values())


def test_round_cost_matches_the_rules() -> None:
    """The hard-coded per-round numbers agree with the registry's cost rules."""
    assert ROUND_OPS == {
        "add": rule("add", V7, 1),
        "sum": rule("sum", M34),
        "matmul": rule("matmul", M34, M45),
        "einsum": rule("einsum", "ij,jk->ik", M34, M45),
        "exp": rule("exp", SYM),
        "sort": rule("sort", V7),
        "multiply": rule("multiply", V7, 2.0),
    }
    with me.BudgetContext(10**6) as budget:
        _mixed_round()
    assert budget.flops_used == ROUND_COST
    assert budget.operations == {
        op: {"flop_cost": cost, "calls": 1}
        for op, cost in sorted(ROUND_OPS.items(), key=lambda kv: (-kv[1], kv[0]))
    }


THREADS = 8
ROUNDS = 360  # x 7 ops x 2 nesting levels per thread: 8 x 5,040 charged calls


def test_eight_threads_nested_named_budgets_inside_one_shared_outer(fast_switching) -> None:
    outer = me.BudgetContext(10**12, namespace="shared")
    mids: dict[int, me.BudgetContext] = {}
    inners: dict[int, list[me.BudgetContext]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def work(index: int) -> None:
        try:
            barrier.wait()
            with me.BudgetContext(10**10, namespace=f"t{index}") as mid:
                mids[index] = mid
                inners[index] = []
                for round_no in range(ROUNDS):
                    _mixed_round()  # charged to mid (path shared/t<i>) and outer
                    # a fresh named inner budget every few rounds, re-entered in between
                    if round_no % 10 == 0:
                        inner = me.BudgetContext(10**8, namespace="inner")
                        inners[index].append(inner)
                    with inners[index][-1]:
                        _mixed_round()  # path shared/t<i>/inner
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with outer:
        me.add(V7, 1)  # one op directly in the outer budget, from the main thread
        threads = []
        for index in range(THREADS):
            # Each thread starts inside the shared outer budget (a copy of this context).
            context = contextvars.copy_context()
            threads.append(threading.Thread(target=context.run, args=(work, index)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors, errors

    per_thread = 2 * ROUNDS * ROUND_COST
    assert outer.flops_used == THREADS * per_thread + 7
    assert outer.operations["add"]["calls"] == THREADS * 2 * ROUNDS + 1
    for index in range(THREADS):
        assert mids[index].flops_used == per_thread
        assert sum(i.flops_used for i in inners[index]) == ROUNDS * ROUND_COST
        for inner in inners[index]:
            assert inner.flops_used == 10 * ROUND_COST
            assert {r.namespace for r in inner.op_log} == {f"shared/t{index}/inner"}
        assert mids[index].operations == {
            op: {"flop_cost": 2 * ROUNDS * cost, "calls": 2 * ROUNDS}
            for op, cost in sorted(ROUND_OPS.items(), key=lambda kv: (-kv[1], kv[0]))
        }

    summary = me.budget_summary_dict(by_namespace=True)
    assert summary["flops_used"] == outer.flops_used  # each op counted once in the session
    assert summary["flop_budget"] == 10**12  # only the outermost budget counts
    assert summary["operations"]["einsum"] == {
        "flop_cost": THREADS * 2 * ROUNDS * 120,
        "calls": THREADS * 2 * ROUNDS,
    }
    by_ns = summary["by_namespace"]
    expected = {"shared"} | {f"shared/t{i}" for i in range(THREADS)}
    expected |= {f"shared/t{i}/inner" for i in range(THREADS)}
    assert set(by_ns) == expected
    assert by_ns["shared"]["flops_used"] == 7
    for index in range(THREADS):
        for path in (f"shared/t{index}", f"shared/t{index}/inner"):
            assert by_ns[path]["flops_used"] == ROUNDS * ROUND_COST
            assert by_ns[path]["operations"]["matmul"] == {
                "flop_cost": ROUNDS * 120,
                "calls": ROUNDS,
            }
    assert sum(ns["flops_used"] for ns in by_ns.values()) == summary["flops_used"]


def test_threads_reentering_one_shared_budget_with_multipliers(fast_switching) -> None:
    """The slow (non-unit multiplier) charging path under contention: 8 x 5,000 calls."""
    shared = me.BudgetContext(10**12, namespace="scaled", flop_multiplier=2.5)
    calls = 5000
    x = me.ones(3)

    def work() -> None:
        with shared:  # the same context object entered in every thread
            with me.BudgetContext(10**9, namespace="unit") as unit:
                for _ in range(calls):
                    me.add(x, 1)
                assert unit.flops_used == 3 * calls

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared.flops_used == THREADS * calls * int(3 * 2.5)
    assert shared.operations["add"]["calls"] == THREADS * calls
    summary = me.budget_summary_dict(by_namespace=True)
    # The session records the innermost (unscaled) cost, once per op.
    assert summary["by_namespace"]["scaled/unit"]["flops_used"] == THREADS * calls * 3
    assert summary["flops_used"] == THREADS * calls * 3


def test_threads_racing_for_a_tight_budget_never_overspend(fast_switching) -> None:
    """Many threads charge a budget that runs out mid-way: the successes add up exactly."""
    limit = 50_000
    shared = me.BudgetContext(limit, namespace="tight")
    x = me.ones(7)
    done = [0] * THREADS
    refused = [0] * THREADS

    def work(index: int) -> None:
        with shared:
            with me.BudgetContext(10**9, namespace=f"w{index}") as mine:
                for _ in range(2000):
                    try:
                        me.add(x, 1)
                    except me.BudgetExhaustedError as exc:
                        assert exc.namespace == "tight"  # the budget that ran out
                        assert exc.flop_budget == limit
                        refused[index] += 1
                    else:
                        done[index] += 1
                assert mine.flops_used == 7 * done[index]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(done) == limit // 7
    assert sum(done) + sum(refused) == THREADS * 2000
    assert shared.flops_used == 7 * sum(done) <= limit
    assert shared.exceeded
    assert shared.operations == {"add": {"flop_cost": 7 * sum(done), "calls": sum(done)}}
    assert me.budget_summary_dict()["flops_used"] == shared.flops_used


# -- overrun atomicity for every op that accepts out= --------------------------------------------
def _numpy_twin(name: str) -> Any:
    prefix, dot, short = name.partition(".")
    return getattr(getattr(np, prefix), short, None) if dot else getattr(np, name, None)


def _accepts_out(func: Any) -> bool:
    if isinstance(func, np.ufunc):
        return True
    try:
        return "out" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        # A C function without a signature (np.dot on NumPy 2.0): its docstring's first
        # line spells it, "dot(a, b, out=None)".
        first_line = (getattr(func, "__doc__", None) or "").strip().split("\n", 1)[0]
        return "out=" in first_line


OUT_OPS = sorted(
    name
    for name, spec in REGISTRY.items()
    if spec.status == COUNTED and _numpy_twin(name) is not None and _accepts_out(_numpy_twin(name))
)

rng = np.random.default_rng(11)
F23 = rng.uniform(0.1, 0.9, (2, 3))
F3 = rng.uniform(0.1, 0.9, 3)
F34 = rng.uniform(0.1, 0.9, (3, 4))
F45 = rng.uniform(0.1, 0.9, (4, 5))
F52 = rng.uniform(0.1, 0.9, (5, 2))
I23 = rng.integers(1, 9, (2, 3))
I3 = rng.integers(1, 4, 3)
BIG23 = rng.uniform(1.1, 3.0, (2, 3))
DATES = np.array(["2020-01-01", "NaT", "2021-03-04"], dtype="datetime64[D]")

INT_UNARY = {"bitwise_count", "bitwise_invert", "bitwise_not", "invert"}
INT_BINARY = {
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift",
    "left_shift", "right_shift", "gcd", "lcm",
}  # fmt: skip
QUANTILES = {"percentile": 40.0, "nanpercentile": 40.0, "quantile": 0.4, "nanquantile": 0.4}

# Custom ops taking out=: positional arguments and keywords of the probe call.
CUSTOM_OUT: dict[str, tuple[tuple, dict]] = {
    "clip": ((F34, 0.3, 0.7), {}),
    "dot": ((F34, F45), {}),
    "einsum": (("ij,jk->ik", F34, F45), {}),
    "fft.fft": ((F34,), {}),
    "fft.fft2": ((F34,), {}),
    "fft.fftn": ((F34,), {}),
    "fft.hfft": ((F34,), {}),
    "fft.ifft": ((F34,), {}),
    "fft.ifft2": ((F34,), {}),
    "fft.ifftn": ((F34,), {}),
    "fft.ihfft": ((F34,), {}),
    "fft.irfft": ((F34,), {}),
    "fft.irfft2": ((F34,), {}),
    "fft.irfftn": ((F34,), {}),
    "fft.rfft": ((F34,), {}),
    "fft.rfft2": ((F34,), {}),
    "fft.rfftn": ((F34,), {}),
    "linalg.multi_dot": (([F34, F45, F52],), {}),
    "matmul": ((F34, F45), {}),
    "matvec": ((F34, F45[:, 0]), {}),
    "vecmat": ((F3, F34), {}),
    "outer": ((F3, F45[0]), {}),
    "trace": ((rng.uniform(0, 1, (3, 3, 2)),), {}),
}


def out_probe(name: str) -> tuple[tuple, dict]:
    """Arguments for one successful call of ``name`` (without ``out``)."""
    spec = REGISTRY[name]
    if name in CUSTOM_OUT:
        return CUSTOM_OUT[name]
    if spec.category == "unary":
        if name in INT_UNARY:
            return (I23,), {}
        if name == "isnat":
            return (DATES,), {}
        if name in ("acosh", "arccosh"):
            return (BIG23,), {}
        return (F23,), {}
    if spec.category == "binary":
        if name in INT_BINARY:
            return (I23, I3), {}
        if name == "ldexp":
            return (F23, I3), {}
        return (F23, F3), {}
    if spec.category == "reduction":
        if name in QUANTILES:
            return (F34, QUANTILES[name]), {"axis": 0}
        return (F34,), {"axis": 0}
    raise AssertionError(f"no out= probe for {name}")


def test_out_walk_covers_every_op_that_accepts_out() -> None:
    assert len(OUT_OPS) >= 150
    custom = {n for n in OUT_OPS if REGISTRY[n].category in ("custom", "contraction")}
    newer = {n for n in ("matvec", "vecmat") if not hasattr(np, n)}  # NumPy >= 2.2 only
    assert custom == set(CUSTOM_OUT) - newer, "a custom op gained or lost out=: update CUSTOM_OUT"
    for name in OUT_OPS:
        out_probe(name)  # raises for an op without a probe


def _copy(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _sentinel_like(template: np.ndarray) -> np.ndarray:
    out = np.empty_like(np.asarray(template))
    if out.dtype.kind == "b":
        out[...] = True
    elif out.dtype.kind == "M":
        out[...] = np.datetime64("1999-09-09")
    else:
        out[...] = 7
    return out


def _state(*budgets: me.BudgetContext) -> tuple:
    return tuple((b.flops_used, tuple(b.op_log), repr(b.operations)) for b in budgets)


def _session_state() -> str:
    return repr(me.budget_summary_dict(by_namespace=True))


@pytest.mark.parametrize("tight", ["inner", "outer"])
@pytest.mark.parametrize("name", OUT_OPS)
def test_refused_op_leaves_out_untouched_and_records_nothing(name: str, tight: str) -> None:
    args, kwargs = out_probe(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = _numpy_twin(name)(*_copy(args), **kwargs)
    outputs = want if isinstance(want, tuple) else (want,)
    out = tuple(_sentinel_like(w) for w in outputs)
    out_arg = out if len(out) > 1 else out[0]
    cost = rule(name, *_copy(args), **kwargs)
    assert cost >= 1
    op = REGISTRY[name].impl
    spent = 11  # a charge made before, which must survive the refusal
    room = cost - 1
    outer_limit = spent + room if tight == "outer" else 10**12
    inner_limit = spent + room if tight == "inner" else 10**12
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(outer_limit, namespace="outer") as outer:
            with me.BudgetContext(inner_limit, namespace="inner") as inner:
                me.negative(me.ones(spent))
                before = _state(outer, inner)
                session = _session_state()
                with pytest.raises(me.BudgetExhaustedError) as info:
                    op(*_copy(args), out=out_arg, **kwargs)
                assert _state(outer, inner) == before
                assert _session_state() == session
                for array in out:
                    np.testing.assert_array_equal(array, _sentinel_like(array))
                # the test can fail: one more FLOP of room and the same call fills out
                limit_holder = inner if tight == "inner" else outer
                assert info.value.flop_cost == cost and info.value.flops_remaining == room
                assert limit_holder.flops_remaining == room
    error = info.value
    # the error names the budget that ran out, with its own namespace path
    assert error.op_name == name and error.namespace == ("outer" if tight == "outer" else "outer/inner")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(cost, namespace="exact") as exact:
            result = op(*_copy(args), out=out_arg, **kwargs)
    assert exact.flops_used == cost
    if _numpy_fills_out(name, args, kwargs, outputs):
        if len(out) == 1:
            assert result is out[0] or np.shares_memory(result, out[0])
        for got, expected in zip(out, outputs):
            np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-12, atol=1e-12)
    else:  # NumPy itself ignores out= here (np.fft.hfft); mechestim must return the same values
        np.testing.assert_allclose(np.asarray(result), np.asarray(want), rtol=1e-12, atol=1e-12)


def _numpy_fills_out(name: str, args: tuple, kwargs: dict, outputs: tuple) -> bool:
    out = tuple(_sentinel_like(w) for w in outputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _numpy_twin(name)(*_copy(args), out=out if len(out) > 1 else out[0], **kwargs)
    return all(np.allclose(o, w, equal_nan=True) for o, w in zip(out, outputs))


GENERATOR_OUT = [
    ("standard_normal", (), {"size": (2, 3)}),
    ("random", (), {"size": (2, 3)}),
    ("standard_exponential", (), {"size": (2, 3)}),
    ("standard_gamma", (2.0,), {"size": (2, 3)}),
]


@pytest.mark.parametrize("method, args, kwargs", GENERATOR_OUT, ids=[g[0] for g in GENERATOR_OUT])
def test_refused_generator_method_leaves_out_and_stream_untouched(method, args, kwargs) -> None:
    gen = me.random.default_rng(5)
    twin = np.random.default_rng(5)
    out = np.full((2, 3), 7.0)
    cost = me.flops.sampler_cost((2, 3))
    with me.BudgetContext(cost - 1) as budget:
        with pytest.raises(me.BudgetExhaustedError):
            getattr(gen, method)(*args, out=out, **kwargs)
    assert budget.flops_used == 0 and budget.op_log == []
    np.testing.assert_array_equal(out, np.full((2, 3), 7.0))
    with me.BudgetContext(cost) as budget:
        getattr(gen, method)(*args, out=out, **kwargs)
    # the refused draw did not advance the stream: the next one equals NumPy's first one
    np.testing.assert_array_equal(out, getattr(twin, method)(*args, **kwargs))
    assert budget.flops_used == cost


# -- overrun atomicity without out=: a sample of every family ------------------------------------
rng2 = np.random.default_rng(3)
SQ = rng2.uniform(0, 1, (4, 4)) + 4 * np.eye(4)
SPD = SQ @ SQ.T
V8 = rng2.uniform(0, 1, 8)
V5 = rng2.uniform(0, 1, 5)
M36 = rng2.uniform(0, 1, (3, 6))


def _ndarray_sort(a):
    a.sort()


def _ndarray_partition(a):
    a.partition(2)


def _iadd(a, b):
    a += b


def _imul(a):
    a *= 3.0


def _matmul_operator(a, b):
    return a @ b


def _pow_operator(a):
    return a**3


SAMPLES: dict[str, tuple[Callable, tuple, dict]] = {
    # contractions and einsum
    "tensordot": (me.tensordot, (F34, F45), {"axes": 1}),
    "kron": (me.kron, (F23, F3), {}),
    "inner": (me.inner, (F34, F34), {}),
    "vdot": (me.vdot, (V8, V8), {}),
    "cross": (me.cross, (F3, F3[::-1].copy()), {}),
    "linalg.outer": (me.linalg.outer, (F3, V5), {}),
    "einsum-no-out": (me.einsum, ("ij,jk,kl->il", F34, F45, F52), {}),
    "operator-matmul": (_matmul_operator, (me.asarray(F34), me.asarray(F45)), {}),
    "operator-power": (_pow_operator, (me.asarray(F34),), {}),
    # linalg
    "linalg.inv": (me.linalg.inv, (SQ,), {}),
    "linalg.solve": (me.linalg.solve, (SQ, V8[:4]), {}),
    "linalg.det": (me.linalg.det, (SQ,), {}),
    "linalg.svd": (me.linalg.svd, (M36,), {}),
    "linalg.svd-k": (me.linalg.svd, (M36, 2), {}),
    "linalg.eigh": (me.linalg.eigh, (SPD,), {}),
    "linalg.qr": (me.linalg.qr, (M36.T,), {}),
    "linalg.cholesky": (me.linalg.cholesky, (SPD,), {}),
    "linalg.lstsq": (me.linalg.lstsq, (M36.T, V8[:6]), {}),
    "linalg.pinv": (me.linalg.pinv, (M36,), {}),
    "linalg.norm": (me.linalg.norm, (M36,), {"ord": 2}),
    "linalg.matrix_power": (me.linalg.matrix_power, (SQ, 5), {}),
    "linalg.inv-symmetric": (me.linalg.inv, (me.as_symmetric(SPD, (0, 1)),), {}),
    # fft without out
    "fft.rfft-n": (me.fft.rfft, (V8,), {"n": 16}),
    # sorting, searching, sets, histograms
    "sort": (me.sort, (M36,), {}),
    "argsort": (me.argsort, (V8,), {}),
    "partition": (me.partition, (V8, 3), {}),
    "lexsort": (me.lexsort, ([V8, V8[::-1].copy()],), {}),
    "unique": (me.unique, (V8,), {"return_counts": True}),
    "searchsorted": (me.searchsorted, (np.sort(V8), V5), {}),
    "union1d": (me.union1d, (V8, V5), {}),
    "isin": (me.isin, (V8, V5), {}),
    "intersect1d": (me.intersect1d, (V8, V5), {}),
    "histogram": (me.histogram, (V8,), {"bins": 4}),
    "bincount": (me.bincount, (np.array([0, 1, 1, 3]),), {}),
    "digitize": (me.digitize, (V8, np.array([0.2, 0.5, 0.8])), {}),
    "ndarray.sort-in-place": (_ndarray_sort, (me.asarray(V8.copy()),), {}),
    "ndarray.partition-in-place": (_ndarray_partition, (me.asarray(V8.copy()),), {}),
    # misc
    "cov": (me.cov, (M36,), {}),
    "corrcoef": (me.corrcoef, (M36,), {}),
    "convolve": (me.convolve, (V8, V5), {}),
    "interp": (me.interp, (V5, np.sort(V8), V8), {}),
    "gradient": (me.gradient, (M36,), {}),
    "diff": (me.diff, (M36,), {"n": 2}),
    "allclose": (me.allclose, (M36, M36), {}),
    "trapezoid": (me.trapezoid, (V8,), {}),
    "vander": (me.vander, (V5,), {}),
    "logspace": (me.logspace, (0.0, 2.0, 50), {}),
    # generic without out=
    "average": (me.average, (M36,), {"axis": 1}),
    "count_nonzero": (me.count_nonzero, (M36,), {}),
    "isclose": (me.isclose, (M36, M36), {}),
    "nan_to_num": (me.nan_to_num, (M36,), {}),
    "sinc": (me.sinc, (M36,), {}),
    "operator-iadd": (_iadd, (me.asarray(M36.copy()), M36), {}),
    "operator-imul": (_imul, (me.asarray(M36.copy()),), {}),
    # polynomials, windows, unwrap
    "polyfit": (me.polyfit, (V8, V8[::-1].copy(), 3), {}),
    "polyval": (me.polyval, (V5, V8), {}),
    "roots": (me.roots, (V5,), {}),
    "polymul": (me.polymul, (V5, V8), {}),
    "hanning": (me.hanning, (64,), {}),
    "kaiser": (me.kaiser, (64, 5.0), {}),
    "unwrap": (me.unwrap, (V8 * 10,), {}),
    # symmetry
    "symmetrize": (me.symmetrize, (SQ, (0, 1)), {}),
    # random (global state must not move)
    "random.normal": (me.random.normal, (0.0, 1.0, (3, 4)), {}),
    "random.randn": (me.random.randn, (3, 4), {}),
    "random.choice": (me.random.choice, (10, 5), {"replace": False}),
    "random.permutation": (me.random.permutation, (V8,), {}),
    "random.shuffle": (me.random.shuffle, (V8.copy(),), {}),
    "random.multivariate_normal": (me.random.multivariate_normal, (V5[:2], np.eye(2), 6), {}),
}


def _snapshot(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, (list, tuple)):
        return tuple(_snapshot(v) for v in value)
    return repr(value)


def _random_state() -> tuple:
    state = np.random.get_state()
    return state[0], state[1].tobytes(), *state[2:]


def _fresh(value: Any) -> Any:
    if isinstance(value, me.SymmetricTensor):
        return value  # immutable here; a copy would drop the tag
    if isinstance(value, me.ndarray):
        return value.copy()
    return _copy(value)


@pytest.mark.parametrize("case", sorted(SAMPLES))
def test_refused_op_without_out_changes_nothing(case: str) -> None:
    func, args, kwargs = SAMPLES[case]
    # Cost of the call: measured once with room to spare (on copies of the arguments).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(10**12) as probe:
            func(*[_fresh(a) for a in args], **kwargs)
    cost = probe.flops_used
    assert cost >= 2, f"{case} is too cheap to refuse one FLOP short"
    me.budget_reset()
    call_args = [_fresh(a) for a in args]
    before_args = _snapshot(call_args)
    before_random = _random_state()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(10**12, namespace="outer") as outer:
            with me.BudgetContext(5 + cost - 1, namespace="inner") as inner:
                me.negative(me.ones(5))  # charged before; must survive the refusal
                inner_before = _state(outer, inner)
                session = _session_state()
                with pytest.raises(me.BudgetExhaustedError):
                    func(*call_args, **kwargs)
                assert _state(outer, inner) == inner_before
                assert _session_state() == session
    assert _snapshot(call_args) == before_args  # inputs (and in-place targets) untouched
    assert _random_state() == before_random  # no random numbers were drawn
    assert inner.exceeded and not outer.exceeded


def test_every_family_is_sampled() -> None:
    """The sample touches every cost-model family that has no out= (contractions, linalg, ...)."""
    recorded = set()
    for case in SAMPLES:
        func, args, kwargs = SAMPLES[case]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with me.BudgetContext(10**12) as budget:
                func(*[_fresh(a) for a in args], **kwargs)
        recorded |= {r.op_name for r in budget.op_log}
    families = {
        "linalg": {n for n in recorded if n.startswith("linalg.")},
        "fft": {n for n in recorded if n.startswith("fft.")},
        "random": {n for n in recorded if n.startswith("random.")},
        "generic": {n for n in recorded if REGISTRY.get(n) and REGISTRY[n].category != "custom"},
        "custom": {n for n in recorded if REGISTRY.get(n) and REGISTRY[n].category == "custom"},
    }
    assert all(len(names) >= 1 for names in families.values()), families
    assert len(families["custom"]) >= 40


# -- asyncio ----------------------------------------------------------------------------------
def test_asyncio_tasks_with_their_own_budgets_interleave_cleanly() -> None:
    tasks_n = 16
    steps = 40

    async def job(index: int) -> tuple[int, int, list]:
        size = index + 1
        with me.BudgetContext(10**9, namespace=f"task{index}") as mine:
            for step in range(steps):
                me.add(me.ones(size), 1)
                await asyncio.sleep(0)  # let every other task run between charges
                if step % 5 == 0:
                    with me.BudgetContext(10**6, namespace="inner") as inner:
                        me.multiply(me.ones(size), 2)
                        await asyncio.sleep(0)
                        me.multiply(me.ones(size), 2)
                    assert inner.flops_used == 2 * size
        return index, mine.flops_used, mine.op_log

    async def main() -> list:
        with me.BudgetContext(10**10, namespace="loop") as outer:
            results = await asyncio.gather(*(job(i) for i in range(tasks_n)))
        return [results, outer]

    results, outer = asyncio.run(main())
    inner_rounds = len(range(0, steps, 5))
    total = 0
    for index, used, log in results:
        size = index + 1
        expected = steps * size + inner_rounds * 2 * size
        assert used == expected
        assert {r.namespace for r in log} == {f"loop/task{index}", f"loop/task{index}/inner"}
        total += expected
    assert outer.flops_used == total
    summary = me.budget_summary_dict(by_namespace=True)
    assert summary["flops_used"] == total
    assert summary["by_namespace"]["loop/task3/inner"]["flops_used"] == inner_rounds * 2 * 4


def test_asyncio_overrun_in_one_task_leaves_the_others_alone() -> None:
    async def job(limit: int) -> tuple[int, bool]:
        with me.BudgetContext(limit) as mine:
            try:
                for _ in range(10):
                    me.add(me.ones(10), 1)
                    await asyncio.sleep(0)
            except me.BudgetExhaustedError:
                return mine.flops_used, True
        return mine.flops_used, False

    async def main() -> list:
        return await asyncio.gather(job(55), job(100), job(10**6), job(9))

    assert asyncio.run(main()) == [(50, True), (100, False), (100, False), (0, True)]
    assert me.budget_summary_dict()["flops_used"] == 250


def test_asyncio_task_budget_created_before_the_loop_is_shared_across_tasks() -> None:
    shared = me.BudgetContext(10**8, namespace="shared")

    async def job() -> None:
        with shared:
            for _ in range(50):
                me.add(me.ones(4), 1)
                await asyncio.sleep(0)

    async def main() -> None:
        await asyncio.gather(*(job() for _ in range(10)))

    asyncio.run(main())
    assert shared.flops_used == 10 * 50 * 4
    assert shared.operations["add"]["calls"] == 500
    assert math.isclose(me.budget_summary_dict()["flops_used"], 2000)
