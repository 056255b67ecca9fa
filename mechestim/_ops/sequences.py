"""Spaced sequences and Vandermonde matrices: ``logspace``, ``geomspace``, ``vander``.

Cost formulas: :mod:`mechestim._costs.misc` (also ``me.flops.*``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.args import broadcast_named, flat_axis_index
from .._core.arrays import numeric
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.core import as_count
from .._costs.misc import (
    geomspace_cost,
    logspace_cost,
    vander_cost,
)

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__: list[str] = []  # the ops are exported by the registry (me.clip, me.cov, ...)


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
