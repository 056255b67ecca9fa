"""The op table: every public name, its category, status and cost rule, and for each
counted name the ``me.flops`` formula its charge is computed by (``OpSpec.formula``).

This is the single source of truth about operations. Wrappers are built from it,
``me.flops`` queries the same cost rules, the module ``__getattr__`` fallbacks read
the blocked reasons from it, docs/operations.md states each counted op's formula, and
the tests compare it with the specification.

Names are public names: ``"exp"``, ``"linalg.svd"``, ``"fft.rfft"``, ``"random.randn"``.
Family modules bind an implementation and a cost rule to their names with
:func:`bind`; the generic families (unary, binary, reduction, free) are bound by
``mechestim._ops.generic``.

The tables below are the specification's 482 operations (revision 1). The rest of the
NumPy surface (revision 2: every public name of numpy, numpy.linalg, numpy.fft and
numpy.random, classified counted / free / refused) is data in ``_core.surface`` and bound
by ``_ops.surface``. A refused name raises ``UnsupportedFunctionError`` saying why and
what to use instead; a name newer than the running NumPy says which NumPy it needs.

Families bound on first use (``LAZY_FAMILIES``): ``random.*`` and ``fft.*``. Binding
them needs ``numpy.random`` and ``numpy.fft``, which NumPy itself imports only when
first used and which would add a sixth to ``import numpy`` (quality.md: ``import
mechestim`` <= 1.6x ``import numpy``). Their specs are built without ``impl`` and
``cost``; the first read of either, on any spec of the family, imports the module that
binds the whole family (:meth:`OpSpec.__getattr__`, the one lazy-loading mechanism).
Every reader goes through that read (``me.random.<name>`` and ``dir(me.fft)`` through
:func:`family_module`, ``np.fft.fft(me_array)`` through the protocol, the docs
generator, calibrate and tests reading ``spec.impl``), so none of them needs to know.
Once bound, the two attributes are plain slots again: reading them costs nothing more.
Everything else about these names (status, category, formula, ``me.flops``) is data
from the start.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as _np

from ..errors import UnsupportedFunctionError
from . import surface as _surface

COUNTED, FREE, BLOCKED = "counted", "free", "blocked"


@dataclass(slots=True)
class OpSpec:
    name: str
    module: str
    category: str
    status: str
    reason: str | None = None
    impl: Callable | None = None
    cost: Callable[..., int] | None = None
    instead: str | None = None  # blocked names: what to use instead
    since: str | None = None  # the NumPy version that introduced the name, if after 2.0
    # Counted names: the ``me.flops`` formula the charge is computed by (_FORMULAS below).
    formula: Callable[..., int] | None = None

    @property
    def short_name(self) -> str:
        return self.name.rpartition(".")[2]

    def __getattr__(self, attr: str) -> Any:
        # Called only for an unset slot: ``impl``/``cost`` of a family bound on first use
        # (LAZY_FAMILIES). Importing the family's module binds all of it; Python's import
        # lock makes another thread wait until that is done.
        if attr not in _LAZY_FIELDS:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {attr!r}")
        importlib.import_module(LAZY_FAMILIES[self.name.partition(".")[0]])
        try:
            return object.__getattribute__(self, attr)
        except AttributeError:  # a name the family does not bind (refused), or read while it binds
            setattr(self, attr, None)
            return None


# Families whose specs are bound on first use (see the module docstring): registry
# prefix -> the module that binds every name of the family when imported.
LAZY_FAMILIES = {"random": "mechestim._ops.random", "fft": "mechestim._ops.fft"}
_LAZY_FIELDS = ("impl", "cost")


def family_of(name: str) -> str | None:
    """The lazily bound family a public name belongs to (``"fft"``), else None."""
    prefix, dot, _ = name.partition(".")
    return prefix if dot and prefix in LAZY_FAMILIES else None


_UNARY = """
abs absolute acos acosh angle arccos arccosh arcsin arcsinh arctan arctanh around asin
asinh atan atanh bitwise_count bitwise_invert bitwise_not cbrt ceil conj conjugate cos
cosh deg2rad degrees exp exp2 expm1 fabs fix floor frexp i0 imag invert isclose
iscomplex iscomplexobj isnat isneginf isposinf isreal isrealobj log log10 log1p log2
logical_not modf nan_to_num negative positive rad2deg radians real real_if_close
reciprocal rint round sign signbit sin sinc sinh sort_complex spacing sqrt square tan
tanh trunc
"""

_BINARY = """
add arctan2 atan2 bitwise_and bitwise_left_shift bitwise_or bitwise_right_shift
bitwise_xor copysign divide divmod equal float_power floor_divide fmax fmin fmod gcd
greater greater_equal heaviside hypot lcm ldexp left_shift less less_equal logaddexp
logaddexp2 logical_and logical_or logical_xor maximum minimum mod multiply nextafter
not_equal pow power remainder right_shift subtract true_divide vecdot
"""

_REDUCTION = """
all amax amin any argmax argmin average count_nonzero cumprod cumsum cumulative_prod
cumulative_sum max mean median min nanargmax nanargmin nancumprod nancumsum nanmax
nanmean nanmedian nanmin nanpercentile nanprod nanquantile nanstd nansum nanvar
percentile prod ptp quantile std sum var
"""

_FREE = """
append arange argwhere array array_split asarray asarray_chkfinite astype atleast_1d
atleast_2d atleast_3d base_repr binary_repr block bmat broadcast_arrays broadcast_shapes
broadcast_to can_cast choose column_stack common_type compress concat concatenate copy
copyto delete diag diag_indices diag_indices_from diagflat diagonal dsplit dstack empty
empty_like expand_dims extract eye fft.fftfreq fft.fftshift fft.ifftshift fft.rfftfreq
fill_diagonal flatnonzero flip fliplr flipud from_dlpack frombuffer fromfile
fromfunction fromiter fromregex fromstring full full_like hsplit hstack identity indices
insert isdtype isfinite isfortran isinf isnan isscalar issubdtype iterable ix_
linalg.diagonal linalg.matrix_transpose linspace mask_indices matrix_transpose
may_share_memory meshgrid min_scalar_type mintypecode moveaxis ndim nonzero ones
ones_like packbits pad permute_dims place promote_types put put_along_axis putmask
random.default_rng random.get_state random.seed random.set_state ravel ravel_multi_index
repeat require reshape resize result_type roll rollaxis rot90 row_stack select shape
shares_memory size split squeeze stack swapaxes take take_along_axis tile transpose tri
tril tril_indices tril_indices_from trim_zeros triu triu_indices triu_indices_from
typename unpackbits unravel_index unstack vsplit vstack where zeros zeros_like
"""

_CUSTOM = """
allclose argpartition argsort array_equal array_equiv bartlett bincount blackman clip
convolve corrcoef correlate cov cross diff digitize dot ediff1d einsum einsum_path
fft.fft fft.fft2 fft.fftn fft.hfft fft.ifft fft.ifft2 fft.ifftn fft.ihfft fft.irfft
fft.irfft2 fft.irfftn fft.rfft fft.rfft2 fft.rfftn geomspace gradient hamming hanning
histogram histogram2d histogram_bin_edges histogramdd in1d inner interp intersect1d isin
kaiser kron lexsort linalg.cholesky linalg.cond linalg.cross linalg.det linalg.eig
linalg.eigh linalg.eigvals linalg.eigvalsh linalg.inv linalg.lstsq linalg.matmul
linalg.matrix_norm linalg.matrix_power linalg.matrix_rank linalg.multi_dot linalg.norm
linalg.outer linalg.pinv linalg.qr linalg.slogdet linalg.solve linalg.svd linalg.svdvals
linalg.tensordot linalg.tensorinv linalg.tensorsolve linalg.trace linalg.vecdot
linalg.vector_norm logspace matmul outer partition poly polyadd polyder polydiv polyfit
polyint polymul polysub polyval random.beta random.binomial random.bytes
random.chisquare random.choice random.dirichlet random.exponential random.f random.gamma
random.geometric random.gumbel random.hypergeometric random.laplace random.logistic
random.lognormal random.logseries random.multinomial random.multivariate_normal
random.negative_binomial random.noncentral_chisquare random.noncentral_f random.normal
random.pareto random.permutation random.poisson random.power random.rand random.randint
random.randn random.random random.random_integers random.random_sample random.ranf
random.rayleigh random.sample random.shuffle random.standard_cauchy
random.standard_exponential random.standard_gamma random.standard_normal
random.standard_t random.triangular random.uniform random.vonmises random.wald
random.weibull random.zipf roots searchsorted setdiff1d setxor1d sort tensordot trace
trapezoid trapz union1d unique unique_all unique_counts unique_inverse unique_values
unwrap vander vdot
"""

# Blocked names and why: each would either escape the FLOP model or change global state.
# (Revision 2 frees some of them: ``_surface.RECLASSIFIED``.)
_BLOCKED = {
    "would run arbitrary Python per element, uncounted": (
        "apply_along_axis apply_over_axes frompyfunc nested_iters piecewise"
    ),
    "string formatting is outside the FLOP model": (
        "array2string array_repr array_str format_float_positional format_float_scientific"
    ),
    "numpy.matrix is deprecated": "asmatrix",
    "datetime arithmetic is outside the FLOP model": (
        "busday_count busday_offset datetime_as_string datetime_data is_busday"
    ),
    "file I/O is outside the FLOP model": (
        "genfromtxt load loadtxt save savetxt savez savez_compressed"
    ),
    "build/introspection helper, no computation": "get_include show_config show_runtime",
    "changes global NumPy state": "getbufsize geterr geterrcall setbufsize seterr seterrcall",
}

# The ``me.flops`` formula each counted op's charge is computed by (``OpSpec.formula``):
# the op's plan calls it, docs/operations.md is rendered from it, and
# tests/test_formulas.py traces every cost rule to check that it is the one called. The
# generic families by category; a custom op's formula is ``me.flops.<short name>_cost``
# unless it is listed in _FORMULAS.
_CATEGORY_FORMULAS = {
    "unary": "pointwise_cost",
    "binary": "pointwise_cost",
    "emath": "pointwise_cost",
    "reduction": "reduction_cost",
}
_FORMULAS = {
    "vecdot_cost": "vecdot",
    "logn_cost": "emath.logn",
    "sort_array_cost": "sort argsort",
    "partition_cost": "argpartition",
    "unique_cost": "unique_all unique_counts unique_inverse unique_values",
    "set_op_cost": "in1d intersect1d isin setdiff1d setxor1d union1d",
    "trapezoid_cost": "trapz",
    "fftn_cost": "fft.fft2",
    "ifftn_cost": "fft.ifft2",
    "rfftn_cost": "fft.rfft2",
    "irfftn_cost": "fft.irfft2",
    "random_bytes_cost": "random.bytes",
    "random_sample_cost": "random.random random.ranf random.sample",
    "sampler_cost": """
        random.beta random.binomial random.chisquare random.dirichlet random.exponential
        random.f random.gamma random.geometric random.gumbel random.hypergeometric
        random.laplace random.logistic random.lognormal random.logseries random.multinomial
        random.multivariate_normal random.negative_binomial random.noncentral_chisquare
        random.noncentral_f random.normal random.pareto random.poisson random.power
        random.randint random.random_integers random.rayleigh random.standard_cauchy
        random.standard_exponential random.standard_gamma random.standard_normal
        random.standard_t random.triangular random.uniform random.vonmises random.wald
        random.weibull random.zipf
    """,
}
# Counted names whose charge no formula computes.
_NO_FORMULA = {"einsum_path": "plans an einsum without running it: charges nothing"}

# Functions that mechestim itself defines rather than NumPy (their module column).
_OWN_MODULES = {
    **dict.fromkeys("bartlett blackman hamming hanning kaiser".split(), "mechestim._window"),
    **dict.fromkeys(
        "poly polyadd polyder polydiv polyfit polyint polymul polysub polyval roots".split(),
        "mechestim._polynomial",
    ),
    "unwrap": "mechestim._unwrap",
}

_SUBMODULES = {
    "linalg": "numpy.linalg",
    "fft": "numpy.fft",
    "random": "numpy.random",
    "emath": "numpy.emath",
}


def _module_of(name: str) -> str:
    if name in _OWN_MODULES:
        return _OWN_MODULES[name]
    prefix, dot, _ = name.partition(".")
    return _SUBMODULES[prefix] if dot else "numpy"


def _build() -> dict[str, OpSpec]:
    table: dict[str, OpSpec] = {}

    def add(
        names: str, category: str, status: str, reason: str | None = None, instead: str | None = None
    ) -> None:
        for name in names.split():
            if name in table:
                raise RuntimeError(f"op {name!r} listed twice in the registry")
            since = _surface.SINCE.get(name)
            table[name] = OpSpec(
                name, _module_of(name), category, status, reason, instead=instead, since=since
            )

    add(_UNARY, "unary", COUNTED)
    add(_BINARY, "binary", COUNTED)
    add(_REDUCTION, "reduction", COUNTED)
    add(_CUSTOM, "custom", COUNTED)
    add(_FREE, "free", FREE)
    for reason, names in _BLOCKED.items():
        kept = " ".join(n for n in names.split() if n not in _surface.RECLASSIFIED)
        add(kept, "blocked", BLOCKED, reason, _surface.INSTEAD.get(reason))
    # Revision 2: the rest of the NumPy surface (library.md §4).
    for category, names in _surface.AS_IS.items():
        add(names, category, FREE)
    for category, names in _surface.WRAPPED.items():
        add(names, category, FREE)
    for category, names in _surface.COUNTED_OPS.items():
        add(names, category, COUNTED)
    for (reason, instead), names in _surface.REFUSED.items():
        add(names, "blocked", BLOCKED, reason, instead)
    _attach_formulas(table)
    for spec in table.values():
        if family_of(spec.name):
            for attr in _LAZY_FIELDS:
                delattr(spec, attr)  # unset: the first read binds the family
    return dict(sorted(table.items()))


def _attach_formulas(table: dict[str, OpSpec]) -> None:
    """Fill ``OpSpec.formula`` of every counted name from the tables above."""
    from .. import flops

    listed: dict[str, str] = {}
    for formula, names in _FORMULAS.items():
        for name in names.split():
            if name in listed or table[name].status != COUNTED:
                raise RuntimeError(f"op {name!r}: listed twice in _FORMULAS, or not counted")
            listed[name] = formula
    for spec in table.values():
        if spec.status != COUNTED or spec.name in _NO_FORMULA:
            continue
        default = _CATEGORY_FORMULAS.get(spec.category, f"{spec.short_name}_cost")
        formula = listed.get(spec.name, default)
        spec.formula = getattr(flops, formula, None)
        if spec.formula is None:
            raise RuntimeError(f"op {spec.name!r}: me.flops has no formula {formula!r}")


REGISTRY: dict[str, OpSpec] = _build()


def get(name: str) -> OpSpec:
    """The spec of a public op name; ``KeyError`` naming it when unknown."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"mechestim has no operation named {name!r}") from None


def bind(name: str, *, cost: Callable[..., int] | None = None):
    """Decorator: register ``impl`` (and its cost rule) as the implementation of ``name``."""
    spec = get(name)

    def decorate(impl: Callable) -> Callable:
        spec.impl = impl
        if cost is not None:
            spec.cost = cost
        return impl

    return decorate


def names_in(prefix: str) -> list[str]:
    """Public names living in a submodule (``"linalg"``) or at top level (``""``)."""
    if not prefix:
        return [n for n in REGISTRY if "." not in n]
    start = prefix + "."
    return [n for n in REGISTRY if n.startswith(start)]


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


NUMPY_VERSION = _version(_np.__version__)


def too_new(spec: OpSpec) -> bool:
    """True when the running NumPy predates the NumPy that introduced ``spec``'s name."""
    return spec.since is not None and _version(spec.since) > NUMPY_VERSION


def missing_attribute(module_label: str, prefix: str, attr: str) -> AttributeError:
    """The AttributeError for a name a mechestim module does not export: an
    ``UnsupportedFunctionError`` (why, what instead) for a name NumPy has, a plain
    "does not provide" for a name NumPy does not have either."""
    full = f"{prefix}.{attr}" if prefix else attr
    spec = REGISTRY.get(full)
    if spec is not None and spec.status == BLOCKED:
        return UnsupportedFunctionError(
            f"{module_label}.{attr} is not supported by mechestim: {spec.reason}; "
            f"instead, {spec.instead}"
        )
    if spec is not None and too_new(spec):
        return UnsupportedFunctionError(
            f"{module_label}.{attr} needs NumPy >= {spec.since} (this is numpy "
            f"{_np.__version__}); upgrade NumPy to use it"
        )
    return AttributeError(f"mechestim does not provide {module_label}.{attr}")


def export(namespace: dict, prefix: str = "") -> list[str]:
    """Put every bound, non-blocked op of ``prefix`` into a module's globals.

    Returns the exported short names (for ``__all__``). Names the module already
    defines itself are left alone.
    """
    exported = []
    for name in names_in(prefix):
        spec = REGISTRY[name]
        if spec.status == BLOCKED or spec.impl is None or too_new(spec):
            continue
        short = spec.short_name
        namespace.setdefault(short, spec.impl)
        exported.append(short)
    return exported


def family_module(namespace: dict, prefix: str, label: str) -> tuple[Callable, Callable]:
    """The PEP 562 ``__getattr__`` and ``__dir__`` of the module of a family bound on first
    use (``me.random``, ``me.fft``): the first lookup of a name the module lacks, or
    ``dir()``, exports the family's ops into it (reading their specs binds them) and
    sets ``__all__``; a name it still lacks raises :func:`missing_attribute`'s error."""

    def fill() -> None:
        if "__all__" not in namespace:
            namespace["__all__"] = export(namespace, prefix)

    def __getattr__(attr: str) -> Any:
        if attr == "__all__" or not attr.startswith("__"):
            fill()
            if attr in namespace:
                return namespace[attr]
        raise missing_attribute(label, prefix, attr)

    def __dir__() -> list[str]:
        fill()
        return sorted(namespace)

    return __getattr__, __dir__


def export_cost_aliases(namespace: dict, prefix: str) -> None:
    """Put ``<op>_cost`` (the ``me.flops`` formula) next to each op of ``prefix`` that has one."""
    from .. import flops

    for name in names_in(prefix):
        formula = getattr(flops, f"{REGISTRY[name].short_name}_cost", None)
        if formula is not None:
            namespace.setdefault(f"{REGISTRY[name].short_name}_cost", formula)
