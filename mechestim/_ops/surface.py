"""Binds the rest of the NumPy surface (the names ``_core.surface`` classifies) to the registry.

* NumPy's own objects (scalar types, dtype aliases, ``finfo``, ``errstate``, print
  options, iteration helpers, ``s_``, ...) are bound as they are: free and identical
  (the ``random.*`` ones by ``_ops.random``, when that family is first used);
* functions that create arrays (conversions, ``load``/``loadtxt``/``genfromtxt``, the
  index tricks ``r_``, ``c_``, ``mgrid``, ``ogrid``) are wrapped so their arrays come
  back as ``me.ndarray``; writers (``save``, ``savez``, ``savetxt``) take mechestim
  arrays; all free;
* the callbacks come from ``callbacks`` (free loop, the user's ops charged);
* ``matvec``/``vecmat`` and ``me.emath`` are counted, each stated once as a plan.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._core import registry as _registry
from .._core import surface as _surface
from .._core.arrays import plain, wrap
from .._core.naming import name_op
from .._core.ndarray import ndarray
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.core import pointwise_cost
from .._costs.surface import logn_cost, matvec_cost, vecmat_cost
from .._symmetry.tensor import elementwise_symmetry, symmetry_of
from . import callbacks as _callbacks
from .generic import _zero_cost, make_free, show_numpy_signature

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__ = ["bind_as_is", "bind_modules"]


def _numpy_home(name: str) -> tuple[Any, str]:
    prefix, dot, short = name.rpartition(".")
    return (getattr(np, prefix) if dot else np), short


def _bind(name: str, impl: Any, cost: Callable[..., int] = _zero_cost) -> None:
    spec = _registry.get(name)
    spec.impl, spec.cost = impl, cost


# -- NumPy's own objects, unchanged ----------------------------------------------------------
def bind_as_is(family: str | None = None) -> None:
    """Bind the names of ``_surface.AS_IS`` to NumPy's objects: those of ``family`` (one
    bound on first use, ``registry.LAZY_FAMILIES``), or with None every other one."""
    for names in _surface.AS_IS.values():
        for name in names.split():
            if _registry.family_of(name) != family:
                continue
            module, short = _numpy_home(name)
            found = getattr(module, short, None)
            if found is not None:  # None: this NumPy (or platform) lacks it too
                _bind(name, found)


bind_as_is()


# -- free functions whose arrays come back as me.ndarray ---------------------------------------
def _free(name: str, doc: str) -> None:
    func = getattr(np, name)
    impl = make_free(name, func)
    impl.__name__ = impl.__qualname__ = name
    impl.__module__ = "mechestim"  # where pickle finds it
    impl.__doc__ = f"``numpy.{name}``, free; arrays come back as ``me.ndarray``.\n\n{doc}"
    impl.__wrapped__ = func  # type: ignore[attr-defined]  # NumPy's signature for help()
    _bind(name, impl)


for _name in ("ascontiguousarray", "asfortranarray", "loadtxt", "genfromtxt"):
    _free(_name, "Reads or converts data without arithmetic on it.")
for _name in ("save", "savez", "savez_compressed", "savetxt"):
    _free(_name, "Writes mechestim arrays as NumPy writes plain ones.")


def asanyarray(a: Any, dtype: Any = None, order: Any = None, **kwargs: Any) -> Any:
    """``numpy.asanyarray``, free: a ``me.ndarray`` (or ``SymmetricTensor``) comes back
    unchanged when no conversion is needed; anything else as a ``me.ndarray``."""
    return wrap(np.asanyarray(a, dtype, order, **kwargs))


show_numpy_signature(asanyarray, np.asanyarray)  # device=, copy=, like= as this NumPy has them
_bind("asanyarray", asanyarray)


class _NpzFile(np.lib.npyio.NpzFile):
    """``numpy.lib.npyio.NpzFile`` whose arrays come back as ``me.ndarray``."""

    def __getitem__(self, key: str) -> Any:
        return wrap(super().__getitem__(key))


def load(
    file: Any,
    mmap_mode: Any = None,
    allow_pickle: bool = False,
    fix_imports: bool = True,
    encoding: str = "ASCII",
    *,
    max_header_size: int = 10000,
) -> Any:
    """``numpy.load``, free: arrays come back as ``me.ndarray`` (an ``.npz`` archive's
    arrays too, as you read them). ``allow_pickle`` defaults to False, as in NumPy:
    loading pickled objects can run arbitrary code."""
    result = np.load(
        file,
        mmap_mode=mmap_mode,
        allow_pickle=allow_pickle,
        fix_imports=fix_imports,
        encoding=encoding,
        max_header_size=max_header_size,
    )
    if isinstance(result, np.lib.npyio.NpzFile):
        result.__class__ = _NpzFile
        return result
    return wrap(result)


_bind("load", load)


# -- the index tricks that build arrays ----------------------------------------------------------
class _IndexTrick:
    """NumPy's ``r_``/``c_``/``mgrid``/``ogrid`` indexing object, free, giving me.ndarray."""

    def __init__(self, name: str) -> None:
        self._trick = getattr(np, name)
        self._name = name
        self.__doc__ = (
            f"``numpy.{name}``, free: indexing it builds arrays without arithmetic on "
            "data; they come back as ``me.ndarray``."
        )

    def __getitem__(self, key: Any) -> Any:
        return wrap(self._trick[plain(key)])  # (mechestim arrays anywhere in the key)

    def __len__(self) -> int:
        return len(self._trick)

    def __repr__(self) -> str:
        return f"mechestim.{self._name} (numpy.{self._name}, results as me.ndarray)"


for _name in ("r_", "c_", "mgrid", "ogrid"):
    _bind(_name, _IndexTrick(_name))


# -- callbacks and types ---------------------------------------------------------------------------
for _name in ("apply_along_axis", "apply_over_axes", "piecewise", "vectorize", "frompyfunc"):
    _bind(_name, getattr(_callbacks, _name))
_bind("ndarray", ndarray)


# -- counted: matvec, vecmat ---------------------------------------------------------------------
# Each is stated once, as a plan (``_core.pipeline.planned``): its cost from the
# ``_costs.surface`` formula ``me.flops`` exposes, and how NumPy runs.
_P = inspect.Parameter
# What NumPy's generalized ufuncs (matvec, vecmat) accept.
_GUFUNC_SIGNATURE = inspect.Signature(
    [
        _P("x1", _P.POSITIONAL_ONLY),
        _P("x2", _P.POSITIONAL_ONLY),
        _P("out", _P.POSITIONAL_OR_KEYWORD, default=None),
        *(
            _P(name, _P.KEYWORD_ONLY, default=default)
            for name, default in (
                ("axes", None), ("axis", None), ("keepdims", False), ("casting", "same_kind"),
                ("order", "K"), ("dtype", None), ("subok", True), ("signature", None),
            )
        ),
    ]
)  # fmt: skip


def _contraction(name: str, rule: Callable[..., int], equation: str) -> None:
    def plan(x1: ArrayLike, x2: ArrayLike, /, out: Any = None, **kwargs: Any) -> Plan:
        cost = rule(np.shape(x1), np.shape(x2))
        # (None on NumPy < 2.2, where the registry refuses the op before it runs; its cost
        # rule still answers)
        run = numpy_plan(cost, getattr(np, name, None), x1, x2, out=out, **kwargs)
        return run._replace(out=out)  # NumPy returns the caller's out; so does the op

    doc = (
        f"``numpy.{name}`` (NumPy >= 2.2): the contraction ``{equation}`` over stacks.\n\n"
        f"Charged what the equivalent einsum costs: 2 * batch * m * n FLOPs (a multiply-add "
        f"is 2), as ``me.flops.{name}_cost(a.shape, b.shape)`` answers."
    )
    planned(name)(name_op(plan, name, "mechestim", doc, _GUFUNC_SIGNATURE))


_contraction("matvec", matvec_cost, "...ij,...j->...i")
_contraction("vecmat", vecmat_cost, "...j,...ji->...i")


# -- counted: me.emath (NumPy's scimath: complex results for out-of-domain reals) --------------
def _emath_unary(short: str) -> None:
    func = getattr(np.emath, short)

    def plan(x: ArrayLike) -> Plan:
        info = symmetry_of(x)  # element-wise: a SymmetricTensor keeps its symmetry
        return numpy_plan(pointwise_cost(np.shape(x), info), func, x)._replace(groups=info)

    doc = (
        f"``numpy.emath.{short}``: like ``me.{short}``, with complex results where the real "
        f"one is undefined.\n\nCharged what ``me.{short}`` charges: numel(x) FLOPs (at least 1; "
        "a SymmetricTensor's unique elements, and the result keeps its symmetry)."
    )
    planned(f"emath.{short}")(name_op(plan, short, "mechestim.emath", doc))


for _short in ("arccos", "arcsin", "arctanh", "log", "log10", "log2", "sqrt"):
    _emath_unary(_short)


def _power(x: ArrayLike, p: ArrayLike) -> Plan:
    both = np.broadcast_shapes(np.shape(x), np.shape(p))
    kept = elementwise_symmetry("emath.power", (x, p), both)
    return numpy_plan(pointwise_cost(both, kept), np.emath.power, x, p)._replace(groups=kept)


planned("emath.power")(
    name_op(
        _power,
        "power",
        "mechestim.emath",
        "``numpy.emath.power``: ``x ** p`` with complex results for negative ``x``.\n\n"
        "Charged what ``me.power`` charges: numel of the broadcast output (at least 1; its "
        "unique elements when the operands share a symmetry, which the result keeps).",
    )
)


def _logn(n: ArrayLike, x: ArrayLike) -> Plan:
    both = np.broadcast_shapes(np.shape(n), np.shape(x))
    kept = elementwise_symmetry("emath.logn", (n, x), both)
    cost = logn_cost(np.shape(n), np.shape(x), symmetry_of(n), symmetry_of(x), kept)
    return numpy_plan(cost, np.emath.logn, n, x)._replace(groups=kept)


planned("emath.logn")(
    name_op(
        _logn,
        "logn",
        "mechestim.emath",
        "``numpy.emath.logn``: the base-``n`` logarithm of ``x``, ``log(x) / log(n)``.\n\n"
        "Charged what that expression costs: numel(x) + numel(n) + numel(broadcast) FLOPs, "
        "as ``me.flops.logn_cost(n.shape, x.shape)`` answers.",
    )
)


# -- submodules (bound once they are imported) --------------------------------------------------------
def bind_modules(namespace: dict) -> None:
    """Bind the submodule entries (``fft``, ``linalg``, ``random``, ``emath``) to the
    modules in ``mechestim``'s namespace; ``testing`` and ``typing`` load on first use."""
    for name in ("fft", "linalg", "random", "emath"):
        _bind(name, namespace[name])


del _name, _short
