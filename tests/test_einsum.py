"""me.einsum, me.einsum_path and me.flops.einsum_cost: the numbers of cost-model §3 and
examples.md, symmetric costing, path choice against opt_einsum, errors, and values
equal to numpy.einsum on generated contractions."""

from __future__ import annotations

import math
import warnings

import numpy as np
import opt_einsum as oe
import pytest
from helpers import used as charged  # (FLOPs, result)
from hypothesis import given, settings
from hypothesis import strategies as st

import mechestim as me
from mechestim._core.registry import REGISTRY
from mechestim._einsum import PathInfo, StepInfo, clear_cache
from mechestim._einsum._plan import cached_plan

cost = me.flops.einsum_cost
rng = np.random.default_rng(11)


# -- cost-model §3: the per-step formula ------------------------------------------------
M, K, N, B = 3, 4, 5, 2


@pytest.mark.parametrize(
    "subscripts, shapes, want",
    [
        ("ij,jk->ik", [(M, K), (K, N)], 2 * M * K * N),
        ("ij,j->i", [(M, K), (K,)], 2 * M * K),
        ("i,j->ij", [(M,), (N,)], M * N),
        ("ij,ij->ij", [(M, N), (M, N)], M * N),
        ("ii->", [(N, N)], 2 * N),
        ("ij->", [(M, N)], 2 * M * N),
        ("ij->ji", [(M, N)], M * N),
        ("ii->i", [(N, N)], N),
        ("bij,bjk->bik", [(B, M, K), (B, K, N)], 2 * B * M * K * N),
    ],
)
def test_step_formula_of_cost_model(subscripts, shapes, want):
    assert cost(subscripts, shapes) == want
    operands = [rng.uniform(size=s) for s in shapes]
    used, result = charged(lambda: me.einsum(subscripts, *operands))
    assert used == want
    np.testing.assert_allclose(result, np.einsum(subscripts, *operands))


# -- examples.md ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "subscripts, shapes, want",
    [
        ("ij,jk->ik", [(256, 256), (256, 256)], 33_554_432),
        ("ij,j->i", [(256, 256), (256,)], 131_072),
        ("i,j->ij", [(256,), (256,)], 65_536),
        ("ii->", [(256, 256)], 512),
        ("bij,bjk->bik", [(4, 256, 256), (4, 256, 256)], 134_217_728),
        ("ij,jk->ik", [(3, 4), (4, 5)], 120),
        ("ii->", [(10, 10)], 20),
        ("i,i->", [(5,), (5,)], 10),
    ],
)
def test_examples_numbers(subscripts, shapes, want):
    assert cost(subscripts, shapes=shapes) == want


def test_examples_matvec_charge_and_breakdown_total():
    W, x = me.ones((256, 256)), me.ones(256)
    used, result = charged(lambda: me.einsum("ij,j->i", W, x))
    assert used == 131_072
    assert isinstance(result, me.ndarray)
    total = cost("ij,j->i", [(256, 256), (256,)]) + me.flops.pointwise_cost((256,))
    assert total + me.flops.reduction_cost((256,)) == 131_584


def test_examples_chain_path():
    path, info = me.einsum_path("ij,jk,kl->il", me.ones((3, 4)), me.ones((4, 5)), me.ones((5, 6)))
    assert [tuple(p) for p in path] == [(0, 1), (0, 1)]
    assert info.optimized_cost == 300
    assert info.naive_cost == 1_080
    used, _ = charged(
        lambda: me.einsum("ij,jk,kl->il", me.ones((3, 4)), me.ones((4, 5)), me.ones((5, 6)))
    )
    assert used == 300


def test_examples_symmetric_plan_page():
    T = me.symmetrize(np.random.default_rng(0).standard_normal((50, 50, 50)), (0, 1, 2))
    A, Bm, C = me.ones((50, 50)), me.ones((50, 50)), me.ones((50, 50))
    before = me.budget_summary_dict()["flops_used"]
    path, info = me.einsum_path("ijk,ai,bj,ck->abc", T, A, Bm, C)
    assert me.budget_summary_dict()["flops_used"] == before
    assert info.naive_cost == 62_500_000_000
    assert info.optimized_cost == 31_375_000
    assert info.largest_intermediate == 125_000
    assert info.speedup == pytest.approx(1992.0, abs=0.1)
    assert [s.flop_cost for s in info.steps] == [6_375_000, 12_500_000, 12_500_000]
    assert [s.dense_flop_cost for s in info.steps] == [12_500_000] * 3
    first = info.steps[0]
    assert first.subscript == "ai,ijk->ajk"
    assert round(first.symmetry_savings * 100) == 49
    S = me.PermutationGroup.symmetric
    assert first.output_symmetry == (S(2, axes=(1, 2)),)
    assert first.input_symmetries == (None, (S(3, axes=(0, 1, 2)),))
    assert first.inner_symmetry is None and info.steps[1].output_symmetry is None
    text = str(info)
    for needle in ("ijk,ai,bj,ck->abc", "31,375,000", "62,500,000,000", "6,375,000", "12,500,000"):
        assert needle in text
    assert "49.0%" in text
    # The einsum itself charges the plan's total and equals numpy's.
    used, result = charged(lambda: me.einsum("ijk,ai,bj,ck->abc", T, A, Bm, C))
    assert used == 31_375_000
    np.testing.assert_allclose(result, np.einsum("ijk,ai,bj,ck->abc", T, A, Bm, C))
    assert cost(
        "ijk,ai,bj,ck->abc", [(50,) * 3] + [(50, 50)] * 3, [(0, 1, 2), None, None, None]
    ) == (31_375_000)


def test_einsum_path_needs_no_budget_and_is_bound_free():
    with me.BudgetContext(1) as budget:
        path, info = me.einsum_path("ij,jk->ik", me.ones((30, 30)), me.ones((30, 30)))
    assert budget.flops_used == 0 and budget.op_log == []
    assert info.optimized_cost == 54_000
    assert REGISTRY["einsum_path"].cost("ij,jk->ik", np.ones((3, 3)), np.ones((3, 3))) == 0


def test_overrun_refused_before_running():
    a = me.ones((256, 256))
    out = np.full((256, 256), 7.0)
    with me.BudgetContext(1_000_000) as budget:
        with pytest.raises(me.BudgetExhaustedError) as caught:
            me.einsum("ij,jk->ik", a, a, out=out)
        assert budget.flops_used == 0
    message = str(caught.value)
    assert "einsum would cost 33,554,432 FLOPs but only 1,000,000 remain" in message
    assert (out == 7.0).all()


def test_charge_records_name_subscripts_and_shapes():
    with me.BudgetContext(10**9) as budget:
        me.einsum("ij , jk -> ik", me.ones((2, 3)), me.ones((3, 4)))
    record = budget.op_log[-1]
    assert record.op_name == "einsum"
    assert record.subscripts == "ij , jk -> ik"
    assert record.shapes == ((2, 3), (3, 4))
    assert record.flop_cost == 48


# -- symmetric costing ---------------------------------------------------------------------
def test_symmetric_step_ai_ijk_ajk():
    shapes = [(100, 100), (100, 100, 100)]
    assert cost("ai,ijk->ajk", shapes) == 200_000_000
    assert cost("ai,ijk->ajk", shapes, [None, (0, 1, 2)]) == 101_000_000
    info = me.SymmetryInfo((0, 1, 2), (100, 100, 100))
    assert cost("ai,ijk->ajk", shapes, [None, info]) == 101_000_000
    # Run it at a small size: dense 2*10^4, output symmetric in (j,k): 10*55 of 1000 unique.
    T = me.symmetrize(rng.standard_normal((10, 10, 10)), [(0, 1, 2)])
    A = rng.standard_normal((10, 10))
    used, result = charged(lambda: me.einsum("ai,ijk->ajk", A, T))
    assert used == 20_000 * 550 // 1000 == 11_000
    assert isinstance(result, me.SymmetricTensor) and result.symmetric_axes == ((1, 2),)
    np.testing.assert_allclose(result, np.einsum("ai,ijk->ajk", A, np.asarray(T)))


def test_summed_label_breaking_a_group_saves_nothing():
    S = me.as_symmetric(np.eye(6) + 1, (0, 1))
    v = np.ones(6)
    used, result = charged(lambda: me.einsum("ij,j->i", S, v))
    assert used == 2 * 6 * 6
    assert cost("ij,j->i", [(6, 6), (6,)], [(0, 1), None]) == 72
    assert type(result) is me.ndarray


def test_kept_label_touched_by_another_operand_saves_nothing():
    # out[i,j] = S[i,j] * v[i] is not symmetric: no saving, no tag.
    S = me.as_symmetric(np.eye(4) + 2, (0, 1))
    v = np.arange(1.0, 5.0)
    used, result = charged(lambda: me.einsum("ij,i->ij", S, v))
    assert used == 16
    assert type(result) is me.ndarray
    # Two symmetric operands multiplied element-wise keep the symmetry.
    S2 = S + 0
    assert isinstance(S2, me.SymmetricTensor)
    used, result = charged(lambda: me.einsum("ij,ij->ij", S, S2))
    assert used == 10 and isinstance(result, me.SymmetricTensor)


def test_repeated_operand_is_cheaper_than_a_copy():
    X = rng.standard_normal((100, 10))
    used, gram = charged(lambda: me.einsum("ki,kj->ij", X, X))
    assert used == 11_000
    assert isinstance(gram, me.SymmetricTensor) and gram.symmetric_axes == ((0, 1),)
    np.testing.assert_allclose(gram, X.T @ X)
    used, plain = charged(lambda: me.einsum("ki,kj->ij", X, X.copy()))
    assert used == 20_000 and type(plain) is me.ndarray
    assert cost("ki,kj->ij", [(100, 10)] * 2, repeated_operands=[(0, 1)]) == 11_000
    assert cost("ki,kj->ij", [(100, 10)] * 2) == 20_000


def test_repeated_operand_that_is_not_a_symmetry():
    X = rng.standard_normal((5, 5))
    for subscripts, want in (("ij,jk->ik", 250), ("ij,ij->ij", 25)):
        used, result = charged(lambda s=subscripts: me.einsum(s, X, X))
        assert used == want, subscripts
        assert not isinstance(result, me.SymmetricTensor)
    # Revision 2: no output symmetry, but the summand X[i,j]*X[j,i] is symmetric in
    # (i, j), an inner symmetry: 15 of the 25 pairs are summed, 50 * 15 // 25 = 30.
    used, result = charged(lambda: me.einsum("ij,ji->", X, X))
    assert used == 30 and np.isclose(result, np.einsum("ij,ji->", X, X))


def test_three_copies_give_full_symmetry():
    X = rng.standard_normal((3, 4))
    path, info = me.einsum_path("ai,bi,ci->abc", X, X, X)
    dense = me.einsum_path("ai,bi,ci->abc", X, X.copy(), X.copy())[1]
    assert info.optimized_cost < dense.optimized_cost
    used, result = charged(lambda: me.einsum("ai,bi,ci->abc", X, X, X))
    assert used == info.optimized_cost
    np.testing.assert_allclose(result, np.einsum("ai,bi,ci->abc", X, X, X))


def test_symmetric_search_never_worse_than_opt_einsum():
    T = me.symmetrize(rng.standard_normal((6, 6, 6)), (0, 1, 2))
    ops = [T, rng.standard_normal((3, 6)), rng.standard_normal((4, 6)), rng.standard_normal((5, 6))]
    eq = "ijk,ai,bj,ck->abc"
    for optimize in ("auto", "greedy", "optimal", "dp", "branch-2"):
        _, info = me.einsum_path(eq, *ops, optimize=optimize)
        dense = oe.contract_path(eq, *[np.asarray(o) for o in ops], optimize=optimize)[1]
        assert info.optimized_cost <= int(dense.opt_cost)


def test_output_symmetric_axes_validated_and_tagged():
    X = rng.standard_normal((4, 3))
    Y = X.copy()
    used, result = charged(lambda: me.einsum("ia,ja->ij", X, Y, symmetric_axes=(0, 1)))
    assert used == 2 * 4 * 4 * 3  # declaring symmetry does not change the cost
    assert isinstance(result, me.SymmetricTensor) and result.symmetric_axes == ((0, 1),)
    Z = rng.standard_normal((4, 3))
    with me.BudgetContext(10**9) as budget:
        with pytest.raises(me.SymmetryError) as caught:
            me.einsum("ia,ja->ij", X, Z, symmetric_axes=[(0, 1)])
        assert budget.flops_used == 0
    assert "symmetrize" in str(caught.value) and caught.value.max_deviation > 0
    with me.BudgetContext(10**9) as budget:
        with pytest.raises(ValueError, match="unequal"):
            me.einsum("ia,jb->ij", X, np.ones((5, 2)), symmetric_axes=(0, 1))
        assert budget.flops_used == 0


# -- optimize arguments ------------------------------------------------------------------
CHAIN = "ij,jk,kl,lm->im"
CHAIN_SHAPES = [(8, 2), (2, 9), (9, 3), (3, 7)]


@pytest.mark.parametrize(
    "optimize", ["auto", "greedy", "optimal", "dp", "branch-2", "branch-all", True, None, "auto-hq"]
)
def test_strategy_names_match_opt_einsum_on_dense(optimize):
    ops = [rng.standard_normal(s) for s in CHAIN_SHAPES]
    path, info = me.einsum_path(CHAIN, *ops, optimize=optimize)
    ref_path, ref = oe.contract_path(CHAIN, *ops, optimize=optimize)
    assert [tuple(p) for p in path] == [tuple(p) for p in ref_path]
    assert info.optimized_cost == int(ref.opt_cost)
    assert info.naive_cost == int(ref.naive_cost)
    used, result = charged(lambda: me.einsum(CHAIN, *ops, optimize=optimize))
    assert used == info.optimized_cost == cost(CHAIN, CHAIN_SHAPES, optimize=optimize)
    np.testing.assert_allclose(result, np.einsum(CHAIN, *ops))


def test_optimize_false_is_one_step_and_explicit_paths():
    ops = [rng.standard_normal(s) for s in CHAIN_SHAPES]
    _, info = me.einsum_path(CHAIN, *ops, optimize=False)
    assert info.path == [(0, 1, 2, 3)]
    assert info.optimized_cost == (8 * 2 * 9 * 3 * 7) * 4
    used, result = charged(lambda: me.einsum(CHAIN, *ops, optimize=False))
    assert used == info.optimized_cost
    np.testing.assert_allclose(result, np.einsum(CHAIN, *ops))
    explicit = [(2, 3), (1, 2), (0, 1)]
    path, info = me.einsum_path(CHAIN, *ops, optimize=explicit)
    assert path == explicit and info.optimizer_used == "explicit"
    assert info.optimized_cost == 2 * 9 * 3 * 7 + 2 * 2 * 9 * 7 + 2 * 8 * 2 * 7
    used, result = charged(lambda: me.einsum(CHAIN, *ops, optimize=explicit))
    assert used == info.optimized_cost
    np.testing.assert_allclose(result, np.einsum(CHAIN, *ops))
    # NumPy's own path format is accepted too.
    numpy_path = np.einsum_path(CHAIN, *ops, optimize="greedy")[0]
    used, _ = charged(lambda: me.einsum(CHAIN, *ops, optimize=numpy_path))
    assert used == me.einsum_path(CHAIN, *ops, optimize=numpy_path[1:])[1].optimized_cost


def test_custom_path_optimizer_instance():
    ops = [rng.standard_normal(s) for s in CHAIN_SHAPES]
    used, result = charged(lambda: me.einsum(CHAIN, *ops, optimize=oe.paths.DynamicProgramming()))
    assert used == me.einsum_path(CHAIN, *ops, optimize="dp")[1].optimized_cost
    np.testing.assert_allclose(result, np.einsum(CHAIN, *ops))


# -- errors: clear, and nothing charged ------------------------------------------------------
@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (("ij,jk->ik", np.ones((2, 3))), {}, "name 2 operand"),
        (("ij->i", np.ones((2, 3)), np.ones(3)), {}, "name 1 operand"),
        (("ij,jk->ik", np.ones((2, 3)), np.ones((4, 5))), {}, "label 'j' has size 3 in operand 0 but 4 in operand 1"),
        (("ijk->i", np.ones((2, 3))), {}, "operand 0 has 2 dimension"),
        (("i1->i", np.ones((2, 3))), {}, "invalid label '1'"),
        (("ij->k", np.ones((2, 3))), {}, "output label 'k'"),
        (("ij->ii", np.ones((2, 3))), {}, "more than once"),
        (("ii->i", np.ones((2, 3))), {}, "label 'i' is repeated in operand 0"),
        (("i..j->", np.ones((2, 3))), {}, "ellipsis"),
        (("i...->i", np.ones((2, 3, 4))), {}, r"'\.\.\.'"),
        (("ij->j->i", np.ones((2, 3))), {}, "->"),
        (("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4))), {"optimize": "fastest"}, "'fastest'"),
        (("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4))), {"optimize": [(0, 3)]}, "position 3"),
        (("ij,jk,kl->il", np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 2))), {"optimize": [(0, 1)]}, "leaves 2"),
        (("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4))), {"optimize": 3.5}, "not understood"),
    ],
)  # fmt: skip
def test_errors_name_the_problem_and_charge_nothing(args, kwargs, match):
    with me.BudgetContext(10**9) as budget:
        with pytest.raises(ValueError, match=match):
            me.einsum(*args, **kwargs)
        with pytest.raises(ValueError, match=match):
            me.einsum_path(*args, **kwargs)
    assert budget.flops_used == 0
    with pytest.raises(ValueError, match=match):
        cost(args[0], [np.shape(a) for a in args[1:]], **kwargs)


def test_type_errors():
    with pytest.raises(TypeError, match="object"):
        me.einsum("i->", np.array(["a", "b"], dtype=object))
    with pytest.raises(TypeError, match="keyword"):
        me.einsum("i->", np.ones(3), bogus=1)
    with pytest.raises(TypeError):
        me.einsum(3, np.ones(3))


# -- PathInfo / StepInfo ------------------------------------------------------------------
def test_pathinfo_and_stepinfo_fields():
    a, b = np.ones((6, 7)), np.ones((7, 8))
    path, info = me.einsum_path("ij,jk->ik", a, b)
    assert isinstance(info, PathInfo) and me.PathInfo is PathInfo
    assert path == [(0, 1)] == info.path
    assert info.input_subscripts == "ij,jk" and info.output_subscript == "ik"
    assert info.size_dict == {"i": 6, "j": 7, "k": 8}
    assert info.naive_cost == info.optimized_cost == 2 * 6 * 7 * 8
    assert info.speedup == 1.0 and info.largest_intermediate == 48
    assert info.optimizer_used == "auto"
    (step,) = info.steps
    assert isinstance(step, StepInfo) and me.StepInfo is StepInfo
    assert step.subscript == "jk,ij->ik" or step.subscript == "ij,jk->ik"
    assert step.flop_cost == step.dense_flop_cost == 672 and step.symmetry_savings == 0.0
    assert sorted(step.input_shapes) == [(6, 7), (7, 8)] and step.output_shape == (6, 8)
    assert step.input_symmetries == (None, None) and step.output_symmetry is None
    assert step.blas_type == "GEMM"
    assert "GEMM" in str(info) and "672" in str(info)
    # einsum_path hands out copies: changing them leaves the cached plan alone.
    info.path.append((9, 9))
    info.steps.clear()
    assert me.einsum_path("ij,jk->ik", a, b)[1].path == [(0, 1)]


def test_plans_are_cached_by_shapes_optimize_and_symmetry():
    clear_cache()
    shapes = ((3, 4), (4, 5))
    first = cached_plan("ij,jk->ik", shapes, None, None, "auto")
    assert cached_plan("ij,jk->ik", shapes, None, None, "auto") is first
    assert cached_plan("ij,jk->ik", shapes, None, None, "greedy") is not first
    assert cached_plan("ij,jk->ik", ((3, 4), (4, 6)), None, None, "auto") is not first
    sym = cached_plan("ij,jk->ik", ((4, 4), (4, 5)), (((0, 1),), None), None, "auto")
    assert sym is not cached_plan("ij,jk->ik", ((4, 4), (4, 5)), None, None, "auto")


# -- NumPy routing, keywords, odd inputs ---------------------------------------------------------
def test_numpy_einsum_on_mechestim_arrays_is_charged_once():
    a, b = me.ones((3, 4)), me.ones((4, 5))
    used, result = charged(lambda: np.einsum("ij,jk->ik", a, b))
    assert used == 120 and isinstance(result, me.ndarray)
    with me.BudgetContext(1) as budget:
        path, info = me.einsum_path("ij,jk->ik", a, b)
        numpy_path, text = np.einsum_path("ij,jk->ik", a, b)
    assert budget.flops_used == 0 and info.optimized_cost == 120
    # np.einsum_path answers in NumPy's own format, whatever the operands (library.md §4).
    plain = np.einsum_path("ij,jk->ik", np.ones((3, 4)), np.ones((4, 5)))
    assert numpy_path == plain[0] and numpy_path[0] == "einsum_path"
    assert isinstance(text, str) and text == plain[1]


def test_out_dtype_interleaved_and_scalars():
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 5))
    out = me.zeros((3, 5))
    used, result = charged(lambda: me.einsum("ij,jk->ik", a, b, out=out))
    assert result is out and used == 120
    np.testing.assert_allclose(out, a @ b)
    used, result = charged(
        lambda: me.einsum("ij,jk->ik", a, b, dtype=np.float32, casting="same_kind")
    )
    assert used == 120 and result.dtype == np.float32
    used, result = charged(lambda: me.einsum(a, [0, 1], b, [1, 2], [0, 2]))
    assert used == 120
    np.testing.assert_allclose(result, a @ b)
    used, result = charged(lambda: me.einsum("i,i", np.arange(3.0), np.arange(3.0)))
    assert used == 6 and result == 5.0 and np.isscalar(result)
    used, result = charged(lambda: me.einsum(",->", 2.0, 3.0))
    assert used == 1 and result == 6.0
    ints = np.arange(6).reshape(2, 3)
    used, result = charged(lambda: me.einsum("ij->j", ints))
    assert used == 12 and result.dtype == np.einsum("ij->j", ints).dtype


# numpy.einsum's casting rules (casting='safe' by default) hold on NumPy's own default,
# unoptimized route; its optimized route skips them (numpy/numpy#11060), where a complex
# operand into a float out= silently lost its imaginary part.
CASTING_CASES = [
    ("ij,jk->ik", (np.float64, np.float64), {"dtype": np.float32}, None),
    ("ij,jk->ik", (np.float64, np.float64), {"dtype": np.float32, "casting": "same_kind"}, None),
    ("ij,jk->ik", (np.complex64, np.float64), {}, np.float64),
    ("ij,jk->ik", (np.float64, np.float64), {}, np.int64),
    ("ij,jk->ik", (np.float64, np.float64), {"casting": "unsafe"}, np.int64),
    ("ij,jk->ik", (np.float64, np.float64), {}, np.float32),
    ("ij,jk->ik", (np.int8, np.int8), {}, np.float64),  # computed in float64: no overflow
    ("ij,jk->ik", (np.int8, np.int8), {"dtype": np.int64}, None),
    ("ij,jk->ik", (np.float32, np.int8), {"casting": "no"}, None),
    ("i,i->", (np.float64, np.float64), {"dtype": np.int64, "casting": "unsafe"}, None),
    ("i,i->", (np.float64, np.float64), {}, np.float64),  # a 0-d out= (opt_einsum's [:] fails)
    ("i,i->", (np.int8, np.int8), {}, np.float64),
]


@pytest.mark.parametrize("optimize", ["auto", False, "greedy"])
@pytest.mark.parametrize("subscripts, dtypes, kwargs, out_dtype", CASTING_CASES)
def test_out_and_dtype_follow_numpys_casting_rules(subscripts, dtypes, kwargs, out_dtype, optimize):
    shapes = [(3, 4), (4, 5)] if "j" in subscripts else [(4,), (4,)]
    arrays = [np.full(s, 90.5, d) * (1 + 1j if np.dtype(d).kind == "c" else 1) for s, d in zip(shapes, dtypes)]
    out_shape = np.einsum(subscripts, *(np.ones(s) for s in shapes)).shape
    want_out = None if out_dtype is None else np.zeros(out_shape, out_dtype)
    got_out = None if out_dtype is None else np.zeros(out_shape, out_dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = np.einsum(subscripts, *arrays, out=want_out, optimize=False, **kwargs)
        except TypeError:
            with me.BudgetContext(10**6) as budget, pytest.raises(TypeError, match="einsum"):
                me.einsum(subscripts, *arrays, out=got_out, optimize=optimize, **kwargs)
            assert budget.flops_used == 0
            if got_out is not None:
                assert not got_out.any()  # refused before anything was written
            return
        with me.BudgetContext(10**6) as budget:
            got = me.einsum(subscripts, *arrays, out=got_out, optimize=optimize, **kwargs)
    assert budget.flops_used == me.flops.einsum_cost(subscripts, shapes, optimize=optimize)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)
    if got_out is not None:
        assert got is got_out


def test_refused_einsum_converts_no_operand_before_the_charge():
    # dtype= (or out=) makes einsum compute in another dtype; converting the operands is
    # NumPy work, so it must wait for the charge: a refused call allocates nothing.
    import tracemalloc

    a = np.ones(500_000, np.float32)
    tracemalloc.start()
    try:
        with me.BudgetContext(10), pytest.raises(me.BudgetExhaustedError):
            me.einsum("i,i->", a, a, dtype=np.float64)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < a.nbytes


def test_nan_result_warns():
    with pytest.warns(me.MechEstimWarning, match="einsum"):
        me.einsum("i,i->i", np.array([np.nan, 1.0]), np.ones(2))


@pytest.mark.parametrize(
    "subscripts, shapes",
    [
        ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
        ("...ij,...jk", [(2, 1, 3, 4), (6, 4, 5)]),
        ("i...,i...->...", [(3, 2, 2), (3, 2)]),
        ("...,...->...", [(), (3,)]),
        ("ij...->...", [(2, 3)]),
        ("...i->i...", [(4, 3, 2)]),
        ("ba,ca", [(2, 3), (4, 3)]),
        ("Ab,bC", [(2, 3), (3, 4)]),
        ("iij->ij", [(3, 3, 2)]),
        ("ij,jk->ik", [(2, 1), (5, 3)]),  # a size-1 label broadcasts
        ("ijk,jl,kl->il", [(2, 3, 4), (3, 5), (4, 5)]),
    ],
)
def test_ellipsis_implicit_repeated_and_broadcast(subscripts, shapes):
    ops = [rng.standard_normal(s) for s in shapes]
    used, result = charged(lambda: me.einsum(subscripts, *ops))
    want = np.einsum(subscripts, *ops)
    assert np.shape(result) == np.shape(want)
    np.testing.assert_allclose(result, want, rtol=1e-10, atol=1e-12)
    assert used == cost(subscripts, shapes) >= 1


# -- generated contractions against numpy.einsum and opt_einsum ----------------------------------
@st.composite
def contractions(draw, max_operands=4):
    labels = "abcdef"
    sizes = {label: draw(st.integers(1, 4)) for label in labels}
    count = draw(st.integers(1, max_operands))
    terms = []
    for _ in range(count):
        rank = draw(st.integers(0, 3))
        terms.append("".join(draw(st.sampled_from(labels)) for _ in range(rank)))
    used = sorted(set("".join(terms)))
    if draw(st.booleans()):
        output = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
        subscripts = ",".join(terms) + "->" + output
    else:
        subscripts = ",".join(terms)
    shapes = [tuple(sizes[c] for c in term) for term in terms]
    return subscripts, shapes


@settings(max_examples=40, deadline=None)
@given(contractions(), st.sampled_from(["auto", "greedy", False]))
def test_generated_einsum_equals_numpy(case, optimize):
    subscripts, shapes = case
    generator = np.random.default_rng(len(subscripts))
    ops = [generator.standard_normal(s) for s in shapes]
    with me.BudgetContext(10**12) as budget:
        result = me.einsum(subscripts, *ops, optimize=optimize)
    want = np.einsum(subscripts, *ops)
    np.testing.assert_allclose(np.asarray(result), want, rtol=1e-9, atol=1e-9)
    assert budget.flops_used == cost(subscripts, shapes, optimize=optimize) >= 1


@settings(max_examples=30, deadline=None)
@given(contractions(max_operands=5))
def test_generated_dense_auto_matches_opt_einsum_auto(case):
    subscripts, shapes = case
    if len(shapes) < 2:
        return
    ops = [np.ones(s) for s in shapes]
    path, info = me.einsum_path(subscripts, *ops)
    ref_path, ref = oe.contract_path(subscripts, *ops, optimize="auto")
    assert [tuple(p) for p in path] == [tuple(p) for p in ref_path]
    assert info.optimized_cost == int(ref.opt_cost)
    assert info.naive_cost == int(ref.naive_cost)


@settings(max_examples=25, deadline=None)
@given(contractions(max_operands=4), st.data())
def test_generated_symmetric_operand_costs_no_more_and_values_match(case, data):
    subscripts, shapes = case
    # Make operand 0 symmetric in its first two axes when they have equal lengths.
    if not shapes[0] or len(shapes[0]) < 2 or shapes[0][0] != shapes[0][1]:
        return
    generator = np.random.default_rng(3)
    raw = generator.standard_normal(shapes[0])
    sym = me.symmetrize(raw, (0, 1))
    ops = [sym] + [generator.standard_normal(s) for s in shapes[1:]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, info = me.einsum_path(subscripts, *ops)
        dense = me.einsum_path(subscripts, np.asarray(sym), *ops[1:])[1]
        assert info.optimized_cost <= dense.optimized_cost
        used, result = charged(lambda: me.einsum(subscripts, *ops))
    assert used == info.optimized_cost
    np.testing.assert_allclose(
        np.asarray(result),
        np.einsum(subscripts, *[np.asarray(o) for o in ops]),
        rtol=1e-9,
        atol=1e-9,
    )
    if isinstance(result, me.SymmetricTensor):  # whatever the plan claims must hold
        assert me.is_symmetric(result, result.symmetric_axes)


def test_step_costs_sum_to_the_charge_and_min_one():
    _, info = me.einsum_path("ij,jk->ik", np.ones((0, 3)), np.ones((3, 4)))
    assert info.optimized_cost == 1
    used, result = charged(lambda: me.einsum("ij,jk->ik", np.ones((0, 3)), np.ones((3, 4))))
    assert used == 1 and result.shape == (0, 4)
    _, info = me.einsum_path(CHAIN, *[np.ones(s) for s in CHAIN_SHAPES])
    assert sum(s.flop_cost for s in info.steps) == info.optimized_cost
    assert math.isclose(info.speedup, info.naive_cost / info.optimized_cost)
