"""Shared cost helpers and the generic families' formulas (pointwise and reductions)."""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._symmetry.tensor import SymmetryInfo

__all__ = [
    "numel",
    "ceil_log2",
    "sort_cost",
    "search_cost",
    "pointwise_cost",
    "reduction_cost",
]

# Reductions that do more than one pass, and what they add (see cost-model §2).
MEAN_LIKE = frozenset({"mean", "average", "nanmean"})
VARIANCE_LIKE = frozenset({"std", "var", "nanstd", "nanvar"})


def numel(shape: Iterable[int]) -> int:
    """Number of elements of ``shape`` (1 for a scalar shape ``()``)."""
    return math.prod(shape)


def as_shape(shape: int | Sequence[int]) -> tuple[int, ...]:
    """Normalise a shape argument (an int or a sequence of ints) and validate it."""
    dims: tuple
    if isinstance(shape, int) and not isinstance(shape, bool):
        dims = (shape,)
    elif (
        not isinstance(shape, bool)
        and not getattr(shape, "ndim", 0)
        and getattr(shape, "dtype", None) is not None
        and shape.dtype.kind in "iu"
    ):
        # One dimension given as a NumPy integer (np.int64(3), a 0-d integer array), as
        # NumPy reads ``size=``.
        dims = (operator.index(shape),)
    else:
        try:
            dims = tuple(shape)
        except TypeError:
            raise TypeError(f"a shape must be an int or a sequence of ints, got {shape!r}") from None
    for dim in dims:
        if isinstance(dim, bool) or not hasattr(dim, "__index__"):
            raise TypeError(f"shape {shape!r} has a non-integer dimension {dim!r}")
        if dim < 0:
            raise ValueError(f"shape {shape!r} has a negative dimension {dim}")
    return tuple(int(d) for d in dims)


# -- argument helpers (shared by the formulas and the ops' argument checks) ---------------
def _named(what: str, op: str | None) -> str:
    return what if op is None else f"{op}: {what}"


def as_int(value: Any, what: str, *, op: str | None = None, allow_bool: bool = False) -> int:
    """``value`` as an int: anything with ``__index__`` (NumPy integers included), a bool
    only when ``allow_bool``; else a TypeError "[<op>: ]<what> must be an integer"."""
    if type(value) is bool and not allow_bool:
        raise TypeError(f"{_named(what, op)} must be an integer, got {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{_named(what, op)} must be an integer, got {value!r}") from None


def as_count(
    value: Any,
    what: str,
    *,
    op: str | None = None,
    allow_bool: bool = False,
    rule: str = "be non-negative",
) -> int:
    """:func:`as_int`, refusing negative values with a ValueError "[<op>: ]<what> must
    <rule>" (``rule`` keeps each family's wording, e.g. ``"be >= 0"``)."""
    if type(value) is bool and not allow_bool:
        raise TypeError(f"{_named(what, op)} must be an integer, got {value!r}")
    try:
        count = operator.index(value)
    except TypeError:
        raise TypeError(f"{_named(what, op)} must be an integer, got {value!r}") from None
    if count < 0:
        raise ValueError(f"{_named(what, op)} must {rule}, got {count}")
    return count


def shape_axis(axis: Any, ndim: int) -> int:
    """``axis`` (``operator.index`` semantics) as an index in ``0..ndim-1`` of a shape with
    ``ndim`` dimensions; ValueError when out of bounds."""
    ax = operator.index(axis)
    if not -ndim <= ax < ndim:
        raise ValueError(f"axis {ax} is out of bounds for a shape of {ndim} dimensions")
    return ax % ndim


def length_or_none(value: Any) -> int | None:
    """``len(value)``, or None for a scalar (a 0-d array included)."""
    try:
        return len(value)
    except TypeError:
        return None


def _whole(value: Any, what: str) -> int:
    if type(value) is int:
        return value
    return as_int(value, what)


def ceil_log2(n: int) -> int:
    """ceil(log2 n), and 1 for n <= 1 (so every sort or search costs something)."""
    n = _whole(n, "ceil_log2: n")
    return 1 if n <= 1 else (n - 1).bit_length()


def sort_cost(n: int) -> int:
    """Cost of sorting ``n`` items: ``max(n * ceil_log2(n), 1)``."""
    n = _whole(n, "sort_cost: n")
    return max(n * ceil_log2(n), 1)


def search_cost(q: int, n: int) -> int:
    """Cost of ``q`` binary searches into ``n`` sorted items: ``max(q * ceil_log2(n), 1)``."""
    q = _whole(q, "search_cost: q")
    return max(q * ceil_log2(n), 1)


def _unique(shape: tuple[int, ...], symmetry: Any) -> int:
    """Unique elements of ``shape`` under a SymmetryInfo or any symmetry spec (a group,
    axis tuples, a list of them): cost-model §4."""
    from .._symmetry.tensor import SymmetryInfo

    if not isinstance(symmetry, SymmetryInfo):
        symmetry = SymmetryInfo(symmetry, shape)
    return symmetry.unique_elements


def pointwise_cost(shape: int | Sequence[int], symmetry_info: SymmetryInfo | None = None) -> int:
    """FLOPs of an element-wise op producing ``shape``: one per element, or one per
    unique element when ``symmetry_info`` gives the result's symmetry; min 1.

    ``symmetry_info``: a ``SymmetryInfo``, or a ``PermutationGroup`` / axis tuples /
    a list of them describing the symmetry of an array of ``shape``."""
    if symmetry_info is not None:
        return max(_unique(as_shape(shape), symmetry_info), 1)
    return max(numel(as_shape(shape)), 1)


def reduced_axes(axis: Any, ndim: int) -> set[int]:
    """The axes (normalised to ``0..ndim-1``) that ``axis`` reduces; None means all.

    Raises TypeError for an axis that is not an int or a tuple of ints, and NumPy's
    AxisError (a ValueError) for one out of bounds, naming the value either way.
    """
    if axis is None:
        return set(range(ndim))
    items = axis if isinstance(axis, tuple) else (axis,)
    reduced = set()
    for item in items:
        if isinstance(item, bool) or not hasattr(item, "__index__"):
            raise TypeError(f"axis must be an int, a tuple of ints or None, got {axis!r}")
        ax = operator.index(item)
        if not -ndim <= ax < ndim:
            from numpy.exceptions import AxisError

            raise AxisError(f"axis {ax} is out of bounds for an array of dimension {ndim}")
        reduced.add(ax % ndim)
    return reduced


def reduced_numel(input_shape: tuple[int, ...], axis) -> int:
    """Elements of a reduction's output (``axis=None`` reduces everything to 1)."""
    if axis is None:
        return 1
    reduced = reduced_axes(axis, len(input_shape))
    return numel(d for i, d in enumerate(input_shape) if i not in reduced)


def reduction_cost(
    input_shape: int | Sequence[int],
    axis=None,
    symmetry_info: SymmetryInfo | None = None,
    *,
    op: str = "sum",
) -> int:
    """FLOPs of a reduction over ``input_shape``: numel(input) whatever ``axis``, plus
    numel(output) for a mean (``op`` mean, average, nanmean), and
    ``2*numel(input) + numel(output)`` for a variance (std, var, nanstd, nanvar); a
    symmetric input counts its unique elements as numel(input); min 1.

    ``op`` is the reduction's name (cost-model §2: only means and variances differ).
    ``symmetry_info`` as in :func:`pointwise_cost`; ``axis`` is checked as NumPy would.
    """
    shape = as_shape(input_shape)
    reduced_axes(axis, len(shape))  # refuse a bad axis whatever the op
    read = _unique(shape, symmetry_info) if symmetry_info is not None else numel(shape)
    if op in MEAN_LIKE:
        return max(read + reduced_numel(shape, axis), 1)
    if op in VARIANCE_LIKE:
        return max(2 * read + reduced_numel(shape, axis), 1)
    return max(read, 1)
