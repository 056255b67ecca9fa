"""Imports every module that binds custom ops, so ``import mechestim`` registers them all.

Each family lives in its own module (contractions, sorting, statistics, linalg, fft,
random, polynomials, windows, einsum) and registers its ops with the registry (fft and
random on their first use); every counted op runs through
:func:`mechestim._core.pipeline.execute`.
"""

from __future__ import annotations

import importlib

FAMILY_MODULES = (
    "mechestim._einsum",
    "mechestim._ops.contractions",
    "mechestim._ops.sorting",
    "mechestim._ops.clip",
    "mechestim._ops.calculus",
    "mechestim._ops.correlation",
    "mechestim._ops.comparison",
    "mechestim._ops.sequences",
    "mechestim._ops.linalg",
    "mechestim._ops.polynomial",
    "mechestim._ops.window",
    "mechestim._ops.phase",
    "mechestim._ops.surface",
)
# Not here: ``_ops.random`` and ``_ops.fft``, imported on the family's first use
# (``registry.LAZY_FAMILIES``).

for _module in FAMILY_MODULES:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as exc:  # a family not written yet
        if exc.name != _module:
            raise
