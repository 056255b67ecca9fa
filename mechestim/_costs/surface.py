"""Costs of the NumPy names revision 2 adds to the counted set (library.md §4)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .contractions import _broadcast
from .core import as_shape, pointwise_cost

__all__ = ["matvec_cost", "vecmat_cost", "logn_cost"]


def _stacked(name: str, matrix: tuple[int, ...], vector: tuple[int, ...], core: int) -> int:
    if len(matrix) < 2 or len(vector) < 1:
        raise ValueError(
            f"{name}: needs a matrix (>= 2-D) and a vector (>= 1-D), got shapes "
            f"{matrix} and {vector}"
        )
    if matrix[core] != vector[-1]:
        raise ValueError(
            f"{name}: core dimension mismatch: the vector's length {vector[-1]} is not the "
            f"matrix's {matrix[core]} (shapes {matrix} and {vector})"
        )
    batch = _broadcast(matrix[:-2], vector[:-1], name)
    return max(2 * math.prod(batch) * matrix[-2] * matrix[-1], 1)


def matvec_cost(a_shape: Sequence[int], b_shape: Sequence[int]) -> int:
    """FLOPs of ``matvec`` (``...ij,...j->...i``): ``2 * batch * m * n``, its einsum's cost."""
    return _stacked("matvec", as_shape(a_shape), as_shape(b_shape), -1)


def vecmat_cost(a_shape: Sequence[int], b_shape: Sequence[int]) -> int:
    """FLOPs of ``vecmat`` (``...j,...ji->...i``): ``2 * batch * n * m``, its einsum's cost."""
    return _stacked("vecmat", as_shape(b_shape), as_shape(a_shape), -2)


def logn_cost(
    n_shape: Sequence[int],
    x_shape: Sequence[int],
    n_symmetry: Any = None,
    x_symmetry: Any = None,
    result_symmetry: Any = None,
) -> int:
    """FLOPs of ``emath.logn(n, x)``: what ``log(x) / log(n)`` costs, each step as its
    element-wise op charges: ``numel(x) + numel(n) + numel(broadcast)``, each at least 1
    (unique elements for symmetric operands and result).

    ``n`` of shape (3,) and ``x`` of shape (2, 1): 2 + 3 + 6 = 11. The ``*_symmetry``
    arguments (as :func:`pointwise_cost` takes them) count unique elements instead, as
    ``me.log`` and ``me.divide`` do on SymmetricTensors."""
    n, x = as_shape(n_shape), as_shape(x_shape)
    both = _broadcast(n, x, "emath.logn")
    return (
        pointwise_cost(x, x_symmetry)
        + pointwise_cost(n, n_symmetry)
        + pointwise_cost(both, result_symmetry)
    )
