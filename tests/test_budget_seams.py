"""Budget seams (library.md §2, §3): contexts exited out of order, which budget an overrun
names, overflowing multipliers, counted ops in signal handlers, the printed session
summary, and ``budget_reset`` inside nested contexts."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
import warnings

import pytest

import mechestim as me
from mechestim._core import budget as _budget
from mechestim.errors import BudgetExhaustedError, MechEstimWarning


# -- contexts exited out of order ---------------------------------------------------------
def _generator_with_its_own_budget():
    with me.BudgetContext(1000, namespace="gen") as budget:
        me.exp(me.ones(10))
        yield budget
        me.exp(me.ones(10))
        yield budget


def test_a_generator_left_suspended_does_not_poison_later_ops():
    x = me.ones(10)
    with pytest.warns(MechEstimWarning, match=r"namespace='caller'.*namespace='gen'"):
        with me.BudgetContext(10**6, namespace="caller") as caller:
            generator = _generator_with_its_own_budget()
            gen_budget = next(generator)
            me.exp(x)  # 'gen' is on top here: charged to both (as contexts nest)
    # The stack is exactly what it was before 'caller' was entered: nothing active.
    assert _budget.current_stack() is None
    for _ in range(200):  # 'gen' has room for 100 exps: it would refuse if still charged
        me.exp(x)
    assert gen_budget.flops_used == 20 and caller.flops_used == 20
    by_namespace = me.budget_summary_dict(by_namespace=True)["by_namespace"]
    assert by_namespace[None]["flops_used"] == 2000
    assert by_namespace["caller/gen"]["flops_used"] == 20
    # Resumed later, the generator's ops charge what is active now; its own late exit
    # (at close) changes nothing and raises nothing.
    with me.BudgetContext(10**6, namespace="later") as later:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            next(generator)
            generator.close()
        assert _budget.current_stack().context is later
        me.exp(x)
    assert later.flops_used == 20 and gen_budget.flops_used == 20
    assert _budget.current_stack() is None


def test_a_generator_collected_later_exits_silently():
    with pytest.warns(MechEstimWarning):
        with me.BudgetContext(10**6, namespace="caller"):
            generator = _generator_with_its_own_budget()
            next(generator)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del generator  # closed by the garbage collector: GeneratorExit runs its __exit__
    me.exp(me.ones(3))
    assert me.budget_summary_dict(by_namespace=True)["by_namespace"][None]["flops_used"] == 3


def test_a_context_closed_by_hand_out_of_order_restores_the_stack_below_it():
    outer = me.BudgetContext(10**6, namespace="outer")
    a = me.BudgetContext(500, namespace="a")
    b = me.BudgetContext(500, namespace="b")
    with outer:
        below = _budget.current_stack()
        a.__enter__()
        b.__enter__()
        with pytest.warns(MechEstimWarning) as caught:
            a.__exit__(None, None, None)
        assert len(caught) == 1 and "namespace='a'" in str(caught[0].message)
        assert caught[0].filename == __file__  # the line that exited
        assert _budget.current_stack() is below
        me.exp(me.ones(7))
        b.__exit__(None, None, None)  # closed with 'a': nothing happens, no error
        assert _budget.current_stack() is below
    assert outer.flops_used == 7 and a.flops_used == 0 and b.flops_used == 0
    assert _budget.current_stack() is None


def test_exiting_a_context_that_is_not_active_is_an_error_naming_it():
    budget = me.BudgetContext(10, namespace="never")
    with pytest.raises(RuntimeError, match=r"namespace='never'.*not an active budget"):
        budget.__exit__(None, None, None)


def test_the_metering_api_restores_the_stack_and_late_exits_stay_silent():
    generator = None
    with me.metering.charging(me.BudgetContext(10**6, namespace="test")):
        generator = _generator_with_its_own_budget()
        next(generator)  # left open when the block ends
    assert _budget.current_stack() is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generator.close()
    assert _budget.current_stack() is None


# -- an overrun names the budget that ran out ---------------------------------------------
def test_an_overrun_names_the_outer_budget_that_ran_out():
    with me.BudgetContext(100, namespace="outer") as outer:
        with me.BudgetContext(10**6, namespace="inner") as inner:
            with pytest.raises(BudgetExhaustedError) as caught:
                me.exp(me.ones(200))
    error = caught.value
    assert (error.op_name, error.flop_cost, error.flops_remaining) == ("exp", 200, 100)
    assert (error.namespace, error.flop_budget) == ("outer", 100)
    assert "budget 100, namespace 'outer')" in str(error)
    assert outer.overrun is error and inner.overrun is None
    assert outer.flops_used == 0 and inner.flops_used == 0


def test_an_overrun_names_each_budget_with_its_own_path_and_scaled_cost():
    with me.BudgetContext(10**6, namespace="a"):
        with me.BudgetContext(300, namespace="b", flop_multiplier=2.0):
            with me.BudgetContext(10**6, namespace="c") as c:
                with pytest.raises(BudgetExhaustedError) as caught:
                    me.exp(me.ones(200))
                me.exp(me.ones(100))  # refused by nothing: 200 of b's 300
    error = caught.value
    assert (error.namespace, error.flop_budget) == ("a/b", 300)
    assert (error.flop_cost, error.flops_remaining) == (400, 300)
    assert c.flops_used == 100


def test_a_re_entered_context_is_named_by_its_first_path():
    outer = me.BudgetContext(50, namespace="x")
    with outer:
        with me.BudgetContext(10**6, namespace="y"):
            with outer:  # re-entered (as a decorated recursive function does)
                with pytest.raises(BudgetExhaustedError) as caught:
                    me.exp(me.ones(60))
    assert caught.value.namespace == "x"


def test_an_unnamed_budget_is_named_by_the_path_it_runs_under():
    with me.BudgetContext(10**6, namespace="model"):
        with me.BudgetContext(10):
            with me.BudgetContext(10**6, namespace="step"):
                with pytest.raises(BudgetExhaustedError) as caught:
                    me.exp(me.ones(20))
    assert (caught.value.namespace, caught.value.flop_budget) == ("model", 10)


# -- a cost past float's range ------------------------------------------------------------
@pytest.mark.parametrize("multiplier", [1e308, 1.7e308, 1e300])
def test_a_huge_multiplier_is_an_overrun_not_an_overflow(multiplier):
    with me.BudgetContext(10**6, namespace="big", flop_multiplier=multiplier) as budget:
        with pytest.raises(BudgetExhaustedError) as caught:
            me.exp(me.ones(10**4))
    if math.isfinite(10**4 * multiplier):
        expected = int(10**4 * multiplier)  # the usual int(cost * flop_multiplier)
    else:  # past float's range: the exact product
        numerator, denominator = float(multiplier).as_integer_ratio()
        expected = 10**4 * numerator // denominator
    assert caught.value.flop_cost == expected
    assert caught.value.namespace == "big" and budget.flops_used == 0
    assert budget.operations == {}


def test_a_huge_multiplier_on_an_outer_budget_refuses_before_anything_is_charged():
    with me.BudgetContext(10**6, namespace="outer", flop_multiplier=1e308) as outer:
        with me.BudgetContext(10**6) as inner:
            with pytest.raises(BudgetExhaustedError) as caught:
                me.add(me.ones(1000), 1)
    assert caught.value.namespace == "outer"
    assert outer.flops_used == 0 and inner.flops_used == 0 and inner.op_log == []


# -- counted ops in signal handlers ---------------------------------------------------------
_SIGNAL_SCRIPT = textwrap.dedent(
    """
    import signal, sys
    import mechestim as me
    from mechestim._core import budget as _budget

    small = me.ones(3)
    handled = [0]
    inside = [0]  # signals that arrived while this thread held the budget lock

    def handler(signum, frame):
        inside[0] += _budget._LOCK._is_owned()
        me.add(small, 1)  # 3 FLOPs, whatever the main loop is doing
        handled[0] += 1

    signal.signal(signal.SIGALRM, handler)
    mode = sys.argv[1]
    N = 30000
    outer = me.BudgetContext(10**12, namespace="outer")
    inner = me.BudgetContext(10**12, namespace="inner", flop_multiplier=1.0 if mode != "scaled" else 2.0)
    with outer:
        if mode == "single":
            stack = [outer]
        else:
            inner.__enter__()
            stack = [inner, outer]
        signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)
        rounds = 0
        try:
            # On a loaded machine a round may see no signal land inside the lock: go on
            # (a bounded number of rounds) until one has, so the case is really exercised.
            while rounds == 0 or (inside[0] == 0 and rounds < 20):
                for _ in range(N):
                    _budget.charge("multiply", 5, ((5,),))
                rounds += 1
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
        if mode != "single":
            inner.__exit__(None, None, None)
    h = handled[0]
    N = N * rounds  # charges made by the main loop
    assert inside[0] > 0, ("no signal arrived inside the lock", h, rounds)
    scale = 2 if mode == "scaled" else 1
    for budget in stack:
        factor = scale if budget is inner else 1
        assert budget.flops_used == factor * (5 * N + 3 * h), (budget.flops_used, N, h)
        assert budget.operations == {
            "multiply": {"flop_cost": factor * 5 * N, "calls": N},
            "add": {"flop_cost": factor * 3 * h, "calls": h},
        }
        assert len(budget.op_log) == min(N + h, 10_000)
    session = me.budget_summary_dict()
    assert session["operations"]["add"]["calls"] == h
    assert session["operations"]["multiply"]["calls"] == N
    print("ok", h)
    """
)


@pytest.mark.parametrize("mode", ["single", "nested", "scaled"])
def test_a_counted_op_in_a_signal_handler_never_deadlocks(mode, tmp_path):
    if not hasattr(__import__("signal"), "setitimer"):
        pytest.skip("signal.setitimer is POSIX-only")
    script = tmp_path / "signals.py"
    script.write_text(_SIGNAL_SCRIPT)
    try:
        done = subprocess.run(
            [sys.executable, str(script), mode], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a counted op in a signal handler deadlocked on the budget lock")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")


# -- the printed session summary ------------------------------------------------------------
def test_the_summary_never_adds_an_explicit_budget_to_the_global_default(capsys):
    me.exp(me.ones(20))  # outside any context: the global default
    with me.BudgetContext(1000):
        me.exp(me.ones(100))
    with me.BudgetContext(10_000, namespace="fwd"):
        me.exp(me.ones(250))
    me.budget_summary()
    out = capsys.readouterr().out
    assert "1,000,000,000,001,000" not in out and "1,000,000,000,011,000" not in out
    assert "namespace (no namespace): used 100 of 1,000 (10.0%)" in out
    assert "namespace fwd: used 250 of 10,000 (2.5%)" in out
    assert "outside any BudgetContext (global default): used 20 of 1,000,000,000,000,000" in out
    assert (
        "total: 350 FLOPs used of 11,000 (3.2%) in BudgetContexts, plus 20 outside any"
        " (global default)" in out
    )
    # The data keep the session's sums and name the default's own share.
    data = me.budget_summary_dict(by_namespace=True)
    assert data["flop_budget"] == 11_000 + 10**15
    assert data["global_default"] == {
        "flop_budget": 10**15,
        "flops_used": 20,
        "operations": {"exp": {"flop_cost": 20, "calls": 1}},
    }


def test_the_summary_with_only_the_global_default_or_only_explicit_budgets(capsys):
    me.add(me.ones(8), 1)
    me.budget_summary()
    out = capsys.readouterr().out
    assert "(no namespace)" not in out
    assert "total: 8 FLOPs used, all outside any BudgetContext" in out
    me.budget_reset()
    with me.BudgetContext(80):
        me.add(me.ones(8), 1)
    me.budget_summary()
    out = capsys.readouterr().out
    assert "global default" not in out
    assert "total: 8 FLOPs used of 80 (10.0%)" in out
    assert "global_default" not in me.budget_summary_dict(by_namespace=True)


# -- budget_reset inside nested contexts ----------------------------------------------------
def test_budget_reset_inside_nested_contexts_counts_every_open_budget_again():
    with me.BudgetContext(10**6, namespace="outer") as outer:
        with me.BudgetContext(1000, namespace="inner"):
            me.exp(me.ones(10))
            me.budget_reset()
            me.exp(me.ones(10))
        data = me.budget_summary_dict(by_namespace=True)
        assert data["flop_budget"] == 10**6
        assert data["by_namespace"]["outer"]["flop_budget"] == 10**6
        assert data["by_namespace"]["outer/inner"]["flop_budget"] == 1000
        assert data["flops_used"] == 10 and data["flops_remaining"] == 10**6 - 10
    assert outer.flops_used == 20


def test_a_middle_budget_refusing_leaves_every_budget_as_it_was():
    with me.BudgetContext(10**6, namespace="a") as a:
        with me.BudgetContext(300, namespace="b") as b:
            with me.BudgetContext(10**6, namespace="c") as c:
                me.exp(me.ones(100))
                with pytest.raises(BudgetExhaustedError) as caught:
                    me.exp(me.ones(250))
    assert (caught.value.namespace, caught.value.flops_remaining) == ("a/b", 200)
    assert a.flops_used == b.flops_used == c.flops_used == 100
    assert [len(x.op_log) for x in (a, b, c)] == [1, 1, 1]
