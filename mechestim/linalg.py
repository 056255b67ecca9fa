"""``me.linalg``: NumPy's ``numpy.linalg`` with every operation charged (see ops.tsv)."""

from __future__ import annotations

from . import _registry

__all__ = _registry.export(globals(), "linalg")


def __getattr__(name: str):
    raise _registry.missing_attribute("me.linalg", "linalg", name)
