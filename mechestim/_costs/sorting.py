"""Cost formulas for sorting, searching, set operations and histograms (cost-model §8).

Everything here is pure arithmetic on sizes: shapes and counts in, an int out. The
building blocks ``sort_cost(n) = max(n*ceil_log2(n), 1)`` and
``search_cost(q, n) = max(q*ceil_log2(n), 1)`` live in :mod:`.core`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .core import (
    as_count,
    as_shape,
    ceil_log2,
    length_or_none,
    numel,
    search_cost,
    shape_axis,
    sort_cost,
)

__all__ = [
    "sort_array_cost",
    "lexsort_cost",
    "partition_cost",
    "searchsorted_cost",
    "digitize_cost",
    "unique_cost",
    "set_op_cost",
    "histogram_cost",
    "histogram2d_cost",
    "histogramdd_cost",
    "histogram_bin_edges_cost",
    "bincount_cost",
]


def sort_array_cost(shape: int | Sequence[int], axis: int | None = -1) -> int:
    """FLOPs of ``sort``/``argsort`` of an array of ``shape`` along ``axis``:
    ``sort_cost(n)`` for each of the ``numel(shape) / n`` slices of length ``n``;
    ``axis=None`` sorts the flattened array, ``sort_cost(numel)``; min 1.

    ``sort_cost(n) = max(n * ceil_log2(n), 1)``; (4, 8) along the last axis: 4 * 24 = 96.
    """
    dims = as_shape(shape)
    if axis is None or not dims:
        return sort_cost(numel(dims))
    ax = shape_axis(axis, len(dims))
    n = dims[ax]
    slices = numel(dims) // n if n else numel(d for i, d in enumerate(dims) if i != ax)
    return max(slices * sort_cost(n), 1)


def lexsort_cost(num_keys: int, n: int, slices: int = 1) -> int:
    """FLOPs of ``lexsort`` with ``num_keys`` keys of length ``n`` along the sort axis:
    one stable sort per key, ``num_keys * sort_cost(n)``, times the number of ``slices``
    when the keys are N-D; no keys costs 1."""
    k = as_count(num_keys, "num_keys", allow_bool=True)
    length = as_count(n, "n", allow_bool=True)
    batches = as_count(slices, "slices", allow_bool=True)
    return max(k * batches * sort_cost(length), 1)


def partition_cost(shape: int | Sequence[int]) -> int:
    """FLOPs of ``partition``/``argpartition``: one selection pass, ``numel(shape)``
    (each slice of length n costs n), min 1."""
    return max(numel(as_shape(shape)), 1)


def searchsorted_cost(num_values: int, n: int) -> int:
    """FLOPs of ``searchsorted``: one binary search into ``n`` sorted items per value,
    ``search_cost(num_values, n)``."""
    values = as_count(num_values, "num_values", allow_bool=True)
    return search_cost(values, as_count(n, "n", allow_bool=True))


def digitize_cost(num_values: int, num_bins: int) -> int:
    """FLOPs of ``digitize``: a binary search over ``num_bins`` edges per value,
    ``search_cost(num_values, num_bins)``."""
    values = as_count(num_values, "num_values", allow_bool=True)
    return search_cost(values, as_count(num_bins, "num_bins", allow_bool=True))


def unique_cost(n: int) -> int:
    """FLOPs of ``unique`` and ``unique_all/counts/inverse/values`` on ``n`` elements:
    one sort, ``sort_cost(n)``."""
    return sort_cost(as_count(n, "n", allow_bool=True))


def set_op_cost(n: int, m: int) -> int:
    """FLOPs of ``isin``, ``in1d``, ``intersect1d``, ``setdiff1d``, ``setxor1d`` and
    ``union1d`` on inputs of ``n`` and ``m`` elements: ``sort_cost(n + m)``."""
    return sort_cost(as_count(n, "n", allow_bool=True) + as_count(m, "m", allow_bool=True))


def _bin_search_depth(bins: Any, what: str) -> int:
    """``ceil_log2`` of a bin specification: a bin count, or the length of an edge array."""
    if isinstance(bins, str):
        raise TypeError(f"{what} must be a bin count or a sequence of edges, got {bins!r}")
    length = length_or_none(bins)
    if length is not None:
        return ceil_log2(length)
    return ceil_log2(as_count(bins, what, allow_bool=True))


def histogram_cost(n: int, bins: Any = 10) -> int:
    """FLOPs of ``histogram`` of ``n`` values: a binary search per value,
    ``n * ceil_log2(bins)`` for a bin count, ``n * ceil_log2(len(edges))`` for an edge
    array; ``n`` for a string estimator; min 1."""
    size = as_count(n, "n", allow_bool=True)
    if isinstance(bins, str):
        return max(size, 1)
    return max(size * _bin_search_depth(bins, "bins"), 1)


def histogram2d_cost(n: int, bins: Any = 10) -> int:
    """FLOPs of ``histogram2d`` of ``n`` points: a binary search per point and axis,
    ``n * (ceil_log2(bx) + ceil_log2(by))``, ``bx``/``by`` the bin counts (or edge array
    lengths) along x and y; min 1.

    ``bins`` as NumPy takes it: one count for both axes, a pair (each a count or an
    edge array, whose length is used), or one edge array shared by both axes.
    """
    size = as_count(n, "n", allow_bool=True)
    if isinstance(bins, str):
        return max(size, 1)
    length = length_or_none(bins)
    if length is None:
        per_axis = [bins, bins]
    elif length == 2:
        per_axis = list(bins)
    else:
        per_axis = [bins, bins]
    depth = sum(_bin_search_depth(b, f"bins[{i}]") for i, b in enumerate(per_axis))
    return max(size * depth, 1)


def histogramdd_cost(n: int, d: int, bins: Any = 10) -> int:
    """FLOPs of ``histogramdd`` of ``n`` points in ``d`` dimensions: a binary search
    per point and dimension, ``n * d * ceil_log2(bins)`` for one bin count, else
    ``n * sum(ceil_log2(b_i))`` over the ``d`` per-axis counts (or edge array lengths);
    min 1."""
    size = as_count(n, "n", allow_bool=True)
    dims = as_count(d, "d", allow_bool=True)
    if isinstance(bins, str):
        return max(size, 1)
    if length_or_none(bins) is None:
        return max(size * dims * _bin_search_depth(bins, "bins"), 1)
    depth = sum(_bin_search_depth(b, f"bins[{i}]") for i, b in enumerate(bins))
    return max(size * depth, 1)


def histogram_bin_edges_cost(n: int) -> int:
    """FLOPs of ``histogram_bin_edges`` of ``n`` values: one pass, ``n`` (min 1)."""
    return max(as_count(n, "n", allow_bool=True), 1)


def bincount_cost(n: int) -> int:
    """FLOPs of ``bincount`` of ``n`` values: one increment per value, ``n`` (min 1)."""
    return max(as_count(n, "n", allow_bool=True), 1)
