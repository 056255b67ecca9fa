"""``me.linalg``: NumPy's linear algebra, each call charged per cost-model §6.

Every operation here validates its input (square where it must be, matching shapes,
a dtype LAPACK accepts) and computes its charge from the shapes alone, before any
NumPy work runs; a refused call charges nothing. The pure formulas live in
``mechestim._costs.linalg`` and are re-exported by ``me.flops``, so
``me.flops.<op>_cost(...)`` is always what ``me.linalg.<op>`` charges.

Stacked inputs ``(..., m, n)`` are charged the per-matrix cost times the number of
matrices, for every function NumPy lets take stacks. If NumPy still raises after
the charge (a singular matrix in ``solve``, an SVD that does not converge on NaN
input), the work was done: the charge is kept (``mechestim._core.pipeline``).

The contraction-like names (``matmul``, ``tensordot``, ``outer``, ``cross``,
``vecdot``, ``trace``) are bound by ``mechestim._ops.contractions``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._core.arrays import numeric
from .._core.pipeline import Plan, numpy_plan, planned
from .._costs.core import as_int
from .._costs.linalg import (
    cholesky_cost,
    cond_cost,
    det_cost,
    eig_cost,
    eigh_cost,
    eigvals_cost,
    eigvalsh_cost,
    inv_cost,
    lstsq_cost,
    matrix_norm_cost,
    matrix_power_cost,
    matrix_rank_cost,
    multi_dot_cost,
    norm_cost,
    pinv_cost,
    qr_cost,
    slogdet_cost,
    solve_cost,
    svd_cost,
    svdvals_cost,
    tensorinv_cost,
    tensorsolve_cost,
    vector_norm_cost,
)
from .._symmetry.tensor import is_symmetric, symmetry_of, warn_loss

LinAlgError = np.linalg.LinAlgError  # a ValueError subclass: numpy-compatible and per spec

__all__: list[str] = []  # the ops are exported through the registry (me.linalg)

_LAPACK_DTYPES = frozenset(
    np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128)
)
_UNSET: Any = object()


# -- shared validation ------------------------------------------------------------------
def _array(op: str, x: Any, *, lapack: bool = True) -> np.ndarray:
    """``x`` as a plain array; non-numeric dtypes and dtypes LAPACK refuses are TypeErrors."""
    array = numeric(op, x)
    if lapack and array.dtype.kind in "fc" and array.dtype not in _LAPACK_DTYPES:
        raise TypeError(
            f"{op} does not support dtype {array.dtype} (LAPACK works in float32, float64, "
            "complex64 or complex128); convert the array first"
        )
    return array


def _matrices(op: str, array: np.ndarray, *, square: bool) -> tuple[int, int, int]:
    """``(m, n, batch)`` of a stack ``(..., m, n)``; LinAlgError (a ValueError) otherwise."""
    if array.ndim < 2:
        raise LinAlgError(
            f"{op} needs a matrix or a stack of matrices (..., M, N); got an array of "
            f"shape {array.shape}"
        )
    m, n = array.shape[-2:]
    if square and m != n:
        raise LinAlgError(
            f"{op} needs square matrices in the last two dimensions; got shape {array.shape}"
        )
    return m, n, math.prod(array.shape[:-2])


def _symmetric_matrix(x: Any) -> bool:
    """True when ``x`` is a SymmetricTensor symmetric in its last two axes."""
    info = symmetry_of(x)
    if info is None:
        return False
    return len(info.shape) >= 2 and info.is_symmetric_in(-2, -1)


def _square(op: str, a: Any) -> tuple[int, int]:
    """``(n, batch)`` of a stack of square matrices."""
    n, _, batch = _matrices(op, _array(op, a), square=True)
    return n, batch


def _square_cost(op: str, formula: Callable[..., int], *, symmetric: bool = False):
    """The cost rule of ``op(a)`` on a (stack of) square matrix: ``formula(n, batch=...)``,
    or, with ``symmetric``, ``formula(n, a_is_symmetric, batch=...)`` (a SymmetricTensor
    symmetric in its last two axes is cheaper)."""
    if symmetric:

        def cost(a) -> int:
            n, batch = _square(op, a)
            return formula(n, _symmetric_matrix(a), batch=batch)

    else:

        def cost(a) -> int:
            n, batch = _square(op, a)
            return formula(n, batch=batch)

    cost.__name__ = f"_{op.rpartition('.')[2]}_cost"
    return cost


def _check_uplo(op: str, uplo: Any) -> None:
    if uplo not in ("L", "U"):
        raise ValueError(f"{op}: UPLO must be 'L' or 'U', got {uplo!r}")


def _hermitian_cost(op: str, formula: Callable[..., int]):
    """The cost rule of ``op(a, UPLO)`` (eigh, eigvalsh): ``formula(n, batch=...)``."""

    def cost(a, UPLO: str = "L") -> int:
        _check_uplo(op, UPLO)
        n, batch = _square(op, a)
        return formula(n, batch=batch)

    cost.__name__ = f"_{op.rpartition('.')[2]}_cost"
    return cost


# -- decompositions ---------------------------------------------------------------------
@planned("linalg.cholesky")
def cholesky(a, /, *, upper: bool = False) -> Plan:
    """Cholesky factor of a (stack of) Hermitian positive-definite matrix, as NumPy.

    Costs ``n**3 // 3`` per ``n x n`` matrix (min 1), times the number of matrices.
    """
    n, batch = _square("linalg.cholesky", a)
    cost = cholesky_cost(n, batch=batch)
    return numpy_plan(cost, np.linalg.cholesky, a, upper=upper)


@planned("linalg.qr")
def qr(a, mode: str = "reduced") -> Plan:
    """QR factorisation, as ``numpy.linalg.qr`` (every mode).

    Costs ``2*M*N**2 - 2*N**3//3`` per matrix with ``M = max(m, n)``, ``N = min(m, n)``
    (20 x 10 -> 3,334), min 1, times the number of matrices.
    """
    op = "linalg.qr"
    if mode not in ("reduced", "complete", "r", "raw", "full", "f", "economic", "e"):
        raise ValueError(
            f"{op}: unrecognized mode {mode!r}; use 'reduced', 'complete', 'r' or 'raw'"
        )
    m, n, batch = _matrices(op, _array(op, a), square=False)
    cost = qr_cost(m, n, batch=batch)
    return numpy_plan(cost, np.linalg.qr, a, mode=mode)


_eig_cost = _square_cost("linalg.eig", eig_cost)


@planned("linalg.eig")
def eig(a) -> Plan:
    """Eigenvalues and right eigenvectors of a general square matrix, as NumPy.

    Costs ``10*n**3`` per ``n x n`` matrix, times the number of matrices.
    """
    return numpy_plan(_eig_cost(a), np.linalg.eig, a)


_eigvals_cost = _square_cost("linalg.eigvals", eigvals_cost)


@planned("linalg.eigvals")
def eigvals(a) -> Plan:
    """Eigenvalues of a general square matrix, as NumPy.

    Costs ``7*n**3`` per ``n x n`` matrix, times the number of matrices.
    """
    return numpy_plan(_eigvals_cost(a), np.linalg.eigvals, a)


_eigh_cost = _hermitian_cost("linalg.eigh", eigh_cost)


@planned("linalg.eigh")
def eigh(a, UPLO: str = "L") -> Plan:
    """Eigenvalues and eigenvectors of a Hermitian/symmetric matrix, as NumPy.

    Costs ``4*n**3 // 3`` per ``n x n`` matrix (10 -> 1,333), times the number of matrices.
    """
    return numpy_plan(_eigh_cost(a, UPLO), np.linalg.eigh, a, UPLO=UPLO)


_eigvalsh_cost = _hermitian_cost("linalg.eigvalsh", eigvalsh_cost)


@planned("linalg.eigvalsh")
def eigvalsh(a, UPLO: str = "L") -> Plan:
    """Eigenvalues of a Hermitian/symmetric matrix, as NumPy.

    Costs ``4*n**3 // 3`` per ``n x n`` matrix, times the number of matrices.
    """
    return numpy_plan(_eigvalsh_cost(a, UPLO), np.linalg.eigvalsh, a, UPLO=UPLO)


# -- SVD and its relatives ------------------------------------------------------------------
def _svd_k(op: str, k: Any, m: int, n: int, shape: tuple) -> int | None:
    if k is None:
        return None
    if isinstance(k, (bool, np.bool_)):
        raise TypeError(
            f"{op}: k must be an integer or None, got {k!r}; mechestim's svd takes k as its "
            "second argument, so pass NumPy's options by keyword (full_matrices=..., "
            "compute_uv=...)"
        )
    try:
        k = operator.index(k)
    except TypeError:
        raise TypeError(f"{op}: k must be an integer or None, got {k!r}") from None
    if not 1 <= k <= min(m, n):
        raise ValueError(
            f"{op}: k={k} is out of range for a matrix of shape {shape}; "
            f"it must satisfy 1 <= k <= min(m, n) = {min(m, n)}"
        )
    return k


# Truncated SVD by subspace iteration (see _top_k_svd). The thresholds only decide
# which algorithm runs; they never change the charge (always m*n*k).
_ITERATIVE_MIN_DIM = 128  # below this LAPACK's full SVD is cheap enough in wall time
_ITERATIVE_MAX_STEPS = 200
_ITERATIVE_TOL = 1e-12  # residual bound relative to the largest singular value
_SEED = 0x5EED  # fixed: results are reproducible and the user's RNG state is untouched
_svd_result_type: Any = None


def _svd_result(u, s, vh):
    """NumPy's SVDResult named tuple (U, S, Vh)."""
    global _svd_result_type
    if _svd_result_type is None:
        _svd_result_type = type(np.linalg.svd(np.eye(1)))
    return _svd_result_type(u, s, vh)


def _oversampling(k: int) -> int:
    return max(10, k // 2)


def _full_svd_flops(m: int, n: int) -> int:
    """Rough LAPACK work of a thin SVD with vectors (only used to choose an algorithm)."""
    r, big = min(m, n), max(m, n)
    return 6 * big * r * r + 20 * r**3


def _step_flops(m: int, n: int, b: int) -> int:
    """Rough work of one subspace-iteration step with block size ``b``."""
    return 4 * m * n * b + 6 * (m + n) * b * b + 20 * b**3


def _conj_t(x: np.ndarray) -> np.ndarray:
    xt = np.swapaxes(x, -1, -2)
    return xt.conj() if np.iscomplexobj(xt) else xt


def _top_k_svd(a: np.ndarray, k: int, compute_uv: bool):
    """Top-``k`` singular triplets of a (stack of) matrix by block subspace iteration.

    Returns ``(U, S, Vh)`` (or ``S``) or ``None`` when this is not worth it or did not
    converge; the caller then uses LAPACK's full SVD. Each step does
    ``Y = A V`` (V orthonormal, n x b with b = k + oversampling), the small SVD
    ``Y = Ub Sb W^H`` (Rayleigh-Ritz: ``Sb`` are the Ritz singular values, ``Ub`` and
    ``V W`` the Ritz vectors), then ``Z = A^H Ub``. Since ``A (V W) = Ub Sb`` holds by
    construction, ``||A^H u_i - s_i v_i||`` is the whole residual of triplet i; all top-k
    residuals must drop below ``_ITERATIVE_TOL * s_1`` (the singular-value error is
    then far below that). Otherwise ``V = orth(Z)`` (a power step on A^H A) and repeat.
    The run is abandoned as soon as the observed convergence rate predicts more steps
    than half a full SVD's work allows.
    """
    m, n = a.shape[-2:]
    r = min(m, n)
    if a.dtype.kind in "biu":
        a = a.astype(np.float64)
    if a.dtype not in (np.float64, np.complex128) or r < _ITERATIVE_MIN_DIM or a.size == 0:
        return None
    b = k + _oversampling(k)
    if 2 * b > r:
        return None
    budget = min(_full_svd_flops(m, n) // (2 * _step_flops(m, n, b)), _ITERATIVE_MAX_STEPS)
    if budget < 4:
        return None
    if not np.isfinite(a).all():
        return None  # NumPy reports the failure its own way
    tol = max(_ITERATIVE_TOL, 50 * np.finfo(np.float64).eps * math.sqrt(max(m, n)))
    ah = _conj_t(a)
    rng = np.random.default_rng(_SEED)
    v = np.linalg.qr(rng.standard_normal((*a.shape[:-2], n, b))).Q
    history: list[float] = []
    for step in range(budget):
        y = a @ v
        ub, sb, wh = np.linalg.svd(y, full_matrices=False)
        z = ah @ ub
        vr = v @ _conj_t(wh)
        scale = sb[..., :1]  # the largest Ritz value, per matrix
        resid = np.linalg.norm(z[..., :k] - vr[..., :k] * sb[..., None, :k], axis=-2)
        if np.all(resid <= tol * scale):
            s = np.ascontiguousarray(sb[..., :k])
            if not compute_uv:
                return s
            u = np.ascontiguousarray(ub[..., :k])
            vh = np.ascontiguousarray(_conj_t(vr[..., :k]))
            return _svd_result(u, s, vh)
        worst = float(np.max(resid / np.maximum(scale, np.finfo(np.float64).tiny)))
        history.append(worst)
        if step >= 3 and history[-3] > 0:
            rate = math.sqrt(worst / history[-3])
            if rate >= 0.995:
                return None
            needed = math.log(tol / worst) / math.log(rate)
            if step + needed > budget:
                return None
        v = np.linalg.qr(z).Q
    return None


@planned("linalg.svd")
def svd(
    a, k=None, *, full_matrices: bool = False, compute_uv: bool = True, hermitian: bool = False
) -> Plan:
    """Truncated singular value decomposition: the top-``k`` triplets of ``a``.

    Returns ``(U, S, Vh)`` (NumPy's ``SVDResult``) with ``U`` of shape ``(..., m, k)``,
    ``S`` ``(..., k)`` in descending order and ``Vh`` ``(..., k, n)``; ``k`` defaults
    to ``min(m, n)``, which is NumPy's thin SVD (``full_matrices=False``). With
    ``compute_uv=False`` only ``S`` is returned. ``full_matrices=True`` (only without
    ``k``) returns NumPy's full ``U (m, m)`` and ``Vh (n, n)``. ``hermitian`` is passed
    to NumPy when the full decomposition is computed.

    Costs ``m*n*k`` per matrix (``k`` defaulting to ``min(m, n)``), times the number
    of matrices; ``1 <= k <= min(m, n)``, else ValueError naming ``k``.

    When ``k`` is well below ``min(m, n)`` (float64/complex128 matrices of at least
    128 rows and columns) the top-k triplets come from a block subspace iteration with
    Rayleigh-Ritz extraction, which is much faster than a full SVD on matrices whose
    spectrum decays; it stops once every kept triplet's residual is below 1e-12 times
    the largest singular value, and falls back to LAPACK's full SVD whenever
    convergence is too slow to pay off. Singular values agree with NumPy's top k to
    roundoff; singular vectors are determined up to sign (phase), as with any SVD.
    """
    op = "linalg.svd"
    array = _array(op, a)
    m, n, batch = _matrices(op, array, square=hermitian)
    top = _svd_k(op, k, m, n, array.shape)
    if full_matrices and top is not None:
        raise ValueError(
            f"{op}: k={top} keeps only the top-k singular triplets, which contradicts "
            "full_matrices=True; use one or the other"
        )
    cost = svd_cost(m, n, top, batch=batch)
    return numpy_plan(
        cost,
        _svd_run,
        a,
        k,
        full_matrices=full_matrices,
        compute_uv=compute_uv,
        hermitian=hermitian,
    )


def _svd_run(a, k, *, full_matrices: bool, compute_uv: bool, hermitian: bool):
    """NumPy's SVD, or the top-``k`` triplets (see :func:`svd`)."""
    if full_matrices or k is None:
        return np.linalg.svd(
            a, full_matrices=full_matrices, compute_uv=compute_uv, hermitian=hermitian
        )
    a = np.asarray(a)
    r = min(a.shape[-2:])
    if k < r:
        result = _top_k_svd(a, k, compute_uv)
        if result is not None:
            return result
    full = np.linalg.svd(a, full_matrices=False, compute_uv=compute_uv, hermitian=hermitian)
    if k == r:
        return full
    if not compute_uv:
        return full[..., :k]
    u, s, vh = full
    return _svd_result(u[..., :k], s[..., :k], vh[..., :k, :])


@planned("linalg.svdvals")
def svdvals(x, /) -> Plan:
    """Singular values of a (stack of) matrix, descending, as NumPy.

    Costs ``m*n*min(m, n)`` per matrix, times the number of matrices.
    """
    m, n, batch = _matrices("linalg.svdvals", _array("linalg.svdvals", x), square=False)
    cost = svdvals_cost(m, n, batch=batch)
    return numpy_plan(cost, np.linalg.svdvals, x)


@planned("linalg.pinv")
def pinv(a, rcond=None, hermitian: bool = False, *, rtol=_UNSET) -> Plan:
    """Moore-Penrose pseudo-inverse (via an SVD), as NumPy.

    Costs ``m*n*min(m, n)`` per matrix, times the number of matrices.
    """
    op = "linalg.pinv"
    if rcond is not None and rtol is not _UNSET:
        raise ValueError(f"{op}: rcond and rtol cannot both be set")
    m, n, batch = _matrices(op, _array(op, a), square=hermitian)
    given = {} if rtol is _UNSET else {"rtol": rtol}
    cost = pinv_cost(m, n, batch=batch)
    return numpy_plan(cost, np.linalg.pinv, a, rcond=rcond, hermitian=hermitian, **given)


@planned("linalg.matrix_rank")
def matrix_rank(A, tol=None, hermitian: bool = False, *, rtol=None) -> Plan:
    """Numerical rank from the singular values, as NumPy.

    Costs ``m*n*min(m, n)`` per matrix, times the number of matrices; a 1-D array of
    length n counts as a ``1 x n`` matrix (n FLOPs).
    """
    op = "linalg.matrix_rank"
    if tol is not None and rtol is not None:
        raise ValueError(f"{op}: tol and rtol cannot both be set")
    array = numeric(op, A)
    if array.ndim < 2:  # NumPy: rank of a vector is 0 or 1, no SVD
        cost = matrix_rank_cost(1, array.size if array.ndim else 1)
    else:
        m, n, batch = _matrices(op, _array(op, array), square=hermitian)
        cost = matrix_rank_cost(m, n, batch=batch)
    return numpy_plan(cost, np.linalg.matrix_rank, A, tol=tol, hermitian=hermitian, rtol=rtol)


@planned("linalg.cond")
def cond(x, p=None) -> Plan:
    """Condition number of a (stack of) matrix in the norm ``p``, as NumPy.

    ``p`` in (None, 2, -2) uses an SVD: ``m*n*min(m, n)`` per matrix. Other orders
    (1, -1, inf, -inf, 'fro', 'nuc') need square matrices and cost an inverse plus
    two norms: ``n**3 + n*n`` per matrix. Times the number of matrices.
    """
    op = "linalg.cond"
    array = _array(op, x)
    uses_svd = p is None or (not isinstance(p, str) and _uses_svd(p))
    m, n, batch = _matrices(op, array, square=not uses_svd)
    if array.size == 0:
        raise LinAlgError(f"{op} is not defined on empty arrays; got shape {array.shape}")
    cost = cond_cost(m, n, p, batch=batch)
    return numpy_plan(cost, np.linalg.cond, x, p)


# -- solving, inverting, determinants ------------------------------------------------------
@planned("linalg.solve")
def solve(a, b) -> Plan:
    """Solve ``a x = b``, as NumPy (``b`` is a vector only when it is 1-D).

    Costs ``2*n**3//3 + 2*n**2*nrhs`` per system (LU); when ``a`` is a
    ``SymmetricTensor`` (symmetric in its last two axes) ``n**3//3 + 2*n**2*nrhs``.
    Times the number of (broadcast) systems. n=10, one rhs: 866, symmetric 533.
    """
    op = "linalg.solve"
    left = _array(op, a)
    right = _array(op, b)
    n, _, _ = _matrices(op, left, square=True)
    if right.ndim == 0:
        raise LinAlgError(f"{op}: b must be a vector (M,) or a stack (..., M, K); got a scalar")
    if right.ndim == 1:
        if right.shape[0] != n:
            raise LinAlgError(
                f"{op}: a has shape {left.shape} but b has shape {right.shape}; "
                f"b needs {n} rows"
            )
        nrhs, batch_shape = 1, left.shape[:-2]
    else:
        if right.shape[-2] != n:
            raise LinAlgError(
                f"{op}: a has shape {left.shape} but b has shape {right.shape}; "
                f"b needs {n} rows (b is a stack of (M, K) matrices unless it is 1-D)"
            )
        nrhs = right.shape[-1]
        try:
            batch_shape = np.broadcast_shapes(left.shape[:-2], right.shape[:-2])
        except ValueError:
            raise LinAlgError(
                f"{op}: the stack dimensions of a {left.shape} and b {right.shape} "
                "do not broadcast"
            ) from None
    cost = solve_cost(n, nrhs, _symmetric_matrix(a), batch=math.prod(batch_shape))
    return numpy_plan(cost, np.linalg.solve, a, b)


_inv_cost = _square_cost("linalg.inv", inv_cost, symmetric=True)


@planned("linalg.inv")
def inv(a) -> Plan:
    """Inverse of a (stack of) square matrix, as NumPy.

    Costs ``n**3`` per ``n x n`` matrix. A ``SymmetricTensor`` input (symmetric in its
    last two axes) costs ``n**3//3 + n**3//2`` (a symmetric factorisation, and only
    half the inverse is needed) and the result is a ``SymmetricTensor`` in those axes,
    after checking that the computed inverse is symmetric within ``as_symmetric``'s
    tolerance (if an ill-conditioned matrix breaks that, a ``SymmetryLossWarning`` is
    issued and a plain array returned). Times the number of matrices.
    """
    cost = _inv_cost(a)
    array = np.asarray(a)
    groups = _inverse_symmetry if _symmetric_matrix(a) else None
    return Plan(cost, np.linalg.inv, (array,), shapes=(array.shape,), groups=groups)


def _inverse_symmetry(result: np.ndarray) -> tuple | None:
    """The inverse of a symmetric matrix is symmetric in its last two axes, unless rounding
    on an ill-conditioned matrix broke that (then a SymmetryLossWarning, no symmetry)."""
    axes = (result.ndim - 2, result.ndim - 1)
    if is_symmetric(result, axes):
        return (axes,)
    warn_loss("linalg.inv", (axes,))
    return None


_det_cost = _square_cost("linalg.det", det_cost, symmetric=True)


@planned("linalg.det")
def det(a) -> Plan:
    """Determinant of a (stack of) square matrix, as NumPy.

    Costs ``2*n**3//3`` per matrix (LU; 10 -> 666), ``n**3//3`` for a
    ``SymmetricTensor`` input; times the number of matrices.
    """
    return numpy_plan(_det_cost(a), np.linalg.det, a)


_slogdet_cost = _square_cost("linalg.slogdet", slogdet_cost, symmetric=True)


@planned("linalg.slogdet")
def slogdet(a) -> Plan:
    """Sign and natural log of the absolute determinant, as NumPy.

    Costs ``2*n**3//3`` per matrix, ``n**3//3`` for a ``SymmetricTensor`` input;
    times the number of matrices.
    """
    return numpy_plan(_slogdet_cost(a), np.linalg.slogdet, a)


@planned("linalg.lstsq")
def lstsq(a, b, rcond=None) -> Plan:
    """Least-squares solution of ``a x = b``: ``(x, residuals, rank, s)`` as NumPy.

    Costs ``m*n*min(m, n)`` for an ``m x n`` matrix ``a``.
    """
    op = "linalg.lstsq"
    left = _array(op, a)
    right = _array(op, b)
    if left.ndim != 2:
        raise LinAlgError(f"{op} needs a 2-D coefficient matrix a; got shape {left.shape}")
    if right.ndim not in (1, 2):
        raise LinAlgError(f"{op} needs b of shape (M,) or (M, K); got shape {right.shape}")
    if right.shape[0] != left.shape[0]:
        raise LinAlgError(
            f"{op}: a has shape {left.shape} but b has shape {right.shape}; "
            "their first dimensions must match"
        )
    cost = lstsq_cost(*left.shape)
    return numpy_plan(cost, np.linalg.lstsq, a, b, rcond=rcond)


def _tensorsolve_shape(op: str, a: np.ndarray, b: np.ndarray, axes) -> tuple[int, ...]:
    shape = a.shape
    if axes is not None:
        order = list(range(a.ndim))
        for axis in axes:
            try:
                order.remove(operator.index(axis))
            except (TypeError, ValueError):
                raise ValueError(
                    f"{op}: axes={axes!r} must name distinct axes of a (shape {a.shape}) "
                    "as non-negative integers"
                ) from None
            order.append(operator.index(axis))
        shape = tuple(a.shape[i] for i in order)
    size = math.prod(shape[b.ndim:]) if a.ndim > b.ndim else 1
    if a.ndim <= b.ndim or a.size != size**2 or b.size != size:
        raise LinAlgError(
            f"{op}: a of shape {shape} (axes moved to the end) and b of shape {b.shape} do "
            "not form a square system: prod(a.shape[b.ndim:]) must equal "
            "prod(a.shape[:b.ndim]) and b.size"
        )
    return shape


@planned("linalg.tensorsolve")
def tensorsolve(a, b, axes=None) -> Plan:
    """Solve the tensor equation ``tensordot(a, x, x.ndim) = b``, as NumPy.

    Costs ``N**3`` with ``N = prod(a.shape[2:])`` (``a``'s shape after ``axes`` are
    moved to the end), per docs/cost-model.md §6.
    """
    op = "linalg.tensorsolve"
    shape = _tensorsolve_shape(op, _array(op, a), _array(op, b), axes)
    cost = tensorsolve_cost(shape)
    return numpy_plan(cost, np.linalg.tensorsolve, a, b, axes=axes)


@planned("linalg.tensorinv")
def tensorinv(a, ind: int = 2) -> Plan:
    """Inverse of an N-dimensional array with respect to ``tensordot``, as NumPy.

    Costs ``N**3`` with ``N = prod(a.shape[:ind])``.
    """
    op = "linalg.tensorinv"
    array = _array(op, a)
    if isinstance(ind, bool) or not hasattr(ind, "__index__") or ind <= 0:
        raise ValueError(f"{op}: ind must be a positive integer, got {ind!r}")
    ind = operator.index(ind)
    left, right = math.prod(array.shape[:ind]), math.prod(array.shape[ind:])
    if left != right:
        raise LinAlgError(
            f"{op}: a of shape {array.shape} with ind={ind} is not square: "
            f"prod(a.shape[:ind]) = {left} but prod(a.shape[ind:]) = {right}"
        )
    cost = tensorinv_cost(array.shape, ind)
    return numpy_plan(cost, np.linalg.tensorinv, a, ind=ind)


# -- products -----------------------------------------------------------------------------
def _multi_dot_cost(arrays: Sequence, *, out=None) -> int:
    op = "linalg.multi_dot"
    try:
        items = list(arrays)
    except TypeError:
        raise TypeError(f"{op} takes a sequence of arrays, got {type(arrays).__name__}") from None
    if len(items) < 2:
        raise ValueError(f"{op} needs at least two arrays, got {len(items)}")
    plain = [_array(op, x, lapack=False) for x in items]
    cost = multi_dot_cost([x.shape for x in plain])
    if out is not None:
        first, last = plain[0].shape, plain[-1].shape
        shape = (first[:1] if len(first) == 2 else ()) + (last[1:] if len(last) == 2 else ())
        dtype = np.result_type(*plain)
        if (
            not isinstance(out, np.ndarray)
            or out.shape != shape
            or out.dtype != dtype
            or not out.flags.c_contiguous
        ):
            raise ValueError(
                f"{op}: out must be a C-contiguous array of shape {shape} and dtype {dtype}"
            )
    return cost


@planned("linalg.multi_dot")
def multi_dot(arrays: Sequence, *, out=None) -> Plan:
    """Product of a chain of matrices in the cheapest order, as NumPy.

    Costs the optimal matrix-chain order's total, each ``p x q`` by ``q x r`` product
    ``2*p*q*r`` (``(3,4),(4,5),(5,6)`` -> 300). The first array may be 1-D (a row
    vector) and the last 1-D (a column vector).
    """
    cost = _multi_dot_cost(arrays, out=out)
    plain = [np.asarray(x) for x in arrays]
    kwargs = {} if out is None else {"out": out.view(np.ndarray)}
    shapes = tuple(x.shape for x in plain)
    return Plan(cost, np.linalg.multi_dot, (plain,), kwargs, shapes, out)


def _needs_lapack(n) -> bool:
    try:
        return operator.index(n) < 0
    except TypeError:
        return False


def _square_any(op: str, a) -> tuple[int, int]:
    n, _, batch = _matrices(op, _array(op, a, lapack=False), square=True)
    return n, batch


@planned("linalg.matrix_power")
def matrix_power(a, n) -> Plan:
    """``a`` raised to the integer power ``n`` by repeated squaring, as NumPy.

    Costs 0 for n in {0, 1}; for n > 1, ``floor(log2 n) + popcount(n) - 1`` matrix
    products at ``2*m**3`` each (what ``@`` charges; (10x10, 5) -> 6,000); a negative
    n adds an inverse, ``m**3``. Times the number of matrices.
    """
    op = "linalg.matrix_power"
    size, batch = _square(op, a) if _needs_lapack(n) else _square_any(op, a)
    exponent = as_int(n, "the exponent", op=op, allow_bool=True)
    cost = matrix_power_cost(size, exponent, batch=batch)
    return numpy_plan(cost, np.linalg.matrix_power, a, n)


# -- norms ----------------------------------------------------------------------------------

def _uses_svd(ord) -> bool:
    if isinstance(ord, str):
        return ord == "nuc"
    try:
        return ord is not None and float(ord) in (2.0, -2.0)
    except (TypeError, ValueError):
        return False


@planned("linalg.norm")
def norm(x, ord=None, axis=None, keepdims: bool = False) -> Plan:
    """Vector or matrix norm, as ``numpy.linalg.norm``; every slice is billed.

    A vector of length n costs ``n`` for ord in (None, +-1, +-2, +-inf, 0) and ``2n``
    for any other order; an ``m x n`` matrix costs ``2*m*n`` for None/'fro',
    ``m*n`` for +-1/+-inf and ``m*n*min(m, n)`` for +-2/'nuc' (an SVD). Times the
    number of vectors or matrices normed. With ``axis=None`` and ``ord=None`` an array
    of more than two dimensions is normed as one flattened vector.
    """
    op = "linalg.norm"
    array = numeric(op, x)
    cost = norm_cost(array.shape, ord, axis)
    matrix = (axis is None and array.ndim == 2) or (isinstance(axis, tuple) and len(axis) == 2)
    if matrix and _uses_svd(ord):
        _array(op, array)  # an SVD runs: LAPACK dtypes only
    return numpy_plan(cost, np.linalg.norm, x, ord=ord, axis=axis, keepdims=keepdims)


@planned("linalg.vector_norm")
def vector_norm(x, /, *, axis=None, keepdims: bool = False, ord=2) -> Plan:
    """Vector norm over ``axis`` (None: all elements), as NumPy.

    Costs numel(x) for ord in (None, +-1, +-2, +-inf, 0) and ``2*numel(x)`` for any
    other order: every element of every slice is read once (twice for a general p).
    """
    array = numeric("linalg.vector_norm", x)
    cost = vector_norm_cost(array.shape, ord, axis)
    return numpy_plan(cost, np.linalg.vector_norm, x, axis=axis, keepdims=keepdims, ord=ord)


@planned("linalg.matrix_norm")
def matrix_norm(x, /, *, keepdims: bool = False, ord="fro") -> Plan:
    """Matrix norm of the last two axes, as NumPy; every matrix of a stack is billed.

    Costs, per ``m x n`` matrix: None/'fro' ``2*m*n``; +-1/+-inf ``m*n``; +-2/'nuc'
    ``m*n*min(m, n)`` (an SVD); times the number of matrices.
    """
    op = "linalg.matrix_norm"
    array = numeric(op, x)
    if array.ndim < 2:
        raise ValueError(
            f"{op} needs a matrix or a stack of matrices (..., M, N); got shape {array.shape}"
        )
    cost = matrix_norm_cost(array.shape, ord)
    if _uses_svd(ord):
        _array(op, array)
    return numpy_plan(cost, np.linalg.matrix_norm, x, keepdims=keepdims, ord=ord)
