"""Budget stack repair when one BudgetContext object has several entries (review attacks;
each failed before its fix): an exit must close the entry it belongs to."""

from __future__ import annotations

import warnings

import pytest

import mechestim as me
from mechestim._core import budget as _budget
from mechestim.errors import MechEstimWarning


def _path():
    frame = _budget.current_stack()
    return frame.path if frame is not None else None


def test_a_stale_exit_does_not_close_the_same_context_entered_again():
    shared = me.BudgetContext(10**6, namespace="shared")

    def generator():
        with shared:
            yield

    with pytest.warns(MechEstimWarning):
        with me.BudgetContext(10**6, namespace="root"):
            suspended = generator()
            next(suspended)  # 'shared' entered inside 'root', left open when root exits
    assert _path() is None
    x = me.ones(10)
    with shared:  # entered again, afresh
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            suspended.close()  # the first entry's late exit: it must not close this one
        assert _path() == "shared"  # was None: ops below escaped 'shared'
        before = shared.flops_used
        me.exp(x)
        assert shared.flops_used == before + 10
    assert _path() is None


def test_a_caller_exiting_a_context_its_generator_re_entered_closes_both():
    shared = me.BudgetContext(10**6, namespace="shared")

    def generator():
        with shared:  # re-entered: same namespace, same budget
            yield

    with pytest.warns(MechEstimWarning, match="shared"):
        with shared:
            suspended = next(iter([generator()]))
            next(suspended)
    # was 'shared': the caller's exit popped the generator's entry and left its own open
    assert _path() is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        suspended.close()  # the generator's late exit changes nothing
    assert _path() is None


def test_exit_stack_entries_still_exit_in_order():
    from contextlib import ExitStack

    a = me.BudgetContext(10**6, namespace="a")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with ExitStack() as stack:
            stack.enter_context(a)
            stack.enter_context(a)
            assert _path() == "a"
        assert _path() is None
        stack = ExitStack()
        stack.enter_context(a)
        with a:
            assert _path() == "a"
        assert _path() == "a"
        stack.close()
    assert _path() is None
