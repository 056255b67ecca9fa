"""One warning per non-finite event for NumPy's nan-reductions.

NumPy's ``nanmean`` and its kin warn themselves of an all-NaN or empty slice ("Mean of
empty slice", "All-NaN slice encountered", "Degrees of freedom <= 0 for slice."); that
warning is the report, and mechestim adds its ``MechEstimWarning`` only for a NaN (or
Inf) NumPy did not warn about.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import mechestim as me
from mechestim.errors import MechEstimWarning

NAN = np.nan
INF = np.inf

# One all-NaN row and one finite row.
_ALL_NAN_ROW = np.array([[NAN, NAN], [1.0, NAN]])
# One row whose NaN NumPy does not warn about: inf - inf (in a mean, a variance's
# deviations, a median's or quantile's interpolation).
_INF_ROW = np.array([[-INF, INF], [1.0, 2.0]])
_VAR_INF_ROW = np.array([[INF, 1.0], [1.0, 2.0]])
# Both at once.
_MIXED = np.array([[NAN, NAN], [-INF, INF]])
_VAR_MIXED = np.array([[NAN, NAN], [INF, 1.0]])
_WHERE_A, _WHERE = np.array([[1.0, 2.0], [NAN, 3.0]]), np.array([[True, True], [True, False]])

NAN_OPS = {
    # op: (call on module m and array x, NumPy places its warning at the caller's line)
    "nanmean": (lambda m, x: m.nanmean(x, axis=1), True),
    "nanvar": (lambda m, x: m.nanvar(x, axis=1), True),
    "nanstd": (lambda m, x: m.nanstd(x, axis=1), False),  # NumPy: inside nanstd
    "nanmedian": (lambda m, x: m.nanmedian(x, axis=1), True),
    "nanpercentile": (lambda m, x: m.nanpercentile(x, 50, axis=1), False),
    "nanquantile": (lambda m, x: m.nanquantile(x, [0.25, 0.5], axis=1), False),
    "nanmin": (lambda m, x: m.nanmin(x, axis=1), True),
    "nanmax": (lambda m, x: m.nanmax(x, axis=1), True),
}


def _record(call, *args):
    with warnings.catch_warnings(record=True) as got, me.BudgetContext(10**6):
        warnings.simplefilter("always")
        call(*args)
    return got


def _summary(got) -> list[tuple]:
    return [(w.category, str(w.message)) for w in got]


@pytest.mark.parametrize("name", NAN_OPS)
def test_an_all_nan_slice_gives_numpys_warning_only(name):
    call, numpy_names_caller = NAN_OPS[name]
    expected = _record(call, np, _ALL_NAN_ROW)
    assert len(expected) == 1 and expected[0].category is RuntimeWarning
    got = _record(call, me, me.asarray(_ALL_NAN_ROW))
    assert _summary(got) == _summary(expected)
    if numpy_names_caller or name == "nanstd":  # nanstd: mechestim names the caller too
        assert got[0].filename == __file__, (got[0].filename, got[0].lineno)
    else:  # NumPy places this one inside itself, as it does when called directly
        assert got[0].filename == expected[0].filename


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.nanmean(np.array([NAN, NAN])),  # axis=None: a scalar result
        lambda m: m.nanmean(np.full((2, 3, 2), NAN), axis=(0, 2)),
        lambda m: m.nanmean(_ALL_NAN_ROW, axis=1, keepdims=True),
        lambda m: m.nanmean(_WHERE_A, axis=1, where=_WHERE),  # 3.0 is left out
        lambda m: m.nanmean(_ALL_NAN_ROW, axis=1, out=np.zeros(2)),
        lambda m: m.nanvar(np.array([[1.0, NAN], [1.0, 2.0]]), axis=1, ddof=1),
        lambda m: m.nanvar(np.array([[1.0, NAN], [1.0, 2.0]]), axis=1, correction=1),
        lambda m: m.nanstd(np.array([[1.0, NAN], [1.0, 2.0]]), axis=1, ddof=1, keepdims=True),
        lambda m: m.nanstd(np.array([NAN, NAN])),
        lambda m: m.nanmedian(np.array([NAN, NAN])),
        lambda m: m.nanmedian(np.full((3, 2, 2), NAN), axis=(1, 2)),
        lambda m: m.nanpercentile(_ALL_NAN_ROW, [10, 50, 90], axis=1, keepdims=True),
        lambda m: m.nanquantile(np.array([NAN, NAN]), 0.5),
        lambda m: m.nanmin(np.array([NAN, NAN])),
        lambda m: m.nanmax(_ALL_NAN_ROW, axis=1, out=np.zeros(2)),
    ],
    ids=[
        "nanmean-none",
        "nanmean-axes",
        "nanmean-keepdims",
        "nanmean-where",
        "nanmean-out",
        "nanvar-ddof",
        "nanvar-correction",
        "nanstd-keepdims",
        "nanstd-none",
        "nanmedian-none",
        "nanmedian-axes",
        "nanpercentile-keepdims",
        "nanquantile-none",
        "nanmin-none",
        "nanmax-out",
    ],
)
def test_every_numpy_warned_slice_shape_gives_one_warning(call):
    expected = _record(call, np)
    assert expected  # NumPy warns of this slice itself
    got = _record(call, me)
    assert _summary(got) == _summary(expected)
    assert not [w for w in got if w.category is MechEstimWarning]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.nanmean(_INF_ROW, axis=1),
        lambda m: m.nanmean(np.array([INF, -INF])),
        lambda m: m.nanvar(_VAR_INF_ROW, axis=1),
        lambda m: m.nanstd(_VAR_INF_ROW, axis=1),
        lambda m: m.nanmedian(_INF_ROW, axis=1),
        lambda m: m.nanpercentile(_INF_ROW, 50, axis=1),
        lambda m: m.nanquantile(_INF_ROW, 0.5, axis=1),
        lambda m: m.nanmean(np.array([[INF, 1.0], [1.0, 2.0]]), axis=1),  # an Inf, no NaN
    ],
    ids=[
        "nanmean",
        "nanmean-none",
        "nanvar",
        "nanstd",
        "nanmedian",
        "nanpercentile",
        "nanquantile",
        "nanmean-inf",
    ],
)
def test_a_nan_numpy_does_not_warn_about_gives_mechestims_warning(call):
    numpy_warned = [w for w in _record(call, np) if "slice" in str(w.message)]
    assert not numpy_warned
    got = _record(call, me)
    ours = [w for w in got if w.category is MechEstimWarning]
    assert len(ours) == 1 and ours[0].filename == __file__
    assert not [w for w in got if "slice" in str(w.message)]


# One all-NaN slice (NumPy warns) beside one inf - inf slice (it does not), per op.
MIXED_CALLS = [
    lambda m: m.nanmean(_MIXED, axis=1),
    lambda m: m.nanvar(_VAR_MIXED, axis=1),
    lambda m: m.nanstd(_VAR_MIXED, axis=1),
    lambda m: m.nanmedian(_MIXED, axis=1),
    lambda m: m.nanpercentile(_MIXED, 50, axis=1),
    lambda m: m.nanquantile(_MIXED, [0.5], axis=1),
]
MIXED_IDS = ["nanmean", "nanvar", "nanstd", "nanmedian", "nanpercentile", "nanquantile"]


@pytest.mark.parametrize("call", MIXED_CALLS, ids=MIXED_IDS)
def test_an_all_nan_slice_beside_an_inf_minus_inf_gives_both_warnings(call):
    got = _record(call, me)
    numpy_slice = [w for w in got if w.category is RuntimeWarning and "slice" in str(w.message)]
    ours = [w for w in got if w.category is MechEstimWarning]
    assert len(numpy_slice) == 1 and len(ours) == 1, _summary(got)
    assert "2 NaN" in str(ours[0].message)


@pytest.mark.parametrize("name", NAN_OPS)
def test_errstate_invalid_ignore_leaves_numpys_slice_warning_and_silences_ours(name):
    call, _ = NAN_OPS[name]
    with np.errstate(invalid="ignore"):
        expected = _record(call, np, _ALL_NAN_ROW)
        got = _record(call, me, me.asarray(_ALL_NAN_ROW))
        unexplained = _record(me.nanmean, np.array([INF, -INF]))
    assert _summary(got) == _summary(expected) and len(got) == 1
    assert unexplained == []  # invalid ignored: our warning for an inf - inf NaN too


@pytest.mark.parametrize("name", NAN_OPS)
def test_an_ignore_filter_silences_every_warning(name):
    call, _ = NAN_OPS[name]
    with warnings.catch_warnings(record=True) as got, me.BudgetContext(10**6):
        warnings.simplefilter("ignore")
        call(me, me.asarray(_ALL_NAN_ROW))
        call(me, me.asarray(_MIXED))
    assert got == []


def test_a_finite_result_asks_nothing_about_slices(monkeypatch):
    """The slice check runs only for a result holding NaN: a finite call never binds
    NumPy's arguments or looks at the input again."""
    from mechestim._core import pipeline

    asked = []
    real = pipeline.NUMPY_WARNED["nanmean"]
    monkeypatch.setitem(
        pipeline.NUMPY_WARNED, "nanmean", lambda *call: asked.append(1) or real(*call)
    )
    with me.BudgetContext(10**6):
        me.nanmean(np.array([[1.0, NAN], [2.0, 3.0]]), axis=1)
        assert asked == []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            me.nanmean(_ALL_NAN_ROW, axis=1)
    assert asked == [1]


@pytest.mark.parametrize("call", MIXED_CALLS, ids=MIXED_IDS)
def test_the_slices_decide_when_the_users_handler_takes_the_event(call):
    """With the user's own 'call' handler NumPy's inf - inf event goes to that handler,
    not to mechestim: only the NaN positions tell the all-NaN slice from the other."""
    events = []
    with np.errstate(invalid="call", call=lambda kind, flag: events.append(kind)):
        got = _record(call, me)
    assert events  # NumPy reported inf - inf to the user's handler
    ours = [w for w in got if w.category is MechEstimWarning]
    assert len(ours) == 1 and ours[0].filename == __file__, _summary(got)
    assert [w for w in got if "slice" in str(w.message)]  # and NumPy's own warning


_STD_INPUT = np.array([[NAN, NAN, NAN], [1.0, NAN, 4.0], [2.0, 3.0, 7.5]])


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"axis": 1},
        {"axis": 0, "ddof": 1},
        {"axis": 1, "keepdims": True},
        {"axis": (0, 1)},
        {"axis": 1, "dtype": np.float32},
        {"axis": 1, "correction": 1},
        {"axis": 1, "where": _STD_INPUT > 1.5},
    ],
)
def test_nanstd_taken_step_by_step_is_numpys_nanstd(kwargs):
    """mechestim runs nanstd as nanvar then its square root (to name the user's line):
    the values, dtype and type are NumPy's."""
    with warnings.catch_warnings(), me.BudgetContext(10**6):
        warnings.simplefilter("ignore")
        expected = np.nanstd(_STD_INPUT, **kwargs)
        got = me.nanstd(_STD_INPUT, **kwargs)
        for data in (_STD_INPUT.astype(np.complex128), _STD_INPUT.astype(np.float32)):
            assert np.array_equal(
                np.nanstd(data, **kwargs), me.nanstd(data, **kwargs), equal_nan=True
            )
        out = np.zeros(3)
        assert me.nanstd(_STD_INPUT, axis=1, out=out) is out
        expected_out = np.nanstd(_STD_INPUT, axis=1)
    assert np.array_equal(np.asarray(got), expected, equal_nan=True)
    assert np.asarray(got).dtype == np.asarray(expected).dtype
    assert isinstance(got, np.ndarray) == isinstance(expected, np.ndarray)
    assert np.array_equal(out, expected_out, equal_nan=True)
