"""clip, diff, ediff1d, gradient, convolve/correlate, cov/corrcoef, trapezoid/trapz,
interp, allclose/array_equal/array_equiv, logspace/geomspace, vander."""

from __future__ import annotations

import inspect
import re
import warnings

import numpy as np
import pytest
from helpers import SETTINGS, arrays, assert_same, cost_of, floats, recorded, refused
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mechestim as me
from mechestim._core.registry import REGISTRY

positive = st.floats(0.5, 20, allow_nan=False, allow_infinity=False, width=64)


# -- numbers -----------------------------------------------------------------------------
def test_cov_spec_number():
    assert cost_of(lambda: me.cov(me.ones((3, 10)))) == 240
    assert me.flops.cov_cost(3, 10) == 240


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: me.clip(np.ones((4, 5)), 0, 1), 20),
        (lambda: me.clip(np.ones(5), np.zeros((3, 5)), 1), 15),
        (lambda: me.clip(np.ones(5), 0, 1, out=np.empty((2, 5))), 10),
        (lambda: me.clip(np.ones(()), 0, 1), 1),
        (lambda: me.clip(np.ones(7)), 7),
        (lambda: me.diff(np.ones((4, 6))), 20),
        (lambda: me.diff(np.ones((4, 6)), n=2, axis=0), 12),
        (lambda: me.diff(np.ones((4, 6)), n=9), 1),
        (lambda: me.diff(np.ones((4, 6)), n=0), 24),
        (lambda: me.diff(np.ones((4, 6)), prepend=0, append=np.ones((4, 2))), 4 * 8),
        (lambda: me.ediff1d(np.ones((3, 4)), to_begin=[1, 2], to_end=5), 11 + 3),
        (lambda: me.ediff1d([]), 1),
        (lambda: me.gradient(np.ones((4, 6))), 24),
        (lambda: me.gradient(np.ones((4, 6)), axis=1), 24),
        (lambda: me.convolve(np.ones(10), np.ones(3)), 60),
        (lambda: me.convolve(np.ones(10), np.ones(3), mode="valid"), 60),
        (lambda: me.correlate(np.ones(10), np.ones(3)), 60),
        (lambda: me.correlate(np.ones(10), np.ones(3), mode="same"), 60),
        (lambda: me.cov(np.ones((10, 3)), rowvar=False), 240),
        (lambda: me.cov(np.ones((3, 10)), np.ones((2, 10))), 2 * 5 * 10 + 2 * 25 * 10),
        (lambda: me.cov(np.ones(10)), 2 * 10 + 2 * 10),
        (lambda: me.cov(np.ones((0, 10))), 1),
        (lambda: me.corrcoef(np.arange(30.0).reshape(3, 10)), 240 + 3 + 18),
        (lambda: me.clip(np.ones(4), 0, 1, out=np.empty((2, 3, 4))), 24),
        (lambda: me.trapezoid(np.ones((4, 6))), 24),
        (lambda: me.trapz(np.ones((4, 6)), axis=0), 24),
        (lambda: me.interp(np.ones((2, 3)), [0.0, 1.0], [1.0, 2.0]), 6),
        (lambda: me.interp(0.5, [0.0, 1.0], [1.0, 2.0]), 1),
        (lambda: me.allclose(np.ones((4, 6)), np.ones(6)), 24),
        (lambda: me.array_equal(np.ones((4, 6)), np.ones(6)), 24),
        (lambda: me.array_equal([], []), 1),
        (lambda: me.array_equiv(np.ones((4, 6)), np.ones(6)), 24),
        (lambda: me.array_equiv(np.ones((4, 6)), np.ones(5)), 24),
        (lambda: me.logspace(0, 2, 30), 30),
        (lambda: me.logspace(0, 2, 0), 1),
        (lambda: me.logspace([0, 1], 2, 30), 60),
        (lambda: me.geomspace(1, 100, 17), 17),
        (lambda: me.vander([1, 2, 3, 4]), 12),
        (lambda: me.vander([1, 2, 3, 4], N=6), 20),
        (lambda: me.vander([1, 2, 3, 4], N=1), 1),
    ],
)
def test_costs(call, expected):
    assert cost_of(call) == expected


@pytest.mark.parametrize(
    ("call", "twin"),
    [
        (lambda: me.clip(np.ones((4, 5)), 0, 1), lambda f: f.clip_cost((4, 5))),
        (lambda: me.diff(np.ones((4, 6)), n=2), lambda f: f.diff_cost((4, 6), 2)),
        (lambda: me.diff(np.ones((4, 6)), axis=0), lambda f: f.diff_cost((4, 6), 1, 0)),
        (lambda: me.ediff1d(np.ones(9), to_begin=[0, 0]), lambda f: f.ediff1d_cost(9, 2, 0)),
        (lambda: me.gradient(np.ones((3, 7))), lambda f: f.gradient_cost((3, 7))),
        (lambda: me.convolve(np.ones(11), np.ones(4)), lambda f: f.convolve_cost(11, 4)),
        (lambda: me.correlate(np.ones(11), np.ones(4)), lambda f: f.correlate_cost(11, 4)),
        (lambda: me.cov(np.ones((5, 13))), lambda f: f.cov_cost(5, 13)),
        (lambda: me.corrcoef(np.ones((5, 13)) + np.arange(13)), lambda f: f.corrcoef_cost(5, 13)),
        (lambda: me.trapezoid(np.ones((3, 7))), lambda f: f.trapezoid_cost((3, 7))),
        (lambda: me.trapz(np.ones((3, 7))), lambda f: f.trapezoid_cost((3, 7))),
        (lambda: me.interp(np.ones(9), [0.0, 1.0], [0.0, 1.0]), lambda f: f.interp_cost(9)),
        (lambda: me.allclose(np.ones((3, 1)), np.ones(7)), lambda f: f.allclose_cost((3, 1), (7,))),
        (lambda: me.array_equal(np.ones(3), np.ones(7)), lambda f: f.array_equal_cost((3,), (7,))),
        (lambda: me.array_equiv(np.ones(3), np.ones(7)), lambda f: f.array_equiv_cost((3,), (7,))),
        (lambda: me.logspace(0, 1, 21), lambda f: f.logspace_cost(21)),
        (lambda: me.geomspace(1, 2, [3, 4][0]), lambda f: f.geomspace_cost(3)),
        (lambda: me.vander(np.ones(5), 3), lambda f: f.vander_cost(5, 3)),
    ],
)
def test_charge_equals_flops_twin(call, twin):
    assert cost_of(call) == twin(me.flops)


def test_registry_cost_rules_match_charges():
    x = np.ones((6, 10))
    assert REGISTRY["clip"].cost(x, 0, 1) == cost_of(lambda: me.clip(x, 0, 1)) == 60
    assert REGISTRY["cov"].cost(x) == cost_of(lambda: me.cov(x))
    assert REGISTRY["gradient"].cost(x, 2.0) == cost_of(lambda: me.gradient(x, 2.0))


def test_op_names_and_numpy_routing():
    a = me.asarray(np.arange(12.0).reshape(3, 4))
    _, flops, names = recorded(lambda: (np.clip(a, 2, 5), a.clip(2, 5), np.diff(a), np.cov(a)))
    assert names == ["clip", "clip", "diff", "cov"]
    assert flops == 12 + 12 + 9 + (2 * 3 * 4 + 2 * 9 * 4)
    assert cost_of(lambda: np.trapezoid(a)) == 12
    assert cost_of(lambda: np.allclose(a, a)) == 12


# -- clip and symmetry --------------------------------------------------------------------
def test_clip_symmetric_tensor_keeps_symmetry_and_costs_unique_elements():
    data = np.arange(16.0).reshape(4, 4)
    S = me.as_symmetric(data + data.T, (0, 1))
    result, flops, _ = recorded(lambda: me.clip(S, 3, 20))
    assert flops == 10 == me.flops.clip_cost((4, 4), S.symmetry_info)
    assert isinstance(result, me.SymmetricTensor) and result.symmetric_axes == ((0, 1),)
    np.testing.assert_array_equal(np.asarray(result), np.clip(data + data.T, 3, 20))
    assert cost_of(lambda: S.clip(max=4)) == 10
    assert (
        cost_of(lambda: REGISTRY["clip"].cost(S, 3, 20)) == 0
        and REGISTRY["clip"].cost(S, 3, 20) == 10
    )


def test_clip_with_array_bound_drops_symmetry_with_warning():
    S = me.as_symmetric(np.ones((3, 3)), (0, 1))
    bound = np.arange(9.0).reshape(3, 3)
    with pytest.warns(me.SymmetryLossWarning, match="clip"):
        result, flops, _ = recorded(lambda: me.clip(S, bound, 10))
    assert flops == 9 and not isinstance(result, me.SymmetricTensor)
    np.testing.assert_array_equal(np.asarray(result), np.clip(np.ones((3, 3)), bound, 10))


def test_clip_out_returns_the_callers_array():
    x = np.linspace(-2, 2, 10)
    for out in (np.empty(10), me.empty(10)):
        result = me.clip(x, -1, 1, out=out)
        assert result is out
        np.testing.assert_array_equal(np.asarray(out), np.clip(x, -1, 1))


# np.clip's min=/max= keywords and clip(x, None, None) came with NumPy 2.1.
NUMPY_CLIP_2_1 = "min" in inspect.signature(np.clip).parameters


@SETTINGS
@given(arrays(), st.sampled_from([(None, 5.0), (-5.0, None), (-1.0, 1.0), (None, None)]))
def test_clip_values(x, bounds):
    low, high = bounds
    if NUMPY_CLIP_2_1:
        want = np.clip(x, low, high)
    else:
        # NumPy 2.0 refuses clip(x, None, None) and has no min=/max= keywords; mechestim
        # offers NumPy >= 2.1's clip everywhere, where no bound means an unchanged copy.
        want = x.copy() if low is None and high is None else np.clip(x, low, high)
    assert_same(me.clip(x, low, high), want)
    kwargs = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    assert_same(me.clip(x, **kwargs), want)
    assert_same(me.asarray(x).clip(low, high), want)


# -- values equal NumPy's -------------------------------------------------------------------
@SETTINGS
@given(arrays(), st.integers(0, 3), st.data())
def test_diff_values(x, n, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    assert_same(me.diff(x, n=n, axis=axis), np.diff(x, n=n, axis=axis))
    assert_same(
        me.diff(x, axis=axis, prepend=1.5, append=-2.0),
        np.diff(x, axis=axis, prepend=1.5, append=-2.0),
    )
    assert_same(
        me.ediff1d(x, to_begin=[7.0, 8.0], to_end=-1.0),
        np.ediff1d(x, to_begin=[7.0, 8.0], to_end=-1.0),
    )
    assert_same(me.ediff1d(x), np.ediff1d(x))


@SETTINGS
@given(arrays(min_side=3), st.sampled_from([1, 2]), st.data())
def test_gradient_values(f, edge_order, data):
    assert_same(me.gradient(f, edge_order=edge_order), np.gradient(f, edge_order=edge_order))
    axis = data.draw(st.integers(0, f.ndim - 1))
    coords = np.cumsum(np.arange(1.0, f.shape[axis] + 1))
    assert_same(me.gradient(f, coords, axis=axis), np.gradient(f, coords, axis=axis))
    assert_same(
        me.gradient(f, 0.5, edge_order=edge_order), np.gradient(f, 0.5, edge_order=edge_order)
    )


@SETTINGS
@given(arrays(1, 1), arrays(1, 1), st.sampled_from(["full", "same", "valid"]))
def test_convolve_and_correlate_values(a, v, mode):
    assert_same(me.convolve(a, v, mode=mode), np.convolve(a, v, mode=mode))
    assert_same(me.correlate(a, v, mode=mode), np.correlate(a, v, mode=mode))
    assert_same(me.correlate(a, v), np.correlate(a, v))


@SETTINGS
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(3, 8)), elements=floats),
    st.booleans(),
    st.booleans(),
)
def test_cov_and_corrcoef_values(m, rowvar, bias):
    data = m if rowvar else m.T
    p, n = m.shape
    other = np.arange(float(n)) if rowvar else np.arange(float(n))[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant rows: NumPy divides by zero, as we do
        assert_same(me.cov(data, rowvar=rowvar, bias=bias), np.cov(data, rowvar=rowvar, bias=bias))
        assert_same(me.cov(data, other, rowvar=rowvar), np.cov(data, other, rowvar=rowvar))
        fw = np.arange(1, n + 1)
        aw = np.linspace(0.5, 1.0, n)
        assert_same(
            me.cov(m, fweights=fw, aweights=aw, ddof=0), np.cov(m, fweights=fw, aweights=aw, ddof=0)
        )
        assert_same(me.corrcoef(data, rowvar=rowvar), np.corrcoef(data, rowvar=rowvar))
    _, flops, _ = recorded(lambda: me.cov(data, other, rowvar=rowvar))
    assert flops == me.flops.cov_cost(p + 1, n)


@SETTINGS
@given(arrays(), st.data())
def test_trapezoid_values(y, data):
    axis = data.draw(st.integers(-y.ndim, y.ndim - 1))
    x = np.cumsum(np.arange(1.0, y.shape[axis] + 1))
    assert_same(me.trapezoid(y, axis=axis), np.trapezoid(y, axis=axis))
    assert_same(me.trapezoid(y, x, axis=axis), np.trapezoid(y, x, axis=axis))
    assert_same(me.trapz(y, dx=0.25, axis=axis), np.trapezoid(y, dx=0.25, axis=axis))
    assert_same(me.trapz(y, y, axis=axis), np.trapezoid(y, y, axis=axis))


@SETTINGS
@given(
    arrays(0, 2),
    hnp.arrays(np.float64, st.integers(1, 8), elements=floats, unique=True),
    st.booleans(),
)
def test_interp_values(x, xp, periodic):
    xp = np.sort(xp)
    fp = np.cos(xp)
    period = 7.5 if periodic else None
    assert_same(me.interp(x, xp, fp, period=period), np.interp(x, xp, fp, period=period))
    assert_same(
        me.interp(x, xp, fp, left=-9.0, right=9.0), np.interp(x, xp, fp, left=-9.0, right=9.0)
    )


@SETTINGS
@given(arrays(), st.floats(0, 1e-6), st.booleans())
def test_comparison_values(a, eps, equal_nan):
    b = a + eps
    assert_same(me.allclose(a, b, equal_nan=equal_nan), np.allclose(a, b, equal_nan=equal_nan))
    assert_same(me.allclose(a, b, rtol=0, atol=0), np.allclose(a, b, rtol=0, atol=0))
    assert_same(
        me.array_equal(a, b, equal_nan=equal_nan), np.array_equal(a, b, equal_nan=equal_nan)
    )
    assert_same(me.array_equiv(a, a[:1]), np.array_equiv(a, a[:1]))
    assert_same(me.array_equiv(a, np.ones(7)), np.array_equiv(a, np.ones(7)))


@SETTINGS
@given(
    st.floats(-3, 3),
    st.floats(-3, 3),
    st.integers(0, 20),
    st.booleans(),
    st.sampled_from([2.0, 10.0]),
)
def test_logspace_and_geomspace_values(start, stop, num, endpoint, base):
    assert_same(
        me.logspace(start, stop, num, endpoint=endpoint, base=base),
        np.logspace(start, stop, num, endpoint=endpoint, base=base),
    )
    lo, hi = base**start, base**stop
    assert_same(
        me.geomspace(lo, hi, num, endpoint=endpoint), np.geomspace(lo, hi, num, endpoint=endpoint)
    )
    assert_same(me.geomspace(-lo, -hi, num), np.geomspace(-lo, -hi, num))
    starts = np.array([start, stop])
    assert_same(me.logspace(starts, 1.0, num, axis=1), np.logspace(starts, 1.0, num, axis=1))


@SETTINGS
@given(
    hnp.arrays(np.float64, st.integers(0, 6), elements=st.floats(-3, 3)),
    st.integers(0, 6),
    st.booleans(),
)
def test_vander_values(x, n, increasing):
    assert_same(me.vander(x), np.vander(x))
    assert_same(me.vander(x, n, increasing=increasing), np.vander(x, n, increasing=increasing))


# -- refusals: clear errors, nothing charged -------------------------------------------------
X = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: me.clip(X, 1, 2, min=1), ValueError, "min=/max="),
        (lambda: me.clip(X, 1), TypeError, "a_max"),
        (lambda: me.clip(X, [1, 2], 3), ValueError, "a_min (2,)"),
        (lambda: me.clip(X, 0, 1, out=np.empty(3)), ValueError, "out (3,)"),
        (lambda: me.clip(X, 0, 1, out=np.empty(4)), ValueError, "out has shape (4,)"),
        (lambda: me.clip(X, 0, 1, out=[0] * 12), TypeError, "out"),
        (lambda: me.clip(np.array(["a"]), 0, 1), TypeError, "str"),
        (lambda: me.clip(X, "a", "b"), TypeError, "str"),
        (lambda: me.diff(np.float64(1)), ValueError, "at least 1-dimensional"),
        (lambda: me.diff(X, n=-1), ValueError, "n must be non-negative"),
        (lambda: me.diff(X, n=1.5), TypeError, "n must be an integer"),
        (lambda: me.diff(X, axis=2), ValueError, "axis=2"),
        (lambda: me.diff(X, prepend=np.ones((2, 2))), ValueError, "prepend"),
        (lambda: me.diff(X, append=np.ones((3, 2, 1))), ValueError, "append"),
        (lambda: me.ediff1d(np.arange(3), to_begin=1.5), TypeError, "to_begin"),
        (lambda: me.ediff1d(np.arange(3), to_end=[1j]), TypeError, "to_end"),
        (lambda: me.gradient(np.ones(1)), ValueError, "edge_order"),
        (lambda: me.gradient(np.ones(2), edge_order=2), ValueError, "edge_order=2"),
        (lambda: me.gradient(np.ones(5), edge_order=3), ValueError, "edge_order"),
        (lambda: me.gradient(X, 1, 2, 3), TypeError, "spacings"),
        (lambda: me.gradient(X, [1, 2], 2), ValueError, "spacing 0"),
        (lambda: me.gradient(X, np.ones((3, 3)), 2), ValueError, "spacing 0"),
        (lambda: me.gradient(X, axis=2), ValueError, "axis=2"),
        (lambda: me.gradient(X, axis=(0, 0)), ValueError, "repeats"),
        (lambda: me.convolve([], [1.0]), ValueError, "a cannot be empty"),
        (lambda: me.convolve([1.0], []), ValueError, "v cannot be empty"),
        (lambda: me.convolve(X, [1.0]), ValueError, "a must be 1-dimensional"),
        (lambda: me.correlate([1.0], X), ValueError, "v must be 1-dimensional"),
        (lambda: me.correlate([1.0], [1.0], mode="wide"), ValueError, "mode"),
        (lambda: me.convolve([1.0], ["x"]), TypeError, "str"),
        (lambda: me.cov(np.ones((2, 3, 4))), ValueError, "m must be at most 2-dimensional"),
        (lambda: me.cov(X, np.ones((2, 3))), ValueError, "y has 3 observations"),
        (lambda: me.cov(X, np.ones((2, 2, 4))), ValueError, "y must be at most"),
        (lambda: me.cov(X, ddof=1.5), ValueError, "ddof"),
        (lambda: me.cov(X, fweights=[1, 2]), ValueError, "fweights"),
        (lambda: me.cov(X, fweights=[1, 2, 3, 4.5]), TypeError, "fweights"),
        (lambda: me.cov(X, fweights=[1, 2, 3, -4]), ValueError, "fweights cannot be negative"),
        (lambda: me.cov(X, aweights=np.ones((2, 4))), ValueError, "aweights"),
        (lambda: me.cov(X, aweights=[1, 2, 3, -4]), ValueError, "aweights cannot be negative"),
        (lambda: me.corrcoef(np.ones((2, 3, 4))), ValueError, "m must be at most"),
        (lambda: me.corrcoef(X, np.ones(5)), ValueError, "y has 5 observations"),
        (lambda: me.trapezoid(np.float64(1.0)), ValueError, "0-d"),
        (lambda: me.trapezoid(X, axis=2), ValueError, "axis=2"),
        (lambda: me.trapezoid(X, x=np.ones(7)), ValueError, "x steps (1, 6)"),
        (lambda: me.trapz(X, dx=np.ones(5)), ValueError, "dx steps (5,)"),
        (lambda: me.trapz(X, x=np.ones((3, 5))), ValueError, "x steps"),
        (lambda: me.interp(1.0, [], []), ValueError, "xp"),
        (lambda: me.interp(1.0, [1.0, 2.0], [1.0]), ValueError, "same length"),
        (lambda: me.interp(1.0, X, X), ValueError, "xp must be 1-dimensional"),
        (lambda: me.interp(1.0, [1.0, 2.0], [1.0, 2.0], period=0), ValueError, "period"),
        (lambda: me.interp(1j, [1.0, 2.0], [1.0, 2.0]), TypeError, "x may not be complex"),
        (lambda: me.interp(1.0, [1j, 2.0], [1.0, 2.0]), TypeError, "xp may not be complex"),
        (lambda: me.allclose(np.ones(3), np.ones(2)), ValueError, "a (3,), b (2,)"),
        (lambda: me.allclose(np.ones(3), ["a"] * 3), TypeError, "str"),
        (lambda: me.array_equal(np.ones(3), ["a"] * 3), TypeError, "str"),
        (lambda: me.array_equiv([None], [1]), TypeError, "object"),
        (lambda: me.logspace(0, 1, -1), ValueError, "num must be non-negative"),
        (lambda: me.logspace(0, 1, 2.5), TypeError, "num must be an integer"),
        (lambda: me.logspace([0, 1], [1, 2, 3]), ValueError, "start (2,), stop (3,)"),
        (lambda: me.logspace(0, 1, 5, axis=1), ValueError, "axis=1"),
        (lambda: me.geomspace(0, 1), ValueError, "start is zero"),
        (lambda: me.geomspace(1, [2, 0]), ValueError, "stop is zero"),
        (lambda: me.geomspace(1, 2, -3), ValueError, "num"),
        (lambda: me.vander(X), ValueError, "x must be 1-dimensional"),
        (lambda: me.vander(np.float64(1.0)), ValueError, "x must be 1-dimensional"),
        (lambda: me.vander([1, 2], -1), ValueError, "N must be non-negative"),
        (lambda: me.vander([1, 2], 2.0), TypeError, "N must be an integer"),
    ],
)
def test_refusals_name_the_argument_and_charge_nothing(call, error, words):
    refused(error, call, match=re.escape(words))


def test_budget_refusal_runs_nothing():
    out = np.full(10, 7.0)
    with me.BudgetContext(9) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="clip would cost 10"):
            me.clip(np.arange(10.0), 2, 3, out=out)
        with pytest.raises(me.BudgetExhaustedError, match="cov would cost 240"):
            me.cov(np.ones((3, 10)))
    assert budget.flops_used == 0 and budget.op_log == []
    np.testing.assert_array_equal(out, 7.0)


def test_clip_refused_by_numpy_after_the_charge_leaves_no_trace():
    out = np.zeros(4, dtype=np.int64)
    with me.BudgetContext(10**6) as budget:
        with pytest.raises(TypeError):
            me.clip(np.linspace(0, 1, 4), 0.2, 0.8, out=out)  # float into int: NumPy refuses
        with pytest.raises(TypeError):
            me.clip(np.ones(3), 0, 1, bogus=True)
    assert budget.flops_used == 0 and budget.op_log == []
