"""Window and ``unwrap`` cost formulas (docs/operations.md), each at least 1.

A window of length ``M`` costs ``M`` per term of its formula: ``bartlett`` M,
``hamming``/``hanning`` 2M, ``blackman``/``kaiser`` 3M. ``unwrap`` costs one FLOP per
element of its input.
"""

from __future__ import annotations

from collections.abc import Sequence

from .core import as_int, as_shape, numel

__all__ = [
    "bartlett_cost",
    "blackman_cost",
    "hamming_cost",
    "hanning_cost",
    "kaiser_cost",
    "unwrap_cost",
]


def _length(M: int) -> int:
    return max(as_int(M, "window length M"), 0)  # NumPy returns an empty window for M < 1


def bartlett_cost(M: int) -> int:
    """FLOPs of ``bartlett(M)``: ``max(M, 1)``."""
    return max(_length(M), 1)


def blackman_cost(M: int) -> int:
    """FLOPs of ``blackman(M)``: ``max(3*M, 1)``."""
    return max(3 * _length(M), 1)


def hamming_cost(M: int) -> int:
    """FLOPs of ``hamming(M)``: ``max(2*M, 1)``."""
    return max(2 * _length(M), 1)


def hanning_cost(M: int) -> int:
    """FLOPs of ``hanning(M)``: ``max(2*M, 1)``."""
    return max(2 * _length(M), 1)


def kaiser_cost(M: int) -> int:
    """FLOPs of ``kaiser(M, beta)``: ``max(3*M, 1)``."""
    return max(3 * _length(M), 1)


def unwrap_cost(shape: int | Sequence[int]) -> int:
    """FLOPs of ``unwrap`` of an array of ``shape``: ``max(numel(shape), 1)``."""
    return max(numel(as_shape(shape)), 1)
