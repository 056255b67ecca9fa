"""``unwrap``: phase unwrapping, charged one FLOP per input element."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core.args import axis_index
from .._core.arrays import numeric
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.window import unwrap_cost

__all__ = ["unwrap"]


@planned("unwrap")
def unwrap(p: Any, discont: Any = None, axis: int = -1, *, period: float = 2 * np.pi) -> Plan:
    """Unwrap phase jumps larger than ``max(discont, period/2)`` along ``axis`` by adding
    multiples of ``period`` (``numpy.unwrap``).

    Charged ``numel(p)`` FLOPs (at least 1).
    """
    array = numeric("unwrap", p)
    if array.ndim == 0:
        raise ValueError("unwrap: p must have at least one dimension, got a scalar")
    axis_index("unwrap", axis, array.ndim)
    for name, value in (("discont", discont), ("period", period)):
        if value is not None:
            numeric(f"unwrap ({name})", value)
    cost = unwrap_cost(array.shape)
    return numpy_plan(cost, np.unwrap, p, discont, axis, period=period)
