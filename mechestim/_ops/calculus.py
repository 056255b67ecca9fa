"""Differences, gradients, integration and interpolation: ``diff``, ``ediff1d``,
``gradient``, ``trapezoid`` (and its former name ``trapz``), ``interp``.

Cost formulas: :mod:`mechestim._costs.misc` (also ``me.flops.*``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.args import broadcast_named, flat_axis_index
from .._core.arrays import numeric
from .._core.naming import name_op
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.core import as_count
from .._costs.misc import (
    diff_cost,
    ediff1d_cost,
    gradient_cost,
    interp_cost,
    trapezoid_cost,
)

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__: list[str] = []  # the ops are exported by the registry (me.clip, me.cov, ...)


_NoValue = np._NoValue


# -- differences and gradients -----------------------------------------------------------
@planned("diff")
def diff(
    a: ArrayLike,
    n: int = 1,
    axis: int = -1,
    prepend: Any = _NoValue,
    append: Any = _NoValue,
) -> Plan:
    """``n``-th discrete difference along ``axis``, as ``np.diff``.

    Cost: the number of elements of the result (min 1).
    """
    op = "diff"
    x = numeric(op, a)
    if x.ndim == 0:
        raise ValueError(f"{op}: a must be at least 1-dimensional, got a 0-d value")
    order = as_count(n, "n", op=op)
    ax = flat_axis_index(op, axis, x.ndim)
    shape = list(x.shape)
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is _NoValue or order == 0:  # n=0 returns a unchanged, extras unread
            continue
        e = numeric(op, extra)
        if e.ndim == 0:
            shape[ax] += 1
            continue
        if e.ndim != x.ndim or any(e.shape[i] != x.shape[i] for i in range(x.ndim) if i != ax):
            raise ValueError(
                f"{op}: {name} of shape {e.shape} does not match a of shape {x.shape} "
                f"outside axis {ax}"
            )
        shape[ax] += e.shape[ax]
    given = {}
    if prepend is not _NoValue:
        given["prepend"] = prepend
    if append is not _NoValue:
        given["append"] = append
    return numpy_plan(diff_cost(shape, order, ax), np.diff, a, n=n, axis=axis, **given)


@planned("ediff1d")
def ediff1d(ary: ArrayLike, to_end: Any = None, to_begin: Any = None) -> Plan:
    """Differences of consecutive elements of the flattened ``ary``, optionally with
    values put before/after, as ``np.ediff1d``.

    Cost: the number of elements of the result (min 1).
    """
    op = "ediff1d"
    x = numeric(op, ary)
    sizes = {}
    for name, extra in (("to_begin", to_begin), ("to_end", to_end)):
        if extra is None:
            sizes[name] = 0
            continue
        e = numeric(op, extra)
        if not np.can_cast(e.dtype, x.dtype, casting="same_kind"):
            raise TypeError(
                f"{op}: {name} of dtype {e.dtype} cannot be stored in the input's dtype "
                f"{x.dtype} (same_kind casting)"
            )
        sizes[name] = e.size
    cost = ediff1d_cost(x.size, sizes["to_begin"], sizes["to_end"])
    return numpy_plan(cost, np.ediff1d, ary, to_end=to_end, to_begin=to_begin)


@planned("gradient")
def gradient(f: ArrayLike, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Plan:
    """Gradient of ``f`` by central differences (one-sided at the edges), as
    ``np.gradient``. Cost: ``numel(f)`` (min 1)."""
    op = "gradient"
    x = numeric(op, f)
    if axis is None:
        axes = list(range(x.ndim))
    else:
        raw = [axis] if np.ndim(axis) == 0 else list(axis)
        axes = [flat_axis_index(op, a, x.ndim) for a in raw]
        if len(set(axes)) != len(axes):
            raise ValueError(f"{op}: axis={axis!r} repeats an axis")
    if len(varargs) > 1 or (len(varargs) == 1 and np.ndim(varargs[0]) != 0):
        if len(varargs) != len(axes):
            raise TypeError(
                f"{op}: got {len(varargs)} spacings for {len(axes)} axes; give none, one "
                "scalar, or one per axis"
            )
        for i, (spacing, ax) in enumerate(zip(varargs, axes)):
            d = numeric(op, spacing)
            if d.ndim == 1 and d.shape[0] != x.shape[ax]:
                raise ValueError(
                    f"{op}: spacing {i} has length {d.shape[0]} but axis {ax} has length "
                    f"{x.shape[ax]}"
                )
            if d.ndim > 1:
                raise ValueError(f"{op}: spacing {i} must be a scalar or 1-d, got shape {d.shape}")
    order = as_count(edge_order, "edge_order", op=op)
    if order not in (1, 2):
        raise ValueError(f"{op}: edge_order must be 1 or 2, got {order}")
    for ax in axes:
        if x.shape[ax] < order + 1:
            raise ValueError(
                f"{op}: axis {ax} has length {x.shape[ax]}; edge_order={order} needs at least "
                f"{order + 1} elements"
            )
    cost = gradient_cost(x.shape)
    return numpy_plan(cost, np.gradient, f, *varargs, axis=axis, edge_order=edge_order)


# -- integration and interpolation ------------------------------------------------------
def _trapezoid_like(op: str, doc: str) -> Callable[..., Any]:
    """``trapezoid`` or its former name ``trapz`` (both run ``np.trapezoid``)."""

    def plan(y: ArrayLike, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Plan:
        values = numeric(op, y)
        ax = flat_axis_index(op, axis, values.ndim)
        pairs = list(values.shape)
        pairs[ax] = max(pairs[ax] - 1, 0)
        if x is None:
            spacing_shape = numeric(op, dx).shape
            spacing_name = "dx"
        else:
            points = numeric(op, x)
            spacing_name = "x"
            if points.ndim == 1:
                spacing = [1] * values.ndim
                spacing[ax] = max(points.shape[0] - 1, 0)
                spacing_shape = tuple(spacing)
            else:
                x_ax = flat_axis_index(op, axis, points.ndim, "axis (for x)")
                spacing = list(points.shape)
                spacing[x_ax] = max(spacing[x_ax] - 1, 0)
                spacing_shape = tuple(spacing)
        broadcast_named(op, {f"{spacing_name} steps": spacing_shape, "y pairs": tuple(pairs)})
        cost = trapezoid_cost(values.shape)
        return numpy_plan(cost, np.trapezoid, y, x=x, dx=dx, axis=axis)

    return planned(op)(name_op(plan, op, __name__, doc))


trapezoid = _trapezoid_like(
    "trapezoid",
    """Integral of ``y`` along ``axis`` by the trapezoidal rule, as ``np.trapezoid``.

    Cost: ``numel(y)`` (min 1).
    """,
)
trapz = _trapezoid_like(
    "trapz",
    """The former name of :func:`trapezoid` (removed from NumPy 2.4): the same
    trapezoidal-rule integral. Cost: ``numel(y)`` (min 1).""",
)


@planned("interp")
def interp(
    x: ArrayLike,
    xp: ArrayLike,
    fp: ArrayLike,
    left: Any = None,
    right: Any = None,
    period: Any = None,
) -> Plan:
    """Piecewise-linear interpolation of ``(xp, fp)`` at ``x``, as ``np.interp``.

    Cost: ``numel(x)`` (min 1).
    """
    op = "interp"
    points, known, values = numeric(op, x), numeric(op, xp), numeric(op, fp)
    for name, arr in (("x", points), ("xp", known)):
        if arr.dtype.kind == "c":
            raise TypeError(f"{op}: {name} may not be complex (dtype {arr.dtype})")
    for name, arr in (("xp", known), ("fp", values)):
        if arr.ndim != 1:
            raise ValueError(f"{op}: {name} must be 1-dimensional, got shape {arr.shape}")
    if known.shape[0] != values.shape[0]:
        raise ValueError(
            f"{op}: xp and fp must have the same length, got {known.shape[0]} and {values.shape[0]}"
        )
    if known.shape[0] == 0:
        raise ValueError(f"{op}: xp (the sample points) is empty")
    if period is not None and numeric(op, period) == 0:
        raise ValueError(f"{op}: period must be non-zero")
    cost = interp_cost(points.size)
    return numpy_plan(cost, np.interp, x, xp, fp, left=left, right=right, period=period)
