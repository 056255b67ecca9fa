"""Building wrappers: coerce -> cost -> charge -> NumPy -> wrap, in one place.

The generic families (unary, binary, reduction, free) are generated here from the
registry. Custom operations use :func:`counted` to get the same pipeline around
their own cost rule. ``me.ndarray``'s protocol hooks (``dispatch_ufunc`` and
``dispatch_function``) route NumPy calls on mechestim arrays back into these
wrappers, so a charge happens exactly once whichever way an op is spelled.
"""

from __future__ import annotations

import functools
import inspect
import math
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _registry, _surface
from ._budget import charge, refund
from ._callbacks import ELEMENTS as _ELEMENTS
from ._callbacks import call_pyfunc_ufunc, is_pyfunc_ufunc
from ._compat import REPLACEMENTS, needs_numpy_message
from ._costs.core import MEAN_LIKE, VARIANCE_LIKE, pointwise_cost, reduction_cost
from ._ndarray import ndarray
from ._registry import BLOCKED, REGISTRY
from ._symmetry import (
    AXIS_PERMUTERS,
    FREE_RESULT_HOOKS,
    SymmetricTensor,
    SymmetryInfo,
    binary_symmetry,
    follow_axes,
    normalize_groups,
    reduction_symmetry,
    release,
    release_aliases,
    tag,
    warn_loss,
)
from .errors import MechEstimWarning, _settings

_asarray = np.asarray
_NON_NUMERIC_NAMES = {
    "O": "object",
    "S": "bytes",
    "U": "str",
    "V": "void (structured)",
    "M": "datetime64",
    "m": "timedelta64",
}
_NON_NUMERIC_KINDS = frozenset(_NON_NUMERIC_NAMES)
# Ops that legitimately take non-numeric input.
_DATETIME_OK = frozenset({"isnat"})



# -- coercion and results ----------------------------------------------------------
def reject_dtype(op_name: str, array: np.ndarray) -> None:
    kind = array.dtype.kind
    raise TypeError(
        f"{op_name} does not accept {_NON_NUMERIC_NAMES.get(kind, kind)} data "
        f"(dtype {array.dtype}); mechestim counts FLOPs of numeric arrays only"
    )


def numeric(op_name: str, x: Any) -> np.ndarray:
    """``x`` as a plain ndarray, refusing non-numeric dtypes with a TypeError naming op."""
    array = _asarray(x)
    if array.dtype.kind in _NON_NUMERIC_KINDS:
        reject_dtype(op_name, array)
    return array


def unwrap(value: Any) -> Any:
    """Plain-NumPy view of a mechestim array; lists/tuples of arrays one level deep."""
    if isinstance(value, ndarray):
        return value.view(np.ndarray)
    if type(value) in (list, tuple) and any(isinstance(v, ndarray) for v in value):
        return type(value)(v.view(np.ndarray) if isinstance(v, ndarray) else v for v in value)
    return value


def wrap(value: Any) -> Any:
    """Make NumPy results mechestim arrays (tuples/lists element-wise); scalars unchanged
    (except inside an element-wise callback: 0-d me.ndarray, see ``_callbacks``)."""
    if isinstance(value, np.ndarray):
        return value if isinstance(value, ndarray) else value.view(ndarray)
    if type(value) in (tuple, list):
        return type(value)(wrap(v) for v in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # NumPy's named results
        return type(value)(*(wrap(v) for v in value))
    if isinstance(value, np.generic) and _ELEMENTS.get():
        return np.asarray(value).view(ndarray)
    return value


def _plain_out(out: Any) -> Any:
    if isinstance(out, tuple):
        return tuple(_asarray(o) if isinstance(o, np.ndarray) else o for o in out)
    return _asarray(out) if isinstance(out, np.ndarray) else out


def _warn_nonfinite(op_name: str, result: np.ndarray) -> None:
    bad = ~np.isfinite(result)
    count = int(np.count_nonzero(bad))
    if not count:
        return  # the squares overflowed; every element is finite
    nans = int(np.count_nonzero(np.isnan(result)))
    warnings.warn(
        f"{op_name} produced {nans} NaN and {count - nans} Inf values in a result of "
        f"shape {result.shape}",
        MechEstimWarning,
        stacklevel=4,
    )


def check_finite(op_name: str, result: Any) -> None:
    """Warn when a counted op produced NaN or Inf (inexact results only)."""
    if not _settings["nonfinite_warnings"]:
        return
    if isinstance(result, np.ndarray):
        kind = result.dtype.kind
        if kind == "f" and result.size:
            # One BLAS pass (sum of squares) is far cheaper than isfinite().all(); it is
            # non-finite iff some element is (or the squares overflow, settled below).
            flat = result.ravel(order="K")  # a view for any contiguous layout
            if not math.isfinite(flat.dot(flat)):
                _warn_nonfinite(op_name, result)
        elif kind == "c" and result.size and not np.isfinite(np.vdot(result, result)):
            _warn_nonfinite(op_name, result)
    elif isinstance(result, (np.floating, np.complexfloating, float, complex)):
        if not np.isfinite(result):
            kind = "NaN" if np.isnan(result) else "Inf"
            warnings.warn(
                f"{op_name} produced a {kind} scalar result", MechEstimWarning, stacklevel=3
            )
    elif isinstance(result, tuple):
        for item in result:
            check_finite(op_name, item)


def release_out(out: Any, groups: Any = None) -> None:
    """A SymmetricTensor given as ``out=`` (or in an ``out`` tuple) now holds a result of
    the op: it keeps its class only if the results have the same symmetry ``groups`` (a
    tuple or a SymmetryInfo)."""
    for target in out if isinstance(out, tuple) else (out,):
        if isinstance(target, SymmetricTensor):
            kept = groups.groups if isinstance(groups, SymmetryInfo) else normalize_groups(groups)
            if kept != target.symmetry:
                release(target)  # overwritten with data that may not be symmetric
                continue
        release_aliases(target, groups)  # other SymmetricTensors sharing its memory


def finish(op_name: str, result: Any, out: Any = None, groups=None) -> Any:
    """Common tail of every counted wrapper: NaN/Inf check, then wrap or return ``out``
    (``groups``: the symmetry of the result, which ``out`` keeps or loses accordingly)."""
    if out is not None:
        release_out(out, groups)
        check_finite(op_name, result)
        if isinstance(out, tuple):
            return out[0] if len(out) == 1 else out
        return out
    if type(result) is np.ndarray:
        if result.dtype.kind == "f" and _settings["nonfinite_warnings"] and result.size:
            flat = result.ravel(order="K")  # a view for any contiguous layout
            if not math.isfinite(flat.dot(flat)):  # see check_finite
                _warn_nonfinite(op_name, result)
        elif result.dtype.kind == "c":
            check_finite(op_name, result)
        if groups:
            return tag(result, groups)
        return result.view(ndarray)
    check_finite(op_name, result)
    return wrap(result)


def broadcast_shape(first: tuple, second: tuple) -> tuple:
    """The broadcast of two shapes; the common cases skip NumPy's general routine."""
    if first == second or not second:
        return first
    if not first:
        return second
    return np.broadcast_shapes(first, second)


def _array_shapes(args: tuple) -> tuple:
    return tuple(np.shape(a) for a in args if isinstance(a, (np.ndarray, list)))


def _numpy_object(name: str) -> Any:
    module: Any = np
    prefix, dot, short = name.partition(".")
    if dot:
        module = getattr(np, prefix)
        name = short
    return getattr(module, name, None)


def _missing(name: str) -> Callable:
    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(needs_numpy_message(name))

    return unavailable


# -- the generic families -------------------------------------------------------------
def _masked(kwargs: dict) -> bool:
    """An array ``where=``: elements are computed unevenly (and, without ``out=``, left
    uninitialised), so the result carries no symmetry."""
    return "where" in kwargs and bool(np.ndim(kwargs["where"]))


# Unary ops with tuple results: symmetry is not carried (and not credited in the cost).
_TUPLE_RESULTS = frozenset({"frexp", "modf"})
# Unary ops that are not element-wise: sort_complex sorts along the last axis, so its
# result is not symmetric even when its input is (the cost rule still credits the input).
_REORDERS = frozenset({"sort_complex"})


def _outputs_by_keyword(name: str, args: tuple, kwargs: dict) -> dict:
    """A ufunc's outputs given positionally (``np.negative(x, out)``) as ``out=``, the
    form every wrapper handles: a me.ndarray passed positionally would reach NumPy
    unconverted and re-enter the ufunc protocol (charged a second time)."""
    if "out" in kwargs:
        raise TypeError(f"{name}: cannot give 'out' both positionally and as a keyword")
    return {**kwargs, "out": args}


def _uneven(args: tuple, kwargs: dict) -> bool:
    """An array among a unary op's other arguments (``nan_to_num(x, nan=X)``) applies
    unevenly to the elements: the result need not keep the input's symmetry."""
    return any(np.ndim(v) for v in args) or any(
        np.ndim(v) for k, v in kwargs.items() if k not in ("out", "where")
    )


def _out_by_keyword(
    name: str, func: Callable, found: list, args: tuple, kwargs: dict
) -> tuple[tuple, dict]:
    """``func(x, *args, **kwargs)`` with an ``out`` given by position passed as ``out=``
    (and the arguments after it by their names), the form the wrappers handle: a
    mechestim array passed positionally would reach NumPy unconverted and loop back
    into the library. ``found`` caches out's position and the parameter names."""
    if not found:
        try:
            names = [p.name for p in inspect.signature(func).parameters.values()][1:]
        except (TypeError, ValueError):
            names = []
        found.append((_out_position(func) - 1, names))
    where, names = found[0]
    if not 0 <= where < len(args) or len(args) > len(names):
        return args, kwargs
    moved = dict(zip(names[where : len(args)], args[where:]))
    for key in moved:
        if key in kwargs:
            raise TypeError(f"{name}() got multiple values for argument {key!r}")
    return args[:where], {**kwargs, **moved}


def make_unary(name: str, func: Callable) -> Callable:
    dense = name in _TUPLE_RESULTS
    reorders = name in _REORDERS
    ufunc = isinstance(func, np.ufunc)
    out_position: list = []  # round(a, decimals, out), fix(x, out): found once

    def op(x, *args, **kwargs):
        if args and ufunc:
            kwargs = _outputs_by_keyword(name, args, kwargs)
            args = ()
        elif args:
            args, kwargs = _out_by_keyword(name, func, out_position, args, kwargs)
        array = _asarray(x)
        if array.dtype.kind in _NON_NUMERIC_KINDS and name not in _DATETIME_OK:
            reject_dtype(name, array)
        info = x._symmetry if isinstance(x, SymmetricTensor) and not dense else None
        cost = (info.unique_elements if info else array.size) or 1
        charge(name, cost, (array.shape,))
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = _plain_out(out)
        try:
            # A non-array operand reaches NumPy as given: np.real(1.5) is the float 1.5,
            # np.imag(np.float32(2)) a float32 scalar, a 0-d array would stay an array.
            result = func(_operand(x, array), *args, **kwargs)
        except Exception:
            refund(name, cost)
            raise
        if info is not None and (reorders or _masked(kwargs) or _uneven(args, kwargs)):
            warn_loss(name, info.groups)
            info = None
        return finish(name, result, out, info)

    return op


def _isclose_cost(a, b, *args, **kwargs) -> int:
    return max(math.prod(broadcast_shape(np.shape(a), np.shape(b))), 1)


def make_isclose(func: Callable) -> Callable:
    def isclose(a, b, *args, **kwargs):
        x, y = numeric("isclose", a), numeric("isclose", b)
        tolerances = dict(zip(("rtol", "atol"), args))
        tolerances.update((k, kwargs[k]) for k in ("rtol", "atol") if k in kwargs)
        for key, value in tolerances.items():
            if _asarray(value).dtype.kind not in "biufc":
                raise TypeError(f"isclose: {key} must be a number, got {value!r}")
        cost = _isclose_cost(x, y)
        charge("isclose", cost, (x.shape, y.shape))
        try:
            result = func(x, y, *args, **kwargs)
        except Exception:
            refund("isclose", cost)
            raise
        return finish("isclose", result)

    return isclose


def _operand(original: Any, array: np.ndarray) -> Any:
    """What to hand NumPy for an operand: the plain array, or a non-array as given.

    Python scalars must reach NumPy unconverted: NEP 50 treats them as weakly typed
    (``float32 + 1.5`` stays float32, ``int8 + 300`` overflows), a 0-d array would not.
    """
    return array if isinstance(original, np.ndarray) else original


def make_binary(name: str, func: Callable) -> Callable:
    vecdot = name == "vecdot"
    ufunc = isinstance(func, np.ufunc)

    def op(x1, x2, *args, **kwargs):
        a = _asarray(x1)
        b = _asarray(x2)
        if a.dtype.kind in _NON_NUMERIC_KINDS:
            reject_dtype(name, a)
        if b.dtype.kind in _NON_NUMERIC_KINDS:
            reject_dtype(name, b)
        shape = broadcast_shape(a.shape, b.shape)
        if (
            not args
            and not kwargs
            and not vecdot
            and type(x1) is not SymmetricTensor
            and type(x2) is not SymmetricTensor
        ):
            # Fast path for the common `me.add(x, y)` / `x + y`: same steps as below,
            # without the keyword and symmetry handling.
            cost = math.prod(shape) or 1
            charge(name, cost, (a.shape, b.shape))
            try:
                result = func(  # _operand(x1, a), _operand(x2, b), inlined
                    a if isinstance(x1, np.ndarray) else x1,
                    b if isinstance(x2, np.ndarray) else x2,
                )
            except Exception:
                refund(name, cost)
                raise
            if type(result) is np.ndarray:
                if result.dtype.kind == "f" and result.size and _settings["nonfinite_warnings"]:
                    flat = result if result.ndim == 1 else result.ravel(order="K")
                    if not math.isfinite(flat.dot(flat)):  # see check_finite
                        _warn_nonfinite(name, result)
                    return result.view(ndarray)
            return finish(name, result)
        if args and ufunc:
            kwargs = _outputs_by_keyword(name, args, kwargs)
            args = ()
        groups = None
        if vecdot:
            cost = 2 * math.prod(shape)
        elif isinstance(x1, SymmetricTensor) or isinstance(x2, SymmetricTensor):
            groups = binary_symmetry((x1, x2), shape)
            cost = math.prod(shape)
            if groups:
                cost = SymmetryInfo(groups, shape).unique_elements
            elif len(shape) >= 2:
                warn_loss(name, (x1 if isinstance(x1, SymmetricTensor) else x2).symmetric_axes)
        else:
            cost = math.prod(shape)
        cost = cost or 1
        charge(name, cost, (a.shape, b.shape))
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = _plain_out(out)
        try:
            result = func(_operand(x1, a), _operand(x2, b), *args, **kwargs)
        except Exception:
            refund(name, cost)
            raise
        if groups and _masked(kwargs):
            warn_loss(name, groups)
            groups = None
        return finish(name, result, out, groups)

    return op


# Reductions whose axis is the second positional argument and whose output is the
# input with ``axis`` removed: the ones that can carry symmetry through.
_AXIS_SECOND = frozenset(
    """all amax amin any argmax argmin average count_nonzero max mean median min nanargmax
    nanargmin nanmax nanmean nanmedian nanmin nanprod nanstd nansum nanvar prod ptp std sum
    var""".split()
)


def _axis_of(name: str, args: tuple, kwargs: dict):
    if "axis" in kwargs:
        return kwargs["axis"]
    if name in _AXIS_SECOND and args:
        return args[0]
    return None


def _weighs_elements(name: str, args: tuple, kwargs: dict) -> bool:
    """True when an array ``where=`` mask (or ``average``'s weights of more than one
    dimension) treats elements unevenly: the reduced result need not keep any symmetry."""
    if _masked(kwargs):
        return True
    if name == "average":
        weights = kwargs.get("weights", args[1] if len(args) > 1 else None)
        return np.ndim(weights) > 1
    return False


def make_reduction(name: str, func: Callable) -> Callable:
    needs_output = name in MEAN_LIKE or name in VARIANCE_LIKE
    propagates = name in _AXIS_SECOND
    out_position: list = []  # sum(a, axis, dtype, out, keepdims): found once

    def op(a, *args, **kwargs):
        if args:
            args, kwargs = _out_by_keyword(name, func, out_position, args, kwargs)
        array = _asarray(a)
        if array.dtype.kind in _NON_NUMERIC_KINDS:
            reject_dtype(name, array)
        info = a._symmetry if isinstance(a, SymmetricTensor) else None
        if needs_output:
            cost = reduction_cost(array.shape, _axis_of(name, args, kwargs), info, op=name)
        else:  # reduction_cost's rule without its argument checks (NumPy checks the axis)
            cost = (info.unique_elements if info else array.size) or 1
        charge(name, cost, (array.shape,))
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = _plain_out(out)
        try:
            result = func(array, *args, **kwargs)
        except Exception:
            refund(name, cost)
            raise
        groups = None
        if info is not None and isinstance(result, np.ndarray) and result.ndim >= 2:
            if propagates and not _weighs_elements(name, args, kwargs):
                axis = _axis_of(name, args, kwargs)
                # keepdims may come by keyword or by position (at a different place per
                # op): the result's rank says whether the reduced axes were kept.
                keepdims = result.ndim == array.ndim
                groups = reduction_symmetry(info, axis, keepdims)
            if not groups:
                warn_loss(name, info.groups)
        return finish(name, result, out, groups)

    return op


# Free ops that write into their first argument (NumPy's name for it): a SymmetricTensor
# written this way may no longer be symmetric. (fill_diagonal is not here: the diagonal
# a[i, i, ...] is unchanged by any permutation of axes; FREE_RESULT_HOOKS handles it.)
_WRITES_INTO = {"copyto": "dst", "put": "a", "place": "arr", "putmask": "a", "put_along_axis": "arr"}


_C_OUT_POSITIONS = {"concatenate": 2, "concat": 2}


def _out_position(func: Callable) -> int:
    """Where ``func`` takes ``out`` by position (``sys.maxsize`` when only by keyword);
    -1 when it takes no ``out``."""
    if isinstance(func, np.ufunc):
        return func.nin  # isnan(x, out): outputs follow the inputs
    try:
        parameters = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        # C functions without a signature on older NumPy (concatenate(arrays, axis, out))
        return _C_OUT_POSITIONS.get(getattr(func, "__name__", ""), sys.maxsize)
    for position, parameter in enumerate(parameters):
        if parameter.name == "out":
            positional = parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            return position if positional else sys.maxsize
    return -1


def make_free(name: str, func: Callable) -> Callable:
    written = _WRITES_INTO.get(name)
    permutes_axes = name in AXIS_PERMUTERS
    keeps_symmetry = FREE_RESULT_HOOKS.get(name)  # copy, astype, fill_diagonal
    out_position: list[int] = []  # take, choose, concatenate, ... write out= (found once)

    def op(*args, **kwargs):
        plain_args = tuple(unwrap(a) for a in args)
        plain_kwargs = {k: unwrap(v) for k, v in kwargs.items()} if kwargs else kwargs
        result = wrap(func(*plain_args, **plain_kwargs))
        if not out_position:
            out_position.append(_out_position(func))
        where = out_position[0]
        if where >= 0:
            out = args[where] if len(args) > where else kwargs.get("out")
            for target in out if isinstance(out, tuple) else (out,):
                if target is not None:
                    release(target, name)  # it holds the result now, of unknown symmetry
        if permutes_axes and args and isinstance(args[0], SymmetricTensor):
            result = follow_axes(func, args[0], plain_args, plain_kwargs, result)  # symmetry moves along
        if written is not None:
            release(args[0] if args else kwargs.get(written), name)
        if keeps_symmetry is not None:
            result = keeps_symmetry(args, kwargs, result)
        return result

    return op


# -- the decorator for custom ops -------------------------------------------------------
def counted(name: str, cost: Callable[..., int]) -> Callable[[Callable], Callable]:
    """Register a custom op: ``cost(*args, **kwargs)`` sees the caller's arguments
    (mechestim arrays keep their symmetry) and must validate what the formula needs;
    the implementation receives the same arguments with mechestim arrays unwrapped
    (top level and one level inside lists/tuples) and may return NumPy arrays.
    """

    def decorate(impl: Callable) -> Callable:
        @functools.wraps(impl)
        def op(*args: Any, **kwargs: Any) -> Any:
            flops = int(cost(*args, **kwargs))
            charge(name, flops, _array_shapes(args))
            plain_args = tuple(unwrap(a) for a in args)
            plain_kwargs = {k: unwrap(v) for k, v in kwargs.items()} if kwargs else kwargs
            try:
                result = impl(*plain_args, **plain_kwargs)
            except Exception:
                refund(name, flops)  # NumPy refused an argument the cost rule let through
                raise
            return finish(name, result)

        _registry.bind(name, cost=cost)(op)
        return op

    return decorate


# -- NumPy protocol routing for me.ndarray ----------------------------------------------
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
    arrays = [_asarray(x) for x in inputs if not isinstance(x, (slice, type(None)))]
    shapes = tuple(a.shape for a in arrays)
    if method == "outer":
        return max(math.prod(a.size for a in arrays[:2]), 1), shapes
    if method == "at":
        indices = inputs[1]
        count = _asarray(indices).size if not isinstance(indices, tuple) else (
            math.prod(np.broadcast_shapes(*(np.shape(i) for i in indices))) if indices else 1
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
        plain = [_asarray(x) for x in inputs]
        for array in plain:
            if array.dtype.kind in _NON_NUMERIC_KINDS:
                reject_dtype(name, array)
        if ufunc.signature:
            cost = _gufunc_cost(name, ufunc.signature, plain)
        else:
            cost = max(math.prod(np.broadcast_shapes(*(p.shape for p in plain))), 1)
        charge(name, cost, tuple(p.shape for p in plain))
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = _plain_out(out)
        try:
            result = ufunc(*map(_operand, inputs, plain), **kwargs)
        except Exception:
            refund(name, cost)
            raise
        return finish(name, result, out)
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
        if isinstance(x, np.ndarray) and x.dtype.kind in _NON_NUMERIC_KINDS:
            reject_dtype(op_name, x)
    charge(op_name, cost, shapes)
    out = kwargs.get("out")
    if out is not None:
        kwargs["out"] = _plain_out(out)
    try:
        result = getattr(ufunc, method)(*(unwrap(x) for x in inputs), **kwargs)
    except Exception:
        refund(op_name, cost)
        raise
    if method == "at":
        release(inputs[0], op_name)  # written in place at some indices only
        return None
    return finish(op_name, result, out)


_function_table: dict[Any, _registry.OpSpec] | None = None


def _functions() -> dict[Any, _registry.OpSpec]:
    """NumPy function object -> spec, for routing ``np.f(me_array)`` to ``me.f``."""
    global _function_table
    if _function_table is None:
        table = {}
        for spec in REGISTRY.values():
            if spec.name.startswith("random."):
                continue
            obj = _numpy_object(spec.name)
            if callable(obj) and not isinstance(obj, (np.ufunc, type)):
                table.setdefault(obj, spec)
        _function_table = table
    return _function_table


def dispatch_function(func: Any, types: tuple, args: tuple, kwargs: dict) -> Any:
    spec = _functions().get(func)
    if spec is not None and spec.name in _surface.NUMPY_RESULT_FORMAT:
        # np.einsum_path returns NumPy's own format (me.einsum_path: path, PathInfo); free.
        return func(*(unwrap(a) for a in args), **{k: unwrap(v) for k, v in kwargs.items()})
    if spec is not None and spec.impl is not None and spec.status != BLOCKED:
        if spec.name == "linalg.svd":
            # np.linalg.svd's own signature and defaults (full matrices), not me's k-first one.
            options = dict(zip(("full_matrices", "compute_uv", "hermitian"), args[1:]))
            kwargs = {"full_matrices": True, **options, **kwargs}
            args = args[:1]
        return spec.impl(*args, **kwargs)
    if spec is not None and spec.status == BLOCKED:
        # Outside the FLOP model (I/O, printing): plain NumPy, uncharged.
        return func(*(unwrap(a) for a in args), **{k: unwrap(v) for k, v in kwargs.items()})
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
    charge(name, cost, (array.shape,))
    try:
        getattr(np.ndarray, name)(array.view(np.ndarray), *args, **kwargs)
    except Exception:
        refund(name, cost)
        raise
    release(array)  # reordered in place: the symmetry no longer holds


# -- binding the generic families ---------------------------------------------------------
def _generic_cost(category: str, name: str) -> Callable[..., int]:
    """The args -> FLOPs rule of a generic op, for ``registry`` users (flops, tests)."""
    from ._symmetry import symmetry_of

    if category == "unary":
        if name == "isclose":
            return _isclose_cost

        def unary_cost(x, *args, **kwargs):
            info = None if name in _TUPLE_RESULTS else symmetry_of(x)
            return pointwise_cost(np.shape(x), info)

        return unary_cost
    if category == "binary":

        def binary_cost(x1, x2, *args, **kwargs):
            shape = np.broadcast_shapes(np.shape(x1), np.shape(x2))
            if name == "vecdot":
                return 2 * math.prod(shape)
            groups = binary_symmetry((x1, x2), shape)
            return pointwise_cost(shape, SymmetryInfo(groups, shape) if groups else None)

        return binary_cost

    def reduction(a, *args, **kwargs):
        return reduction_cost(
            np.shape(a), _axis_of(name, args, kwargs), symmetry_of(a), op=name
        )

    return reduction


_FREE_FALLBACKS: dict[str, Callable] = {}


def bind_generic() -> None:
    """Bind every unary, binary, reduction and free name of the registry to a wrapper."""
    makers = {"unary": make_unary, "binary": make_binary, "reduction": make_reduction}
    for spec in REGISTRY.values():
        if spec.impl is not None or spec.category not in ("unary", "binary", "reduction", "free"):
            continue  # (resolving a refused name would import NumPy modules such as f2py)
        # mechestim's own where NumPy's is deprecated on some supported NumPy (fix)
        func = REPLACEMENTS.get(spec.name) or _numpy_object(spec.name)
        if spec.category in makers:
            if func is None:
                spec.impl = _missing(spec.name)
            elif spec.name == "isclose":
                spec.impl = make_isclose(func)
            else:
                spec.impl = makers[spec.category](spec.name, func)
            spec.impl.__name__ = spec.short_name
            spec.impl.__qualname__ = spec.short_name
            spec.impl.__doc__ = _doc(spec, func)
            spec.cost = _generic_cost(spec.category, spec.name)
        elif spec.category == "free":
            func = _FREE_FALLBACKS.get(spec.name, func)
            spec.impl = make_free(spec.name, func) if func is not None else _missing(spec.name)
            spec.impl.__name__ = spec.short_name
            spec.impl.__qualname__ = spec.short_name
            spec.impl.__doc__ = _doc(spec, func)
            spec.cost = _zero_cost


def _zero_cost(*args: Any, **kwargs: Any) -> int:
    return 0


_CATEGORY_DOCS = {
    "unary": "Charged numel(x) FLOPs (unique elements of a SymmetricTensor, whose symmetry "
    "the result keeps).",
    "binary": "Charged numel of the broadcast output (its unique elements when the operands "
    "share symmetry).",
    "reduction": "Charged numel(input) whatever the axis (mean-like add numel(output); "
    "std/var cost 2*numel(input) + numel(output)).",
    "free": "Free: charges nothing and needs no budget.",
}


def _doc(spec: _registry.OpSpec, func: Any) -> str:
    first = ""
    if func is not None and func.__doc__:
        # Skip a leading signature line (ufunc docstrings start with one).
        head = func.__doc__.lstrip().split("\n", 6)[:6]  # only the summary is needed
        lines = [line.strip() for line in head if line.strip()]
        first = next((line for line in lines if "(" not in line.split(" ")[0]), "")
    return (
        f"mechestim's {spec.name}: computes what numpy's does"
        + (f" ({first.rstrip('.')})" if first else "")
        + f".\n\n{_CATEGORY_DOCS[spec.category]}\n"
    )


# row_stack is vstack under a deprecated name; calling vstack avoids NumPy's warning.
_FREE_FALLBACKS["row_stack"] = np.vstack


def _install_routing() -> None:
    import sys

    from . import _ndarray

    _ndarray._wrap = sys.modules[__name__]


_install_routing()
