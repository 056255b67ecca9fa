"""Library-wide switches: ``me.configure(symmetry_warnings=..., nonfinite_warnings=...,
use_inner_symmetry=...)``.

The switches are read on the hot path of every counted call, so they are a plain dict.
"""

from __future__ import annotations

from typing import Any

__all__ = ["configure"]

_settings = {"symmetry_warnings": True, "nonfinite_warnings": True, "use_inner_symmetry": True}


def configure(**settings: Any) -> None:
    """Change library-wide settings.

    ``weights`` (dict, path or None): per-op weights, ``{"exp": 14.5}`` or the path of a
    ``{"weights": {...}}`` file; None clears them. Charges become
    ``int(flops * weight * flop_multiplier)``; see docs/weights.md. A bad mapping raises
    naming every culprit and changes nothing.

    ``symmetry_warnings`` (bool, default True): issue :class:`SymmetryLossWarning`
    when an operation drops the symmetry of a :class:`~mechestim.SymmetricTensor`.
    ``nonfinite_warnings`` (bool, default True): issue :class:`MechEstimWarning` when
    a counted op produces NaN or Inf.
    ``use_inner_symmetry`` (bool, default True): let an einsum step whose summed labels
    are symmetric sum only their orbits (cost-model §3, revision 2's inner factor).
    """
    has_weights = "weights" in settings
    weights = settings.pop("weights", None)
    for key, value in settings.items():
        if key not in _settings:
            known = ", ".join(sorted([*_settings, "weights"]))
            raise ValueError(f"configure() got unknown setting {key!r}; known settings: {known}")
        if not isinstance(value, bool):
            raise TypeError(f"configure({key}=...) needs a bool, got {value!r}")
    if has_weights:  # validated and loaded before any switch changes: a bad call changes nothing
        from .weights import set_weights

        set_weights(weights)
    _settings.update(settings)
