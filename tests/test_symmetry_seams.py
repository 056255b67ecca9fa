"""Symmetry tags follow the data (library.md §7): writes NumPy makes without item
assignment drop the tag; copies, casts and transposes keep it."""

from __future__ import annotations

import copy as pycopy
import warnings

import numpy as np
import pytest

import mechestim as me
from mechestim.errors import SymmetryLossWarning

# Views such as s[:5] warn that indexing dropped their own symmetry: expected here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:indexing dropped:mechestim.errors.SymmetryLossWarning"
)


def _symmetric(n: int = 10, dtype=float) -> me.SymmetricTensor:
    return me.as_symmetric(np.ones((n, n), dtype=dtype), (0, 1))


def _exp_cost(x) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with me.BudgetContext(10**6) as budget:
            me.exp(x)
    return budget.flops_used


def _flat_item(s):
    s.flat[1] = 5


def _flat_slice(s):
    s.flat[10:20] = np.arange(10.0)


def _flat_whole(s):
    s.flat = np.arange(100.0)


def _real(s):
    s.real = np.arange(100.0).reshape(10, 10)


def _imag(s):
    s.imag = np.arange(100.0).reshape(10, 10)


@pytest.mark.parametrize(
    "write, dtype",
    [
        (_flat_item, float),
        (_flat_slice, float),
        (_flat_whole, float),
        (_real, float),
        (_real, complex),
        (_imag, complex),
    ],
    ids=["flat[1]=", "flat[10:20]=", "flat=", "real=", "real=(complex)", "imag=(complex)"],
)
def test_writes_numpy_makes_without_item_assignment_drop_the_tag(write, dtype):
    s = _symmetric(dtype=dtype)
    assert _exp_cost(s) == 55
    with pytest.warns(SymmetryLossWarning, match="assignment"):
        write(s)
    assert type(s) is me.ndarray
    assert _exp_cost(s) == 100


def test_writes_through_a_view_drop_the_tag_of_the_tensor_it_views():
    s = _symmetric()
    view = s[:5]  # a plain me.ndarray sharing s's memory
    with pytest.warns(SymmetryLossWarning):
        view.flat[1] = 7
    assert type(s) is me.ndarray and _exp_cost(s) == 100


def test_a_refused_write_keeps_the_tag():
    s = _symmetric()
    with pytest.raises(TypeError):
        s.imag = 1.0  # real data: NumPy refuses, nothing was written
    assert type(s) is me.SymmetricTensor and _exp_cost(s) == 55


def test_flat_still_behaves_as_numpys_flat_iterator():
    data = np.arange(12.0).reshape(3, 4)
    x = me.asarray(data.copy())
    it = x.flat
    assert len(it) == 12 and it[5] == 5.0 and list(it)[:3] == [0.0, 1.0, 2.0]
    assert it.base is x
    np.testing.assert_array_equal(np.asarray(it), data.ravel())
    np.testing.assert_array_equal(x.flat[[1, 3]], [1.0, 3.0])
    x.flat[0] = -1
    x.flat = 2.0
    np.testing.assert_array_equal(x, np.full((3, 4), 2.0))


def test_copies_and_casts_keep_the_tag():
    s = _symmetric()
    for copy in (
        s.copy(),
        s.copy(order="F"),
        np.copy(s),
        me.copy(s),
        pycopy.copy(s),
        pycopy.deepcopy(s),
    ):
        assert type(copy) is me.SymmetricTensor and copy.symmetric_axes == ((0, 1),)
        assert not np.shares_memory(copy, s) and _exp_cost(copy) == 55
    for cast in (s.astype(np.float32), np.astype(s, np.float32), s.astype(complex)):
        assert type(cast) is me.SymmetricTensor and _exp_cost(cast) == 55
    assert s.astype(float, copy=False) is s  # as NumPy: no copy needed, the array itself
    assert type(s.astype(np.float32, subok=False)) is np.ndarray
    # the copy is independent: writing it drops its tag, not the original's
    copy = s.copy()
    with pytest.warns(SymmetryLossWarning):
        copy[0, 1] = 3
    assert type(s) is me.SymmetricTensor and type(copy) is me.ndarray


def test_transposes_keep_the_tag_with_the_axes_permuted():
    s = _symmetric()
    assert type(s.T) is me.SymmetricTensor and s.T.symmetric_axes == ((0, 1),)
    assert np.shares_memory(s.T, s) and _exp_cost(s.T) == 55
    t = me.as_symmetric(np.ones((2, 3, 3)), (1, 2))
    assert t.T.symmetric_axes == ((0, 1),)
    assert t.transpose(1, 0, 2).symmetric_axes == ((0, 2),)
    assert t.transpose((1, 0, 2)).symmetric_axes == ((0, 2),)
    assert me.transpose(t, (2, 0, 1)).symmetric_axes == ((0, 2),)
    assert np.transpose(t).symmetric_axes == ((0, 1),)
    assert me.permute_dims(t, (1, 2, 0)).symmetric_axes == ((0, 1),)
    assert me.swapaxes(t, 0, 2).symmetric_axes == ((0, 1),)
    assert me.matrix_transpose(t).symmetric_axes == ((1, 2),)
    # a write through the transposed view still drops the original's tag
    view = s.T
    with pytest.warns(SymmetryLossWarning):
        view[0, 1] = 9
    assert type(s) is me.ndarray


def test_fill_diagonal_drops_the_tag_only_when_the_diagonal_is_not_the_tensors():
    s = _symmetric()
    me.fill_diagonal(s, 3.0)  # the tensor's own diagonal: still symmetric
    np.fill_diagonal(s[:, :], 4.0)  # the same elements, the same diagonal
    assert type(s) is me.SymmetricTensor and _exp_cost(s) == 55
    with pytest.warns(SymmetryLossWarning, match="fill_diagonal"):
        me.fill_diagonal(s[1:, :], 5.0)  # s[i + 1, i]: off s's diagonal
    assert type(s) is me.ndarray and _exp_cost(s) == 100


def test_the_warning_points_at_the_line_that_wrote():
    for write in (lambda s: s.__setitem__((0, 1), 5.0), _flat_item, _real):
        s = _symmetric()
        with pytest.warns(SymmetryLossWarning) as caught:
            write(s)
        assert caught[0].filename == __file__, caught[0].filename


@pytest.mark.parametrize(
    "fill",
    [
        lambda g, s: g.random(out=s),
        lambda g, s: g.standard_normal(out=s),
        lambda g, s: g.standard_exponential(out=s),
        lambda g, s: g.standard_gamma(2.0, out=s),
        lambda g, s: g.random(size=(10, 10), out=s),
    ],
    ids=["random", "standard_normal", "standard_exponential", "standard_gamma", "random-size"],
)
def test_numpy_generators_given_out_drop_the_tag(fill):
    s = _symmetric()
    with pytest.warns(SymmetryLossWarning, match="out="):
        result = fill(np.random.default_rng(0), s)
    assert result is s and type(s) is me.ndarray
    assert not me.is_symmetric(s, (0, 1))  # the data really changed
    assert _exp_cost(s) == 100


def test_reading_dtype_keeps_the_tag():
    s = _symmetric()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert s.dtype == np.float64 and getattr(s, "dtype") == np.float64  # noqa: B009 - the C-like read path
        assert hasattr(s, "dtype") and np.empty_like(s).dtype == np.float64
        assert me.asarray(s).dtype == np.float64 and np.result_type(s) == np.float64
    assert type(s) is me.SymmetricTensor and _exp_cost(s) == 55


def test_dtype_assignment_drops_the_tag():
    s = me.as_symmetric(np.ones((4, 4), dtype=np.int64), (0, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s.dtype = np.float64
    assert type(s) is me.ndarray
    assert any(w.category is SymmetryLossWarning and "dtype assignment" in str(w.message) for w in caught)
    # NumPy >= 2.5 deprecates the assignment: its warning points at this line, not mechestim's
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert all(w.filename == __file__ for w in deprecations), [(w.filename, w.lineno) for w in deprecations]


def test_a_numpy_generator_given_out_by_position_is_not_seen():
    # documented limit (SymmetricTensor docstring): only out= by keyword is recognised
    s = _symmetric()
    np.random.default_rng(0).standard_normal(None, np.float64, s)
    assert type(s) is me.SymmetricTensor


def test_shape_and_dtype_assignment_leave_other_warnings_shown_once():
    # The setters route NumPy's deprecation (NumPy >= 2.5) to the user's line. They did
    # it by catching warnings, which resets every module's once-per-line memory: the
    # user's own 'default' warning below then showed on every iteration.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        warnings.simplefilter("ignore", SymmetryLossWarning)
        for _ in range(3):
            warnings.warn("the user's own warning", UserWarning, stacklevel=1)
            s = me.as_symmetric(np.ones((4, 4)), (0, 1))
            s.shape = (4, 4)
            s.dtype = np.float64
    assert [str(w.message) for w in caught if w.category is UserWarning] == [
        "the user's own warning"
    ]


def test_dtype_assignment_a_users_filter_refuses_leaves_the_array_as_numpy_does():
    # NumPy >= 2.5 deprecates the assignment; under an 'error' filter NumPy raises before
    # assigning. The setter used to assign, then raise (the data reinterpreted, the
    # symmetry tag kept). Where NumPy does not deprecate it, both simply assign.
    outcomes = []
    for array in (np.ones((4, 4), np.int64), me.as_symmetric(np.ones((4, 4), np.int64), (0, 1))):
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            warnings.simplefilter("ignore", SymmetryLossWarning)
            try:
                array.dtype = np.float64
                raised = False
            except DeprecationWarning:
                raised = True
        outcomes.append((raised, array.dtype))
    assert outcomes[0] == outcomes[1]
