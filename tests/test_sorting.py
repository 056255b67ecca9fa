"""Sorting, searching, set operations and histograms: charges, values and refusals."""

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

small_ints = st.integers(-5, 5)
# Coarse values: NumPy's bin estimators ask for astronomically many bins when the data
# spread is a few ulps, which says nothing about mechestim.
halves = st.integers(-200, 200).map(lambda v: v / 2)


def int_arrays(min_dims, max_dims, max_side):
    return arrays(min_dims, max_dims, max_side, small_ints, dtype=np.int64)


# -- the numbers of examples.md -----------------------------------------------------------
def test_spec_numbers():
    assert cost_of(lambda: me.sort(me.ones((4, 8)))) == 96
    assert cost_of(lambda: me.lexsort([me.ones(8), me.ones(8)])) == 48
    assert cost_of(lambda: me.partition(me.arange(100.0), 50)) == 100
    assert cost_of(lambda: me.searchsorted(me.arange(1024.0), me.ones(5))) == 50
    assert cost_of(lambda: me.unique(me.arange(8.0))) == 24
    assert cost_of(lambda: me.histogram(me.arange(100.0), bins=8)) == 300


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: me.sort(np.ones((4, 8)), axis=0), 8 * 4 * 2),
        (lambda: me.sort(np.ones((4, 8)), axis=None), 32 * 5),
        (lambda: me.sort(np.float64(3.0), axis=None), 1),
        (lambda: me.sort(np.ones((3, 0))), 3),
        (lambda: me.sort(np.ones((0, 3))), 1),
        (lambda: me.argsort(np.ones((4, 8))), 96),
        (lambda: me.lexsort(np.ones((3, 2, 8))), 3 * 2 * 24),
        (lambda: me.lexsort(np.ones((3, 2, 8)), axis=0), 3 * 8 * 2),
        (lambda: me.lexsort(np.arange(5)), 5),
        (lambda: me.partition(np.ones((4, 8)), 3, axis=None), 32),
        (lambda: me.argpartition(np.ones((4, 8)), [0, 1], axis=0), 32),
        (lambda: me.partition(np.ones(0), 0), 1),
        (lambda: me.searchsorted(np.arange(1024.0), 3.0), 10),
        (lambda: me.searchsorted(np.arange(1.0), np.ones((2, 3))), 6),
        (lambda: me.searchsorted(np.arange(4.0), np.ones(0)), 1),
        (lambda: me.digitize(np.ones((3, 5)), np.arange(9.0)), 15 * 4),
        (lambda: me.unique(np.ones((3, 4)), axis=1), 12 * 4),
        (lambda: me.unique_counts(np.ones(16)), 64),
        (lambda: me.unique_values(np.ones(0)), 1),
        (lambda: me.isin(np.ones(5), np.ones(3)), 8 * 3),
        (lambda: me.in1d(np.ones((2, 5)), np.ones(6)), 16 * 4),
        (lambda: me.union1d(np.ones(9), np.ones(7)), 64),
        (lambda: me.intersect1d([], []), 1),
        (lambda: me.histogram(np.ones(100), bins=[0, 1, 2, 3, 4]), 300),
        (lambda: me.histogram(np.ones(100), bins="auto"), 100),
        (lambda: me.histogram(np.ones(0)), 1),
        (lambda: me.histogram2d(np.ones(10), np.ones(10), bins=4), 10 * (2 + 2)),
        (lambda: me.histogram2d(np.ones(10), np.ones(10), bins=[4, 16]), 10 * (2 + 4)),
        (lambda: me.histogram2d(np.ones(10), np.ones(10), bins=[3, [0, 1, 2, 3, 4]]), 10 * 5),
        (lambda: me.histogram2d(np.ones(10), np.ones(10), bins=np.arange(5.0)), 10 * 6),
        (lambda: me.histogramdd(np.ones((10, 3)), bins=4), 10 * 3 * 2),
        (lambda: me.histogramdd(np.ones((10, 3)), bins=[2, 4, [0, 1, 2]]), 10 * (1 + 2 + 2)),
        (lambda: me.histogramdd([np.ones(7), np.ones(7)], bins=8), 7 * 2 * 3),
        (lambda: me.histogram_bin_edges(np.ones(37), bins=5), 37),
        (lambda: me.bincount(np.arange(11)), 11),
        (lambda: me.bincount(np.zeros(0, int)), 1),
    ],
)
def test_costs(call, expected):
    assert cost_of(call) == expected


# -- charges equal the me.flops twins ------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "twin"),
    [
        (lambda: me.sort(np.ones((5, 6, 7)), axis=1), lambda f: f.sort_array_cost((5, 6, 7), 1)),
        (lambda: me.sort(np.ones((5, 6, 7))), lambda f: f.sort_array_cost((5, 6, 7))),
        (lambda: me.argsort(np.ones((5, 6)), axis=None), lambda f: f.sort_array_cost((5, 6), None)),
        (lambda: me.sort(np.ones(9)), lambda f: f.sort_cost(9)),
        (lambda: me.lexsort([np.ones(9)] * 3), lambda f: f.lexsort_cost(3, 9)),
        (lambda: me.partition(np.ones((5, 6)), 2), lambda f: f.partition_cost((5, 6))),
        (lambda: me.argpartition(np.ones((5, 6)), 2), lambda f: f.partition_cost((5, 6))),
        (lambda: me.searchsorted(np.ones(100), np.ones(7)), lambda f: f.searchsorted_cost(7, 100)),
        (lambda: me.searchsorted(np.ones(100), np.ones(7)), lambda f: f.search_cost(7, 100)),
        (lambda: me.digitize(np.ones(7), np.arange(33.0)), lambda f: f.digitize_cost(7, 33)),
        (lambda: me.unique(np.ones(50)), lambda f: f.unique_cost(50)),
        (lambda: me.unique_all(np.ones(50)), lambda f: f.unique_cost(50)),
        (lambda: me.unique_inverse(np.ones((5, 5))), lambda f: f.sort_cost(25)),
        (lambda: me.isin(np.ones(50), np.ones(14)), lambda f: f.set_op_cost(50, 14)),
        (lambda: me.in1d(np.ones(50), np.ones(14)), lambda f: f.set_op_cost(50, 14)),
        (lambda: me.setdiff1d(np.ones(50), np.ones(14)), lambda f: f.set_op_cost(50, 14)),
        (lambda: me.setxor1d(np.ones(50), np.ones(14)), lambda f: f.set_op_cost(50, 14)),
        (lambda: me.intersect1d(np.ones(50), np.ones(14)), lambda f: f.set_op_cost(50, 14)),
        (lambda: me.union1d(np.ones(50), np.ones(14)), lambda f: f.set_op_cost(50, 14)),
        (lambda: me.histogram(np.ones(50), bins=7), lambda f: f.histogram_cost(50, 7)),
        (
            lambda: me.histogram(np.ones(50), bins=[0, 1, 2]),
            lambda f: f.histogram_cost(50, [0, 1, 2]),
        ),
        (lambda: me.histogram(np.ones(50), bins="fd"), lambda f: f.histogram_cost(50, "fd")),
        (
            lambda: me.histogram2d(np.ones(50), np.ones(50), bins=[3, [0, 1, 2, 5]]),
            lambda f: f.histogram2d_cost(50, [3, [0, 1, 2, 5]]),
        ),
        (
            lambda: me.histogram2d(np.ones(50), np.ones(50), bins=np.arange(6.0)),
            lambda f: f.histogram2d_cost(50, np.arange(6.0)),
        ),
        (
            lambda: me.histogramdd(np.ones((50, 4)), bins=6),
            lambda f: f.histogramdd_cost(50, 4, 6),
        ),
        (
            lambda: me.histogramdd(np.ones((50, 2)), bins=[6, [1, 2, 3]]),
            lambda f: f.histogramdd_cost(50, 2, [6, [1, 2, 3]]),
        ),
        (lambda: me.histogram_bin_edges(np.ones(50)), lambda f: f.histogram_bin_edges_cost(50)),
        (lambda: me.bincount(np.arange(50)), lambda f: f.bincount_cost(50)),
    ],
)
def test_charge_equals_flops_twin(call, twin):
    assert cost_of(call) == twin(me.flops)


def test_registry_cost_rule_matches_charge():
    x = np.ones((6, 10))
    assert REGISTRY["sort"].cost(x, 0) == cost_of(lambda: me.sort(x, 0))
    assert REGISTRY["histogram"].cost(x, bins=9) == cost_of(lambda: me.histogram(x, bins=9))
    assert REGISTRY["lexsort"].cost((x[0], x[1])) == cost_of(lambda: me.lexsort((x[0], x[1])))


def test_flops_formulas():
    f = me.flops
    assert f.sort_array_cost((4, 8), -1) == 96
    assert f.sort_array_cost((), -1) == 1
    assert f.lexsort_cost(2, 8) == 48
    assert f.lexsort_cost(0, 8) == 1
    assert f.partition_cost((100,)) == 100
    assert f.partition_cost(()) == 1
    assert f.searchsorted_cost(5, 1024) == 50
    assert f.unique_cost(8) == 24
    assert f.set_op_cost(3, 5) == 24
    assert f.histogram_cost(100, 8) == 300
    assert f.histogram_cost(100, "auto") == 100
    assert f.histogram2d_cost(10, 4) == 40
    assert f.histogramdd_cost(10, 3, 4) == 60
    with pytest.raises(ValueError, match="axis"):
        f.sort_array_cost((4, 8), 2)
    with pytest.raises(ValueError, match="n"):
        f.unique_cost(-1)


def test_op_names_recorded():
    _, _, names = recorded(lambda: (me.sort(np.ones(3)), me.in1d([1], [2]), me.trapz([1.0, 2.0])))
    assert names == ["sort", "in1d", "trapz"]


# -- in place and through NumPy ------------------------------------------------------------
def test_inplace_sort_charges_like_me_sort():
    data = np.random.default_rng(1).normal(size=(4, 8))
    for kwargs in ({}, {"axis": 0}, {"kind": "stable"}):
        a = me.asarray(data.copy())
        _, inplace, names = recorded(lambda: a.sort(**kwargs))  # noqa: B023
        assert names == ["sort"]
        assert inplace == cost_of(lambda: me.sort(data, **kwargs))  # noqa: B023
        np.testing.assert_array_equal(np.asarray(a), np.sort(data, **kwargs))


# -- descending= (NumPy >= 2.5): taken exactly where the installed NumPy takes it ------------
NUMPY_SORTS_DESCENDING = "descending" in inspect.signature(np.sort).parameters
SORT_DATA = np.array([[3.0, np.nan, 1.0, 2.0, 2.0, -0.0], [5.0, 4.0, 6.0, 0.0, -1.0, 0.0]])


@pytest.mark.skipif(
    not NUMPY_SORTS_DESCENDING,
    reason=f"descending= needs NumPy >= 2.5 (this is NumPy {np.__version__})",
)
@pytest.mark.filterwarnings("ignore::mechestim.MechEstimWarning")  # the NaN, sorted last
@pytest.mark.parametrize("descending", [True, False, None, 1, np.True_])
@pytest.mark.parametrize("name", ["sort", "argsort"])
def test_sort_and_argsort_take_descending_as_numpy_does_at_the_same_cost(name, descending):
    for axis in (-1, 0, None):
        got, used, names = recorded(
            lambda: getattr(me, name)(SORT_DATA, axis=axis, descending=descending)  # noqa: B023
        )
        assert_same(got, getattr(np, name)(SORT_DATA, axis=axis, descending=descending))
        assert names == [name]
        assert used == me.flops.sort_array_cost(SORT_DATA.shape, axis) == cost_of(
            lambda: getattr(me, name)(SORT_DATA, axis=axis)  # noqa: B023
        )
        # the method (in place for sort: an axis, never None), and NumPy's function on a
        # mechestim array, charge the same once
        if axis is not None:
            a, want = me.asarray(SORT_DATA.copy()), SORT_DATA.copy()
            method_result = getattr(want, name)(axis=axis, descending=descending)
            got, used, names = recorded(
                lambda: getattr(a, name)(axis=axis, descending=descending)  # noqa: B023
            )
            assert names == [name] and used == me.flops.sort_array_cost(SORT_DATA.shape, axis)
            if name == "sort":  # in place
                assert got is method_result is None
                got = a
            else:
                want = method_result
            assert_same(got, want)
        wrapped = me.asarray(SORT_DATA)
        got, used, names = recorded(
            lambda: getattr(np, name)(wrapped, axis=axis, descending=descending)  # noqa: B023
        )
        assert_same(got, getattr(np, name)(SORT_DATA, axis=axis, descending=descending))
        assert names == [name] and used == me.flops.sort_array_cost(SORT_DATA.shape, axis)
    assert "descending" in inspect.signature(getattr(me, name)).parameters


@pytest.mark.skipif(
    not NUMPY_SORTS_DESCENDING,
    reason=f"descending= needs NumPy >= 2.5 (this is NumPy {np.__version__})",
)
@pytest.mark.filterwarnings("ignore::mechestim.MechEstimWarning")
def test_descending_in_place_stable_and_with_kind_as_numpy():
    a = me.asarray(SORT_DATA.copy())
    _, used, names = recorded(lambda: a.sort(descending=True))
    want = SORT_DATA.copy()
    want.sort(descending=True)
    np.testing.assert_array_equal(np.asarray(a), want)
    assert names == ["sort"] and used == 2 * 18
    ties = np.array([1, 2, 1, 2, 1])
    want = np.argsort(ties, stable=True, descending=True)
    assert_same(me.argsort(ties, stable=True, descending=True), want)
    with pytest.raises(ValueError) as numpy_error:  # kind= and descending= together
        np.sort(SORT_DATA, kind="heapsort", descending=True)
    message = re.escape(str(numpy_error.value))
    refused(ValueError, me.sort, SORT_DATA, kind="heapsort", descending=True, match=message)


@pytest.mark.skipif(NUMPY_SORTS_DESCENDING, reason=f"NumPy {np.__version__} takes descending=")
@pytest.mark.parametrize("name", ["sort", "argsort"])
def test_a_numpy_without_descending_refuses_it_in_mechestim_too(name):
    with pytest.raises(TypeError) as numpy_error:
        getattr(np, name)(SORT_DATA, descending=True)
    message = re.escape(str(numpy_error.value))  # "sort() got an unexpected keyword argument ..."
    for value in (True, False, None):
        refused(TypeError, getattr(me, name), SORT_DATA, descending=value, match=message)
        refused(TypeError, getattr(me.asarray(SORT_DATA), name), descending=value, match=message)
    assert "descending" not in inspect.signature(getattr(me, name)).parameters


def test_inplace_partition_charges_like_me_partition():
    data = np.random.default_rng(2).normal(size=(5, 9))
    a = me.asarray(data.copy())
    _, inplace, _ = recorded(lambda: a.partition(4, axis=1))
    assert inplace == cost_of(lambda: me.partition(data, 4, axis=1)) == 45
    np.testing.assert_array_equal(np.asarray(a)[:, 4], np.sort(data, axis=1)[:, 4])


def test_methods_and_numpy_calls_charge_once():
    a = me.asarray(np.arange(24.0)[::-1].reshape(4, 6))
    assert cost_of(lambda: np.sort(a)) == cost_of(lambda: me.sort(a)) == 4 * 18
    assert cost_of(lambda: a.argsort(axis=0)) == 6 * 4 * 2
    assert cost_of(lambda: np.unique(a)) == 24 * 5
    assert cost_of(lambda: a.ravel().searchsorted(3.0)) == 5
    assert cost_of(lambda: np.histogram(a, bins=4)) == 48


def test_budget_refusal_runs_nothing():
    with me.BudgetContext(95) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="sort would cost 96"):
            me.sort(me.ones((4, 8)))
    assert budget.flops_used == 0 and budget.op_log == []


# -- values equal NumPy's -------------------------------------------------------------------
@SETTINGS
@given(arrays(), st.integers(-3, 2), st.sampled_from([None, "stable", "heapsort"]))
def test_sort_values(x, axis, kind):
    axis = axis if -x.ndim <= axis < x.ndim else None
    result, flops, _ = recorded(lambda: me.sort(x, axis=axis, kind=kind))
    assert_same(result, np.sort(x, axis=axis, kind=kind))
    assert flops == me.flops.sort_array_cost(x.shape, axis)
    assert_same(me.argsort(x, axis=axis, kind="stable"), np.argsort(x, axis=axis, kind="stable"))


@SETTINGS
@given(
    st.integers(1, 4).flatmap(
        lambda k: st.lists(int_arrays(1, 1, 8), min_size=k, max_size=k)
    )
)
def test_lexsort_values(keys):
    n = keys[0].shape[0]
    keys = [np.resize(k, n) for k in keys]
    result, flops, _ = recorded(lambda: me.lexsort(keys))
    assert_same(result, np.lexsort(keys))
    assert flops == me.flops.lexsort_cost(len(keys), n)


@SETTINGS
@given(arrays(), st.data())
def test_partition_values(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    n = x.shape[axis]
    kth = data.draw(st.integers(-n, n - 1))
    assert_same(me.partition(x, kth, axis=axis), np.partition(x, kth, axis=axis))
    assert_same(me.argpartition(x, kth, axis=axis), np.argpartition(x, kth, axis=axis))
    kths = sorted({kth % n, 0})
    assert_same(me.partition(x, kths, axis=None), np.partition(x, kths, axis=None))


@SETTINGS
@given(arrays(1, 1, 12), arrays(0, 2), st.sampled_from(["left", "right"]))
def test_searchsorted_and_digitize_values(a, v, side):
    a = np.sort(a)
    assert_same(me.searchsorted(a, v, side=side), np.searchsorted(a, v, side=side))
    order = np.argsort(a[::-1], kind="stable")
    assert_same(
        me.searchsorted(a[::-1], v, side=side, sorter=order),
        np.searchsorted(a[::-1], v, side=side, sorter=order),
    )
    assert_same(me.digitize(v, a, right=side == "right"), np.digitize(v, a, right=side == "right"))
    assert_same(me.digitize(v, a[::-1]), np.digitize(v, a[::-1]))


@SETTINGS
@given(int_arrays(1, 3, 5), st.booleans())
def test_unique_values(x, flags):
    assert_same(
        me.unique(x, return_index=flags, return_inverse=flags, return_counts=flags),
        np.unique(x, return_index=flags, return_inverse=flags, return_counts=flags),
    )
    assert_same(me.unique(x, axis=0), np.unique(x, axis=0))
    assert_same(me.unique_all(x), np.unique_all(x))
    assert_same(me.unique_counts(x), np.unique_counts(x))
    assert_same(me.unique_inverse(x), np.unique_inverse(x))
    assert_same(me.unique_values(x), np.unique_values(x))
    assert isinstance(me.unique_all(x), type(np.unique_all(x)))


@SETTINGS
@given(int_arrays(1, 2, 6), int_arrays(1, 2, 6), st.booleans())
def test_set_operation_values(a, b, invert):
    for kind in (None, "sort", "table"):
        assert_same(
            me.isin(a, b, invert=invert, kind=kind), np.isin(a, b, invert=invert, kind=kind)
        )
        assert_same(
            me.in1d(a, b, invert=invert, kind=kind), np.isin(a.ravel(), b, invert=invert, kind=kind)
        )
    assert me.in1d(a, b).ndim == 1
    assert_same(
        me.intersect1d(a, b, return_indices=True), np.intersect1d(a, b, return_indices=True)
    )
    assert_same(me.setdiff1d(a, b), np.setdiff1d(a, b))
    assert_same(me.setxor1d(a, b), np.setxor1d(a, b))
    assert_same(me.union1d(a, b), np.union1d(a, b))
    ua, ub = np.unique(a), np.unique(b)
    assert_same(
        me.intersect1d(ua, ub, assume_unique=True), np.intersect1d(ua, ub, assume_unique=True)
    )


@SETTINGS
@given(
    arrays(1, 2, 8, halves),
    st.sampled_from([1, 3, 8, "auto", "sturges", [-50.0, 0.0, 10.0, 60.0]]),
    st.booleans(),
)
def test_histogram_values(a, bins, density):
    weights = None if isinstance(bins, str) else np.linspace(0.5, 2.0, a.size).reshape(a.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # density of an empty histogram is 0/0, in NumPy too
        assert_same(
            me.histogram(a, bins=bins, density=density, weights=weights),
            np.histogram(a, bins=bins, density=density, weights=weights),
        )
    assert_same(
        me.histogram(a, bins=bins, range=(-10, 10)), np.histogram(a, bins=bins, range=(-10, 10))
    )
    assert_same(me.histogram_bin_edges(a, bins=bins), np.histogram_bin_edges(a, bins=bins))


@SETTINGS
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(0, 12), st.integers(1, 3)), elements=floats),
    st.sampled_from([2, 5, [0.0, 1.0, 50.0]]),
)
def test_histogramdd_values(sample, bins):
    per_axis = bins if isinstance(bins, int) else [bins] * sample.shape[1]
    assert_same(me.histogramdd(sample, bins=per_axis), np.histogramdd(sample, bins=per_axis))
    columns = [sample[:, i] for i in range(sample.shape[1])]
    assert_same(me.histogramdd(columns, bins=per_axis), np.histogramdd(columns, bins=per_axis))
    x, y = sample[:, 0], sample[:, -1]
    w = np.arange(float(len(x)))
    assert_same(
        me.histogram2d(x, y, bins=bins, weights=w, density=False),
        np.histogram2d(x, y, bins=bins, weights=w, density=False),
    )


@SETTINGS
@given(hnp.arrays(np.int64, st.integers(0, 20), elements=st.integers(0, 30)), st.integers(0, 40))
def test_bincount_values(x, minlength):
    assert_same(me.bincount(x, minlength=minlength), np.bincount(x, minlength=minlength))
    w = np.linspace(0, 1, x.size)
    assert_same(me.bincount(x, weights=w), np.bincount(x, weights=w))


def test_results_are_mechestim_arrays_and_scalars_stay_scalars():
    assert isinstance(me.sort([3.0, 1.0]), me.ndarray)
    assert isinstance(me.searchsorted([1.0, 2.0], 1.5), np.integer)
    hist, edges = me.histogram([1.0, 2.0])
    assert isinstance(hist, me.ndarray) and isinstance(edges, me.ndarray)


# -- refusals: clear errors, nothing charged -------------------------------------------------
X = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: me.sort(X, axis=2), ValueError, "axis=2"),
        (lambda: me.sort(X, axis=1.5), TypeError, "axis"),
        (lambda: me.sort(np.float64(1.0)), ValueError, "0-d"),
        (lambda: me.sort(X, kind="bogus"), ValueError, "kind"),
        (lambda: me.sort(X, kind="stable", stable=True), ValueError, "kind"),
        (lambda: me.sort(X, order="f"), ValueError, "order"),
        (lambda: me.sort(np.array(["b", "a"])), TypeError, "str"),
        (lambda: me.argsort(X, axis=-3), ValueError, "axis=-3"),
        (lambda: me.argsort([None, 1]), TypeError, "object"),
        (lambda: me.lexsort([]), TypeError, "at least one key"),
        (lambda: me.lexsort([np.ones(3), np.ones(4)]), ValueError, "same shape"),
        (lambda: me.lexsort(np.float64(1.0)), TypeError, "keys"),
        (lambda: me.lexsort(X, axis=None), TypeError, "axis"),
        (lambda: me.lexsort(X, axis=1), ValueError, "axis=1"),
        (lambda: me.partition(X, 4), ValueError, "kth"),
        (lambda: me.partition(X, -5), ValueError, "kth"),
        (lambda: me.partition(X, 1.0), TypeError, "kth"),
        (lambda: me.partition(X, True), TypeError, "kth"),
        (lambda: me.partition(X, [[1]]), ValueError, "kth"),
        (lambda: me.partition(X, 1, kind="quick"), ValueError, "kind"),
        (lambda: me.argpartition(X, 3, axis=0), ValueError, "kth"),
        (lambda: me.argpartition(np.float64(1.0), 0), ValueError, "0-d"),
        (lambda: me.searchsorted(X, 1.0), ValueError, "a must be 1-dimensional"),
        (lambda: me.searchsorted(X[0], 1.0, side="middle"), ValueError, "side"),
        (lambda: me.searchsorted(X[0], 1.0, sorter=[0, 1]), ValueError, "sorter"),
        (lambda: me.searchsorted(X[0], 1.0, sorter=[0, 1, 2, 9]), ValueError, "sorter"),
        (lambda: me.searchsorted(X[0], 1.0, sorter=[0.0, 1, 2, 3]), TypeError, "sorter"),
        (lambda: me.digitize(X, [3.0, 1.0, 2.0]), ValueError, "monoton"),
        (lambda: me.digitize(X, X), ValueError, "bins must be 1-dimensional"),
        (lambda: me.digitize(X + 1j, [1.0]), TypeError, "x may not be complex"),
        (lambda: me.unique(X, axis=2), ValueError, "axis=2"),
        (lambda: me.unique_values(np.array(["a"])), TypeError, "str"),
        (lambda: me.isin(X, [1.0], kind="fast"), ValueError, "kind"),
        (lambda: me.isin(X, [1.0], kind="table"), ValueError, "table"),
        (lambda: me.in1d(X, ["a"]), TypeError, "str"),
        (lambda: me.union1d(X, [object()]), TypeError, "object"),
        (lambda: me.histogram(X, bins=0), ValueError, "bins must be positive"),
        (lambda: me.histogram(X, bins=2.5), TypeError, "bins"),
        (lambda: me.histogram(X, bins="magic"), ValueError, "magic"),
        (lambda: me.histogram(X, bins="auto", weights=X), TypeError, "weights"),
        (lambda: me.histogram(X, bins=[3.0, 1.0]), ValueError, "monoton"),
        (lambda: me.histogram(X, bins=X), ValueError, "bins"),
        (lambda: me.histogram(X, range=(5, 1)), ValueError, "range"),
        (lambda: me.histogram(X, range=(0, np.inf)), ValueError, "range"),
        (lambda: me.histogram(X, range=(1,)), ValueError, "range"),
        (lambda: me.histogram(X, weights=np.ones(3)), ValueError, "weights"),
        (lambda: me.histogram([1.0, np.nan]), ValueError, "not finite"),
        (lambda: me.histogram_bin_edges(X, bins=-1), ValueError, "bins"),
        (lambda: me.histogram2d(X[0], X[1, :3]), ValueError, "same length"),
        (lambda: me.histogram2d(X, X), ValueError, "1-d"),
        (lambda: me.histogram2d(X[0], X[1], bins=[5]), ValueError, "bins"),
        (lambda: me.histogram2d(X[0], X[1], bins=[2.0, 3.0]), TypeError, "bins[0]"),
        (lambda: me.histogram2d(X[0], X[1], bins=[2, 0]), ValueError, "bins[1]"),
        (lambda: me.histogram2d(X[0], X[1], weights=np.ones(3)), ValueError, "weights"),
        (lambda: me.histogramdd(X, bins=[2, 3]), ValueError, "bins"),
        (lambda: me.histogramdd(X, bins=[2, 3, [[1, 2]], 4]), ValueError, "bins[2]"),
        (lambda: me.histogramdd(X, bins=[2, 3, [2, 1], 4]), ValueError, "bins[2]"),
        (lambda: me.histogramdd(X, range=[(0, 1)]), ValueError, "range"),
        (lambda: me.histogramdd(X, range=[None, (1, 0), None, None]), ValueError, "range[1]"),
        (lambda: me.histogramdd(X, bins="auto"), TypeError, "auto"),
        (lambda: me.histogramdd(np.ones((2, 3, 4))), ValueError, "sample"),
        (lambda: me.histogramdd(X, weights=np.ones(4)), ValueError, "weights"),
        (lambda: me.bincount([1, -2]), ValueError, "negative"),
        (lambda: me.bincount(np.ones((2, 2), int)), ValueError, "1-dimensional"),
        (lambda: me.bincount([1.5]), TypeError, "integers"),
        (lambda: me.bincount([1], minlength=-1), ValueError, "minlength"),
        (lambda: me.bincount([1], minlength=None), TypeError, "minlength"),
        (lambda: me.bincount([1, 2], weights=[1.0]), ValueError, "weights"),
    ],
)
def test_refusals_name_the_argument_and_charge_nothing(call, error, words):
    refused(error, call, match=re.escape(words))


def test_refused_inplace_sort_charges_nothing():
    a = me.asarray(X.copy())
    with me.BudgetContext(10**9) as budget:
        with pytest.raises(ValueError, match="axis"):
            a.sort(axis=5)
        with pytest.raises(ValueError, match="kth"):
            a.partition(9)
    assert budget.flops_used == 0
    np.testing.assert_array_equal(np.asarray(a), X)


def test_in1d_takes_numpys_keyword_names():
    with me.BudgetContext(100) as b:
        got = me.in1d(ar1=[1, 2, 3], ar2=[2])
    assert got.tolist() == [False, True, False] and b.flops_used == 4 * 2
