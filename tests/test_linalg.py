"""me.linalg: charges (spec samples, me.flops twins, stacks, symmetric variants), values
against numpy.linalg, refused calls, and the truncated SVD."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from helpers import refused
from hypothesis import given, settings
from hypothesis import strategies as st

import mechestim as me
from mechestim._ops import linalg as _linalg_ops
from mechestim._symmetry.tensor import SymmetricTensor

F = me.flops
HYP = settings(max_examples=25, deadline=None)


def charged(fn, *args, **kwargs):
    """(flops charged, op name recorded, result) of one call in a fresh budget."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(10**15) as budget:
            result = fn(*args, **kwargs)
    log = budget.op_log
    return budget.flops_used, (log[-1].op_name if log else None), result


def cost(fn, *args, **kwargs) -> int:
    return charged(fn, *args, **kwargs)[0]


def general(rng, shape):
    """Well-conditioned (stack of) square matrices."""
    n = shape[-1]
    return rng.standard_normal(shape) + 2 * n * np.eye(n)


def spd(rng, shape):
    x = rng.standard_normal(shape)
    return x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])


def sym10():
    rng = np.random.default_rng(0)
    return me.as_symmetric(spd(rng, (10, 10)), (0, 1))


def close(got, want, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=rtol, atol=atol)


RNG = np.random.default_rng(42)
A10 = general(RNG, (10, 10))
A20x10 = RNG.standard_normal((20, 10))

# -- the spec's sample numbers ------------------------------------------------------------


def test_spec_samples_charged():
    assert cost(me.linalg.solve, A10, np.ones(10)) == 866
    assert cost(me.linalg.solve, sym10(), np.ones(10)) == 533
    assert cost(me.linalg.inv, A10) == 1_000
    assert cost(me.linalg.inv, sym10()) == 833
    assert cost(me.linalg.det, A10) == 666
    assert cost(me.linalg.qr, A20x10) == 3_334
    assert cost(me.linalg.cholesky, spd(RNG, (10, 10))) == 333
    assert cost(me.linalg.eigh, spd(RNG, (10, 10))) == 1_333
    assert cost(me.linalg.matrix_power, A10, 5) == 6_000
    chain = [np.ones((3, 4)), np.ones((4, 5)), np.ones((5, 6))]
    assert cost(me.linalg.multi_dot, chain) == 300
    assert cost(me.linalg.solve, general(RNG, (256, 256)), np.ones(256)) == 11_315_882


def test_spec_example_symmetric_solve_on_me_arrays():
    s10 = me.as_symmetric(me.eye(10), (0, 1))
    flops, name, x = charged(me.linalg.solve, s10, me.ones(10))
    assert (flops, name) == (533, "linalg.solve")
    close(x, np.ones(10))


def test_spec_samples_from_flops():
    assert F.solve_cost(10) == 866
    assert F.solve_cost(10, 1, True) == 533
    assert F.solve_cost(n=256, nrhs=1) == 11_315_882
    assert F.inv_cost(10) == 1_000
    assert F.inv_cost(10, symmetric=True) == 833
    assert F.det_cost(10) == 666
    assert F.slogdet_cost(10) == 666
    assert F.det_cost(10, symmetric=True) == 333
    assert F.qr_cost(20, 10) == 3_334
    assert F.qr_cost(10, 20) == 3_334
    assert F.cholesky_cost(10) == 333
    assert F.eigh_cost(10) == 1_333
    assert F.eigvalsh_cost(10) == 1_333
    assert F.eig_cost(10) == 10_000
    assert F.eigvals_cost(10) == 7_000
    assert F.matrix_power_cost(10, 5) == 6_000
    assert F.multi_dot_cost([(3, 4), (4, 5), (5, 6)]) == 300
    assert F.svd_cost(m=256, n=256, k=10) == 655_360
    assert F.svd_cost(100, 50) == 250_000
    assert F.svdvals_cost(100, 50) == 250_000


def test_formula_details():
    assert F.matrix_power_cost(10, 0) == F.matrix_power_cost(10, 1) == 0
    assert F.matrix_power_cost(10, 2) == 2_000
    assert F.matrix_power_cost(10, 3) == 4_000  # square, multiply
    assert F.matrix_power_cost(10, 4) == 4_000  # two squarings
    assert F.matrix_power_cost(10, 7) == 8_000  # floor(log2 7)=2, popcount 3 -> 4 products
    assert F.matrix_power_cost(10, -1) == 1_000
    assert F.matrix_power_cost(10, -5) == 7_000
    assert F.multi_dot_cost([]) == F.multi_dot_cost([(3, 4)]) == 0
    assert F.multi_dot_cost([(3, 4), (4, 5)]) == 120
    assert F.multi_dot_cost([(4,), (4, 5), (5,)]) == 2 * 4 * 5 + 2 * 4  # M @ col, then row @ that
    assert F.cond_cost(5, 5) == F.cond_cost(5, 5, 2) == F.cond_cost(5, 5, -2) == 125
    assert F.cond_cost(5, 5, 1) == F.cond_cost(5, 5, "fro") == F.cond_cost(5, 5, np.inf) == 150
    assert F.lstsq_cost(20, 10) == F.pinv_cost(20, 10) == F.matrix_rank_cost(20, 10) == 2_000
    assert F.tensorsolve_cost((2, 3, 6)) == 216
    assert F.tensorinv_cost((6, 2, 3), 1) == 216
    assert F.tensorinv_cost((2, 3, 6)) == 216
    # norms: every slice billed
    assert F.norm_cost((7,)) == 7
    assert F.norm_cost((7,), 3) == 14
    assert F.norm_cost((7,), 0) == F.norm_cost((7,), -np.inf) == 7
    assert F.norm_cost((4, 5)) == F.norm_cost((4, 5), "fro") == 40
    assert F.norm_cost((4, 5), 1) == F.norm_cost((4, 5), -np.inf) == 20
    assert F.norm_cost((4, 5), 2) == F.norm_cost((4, 5), "nuc") == 80
    assert F.norm_cost((3, 4, 5)) == 60  # flattened vector
    assert F.norm_cost((3, 4, 5), None, 1) == 60
    assert F.norm_cost((3, 4, 5), 3, -1) == 120
    assert F.norm_cost((3, 4, 5), 2, (1, 2)) == 3 * 80
    assert F.norm_cost((3, 4, 5), None, (0, 2)) == 4 * 30
    assert F.vector_norm_cost((3, 4)) == F.vector_norm_cost((3, 4), 1, (0,)) == 12
    assert F.vector_norm_cost((3, 4), 0.5) == 24
    assert F.matrix_norm_cost((2, 4, 5)) == 80
    assert F.matrix_norm_cost((4, 5), 2) == 80
    assert F.matrix_norm_cost((4, 5), -1) == 20
    # every counted formula charges at least 1
    for f in (F.cholesky_cost, F.eig_cost, F.eigh_cost, F.inv_cost, F.det_cost):
        assert f(0) == 1
    assert F.inv_cost(1, symmetric=True) == 1
    assert F.qr_cost(0, 3) == 1 and F.qr_cost(1, 1) == 2
    assert F.svd_cost(0, 3) == 1
    # stacks
    assert F.solve_cost(10, 3, batch=4) == 4 * (666 + 600)
    assert F.svd_cost(6, 4, 2, batch=5) == 5 * 48


def test_flops_refuses_bad_arguments():
    with pytest.raises(ValueError, match="k=11"):
        F.svd_cost(10, 20, 11)
    with pytest.raises(ValueError, match="k=0"):
        F.svd_cost(10, 20, 0)
    with pytest.raises(TypeError, match="k must be an integer"):
        F.svd_cost(10, 20, 2.5)
    with pytest.raises(ValueError, match="n must be a non-negative"):
        F.solve_cost(-1)
    with pytest.raises(TypeError, match="n must be"):
        F.inv_cost(2.0)
    with pytest.raises(ValueError, match="inner dimensions"):
        F.multi_dot_cost([(3, 4), (5, 6)])
    with pytest.raises(ValueError, match="invalid norm order"):
        F.norm_cost((3, 3), 3)
    with pytest.raises(ValueError, match="for vectors"):
        F.norm_cost((3,), "fro")
    with pytest.raises(ValueError, match="invalid norm order"):
        F.cond_cost(3, 3, 7)
    with pytest.raises(TypeError, match="exponent"):
        F.matrix_power_cost(3, 1.5)


# -- each op: charge == its rule == its me.flops twin, recorded under its public name -------
B = np.random.default_rng(5)
SQ3 = general(B, (2, 3, 5, 5))  # a stack of 6 matrices
SPD3 = spd(B, (2, 3, 5, 5))
R3 = B.standard_normal((2, 3, 6, 4))

TWINS = [
    ("cholesky", (SPD3,), {}, F.cholesky_cost(5, batch=6)),
    ("cholesky", (SPD3[0, 0],), {"upper": True}, F.cholesky_cost(5)),
    ("qr", (R3,), {}, F.qr_cost(6, 4, batch=6)),
    ("qr", (R3[0, 0].T,), {"mode": "complete"}, F.qr_cost(4, 6)),
    ("eig", (SQ3,), {}, F.eig_cost(5, batch=6)),
    ("eigvals", (SQ3,), {}, F.eigvals_cost(5, batch=6)),
    ("eigh", (SPD3,), {"UPLO": "U"}, F.eigh_cost(5, batch=6)),
    ("eigvalsh", (SPD3,), {}, F.eigvalsh_cost(5, batch=6)),
    ("svd", (R3,), {}, F.svd_cost(6, 4, batch=6)),
    ("svd", (R3, 2), {}, F.svd_cost(6, 4, 2, batch=6)),
    ("svd", (R3[0, 0],), {"full_matrices": True}, F.svd_cost(6, 4)),
    ("svd", (R3[0, 0], 3), {"compute_uv": False}, F.svd_cost(6, 4, 3)),
    ("svdvals", (R3,), {}, F.svdvals_cost(6, 4, batch=6)),
    ("pinv", (R3,), {}, F.pinv_cost(6, 4, batch=6)),
    ("matrix_rank", (R3,), {}, F.matrix_rank_cost(6, 4, batch=6)),
    ("matrix_rank", (np.arange(5.0),), {}, F.matrix_rank_cost(1, 5)),
    ("cond", (R3,), {}, F.cond_cost(6, 4, batch=6)),
    ("cond", (SQ3,), {"p": "fro"}, F.cond_cost(5, 5, "fro", batch=6)),
    ("cond", (SQ3[0, 0], -np.inf), {}, F.cond_cost(5, 5, -np.inf)),
    ("solve", (SQ3, B.standard_normal(5)), {}, F.solve_cost(5, batch=6)),
    ("solve", (SQ3, B.standard_normal((3, 5, 2))), {}, F.solve_cost(5, 2, batch=6)),
    ("solve", (SQ3[0, 0], B.standard_normal((4, 5, 3))), {}, F.solve_cost(5, 3, batch=4)),
    ("inv", (SQ3,), {}, F.inv_cost(5, batch=6)),
    ("det", (SQ3,), {}, F.det_cost(5, batch=6)),
    ("slogdet", (SQ3,), {}, F.slogdet_cost(5, batch=6)),
    ("lstsq", (R3[0, 0], B.standard_normal(6)), {}, F.lstsq_cost(6, 4)),
    ("lstsq", (R3[0, 0], B.standard_normal((6, 3))), {"rcond": None}, F.lstsq_cost(6, 4)),
    ("tensorsolve", (np.eye(6).reshape(2, 3, 6), np.ones((2, 3))), {}, F.tensorsolve_cost((2, 3, 6))),
    (
        "tensorsolve",
        (np.eye(6).reshape(6, 2, 3).transpose(1, 0, 2), np.ones((2, 3))),
        {"axes": (1,)},
        F.tensorsolve_cost((2, 3, 6)),
    ),
    ("tensorinv", (np.eye(6).reshape(6, 2, 3),), {"ind": 1}, F.tensorinv_cost((6, 2, 3), 1)),
    ("tensorinv", (np.eye(24).reshape(4, 6, 8, 3),), {}, F.tensorinv_cost((4, 6, 8, 3))),
    ("matrix_power", (SQ3, 3), {}, F.matrix_power_cost(5, 3, batch=6)),
    ("matrix_power", (SQ3, -2), {}, F.matrix_power_cost(5, -2, batch=6)),
    ("matrix_power", (np.arange(9).reshape(3, 3), 4), {}, F.matrix_power_cost(3, 4)),
    ("multi_dot", ([R3[0, 0].T, R3[0, 1], R3[1, 0].T, np.ones(6)],), {},
     F.multi_dot_cost([(4, 6), (6, 4), (4, 6), (6,)])),
    ("norm", (R3,), {}, F.norm_cost(R3.shape)),
    ("norm", (R3, 2, (2, 3)), {}, F.norm_cost(R3.shape, 2, (2, 3))),
    ("norm", (R3,), {"ord": 3, "axis": 1, "keepdims": True}, F.norm_cost(R3.shape, 3, 1)),
    ("norm", (R3[0, 0], "nuc"), {}, F.norm_cost((6, 4), "nuc")),
    ("vector_norm", (R3,), {}, F.vector_norm_cost(R3.shape)),
    ("vector_norm", (R3,), {"axis": (0, 2), "ord": 1.5}, F.vector_norm_cost(R3.shape, 1.5, (0, 2))),
    ("matrix_norm", (R3,), {}, F.matrix_norm_cost(R3.shape)),
    ("matrix_norm", (R3,), {"ord": -2, "keepdims": True}, F.matrix_norm_cost(R3.shape, -2)),
    ("matrix_norm", (R3,), {"ord": np.inf}, F.matrix_norm_cost(R3.shape, np.inf)),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "expected"),
    TWINS,
    ids=[f"{t[0]}-{i}" for i, t in enumerate(TWINS)],
)
def test_charge_equals_flops_twin_and_registry_rule(name, args, kwargs, expected):
    op = getattr(me.linalg, name)
    spec = me._core.registry.REGISTRY[f"linalg.{name}"]
    assert spec.cost(*args, **kwargs) == expected
    flops, recorded, result = charged(op, *args, **kwargs)
    assert flops == expected >= 1
    assert recorded == f"linalg.{name}"
    want = getattr(np.linalg, name)(*args, **kwargs) if name != "svd" else None
    if want is not None and name not in ("eig", "eigh", "qr"):
        _same(result, want)


def _same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            _same(g, w)
    else:
        close(got, want)
        if isinstance(want, np.ndarray):
            assert isinstance(got, me.ndarray)


def test_matrix_power_trivial_exponents_are_free():
    for k in (0, 1):
        flops, _, result = charged(me.linalg.matrix_power, A10, k)
        assert flops == 0
        close(result, np.linalg.matrix_power(A10, k))
    with me.BudgetContext(1) as budget:
        me.linalg.matrix_power(A10, 1)
    assert budget.flops_used == 0


def test_multi_dot_uses_the_optimal_order():
    rng = np.random.default_rng(1)
    dims = [10, 3, 40, 2, 30, 5]
    mats = [rng.standard_normal((dims[i], dims[i + 1])) for i in range(5)]

    def brute(lo, hi):  # cheapest parenthesisation of mats[lo..hi], exhaustively
        if lo == hi:
            return 0
        return min(
            brute(lo, s) + brute(s + 1, hi) + 2 * dims[lo] * dims[s + 1] * dims[hi + 1]
            for s in range(lo, hi)
        )

    flops, _, result = charged(me.linalg.multi_dot, mats)
    assert flops == brute(0, 4) == F.multi_dot_cost([m.shape for m in mats])
    close(result, np.linalg.multi_dot(mats))
    left_to_right = sum(2 * dims[0] * dims[i] * dims[i + 1] for i in range(1, 5))
    assert flops < left_to_right


def test_multi_dot_with_vectors_and_out():
    rng = np.random.default_rng(2)
    v, m1, m2, w = rng.standard_normal(3), rng.standard_normal((3, 4)), rng.standard_normal((4, 5)), rng.standard_normal(5)
    flops, _, result = charged(me.linalg.multi_dot, [v, m1, m2, w])
    assert flops == F.multi_dot_cost([(3,), (3, 4), (4, 5), (5,)])
    close(result, np.linalg.multi_dot([v, m1, m2, w]))
    out = np.empty((3, 5))
    got = me.linalg.multi_dot([m1, m2, np.eye(5)], out=out)
    assert got is out
    close(out, m1 @ m2)


# -- symmetric inputs --------------------------------------------------------------------------


def test_symmetric_variants_and_symmetric_inverse():
    s = sym10()
    plain = np.asarray(s)
    assert cost(me.linalg.det, s) == 333
    assert cost(me.linalg.slogdet, s) == 333
    assert cost(me.linalg.solve, s, np.ones((10, 3))) == F.solve_cost(10, 3, True) == 333 + 600
    flops, _, inverse = charged(me.linalg.inv, s)
    assert flops == 833
    assert isinstance(inverse, SymmetricTensor)
    assert inverse.symmetric_axes == ((0, 1),)
    close(inverse, np.linalg.inv(plain))
    close(me.linalg.det(s), np.linalg.det(plain))
    # a plain copy of the same data pays the general price
    assert cost(me.linalg.inv, plain) == 1_000


def test_symmetric_stack_inverse_keeps_matrix_symmetry():
    rng = np.random.default_rng(3)
    stack = me.as_symmetric(spd(rng, (4, 6, 6)), (1, 2))
    flops, _, inverse = charged(me.linalg.inv, stack)
    assert flops == F.inv_cost(6, symmetric=True, batch=4)
    assert isinstance(inverse, SymmetricTensor) and inverse.symmetric_axes == ((1, 2),)
    close(inverse, np.linalg.inv(np.asarray(stack)))
    # symmetry in batch axes only does not make the matrices symmetric
    batch_sym = me.as_symmetric(np.ones((3, 3, 2, 2)) + np.eye(2), (0, 1))
    assert cost(me.linalg.det, batch_sym) == F.det_cost(2, batch=9)


def test_symmetric_inverse_that_fails_validation_is_returned_plain():
    # Nearly singular: the computed inverse's asymmetry exceeds the tolerance.
    rng = np.random.default_rng(4)
    q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    a = (q * np.logspace(0, -15, 8)) @ q.T
    a = (a + a.T) / 2
    inverse = np.linalg.inv(a)
    if me.is_symmetric(inverse, (0, 1)):
        pytest.skip("this LAPACK produced a symmetric enough inverse")
    with pytest.warns(me.SymmetryLossWarning):
        result = me.linalg.inv(me.as_symmetric(a, (0, 1)))
    assert not isinstance(result, SymmetricTensor)
    close(result, inverse, rtol=1e-6, atol=0)


# -- values against numpy.linalg on generated inputs ------------------------------------------
batch_shapes = st.sampled_from([(), (2,), (1, 3), (2, 2)])
orders = st.integers(1, 6)
seeds = st.integers(0, 2**32 - 1)


@HYP
@given(batch=batch_shapes, n=orders, seed=seeds, nrhs=st.integers(1, 3))
def test_square_ops_match_numpy(batch, n, seed, nrhs):
    rng = np.random.default_rng(seed)
    a = general(rng, (*batch, n, n))
    p = spd(rng, (*batch, n, n))
    count = math.prod(batch)
    b_vec = rng.standard_normal(n)
    b_mat = rng.standard_normal((*batch, n, nrhs))
    checks = [
        ("det", (a,), F.det_cost(n, batch=count)),
        ("slogdet", (a,), F.slogdet_cost(n, batch=count)),
        ("inv", (a,), F.inv_cost(n, batch=count)),
        ("solve", (a, b_vec), F.solve_cost(n, batch=count)),
        ("solve", (a, b_mat), F.solve_cost(n, nrhs, batch=count)),
        ("cholesky", (p,), F.cholesky_cost(n, batch=count)),
        ("eigvals", (a,), F.eigvals_cost(n, batch=count)),
        ("eigvalsh", (p,), F.eigvalsh_cost(n, batch=count)),
        ("matrix_power", (a, 3), F.matrix_power_cost(n, 3, batch=count)),
        ("matrix_power", (a, -2), F.matrix_power_cost(n, -2, batch=count)),
        ("cond", (a, 1), F.cond_cost(n, n, 1, batch=count)),
    ]
    for name, args, expected in checks:
        flops, _, got = charged(getattr(me.linalg, name), *args)
        assert flops == expected, name
        _same(got, getattr(np.linalg, name)(*args))


@HYP
@given(batch=batch_shapes, n=orders, seed=seeds)
def test_eigendecompositions_are_valid(batch, n, seed):
    rng = np.random.default_rng(seed)
    a = general(rng, (*batch, n, n))
    p = spd(rng, (*batch, n, n))
    w, v = me.linalg.eig(a)
    close(np.asarray(a) @ np.asarray(v), np.asarray(v) * np.asarray(w)[..., None, :],
          rtol=1e-8, atol=1e-8)
    w, v = me.linalg.eigh(p)
    close(w, np.linalg.eigvalsh(p))
    close(p @ np.asarray(v), np.asarray(v) * np.asarray(w)[..., None, :], rtol=1e-8, atol=1e-8)


@HYP
@given(batch=batch_shapes, m=orders, n=orders, seed=seeds)
def test_rectangular_ops_match_numpy(batch, m, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((*batch, m, n))
    count, r = math.prod(batch), min(m, n)
    q, rr = me.linalg.qr(x)
    close(np.asarray(q) @ np.asarray(rr), x)
    assert cost(me.linalg.qr, x) == F.qr_cost(m, n, batch=count)
    for name, args, expected in [
        ("svdvals", (x,), F.svdvals_cost(m, n, batch=count)),
        ("pinv", (x,), F.pinv_cost(m, n, batch=count)),
        ("matrix_rank", (x,), F.matrix_rank_cost(m, n, batch=count)),
        ("cond", (x,), F.cond_cost(m, n, batch=count)),
        ("matrix_norm", (x,), F.matrix_norm_cost(x.shape)),
        ("norm", (x, None, (-2, -1)), F.norm_cost(x.shape, None, (-2, -1))),
        ("norm", (x, -1, -1), F.norm_cost(x.shape, -1, -1)),
        ("vector_norm", (x,), F.vector_norm_cost(x.shape)),
    ]:
        flops, _, got = charged(getattr(me.linalg, name), *args)
        assert flops == expected, name
        _same(got, getattr(np.linalg, name)(*args))
    k = int(rng.integers(1, r + 1))
    flops, _, (u, s, vh) = charged(me.linalg.svd, x, k)
    assert flops == F.svd_cost(m, n, k, batch=count)
    assert u.shape == (*batch, m, k) and s.shape == (*batch, k) and vh.shape == (*batch, k, n)
    close(s, np.linalg.svd(x, compute_uv=False)[..., :k])
    _assert_triplets(x, u, s, vh)
    if not batch:
        b = rng.standard_normal(m)
        flops, _, got = charged(me.linalg.lstsq, x, b)
        assert flops == F.lstsq_cost(m, n)
        _same(got[0], np.linalg.lstsq(x, b)[0])


@HYP
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
    ord=st.sampled_from([None, 1, -1, 2, -2, np.inf, -np.inf, 0, 3, 0.5]),
    seed=seeds,
    data=st.data(),
)
def test_vector_norms_match_numpy(shape, ord, seed, data):
    x = np.random.default_rng(seed).standard_normal(shape)
    axis = data.draw(st.sampled_from([None, *range(-len(shape), len(shape))]))
    if axis is not None or len(shape) == 1:
        flops, _, got = charged(me.linalg.norm, x, ord, axis)
        assert flops == F.norm_cost(shape, ord, axis)
        close(got, np.linalg.norm(x, ord, axis))
    vord = 2 if ord is None else ord
    flops, _, got = charged(me.linalg.vector_norm, x, axis=axis, ord=vord)
    assert flops == F.vector_norm_cost(shape, vord, axis) == math.prod(shape) * (
        2 if vord in (3, 0.5) else 1
    )
    close(got, np.linalg.vector_norm(x, axis=axis, ord=vord))


@pytest.mark.parametrize("ord", [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf])
def test_matrix_norms_bill_every_slice(ord):
    x = np.random.default_rng(6).standard_normal((3, 4, 5))
    m, n = 4, 5
    per = {None: 2 * m * n, "fro": 2 * m * n, "nuc": m * n * 4, 1: m * n, -1: m * n,
           2: m * n * 4, -2: m * n * 4, np.inf: m * n, -np.inf: m * n}[ord]
    flops, _, got = charged(me.linalg.norm, x, ord, (1, 2))
    assert flops == 3 * per
    close(got, np.linalg.norm(x, ord, (1, 2)))
    if ord is not None:
        flops, _, got = charged(me.linalg.matrix_norm, x, ord=ord)
        assert flops == 3 * per
        close(got, np.linalg.matrix_norm(x, ord=ord))
    flops, _, got = charged(me.linalg.norm, x[0], ord)
    assert flops == per
    close(got, np.linalg.norm(x[0], ord))


def test_numpy_functions_on_me_arrays_are_charged_once():
    a = me.asarray(A10)
    flops, name, got = charged(np.linalg.solve, a, np.ones(10))
    assert (flops, name) == (866, "linalg.solve")
    assert isinstance(got, me.ndarray)
    flops, name, _ = charged(np.linalg.norm, a)
    assert (flops, name) == (200, "linalg.norm")


# -- the truncated SVD --------------------------------------------------------------------------
def _decaying(rng, shape, rate, dtype=float):
    m, n = shape[-2:]
    r = min(m, n)

    def orth(rows):
        g = rng.standard_normal((*shape[:-2], rows, r))
        if dtype is complex:
            g = g + 1j * rng.standard_normal(g.shape)
        return np.linalg.qr(g)[0]

    u, v = orth(m), orth(n)
    return (u * rate ** np.arange(r)) @ np.conj(np.swapaxes(v, -1, -2))


def _assert_triplets(a, u, s, vh, tol=1e-9):
    """U, Vh orthonormal and A v_i = s_i u_i, A^H u_i = s_i v_i (sign-free checks)."""
    a, u, s, vh = (np.asarray(t) for t in (a, u, s, vh))
    k = s.shape[-1]
    scale = max(float(np.max(s, initial=0.0)), 1.0)
    eye = np.eye(k)
    uh = np.conj(np.swapaxes(u, -1, -2))
    v = np.conj(np.swapaxes(vh, -1, -2))
    np.testing.assert_allclose(uh @ u, np.broadcast_to(eye, uh.shape[:-2] + (k, k)), atol=tol)
    np.testing.assert_allclose(vh @ v, np.broadcast_to(eye, vh.shape[:-2] + (k, k)), atol=tol)
    np.testing.assert_allclose(a @ v, u * s[..., None, :], atol=tol * scale)
    np.testing.assert_allclose(
        np.conj(np.swapaxes(a, -1, -2)) @ u, v * s[..., None, :], atol=tol * scale
    )
    assert np.all(np.diff(s, axis=-1) <= 1e-12 * scale)


@pytest.mark.parametrize(
    ("shape", "k", "dtype"),
    [((400, 300), 5, float), ((300, 500), 12, float), ((3, 260, 200), 4, float),
     ((300, 200), 6, complex)],
)
def test_truncated_svd_iterates_and_matches_numpy_top_k(shape, k, dtype):
    rng = np.random.default_rng(8)
    a = _decaying(rng, shape, 0.7, dtype)
    assert _linalg_ops._top_k_svd(a, k, True) is not None  # the cheap path really ran
    flops, _, (u, s, vh) = charged(me.linalg.svd, a, k)
    m, n = shape[-2:]
    assert flops == F.svd_cost(m, n, k, batch=math.prod(shape[:-2]))
    assert u.shape == (*shape[:-2], m, k) and vh.shape == (*shape[:-2], k, n)
    assert u.dtype == np.linalg.svd(a[..., :2, :2])[0].dtype
    reference = np.linalg.svd(a, compute_uv=False)[..., :k]
    np.testing.assert_allclose(s, reference, rtol=1e-12, atol=1e-13)
    _assert_triplets(a, u, s, vh)
    # the rank-k reconstruction equals numpy's (unique: the gaps are wide)
    uf, sf, vhf = np.linalg.svd(a, full_matrices=False)
    best = (uf[..., :k] * sf[..., None, :k]) @ vhf[..., :k, :]
    np.testing.assert_allclose(np.asarray(u) * np.asarray(s)[..., None, :] @ np.asarray(vh),
                               best, atol=1e-11)
    values = me.linalg.svd(a, k, compute_uv=False)
    np.testing.assert_allclose(values, reference, rtol=1e-12, atol=1e-13)


def test_truncated_svd_falls_back_when_convergence_is_slow():
    a = np.random.default_rng(9).standard_normal((300, 300))  # flat spectrum, tiny gaps
    assert _linalg_ops._top_k_svd(a, 10, True) is None
    u, s, vh = me.linalg.svd(a, 10)
    uf, sf, vhf = np.linalg.svd(a)
    np.testing.assert_array_equal(s, sf[:10])
    np.testing.assert_array_equal(u, uf[:, :10])
    np.testing.assert_array_equal(vh, vhf[:10])


def test_truncated_svd_of_rank_deficient_and_zero_matrices():
    rng = np.random.default_rng(10)
    a = rng.standard_normal((300, 3)) @ rng.standard_normal((3, 200))
    u, s, vh = me.linalg.svd(a, 6)
    ref = np.linalg.svd(a, compute_uv=False)[:6]
    np.testing.assert_allclose(s, ref, atol=1e-12 * ref[0])
    _assert_triplets(a, u, s, vh)
    zero = np.zeros((200, 150))
    u, s, vh = me.linalg.svd(zero, 3)
    np.testing.assert_array_equal(s, np.zeros(3))
    _assert_triplets(zero, u, s, vh)


def test_svd_default_is_numpys_thin_svd_and_options():
    x = np.random.default_rng(11).standard_normal((6, 4))
    got = me.linalg.svd(x)
    want = np.linalg.svd(x, full_matrices=False)
    assert type(got) is type(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
        assert isinstance(g, me.ndarray)
    u, s, vh = me.linalg.svd(x, full_matrices=True)
    assert u.shape == (6, 6) and vh.shape == (4, 4)
    s_only = me.linalg.svd(x, compute_uv=False)
    np.testing.assert_array_equal(s_only, np.linalg.svd(x, compute_uv=False))
    h = x.T @ x
    u, s, vh = me.linalg.svd(h, 2, hermitian=True)
    close(s, np.linalg.svd(h, compute_uv=False, hermitian=True)[:2])
    assert cost(me.linalg.svd, x, np.int64(2)) == 48


@pytest.mark.parametrize("k", [0, -1, 5, 100])
def test_svd_bad_k_is_refused(k):
    refused(ValueError, me.linalg.svd, np.ones((6, 4)), k, match=f"k={k}")


def test_svd_k_type_and_conflicts_are_refused():
    refused(TypeError, me.linalg.svd, np.ones((6, 4)), False, match="by keyword")
    refused(TypeError, me.linalg.svd, np.ones((6, 4)), 2.0, match="k must be an integer")
    refused(ValueError, me.linalg.svd, np.ones((6, 4)), 2, full_matrices=True, match="full_matrices")
    refused(ValueError, me.linalg.svd, np.ones((6, 4)), hermitian=True, match=r"\(6, 4\)")


# -- refused calls charge nothing ----------------------------------------------------------------
NON_SQUARE = np.ones((3, 4))
SQUARE_ONLY = ["cholesky", "det", "slogdet", "inv", "eig", "eigh", "eigvals", "eigvalsh"]


@pytest.mark.parametrize("name", SQUARE_ONLY)
def test_non_square_input_is_a_value_error_naming_the_shape(name):
    refused(ValueError, getattr(me.linalg, name), NON_SQUARE, match=r"square.*\(3, 4\)")
    refused(ValueError, getattr(me.linalg, name), np.ones(4), match=r"\(4,\)")


def test_more_refusals():
    ones = np.ones
    refused(ValueError, me.linalg.solve, NON_SQUARE, ones(3), match=r"\(3, 4\)")
    refused(ValueError, me.linalg.solve, ones((3, 3)), ones(4), match=r"b has shape \(4,\)")
    refused(ValueError, me.linalg.solve, ones((3, 3)), ones((4, 2)), match=r"\(4, 2\)")
    refused(ValueError, me.linalg.solve, ones((2, 3, 3)), ones((4, 3, 1)), match="broadcast")
    refused(ValueError, me.linalg.matrix_power, NON_SQUARE, 2, match=r"\(3, 4\)")
    refused(TypeError, me.linalg.matrix_power, ones((3, 3)), 1.5, match="exponent")
    refused(ValueError, me.linalg.cond, NON_SQUARE, 1, match=r"\(3, 4\)")
    refused(ValueError, me.linalg.cond, ones((3, 3)), 3, match="p=3")
    refused(ValueError, me.linalg.cond, ones((0, 0)), match="empty")
    refused(ValueError, me.linalg.lstsq, ones((3, 2)), ones(4), match=r"\(4,\)")
    refused(ValueError, me.linalg.lstsq, ones((2, 3, 2)), ones(3), match="2-D")
    refused(ValueError, me.linalg.multi_dot, [ones((3, 4)), ones((5, 6))], match="array 1")
    refused(ValueError, me.linalg.multi_dot, [ones((3, 4))], match="at least two")
    refused(ValueError, me.linalg.multi_dot, [ones((3, 4)), ones((4, 2, 2)), ones(2)],
            match=r"\(4, 2, 2\)")
    refused(ValueError, me.linalg.multi_dot, [ones((3, 4)), ones((4, 2))], out=ones((2, 2)),
            match="out")
    refused(ValueError, me.linalg.tensorinv, ones((2, 3, 4)), match="not square")
    refused(ValueError, me.linalg.tensorinv, ones((4, 4)), ind=0, match="ind")
    refused(ValueError, me.linalg.tensorsolve, ones((2, 3, 5)), ones((2, 3)), match="square")
    refused(ValueError, me.linalg.tensorsolve, np.eye(6).reshape(2, 3, 6), ones((2, 3)),
            axes=(7,), match="axes")
    refused(ValueError, me.linalg.eigh, ones((3, 3)), UPLO="X", match="UPLO")
    refused(ValueError, me.linalg.qr, ones((3, 3)), mode="bogus", match="bogus")
    refused(ValueError, me.linalg.norm, ones((3, 3)), 3, match="invalid norm order")
    refused(ValueError, me.linalg.norm, ones(3), "fro", match="for vectors")
    refused(ValueError, me.linalg.norm, ones((2, 2, 2)), 2, match="needs axis")
    refused(ValueError, me.linalg.norm, ones((2, 2, 2)), None, (0, 1, 2), match="1 or 2")
    refused(ValueError, me.linalg.norm, ones((2, 2)), None, 5, match="out of bounds")
    refused(TypeError, me.linalg.norm, ones((2, 2)), None, [0], match="axis")
    refused(ValueError, me.linalg.vector_norm, ones(3), ord="fro", match="for vectors")
    refused(ValueError, me.linalg.matrix_norm, ones(3), match=r"\(3,\)")
    refused(ValueError, me.linalg.matrix_norm, ones((3, 3)), ord=3, match="invalid norm order")
    refused(ValueError, me.linalg.pinv, ones((3, 3)), rcond=0.1, rtol=0.1, match="rtol")
    refused(ValueError, me.linalg.matrix_rank, ones((3, 3)), tol=0.1, rtol=0.1, match="rtol")


@pytest.mark.parametrize(
    ("name", "args"),
    [("inv", (np.eye(3, dtype=np.float16),)), ("svd", (np.eye(3, dtype=np.float16),)),
     ("solve", (np.eye(3), np.ones(3, dtype=np.float16))),
     ("norm", (np.eye(3, dtype=np.float16), 2)),
     ("det", (np.array([["a", "b"], ["c", "d"]]),)),
     ("vector_norm", (np.array(["x", "y"]),)),
     ("multi_dot", ([np.eye(2, dtype=object), np.eye(2)],))],
)
def test_unsupported_dtypes_are_type_errors(name, args):
    refused(TypeError, getattr(me.linalg, name), *args, match="dtype")


@pytest.mark.parametrize("name", ["solve", "inv", "det", "cholesky"])
def test_factorization_failures_keep_their_charge(name):
    # Issue 10: a LinAlgError raised after the factorization ran (singular, not positive
    # definite) comes after the work was done, so the charge is kept (0.3 refunded it).
    singular = np.ones((4, 4))
    args = (singular, np.ones(4)) if name == "solve" else (singular,)
    if name == "det":  # det of a singular matrix is fine: 0, and charged
        assert cost(me.linalg.det, singular) == F.det_cost(4)
        return
    with me.BudgetContext(10**15) as budget:
        with pytest.raises(np.linalg.LinAlgError):
            getattr(me.linalg, name)(*args)
    expected = {"solve": F.solve_cost(4, 1), "inv": F.inv_cost(4), "cholesky": F.cholesky_cost(4)}
    assert budget.flops_used == expected[name] > 0
    assert [record.op_name for record in budget.op_log] == [f"linalg.{name}"]


def test_over_budget_runs_nothing():
    with me.BudgetContext(865) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="linalg.solve would cost 866"):
            me.linalg.solve(A10, np.ones(10))
    assert budget.flops_used == 0
    with me.BudgetContext(866) as budget:
        me.linalg.solve(A10, np.ones(10))
    assert budget.flops_used == 866


def test_module_surface():
    ours = """cholesky cond det eig eigh eigvals eigvalsh inv lstsq matrix_norm matrix_power
    matrix_rank multi_dot norm pinv qr slogdet solve svd svdvals tensorinv tensorsolve
    vector_norm""".split()
    for name in ours:
        func = getattr(me.linalg, name)
        assert "Cost" in func.__doc__ or "cost" in func.__doc__, name
        assert name in me.linalg.__all__
        assert hasattr(me.flops, f"{name}_cost"), name
    assert "truncated" in me.linalg.__doc__
    with pytest.raises(AttributeError, match="does not provide"):
        me.linalg.no_such_function  # noqa: B018
    for name in me._costs.linalg.__all__:
        assert getattr(me.flops, name).__doc__, name


def test_multi_dot_of_empty_matrices_charges_at_least_one():
    shapes = [(0, 2), (2, 3), (3, 1)]
    assert me.flops.multi_dot_cost(shapes) == 1
    with me.BudgetContext(10**6) as budget:
        result = me.linalg.multi_dot([np.zeros(s) for s in shapes])
    assert budget.flops_used == 1
    assert result.shape == (0, 1)
