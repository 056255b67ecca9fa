"""The generic families (unary, binary, reduction, free): costs on a probe shape and
values equal to NumPy's, on fixed probes and on generated shapes."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from helpers import numpy_has, skip_unless_numpy_has
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mechestim as me
from mechestim._core.registry import REGISTRY

UNARY = sorted(n for n, s in REGISTRY.items() if s.category == "unary")
BINARY = sorted(n for n, s in REGISTRY.items() if s.category == "binary")
REDUCTION = sorted(n for n, s in REGISTRY.items() if s.category == "reduction")
FREE = sorted(n for n, s in REGISTRY.items() if s.category == "free")

PROBE = (3, 4)
INT_UNARY = {"bitwise_count", "bitwise_invert", "bitwise_not", "invert"}
INT_BINARY = {
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift",
    "left_shift", "right_shift", "gcd", "lcm",
}  # fmt: skip
EXTRA_ARGS = {  # reductions that take more than the array
    "percentile": (50,),
    "nanpercentile": (50,),
    "quantile": (0.5,),
    "nanquantile": (0.5,),
}
MEAN_LIKE = {"mean", "average", "nanmean"}
VARIANCE_LIKE = {"std", "var", "nanstd", "nanvar"}


def numpy_func(name):
    return getattr(np, name, None)


def unary_input(name, shape=PROBE, seed=0):
    rng = np.random.default_rng(seed)
    if name in INT_UNARY:
        return rng.integers(0, 50, shape)
    if name == "isnat":
        return np.arange(math.prod(shape)).reshape(shape).astype("datetime64[D]")
    if name in ("arccosh", "acosh"):
        return rng.uniform(1.1, 3.0, shape)
    return rng.uniform(0.1, 0.9, shape)


def binary_inputs(name, shapes=(PROBE, PROBE), seed=0):
    rng = np.random.default_rng(seed)
    if name in INT_BINARY:
        return rng.integers(1, 20, shapes[0]), rng.integers(1, 5, shapes[1])
    if name == "ldexp":
        return rng.uniform(0.5, 2.0, shapes[0]), rng.integers(-3, 3, shapes[1])
    return rng.uniform(0.5, 2.0, shapes[0]), rng.uniform(0.5, 2.0, shapes[1])


def call_unary(module, name, x):
    if name == "isclose":
        return getattr(module, name)(x, np.asarray(x) * 1.0000001)
    return getattr(module, name)(x)


def charged(fn):
    with me.BudgetContext(10**12) as b:
        result = fn()
    return result, b.flops_used, b.op_log


def assert_same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, me.ndarray), type(got)
        assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(np.asarray(got), want)


# -- fixed probes -------------------------------------------------------------------------
@pytest.mark.parametrize("name", UNARY)
def test_unary_cost_and_values(name):
    x = unary_input(name)
    want = call_unary(np, name, x)
    got, used, log = charged(lambda: call_unary(me, name, me.asarray(x)))
    assert used == 12
    assert log[0].op_name == name
    assert_same(got, want)


@pytest.mark.parametrize("name", BINARY)
def test_binary_cost_and_values(name):
    a, b = binary_inputs(name, ((4, 1, 3), (5, 3)))
    want = getattr(np, name)(a, b)
    got, used, log = charged(lambda: getattr(me, name)(a, me.asarray(b)))
    if name == "vecdot":
        assert used == 2 * 60
    else:
        assert used == 60  # numel of the broadcast output (4, 5, 3)
    assert log[0].shapes == ((4, 1, 3), (5, 3))
    assert_same(got, want)


# NEP 50: a Python scalar is weakly typed, so it neither widens the array's dtype nor fits
# silently when it is out of range. The wrapper must hand it to NumPy as it came.
SCALAR_OPERANDS = [
    (np.ones(3, np.float32), 1.5),
    (2.5, np.ones(3, np.float32)),
    (np.ones(3, np.float32), 1j),
    (np.ones(3, np.int8), 3),
    (np.ones(3, np.int8), 300),
]


@pytest.mark.parametrize("name", BINARY)
def test_python_scalars_promote_as_in_numpy(name):
    for x1, x2 in SCALAR_OPERANDS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                want = getattr(np, name)(x1, x2)
            except Exception as error:  # noqa: BLE001 - the type is what is compared
                with me.BudgetContext(10**6) as budget, pytest.raises(type(error)):
                    getattr(me, name)(x1, x2)
                assert budget.flops_used == 0  # refused by NumPy: refunded
                continue
            with me.BudgetContext(10**6):
                got = getattr(me, name)(x1, x2)
        assert np.asarray(got).dtype == np.asarray(want).dtype, (name, x1.__class__, x2)


def _kind(value):
    """What sort of object a result is: NumPy array, NumPy scalar or a Python type."""
    if isinstance(value, np.ndarray):
        return "array"
    if isinstance(value, np.generic):
        return "numpy scalar"
    return type(value).__name__


UNARY_SCALARS = [1.5, 3, True, 0.5 + 0.25j, np.float32(0.5), np.int8(3), np.complex64(1j)]


@pytest.mark.parametrize("name", sorted(set(UNARY) - {"isclose", "isnat"}))
def test_unary_scalar_operands_give_what_numpy_gives(name):
    # np.real(1.5) is the Python float 1.5 and np.imag(np.float32(2)) a float32 scalar;
    # a wrapper that makes a 0-d array of the operand first returns a 0-d array instead.
    for x in UNARY_SCALARS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                want = getattr(np, name)(x)
            except Exception as error:  # noqa: BLE001 - the type is what is compared
                with me.BudgetContext(10**6) as budget, pytest.raises(type(error)):
                    getattr(me, name)(x)
                assert budget.flops_used == 0
                continue
            with me.BudgetContext(10**6) as budget:
                got = getattr(me, name)(x)
        assert budget.flops_used == 1
        assert _kind(got) == _kind(want), (name, x)
        assert np.asarray(got).dtype == np.asarray(want).dtype, (name, x)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


@pytest.mark.parametrize("name", REDUCTION)
@pytest.mark.parametrize("axis", [None, 0])
def test_reduction_cost_and_values(name, axis):
    skip_unless_numpy_has(name)
    x = np.random.default_rng(1).uniform(0.1, 0.9, (6, 5))
    extra = EXTRA_ARGS.get(name, ())
    if name.startswith("cumulative") and axis is None:
        pytest.skip("cumulative_* need an axis for 2-D input")
    want = getattr(np, name)(x, *extra, axis=axis)
    got, used, _ = charged(lambda: getattr(me, name)(me.asarray(x), *extra, axis=axis))
    out_numel = 1 if axis is None else 5
    if name in MEAN_LIKE:
        assert used == 30 + out_numel
    elif name in VARIANCE_LIKE:
        assert used == 60 + out_numel
    else:
        assert used == 30
    if isinstance(want, np.ndarray):
        assert_same(got, want)
    else:
        np.testing.assert_allclose(got, want)
        assert not isinstance(got, np.ndarray)  # scalars stay NumPy scalars


def test_reduction_examples_of_the_cost_model():
    x = me.ones((256, 256))
    assert charged(lambda: me.mean(x))[1] == 65_537
    assert charged(lambda: me.mean(x, axis=0))[1] == 65_792
    assert charged(lambda: me.std(x))[1] == 131_073
    assert me.flops.reduction_cost((256, 256), op="mean") == 65_537
    assert me.flops.reduction_cost((256, 256), axis=0, op="mean") == 65_792
    assert me.flops.reduction_cost((256, 256), op="std") == 131_073


def test_empty_and_scalar_inputs_charge_at_least_one():
    assert charged(lambda: me.exp(me.ones(0)))[1] == 1
    assert charged(lambda: me.sum(me.ones(0)))[1] == 1
    assert charged(lambda: me.add(2.0, 3.0))[1] == 1


@pytest.mark.parametrize("name", FREE)
def test_free_names_are_bound_and_charge_nothing(name):
    spec = REGISTRY[name]
    assert spec.impl is not None
    assert spec.cost() == 0


FREE_CALLS = [
    ("reshape", lambda m, x: m.reshape(x, (2, 6))),
    ("transpose", lambda m, x: m.transpose(x)),
    ("concatenate", lambda m, x: m.concatenate([x, x])),
    ("stack", lambda m, x: m.stack([x, x], axis=1)),
    ("where", lambda m, x: m.where(np.asarray(x) > 0.5, x, 0.0)),
    ("zeros_like", lambda m, x: m.zeros_like(x)),
    ("linspace", lambda m, x: m.linspace(0, 1, 7)),
    ("diag", lambda m, x: m.diag(m.diagonal(x))),
    ("tril", lambda m, x: m.tril(x)),
    ("pad", lambda m, x: m.pad(x, 1)),
    ("row_stack", lambda m, x: m.row_stack([x, x]) if m is me else m.vstack([x, x])),
    ("fft.fftfreq", lambda m, x: m.fft.fftfreq(8)),
    ("linalg.diagonal", lambda m, x: m.linalg.diagonal(x)),
    ("split", lambda m, x: m.split(x, 3)),
    ("broadcast_arrays", lambda m, x: m.broadcast_arrays(x, x[:1])),
    ("nonzero", lambda m, x: m.nonzero(np.asarray(x) > 0.5)),
]


@pytest.mark.parametrize("name, call", FREE_CALLS, ids=[c[0] for c in FREE_CALLS])
def test_free_values_match_numpy_and_need_no_budget(name, call):
    x = np.random.default_rng(2).uniform(0, 1, (3, 4))
    mx = me.asarray(x)
    with me.BudgetContext(1) as b:  # a budget of 1 would refuse any counted op
        got = call(me, mx)
    assert b.flops_used == 0
    assert_same(got, call(np, x))


def test_free_views_share_memory():
    x = me.zeros((2, 3))
    v = me.reshape(x, 6)
    v[0] = 5
    assert x[0, 0] == 5 and isinstance(v, me.ndarray)


# -- non-numeric input ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda: me.exp(np.array(["a", "b"])),
        lambda: me.add(np.array([1, 2], dtype=object), 1),
        lambda: me.sum(np.array([b"x"])),
        lambda: me.sqrt(np.array(["2020-01-01"], dtype="datetime64[D]")),
        lambda: me.multiply(1.0, np.zeros(2, dtype=[("a", "f8")])),
    ],
)
def test_non_numeric_dtypes_raise_type_error(call):
    with me.BudgetContext(100) as b:
        with pytest.raises(TypeError, match="does not accept"):
            call()
    assert b.flops_used == 0


def test_a_call_numpy_refuses_after_charging_is_refunded():
    with me.BudgetContext(100) as b:
        me.add(me.ones(3), 1)
        with pytest.raises(TypeError):
            me.exp(me.ones(4), bogus=1)
    assert b.flops_used == 3 and [r.op_name for r in b.op_log] == ["add"]
    assert b.operations == {"add": {"flop_cost": 3, "calls": 1}}
    assert me.budget_summary_dict()["operations"] == {"add": {"flop_cost": 3, "calls": 1}}


@pytest.mark.parametrize(
    "call",
    [
        lambda x, o, o2: (me.negative(x, o), o),
        lambda x, o, o2: (me.conj(x, o), o),
        lambda x, o, o2: (me.add(x, x, o), o),
        lambda x, o, o2: (me.modf(x, o, o2), (o, o2)),
    ],
    ids=["negative", "conj", "add", "modf"],
)
def test_positional_out_is_charged_once_and_returned(call):
    # ufunc(x, out) as NumPy spells it: a me.ndarray out once went through the ufunc
    # protocol a second time (charged twice, plus a 'dot' from the NaN check).
    x = me.asarray([0.5, 1.5, 2.5])
    with me.BudgetContext(100) as b:
        got, want = call(x, me.zeros(3), me.zeros(3))
    assert b.flops_used == 3 and len(b.op_log) == 1
    if isinstance(want, tuple):
        assert all(g is w for g, w in zip(got, want, strict=True))
    else:
        assert got is want


def test_isnat_accepts_datetimes():
    x = np.array(["2020-01-01", "NaT"], dtype="datetime64[D]")
    assert me.isnat(x).tolist() == [False, True]


def test_broadcast_errors_name_the_shapes_and_charge_nothing():
    with me.BudgetContext(100) as b:
        with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
            me.add(me.ones(3), me.ones(4))
    assert b.flops_used == 0


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_nonfinite_results_warn_with_op_counts_and_shape():
    with pytest.warns(me.MechEstimWarning, match=r"log produced 0 NaN and 1 Inf.*\(3,\)"):
        me.log(me.asarray([0.0, 1.0, 2.0]))
    with pytest.warns(me.MechEstimWarning, match="NaN"):
        me.sqrt(me.asarray(-1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error", me.MechEstimWarning)
        me.exp(me.ones(3))  # finite: silent
        me.configure(nonfinite_warnings=False)
        try:
            me.log(me.zeros(2))
        finally:
            me.configure(nonfinite_warnings=True)


def test_configure_rejects_unknown_keys_and_bad_values():
    with pytest.raises(ValueError, match="colour"):
        me.configure(colour=True)
    with pytest.raises(TypeError, match="symmetry_warnings"):
        me.configure(symmetry_warnings="yes")


# -- generated shapes ------------------------------------------------------------------------
FLOAT_UNARY = [n for n in UNARY if n not in INT_UNARY | {"isnat", "arccosh", "acosh"}]


@settings(max_examples=120, deadline=None)
@given(
    name=st.sampled_from(FLOAT_UNARY),
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5),
                 elements=st.floats(-3, 3)),
)  # fmt: skip
def test_unary_matches_numpy_on_generated_inputs(name, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = call_unary(np, name, x)
        except Exception as exc:  # NumPy refuses (e.g. sort_complex of a 0-d array)
            before = me.budget_summary_dict()["flops_used"]
            with pytest.raises(type(exc)):
                charged(lambda: call_unary(me, name, me.asarray(x)))
            assert me.budget_summary_dict()["flops_used"] == before  # no trace left
            return
        got, used, _ = charged(lambda: call_unary(me, name, me.asarray(x)))
    assert used == max(x.size, 1)
    if isinstance(want, (tuple, np.ndarray)):
        assert_same(got, want)
    else:
        np.testing.assert_array_equal(got, want)


@settings(max_examples=120, deadline=None)
@given(
    name=st.sampled_from([n for n in BINARY if n not in INT_BINARY | {"ldexp"}]),
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4),
    data=st.data(),
)
def test_binary_matches_numpy_on_generated_shapes(name, shapes, data):
    a = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=st.floats(0.5, 4)))
    b = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=st.floats(0.5, 4)))
    if name == "vecdot" and (not shapes.result_shape or a.ndim == 0 or b.ndim == 0):
        return  # vecdot needs a core dimension on both sides
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = getattr(np, name)(a, b)
        except ValueError:
            with pytest.raises(ValueError):
                getattr(me, name)(me.asarray(a), b)
            return
        got, used, _ = charged(lambda: getattr(me, name)(me.asarray(a), b))
    numel = max(math.prod(shapes.result_shape), 1)
    assert used == (2 * math.prod(np.broadcast_shapes(a.shape, b.shape)) if name == "vecdot" else numel)
    assert used == me.flops.pointwise_cost(shapes.result_shape) or name == "vecdot"
    if isinstance(want, (tuple, np.ndarray)):
        assert_same(got, want)
    else:
        np.testing.assert_array_equal(got, want)


@settings(max_examples=120, deadline=None)
@given(
    name=st.sampled_from([n for n in REDUCTION if numpy_has(n)]),  # the rest: skipped above
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                 elements=st.floats(-3, 3)),
    data=st.data(),
)  # fmt: skip
def test_reductions_match_numpy_and_flops_on_generated_shapes(name, x, data):
    axis = data.draw(st.sampled_from([None, *range(-x.ndim, x.ndim)]))
    if name.startswith("cumulative") and axis is None and x.ndim > 1:
        axis = 0
    extra = EXTRA_ARGS.get(name, ())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(np, name)(x, *extra, axis=axis)
        got, used, _ = charged(lambda: getattr(me, name)(me.asarray(x), *extra, axis=axis))
    assert used == me.flops.reduction_cost(x.shape, axis=axis, op=name)
    assert used == REGISTRY[name].cost(x, *extra, axis=axis)
    if isinstance(want, np.ndarray):
        assert_same(got, want)
    else:
        np.testing.assert_array_equal(got, want)


def test_generalized_ufuncs_outside_the_registry_cost_their_contraction():
    if not hasattr(np, "matvec"):
        pytest.skip("numpy without matvec")
    a, v = me.ones((5, 3, 4)), me.ones(4)
    result, used, _ = charged(lambda: np.matvec(a, v))
    assert used == 2 * 5 * 3 * 4 and result.shape == (5, 3)
    with me.BudgetContext(100) as b:
        with pytest.raises(ValueError, match="core dimension"):
            np.matvec(me.ones((3, 4)), me.ones(5))
    assert b.flops_used == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: m.exp(x, where=x > 2),
        lambda m, x: m.add(x, 1, where=x > 2),
        lambda m, x: m.multiply(x, x, where=x > 2, dtype=float),
    ],
    ids=["exp", "add", "multiply"],
)
@pytest.mark.parametrize("spelling", ["me", "np"])
def test_warnings_numpy_gives_for_where_without_out_point_at_the_callers_line(call, spelling):
    plain = np.arange(6.0)
    with warnings.catch_warnings(record=True) as expected:
        warnings.simplefilter("always")
        call(np, plain)
    module = me if spelling == "me" else np
    with warnings.catch_warnings(record=True) as got, me.BudgetContext(100):
        warnings.simplefilter("always")
        call(module, me.arange(6.0))
    assert [(w.category, str(w.message)) for w in got] == [
        (w.category, str(w.message)) for w in expected
    ]  # NumPy >= 2.1 warns that the unselected elements are uninitialised
    assert all(w.filename == __file__ for w in got), [(w.filename, w.lineno) for w in got]


_NAN2, _ONE = np.array([np.nan, np.nan]), np.array([1.0])


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.nanmean(_NAN2),
        lambda m: m.nanvar(_NAN2),
        lambda m: m.nanmin(_NAN2),
        lambda m: m.nanmax(_NAN2),
        lambda m: m.nanmedian(_NAN2),
        lambda m: m.nanvar(_ONE, ddof=2),
        lambda m: m.cov(_ONE),
        lambda m: m.polyfit(np.arange(3.0), np.arange(3.0), 5),
    ],
    ids=["nanmean", "nanvar", "nanmin", "nanmax", "nanmedian", "nanvar-ddof", "cov", "polyfit"],
)
def test_a_warning_numpy_gives_at_its_callers_line_reaches_the_users_line(call):
    with warnings.catch_warnings(record=True) as expected:
        warnings.simplefilter("always")
        call(np)
    at_caller = [(w.category, str(w.message)) for w in expected if w.filename == __file__]
    assert at_caller  # NumPy names its caller's line for this one
    with warnings.catch_warnings(record=True) as got, me.BudgetContext(10**6):
        warnings.simplefilter("always")
        call(me)
    ours = [(w.category, str(w.message)) for w in got if w.filename == __file__]
    assert all(w in ours for w in at_caller), (at_caller, ours)
    mechestim_dir = str(Path(me.__file__).parent)
    assert not [w for w in got if w.filename.startswith(mechestim_dir)]


def _warnings_of(call, *filters) -> list[tuple]:
    """The warnings ``call()`` shows under the 'default' action (once per location) plus
    ``filters`` (``warnings.filterwarnings`` arguments), as (category, message, file)."""
    with warnings.catch_warnings(record=True) as got, me.BudgetContext(10**6):
        warnings.simplefilter("default")
        for args in filters:
            warnings.filterwarnings(*args)
        call()
    return [(w.category, str(w.message), w.filename) for w in got]


def test_a_warning_numpy_places_itself_is_shown_as_often_as_numpy_shows_it():
    # nanpercentile of all-NaN columns: NumPy warns once per column from a line of its
    # own, which the 'default' action shows once; re-issued without that line's registry
    # it was shown three times per call, on every call.
    nan_columns = np.full((3, 3), np.nan)

    def twice(module):
        def call():
            for _ in range(2):
                module.nanpercentile(nan_columns, 50, axis=0)

        return call

    runtime = [w for w in _warnings_of(twice(me)) if w[0] is RuntimeWarning]
    assert runtime == [w for w in _warnings_of(twice(np)) if w[0] is RuntimeWarning]
    assert len(runtime) == 1
    # ... and a filter naming NumPy's module applies to it as it does under NumPy
    ignore = ("ignore", "", RuntimeWarning, r"numpy\.")
    assert not [w for w in _warnings_of(twice(np), ignore) if w[0] is RuntimeWarning]
    assert not [w for w in _warnings_of(twice(me), ignore) if w[0] is RuntimeWarning]


def test_ops_reporting_at_the_users_line_leave_other_warnings_shown_once():
    # The 'default' action shows a warning once per line; running me.nanmean used to
    # catch warnings, which resets that memory everywhere, so the user's own warning
    # below was shown on every iteration.
    def loop():
        for _ in range(3):
            warnings.warn("the user's own warning", UserWarning, stacklevel=1)
            me.nanmean(np.ones(3))
            me.add(np.ones(2), 1, where=np.array([True, False]))  # where= without out=

    shown = [w for w in _warnings_of(loop) if w[0] is UserWarning and "own" in w[1]]
    assert len(shown) == 1


def test_a_python_int_past_int64_is_a_weak_scalar_as_in_numpy():
    """NEP 50: NumPy converts a Python int against the other operand, even one too large
    for int64 (it became an object array here and was refused as non-numeric)."""
    x32 = np.ones(3, np.float32)
    with me.BudgetContext(10**6) as budget:
        result = me.add(x32, 2**70)
        flipped = me.multiply(2**70, x32)
        operator = me.asarray(x32) - 2**70
        assert budget.flops_used == 9
        with pytest.raises(OverflowError):  # as np.add(int64 array, 2**70) raises
            me.add(np.ones(3, np.int64), 2**70)
        assert budget.flops_used == 9  # refused before computing: refunded
    for ours in (result, flipped, operator):
        assert type(ours) is me.ndarray and ours.dtype == np.float32
    np.testing.assert_array_equal(result.view(np.ndarray), np.add(x32, 2**70))
    np.testing.assert_array_equal(operator.view(np.ndarray), x32 - 2**70)
