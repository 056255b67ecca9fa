"""Polynomial cost formulas (docs/operations.md; lengths are numbers of coefficients).

Every result is at least 1. A product of polynomials is a convolution, so a
multiply-add counts 2 (``polymul`` is ``2*len1*len2``); evaluating with Horner's rule
is a multiply-add per coefficient after the first and per point.
"""

from __future__ import annotations

from .core import as_count

__all__ = [
    "poly_cost",
    "polyadd_cost",
    "polysub_cost",
    "polyder_cost",
    "polyint_cost",
    "polymul_cost",
    "polydiv_cost",
    "polyfit_cost",
    "polyval_cost",
    "roots_cost",
]


def poly_cost(n: int) -> int:
    """FLOPs of ``poly`` from ``n`` roots (or an n x n matrix): ``max(n**2, 1)``."""
    return max(as_count(n, "n") ** 2, 1)


def polyadd_cost(len1: int, len2: int) -> int:
    """FLOPs of ``polyadd``: ``max(len1, len2, 1)``."""
    return max(as_count(len1, "len1"), as_count(len2, "len2"), 1)


def polysub_cost(len1: int, len2: int) -> int:
    """FLOPs of ``polysub``: ``max(len1, len2, 1)``."""
    return polyadd_cost(len1, len2)


def polyder_cost(n: int) -> int:
    """FLOPs of ``polyder`` of a polynomial with ``n`` coefficients: ``max(n, 1)``."""
    return max(as_count(n, "n"), 1)


def polyint_cost(n: int) -> int:
    """FLOPs of ``polyint`` of a polynomial with ``n`` coefficients: ``max(n, 1)``."""
    return max(as_count(n, "n"), 1)


def polymul_cost(len1: int, len2: int) -> int:
    """FLOPs of ``polymul`` (a convolution, FMA = 2): ``max(2*len1*len2, 1)``."""
    return max(2 * as_count(len1, "len1") * as_count(len2, "len2"), 1)


def polydiv_cost(len_u: int, len_v: int) -> int:
    """FLOPs of ``polydiv(u, v)``: ``max(len(u)*len(v), 1)``."""
    return max(as_count(len_u, "len_u") * as_count(len_v, "len_v"), 1)


def polyfit_cost(n_points: int, deg: int) -> int:
    """FLOPs of a least-squares ``polyfit`` of degree ``deg`` to ``n_points`` points:
    ``max(2*n_points*(deg+1)**2, 1)``."""
    return max(2 * as_count(n_points, "n_points") * (as_count(deg, "deg") + 1) ** 2, 1)


def polyval_cost(n_coeffs: int, n_points: int) -> int:
    """FLOPs of ``polyval`` (Horner) of ``n_coeffs`` coefficients at ``n_points`` points:
    ``max(2*n_points*(n_coeffs-1), 1)``."""
    degree = max(as_count(n_coeffs, "n_coeffs") - 1, 0)
    return max(2 * as_count(n_points, "n_points") * degree, 1)


def roots_cost(n_coeffs: int) -> int:
    """FLOPs of ``roots`` (eigenvalues of the companion matrix) of ``n_coeffs``
    coefficients: ``max(10*(n_coeffs-1)**3, 1)``."""
    degree = max(as_count(n_coeffs, "n_coeffs") - 1, 0)
    return max(10 * degree**3, 1)
