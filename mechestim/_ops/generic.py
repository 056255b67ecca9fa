"""The generic op families bound from the registry: unary, binary, reduction and free.

Each family wrapper validates its operands, computes the cost with the pointwise or
reduction formula of :mod:`mechestim._costs.core` (the one ``me.flops`` exposes) and hands
cost and NumPy call to :func:`mechestim._core.pipeline.execute`. :func:`bind_generic`
binds every generic name of the registry to such a wrapper, with NumPy's signature.
"""

from __future__ import annotations

import inspect
import math
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from .._core.arrays import (
    NON_NUMERIC_KINDS,
    asarray,
    numeric,
    plain_args,
    plain_kwargs,
    refuse_masked,
    reject_dtype,
    wrap,
)
from .._core.compat import (
    REPLACEMENTS,
    WARN_AT_CALLER,
    needs_numpy_message,
    reporting_at_user_line,
)
from .._core.naming import numpy_object as _numpy_object
from .._core.ndarray import ndarray
from .._core.pipeline import FUSE_MIN, NO_KWARGS, execute, fused_code
from .._core.registry import REGISTRY, OpSpec, family_of
from .._costs.contractions import vecdot_cost
from .._costs.core import MEAN_LIKE, VARIANCE_LIKE, pointwise_cost, reduction_cost
from .._symmetry.tensor import (
    AXIS_PERMUTERS,
    FREE_RESULT_HOOKS,
    SymmetricTensor,
    SymmetryInfo,
    binary_symmetry,
    elementwise_symmetry,
    follow_axes,
    reduction_symmetry,
    release,
    warn_loss,
)
from . import nan_slices

_BASE = np.ndarray
_prod = math.prod  # a global: found faster than a module attribute on the binary fast path
# Ops that legitimately take non-numeric input.
_DATETIME_OK = frozenset({"isnat"})


def broadcast_shape(first: tuple, second: tuple) -> tuple:
    """The broadcast of two shapes; the common cases skip NumPy's general routine."""
    if first == second or not second:
        return first
    if not first:
        return second
    return np.broadcast_shapes(first, second)


def _missing(name: str) -> Callable:
    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(needs_numpy_message(name))

    return unavailable


# -- the generic families -------------------------------------------------------------
def _numpy_call(func: Callable, kwargs: dict) -> Callable:
    """``func``, or ``func`` reporting its warnings at the user's line when NumPy will warn
    from inside it: a ``where=`` without ``out=`` makes a ufunc warn that the unselected
    elements are uninitialised, attributed to the line that called it (mechestim's)."""
    if "where" in kwargs and kwargs.get("out") is None:
        return reporting_at_user_line(func)
    return func


def _masked(kwargs: dict) -> bool:
    """An array ``where=``: elements are computed unevenly (and, without ``out=``, left
    uninitialised), so the result carries no symmetry."""
    return "where" in kwargs and bool(np.ndim(kwargs["where"]))


# Unary ops with tuple results: symmetry is not carried (and not credited in the cost).
_TUPLE_RESULTS = frozenset({"frexp", "modf"})
_DENSE_BINARY = frozenset({"divmod"})  # the same for the binary op with two results
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


def _dropping(name: str, groups: Any) -> Callable[[Any], None]:
    """``groups=`` for :func:`execute` when the result cannot keep the input's symmetry:
    warns of the loss once the op has run (a refused call warns of nothing)."""

    def dropped(result: Any) -> None:
        warn_loss(name, groups)

    return dropped


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
    (and the arguments after it by their names), the form the wrappers handle: the
    caller's ``out`` is then the result, and keeps or loses its symmetry as the op's
    result does. ``found`` caches out's position and the parameter names."""
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
        kind = type(x)
        if kind is not ndarray and kind is not _BASE and kind is not SymmetricTensor:
            refuse_masked(name, x)
        array = asarray(x)
        if array.dtype.kind in NON_NUMERIC_KINDS and name not in _DATETIME_OK:
            reject_dtype(name, array)
        info = x._symmetry if isinstance(x, SymmetricTensor) and not dense else None
        cost = (info.unique_elements if info else array.size) or 1
        groups: Any = info
        if info is not None and (reorders or _masked(kwargs) or _uneven(args, kwargs)):
            groups = _dropping(name, info.groups)
        # A non-array operand reaches NumPy as given: np.real(1.5) is the float 1.5,
        # np.imag(np.float32(2)) a float32 scalar, a 0-d array would stay an array.
        return execute(
            name,
            cost,
            (array.shape,),
            _numpy_call(func, kwargs),
            (_operand(x, array), *plain_args(args)),
            plain_kwargs(kwargs),
            kwargs.get("out"),
            groups,
        )

    return op


def _isclose_cost(a, b, *args, **kwargs) -> int:
    return pointwise_cost(broadcast_shape(np.shape(a), np.shape(b)))


def make_isclose(func: Callable) -> Callable:
    def isclose(a, b, *args, **kwargs):
        x, y = numeric("isclose", a), numeric("isclose", b)
        tolerances = dict(zip(("rtol", "atol"), args))
        tolerances.update((k, kwargs[k]) for k in ("rtol", "atol") if k in kwargs)
        for key, value in tolerances.items():
            if asarray(value).dtype.kind not in "biufc":
                raise TypeError(f"isclose: {key} must be a number, got {value!r}")
        cost = _isclose_cost(x, y)
        return execute(
            "isclose",
            cost,
            (x.shape, y.shape),
            func,
            (x, y, *plain_args(args)),
            plain_kwargs(kwargs),
        )

    return isclose


def _operand(original: Any, array: np.ndarray) -> Any:
    """What to hand NumPy for an operand: the plain array, or a scalar as given.

    Python scalars must reach NumPy unconverted: NEP 50 treats them as weakly typed
    (``float32 + 1.5`` stays float32, ``int8 + 300`` overflows), a 0-d array would not.
    A list or tuple is handed over converted (it may hold mechestim arrays).
    """
    return array if isinstance(original, (np.ndarray, list, tuple)) else original


def make_binary(name: str, func: Callable) -> Callable:
    vecdot = name == "vecdot"
    dense = name in _DENSE_BINARY
    ufunc = isinstance(func, np.ufunc)
    fuse = fused_code(name, func)  # add, subtract, multiply, divide: the compiled kernel

    def op(x1, x2, *args, **kwargs):
        # The operands as arrays (a, b: for dtype and shape) and what NumPy is handed
        # (operand1, operand2: plain arrays, Python scalars as given). A mechestim array
        # is made plain only where NumPy is handed it: the compiled kernel reads it as is.
        kind1, kind2 = type(x1), type(x2)
        if kind1 is ndarray or kind1 is SymmetricTensor:
            a, operand1 = x1, None
        else:
            if kind1 is not _BASE:
                refuse_masked(name, x1)
            a = x1 if kind1 is _BASE else asarray(x1)
            operand1 = a if isinstance(x1, (np.ndarray, list, tuple)) else x1
        if kind2 is ndarray or kind2 is SymmetricTensor:
            b, operand2 = x2, None
        else:
            if kind2 is not _BASE:
                refuse_masked(name, x2)
            b = x2 if kind2 is _BASE else asarray(x2)
            operand2 = b if isinstance(x2, (np.ndarray, list, tuple)) else x2
        # (A Python int past int64 converts to an object array here, but NumPy takes it
        # as a weak scalar: float32 + 2**70 is float32, int64 + 2**70 an OverflowError.)
        if a.dtype.kind in NON_NUMERIC_KINDS and kind1 is not int:
            reject_dtype(name, a)
        if b.dtype.kind in NON_NUMERIC_KINDS and kind2 is not int:
            reject_dtype(name, b)
        shape_a, shape_b = a.shape, b.shape  # (each read makes a new tuple: read once)
        shape = shape_a if shape_a == shape_b else broadcast_shape(shape_a, shape_b)
        if (
            not args
            and not kwargs
            and not vecdot
            and kind1 is not SymmetricTensor
            and kind2 is not SymmetricTensor
        ):
            # Fast path for the common `me.add(x, y)` / `x + y`: the same steps as below,
            # without the keyword and symmetry handling.
            # (an array's size is one C attribute; the product of a shape a loop)
            cost = (a.size if shape is shape_a else _prod(shape)) or 1
            if fuse is not None and cost >= FUSE_MIN:
                # (all positional: a call with keywords takes a longer road in CPython)
                return execute(
                    name,
                    cost,
                    (shape_a, shape_b),
                    func,
                    (a if operand1 is None else operand1, b if operand2 is None else operand2),
                    NO_KWARGS,
                    None,
                    None,
                    None,
                    fuse,
                )
            if operand1 is None:
                operand1 = x1.view(_BASE)
            if operand2 is None:
                operand2 = x2.view(_BASE)
            return execute(name, cost, (shape_a, shape_b), func, (operand1, operand2))
        if operand1 is None:
            operand1 = x1.view(_BASE)
        if operand2 is None:
            operand2 = x2.view(_BASE)
        if args and ufunc:
            kwargs = _outputs_by_keyword(name, args, kwargs)
            args = ()
        groups: Any = None
        if vecdot:
            cost = 2 * math.prod(shape)
        elif not dense and (isinstance(x1, SymmetricTensor) or isinstance(x2, SymmetricTensor)):
            kept = elementwise_symmetry(name, (x1, x2), shape)
            cost = math.prod(shape)
            if kept is not None:
                cost = kept.unique_elements
                groups = _dropping(name, kept.groups) if _masked(kwargs) else kept.groups
        else:
            cost = math.prod(shape)
        return execute(
            name,
            cost or 1,
            (shape_a, shape_b),
            _numpy_call(func, kwargs),
            (operand1, operand2, *plain_args(args)),
            plain_kwargs(kwargs),
            kwargs.get("out"),
            groups,
        )

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
    if name == "nanstd" and func is np.nanstd:  # NumPy's nanvar warns at nanstd's line
        run = nan_slices.nanstd
    else:
        run = reporting_at_user_line(func) if name in WARN_AT_CALLER else func
    needs_output = name in MEAN_LIKE or name in VARIANCE_LIKE
    propagates = name in _AXIS_SECOND
    out_position: list = []  # sum(a, axis, dtype, out, keepdims): found once

    def op(a, *args, **kwargs):
        if args:
            args, kwargs = _out_by_keyword(name, func, out_position, args, kwargs)
        kind = type(a)
        if kind is not ndarray and kind is not _BASE and kind is not SymmetricTensor:
            refuse_masked(name, a)
        array = asarray(a)
        if array.dtype.kind in NON_NUMERIC_KINDS:
            reject_dtype(name, array)
        info = a._symmetry if isinstance(a, SymmetricTensor) else None
        if needs_output:
            cost = reduction_cost(array.shape, _axis_of(name, args, kwargs), info, op=name)
        else:  # reduction_cost's rule without its argument checks (NumPy checks the axis)
            cost = (info.unique_elements if info else array.size) or 1
        groups = None
        if info is not None:

            def groups(result: Any) -> Any:
                kept = None
                if isinstance(result, np.ndarray) and result.ndim >= 2:
                    if propagates and not _weighs_elements(name, args, kwargs):
                        axis = _axis_of(name, args, kwargs)
                        # keepdims may come by keyword or by position (at a different
                        # place per op): the result's rank says whether axes were kept.
                        keepdims = result.ndim == array.ndim
                        kept = reduction_symmetry(info, axis, keepdims)
                    if not kept:
                        warn_loss(name, info.groups)
                return kept

        return execute(
            name,
            cost,
            (array.shape,),
            run,
            (array, *plain_args(args)),
            plain_kwargs(kwargs),
            kwargs.get("out"),
            groups,
        )

    return op


# Free ops that write into their first argument (NumPy's name for it): a SymmetricTensor
# written this way may no longer be symmetric. (fill_diagonal is not here: the diagonal
# a[i, i, ...] is unchanged by any permutation of axes; FREE_RESULT_HOOKS handles it.)
_WRITES_INTO = {
    "copyto": "dst",
    "put": "a",
    "place": "arr",
    "putmask": "a",
    "put_along_axis": "arr",
}


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
        numpy_args, numpy_kwargs = plain_args(args), plain_kwargs(kwargs)
        result = wrap(func(*numpy_args, **numpy_kwargs))
        if not out_position:
            out_position.append(_out_position(func))
        where = out_position[0]
        if where >= 0:
            out = args[where] if len(args) > where else kwargs.get("out")
            for target in out if isinstance(out, tuple) else (out,):
                if target is not None:
                    release(target, name)  # it holds the result now, of unknown symmetry
        if permutes_axes and args and isinstance(args[0], SymmetricTensor):
            # the symmetry moves along with the axes
            result = follow_axes(func, args[0], numpy_args, numpy_kwargs, result)
        if written is not None:
            release(args[0] if args else kwargs.get(written), name)
        if keeps_symmetry is not None:
            result = keeps_symmetry(args, kwargs, result)
        return result

    return op


# -- binding the generic families ---------------------------------------------------------
def _generic_cost(category: str, name: str) -> Callable[..., int]:
    """The args -> FLOPs rule of a generic op, for ``registry`` users (flops, tests)."""
    from .._symmetry.tensor import symmetry_of

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
                return vecdot_cost(np.shape(x1), np.shape(x2))
            groups = None if name in _DENSE_BINARY else binary_symmetry((x1, x2), shape)
            return pointwise_cost(shape, SymmetryInfo(groups, shape) if groups else None)

        return binary_cost

    def reduction(a, *args, **kwargs):
        return reduction_cost(np.shape(a), _axis_of(name, args, kwargs), symmetry_of(a), op=name)

    return reduction


_FREE_FALLBACKS: dict[str, Callable] = {}


def bind_generic(family: str | None = None) -> None:
    """Bind every unary, binary, reduction and free name of the registry to a wrapper:
    those of ``family`` (one bound on first use, ``registry.LAZY_FAMILIES``), or with
    None every other one."""
    makers = {"unary": make_unary, "binary": make_binary, "reduction": make_reduction}
    for spec in REGISTRY.values():
        if spec.category not in ("unary", "binary", "reduction", "free"):
            continue  # (resolving a refused name would import NumPy modules such as f2py)
        if family_of(spec.name) != family or spec.impl is not None:
            continue
        # mechestim's own where NumPy's is deprecated on some supported NumPy (fix)
        func = REPLACEMENTS.get(spec.name) or _numpy_object(spec.name)
        # the module the op is public in: pickle finds a function by module and name
        public = "mechestim." + spec.name.rpartition(".")[0] if "." in spec.name else "mechestim"
        if spec.category in makers:
            if func is None:
                spec.impl = _missing(spec.name)
            elif spec.name == "isclose":
                spec.impl = make_isclose(func)
            else:
                spec.impl = makers[spec.category](spec.name, func)
            spec.impl.__name__ = spec.short_name
            spec.impl.__qualname__ = spec.short_name
            spec.impl.__module__ = public
            spec.impl.__doc__ = _doc(spec, func)
            show_numpy_signature(spec.impl, func)
            spec.cost = _generic_cost(spec.category, spec.name)
        elif spec.category == "free":
            func = _FREE_FALLBACKS.get(spec.name, func)
            spec.impl = make_free(spec.name, func) if func is not None else _missing(spec.name)
            spec.impl.__name__ = spec.short_name
            spec.impl.__qualname__ = spec.short_name
            spec.impl.__module__ = public
            spec.impl.__doc__ = _doc(spec, func)
            show_numpy_signature(spec.impl, _numpy_object(spec.name))
            spec.cost = _zero_cost


# NumPy >= 2.1 gives ufuncs a __signature__; before, inspect cannot read one.
_UFUNC_SIGNATURES = isinstance(getattr(np.add, "__signature__", None), inspect.Signature)


def show_numpy_signature(wrapper: Callable, func: Any) -> None:
    """Make ``inspect.signature(wrapper)`` (editors, ``help``) show the parameters of the
    NumPy function it stands for. ``__wrapped__`` is read lazily by inspect, so binding
    costs nothing at import; a ufunc on a NumPy that cannot describe itself gets its
    signature written out (inputs, ``out``, ``where`` and the ufunc keywords)."""
    if func is None:
        return
    if isinstance(func, np.ufunc) and not _UFUNC_SIGNATURES:
        wrapper.__signature__ = _ufunc_signature(func)  # type: ignore[attr-defined]
        return
    wrapper.__wrapped__ = func  # type: ignore[attr-defined]


def _ufunc_signature(ufunc: np.ufunc) -> inspect.Signature:
    positional = inspect.Parameter.POSITIONAL_ONLY
    keyword = inspect.Parameter.KEYWORD_ONLY
    names = ["x"] if ufunc.nin == 1 else [f"x{i + 1}" for i in range(ufunc.nin)]
    parameters = [inspect.Parameter(n, positional) for n in names]
    parameters.append(
        inspect.Parameter("out", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)
    )
    for name, default in (
        ("where", True),
        ("casting", "same_kind"),
        ("order", "K"),
        ("dtype", None),
        ("subok", True),
        ("signature", None),
    ):
        parameters.append(inspect.Parameter(name, keyword, default=default))
    return inspect.Signature(parameters)


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


def _doc(spec: OpSpec, func: Any) -> str:
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
