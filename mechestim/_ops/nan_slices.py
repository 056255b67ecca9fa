"""Which NaN results NumPy's nan-reductions warn about themselves.

``np.nanmean`` and its kin leave NaN for a slice with nothing to reduce and say so with
their own ``RuntimeWarning`` (``warnings.warn`` in numpy/lib/_nanfunctions_impl.py):

- ``nanmean``: "Mean of empty slice" when some slice has no non-NaN element (within
  ``where=``);
- ``nanvar``, ``nanstd``: "Degrees of freedom <= 0 for slice." when some slice has at most
  ``ddof`` (or ``correction``) non-NaN elements; NumPy sets those slices to NaN;
- ``nanmedian``, ``nanpercentile``, ``nanquantile``: "All-NaN slice encountered" for each
  all-NaN slice (an empty input goes through ``nanmean``: "Mean of empty slice");
- ``nanmin``, ``nanmax``: "All-NaN slice encountered" whenever the result holds a NaN.

For each, a function of the call's plain arguments gives the result elements NumPy
warned about, and ``pipeline.NUMPY_WARNED`` holds it: when every NaN of a result lies
there, mechestim adds no warning of its own (one warning per event). It is asked only
for a result holding NaN, so a finite call costs nothing more.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .._core.compat import reporting_at_user_line
from .._core.pipeline import NUMPY_WARNED

_NO_VALUE = np._NoValue


def _bound(name: str, args: tuple, kwargs: dict) -> dict:
    """NumPy's ``name`` arguments by parameter name, defaults filled in."""
    bound = inspect.signature(getattr(np, name)).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


def _given(value: Any, default: Any) -> Any:
    return default if value is _NO_VALUE else value


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


def _counts(arguments: dict) -> Any:
    """The non-NaN elements of each slice NumPy reduces (within ``where=``), shaped as the
    result (``keepdims`` honoured)."""
    present = ~np.isnan(np.asarray(arguments["a"]))
    where = _given(arguments.get("where", _NO_VALUE), True)
    if where is not True:
        present = present & where
    keepdims = bool(_given(arguments.get("keepdims", _NO_VALUE), False))
    return np.sum(present, axis=_axis(arguments["axis"]), dtype=np.intp, keepdims=keepdims)


def _empty_slices(name: str) -> Any:
    def warned(args: tuple, kwargs: dict) -> Any:
        return _counts(_bound(name, args, kwargs)) == 0

    return warned


def _few_degrees_of_freedom(name: str) -> Any:
    def warned(args: tuple, kwargs: dict) -> Any:
        arguments = _bound(name, args, kwargs)
        ddof = _given(arguments["correction"], arguments["ddof"])
        return _counts(arguments) - ddof <= 0

    return warned


def _any_nan(args: tuple, kwargs: dict) -> Any:
    # NumPy checks its result, not its input: every NaN in it was warned about.
    return True


for _name in ("nanmean", "nanmedian", "nanpercentile", "nanquantile"):
    # (nanpercentile's result is q's shape + the reduced shape: the mask broadcasts)
    NUMPY_WARNED[_name] = _empty_slices(_name)
for _name in ("nanvar", "nanstd"):
    NUMPY_WARNED[_name] = _few_degrees_of_freedom(_name)
NUMPY_WARNED["nanmin"] = NUMPY_WARNED["nanmax"] = _any_nan

_nanvar_at_user_line = reporting_at_user_line(np.nanvar)


def nanstd(a: Any, *args: Any, **kwargs: Any) -> Any:
    """``np.nanstd`` step by step as NumPy takes it (``nanvar``, then its square root),
    with ``nanvar`` called from the user's line: NumPy's "Degrees of freedom <= 0"
    warning names ``nanstd``'s caller, not a line inside NumPy."""
    var = _nanvar_at_user_line(a, *args, **kwargs)
    if isinstance(var, np.ndarray):
        return np.sqrt(var, out=var)
    if hasattr(var, "dtype"):
        return var.dtype.type(np.sqrt(var))
    return np.sqrt(var)
