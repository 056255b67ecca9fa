"""The one counted-call pipeline (issue 10): every counted op charges through
``mechestim._core.pipeline.execute``; mechestim arrays anywhere in a call never loop back;
refunds only for calls NumPy refused before computing; one non-finite warning per event,
at the user's line."""

from __future__ import annotations

import ast
import math
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
from test_coverage import PROBES, SEEDED, _copy, _resolve

import mechestim as me
from mechestim._core import pipeline
from mechestim._core.registry import COUNTED, REGISTRY, too_new
from mechestim._ops import random_state as _random_state

PACKAGE = Path(me.__file__).parent
V8 = np.linspace(1.0, 2.0, 8)
M34 = np.linspace(1.0, 2.0, 12).reshape(3, 4)
EXTRA_ARGS = {  # reductions that need a second argument
    "percentile": (50,), "nanpercentile": (50,), "quantile": (0.5,), "nanquantile": (0.5,),
}
# The counted names of the rest of the NumPy surface (revision 2: me.emath, matvec, vecmat).
SURFACE_PROBES = {
    "emath.logn": ((np.full(8, 2.0), V8), {}),
    "emath.power": ((-V8, 2), {}),
    "matvec": ((M34, V8[:4]), {}),
    "vecmat": ((V8[:3], M34), {}),
}


def _generic_probe(name: str) -> tuple[tuple, dict]:
    spec = REGISTRY[name]
    if name in ("isnat",):
        return (np.array(["2020-01-01"], dtype="datetime64[D]"),), {}
    if name in ("invert", "bitwise_not", "bitwise_invert", "bitwise_count"):
        return (np.arange(8),), {}
    if name in ("gcd", "lcm", "left_shift", "right_shift", "bitwise_left_shift",
                "bitwise_right_shift", "bitwise_and", "bitwise_or", "bitwise_xor"):
        return (np.arange(8), np.arange(8)), {}
    if name == "isclose":
        return (V8, V8), {}
    if name == "ldexp":
        return (V8, np.arange(8)), {}
    if name in SURFACE_PROBES:
        return SURFACE_PROBES[name]
    if spec.category in ("unary", "emath"):
        return (V8 / 3,), {}
    if spec.category == "binary":
        return (V8, V8[::-1]), {}
    return (V8, *EXTRA_ARGS.get(name, ())), {}


def _counted_calls():
    for name, spec in sorted(REGISTRY.items()):
        if spec.status != COUNTED or name == "einsum_path":
            continue
        if spec.category == "custom":
            if name in PROBES:
                args, kwargs, _ = PROBES[name]
            else:
                args, kwargs = SEEDED[name]
        else:
            args, kwargs = _generic_probe(name)
        yield name, args, kwargs


COUNTED_CALLS = list(_counted_calls())


@pytest.fixture
def through_execute(monkeypatch):
    """Counts the charges made by execute; every other charge would be a second route."""
    calls: list[str] = []
    real_charge = pipeline.charge

    def counting_charge(op_name, cost, shapes=(), subscripts=None):
        calls.append(op_name)
        real_charge(op_name, cost, shapes, subscripts)

    monkeypatch.setattr(pipeline, "charge", counting_charge)
    return calls


def test_the_probe_list_covers_every_counted_op():
    counted = {n for n, s in REGISTRY.items() if s.status == COUNTED and n != "einsum_path"}
    assert {name for name, _, _ in COUNTED_CALLS} == counted
    assert len(counted) > 300
    assert {"emath.sqrt", "emath.logn", "matvec", "vecmat"} <= counted  # the surface's


@pytest.mark.parametrize(("name", "args", "kwargs"), COUNTED_CALLS, ids=[c[0] for c in COUNTED_CALLS])
def test_every_counted_op_charges_through_the_one_primitive(through_execute, name, args, kwargs):
    if too_new(REGISTRY[name]):
        pytest.skip(f"{name} needs NumPy >= {REGISTRY[name].since} (this is NumPy {np.__version__})")
    op = _resolve(me, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(10**12) as budget:
            op(*_copy(args), **kwargs)
    assert budget.flops_used > 0
    assert len(budget.op_log) == len(through_execute) == 1, (budget.op_log, through_execute)


RANDOM_STATE_METHODS = sorted(_random_state._COUNTED)


def _random_state_probe(short: str) -> tuple[tuple, dict]:
    name = f"random.{short}"
    if name in PROBES:
        args, kwargs, _ = PROBES[name]
        return args, kwargs
    return SEEDED[name]


def test_random_state_has_a_charged_method_for_every_module_level_sampler():
    assert len(RANDOM_STATE_METHODS) > 40
    assert {"normal", "shuffle", "permutation", "choice", "randint"} <= set(RANDOM_STATE_METHODS)


@pytest.mark.parametrize("short", RANDOM_STATE_METHODS)
def test_every_random_state_method_charges_through_the_one_primitive(through_execute, short):
    args, kwargs = _random_state_probe(short)
    state = me.random.RandomState(0)
    with warnings.catch_warnings(), me.BudgetContext(10**12) as budget:
        warnings.simplefilter("ignore", DeprecationWarning)  # random_integers, at this line
        getattr(state, short)(*_copy(args), **kwargs)
    assert budget.flops_used > 0
    assert through_execute == [f"random.RandomState.{short}"]
    assert [r.op_name for r in budget.op_log] == through_execute


def test_a_random_state_draw_numpy_refuses_is_refunded():
    with me.BudgetContext(10**6) as budget:
        with pytest.raises(ValueError):
            me.random.RandomState(0).normal(0.0, -1.0, size=4)  # NumPy: scale < 0
    assert budget.flops_used == 0 and budget.op_log == []


@pytest.mark.parametrize(
    "call",
    [
        lambda x: me.vectorize(lambda v: v * 2 + 1)(x),
        lambda x: np.vectorize(lambda v: v * 2 + 1)(x),
        lambda x: me.frompyfunc(lambda v: v * 2, 1, 1)(x),
        lambda x: me.apply_along_axis(lambda row: row.sum(), 0, x),
        lambda x: me.piecewise(x, [x < 1.5], [lambda v: v * 2, lambda v: v + 1]),
    ],
)
def test_callbacks_charge_the_users_ops_through_the_primitive(through_execute, call):
    x = me.array(V8)
    with me.BudgetContext(10**9) as budget:
        call(x)
    assert budget.flops_used > 0
    assert [r.op_name for r in budget.op_log] == through_execute


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.conj(),  # real data: NumPy returns the array itself
        lambda x: x.sort(),
        lambda x: np.add.outer(x, x),
        lambda x: np.add.at(x, [0, 1], 1.0),
        lambda x: np.multiply.accumulate(x),
        lambda x: np.ldexp(x, 2),
        lambda x: me.symmetrize(np.outer(x, x), (0, 1)),
        lambda x: x @ x,
        lambda x: x + 1,
    ],
)
def test_methods_operators_and_protocol_routes_charge_through_the_primitive(through_execute, call):
    x = me.array(V8)
    with me.BudgetContext(10**9) as budget:
        call(x)
    assert budget.flops_used > 0
    assert len(budget.op_log) == len(through_execute) >= 1


def test_no_module_charges_or_refunds_by_hand():
    """Only the budget module and the pipeline touch ``charge``/``refund``."""
    allowed = {PACKAGE / "_budget.py", PACKAGE / "_core" / "pipeline.py"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path in allowed:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in ("charge", "refund"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.id}")
            if isinstance(node, ast.alias) and node.name in ("charge", "refund"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {node.name}")
    assert offenders == []


# -- a mechestim array anywhere in a call ---------------------------------------------------
# Each case builds its call from plain data; ``mk`` is np.asarray (the plain call) or
# me.array (a mechestim array in that position). Both must agree and charge the same.
SEAM_CASES = {
    "me.sum where=": lambda x, mk: me.sum(x, where=mk(x > 2)),
    "x.sum where=": lambda x, mk: me.array(x).sum(where=mk(x > 2)),
    "np.sum where=": lambda x, mk: np.sum(me.array(x), where=mk(x > 2)),
    "x.mean where=": lambda x, mk: me.array(x).mean(where=mk(x > 2)),
    "me.exp where=": lambda x, mk: me.exp(x, where=mk(x > 2), out=np.zeros(6)),
    "me.add where=": lambda x, mk: me.add(x, 1, where=mk(x > 2), out=np.zeros(6)),
    "np.add.reduce where=": lambda x, mk: np.add.reduce(me.array(x), where=mk(x > 2)),
    "me.average weights=": lambda x, mk: me.average(x, weights=mk(np.ones(6))),
    "me.percentile q=": lambda x, mk: me.percentile(x, mk(np.linspace(0, 100, 5))),
    "me.block nested": lambda x, mk: me.block([[mk(x), mk(x)], [mk(x), mk(x)]]),
    "np.block nested": lambda x, mk: np.block([[me.array(x), mk(x)], [mk(x), mk(x)]]),
    "me.concatenate list": lambda x, mk: me.concatenate([mk(x), mk(x)]),
    "me.select lists": lambda x, mk: me.select([mk(x > 2), mk(x < 1)], [mk(x), mk(-x)]),
    "me.choose choices": lambda x, mk: me.choose(np.array([0, 1, 0, 1, 0, 1]), [mk(x), mk(-x)]),
    "me.quantile out=": lambda x, mk: me.quantile(x, 0.5, out=mk(np.zeros(()))),
    "me.sum initial=": lambda x, mk: me.sum(x, initial=mk(np.array(1.0))),
    "me.clip bounds": lambda x, mk: me.clip(x, mk(np.zeros(6)), mk(np.full(6, 3.0))),
    "me.dot out=": lambda x, mk: me.dot(x, x, out=mk(np.zeros(()))),
    "me.einsum nested": lambda x, mk: me.einsum("i,i->", mk(x), mk(x)),
    "me.interp xp fp": lambda x, mk: me.interp(mk(x / 2), mk(x), mk(x * 2)),
}


def _run_charged(case, make):
    x = np.arange(6.0)
    with me.BudgetContext(10**9) as budget:
        result = case(x, make)
    return result, budget.flops_used, [r.op_name for r in budget.op_log]


@pytest.mark.parametrize("name", list(SEAM_CASES))
def test_a_mechestim_array_anywhere_works_and_charges_what_a_plain_array_charges(name):
    case = SEAM_CASES[name]
    plain, plain_flops, plain_ops = _run_charged(case, np.asarray)
    wrapped, wrapped_flops, wrapped_ops = _run_charged(case, me.array)  # 0.3: RecursionError
    np.testing.assert_array_equal(np.asarray(wrapped), np.asarray(plain))
    assert wrapped_ops == plain_ops
    assert wrapped_flops == plain_flops


def test_where_masks_charge_the_comparison_once_and_the_op_as_plain():
    x = np.arange(6.0)
    mask = me.array(x) > 2
    with me.BudgetContext(10**6) as plain_budget:
        me.sum(x, where=np.asarray(mask))
    with me.BudgetContext(10**6) as wrapped_budget:
        me.sum(x, where=mask)
        np.sum(me.array(x), where=mask)
        np.add.reduce(me.array(x), where=mask)
    assert plain_budget.flops_used == 6
    assert wrapped_budget.flops_used == 18
    assert [r.op_name for r in wrapped_budget.op_log] == ["sum", "sum", "sum"]


# -- refunds only for calls NumPy refused before computing ---------------------------------
def test_a_divide_that_raised_floating_point_error_keeps_its_charge_and_its_out():
    out = np.zeros(3)
    with np.errstate(divide="raise"), me.BudgetContext(100) as budget:
        with pytest.raises(FloatingPointError):
            me.divide(np.ones(3), np.zeros(3), out=out)
    assert budget.flops_used == 3  # 0.3 refunded it: 0
    assert np.isinf(out).all()  # the division ran and wrote its result


def test_a_call_numpy_refused_before_computing_is_still_refunded():
    with me.BudgetContext(100) as budget:
        with pytest.raises(TypeError):
            me.add(np.ones(3), np.ones(3), casting="no", dtype=np.int8)
    assert budget.flops_used == 0 and budget.op_log == []


# -- non-finite results ----------------------------------------------------------------------
def _warnings_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [(w.category, Path(w.filename).name, str(w.message)) for w in caught]


HERE = Path(__file__).name


@pytest.mark.parametrize(
    "call",
    [
        lambda: me.log(np.arange(3.0)),
        lambda: np.log(me.arange(3.0)),
        lambda: me.arange(3.0) / 0,
        lambda: me.exp(np.array([1000.0])),
        lambda: me.sum(np.array([np.inf, -np.inf])),
    ],
)
def test_a_nonfinite_result_warns_once_at_the_users_line(call):
    caught = _warnings_of(call)
    assert len(caught) == 1, caught  # 0.3: NumPy's RuntimeWarning (from _wrap.py) as well
    category, filename, _ = caught[0]
    assert category is me.MechEstimWarning and filename == HERE


def test_nonfinite_warnings_follow_numpys_errstate():
    x = np.arange(3.0)
    with np.errstate(all="ignore"):
        assert _warnings_of(lambda: me.log(x)) == []
        assert _warnings_of(lambda: me.add(np.array([np.nan]), 1)) == []
    with np.errstate(divide="ignore"):  # the matching category: silent
        assert _warnings_of(lambda: me.log(x)) == []
        # an overflow is not a division: still reported
        assert [c for c, _, _ in _warnings_of(lambda: me.exp(np.array([1e3])))] == [
            me.MechEstimWarning
        ]
    with np.errstate(invalid="ignore"):
        assert _warnings_of(lambda: me.sqrt(np.array([-1.0]))) == []


def test_an_event_with_a_finite_result_gives_numpys_warning_at_the_users_line():
    caught = _warnings_of(lambda: me.floor_divide(np.arange(3), 0))
    assert caught == [(RuntimeWarning, HERE, "divide by zero encountered in floor_divide")]


@pytest.mark.parametrize("size", [10, 5000])  # 5000: the size the compiled kernel serves
def test_an_underflow_the_user_asked_to_hear_of_is_reported_at_the_users_line(size):
    # np.errstate(under='warn'): NumPy's own RuntimeWarning named a line of mechestim.
    tiny = np.full(size, 1e-200)
    with np.errstate(under="warn"):
        caught = _warnings_of(lambda: me.multiply(tiny, tiny))
        assert caught == [(RuntimeWarning, HERE, "underflow encountered in multiply")]
        assert _warnings_of(lambda: np.multiply(tiny, tiny)) == caught
    assert _warnings_of(lambda: me.multiply(tiny, tiny)) == []  # NumPy's default: ignored


def test_a_users_errcall_handler_still_sees_numpys_events():
    seen = []
    with np.errstate(divide="call", call=lambda kind, flag: seen.append(kind)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", me.MechEstimWarning)
            me.log(np.zeros(2))
    assert seen == ["divide by zero"]


def test_a_nonfinite_check_never_charges():
    with me.BudgetContext(100) as budget:
        with pytest.warns(me.MechEstimWarning):
            me.array([np.nan, 1.0]).conj()
    assert [r.op_name for r in budget.op_log] == ["conj"]
    with pytest.warns(me.MechEstimWarning, match="sum produced a NaN scalar result"):
        assert math.isnan(me.sum(np.array([np.nan])))  # needs no budget context either


# -- large element-wise results ------------------------------------------------------------------
BIG = np.linspace(-1.0, 1.0, 5 * 60_000).reshape(-1, 5)


@pytest.mark.parametrize(
    "call",
    [
        lambda np_or_me, x: np_or_me.add(x, x[::-1].copy()),
        lambda np_or_me, x: np_or_me.multiply(x, 2.5),
        lambda np_or_me, x: np_or_me.subtract(3, x),
        lambda np_or_me, x: np_or_me.add(x.astype(np.int64), 7),
        lambda np_or_me, x: np_or_me.divide(x.astype(np.int32), 3),
        lambda np_or_me, x: np_or_me.true_divide(np.float32(2), (x + 3).astype(np.float32)),
    ],
)
def test_large_results_equal_numpys(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with me.BudgetContext(10**9) as budget:
            got = call(me, BIG)
    want = call(np, BIG)
    assert isinstance(got, me.ndarray) and got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)
    assert budget.flops_used == BIG.size and len(budget.op_log) == 1


def test_large_results_match_numpy_values_and_dtype():
    other = BIG[::-1].copy()
    for me_op, np_op in ((me.add, np.add), (me.divide, np.divide), (me.maximum, np.maximum)):
        got = me_op(BIG, other)
        want = np_op(BIG, other)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(np.asarray(got), want)
    ints = np.arange(BIG.size).reshape(BIG.shape)
    np.testing.assert_array_equal(np.asarray(me.add(ints, 3)), ints + 3)
    assert me.add(ints, 3).dtype == (ints + 3).dtype


def test_a_nonfinite_value_anywhere_in_a_large_result_warns_once():
    x = BIG.copy()
    x.reshape(-1)[-1] = np.nan
    x.reshape(-1)[3] = np.inf
    caught = _warnings_of(lambda: me.add(x, 1.0))
    assert caught == [
        (me.MechEstimWarning, HERE, f"add produced 1 NaN and 1 Inf values in a result of shape {x.shape}")
    ]
    with np.errstate(invalid="ignore", over="ignore"):
        assert _warnings_of(lambda: me.add(x, 1.0)) == []


def test_threads_running_large_ops_at_once_lose_no_charge_and_raise_nothing():
    """NumPy releases the GIL inside a large ufunc, so another thread can reach the quiet
    error-state Context while it is entered; it then runs with the state set directly."""
    import contextvars
    import threading

    x = np.ones(200_000)
    errors = []

    def work():
        try:
            for _ in range(20):
                assert np.asarray(me.add(x, x))[0] == 2.0
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    with me.BudgetContext(10**12) as budget:
        threads = [
            threading.Thread(target=contextvars.copy_context().run, args=(work,)) for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert budget.flops_used == 4 * 20 * x.size


@pytest.mark.parametrize("size", [8, 5_000, 20_000])
def test_a_finite_result_whose_check_sum_overflows_gives_no_warning(size):
    # The one-pass check (a sum, or a sum of squares) overflows to Inf on large finite
    # values; the exact count then finds nothing to report.
    assert _warnings_of(lambda: me.add(np.full(size, 1e308), 0.0)) == []
    assert _warnings_of(lambda: me.add(np.full(size, 1e308 + 1e308j), 0.0)) == []


def test_an_event_in_one_thread_is_never_taken_by_another():
    """NumPy's warning for an event with a finite result (an integer division by zero) is
    given at the call that had it, while another thread checks its own results: a single
    pending flag for all threads let the other thread's check clear it, and the warning
    came one call late, or never."""
    zeros = np.zeros(8, np.int64)
    ones = np.ones(8, np.int64)
    rounds = 3000
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")

            per_call = []

            def events():
                with me.BudgetContext(10**9):
                    for _ in range(rounds):
                        before = len(caught)
                        with np.errstate(divide="warn"):
                            me.floor_divide(ones, zeros)  # 0s and NumPy's warning
                        per_call.append(len(caught) - before)

            def clean():
                with me.BudgetContext(10**9):
                    for _ in range(rounds * 3):
                        me.add(ones, ones)

            threads = [threading.Thread(target=events), threading.Thread(target=clean)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        sys.setswitchinterval(old)
    assert per_call == [1] * rounds  # each call's own warning, at that call
    divides = [w for w in caught if "divide by zero encountered in floor_divide" in str(w.message)]
    assert len(divides) == rounds
    stray = [str(w.message) for w in caught if "encountered in add" in str(w.message)]
    assert stray == []
