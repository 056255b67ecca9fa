"""Einsum cost formulas (cost-model §3): pure functions of labels, sizes and symmetry.

A contraction path is a list of steps; each step contracts some operands into one.

* Dense step cost: ``prod(size of every label in the step) * op_factor`` with
  ``op_factor = max(1, terms - 1) + (1 if a label is summed away in the step else 0)``.
* Naive cost: the same formula over all labels and all operands at once, where the
  "+1" applies when some label occurs in more than one operand.
* Symmetric step cost: the step's output carries symmetry groups (groups of labels it
  may permute freely). Then the step costs ``dense * unique_outputs // total_outputs``,
  at least 1. Output groups are the operands' groups restricted to the kept labels,
  plus the groups induced by one array object appearing twice in the step.

Everything here is side-effect free and needs no budget; ``einsum_cost`` plans a path
exactly as ``me.einsum`` does (same planner, same cache) and returns its total.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["einsum_cost"]

LabelGroups = tuple[frozenset[str], ...]


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


def unique_count(labels: Iterable[str], groups: LabelGroups, size_dict: Mapping[str, int]) -> int:
    """Unique elements of a tensor over ``labels`` symmetric in each label group.

    A group of k labels of size n holds C(n+k-1, k) unique combinations; labels in no
    group count their full size.
    """
    grouped = set().union(*groups) if groups else set()
    total = math.prod(size_dict[label] for label in set(labels) if label not in grouped)
    for group in groups:
        n = size_dict[next(iter(group))]
        total *= math.comb(n + len(group) - 1, len(group))
    return total


def symmetric_step_cost(dense: int, unique: int, total: int) -> int:
    """``dense * unique // total``, at least 1 (one division: the saving is counted once)."""
    if total <= 0:
        return 1
    return max(1, dense * unique // total)


def operand_label_groups(term: str, axis_groups: Iterable[Sequence[int]] | None) -> LabelGroups:
    """Label groups of one operand: the labels of a group's axes that occur only once in
    ``term`` (a label repeated in the subscript takes a diagonal and cannot be permuted)."""
    if not axis_groups:
        return ()
    result = []
    for group in axis_groups:
        labels = frozenset(term[a] for a in group if term.count(term[a]) == 1)
        if len(labels) >= 2:
            result.append(labels)
    return tuple(result)


def _merge(groups: Iterable[frozenset[str]]) -> LabelGroups:
    """Merge overlapping groups: full symmetry on two overlapping label sets generates
    full symmetry on their union."""
    merged: list[set[str]] = []
    for group in groups:
        group = set(group)
        rest = []
        for other in merged:
            if other & group:
                group |= other
            else:
                rest.append(other)
        rest.append(group)
        merged = rest
    return tuple(sorted((frozenset(g) for g in merged if len(g) >= 2), key=sorted))


def _swap_map(left: str, right: str) -> dict[str, str] | None:
    """The label relabelling that exchanges two copies of one array (``left`` and
    ``right`` are its subscripts in the two places), or None if it is not an involution."""
    mapping: dict[str, str] = {}
    for a, b in zip(left, right):
        if mapping.setdefault(a, b) != b or mapping.setdefault(b, a) != a:
            return None
    return mapping


def step_output_groups(
    terms: Sequence[str],
    groups: Sequence[LabelGroups],
    origins: Sequence[int],
    kept: frozenset[str] | set[str],
    size_dict: Mapping[str, int],
) -> LabelGroups:
    """Symmetry groups (as label sets) of one step's output.

    ``terms``: the subscripts of the step's inputs; ``groups``: their label groups;
    ``origins``: an id per input, equal for the same array object (-1 for none);
    ``kept``: the labels the step keeps.

    * Surviving groups: an input group restricted to the kept labels. Kept labels that
      another input of the step also carries stay together only if that input treats
      them alike (all in one of its own groups); labels of different sizes never pair.
    * Induced groups: the same array in two places swaps the labels at matching
      positions; when the only kept labels it swaps are one pair (a, b) and no other
      input carries a swapped label, the output is symmetric in (a, b).
    """
    found: list[frozenset[str]] = []
    label_sets = [set(term) for term in terms]
    for index, own in enumerate(groups):
        for group in own:
            candidates = group & kept
            if len(candidates) < 2:
                continue
            classes: dict[tuple, set[str]] = {}
            for label in candidates:
                signature: list[Any] = [size_dict[label]]
                for other in range(len(terms)):
                    if other == index or label not in label_sets[other]:
                        signature.append(None)
                        continue
                    slot: Any = ("alone", label)
                    for number, theirs in enumerate(groups[other]):
                        if label in theirs:
                            slot = ("group", number)
                            break
                    signature.append(slot)
                classes.setdefault(tuple(signature), set()).add(label)
            found.extend(frozenset(c) for c in classes.values() if len(c) >= 2)
    for p in range(len(terms)):
        if origins[p] < 0:
            continue
        for q in range(p + 1, len(terms)):
            if origins[q] != origins[p] or len(terms[p]) != len(terms[q]):
                continue
            mapping = _swap_map(terms[p], terms[q])
            if mapping is None:
                continue
            moved = {a for a, b in mapping.items() if a != b}
            if not moved:
                continue
            if any(moved & label_sets[r] for r in range(len(terms)) if r not in (p, q)):
                continue
            moved_kept = moved & kept
            if any(mapping[a] not in kept for a in moved_kept):
                continue  # a kept label would be swapped with a summed one
            if len(moved_kept) == 2:
                a, b = sorted(moved_kept)
                if size_dict[a] == size_dict[b]:
                    found.append(frozenset(moved_kept))
    return _merge(found) if found else ()


# -- the public query -----------------------------------------------------------------
def einsum_cost(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    operand_symmetries: Sequence[Any] | None = None,
    *,
    optimize: Any = "auto",
    repeated_operands: Sequence[Sequence[int]] | None = None,
) -> int:
    """FLOPs ``me.einsum(subscripts, *operands)`` charges for operands of ``shapes``.

    ``operand_symmetries``: one entry per operand, ``None`` or its symmetric axes
    (``(0, 1)``, a list of such tuples, or a ``SymmetryInfo``). ``repeated_operands``:
    groups of operand positions that are the same array object (``[(0, 1)]`` for
    ``einsum('ki,kj->ij', X, X)``). ``optimize`` as in ``me.einsum``. The total is the
    sum of the planned path's step costs (cost-model §3); this query charges nothing.

    >>> einsum_cost('ij,jk->ik', [(256, 256), (256, 256)])
    33554432
    """
    from .._einsum._plan import plan_for_shapes

    return plan_for_shapes(subscripts, shapes, operand_symmetries, optimize, repeated_operands).cost
