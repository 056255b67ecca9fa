"""Library-wide switches: ``me.configure(symmetry_warnings=..., nonfinite_warnings=...,
use_inner_symmetry=...)``.

The switches are read on the hot path of every counted call, so they are a plain dict.
"""

from __future__ import annotations

__all__ = ["configure"]

_settings = {"symmetry_warnings": True, "nonfinite_warnings": True, "use_inner_symmetry": True}


def configure(**settings: bool) -> None:
    """Change library-wide settings.

    ``symmetry_warnings`` (bool, default True): issue :class:`SymmetryLossWarning`
    when an operation drops the symmetry of a :class:`~mechestim.SymmetricTensor`.
    ``nonfinite_warnings`` (bool, default True): issue :class:`MechEstimWarning` when
    a counted op produces NaN or Inf.
    ``use_inner_symmetry`` (bool, default True): let an einsum step whose summed labels
    are symmetric sum only their orbits (cost-model §3, revision 2's inner factor).
    """
    for key, value in settings.items():
        if key not in _settings:
            known = ", ".join(sorted(_settings))
            raise ValueError(f"configure() got unknown setting {key!r}; known settings: {known}")
        if not isinstance(value, bool):
            raise TypeError(f"configure({key}=...) needs a bool, got {value!r}")
        _settings[key] = value
