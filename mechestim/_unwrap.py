"""``unwrap``: phase unwrapping, charged one FLOP per input element."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._args import axis_index
from ._core.arrays import numeric
from ._core.pipeline import counted
from ._costs.window import unwrap_cost

__all__ = ["unwrap"]


def _unwrap_cost(p: Any, discont: Any = None, axis: Any = -1, *, period: Any = 2 * np.pi) -> int:
    array = numeric("unwrap", p)
    if array.ndim == 0:
        raise ValueError("unwrap: p must have at least one dimension, got a scalar")
    axis_index("unwrap", axis, array.ndim)
    for name, value in (("discont", discont), ("period", period)):
        if value is not None:
            numeric(f"unwrap ({name})", value)
    return unwrap_cost(array.shape)


@counted("unwrap", cost=_unwrap_cost)
def unwrap(p: Any, discont: Any = None, axis: int = -1, *, period: float = 2 * np.pi) -> Any:
    """Unwrap phase jumps larger than ``max(discont, period/2)`` along ``axis`` by adding
    multiples of ``period`` (``numpy.unwrap``).

    Charged ``numel(p)`` FLOPs (at least 1).
    """
    return np.unwrap(p, discont, axis, period=period)
