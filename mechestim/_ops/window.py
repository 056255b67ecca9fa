"""Window functions (``bartlett``, ``blackman``, ``hamming``, ``hanning``, ``kaiser``).

Each is stated once, as a plan (:func:`~mechestim._core.pipeline.planned`): it charges
the formula of :mod:`mechestim._costs.window` for its length ``M`` and returns NumPy's
window (an empty array for ``M < 1``).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.window import bartlett_cost, blackman_cost, hamming_cost, hanning_cost, kaiser_cost

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


@planned("bartlett")
def bartlett(M: int) -> Plan:
    """The triangular Bartlett window of ``M`` points (``numpy.bartlett``).

    Charged ``M`` FLOPs (at least 1).
    """
    return numpy_plan(bartlett_cost(_length("bartlett", M)), np.bartlett, M)


@planned("blackman")
def blackman(M: int) -> Plan:
    """The Blackman window of ``M`` points (``numpy.blackman``), two cosine terms.

    Charged ``3*M`` FLOPs (at least 1).
    """
    return numpy_plan(blackman_cost(_length("blackman", M)), np.blackman, M)


@planned("hamming")
def hamming(M: int) -> Plan:
    """The Hamming window of ``M`` points (``numpy.hamming``).

    Charged ``2*M`` FLOPs (at least 1).
    """
    return numpy_plan(hamming_cost(_length("hamming", M)), np.hamming, M)


@planned("hanning")
def hanning(M: int) -> Plan:
    """The Hann window of ``M`` points (``numpy.hanning``).

    Charged ``2*M`` FLOPs (at least 1).
    """
    return numpy_plan(hanning_cost(_length("hanning", M)), np.hanning, M)


@planned("kaiser")
def kaiser(M: int, beta: float) -> Plan:
    """The Kaiser window of ``M`` points with shape ``beta`` (``numpy.kaiser``).

    Charged ``3*M`` FLOPs (at least 1).
    """
    length = _length("kaiser", M)
    if isinstance(beta, (bool, np.bool_)) or not isinstance(beta, (numbers.Real, np.ndarray)):
        raise TypeError(f"kaiser: beta must be a real number, got {beta!r}")
    if np.ndim(beta) != 0 or np.asarray(beta).dtype.kind not in "iuf":
        raise TypeError(f"kaiser: beta must be a real scalar, got {beta!r}")
    return numpy_plan(kaiser_cost(length), np.kaiser, M, beta)
