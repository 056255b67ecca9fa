"""me.ndarray: operators, ufuncs, NumPy functions and methods charge what me.* charges, once."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import mechestim as me


def cost_of(fn):
    with me.BudgetContext(10**12) as b:
        result = fn()
    return b.flops_used, result, b.op_log


@pytest.fixture
def a():
    return me.asarray(np.random.default_rng(0).uniform(1, 2, (6, 5)))


@pytest.fixture
def b():
    return me.asarray(np.random.default_rng(1).uniform(1, 2, (5, 4)))


def test_operator_costs_equal_the_functions(a, b):
    pairs = [
        (lambda: a @ b, lambda: me.matmul(a, b)),
        (lambda: a + 1, lambda: me.add(a, 1)),
        (lambda: 1 - a, lambda: me.subtract(1, a)),
        (lambda: a * a, lambda: me.multiply(a, a)),
        (lambda: a / 3, lambda: me.divide(a, 3)),
        (lambda: a**3, lambda: me.power(a, 3)),  # (a**2 is NumPy's square fast path)
        (lambda: -a, lambda: me.negative(a)),
        (lambda: abs(a), lambda: me.absolute(a)),
        (lambda: a > 1.5, lambda: me.greater(a, 1.5)),
        (lambda: a.sum(), lambda: me.sum(a)),
        (lambda: np.sum(a), lambda: me.sum(a)),
        (lambda: np.exp(a), lambda: me.exp(a)),
        (lambda: a.mean(axis=0), lambda: me.mean(a, axis=0)),
        (lambda: np.mean(a), lambda: me.mean(a)),
        (lambda: a.std(), lambda: me.std(a)),
        (lambda: np.maximum(a, 0), lambda: me.maximum(a, 0)),
        (lambda: a.max(axis=1), lambda: me.max(a, axis=1)),
        (lambda: a.cumsum(), lambda: me.cumsum(a)),
    ]
    for spelled, function in pairs:
        used_op, got, log_op = cost_of(spelled)
        used_fn, want, log_fn = cost_of(function)
        assert used_op == used_fn > 0
        assert [r.op_name for r in log_op] == [r.op_name for r in log_fn]  # charged once
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_operators_keep_operand_order_dtype_and_numpy_deferral(a):
    f32 = me.asarray(np.arange(1, 4, dtype=np.float32))
    plain = np.arange(1, 4, dtype=np.float32)
    with me.BudgetContext(10**6) as budget:
        results = [f32 + 1.5, 2 - f32, 2 / f32, (plain + 1) - f32, plain * f32]
    assert results[0].dtype == np.float32  # a weak Python scalar, as in NumPy
    np.testing.assert_array_equal(np.asarray(results[1]), 2 - plain)
    np.testing.assert_array_equal(np.asarray(results[2]), 2 / plain)
    np.testing.assert_array_equal(np.asarray(results[3]), np.ones(3))  # plain operand first
    assert all(type(r) is me.ndarray for r in results)
    assert [r.op_name for r in budget.op_log] == ["add", "subtract", "divide", "subtract", "multiply"]
    assert budget.flops_used == 15

    class Defers:  # a foreign type that opts out of NumPy's operators
        __array_ufunc__ = None

        def __radd__(self, other):
            return "deferred"

    with me.BudgetContext(10**6) as budget:
        assert a + Defers() == "deferred"
        assert type(a + np.float32(2)) is me.ndarray  # other types take NumPy's route
        assert type(a + True) is me.ndarray
    assert budget.flops_used == 2 * a.size


def test_matmul_operator_records_matmul_and_matvec_cost():
    W, x = me.ones((256, 256)), me.ones(256)
    used, _, log = cost_of(lambda: W @ x)
    assert used == 131_072 and [r.op_name for r in log] == ["matmul"]


def test_results_are_mechestim_arrays_and_scalars_stay_scalars(a):
    assert type(a + 1) is me.ndarray
    assert type(np.exp(a)) is me.ndarray
    assert type(a[0]) is me.ndarray
    assert type(a.T) is me.ndarray
    assert isinstance(me.sum(a), np.floating) and not isinstance(me.sum(a), np.ndarray)


def test_reference_idioms_run_unchanged():
    x = me.zeros((3, 4))
    y = me.ones((5, 4))
    x[1] += me.sum(y, axis=0)
    assert x[1].tolist() == [5.0] * 4
    w, mu = me.ones((4, 3)), me.ones(4)
    assert (w.T @ mu).tolist() == [4.0] * 3
    z = me.random.default_rng(0).standard_normal((2, 3)).astype(me.float32)
    assert z.dtype == np.float32 and z.shape == (2, 3)
    me.testing.assert_allclose(me.ones(3), np.ones(3))


def test_inplace_operator_charges_and_keeps_identity():
    x = me.ones(4)
    before = id(x)
    used, _, log = cost_of(lambda: x.__iadd__(2))
    assert id(x) == before and x.tolist() == [3.0] * 4
    assert used == 4 and log[0].op_name == "add"


def test_plain_numpy_arrays_are_not_seen():
    p = np.ones(10)
    used, _, _ = cost_of(lambda: np.exp(p) + p)
    assert used == 0


def test_mixed_plain_and_mechestim_operands_are_charged():
    p = np.ones(10)
    used, result, _ = cost_of(lambda: p + me.ones(10))
    assert used == 10 and isinstance(result, me.ndarray)


def test_printing_charges_nothing(a):
    with me.BudgetContext(1) as ctx:
        text = repr(a) + str(a) + f"{me.ones(2)}"
    assert ctx.flops_used == 0 and "1." in text


def test_ufunc_methods_are_charged(a):
    assert cost_of(lambda: np.add.reduce(a, axis=0))[0] == 30
    assert cost_of(lambda: np.add.reduce(a, axis=0))[2][0].op_name == "sum"
    assert cost_of(lambda: np.multiply.accumulate(a))[2][0].op_name == "cumprod"
    used, result, log = cost_of(lambda: np.multiply.outer(me.ones(3), me.ones(4)))
    assert used == 12 and result.shape == (3, 4) and log[0].op_name == "outer"
    target = me.zeros(5)
    used, _, log = cost_of(lambda: np.add.at(target, [0, 0, 1], 1.0))
    assert used == 3 and target.tolist() == [2.0, 1.0, 0.0, 0.0, 0.0]


def test_numpy_free_functions_on_mechestim_arrays_stay_free(a):
    used, result, _ = cost_of(lambda: np.concatenate([a, a]))
    assert used == 0 and type(result) is me.ndarray and result.shape == (12, 5)
    used, result, _ = cost_of(lambda: np.reshape(a, -1))
    assert used == 0 and type(result) is me.ndarray


def test_pickle_round_trip(a):
    back = pickle.loads(pickle.dumps(a))
    assert type(back) is me.ndarray and np.array_equal(back, a)


def test_out_argument_returns_the_callers_array(a):
    out = me.empty((6, 5))
    result = me.exp(a, out=out)
    assert result is out
    np.testing.assert_allclose(out, np.exp(np.asarray(a)))
    plain_out = np.empty((6, 5))
    assert me.add(a, 1, out=plain_out) is plain_out


def test_constants_and_dtypes():
    assert me.pi == np.pi and me.e == np.e and me.inf == np.inf and np.isnan(me.nan)
    assert me.newaxis is None
    for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                 "uint16", "uint32", "uint64", "bool_", "complex64", "complex128", "dtype"):  # fmt: skip
        assert getattr(me, name) is getattr(np, name)
    assert isinstance(me.__version__, str) and me.__cost_model__ == "mechestim-0.2/2"


@pytest.mark.parametrize("method", ["conj", "conjugate"])
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.float32, np.complex64])
@pytest.mark.parametrize("shape", [(3, 2), ()])
def test_conj_methods_return_what_numpys_return(method, dtype, shape):
    # numpy.ndarray.conj hands real data back as the array itself (bool stays bool; the
    # conjugate ufunc would give int8) and conjugates complex data; charged like me.conj.
    plain = np.asarray(np.arange(math.prod(shape)).reshape(shape) % 2).astype(dtype)
    if plain.dtype.kind == "c":
        plain = plain * np.complex64(1 - 2j)
    x = me.asarray(plain)
    want = getattr(plain, method)()
    with me.BudgetContext(100) as budget:
        got = getattr(x, method)()
    assert budget.flops_used == me.flops.pointwise_cost(shape)
    assert [r.op_name for r in budget.op_log] == [method]
    assert type(got) is type(want) or (isinstance(want, np.ndarray) and type(got) is me.ndarray)
    assert (got is x) == (want is plain)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want), strict=True)


@pytest.mark.parametrize("method", ["conj", "conjugate"])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_conj_methods_take_numpys_positional_out(method, dtype):
    plain = np.arange(4, dtype=dtype) * (1 - 1j if dtype is np.complex128 else 1)
    out = me.zeros(4, dtype=dtype)
    with me.BudgetContext(100) as budget:
        got = getattr(me.asarray(plain), method)(out)
    assert got is out and budget.flops_used == 4
    np.testing.assert_array_equal(out, getattr(plain, method)())
