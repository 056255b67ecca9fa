"""Conversions between mechestim arrays and the plain NumPy values NumPy is handed.

``plain`` is the one place mechestim arrays are unwrapped before NumPy sees them, wherever
they sit in a call (positional, keyword, nested lists/tuples at any depth): a
``me.ndarray`` that reached NumPy would re-enter the protocol hooks and loop back into
the library. ``wrap`` turns NumPy's results into ``me.ndarray``; ``numeric`` refuses
non-numeric data with an error naming the op.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from .._ops.callbacks import ELEMENTS as _ELEMENTS
from .ndarray import ndarray

__all__ = ["numeric", "plain", "plain_args", "plain_kwargs", "reject_dtype", "wrap"]

asarray = np.asarray
NON_NUMERIC_NAMES = {
    "O": "object",
    "S": "bytes",
    "U": "str",
    "V": "void (structured)",
    "M": "datetime64",
    "m": "timedelta64",
}
NON_NUMERIC_KINDS = frozenset(NON_NUMERIC_NAMES)
_SCALARS = (int, float, complex, bool, str, type(None))


def reject_dtype(op_name: str, array: np.ndarray) -> None:
    kind = array.dtype.kind
    raise TypeError(
        f"{op_name} does not accept {NON_NUMERIC_NAMES.get(kind, kind)} data "
        f"(dtype {array.dtype}); mechestim counts FLOPs of numeric arrays only"
    )


def refuse_masked(op_name: str, x: Any) -> None:
    """A ``numpy.ma`` masked array is refused: NumPy's functions honour its mask (they
    dispatch to ``numpy.ma``), mechestim's compute on every element, so ``me.sum`` of a
    masked array would silently include the masked values."""
    masked = sys.modules.get("numpy.ma")  # not imported: no masked array can exist
    if masked is not None and isinstance(x, masked.MaskedArray):
        raise TypeError(
            f"{op_name} does not accept numpy.ma masked arrays (their mask would be "
            "ignored); pass a.filled(value) or a.compressed(), or call numpy.ma itself"
        )


def numeric(op_name: str, x: Any) -> np.ndarray:
    """``x`` as a plain ndarray, refusing non-numeric dtypes and masked arrays with a
    TypeError naming op."""
    if type(x) is not np.ndarray and not isinstance(x, ndarray):
        refuse_masked(op_name, x)
    array = asarray(x)
    if array.dtype.kind in NON_NUMERIC_KINDS:
        reject_dtype(op_name, array)
    return array


def _plain_sequence(seq: list | tuple) -> list | tuple:
    copied = None
    for index, item in enumerate(seq):
        kind = type(item)
        if kind in _SCALARS:
            continue
        if kind is list or kind is tuple:
            converted = _plain_sequence(item)
        elif isinstance(item, ndarray):
            converted = item.view(np.ndarray)
        else:
            continue
        if converted is not item:
            if copied is None:
                copied = list(seq)
            copied[index] = converted
    if copied is None:
        return seq
    return copied if type(seq) is list else tuple(copied)


def plain(value: Any) -> Any:
    """``value`` with every mechestim array in it (at any depth of lists and tuples) as
    a plain ``numpy.ndarray`` view; anything else unchanged (no copy when nothing is)."""
    kind = type(value)
    if kind is list or kind is tuple:
        return _plain_sequence(value)
    if isinstance(value, ndarray):
        return value.view(np.ndarray)
    return value


def plain_args(args: tuple) -> tuple:
    """Positional arguments for NumPy: :func:`plain` applied to each."""
    return _plain_sequence(args)


def plain_kwargs(kwargs: dict) -> dict:
    """Keyword arguments for NumPy (``where=``, ``weights=``, ``out=``, ...): :func:`plain`
    applied to each value."""
    if not kwargs:
        return kwargs
    return {key: plain(value) for key, value in kwargs.items()}


def wrap(value: Any) -> Any:
    """Make NumPy results mechestim arrays (tuples/lists element-wise); scalars unchanged
    (except inside an element-wise callback: 0-d me.ndarray, see ``_ops.callbacks``)."""
    if isinstance(value, np.ndarray):
        return value if isinstance(value, ndarray) else value.view(ndarray)
    if type(value) in (tuple, list):
        return type(value)(wrap(v) for v in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # NumPy's named results
        return type(value)(*(wrap(v) for v in value))
    if isinstance(value, np.generic) and _ELEMENTS.get():
        return np.asarray(value).view(ndarray)
    return value


def plain_out(out: Any) -> Any:
    """An ``out=`` value (array or tuple of arrays) as NumPy must receive it."""
    if isinstance(out, tuple):
        return tuple(asarray(o) if isinstance(o, np.ndarray) else o for o in out)
    return asarray(out) if isinstance(out, np.ndarray) else out
