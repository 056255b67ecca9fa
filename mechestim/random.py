"""``me.random``: NumPy's ``numpy.random`` with every operation charged (see ops.tsv)."""

from __future__ import annotations

from . import _registry

__all__ = _registry.export(globals(), "random")


def __getattr__(name: str):
    raise _registry.missing_attribute("me.random", "random", name)
