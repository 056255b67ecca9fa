"""Whole-array comparisons that answer one bool: ``allclose``, ``array_equal``,
``array_equiv``.

Cost formulas: :mod:`mechestim._costs.misc` (also ``me.flops.*``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._core.args import broadcast_named
from .._core.arrays import numeric
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.misc import (
    allclose_cost,
    array_equal_cost,
    array_equiv_cost,
)

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__: list[str] = []  # the ops are exported by the registry (me.clip, me.cov, ...)


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
