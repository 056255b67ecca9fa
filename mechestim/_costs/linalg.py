"""Pure FLOP formulas of ``me.linalg`` (cost-model §6 and the ``linalg.*`` rows of docs/operations.md).

Every function takes dimensions (ints) or shapes and returns an int; none needs a
budget or touches data. ``me.linalg.<op>`` charges exactly what ``<op>_cost`` returns
for the same arguments, so these double as a planning tool.

Conventions shared by the matrix formulas:

* ``n`` is the order of a square matrix, ``m x n`` the shape of a rectangular one.
* ``batch`` is the number of matrices in a stack (``prod(a.shape[:-2])`` for an
  input of shape ``(..., m, n)``); the charge is the per-matrix cost times ``batch``.
* Each matrix costs at least 1 FLOP and so does the whole call, except the documented
  zero cases (``matrix_power`` with k in {0, 1}, ``multi_dot`` of fewer than two
  arrays).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .core import as_int, as_shape, numel

__all__ = [
    "svd_cost",
    "svdvals_cost",
    "cholesky_cost",
    "qr_cost",
    "eig_cost",
    "eigh_cost",
    "eigvals_cost",
    "eigvalsh_cost",
    "solve_cost",
    "inv_cost",
    "det_cost",
    "slogdet_cost",
    "lstsq_cost",
    "pinv_cost",
    "matrix_rank_cost",
    "cond_cost",
    "tensorsolve_cost",
    "tensorinv_cost",
    "norm_cost",
    "vector_norm_cost",
    "matrix_norm_cost",
    "multi_dot_cost",
    "matrix_power_cost",
]

_INF = math.inf


# -- argument checks ------------------------------------------------------------------
def _dim(name: str, value) -> int:
    """A non-negative integer dimension (bool refused), else TypeError/ValueError naming it."""
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{name} must be a non-negative integer, got {value!r}")
    value = int(value)
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value}")
    return value


def _batched(per_matrix: int, batch) -> int:
    """``per_matrix`` (floored at 1) times the stack size, and at least 1 overall."""
    batch = _dim("batch", batch)
    return max(max(per_matrix, 1) * batch, 1)


def _mnk(m, n) -> tuple[int, int, int]:
    m, n = _dim("m", m), _dim("n", n)
    return m, n, min(m, n)


# -- decompositions ---------------------------------------------------------------------
def svd_cost(m: int, n: int, k: int | None = None, *, batch: int = 1) -> int:
    """FLOPs of a truncated SVD of an ``m x n`` matrix keeping the top ``k`` triplets:
    ``m*n*k``, ``k`` defaulting to ``min(m, n)``; times ``batch``, the number of matrices.

    The default ``k`` is the full thin SVD; ``k`` must satisfy
    ``1 <= k <= min(m, n)``, else ``ValueError`` naming ``k``.
    ``svd_cost(256, 256, 10)`` is 655,360; ``svd_cost(100, 50)`` is 250,000.
    """
    m, n, r = _mnk(m, n)
    if k is None:
        k = r
    else:
        k = as_int(k, "k", op="svd")
        if not 1 <= k <= r:
            raise ValueError(
                f"svd: k={k} is out of range; it must satisfy 1 <= k <= min(m, n) = {r} "
                f"for a {m} x {n} matrix"
            )
    return _batched(m * n * k, batch)


def svdvals_cost(m: int, n: int, *, batch: int = 1) -> int:
    """FLOPs of the singular values only of an ``m x n`` matrix: ``m*n*min(m, n)``;
    times ``batch``, the number of matrices."""
    m, n, r = _mnk(m, n)
    return _batched(m * n * r, batch)


def cholesky_cost(n: int, *, batch: int = 1) -> int:
    """FLOPs of a Cholesky factorisation of an ``n x n`` matrix: ``n**3 // 3``
    (10 -> 333); times ``batch``, the number of matrices."""
    n = _dim("n", n)
    return _batched(n**3 // 3, batch)


def qr_cost(m: int, n: int, *, batch: int = 1) -> int:
    """FLOPs of a Householder QR of an ``m x n`` matrix: ``2*M*N**2 - 2*N**3//3`` with
    ``M = max(m, n)``, ``N = min(m, n)`` (20 x 10 -> 3,334), min 1; times ``batch``, the
    number of matrices."""
    m, n, r = _mnk(m, n)
    big = max(m, n)
    return _batched(2 * big * r**2 - (2 * r**3) // 3, batch)


def eig_cost(n: int, *, batch: int = 1) -> int:
    """FLOPs of the eigenvalues and eigenvectors of a general ``n x n`` matrix:
    ``10*n**3``; times ``batch``, the number of matrices."""
    n = _dim("n", n)
    return _batched(10 * n**3, batch)


def eigvals_cost(n: int, *, batch: int = 1) -> int:
    """FLOPs of the eigenvalues only of a general ``n x n`` matrix: ``7*n**3``; times
    ``batch``, the number of matrices."""
    n = _dim("n", n)
    return _batched(7 * n**3, batch)


def eigh_cost(n: int, *, batch: int = 1) -> int:
    """FLOPs of a symmetric/Hermitian eigendecomposition of an ``n x n`` matrix:
    ``4*n**3 // 3`` (10 -> 1,333); times ``batch``, the number of matrices."""
    n = _dim("n", n)
    return _batched(4 * n**3 // 3, batch)


def eigvalsh_cost(n: int, *, batch: int = 1) -> int:
    """FLOPs of the eigenvalues only of a symmetric/Hermitian ``n x n`` matrix:
    ``4*n**3 // 3``; times ``batch``, the number of matrices."""
    n = _dim("n", n)
    return _batched(4 * n**3 // 3, batch)


# -- solving, inverting, determinants ----------------------------------------------------
def solve_cost(n: int, nrhs: int = 1, symmetric: bool = False, *, batch: int = 1) -> int:
    """FLOPs of solving ``a x = b`` with ``a`` ``n x n`` and ``nrhs`` right-hand sides (LU):
    ``2*n**3//3 + 2*n**2*nrhs``; a symmetric ``a`` (a ``SymmetricTensor``) factors in
    half the work, ``n**3//3 + 2*n**2*nrhs``; times ``batch`` systems.

    n=10, one rhs -> 866 (symmetric 533); n=256, one rhs -> 11,315,882.
    """
    n, nrhs = _dim("n", n), _dim("nrhs", nrhs)
    factor = n**3 // 3 if symmetric else 2 * n**3 // 3
    return _batched(factor + 2 * n**2 * nrhs, batch)


def inv_cost(n: int, symmetric: bool = False, *, batch: int = 1) -> int:
    """FLOPs of the inverse of an ``n x n`` matrix: ``n**3``; symmetric:
    ``n**3//3 + n**3//2`` (10 -> 1,000, symmetric 833); times ``batch``, the number of
    matrices."""
    n = _dim("n", n)
    per = n**3 // 3 + n**3 // 2 if symmetric else n**3
    return _batched(per, batch)


def det_cost(n: int, symmetric: bool = False, *, batch: int = 1) -> int:
    """FLOPs of the determinant of an ``n x n`` matrix via LU: ``2*n**3//3``;
    symmetric: ``n**3//3`` (10 -> 666, symmetric 333); times ``batch``, the number of
    matrices."""
    n = _dim("n", n)
    return _batched(n**3 // 3 if symmetric else 2 * n**3 // 3, batch)


def slogdet_cost(n: int, symmetric: bool = False, *, batch: int = 1) -> int:
    """FLOPs of the sign and log-determinant of an ``n x n`` matrix via LU, as
    :func:`det_cost`: ``2*n**3//3``; symmetric: ``n**3//3``; times ``batch``."""
    return det_cost(n, symmetric, batch=batch)


def lstsq_cost(m: int, n: int) -> int:
    """FLOPs of least squares with an ``m x n`` coefficient matrix: ``m*n*min(m, n)``
    (whatever the number of right-hand sides)."""
    m, n, r = _mnk(m, n)
    return max(m * n * r, 1)


def pinv_cost(m: int, n: int, *, batch: int = 1) -> int:
    """FLOPs of the pseudo-inverse of an ``m x n`` matrix (an SVD): ``m*n*min(m, n)``;
    times ``batch``, the number of matrices."""
    m, n, r = _mnk(m, n)
    return _batched(m * n * r, batch)


def matrix_rank_cost(m: int, n: int, *, batch: int = 1) -> int:
    """FLOPs of the rank of an ``m x n`` matrix (an SVD): ``m*n*min(m, n)``; times
    ``batch``, the number of matrices. A vector of length ``n`` counts as ``1 x n``."""
    m, n, r = _mnk(m, n)
    return _batched(m * n * r, batch)


_COND_SVD = (None, 2, -2)
_COND_OTHER = (1, -1, _INF, -_INF, "fro", "nuc")


def _is_order(p, choices) -> bool:
    """Whether the norm order ``p`` is one of ``choices`` (compared the way NumPy does)."""
    if p is None or isinstance(p, str):
        return p in choices
    try:
        value = float(p)
    except (TypeError, ValueError):
        return False
    return any(c is not None and not isinstance(c, str) and value == c for c in choices)


def cond_cost(m: int, n: int, p=None, *, batch: int = 1) -> int:
    """FLOPs of the condition number of an ``m x n`` matrix in the norm ``p``: an SVD,
    ``m*n*min(m, n)``, for ``p`` in (None, 2, -2); for any other order (1, -1, inf,
    -inf, 'fro', 'nuc') an inverse of the (square) matrix and two norms,
    ``min(m, n)**3 + m*n``; times ``batch``, the number of matrices.
    """
    m, n, r = _mnk(m, n)
    if _is_order(p, _COND_SVD):
        per = m * n * r
    elif _is_order(p, _COND_OTHER):
        per = r**3 + m * n
    else:
        raise ValueError(
            f"cond: invalid norm order p={p!r}; use None, 1, -1, 2, -2, inf, -inf, 'fro' or 'nuc'"
        )
    return _batched(per, batch)


def tensorsolve_cost(a_shape: int | Sequence[int]) -> int:
    """FLOPs of ``tensorsolve`` with a coefficient tensor of shape ``a_shape``: ``N**3`` with
    ``N = prod(a_shape[2:])`` (the index split is taken at 2)."""
    shape = as_shape(a_shape)
    return max(numel(shape[2:]) ** 3, 1)


def tensorinv_cost(a_shape: int | Sequence[int], ind: int = 2) -> int:
    """FLOPs of ``tensorinv`` of a tensor of shape ``a_shape``: ``N**3`` with
    ``N = prod(a_shape[:ind])``; ``ind`` must be a positive integer."""
    shape = as_shape(a_shape)
    if isinstance(ind, bool) or not hasattr(ind, "__index__") or int(ind) <= 0:
        raise ValueError(f"tensorinv: ind must be a positive integer, got {ind!r}")
    return max(numel(shape[: int(ind)]) ** 3, 1)


# -- norms --------------------------------------------------------------------------------
_VECTOR_CHEAP = (None, 1, -1, 2, -2, _INF, -_INF, 0)
_MATRIX_SUM = (None, "fro", "f")
_MATRIX_ABS = (1, -1, _INF, -_INF)
_MATRIX_SVD = (2, -2, "nuc")


def _vector_factor(ord, where: str) -> int:
    if isinstance(ord, str):
        raise ValueError(f"{where}: invalid norm order {ord!r} for vectors")
    if ord is not None:
        try:
            float(ord)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: invalid norm order {ord!r} for vectors") from None
    return 1 if _is_order(ord, _VECTOR_CHEAP) else 2


def _matrix_per(m: int, n: int, ord, where: str) -> int:
    if _is_order(ord, _MATRIX_SUM):
        return 2 * m * n
    if _is_order(ord, _MATRIX_ABS):
        return m * n
    if _is_order(ord, _MATRIX_SVD):
        return m * n * min(m, n)
    raise ValueError(
        f"{where}: invalid norm order {ord!r} for matrices; use None, 'fro', 'nuc', "
        "1, -1, 2, -2, inf or -inf"
    )


def _axes(axis, ndim: int, where: str) -> tuple[int, ...]:
    items = axis if isinstance(axis, tuple) else (axis,)
    result = []
    for a in items:
        if isinstance(a, bool) or not hasattr(a, "__index__"):
            raise TypeError(f"{where}: axis must be None, an integer or a tuple of integers, "
                            f"got {axis!r}")
        a = int(a)
        if not -ndim <= a < ndim:
            raise ValueError(f"{where}: axis {a} is out of bounds for an array of dimension {ndim}")
        result.append(a % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"{where}: duplicate axes given in axis={axis!r}")
    return tuple(result)


def norm_cost(shape: int | Sequence[int], ord=None, axis=None) -> int:
    """FLOPs of ``linalg.norm`` of an array of ``shape``, per normed slice times the
    number of slices: a vector of length n costs ``n`` for ord in (None, +-1, +-2,
    +-inf, 0), else ``2n``; an m x n matrix None/'fro' ``2*m*n``, +-1/+-inf ``m*n``,
    +-2/'nuc' ``m*n*min(m, n)``.

    The normed dimensions are ``axis`` (an int: a vector norm; a 2-tuple: a matrix
    norm); with ``axis=None`` a 1-D array is a vector, a 2-D array a matrix, and with
    ``ord=None`` any other array is flattened into one vector.
    """
    dims = as_shape(shape)
    ndim = len(dims)
    total = numel(dims)
    if axis is None:
        if ord is None and ndim != 2:
            return max(total, 1)  # flattened 2-norm
        if ndim not in (1, 2):
            raise ValueError(
                f"norm: an array of shape {dims} needs axis= for ord={ord!r} "
                "(only 1-D or 2-D arrays are normed whole)"
            )
        normed = tuple(range(ndim))
    else:
        normed = _axes(axis, ndim, "norm")
    if len(normed) == 1:
        return max(_vector_factor(ord, "norm") * total, 1)
    if len(normed) == 2:
        m, n = dims[normed[0]], dims[normed[1]]
        slices = total // (m * n) if m * n else numel(d for i, d in enumerate(dims)
                                                      if i not in normed)
        return max(_matrix_per(m, n, ord, "norm") * slices, 1)
    raise ValueError(f"norm: axis={axis!r} names {len(normed)} axes; a norm takes 1 or 2")


def vector_norm_cost(shape: int | Sequence[int], ord=2, axis=None) -> int:
    """FLOPs of ``linalg.vector_norm``: numel(x), doubled for a general ``ord`` (not in
    None, +-1, +-2, +-inf, 0); ``axis`` (None, an int or a tuple) only selects the slices."""
    dims = as_shape(shape)
    if axis is not None:
        _axes(axis, len(dims), "vector_norm")
    return max(_vector_factor(ord, "vector_norm") * numel(dims), 1)


def matrix_norm_cost(shape: int | Sequence[int], ord="fro") -> int:
    """FLOPs of ``linalg.matrix_norm`` of a stack of shape ``(..., m, n)``, per matrix:
    None/'fro' ``2*m*n``; +-1/+-inf ``m*n``; +-2/'nuc' ``m*n*min(m, n)``; times
    the number of matrices."""
    dims = as_shape(shape)
    if len(dims) < 2:
        raise ValueError(f"matrix_norm needs an array of at least 2 dimensions, got shape {dims}")
    m, n = dims[-2:]
    return max(_matrix_per(m, n, ord, "matrix_norm") * numel(dims[:-2]), 1)


# -- products -----------------------------------------------------------------------------
def multi_dot_cost(shapes: Sequence[Sequence[int]]) -> int:
    """FLOPs of the chain product of matrices of ``shapes`` in the optimal order (dynamic programming),
    each product ``p x q`` times ``q x r`` costing ``2*p*q*r``.

    The first shape may be 1-D (a row vector) and the last 1-D (a column vector);
    the others must be 2-D with matching inner dimensions. Fewer than two shapes: 0;
    otherwise at least 1.
    ``[(3, 4), (4, 5), (5, 6)]`` -> 300.
    """
    shapes = [as_shape(s) for s in shapes]
    count = len(shapes)
    if count < 2:
        return 0
    dims: list[int] = []
    for i, shape in enumerate(shapes):
        if len(shape) == 1 and i in (0, count - 1):
            shape = (1, shape[0]) if i == 0 else (shape[0], 1)
        if len(shape) != 2:
            raise ValueError(
                f"multi_dot: array {i} has shape {shape}; arrays must be 2-D "
                "(only the first and the last may be 1-D)"
            )
        if i == 0:
            dims.append(shape[0])
        elif shape[0] != dims[-1]:
            raise ValueError(
                f"multi_dot: array {i} has shape {shapes[i]} but array {i - 1} has "
                f"{dims[-1]} columns; the inner dimensions must match"
            )
        dims.append(shape[1])
    # best[i][j]: cheapest product of arrays i..j (classic matrix-chain DP).
    best = [[0] * count for _ in range(count)]
    for length in range(1, count):
        for i in range(count - length):
            j = i + length
            best[i][j] = min(
                best[i][s] + best[s + 1][j] + 2 * dims[i] * dims[s + 1] * dims[j + 1]
                for s in range(i, j)
            )
    return max(best[0][count - 1], 1)  # a counted op charges at least 1 (empty operands)


def matrix_power_cost(n: int, k: int, *, batch: int = 1) -> int:
    """FLOPs of ``a**k`` for an ``n x n`` matrix by repeated squaring:
    ``floor(log2 k) + popcount(k) - 1`` products at ``2*n**3`` each (what ``@``
    charges) for k > 1, 0 for k in {0, 1}; a negative k adds an inverse, ``n**3``;
    times ``batch``, the number of matrices.

    (10 x 10, k=5) -> 6,000.
    """
    n = _dim("n", n)
    k = as_int(k, "the exponent", op="matrix_power")
    batch = _dim("batch", batch)
    if k < 0:
        return max(batch * n**3 + matrix_power_cost(n, -k, batch=batch), 1)
    if k <= 1:
        return 0
    products = k.bit_length() - 1 + bin(k).count("1") - 1
    return max(batch * products * 2 * n**3, 1)
