"""Contractions other than einsum: dot, matmul (and ``@``), inner, outer, vdot,
tensordot, kron, cross, trace and their ``linalg`` forms.

Each costs what its equivalent einsum costs with a multiply-add counted as 2
(cost-model §5); the formulas live in ``mechestim._costs.contractions``. The charge
precedes the NumPy call (``mechestim._core.pipeline.execute``). Results
are plain ``me.ndarray``: a product such as ``dot(S, S)`` never claims symmetry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._core import registry as _registry
from .._core.arrays import numeric, plain_kwargs
from .._core.arrays import plain_out as _plain_out
from .._core.compat import reporting_at_user_line
from .._core.pipeline import Plan, execute, planned
from .._costs.contractions import (
    cross_cost,
    dot_cost,
    inner_cost,
    kron_cost,
    matmul_cost,
    outer_cost,
    tensordot_cost,
    trace_cost,
    vdot_cost,
    vecdot_cost,
)
from .generic import show_numpy_signature

__all__ = [
    "dot",
    "matmul",
    "inner",
    "outer",
    "vdot",
    "tensordot",
    "kron",
    "cross",
    "trace",
]



def _shape(x: Any) -> tuple[int, ...]:
    return x.shape if isinstance(x, np.ndarray) else np.shape(x)


def _plan(cost: int, arrays: tuple, call: Callable[[], Any], out: Any = None) -> Plan:
    """The plan of a contraction: NumPy's ``call()`` on the plain ``arrays``."""
    return Plan(cost, call, shapes=tuple(a.shape for a in arrays), out=out)


def _out_kwargs(kwargs: dict) -> tuple[dict, Any]:
    return plain_kwargs(kwargs), kwargs.get("out")


# -- dot ------------------------------------------------------------------------------------
def dot(a: Any, b: Any, out: Any = None) -> Any:
    """Dot product as ``numpy.dot``.

    Charged the equivalent einsum with FMA = 2: 1-D·1-D ``2n``, matrix·vector
    ``2*m*k``, matrix·matrix ``2*m*k*n``, other ranks ``2*numel(result)*k``; a scalar
    operand ``numel(result)``. Matrix·vector at 256 costs 131,072.
    """
    x, y = numeric("dot", a), numeric("dot", b)
    cost = dot_cost(x.shape, y.shape)
    plain_out = _plain_out(out) if out is not None else None
    return _plan(cost, (x, y), lambda: np.dot(x, y, out=plain_out), out)


# -- matmul and @ -------------------------------------------------------------------------
def _core_moved(shape: tuple[int, ...], axes_entry: Any) -> tuple[int, ...]:
    """``shape`` with the core axes named by a matmul ``axes=`` entry moved last."""
    entry = (axes_entry,) if isinstance(axes_entry, (int, np.integer)) else tuple(axes_entry)
    ndim = len(shape)
    core = []
    for ax in entry:
        if not -ndim <= int(ax) < ndim:
            raise ValueError(f"matmul: axis {ax} is out of bounds for shape {shape}")
        core.append(int(ax) % ndim)
    rest = [d for i, d in enumerate(shape) if i not in core]
    return tuple(rest) + tuple(shape[i] for i in core)


def _matmul_shapes(a_shape, b_shape, kwargs: dict) -> tuple[tuple, tuple]:
    axes = kwargs.get("axes")
    if axes is None:
        return a_shape, b_shape
    try:
        entries = list(axes)
    except TypeError:
        raise ValueError(f"matmul: axes={axes!r} must be a list of axis tuples") from None
    if len(entries) < 2:
        raise ValueError(f"matmul: axes={axes!r} needs an entry for each operand")
    return _core_moved(tuple(a_shape), entries[0]), _core_moved(tuple(b_shape), entries[1])


def _matmul_rule(x1: Any, x2: Any, /, *args: Any, **kwargs: Any) -> int:
    a_shape, b_shape = _matmul_shapes(_shape(x1), _shape(x2), kwargs)
    return matmul_cost(a_shape, b_shape)


def _matmul_as(op_name: str, x1: Any, x2: Any, args: tuple, kwargs: dict) -> Any:
    a, b = numeric(op_name, x1), numeric(op_name, x2)
    if args:  # NumPy allows ``out`` positionally
        if len(args) > 1 or "out" in kwargs:
            raise TypeError(f"{op_name}() takes at most 3 positional arguments")
        kwargs = {**kwargs, "out": args[0]}
        args = ()
    a_shape, b_shape = _matmul_shapes(a.shape, b.shape, kwargs)
    cost = matmul_cost(a_shape, b_shape)
    kwargs, out = _out_kwargs(kwargs)
    call = lambda: np.matmul(a, b, *args, **kwargs)  # noqa: E731
    return execute(op_name, cost, (a.shape, b.shape), call, out=out)


def matmul(x1: Any, x2: Any, /, *args: Any, **kwargs: Any) -> Any:
    """Matrix product as ``numpy.matmul``; also what ``a @ b`` runs.

    Charged ``2 * batch * m * k * n`` (1-D operands promoted as NumPy does; ufunc
    keywords such as ``out=``, ``dtype=``, ``axes=`` are accepted): the cost of the
    equivalent einsum with FMA = 2. Matrix·vector at 256 costs 131,072.
    """
    return _matmul_as("matmul", x1, x2, args, kwargs)


def _linalg_matmul(x1: Any, x2: Any, /) -> Any:
    """``numpy.linalg.matmul``: charged exactly as ``me.matmul`` and recorded as "matmul"."""
    return _matmul_as("matmul", x1, x2, (), {})


# -- inner, outer, vdot ---------------------------------------------------------------------
def inner(a: Any, b: Any, /) -> Any:
    """Inner product over the last axes, as ``numpy.inner``.

    Charged ``2 * numel(result) * k`` (1-D·1-D: ``2n``); a scalar operand ``numel``.
    """
    x, y = numeric("inner", a), numeric("inner", b)
    return _plan(inner_cost(x.shape, y.shape), (x, y), lambda: np.inner(x, y))


def outer(a: Any, b: Any, out: Any = None) -> Any:
    """Outer product of the flattened inputs, as ``numpy.outer``; charged ``numel(a)*numel(b)``."""
    x, y = numeric("outer", a), numeric("outer", b)
    plain_out = _plain_out(out) if out is not None else None
    return _plan(outer_cost(x.shape, y.shape), (x, y), lambda: np.outer(x, y, out=plain_out), out
    )


def _check_1d(op_name: str, *shapes: tuple[int, ...]) -> None:
    for number, shape in enumerate(shapes):
        if len(shape) != 1:
            raise ValueError(
                f"{op_name}: input {number + 1} has shape {tuple(shape)}; it must be 1-D"
            )


def _linalg_outer(x1: Any, x2: Any, /) -> Any:
    """Outer product of two 1-D arrays, as ``numpy.linalg.outer``; charged ``len(x1)*len(x2)``."""
    x, y = numeric("linalg.outer", x1), numeric("linalg.outer", x2)
    _check_1d("linalg.outer", x.shape, y.shape)
    return _plan(outer_cost(x.shape, y.shape), (x, y), lambda: np.linalg.outer(x, y))


def vdot(a: Any, b: Any, /) -> Any:
    """Dot product of the flattened inputs (conjugating the first), as ``numpy.vdot``;
    charged ``2n`` for ``n`` elements."""
    x, y = numeric("vdot", a), numeric("vdot", b)
    return _plan(vdot_cost(x.shape, y.shape), (x, y), lambda: np.vdot(x, y))


# -- tensordot ------------------------------------------------------------------------------
def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Tensor dot product over ``axes``, as ``numpy.tensordot``.

    Charged ``2 * numel(result) * prod(contracted dims)`` (the equivalent einsum with
    FMA = 2); ``axes=0`` contracts nothing and costs ``numel(result)``.
    """
    x, y = numeric("tensordot", a), numeric("tensordot", b)
    cost = tensordot_cost(x.shape, y.shape, axes)
    return _plan(cost, (x, y), lambda: np.tensordot(x, y, axes))


def _linalg_tensordot(x1: Any, x2: Any, /, *, axes: Any = 2) -> Any:
    """``numpy.linalg.tensordot``; charged as ``me.tensordot``."""
    x, y = numeric("linalg.tensordot", x1), numeric("linalg.tensordot", x2)
    cost = tensordot_cost(x.shape, y.shape, axes)
    return _plan(cost, (x, y), lambda: np.linalg.tensordot(x, y, axes=axes))


# -- kron, cross ----------------------------------------------------------------------------
def kron(a: Any, b: Any) -> Any:
    """Kronecker product, as ``numpy.kron``; charged ``numel(result)``."""
    x, y = numeric("kron", a), numeric("kron", b)
    return _plan(kron_cost(x.shape, y.shape), (x, y), lambda: np.kron(x, y))


def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Any:  # fmt: skip
    """Cross product of 2- or 3-vectors, as ``numpy.cross``; charged ``3 * numel(result)``."""
    x, y = numeric("cross", a), numeric("cross", b)
    cost = cross_cost(x.shape, y.shape, axisa, axisb, axisc, axis)
    if 2 in (_axis_length(x, axisa), _axis_length(y, axisb)):  # 2-vectors: deprecated by NumPy 2.0
        return _plan(
            cost, (x, y),
            lambda: reporting_at_user_line(np.cross)(x, y, axisa, axisb, axisc, axis),
        )  # fmt: skip
    return _plan(cost, (x, y), lambda: np.cross(x, y, axisa, axisb, axisc, axis))


def _axis_length(x: np.ndarray, axis: Any) -> int | None:
    try:
        return x.shape[axis]
    except (IndexError, TypeError):
        return None  # NumPy reports the bad axis


def _linalg_cross_check(a_shape: tuple, b_shape: tuple, axis: int) -> None:
    for number, shape in enumerate((a_shape, b_shape)):
        if not shape or not -len(shape) <= axis < len(shape) or shape[axis] != 3:
            raise ValueError(
                f"linalg.cross: input {number + 1} of shape {tuple(shape)} must hold "
                f"3-element vectors along axis {axis}"
            )


def _linalg_cross(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """Cross product of 3-vectors, as ``numpy.linalg.cross``; charged ``3 * numel(result)``."""
    x, y = numeric("linalg.cross", x1), numeric("linalg.cross", x2)
    _linalg_cross_check(x.shape, y.shape, axis)
    cost = cross_cost(x.shape, y.shape, axis=axis)
    return _plan(cost, (x, y), lambda: np.linalg.cross(x, y, axis=axis))


# -- trace, vecdot --------------------------------------------------------------------------
def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None,
          out: Any = None) -> Any:  # fmt: skip
    """Sum along a diagonal, as ``numpy.trace``.

    Charged the number of elements on the requested (offset) diagonal (for more than
    2-D, on every such diagonal), at least 1: a 256x256 trace costs 256.
    """
    x = numeric("trace", a)
    cost = trace_cost(x.shape, offset, axis1, axis2)
    plain_out = _plain_out(out) if out is not None else None
    return _plan(cost,
        (x,),
        lambda: np.trace(x, offset, axis1, axis2, dtype=dtype, out=plain_out),
        out,
    )


def _linalg_trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Any:
    """Trace over the last two axes, as ``numpy.linalg.trace``; charged the diagonal length
    (times the batch size), at least 1."""
    a = numeric("linalg.trace", x)
    cost = trace_cost(a.shape, offset, -2, -1)
    return _plan(cost, (a,), lambda: np.linalg.trace(a, offset=offset, dtype=dtype))


def _linalg_vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """Vector dot product along ``axis``, as ``numpy.linalg.vecdot``; charged ``2 * numel``
    of the broadcast inputs (the same as ``me.vecdot``)."""
    a, b = numeric("linalg.vecdot", x1), numeric("linalg.vecdot", x2)
    cost = vecdot_cost(a.shape, b.shape)
    return _plan(cost, (a, b), lambda: np.linalg.vecdot(a, b, axis=axis))


def _name(func: Callable, public: str) -> Callable:
    prefix, _, short = public.rpartition(".")
    func.__name__ = short
    func.__qualname__ = short
    if prefix:  # me.linalg.cross: pickle finds it there (here, cross is me.cross)
        func.__module__ = f"mechestim.{prefix}"
    return func


for _public, _impl in (("matmul", matmul), ("linalg.matmul", _linalg_matmul)):
    # Both record "matmul" (as ``a @ b`` does), so they bind a cost rule of their own.
    _registry.bind(_public, cost=_matmul_rule)(_name(_impl, _public))
for _public, _impl in (
    ("dot", dot),
    ("inner", inner),
    ("outer", outer),
    ("vdot", vdot),
    ("tensordot", tensordot),
    ("kron", kron),
    ("cross", cross),
    ("trace", trace),
    ("linalg.outer", _linalg_outer),
    ("linalg.tensordot", _linalg_tensordot),
    ("linalg.cross", _linalg_cross),
    ("linalg.trace", _linalg_trace),
    ("linalg.vecdot", _linalg_vecdot),
):
    # The module's names mean the ops, not their plans.
    globals()[_impl.__name__ if "." not in _public else f"_linalg_{_impl.__name__}"] = planned(
        _public
    )(_name(_impl, _public))
del _public, _impl
show_numpy_signature(matmul, np.matmul)  # it takes the ufunc keywords as **kwargs
