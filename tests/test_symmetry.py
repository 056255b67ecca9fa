"""Symmetric tensors (cost-model §4, library.md §7): unique elements, construction and
validation, symmetrize, propagation through pointwise ops, reductions, indexing and
einsum, and SymmetryLossWarning."""

from __future__ import annotations

import itertools
import pickle
import warnings

import numpy as np
import pytest
from helpers import used as charged  # (FLOPs, result)

import mechestim as me
from mechestim._core.registry import REGISTRY
from mechestim._symmetry.tensor import (
    binary_symmetry,
    index_symmetry,
    normalize_groups,
    reduction_symmetry,
    symmetry_of,
    tag,
)

rng = np.random.default_rng(17)


def sym_data(shape, groups, seed=0):
    """Exactly symmetric data (averaged with plain NumPy, uncharged)."""
    data = np.random.default_rng(seed).standard_normal(shape)
    for group in normalize_groups(groups, len(shape)):
        group = group.axes
        perms = list(itertools.permutations(group))
        total = np.zeros_like(data)
        for perm in perms:
            order = list(range(len(shape)))
            for src, dst in zip(group, perm):
                order[src] = dst
            total += np.transpose(data, order)
        data = total / len(perms)
    return data


def full_axes(groups):
    """Axis tuples of full symmetric groups (fails on any other group)."""
    assert all(g.is_symmetric for g in groups)
    return tuple(g.axes for g in groups)


@pytest.fixture
def warnings_on():
    me.configure(symmetry_warnings=True)
    yield
    me.configure(symmetry_warnings=True)


# -- unique elements -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "axes, shape, unique, factor",
    [
        ((0, 1), (10, 10), 55, 2),
        ((0, 1), (5, 5), 15, 2),
        ([(0, 1), (2, 3)], (4, 4, 3, 3), 60, 4),
        ((0, 1, 2, 3), (10, 10, 10, 10), 715, 24),
        ([(1, 2)], (7, 3, 3), 42, 2),
        ((-2, -1), (2, 4, 4), 20, 2),
    ],
)
def test_unique_elements_and_factor(axes, shape, unique, factor):
    info = me.SymmetryInfo(axes, shape)
    assert info.unique_elements == unique
    assert info.symmetry_factor == factor


def test_symmetry_info_validation():
    with pytest.raises(ValueError, match="unequal"):
        me.SymmetryInfo((0, 1), (3, 4))
    with pytest.raises(ValueError, match="out of range"):
        me.SymmetryInfo((0, 2), (3, 3))
    with pytest.raises(ValueError, match="overlap"):
        me.SymmetryInfo([(0, 1), (1, 2)], (3, 3, 3))
    with pytest.raises(ValueError, match="two distinct"):
        me.SymmetryInfo((0, 0), (3, 3))
    assert me.SymmetryInfo([(1, 0)], (3, 3)) == me.SymmetryInfo((0, 1), (3, 3))


# -- as_symmetric / is_symmetric / symmetrize ---------------------------------------------------
def test_as_symmetric_accepts_one_tuple_or_a_list():
    data = sym_data((4, 4, 3, 3), [(0, 1), (2, 3)])
    one = me.as_symmetric(data[:, :, 0, 0], (0, 1))
    many = me.as_symmetric(data, [(0, 1), (2, 3)])
    assert isinstance(one, me.SymmetricTensor) and isinstance(one, me.ndarray)
    assert one.symmetric_axes == ((0, 1),)
    assert many.symmetric_axes == ((0, 1), (2, 3))
    assert many.symmetry_info.unique_elements == 60
    assert me.is_symmetric(data, [(0, 1), (2, 3)]) and me.is_symmetric(data, (2, 3))
    assert not me.is_symmetric(rng.standard_normal((3, 3)), (0, 1))
    assert not me.is_symmetric(np.ones((3, 4)), (0, 1))


def test_as_symmetric_is_free():
    with me.BudgetContext(1) as budget:
        me.as_symmetric(np.eye(30), (0, 1))
        me.is_symmetric(np.eye(30), (0, 1))
    assert budget.flops_used == 0


def test_refusal_names_deviation_tolerance_and_symmetrize():
    raw = np.random.default_rng(1).standard_normal((50, 50, 50))
    with pytest.raises(me.SymmetryError) as caught:
        me.as_symmetric(raw, symmetric_axes=(0, 1, 2))
    error = caught.value
    assert isinstance(error, me.MechEstimError)
    assert error.axes == ((0, 1, 2),)
    assert error.atol == 1e-6 and error.rtol == 1e-5
    assert error.max_deviation > 0.1
    message = str(error)
    assert "symmetrize" in message and "atol=1e-06" in message and "rtol=1e-05" in message
    assert f"{error.max_deviation:.6g}" in message


def test_unequal_axis_lengths_deviation_is_inf():
    with pytest.raises(me.SymmetryError) as caught:
        me.as_symmetric(np.ones((3, 4)), (0, 1))
    assert caught.value.max_deviation == float("inf")
    assert "inf" in str(caught.value)


def test_tolerances_are_configurable():
    data = np.eye(3)
    data[0, 1] += 1e-3
    with pytest.raises(me.SymmetryError):
        me.as_symmetric(data, (0, 1))
    assert isinstance(me.as_symmetric(data, (0, 1), atol=1e-2), me.SymmetricTensor)
    assert me.is_symmetric(data, (0, 1), atol=1e-2, rtol=0)


def test_symmetrize_averages_and_is_charged_numel_times_permutations():
    raw = np.random.default_rng(2).standard_normal((50, 50, 50))
    used, T = charged(lambda: me.symmetrize(raw, (0, 1, 2)))
    assert used == 125_000 * 6
    assert isinstance(T, me.SymmetricTensor) and T.symmetric_axes == ((0, 1, 2),)
    np.testing.assert_allclose(T, sym_data((50, 50, 50), (0, 1, 2), seed=2))
    assert me.is_symmetric(T, (0, 1, 2))
    raw = rng.standard_normal((4, 4, 3, 3))
    used, S = charged(lambda: me.symmetrize(raw, [(0, 1), (2, 3)]))
    assert used == 144 * 4
    assert S.symmetric_axes == ((0, 1), (2, 3))


def test_symmetrize_dtypes_and_refusals():
    assert me.symmetrize(np.ones((3, 3), np.float32), (0, 1)).dtype == np.float32
    assert me.symmetrize(np.ones((3, 3), np.complex64), (0, 1)).dtype == np.complex64
    assert me.symmetrize(np.arange(9).reshape(3, 3), (0, 1)).dtype == np.float64
    with me.BudgetContext(10**6) as budget:
        with pytest.raises(ValueError, match="unequal"):
            me.symmetrize(np.ones((3, 4)), (0, 1))
        with pytest.raises(ValueError, match="symmetric_axes or a non-trivial symmetry group"):
            me.symmetrize(np.ones((3, 3)), [])
        with pytest.raises(TypeError, match="numeric"):
            me.symmetrize(np.array([["a", "b"], ["c", "d"]]), (0, 1))
    assert budget.flops_used == 0


# -- pointwise and binary propagation ---------------------------------------------------------
def test_exp_of_symmetric_eye_costs_55_and_stays_symmetric():
    S = me.as_symmetric(me.eye(10), (0, 1))
    used, result = charged(lambda: me.exp(S))
    assert used == 55
    assert isinstance(result, me.SymmetricTensor) and result.symmetric_axes == ((0, 1),)
    np.testing.assert_allclose(result, np.exp(np.eye(10)))
    used, result = charged(lambda: np.exp(S))
    assert used == 55 and isinstance(result, me.SymmetricTensor)


def test_binary_keeps_shared_groups(warnings_on):
    S = me.as_symmetric(sym_data((5, 5), (0, 1)), (0, 1))
    T = me.as_symmetric(sym_data((5, 5), (0, 1), seed=3), (0, 1))
    used, result = charged(lambda: S + T)
    assert used == 15 and isinstance(result, me.SymmetricTensor)
    used, result = charged(lambda: S * 2.0)
    assert used == 15 and result.symmetric_axes == ((0, 1),)
    with pytest.warns(me.SymmetryLossWarning, match="add"):
        used, result = charged(lambda: S + rng.standard_normal((5, 5)))
    assert used == 25 and type(result) is me.ndarray


def test_binary_symmetry_rule():
    S = tag(np.ones((3, 3)), (0, 1))
    F = tag(np.ones((3, 3, 3)), (0, 1, 2))
    assert full_axes(binary_symmetry((S, S), (3, 3))) == ((0, 1),)
    assert full_axes(binary_symmetry((S, np.float64(2.0)), (3, 3))) == ((0, 1),)
    assert full_axes(binary_symmetry((S, np.ones((3, 3))), (3, 3))) == ()
    assert binary_symmetry((np.ones(3), np.ones(3)), (3,)) is None
    # right-aligned: S's (0,1) becomes (1,2) against a (3,3,3) operand
    assert full_axes(binary_symmetry((F, S), (3, 3, 3))) == ((1, 2),)
    # size-1 axes stretched by broadcasting leave the group
    B = tag(np.ones((2, 1, 1)), [(1, 2)])
    C = tag(np.ones((2, 4, 4)), [(1, 2)])
    assert full_axes(binary_symmetry((B, C), (2, 4, 4))) == ()


# -- reductions -------------------------------------------------------------------------------
def test_reductions_cost_unique_elements_and_renumber(warnings_on):
    A = me.as_symmetric(sym_data((4, 4, 4), (0, 1, 2)), (0, 1, 2))
    used, total = charged(lambda: me.sum(A, axis=0))
    assert used == me.SymmetryInfo((0, 1, 2), (4, 4, 4)).unique_elements == 20
    assert isinstance(total, me.SymmetricTensor) and total.symmetric_axes == ((0, 1),)
    kept = me.sum(A, axis=0, keepdims=True)
    assert kept.symmetric_axes == ((1, 2),)
    assert np.isscalar(me.sum(A))
    S = me.as_symmetric(me.eye(10), (0, 1))
    used, _ = charged(lambda: me.sum(S))
    assert used == 55
    info = me.SymmetryInfo((0, 1, 2), (4, 4, 4))
    assert full_axes(reduction_symmetry(info, (0, 1), False)) == ()
    assert full_axes(reduction_symmetry(info, -1, False)) == ((0, 1),)
    assert full_axes(reduction_symmetry(info, None, False)) == ()
    with pytest.warns(me.SymmetryLossWarning):
        me.sum(me.as_symmetric(sym_data((3, 3, 2), (0, 1)), (0, 1)), axis=1)


# -- indexing ------------------------------------------------------------------------------------
def test_indexing_examples_of_cost_model():
    A = me.as_symmetric(sym_data((10, 10, 10, 10), (0, 1, 2, 3)), (0, 1, 2, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", me.SymmetryLossWarning)
        assert A[0].symmetric_axes == ((0, 1, 2),)
        assert A[0:5].symmetric_axes == ((1, 2, 3),)
        assert A[0:5, 0:5].symmetric_axes == ((2, 3),)
        assert type(A[[0, 1]]) is me.ndarray
        assert A[:, None].symmetric_axes == ((0, 2, 3, 4),)
        assert A[..., 0].symmetric_axes == ((0, 1, 2),)
        assert A[::-1].symmetric_axes == ((1, 2, 3),)
        assert A[0:10].symmetric_axes == ((0, 1, 2, 3),)
        assert np.isscalar(A[1, 2, 3, 4])
    info = me.SymmetryInfo((0, 1, 2, 3), (10,) * 4)
    assert full_axes(index_symmetry(info, 0)) == ((0, 1, 2),)
    assert full_axes(index_symmetry(info, (slice(0, 5), slice(0, 5)))) == ((2, 3),)
    assert full_axes(index_symmetry(info, ([0, 1],))) == ()


def test_indexing_loss_warns_and_can_be_silenced(warnings_on):
    S = me.as_symmetric(me.eye(6), (0, 1))
    with pytest.warns(me.SymmetryLossWarning, match="indexing"):
        S[0:3]
    me.configure(symmetry_warnings=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        S[0:3]
        S + rng.standard_normal((6, 6))


# -- other ways symmetry ends ---------------------------------------------------------------------
def test_item_assignment_drops_the_tag(warnings_on):
    S = me.as_symmetric(me.eye(4), (0, 1))
    with pytest.warns(me.SymmetryLossWarning):
        S[0, 1] = 5.0
    assert type(S) is me.ndarray and S[0, 1] == 5.0
    used, _ = charged(lambda: me.exp(S))
    assert used == 16


def test_views_copies_and_products_are_plain():
    S = me.as_symmetric(sym_data((4, 4), (0, 1)), (0, 1))
    # transposes keep the symmetry with the axes permuted (library §7)
    assert type(S.T) is me.SymmetricTensor and S.T.symmetric_axes == ((0, 1),)
    assert type(S.reshape(16)) is me.ndarray
    assert symmetry_of(S) is S.symmetry_info and symmetry_of(np.ones(3)) is None
    for product in (me.dot(S, S), S @ S, me.matmul(S, S)):
        assert type(product) is me.ndarray


def test_pickle_keeps_symmetry():
    S = me.as_symmetric(sym_data((3, 3), (0, 1)), (0, 1))
    back = pickle.loads(pickle.dumps(S))
    assert isinstance(back, me.SymmetricTensor) and back.symmetric_axes == ((0, 1),)
    np.testing.assert_array_equal(back, S)


def test_einsum_propagates_and_declares():
    T = me.symmetrize(rng.standard_normal((5, 5, 5)), (0, 1, 2))
    A = rng.standard_normal((3, 5))
    out = me.einsum("ai,ijk->ajk", A, T)
    assert isinstance(out, me.SymmetricTensor) and out.symmetric_axes == ((1, 2),)
    assert me.is_symmetric(out, (1, 2))
    full = me.einsum("ijk->ijk", T)
    assert full.symmetric_axes == ((0, 1, 2),)
    X = rng.standard_normal((6, 3))
    gram = me.einsum("ki,kj->ij", X, X)
    assert gram.symmetric_axes == ((0, 1),)
    used, declared = charged(lambda: me.einsum("ij,kj->ik", X, X.copy(), symmetric_axes=(0, 1)))
    assert used == 2 * 6 * 6 * 3 and declared.symmetric_axes == ((0, 1),)


def test_configure_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown"):
        me.configure(symmetry_warning=False)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda x, o: me.exp(x, out=o), id="unary"),
        pytest.param(lambda x, o: me.sum(me.stack([x, x]), axis=0, out=o), id="reduction"),
        pytest.param(lambda x, o: np.add.accumulate(x, out=o), id="ufunc-method"),
        pytest.param(lambda x, o: me.matmul(x, x, out=o), id="matmul"),
        pytest.param(lambda x, o: me.dot(x, x, out=o), id="dot"),
        pytest.param(lambda x, o: me.einsum("ij,jk->ik", x, x, out=o), id="einsum"),
        pytest.param(lambda x, o: me.clip(x, 0, 4, out=o), id="clip"),
        pytest.param(lambda x, o: me.add(x, 1.0, out=o), id="binary"),
    ],
)
def test_out_symmetric_tensor_overwritten_with_plain_data_loses_its_tag(write):
    x = me.array(np.arange(9.0).reshape(3, 3))
    out = me.as_symmetric(np.eye(3), (0, 1))
    write(x, out)
    assert type(out) is me.ndarray  # the data written are not symmetric
    assert not np.allclose(np.asarray(out), np.asarray(out).T)


def test_out_symmetric_tensor_keeps_its_tag_when_the_result_is_symmetric():
    s = me.as_symmetric(np.arange(9.0).reshape(3, 3) + np.arange(9.0).reshape(3, 3).T, (0, 1))
    for write in (lambda o: me.exp(s, out=o), lambda o: me.clip(s, 0, 4, out=o),
                  lambda o: me.add(s, s, out=o)):  # fmt: skip
        out = me.as_symmetric(np.eye(3), (0, 1))
        write(out)
        assert isinstance(out, me.SymmetricTensor)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda s, d: me.copyto(s, d), id="copyto"),
        pytest.param(lambda s, d: np.copyto(s, d), id="np.copyto"),
        pytest.param(lambda s, d: me.copyto(dst=s, src=d), id="copyto-keywords"),
        pytest.param(lambda s, d: me.put(s, [1], [5.0]), id="put"),
        pytest.param(lambda s, d: s.put([1], [5.0]), id="put-method"),
        pytest.param(lambda s, d: me.place(s, d > 4, [7.0]), id="place"),
        pytest.param(lambda s, d: me.putmask(s, d > 4, 7.0), id="putmask"),
        pytest.param(
            lambda s, d: me.put_along_axis(s, np.zeros((3, 1), int), 5.0, axis=1),
            id="put_along_axis",
        ),
    ],
)
def test_free_ops_writing_into_a_symmetric_tensor_drop_its_tag(write):
    data = np.arange(9.0).reshape(3, 3)
    s = me.as_symmetric(np.eye(3), (0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write(s, data)
    assert type(s) is me.ndarray
    assert not np.array_equal(np.asarray(s), np.asarray(s).T)


def test_fill_diagonal_keeps_the_symmetry():
    s = me.as_symmetric(np.ones((3, 3, 3)), (0, 1, 2))
    me.fill_diagonal(s, 5.0)
    assert isinstance(s, me.SymmetricTensor)


def test_sort_complex_of_a_symmetric_tensor_is_not_symmetric(warnings_on):
    s = me.as_symmetric(np.array([[3.0, 1.0], [1.0, 2.0]]), (0, 1))
    with pytest.warns(me.errors.SymmetryLossWarning):
        flops, result = charged(lambda: me.sort_complex(s))
    assert type(result) is me.ndarray
    np.testing.assert_array_equal(result, np.sort_complex(np.asarray(s)))
    assert flops == 3  # the cost rule of a unary op still counts the unique elements


@pytest.mark.parametrize(
    "reduce",
    [
        pytest.param(lambda s, w: me.average(s, axis=0, weights=w), id="average-weights"),
        pytest.param(lambda s, w: me.average(s, 0, w), id="average-positional"),
        pytest.param(lambda s, w: me.sum(s, axis=0, where=w > 0.5), id="sum-where"),
        pytest.param(lambda s, w: me.mean(s, axis=0, where=w > 0.5), id="mean-where"),
        pytest.param(lambda s, w: me.max(s, axis=0, where=w > 0.5, initial=0.0), id="max-where"),
    ],
)
def test_uneven_reductions_drop_the_symmetry(reduce):
    rng = np.random.default_rng(3)
    s = me.symmetrize(rng.random((3, 3, 3)), (0, 1, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = reduce(s, rng.random((3, 3, 3)))
    assert type(result) is me.ndarray
    assert not np.allclose(result, np.asarray(result).T)


def test_average_with_weights_along_the_axis_keeps_the_symmetry():
    rng = np.random.default_rng(4)
    s = me.symmetrize(rng.random((3, 3, 3)), (0, 1, 2))
    result = me.average(s, axis=0, weights=rng.random(3))
    assert isinstance(result, me.SymmetricTensor) and result.symmetric_axes == ((0, 1),)
    np.testing.assert_allclose(result, np.asarray(result).T)


def test_element_wise_ops_with_a_where_mask_drop_the_symmetry():
    s = me.as_symmetric(np.arange(9.0).reshape(3, 3) + np.arange(9.0).reshape(3, 3).T, (0, 1))
    mask = np.triu(np.ones((3, 3), bool))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unary = me.negative(s, where=mask, out=me.zeros((3, 3)))
        binary = me.add(s, s, where=mask, out=me.zeros((3, 3)))
        fresh = me.negative(s, where=mask)
        clipped = me.clip(s, 0.0, 4.0, where=mask)
    for result in (unary, binary, fresh, clipped):
        assert type(result) is me.ndarray
    np.testing.assert_array_equal(unary, np.where(mask, -np.asarray(s), 0.0))


@pytest.mark.parametrize(
    "method, function",
    [
        (lambda s: np.add.reduce(s), lambda s: me.sum(s, axis=0)),
        (lambda s: np.maximum.reduce(s, axis=None), lambda s: me.max(s)),
        (lambda s: np.add.accumulate(s), lambda s: me.cumsum(s, axis=0)),
        (lambda s: np.multiply.accumulate(s, axis=1), lambda s: me.cumprod(s, axis=1)),
    ],
)
def test_ufunc_reduce_and_accumulate_charge_what_the_named_reduction_charges(method, function):
    s = me.as_symmetric(np.eye(10) + 1.0, (0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (flops, got), (expected, want) = charged(lambda: method(s)), charged(lambda: function(s))
    assert flops == expected == 55
    np.testing.assert_array_equal(got, want)


def test_every_out_of_a_two_output_ufunc_is_released():
    x = me.array(np.arange(9.0).reshape(3, 3) + 1.0)
    quotient, remainder = (me.as_symmetric(np.eye(3), (0, 1)) for _ in range(2))
    me.divmod(x, 4.0, out=(quotient, remainder))
    assert type(quotient) is me.ndarray and type(remainder) is me.ndarray
    s = me.as_symmetric(np.arange(9.0).reshape(3, 3) + np.arange(9.0).reshape(3, 3).T, (0, 1))
    me.divmod(s, 4.0, out=(quotient, remainder))  # plain targets stay plain
    np.testing.assert_array_equal(remainder, np.asarray(s) % 4.0)


def test_unary_op_on_an_empty_symmetric_tensor_charges_one_like_its_cost_rule():
    s = me.as_symmetric(np.zeros((0, 0)), (0, 1))
    flops, _ = charged(lambda: me.exp(s))
    assert flops == me.flops.pointwise_cost((0, 0), s.symmetry_info) == 1


def test_ufunc_at_on_a_symmetric_tensor_drops_its_tag():
    s = me.as_symmetric(np.eye(3), (0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flops, _ = charged(lambda: np.add.at(s, (0, 1), 5.0))
    assert flops == 1
    assert type(s) is me.ndarray and s[0, 1] == 5.0 and s[1, 0] == 0.0


def test_in_place_reshapes_drop_a_stale_symmetry():
    resized = me.as_symmetric(np.eye(3), (0, 1))
    reshaped = me.as_symmetric(np.eye(3), (0, 1))
    same = me.as_symmetric(np.eye(3), (0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resized.resize((9,), refcheck=False)
        reshaped.shape = (1, 9)
    same.shape = (3, 3)
    assert type(resized) is me.ndarray and resized.shape == (9,)
    assert type(reshaped) is me.ndarray and reshaped.shape == (1, 9)
    assert isinstance(same, me.SymmetricTensor) and same.shape == (3, 3)
    flops, result = charged(lambda: me.exp(reshaped))
    assert flops == 9 and type(result) is me.ndarray


# -- a failed symmetrize leaves no trace --------------------------------------------------------
def _raise(error):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.mark.parametrize(
    "name, error", [("zeros_like", MemoryError("no room")), ("transpose", ValueError("bad axes"))]
)
def test_symmetrize_failing_after_its_charge_is_refunded(monkeypatch, name, error):
    raw = rng.standard_normal((4, 4))
    with me.BudgetContext(10**6) as budget:
        me.exp(raw)  # charged before the failure: kept
        session = me.budget_summary_dict()
        monkeypatch.setattr(np, name, _raise(error))
        with pytest.raises(type(error)):
            me.symmetrize(raw, (0, 1))
        monkeypatch.undo()
        assert me.budget_summary_dict() == session
    assert budget.flops_used == 16
    assert [record.op_name for record in budget.op_log] == ["exp"]
    assert set(budget.operations) == {"exp"}
    flops, S = charged(lambda: me.symmetrize(raw, (0, 1)))  # the same call, working
    assert flops == 32 and isinstance(S, me.SymmetricTensor)


# -- writes through views and aliases -------------------------------------------------------------
def _sym3x3():
    return me.as_symmetric(np.array([[3.0, 1.0, 2.0], [1.0, 0.0, 5.0], [2.0, 5.0, 4.0]]), (0, 1))


def _set(view, key, value):
    view[key] = value


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda s: _set(s.T, (0, 1), 50.0), id="T-setitem"),
        pytest.param(lambda s: _set(s[0], 1, 50.0), id="row-setitem"),
        pytest.param(lambda s: _set(s[:, :], (0, 1), 50.0), id="full-slice-setitem"),
        pytest.param(lambda s: _set(s[...], (0, 1), 50.0), id="ellipsis-setitem"),
        pytest.param(lambda s: _set(s.reshape(9), 1, 50.0), id="reshape-setitem"),
        pytest.param(lambda s: _set(me.transpose(s), (0, 1), 50.0), id="me.transpose-setitem"),
        pytest.param(lambda s: _set(np.transpose(s), (0, 1), 50.0), id="np.transpose-setitem"),
        pytest.param(lambda s: s.T.__iadd__(me.arange(3.0)), id="T-iadd"),
        pytest.param(lambda s: s[0].__imul__(3.0), id="row-imul"),
        pytest.param(lambda s: np.add(s.T, me.arange(3.0), out=s.T), id="np.add-out"),
        pytest.param(lambda s: me.exp(s[0], out=s[0]), id="me.exp-out"),
        pytest.param(lambda s: me.matmul(s.T, s.T, out=s[:, :]), id="matmul-out-tagged-view"),
        pytest.param(lambda s: np.add.at(s.T, (0, 1), 5.0), id="ufunc.at"),
        pytest.param(lambda s: me.copyto(s[1], me.arange(3.0)), id="copyto"),
        pytest.param(lambda s: me.put(s.T, [1], [50.0]), id="put"),
        pytest.param(lambda s: s[0].sort(), id="sort"),
    ],
)
def test_a_write_through_a_view_releases_the_symmetric_tensor(write):
    s = _sym3x3()
    before = np.asarray(s).copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write(s)
    assert not np.array_equal(np.asarray(s), before)  # the write did reach s's memory
    assert type(s) is me.ndarray and symmetry_of(s) is None
    flops, _ = charged(lambda: me.exp(s))
    assert flops == 9  # no discount for data that may no longer be symmetric


def test_writing_into_the_array_a_symmetric_tensor_was_built_from_releases_it(warnings_on):
    x = me.array(np.eye(3))
    s = me.as_symmetric(x, (0, 1))
    with pytest.warns(me.SymmetryLossWarning, match=r"item assignment.*\(0, 1\)"):
        x[0, 1] = 5.0
    assert type(s) is me.ndarray and s[0, 1] == 5.0
    plain = np.eye(3)
    t = me.as_symmetric(plain, (0, 1))
    with pytest.warns(me.SymmetryLossWarning, match="in-place write") as caught:
        me.add(plain, np.triu(np.ones((3, 3))), out=plain)  # a plain out= written by mechestim
    assert caught[0].filename == __file__  # the warning points at the caller's line
    assert type(t) is me.ndarray


def test_writing_a_symmetric_tensor_releases_its_symmetric_views(warnings_on):
    s = me.as_symmetric(np.ones((3, 3, 3)), (0, 1, 2))
    full, block = s[...], s[1]
    assert full.symmetric_axes == ((0, 1, 2),) and block.symmetric_axes == ((0, 1),)
    with pytest.warns(me.SymmetryLossWarning):
        s[0, 1, 2] = 5.0
    assert type(s) is me.ndarray and type(full) is me.ndarray and type(block) is me.ndarray


def test_a_symmetric_write_keeps_the_views_it_leaves_symmetric():
    x = me.array(sym_data((4, 4), (0, 1)))
    s = me.as_symmetric(x, (0, 1))
    same = me.as_symmetric(s, (0, 1))  # the same elements in the same layout
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s += 1.0  # still symmetric: nothing is released
        me.multiply(s, s, out=x)  # a symmetric result written into the array s views
    assert isinstance(s, me.SymmetricTensor) and isinstance(same, me.SymmetricTensor)
    t = me.as_symmetric(np.ones((3, 3, 3)), (0, 1, 2))
    block = t[0]  # symmetric in its two axes, as a block of t
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        block += 1.0  # block stays symmetric, but t[0, 1, 2] != t[1, 0, 2] now
    assert isinstance(block, me.SymmetricTensor) and type(t) is me.ndarray


def test_a_write_elsewhere_in_the_same_buffer_keeps_the_tag():
    big = me.zeros((2, 3, 3))
    s = me.as_symmetric(big[0], (0, 1))
    other = big[1]
    other[0, 1] = 5.0  # same buffer, no element of s
    assert isinstance(s, me.SymmetricTensor)


def test_alias_release_warns_and_can_be_silenced(warnings_on):
    s = _sym3x3()
    with pytest.warns(me.SymmetryLossWarning, match="shared") as caught:
        s.reshape(3, 3)[0, 1] = 5.0
    assert caught[0].filename == __file__
    s = _sym3x3()
    with pytest.warns(me.SymmetryLossWarning, match="shared") as caught:
        s.reshape(3, 3).__iadd__(me.arange(3.0))  # through NumPy's operator and __array_ufunc__
    assert caught[0].filename == __file__
    s = _sym3x3()
    me.configure(symmetry_warnings=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s.T[0, 1] = 5.0
    assert type(s) is me.ndarray


def test_writes_through_a_plain_numpy_view_are_not_seen():
    s = _sym3x3()
    np.asarray(s)[0, 1] = 50.0  # documented limit: mechestim never sees this write
    assert isinstance(s, me.SymmetricTensor)


def test_dead_symmetric_tensors_are_forgotten():
    from mechestim._symmetry import tensor as _symmetry

    base = me.zeros((3, 3))
    before = sum(len(bucket) for bucket in _symmetry._TAGGED.values())
    views = [me.as_symmetric(base, (0, 1)) for _ in range(5)]
    assert sum(len(bucket) for bucket in _symmetry._TAGGED.values()) == before + 5
    del views
    assert sum(len(bucket) for bucket in _symmetry._TAGGED.values()) == before
    released = me.as_symmetric(base, (0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        released[0, 1] = 2.0
    assert sum(len(bucket) for bucket in _symmetry._TAGGED.values()) == before
    del released
    assert sum(len(bucket) for bucket in _symmetry._TAGGED.values()) == before


def test_divmod_of_symmetric_operands_is_charged_dense_like_the_other_two_result_ops():
    # ops.tsv: divmod costs numel(broadcast), dense, like modf and frexp: its two
    # results carry no symmetry, so it gets no symmetry credit either.
    s = me.as_symmetric(np.eye(3) + 2.0, (0, 1))
    for run in (lambda: me.divmod(s, s), lambda: np.divmod(s, s), lambda: divmod(s, s)):
        flops, (quotient, remainder) = charged(run)
        assert flops == 9
        assert type(quotient) is me.ndarray and type(remainder) is me.ndarray
    assert REGISTRY["divmod"].cost(s, s) == 9
    flops, _ = charged(lambda: me.modf(s))
    assert flops == 9
