"""Convolution, correlation and covariance: ``convolve``, ``correlate``, ``cov``,
``corrcoef``.

Cost formulas: :mod:`mechestim._costs.misc` (also ``me.flops.*``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .._core.args import probe
from .._core.arrays import numeric
from .._core.compat import reporting_at_user_line
from .._core.naming import name_op
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.misc import (
    convolve_cost,
    corrcoef_cost,
    correlate_cost,
    cov_cost,
)

if TYPE_CHECKING:  # (numpy.typing is imported only for type checkers: it slows import)
    from numpy.typing import ArrayLike

__all__: list[str] = []  # the ops are exported by the registry (me.clip, me.cov, ...)


_ONE = np.ones(1)


# -- convolution and correlation ---------------------------------------------------------
def _sliding(op: str, default_mode: str, doc: str) -> Callable[..., Any]:
    """``convolve`` or ``correlate`` of two 1-d sequences (NumPy's default ``mode``
    differs): the same checks and cost."""
    func = getattr(np, op)
    formula = convolve_cost if op == "convolve" else correlate_cost

    def plan(a: ArrayLike, v: ArrayLike, mode: str = default_mode) -> Plan:
        first, second = numeric(op, a), numeric(op, v)
        for name, arr in (("a", first), ("v", second)):
            if arr.ndim > 1:
                raise ValueError(f"{op}: {name} must be 1-dimensional, got shape {arr.shape}")
            if arr.size == 0:
                raise ValueError(f"{op}: {name} cannot be empty")
        if mode != default_mode:
            probe(op, lambda: np.correlate(_ONE, _ONE, mode=mode))
        return numpy_plan(formula(first.size, second.size), func, a, v, mode=mode)

    return planned(op)(name_op(plan, op, __name__, doc))


convolve = _sliding(
    "convolve",
    "full",
    """Discrete linear convolution of two 1-d sequences, as ``np.convolve``.

    Cost: a multiply-add (2 FLOPs) per pair of elements, ``2*numel(a)*numel(v)``,
    whatever ``mode``.
    """,
)
correlate = _sliding(
    "correlate",
    "valid",
    """Cross-correlation of two 1-d sequences, as ``np.correlate``.

    Cost: ``2*numel(a)*numel(v)`` whatever ``mode``.
    """,
)


# -- covariance and correlation coefficients ---------------------------------------------
def _variables(op: str, m: Any, y: Any, rowvar: bool) -> tuple[int, int]:
    """(p variables, n observations) as ``np.cov`` lays out ``m`` and ``y``."""
    x = numeric(op, m)
    if x.ndim > 2:
        raise ValueError(f"{op}: m must be at most 2-dimensional, got shape {x.shape}")
    rows = x.reshape(1, -1) if x.ndim < 2 else x
    if not rowvar and x.ndim == 2:
        rows = rows.T
    p, n = rows.shape
    if p == 0:
        return 0, n
    if y is not None:
        extra = numeric(op, y)
        if extra.ndim > 2:
            raise ValueError(f"{op}: y must be at most 2-dimensional, got shape {extra.shape}")
        more = extra.reshape(1, -1) if extra.ndim < 2 else extra
        if not rowvar and more.shape[0] != 1:
            more = more.T
        if more.shape[1] != n:
            raise ValueError(f"{op}: y has {more.shape[1]} observations per variable but m has {n}")
        p += more.shape[0]
    return p, n


def _observation_weights(op: str, name: str, weights: Any, n: int, integer: bool) -> None:
    if weights is None:
        return
    w = numeric(op, weights)
    if w.ndim > 1:
        raise ValueError(f"{op}: {name} must be 1-dimensional, got shape {w.shape}")
    if w.ndim == 0 or w.shape[0] != n:
        raise ValueError(f"{op}: {name} needs one value per observation ({n}), got shape {w.shape}")
    if integer and not np.all(w == np.around(w)):
        raise TypeError(f"{op}: {name} must hold integers")
    if np.any(w < 0):
        raise ValueError(f"{op}: {name} cannot be negative")


@planned("cov")
def cov(
    m: ArrayLike,
    y: Any = None,
    rowvar: bool = True,
    bias: bool = False,
    ddof: int | None = None,
    fweights: Any = None,
    aweights: Any = None,
    *,
    dtype: Any = None,
) -> Plan:
    """Covariance matrix of the variables in ``m`` (and ``y``), as ``np.cov``.

    Cost, for ``p`` variables observed ``n`` times (rows are variables unless
    ``rowvar=False``; ``y`` adds variables): ``2*p*n`` to centre plus ``2*p*p*n`` for
    the products. (3, 10): 240.
    """
    op = "cov"
    p, n = _variables(op, m, y, rowvar)
    if ddof is not None:
        try:
            whole = ddof == int(ddof)
        except (TypeError, ValueError):
            whole = False
        if not whole:
            raise ValueError(f"{op}: ddof must be an integer, got {ddof!r}")
    if p:
        _observation_weights(op, "fweights", fweights, n, integer=True)
        _observation_weights(op, "aweights", aweights, n, integer=False)
    cost = cov_cost(p, n)
    return numpy_plan(
        cost,
        reporting_at_user_line(np.cov),  # NumPy warns at its caller's line
        m,
        y,
        rowvar=rowvar,
        bias=bias,
        ddof=ddof,
        fweights=fweights,
        aweights=aweights,
        dtype=dtype,
    )


@planned("corrcoef")
def corrcoef(x: ArrayLike, y: Any = None, rowvar: bool = True, *, dtype: Any = None) -> Plan:
    """Pearson correlation coefficients of the variables in ``x`` (and ``y``), as
    ``np.corrcoef``.

    Cost: what :func:`cov` costs, plus ``p`` square roots of the diagonal, plus
    ``2*p*p`` to normalise: ``2*p*n + 2*p*p*n + p + 2*p*p``.
    """
    cost = corrcoef_cost(*_variables("corrcoef", x, y, rowvar))
    return numpy_plan(cost, reporting_at_user_line(np.corrcoef), x, y, rowvar=rowvar, dtype=dtype)
