"""Assorted custom ops: clip, differences and gradients, convolution, covariance,
integration, interpolation, whole-array comparisons, spaced sequences, Vandermonde.

Each op computes what NumPy computes; its cost rule lives in
:mod:`mechestim._costs.misc` (also ``me.flops.*``). Each op is stated once, as a plan
(:func:`~mechestim._core.pipeline.planned`): it reads the caller's arguments, refuses
bad ones before anything is charged, hands the sizes to that formula and says how
NumPy runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.args import broadcast_named, flat_axis_index, probe
from .._core.arrays import numeric, plain, plain_kwargs
from .._core.compat import reporting_at_user_line
from .._core.naming import name_op
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.core import as_count
from .._costs.misc import (
    allclose_cost,
    array_equal_cost,
    array_equiv_cost,
    clip_cost,
    convolve_cost,
    corrcoef_cost,
    correlate_cost,
    cov_cost,
    diff_cost,
    ediff1d_cost,
    geomspace_cost,
    gradient_cost,
    interp_cost,
    logspace_cost,
    trapezoid_cost,
    vander_cost,
)
from .._symmetry.tensor import SymmetryInfo, binary_symmetry, symmetry_of, warn_loss
from .generic import _masked

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__: list[str] = []  # the ops are exported by the registry (me.clip, me.cov, ...)

_NoValue = np._NoValue
_ONE = np.ones(1)


# -- clip ----------------------------------------------------------------------------------
def _clip_bounds(a_min: Any, a_max: Any, min_: Any, max_: Any) -> tuple[Any, Any]:
    """Resolve NumPy's two spellings of the bounds (positional a_min/a_max, or min/max)."""
    if a_min is _NoValue and a_max is _NoValue:
        return (None if min_ is _NoValue else min_), (None if max_ is _NoValue else max_)
    if a_min is _NoValue or a_max is _NoValue:
        missing = "a_min" if a_min is _NoValue else "a_max"
        raise TypeError(f"clip: {missing} is missing; give both a_min and a_max, or use min=/max=")
    if min_ is not _NoValue or max_ is not _NoValue:
        raise ValueError("clip: pass the bounds as a_min/a_max or as min=/max=, not both")
    return a_min, a_max


@planned("clip")
def clip(
    a: ArrayLike,
    a_min: Any = _NoValue,
    a_max: Any = _NoValue,
    out: Any = None,
    *,
    min: Any = _NoValue,
    max: Any = _NoValue,
    **kwargs: Any,  # noqa: A002 - NumPy's names
) -> Plan:
    """Limit the values of ``a`` to ``[a_min, a_max]`` (either may be None), as ``np.clip``.

    Cost: one comparison per element of the result, ``numel`` (min 1). A
    ``SymmetricTensor`` with scalar bounds costs its unique elements and the result
    keeps its symmetry; array bounds that break it drop it (with a warning).
    """
    low, high = _clip_bounds(a_min, a_max, min, max)
    x = numeric("clip", a)
    operands = [a]
    shapes = {"a": x.shape}
    for name, bound in (("a_min", low), ("a_max", high)):
        if bound is not None:
            shapes[name] = numeric("clip", bound).shape
            operands.append(bound)
    if out is not None:
        if not isinstance(out, np.ndarray):
            raise TypeError(f"clip: out must be an array, got {type(out).__name__}")
        shapes["out"] = out.shape
    shape = broadcast_named("clip", shapes)
    if out is not None and out.shape != shape:
        raise ValueError(f"clip: out has shape {out.shape}, the result has shape {shape}")
    source = symmetry_of(a)
    groups: Any = binary_symmetry(operands, shape) if source is not None else None
    cost = clip_cost(shape, SymmetryInfo(groups, shape) if groups else None)
    kwargs = plain_kwargs(kwargs)
    if _masked(kwargs):
        groups = None  # elements outside the mask are not written
    if source is not None and not groups and out is None:
        groups = _lost(source.groups)
    args = (x, plain(low), plain(high), None if out is None else np.asarray(out))
    return Plan(cost, _clip_run, args, kwargs, (x.shape,), out, groups)


def _clip_run(a: np.ndarray, low: Any, high: Any, out: Any, **kwargs: Any) -> Any:
    if low is None and high is None:
        return np.positive(a, out=out, **kwargs)  # what np.clip does then
    return np.clip(a, low, high, out=out, **kwargs)


def _lost(groups: Any):
    """Warn (after the op ran) that clip's result lost ``groups``."""

    def dropped(result: Any) -> None:
        if result.ndim >= 2:
            warn_loss("clip", groups)

    return dropped


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


# -- convolution and correlation ---------------------------------------------------------
def _sliding(op: str, default_mode: str, doc: str) -> Callable[..., Any]:
    """``convolve`` or ``correlate`` of two 1-d sequences (NumPy's default ``mode``
    differs): the same checks and cost."""
    func = getattr(np, op)
    formula = convolve_cost if op == "convolve" else correlate_cost

    def plan(a: ArrayLike, v: ArrayLike, mode: str = default_mode) -> Plan:
        first, second = numeric(op, a), numeric(op, v)
        for name, arr in (("a", first), ("v", second)):
            if arr.ndim > 1:
                raise ValueError(f"{op}: {name} must be 1-dimensional, got shape {arr.shape}")
            if arr.size == 0:
                raise ValueError(f"{op}: {name} cannot be empty")
        if mode != default_mode:
            probe(op, lambda: np.correlate(_ONE, _ONE, mode=mode))
        return numpy_plan(formula(first.size, second.size), func, a, v, mode=mode)

    return planned(op)(name_op(plan, op, __name__, doc))


convolve = _sliding(
    "convolve",
    "full",
    """Discrete linear convolution of two 1-d sequences, as ``np.convolve``.

    Cost: a multiply-add (2 FLOPs) per pair of elements, ``2*numel(a)*numel(v)``,
    whatever ``mode``.
    """,
)
correlate = _sliding(
    "correlate",
    "valid",
    """Cross-correlation of two 1-d sequences, as ``np.correlate``.

    Cost: ``2*numel(a)*numel(v)`` whatever ``mode``.
    """,
)


# -- covariance and correlation coefficients ---------------------------------------------
def _variables(op: str, m: Any, y: Any, rowvar: bool) -> tuple[int, int]:
    """(p variables, n observations) as ``np.cov`` lays out ``m`` and ``y``."""
    x = numeric(op, m)
    if x.ndim > 2:
        raise ValueError(f"{op}: m must be at most 2-dimensional, got shape {x.shape}")
    rows = x.reshape(1, -1) if x.ndim < 2 else x
    if not rowvar and x.ndim == 2:
        rows = rows.T
    p, n = rows.shape
    if p == 0:
        return 0, n
    if y is not None:
        extra = numeric(op, y)
        if extra.ndim > 2:
            raise ValueError(f"{op}: y must be at most 2-dimensional, got shape {extra.shape}")
        more = extra.reshape(1, -1) if extra.ndim < 2 else extra
        if not rowvar and more.shape[0] != 1:
            more = more.T
        if more.shape[1] != n:
            raise ValueError(f"{op}: y has {more.shape[1]} observations per variable but m has {n}")
        p += more.shape[0]
    return p, n


def _observation_weights(op: str, name: str, weights: Any, n: int, integer: bool) -> None:
    if weights is None:
        return
    w = numeric(op, weights)
    if w.ndim > 1:
        raise ValueError(f"{op}: {name} must be 1-dimensional, got shape {w.shape}")
    if w.ndim == 0 or w.shape[0] != n:
        raise ValueError(f"{op}: {name} needs one value per observation ({n}), got shape {w.shape}")
    if integer and not np.all(w == np.around(w)):
        raise TypeError(f"{op}: {name} must hold integers")
    if np.any(w < 0):
        raise ValueError(f"{op}: {name} cannot be negative")


@planned("cov")
def cov(
    m: ArrayLike,
    y: Any = None,
    rowvar: bool = True,
    bias: bool = False,
    ddof: int | None = None,
    fweights: Any = None,
    aweights: Any = None,
    *,
    dtype: Any = None,
) -> Plan:
    """Covariance matrix of the variables in ``m`` (and ``y``), as ``np.cov``.

    Cost, for ``p`` variables observed ``n`` times (rows are variables unless
    ``rowvar=False``; ``y`` adds variables): ``2*p*n`` to centre plus ``2*p*p*n`` for
    the products. (3, 10): 240.
    """
    op = "cov"
    p, n = _variables(op, m, y, rowvar)
    if ddof is not None:
        try:
            whole = ddof == int(ddof)
        except (TypeError, ValueError):
            whole = False
        if not whole:
            raise ValueError(f"{op}: ddof must be an integer, got {ddof!r}")
    if p:
        _observation_weights(op, "fweights", fweights, n, integer=True)
        _observation_weights(op, "aweights", aweights, n, integer=False)
    cost = cov_cost(p, n)
    return numpy_plan(
        cost,
        reporting_at_user_line(np.cov),  # NumPy warns at its caller's line
        m,
        y,
        rowvar=rowvar,
        bias=bias,
        ddof=ddof,
        fweights=fweights,
        aweights=aweights,
        dtype=dtype,
    )


@planned("corrcoef")
def corrcoef(x: ArrayLike, y: Any = None, rowvar: bool = True, *, dtype: Any = None) -> Plan:
    """Pearson correlation coefficients of the variables in ``x`` (and ``y``), as
    ``np.corrcoef``.

    Cost: what :func:`cov` costs, plus ``p`` square roots of the diagonal, plus
    ``2*p*p`` to normalise: ``2*p*n + 2*p*p*n + p + 2*p*p``.
    """
    cost = corrcoef_cost(*_variables("corrcoef", x, y, rowvar))
    return numpy_plan(cost, reporting_at_user_line(np.corrcoef), x, y, rowvar=rowvar, dtype=dtype)


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


# -- whole-array comparisons -------------------------------------------------------------
@planned("allclose")
def allclose(
    a: ArrayLike,
    b: ArrayLike,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> Plan:
    """True when ``a`` and ``b`` are element-wise equal within tolerance, as
    ``np.allclose``. Cost: numel of the broadcast shape (min 1)."""
    first, second = numeric("allclose", a), numeric("allclose", b)
    broadcast_named("allclose", {"a": first.shape, "b": second.shape})
    cost = allclose_cost(first.shape, second.shape)
    return numpy_plan(cost, np.allclose, a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


@planned("array_equal")
def array_equal(a1: ArrayLike, a2: ArrayLike, equal_nan: bool = False) -> Plan:
    """True when the arrays have the same shape and elements, as ``np.array_equal``.
    Cost: ``max(numel(a1), numel(a2), 1)``."""
    cost = array_equal_cost(numeric("array_equal", a1).shape, numeric("array_equal", a2).shape)
    return numpy_plan(cost, np.array_equal, a1, a2, equal_nan=equal_nan)


@planned("array_equiv")
def array_equiv(a1: ArrayLike, a2: ArrayLike) -> Plan:
    """True when the arrays broadcast to each other and agree, as ``np.array_equiv``.
    Cost: numel of the broadcast shape; shapes that do not broadcast cost
    ``max(numel(a1), numel(a2), 1)``."""
    cost = array_equiv_cost(numeric("array_equiv", a1).shape, numeric("array_equiv", a2).shape)
    return numpy_plan(cost, np.array_equiv, a1, a2)


# -- spaced sequences and Vandermonde ----------------------------------------------------
def _spaced_cost(op: str, num: Any, endpoints: dict[str, Any], axis: Any) -> int:
    count = as_count(num, "num", op=op)
    batch = broadcast_named(op, {name: numeric(op, v).shape for name, v in endpoints.items()})
    flat_axis_index(op, axis, len(batch) + 1)
    formula = logspace_cost if op == "logspace" else geomspace_cost
    return formula(count, batch)


@planned("logspace")
def logspace(
    start: ArrayLike,
    stop: ArrayLike,
    num: int = 50,
    endpoint: bool = True,
    base: Any = 10.0,
    dtype: Any = None,
    axis: int = 0,
) -> Plan:
    """``num`` numbers spaced evenly on a log scale, ``base**start`` to ``base**stop``,
    as ``np.logspace``.

    Cost: one power per value, ``num`` (min 1); with array ``start``/``stop``/``base``,
    ``num`` per broadcast element.
    """
    cost = _spaced_cost("logspace", num, {"start": start, "stop": stop, "base": base}, axis)
    return numpy_plan(
        cost,
        np.logspace,
        start,
        stop,
        num=num,
        endpoint=endpoint,
        base=base,
        dtype=dtype,
        axis=axis,
    )


@planned("geomspace")
def geomspace(
    start: ArrayLike,
    stop: ArrayLike,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    axis: int = 0,
) -> Plan:
    """``num`` numbers spaced evenly on a log scale from ``start`` to ``stop`` (a
    geometric progression), as ``np.geomspace``.

    Cost: ``num`` (min 1); with array ``start``/``stop``, ``num`` per broadcast element.
    """
    op = "geomspace"
    cost = _spaced_cost(op, num, {"start": start, "stop": stop}, axis)
    for name, value in (("start", start), ("stop", stop)):
        if np.any(numeric(op, value) == 0):
            raise ValueError(f"{op}: {name} is zero; a geometric sequence cannot include zero")
    return numpy_plan(
        cost,
        np.geomspace,
        start,
        stop,
        num=num,
        endpoint=endpoint,
        dtype=dtype,
        axis=axis,
    )


@planned("vander")
def vander(x: ArrayLike, N: int | None = None, increasing: bool = False) -> Plan:  # noqa: N803
    """Vandermonde matrix of the 1-d ``x``: columns are powers of ``x``, as
    ``np.vander``.

    Cost: one multiply per power beyond the first, ``len(x) * (N - 1)`` with ``N``
    columns (default ``len(x)``); min 1.
    """
    op = "vander"
    points = numeric(op, x)
    if points.ndim != 1:
        raise ValueError(f"{op}: x must be 1-dimensional, got shape {points.shape}")
    columns = None if N is None else as_count(N, "N", op=op)
    cost = vander_cost(points.shape[0], columns)
    return numpy_plan(cost, np.vander, x, N=N, increasing=increasing)
