"""``me.fft``: NumPy's discrete Fourier transforms, charged per cost-model §7.

Every transform validates its arguments (array, ``n``/``s``, ``axis``/``axes``,
``norm``, ``out``) *before* charging, so a refused call costs nothing; then it charges
the formula of :mod:`mechestim._costs.fft` and runs ``numpy.fft``. Lengths follow
NumPy exactly: ``n`` defaults to the input length along ``axis`` (``2*(m-1)`` for
``irfft``/``hfft`` and for the last axis of ``irfft2``/``irfftn``), ``s`` entries of
``-1`` mean "the input length". A batched transform is charged once per independent
1-D/N-D transform (the input's elements outside the transformed axes).

The frequency helpers (``fftfreq``, ``rfftfreq``, ``fftshift``, ``ifftshift``) are
free and bound generically. Importing this module binds the whole ``fft.*`` family,
which happens on its first use (``registry.LAZY_FAMILIES``), not at ``import mechestim``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._core.args import axis_index
from .._core.arrays import numeric
from .._core.arrays import plain as unwrap
from .._core.naming import name_op
from .._core.pipeline import Plan, planned
from .._costs.fft import (
    fft_cost,
    fftn_cost,
    hfft_cost,
    ifft_cost,
    ifftn_cost,
    ihfft_cost,
    irfft_cost,
    irfftn_cost,
    rfft_cost,
    rfftn_cost,
)
from .generic import bind_generic

__all__: list[str] = []

_NORMS = (None, "backward", "ortho", "forward")
_AxisError = np.exceptions.AxisError


# kinds of 1-D transform: (input must be real, default n is 2*(m-1), real output,
# output length along the axis given n, cost formula, numpy honours ``out``)
_ONE_D: dict[str, tuple[bool, bool, bool, Callable[[int], int], Callable[..., int], bool]] = {
    "fft": (False, False, False, lambda n: n, fft_cost, True),
    "ifft": (False, False, False, lambda n: n, ifft_cost, True),
    "rfft": (True, False, False, lambda n: n // 2 + 1, rfft_cost, True),
    "irfft": (False, True, True, lambda n: n, irfft_cost, True),
    "hfft": (False, True, True, lambda n: n, hfft_cost, False),
    "ihfft": (True, False, False, lambda n: n // 2 + 1, ihfft_cost, True),
}


# -- validation helpers ----------------------------------------------------------------
def _array(op: str, a: Any, real_input: bool) -> np.ndarray:
    array = numeric(op, a)
    if real_input and array.dtype.kind == "c":
        raise TypeError(f"{op} needs real input, got an array of dtype {array.dtype}")
    return array


def _check_norm(op: str, norm: Any) -> None:
    if norm not in _NORMS:
        raise ValueError(f"{op}: invalid norm {norm!r}; use None, 'backward', 'ortho' or 'forward'")


def _length(op: str, value: Any, what: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{op}: {what} must be an integer number of points, got {value!r}")
    n = operator.index(value)
    if n < 1:
        raise ValueError(f"{op}: invalid number of FFT data points {what}={n} (must be >= 1)")
    return n


def _result_dtype(array: np.ndarray, real_output: bool) -> np.dtype:
    if real_output:
        return np.result_type(array.real.dtype, 1.0)
    return np.result_type(array.dtype, 1j)


def _check_out(op: str, out: Any, shapes: Sequence[tuple[int, ...]], dtype: np.dtype) -> None:
    """``out`` must fit every pass that writes into it (NumPy hands it to each pass)."""
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{op}: out must be an array, got {type(out).__name__}")
    for shape in shapes:
        if out.shape != tuple(shape):
            raise ValueError(
                f"{op}: out has shape {out.shape} but the result has shape {tuple(shape)}"
            )
    if not np.can_cast(dtype, out.dtype, casting="same_kind"):
        raise TypeError(f"{op}: cannot write a {dtype} result into out of dtype {out.dtype}")


# -- 1-D transforms --------------------------------------------------------------------
def _plan_1d(kind: str, a: Any, n: Any, axis: Any, norm: Any, out: Any) -> tuple[int, np.ndarray]:
    op = f"fft.{kind}"
    real_input, doubled, real_output, out_len, formula, takes_out = _ONE_D[kind]
    array = _array(op, a, real_input)
    if array.ndim == 0:
        raise _AxisError(f"{op} needs an array with at least one dimension, got a scalar")
    ax = axis_index(op, axis, array.ndim)
    m = array.shape[ax]
    if n is None:
        length = 2 * (m - 1) if doubled else m
        if length < 1:
            raise ValueError(
                f"{op}: invalid number of FFT data points n={length} (the default for an "
                f"input of length {m} along axis {ax}); pass n explicitly"
            )
    else:
        length = _length(op, n, "n")
    _check_norm(op, norm)
    batch = math.prod(d for i, d in enumerate(array.shape) if i != ax)
    if out is not None and takes_out:
        shape = list(array.shape)
        shape[ax] = out_len(length)
        _check_out(op, out, [shape], _result_dtype(array, real_output))
    return formula(length, batch), array


def _transform(flops: int, func: Callable, array: np.ndarray, out: Any, *args: Any) -> Plan:
    """The plan of a transform: NumPy's ``func(array, *args)``, writing into ``out`` when
    given (returned as the result when NumPy filled it)."""
    kwargs = {} if out is None else {"out": unwrap(out)}
    return Plan(flops, func, (array, *args), kwargs, (array.shape,), out)


_DOCS_1D = {
    "fft": "One-dimensional discrete Fourier transform (``numpy.fft.fft``).\n\n"
    "Charged ``batch * 5*n*ceil(log2 n)`` FLOPs, ``n`` the transform length (default: the\n"
    "input length along ``axis``) and ``batch`` the number of 1-D transforms (numel of the\n"
    "input divided by its length along ``axis``); 0 when n <= 1. fft of 1024 points:\n"
    "51,200; of a (4, 1024) array along the last axis: 204,800.",
    "ifft": "One-dimensional inverse discrete Fourier transform (``numpy.fft.ifft``).\n\n"
    "Charged like ``fft``: ``batch * 5*n*ceil(log2 n)`` FLOPs (0 when n <= 1).",
    "rfft": "One-dimensional FFT of real input (``numpy.fft.rfft``).\n\n"
    "Charged half of a complex FFT: ``batch * 5*(n//2)*ceil(log2 n)`` FLOPs, ``n`` the\n"
    "number of real input points (default: the length along ``axis``); rfft of 1024\n"
    "points: 25,600. Complex input is refused with a TypeError.",
    "irfft": "Inverse of ``rfft`` (``numpy.fft.irfft``), giving ``n`` real points.\n\n"
    "Charged ``batch * 5*(n//2)*ceil(log2 n)`` FLOPs; ``n`` defaults to ``2*(m-1)`` for\n"
    "an input of length ``m`` along ``axis``.",
    "hfft": "FFT of a Hermitian-symmetric signal (``numpy.fft.hfft``), giving ``n`` real\n"
    "points.\n\nCharged as a full complex FFT of the output length:\n"
    "``batch * 5*n*ceil(log2 n)`` FLOPs, ``n`` defaulting to ``2*(m-1)``. As in NumPy,\n"
    "``out`` is accepted but not used.",
    "ihfft": "Inverse of ``hfft`` (``numpy.fft.ihfft``) for ``n`` real input points.\n\n"
    "Charged as a full complex FFT of length ``n``: ``batch * 5*n*ceil(log2 n)`` FLOPs\n"
    "(``n`` defaults to the input length along ``axis``).",
}


def _make_1d(kind: str) -> Callable:
    name = f"fft.{kind}"
    func = getattr(np.fft, kind)

    def plan(
        a: Any, n: int | None = None, axis: int = -1, norm: str | None = None, out: Any = None
    ) -> Plan:
        flops, array = _plan_1d(kind, a, n, axis, norm, out)
        return _transform(flops, func, array, out, n, axis, norm)

    return planned(name)(name_op(plan, kind, "mechestim.fft", _DOCS_1D[kind]))


# -- N-D transforms --------------------------------------------------------------------
def _plan_nd(
    op: str,
    kind: str,
    formula: Callable[..., int],
    a: Any,
    s: Any,
    axes: Any,
    norm: Any,
    out: Any,
    takes_out: bool,
) -> tuple[int, np.ndarray]:
    """Validate an N-D call the way ``numpy.fft`` reads it; return (cost, array).

    ``kind`` is ``"c"`` (complex, fftn/ifftn), ``"r"`` (rfftn) or ``"ir"`` (irfftn);
    ``formula`` the op's cost formula (``fftn_cost`` and its siblings).
    """
    array = _array(op, a, kind == "r")
    ndim, shape = array.ndim, array.shape
    if s is None:
        lengths: list[Any] = []
        if axes is None:
            ax_list = list(range(ndim))
        else:
            ax_list = [axis_index(op, ax, ndim, "axes entry") for ax in _sequence(op, axes, "axes")]
    else:
        lengths = list(_sequence(op, s, "s"))
        if axes is None:
            if len(lengths) > ndim:
                raise ValueError(
                    f"{op}: s={tuple(lengths)} has more entries than the input has "
                    f"dimensions ({ndim})"
                )
            ax_list = list(range(ndim - len(lengths), ndim))
        else:
            ax_list = [axis_index(op, ax, ndim, "axes entry") for ax in _sequence(op, axes, "axes")]
        if len(lengths) != len(ax_list):
            raise ValueError(
                f"{op}: s has {len(lengths)} entries but axes has {len(ax_list)}; "
                "they must have the same length"
            )
    if kind != "c" and not ax_list:
        raise ValueError(f"{op} needs at least one axis to transform")
    last = len(ax_list) - 1
    final: list[int] = []
    for i, ax in enumerate(ax_list):
        value = lengths[i] if s is not None else None
        if value is None:  # NumPy's default length for this axis (None in s: deprecated)
            value = 2 * (shape[ax] - 1) if (kind == "ir" and i == last) else shape[ax]
            if value < 1:
                raise ValueError(
                    f"{op}: invalid number of FFT data points {value} along axis {ax} "
                    f"(the default for an input of length {shape[ax]}); pass s explicitly"
                )
        elif _is_int(value) and operator.index(value) == -1:  # -1: the input length
            value = shape[ax]
        final.append(_length(op, value, "s entry"))
    _check_norm(op, norm)
    batch = math.prod(d for i, d in enumerate(shape) if i not in ax_list)
    flops = formula(final, batch, ax_list)
    if out is not None and takes_out:
        _check_out(
            op, out, _pass_shapes(kind, shape, ax_list, final), _result_dtype(array, kind == "ir")
        )
    return flops, array


def _is_int(value: Any) -> bool:
    return not isinstance(value, bool) and hasattr(value, "__index__")


def _sequence(op: str, value: Any, what: str) -> tuple:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{op}: {what} must be a sequence of integers, got {value!r}")
    return tuple(value)


def _pass_shapes(kind: str, shape: tuple, axes: list[int], lengths: list[int]) -> list[tuple]:
    """Output shape of every NumPy pass that receives ``out``, in NumPy's order."""
    current = list(shape)
    shapes = []
    if kind == "c":
        for i in reversed(range(len(axes))):
            current[axes[i]] = lengths[i]
            shapes.append(tuple(current))
    elif kind == "r":
        current[axes[-1]] = lengths[-1] // 2 + 1
        shapes.append(tuple(current))
        for i in range(len(axes) - 2, -1, -1):
            current[axes[i]] = lengths[i]
            shapes.append(tuple(current))
    else:  # irfftn: only the final irfft pass writes into out
        for ax, n in zip(axes, lengths):
            current[ax] = n
        current[axes[-1]] = lengths[-1]
        shapes.append(tuple(current))
    return shapes


_DOCS_ND = {
    "fftn": "N-dimensional discrete Fourier transform (``numpy.fft.fftn``).\n\n"
    "Charged ``batch * 5*N*sum(ceil(log2 s_i))`` FLOPs over the transform lengths ``s``\n"
    "(default: the input lengths along ``axes``; all axes when both are None), ``N =\n"
    "prod(s)`` and ``batch`` the product of the input lengths outside ``axes``. 0 when\n"
    "N <= 1. fftn of a 32x32x32 array: 2,457,600.",
    "ifftn": "N-dimensional inverse FFT (``numpy.fft.ifftn``).\n\n"
    "Charged like ``fftn``: ``batch * 5*N*sum(ceil(log2 s_i))`` FLOPs.",
    "fft2": "Two-dimensional FFT over ``axes`` (default the last two; ``numpy.fft.fft2``).\n\n"
    "Charged ``batch * 5*N*sum(ceil(log2 s_i))`` FLOPs as ``fftn``; 256x256: 5,242,880.",
    "ifft2": "Two-dimensional inverse FFT (``numpy.fft.ifft2``).\n\n"
    "Charged like ``fft2``. As in NumPy, ``out`` is accepted but not used.",
    "rfftn": "N-dimensional FFT of real input (``numpy.fft.rfftn``).\n\n"
    "Charged ``batch * 5*(N//2)*sum(ceil(log2 s_i))`` FLOPs, ``s`` the real lengths\n"
    "(half the complex cost). Complex input is refused with a TypeError.",
    "irfftn": "Inverse of ``rfftn`` (``numpy.fft.irfftn``).\n\n"
    "Charged ``batch * 5*(N//2)*sum(ceil(log2 s_i))`` FLOPs over the real output lengths\n"
    "``s``; the last one defaults to ``2*(m-1)`` for an input of length ``m``.",
    "rfft2": "Two-dimensional FFT of real input (``numpy.fft.rfft2``).\n\n"
    "Charged like ``rfftn`` over the two axes.",
    "irfft2": "Inverse of ``rfft2`` (``numpy.fft.irfft2``).\n\n"
    "Charged like ``irfftn`` over the two axes. As in NumPy, ``out`` is accepted but not used.",
}

# name: (kind, default axes, numpy honours ``out``, cost formula)
_N_D: dict[str, tuple[str, tuple[int, ...] | None, bool, Callable[..., int]]] = {
    "fftn": ("c", None, True, fftn_cost),
    "ifftn": ("c", None, True, ifftn_cost),
    "fft2": ("c", (-2, -1), True, fftn_cost),
    "ifft2": ("c", (-2, -1), False, ifftn_cost),
    "rfftn": ("r", None, True, rfftn_cost),
    "rfft2": ("r", (-2, -1), True, rfftn_cost),
    "irfftn": ("ir", None, True, irfftn_cost),
    "irfft2": ("ir", (-2, -1), False, irfftn_cost),
}


def _make_nd(short: str) -> Callable:
    name = f"fft.{short}"
    kind, default_axes, takes_out, formula = _N_D[short]
    func = getattr(np.fft, short)

    def plan(
        a: Any,
        s: Sequence[int] | None = None,
        axes: Sequence[int] | None = default_axes,
        norm: str | None = None,
        out: Any = None,
    ) -> Plan:
        flops, array = _plan_nd(name, kind, formula, a, s, axes, norm, out, takes_out)
        return _transform(flops, func, array, out, s, axes, norm)

    return planned(name)(name_op(plan, short, "mechestim.fft", _DOCS_ND[short]))


for _kind in _ONE_D:
    _make_1d(_kind)
for _short in _N_D:
    _make_nd(_short)
del _kind, _short

# This module binds every ``fft.*`` name when the family is first used
# (``registry.LAZY_FAMILIES``): the frequency helpers too, generically.
bind_generic("fft")
