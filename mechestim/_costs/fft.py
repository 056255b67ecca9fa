"""FFT cost formulas (cost-model §7).

A complex transform of length ``n`` is charged ``5 * n * ceil(log2 n)`` FLOPs, the
classic radix-2 count; a real transform does half the work, ``5 * (n // 2) *
ceil(log2 n)``. An N-dimensional transform over lengths ``s`` with ``N = prod(s)``
costs ``5 * N * sum(ceil(log2 s_i))`` (``N // 2`` for real transforms), which is the
sum of the 1-D passes along each axis. A length (or size) of at most 1 costs 0, the
only zero case. ``batch`` multiplies by the number of independent transforms (the
elements of the input outside the transformed axes).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

from .core import as_shape, ceil_log2, numel

__all__ = [
    "fft_cost",
    "ifft_cost",
    "rfft_cost",
    "irfft_cost",
    "hfft_cost",
    "ihfft_cost",
    "fftn_cost",
    "ifftn_cost",
    "rfftn_cost",
    "irfftn_cost",
]


def _log2_len(n: int) -> int:
    """ceil(log2 n) for a transform length, 0 for n <= 1 (nothing to combine)."""
    return ceil_log2(n) if n > 1 else 0


def _length(n: int, what: str = "n") -> int:
    if isinstance(n, bool) or not hasattr(n, "__index__"):
        raise TypeError(f"{what} must be an integer transform length, got {n!r}")
    n = int(n)
    if n < 0:
        raise ValueError(f"{what} must be a non-negative transform length, got {n}")
    return n


def _batch(batch: int) -> int:
    return _length(batch, "batch")


def transform_cost(size: int, pass_lengths: Sequence[int], batch: int = 1, *, real: bool) -> int:
    """Shared rule: ``batch * 5 * size' * sum(ceil(log2 l) for l in pass_lengths)``
    where ``size'`` is ``size`` (complex) or ``size // 2`` (real); 0 when size <= 1,
    else at least 1 (an empty batch of real transforms still is a counted call)."""
    if size <= 1:
        return 0
    points = size // 2 if real else size
    return max(batch * 5 * points * sum(_log2_len(n) for n in pass_lengths), 1)


def fft_cost(n: int, batch: int = 1) -> int:
    """FLOPs of ``batch`` complex FFTs of length ``n``: ``batch * 5*n*ceil(log2 n)``.

    ``fft_cost(1024) == 51_200``; ``fft_cost(2**20) == 104_857_600``; 0 for n <= 1.
    """
    n = _length(n)
    return transform_cost(n, (n,), _batch(batch), real=False)


def ifft_cost(n: int, batch: int = 1) -> int:
    """FLOPs of ``batch`` inverse complex FFTs of length ``n``, as :func:`fft_cost`:
    ``batch * 5*n*ceil(log2 n)``."""
    return fft_cost(n, batch)


def rfft_cost(n: int, batch: int = 1) -> int:
    """FLOPs of ``batch`` real FFTs of ``n`` real points: ``batch * 5*(n//2)*ceil(log2 n)``.

    ``rfft_cost(1024) == 25_600``; ``rfft_cost(2**20) == 52_428_800``; 0 for n <= 1.
    """
    n = _length(n)
    return transform_cost(n, (n,), _batch(batch), real=True)


def irfft_cost(n: int, batch: int = 1) -> int:
    """FLOPs of ``batch`` inverse real FFTs producing ``n`` real points, as
    :func:`rfft_cost`: ``batch * 5*(n//2)*ceil(log2 n)``.

    ``np.fft.irfft``'s default ``n`` is ``2*(m-1)`` for an input of length ``m``.
    """
    return rfft_cost(n, batch)


def hfft_cost(n: int, batch: int = 1) -> int:
    """FLOPs of ``batch`` Hermitian FFTs with ``n`` output points, charged as a full
    complex FFT of length ``n``: ``batch * 5*n*ceil(log2 n)`` (``n`` defaults to
    ``2*(m-1)`` for an input of length ``m``)."""
    return fft_cost(n, batch)


def ihfft_cost(n: int, batch: int = 1) -> int:
    """FLOPs of ``batch`` inverse Hermitian FFTs of ``n`` real points, charged as a full
    complex FFT of length ``n``: ``batch * 5*n*ceil(log2 n)``."""
    return fft_cost(n, batch)


def _points(s: Sequence[int], axes: Sequence[int] | None) -> tuple[int, tuple[int, ...]]:
    """(N, pass lengths) of an N-D transform: ``N = prod(s)``, each axis counted once
    (at its first length in ``s``) when ``axes`` names one more than once."""
    shape = as_shape(s)
    if axes is None:
        return numel(shape), shape
    axes = tuple(axes)
    if len(axes) != len(shape):
        raise ValueError(f"s has {len(shape)} entries but axes has {len(axes)}")
    first: dict[int, int] = {}
    for axis, n in zip(axes, shape):
        first.setdefault(operator.index(axis), n)
    return numel(first.values()), shape


def fftn_cost(s: Sequence[int], batch: int = 1, axes: Sequence[int] | None = None) -> int:
    """FLOPs of ``batch`` N-D complex FFTs over transform lengths ``s``:
    ``batch * 5*N*sum(ceil(log2 s_i))`` with ``N = prod(s)`` (0 when N <= 1).

    ``fftn_cost((256, 256)) == 5_242_880``; ``fftn_cost((32, 32, 32)) == 2_457_600``.
    ``axes`` (the axis of each length) matters only when an axis is transformed more
    than once, as NumPy allows (``axes=(0, 0)``): every pass is counted, ``N`` counts
    that axis once.
    """
    size, shape = _points(s, axes)
    return transform_cost(size, shape, _batch(batch), real=False)


def ifftn_cost(s: Sequence[int], batch: int = 1, axes: Sequence[int] | None = None) -> int:
    """FLOPs of ``batch`` inverse N-D complex FFTs over lengths ``s``, as
    :func:`fftn_cost`: ``batch * 5*N*sum(ceil(log2 s_i))`` with ``N = prod(s)``."""
    return fftn_cost(s, batch, axes)


def rfftn_cost(s: Sequence[int], batch: int = 1, axes: Sequence[int] | None = None) -> int:
    """FLOPs of ``batch`` N-D real FFTs over real lengths ``s``:
    ``batch * 5*(N//2)*sum(ceil(log2 s_i))`` with ``N = prod(s)`` (0 when N <= 1).

    ``axes`` as in :func:`fftn_cost`."""
    size, shape = _points(s, axes)
    return transform_cost(size, shape, _batch(batch), real=True)


def irfftn_cost(s: Sequence[int], batch: int = 1, axes: Sequence[int] | None = None) -> int:
    """FLOPs of ``batch`` inverse N-D real FFTs producing real lengths ``s``, as
    :func:`rfftn_cost`: ``batch * 5*(N//2)*sum(ceil(log2 s_i))`` with ``N = prod(s)``.

    The op's last length defaults to ``2*(m-1)`` for an input of length ``m``."""
    return rfftn_cost(s, batch, axes)
