"""``clip``: limit values to an interval, charged one comparison per element of the result;
a SymmetricTensor with scalar bounds is charged its unique elements and keeps its symmetry.

Cost formulas: :mod:`mechestim._costs.misc` (also ``me.flops.*``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.args import broadcast_named
from .._core.arrays import numeric, plain, plain_kwargs
from .._core.pipeline import Plan, planned
from .._costs.misc import (
    clip_cost,
)
from .._symmetry.tensor import SymmetryInfo, binary_symmetry, symmetry_of, warn_loss
from .generic import _masked

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__: list[str] = []  # the ops are exported by the registry (me.clip, me.cov, ...)


_NoValue = np._NoValue


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
