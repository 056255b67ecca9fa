"""``me.random``: NumPy's random sampling, charged per cost-model §8.

Two ways to draw, both charged:

* the module-level functions (``me.random.normal``, ``randn``, ``choice``, ...) call
  NumPy's *global* ``RandomState`` functions, so ``me.random.seed(0)`` followed by
  mechestim draws gives exactly what ``np.random.seed(0)`` followed by the same NumPy
  draws gives (the two share one global state);
* ``me.random.default_rng(seed)`` returns a :class:`Generator`, a thin wrapper of
  ``numpy.random.Generator`` whose methods charge under ``"random.Generator.<method>"``
  and return ``me.ndarray``.

Costs: a sampler charges numel(output), at least 1 (``size`` by keyword or position,
else the broadcast shape of the array parameters, else 1 for a scalar draw; the
trailing dimension of ``multinomial``/``dirichlet``/``multivariate_normal`` counts);
reordering (``permutation``, ``shuffle``, ``choice`` without replacement) charges
``sort_cost(n)``; ``bytes(length)`` charges ``length``.

Arguments are validated before anything is charged. Parameter-value checks (``scale
< 0``, ``p > 1``, ...) are NumPy's own: the sampler is first called with an empty
output (``size=(0, ...)``), which runs NumPy's checks without drawing or touching the
generator's state. ``multivariate_normal`` is checked structurally first (its
positive-semidefinite check factorises ``cov``); if NumPy still refuses a call after
the charge, the charge is refunded, so a refused call never leaves a trace.

``shuffle`` reorders in place; a ``SymmetricTensor`` shuffled that way becomes a plain
``me.ndarray`` (the reordering breaks its symmetry).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._core import registry as _registry
from .._core.args import axis_index, broadcast_named
from .._core.arrays import numeric
from .._core.arrays import plain as unwrap
from .._core.compat import reporting_at_user_line
from .._core.naming import name_op
from .._core.pipeline import execute
from .._costs.core import as_count, as_shape, numel
from .._costs.random import (
    choice_cost,
    permutation_cost,
    permuted_cost,
    rand_cost,
    randn_cost,
    random_bytes_cost,
    random_sample_cost,
    sampler_cost,
    shuffle_cost,
)
from .._symmetry.tensor import release
from .generic import _zero_cost

__all__ = ["Generator", "default_rng"]

_MODULE = "mechestim.random"

_P = inspect.Parameter
_UNSET: Any = inspect.Parameter.empty


# Distribution samplers whose output is the broadcast of their parameters (or
# ``size``): name -> parameters in positional order ("x=" marks one with a default).
_DISTRIBUTIONS: dict[str, str] = {
    "beta": "a b",
    "binomial": "n p",
    "chisquare": "df",
    "exponential": "scale=",
    "f": "dfnum dfden",
    "gamma": "shape scale=",
    "geometric": "p",
    "gumbel": "loc= scale=",
    "hypergeometric": "ngood nbad nsample",
    "laplace": "loc= scale=",
    "logistic": "loc= scale=",
    "lognormal": "mean= sigma=",
    "logseries": "p",
    "negative_binomial": "n p",
    "noncentral_chisquare": "df nonc",
    "noncentral_f": "dfnum dfden nonc",
    "normal": "loc= scale=",
    "pareto": "a",
    "poisson": "lam=",
    "power": "a",
    "rayleigh": "scale=",
    "standard_cauchy": "",
    "standard_exponential": "",
    "standard_gamma": "shape",
    "standard_normal": "",
    "standard_t": "df",
    "triangular": "left mode right",
    "uniform": "low= high=",
    "vonmises": "mu kappa",
    "wald": "mean scale",
    "weibull": "a",
    "zipf": "a",
}
# Generator methods that take more than the legacy function, after ``size``.
_GENERATOR_EXTRAS: dict[str, tuple[str, ...]] = {
    "standard_exponential": ("dtype", "method", "out"),
    "standard_gamma": ("dtype", "out"),
    "standard_normal": ("dtype", "out"),
}


# -- argument helpers -------------------------------------------------------------------
def _signature(params: str, extras: Sequence[str] = (), size: bool = True) -> inspect.Signature:
    parameters = []
    for spec in params.split():
        name = spec.rstrip("=")
        default = _UNSET if not spec.endswith("=") else None
        parameters.append(_P(name, _P.POSITIONAL_OR_KEYWORD, default=default))
    if size:
        parameters.append(_P("size", _P.POSITIONAL_OR_KEYWORD, default=None))
    parameters.extend(_P(name, _P.POSITIONAL_OR_KEYWORD, default=None) for name in extras)
    return inspect.Signature(parameters)


# id(signature) -> (parameter names in order, required names, the signature)
_LAYOUTS: dict[int, tuple[tuple[str, ...], tuple[str, ...], inspect.Signature]] = {}


def _bind(op: str, sig: inspect.Signature, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The passed arguments by name (what ``sig.bind`` gives, without its overhead)."""
    layout = _LAYOUTS.get(id(sig))
    if layout is None or layout[2] is not sig:
        names = tuple(sig.parameters)
        required = tuple(n for n, p in sig.parameters.items() if p.default is _UNSET)
        layout = _LAYOUTS[id(sig)] = (names, required, sig)
    names, required = layout[0], layout[1]
    if len(args) > len(names):
        raise TypeError(f"{op}{sig}: takes at most {len(names)} arguments, {len(args)} given")
    values = dict(zip(names, args))
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(f"{op}{sig}: unexpected keyword argument {key!r}")
        if key in values:
            raise TypeError(f"{op}{sig}: multiple values for argument {key!r}")
        values[key] = value
    for name in required:
        if name not in values:
            raise TypeError(f"{op}{sig}: missing a required argument: {name!r}")
    return values


def _size_shape(op: str, size: Any) -> tuple[int, ...]:
    try:
        return as_shape(unwrap(size))
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{op}: bad size {size!r}: {exc}") from None


def _fit_size(op: str, shape: tuple[int, ...], batch: tuple[int, ...], what: str) -> None:
    """NumPy requires the parameters to broadcast *into* the requested output shape."""
    try:
        ok = tuple(np.broadcast_shapes(shape, batch)) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"{op}: {what} {shape} is not compatible with the broadcast shape {batch} "
            "of the parameters"
        )


def _check_out(op: str, out: Any, dtype: Any, size_shape: tuple[int, ...] | None) -> np.ndarray:
    """Generator ``out=`` arrays: C-contiguous, writable, of the requested dtype."""
    plain = unwrap(out)
    if not isinstance(plain, np.ndarray):
        raise TypeError(f"{op}: out must be an array, got {type(out).__name__}")
    flags = plain.flags
    if not (flags.c_contiguous and flags.writeable and flags.aligned):
        raise ValueError(f"{op}: out must be a C-contiguous, writable, aligned array")
    want = np.dtype(np.float64 if dtype is None else dtype)
    if plain.dtype != want:
        raise TypeError(f"{op}: out has dtype {plain.dtype} but the draw produces {want}")
    if size_shape is not None and size_shape != plain.shape:
        raise ValueError(f"{op}: size {size_shape} does not match out.shape {plain.shape}")
    return plain


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


# -- distribution samplers -------------------------------------------------------------------
def _distribution_plan(
    op: str, params: tuple[str, ...], func: Callable, values: dict[str, Any]
) -> tuple[int, tuple]:
    """Validate a bound sampler call; return (cost, parameter shapes)."""
    arrays = {k: numeric(op, unwrap(values[k])) for k in params if k in values}
    scalars = all(a.ndim == 0 for a in arrays.values())
    shapes = {name: array.shape for name, array in arrays.items()}
    batch = () if scalars else broadcast_named(op, shapes, "parameters")
    size, out = values.get("size"), values.get("out")
    size_shape = None if size is None else _size_shape(op, size)
    if out is not None:
        plain_out = _check_out(op, out, values.get("dtype"), size_shape)
        shape = plain_out.shape
        if not scalars:
            _fit_size(op, shape, batch, "out.shape")
    elif size_shape is not None:
        shape = size_shape
        if not scalars:
            _fit_size(op, shape, batch, "size")
    else:
        shape = batch
    if arrays or values.get("dtype") is not None or values.get("method") is not None:
        # NumPy's own parameter checks, on an empty draw: no values, no state change.
        extras = {k: v for k, v in values.items() if k in ("dtype", "method") and v is not None}
        func(**arrays, size=(0, *shape), **extras)
    return sampler_cost(shape), tuple(a.shape for a in arrays.values())


def _distribution_doc(short: str, params: str, where: str) -> str:
    shown = ", ".join(p.replace("=", "=...") for p in params.split())
    call = f"{short}({shown + ', ' if shown else ''}size=None)"
    return (
        f"Draw samples like ``numpy.random.{call}``{where}.\n\n"
        "Charged numel(output) FLOPs: the size given by keyword or position, else the\n"
        "broadcast shape of the array parameters; a scalar draw costs 1. Invalid\n"
        "parameters raise NumPy's error before anything is charged."
    )


_GLOBAL_STATE = " from NumPy's global generator (``me.random.seed`` seeds it)"


def _make_distribution(short: str) -> Callable:
    name = f"random.{short}"
    func = getattr(np.random, short)
    params = tuple(p.rstrip("=") for p in _DISTRIBUTIONS[short].split())
    sig = _signature(_DISTRIBUTIONS[short])

    def cost(*args: Any, **kwargs: Any) -> int:
        return _distribution_plan(name, params, func, _bind(name, sig, args, kwargs))[0]

    def op(*args: Any, **kwargs: Any) -> Any:
        values = _bind(name, sig, args, kwargs)
        flops, shapes = _distribution_plan(name, params, func, values)
        return execute(name, flops, shapes, lambda: func(**{k: unwrap(v) for k, v in values.items()}))

    doc = _distribution_doc(short, _DISTRIBUTIONS[short], _GLOBAL_STATE)
    return _registry.bind(name, cost=cost)(name_op(op, short, _MODULE, doc, sig))


# -- multivariate samplers (a trailing dimension) -------------------------------------------
def _vector(op: str, value: Any, what: str) -> np.ndarray:
    array = numeric(op, unwrap(value))
    if array.ndim != 1:
        raise ValueError(f"{op}: {what} must be one-dimensional, got shape {array.shape}")
    return array


def _dirichlet_plan(op: str, func: Callable, alpha: Any, size: Any) -> tuple[int, tuple]:
    alpha_arr = _vector(op, alpha, "alpha")
    lead = () if size is None else _size_shape(op, size)
    func(alpha_arr, size=(0, *lead))  # NumPy's value checks, nothing drawn
    return sampler_cost((*lead, alpha_arr.shape[0])), (alpha_arr.shape,)


def _multinomial_plan(
    op: str, func: Callable, n: Any, pvals: Any, size: Any, generator: bool
) -> tuple[int, tuple]:
    n_arr = numeric(op, unwrap(n))
    p_arr = numeric(op, unwrap(pvals))
    if generator:
        if p_arr.ndim < 1:
            raise ValueError(f"{op}: pvals must have at least one dimension, got a scalar")
        try:
            batch = tuple(np.broadcast_shapes(n_arr.shape, p_arr.shape[:-1]))
        except ValueError:
            raise ValueError(
                f"{op}: n {n_arr.shape} does not broadcast with pvals {p_arr.shape} "
                "(less its last axis)"
            ) from None
    else:
        if p_arr.ndim != 1:
            raise ValueError(f"{op}: pvals must be one-dimensional, got shape {p_arr.shape}")
        if n_arr.ndim != 0:
            raise TypeError(
                f"{op}: n must be a single integer, got an array of shape {n_arr.shape}"
            )
        batch = ()
    if size is None:
        lead = batch
    else:
        lead = _size_shape(op, size)
        _fit_size(op, lead, batch, "size")
    func(unwrap(n), p_arr, size=(0, *lead))  # NumPy's value checks, nothing drawn
    return sampler_cost((*lead, p_arr.shape[-1])), (p_arr.shape,)


_CHECK_VALID = ("warn", "raise", "ignore")
_MVN_METHODS = ("svd", "eigh", "cholesky")


def _mvn_plan(
    op: str, mean: Any, cov: Any, size: Any, check_valid: Any, method: Any = "svd"
) -> tuple[int, tuple]:
    mean_arr = _vector(op, mean, "mean")
    cov_arr = numeric(op, unwrap(cov))
    n = mean_arr.shape[0]
    if cov_arr.ndim != 2 or cov_arr.shape[0] != cov_arr.shape[1]:
        raise ValueError(f"{op}: cov must be a square 2-D array, got shape {cov_arr.shape}")
    if cov_arr.shape[0] != n:
        raise ValueError(
            f"{op}: mean has length {n} but cov has shape {cov_arr.shape}; they must match"
        )
    if check_valid not in _CHECK_VALID:
        raise ValueError(
            f"{op}: check_valid must be 'warn', 'raise' or 'ignore', got {check_valid!r}"
        )
    if method not in _MVN_METHODS:
        raise ValueError(f"{op}: method must be 'svd', 'eigh' or 'cholesky', got {method!r}")
    lead = () if size is None else _size_shape(op, size)
    return sampler_cost((*lead, n)), (mean_arr.shape, cov_arr.shape)


@_registry.bind(
    "random.dirichlet",
    cost=lambda alpha, size=None: _dirichlet_plan(
        "random.dirichlet", np.random.dirichlet, alpha, size
    )[0],
)
def dirichlet(alpha: Any, size: Any = None) -> Any:
    """Draw from the Dirichlet distribution like ``numpy.random.dirichlet`` (global state).

    Charged numel(output) FLOPs, the output being ``size + (len(alpha),)``.
    """
    flops, shapes = _dirichlet_plan("random.dirichlet", np.random.dirichlet, alpha, size)
    return execute("random.dirichlet", flops, shapes, lambda: np.random.dirichlet(unwrap(alpha), unwrap(size)))


@_registry.bind(
    "random.multinomial",
    cost=lambda n, pvals, size=None: _multinomial_plan(
        "random.multinomial", np.random.multinomial, n, pvals, size, False
    )[0],
)
def multinomial(n: int, pvals: Any, size: Any = None) -> Any:
    """Draw from the multinomial distribution like ``numpy.random.multinomial``.

    Charged numel(output) FLOPs, the output being ``size + (len(pvals),)``.
    """
    op = "random.multinomial"
    flops, shapes = _multinomial_plan(op, np.random.multinomial, n, pvals, size, False)
    return execute(op, flops, shapes, lambda: np.random.multinomial(unwrap(n), unwrap(pvals), unwrap(size)))


def _mvn_cost(
    mean: Any, cov: Any, size: Any = None, check_valid: str = "warn", tol: float = 1e-8
) -> int:
    return _mvn_plan("random.multivariate_normal", mean, cov, size, check_valid)[0]


@_registry.bind("random.multivariate_normal", cost=_mvn_cost)
def multivariate_normal(
    mean: Any, cov: Any, size: Any = None, check_valid: str = "warn", tol: float = 1e-8
) -> Any:
    """Draw from a multivariate normal like ``numpy.random.multivariate_normal``.

    Charged numel(output) FLOPs, the output being ``size + (len(mean),)``. Shapes and
    ``check_valid`` are validated first; if NumPy's own positive-semidefinite check of
    ``cov`` (``check_valid='raise'``) then refuses the call, the charge is refunded.
    """
    op = "random.multivariate_normal"
    flops, shapes = _mvn_plan(op, mean, cov, size, check_valid)
    plain = [unwrap(x) for x in (mean, cov, size)]
    return execute(op, flops, shapes, lambda: np.random.multivariate_normal(*plain, check_valid=check_valid, tol=tol))


# -- rand, randn, random ------------------------------------------------------------------
def _dims(op: str, dims: tuple) -> tuple[int, ...]:
    try:
        return as_shape(tuple(unwrap(d) for d in dims))
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{op}: bad dimensions {dims!r}: {exc}") from None


@_registry.bind("random.rand", cost=lambda *dims: rand_cost(*_dims("random.rand", dims)))
def rand(*dims: int) -> Any:
    """Uniform samples in [0, 1) of shape ``dims`` like ``numpy.random.rand`` (global state).

    Charged ``max(prod(dims), 1)`` FLOPs; ``rand()`` returns one float and costs 1.
    """
    shape = _dims("random.rand", dims)
    return execute("random.rand", rand_cost(*shape), (), lambda: np.random.rand(*shape))


@_registry.bind("random.randn", cost=lambda *dims: randn_cost(*_dims("random.randn", dims)))
def randn(*dims: int) -> Any:
    """Standard-normal samples of shape ``dims`` like ``numpy.random.randn`` (global state).

    Charged ``max(prod(dims), 1)`` FLOPs: ``randn(10, 20)`` costs 200.
    """
    shape = _dims("random.randn", dims)
    return execute("random.randn", randn_cost(*shape), (), lambda: np.random.randn(*shape))


def _make_uniform(short: str) -> Callable:
    name = f"random.{short}"
    func = getattr(np.random, short)

    def cost(size: Any = None) -> int:
        return random_sample_cost(None if size is None else _size_shape(name, size))

    def op(size: Any = None) -> Any:
        return execute(name, cost(size), (), lambda: func(unwrap(size)))

    doc = (
        f"Uniform samples in [0, 1) like ``numpy.random.{short}(size=None)`` from NumPy's\n"
        "global generator.\n\nCharged numel(size) FLOPs, at least 1 (a scalar draw costs 1)."
    )
    return _registry.bind(name, cost=cost)(name_op(op, short, _MODULE, doc))


# -- integers -------------------------------------------------------------------------------
def _integers_plan(
    op: str,
    low: Any,
    high: Any,
    size: Any,
    dtype: Any,
    *,
    inclusive: bool,
    low_default: int = 0,
) -> tuple[int, tuple]:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{op}: dtype {dtype!r} is not a NumPy dtype") from None
    if dt.kind not in "iub":
        raise TypeError(f"{op}: unsupported dtype {dt}; use an integer or bool dtype")
    lo = numeric(op, unwrap(low))
    if high is None:
        lo, hi = np.asarray(low_default), lo
    else:
        hi = numeric(op, unwrap(high))
    batch = broadcast_named(op, {"low": lo.shape, "high": hi.shape}, "parameters")
    if lo.size and hi.size:
        empty = np.greater(lo, hi) if inclusive else np.greater_equal(lo, hi)
        if np.any(empty):
            if high is None:
                raise ValueError(
                    f"{op}: high {'<' if inclusive else '<='} {low_default} (the single "
                    f"bound {low!r} is the upper limit)"
                )
            raise ValueError(f"{op}: low {'>' if inclusive else '>='} high (empty range)")
        info = np.iinfo(dt) if dt.kind != "b" else None
        lowest, highest = (0, 1) if info is None else (int(info.min), int(info.max))
        if np.any(np.less(lo, lowest)):
            raise ValueError(f"{op}: low is out of bounds for {dt}")
        if np.any(np.greater(hi, highest if inclusive else highest + 1)):
            raise ValueError(f"{op}: high is out of bounds for {dt}")
    if size is None:
        shape = batch
    else:
        shape = _size_shape(op, size)
        _fit_size(op, shape, batch, "size")
    return sampler_cost(shape), (lo.shape, hi.shape)


def _randint_cost(low: Any, high: Any = None, size: Any = None, dtype: Any = int) -> int:
    return _integers_plan("random.randint", low, high, size, dtype, inclusive=False)[0]


@_registry.bind("random.randint", cost=_randint_cost)
def randint(low: Any, high: Any = None, size: Any = None, dtype: Any = int) -> Any:
    """Random integers in ``[low, high)`` like ``numpy.random.randint`` (global state;
    ``[0, low)`` when ``high`` is None).

    Charged numel(output) FLOPs: ``size`` if given, else the broadcast shape of ``low``
    and ``high``; a scalar draw costs 1. Empty ranges and out-of-bounds limits are
    refused before anything is charged.
    """
    flops, shapes = _integers_plan("random.randint", low, high, size, dtype, inclusive=False)
    plain = [unwrap(x) for x in (low, high, size)]
    return execute("random.randint", flops, shapes, lambda: np.random.randint(*plain, dtype=dtype))


def _random_integers_plan(low: Any, high: Any, size: Any) -> tuple[int, tuple]:
    op = "random.random_integers"
    bound = high if high is not None else low
    bound_arr = numeric(op, unwrap(bound))
    if bound_arr.size != 1:
        raise TypeError(f"{op}: high must be a single number, got shape {bound_arr.shape}")
    top = int(bound_arr.reshape(())) + 1  # NumPy draws randint(low, int(high) + 1)
    lo = 1 if high is None else low
    return _integers_plan(op, lo, top, size, "l", inclusive=False)


@_registry.bind(
    "random.random_integers",
    cost=lambda low, high=None, size=None: _random_integers_plan(low, high, size)[0],
)
def random_integers(low: Any, high: Any = None, size: Any = None) -> Any:
    """Random integers in ``[low, high]`` like the deprecated
    ``numpy.random.random_integers`` (``[1, low]`` when ``high`` is None).

    Charged numel(output) FLOPs, at least 1. NumPy's DeprecationWarning is kept.
    """
    flops, shapes = _random_integers_plan(low, high, size)
    plain = [unwrap(x) for x in (low, high, size)]
    # NumPy's DeprecationWarning, at the caller's line rather than this one
    return execute(
        "random.random_integers",
        flops,
        shapes,
        reporting_at_user_line(np.random.random_integers),
        tuple(plain),
    )


# -- reordering and choice --------------------------------------------------------------------
def _permutation_n(op: str, x: Any, axis: Any = None) -> int:
    if _is_int(x):
        return int(x)
    array = numeric(op, unwrap(x))
    if array.ndim == 0:
        raise IndexError(f"{op}: x must be an integer or at least 1-dimensional, got {x!r}")
    return array.shape[0 if axis is None else axis_index(op, axis, array.ndim)]


@_registry.bind(
    "random.permutation", cost=lambda x: permutation_cost(_permutation_n("random.permutation", x))
)
def permutation(x: Any) -> Any:
    """A random permutation like ``numpy.random.permutation`` (global state): of
    ``arange(x)`` for an integer, else a shuffled copy of ``x`` along its first axis.

    Charged ``sort_cost(n) = max(n*ceil_log2(n), 1)`` FLOPs, ``n`` the integer or
    ``len(x)``: ``permutation(16)`` costs 64.
    """
    return execute("random.permutation", permutation_cost(_permutation_n("random.permutation", x)), (), lambda: np.random.permutation(unwrap(x)))


def _shuffle_n(op: str, x: Any, axis: Any = 0, generator: bool = False) -> int:
    if isinstance(x, np.ndarray):
        numeric(op, x)
        if x.ndim == 0:
            raise TypeError(f"{op}: cannot shuffle a 0-d array")
        return x.shape[axis_index(op, axis, x.ndim) if generator else 0]
    if isinstance(x, (str, bytes, tuple)) or not (
        hasattr(x, "__setitem__") and hasattr(x, "__len__")
    ):
        raise TypeError(f"{op}: x must be an array or a mutable sequence, got {type(x).__name__}")
    if generator and axis != 0:
        raise ValueError(f"{op}: axis={axis!r} is only supported for arrays; sequences use axis 0")
    return len(x)


def _plain_inplace(x: Any) -> Any:
    """The object NumPy should shuffle in place (a view for a mechestim array)."""
    return x.view(np.ndarray) if isinstance(x, np.ndarray) else x


@_registry.bind("random.shuffle", cost=lambda x: shuffle_cost(_shuffle_n("random.shuffle", x)))
def shuffle(x: Any) -> None:
    """Shuffle ``x`` in place along its first axis like ``numpy.random.shuffle``.

    Charged ``sort_cost(n)`` FLOPs, ``n = len(x)``. Returns None.
    """
    execute("random.shuffle", shuffle_cost(_shuffle_n("random.shuffle", x)), (), lambda: np.random.shuffle(_plain_inplace(x)))
    release(x)  # reordered in place: the symmetry no longer holds


def _choice_plan(
    op: str, a: Any, size: Any, replace: Any, p: Any, axis: Any = None
) -> tuple[int, tuple]:
    array = numeric(op, unwrap(a))
    lead = None if size is None else _size_shape(op, size)
    draws = 1 if lead is None else numel(lead)
    if array.ndim == 0:
        if array.dtype.kind not in "iu":
            raise ValueError(f"{op}: a must be a 1-dimensional array or an integer, got {a!r}")
        population = int(array)
        if population <= 0 and draws:
            raise ValueError(
                f"{op}: a must be greater than 0 unless no samples are taken, got {population}"
            )
    else:
        if axis is None:
            if array.ndim > 1:
                raise ValueError(f"{op}: a must be 1-dimensional, got shape {array.shape}")
            population = array.shape[0]
        else:
            population = array.shape[axis_index(op, axis, array.ndim)]
        if population == 0 and draws:
            raise ValueError(f"{op}: a cannot be empty unless no samples are taken")
    if p is not None:
        probs = numeric(op, unwrap(p))
        if probs.ndim != 1:
            raise ValueError(f"{op}: p must be 1-dimensional, got shape {probs.shape}")
        if probs.shape[0] != population:
            raise ValueError(
                f"{op}: a and p must have the same size ({population} and {probs.shape[0]})"
            )
        atol = np.sqrt(np.finfo(np.float64).eps)
        if probs.dtype.kind == "f":
            atol = max(atol, np.sqrt(np.finfo(probs.dtype).eps))
        if np.any(np.isnan(probs)):
            raise ValueError(f"{op}: probabilities p contain NaN")
        if np.any(probs < 0):
            raise ValueError(f"{op}: probabilities p are not non-negative")
        if abs(float(np.sum(probs, dtype=np.float64)) - 1.0) > atol:
            raise ValueError(f"{op}: probabilities p do not sum to 1")
    if not replace:
        if draws > population:
            raise ValueError(
                f"{op}: cannot take a sample of {draws} from a population of {population} "
                "when replace=False"
            )
        if p is not None and np.count_nonzero(probs > 0) < draws:
            raise ValueError(f"{op}: fewer non-zero entries in p than size ({draws})")
    flops = choice_cost(population, lead, bool(replace))
    return flops, (array.shape,)


def _choice_cost(a: Any, size: Any = None, replace: bool = True, p: Any = None) -> int:
    return _choice_plan("random.choice", a, size, replace, p)[0]


@_registry.bind("random.choice", cost=_choice_cost)
def choice(a: Any, size: Any = None, replace: bool = True, p: Any = None) -> Any:
    """Random sample from ``a`` (or ``arange(a)``) like ``numpy.random.choice`` (global
    state).

    Charged ``numel(size)`` FLOPs with replacement (1 when size is None) and
    ``sort_cost(n)`` without, ``n`` the population size.
    """
    flops, shapes = _choice_plan("random.choice", a, size, replace, p)
    plain = [unwrap(x) for x in (a, size)]
    return execute("random.choice", flops, shapes, lambda: np.random.choice(*plain, replace=replace, p=unwrap(p)))


@_registry.bind(
    "random.bytes", cost=lambda length: random_bytes_cost(as_count(length, "length", op="random.bytes", rule="be >= 0"))
)
def _random_bytes(length: int) -> bytes:
    """``length`` random bytes like ``numpy.random.bytes`` (global state).

    Charged ``max(length, 1)`` FLOPs.
    """
    n = as_count(length, "length", op="random.bytes", rule="be >= 0")
    return execute("random.bytes", random_bytes_cost(n), (), lambda: np.random.bytes(n))


name_op(_random_bytes, "bytes", _MODULE, _random_bytes.__doc__ or "")


# -- the Generator wrapper ---------------------------------------------------------------------
class Generator:
    """A charged wrapper of ``numpy.random.Generator`` (what ``me.random.default_rng``
    returns).

    Every sampling method draws exactly what the wrapped NumPy generator draws (same
    seed, same values), returns ``me.ndarray`` (scalars stay scalars) and charges the
    active budget under ``"random.Generator.<method>"`` with the cost rules of the
    module-level functions: numel(output) for samplers (``integers`` like ``randint``,
    ``random`` like ``random_sample``), ``sort_cost(n)`` for ``permutation`` and
    ``shuffle`` along ``axis``, ``(numel/n) * sort_cost(n)`` for ``permuted``,
    ``choice`` as ``random.choice`` (population along ``axis``), ``bytes(length)``
    ``length``. ``bit_generator`` and ``spawn`` are free.
    """

    __slots__ = ("_generator",)

    def __init__(self, bit_generator: Any) -> None:
        if isinstance(bit_generator, np.random.Generator):
            self._generator = bit_generator
        else:
            self._generator = np.random.Generator(bit_generator)

    @property
    def bit_generator(self) -> np.random.BitGenerator:
        """The underlying NumPy bit generator (free)."""
        return self._generator.bit_generator

    def spawn(self, n_children: int) -> list[Generator]:
        """``n_children`` independent child generators, each wrapped (free)."""
        return [Generator(child) for child in self._generator.spawn(n_children)]

    def __repr__(self) -> str:
        return f"mechestim.random.Generator({type(self.bit_generator).__name__})"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"mechestim's random.Generator does not provide {name!r}")

    def __getstate__(self) -> dict:
        return {"generator": self._generator}

    def __setstate__(self, state: dict) -> None:
        self._generator = state["generator"]

    # -- methods with their own rules (the samplers are added below) --
    def integers(
        self,
        low: Any,
        high: Any = None,
        size: Any = None,
        dtype: Any = np.int64,
        endpoint: bool = False,
    ) -> Any:
        """Random integers like ``numpy.random.Generator.integers``; charged numel(output)."""
        op = "random.Generator.integers"
        flops, shapes = _integers_plan(op, low, high, size, dtype, inclusive=bool(endpoint))
        plain = [unwrap(x) for x in (low, high, size)]
        return execute(op, flops, shapes, lambda: self._generator.integers(*plain, dtype=dtype, endpoint=endpoint))

    def random(self, size: Any = None, dtype: Any = np.float64, out: Any = None) -> Any:
        """Uniform floats in [0, 1) like ``numpy.random.Generator.random``; charged
        numel(size or out.shape), at least 1."""
        op = "random.Generator.random"
        lead = None if size is None else _size_shape(op, size)
        plain_out = None if out is None else _check_out(op, out, dtype, lead)
        if dtype is not None and np.dtype(dtype) not in (np.float32, np.float64):
            raise TypeError(f"{op}: unsupported dtype {np.dtype(dtype)}; use float32 or float64")
        shape = plain_out.shape if plain_out is not None else lead
        return execute(op, sampler_cost(shape), (), lambda: self._generator.random(unwrap(size), dtype=dtype, out=plain_out), out=out)

    def choice(
        self,
        a: Any,
        size: Any = None,
        replace: bool = True,
        p: Any = None,
        axis: int = 0,
        shuffle: bool = True,
    ) -> Any:
        """Random sample from ``a`` like ``numpy.random.Generator.choice``; charged
        numel(size) with replacement, sort_cost(population along axis) without."""
        op = "random.Generator.choice"
        flops, shapes = _choice_plan(op, a, size, replace, p, axis=axis)
        plain = [unwrap(x) for x in (a, size)]
        return execute(op, flops, shapes, lambda: self._generator.choice(
                *plain, replace=replace, p=unwrap(p), axis=axis, shuffle=shuffle
            ),
        )

    def permutation(self, x: Any, axis: int = 0) -> Any:
        """A permuted copy (or ``arange(x)``) like ``numpy.random.Generator.permutation``;
        charged sort_cost(n), ``n`` the length along ``axis``."""
        op = "random.Generator.permutation"
        return execute(op, permutation_cost(_permutation_n(op, x, axis)), (), lambda: self._generator.permutation(unwrap(x), axis=axis))

    def shuffle(self, x: Any, axis: int = 0) -> None:
        """Shuffle ``x`` in place along ``axis`` like ``numpy.random.Generator.shuffle``;
        charged sort_cost(n), ``n`` the length along ``axis``."""
        op = "random.Generator.shuffle"
        execute(op, shuffle_cost(_shuffle_n(op, x, axis, generator=True)), (), lambda: self._generator.shuffle(_plain_inplace(x), axis=axis))
        release(x)

    def permuted(self, x: Any, axis: int | None = None, out: Any = None) -> Any:
        """Shuffle every slice along ``axis`` independently, like
        ``numpy.random.Generator.permuted``; charged ``(numel/n) * sort_cost(n)``
        (``sort_cost(numel)`` for ``axis=None``)."""
        op = "random.Generator.permuted"
        array = numeric(op, unwrap(x))
        if axis is not None:
            axis_index(op, axis, array.ndim)
        plain_out = None
        if out is not None:
            plain_out = unwrap(out)
            if not isinstance(plain_out, np.ndarray):
                raise TypeError(f"{op}: out must be an array, got {type(out).__name__}")
            if plain_out.shape != array.shape:
                raise ValueError(
                    f"{op}: out has shape {plain_out.shape} but x has shape {array.shape}"
                )
        return execute(op, permuted_cost(array.shape, axis), (array.shape,), lambda: self._generator.permuted(array, axis=axis, out=plain_out), out=out)

    def bytes(self, length: int) -> bytes:
        """``length`` random bytes like ``numpy.random.Generator.bytes``; charged
        ``max(length, 1)``."""
        op = "random.Generator.bytes"
        n = as_count(length, "length", op=op, rule="be >= 0")
        return execute(op, random_bytes_cost(n), (), lambda: self._generator.bytes(n))

    def dirichlet(self, alpha: Any, size: Any = None) -> Any:
        """Dirichlet samples like ``numpy.random.Generator.dirichlet``; charged
        numel(size + (len(alpha),))."""
        op = "random.Generator.dirichlet"
        flops, shapes = _dirichlet_plan(op, self._generator.dirichlet, alpha, size)
        return execute(op, flops, shapes, lambda: self._generator.dirichlet(unwrap(alpha), unwrap(size)))

    def multinomial(self, n: Any, pvals: Any, size: Any = None) -> Any:
        """Multinomial samples like ``numpy.random.Generator.multinomial``; charged
        numel(output), the output being ``size`` (or the broadcast of ``n`` and
        ``pvals[..., 0]``) plus the trailing ``pvals.shape[-1]``."""
        op = "random.Generator.multinomial"
        flops, shapes = _multinomial_plan(op, self._generator.multinomial, n, pvals, size, True)
        return execute(op, flops, shapes, lambda: self._generator.multinomial(unwrap(n), unwrap(pvals), unwrap(size)))

    def multivariate_hypergeometric(
        self, colors: Any, nsample: int, size: Any = None, method: str = "marginals"
    ) -> Any:
        """Multivariate hypergeometric samples like NumPy's Generator method; charged
        numel(size + (len(colors),))."""
        op = "random.Generator.multivariate_hypergeometric"
        colors_arr = _vector(op, colors, "colors")
        lead = () if size is None else _size_shape(op, size)
        self._generator.multivariate_hypergeometric(
            colors_arr, unwrap(nsample), size=(0, *lead), method=method
        )  # checks only
        return execute(op, sampler_cost((*lead, colors_arr.shape[0])), (colors_arr.shape,), lambda: self._generator.multivariate_hypergeometric(
                colors_arr, unwrap(nsample), unwrap(size), method=method
            ),
        )

    def multivariate_normal(
        self,
        mean: Any,
        cov: Any,
        size: Any = None,
        check_valid: str = "warn",
        tol: float = 1e-8,
        *,
        method: str = "svd",
    ) -> Any:
        """Multivariate normal samples like NumPy's Generator method; charged
        numel(size + (len(mean),))."""
        op = "random.Generator.multivariate_normal"
        flops, shapes = _mvn_plan(op, mean, cov, size, check_valid, method)
        plain = [unwrap(x) for x in (mean, cov, size)]
        return execute(op, flops, shapes, lambda: self._generator.multivariate_normal(
                *plain, check_valid=check_valid, tol=tol, method=method
            ),
        )


def _make_generator_method(short: str) -> None:
    name = f"random.Generator.{short}"
    params = tuple(p.rstrip("=") for p in _DISTRIBUTIONS[short].split())
    extras = _GENERATOR_EXTRAS.get(short, ())
    sig = _signature(_DISTRIBUTIONS[short], extras)

    def method(self: Generator, *args: Any, **kwargs: Any) -> Any:
        func = getattr(self._generator, short)
        values = _bind(name, sig, args, kwargs)
        flops, shapes = _distribution_plan(name, params, func, values)
        out = values.get("out")
        plain = {k: unwrap(v) for k, v in values.items()}
        return execute(name, flops, shapes, lambda: func(**plain), out=out)

    method.__name__ = method.__qualname__ = short
    method.__doc__ = _distribution_doc(short, _DISTRIBUTIONS[short], " from this generator")
    method.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [_P("self", _P.POSITIONAL_OR_KEYWORD), *sig.parameters.values()]
    )
    setattr(Generator, short, method)


@_registry.bind("random.default_rng", cost=_zero_cost)
def default_rng(seed: Any = None) -> Generator:
    """A new :class:`Generator` like ``numpy.random.default_rng(seed)`` (free).

    ``seed`` may be None, an int, a ``SeedSequence``, a NumPy ``BitGenerator`` or
    ``Generator`` (wrapped, sharing its state), or a mechestim ``Generator`` (returned
    as is). Its draws equal NumPy's for the same seed and are charged; see
    :class:`Generator`.
    """
    if isinstance(seed, Generator):
        return seed
    return Generator(np.random.default_rng(unwrap(seed)))


for _short in _DISTRIBUTIONS:
    _make_distribution(_short)
    _make_generator_method(_short)
for _short in ("random", "random_sample", "ranf", "sample"):
    _make_uniform(_short)
del _short


# -- the rest of the family --------------------------------------------------------------------
# This module binds every ``random.*`` name when the family is first used
# (``registry.LAZY_FAMILIES``): besides the ops above, ``Generator``, ``RandomState`` (whose
# methods charge the cost rules bound above), NumPy's own objects (the bit generators,
# ``SeedSequence``, ...) and the free ``seed``/``get_state``/``set_state``.
def _bind_rest() -> None:
    from .generic import bind_generic
    from .random_state import RandomState
    from .surface import bind_as_is

    _registry.bind("random.Generator", cost=_zero_cost)(Generator)
    _registry.bind("random.RandomState", cost=_zero_cost)(RandomState)
    bind_as_is("random")
    bind_generic("random")


_bind_rest()
