"""Window functions (``bartlett``, ``blackman``, ``hamming``, ``hanning``, ``kaiser``).

Each charges the formula of :mod:`mechestim._costs.window` for its length ``M`` and
returns NumPy's window (an empty array for ``M < 1``).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ._core.pipeline import counted
from ._costs.window import bartlett_cost, blackman_cost, hamming_cost, hanning_cost, kaiser_cost

__all__ = ["bartlett", "blackman", "hamming", "hanning", "kaiser"]


def _length(op: str, M: Any) -> int:
    """The window length as an int; integral floats are accepted, as NumPy does."""
    if isinstance(M, (bool, np.bool_)):
        raise TypeError(f"{op}: M must be an integer window length, got {M!r}")
    if hasattr(M, "__index__"):
        return int(M)
    if isinstance(M, numbers.Real) and float(M).is_integer():
        return int(M)
    raise TypeError(f"{op}: M must be an integer window length, got {M!r}")


@counted("bartlett", cost=lambda M: bartlett_cost(_length("bartlett", M)))
def bartlett(M: int) -> Any:
    """The triangular Bartlett window of ``M`` points (``numpy.bartlett``).

    Charged ``M`` FLOPs (at least 1).
    """
    return np.bartlett(M)


@counted("blackman", cost=lambda M: blackman_cost(_length("blackman", M)))
def blackman(M: int) -> Any:
    """The Blackman window of ``M`` points (``numpy.blackman``), two cosine terms.

    Charged ``3*M`` FLOPs (at least 1).
    """
    return np.blackman(M)


@counted("hamming", cost=lambda M: hamming_cost(_length("hamming", M)))
def hamming(M: int) -> Any:
    """The Hamming window of ``M`` points (``numpy.hamming``).

    Charged ``2*M`` FLOPs (at least 1).
    """
    return np.hamming(M)


@counted("hanning", cost=lambda M: hanning_cost(_length("hanning", M)))
def hanning(M: int) -> Any:
    """The Hann window of ``M`` points (``numpy.hanning``).

    Charged ``2*M`` FLOPs (at least 1).
    """
    return np.hanning(M)


def _kaiser_cost(M: Any, beta: Any) -> int:
    length = _length("kaiser", M)
    if isinstance(beta, (bool, np.bool_)) or not isinstance(beta, (numbers.Real, np.ndarray)):
        raise TypeError(f"kaiser: beta must be a real number, got {beta!r}")
    if np.ndim(beta) != 0 or np.asarray(beta).dtype.kind not in "iuf":
        raise TypeError(f"kaiser: beta must be a real scalar, got {beta!r}")
    return kaiser_cost(length)


@counted("kaiser", cost=_kaiser_cost)
def kaiser(M: int, beta: float) -> Any:
    """The Kaiser window of ``M`` points with shape ``beta`` (``numpy.kaiser``).

    Charged ``3*M`` FLOPs (at least 1).
    """
    return np.kaiser(M, beta)
