"""A walk over every counted op of the registry: it resolves, charges > 0 on a probe,
charges what its registered cost rule says, matches NumPy's values, and (where the
cost model names one) equals its ``me.flops`` twin."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pytest

import mechestim as me
from mechestim._core.registry import COUNTED, REGISTRY

rng = np.random.default_rng(7)
V8 = rng.uniform(1, 2, 8)
V5 = rng.uniform(1, 2, 5)
M34 = rng.uniform(1, 2, (3, 4))
M45 = rng.uniform(1, 2, (4, 5))
SQ = rng.uniform(0, 1, (4, 4)) + 4 * np.eye(4)
SPD = SQ @ SQ.T
V3 = rng.uniform(1, 2, 3)
T3 = rng.uniform(1, 2, (2, 3, 4))
SORTED = np.sort(rng.uniform(0, 10, 16))
POLY = np.array([1.0, -3.0, 2.0])

# name -> (arguments, me.flops twin or None). Arguments are plain NumPy data; the
# same call is made on numpy (when numpy has the function) and on mechestim.
PROBES: dict[str, tuple[tuple, dict, object]] = {
    "allclose": ((M34, M34), {}, None),
    "argpartition": ((V8, 3), {}, None),
    "argsort": ((M34,), {}, None),
    "array_equal": ((M34, M34), {}, None),
    "array_equiv": ((M34, M34[0]), {}, None),
    "bartlett": ((8,), {}, None),
    "bincount": ((np.array([0, 1, 1, 3]),), {}, None),
    "blackman": ((8,), {}, None),
    "clip": ((M34, 1.2, 1.8), {}, None),
    "convolve": ((V8, V3), {}, None),
    "corrcoef": ((M34,), {}, None),
    "correlate": ((V8, V3), {}, None),
    "cov": ((M34,), {}, None),
    "cross": ((V3, V3[::-1]), {}, None),
    "diff": ((V8,), {}, None),
    "digitize": ((V8, np.array([1.0, 1.5, 2.0])), {}, None),
    "dot": ((M34, M45), {}, lambda f: f.einsum_cost("ij,jk->ik", [(3, 4), (4, 5)])),
    "ediff1d": ((V8,), {}, None),
    "einsum": (("ij,jk->ik", M34, M45), {}, lambda f: f.einsum_cost("ij,jk->ik", [(3, 4), (4, 5)])),
    "fft.fft": ((V8,), {}, lambda f: f.fft_cost(8)),
    "fft.fft2": ((M34,), {}, None),
    "fft.fftn": ((T3,), {}, None),
    "fft.hfft": ((V5,), {}, None),
    "fft.ifft": ((V8,), {}, lambda f: f.fft_cost(8)),
    "fft.ifft2": ((M34,), {}, None),
    "fft.ifftn": ((T3,), {}, None),
    "fft.ihfft": ((V8,), {}, None),
    "fft.irfft": ((V5,), {}, None),
    "fft.irfft2": ((M34,), {}, None),
    "fft.irfftn": ((T3,), {}, None),
    "fft.rfft": ((V8,), {}, lambda f: f.rfft_cost(8)),
    "fft.rfft2": ((M34,), {}, None),
    "fft.rfftn": ((T3,), {}, None),
    "geomspace": ((1.0, 100.0, 7), {}, None),
    "gradient": ((V8,), {}, None),
    "hamming": ((8,), {}, None),
    "hanning": ((8,), {}, None),
    "histogram": ((V8,), {"bins": 4}, None),
    "histogram2d": ((V8, V8[::-1]), {"bins": 4}, None),
    "histogram_bin_edges": ((V8,), {"bins": 4}, None),
    "histogramdd": ((M34.T,), {"bins": 3}, None),
    "in1d": ((V8, V8[:3]), {}, None),
    "inner": ((M34, M34), {}, None),
    "interp": ((V3 + 0.5, V8, V8), {}, None),
    "intersect1d": ((V8, V8[:3]), {}, None),
    "isin": ((V8, V8[:3]), {}, None),
    "kaiser": ((8, 5.0), {}, None),
    "kron": ((M34, V3), {}, None),
    "lexsort": (([V8, V8[::-1]],), {}, None),
    "linalg.cholesky": ((SPD,), {}, lambda f: f.cholesky_cost(4)),
    "linalg.cond": ((SQ,), {}, None),
    "linalg.cross": ((V3, V3[::-1]), {}, None),
    "linalg.det": ((SQ,), {}, lambda f: f.det_cost(4)),
    "linalg.eig": ((SQ,), {}, lambda f: f.eig_cost(4)),
    "linalg.eigh": ((SPD,), {}, lambda f: f.eigh_cost(4)),
    "linalg.eigvals": ((SQ,), {}, lambda f: f.eigvals_cost(4)),
    "linalg.eigvalsh": ((SPD,), {}, lambda f: f.eigvalsh_cost(4)),
    "linalg.inv": ((SQ,), {}, lambda f: f.inv_cost(4)),
    "linalg.lstsq": ((M45.T, V5), {}, None),
    "linalg.matmul": ((M34, M45), {}, None),
    "linalg.matrix_norm": ((M34,), {}, None),
    "linalg.matrix_power": ((SQ, 3), {}, lambda f: f.matrix_power_cost(4, 3)),
    "linalg.matrix_rank": ((M34,), {}, None),
    "linalg.multi_dot": (([M34, M45, M45.T],), {}, lambda f: f.multi_dot_cost([(3, 4), (4, 5), (5, 4)])),
    "linalg.norm": ((M34,), {}, None),
    "linalg.outer": ((V3, V5), {}, None),
    "linalg.pinv": ((M34,), {}, None),
    "linalg.qr": ((M45.T,), {}, lambda f: f.qr_cost(5, 4)),
    "linalg.slogdet": ((SQ,), {}, lambda f: f.slogdet_cost(4)),
    "linalg.solve": ((SQ, V3.tolist() + [1.0]), {}, lambda f: f.solve_cost(4)),
    "linalg.svd": ((M34,), {}, lambda f: f.svd_cost(3, 4)),
    "linalg.svdvals": ((M34,), {}, None),
    "linalg.tensordot": ((M34, M45), {"axes": 1}, None),
    "linalg.tensorinv": ((np.eye(6).reshape(6, 2, 3),), {"ind": 1}, None),
    "linalg.tensorsolve": ((np.eye(6).reshape(2, 3, 6), np.ones((2, 3))), {}, None),
    "linalg.trace": ((SQ,), {}, None),
    "linalg.vecdot": ((M34, M34), {}, None),
    "linalg.vector_norm": ((M34,), {}, None),
    "logspace": ((0.0, 2.0, 5), {}, None),
    "matmul": ((M34, M45), {}, lambda f: f.einsum_cost("ij,jk->ik", [(3, 4), (4, 5)])),
    "outer": ((V3, V5), {}, None),
    "partition": ((V8, 3), {}, None),
    "poly": ((V3,), {}, None),
    "polyadd": ((POLY, V5), {}, None),
    "polyder": ((V5,), {}, None),
    "polydiv": ((V5, POLY), {}, None),
    "polyfit": ((V8, V8[::-1], 2), {}, None),
    "polyint": ((V5,), {}, None),
    "polymul": ((POLY, V5), {}, None),
    "polysub": ((POLY, V5), {}, None),
    "polyval": ((POLY, V8), {}, None),
    "roots": ((POLY,), {}, None),
    "searchsorted": ((SORTED, V5), {}, lambda f: f.search_cost(5, 16)),
    "setdiff1d": ((V8, V8[:3]), {}, None),
    "setxor1d": ((V8, V8[:3]), {}, None),
    "sort": ((M34,), {}, None),
    "tensordot": ((M34, M45), {"axes": 1}, None),
    "trace": ((SQ,), {}, None),
    "trapezoid": ((V8,), {}, None),
    "trapz": ((V8,), {}, None),
    "union1d": ((V8, V8[:3]), {}, None),
    "unique": ((np.array([3.0, 1.0, 3.0, 2.0]),), {}, lambda f: f.sort_cost(4)),
    "unique_all": ((np.array([3.0, 1.0, 3.0, 2.0]),), {}, None),
    "unique_counts": ((np.array([3.0, 1.0, 3.0, 2.0]),), {}, None),
    "unique_inverse": ((np.array([3.0, 1.0, 3.0, 2.0]),), {}, None),
    "unique_values": ((np.array([3.0, 1.0, 3.0, 2.0]),), {}, None),
    "unwrap": ((np.array([0.0, 3.0, 6.5, 1.0]),), {}, None),
    "vander": ((V3,), {}, None),
    "vdot": ((V8, V8), {}, None),
}

SEEDED = {  # random ops: same seed, same numbers as numpy.random
    "random.beta": ((2.0, 3.0, 4), {}),
    "random.binomial": ((10, 0.5, 4), {}),
    "random.bytes": ((6,), {}),
    "random.chisquare": ((2.0, 4), {}),
    "random.choice": ((10, 4), {}),
    "random.dirichlet": (([1.0, 2.0, 3.0], 2), {}),
    "random.exponential": ((1.0, 4), {}),
    "random.f": ((2.0, 3.0, 4), {}),
    "random.gamma": ((2.0, 1.0, 4), {}),
    "random.geometric": ((0.3, 4), {}),
    "random.gumbel": ((0.0, 1.0, 4), {}),
    "random.hypergeometric": ((5, 5, 3, 4), {}),
    "random.laplace": ((0.0, 1.0, 4), {}),
    "random.logistic": ((0.0, 1.0, 4), {}),
    "random.lognormal": ((0.0, 1.0, 4), {}),
    "random.logseries": ((0.5, 4), {}),
    "random.multinomial": ((5, [0.2, 0.8], 3), {}),
    "random.multivariate_normal": (([0.0, 0.0], np.eye(2), 3), {}),
    "random.negative_binomial": ((3, 0.5, 4), {}),
    "random.noncentral_chisquare": ((2.0, 1.0, 4), {}),
    "random.noncentral_f": ((2.0, 3.0, 1.0, 4), {}),
    "random.normal": ((0.0, 1.0, 4), {}),
    "random.pareto": ((2.0, 4), {}),
    "random.permutation": ((8,), {}),
    "random.poisson": ((3.0, 4), {}),
    "random.power": ((2.0, 4), {}),
    "random.rand": ((2, 3), {}),
    "random.randint": ((0, 10, 4), {}),
    "random.randn": ((2, 3), {}),
    "random.random": ((4,), {}),
    "random.random_integers": ((1, 6, 4), {}),
    "random.random_sample": ((4,), {}),
    "random.ranf": ((4,), {}),
    "random.rayleigh": ((1.0, 4), {}),
    "random.sample": ((4,), {}),
    "random.shuffle": ((np.arange(8.0),), {}),
    "random.standard_cauchy": ((4,), {}),
    "random.standard_exponential": ((4,), {}),
    "random.standard_gamma": ((2.0, 4), {}),
    "random.standard_normal": ((4,), {}),
    "random.standard_t": ((3.0, 4), {}),
    "random.triangular": ((0.0, 0.5, 1.0, 4), {}),
    "random.uniform": ((0.0, 1.0, 4), {}),
    "random.vonmises": ((0.0, 1.0, 4), {}),
    "random.wald": ((1.0, 1.0, 4), {}),
    "random.weibull": ((2.0, 4), {}),
    "random.zipf": ((2.0, 4), {}),
}

CUSTOM = sorted(n for n, s in REGISTRY.items() if s.category == "custom" and n != "einsum_path")


def test_every_custom_op_has_a_probe():
    assert set(PROBES) | set(SEEDED) == set(CUSTOM)


def _resolve(module, name):
    prefix, dot, short = name.rpartition(".")
    return getattr(getattr(module, prefix) if dot else module, short, None)


def _numpy_reference(name):
    if name == "trapz":
        return np.trapezoid
    if name == "in1d":
        return lambda a, b: np.isin(np.ravel(a), b)
    if name == "linalg.svd":
        return lambda a: np.linalg.svd(a, full_matrices=False)
    return _resolve(np, name)


def _copy(args):
    return tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args)


def _assert_values(got, want):
    if isinstance(want, bytes):
        assert got == want
    elif isinstance(want, (tuple, list)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            _assert_values(g, w)
    else:
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_custom_op_charges_its_rule_and_matches_numpy(name):
    args, kwargs, twin = PROBES[name]
    op = _resolve(me, name)
    assert op is not None, f"me.{name} does not resolve"
    rule = REGISTRY[name].cost(*_copy(args), **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(10**12) as budget:
            got = op(*_copy(args), **kwargs)
        want = _numpy_reference(name)(*_copy(args), **kwargs)
    assert budget.flops_used == rule > 0
    assert budget.op_log[-1].op_name == name.replace("linalg.matmul", "matmul")
    if twin is not None:
        assert twin(me.flops) == budget.flops_used
    if name not in ("linalg.eig", "linalg.eigh", "linalg.qr", "linalg.svd"):  # sign-free checks elsewhere
        _assert_values(got, want)


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_random_op_charges_its_rule_and_matches_numpy_random(name):
    args, kwargs = SEEDED[name]
    op = _resolve(me, name)
    assert op is not None, f"me.{name} does not resolve"
    rule = REGISTRY[name].cost(*_copy(args), **kwargs)
    # NumPy deprecates random_integers; mechestim passes its warning on unchanged.
    deprecated = name == "random.random_integers"
    warns = pytest.warns(DeprecationWarning) if deprecated else contextlib.nullcontext()
    np.random.seed(3)
    want_args = _copy(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        want = _resolve(np, name)(*want_args, **kwargs)
    np.random.seed(3)
    got_args = _copy(args)
    with me.BudgetContext(10**12) as budget, warns:
        got = op(*got_args, **kwargs)
    assert budget.flops_used == rule > 0
    if name == "random.shuffle":
        np.testing.assert_array_equal(got_args[0], want_args[0])
    elif name == "random.bytes":
        assert got == want
    else:
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_counted_ops_refuse_when_over_budget_and_charge_nothing():
    refused = []
    for name in sorted(PROBES):
        args, kwargs, _ = PROBES[name]
        with me.BudgetContext(1) as budget:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _resolve(me, name)(*_copy(args), **kwargs)
            except me.BudgetExhaustedError:
                refused.append(name)
        assert budget.flops_used <= 1
    rules = {n: REGISTRY[n].cost(*_copy(PROBES[n][0]), **PROBES[n][1]) for n in PROBES}
    assert sorted(refused) == sorted(n for n, c in rules.items() if c > 1)


def test_einsum_path_is_counted_but_free():
    assert REGISTRY["einsum_path"].status == COUNTED
    with me.BudgetContext(1) as budget:
        me.einsum_path("ij,jk->ik", M34, M45)
    assert budget.flops_used == 0
