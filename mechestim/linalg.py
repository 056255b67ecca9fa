"""``me.linalg``: ``numpy.linalg`` with every operation charged against the FLOP budget.

Each function computes what its NumPy namesake computes and, before running,
charges an analytical cost derived from the input shapes (cost-model §6). The same
formulas are available without a budget as ``me.flops.<name>_cost``; for example
``me.flops.solve_cost(10)`` is 866, exactly what ``me.linalg.solve`` charges for a
10 x 10 system with one right-hand side.

Costs (``n`` is the order of a square matrix, ``m x n`` the shape otherwise):

=======================  =====================================================
``svd(a, k)``            ``m*n*k`` (``k`` defaults to ``min(m, n)``)
``svdvals``, ``pinv``,   ``m*n*min(m, n)``
``lstsq``,
``matrix_rank``
``cholesky``             ``n**3 // 3``
``qr``                   ``2*M*N**2 - 2*N**3//3`` (``M >= N``)
``eig`` / ``eigvals``    ``10*n**3`` / ``7*n**3``
``eigh``, ``eigvalsh``   ``4*n**3 // 3``
``solve``                ``2*n**3//3 + 2*n**2*nrhs`` (symmetric ``a``: ``n**3//3 + ...``)
``inv``                  ``n**3`` (symmetric: ``n**3//3 + n**3//2``)
``det``, ``slogdet``     ``2*n**3//3`` (symmetric: ``n**3//3``)
``cond``                 SVD orders: ``m*n*min(m, n)``; others ``n**3 + n*n``
``matrix_power(a, k)``   0 for k in {0, 1}; ``(floor(log2 k)+popcount(k)-1) * 2*n**3``;
                         k < 0 adds ``n**3``
``multi_dot``            optimal chain order, ``2*p*q*r`` per product
``tensorsolve``          ``N**3``, ``N = prod(a.shape[2:])``
``tensorinv``            ``N**3``, ``N = prod(a.shape[:ind])``
``norm`` and friends     every vector/matrix slice billed (see ``me.flops.norm_cost``)
=======================  =====================================================

Stacks of matrices ``(..., m, n)`` are charged per matrix times the number of
matrices. A ``SymmetricTensor`` (see ``me.as_symmetric``) passed to ``solve``,
``inv``, ``det`` or ``slogdet`` takes the cheaper symmetric formula, and ``inv``
returns a ``SymmetricTensor``.

``me.linalg.svd(a, k=None)`` is a truncated SVD: it returns the top-``k`` triplets
``U (m, k)``, ``S (k,)``, ``Vh (k, n)``; without ``k`` it is NumPy's thin SVD
(``full_matrices=True`` can be asked for explicitly). For small ``k`` on large
matrices it runs a subspace iteration that is much faster than a full SVD when the
spectrum decays, and falls back to LAPACK otherwise.

Bad input (a non-square matrix where a square one is needed, mismatched shapes, an
out-of-range ``k``, a dtype LAPACK cannot take) raises before anything is charged:
``numpy.linalg.LinAlgError`` (a ``ValueError``) or ``TypeError``, with the shape or
value at fault in the message. ``diagonal`` and ``matrix_transpose`` are free;
``matmul``, ``tensordot``, ``outer``, ``cross``, ``vecdot`` and ``trace`` cost what
their top-level counterparts cost.

``np.linalg.<f>(x)`` with a mechestim array ``x`` is routed here and charged the
same; plain NumPy arrays used with plain NumPy are not seen.
"""

from __future__ import annotations

from ._core import registry as _registry

__all__ = _registry.export(globals(), "linalg")

# ``me.linalg.<op>_cost`` (as in mechestim 0.2.0): the ``me.flops`` formula of each op.
_registry.export_cost_aliases(globals(), "linalg")


def __getattr__(name: str):
    raise _registry.missing_attribute("me.linalg", "linalg", name)
