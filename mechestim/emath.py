"""``me.emath``: ``numpy.emath`` (``numpy.lib.scimath``) with every function charged.

``sqrt``, ``log``, ``log2``, ``log10``, ``arccos``, ``arcsin``, ``arctanh`` and
``power`` compute what NumPy's ``emath`` computes (complex results where the real
function is undefined) and charge what their plain counterparts (``me.sqrt``,
``me.power``, ...) charge; ``logn(n, x)`` charges what ``log(x) / log(n)`` costs.
``np.emath.f(x)`` with a mechestim array ``x`` is routed here and charged the same.
"""

from __future__ import annotations

from ._core import registry as _registry

__all__ = _registry.export(globals(), "emath")


def __getattr__(name: str):
    raise _registry.missing_attribute("me.emath", "emath", name)
