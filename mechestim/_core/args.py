"""Argument checks shared by the op families (run in cost rules, before any charge).

Integer and count checks live in :mod:`mechestim._costs.core` (``as_int``,
``as_count``), since the pure formulas need them too; the helpers here are about
the caller's arrays and options and raise errors that name the op.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.exceptions import AxisError


def axis_index(op: str, axis: Any, ndim: int, what: str = "axis") -> int:
    """``axis`` normalised to ``0..ndim-1``: a bool or non-integer is a TypeError, an
    out-of-range value NumPy's AxisError ("<op>: <what>: axis 3 is out of bounds for
    array of dimension 2")."""
    if isinstance(axis, bool) or not hasattr(axis, "__index__"):
        raise TypeError(f"{op}: {what} must be an integer, got {axis!r}")
    index = operator.index(axis)
    if not -ndim <= index < ndim:
        raise AxisError(index, ndim, f"{op}: {what}")
    return index % ndim


def flat_axis_index(op: str, axis: Any, ndim: int, name: str = "axis") -> int:
    """``axis`` normalised to ``0..ndim-1``, for ops where ``axis=None`` means the
    flattened array (the caller handles None). Integers as ``operator.index`` reads
    them (a bool counts as 0/1, as in NumPy); otherwise a TypeError, or an AxisError
    that names ``name`` (a 0-d input suggests passing None)."""
    if ndim == 0:
        raise AxisError(
            f"{op}: {name}={axis!r} is out of bounds for a 0-d array (pass {name}=None "
            "to work on the flattened array)"
        )
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an integer or None, got {axis!r}") from None
    if not -ndim <= ax < ndim:
        raise AxisError(f"{op}: {name}={ax} is out of bounds for an array of {ndim} dimension(s)")
    return ax % ndim


def broadcast_named(op: str, shapes: dict[str, tuple[int, ...]], what: str = "shapes") -> tuple:
    """The broadcast of named shapes; a ValueError listing every one ("<op>: <what> a (2,),
    b (3,) do not broadcast together") when they do not broadcast."""
    try:
        return tuple(np.broadcast_shapes(*shapes.values()))
    except ValueError:
        listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"{op}: {what} {listed} do not broadcast together") from None


def probe(op: str, call: Callable[[], Any]) -> None:
    """Run ``call`` (NumPy on a one-element array) to validate options such as ``kind``
    exactly as NumPy would, re-raising its complaint under ``op``'s name."""
    try:
        call()
    except TypeError as exc:
        raise TypeError(f"{op}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{op}: {exc}") from None
