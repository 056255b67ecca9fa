"""Contractions other than einsum (cost-model §5): each charges its equivalent einsum
(FMA = 2), equals NumPy's values, validates shapes before charging and never claims
symmetry."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from helpers import refused
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mechestim as me
from mechestim._core.registry import REGISTRY

flops = me.flops
rng = np.random.default_rng(5)


def charged(fn):
    with me.BudgetContext(10**15) as budget:
        result = fn()
    return budget.flops_used, result, budget.op_log


def data(shape, seed=0):
    return np.random.default_rng(seed).uniform(0.5, 1.5, shape)


# -- the spec's numbers ----------------------------------------------------------------------
def test_matvec_256_costs_131072_every_way():
    W, x = me.ones((256, 256)), me.ones(256)
    for spelled in (
        lambda: me.dot(W, x),
        lambda: W @ x,
        lambda: me.matmul(W, x),
        lambda: np.dot(W, x),
        lambda: W.dot(x),
        lambda: np.matmul(W, x),
        lambda: me.linalg.matmul(W, x),
    ):
        used, result, log = charged(spelled)
        assert used == 131_072
        assert len(log) == 1 and log[0].op_name in ("dot", "matmul")
        assert type(result) is me.ndarray
    assert flops.dot_cost((256, 256), (256,)) == 131_072
    assert flops.matmul_cost((256, 256), (256,)) == 131_072


def test_dot_forms():
    assert flops.dot_cost((5,), (5,)) == 10
    assert flops.dot_cost((3, 4), (4,)) == 24
    assert flops.dot_cost((3, 4), (4, 5)) == 120
    assert flops.dot_cost((2, 3, 4), (5, 4, 6)) == 2 * (2 * 3 * 5 * 6) * 4
    assert flops.dot_cost((), (3, 4)) == 12
    assert flops.dot_cost((4,), (2, 4, 3)) == 2 * 2 * 3 * 4


@pytest.mark.parametrize(
    "fn, args, subscripts",
    [
        ("dot", [(3, 4), (4, 5)], "ij,jk->ik"),
        ("dot", [(3, 4), (4,)], "ij,j->i"),
        ("dot", [(4,), (4,)], "i,i->"),
        ("dot", [(2, 3, 4), (5, 4, 6)], "abi,cid->abcd"),
        ("matmul", [(2, 3, 4), (2, 4, 5)], "bij,bjk->bik"),
        ("matmul", [(2, 1, 3, 4), (5, 4, 6)], "abij,bjk->abik"),
        ("inner", [(3, 4), (5, 4)], "ij,kj->ik"),
        ("vdot", [(3, 4), (12,)], "i,i->"),
        ("outer", [(3,), (4,)], "i,j->ij"),
        ("tensordot", [(3, 4, 5), (4, 5, 6)], "ijk,jkl->il"),
    ],
)
def test_costs_equal_the_equivalent_einsum(fn, args, subscripts):
    shapes = list(args)
    if fn == "vdot":
        shapes = [(12,), (12,)]
    if subscripts == "abij,bjk->abik":
        # broadcast batch: the einsum over the broadcast shapes
        want = flops.einsum_cost("abij,bjk->abik", [(2, 5, 3, 4), (5, 4, 6)])
    else:
        want = flops.einsum_cost(subscripts, shapes)
    got = getattr(flops, f"{fn}_cost")(*args)
    assert got == want
    used, result, _ = charged(lambda: getattr(me, fn)(*[data(s) for s in args]))
    assert used == want
    np.testing.assert_allclose(result, getattr(np, fn)(*[data(s) for s in args]))


def test_other_formulas():
    assert flops.outer_cost((3, 2), (5,)) == 30
    assert flops.kron_cost((2, 3), (4,)) == 2 * 12
    assert flops.cross_cost((3,), (3,)) == 9
    assert flops.cross_cost((5, 2), (5, 2)) == 15
    assert flops.cross_cost((4, 3), (3,)) == 36
    assert flops.trace_cost((256, 256)) == 256
    assert flops.trace_cost((5, 7), offset=2) == 5
    assert flops.trace_cost((5, 7), offset=-3) == 2
    assert flops.trace_cost((5, 7), offset=9) == 1  # empty diagonal: still at least 1
    assert flops.trace_cost((2, 3, 4), 0, 1, 2) == 2 * 3
    assert flops.tensordot_cost((3, 4), (5, 6), axes=0) == 360
    assert flops.tensordot_cost((3, 4), (4, 6), axes=1) == 2 * 18 * 4
    assert flops.tensordot_cost((3, 4, 5), (5, 4), axes=([1, 2], [1, 0])) == 2 * 3 * 20
    assert flops.vdot_cost((7,), (7,)) == 14
    assert flops.vecdot_cost((3, 4), (4,)) == 24


# -- every op: charge == registered rule == flops twin, values == NumPy -----------------------
CASES = [
    ("dot", (data((3, 4)), data((4, 5))), {}, lambda: flops.dot_cost((3, 4), (4, 5))),
    ("matmul", (data((2, 3, 4)), data((4, 2))), {}, lambda: flops.matmul_cost((2, 3, 4), (4, 2))),
    ("inner", (data((3, 4)), data((2, 4))), {}, lambda: flops.inner_cost((3, 4), (2, 4))),
    ("outer", (data((3,)), data((2, 2))), {}, lambda: flops.outer_cost((3,), (2, 2))),
    ("vdot", (data((2, 3)), data((6,))), {}, lambda: flops.vdot_cost((2, 3), (6,))),
    ("tensordot", (data((3, 4)), data((4, 5))), {"axes": 1},
     lambda: flops.tensordot_cost((3, 4), (4, 5), 1)),
    ("kron", (data((2, 3)), data((3, 2))), {}, lambda: flops.kron_cost((2, 3), (3, 2))),
    ("cross", (data((4, 3)), data((4, 3))), {}, lambda: flops.cross_cost((4, 3), (4, 3))),
    ("trace", (data((4, 5)),), {"offset": 1}, lambda: flops.trace_cost((4, 5), 1)),
    ("linalg.matmul", (data((3, 4)), data((4, 5))), {}, lambda: flops.matmul_cost((3, 4), (4, 5))),
    ("linalg.tensordot", (data((3, 4)), data((4, 5))), {"axes": 1},
     lambda: flops.tensordot_cost((3, 4), (4, 5), 1)),
    ("linalg.outer", (data((3,)), data((4,))), {}, lambda: flops.outer_cost((3,), (4,))),
    ("linalg.cross", (data((2, 3)), data((3,))), {}, lambda: flops.cross_cost((2, 3), (3,))),
    ("linalg.vecdot", (data((3, 4)), data((4,))), {}, lambda: flops.vecdot_cost((3, 4), (4,))),
    ("linalg.trace", (data((2, 4, 4)),), {"offset": -1},
     lambda: flops.trace_cost((2, 4, 4), -1, -2, -1)),
]  # fmt: skip


def _resolve(module, name):
    prefix, dot, short = name.rpartition(".")
    return getattr(getattr(module, prefix) if dot else module, short)


@pytest.mark.parametrize("name, args, kwargs, twin", CASES, ids=[c[0] for c in CASES])
def test_each_op_charges_rule_twin_and_matches_numpy(name, args, kwargs, twin):
    used, result, log = charged(lambda: _resolve(me, name)(*args, **kwargs))
    assert used == REGISTRY[name].cost(*args, **kwargs) == twin() >= 1
    assert [r.op_name for r in log] == ["matmul" if name == "linalg.matmul" else name]
    np.testing.assert_allclose(result, _resolve(np, name)(*args, **kwargs), rtol=1e-12)
    assert type(result) is me.ndarray or np.isscalar(result)


def test_vecdot_top_level_is_the_same_rule():
    a, b = data((3, 4)), data((4,))
    used, _, _ = charged(lambda: me.vecdot(a, b))
    assert used == flops.vecdot_cost((3, 4), (4,)) == 24


# -- generated shapes against NumPy ---------------------------------------------------------------
small = st.integers(1, 4)


@settings(max_examples=30, deadline=None)
@given(st.lists(small, min_size=0, max_size=3), st.lists(small, min_size=0, max_size=3), small)
def test_dot_any_ranks(a_extra, b_extra, k):
    a_shape = (*a_extra, k) if a_extra or k else ()
    if len(b_extra) >= 1:
        b_shape = (*b_extra[:-1], k, b_extra[-1])
    else:
        b_shape = (k,)
    a, b = data(a_shape, 1), data(b_shape, 2)
    used, result, _ = charged(lambda: me.dot(a, b))
    want = np.dot(a, b)
    np.testing.assert_allclose(result, want)
    k_sum = a_shape[-1]
    assert used == max(2 * math.prod(np.shape(want)) * k_sum, 1)


@settings(max_examples=30, deadline=None)
@given(
    hnp.mutually_broadcastable_shapes(
        signature="(m?,n),(n,p?)->(m?,p?)", max_dims=4, max_side=4, min_side=1
    )
)
def test_matmul_broadcast_and_promotion(shapes):
    a_shape, b_shape = shapes.input_shapes
    a, b = data(a_shape, 3), data(b_shape, 4)
    used, result, _ = charged(lambda: me.matmul(a, b))
    want = np.matmul(a, b)
    assert want.shape == shapes.result_shape
    np.testing.assert_allclose(result, want)
    assert used == max(2 * math.prod(want.shape) * a_shape[-1], 1)
    used_op, result_op, _ = charged(lambda: me.asarray(a) @ me.asarray(b))
    assert used_op == used
    np.testing.assert_allclose(result_op, want)


@settings(max_examples=25, deadline=None)
@given(st.lists(small, min_size=1, max_size=3), st.lists(small, min_size=1, max_size=3), st.data())
def test_tensordot_and_inner_generated(a_rest, b_rest, draw):
    n = draw.draw(st.integers(0, min(2, len(a_rest))))
    shared = a_rest[len(a_rest) - n :]
    a_shape = tuple(a_rest)
    b_shape = (*shared, *b_rest)
    a, b = data(a_shape, 5), data(b_shape, 6)
    used, result, _ = charged(lambda: me.tensordot(a, b, n))
    want = np.tensordot(a, b, n)
    np.testing.assert_allclose(result, want)
    summed = math.prod(shared)
    assert used == (max(2 * want.size * summed, 1) if n else max(want.size, 1))
    c = data((*b_rest, a_shape[-1]), 7)
    used, result, _ = charged(lambda: me.inner(a, c))
    np.testing.assert_allclose(result, np.inner(a, c))
    assert used == max(2 * np.inner(a, c).size * a_shape[-1], 1)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(small, min_size=0, max_size=3),
    st.lists(small, min_size=0, max_size=3),
    st.sampled_from([2, 3]),
    st.sampled_from([2, 3]),
)
def test_kron_cross_outer_generated(a_shape, b_shape, va, vb):
    a, b = data(tuple(a_shape), 8), data(tuple(b_shape), 9)
    used, result, _ = charged(lambda: me.kron(a, b))
    np.testing.assert_allclose(result, np.kron(a, b))
    assert used == max(np.kron(a, b).size, 1)
    used, result, _ = charged(lambda: me.outer(a, b))
    np.testing.assert_allclose(result, np.outer(a, b))
    assert used == max(a.size * b.size, 1)
    x, y = data((*a_shape[:1], va), 10), data((vb,), 11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 2-vectors are deprecated in NumPy 2
        try:
            want = np.cross(x, y)
        except ValueError as error:  # NumPy >= 2.5 refuses 2-vectors: so does mechestim
            with me.BudgetContext(10**6) as budget, pytest.raises(ValueError, match=re.escape(str(error))):
                me.cross(x, y)
            assert budget.flops_used == 0
            return
        used, result, _ = charged(lambda: me.cross(x, y))
    np.testing.assert_allclose(result, want)
    assert used == max(3 * np.size(want), 1)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(small, min_size=2, max_size=4),
    st.integers(-4, 4),
    st.data(),
)
def test_trace_generated(shape, offset, draw):
    axis1, axis2 = draw.draw(st.permutations(range(len(shape))))[:2]
    a = data(tuple(shape), 12)
    used, result, _ = charged(lambda: me.trace(a, offset, axis1, axis2))
    np.testing.assert_allclose(result, np.trace(a, offset, axis1, axis2))
    assert used == max(np.diagonal(a, offset, axis1, axis2).size, 1)


# -- keywords, operators, out= --------------------------------------------------------------------
def test_matmul_ufunc_keywords_and_inplace_operator():
    a, b = me.asarray(data((2, 3, 4))), me.asarray(data((2, 4, 5)))
    out = me.zeros((2, 3, 5))
    used, result, log = charged(lambda: np.matmul(a, b, out=out))
    assert result is out and used == 2 * 2 * 3 * 4 * 5 and log[0].op_name == "matmul"
    np.testing.assert_allclose(out, np.matmul(np.asarray(a), np.asarray(b)))
    used, result, _ = charged(lambda: me.matmul(a, b, dtype=np.float32))
    assert result.dtype == np.float32 and used == 240
    # axes= moves the core dimensions: (3,4) cores at axes (0,1) and (1,2) here.
    x, y = data((3, 4, 2)), data((2, 4, 5))
    axes = [(0, 1), (1, 2), (1, 2)]
    used, result, _ = charged(lambda: me.matmul(x, y, axes=axes))
    want = np.matmul(x, y, axes=axes)
    np.testing.assert_allclose(result, want)
    assert used == 2 * 2 * 3 * 4 * 5
    s = me.asarray(data((4, 4)))
    t = data((4, 4))
    expected = np.asarray(s) @ t
    with me.BudgetContext(10**9) as budget:
        s @= t
    assert budget.flops_used == 128
    np.testing.assert_allclose(s, expected)


def test_dot_outer_trace_out_and_methods():
    a, b = data((3, 4)), data((4, 5))
    out = np.zeros((3, 5))
    used, result, _ = charged(lambda: me.dot(a, b, out=out))
    assert result is out and used == 120
    out = np.zeros((3, 4))
    used, result, _ = charged(lambda: me.outer(data(3), data(4), out=out))
    assert result is out and used == 12
    m = me.asarray(data((5, 5)))
    used, result, log = charged(lambda: m.trace())
    assert used == 5 and log[0].op_name == "trace" and np.isscalar(result)
    used, result, log = charged(lambda: np.trace(m, offset=1))
    assert used == 4


# -- errors: named, nothing charged -----------------------------------------------------------------
@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: me.dot(np.ones((3, 4)), np.ones((5,))), r"not aligned"),
        (lambda: me.matmul(np.ones((3, 4)), np.ones((5, 2))), r"core dimension"),
        (lambda: me.matmul(np.ones(3), 2.0), r"scalar"),
        (lambda: me.matmul(np.ones((2, 3, 4)), np.ones((3, 4, 2))), r"broadcast"),
        (lambda: me.inner(np.ones((3, 4)), np.ones((3, 5))), r"last dimension"),
        (lambda: me.vdot(np.ones(3), np.ones(4)), r"same number"),
        (lambda: me.tensordot(np.ones((3, 4)), np.ones((5, 6)), 1), r"shape mismatch"),
        (lambda: me.tensordot(np.ones((3, 4)), np.ones((4, 6)), 3), r"axes=3"),
        (lambda: me.cross(np.ones(4), np.ones(3)), r"length 2 or 3"),
        (lambda: me.trace(np.ones(4)), r"at least 2"),
        (lambda: me.trace(np.ones((3, 3)), 0, 1, 1), r"must differ"),
        (lambda: me.linalg.outer(np.ones((2, 2)), np.ones(2)), r"1-D"),
        (lambda: me.linalg.cross(np.ones(2), np.ones(2)), r"3-element"),
        (lambda: me.linalg.vecdot(np.ones(3), np.ones(4)), r"broadcast"),
        (lambda: np.matmul(me.ones((2, 2)), me.ones((2, 2)), out=np.zeros((3, 3))), r"mismatch"),
    ],
)
def test_errors_are_clear_and_charge_nothing(call, match):
    refused(ValueError, call, match=match)


def test_non_numeric_refused():
    with pytest.raises(TypeError, match="str"):
        me.dot(np.array(["a", "b"]), np.array(["c", "d"]))
    with pytest.raises(TypeError, match="object"):
        me.matmul(np.array([[None]]), np.ones((1, 1)))


def test_over_budget_refused_before_running():
    out = np.full((4, 4), 3.0)
    with me.BudgetContext(100) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="matmul would cost 128"):
            me.matmul(np.ones((4, 4)), np.ones((4, 4)), out=out)
    assert budget.flops_used == 0 and (out == 3.0).all()


def test_products_never_claim_symmetry():
    S = me.as_symmetric(data((4, 4)) + data((4, 4)).T, (0, 1))
    for product in (
        lambda: me.dot(S, S),
        lambda: S @ S,
        lambda: me.matmul(S, S),
        lambda: me.tensordot(S, S, 1),
        lambda: me.kron(S, S),
        lambda: me.outer(S, S),
        lambda: me.inner(S, S),
    ):
        used, result, _ = charged(product)
        assert type(result) is me.ndarray
    assert charged(lambda: me.dot(S, S))[0] == 128  # dense cost: symmetry buys nothing here
