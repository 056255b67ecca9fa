"""Einsum cost formulas (cost-model §3): pure functions of labels, sizes and symmetry.

A contraction path is a list of steps; each step contracts some operands into one.

* Dense step cost: ``prod(size of every label in the step) * op_factor`` with
  ``op_factor = max(1, terms - 1) + (1 if a label is summed away in the step else 0)``.
* Naive cost: the same formula over all labels and all operands at once, where the
  "+1" applies when some label occurs in more than one operand.
* Symmetric step cost (revision 2, cost-model §3): a permutation of the step's labels
  (kept to kept, summed to summed) is a symmetry of the step when it maps every
  operand onto itself up to the operand's own group, or onto an identical operand (the
  same array object). The kept parts of the symmetries form the output group; the
  symmetries that fix every kept label form the inner group on the summed labels. Then
  ``cost = dense * unique_out * unique_inner // (total_out * total_inner)``, at least 1,
  where unique counts are orbits of index tuples (Burnside).

Everything here is side-effect free and needs no budget; ``einsum_cost`` plans a path
exactly as ``me.einsum`` does (same planner, same cache) and returns its total.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["einsum_cost"]


# -- the per-step formulas -------------------------------------------------------------
def dense_step_cost(
    labels: Iterable[str], kept: Iterable[str], size_dict: Mapping[str, int], num_terms: int
) -> int:
    """Dense FLOPs of one step over ``labels`` keeping ``kept``, contracting ``num_terms``."""
    labels = set(labels)
    summed = bool(labels.difference(kept))
    factor = max(1, num_terms - 1) + (1 if summed else 0)
    return math.prod(size_dict[label] for label in labels) * factor


def naive_cost(terms: Sequence[str], size_dict: Mapping[str, int]) -> int:
    """Cost of contracting every operand in one go (cost-model §3, ``naive_cost``)."""
    labels = set("".join(terms))
    shared = sum(len(set(term)) for term in terms) > len(labels)
    factor = max(1, len(terms) - 1) + (1 if shared else 0)
    return math.prod(size_dict[label] for label in labels) * factor


Perm = tuple[int, ...]  # an array form: position i goes to position perm[i]
PermSet = frozenset  # a group as the set of its elements (identity included)


def orbit_count(elements: Iterable[Perm], sizes: Sequence[int]) -> int:
    """Orbits of index tuples over positions of ``sizes`` under the group ``elements``:
    Burnside's ``(1/|G|) * sum over g of prod over cycles of g of n``."""
    elements = list(elements)
    if len(elements) <= 1:
        return math.prod(sizes)
    total = 0
    for element in elements:
        seen = [False] * len(element)
        product = 1
        for start in range(len(element)):
            if not seen[start]:
                product *= sizes[start]
                j = start
                while not seen[j]:
                    seen[j] = True
                    j = element[j]
        total += product
    return total // len(elements)


def operand_perms(ndim: int, axis_groups: Iterable[Any] | None) -> PermSet | None:
    """The elements of an operand's symmetry (a product of ``PermutationGroup`` objects on
    disjoint axes) as permutations of its ``ndim`` positions; None when trivial."""
    if not axis_groups:
        return None
    elements: set[Perm] = {tuple(range(ndim))}
    for group in axis_groups:
        grown = set()
        for partial in elements:
            for element in group._element_set():
                form = list(partial)
                for i, j in enumerate(element):
                    form[group.axes[i]] = group.axes[j]
                grown.add(tuple(form))
        elements = grown
    return frozenset(elements) if len(elements) > 1 else None


_INDEX: dict[PermSet, dict[tuple[int, int], frozenset]] = {}


def _position_index(group: PermSet) -> dict[tuple[int, int], frozenset]:
    """``(i, j) -> the elements sending position i to j`` (cached per group)."""
    index = _INDEX.get(group)
    if index is None:
        building: dict[tuple[int, int], set] = {}
        for element in group:
            for i, j in enumerate(element):
                building.setdefault((i, j), set()).add(element)
        index = {key: frozenset(value) for key, value in building.items()}
        if len(_INDEX) > 1024:
            _INDEX.clear()
        _INDEX[group] = index
    return index


def step_symmetries(
    terms: Sequence[str],
    perms: Sequence[PermSet | None],
    origins: Sequence[int],
    kept: frozenset[str] | set[str],
) -> tuple[tuple[str, ...], PermSet, tuple[str, ...], PermSet]:
    """The output and inner groups of one step (cost-model §3, revision 2).

    ``terms``: the step's operand subscripts; ``perms``: each operand's symmetry as
    position permutations (None: none); ``origins``: equal ids (>= 0) for the same array
    object; ``kept``: the labels the step keeps. Returns ``(kept labels sorted, output
    group on them, summed labels sorted, inner group on them)``, groups as element sets.

    Every symmetry sigma is found by choosing, operand by operand, the operand it lands
    on (itself or an identical one) and an element g of its group, which fixes
    ``sigma(term_p[i]) = term_q[g(i)]``; choices that contradict earlier ones, or send a
    kept label to a summed one, are dropped. Only kept-to-kept, summed-to-summed
    bijections that map every operand onto an operand survive, so no symmetry the data
    lack is ever credited.
    """
    labels = sorted(set("".join(terms)))
    out_labels = tuple(label for label in labels if label in kept)
    in_labels = tuple(label for label in labels if label not in kept)
    count = len(terms)
    found: set[tuple[str, ...]] = set()

    def search(p: int, forward: dict[str, str], backward: dict[str, str], used: int) -> None:
        if p == count:
            found.add(tuple(forward[label] for label in labels))
            return
        term = terms[p]
        group = perms[p]
        for q in range(count):
            if used >> q & 1:
                continue
            if q != p and (origins[p] < 0 or origins[q] != origins[p]):
                continue
            target = terms[q]
            if len(target) != len(term):
                continue
            # Positions whose label sigma already maps pin g there: g(i) must be a
            # position of target holding that image. Narrow the candidates with them.
            if group is None:
                candidates: Iterable[Perm] = (tuple(range(len(term))),)
            else:
                candidates = None
                index = _position_index(group)
                for i, label in enumerate(term):
                    image = forward.get(label)
                    if image is None:
                        continue
                    allowed = set()
                    for j, other in enumerate(target):
                        if other == image:
                            allowed |= index.get((i, j), frozenset())
                    candidates = allowed if candidates is None else candidates & allowed
                    if not candidates:
                        break
                if candidates is None:
                    candidates = group
            for g in candidates:
                new: dict[str, str] = {}
                new_back: dict[str, str] = {}
                for i, label in enumerate(term):
                    image = target[g[i]]
                    current = forward.get(label) or new.get(label)
                    if current is None:
                        if image in backward or image in new_back or (label in kept) != (image in kept):
                            break
                        new[label] = image
                        new_back[image] = label
                    elif current != image:
                        break
                else:
                    if new:
                        search(p + 1, {**forward, **new}, {**backward, **new_back}, used | 1 << q)
                    else:
                        search(p + 1, forward, backward, used | 1 << q)

    search(0, {}, {}, 0)
    index = {label: i for i, label in enumerate(labels)}
    out_pos = {label: i for i, label in enumerate(out_labels)}
    in_pos = {label: i for i, label in enumerate(in_labels)}
    out_group: set[Perm] = set()
    in_group: set[Perm] = set()
    for sigma in found:
        image_out = tuple(out_pos[sigma[index[label]]] for label in out_labels)
        out_group.add(image_out)
        if all(out_pos[label] == image for label, image in zip(out_labels, image_out)):
            in_group.add(tuple(in_pos[sigma[index[label]]] for label in in_labels))
    return out_labels, frozenset(out_group), in_labels, frozenset(in_group)


def symmetric_step_cost(
    dense: int, unique_out: int, total_out: int, unique_inner: int = 1, total_inner: int = 1
) -> int:
    """``dense * unique_out * unique_inner // (total_out * total_inner)``, at least 1
    (one division: the saving is counted once)."""
    denominator = total_out * total_inner
    if denominator <= 0:
        return 1
    return max(1, dense * unique_out * unique_inner // denominator)


# -- the public query -----------------------------------------------------------------
def einsum_cost(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    operand_symmetries: Sequence[Any] | None = None,
    *,
    optimize: Any = "auto",
    repeated_operands: Sequence[Sequence[int]] | None = None,
) -> int:
    """FLOPs ``me.einsum(subscripts, *operands)`` charges for operands of ``shapes``: the
    total of its planned contraction path, each step ``prod(sizes of its labels) *
    op_factor`` with ``op_factor = max(1, terms - 1)``, one more when the step sums a
    label away (a two-operand product that sums: 2 per label combination, a multiply and
    an add); symmetric or repeated operands cut a step to its unique output and inner
    terms.

    ``operand_symmetries``: one entry per operand, ``None`` or its symmetry: axes
    (``(0, 1)``, a list of such tuples), a ``PermutationGroup`` or a list of groups, or
    a ``SymmetryInfo``. ``repeated_operands``:
    groups of operand positions that are the same array object (``[(0, 1)]`` for
    ``einsum('ki,kj->ij', X, X)``). ``optimize`` as in ``me.einsum``. The total is the
    sum of the planned path's step costs (cost-model §3); this query charges nothing.

    >>> einsum_cost('ij,jk->ik', [(256, 256), (256, 256)])
    33554432
    """
    from .._einsum._plan import plan_for_shapes

    return plan_for_shapes(subscripts, shapes, operand_symmetries, optimize, repeated_operands).cost
