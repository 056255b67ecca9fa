"""``me.fft``: NumPy's ``numpy.fft`` with every operation charged (see ops.tsv)."""

from __future__ import annotations

from . import _registry

__all__ = _registry.export(globals(), "fft")


def __getattr__(name: str):
    raise _registry.missing_attribute("me.fft", "fft", name)
