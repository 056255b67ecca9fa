"""Where mechestim arrays meet NumPy: ``me.ndarray``'s protocol hooks.

NumPy hands a call involving a ``me.ndarray`` to ``__array_ufunc__`` /
``__array_function__``; :func:`dispatch_ufunc` and :func:`dispatch_function` route it to
the counted op of the same name, so a charge happens exactly once whichever way an op is
spelled (``me.sum(x)``, ``x.sum()``, ``np.sum(x)``). Every route hands NumPy plain arrays
(:func:`mechestim._core.arrays.plain`), so no call loops back into the library.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from .._ops.callbacks import call_pyfunc_ufunc, is_pyfunc_ufunc
from .._symmetry.tensor import SymmetricTensor, release
from . import ndarray as _ndarray
from . import registry as _registry
from . import surface as _surface
from .arrays import NON_NUMERIC_KINDS, asarray, plain_args, plain_kwargs, reject_dtype
from .ndarray import ndarray
from .pipeline import execute
from .registry import BLOCKED, REGISTRY

__all__ = ["call_inplace_method", "call_public", "dispatch_function", "dispatch_ufunc"]


_REDUCE_NAMES = {
    "add": "sum",
    "multiply": "prod",
    "maximum": "max",
    "minimum": "min",
    "logical_and": "all",
    "logical_or": "any",
}
_ACCUMULATE_NAMES = {"add": "cumsum", "multiply": "cumprod"}


def _ufunc_method_cost(method: str, inputs: tuple, kwargs: dict) -> tuple[int, tuple]:
    arrays = [asarray(x) for x in inputs if not isinstance(x, (slice, type(None)))]
    shapes = tuple(a.shape for a in arrays)
    if method == "outer":
        return max(math.prod(a.size for a in arrays[:2]), 1), shapes
    if method == "at":
        indices = inputs[1]
        count = (
            asarray(indices).size
            if not isinstance(indices, tuple)
            else (math.prod(np.broadcast_shapes(*(np.shape(i) for i in indices))) if indices else 1)
        )
        return max(count, 1), shapes
    if method in ("reduce", "accumulate") and isinstance(inputs[0], SymmetricTensor):
        # Charged as me.sum / me.cumsum / ... are: a symmetric input's unique elements.
        return max(inputs[0]._symmetry.unique_elements, 1), shapes
    return max(arrays[0].size, 1), shapes  # reduce, accumulate, reduceat: read everything


def _gufunc_cost(name: str, signature: str, arrays: list[np.ndarray]) -> int:
    """A generalized ufunc's einsum-equivalent cost: batch * prod(core dims), doubled
    (FMA = 2) when a core dimension is summed away (as in ``(m,n),(n)->(m)``)."""
    inputs_part, _, output_part = signature.replace(" ", "").partition("->")

    def groups(part: str) -> list[list[str]]:
        return [
            [d.rstrip("?") for d in group.split(",") if d]
            for group in part.strip("()").split("),(")
        ]

    core_inputs = groups(inputs_part)
    sizes: dict[str, int] = {}
    batch_shapes = []
    for index, (core, array) in enumerate(zip(core_inputs, arrays)):
        if array.ndim < len(core):
            raise ValueError(
                f"{name}: operand {index} has {array.ndim} dimensions, its core signature "
                f"({','.join(core)}) needs {len(core)}"
            )
        split = array.ndim - len(core)
        batch_shapes.append(array.shape[:split])
        for label, size in zip(core, array.shape[split:]):
            if sizes.setdefault(label, size) != size:
                raise ValueError(
                    f"{name}: core dimension {label!r} is {sizes[label]} in one operand and "
                    f"{size} in operand {index}"
                )
    batch = math.prod(np.broadcast_shapes(*batch_shapes))
    kept = {d for group in groups(output_part) for d in group}
    factor = 2 if any(label not in kept for label in sizes) else 1
    return max(batch * math.prod(sizes.values()) * factor, 1)


def dispatch_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    name = ufunc.__name__
    if name.endswith("(vectorized)") and is_pyfunc_ufunc(ufunc):
        # np.frompyfunc / np.vectorize: the user's function runs on mechestim elements.
        return call_pyfunc_ufunc(ufunc, method, inputs, kwargs)
    if method == "__call__":
        spec = REGISTRY.get(name)
        if spec is not None and spec.impl is not None:
            return spec.impl(*inputs, **kwargs)
        # A ufunc mechestim does not list: element-wise work, or a generalized ufunc
        # (np.matvec, np.vecmat, ...) charged like its equivalent einsum.
        arrays = [asarray(x) for x in inputs]
        for array in arrays:
            if array.dtype.kind in NON_NUMERIC_KINDS:
                reject_dtype(name, array)
        if ufunc.signature:
            cost = _gufunc_cost(name, ufunc.signature, arrays)
        else:
            cost = max(math.prod(np.broadcast_shapes(*(p.shape for p in arrays))), 1)
        # Python scalars reach NumPy as given (NEP 50 weak typing), arrays as plain arrays.
        operands = tuple(
            a if isinstance(x, (np.ndarray, list, tuple)) else x for x, a in zip(inputs, arrays)
        )
        return execute(
            name,
            cost,
            tuple(p.shape for p in arrays),
            ufunc,
            operands,
            plain_kwargs(kwargs),
            kwargs.get("out"),
        )
    if method == "reduce":
        op_name = _REDUCE_NAMES.get(name, f"{name}.reduce")
    elif method == "accumulate":
        op_name = _ACCUMULATE_NAMES.get(name, f"{name}.accumulate")
    elif method == "outer" and name == "multiply":
        op_name = "outer"
    else:
        op_name = f"{name}.{method}"
    cost, shapes = _ufunc_method_cost(method, inputs, kwargs)
    for x in inputs:
        if isinstance(x, np.ndarray) and x.dtype.kind in NON_NUMERIC_KINDS:
            reject_dtype(op_name, x)
    if method == "at":
        execute(op_name, cost, shapes, ufunc.at, plain_args(inputs), plain_kwargs(kwargs))
        release(inputs[0], op_name)  # written in place at some indices only
        return None
    return execute(
        op_name,
        cost,
        shapes,
        getattr(ufunc, method),
        plain_args(inputs),
        plain_kwargs(kwargs),
        kwargs.get("out"),
    )


# NumPy function object -> spec, for routing ``np.f(me_array)`` to ``me.f``. Filled on
# first use, family by family: ``None`` for every name outside the lazily bound families,
# then ``"fft"`` when a ``numpy.fft`` function first arrives. Building it imports no NumPy
# submodule (``numpy.fft``, ``numpy.random``, ``numpy.ma``, ...): a function can only
# arrive here from a module already imported.
_function_table: dict[Any, _registry.OpSpec] = {}
_tabled: set[str | None] = set()


def _loaded_numpy_object(name: str) -> Any:
    """What ``naming.numpy_object`` answers, read from the modules' dicts: None for a name
    whose module NumPy has not imported yet (or that is itself such a module)."""
    prefix, dot, short = name.rpartition(".")
    module = vars(np).get(prefix) if dot else np
    return vars(module).get(short) if isinstance(module, ModuleType) else None


def _add_functions(family: str | None) -> None:
    for spec in REGISTRY.values():
        if _registry.family_of(spec.name) != family or spec.name.startswith("random."):
            continue  # (numpy.random has no __array_function__ routes)
        obj = _loaded_numpy_object(spec.name)
        if callable(obj) and not isinstance(obj, (np.ufunc, type)):
            _function_table.setdefault(obj, spec)
    _tabled.add(family)


def _spec_of(func: Any) -> _registry.OpSpec | None:
    spec = _function_table.get(func)
    if spec is None and None not in _tabled:
        _add_functions(None)
        spec = _function_table.get(func)
    if spec is None and "fft" not in _tabled and getattr(func, "__module__", None) == "numpy.fft":
        _add_functions("fft")
        spec = _function_table.get(func)
    return spec


def dispatch_function(func: Any, types: tuple, args: tuple, kwargs: dict) -> Any:
    spec = _spec_of(func)
    if spec is not None and spec.name in _surface.NUMPY_RESULT_FORMAT:
        # np.einsum_path returns NumPy's own format (me.einsum_path: path, PathInfo); free.
        return func(*plain_args(args), **plain_kwargs(kwargs))
    if spec is not None and spec.impl is not None and spec.status != BLOCKED:
        if spec.name == "linalg.svd":
            # np.linalg.svd's own signature and defaults (full matrices), not me's k-first one.
            options = dict(zip(("full_matrices", "compute_uv", "hermitian"), args[1:]))
            kwargs = {"full_matrices": True, **options, **kwargs}
            args = args[:1]
        return spec.impl(*args, **kwargs)
    if spec is not None and spec.status == BLOCKED:
        # Outside the FLOP model (I/O, printing): plain NumPy, uncharged.
        return func(*plain_args(args), **plain_kwargs(kwargs))
    return func._implementation(*args, **kwargs)


def public_function(name: str) -> Callable:
    impl = REGISTRY[name].impl
    if impl is None:
        raise NotImplementedError(f"me.{name} is not implemented yet")
    return impl


def call_public(name: str, *args: Any, **kwargs: Any) -> Any:
    return public_function(name)(*args, **kwargs)


def call_inplace_method(name: str, array: ndarray, args: tuple, kwargs: dict) -> None:
    spec = REGISTRY[name]
    if spec.cost is None:
        raise NotImplementedError(f"ndarray.{name} needs me.{name}, which is not implemented yet")
    cost = int(spec.cost(array, *args, **kwargs))
    run = getattr(np.ndarray, name)
    execute(
        name,
        cost,
        (array.shape,),
        run,
        (array.view(np.ndarray), *plain_args(args)),
        plain_kwargs(kwargs),
    )
    release(array)  # reordered in place: the symmetry no longer holds


def conj_method(name: str, array: ndarray, cost: int) -> ndarray:
    """``x.conj()`` on real data: NumPy returns the array itself; charged like ``me.conj``."""
    return execute(name, cost, (array.shape,), _itself, (array,))


def _itself(array: ndarray) -> ndarray:
    return array


# The hooks of me.ndarray call this module (it needs their class, so _ndarray cannot
# import it at module level).
_ndarray._protocol = __import__(__name__, fromlist=["_"])
