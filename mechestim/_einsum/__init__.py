"""Einsum: ``me.einsum``, ``me.einsum_path``, ``PathInfo`` and ``StepInfo``.

Paths are planned with opt_einsum (symmetry-aware when operands are symmetric) and
cached; execution runs opt_einsum's contraction with the planned path. opt_einsum is
imported on the first einsum, not at ``import mechestim``.
"""

from __future__ import annotations

from . import _api, _plan
from ._api import einsum, einsum_path
from ._info import PathInfo, StepInfo

__all__ = ["einsum", "einsum_path", "PathInfo", "StepInfo", "clear_cache"]


def clear_cache() -> None:
    """Forget every cached einsum plan (the next call of each einsum plans afresh)."""
    _plan.clear_cache()
    _api._FAST.clear()
