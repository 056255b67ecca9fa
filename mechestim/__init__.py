"""mechestim: NumPy-shaped numerics that charge an analytical FLOP cost to a budget.

Every counted operation computes exactly what NumPy computes and, before running,
charges a cost derived from shapes (never from timing) against the active
:class:`BudgetContext`. See ``me.flops`` for pure cost queries.
"""

from __future__ import annotations

import numpy as _np

__version__ = "0.3.0"
__cost_model__ = "mechestim-0.2/2"

# Core types first: the family modules below register their ops against them.
# Family modules bind their custom ops to the registry on import.
from . import errors  # noqa: E402
from ._core import protocol as _protocol  # noqa: E402, F401  (me.ndarray's hooks)
from ._core.budget import BudgetContext, OpRecord, budget, budget_live  # noqa: E402
from ._core.ndarray import ndarray  # noqa: E402
from ._core.registry import export as _export  # noqa: E402
from ._core.registry import missing_attribute as _missing_attribute  # noqa: E402
from ._core.session import budget_reset, budget_summary, budget_summary_dict  # noqa: E402
from ._einsum import PathInfo, StepInfo  # noqa: E402
from ._ops import families as _families  # noqa: E402, F401
from ._ops.generic import bind_generic as _bind_generic  # noqa: E402
from ._symmetry.groups import Cycle, Permutation, PermutationGroup  # noqa: E402
from ._symmetry.tensor import (  # noqa: E402
    SymmetricTensor,
    SymmetryInfo,
    as_symmetric,
    is_symmetric,
    symmetrize,
)
from .errors import (  # noqa: E402
    BudgetExhaustedError,
    MechEstimError,
    MechEstimWarning,
    NoBudgetContextError,
    SymmetryError,
    SymmetryLossWarning,
    UnsupportedFunctionError,
    configure,
)

_bind_generic()

# me.testing and me.typing are imported on first use: numpy.testing alone costs a third
# of numpy's import.
from . import emath, fft, flops, linalg, random  # noqa: E402
from ._ops.surface import bind_modules as _bind_modules  # noqa: E402

_bind_modules(globals())

# Constants and dtypes, spelled as NumPy spells them.
pi = _np.pi
e = _np.e
inf = _np.inf
nan = _np.nan
newaxis = _np.newaxis
float16, float32, float64 = _np.float16, _np.float32, _np.float64
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, uint16, uint32, uint64 = _np.uint8, _np.uint16, _np.uint32, _np.uint64
bool_ = _np.bool_
complex64, complex128 = _np.complex64, _np.complex128
dtype = _np.dtype

_ops = _export(globals())

from ._core.weights import load_from_environment as _load_weights  # noqa: E402

_load_weights()  # MECHESTIM_WEIGHTS_FILE, after __cost_model__ and the registry exist

__all__ = [
    "__version__",
    "__cost_model__",
    "BudgetContext",
    "budget",
    "OpRecord",
    "budget_summary",
    "budget_summary_dict",
    "budget_reset",
    "budget_live",
    "errors",
    "configure",
    "MechEstimError",
    "BudgetExhaustedError",
    "NoBudgetContextError",
    "SymmetryError",
    "MechEstimWarning",
    "SymmetryLossWarning",
    "UnsupportedFunctionError",
    "ndarray",
    "SymmetricTensor",
    "SymmetryInfo",
    "Permutation",
    "Cycle",
    "PermutationGroup",
    "PathInfo",
    "StepInfo",
    "as_symmetric",
    "is_symmetric",
    "symmetrize",
    "flops",
    "linalg",
    "fft",
    "random",
    "testing",
    "typing",
    "emath",
    "pi",
    "e",
    "inf",
    "nan",
    "newaxis",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "bool_",
    "complex64",
    "complex128",
    "dtype",
    *_ops,
]
__all__ = list(dict.fromkeys(__all__))  # the registry also lists the constants and dtypes above
del _ops


def __getattr__(name: str):
    if name in ("testing", "typing"):
        import importlib

        return importlib.import_module(f"mechestim.{name}")
    raise _missing_attribute("mechestim", "", name)
