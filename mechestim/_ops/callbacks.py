"""Functions that call back into user code: the loop is free, the user's ops are charged.

``apply_along_axis``, ``apply_over_axes``, ``piecewise``, ``vectorize`` and
``frompyfunc`` (as ``me.X``, and as ``np.X`` on mechestim arrays through NumPy's
protocols) run the user's function on mechestim arrays, so every op inside it is
charged exactly as if the loop had been written by hand; the looping, slicing and
assembling of results charge nothing.

Element-wise callbacks (``vectorize``, ``frompyfunc``) hand the function each element
as a 0-d ``me.ndarray``. While such a function runs, counted ops keep 0-d results as
0-d ``me.ndarray`` (instead of NumPy scalars), so ``lambda v: v * 2 + 1`` is charged
2 per element, as ``x * 2 + 1`` on the whole array is. What the function returns is
stored as a plain scalar again.

What NumPy offers no hook for (documented in the README): ``np.vectorize(f,
cache=True)`` evaluates the first element outside mechestim before the loop, and
``np.vectorize(f, signature=...)`` on mechestim arrays hands ``f`` NumPy scalars for
scalar core dimensions; ``me.vectorize`` has neither gap.
"""

from __future__ import annotations

import contextvars
import functools
from typing import Any

import numpy as np

from .._core.ndarray import ndarray

__all__ = [
    "ELEMENTS",
    "apply_along_axis",
    "apply_over_axes",
    "call_pyfunc_ufunc",
    "frompyfunc",
    "is_pyfunc_ufunc",
    "piecewise",
    "vectorize",
]

# True while a user's element-wise function runs: counted ops then return 0-d results
# as me.ndarray (read by ``_core.arrays.wrap``), so chained ops on an element stay charged.
ELEMENTS: contextvars.ContextVar[bool] = contextvars.ContextVar("mechestim_elements", default=False)


def _as_me(value: Any) -> Any:
    """A mechestim view of an array-like (lists and NumPy arrays); me arrays unchanged."""
    if isinstance(value, ndarray):
        return value
    return np.asanyarray(value).view(ndarray)


def _element(value: Any) -> Any:
    """One element handed to a user's function: numbers as 0-d me.ndarray."""
    if isinstance(value, np.ndarray):
        return value if isinstance(value, ndarray) else value.view(ndarray)
    if isinstance(value, (bool, int, float, complex, np.number, np.bool_)):
        array = np.asarray(value)
        if array.dtype.kind in "biufc":
            return array.view(ndarray)
    return value


def _unbox(value: Any) -> Any:
    """A 0-d array returned by the user's function, back to the scalar NumPy stores."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.view(np.ndarray)[()]
    return value


_box_all = np.frompyfunc(_element, 1, 1)
_unbox_all = np.frompyfunc(_unbox, 1, 1)


def _run_elements(func: Any, *args: Any, **kwargs: Any) -> Any:
    token = ELEMENTS.set(True)
    try:
        return func(*args, **kwargs)
    finally:
        ELEMENTS.reset(token)


def _unbox_result(result: Any) -> Any:
    if isinstance(result, tuple):
        return tuple(_unbox_result(r) for r in result)
    if isinstance(result, np.ndarray) and result.dtype == object:
        return _unbox_all(result.view(np.ndarray)) if result.ndim else _unbox(result[()])
    return _unbox(result)


def _element_wise(func: Any) -> Any:
    """``func`` taking and returning elements: numbers in as 0-d me arrays, scalars out."""

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        args = tuple(_element(a) for a in args)
        kwargs = {k: _element(v) for k, v in kwargs.items()}
        result = _run_elements(func, *args, **kwargs)
        if isinstance(result, tuple):
            return tuple(_unbox(r) for r in result)
        return _unbox(result)

    return call


# -- np.frompyfunc / np.vectorize on mechestim arrays: the ufunc protocol ----------------------
def is_pyfunc_ufunc(ufunc: np.ufunc) -> bool:
    """True for a ufunc made by ``frompyfunc`` (object loops only, "(vectorized)" name)."""
    return ufunc.__name__.endswith("(vectorized)") and all(
        set(t.replace("->", "")) == {"O"} for t in ufunc.types
    )


def _boxed(value: Any) -> Any:
    if value is None or isinstance(value, (slice, type(Ellipsis))):
        return value
    plain = np.asarray(value.view(np.ndarray) if isinstance(value, ndarray) else value)
    return _box_all(plain) if plain.ndim else np.asarray(_element(plain[()]), dtype=object)


def call_pyfunc_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """A ``frompyfunc`` ufunc called on mechestim arrays: the Python function receives
    each element as a 0-d me.ndarray (its ops charged); the looping is free."""
    if method == "at":  # in place on the caller's array: elements cannot be boxed
        plain = tuple(x.view(np.ndarray) if isinstance(x, ndarray) else x for x in inputs)
        return ufunc.at(*plain, **kwargs)
    boxed = tuple(_boxed(x) if i == 0 or method != "reduceat" else x for i, x in enumerate(inputs))
    if method in ("reduce", "accumulate", "reduceat") and kwargs.get("initial") is not None:
        kwargs = {**kwargs, "initial": _element(kwargs["initial"])}
    out = kwargs.pop("out", None)
    result = _run_elements(getattr(ufunc, method), *boxed, **kwargs)
    result = _unbox_result(result)
    if out is not None:
        targets = out if isinstance(out, tuple) else (out,)
        values = result if isinstance(result, tuple) else (result,)
        for target, value in zip(targets, values):
            np.copyto(target.view(np.ndarray) if isinstance(target, ndarray) else target, value)
        return out[0] if isinstance(out, tuple) and len(out) == 1 else out
    if isinstance(result, tuple):
        return tuple(r.view(ndarray) if isinstance(r, np.ndarray) else r for r in result)
    return result.view(ndarray) if isinstance(result, np.ndarray) else result


# -- the public callbacks ------------------------------------------------------------------
def apply_along_axis(func1d: Any, axis: int, arr: Any, *args: Any, **kwargs: Any) -> Any:
    """Apply ``func1d`` to 1-D slices along ``axis``, as ``numpy.apply_along_axis``.

    Free loop: ``func1d`` receives each slice as a ``me.ndarray``, so the ops inside it
    are charged as in a hand-written loop over the slices; the loop charges nothing.
    """
    result = np.apply_along_axis._implementation(func1d, axis, _as_me(arr), *args, **kwargs)
    return _as_me(result)


def apply_over_axes(func: Any, a: Any, axes: Any) -> Any:
    """Apply ``func(a, axis)`` repeatedly over ``axes``, as ``numpy.apply_over_axes``.

    Free loop: ``func`` receives ``me.ndarray`` values, so each call is charged as if
    written by hand.
    """
    value = _as_me(a)
    ndim = value.ndim
    axes = np.asarray(axes)
    for axis in axes.reshape(-1) if axes.ndim else (axes[()],):
        axis = int(axis)
        if axis < 0:
            axis += ndim
        result = _as_me(func(value, axis))
        if result.ndim != value.ndim:
            result = np.expand_dims(result, axis)
            if result.ndim != value.ndim:
                raise ValueError(
                    "apply_over_axes: the function must return an array with the input's "
                    f"number of dimensions ({value.ndim}) or one fewer"
                )
        value = result
    return value


def piecewise(x: Any, condlist: Any, funclist: Any, *args: Any, **kw: Any) -> Any:
    """Evaluate a piecewise-defined function, as ``numpy.piecewise``.

    Free loop: each function of ``funclist`` receives the selected elements as a
    ``me.ndarray`` and its ops are charged; selecting and assembling charge nothing.
    """
    plain_conditions = _plain_nested(condlist)
    return _as_me(np.piecewise._implementation(_as_me(x), plain_conditions, funclist, *args, **kw))


def _plain_nested(value: Any) -> Any:
    if isinstance(value, ndarray):
        return value.view(np.ndarray)
    if type(value) in (list, tuple):
        return type(value)(_plain_nested(v) for v in value)
    return value


def frompyfunc(func: Any, nin: int, nout: int, **kwargs: Any) -> np.ufunc:
    """A NumPy ufunc calling ``func`` per element, as ``numpy.frompyfunc``.

    Free loop: ``func`` receives each element as a 0-d ``me.ndarray`` (whatever the
    input), so its ops are charged once per element; results are object arrays.
    """
    return np.frompyfunc(_element_wise(func), nin, nout, **kwargs)


class vectorize(np.vectorize):  # noqa: N801 - mirrors numpy.vectorize
    """``numpy.vectorize`` whose calls are charged for what ``pyfunc`` does.

    Free loop: ``pyfunc`` receives each element as a 0-d ``me.ndarray`` (each core
    slice as a ``me.ndarray`` with ``signature=``), so its ops are charged once per
    element, as the same code on the whole array would be; results are ``me.ndarray``.
    """

    def __init__(
        self,
        pyfunc: Any = np._NoValue,
        otypes: Any = None,
        doc: str | None = None,
        excluded: Any = None,
        cache: bool = False,
        signature: str | None = None,
    ) -> None:  # numpy.vectorize's parameters, spelled out for editors and help()
        super().__init__(pyfunc, otypes, doc, excluded, cache, signature)
        if pyfunc is np._NoValue:  # used as a decorator factory: @me.vectorize(otypes=...)
            return
        if self.signature is not None:
            self.pyfunc = _element_wise(pyfunc)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.pyfunc is np._NoValue:
            return super().__call__(*args, **kwargs)
        excluded = self.excluded
        args = tuple(a if i in excluded else _as_me(a) for i, a in enumerate(args))
        kwargs = {k: v if k in excluded else _as_me(v) for k, v in kwargs.items()}
        result = super().__call__(*args, **kwargs)
        if isinstance(result, tuple):
            return tuple(_as_me(r) for r in result)
        return _as_me(result)
