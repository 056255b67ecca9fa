"""Planning an einsum: choose a contraction path, cost every step, cache the result.

Paths come from opt_einsum. When an operand is symmetric (or one array is passed more
than once) the candidate steps are scored with the symmetric cost by
:class:`~mechestim._einsum._search.SymmetricOptimizer`, an opt_einsum
``PathOptimizer``; the path opt_einsum itself would pick is always a candidate too, so
the chosen path never costs more than opt_einsum's. Plans are cached by (subscripts,
shapes, optimize, symmetries).

opt_einsum is imported where it is first needed (choosing a path, checking an
optimizer name, building a plan's contraction), not at ``import mechestim``
(quality.md's import target); a plan found in ``_api._FAST`` needs none of these.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._costs.einsum import (
    PermSet,
    dense_step_cost,
    naive_cost,
    operand_perms,
    orbit_count,
    step_symmetries,
    symmetric_step_cost,
)
from ._info import PathInfo, StepInfo
from ._parse import Parsed, parse

Groups = tuple  # a tuple of canonical PermutationGroup objects (see mechestim._symmetry.tensor)

_KNOWN = (
    "auto, auto-hq, optimal, dp, greedy, branch-all, branch-2, branch-1, "
    "random-greedy, random-greedy-128, True, False, or an explicit path"
)


# -- nodes and one step -------------------------------------------------------------------
class _Node:
    """An operand of the contraction (original or intermediate) as the planner sees it."""

    __slots__ = ("term", "labels", "perms", "origin", "cover")

    def __init__(self, term: str, perms: PermSet | None, origin: int, cover: int) -> None:
        self.term = term
        self.labels = frozenset(term)
        self.perms = perms  # the node's symmetry as permutations of its term's positions
        self.origin = origin  # same value for the same array object; -1 for none
        self.cover = cover  # bitmask of the original operands merged into this node


class _Step:
    """What one step costs: kept labels, dense and charged cost, output group (on the
    sorted kept labels) and inner group (on the sorted summed labels)."""

    __slots__ = ("kept", "dense", "cost", "out_perms", "inner_labels", "inner_perms")

    def __init__(self, kept, dense, cost, out_perms=None, inner_labels="", inner_perms=None):
        self.kept: frozenset[str] = kept
        self.dense: int = dense
        self.cost: int = cost
        self.out_perms: PermSet | None = out_perms
        self.inner_labels: str = inner_labels
        self.inner_perms: PermSet | None = inner_perms


class _Stepper:
    """Costs steps for one plan (memoised: the optimizer meets the same step often)."""

    def __init__(self, size_dict: dict[str, int], use_inner: bool) -> None:
        self.size_dict = size_dict
        self.use_inner = use_inner
        self.memo: dict[tuple, _Step] = {}

    def __call__(self, step: Sequence[_Node], rest: frozenset[str], output: frozenset[str]) -> _Step:
        size_dict = self.size_dict
        union = frozenset().union(*(n.labels for n in step))
        kept = frozenset(label for label in union if label in output or label in rest)
        symmetric = any(n.perms for n in step) or len(
            {n.origin for n in step if n.origin >= 0}
        ) < sum(1 for n in step if n.origin >= 0)
        if not symmetric:
            return _Step(kept, *(2 * (max(1, dense_step_cost(union, kept, size_dict, len(step))),)))
        key = (tuple((n.term, n.perms, n.origin) for n in step), kept)
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        dense = dense_step_cost(union, kept, size_dict, len(step))
        out_labels, out_group, in_labels, in_group = _step_symmetries(step, kept)
        out_sizes = [size_dict[label] for label in out_labels]
        in_sizes = [size_dict[label] for label in in_labels]
        unique_out = orbit_count(out_group, out_sizes)
        total_out = math.prod(out_sizes)
        unique_in, total_in = 1, 1
        if self.use_inner and len(in_group) > 1:
            unique_in, total_in = orbit_count(in_group, in_sizes), math.prod(in_sizes)
        cost = symmetric_step_cost(max(dense, 1), unique_out, total_out, unique_in, total_in)
        result = _Step(
            kept,
            dense,
            cost,
            out_group if len(out_group) > 1 else None,
            "".join(in_labels),
            in_group if self.use_inner and len(in_group) > 1 else None,
        )
        self.memo[key] = result
        return result


# Step symmetries depend on subscripts, groups and which operands are one array, never
# on sizes: shared by every plan (a new shape of a known einsum reuses them).
_SYMMETRIES: dict[tuple, tuple] = {}
_SYMMETRIES_LIMIT = 4096


def _step_symmetries(step: Sequence[_Node], kept: frozenset[str]) -> tuple:
    first: dict[int, int] = {}
    origins = tuple(
        -1 if n.origin < 0 else first.setdefault(n.origin, len(first)) for n in step
    )
    key = (tuple(n.term for n in step), tuple(n.perms for n in step), origins, kept)
    found = _SYMMETRIES.get(key)
    if found is None:
        found = step_symmetries(key[0], key[1], origins, kept)
        if len(_SYMMETRIES) >= _SYMMETRIES_LIMIT:
            _SYMMETRIES.clear()
        _SYMMETRIES[key] = found
    return found


def _rest_labels(nodes: Sequence[_Node]) -> frozenset[str]:
    return frozenset().union(*(n.labels for n in nodes)) if nodes else frozenset()


# -- optimize argument ----------------------------------------------------------------------
def normalize_optimize(optimize: Any) -> tuple[str, Any]:
    """``optimize`` as ``(kind, value)``: ("name", (name, memory_limit)), ("path", path),
    ("none", None) or ("custom", optimizer). ValueError naming an unknown optimizer."""
    if optimize is None:
        return "name", ("auto", None)
    if isinstance(optimize, (bool, np.bool_)):
        return ("name", ("auto", None)) if optimize else ("none", None)
    if isinstance(optimize, str):
        return "name", (_check_name(optimize), None)
    from opt_einsum.paths import PathOptimizer

    if isinstance(optimize, PathOptimizer):
        return "custom", optimize
    if (
        isinstance(optimize, tuple)
        and len(optimize) == 2
        and isinstance(optimize[0], str)
        and (optimize[1] is None or isinstance(optimize[1], (int, np.integer)))
    ):
        return "name", (_check_name(optimize[0]), None if optimize[1] is None else int(optimize[1]))
    if isinstance(optimize, (list, tuple)):
        steps = list(optimize)
        if steps and isinstance(steps[0], str) and steps[0] == "einsum_path":
            steps = steps[1:]  # NumPy's einsum_path format
        path = []
        for step in steps:
            try:
                contraction = tuple(int(i) for i in step)
            except (TypeError, ValueError):
                raise ValueError(
                    f"einsum optimize path entry {step!r} is not a tuple of operand positions"
                ) from None
            if not all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in step):
                raise ValueError(
                    f"einsum optimize path entry {step!r} is not a tuple of operand positions"
                )
            path.append(contraction)
        return "path", tuple(path)
    raise ValueError(f"einsum optimize={optimize!r} is not understood; use {_KNOWN}")


def _check_name(name: str) -> str:
    from opt_einsum.paths import get_path_fn

    key = name.lower()
    try:
        get_path_fn(key)
    except KeyError:
        raise ValueError(f"unknown einsum optimizer {name!r}; use {_KNOWN}") from None
    return key


def _validate_path(path: Sequence[tuple[int, ...]], count: int) -> list[tuple[int, ...]]:
    remaining = count
    for number, step in enumerate(path):
        if not step:
            raise ValueError(f"einsum path step {number} {step!r} contracts no operand")
        if len(set(step)) != len(step):
            raise ValueError(f"einsum path step {number} {step!r} repeats an operand position")
        for position in step:
            if not 0 <= position < remaining:
                raise ValueError(
                    f"einsum path step {number} {step!r}: position {position} is out of range "
                    f"(only {remaining} operand(s) remain at that step)"
                )
        remaining = remaining - len(step) + 1
    if remaining != 1:
        raise ValueError(
            f"einsum path {list(path)!r} leaves {remaining} operands instead of one "
            f"(there are {count} operands)"
        )
    if not path:
        return [(0,)]
    return list(path)


# -- the plan -------------------------------------------------------------------------------
class Plan:
    """A planned einsum for fixed shapes, optimize and symmetries (cached, immutable)."""

    __slots__ = ("equation", "path", "cost", "info", "output_groups", "shapes", "_expr", "_lock")

    def __init__(self, equation, path, cost, info, output_groups, shapes) -> None:
        self.equation: str = equation
        self.path: list[tuple[int, ...]] = path
        self.cost: int = cost
        self.info: PathInfo = info
        self.output_groups: Groups = output_groups
        self.shapes: tuple = shapes
        self._expr = None
        self._lock = threading.RLock()  # re-entrant: an einsum in a signal handler may need it

    def expression(self):
        """The opt_einsum ``ContractExpression`` running this plan's path (built once)."""
        expr = self._expr
        if expr is None:
            with self._lock:
                if self._expr is None:
                    from opt_einsum import contract_expression

                    self._expr = contract_expression(
                        self.equation, *self.shapes, optimize=self.path
                    )
                expr = self._expr
        return expr


def _perms_on(perms: PermSet | None, source: str, target: str) -> PermSet | None:
    """Position permutations on ``source`` re-expressed on ``target`` (same labels)."""
    if perms is None or source == target:
        return perms
    where = {label: i for i, label in enumerate(target)}
    back = [source.index(label) for label in target]
    return frozenset(
        tuple(where[source[element[back[i]]]] for i in range(len(target))) for element in perms
    )


def build_plan(
    parsed: Parsed,
    shapes: tuple[tuple[int, ...], ...],
    axis_groups: Sequence[Groups | None],
    origins: Sequence[int],
    optimize: tuple[str, Any],
    use_inner: bool = True,
) -> Plan:
    """Choose the path and cost every step (no caching here)."""
    terms, output, size_dict = parsed.terms, parsed.output, parsed.size_dict
    count = len(terms)
    from .._symmetry.tensor import normalize_groups

    perms = [
        operand_perms(len(t), normalize_groups(g, len(t)) if g else None)
        for t, g in zip(terms, axis_groups)
    ]
    symmetric = any(perms) or any(o >= 0 for o in origins)
    kind, value = optimize
    output_set = frozenset(output)
    input_sets = [frozenset(t) for t in terms]
    stepper = _Stepper(dict(size_dict), use_inner)

    def evaluate(path):
        return _simulate(path, parsed, shapes, perms, origins, stepper, False)[0]

    if kind == "none":
        path, used = [tuple(range(count))], "none"
    elif kind == "path":
        path, used = _validate_path(value, count), "explicit"
    elif count <= 2:
        path = [tuple(range(count))]
        used = value[0] if kind == "name" else type(value).__name__
    else:
        if kind == "custom":
            path = [tuple(p) for p in value(input_sets, output_set, dict(size_dict), None)]
            used = type(value).__name__
            candidates = [(path, used)]
            memory_limit = None
        else:
            from opt_einsum.paths import get_path_fn

            name, memory_limit = value
            path = [
                tuple(p)
                for p in get_path_fn(name)(
                    input_sets, output_set, dict(size_dict), memory_limit
                )
            ]
            used = name
            candidates = [(path, used)]
        if symmetric and memory_limit is None:
            from ._search import SymmetricOptimizer

            optimizer = SymmetricOptimizer(terms, perms, origins, stepper)
            own = optimizer(input_sets, output_set, stepper.size_dict)
            candidates.insert(0, (own, f"symmetric-{optimizer.method}"))
            scored = [(evaluate(p), n, p, u) for n, (p, u) in enumerate(candidates)]
            _, _, path, used = min(scored)
        path = _validate_path(path, count)

    cost, steps, largest, out_groups = _simulate(
        path, parsed, shapes, perms, origins, stepper, True
    )
    naive = naive_cost(terms, size_dict)
    info = PathInfo(
        path=list(path),
        steps=steps,
        naive_cost=naive,
        optimized_cost=cost,
        largest_intermediate=largest,
        speedup=naive / cost,
        input_subscripts=",".join(terms),
        output_subscript=output,
        size_dict=dict(size_dict),
        optimizer_used=used,
    )
    return Plan(parsed.equation, list(path), cost, info, out_groups, shapes)


def _simulate(path, parsed, shapes, perms, origins, stepper, want_info):
    """Walk ``path`` the way opt_einsum executes it; total cost (and step details)."""
    from opt_einsum.blas import can_blas

    from .._symmetry.tensor import groups_from_elements

    terms, output, size_dict = parsed.terms, parsed.output, parsed.size_dict
    output_set = frozenset(output)
    nodes = [_Node(t, g, o, 1 << i) for i, (t, g, o) in enumerate(zip(terms, perms, origins))]
    node_shapes = [tuple(s) for s in shapes]
    total = 0
    steps: list[StepInfo] = []
    largest = 0
    last_groups: Groups = ()
    for number, contraction in enumerate(path):
        positions = sorted(contraction, reverse=True)
        step = [nodes.pop(p) for p in positions]
        step_shapes = [node_shapes.pop(p) for p in positions]
        done = stepper(step, _rest_labels(nodes), output_set)
        kept = done.kept
        total += done.cost
        final = number == len(path) - 1
        if final:
            result = output
        else:
            joined = "".join(n.term for n in step)
            result = "".join(sorted(kept, key=joined.find))
        result_perms = _perms_on(done.out_perms, "".join(sorted(kept)), result)
        nodes.append(_Node(result, result_perms, -1, 0))
        if not want_info:
            node_shapes.append(())
            continue
        shape = tuple(
            max(
                (s[n.term.index(label)] for n, s in zip(step, step_shapes) if label in n.labels),
                default=1,
            )
            for label in result
        )
        node_shapes.append(shape)
        out_axes = groups_from_elements(result_perms) or None
        largest = max(largest, math.prod(size_dict[label] for label in result))
        inputs = [n.term for n in step]
        removed = frozenset().union(*(n.labels for n in step)) - kept
        blas = can_blas(inputs, result, removed, step_shapes) if len(step) == 2 else False
        dense = done.dense
        steps.append(
            StepInfo(
                subscript=",".join(inputs) + "->" + result,
                flop_cost=done.cost,
                dense_flop_cost=dense,
                symmetry_savings=(1 - done.cost / dense) if dense else 0.0,
                input_shapes=tuple(step_shapes),
                output_shape=shape,
                input_symmetries=tuple(groups_from_elements(n.perms) or None for n in step),
                output_symmetry=out_axes,
                blas_type=blas or None,
                inner_labels=done.inner_labels if done.inner_perms else "",
                inner_symmetry=groups_from_elements(done.inner_perms) or None,
            )
        )
        if final:
            last_groups = out_axes or ()
    return total, steps, max(largest, 1), last_groups


# -- the cache ------------------------------------------------------------------------------
_CACHE: dict[tuple, Plan] = {}
_CACHE_LIMIT = 4096


def cached_plan(
    subscripts: str,
    shapes: tuple[tuple[int, ...], ...],
    axis_groups: tuple[Groups | None, ...] | None,
    origins: tuple[int, ...] | None,
    optimize: Any,
) -> Plan:
    """The plan for these arguments, from the cache when possible."""
    from ..errors import _settings

    kind, value = normalize_optimize(optimize)
    cacheable = kind != "custom"
    use_inner = _settings["use_inner_symmetry"]
    key = (subscripts, shapes, kind, value, axis_groups, origins, use_inner) if cacheable else None
    if cacheable:
        plan = _CACHE.get(key)
        if plan is not None:
            return plan
    parsed = parse(subscripts, shapes)
    count = len(shapes)
    plan = build_plan(
        parsed,
        shapes,
        axis_groups if axis_groups is not None else (None,) * count,
        origins if origins is not None else (-1,) * count,
        (kind, value),
        use_inner,
    )
    if cacheable:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = plan
    return plan


def clear_cache() -> None:
    """Forget every cached plan (and the cached step symmetries)."""
    _CACHE.clear()
    _SYMMETRIES.clear()


def origins_of(operands: Sequence[Any]) -> tuple[int, ...] | None:
    """Equal ids for the same object passed more than once (None when all differ)."""
    ids = [id(op) for op in operands]
    if len(set(ids)) == len(ids):
        return None
    first: dict[int, int] = {}
    result = []
    for position, ident in enumerate(ids):
        first.setdefault(ident, position)
        result.append(first[ident] if ids.count(ident) > 1 else -1)
    return tuple(result)


def _groups_entry(entry: Any, ndim: int) -> Groups | None:
    from .._symmetry.tensor import SymmetryInfo, normalize_groups

    if entry is None:
        return None
    if isinstance(entry, SymmetryInfo):
        groups = entry.groups
        if len(entry.shape) != ndim:
            raise ValueError(
                f"operand symmetry {entry!r} is for {len(entry.shape)} dimensions, not {ndim}"
            )
        return groups or None
    return normalize_groups(entry, ndim) or None


def plan_for_shapes(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    operand_symmetries: Sequence[Any] | None,
    optimize: Any,
    repeated_operands: Sequence[Sequence[int]] | None,
) -> Plan:
    """The plan ``einsum`` would use, from shapes and declared symmetries only."""
    from .._costs.core import as_shape

    if isinstance(shapes, (str, bytes)) or not isinstance(shapes, Sequence):
        raise TypeError(f"shapes must be a list of shapes, got {shapes!r}")
    shape_tuple = tuple(as_shape(s) for s in shapes)
    count = len(shape_tuple)
    axis_groups = None
    if operand_symmetries is not None:
        entries = list(operand_symmetries)
        if len(entries) != count:
            raise ValueError(
                f"operand_symmetries has {len(entries)} entries for {count} operand shapes"
            )
        axis_groups = tuple(_groups_entry(e, len(s)) for e, s in zip(entries, shape_tuple))
        for number, (groups, shape) in enumerate(zip(axis_groups, shape_tuple)):
            for group in groups or ():
                for orbit in group.orbits():
                    if len({shape[a] for a in orbit}) != 1:
                        raise ValueError(
                            f"operand {number}: symmetric axes {orbit} of shape {shape} have "
                            "unequal lengths"
                        )
        if not any(axis_groups):
            axis_groups = None
    origins = None
    if repeated_operands:
        marks = [-1] * count
        for group in repeated_operands:
            positions = [int(p) for p in group]
            for p in positions:
                if not 0 <= p < count:
                    raise ValueError(f"repeated_operands position {p} is out of range")
            if len({shape_tuple[p] for p in positions}) > 1:
                raise ValueError(
                    f"repeated_operands {tuple(positions)} have different shapes; the same "
                    "array has one shape"
                )
            if len(positions) >= 2:
                for p in positions:
                    marks[p] = min(positions)
        if any(m >= 0 for m in marks):
            origins = tuple(marks)
    return cached_plan(subscripts, shape_tuple, axis_groups, origins, optimize)
