"""me.random: NumPy's global-state draws, charged numel(output) / sort_cost; Generator."""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pytest
from helpers import refused, used
from hypothesis import given, settings
from hypothesis import strategies as st

import mechestim as me
from mechestim._core.registry import REGISTRY

# Valid parameters for every distribution sampler (scalars).
PARAMS = {
    "beta": (2.0, 3.0),
    "binomial": (10, 0.3),
    "chisquare": (3.0,),
    "exponential": (2.0,),
    "f": (3.0, 5.0),
    "gamma": (2.0, 1.5),
    "geometric": (0.3,),
    "gumbel": (0.5, 2.0),
    "hypergeometric": (7, 5, 4),
    "laplace": (0.0, 2.0),
    "logistic": (1.0, 0.5),
    "lognormal": (0.0, 0.5),
    "logseries": (0.6,),
    "negative_binomial": (5, 0.4),
    "noncentral_chisquare": (3.0, 1.5),
    "noncentral_f": (3.0, 5.0, 1.0),
    "normal": (1.0, 2.0),
    "pareto": (3.0,),
    "poisson": (4.0,),
    "power": (2.0,),
    "rayleigh": (1.5,),
    "standard_cauchy": (),
    "standard_exponential": (),
    "standard_gamma": (2.5,),
    "standard_normal": (),
    "standard_t": (4.0,),
    "triangular": (0.0, 0.3, 1.0),
    "uniform": (-1.0, 2.0),
    "vonmises": (0.5, 2.0),
    "wald": (1.0, 2.0),
    "weibull": (1.5,),
    "zipf": (2.5,),
}
UNIFORM = ("random", "random_sample", "ranf", "sample")


def same_draw(me_call, np_call, seed=1234):
    """Seed both ways, draw, and return (cost, mechestim result, numpy result)."""
    me.random.seed(seed)
    cost, got = used(me_call)
    np.random.seed(seed)
    want = np_call()
    return cost, got, want


# -- the spec's numbers ------------------------------------------------------------------
def test_spec_numbers():
    assert used(lambda: me.random.randn(10, 20))[0] == 200
    assert used(lambda: me.random.permutation(16))[0] == 64
    assert me.flops.randn_cost(10, 20) == 200
    assert me.flops.permutation_cost(16) == 64


def test_registry_lists_51_names():
    # The 51 operations of ops.tsv; the classes and modules of numpy.random that revision 2
    # classifies (RandomState, SeedSequence, bit generators, ...) are tests/test_surface.py's.
    names = [
        n for n in REGISTRY
        if n.startswith("random.") and REGISTRY[n].category in ("free", "custom")
    ]  # fmt: skip
    assert len(names) == 51
    exported = [n for n in me.random.__all__ if REGISTRY[f"random.{n}"].category in ("free", "custom")]
    assert sorted(exported) == sorted(n.split(".", 1)[1] for n in names)
    for name in names:
        assert REGISTRY[name].impl is not None, name
        assert getattr(me.random, name.split(".", 1)[1]).__doc__, name


# -- distribution samplers -----------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PARAMS))
def test_sampler_values_and_size_forms(name):
    params = PARAMS[name]
    me_f, np_f = getattr(me.random, name), getattr(np.random, name)
    # size by keyword and by position
    cost, got, want = same_draw(
        lambda: me_f(*params, size=(3, 4)), lambda: np_f(*params, size=(3, 4))
    )
    assert cost == 12 == me.flops.sampler_cost((3, 4))
    assert type(got) is me.ndarray
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(lambda: me_f(*params, (3, 4)), lambda: np_f(*params, (3, 4)))
    assert cost == 12
    np.testing.assert_array_equal(got, want)
    # a scalar draw costs 1 and equals NumPy's scalar
    cost, got, want = same_draw(lambda: me_f(*params), lambda: np_f(*params))
    assert cost == 1 == me.flops.sampler_cost(None)
    assert got == want
    # the twin in the registry agrees
    assert REGISTRY[f"random.{name}"].cost(*params, size=(3, 4)) == 12
    if params:
        # broadcast shape of array parameters sets the output when size is None
        arrays = [np.full((3, 1), params[0])] + [np.full(4, p) for p in params[1:]]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        cost, got, want = same_draw(lambda: me_f(*arrays), lambda: np_f(*arrays))
        assert cost == math.prod(shape) == got.size
        np.testing.assert_array_equal(got, want)
        # parameters broadcasting into an explicit size
        cost, got, want = same_draw(
            lambda: me_f(*arrays, size=(2, 3, 4)), lambda: np_f(*arrays, size=(2, 3, 4))
        )
        assert cost == 24
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", sorted(PARAMS))
@pytest.mark.parametrize("size", [np.int64(3), np.array(3), np.uint8(3), (np.int32(3),)])
def test_numpy_integer_sizes_are_read_as_numpy_reads_them(name, size):
    # NumPy takes a NumPy integer (or a 0-d integer array) as one dimension.
    me_f, np_f = getattr(me.random, name), getattr(np.random, name)
    cost, got, want = same_draw(
        lambda: me_f(*PARAMS[name], size=size), lambda: np_f(*PARAMS[name], size=size)
    )
    assert cost == 3 == REGISTRY[f"random.{name}"].cost(*PARAMS[name], size=size)
    assert type(got) is me.ndarray
    np.testing.assert_array_equal(got, want)


def test_keyword_parameters_and_defaults():
    cost, got, want = same_draw(
        lambda: me.random.normal(scale=np.ones((2, 5)), loc=3.0),
        lambda: np.random.normal(scale=np.ones((2, 5)), loc=3.0),
    )
    assert cost == 10
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(
        lambda: me.random.exponential(size=7), lambda: np.random.exponential(size=7)
    )
    assert cost == 7
    np.testing.assert_array_equal(got, want)
    assert used(lambda: me.random.uniform(size=0))[0] == 1  # an empty draw still costs 1


def test_gaussian_cache_is_shared_with_numpy():
    me.random.seed(5)
    a = [me.random.standard_normal(), me.random.normal(size=3), me.random.standard_normal()]
    np.random.seed(5)
    b = [np.random.standard_normal(), np.random.normal(size=3), np.random.standard_normal()]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(sorted(PARAMS)),
    st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple),
    st.integers(0, 2**31 - 1),
    st.sampled_from(["keyword", "position"]),
)
def test_sampler_sizes_match_numpy(name, size, seed, how):
    params = PARAMS[name]
    me_f, np_f = getattr(me.random, name), getattr(np.random, name)
    if how == "keyword":
        cost, got, want = same_draw(
            lambda: me_f(*params, size=size), lambda: np_f(*params, size=size), seed
        )
    else:
        cost, got, want = same_draw(lambda: me_f(*params, size), lambda: np_f(*params, size), seed)
    np.testing.assert_array_equal(got, want)
    assert cost == max(math.prod(size), 1) == me.flops.sampler_cost(size)


# -- rand, randn, random* ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["rand", "randn"])
def test_rand_randn(name):
    me_f, np_f = getattr(me.random, name), getattr(np.random, name)
    cost, got, want = same_draw(lambda: me_f(2, 3, 4), lambda: np_f(2, 3, 4))
    assert cost == 24 == getattr(me.flops, f"{name}_cost")(2, 3, 4)
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(lambda: me_f(), lambda: np_f())
    assert cost == 1 and got == want
    assert used(lambda: me_f(0, 3))[0] == 1


@pytest.mark.parametrize("name", UNIFORM)
def test_uniform_aliases(name):
    me_f, np_f = getattr(me.random, name), getattr(np.random, name)
    cost, got, want = same_draw(lambda: me_f((5, 2)), lambda: np_f((5, 2)))
    assert cost == 10 == me.flops.random_sample_cost((5, 2))
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(lambda: me_f(size=3), lambda: np_f(size=3))
    assert cost == 3
    cost, got, want = same_draw(lambda: me_f(), lambda: np_f())
    assert cost == 1 and got == want


# -- integers -----------------------------------------------------------------------------
def test_randint():
    cost, got, want = same_draw(
        lambda: me.random.randint(0, 10, (4, 5)), lambda: np.random.randint(0, 10, (4, 5))
    )
    assert cost == 20
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(lambda: me.random.randint(7), lambda: np.random.randint(7))
    assert cost == 1 and got == want
    low, high = np.arange(3), np.arange(3, 6)[:, None] + 10
    cost, got, want = same_draw(
        lambda: me.random.randint(low, high), lambda: np.random.randint(low, high)
    )
    assert cost == 9
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(
        lambda: me.random.randint(5, size=6, dtype=np.uint8),
        lambda: np.random.randint(5, size=6, dtype=np.uint8),
    )
    assert cost == 6 and got.dtype == np.uint8
    np.testing.assert_array_equal(got, want)


def test_random_integers_keeps_numpy_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cost, got, want = same_draw(
            lambda: me.random.random_integers(1, 6, size=(2, 5)),
            lambda: np.random.random_integers(1, 6, size=(2, 5)),
        )
    assert cost == 10
    np.testing.assert_array_equal(got, want)
    with pytest.warns(DeprecationWarning):
        me.random.random_integers(4)


# -- reordering, choice, bytes -------------------------------------------------------------------
def test_permutation_and_shuffle():
    cost, got, want = same_draw(
        lambda: me.random.permutation(10), lambda: np.random.permutation(10)
    )
    assert cost == me.flops.permutation_cost(10) == 40
    np.testing.assert_array_equal(got, want)
    x = np.arange(12.0).reshape(6, 2)
    cost, got, want = same_draw(lambda: me.random.permutation(x), lambda: np.random.permutation(x))
    assert cost == me.flops.sort_cost(6) == 18
    np.testing.assert_array_equal(got, want)
    # shuffle works in place, on a mechestim array and on a list
    a, b = me.arange(9.0), np.arange(9.0)
    cost, result, _ = same_draw(lambda: me.random.shuffle(a), lambda: np.random.shuffle(b))
    assert result is None and cost == me.flops.shuffle_cost(9) == 36
    np.testing.assert_array_equal(a, b)
    items, ref = list(range(5)), list(range(5))
    same_draw(lambda: me.random.shuffle(items), lambda: np.random.shuffle(ref))
    assert items == ref
    assert used(lambda: me.random.permutation(1))[0] == 1
    assert used(lambda: me.random.permutation(0))[0] == 1


def test_choice():
    cost, got, want = same_draw(
        lambda: me.random.choice(10, (2, 3)), lambda: np.random.choice(10, (2, 3))
    )
    assert cost == 6 == me.flops.choice_cost(10, (2, 3))
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(
        lambda: me.random.choice(16, 4, replace=False),
        lambda: np.random.choice(16, 4, replace=False),
    )
    assert cost == 64 == me.flops.choice_cost(16, 4, replace=False)
    np.testing.assert_array_equal(got, want)
    p = np.array([0.1, 0.2, 0.3, 0.4])
    cost, got, want = same_draw(
        lambda: me.random.choice(np.arange(4.0), size=5, p=p),
        lambda: np.random.choice(np.arange(4.0), size=5, p=p),
    )
    assert cost == 5
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(
        lambda: me.random.choice([3, 4, 5]), lambda: np.random.choice([3, 4, 5])
    )
    assert cost == 1 and got == want


def test_bytes():
    cost, got, want = same_draw(lambda: me.random.bytes(10), lambda: np.random.bytes(10))
    assert cost == 10 == me.flops.random_bytes_cost(10)
    assert got == want and isinstance(got, bytes)
    assert used(lambda: me.random.bytes(0))[0] == 1


# -- multivariate samplers count the trailing dimension ---------------------------------------------
def test_multivariate_outputs():
    cost, got, want = same_draw(
        lambda: me.random.multinomial(20, [0.2, 0.3, 0.5], size=(4, 2)),
        lambda: np.random.multinomial(20, [0.2, 0.3, 0.5], size=(4, 2)),
    )
    assert got.shape == (4, 2, 3) and cost == 24
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(
        lambda: me.random.multinomial(20, [0.5, 0.5]), lambda: np.random.multinomial(20, [0.5, 0.5])
    )
    assert cost == 2
    np.testing.assert_array_equal(got, want)
    cost, got, want = same_draw(
        lambda: me.random.dirichlet([1.0, 2.0, 3.0], 5),
        lambda: np.random.dirichlet([1.0, 2.0, 3.0], 5),
    )
    assert cost == 15
    np.testing.assert_array_equal(got, want)
    mean, cov = np.zeros(3), np.eye(3)
    cost, got, want = same_draw(
        lambda: me.random.multivariate_normal(mean, cov, (2, 4)),
        lambda: np.random.multivariate_normal(mean, cov, (2, 4)),
    )
    assert cost == 24 == me.flops.sampler_cost((2, 4, 3))
    np.testing.assert_array_equal(got, want)
    assert REGISTRY["random.multivariate_normal"].cost(mean, cov, (2, 4)) == 24
    assert REGISTRY["random.dirichlet"].cost([1.0, 2.0], 3) == 6
    assert REGISTRY["random.multinomial"].cost(5, [0.5, 0.5], 3) == 6


# -- refusals: clear errors, nothing charged, no state consumed -------------------------------------
REFUSALS = [
    (lambda: me.random.normal(0.0, -1.0), ValueError, "scale"),
    (lambda: me.random.normal(0.0, np.array([1.0, -1.0]), size=(3, 2)), ValueError, "scale"),
    (lambda: me.random.binomial(5, 1.5), ValueError, "p"),
    (lambda: me.random.beta(0.0, 1.0, size=4), ValueError, "a <= 0"),
    (lambda: me.random.normal(np.zeros(3), size=(2,)), ValueError, "size"),
    (lambda: me.random.normal(np.zeros(3), np.ones(2)), ValueError, "broadcast"),
    (lambda: me.random.normal(size=-1), ValueError, "size"),
    (lambda: me.random.normal(size=2.5), TypeError, "size"),
    (lambda: me.random.normal(0, 1, 3, 4), TypeError, "normal"),
    (lambda: me.random.beta(1.0), TypeError, "b"),
    (lambda: me.random.normal(np.array(["a"])), TypeError, "str"),
    (lambda: me.random.rand(2, -1), ValueError, "negative"),
    (lambda: me.random.randn(2.5), TypeError, "dimension"),
    (lambda: me.random.random(size=(2, -3)), ValueError, "size"),
    (lambda: me.random.randint(5, 2), ValueError, "low >= high"),
    (lambda: me.random.randint(0), ValueError, "high <= 0"),
    (lambda: me.random.randint(-(2**40), 5, dtype=np.int32), ValueError, "low is out of bounds"),
    (lambda: me.random.randint(1, 5, dtype=float), TypeError, "dtype"),
    (lambda: me.random.choice(5, 6, replace=False), ValueError, "replace=False"),
    (lambda: me.random.choice(0), ValueError, "greater than 0"),
    (lambda: me.random.choice(np.ones((2, 2))), ValueError, "1-dimensional"),
    (lambda: me.random.choice(3, p=[0.5, 0.5]), ValueError, "same size"),
    (lambda: me.random.choice(2, p=[0.5, 0.6]), ValueError, "sum to 1"),
    (lambda: me.random.choice(2, p=[-0.5, 1.5]), ValueError, "non-negative"),
    (lambda: me.random.choice(2.5), ValueError, "integer"),
    (lambda: me.random.bytes(-1), ValueError, "length"),
    (lambda: me.random.bytes(2.0), TypeError, "length"),
    (lambda: me.random.permutation(np.array(3.0)), IndexError, "at least 1-dimensional"),
    (lambda: me.random.shuffle((1, 2, 3)), TypeError, "mutable"),
    (lambda: me.random.shuffle(np.array(3.0)), TypeError, "0-d"),
    (lambda: me.random.multinomial(-1, [0.5, 0.5]), ValueError, "n < 0"),
    (lambda: me.random.multinomial(5, [[0.5, 0.5]]), ValueError, "pvals"),
    (lambda: me.random.dirichlet([[1.0, 2.0]]), ValueError, "alpha"),
    (lambda: me.random.dirichlet([0.0, 1.0]), ValueError, "alpha"),
    (lambda: me.random.multivariate_normal(np.zeros(2), np.eye(3)), ValueError, "mean"),
    (lambda: me.random.multivariate_normal(np.zeros(2), np.ones((2, 3))), ValueError, "cov"),
    (
        lambda: me.random.multivariate_normal(np.zeros(2), np.eye(2), check_valid="x"),
        ValueError,
        "check_valid",
    ),
    (
        lambda: me.random.multivariate_normal(
            np.zeros(2), [[1.0, 2.0], [2.0, 1.0]], check_valid="raise"
        ),
        ValueError,
        "positive-semidefinite",
    ),  # NumPy's own check, after the charge: refunded
    (lambda: me.random.default_rng(0).normal(0, -1), ValueError, "scale"),
    (lambda: me.random.default_rng(0).integers(3, 3), ValueError, "low >= high"),
    (lambda: me.random.default_rng(0).random(3, out=np.empty(4)), ValueError, "out"),
    (lambda: me.random.default_rng(0).random(dtype=np.float16), TypeError, "dtype"),
    (
        lambda: me.random.default_rng(0).standard_normal(out=np.empty(3), dtype=np.float32),
        TypeError,
        "dtype",
    ),
    (
        lambda: me.random.default_rng(0).choice(np.ones((2, 3)), 2, axis=2),
        np.exceptions.AxisError,
        "axis",
    ),
    (lambda: me.random.default_rng(0).shuffle([1, 2], axis=1), ValueError, "axis"),
    (lambda: me.random.default_rng(0).permuted(np.ones(3), out=np.empty(4)), ValueError, "out"),
    (
        lambda: me.random.default_rng(0).multivariate_normal(np.zeros(2), np.eye(2), method="lu"),
        ValueError,
        "method",
    ),
    (
        lambda: me.random.default_rng(0).multivariate_hypergeometric([3, 4], 10),
        ValueError,
        "nsample",
    ),
]


@pytest.mark.parametrize(("call", "exc", "needle"), REFUSALS)
def test_refusals_charge_nothing(call, exc, needle):
    refused(exc, call, match=needle)


def test_refusal_does_not_advance_the_global_state():
    me.random.seed(3)
    with pytest.raises(ValueError):
        me.random.normal(np.zeros(4), -1.0)
    with pytest.raises(ValueError):
        me.random.choice(5, 6, replace=False)
    got = me.random.normal(size=4)
    np.random.seed(3)
    np.testing.assert_array_equal(got, np.random.normal(size=4))


def test_overrun_draws_nothing():
    me.random.seed(9)
    with me.BudgetContext(199) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="random.randn would cost 200"):
            me.random.randn(10, 20)
    assert budget.flops_used == 0
    got = me.random.randn(3)
    np.random.seed(9)
    np.testing.assert_array_equal(got, np.random.randn(3))


# -- the Generator from default_rng ------------------------------------------------------------
def test_default_rng_is_free_and_useful():
    with me.BudgetContext(10**6) as budget:
        rng = me.random.default_rng(0)
        assert budget.flops_used == 0
        x = rng.standard_normal((3, 4)).astype(me.float32)
    assert type(x) is me.ndarray and x.dtype == np.float32
    np.testing.assert_array_equal(
        x, np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    )
    assert budget.flops_used == 12
    assert [r.op_name for r in budget.op_log] == ["random.Generator.standard_normal"]
    assert isinstance(rng, me.random.Generator)
    assert me.random.default_rng(rng) is rng
    assert isinstance(rng.bit_generator, np.random.PCG64)
    assert "Generator" in repr(rng)


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_generator_samplers(name):
    params = PARAMS[name]
    cost, got = used(lambda: getattr(me.random.default_rng(7), name)(*params, size=(2, 5)))
    want = getattr(np.random.default_rng(7), name)(*params, size=(2, 5))
    assert cost == 10
    np.testing.assert_array_equal(got, want)
    cost, got = used(lambda: getattr(me.random.default_rng(7), name)(*params))
    assert cost == 1 and got == getattr(np.random.default_rng(7), name)(*params)
    if params:
        arrays = [np.full((3, 1), params[0])] + [np.full(2, p) for p in params[1:]]
        cost, got = used(lambda: getattr(me.random.default_rng(7), name)(*arrays))
        want = getattr(np.random.default_rng(7), name)(*arrays)
        assert cost == want.size
        np.testing.assert_array_equal(got, want)


def test_generator_methods_with_their_own_rules():
    def pair(method_name, *args, **kwargs):
        cost, got = used(lambda: getattr(me.random.default_rng(11), method_name)(*args, **kwargs))
        want = getattr(np.random.default_rng(11), method_name)(*args, **kwargs)
        np.testing.assert_array_equal(got, want)
        return cost

    assert pair("integers", 0, 10, (3, 4)) == 12
    assert pair("integers", 5, 5, endpoint=True) == 1
    assert pair("random", (2, 3), np.float32) == 6
    assert pair("choice", 20, 4) == 4
    assert pair("choice", 20, 4, replace=False) == me.flops.sort_cost(20)
    assert pair("choice", np.ones((3, 8)), 2, replace=False, axis=1) == me.flops.sort_cost(8)
    assert pair("permutation", 16) == 64
    assert pair("permutation", np.arange(12).reshape(3, 4), axis=1) == me.flops.sort_cost(4)
    assert pair("permuted", np.arange(12).reshape(3, 4), axis=1) == 3 * me.flops.sort_cost(4)
    assert pair("permuted", np.arange(12).reshape(3, 4)) == me.flops.sort_cost(12)
    assert me.flops.permuted_cost((3, 4), 1) == 3 * me.flops.sort_cost(4)
    assert pair("dirichlet", [1.0, 2.0], 3) == 6
    assert pair("multinomial", [5, 6], [[0.5, 0.5], [0.2, 0.8]]) == 4
    assert pair("multinomial", 5, [0.5, 0.5], (2, 3)) == 12
    assert pair("multivariate_normal", np.zeros(2), np.eye(2), 5) == 10
    assert pair("multivariate_hypergeometric", [3, 4, 5], 6, 2) == 6
    assert pair("standard_exponential", 4, method="inv") == 4
    cost, got = used(lambda: me.random.default_rng(3).bytes(6))
    assert cost == 6 and got == np.random.default_rng(3).bytes(6)
    a, b = me.arange(10.0).reshape(5, 2), np.arange(10.0).reshape(5, 2)
    cost, _ = used(lambda: me.random.default_rng(4).shuffle(a, axis=0))
    np.random.default_rng(4).shuffle(b, axis=0)
    assert cost == me.flops.sort_cost(5)
    np.testing.assert_array_equal(a, b)


def test_generator_out_arrays():
    out = np.empty((2, 3))
    cost, got = used(lambda: me.random.default_rng(1).standard_normal(out=out))
    assert got is out and cost == 6
    np.testing.assert_array_equal(out, np.random.default_rng(1).standard_normal((2, 3)))
    me_out = me.empty(4)
    cost, got = used(lambda: me.random.default_rng(1).random(out=me_out))
    assert got is me_out and cost == 4
    me_out = me.empty(4)
    cost, got = used(lambda: me.random.default_rng(1).permuted(np.arange(4.0), out=me_out))
    assert got is me_out and cost == 8


def test_generator_spawn_pickle_and_unknown_names():
    rng = me.random.default_rng(2)
    children = rng.spawn(2)
    assert all(isinstance(c, me.random.Generator) for c in children)
    clone = pickle.loads(pickle.dumps(rng))
    np.testing.assert_array_equal(clone.random(3), rng.random(3))
    with pytest.raises(AttributeError, match="does not provide"):
        rng.not_a_method  # noqa: B018
    with pytest.raises(AttributeError, match="does not provide"):
        me.random.not_a_function  # noqa: B018
    for name in dir(me.random.Generator):
        if not name.startswith("_") and name != "bit_generator":
            assert getattr(me.random.Generator, name).__doc__, name


def test_shuffling_a_symmetric_tensor_drops_its_symmetry():
    s = me.as_symmetric(me.eye(4) + 1.0, (0, 1))
    me.random.shuffle(s)
    assert type(s) is me.ndarray
    s = me.as_symmetric(me.eye(4) + 1.0, (0, 1))
    me.random.default_rng(0).shuffle(s, axis=1)
    assert type(s) is me.ndarray
