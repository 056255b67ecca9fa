"""Costs of the contractions other than einsum (cost-model §5): pure functions of shapes.

Every contraction costs what its equivalent einsum costs, a multiply-add counting 2
(FMA = 2): a product summing ``k`` terms into each of ``numel(result)`` outputs costs
``2 * numel(result) * k``; a product that sums nothing (an outer product, a scalar
times an array) costs ``numel(result)``. Each function validates the shapes as NumPy
would (``ValueError`` naming them) and returns at least 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .core import as_shape, numel

__all__ = [
    "dot_cost",
    "matmul_cost",
    "inner_cost",
    "outer_cost",
    "vdot_cost",
    "tensordot_cost",
    "kron_cost",
    "cross_cost",
    "trace_cost",
    "vecdot_cost",
]

Shape = Sequence[int]


def _product_cost(result: Sequence[int], summed: int | None) -> int:
    """``2 * numel(result) * summed`` for a summing product, ``numel(result)`` otherwise."""
    if summed is None:
        return max(numel(result), 1)
    return max(2 * numel(result) * summed, 1)


def _broadcast(first: Sequence[int], second: Sequence[int], what: str) -> tuple[int, ...]:
    ndim = max(len(first), len(second))
    a = (1,) * (ndim - len(first)) + tuple(first)
    b = (1,) * (ndim - len(second)) + tuple(second)
    result = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError(f"{what}: shapes {tuple(first)} and {tuple(second)} do not broadcast")
        result.append(y if x == 1 else x)
    return tuple(result)


def dot_result(a_shape: Shape, b_shape: Shape) -> tuple[tuple[int, ...], int | None]:
    """(result shape, summed length or None) of ``numpy.dot``; ValueError if not aligned."""
    a, b = as_shape(a_shape), as_shape(b_shape)
    if not a or not b:  # a scalar operand: element-wise product
        return (b if not a else a), None
    if len(b) == 1:
        axis_b = 0
    else:
        axis_b = len(b) - 2
    if a[-1] != b[axis_b]:
        raise ValueError(
            f"dot: shapes {a} and {b} not aligned: {a[-1]} (dim {len(a) - 1}) != "
            f"{b[axis_b]} (dim {axis_b})"
        )
    return a[:-1] + b[:axis_b] + b[axis_b + 1 :], a[-1]


def dot_cost(a_shape: Shape, b_shape: Shape) -> int:
    """FLOPs of ``dot``: 1-D·1-D ``2n``; matrix·vector ``2mk``; 2-D·2-D ``2mkn``; any other
    ranks the equivalent einsum (``2 * numel(result) * k``); a scalar operand ``numel``."""
    result, summed = dot_result(a_shape, b_shape)
    return _product_cost(result, summed)


def matmul_result(a_shape: Shape, b_shape: Shape) -> tuple[tuple[int, ...], int]:
    """(result shape, summed length) of ``numpy.matmul``; ValueError on bad shapes."""
    a, b = as_shape(a_shape), as_shape(b_shape)
    for number, shape in enumerate((a, b)):
        if not shape:
            raise ValueError(
                f"matmul: operand {number} is a scalar (shape ()); matmul needs at least 1-D"
            )
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    if a2[-1] != b2[-2]:
        raise ValueError(
            f"matmul: shapes {a} and {b} do not match in the core dimension: {a2[-1]} != {b2[-2]}"
        )
    batch = _broadcast(a2[:-2], b2[:-2], "matmul")
    core = (() if len(a) == 1 else (a2[-2],)) + (() if len(b) == 1 else (b2[-1],))
    return batch + core, a2[-1]


def matmul_cost(a_shape: Shape, b_shape: Shape) -> int:
    """FLOPs of ``matmul`` / ``@``: ``2 * batch * m * k * n`` (1-D operands promoted as
    NumPy does), the cost of the equivalent einsum."""
    result, summed = matmul_result(a_shape, b_shape)
    return _product_cost(result, summed)


def inner_cost(a_shape: Shape, b_shape: Shape) -> int:
    """FLOPs of ``inner``, which sums over the last axes: ``2 * numel(result) * k`` (1-D: ``2n``)."""
    a, b = as_shape(a_shape), as_shape(b_shape)
    if not a or not b:
        return _product_cost(b if not a else a, None)
    if a[-1] != b[-1]:
        raise ValueError(f"inner: shapes {a} and {b} differ in their last dimension")
    return _product_cost(a[:-1] + b[:-1], a[-1])


def outer_cost(a_shape: Shape, b_shape: Shape) -> int:
    """FLOPs of ``outer``: ``numel(a) * numel(b)`` (inputs flattened)."""
    return max(numel(as_shape(a_shape)) * numel(as_shape(b_shape)), 1)


def vdot_cost(a_shape: Shape, b_shape: Shape) -> int:
    """FLOPs of ``vdot``: ``2 * n`` for ``n`` elements in each (flattened) input."""
    n, m = numel(as_shape(a_shape)), numel(as_shape(b_shape))
    if n != m:
        raise ValueError(
            f"vdot: inputs of shapes {tuple(a_shape)} and {tuple(b_shape)} have "
            f"{n} and {m} elements; they need the same number"
        )
    return max(2 * n, 1)


def _listlike(entry) -> bool:
    """A list of axes (a sequence or an array of >= 1 dimension, as NumPy accepts)."""
    return isinstance(entry, Sequence) or getattr(entry, "ndim", 0) > 0


def tensordot_axes(a_shape: Shape, b_shape: Shape, axes=2) -> tuple[list[int], list[int]]:
    """The contracted axes of ``a`` and ``b`` for ``numpy.tensordot``'s ``axes``."""
    a, b = as_shape(a_shape), as_shape(b_shape)
    if isinstance(axes, bool):
        raise TypeError(f"tensordot: axes must be an int or a pair of axis lists, got {axes!r}")
    try:
        count = int(axes.__index__())
    except (AttributeError, TypeError):
        count = None
    if count is not None:
        if count < 0 or count > len(a) or count > len(b):
            raise ValueError(f"tensordot: axes={count} is invalid for shapes {a} and {b}")
        axes_a = list(range(len(a) - count, len(a)))
        axes_b = list(range(count))
    else:
        try:
            first, second = axes
        except (TypeError, ValueError):
            raise ValueError(
                f"tensordot: axes must be an int or a pair of axis lists, got {axes!r}"
            ) from None
        axes_a = [int(x) for x in first] if _listlike(first) else [int(first)]
        axes_b = [int(x) for x in second] if _listlike(second) else [int(second)]
        if len(axes_a) != len(axes_b):
            raise ValueError(f"tensordot: axes {axes!r} name different numbers of axes")
    for axes_list, shape, which in ((axes_a, a, "a"), (axes_b, b, "b")):
        for position, axis in enumerate(axes_list):
            if not -len(shape) <= axis < len(shape):
                raise ValueError(
                    f"tensordot: axis {axis} is out of range for {which} of shape {shape}"
                )
            axes_list[position] = axis % len(shape)
        if len(set(axes_list)) != len(axes_list):
            raise ValueError(f"tensordot: axes {axes!r} repeat an axis of {which}")
    for x, y in zip(axes_a, axes_b):
        if a[x] != b[y]:
            raise ValueError(
                f"tensordot: shape mismatch for sum: a{a} axis {x} has {a[x]} but "
                f"b{b} axis {y} has {b[y]}"
            )
    return axes_a, axes_b


def tensordot_cost(a_shape: Shape, b_shape: Shape, axes=2) -> int:
    """FLOPs of ``tensordot``: ``2 * numel(result) * prod(contracted dims)``; with nothing
    contracted (``axes=0``) it is an outer product, ``numel(result)``."""
    a, b = as_shape(a_shape), as_shape(b_shape)
    axes_a, axes_b = tensordot_axes(a, b, axes)
    result = [d for i, d in enumerate(a) if i not in axes_a] + [
        d for i, d in enumerate(b) if i not in axes_b
    ]
    if not axes_a:
        return _product_cost(result, None)
    return _product_cost(result, math.prod(a[i] for i in axes_a))


def kron_cost(a_shape: Shape, b_shape: Shape) -> int:
    """FLOPs of ``kron``: ``numel(result)``, one product per output element."""
    a, b = as_shape(a_shape), as_shape(b_shape)
    ndim = max(len(a), len(b))
    a = (1,) * (ndim - len(a)) + a
    b = (1,) * (ndim - len(b)) + b
    return max(math.prod(x * y for x, y in zip(a, b)), 1)


def cross_result(
    a_shape: Shape,
    b_shape: Shape,
    axisa: int = -1,
    axisb: int = -1,
    axisc: int = -1,
    axis: int | None = None,
) -> tuple[int, ...]:
    """Result shape of ``numpy.cross``; ValueError for vectors not of length 2 or 3."""
    a, b = as_shape(a_shape), as_shape(b_shape)
    if axis is not None:
        axisa = axisb = axisc = axis
    moved = []
    for shape, ax, which in ((a, axisa, "a"), (b, axisb, "b")):
        if not shape or not -len(shape) <= ax < len(shape):
            raise ValueError(f"cross: axis {ax} is out of bounds for {which} of shape {shape}")
        ax %= len(shape)
        if shape[ax] not in (2, 3):
            raise ValueError(
                f"cross: {which} of shape {shape} has vectors of length {shape[ax]} along "
                f"axis {ax}; the cross product needs length 2 or 3"
            )
        moved.append((shape[:ax] + shape[ax + 1 :], shape[ax]))
    batch = _broadcast(moved[0][0], moved[1][0], "cross")
    if moved[0][1] == 2 and moved[1][1] == 2:
        return batch
    result_ndim = len(batch) + 1
    if not -result_ndim <= axisc < result_ndim:
        raise ValueError(f"cross: axisc {axisc} is out of bounds for a {result_ndim}-D result")
    return batch + (3,)


def cross_cost(
    a_shape: Shape,
    b_shape: Shape,
    axisa: int = -1,
    axisb: int = -1,
    axisc: int = -1,
    axis: int | None = None,
) -> int:
    """FLOPs of ``cross``: ``3 * numel(result)``, min 1."""
    return max(3 * numel(cross_result(a_shape, b_shape, axisa, axisb, axisc, axis)), 1)


def trace_cost(shape: Shape, offset: int = 0, axis1: int = 0, axis2: int = 1) -> int:
    """FLOPs of ``trace``: the elements of the requested (offset) diagonal, one addition
    each (for more than 2-D, every diagonal along ``axis1``/``axis2``); at least 1."""
    dims = as_shape(shape)
    ndim = len(dims)
    if ndim < 2:
        raise ValueError(f"trace: needs an array of at least 2 dimensions, got shape {dims}")
    for ax in (axis1, axis2):
        if not -ndim <= ax < ndim:
            raise ValueError(f"trace: axis {ax} is out of bounds for shape {dims}")
    first, second = axis1 % ndim, axis2 % ndim
    if first == second:
        raise ValueError(f"trace: axis1 and axis2 must differ, both are {first}")
    n1, n2 = dims[first], dims[second]
    offset = int(offset)
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    rest = math.prod(d for i, d in enumerate(dims) if i not in (first, second))
    return max(length * rest, 1)


def vecdot_cost(a_shape: Shape, b_shape: Shape) -> int:
    """FLOPs of ``vecdot`` / ``linalg.vecdot``: ``2 * numel`` of the broadcast inputs, min 1."""
    return max(2 * numel(_broadcast(as_shape(a_shape), as_shape(b_shape), "vecdot")), 1)
