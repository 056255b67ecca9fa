"""Permutation groups as tensor symmetry (library §7a, cost-model §3 revision 2 and §4).

Unique counts and charges are compared with orbits of index tuples counted by brute
force (union-find over every index tuple), for many groups drawn by hypothesis; einsum
values with numpy.einsum; the worked numbers of the cost model exactly.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from helpers import used as charged  # (FLOPs, result)
from hypothesis import given, settings
from hypothesis import strategies as st

import mechestim as me
from mechestim import Cycle, Permutation, PermutationGroup
from mechestim._einsum import clear_cache

SETTINGS = settings(max_examples=40, deadline=None)
rng = np.random.default_rng(12)


@pytest.fixture(autouse=True)
def _quiet():
    me.configure(symmetry_warnings=False)
    yield
    me.configure(symmetry_warnings=True, use_inner_symmetry=True)


# -- brute force ---------------------------------------------------------------------------
def act(index: tuple, group_axes: tuple, form: tuple) -> tuple:
    """The index tuple moved by one group element (point i of the group is axis axes[i])."""
    moved = list(index)
    for i, j in enumerate(form):
        moved[group_axes[i]] = index[group_axes[j]]
    return tuple(moved)


def brute_orbits(shape: tuple, generators: list[tuple[tuple, tuple]]) -> int:
    """Orbits of index tuples of ``shape`` under ``(axes, array form)`` generators."""
    tuples = list(itertools.product(*(range(n) for n in shape)))
    parent = {t: t for t in tuples}

    def find(t):
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for t in tuples:
        for axes, form in generators:
            parent[find(t)] = find(act(t, axes, form))
    return len({find(t) for t in tuples})


def generators_of(groups) -> list[tuple[tuple, tuple]]:
    return [(g.axes, p.array_form) for g in groups for p in g.generators]


def invariant(data: np.ndarray, groups) -> np.ndarray:
    """``data`` averaged over the groups with plain NumPy (uncharged)."""
    for group in groups:
        total = np.zeros_like(data)
        elements = group.elements()
        for element in elements:
            order = list(range(data.ndim))
            for i, j in enumerate(element.array_form):
                order[group.axes[i]] = group.axes[j]
            total = total + np.transpose(data, order)
        data = total / len(elements)
    return data


def holds(data, groups) -> bool:
    """The data really are invariant under every generator (what a tag must mean)."""
    data = np.asarray(data)
    for axes, form in generators_of(groups):
        order = list(range(data.ndim))
        for i, j in enumerate(form):
            order[axes[i]] = axes[j]
        if not np.allclose(data, np.transpose(data, order), atol=1e-9):
            return False
    return True


@st.composite
def groups_on(draw, k_min=2, k_max=4):
    """A random permutation group on k axes (the named families and random generators)."""
    k = draw(st.integers(k_min, k_max))
    kind = draw(st.sampled_from(["symmetric", "cyclic", "dihedral", "random"]))
    if kind != "random":
        return getattr(PermutationGroup, kind)(k)
    gens = draw(st.lists(st.permutations(list(range(k))), min_size=1, max_size=2))
    group = PermutationGroup(*(Permutation(g) for g in gens))
    if group.order() == 1:
        group = PermutationGroup.cyclic(k)
    return group


# -- permutations -------------------------------------------------------------------------
def test_permutation_basics_follow_sympy_conventions():
    p, q = Permutation([1, 2, 0, 3]), Permutation([0, 3, 2, 1])
    assert (p * q).array_form == (3, 2, 0, 1)  # p first, then q (sympy's order)
    assert (~p).array_form == (2, 0, 1, 3) and (p * ~p).is_identity
    assert p.order() == 3 and p.cyclic_form == [[0, 1, 2]] and p(0) == 1
    assert Cycle(0, 1, 2)(1, 3).array_form() == (3, 2, 0, 1)
    assert Permutation(Cycle(0, 2)(1, 3)).array_form == (2, 3, 0, 1)
    assert Permutation.from_cycle(4, (0, 1)) == Permutation([1, 0, 2, 3])
    assert Permutation.from_cycle(5, Cycle(1, 4)).cyclic_form == [[1, 4]]
    assert Permutation(Cycle(0, 1), size=3).array_form == (1, 0, 2)
    assert (p**3).is_identity and p**-1 == ~p
    with pytest.raises(ValueError, match="not a permutation"):
        Permutation([0, 0, 1])
    with pytest.raises(ValueError, match="repeats"):
        Cycle(0, 1, 0)
    with pytest.raises(TypeError, match="ints"):
        Permutation(["a"])


def test_named_groups_orders_orbits_and_membership():
    assert [PermutationGroup.symmetric(k).order() for k in (1, 2, 3, 4)] == [1, 2, 6, 24]
    assert [PermutationGroup.cyclic(k).order() for k in (2, 3, 5)] == [2, 3, 5]
    assert [PermutationGroup.dihedral(k).order() for k in (3, 4, 5)] == [6, 8, 10]
    C3 = PermutationGroup.cyclic(3, axes=(2, 3, 4))
    assert C3.orbits() == [(2, 3, 4)] and C3.axes == (2, 3, 4)
    assert C3.contains(Permutation([1, 2, 0])) and not C3.contains(Cycle(0, 1))
    assert len(C3.elements()) == 3 and C3.elements()[0].is_identity
    block = PermutationGroup(Cycle(0, 2)(1, 3), axes=(0, 1, 2, 3))
    assert block.order() == 2 and block.orbits() == [(0, 2), (1, 3)]
    assert PermutationGroup(Cycle(0, 1), Cycle(1, 2)) == PermutationGroup.symmetric(3)
    assert PermutationGroup([Cycle(0, 1), Cycle(1, 2)]).order() == 6
    assert PermutationGroup.dihedral(3) == PermutationGroup.symmetric(3)
    with pytest.raises(ValueError, match="only 2 axes"):
        PermutationGroup(Cycle(0, 2), axes=(0, 1))


@pytest.mark.parametrize(
    "group, shape, want",
    [
        (PermutationGroup.cyclic(3), (10, 10, 10), 340),
        (PermutationGroup.symmetric(3), (10, 10, 10), 220),
        (PermutationGroup.dihedral(4), (4, 4, 4, 4), 55),
        (PermutationGroup(Cycle(0, 2)(1, 3)), (5, 5, 5, 5), 325),
        (PermutationGroup.symmetric(4), (10, 10, 10, 10), 715),
        (PermutationGroup(Cycle(0, 2)(1, 3)), (5, 3, 5, 3), 120),
    ],
)
def test_worked_unique_counts(group, shape, want):
    assert group.burnside_unique_count(shape) == want
    assert me.flops.unique_elements(shape, group) == want
    assert me.SymmetryInfo(group, shape).unique_elements == want
    assert me.flops.pointwise_cost(shape, group) == want
    assert me.flops.reduction_cost(shape, None, group, op="mean") == want + 1


def test_axes_in_one_orbit_need_equal_lengths():
    with pytest.raises(ValueError, match="unequal lengths"):
        me.flops.unique_elements((5, 5, 4), PermutationGroup.cyclic(3))
    with pytest.raises(ValueError, match="unequal lengths"):
        me.flops.unique_elements((5, 4, 5, 4), PermutationGroup.cyclic(4))


def test_sympy_round_trip():
    pytest.importorskip("sympy", reason="sympy is optional; as_sympy/from_sympy need it")
    D4 = PermutationGroup.dihedral(4, axes=(0, 1, 2, 3))
    converted = D4.as_sympy()
    assert converted.order() == 8 and converted.degree == 4
    back = PermutationGroup.from_sympy(converted, axes=(0, 1, 2, 3))
    assert back == D4 and back.order() == 8


# -- unique counts against brute force ------------------------------------------------------
@SETTINGS
@given(groups_on(), st.integers(1, 3), st.integers(0, 2))
def test_burnside_matches_brute_force_orbits(group, n, extra):
    shape = (n,) * group.degree + (2,) * extra
    want = brute_orbits(shape, generators_of([group]))
    assert group.burnside_unique_count(shape) * 2**extra == want  # the group's axes only
    assert me.flops.unique_elements(shape, group) == want


@SETTINGS
@given(groups_on(k_max=3), st.integers(1, 3))
def test_pointwise_and_reduction_charges_match_brute_force(group, n):
    shape = (n,) * group.degree
    data = invariant(rng.standard_normal(shape), [group])
    T = me.as_symmetric(data, symmetry=group)
    orbits = brute_orbits(shape, generators_of([group]))
    used, result = charged(lambda: me.exp(T))
    assert used == max(orbits, 1) and holds(result, result.symmetry)
    assert result.symmetry == T.symmetry
    used, total = charged(lambda: me.sum(T))
    assert used == max(orbits, 1) and np.isclose(total, data.sum())
    used, partial = charged(lambda: me.sum(T, axis=0))
    assert used == max(orbits, 1)
    np.testing.assert_allclose(partial, data.sum(axis=0))
    if isinstance(partial, me.SymmetricTensor):  # never a symmetry the data lack
        assert holds(partial, partial.symmetry)


# -- as_symmetric / symmetrize ----------------------------------------------------------------
def test_as_symmetric_with_a_group_checks_every_generator():
    C3 = PermutationGroup.cyclic(3)
    data = invariant(rng.standard_normal((4, 4, 4)), [C3])
    T = me.as_symmetric(data, symmetry=C3)
    assert T.symmetry == (C3,) and T.symmetric_axes == ()  # C3 is not a full group
    assert T.symmetry_info.unique_elements == (64 + 4 + 4) // 3
    assert not me.is_symmetric(data, (0, 1)) and me.is_symmetric(data, symmetry=C3)
    with pytest.raises(TypeError, match="needs symmetric_axes or symmetry"):
        me.is_symmetric(data)
    with pytest.raises(me.SymmetryError, match=r"permutation Permutation\(\[1, 0, 2\]\)") as caught:
        me.as_symmetric(data, symmetry=PermutationGroup.symmetric(3))
    assert caught.value.max_deviation > 0.01
    assert "me.symmetrize" in str(caught.value)


def test_symmetrize_averages_over_the_group_and_charges_numel_times_order():
    D4 = PermutationGroup.dihedral(4)
    data = rng.standard_normal((3, 3, 3, 3))
    used, T = charged(lambda: me.symmetrize(data, symmetry=D4))
    assert used == 81 * 8 and T.symmetry == (D4,)
    np.testing.assert_allclose(T, invariant(data, [D4]))
    # a list of groups on disjoint axes; symmetric_axes stays the S_k shorthand
    groups = [PermutationGroup.cyclic(3, axes=(0, 1, 2)), PermutationGroup.symmetric(2, axes=(3, 4))]
    used, U = charged(lambda: me.symmetrize(rng.standard_normal((3,) * 5), symmetry=groups))
    assert used == 243 * 6 and U.symmetric_axes == ((3, 4),) and len(U.symmetry) == 2
    assert U.symmetry_info.unique_elements == 11 * 6
    used, V = charged(lambda: me.symmetrize(rng.standard_normal((3, 3, 3)), (0, 1), symmetry=None))
    assert used == 54 and V.symmetric_axes == ((0, 1),)
    with pytest.raises(ValueError, match="overlap"):
        me.symmetrize(data, symmetry=[PermutationGroup.cyclic(3), PermutationGroup.symmetric(2, axes=(2, 3))])


# -- propagation ------------------------------------------------------------------------------
def test_reductions_keep_the_stabiliser_restricted_to_what_remains():
    C3 = me.symmetrize(rng.standard_normal((4, 4, 4)), symmetry=PermutationGroup.cyclic(3))
    S3 = me.symmetrize(rng.standard_normal((4, 4, 4)), (0, 1, 2))
    assert type(me.sum(C3, axis=0)) is me.ndarray  # no pair of C3's axes survives alone
    assert me.sum(S3, axis=0).symmetric_axes == ((0, 1),)
    # summing both axes of one block swap orbit leaves the other orbit symmetric
    block = PermutationGroup(Cycle(0, 2)(1, 3))
    B = me.symmetrize(rng.standard_normal((3, 3, 3, 3)), symmetry=block)
    kept = me.sum(B, axis=(1, 3))
    assert kept.symmetric_axes == ((0, 1),) and holds(kept, kept.symmetry)
    assert type(me.sum(B, axis=1)) is me.ndarray


def test_indexing_and_transpose_follow_the_group():
    block = PermutationGroup(Cycle(0, 2)(1, 3))
    B = me.symmetrize(rng.standard_normal((3, 3, 3, 3)), symmetry=block)
    same = B[0, :, 0, :]  # both fixed axes take the same value: j, l still swap
    assert same.symmetric_axes == ((0, 1),) and holds(same, same.symmetry)
    assert type(B[0, :, 1, :]) is me.ndarray
    assert B[:, :, :, :].symmetry == (block,)
    C3 = PermutationGroup.cyclic(3)
    T = me.symmetrize(rng.standard_normal((3, 3, 3, 2)), symmetry=C3)
    moved = T.transpose(3, 0, 1, 2)
    assert moved.symmetry[0].axes == (1, 2, 3) and holds(moved, moved.symmetry)
    assert np.transpose(T, (3, 0, 1, 2)).symmetry == moved.symmetry
    swapped = T.transpose(1, 0, 2, 3)  # C3 with two axes exchanged is the other rotation
    assert holds(swapped, swapped.symmetry) and swapped.symmetry_info.unique_elements == 11 * 2


@SETTINGS
@given(groups_on(k_max=3), groups_on(k_max=3), st.integers(1, 3))
def test_binary_ops_keep_only_shared_permutations(first, second, n):
    k = min(first.degree, second.degree)
    if first.degree != second.degree:
        second = PermutationGroup.symmetric(first.degree)
    shape = (n,) * first.degree
    A = me.as_symmetric(invariant(rng.standard_normal(shape), [first]), symmetry=first)
    B = me.as_symmetric(invariant(rng.standard_normal(shape), [second]), symmetry=second)
    used, result = charged(lambda: me.add(A, B))
    groups = result.symmetry if isinstance(result, me.SymmetricTensor) else ()
    assert holds(result, groups) and k >= 1
    shared = [
        e for e in itertools.permutations(range(first.degree))
        if first.contains(Permutation(e)) and second.contains(Permutation(e))
    ]
    orbits = brute_orbits(shape, [(tuple(range(first.degree)), e) for e in shared])
    assert used == max(orbits, 1)


def test_binary_intersection_of_different_groups():
    C3 = PermutationGroup.cyclic(3)
    A = me.symmetrize(rng.standard_normal((4, 4, 4)), symmetry=C3)
    S = me.symmetrize(rng.standard_normal((4, 4, 4)), (0, 1, 2))
    assert (A + S).symmetry == (C3,)
    assert (A * 2.0).symmetry == (C3,)
    D4 = PermutationGroup.dihedral(4)
    block = PermutationGroup(Cycle(0, 2)(1, 3))
    X = me.symmetrize(rng.standard_normal((3,) * 4), symmetry=D4)
    Y = me.symmetrize(rng.standard_normal((3,) * 4), symmetry=block)
    assert (X - Y).symmetry == (block,)  # (0 2)(1 3) is the half-turn of the square
    Z = me.symmetrize(rng.standard_normal((3,) * 4), [(0, 2), (1, 3)])
    assert (X + Z).symmetric_axes == ((0, 2), (1, 3))  # D4 holds both diagonal flips
    W = me.symmetrize(rng.standard_normal((3,) * 4), (2, 3))
    U = me.symmetrize(rng.standard_normal((3,) * 4), symmetry=PermutationGroup.cyclic(3))
    assert type(U + W) is me.ndarray  # C3 on (0,1,2) and S2 on (2,3) share no swap


# -- einsum, revision 2 -------------------------------------------------------------------------
def einsum_cost(subscripts, shapes, symmetries=None, repeated=None):
    return me.flops.einsum_cost(subscripts, shapes, symmetries, repeated_operands=repeated)


def test_cost_model_worked_numbers():
    S3, C3 = PermutationGroup.symmetric(3), PermutationGroup.cyclic(3)
    assert einsum_cost("ijk->", [(10, 10, 10)], [S3]) == 440
    assert einsum_cost("ijk->", [(10, 10, 10)], [C3]) == 680
    assert einsum_cost("ai,ijk->ajk", [(100, 100), (100,) * 3], [None, S3]) == 101_000_000
    assert einsum_cost("ai,ijk->ajk", [(100, 100), (100,) * 3], [None, C3]) == 200_000_000
    assert einsum_cost("ki,kj->ij", [(100, 10)] * 2, repeated=[(0, 1)]) == 11_000
    S2 = PermutationGroup.symmetric(2, axes=(0, 1))
    shapes = [(10,) * 4] * 2
    assert einsum_cost("abij,abkl->ijkl", shapes, [S2, S2]) == 1_100_000
    assert einsum_cost("abij,abkl->ijkl", shapes, [S2, None]) == 2_000_000
    me.configure(use_inner_symmetry=False)
    assert einsum_cost("abij,abkl->ijkl", shapes, [S2, S2]) == 2_000_000
    assert einsum_cost("ijk->", [(10, 10, 10)], [S3]) == 2_000
    me.configure(use_inner_symmetry=True)
    assert einsum_cost("abij,abkl->ijkl", shapes, [S2, S2]) == 1_100_000
    with pytest.raises(TypeError, match="bool"):
        me.configure(use_inner_symmetry=1)


def test_einsum_output_groups_c3_versus_s3():
    T3 = me.symmetrize(rng.standard_normal((5, 5, 5)), (0, 1, 2))
    TC = me.symmetrize(rng.standard_normal((5, 5, 5)), symmetry=PermutationGroup.cyclic(3))
    A = rng.standard_normal((4, 5))
    used, out = charged(lambda: me.einsum("ijk,ai->ajk", TC, A))
    assert used == 2 * 4 * 125 and type(out) is me.ndarray  # C3: no (j,k) symmetry
    used, out = charged(lambda: me.einsum("ijk,ai->ajk", T3, A))
    assert used == 2 * 4 * 125 * 15 // 25 and out.symmetric_axes == ((1, 2),)
    np.testing.assert_allclose(out, np.einsum("ijk,ai->ajk", np.asarray(T3), A))
    step = me.einsum_path("ijk,ai->ajk", TC, A)[1].steps[0]
    assert step.output_symmetry is None and step.inner_symmetry is None
    # the full C3 survives a contraction that keeps all three axes
    used, out = charged(lambda: me.einsum("ijk,ai,aj,ak->ijk", TC, A, A, A))
    assert holds(out, out.symmetry if isinstance(out, me.SymmetricTensor) else ())


def test_pathinfo_shows_groups_and_verbose_costs():
    X = me.symmetrize(rng.standard_normal((10,) * 4), (0, 1))
    Y = me.symmetrize(rng.standard_normal((10,) * 4), (0, 1))
    path, info = me.einsum_path("abij,abkl->ijkl", X, Y)
    step = info.steps[0]
    assert step.flop_cost == 1_100_000 and step.dense_flop_cost == 2_000_000
    assert step.inner_labels == "ab" and step.inner_symmetry[0].order() == 2
    assert step.input_symmetries == ((PermutationGroup.symmetric(2, axes=(0, 1)),),) * 2
    short, verbose = info.format_table(), info.format_table(verbose=True)
    assert "inner S2{a,b}" in short and "dense FLOPs" not in short
    assert "dense FLOPs" in verbose and "45.0%" in verbose and "2,000,000" in verbose
    assert str(info) == verbose


SUBSCRIPTS = st.sampled_from(
    [
        ("ijk,ai->ajk", [3, 2]),
        ("ijk->", [3]),
        ("ijk->i", [3]),
        ("abij,abkl->ijkl", [4, 4]),
        ("ijkl->ik", [4]),
        ("ijkl,kl->ij", [4, 2]),
        ("ij,jk->ik", [2, 2]),
        ("ijk,ijk->", [3, 3]),
        ("ijk,kji->", [3, 3]),
        ("abc,bca->a", [3, 3]),
    ]
)


def brute_step_cost(subscripts, shapes, groups, origins):
    """One einsum step's revision-2 cost from the definition, by brute force: every
    label permutation (kept to kept, summed to summed) tested against every way of
    mapping the operands onto operands; orbits counted by union-find."""
    inputs, output = subscripts.split("->")
    terms = inputs.split(",")
    sizes = {}
    for term, shape in zip(terms, shapes):
        sizes.update(zip(term, shape))
    labels = sorted(sizes)
    kept = [label for label in labels if label in output]
    summed = [label for label in labels if label not in output]
    elements = [
        {e for e in itertools.permutations(range(len(t)))
         if g is None and e == tuple(range(len(t))) or g is not None and g.contains(Permutation(e))}
        for t, g in zip(terms, groups)
    ]

    def valid(sigma):
        for targets in itertools.permutations(range(len(terms))):
            if any(q != p and (origins[p] < 0 or origins[p] != origins[q]) for p, q in enumerate(targets)):
                continue
            if all(
                any(all(sigma[t[i]] == terms[q][e[i]] for i in range(len(t))) for e in elements[p])
                for p, (t, q) in enumerate(zip(terms, targets))
            ):
                return True
        return False

    found = []
    for out_perm in itertools.permutations(kept):
        for in_perm in itertools.permutations(summed):
            sigma = dict(zip(kept + summed, out_perm + in_perm))
            if valid(sigma):
                found.append(sigma)
    out_gens = [(tuple(range(len(kept))), tuple(kept.index(s[label]) for label in kept)) for s in found]
    in_gens = [
        (tuple(range(len(summed))), tuple(summed.index(s[label]) for label in summed))
        for s in found if all(s[label] == label for label in kept)
    ]
    total_out = math.prod(sizes[label] for label in kept)
    total_in = math.prod(sizes[label] for label in summed)
    unique_out = brute_orbits(tuple(sizes[label] for label in kept), out_gens)
    unique_in = brute_orbits(tuple(sizes[label] for label in summed), in_gens)
    factor = max(1, len(terms) - 1) + (1 if summed else 0)
    dense = math.prod(sizes.values()) * factor
    return max(1, dense * unique_out * unique_in // (total_out * total_in))


@settings(max_examples=60, deadline=None)
@given(SUBSCRIPTS, st.data())
def test_einsum_steps_match_brute_force_and_numpy(case, data):
    subscripts, ndims = case
    n = data.draw(st.integers(1, 3), label="n")
    groups = []
    for ndim in ndims:
        if ndim >= 2 and data.draw(st.booleans(), label="symmetric"):
            groups.append(data.draw(groups_on(k_min=ndim, k_max=ndim), label="group"))
        else:
            groups.append(None)
    terms = subscripts.split("->")[0].split(",")
    repeat = (
        len(terms) == 2 and len(terms[0]) == len(terms[1]) and groups[0] == groups[1]
        and data.draw(st.booleans(), label="same object")
    )
    shapes = [(n,) * ndim for ndim in ndims]
    arrays = [
        invariant(rng.standard_normal(shape), [g]) if g is not None else rng.standard_normal(shape)
        for shape, g in zip(shapes, groups)
    ]
    operands = [me.as_symmetric(a, symmetry=g) if g is not None else a for a, g in zip(arrays, groups)]
    if repeat:
        operands[1] = operands[0]
        arrays[1] = arrays[0]
    origins = [0, 0] if repeat else [-1] * len(terms)
    want = brute_step_cost(subscripts, shapes, groups, origins)
    clear_cache()
    used, result = charged(lambda: me.einsum(subscripts, *operands))
    assert used == want
    assert me.flops.einsum_cost(
        subscripts, shapes, groups, repeated_operands=[(0, 1)] if repeat else None
    ) == want
    np.testing.assert_allclose(np.asarray(result), np.einsum(subscripts, *arrays), atol=1e-9)
    if isinstance(result, me.SymmetricTensor):
        assert holds(result, result.symmetry)  # never a symmetry the data lack


def test_multi_step_einsum_values_and_tags_are_honest():
    block = PermutationGroup(Cycle(0, 2)(1, 3))
    B = me.symmetrize(rng.standard_normal((4,) * 4), symmetry=block)
    C3 = me.symmetrize(rng.standard_normal((4,) * 3), symmetry=PermutationGroup.cyclic(3))
    M = rng.standard_normal((4, 4))
    for subscripts, operands in (
        ("ijkl,ka,lb->ijab", (B, M, M)),
        ("ijk,ia,jb,kc->abc", (C3, M, M, M)),
        ("ijkl,jl,ia->ak", (B, M, M)),
        ("ijk,kl,lmn->ijmn", (C3, M, C3)),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            used, result = charged(lambda s=subscripts, o=operands: me.einsum(s, *o))
        plain = [np.asarray(o) for o in operands]
        np.testing.assert_allclose(np.asarray(result), np.einsum(subscripts, *plain), atol=1e-9)
        info = me.einsum_path(subscripts, *operands)[1]
        assert used == info.optimized_cost == sum(s.flop_cost for s in info.steps)
        if isinstance(result, me.SymmetricTensor):
            assert holds(result, result.symmetry)


def test_symmetry_guide_examples_run():
    """Every python block of docs/how-to/symmetry-groups.md runs and its asserts hold."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "how-to" / "symmetry-groups.md").read_text()
    blocks = [part.split("```", 1)[0] for part in text.split("```python\n")[1:]]
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/how-to/symmetry-groups.md", "exec"), namespace)  # noqa: S102


def product_elements(groups, ndim):
    """Every element of a product of groups on disjoint axes, as a permutation of all axes."""
    elements = {tuple(range(ndim))}
    for group in groups:
        elements = {
            tuple(
                group.axes[e.array_form[group.axes.index(a)]] if a in group.axes else f[a]
                for a in range(ndim)
            )
            for f in elements
            for e in group.elements()
        }
    return elements


@st.composite
def group_lists(draw, ndim=4):
    """One or two random groups on disjoint random axes of an ``ndim``-axis tensor."""
    axes = draw(st.permutations(list(range(ndim))))
    cut = draw(st.integers(2, ndim))
    result = [draw(groups_on(k_min=cut, k_max=cut))]
    result = [PermutationGroup(*result[0].generators, axes=axes[:cut])]
    if ndim - cut >= 2 and draw(st.booleans()):
        rest = draw(groups_on(k_min=ndim - cut, k_max=ndim - cut))
        result.append(PermutationGroup(*rest.generators, axes=axes[cut:]))
    return result


@SETTINGS
@given(group_lists(), group_lists())
def test_intersection_matches_brute_force(first, second):
    from mechestim._symmetry.tensor import intersect_groups, normalize_groups

    a, b = normalize_groups(first, 4), normalize_groups(second, 4)
    got = product_elements(intersect_groups(a, b), 4)
    want = product_elements(a, 4) & product_elements(b, 4)
    assert got == want
