"""Pure FLOP-cost queries: what an operation would charge, without running it or
needing a budget. Each function returns exactly what the matching op charges
(both read the same formulas in ``mechestim._costs``)."""

from __future__ import annotations

from ._core.weights import get_weight
from ._costs.core import *  # noqa: F403
from ._costs.core import __all__ as _core_all

__all__ = [*_core_all, "get_weight"]


def _extend(module_name: str) -> None:
    """Re-export a family's formulas, if that family's cost module exists yet."""
    import importlib

    try:
        module = importlib.import_module(f"mechestim._costs.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"mechestim._costs.{module_name}":
            raise
        return
    for name in module.__all__:
        globals()[name] = getattr(module, name)
        __all__.append(name)


for _family in (
    "einsum",
    "symmetry",
    "contractions",
    "linalg",
    "fft",
    "random",
    "sorting",
    "misc",
    "polynomial",
    "window",
    "surface",
):
    _extend(_family)
del _family
