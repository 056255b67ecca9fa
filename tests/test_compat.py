"""Every NumPy mechestim claims (2.0 to the newest): names an older NumPy lacks say which
NumPy they need, and NumPy deprecations never come from mechestim's own lines.

``make compat`` runs the whole suite on the oldest and the newest NumPy; the tests here
check whichever NumPy is installed."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from helpers import numpy_has

import mechestim as me
from mechestim._core.compat import needs_numpy_message
from mechestim._core.registry import REGISTRY


def _deprecations(call) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if issubclass(w.category, DeprecationWarning)]


def test_names_newer_numpy_adds_say_which_numpy_they_need():
    assert needs_numpy_message("cumulative_sum") == (
        f"me.cumulative_sum needs NumPy >= 2.1 (this is NumPy {np.__version__})"
    )
    for name in ("cumulative_sum", "cumulative_prod", "unstack"):
        assert REGISTRY[name].since == "2.1"
        if numpy_has(name):
            continue
        # Refused where it is looked up, naming the NumPy it needs; nothing charged.
        with me.BudgetContext(100) as budget, pytest.raises(
            me.UnsupportedFunctionError, match=r"needs NumPy >= 2\.1 \(this is numpy"
        ):
            getattr(me, name)(me.ones(3))
        assert budget.flops_used == 0


def test_fix_equals_numpy_and_its_deprecation_points_at_the_caller():
    x = np.array([-2.5, -0.5, 0.0, 0.5, 2.5])
    ints = np.arange(-2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        wants = [np.fix(x), np.fix(ints), np.fix(-0.5)]
        numpy_deprecates_fix = bool(_deprecations(lambda: np.fix(x)))
    for value, want in zip((x, ints, -0.5), wants):
        got = me.fix(value)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_array_equal(got, want)
        assert np.signbit(got).tolist() == np.signbit(want).tolist()  # fix(-0.5) is -0.0
    out = np.empty(5)
    assert me.fix(x, out=out) is out and out.tolist() == np.trunc(x).tolist()
    for call in (lambda: me.fix(x), lambda: np.fix(me.asarray(x)), lambda: me.asarray(x).round()):
        found = _deprecations(call)
        # NumPy >= 2.5 deprecates fix: the user's line gets the warning, never mechestim's
        assert all(w.filename == __file__ for w in found), [(w.filename, w.lineno) for w in found]
    assert bool(_deprecations(lambda: me.fix(x))) == numpy_deprecates_fix


def test_setting_the_shape_of_a_symmetric_tensor_warns_at_the_callers_line():
    plain = np.eye(4)
    numpy_deprecates = bool(_deprecations(lambda: setattr(plain, "shape", (16,))))
    s = me.as_symmetric(me.eye(4), symmetric_axes=(0, 1))
    found = _deprecations(lambda: setattr(s, "shape", (16,)))
    assert s.shape == (16,)
    assert all(w.filename == __file__ for w in found), [(w.filename, w.lineno) for w in found]
    assert bool(found) == numpy_deprecates  # NumPy >= 2.5


def test_cross_of_2_vectors_follows_the_installed_numpy():
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            want = np.cross(a, b)
        except ValueError:
            want = None
    with me.BudgetContext(100) as budget:
        if want is None:  # NumPy >= 2.5: refused, nothing charged
            with pytest.raises(ValueError, match="3-dimensional vectors"):
                me.cross(a, b)
            assert budget.flops_used == 0
            return
        results = []
        found = _deprecations(lambda: results.append(me.cross(a, b)))
    assert all(w.filename == __file__ for w in found), [(w.filename, w.lineno) for w in found]
    assert found  # NumPy 2.0-2.4 deprecate 2-vectors: the caller is told
    np.testing.assert_array_equal(results[0], want)
    assert budget.flops_used == 3


@pytest.mark.parametrize("module", ["mechestim._core.pipeline", "mechestim", "pytest_mechestim.measure"])
def test_a_deprecation_from_mechestims_own_lines_fails_the_suite(module):
    # pyproject's filterwarnings turns it into an error, so the suite catches a mechestim
    # line calling a deprecated NumPy API on whichever NumPy it runs on.
    with pytest.raises(DeprecationWarning, match="probe"):
        warnings.warn_explicit("probe", DeprecationWarning, "x.py", 1, module=module)


def test_a_deprecation_from_a_users_line_stays_a_warning():
    with pytest.warns(DeprecationWarning, match="probe"):
        warnings.warn_explicit("probe", DeprecationWarning, "x.py", 1, module="user_code")


@pytest.mark.parametrize(
    "draw",
    [
        lambda: me.random.random_integers(1, 5, size=3),
        lambda: me.random.RandomState(0).random_integers(1, 5, size=3),
    ],
    ids=["me.random", "RandomState"],
)
def test_random_integers_keeps_numpys_deprecation_at_the_callers_line(draw):
    found = _deprecations(draw)
    assert found and all(w.filename == __file__ for w in found), [(w.filename, w.lineno) for w in found]


def test_two_threads_probing_numpys_deprecations_at_once_leave_the_warnings_state_as_found():
    # The probe catches warnings, which swaps process-wide state (the filters and the
    # function that shows a warning). Two threads inside at once used to restore in the
    # wrong order: the process kept an 'always' filter and every later warning went to a
    # dead thread's list. Thread A stays inside until B has entered (or 0.5 s passed).
    import threading

    from mechestim._core.compat import _numpy_deprecates

    a_inside, b_inside, a_done = threading.Event(), threading.Event(), threading.Event()
    filters, show = warnings.filters[:], warnings._showwarnmsg_impl

    def a() -> None:
        a_inside.set()
        b_inside.wait(0.5)

    def b() -> None:
        b_inside.set()
        a_done.wait(2)

    def run_a() -> None:
        _numpy_deprecates("a", a)
        a_done.set()

    first = threading.Thread(target=run_a)
    first.start()
    a_inside.wait(2)
    second = threading.Thread(target=_numpy_deprecates, args=("b", b))
    second.start()
    first.join()
    second.join()
    found = warnings.filters[:], warnings._showwarnmsg_impl
    warnings.filters[:], warnings._showwarnmsg_impl = filters, show  # for the next tests
    assert found[0] == filters
    assert found[1] is show


@pytest.mark.parametrize("own_generator", [False, True], ids=["me.random", "RandomState"])
def test_a_deprecation_the_users_filter_makes_an_error_stops_the_call_as_under_numpy(
    own_generator,
):
    # NumPy warns before it draws: under an 'error' filter nothing is drawn. mechestim ran
    # the draw while catching the warning, then raised: the generator had moved on.
    following = []
    for module in (np, me):
        module.random.seed(0)
        generator = module.random.RandomState(0) if own_generator else module.random
        with warnings.catch_warnings(), me.BudgetContext(10**6) as budget:
            warnings.simplefilter("error", DeprecationWarning)
            with pytest.raises(DeprecationWarning):
                generator.random_integers(1, 5, size=3)
        assert budget.flops_used == 0
        following.append(float(generator.rand()))
    assert following[0] == following[1]


def test_deprecated_calls_leave_other_warnings_shown_once():
    # Catching warnings to re-issue NumPy's deprecation resets every module's
    # once-per-line memory: the user's own 'default' warning showed on every iteration.
    with warnings.catch_warnings(record=True) as caught, me.BudgetContext(10**6):
        warnings.simplefilter("default")
        for _ in range(3):
            warnings.warn("the user's own warning", UserWarning, stacklevel=1)
            me.random.random_integers(1, 5, size=3)
            me.random.RandomState(0).random_integers(1, 5, size=3)
            try:
                me.cross(np.ones(2), np.ones(2))  # 2-vectors: deprecated in NumPy 2.0-2.4
            except ValueError:
                pass  # refused from NumPy 2.5 on
    own = [w for w in caught if w.category is UserWarning and "own" in str(w.message)]
    assert len(own) == 1
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) >= 2 and all(w.filename == __file__ for w in deprecations)
