"""Attacks on symmetry propagation and charges found by review (each failed before its fix).

Every tag a result carries must hold on generic data: the data are checked against
every generator, and charges against the unique elements of what the result really has.
"""

from __future__ import annotations

import numpy as np
import pytest

import mechestim as me

rng = np.random.default_rng(2024)


@pytest.fixture(autouse=True)
def _quiet():
    me.configure(symmetry_warnings=False)
    yield
    me.configure(symmetry_warnings=True)


def holds(x) -> bool:
    """A SymmetricTensor's data are invariant under every generator of its groups."""
    if not isinstance(x, me.SymmetricTensor):
        return True
    data = np.asarray(x.view(np.ndarray))
    for group in x.symmetry:
        for generator in group.generators:
            order = list(range(data.ndim))
            for i, j in enumerate(generator.array_form):
                order[group.axes[i]] = group.axes[j]
            if not np.allclose(data, np.transpose(data, order)):
                return False
    return True


# -- reductions ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "reduce",
    [
        lambda t: me.sum(t, 0, None, None, True),
        lambda t: t.sum(0, None, None, True),
        lambda t: np.sum(t, 0, None, None, True),
        lambda t: me.max(t, 0, None, True),
        lambda t: me.std(t, 0, None, None, 0, True),
        lambda t: me.ptp(t, 0, None, True),
    ],
)
def test_keepdims_given_by_position_keeps_the_group_on_the_right_axes(reduce):
    T = me.symmetrize(rng.standard_normal((3, 3, 3, 3)), symmetric_axes=(2, 3))
    result = reduce(T)
    assert result.shape == (1, 3, 3, 3)
    assert holds(result)
    assert result.symmetric_axes == ((2, 3),)


# -- writes -------------------------------------------------------------------------------
def _plain_data():
    return rng.standard_normal((4, 4))


@pytest.mark.parametrize(
    "write",
    [
        lambda S, X: np.take(X, [0, 1, 2, 3], axis=0, out=S),
        lambda S, X: np.take(X, [0, 1, 2, 3], 0, S),
        lambda S, X: me.take(X, [0, 1, 2, 3], axis=0, out=S),
        lambda S, X: np.choose(np.zeros((4, 4), int), [X], out=S),
        lambda S, X: np.concatenate([X[:2], X[2:]], out=S),
        lambda S, X: np.concatenate([X[:2], X[2:]], 0, S),
        lambda S, X: np.stack([X[0], X[1], X[2], X[3]], out=S),
        lambda S, X: np.compress([True] * 4, X, axis=0, out=S),
        lambda S, X: np.take(X, [0, 1, 2, 3], axis=0, out=S.T),
    ],
)
def test_a_free_op_writing_out_drops_the_tag(write):
    S = me.symmetrize(rng.standard_normal((4, 4)), (0, 1))
    write(S, _plain_data())
    data = np.asarray(S.view(np.ndarray))
    assert not np.allclose(data, data.T)  # the write broke the symmetry ...
    assert type(S) is me.ndarray  # ... and the tag went with it


@pytest.mark.parametrize("by_position", [False, True])
def test_a_free_ufunc_writing_out_drops_the_tag(by_position):
    flags = np.ones((4, 4), dtype=bool)
    flags[0, 1] = False
    S = me.as_symmetric(np.ones((4, 4), dtype=bool), (0, 1))
    X = np.where(flags, 1.0, np.nan)
    if by_position:
        np.isfinite(me.asarray(X), S)
    else:
        np.isfinite(me.asarray(X), out=S)
    assert not S.view(np.ndarray)[0, 1] and S.view(np.ndarray)[1, 0]
    assert type(S) is me.ndarray


# -- the group API ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sizes, error",
    [
        ([-2, -2, -2], ValueError),  # answered -4
        ([2.5, 2.5, 2.5], TypeError),  # answered 4 (lengths truncated)
        ([2, 2], ValueError),  # a raw IndexError
        ({0: 2, 1: 2}, ValueError),  # a raw KeyError
    ],
)
def test_burnside_count_refuses_sizes_that_are_not_lengths(sizes, error):
    for group in (me.PermutationGroup.cyclic(3), me.PermutationGroup.symmetric(3)):
        with pytest.raises(error, match="length|lengths|size"):
            group.burnside_unique_count(sizes)


def test_burnside_count_takes_numpy_integer_lengths():
    assert me.PermutationGroup.cyclic(3).burnside_unique_count(np.array([10, 10, 10])) == 340
    assert me.PermutationGroup.cyclic(3).burnside_unique_count([0, 0, 0]) == 0


@pytest.mark.parametrize("axes", [[(0, 1.5)], [(0.0, 1)], [(0, True)], [(0, "1")]])
def test_an_axis_that_is_not_an_int_is_refused_not_truncated(axes):
    with pytest.raises(TypeError, match="int"):
        me.flops.unique_elements((3, 3), axes)  # [(0, 1.5)] answered 6: symmetric in (0, 1)
    with pytest.raises(TypeError, match="int"):
        me.as_symmetric(np.eye(3), axes)


def test_numpy_integer_axes_are_axes():
    assert me.flops.unique_elements((3, 3), [(np.int64(0), np.int32(1))]) == 6


def test_permutation_points_are_ints_not_bools():
    with pytest.raises(TypeError, match="ints"):
        me.Permutation([True, False])  # was Permutation([1, 0])
    with pytest.raises(TypeError, match="ints"):
        me.Cycle(0, True)


def test_applying_a_permutation_to_a_point_outside_it_is_an_error():
    p = me.Permutation([1, 0])
    assert p(0) == 1 and p(np.int64(1)) == 0
    with pytest.raises(ValueError, match="-1"):
        p(-1)  # was 0, Python's negative index
    with pytest.raises(ValueError, match="5"):
        p(5)  # was a bare IndexError


def test_identity_of_negative_size_is_an_error():
    assert me.Permutation.identity(0).size == 0
    with pytest.raises(ValueError, match="-1"):
        me.Permutation.identity(-1)  # was Permutation([])


def test_equal_cycles_compare_equal_and_hash_alike():
    assert me.Cycle(0, 1) == me.Cycle(1, 0) and me.Cycle() == me.Cycle()
    assert me.Cycle(0, 1)(0, 1) == me.Cycle()
    assert hash(me.Cycle(0, 2)(1, 3)) == hash(me.Cycle(1, 3)(2, 0))
    assert me.Cycle(0, 1) != me.Cycle(0, 2) and me.Cycle(0, 1) != (0, 1)


def test_as_symmetric_on_unequal_axis_lengths_names_the_axes_and_lengths():
    with pytest.raises(me.SymmetryError) as caught:
        me.as_symmetric(np.ones((3, 3, 4)), symmetry=me.PermutationGroup.cyclic(3))
    message = str(caught.value)
    assert "(0, 1, 2)" in message and "[3, 4]" in message and "inf" in message
    # symmetrize cannot help (it refuses these lengths too), so the message does not offer it
    assert "symmetrize" not in message
    assert caught.value.max_deviation == float("inf")


@pytest.mark.parametrize(
    "write",
    [
        lambda S, X: S[0].fill(5.0),
        lambda S, X: S[:, 1].fill(5.0),
        lambda S, X: S[0].put([1], [5.0]),
        lambda S, X: S[0].setfield(X[0], np.float64),
        lambda S, X: S.setfield(X, np.float64),
        lambda S, X: me.asarray(X).take([0, 1, 2, 3], axis=0, out=S),
        lambda S, X: me.asarray(X).take([0, 1, 2, 3], 0, S),
        lambda S, X: me.asarray(np.zeros((4, 4), int)).choose([X], out=S),
        lambda S, X: me.asarray(X).compress([True] * 4, axis=0, out=S),
    ],
)
def test_array_methods_that_write_drop_the_tag(write):
    S = me.symmetrize(rng.standard_normal((4, 4)), (0, 1))
    write(S, _plain_data())
    data = np.asarray(S.view(np.ndarray))
    assert not np.allclose(data, data.T)
    assert type(S) is me.ndarray


def test_filling_the_whole_tensor_keeps_it_symmetric():
    S = me.symmetrize(rng.standard_normal((4, 4)), (0, 1))
    S.fill(2.0)
    assert type(S) is me.SymmetricTensor and S.symmetric_axes == ((0, 1),)


# -- unary ops with array arguments -------------------------------------------------------
def _with_nans():
    data = np.ones((3, 3))
    data[0, 1] = data[1, 0] = np.nan
    data[0, 2] = data[2, 0] = np.inf
    # the NaN/Inf are the point of this data: expect the non-finite warning, do not leak it
    with pytest.warns(me.MechEstimWarning, match="NaN"):
        return me.symmetrize(data, (0, 1))


@pytest.mark.parametrize(
    "op",
    [
        lambda S, X: me.nan_to_num(S, nan=X),
        lambda S, X: np.nan_to_num(S, nan=X),
        lambda S, X: me.nan_to_num(S, posinf=X),
    ],
)
def test_an_array_argument_of_a_unary_op_drops_the_symmetry(op):
    X = np.arange(9.0).reshape(3, 3)
    result = op(_with_nans(), X)
    assert holds(result)
    assert type(result) is me.ndarray


def test_a_scalar_argument_of_a_unary_op_keeps_the_symmetry():
    result = me.nan_to_num(_with_nans(), nan=5.0, posinf=np.float64(7.0))
    assert holds(result) and result.symmetric_axes == ((0, 1),)


@pytest.mark.parametrize(
    "op",
    [
        lambda S, out: me.fix(S, out),
        lambda S, out: me.round(S, 1, out),
        lambda S, out: np.round(S, 1, out),
    ],
)
def test_a_unary_op_given_out_by_position_releases_it(op):
    C3 = me.PermutationGroup.cyclic(3)
    S = me.symmetrize(rng.standard_normal((3, 3, 3)), symmetry=C3)
    out = me.symmetrize(rng.standard_normal((3, 3, 3)), (0, 1, 2))
    result = op(S, out)
    # out now holds C3-symmetric data, not S3-symmetric: its S3 tag must go
    assert holds(out) and holds(result)
    assert not (isinstance(out, me.SymmetricTensor) and out.symmetric_axes == ((0, 1, 2),))


@pytest.mark.parametrize(
    "reduce",
    [
        lambda X, S: me.sum(X, 0, None, S),
        lambda X, S: np.sum(me.asarray(X), 0, None, S),
        lambda X, S: me.mean(X, 0, None, S),
        lambda X, S: me.max(X, 0, S),
        lambda X, S: me.std(X, 0, None, S),
        lambda X, S: me.median(X, 0, S),
        lambda X, S: me.percentile(X, 50, 0, S),
        lambda X, S: me.cumsum(X[0], 0, None, S),
    ],
)
def test_a_reduction_given_out_by_position_fills_it_and_releases_its_tag(reduce):
    X = rng.standard_normal((3, 4, 4))  # was a RecursionError (out reached NumPy wrapped)
    S = me.symmetrize(rng.standard_normal((4, 4)), (0, 1))
    result = reduce(X, S)
    assert result is S
    data = np.asarray(S.view(np.ndarray))
    assert not np.allclose(data, data.T) and type(S) is me.ndarray


def test_nan_and_inf_in_mirrored_places_are_symmetric():
    data = np.ones((3, 3))
    data[0, 1] = data[1, 0] = np.nan
    data[0, 2] = data[2, 0] = np.inf
    assert me.is_symmetric(data, (0, 1))  # was False: NaN != NaN
    S = me.as_symmetric(data, (0, 1))  # was a SymmetryError with "max deviation nan"
    assert S.symmetric_axes == ((0, 1),)


def test_a_nan_facing_a_number_is_not_symmetric_and_the_error_says_so():
    data = np.ones((3, 3))
    data[0, 1] = np.nan
    assert not me.is_symmetric(data, (0, 1))
    with pytest.raises(me.SymmetryError, match="max deviation inf"):
        me.as_symmetric(data, (0, 1))


def test_the_deviation_of_bool_and_unsigned_data_is_their_distance():
    with pytest.raises(me.SymmetryError, match="max deviation 1,"):
        me.as_symmetric(np.array([[True, False], [True, True]]), (0, 1))  # was a TypeError
    with pytest.raises(me.SymmetryError, match="max deviation 1,"):
        me.as_symmetric(np.array([[1, 2], [1, 1]], dtype=np.uint8), (0, 1))  # said 255


def test_a_group_on_negative_axes_counts_from_the_end():
    batch = rng.standard_normal((5, 3, 3))
    last_two = me.PermutationGroup.symmetric(2, axes=(-2, -1))  # was "points must be >= 0"
    S = me.symmetrize(batch, symmetry=last_two)
    assert S.symmetric_axes == ((1, 2),) and holds(S)
    assert me.flops.unique_elements((5, 3, 3), last_two) == 5 * 6
    assert me.flops.unique_elements((5, 3, 3), me.PermutationGroup.cyclic(2, axes=(-1, 1))) == 30
    with pytest.raises(ValueError, match="twice"):
        me.flops.unique_elements((5, 3, 3), me.PermutationGroup.cyclic(2, axes=(-1, 2)))


def test_repeated_generators_are_kept_once():
    group = me.PermutationGroup(me.Permutation([1, 0]), me.Permutation([1, 0, 2]))
    assert len(group.generators) == 1  # was two copies of (0 1)
    assert repr(group) == "PermutationGroup(Cycle(0, 1), axes=(0, 1, 2))"


def test_small_dihedral_groups_have_the_orders_their_docstring_gives():
    assert [me.PermutationGroup.dihedral(k).order() for k in (1, 2, 3, 4)] == [1, 2, 6, 8]
    assert "k >= 3" in me.PermutationGroup.dihedral.__doc__
