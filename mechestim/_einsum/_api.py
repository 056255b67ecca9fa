"""``me.einsum`` and ``me.einsum_path``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import registry as _registry
from .._core.arrays import NON_NUMERIC_KINDS as _NON_NUMERIC_KINDS
from .._core.arrays import refuse_masked, reject_dtype
from .._core.ndarray import ndarray
from .._core.pipeline import execute
from .._costs.einsum import einsum_cost
from .._symmetry.tensor import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    SymmetricTensor,
    SymmetryInfo,
    _max_deviation,
    _within_tolerance,
    describe,
    join_groups,
    normalize_groups,
)
from ..errors import SymmetryError
from ._info import PathInfo
from ._plan import Plan, cached_plan, origins_of

__all__ = ["einsum", "einsum_path"]

_EINSUM_KWARGS = frozenset({"dtype", "order", "casting"})
# Plans of dense operands each passed once, keyed by (subscripts, shapes, optimize):
# one dict lookup on the hot path. Only for optimize values whose equality is exact.
_FAST: dict[tuple, Plan] = {}
_FAST_LIMIT = 4096
_FAST_OPTIMIZE = frozenset({str, bool, type(None)})
_ndarray = np.ndarray


def _subscripts(op_name: str, subscripts: Any, operands: tuple) -> tuple[str, tuple]:
    if isinstance(subscripts, str):
        return subscripts, operands
    if isinstance(subscripts, (bytes, int, float)) or subscripts is None:
        raise TypeError(
            f"{op_name} subscripts must be a str (or the interleaved operand, sublist form), "
            f"got {subscripts!r}"
        )
    from opt_einsum.parser import convert_interleaved_input

    try:
        subscripts, operands = convert_interleaved_input((subscripts, *operands))
    except (KeyError, TypeError, ValueError) as exc:
        # opt_einsum's converter lets an output sublist name an axis no operand has.
        raise ValueError(
            f"{op_name}: bad interleaved (operand, sublist) arguments: {exc}; every output "
            "axis must appear in some operand's sublist"
        ) from None
    return subscripts, tuple(operands)


def _plain_arrays(op_name: str, operands: tuple) -> tuple[list, tuple, bool]:
    """Plain ndarrays, their shapes, and whether any operand is a SymmetricTensor."""
    arrays = []
    shapes = []
    symmetric = False
    for op in operands:
        kind = type(op)
        if kind is ndarray:
            array = op.view(_ndarray)
        elif kind is _ndarray:
            array = op
        elif isinstance(op, _ndarray):
            if isinstance(op, SymmetricTensor):
                symmetric = True
            else:
                refuse_masked(op_name, op)
            array = op.view(_ndarray)
        else:
            array = np.asarray(op)
        if array.dtype.kind in _NON_NUMERIC_KINDS:
            reject_dtype(op_name, array)
        arrays.append(array)
        shapes.append(array.shape)
    return arrays, tuple(shapes), symmetric


def _plan(subscripts: str, operands: tuple, shapes: tuple, symmetric: bool, optimize: Any) -> Plan:
    count = len(operands)
    if count == 2:
        repeated = operands[0] is operands[1]
    else:
        repeated = count > 2 and len({id(op) for op in operands}) < count
    if not symmetric and not repeated:
        if optimize.__class__ in _FAST_OPTIMIZE:
            key = (subscripts, shapes, optimize)
            plan = _FAST.get(key)
            if plan is None:
                plan = cached_plan(subscripts, shapes, None, None, optimize)
                if len(_FAST) >= _FAST_LIMIT:
                    _FAST.clear()
                _FAST[key] = plan
            return plan
        return cached_plan(subscripts, shapes, None, None, optimize)
    axis_groups = None
    if symmetric:
        axis_groups = tuple(
            op._symmetry.groups if isinstance(op, SymmetricTensor) else None for op in operands
        )
    origins = origins_of(operands) if repeated else None
    return cached_plan(subscripts, shapes, axis_groups, origins, optimize)


def _einsum_cost(subscripts: Any, *operands: Any, optimize: Any = "auto", **kwargs: Any) -> int:
    """What ``einsum(subscripts, *operands)`` charges: ``me.flops.einsum_cost`` of the
    operands' shapes, symmetries and repeats (the planner and plan cache the op uses)."""
    subscripts, operands = _subscripts("einsum", subscripts, operands)
    _, shapes, symmetric = _plain_arrays("einsum", operands)
    symmetries = None
    if symmetric:
        symmetries = [op._symmetry if isinstance(op, SymmetricTensor) else None for op in operands]
    origins = origins_of(operands)
    repeated = None
    if origins is not None:
        firsts = sorted({origin for origin in origins if origin >= 0})
        repeated = [[p for p, origin in enumerate(origins) if origin == f] for f in firsts]
    return einsum_cost(
        subscripts, shapes, symmetries, optimize=optimize, repeated_operands=repeated
    )


def _computation_dtype(arrays: list, out: Any, kwargs: dict) -> np.dtype:
    """The dtype ``numpy.einsum`` computes in when given ``out=`` or ``dtype=``, after its
    casting checks (``casting``, default ``'safe'``): every operand is cast to it, and it
    is cast to and from ``out`` (NumPy accumulates into ``out``). NumPy applies these
    rules on its default, unoptimized route; its optimized route skips some of them."""
    casting = kwargs.get("casting", "safe")
    if kwargs.get("dtype") is not None:
        computed = np.dtype(kwargs["dtype"])
    elif out is not None:
        computed = np.result_type(*arrays, out.dtype)
    else:
        computed = np.result_type(*arrays)
    for index, array in enumerate(arrays):
        if not np.can_cast(array.dtype, computed, casting):
            raise TypeError(
                f"einsum: operand {index} of dtype {array.dtype} cannot be cast to "
                f"{computed} under casting={casting!r}"
            )
    if out is not None and not (
        np.can_cast(computed, out.dtype, casting) and np.can_cast(out.dtype, computed, casting)
    ):
        raise TypeError(
            f"einsum: out= of dtype {out.dtype} cannot hold a {computed} result under "
            f"casting={casting!r}"
        )
    return computed


def einsum(
    subscripts: Any,
    *operands: Any,
    optimize: Any = "auto",
    symmetric_axes: Any = None,
    out: Any = None,
    **kwargs: Any,
) -> Any:
    """Evaluate an Einstein summation (what ``numpy.einsum`` computes), charged its plan.

    Charged the total of the planned contraction path (cost-model §3): each step costs
    ``prod(sizes of its labels) * op_factor`` with ``op_factor = max(1, terms - 1)``
    plus 1 when the step sums a label away; e.g. ``'ij,jk->ik'`` costs ``2*m*k*n``.
    Symmetric operands (``SymmetricTensor``, any permutation groups) and the same array
    passed more than once give a step an output group and an inner group on the labels
    it sums (cost-model §3, revision 2); the step costs
    ``dense * unique_out * unique_inner // (total_out * total_inner)``, so
    ``'abij,abkl->ijkl'`` with both operands symmetric in (a, b) costs 55/100 of dense
    (``me.configure(use_inner_symmetry=False)`` drops the inner factor). The charge is
    recorded as ``"einsum"`` with the subscripts, before anything runs.

    ``optimize``: ``'auto'`` (default), any opt_einsum strategy name (``'greedy'``,
    ``'optimal'``, ``'dp'``, ...), ``True``/``False``, or an explicit path (list of
    tuples). Execution uses opt_einsum with the planned path (BLAS where possible).
    ``symmetric_axes``: declare the output symmetric in these axes (axis tuples or
    ``PermutationGroup`` objects); the result is checked (``SymmetryError``
    otherwise) and returned as a ``SymmetricTensor`` (no change in cost). Symmetry the
    plan proves (the last step's output group) is tagged too.
    ``out``, ``dtype``, ``order``, ``casting`` behave as in ``numpy.einsum``.
    """
    if kwargs:
        for key in kwargs:
            if key not in _EINSUM_KWARGS:
                raise TypeError(f"einsum() got an unexpected keyword argument {key!r}")
    if subscripts.__class__ is not str:
        subscripts, operands = _subscripts("einsum", subscripts, operands)
    # The hot path, written out: dense operands, each passed once, a cached plan.
    arrays = []
    shape_list = []
    simple = optimize.__class__ in _FAST_OPTIMIZE
    for op in operands:
        kind = op.__class__
        if kind is ndarray:
            array = op.view(_ndarray)
        elif kind is _ndarray:
            array = op
        else:
            if isinstance(op, SymmetricTensor):
                simple = False
            else:
                refuse_masked("einsum", op)
            array = op.view(_ndarray) if isinstance(op, _ndarray) else np.asarray(op)
        if array.dtype.kind in _NON_NUMERIC_KINDS:
            reject_dtype("einsum", array)
        arrays.append(array)
        shape_list.append(array.shape)
    shapes = tuple(shape_list)
    plan = None
    if simple:
        count = len(operands)
        if count == 2:
            simple = operands[0] is not operands[1]
        elif count > 2:
            simple = len({id(op) for op in operands}) == count
        if simple:
            plan = _FAST.get((subscripts, shapes, optimize))
    if plan is None:
        symmetric = any(isinstance(op, SymmetricTensor) for op in operands)
        plan = _plan(subscripts, operands, shapes, symmetric, optimize)
    requested: tuple = ()
    if symmetric_axes is not None:
        info = plan.info
        out_shape = tuple(info.size_dict[label] for label in info.output_subscript)
        requested = normalize_groups(symmetric_axes, len(out_shape))
        SymmetryInfo(requested, out_shape)  # unequal axis lengths: ValueError, nothing charged
    plain_out = None
    if out is not None:
        if not isinstance(out, _ndarray):
            raise TypeError(f"einsum out= must be an array, got {type(out).__name__}")
        plain_out = out.view(_ndarray) if isinstance(out, ndarray) else out
        info = plan.info
        out_shape = tuple(info.size_dict[label] for label in info.output_subscript)
        if plain_out.shape != out_shape:
            raise ValueError(
                f"einsum out= has shape {plain_out.shape} but the result has shape {out_shape}"
            )
    computed = None
    if kwargs or plain_out is not None:
        computed = _computation_dtype(arrays, plain_out, kwargs)  # refusal: nothing charged
    groups = plan.output_groups
    if requested:
        groups = _merge_axis_groups(groups, requested)
    return execute(
        "einsum",
        plan.cost,
        shapes,
        _contract,
        (plan, arrays, computed, plain_out, kwargs, requested),
        out=out,
        groups=groups,
        subscripts=subscripts,
    )


def _contract(
    plan: Plan, arrays: list, computed: Any, plain_out: Any, kwargs: dict, requested: tuple
) -> Any:
    """Run the planned contraction (after the charge); a 0-d result comes back a scalar."""
    if computed is not None and any(array.dtype != computed for array in arrays):
        # NumPy computes in this dtype (e.g. int8 operands into a float64 out=, or
        # dtype=float32): contract converted operands so the values agree.
        arrays = [array.astype(computed, copy=False) for array in arrays]
    if kwargs:
        path = ["einsum_path", *plan.path]
        result = np.einsum(plan.equation, *arrays, out=plain_out, optimize=path, **kwargs)
    elif plain_out is not None and plain_out.ndim:
        result = plan.expression()(*arrays, out=plain_out)
    elif plain_out is not None:  # opt_einsum writes out= as out[:], which a 0-d out refuses
        plain_out[()] = plan.expression()(*arrays)
        result = plain_out
    else:
        result = plan.expression()(*arrays)
    if requested:
        _check_symmetric(np.asarray(result), requested)  # refused: the charge is refunded
    if plain_out is not None:
        return plain_out
    if result.__class__ is not _ndarray:
        result = np.asarray(result)
    return result if result.ndim else result[()]


def _check_symmetric(data: np.ndarray, groups: tuple) -> None:
    if _within_tolerance(data, groups, DEFAULT_ATOL, DEFAULT_RTOL):
        return
    deviation = _max_deviation(data, groups)
    raise SymmetryError(
        f"einsum result of shape {data.shape} is not symmetric under {describe(groups)}: "
        f"max deviation {deviation:.6g} exceeds atol={DEFAULT_ATOL:g}, rtol={DEFAULT_RTOL:g}; "
        "use me.symmetrize(x, axes) to average it into a symmetric tensor",
        axes=tuple(g.axes for g in groups),
        max_deviation=deviation,
        atol=DEFAULT_ATOL,
        rtol=DEFAULT_RTOL,
    )


def _merge_axis_groups(first: tuple, second: tuple) -> tuple:
    return join_groups(first, second)


def _einsum_path_cost(*args: Any, **kwargs: Any) -> int:
    return 0


def einsum_path(
    subscripts: Any, *operands: Any, optimize: Any = "auto", **kwargs: Any
) -> tuple[list[tuple[int, ...]], PathInfo]:
    """Plan an einsum without running it: ``(path, PathInfo)``.

    Free: charges nothing and needs no budget. The path and costs are exactly those
    ``me.einsum`` would use and charge with the same arguments (same plan cache), so
    ``info.optimized_cost`` is that charge. ``print(info)`` shows each step's
    subscript, FLOPs, dense FLOPs, symmetry savings and BLAS kind.
    """
    for key in kwargs:
        if key != "einsum_call":  # accepted (and ignored) for numpy.einsum_path callers
            raise TypeError(f"einsum_path() got an unexpected keyword argument {key!r}")
    subscripts, operands = _subscripts("einsum_path", subscripts, operands)
    _, shapes, symmetric = _plain_arrays("einsum_path", operands)
    plan = _plan(subscripts, operands, shapes, symmetric, optimize)
    return list(plan.path), plan.info.copy()


_registry.bind("einsum", cost=_einsum_cost)(einsum)
_registry.bind("einsum_path", cost=_einsum_path_cost)(einsum_path)
