"""Sorting, searching, set operations and histograms (cost-model §8).

Each op computes what NumPy computes. Its cost rule lives in
:mod:`mechestim._costs.sorting` (also reachable as ``me.flops.*``). Each op is stated
once, as a plan (:func:`~mechestim._core.pipeline.planned`): it reads the caller's
arguments, refuses bad ones (before any charge), hands the sizes to that formula and
says how NumPy runs.

``ndarray.sort()`` and ``ndarray.partition()`` (in place) are charged through the
same cost rules: they call ``REGISTRY[name].cost(self, *args, **kwargs)`` (the plan's
cost).
"""

from __future__ import annotations

import inspect
import operator
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.args import flat_axis_index, probe
from .._core.arrays import numeric
from .._core.naming import name_op
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.core import as_count, length_or_none
from .._costs.sorting import (
    bincount_cost,
    digitize_cost,
    histogram2d_cost,
    histogram_bin_edges_cost,
    histogram_cost,
    histogramdd_cost,
    lexsort_cost,
    partition_cost,
    searchsorted_cost,
    set_op_cost,
    sort_array_cost,
    unique_cost,
)

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__: list[str] = []  # the ops are exported by the registry (me.sort, me.unique, ...)

_ONE = np.zeros(1)
# String estimators np.histogram accepts for ``bins``.
_ESTIMATORS = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")


# -- argument checks (all run before the charge) ----------------------------------------
def _no_order(op: str, order: Any) -> None:
    if order is not None:
        raise ValueError(
            f"{op}: order={order!r} needs a structured array with named fields, which "
            "mechestim does not count; sort numeric arrays without order"
        )


def _deep_plain(value: Any) -> Any:
    """``value`` with mechestim arrays at any depth of lists/tuples made plain NumPy
    (so NumPy's internals on them are never charged a second time)."""
    if isinstance(value, np.ndarray):
        return value.view(np.ndarray)
    if type(value) in (list, tuple):
        return type(value)(_deep_plain(v) for v in value)
    return value


def _plain(value: Any) -> np.ndarray:
    """A plain NumPy array (so comparisons never route through mechestim charging)."""
    return np.asarray(value)


# -- sort, argsort, lexsort -----------------------------------------------------------
_NO_VALUE = np._NoValue  # NumPy's "not given" default, as its sort shows it


def _numpy_sorts_descending() -> bool:
    """Whether this NumPy's sort and argsort take ``descending=`` (NumPy >= 2.5)."""
    try:
        np.sort(_ONE, descending=False)
    except TypeError:
        return False
    return True


_SORTS_DESCENDING = _numpy_sorts_descending()


def _sort_like(op: str, func: Callable[..., Any], doc: str) -> Callable[..., Any]:
    """``sort`` or ``argsort``: the same arguments, checks and cost; ``func`` does the work.

    ``descending=`` is NumPy's (>= 2.5): shown in the signature and taken where this NumPy
    takes it, at the same cost; on an older NumPy it raises what that NumPy raises.
    """

    def plan(
        a: ArrayLike,
        axis: int | None = -1,
        kind: str | None = None,
        order: Any = None,
        *,
        stable: bool | None = None,
        descending: Any = _NO_VALUE,
    ) -> Plan:
        x = numeric(op, a)
        _no_order(op, order)
        # Passed on only when given, as NumPy's own sort does (older NumPy has no such keyword).
        extra = {} if descending is _NO_VALUE else {"descending": descending}
        if kind is not None or stable is not None or extra:
            probe(op, lambda: func(_ONE, kind=kind, stable=stable, **extra))
        if axis is None:
            cost = sort_array_cost(x.shape, None)
        else:
            cost = sort_array_cost(x.shape, flat_axis_index(op, axis, x.ndim))
        return numpy_plan(cost, func, a, axis=axis, kind=kind, order=order, stable=stable, **extra)

    signature = inspect.signature(plan)
    if not _SORTS_DESCENDING:
        signature = signature.replace(parameters=list(signature.parameters.values())[:-1])
    return planned(op)(name_op(plan, op, __name__, doc, signature))


sort = _sort_like(
    "sort",
    np.sort,
    """Sorted copy of ``a`` along ``axis`` (``None``: the flattened array), as ``np.sort``.

    Cost: every slice of length ``n`` along ``axis`` costs ``sort_cost(n) =
    n*ceil_log2(n)`` (min 1), so ``slices * sort_cost(n)``; ``axis=None`` costs
    ``sort_cost(numel)``. (4, 8) along the last axis: 4 * 24 = 96. ``a.sort()`` in
    place is charged the same, and so is ``descending=True`` (NumPy >= 2.5; an older
    NumPy refuses the keyword, and so does mechestim there).
    """,
)
argsort = _sort_like(
    "argsort",
    np.argsort,
    """Indices that sort ``a`` along ``axis``, as ``np.argsort``.

    Cost: like :func:`sort`, ``slices * sort_cost(n)`` along ``axis`` (``axis=None``:
    ``sort_cost(numel)``), whichever the order (``descending=``, NumPy >= 2.5).
    """,
)


@planned("lexsort")
def lexsort(keys: Any, axis: int = -1) -> Plan:
    """Indirect stable sort on several keys, the last key primary, as ``np.lexsort``.

    Cost: one stable sort per key, ``k * sort_cost(n)`` for ``k`` keys of length ``n``
    along ``axis`` (times the number of slices when the keys are N-D). Two keys of 8:
    2 * 24 = 48.
    """
    op = "lexsort"
    if isinstance(keys, (list, tuple)):
        arrays = [numeric(op, k) for k in keys]
        count = len(arrays)
        shapes = {k.shape for k in arrays}
        if len(shapes) > 1:
            raise ValueError(f"{op}: all keys need the same shape, got {[k.shape for k in arrays]}")
        key_shape = arrays[0].shape if arrays else ()
    else:
        stacked = numeric(op, keys)
        if stacked.ndim == 0:
            raise TypeError(f"{op}: keys must be a sequence of keys, got a 0-d value {keys!r}")
        count, key_shape = stacked.shape[0], stacked.shape[1:]
    if count == 0:
        raise TypeError(f"{op}: keys must hold at least one key, got an empty sequence")
    if not key_shape:  # each key is a single value
        if axis is None or isinstance(axis, bool) or not hasattr(axis, "__index__"):
            raise TypeError(f"{op}: axis must be an integer, got {axis!r}")
        return numpy_plan(lexsort_cost(count, 1), np.lexsort, keys, axis=axis)
    if axis is None:
        raise TypeError(f"{op}: axis must be an integer (lexsort has no axis=None), got None")
    ax = flat_axis_index(op, axis, len(key_shape))
    n = key_shape[ax]
    slices = 1
    for i, d in enumerate(key_shape):
        if i != ax:
            slices *= d
    return numpy_plan(lexsort_cost(count, n, slices), np.lexsort, keys, axis=axis)


# -- partition, argpartition --------------------------------------------------------------
def _partition_like(op: str, func: Callable[..., Any], doc: str) -> Callable[..., Any]:
    """``partition`` or ``argpartition``: the same arguments, checks and cost."""

    def plan(
        a: ArrayLike, kth: Any, axis: int | None = -1, kind: str = "introselect", order: Any = None
    ) -> Plan:
        x = numeric(op, a)
        _no_order(op, order)
        if kind != "introselect":
            probe(op, lambda: np.partition(_ONE, 0, kind=kind))
        k = _plain(kth)
        if k.dtype.kind == "b":
            raise TypeError(f"{op}: kth must be integer(s), not booleans: {kth!r}")
        if k.dtype.kind not in "iu":
            raise TypeError(f"{op}: kth must be an integer or a sequence of integers, got {kth!r}")
        if k.ndim > 1:
            raise ValueError(f"{op}: kth must be an integer or a 1-d sequence, got shape {k.shape}")
        if axis is None:
            n = x.size
        else:
            n = x.shape[flat_axis_index(op, axis, x.ndim)]
        if x.size and k.size and (int(k.min()) < -n or int(k.max()) >= n):
            raise ValueError(
                f"{op}: kth={kth!r} is out of bounds for length {n} along axis {axis!r}"
            )
        return numpy_plan(partition_cost(x.shape), func, a, kth, axis=axis, kind=kind, order=order)

    return planned(op)(name_op(plan, op, __name__, doc))


partition = _partition_like(
    "partition",
    np.partition,
    """Copy of ``a`` with the ``kth`` element(s) in sorted position, as ``np.partition``.

    Cost: one selection pass per slice, ``numel(a)`` in all (min 1); (100,) costs 100.
    ``a.partition(kth)`` in place is charged the same.
    """,
)
argpartition = _partition_like(
    "argpartition",
    np.argpartition,
    """Indices that would partition ``a`` around ``kth``, as ``np.argpartition``.

    Cost: ``numel(a)`` (min 1), like :func:`partition`.
    """,
)


# -- searching ----------------------------------------------------------------------------
@planned("searchsorted")
def searchsorted(a: ArrayLike, v: ArrayLike, side: str = "left", sorter: Any = None) -> Plan:
    """Insertion indices of ``v`` into the sorted 1-d ``a``, as ``np.searchsorted``.

    Cost: a binary search per value, ``search_cost(numel(v), len(a)) =
    max(numel(v)*ceil_log2(len(a)), 1)``; 5 values into 1024: 50.
    """
    op = "searchsorted"
    arr = numeric(op, a)
    values = numeric(op, v)
    if arr.ndim != 1:
        raise ValueError(f"{op}: a must be 1-dimensional, got shape {arr.shape}")
    if side != "left":
        probe(op, lambda: np.searchsorted(_ONE, 0.0, side=side))
    if sorter is not None:
        order = _plain(sorter)
        if order.dtype.kind not in "iu":
            raise TypeError(f"{op}: sorter must hold integers, got dtype {order.dtype}")
        if order.shape != arr.shape:
            raise ValueError(
                f"{op}: sorter must have the shape of a, {arr.shape}, got {order.shape}"
            )
        if order.size and (int(order.min()) < 0 or int(order.max()) >= arr.size):
            raise ValueError(f"{op}: sorter holds an index out of range for a of length {arr.size}")
    cost = searchsorted_cost(values.size, arr.shape[0])
    return numpy_plan(cost, np.searchsorted, a, v, side=side, sorter=sorter)


def _monotonic(edges: np.ndarray) -> bool:
    """Non-decreasing or non-increasing (NaN never breaks it, as in NumPy)."""
    if edges.size < 2:
        return True
    rising = not np.any(edges[1:] < edges[:-1])
    return rising or not np.any(edges[1:] > edges[:-1])


@planned("digitize")
def digitize(x: ArrayLike, bins: ArrayLike, right: bool = False) -> Plan:
    """Index of the bin each value of ``x`` falls in, as ``np.digitize``.

    Cost: a binary search per value, ``search_cost(numel(x), len(bins))``.
    """
    op = "digitize"
    values = numeric(op, x)
    edges = numeric(op, bins)
    if values.dtype.kind == "c":
        raise TypeError(f"{op}: x may not be complex (dtype {values.dtype})")
    if edges.dtype.kind == "c":
        raise TypeError(f"{op}: bins may not be complex (dtype {edges.dtype})")
    if edges.ndim != 1:
        raise ValueError(f"{op}: bins must be 1-dimensional, got shape {edges.shape}")
    if not _monotonic(edges):
        raise ValueError(f"{op}: bins must be monotonically increasing or decreasing")
    return numpy_plan(digitize_cost(values.size, edges.shape[0]), np.digitize, x, bins, right=right)


# -- unique ----------------------------------------------------------------------------
@planned("unique")
def unique(
    ar: ArrayLike,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
    *,
    equal_nan: bool = True,
    sorted: bool = True,  # noqa: A002 - NumPy's keyword
) -> Plan:
    """Sorted unique elements of ``ar`` (and optional indices/counts), as ``np.unique``.

    Cost: one sort of all elements, ``sort_cost(numel(ar))``, whatever ``axis`` and
    the ``return_*`` flags; 8 elements: 24.
    """
    x = numeric("unique", ar)
    if axis is not None:
        flat_axis_index("unique", axis, x.ndim)
    extra = {} if sorted is True else {"sorted": sorted}  # the keyword is new in NumPy 2.3
    return numpy_plan(
        unique_cost(x.size),
        np.unique,
        ar,
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
        equal_nan=equal_nan,
        **extra,
    )


def _unique_values_like(op: str, doc: str) -> Callable[[ArrayLike], Any]:
    """``unique_all``/``_counts``/``_inverse``/``_values``: one sort of ``x``."""
    func = getattr(np, op)

    def plan(x: ArrayLike) -> Plan:
        return numpy_plan(unique_cost(numeric(op, x).size), func, x)

    return planned(op)(name_op(plan, op, __name__, doc))


unique_all = _unique_values_like(
    "unique_all",
    """Unique values with first indices, inverse indices and counts, as
    ``np.unique_all``. Cost: ``sort_cost(numel(x))``.""",
)
unique_counts = _unique_values_like(
    "unique_counts",
    """Unique values and their counts, as ``np.unique_counts``.
    Cost: ``sort_cost(numel(x))``.""",
)
unique_inverse = _unique_values_like(
    "unique_inverse",
    """Unique values and the indices that rebuild ``x`` from them, as
    ``np.unique_inverse``. Cost: ``sort_cost(numel(x))``.""",
)
unique_values = _unique_values_like(
    "unique_values",
    """Unique values of ``x``, as ``np.unique_values``. Cost: ``sort_cost(numel(x))``.""",
)


# -- set operations ------------------------------------------------------------------------
def _check_set_kind(op: str, kind: Any, first: np.ndarray, second: np.ndarray) -> None:
    if kind not in (None, "sort", "table"):
        raise ValueError(f"{op}: kind must be None, 'sort' or 'table', got {kind!r}")
    if kind == "table":
        for name, arr in (("the first input", first), ("the second input", second)):
            if arr.dtype.kind not in "biu":
                raise ValueError(
                    f"{op}: kind='table' needs integer or boolean inputs, but {name} has "
                    f"dtype {arr.dtype}; use kind=None or 'sort'"
                )


def _membership(op: str, first: ArrayLike, second: ArrayLike, kind: str | None) -> int:
    a, b = numeric(op, first), numeric(op, second)
    _check_set_kind(op, kind, a, b)
    return set_op_cost(a.size, b.size)


@planned("isin")
def isin(
    element: ArrayLike,
    test_elements: ArrayLike,
    assume_unique: bool = False,
    invert: bool = False,
    *,
    kind: str | None = None,
) -> Plan:
    """Element-wise membership of ``element`` in ``test_elements``, as ``np.isin``.

    Cost: ``sort_cost(n + m) = (n+m)*ceil_log2(n+m)`` for inputs of ``n`` and ``m``
    elements.
    """
    cost = _membership("isin", element, test_elements, kind)
    return numpy_plan(
        cost, np.isin, element, test_elements, assume_unique=assume_unique, invert=invert, kind=kind
    )


@planned("in1d")
def in1d(
    ar1: ArrayLike,
    ar2: ArrayLike,
    assume_unique: bool = False,
    invert: bool = False,
    *,
    kind: str | None = None,
) -> Plan:
    """Membership of each element of the flattened ``ar1`` in ``ar2``: a 1-d boolean
    array, NumPy's ``in1d`` (gone from NumPy 2.4; this is ``isin`` of ``ar1.ravel()``).

    Cost: ``sort_cost(n + m)`` for inputs of ``n`` and ``m`` elements.
    """
    cost = _membership("in1d", ar1, ar2, kind)
    return numpy_plan(
        cost, _in1d_run, ar1, ar2, assume_unique=assume_unique, invert=invert, kind=kind
    )


def _in1d_run(ar1: Any, ar2: Any, **kwargs: Any) -> np.ndarray:
    return np.isin(np.ravel(ar1), ar2, **kwargs)


def _set_op_cost(op: str, ar1: ArrayLike, ar2: ArrayLike) -> int:
    return set_op_cost(numeric(op, ar1).size, numeric(op, ar2).size)


@planned("intersect1d")
def intersect1d(
    ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False, return_indices: bool = False
) -> Plan:
    """Sorted values common to both inputs, as ``np.intersect1d``.
    Cost: ``sort_cost(n + m)``."""
    cost = _set_op_cost("intersect1d", ar1, ar2)
    return numpy_plan(
        cost, np.intersect1d, ar1, ar2, assume_unique=assume_unique, return_indices=return_indices
    )


@planned("setdiff1d")
def setdiff1d(ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False) -> Plan:
    """Unique values of ``ar1`` not in ``ar2``, as ``np.setdiff1d``.
    Cost: ``sort_cost(n + m)``."""
    cost = _set_op_cost("setdiff1d", ar1, ar2)
    return numpy_plan(cost, np.setdiff1d, ar1, ar2, assume_unique=assume_unique)


@planned("setxor1d")
def setxor1d(ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False) -> Plan:
    """Sorted values in exactly one of the inputs, as ``np.setxor1d``.
    Cost: ``sort_cost(n + m)``."""
    cost = _set_op_cost("setxor1d", ar1, ar2)
    return numpy_plan(cost, np.setxor1d, ar1, ar2, assume_unique=assume_unique)


@planned("union1d")
def union1d(ar1: ArrayLike, ar2: ArrayLike) -> Plan:
    """Sorted unique values of both inputs together, as ``np.union1d``.
    Cost: ``sort_cost(n + m)``."""
    return numpy_plan(_set_op_cost("union1d", ar1, ar2), np.union1d, ar1, ar2)


# -- histograms -------------------------------------------------------------------------
def _check_range(op: str, limits: Any, data: np.ndarray, what: str = "range") -> None:
    """A ``(min, max)`` pair with min <= max, both finite; or, when None, a finite
    range autodetected from ``data`` (NumPy refuses NaN/Inf there)."""
    if limits is not None:
        try:
            low, high = (_plain(v) for v in limits)
        except (TypeError, ValueError):
            raise ValueError(f"{op}: {what} must be a pair (min, max), got {limits!r}") from None
        if low.ndim or high.ndim:
            raise ValueError(f"{op}: {what} must be a pair of scalars, got {limits!r}")
        try:
            reversed_ = bool(low > high)
        except TypeError:
            raise TypeError(f"{op}: {what} must be a pair of numbers, got {limits!r}") from None
        if reversed_:
            raise ValueError(f"{op}: {what}={limits!r} has its max smaller than its min")
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError(f"{op}: {what}={limits!r} is not finite")
    elif data.size and data.dtype.kind in "fc":
        low, high = data.min(), data.max()
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError(
                f"{op}: the range autodetected from the data, [{low}, {high}], is not "
                f"finite; pass {what}=(min, max) or remove the NaN/Inf values"
            )


def _edges(op: str, bins: Any, what: str) -> np.ndarray:
    edges = numeric(op, bins)
    if edges.ndim != 1:
        raise ValueError(
            f"{op}: {what} must be a count or a 1-d array of edges, got shape {edges.shape}"
        )
    if edges.size > 1 and np.any(edges[:-1] > edges[1:]):
        raise ValueError(f"{op}: {what} must increase monotonically, when an array of edges")
    return edges


def _bin_count(op: str, bins: Any, what: str) -> int:
    try:
        count = operator.index(bins)
    except TypeError:
        raise TypeError(
            f"{op}: {what} must be an integer count, a string estimator or an array of "
            f"edges, got {bins!r}"
        ) from None
    if count < 1:
        raise ValueError(f"{op}: {what} must be positive, when an integer, got {count}")
    return count


def _histogram_bins(op: str, data: np.ndarray, bins: Any, limits: Any, weights: Any) -> Any:
    """Validate ``bins``/``range``/``weights`` of a 1-d histogram; return what the cost
    formula needs (a count, an estimator name, or the edge array)."""
    if weights is not None:
        w = numeric(op, weights)
        if w.shape != data.shape:
            raise ValueError(
                f"{op}: weights of shape {w.shape} must have the shape of a, {data.shape}"
            )
    if isinstance(bins, str):
        if bins not in _ESTIMATORS:
            raise ValueError(
                f"{op}: bins={bins!r} is not a valid estimator; use one of {list(_ESTIMATORS)}"
            )
        if weights is not None:
            raise TypeError(f"{op}: bins={bins!r} (automated estimation) does not support weights")
        _check_range(op, limits, data)
        return bins
    if np.ndim(bins) == 0:
        count = _bin_count(op, bins, "bins")
        _check_range(op, limits, data)
        return count
    return _edges(op, bins, "bins")


@planned("histogram")
def histogram(
    a: ArrayLike,
    bins: Any = 10,
    range: Any = None,  # noqa: A002 - NumPy's keyword
    density: Any = None,
    weights: Any = None,
) -> Plan:
    """Histogram of ``a``: ``(counts, bin_edges)``, as ``np.histogram``.

    Cost: a bin search per value: integer ``bins``: ``numel(a)*ceil_log2(bins)``; an
    edge array: ``numel(a)*ceil_log2(len(bins))``; a string estimator: ``numel(a)``;
    min 1. 100 values in 8 bins: 300.
    """
    data = numeric("histogram", a)
    spec = _histogram_bins("histogram", data, bins, range, weights)
    return numpy_plan(
        histogram_cost(data.size, spec),
        np.histogram,
        a,
        bins=bins,
        range=range,
        density=density,
        weights=weights,
    )


@planned("histogram_bin_edges")
def histogram_bin_edges(
    a: ArrayLike,
    bins: Any = 10,
    range: Any = None,  # noqa: A002 - NumPy's keyword
    weights: Any = None,
) -> Plan:
    """The bin edges ``np.histogram`` would use, as ``np.histogram_bin_edges``.

    Cost: one pass over the data, ``numel(a)`` (min 1).
    """
    data = numeric("histogram_bin_edges", a)
    _histogram_bins("histogram_bin_edges", data, bins, range, weights)
    cost = histogram_bin_edges_cost(data.size)
    return numpy_plan(cost, np.histogram_bin_edges, a, bins=bins, range=range, weights=weights)


def _dd_bins(op: str, columns: Sequence[np.ndarray], bins: Any, limits: Any) -> list[int]:
    """Validate per-dimension ``bins``/``range`` as ``np.histogramdd`` does; return per
    dimension the bin count or the number of edges."""
    dims = len(columns)
    if isinstance(bins, str):
        raise TypeError(
            f"{op}: bins={bins!r}: string estimators are not supported here; give counts "
            "or edge arrays"
        )
    if length_or_none(bins) is None:
        per_axis = [bins] * dims
    else:
        per_axis = list(bins)
        if len(per_axis) != dims:
            raise ValueError(
                f"{op}: bins has {len(per_axis)} entries but the sample has {dims} dimensions"
            )
    if limits is None:
        ranges = [None] * dims
    else:
        ranges = list(limits)
        if len(ranges) != dims:
            raise ValueError(
                f"{op}: range has {len(ranges)} entries; it needs one per dimension ({dims})"
            )
    sizes = []
    for i, spec in enumerate(per_axis):
        if np.ndim(spec) == 0:
            sizes.append(_bin_count(op, spec, f"bins[{i}]"))
            _check_range(op, ranges[i], columns[i], f"range[{i}]")
        else:
            sizes.append(_edges(op, spec, f"bins[{i}]").shape[0])
    return sizes


def _check_point_weights(op: str, weights: Any, count: int) -> None:
    if weights is not None:
        w = numeric(op, weights)
        if w.shape != (count,):
            raise ValueError(
                f"{op}: weights must hold one value per sample point ({count}), got shape {w.shape}"
            )


@planned("histogram2d")
def histogram2d(
    x: ArrayLike,
    y: ArrayLike,
    bins: Any = 10,
    range: Any = None,  # noqa: A002
    density: Any = None,
    weights: Any = None,
) -> Plan:
    """2-d histogram of the points ``(x, y)``: ``(H, xedges, yedges)``, as
    ``np.histogram2d``.

    Cost: a bin search per point and axis, ``numel(x) * (ceil_log2(bx) + ceil_log2(by))``
    where ``bx``/``by`` are the bin counts or the lengths of the edge arrays.
    """
    op = "histogram2d"
    xs, ys = numeric(op, x), numeric(op, y)
    if xs.ndim != 1 or ys.ndim != 1:
        raise ValueError(f"{op}: x and y must be 1-d, got shapes {xs.shape} and {ys.shape}")
    if xs.shape != ys.shape:
        raise ValueError(f"{op}: x and y must have the same length, got {len(xs)} and {len(ys)}")
    per_axis = bins
    if not isinstance(bins, str) and length_or_none(bins) not in (None, 1, 2):
        per_axis = [bins, bins]  # one edge array shared by both axes, as NumPy reads it
    sizes = _dd_bins(op, [xs, ys], per_axis, range)
    _check_point_weights(op, weights, xs.shape[0])
    return numpy_plan(
        histogram2d_cost(xs.shape[0], sizes),
        np.histogram2d,
        x,
        y,
        bins=_deep_plain(bins),
        range=_deep_plain(range),
        density=density,
        weights=weights,
    )


def _sample_columns(op: str, sample: Any) -> tuple[int, list[np.ndarray]]:
    if isinstance(sample, np.ndarray) and sample.ndim == 2:
        data = numeric(op, sample)
    else:
        try:
            data = np.atleast_2d(numeric(op, sample)).T
        except ValueError:
            raise ValueError(
                f"{op}: sample must be an (N, D) array or a sequence of D 1-d arrays of equal length"
            ) from None
        if data.ndim != 2:
            raise ValueError(
                f"{op}: sample must be an (N, D) array or a sequence of D 1-d arrays, got "
                f"{data.ndim - 1} dimensions per coordinate"
            )
    return data.shape[0], [data[:, i] for i in range(data.shape[1])]


@planned("histogramdd")
def histogramdd(
    sample: Any,
    bins: Any = 10,
    range: Any = None,  # noqa: A002 - NumPy's keyword
    density: Any = None,
    weights: Any = None,
) -> Plan:
    """D-dimensional histogram of ``sample`` (N points): ``(H, edges)``, as
    ``np.histogramdd``.

    Cost: a bin search per point and dimension: integer ``bins``:
    ``N * D * ceil_log2(bins)``; per-dimension counts or edge arrays:
    ``N * sum(ceil_log2(b_i))``; min 1.
    """
    op = "histogramdd"
    count, columns = _sample_columns(op, sample)
    sizes = _dd_bins(op, columns, bins, range)
    _check_point_weights(op, weights, count)
    return numpy_plan(
        histogramdd_cost(count, len(columns), sizes),
        np.histogramdd,
        _deep_plain(sample),
        bins=_deep_plain(bins),
        range=_deep_plain(range),
        density=density,
        weights=weights,
    )


@planned("bincount")
def bincount(x: ArrayLike, /, weights: Any = None, minlength: int = 0) -> Plan:
    """Occurrences of each non-negative integer in ``x`` (weighted sums with
    ``weights``), as ``np.bincount``. Cost: one increment per value, ``numel(x)``
    (min 1)."""
    op = "bincount"
    values = numeric(op, x)
    if values.ndim != 1:
        raise ValueError(f"{op}: x must be 1-dimensional, got shape {values.shape}")
    if values.dtype.kind == "c":
        raise TypeError(f"{op}: x must hold non-negative integers, got dtype {values.dtype}")
    if values.dtype.kind == "f" and values.size and not np.all(values == np.floor(values)):
        raise TypeError(f"{op}: x must hold non-negative integers, got non-integer values")
    if values.size and values.min() < 0:
        raise ValueError(f"{op}: x must have no negative elements (found {values.min()})")
    if minlength is None:
        raise TypeError(f"{op}: minlength must be an integer (use 0, not None)")
    as_count(minlength, "minlength", op=op, allow_bool=True, rule="not be negative")
    if weights is not None:
        w = numeric(op, weights)
        if w.shape != values.shape:
            raise ValueError(
                f"{op}: weights of shape {w.shape} must have the shape of x, {values.shape}"
            )
    cost = bincount_cost(values.size)
    return numpy_plan(cost, np.bincount, x, weights=weights, minlength=minlength)
