"""Polynomials, windows and unwrap: ops.tsv costs, NumPy values, clean refusals."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import refused, used
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mechestim as me
from mechestim._core.registry import REGISTRY

POLY = [
    "poly",
    "polyadd",
    "polyder",
    "polydiv",
    "polyfit",
    "polyint",
    "polymul",
    "polysub",
    "polyval",
    "roots",
]
WINDOWS = ["bartlett", "blackman", "hamming", "hanning", "kaiser"]


def same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
    elif isinstance(want, np.ndarray):
        assert type(got) is me.ndarray
        np.testing.assert_array_equal(got, want)
    else:  # NumPy scalars stay scalars
        assert type(got) is type(want) and got == want


def check(name, *args, **kwargs):
    """Run me.<name> and np.<name>; compare values; return the charge (== registry twin)."""
    cost, got = used(lambda: getattr(me, name)(*args, **kwargs))
    same(got, getattr(np, name)(*args, **kwargs))
    assert REGISTRY[name].cost(*args, **kwargs) == cost
    return cost


# -- costs per ops.tsv ------------------------------------------------------------------
def test_polynomial_costs():
    a, b = [1.0, -3.0, 2.0, 5.0], [2.0, 1.0]
    assert check("polymul", a, b) == 2 * 4 * 2 == me.flops.polymul_cost(4, 2) == 16
    assert check("polyadd", a, b) == 4 == me.flops.polyadd_cost(4, 2)
    assert check("polysub", b, a) == 4 == me.flops.polysub_cost(2, 4)
    assert check("polyder", a) == 4 == me.flops.polyder_cost(4)
    assert check("polyder", a, 2) == 4
    assert check("polyint", a) == 4 == me.flops.polyint_cost(4)
    assert check("polyint", a, 2, [1.0, 2.0]) == 4
    assert check("polydiv", a, b) == 8 == me.flops.polydiv_cost(4, 2)
    x = np.linspace(-1.0, 1.0, 10)
    assert check("polyval", a, x) == 2 * 10 * 3 == me.flops.polyval_cost(4, 10) == 60
    assert check("polyval", [7.0], x) == 1  # degree 0: min 1
    assert check("polyval", a, 0.5) == 6
    assert check("roots", a) == 10 * 3**3 == me.flops.roots_cost(4) == 270
    assert check("roots", [3.0]) == 1
    assert check("poly", [1.0, 2.0, 3.0]) == 9 == me.flops.poly_cost(3)
    assert check("poly", np.diag([1.0, 2.0])) == 4
    assert check("poly", []) == 1
    y = 3 * x**2 - x + 1
    assert check("polyfit", x, y, 2) == 2 * 10 * 9 == me.flops.polyfit_cost(10, 2) == 180
    cost = check("polyfit", x, np.stack([y, 2 * y], axis=1), 1, full=True)
    assert cost == 2 * 10 * 4


def test_window_costs():
    M = 16
    assert check("bartlett", M) == 16 == me.flops.bartlett_cost(M)
    assert check("blackman", M) == 48 == me.flops.blackman_cost(M)
    assert check("hamming", M) == 32 == me.flops.hamming_cost(M)
    assert check("hanning", M) == 32 == me.flops.hanning_cost(M)
    assert check("kaiser", M, 8.6) == 48 == me.flops.kaiser_cost(M)
    for name in WINDOWS:
        args = (5.6,) if name == "kaiser" else ()
        assert check(name, 0, *args) == 1
        assert check(name, 1, *args) == getattr(me.flops, f"{name}_cost")(1)
        assert check(name, -3, *args) == 1
        assert check(name, 6.0, *args) == getattr(me.flops, f"{name}_cost")(6)


def test_unwrap_costs():
    phase = np.cumsum(np.full((3, 20), 0.9), axis=1) % (2 * np.pi) - np.pi
    assert check("unwrap", phase) == 60 == me.flops.unwrap_cost((3, 20))
    assert check("unwrap", phase, axis=0) == 60
    assert check("unwrap", phase, np.pi / 2) == 60
    assert check("unwrap", np.arange(10) % 4, period=4) == 10


def test_flops_exports():
    for name in POLY + WINDOWS + ["unwrap"]:
        assert f"{name}_cost" in me.flops.__all__, name
        assert getattr(me, name).__doc__ and "Charged" in getattr(me, name).__doc__


# -- values equal NumPy (hypothesis) ----------------------------------------------------------
coeffs = hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-4, 4, width=32))
nonzero_lead = coeffs.filter(lambda c: abs(c[0]) > 0.1)


@settings(max_examples=30, deadline=None)
@given(
    coeffs,
    nonzero_lead,
    hnp.arrays(
        np.float64, hnp.array_shapes(max_dims=2, max_side=5), elements=st.floats(-2, 2, width=32)
    ),
)
def test_polynomials_match_numpy(p, q, x):
    assert check("polyadd", p, q) == max(len(p), len(q))
    assert check("polysub", p, q) == max(len(p), len(q))
    assert check("polymul", p, q) == 2 * len(p) * len(q)
    assert check("polydiv", p, q) == len(p) * len(q)
    assert check("polyder", p) == len(p)
    assert check("polyint", p) == len(p)
    assert check("polyval", p, x) == max(2 * x.size * (len(p) - 1), 1)
    assert check("poly", p) == len(p) ** 2


@settings(max_examples=20, deadline=None)
@given(nonzero_lead)
def test_roots_match_numpy(p):
    assert check("roots", p) == max(10 * (len(p) - 1) ** 3, 1)


@settings(max_examples=20, deadline=None)
@given(st.integers(-2, 40), st.floats(0, 14))
def test_windows_match_numpy(M, beta):
    for name in WINDOWS:
        args = (beta,) if name == "kaiser" else ()
        factor = {"bartlett": 1, "blackman": 3, "hamming": 2, "hanning": 2, "kaiser": 3}[name]
        assert check(name, M, *args) == max(factor * M, 1)


@settings(max_examples=20, deadline=None)
@given(
    hnp.arrays(
        np.float64, hnp.array_shapes(max_dims=3, max_side=6), elements=st.floats(-20, 20, width=32)
    ),
    st.data(),
)
def test_unwrap_matches_numpy(p, data):
    axis = data.draw(st.integers(-p.ndim, p.ndim - 1))
    assert check("unwrap", p, axis=axis) == p.size


def test_mechestim_inputs_and_poly1d():
    p = me.array([1.0, 2.0, 3.0])
    cost, got = used(lambda: me.polyval(p, me.ones(4)))
    assert cost == 16 and type(got) is me.ndarray
    result = me.polyadd(np.poly1d([1.0, 2.0]), np.poly1d([3.0]))
    assert isinstance(result, np.poly1d)
    assert result == np.polyadd(np.poly1d([1.0, 2.0]), np.poly1d([3.0]))


# -- refusals: clear errors, nothing charged ---------------------------------------------
REFUSALS = [
    (lambda: me.poly(np.ones((2, 3))), ValueError, "square"),
    (lambda: me.polyadd(np.ones((2, 2)), [1.0]), ValueError, "a1"),
    (lambda: me.polymul([1.0], np.ones((2, 2))), ValueError, "a2"),
    (lambda: me.polydiv([1.0, 2.0], []), ValueError, "coefficient"),
    (lambda: me.polyder([1.0, 2.0], -1), ValueError, "m must be >= 0"),
    (lambda: me.polyint([1.0, 2.0], 2, [1.0, 2.0, 3.0]), ValueError, "k must be"),
    (lambda: me.polyfit([1.0, 2.0], [1.0, 2.0], -1), ValueError, "deg"),
    (lambda: me.polyfit([1.0, 2.0], [1.0, 2.0, 3.0], 1), TypeError, "same length"),
    (lambda: me.polyfit(np.ones((2, 2)), [1.0, 2.0], 1), TypeError, "x must be"),
    (lambda: me.polyfit([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], 1, cov=True), ValueError, "cov"),
    (lambda: me.polyfit([1.0, 2.0], [1.0, 2.0], 1, w=[1.0]), TypeError, "w"),
    (lambda: me.roots(np.ones((2, 2))), ValueError, "1-D"),
    (lambda: me.polyval(["a"], [1.0]), TypeError, "str"),
    (lambda: me.hamming(5.5), TypeError, "M"),
    (lambda: me.bartlett("5"), TypeError, "M"),
    (lambda: me.kaiser(5, [1.0, 2.0]), TypeError, "beta"),
    (lambda: me.unwrap(np.float64(1.0)), ValueError, "dimension"),
    (lambda: me.unwrap(np.ones(3), axis=1), np.exceptions.AxisError, "axis"),
]


@pytest.mark.parametrize(("call", "exc", "needle"), REFUSALS)
def test_refusals_charge_nothing(call, exc, needle):
    refused(exc, call, match=needle)


def test_overrun_runs_nothing():
    with me.BudgetContext(269) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="roots would cost 270"):
            me.roots([1.0, 2.0, 3.0, 4.0])
    assert budget.flops_used == 0
