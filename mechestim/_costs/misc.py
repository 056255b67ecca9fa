"""Cost formulas of the assorted custom ops: clip, differences, convolution,
covariance, integration, interpolation, comparisons, spaced sequences, Vandermonde.

Pure arithmetic on shapes and counts (docs/operations.md lists each op's rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .core import as_count, as_shape, numel, pointwise_cost, shape_axis

if TYPE_CHECKING:
    from .._symmetry.tensor import SymmetryInfo

__all__ = [
    "clip_cost",
    "diff_cost",
    "ediff1d_cost",
    "gradient_cost",
    "convolve_cost",
    "correlate_cost",
    "cov_cost",
    "corrcoef_cost",
    "trapezoid_cost",
    "interp_cost",
    "allclose_cost",
    "array_equal_cost",
    "array_equiv_cost",
    "logspace_cost",
    "geomspace_cost",
    "vander_cost",
]


def clip_cost(shape: int | Sequence[int], symmetry_info: SymmetryInfo | None = None) -> int:
    """FLOPs of ``clip`` producing ``shape``: one per element, or one per unique element
    of a symmetric result; min 1."""
    return pointwise_cost(shape, symmetry_info)


def diff_cost(shape: int | Sequence[int], n: int = 1, axis: int = -1) -> int:
    """FLOPs of ``diff``: the number of elements of its output, min 1.

    ``shape`` is the input's shape after any ``prepend``/``append``; the output is
    ``n`` shorter along ``axis`` (never below 0).
    """
    dims = list(as_shape(shape))
    order = as_count(n, "n", allow_bool=True)
    if not dims:
        raise ValueError("diff needs an input of at least one dimension")
    ax = shape_axis(axis, len(dims))
    dims[ax] = max(dims[ax] - order, 0)
    return max(numel(dims), 1)


def ediff1d_cost(n: int, n_begin: int = 0, n_end: int = 0) -> int:
    """FLOPs of ``ediff1d`` of ``n`` elements with ``n_begin``/``n_end`` values put
    before/after: the output size ``max(n - 1, 0) + n_begin + n_end``, min 1."""
    size = as_count(n, "n", allow_bool=True)
    before = as_count(n_begin, "n_begin", allow_bool=True)
    return max(max(size - 1, 0) + before + as_count(n_end, "n_end", allow_bool=True), 1)


def gradient_cost(shape: int | Sequence[int]) -> int:
    """FLOPs of ``gradient`` of an array of ``shape``: ``numel(shape)`` (min 1)."""
    return max(numel(as_shape(shape)), 1)


def convolve_cost(n: int, m: int) -> int:
    """FLOPs of ``convolve`` of sequences of ``n`` and ``m`` elements: a multiply-add
    (2 FLOPs) per pair, ``2*n*m`` whatever the mode; min 1."""
    return max(2 * as_count(n, "n", allow_bool=True) * as_count(m, "m", allow_bool=True), 1)


def correlate_cost(n: int, m: int) -> int:
    """FLOPs of ``correlate`` of sequences of ``n`` and ``m`` elements: ``2*n*m`` (any
    mode), min 1."""
    return max(2 * as_count(n, "n", allow_bool=True) * as_count(m, "m", allow_bool=True), 1)


def _cov_raw(p: int, n: int) -> int:
    return 2 * p * n + 2 * p * p * n


def cov_cost(p: int, n: int) -> int:
    """FLOPs of ``cov`` of ``p`` variables observed ``n`` times: ``2*p*n`` to centre
    plus ``2*p*p*n`` for the products; min 1. (3 variables, 10 observations: 240.)"""
    return max(_cov_raw(as_count(p, "p", allow_bool=True), as_count(n, "n", allow_bool=True)), 1)


def corrcoef_cost(p: int, n: int) -> int:
    """FLOPs of ``corrcoef`` of ``p`` variables observed ``n`` times: the covariance,
    plus ``p`` square roots of its diagonal, plus ``2*p*p`` to normalise; min 1."""
    vars_, obs = as_count(p, "p", allow_bool=True), as_count(n, "n", allow_bool=True)
    return max(_cov_raw(vars_, obs) + vars_ + 2 * vars_ * vars_, 1)


def trapezoid_cost(shape: int | Sequence[int]) -> int:
    """FLOPs of ``trapezoid``/``trapz`` of samples of ``shape``: ``numel(shape)``, min 1."""
    return max(numel(as_shape(shape)), 1)


def interp_cost(n: int) -> int:
    """FLOPs of ``interp`` at ``n`` points: ``n`` (min 1)."""
    return max(as_count(n, "n", allow_bool=True), 1)


def allclose_cost(shape_a: int | Sequence[int], shape_b: int | Sequence[int]) -> int:
    """FLOPs of ``allclose``: one comparison per element of the broadcast shape, min 1."""
    return max(numel(np.broadcast_shapes(as_shape(shape_a), as_shape(shape_b))), 1)


def array_equal_cost(shape_a: int | Sequence[int], shape_b: int | Sequence[int]) -> int:
    """FLOPs of ``array_equal`` (no broadcasting): ``max(numel(a), numel(b), 1)``."""
    return max(numel(as_shape(shape_a)), numel(as_shape(shape_b)), 1)


def array_equiv_cost(shape_a: int | Sequence[int], shape_b: int | Sequence[int]) -> int:
    """FLOPs of ``array_equiv``: numel of the broadcast shape, or, when the shapes do not
    broadcast, ``max(numel(a), numel(b), 1)``."""
    a, b = as_shape(shape_a), as_shape(shape_b)
    try:
        shape = np.broadcast_shapes(a, b)
    except ValueError:
        return max(numel(a), numel(b), 1)
    return max(numel(shape), 1)


def logspace_cost(num: int, batch_shape: int | Sequence[int] = ()) -> int:
    """FLOPs of ``logspace``: ``num`` powers per sequence, min 1. ``batch_shape`` is the
    broadcast shape of array-valued ``start``/``stop``/``base`` (``()`` for scalars)."""
    return max(as_count(num, "num", allow_bool=True) * numel(as_shape(batch_shape)), 1)


def geomspace_cost(num: int, batch_shape: int | Sequence[int] = ()) -> int:
    """FLOPs of ``geomspace``: ``num`` values per sequence, min 1. ``batch_shape`` is the
    broadcast shape of array-valued ``start``/``stop`` (``()`` for scalars)."""
    return max(as_count(num, "num", allow_bool=True) * numel(as_shape(batch_shape)), 1)


def vander_cost(n: int, N: int | None = None) -> int:  # noqa: N803 - NumPy's name
    """FLOPs of ``vander`` of ``n`` points with ``N`` columns (default ``n``): one
    multiply per power beyond the first, ``n*(N-1)``; min 1."""
    size = as_count(n, "n", allow_bool=True)
    columns = size if N is None else as_count(N, "N", allow_bool=True)
    return max(size * (columns - 1), 1)
