"""Imports every module that binds custom ops, so ``import mechestim`` registers them all.

Each family lives in its own module (contractions, sorting, statistics, linalg, fft,
random, polynomials, windows, einsum) and registers its ops with the registry; every counted op runs through
:func:`mechestim._core.pipeline.execute`.
"""

from __future__ import annotations

import importlib

FAMILY_MODULES = (
    "mechestim._einsum",
    "mechestim._ops.contractions",
    "mechestim._ops.sorting",
    "mechestim._ops.misc",
    "mechestim._ops.linalg",
    "mechestim._ops.fft",
    "mechestim._ops.random",
    "mechestim._ops.polynomial",
    "mechestim._ops.window",
    "mechestim._ops.phase",
    "mechestim._ops.surface",  # last: binds RandomState to the random ops' cost rules
)

for _module in FAMILY_MODULES:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as exc:  # a family not written yet
        if exc.name != _module:
            raise
