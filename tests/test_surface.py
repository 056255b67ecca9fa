"""The whole NumPy surface (library.md §4): every public NumPy name classified and
resolving, free names behaving as NumPy's, callbacks charging the user's ops, emath,
matvec/vecmat, RandomState, and the NumPy-format seams (einsum_path, tensordot axes)."""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pytest

import mechestim as me
from mechestim._core import surface as _surface
from mechestim._core.registry import BLOCKED, COUNTED, FREE, REGISTRY, missing_attribute, too_new

NAMESPACES = [("", np, me), ("linalg.", np.linalg, me.linalg), ("fft.", np.fft, me.fft),
              ("random.", np.random, me.random)]  # fmt: skip
AS_IS = _surface.names(_surface.AS_IS)


def charged(func):
    with me.BudgetContext(10**9) as budget:
        result = func()
    return result, budget.flops_used, [r.op_name for r in budget.op_log]


# -- the walk: a NumPy release that adds a public name fails here until it is classified ----------
def _public_names():
    for prefix, numpy_module, me_module in NAMESPACES:
        for name in dir(numpy_module):
            if not name.startswith("_"):
                yield pytest.param(prefix, numpy_module, me_module, name, id=f"{prefix}{name}")


@pytest.mark.parametrize("prefix, numpy_module, me_module, name", list(_public_names()))
def test_every_public_numpy_name_is_classified_and_resolves(prefix, numpy_module, me_module, name):
    full = prefix + name
    assert full in REGISTRY, (
        f"numpy {np.__version__} has {full!r}, which mechestim does not classify: add it to "
        "mechestim/_core/surface.py (counted, free or refused)"
    )
    spec = REGISTRY[full]
    if spec.status == BLOCKED:
        with pytest.raises(me.UnsupportedFunctionError) as info:
            getattr(me_module, name)
        message = str(info.value)
        assert name in message and spec.reason in message and "instead" in message
        assert "does not provide" not in message
        return
    assert spec.status in (COUNTED, FREE)
    value = getattr(me_module, name)  # resolves: no AttributeError
    if full in AS_IS:
        assert value is getattr(numpy_module, name), f"{full} should be NumPy's own object"


def test_classified_names_cover_only_public_namespaces():
    prefixes = {name.partition(".")[0] for name in REGISTRY if "." in name}
    assert prefixes == {"linalg", "fft", "random", "emath"}


def test_refusal_is_an_attribute_error_and_a_mechestim_error():
    assert issubclass(me.UnsupportedFunctionError, AttributeError)
    assert issubclass(me.UnsupportedFunctionError, me.MechEstimError)
    assert me.errors.UnsupportedFunctionError is me.UnsupportedFunctionError
    assert not hasattr(me, "matrix") and getattr(me.linalg, "test", None) is None
    with pytest.raises(AttributeError, match="mechestim does not provide mechestim.no_such_name"):
        me.no_such_name  # noqa: B018 - NumPy lacks it too: the bare message stays


def test_a_name_newer_than_this_numpy_says_which_numpy_it_needs(monkeypatch):
    monkeypatch.setattr(REGISTRY["matvec"], "since", "99.1")
    assert too_new(REGISTRY["matvec"])
    error = missing_attribute("mechestim", "", "matvec")
    assert isinstance(error, me.UnsupportedFunctionError)
    assert "needs NumPy >= 99.1" in str(error) and np.__version__ in str(error)


def _absent_from_this_numpy():
    for name in REGISTRY:
        prefix, dot, short = name.rpartition(".")
        if not hasattr(getattr(np, prefix) if dot else np, short):
            yield pytest.param(name, id=name)


@pytest.mark.parametrize("name", list(_absent_from_this_numpy()))
def test_registry_names_this_numpy_lacks_still_answer(name):
    """A name of another NumPy (or of mechestim alone): it works, says which NumPy it
    needs, or is refused; never a bare "does not provide"."""
    prefix, dot, short = name.rpartition(".")
    module = getattr(me, prefix) if dot else me
    spec = REGISTRY[name]
    if name in AS_IS:  # NumPy's own object on platforms that have it (float128, ...)
        pytest.skip(f"numpy {np.__version__} on this platform has no {name}")
    if too_new(spec):
        with pytest.raises(me.UnsupportedFunctionError, match=f"needs NumPy >= {spec.since}"):
            getattr(module, short)
    elif spec.status == BLOCKED:
        with pytest.raises(me.UnsupportedFunctionError, match="instead"):
            getattr(module, short)
    else:  # mechestim's own implementation (in1d, trapz, polynomials, windows, ...)
        assert callable(getattr(module, short))


@pytest.mark.skipif(hasattr(np, "matvec"), reason="this NumPy has matvec")
def test_matvec_on_an_older_numpy_says_it_needs_2_2():
    with pytest.raises(me.UnsupportedFunctionError, match=r"matvec needs NumPy >= 2\.2"):
        me.matvec  # noqa: B018


# -- free names behave exactly as NumPy's --------------------------------------------------------
def test_scalar_type_hierarchy_and_dtype_aliases_are_numpys():
    x = me.ones(3)
    assert me.issubdtype(x.dtype, me.floating)
    assert me.issubdtype(me.arange(3).dtype, me.integer)
    assert not me.issubdtype(x.dtype, me.complexfloating)
    for name in ("generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact",
                 "floating", "complexfloating", "bool", "int_", "intp", "uint", "double", "single",
                 "longdouble", "str_", "bytes_", "object_", "datetime64", "timedelta64"):  # fmt: skip
        assert getattr(me, name) is getattr(np, name), name
    assert isinstance(me.float64(1.0), me.floating)


def test_finfo_iinfo_errstate_and_printoptions():
    assert me.finfo(me.float64).eps == np.finfo(np.float64).eps
    assert me.iinfo(me.int8).max == 127
    with me.errstate(divide="ignore"):
        assert me.geterr()["divide"] == "ignore"
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            np.divide(np.ones(2), np.zeros(2))  # NumPy's own state: no RuntimeWarning
    old = me.seterr(over="ignore")
    try:
        assert me.geterr()["over"] == "ignore"
    finally:
        me.seterr(**old)
    with me.printoptions(precision=2):
        assert me.get_printoptions()["precision"] == 2


def test_index_tricks_build_mechestim_arrays_for_free():
    assert me.s_[1:3] == slice(1, 3) and me.index_exp[1:3] == (slice(1, 3),)
    with me.BudgetContext(1) as budget:
        grid = me.mgrid[0:3, 0:3]
        open_grid = me.ogrid[0:3, 0:4]
        row = me.r_[me.ones(2), 0, [5, 6]]
        cols = me.c_[np.array([1, 2]), me.array([3, 4])]
    assert budget.flops_used == 0
    assert isinstance(grid, me.ndarray) and grid.shape == (2, 3, 3)
    np.testing.assert_array_equal(grid, np.mgrid[0:3, 0:3])
    assert all(isinstance(g, me.ndarray) for g in open_grid) and open_grid[1].shape == (1, 4)
    assert isinstance(row, me.ndarray) and row.tolist() == [1.0, 1.0, 0.0, 5.0, 6.0]
    assert isinstance(cols, me.ndarray) and cols.tolist() == [[1, 3], [2, 4]]


def test_iteration_helpers_are_numpys():
    x = me.arange(6).reshape(2, 3)
    assert list(me.ndindex(2, 2)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [int(v) for _, v in me.ndenumerate(x)] == list(range(6))
    assert me.broadcast(me.ones((2, 1)), me.ones(3)).shape == (2, 3)
    assert [int(v) for v in me.nditer(x.view(np.ndarray))] == list(range(6))


def test_conversions_come_back_as_mechestim_arrays():
    x = me.ones((2, 3))
    assert me.asanyarray(x) is x
    sym = me.as_symmetric(np.eye(3), (0, 1))
    assert me.asanyarray(sym) is sym
    for convert in (me.asanyarray, me.ascontiguousarray, me.asfortranarray):
        got = convert(np.arange(6.0).reshape(2, 3))
        assert isinstance(got, me.ndarray) and got.tolist() == np.arange(6.0).reshape(2, 3).tolist()
    assert me.asfortranarray(np.ones((2, 3))).flags.f_contiguous


def test_save_then_load_round_trip_gives_a_mechestim_array(tmp_path):
    path = tmp_path / "x.npy"
    x = me.arange(6.0).reshape(2, 3)
    with me.BudgetContext(1) as budget:
        me.save(path, x)
        back = me.load(path)
    assert budget.flops_used == 0
    assert isinstance(back, me.ndarray) and back.tolist() == x.tolist()
    mapped = me.load(path, mmap_mode="r")
    assert isinstance(mapped, me.ndarray) and mapped.tolist() == x.tolist()


def test_savez_archives_hand_back_mechestim_arrays(tmp_path):
    path = tmp_path / "xy.npz"
    me.savez(path, x=me.ones(3), y=np.zeros(2))
    me.savez_compressed(tmp_path / "z.npz", me.arange(4))
    with me.load(path) as archive:
        assert sorted(archive.files) == ["x", "y"]
        assert isinstance(archive["x"], me.ndarray) and archive["x"].tolist() == [1.0] * 3
        assert all(isinstance(v, me.ndarray) for v in archive.values())
    with me.load(tmp_path / "z.npz") as archive:
        assert archive["arr_0"].tolist() == [0, 1, 2, 3]


def test_load_refuses_pickles_by_default(tmp_path):
    path = tmp_path / "objects.npy"
    np.save(path, np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="allow_pickle"):
        me.load(path)
    assert me.load(path, allow_pickle=True)[0] == {"a": 1}


def test_text_and_binary_readers_return_mechestim_arrays(tmp_path):
    text = tmp_path / "x.txt"
    me.savetxt(text, me.arange(6.0).reshape(2, 3))
    for read in (me.loadtxt, me.genfromtxt):
        got = read(text)
        assert isinstance(got, me.ndarray) and got.shape == (2, 3)
    raw = tmp_path / "x.bin"
    np.arange(4.0).tofile(raw)
    assert isinstance(me.fromfile(raw), me.ndarray)
    assert isinstance(me.frombuffer(np.arange(3.0).tobytes()), me.ndarray)
    assert me.loadtxt(io.StringIO("1 2\n3 4")).tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_typing_dtypes_and_exceptions_modules():
    assert me.typing.NDArray is np.typing.NDArray and me.typing.ArrayLike is np.typing.ArrayLike
    assert me.dtypes is np.dtypes and me.exceptions.AxisError is np.exceptions.AxisError
    assert me.linalg.LinAlgError is np.linalg.LinAlgError


# -- callbacks: the loop is free, the user's ops are charged ---------------------------------------
def _row_norm(row):
    return (row * row).sum()


@pytest.mark.parametrize("spelling", ["me", "np"])
def test_apply_along_axis_charges_what_the_hand_written_loop_charges(spelling):
    x = me.arange(12.0).reshape(3, 4)
    apply = me.apply_along_axis if spelling == "me" else np.apply_along_axis
    got, used, ops = charged(lambda: apply(_row_norm, 1, x))
    want, by_hand, hand_ops = charged(lambda: me.stack([_row_norm(x[i]) for i in range(3)]))
    assert used == by_hand == 3 * (4 + 4) and ops == hand_ops
    assert isinstance(got, me.ndarray) and got.tolist() == want.tolist()
    _, free, _ = charged(lambda: apply(lambda r: r[::-1], 0, x))  # no arithmetic: free
    assert free == 0


def test_me_apply_along_axis_charges_plain_numpy_input_too():
    _, used, _ = charged(lambda: me.apply_along_axis(_row_norm, 0, np.ones((3, 4))))
    assert used == 4 * (3 + 3)


@pytest.mark.parametrize("spelling", ["me", "np"])
def test_apply_over_axes_charges_each_call(spelling):
    x = me.arange(24.0).reshape(2, 3, 4)
    apply = me.apply_over_axes if spelling == "me" else np.apply_over_axes
    got, used, ops = charged(lambda: apply(me.sum, x, [0, 2]))
    assert ops == ["sum", "sum"] and used == 24 + 12
    np.testing.assert_array_equal(got, np.apply_over_axes(np.sum, np.arange(24.0).reshape(2, 3, 4), [0, 2]))
    assert isinstance(got, me.ndarray)


@pytest.mark.parametrize("spelling", ["me", "np"])
def test_piecewise_charges_each_piece_on_its_elements(spelling):
    x = me.linspace(-2.0, 2.0, 5)
    piecewise = me.piecewise if spelling == "me" else np.piecewise
    conditions = [x.view(np.ndarray) < 0, x.view(np.ndarray) >= 0]
    got, used, ops = charged(lambda: piecewise(x, conditions, [lambda v: -v, lambda v: v * v]))
    assert ops == ["negative", "multiply"] and used == 2 + 3
    assert got.tolist() == [2.0, 1.0, 0.0, 1.0, 4.0] and isinstance(got, me.ndarray)


def _affine(v):
    return v * 2.0 + 1.0


@pytest.mark.parametrize("spelling", ["me", "np"])
def test_vectorize_charges_the_functions_ops_per_element(spelling):
    x = me.arange(5.0)
    vectorize = me.vectorize if spelling == "me" else np.vectorize
    got, used, ops = charged(lambda: vectorize(_affine)(x))
    _, whole, _ = charged(lambda: _affine(x))
    assert used == whole == 10 and ops == ["multiply", "add"] * 5
    assert isinstance(got, me.ndarray) and got.tolist() == [1.0, 3.0, 5.0, 7.0, 9.0]


def test_me_vectorize_on_plain_input_and_with_signature():
    got, used, _ = charged(lambda: me.vectorize(_affine)([1.0, 2.0]))
    assert used == 4 and got.tolist() == [3.0, 5.0]
    norms = me.vectorize(_row_norm, signature="(n)->()")
    got, used, ops = charged(lambda: norms(np.ones((3, 4))))
    assert used == 3 * 8 and ops == ["multiply", "sum"] * 3 and got.tolist() == [4.0] * 3


@pytest.mark.parametrize("spelling", ["me", "np"])
def test_frompyfunc_charges_per_element(spelling):
    frompyfunc = me.frompyfunc if spelling == "me" else np.frompyfunc
    ufunc = frompyfunc(lambda a, b: a * b + 1, 2, 1)
    got, used, _ = charged(lambda: ufunc(me.arange(3.0), me.ones(3)))
    assert used == 6 and got.dtype == object and list(got) == [1.0, 2.0, 3.0]


def test_callback_results_hold_plain_scalars():
    got = np.frompyfunc(lambda v: v + 1, 1, 1)(me.arange(2.0))
    assert all(type(v) is np.float64 for v in got)


# -- emath ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spelling", [lambda: me.emath, lambda: np.emath, lambda: np.lib.scimath], ids=["me", "np", "scimath"]
)
def test_emath_charges_what_the_plain_counterpart_charges(spelling):
    module = spelling()
    x = me.array([-4.0, 4.0, 9.0])
    got, used, ops = charged(lambda: module.sqrt(x))
    _, plain, _ = charged(lambda: me.sqrt(me.array([4.0, 4.0, 9.0])))
    assert used == plain == 3 and ops == ["emath.sqrt"]
    assert got.tolist() == [2j, 2, 3] and isinstance(got, me.ndarray)
    _, used, _ = charged(lambda: module.power(x, 2))
    assert used == 3
    _, used, _ = charged(lambda: module.logn(2, x))
    assert used == 3 + 1 + 3  # log(x) / log(n)


EMATH_UNARY = ("arccos", "arcsin", "arctanh", "log", "log10", "log2", "sqrt")


@pytest.mark.parametrize("shape", [(2, 3), (), (0,)], ids=str)
@pytest.mark.parametrize("short", EMATH_UNARY)
def test_each_emath_function_charges_its_plain_counterparts_numel(short, shape):
    x = np.full(shape, 0.5)
    got, used, ops = charged(lambda: getattr(me.emath, short)(x))
    _, plain, _ = charged(lambda: getattr(me, short)(x))
    assert used == plain == max(math.prod(shape), 1) and ops == [f"emath.{short}"]
    np.testing.assert_array_equal(np.asarray(got), getattr(np.emath, short)(x))


def test_emath_power_charges_what_power_charges_on_the_broadcast_shape():
    x, p = -np.ones((3, 1)), np.arange(4.0)
    got, used, ops = charged(lambda: me.emath.power(x, p))
    _, plain, _ = charged(lambda: me.power(x, p))
    assert used == plain == 12 and ops == ["emath.power"]
    np.testing.assert_array_equal(np.asarray(got), np.emath.power(x, p))


@pytest.mark.parametrize(
    ("n_shape", "x_shape", "expected"),
    [((), (2, 3), 6 + 1 + 6), ((3,), (2, 1), 2 + 3 + 6), ((2, 1), (3,), 3 + 2 + 6),
     ((), (), 3), ((0,), (), 1 + 1 + 1)],  # fmt: skip
)
def test_emath_logn_charges_what_log_x_over_log_n_charges(n_shape, x_shape, expected):
    n, x = np.full(n_shape, 3.0), np.full(x_shape, -2.0)
    got, used, ops = charged(lambda: me.emath.logn(n, x))
    _, plain, _ = charged(lambda: me.divide(me.emath.log(x), me.emath.log(n)))
    assert used == plain == expected == me.flops.logn_cost(n_shape, x_shape)
    assert ops == ["emath.logn"]
    np.testing.assert_allclose(np.asarray(got), np.emath.logn(n, x))
    with me.BudgetContext(100) as budget, pytest.raises(ValueError):
        me.emath.logn(np.ones(2), np.ones(3))  # shapes that do not broadcast: nothing charged
    assert budget.flops_used == 0


def _symmetric(n: int = 4) -> me.SymmetricTensor:
    a = np.arange(float(n * n)).reshape(n, n) - 5.25  # negative entries, no zero
    return me.as_symmetric(a + a.T, symmetric_axes=(0, 1))


@pytest.mark.parametrize("short", EMATH_UNARY)
def test_emath_on_a_symmetric_tensor_charges_and_keeps_what_the_plain_op_does(short):
    S = _symmetric()
    got, used, _ = charged(lambda: getattr(me.emath, short)(S))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", me.MechEstimWarning)  # NaN from the real op
        plain_result, plain, _ = charged(lambda: getattr(me, short)(S))
    assert used == plain == 10  # the unique elements of a symmetric 4x4
    assert isinstance(got, me.SymmetricTensor) and got.symmetry == plain_result.symmetry
    np.testing.assert_array_equal(np.asarray(got), getattr(np.emath, short)(np.asarray(S)))


def test_emath_power_and_logn_on_a_symmetric_tensor_charge_as_their_plain_expressions():
    S = _symmetric()
    got, used, _ = charged(lambda: me.emath.power(S, 2))
    _, plain, _ = charged(lambda: me.power(S, 2))
    assert used == plain == 10 and isinstance(got, me.SymmetricTensor)
    got, used, _ = charged(lambda: me.emath.logn(3, S))
    _, plain, _ = charged(lambda: me.divide(me.emath.log(S), me.emath.log(3)))
    assert used == plain == 10 + 1 + 10 and isinstance(got, me.SymmetricTensor)
    np.testing.assert_allclose(np.asarray(got), np.emath.logn(3, np.asarray(S)))
    # an operand that breaks the symmetry: dense charge, plain result, one warning
    with pytest.warns(me.SymmetryLossWarning, match="emath.power dropped"):
        got, used, _ = charged(lambda: me.emath.power(S, np.arange(4.0)))
    assert used == 16 and type(got) is me.ndarray


# -- matvec / vecmat -------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(np, "matvec"), reason="matvec needs NumPy >= 2.2")
@pytest.mark.parametrize("spelling", ["me", "np"])
def test_matvec_and_vecmat_cost_their_matmul(spelling):
    module = me if spelling == "me" else np
    a, v = me.ones((5, 3, 4)), me.ones(4)
    got, used, ops = charged(lambda: module.matvec(a, v))
    assert used == me.flops.matvec_cost((5, 3, 4), (4,)) == 2 * 5 * 3 * 4 and ops == ["matvec"]
    assert isinstance(got, me.ndarray) and got.shape == (5, 3)
    _, used, _ = charged(lambda: module.vecmat(me.ones(3), me.ones((3, 4))))
    assert used == me.flops.matmul_cost((3,), (3, 4)) == 24
    with me.BudgetContext(100) as budget, pytest.raises(ValueError, match="core dimension"):
        me.matvec(me.ones((3, 4)), me.ones(5))
    assert budget.flops_used == 0


@pytest.mark.skipif(not hasattr(np, "matvec"), reason="matvec needs NumPy >= 2.2")
@pytest.mark.parametrize(
    ("name", "first", "second"),
    [("matvec", (5, 3, 4), (4,)), ("matvec", (3, 4), (5, 4)),
     ("vecmat", (3,), (5, 3, 4)), ("vecmat", (5, 3), (3, 4))],  # fmt: skip
)
def test_matvec_and_vecmat_charge_2_batch_m_n_and_return_the_callers_out(name, first, second):
    a, b = np.linspace(1.0, 2.0, math.prod(first)).reshape(first), np.ones(second)
    got, used, ops = charged(lambda: getattr(me, name)(a, b))
    assert used == 120 and ops == [name]
    np.testing.assert_array_equal(np.asarray(got), getattr(np, name)(a, b))
    op = getattr(me, name)
    for positional in (False, True):  # out as NumPy's third argument: 0.3 returned a copy
        for spell in (lambda out: out, lambda out: (out,)):
            out = me.zeros(got.shape)
            with me.BudgetContext(1000) as budget:
                if positional:
                    result = op(a, b, spell(out))
                else:
                    result = op(a, b, out=spell(out))
            assert result is out and budget.flops_used == 120
        np.testing.assert_array_equal(np.asarray(out), np.asarray(got))
    with me.BudgetContext(1000) as budget, pytest.raises(TypeError):
        op(a, b, dtype=np.int8, casting="no")  # NumPy refuses: refunded
    assert budget.flops_used == 0 and budget.op_log == []


# -- random: RandomState, SeedSequence, bit generators ----------------------------------------------
def test_random_state_normal_is_charged_its_size_and_draws_numpys_values():
    with me.BudgetContext(100) as budget:
        draws = me.random.RandomState(0).normal(size=10)
    assert budget.flops_used == 10
    assert budget.op_log[-1].op_name == "random.RandomState.normal"
    assert isinstance(draws, me.ndarray)
    np.testing.assert_array_equal(draws, np.random.RandomState(0).normal(size=10))


def test_random_state_methods_follow_the_legacy_rules():
    state = me.random.RandomState(3)
    numpy_state = np.random.RandomState(3)
    _, used, _ = charged(lambda: state.randn(4, 5))
    assert used == 20
    _, used, _ = charged(lambda: state.permutation(16))
    assert used == me.flops.permutation_cost(16) == 64
    x = me.arange(8.0)
    _, used, _ = charged(lambda: state.shuffle(x))
    assert used == me.flops.shuffle_cost(8)
    want = (numpy_state.randn(4, 5), numpy_state.permutation(16))
    y = np.arange(8.0)
    numpy_state.shuffle(y)
    np.testing.assert_array_equal(x, y)
    assert want[0].shape == (4, 5)
    with me.BudgetContext(1) as budget:
        state.seed(1)
        state.set_state(state.get_state())
    assert budget.flops_used == 0
    with me.BudgetContext(100) as budget, pytest.raises(ValueError):
        state.normal(0.0, -1.0, size=3)  # NumPy refuses the scale: nothing stays charged
    assert budget.flops_used == 0


def test_seed_sequence_and_bit_generators_are_numpys_and_free():
    for name in ("SeedSequence", "BitGenerator", "MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"):
        assert getattr(me.random, name) is getattr(np.random, name)
    rng = me.random.default_rng(me.random.PCG64(me.random.SeedSequence(5)))
    np.testing.assert_array_equal(rng.standard_normal(3), np.random.default_rng(5).standard_normal(3))


# -- cost aliases, einsum_path, tensordot --------------------------------------------------------
def test_linalg_and_fft_cost_aliases_are_the_flops_functions():
    assert me.linalg.solve_cost is me.flops.solve_cost and me.linalg.solve_cost(10) == 866
    assert me.linalg.svd_cost is me.flops.svd_cost
    assert me.fft.fft_cost is me.flops.fft_cost and me.fft.fft_cost(1024) == 51200
    assert me.fft.rfftn_cost is me.flops.rfftn_cost


def test_einsum_path_formats():
    a, b = me.ones((3, 4)), me.ones((4, 5))
    numpy_path, text = np.einsum_path("ij,jk->ik", a, b)
    assert numpy_path[0] == "einsum_path" and "Complete contraction" in text
    path, info = me.einsum_path("ij,jk->ik", a, b)
    assert isinstance(info, me.PathInfo) and info.optimized_cost == 120


def test_tensordot_takes_numpy_array_axes():
    a, b = me.ones((3, 4, 5)), me.ones((4, 5, 2))
    for axes in (np.array([[1, 2], [0, 1]]), np.array([[1], [0]])):
        plain_b = np.ones((4, 5, 2)) if axes.shape[1] == 2 else np.ones((4, 2))
        operand = b if axes.shape[1] == 2 else me.ones((4, 2))
        got, used, _ = charged(lambda: me.tensordot(a, operand, axes=axes))  # noqa: B023
        want = np.tensordot(np.ones((3, 4, 5)), plain_b, axes=axes)
        np.testing.assert_array_equal(got, want)
        assert used == me.flops.tensordot_cost(a.shape, operand.shape, axes) == 2 * want.size * math.prod(
            a.shape[i] for i in axes[0]
        )
