"""Unique elements of a symmetric tensor (cost-model §4): a pure function of a shape and
its permutation groups, used wherever unique elements are charged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["unique_elements"]


def unique_elements(shape: int | Sequence[int], symmetry: Any = None) -> int:
    """The number of orbits of index tuples of a tensor of ``shape`` under ``symmetry``.

    ``symmetry``: None, an axis tuple ``(0, 1)`` (the full symmetric group on those
    axes), a list of them, a ``PermutationGroup``, a list of groups on disjoint axes, or
    a ``SymmetryInfo``. Each group contributes Burnside's count
    ``(1/|G|) * sum over g in G of prod over the cycles of g of n``; axes in no group
    contribute their lengths. Axes in one orbit must have equal lengths (ValueError).

    >>> from mechestim import PermutationGroup
    >>> unique_elements((4, 4, 4, 4), PermutationGroup.dihedral(4, axes=(0, 1, 2, 3)))
    55
    """
    from .._symmetry.tensor import SymmetryInfo
    from .core import as_shape

    return SymmetryInfo(symmetry, as_shape(shape)).unique_elements
