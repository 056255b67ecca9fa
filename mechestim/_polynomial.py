"""Polynomial functions (``poly``, ``polyadd``, ..., ``roots``), charged per docs/operations.md.

Coefficients are ordered highest power first, as in NumPy. Each function validates
its arguments, charges the formula of :mod:`mechestim._costs.polynomial` and returns
exactly what NumPy returns (``numpy.poly1d`` inputs give ``poly1d`` results, as there).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._costs.core import as_count
from ._costs.polynomial import (
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
from ._wrap import counted, numeric

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


def _poly_cost(seq_of_zeros: Any) -> int:
    array = np.atleast_1d(numeric("poly", seq_of_zeros))
    shape = array.shape
    if array.ndim == 2 and shape[0] == shape[1] and shape[0] != 0:
        return poly_cost(shape[0])
    if array.ndim == 1:
        return poly_cost(shape[0])
    raise ValueError(
        f"poly: input must be a 1-D sequence of roots or a non-empty square matrix, "
        f"got shape {shape}"
    )


@counted("poly", cost=_poly_cost)
def poly(seq_of_zeros: Any) -> Any:
    """Coefficients of the monic polynomial with the given roots (``numpy.poly``); a
    square matrix gives its characteristic polynomial.

    Charged ``n**2`` FLOPs, ``n`` the number of roots (rows of a matrix); at least 1.
    """
    return np.poly(seq_of_zeros)


def _pair_lengths(op: str, a1: Any, a2: Any) -> tuple[int, int]:
    return _coeffs(op, a1, "a1").shape[0], _coeffs(op, a2, "a2").shape[0]


@counted("polyadd", cost=lambda a1, a2: polyadd_cost(*_pair_lengths("polyadd", a1, a2)))
def polyadd(a1: Any, a2: Any) -> Any:
    """Sum of two polynomials (``numpy.polyadd``).

    Charged ``max(len(a1), len(a2))`` FLOPs.
    """
    return np.polyadd(a1, a2)


@counted("polysub", cost=lambda a1, a2: polysub_cost(*_pair_lengths("polysub", a1, a2)))
def polysub(a1: Any, a2: Any) -> Any:
    """Difference of two polynomials (``numpy.polysub``).

    Charged ``max(len(a1), len(a2))`` FLOPs.
    """
    return np.polysub(a1, a2)


@counted("polymul", cost=lambda a1, a2: polymul_cost(*_pair_lengths("polymul", a1, a2)))
def polymul(a1: Any, a2: Any) -> Any:
    """Product of two polynomials (``numpy.polymul``), a convolution of coefficients.

    Charged ``2*len(a1)*len(a2)`` FLOPs (a multiply-add counts 2).
    """
    return np.polymul(a1, a2)


def _polydiv_cost(u: Any, v: Any) -> int:
    len_u, len_v = _coeffs("polydiv", u, "u").shape[0], _coeffs("polydiv", v, "v").shape[0]
    if len_u == 0 or len_v == 0:
        raise ValueError(
            f"polydiv: u and v need at least one coefficient (got {len_u} and {len_v})"
        )
    return polydiv_cost(len_u, len_v)


@counted("polydiv", cost=_polydiv_cost)
def polydiv(u: Any, v: Any) -> Any:
    """Quotient and remainder of ``u / v`` (``numpy.polydiv``).

    Charged ``len(u)*len(v)`` FLOPs.
    """
    return np.polydiv(u, v)


def _polyder_cost(p: Any, m: Any = 1) -> int:
    length = _coeffs("polyder", p).shape[0]
    as_count(m, "m", op="polyder", rule="be >= 0")
    return polyder_cost(length)


@counted("polyder", cost=_polyder_cost)
def polyder(p: Any, m: int = 1) -> Any:
    """The ``m``-th derivative of a polynomial (``numpy.polyder``).

    Charged ``len(p)`` FLOPs (at least 1).
    """
    return np.polyder(p, m)


def _polyint_cost(p: Any, m: Any = 1, k: Any = None) -> int:
    length = _coeffs("polyint", p).shape[0]
    order = as_count(m, "m", op="polyint", rule="be >= 0")
    if k is not None:
        constants = np.atleast_1d(numeric("polyint", k))
        if constants.ndim != 1 or (constants.shape[0] not in (1, order)):
            raise ValueError(
                f"polyint: k must be a scalar or a 1-D sequence of length 1 or m={order}, "
                f"got shape {constants.shape}"
            )
    return polyint_cost(length)


@counted("polyint", cost=_polyint_cost)
def polyint(p: Any, m: int = 1, k: Any = None) -> Any:
    """The ``m``-th antiderivative of a polynomial (``numpy.polyint``), with integration
    constants ``k``.

    Charged ``len(p)`` FLOPs (at least 1).
    """
    return np.polyint(p, m, k)


def _polyval_cost(p: Any, x: Any) -> int:
    length = _coeffs("polyval", p).shape[0]
    points = numeric("polyval", x).size
    return polyval_cost(length, points)


@counted("polyval", cost=_polyval_cost)
def polyval(p: Any, x: Any) -> Any:
    """The polynomial ``p`` evaluated at ``x`` (``numpy.polyval``, Horner's rule).

    Charged ``2*numel(x)*(len(p)-1)`` FLOPs, at least 1.
    """
    return np.polyval(p, x)


def _polyfit_cost(
    x: Any, y: Any, deg: Any, rcond: Any = None, full: bool = False, w: Any = None, cov: Any = False
) -> int:
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
    return polyfit_cost(xs.shape[0], order)


@counted("polyfit", cost=_polyfit_cost)
def polyfit(
    x: Any, y: Any, deg: int, rcond: Any = None, full: bool = False, w: Any = None, cov: Any = False
) -> Any:
    """Least-squares polynomial fit of degree ``deg`` (``numpy.polyfit``).

    Charged ``2*len(x)*(deg+1)**2`` FLOPs.
    """
    return np.polyfit(x, y, deg, rcond=rcond, full=full, w=w, cov=cov)


def _roots_cost(p: Any) -> int:
    array = numeric("roots", p)
    if array.ndim != 1:
        raise ValueError(
            f"roots: p must be a 1-D sequence of coefficients, got shape {array.shape}"
        )
    return roots_cost(array.shape[0])


@counted("roots", cost=_roots_cost)
def roots(p: Any) -> Any:
    """Roots of the polynomial with coefficients ``p`` (``numpy.roots``).

    Charged ``10*(len(p)-1)**3`` FLOPs (an eigenvalue problem of the companion
    matrix), at least 1.
    """
    return np.roots(p)
