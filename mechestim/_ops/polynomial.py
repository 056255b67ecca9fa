"""Polynomial functions (``poly``, ``polyadd``, ..., ``roots``), charged per docs/operations.md.

Coefficients are ordered highest power first, as in NumPy. Each function is stated once,
as a plan (:func:`~mechestim._core.pipeline.planned`): it validates its arguments,
charges the formula of :mod:`mechestim._costs.polynomial` and returns
exactly what NumPy returns (``numpy.poly1d`` inputs give ``poly1d`` results, as there).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core.arrays import numeric
from .._core.compat import reporting_at_user_line
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.core import as_count
from .._costs.polynomial import (
    poly_cost,
    polyadd_cost,
    polyder_cost,
    polydiv_cost,
    polyfit_cost,
    polyint_cost,
    polymul_cost,
    polysub_cost,
    polyval_cost,
    roots_cost,
)

__all__ = [
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


def _coeffs(op: str, p: Any, what: str = "p") -> np.ndarray:
    """Coefficients as NumPy reads them (``atleast_1d``), refusing non-numeric data."""
    array = np.atleast_1d(numeric(op, p))
    if array.ndim != 1:
        raise ValueError(
            f"{op}: {what} must be a 1-D sequence of coefficients, got shape {array.shape}"
        )
    return array


@planned("poly")
def poly(seq_of_zeros: Any) -> Plan:
    """Coefficients of the monic polynomial with the given roots (``numpy.poly``); a
    square matrix gives its characteristic polynomial.

    Charged ``n**2`` FLOPs, ``n`` the number of roots (rows of a matrix); at least 1.
    """
    array = np.atleast_1d(numeric("poly", seq_of_zeros))
    shape = array.shape
    if not (array.ndim == 1 or (array.ndim == 2 and shape[0] == shape[1] and shape[0] != 0)):
        raise ValueError(
            f"poly: input must be a 1-D sequence of roots or a non-empty square matrix, "
            f"got shape {shape}"
        )
    return numpy_plan(poly_cost(shape[0]), np.poly, seq_of_zeros)


def _pair_lengths(op: str, a1: Any, a2: Any) -> tuple[int, int]:
    return _coeffs(op, a1, "a1").shape[0], _coeffs(op, a2, "a2").shape[0]


@planned("polyadd")
def polyadd(a1: Any, a2: Any) -> Plan:
    """Sum of two polynomials (``numpy.polyadd``).

    Charged ``max(len(a1), len(a2))`` FLOPs.
    """
    return numpy_plan(polyadd_cost(*_pair_lengths("polyadd", a1, a2)), np.polyadd, a1, a2)


@planned("polysub")
def polysub(a1: Any, a2: Any) -> Plan:
    """Difference of two polynomials (``numpy.polysub``).

    Charged ``max(len(a1), len(a2))`` FLOPs.
    """
    return numpy_plan(polysub_cost(*_pair_lengths("polysub", a1, a2)), np.polysub, a1, a2)


@planned("polymul")
def polymul(a1: Any, a2: Any) -> Plan:
    """Product of two polynomials (``numpy.polymul``), a convolution of coefficients.

    Charged ``2*len(a1)*len(a2)`` FLOPs (a multiply-add counts 2).
    """
    return numpy_plan(polymul_cost(*_pair_lengths("polymul", a1, a2)), np.polymul, a1, a2)


@planned("polydiv")
def polydiv(u: Any, v: Any) -> Plan:
    """Quotient and remainder of ``u / v`` (``numpy.polydiv``).

    Charged ``len(u)*len(v)`` FLOPs.
    """
    len_u, len_v = _coeffs("polydiv", u, "u").shape[0], _coeffs("polydiv", v, "v").shape[0]
    if len_u == 0 or len_v == 0:
        raise ValueError(
            f"polydiv: u and v need at least one coefficient (got {len_u} and {len_v})"
        )
    return numpy_plan(polydiv_cost(len_u, len_v), np.polydiv, u, v)


@planned("polyder")
def polyder(p: Any, m: int = 1) -> Plan:
    """The ``m``-th derivative of a polynomial (``numpy.polyder``).

    Charged ``len(p)`` FLOPs (at least 1).
    """
    length = _coeffs("polyder", p).shape[0]
    as_count(m, "m", op="polyder", rule="be >= 0")
    return numpy_plan(polyder_cost(length), np.polyder, p, m)


@planned("polyint")
def polyint(p: Any, m: int = 1, k: Any = None) -> Plan:
    """The ``m``-th antiderivative of a polynomial (``numpy.polyint``), with integration
    constants ``k``.

    Charged ``len(p)`` FLOPs (at least 1).
    """
    length = _coeffs("polyint", p).shape[0]
    order = as_count(m, "m", op="polyint", rule="be >= 0")
    if k is not None:
        constants = np.atleast_1d(numeric("polyint", k))
        if constants.ndim != 1 or (constants.shape[0] not in (1, order)):
            raise ValueError(
                f"polyint: k must be a scalar or a 1-D sequence of length 1 or m={order}, "
                f"got shape {constants.shape}"
            )
    return numpy_plan(polyint_cost(length), np.polyint, p, m, k)


@planned("polyval")
def polyval(p: Any, x: Any) -> Plan:
    """The polynomial ``p`` evaluated at ``x`` (``numpy.polyval``, Horner's rule).

    Charged ``2*numel(x)*(len(p)-1)`` FLOPs, at least 1.
    """
    length = _coeffs("polyval", p).shape[0]
    points = numeric("polyval", x).size
    return numpy_plan(polyval_cost(length, points), np.polyval, p, x)


@planned("polyfit")
def polyfit(
    x: Any, y: Any, deg: int, rcond: Any = None, full: bool = False, w: Any = None, cov: Any = False
) -> Plan:
    """Least-squares polynomial fit of degree ``deg`` (``numpy.polyfit``).

    Charged ``2*len(x)*(deg+1)**2`` FLOPs.
    """
    op = "polyfit"
    order = as_count(deg, "deg", op=op, rule="be >= 0")
    xs = numeric(op, x)
    ys = numeric(op, y)
    if xs.ndim != 1:
        raise TypeError(f"{op}: x must be a 1-D vector, got shape {xs.shape}")
    if xs.size == 0:
        raise TypeError(f"{op}: x must not be empty")
    if ys.ndim not in (1, 2):
        raise TypeError(f"{op}: y must be a 1-D or 2-D array, got shape {ys.shape}")
    if ys.shape[0] != xs.shape[0]:
        raise TypeError(
            f"{op}: x and y must have the same length ({xs.shape[0]} and {ys.shape[0]})"
        )
    if w is not None:
        ws = numeric(op, w)
        if ws.ndim != 1:
            raise TypeError(f"{op}: w must be a 1-D vector, got shape {ws.shape}")
        if ws.shape[0] != xs.shape[0]:
            raise TypeError(
                f"{op}: w and y must have the same length ({ws.shape[0]} and {ys.shape[0]})"
            )
    if cov and cov != "unscaled" and xs.shape[0] <= order + 2:
        raise ValueError(
            f"{op}: cov=True needs more than deg + 2 = {order + 2} points to scale the "
            f"covariance, got {xs.shape[0]}"
        )
    cost = polyfit_cost(xs.shape[0], order)
    return numpy_plan(cost, reporting_at_user_line(np.polyfit), x, y, deg, rcond=rcond, full=full, w=w, cov=cov)


@planned("roots")
def roots(p: Any) -> Plan:
    """Roots of the polynomial with coefficients ``p`` (``numpy.roots``).

    Charged ``10*(len(p)-1)**3`` FLOPs (an eigenvalue problem of the companion
    matrix), at least 1.
    """
    array = numeric("roots", p)
    if array.ndim != 1:
        raise ValueError(
            f"roots: p must be a 1-D sequence of coefficients, got shape {array.shape}"
        )
    return numpy_plan(roots_cost(array.shape[0]), np.roots, p)
