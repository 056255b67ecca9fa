"""Budget core: validation, charging, nesting, namespaces, threads, memory, summaries."""

from __future__ import annotations

import asyncio
import math
import os
import resource
import subprocess
import sys
import threading

import numpy as np
import pytest

import mechestim as me
from mechestim._core import budget as _budget


# -- validation ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, exc",
    [
        (0, ValueError),
        (-1, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (True, TypeError),
        ("1e6", TypeError),
        (None, TypeError),
        (-0.5, ValueError),
    ],
)
def test_bad_budget_values_are_refused_naming_the_value(value, exc):
    with pytest.raises(exc) as info:
        me.BudgetContext(value)
    assert "flop_budget" in str(info.value)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize("value, stored", [(1e9, 10**9), (np.int64(7), 7), (1000, 1000), (12.9, 12)])
def test_good_budget_values(value, stored):
    assert me.BudgetContext(value).flop_budget == stored


@pytest.mark.parametrize("value", [0, -2.0, float("nan"), True, "2"])
def test_bad_flop_multiplier(value):
    with pytest.raises((ValueError, TypeError), match="flop_multiplier"):
        me.BudgetContext(100, flop_multiplier=value)


def test_bad_namespace():
    with pytest.raises(TypeError, match="namespace"):
        me.BudgetContext(100, namespace=3)


def _run_with_env(value: str, code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MECHESTIM_DEFAULT_BUDGET=value)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


@pytest.mark.parametrize("value", ["lots", "0", "-5", "nan"])
def test_bad_default_budget_env_var_names_the_variable(value):
    done = _run_with_env(value, "import mechestim as me; me.add(me.ones(3), 1)")
    assert done.returncode != 0
    assert "MECHESTIM_DEFAULT_BUDGET" in done.stderr
    assert "ValueError" in done.stderr


def test_default_budget_env_var_is_used():
    code = (
        "import mechestim as me\n"
        "me.add(me.ones(3), 1)\n"
        "try:\n"
        "    me.add(me.ones(10), 1)\n"
        "except me.BudgetExhaustedError as e:\n"
        "    print('refused', e.flops_remaining, e.flop_budget)\n"
    )
    done = _run_with_env("1e1", code)
    assert done.stdout.split() == ["refused", "7", "10"], done.stderr


# -- charging --------------------------------------------------------------------------
def test_boundary_cost_equal_to_remaining_passes_one_more_fails():
    x = me.ones(10)
    with me.BudgetContext(20) as b:
        me.add(x, 1)
        me.add(x, 1)  # exactly the remaining 10
        assert b.flops_remaining == 0
        with pytest.raises(me.BudgetExhaustedError):
            me.negative(me.ones(1))
    assert b.flops_used == 20


def test_overrun_raises_before_running_and_records_nothing():
    x = me.ones(100)
    out = me.zeros(100)
    with me.BudgetContext(99) as b:
        with pytest.raises(me.BudgetExhaustedError) as info:
            me.exp(x, out=out)
    assert np.all(out.view(np.ndarray) == 0)  # out= untouched
    assert b.flops_used == 0 and b.op_log == [] and b.operations == {}
    err = info.value
    assert (err.op_name, err.flop_cost, err.flops_remaining, err.flop_budget) == ("exp", 100, 99, 99)
    assert str(err).startswith("exp would cost 100 FLOPs but only 99 remain")
    assert me.budget_summary_dict()["flops_used"] == 0


def test_overrun_of_binary_operator_leaves_inplace_target_untouched():
    a = me.arange(5.0)
    with me.BudgetContext(4):
        with pytest.raises(me.BudgetExhaustedError):
            a += 1
    assert a.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_exceeded_is_remembered_after_a_caught_overrun():
    with me.BudgetContext(5) as b:
        try:
            me.exp(me.ones(10))
        except me.BudgetExhaustedError:
            pass
    assert b.exceeded and b.overrun.flop_cost == 10


def test_message_names_namespace_and_budget():
    with me.BudgetContext(1_000_000, namespace="model"):
        with pytest.raises(me.BudgetExhaustedError) as info:
            me.multiply(me.ones((2000, 1000)), 2)
    text = str(info.value)
    assert "multiply would cost 2,000,000 FLOPs but only 1,000,000 remain" in text
    assert "'model'" in text and "1,000,000" in text
    assert info.value.namespace == "model"


def test_flop_multiplier_scales_costs():
    with me.BudgetContext(1000, flop_multiplier=2.5) as b:
        me.add(me.ones(3), 1)
    assert b.flops_used == 7  # int(3 * 2.5)


def test_op_log_records():
    with me.BudgetContext(1000, namespace="ns") as b:
        me.add(me.ones((2, 3)), 1)
        me.sum(me.ones(4))
    log = b.op_log
    assert [r.op_name for r in log] == ["add", "sum"]
    assert log[0] == me.OpRecord("add", None, ((2, 3), ()), 6, 6, "ns")
    assert log[1].cumulative == 10 and log[1].shapes == ((4,),)


# -- nesting ---------------------------------------------------------------------------
def test_nested_budgets_charge_both_and_session_counts_once():
    with me.BudgetContext(1000, namespace="outer") as outer:
        me.add(me.ones(10), 1)
        with me.BudgetContext(100, namespace="inner") as inner:
            me.add(me.ones(50), 1)
            with pytest.raises(me.BudgetExhaustedError) as info:
                me.add(me.ones(60), 1)  # inner has 50 left
            assert info.value.namespace == "outer/inner"
            assert info.value.flop_budget == 100
    assert inner.flops_used == 50
    assert outer.flops_used == 60
    summary = me.budget_summary_dict(by_namespace=True)
    assert summary["flops_used"] == 60
    assert summary["flop_budget"] == 1000  # only the outermost budget counts toward the total
    assert summary["by_namespace"]["outer"]["flops_used"] == 10
    assert summary["by_namespace"]["outer/inner"]["flops_used"] == 50
    assert summary["by_namespace"]["outer/inner"]["flop_budget"] == 100


def test_outer_budget_refuses_even_when_inner_has_room():
    with me.BudgetContext(30) as outer:
        with me.BudgetContext(1000) as inner:
            with pytest.raises(me.BudgetExhaustedError) as info:
                me.add(me.ones(40), 1)
    assert info.value.flop_budget == 30
    assert inner.flops_used == outer.flops_used == 0


def test_unnamed_contexts_add_nothing_to_the_path():
    with me.BudgetContext(100, namespace="a"):
        with me.BudgetContext(100):
            with me.BudgetContext(100, namespace="b") as b:
                me.add(me.ones(2), 1)
    assert b.op_log[0].namespace == "a/b"


def test_context_reused_under_other_parents_counts_its_budget_under_each_path():
    inner = me.BudgetContext(100, namespace="inner")
    for parent in ("a", "b"):
        with me.BudgetContext(1000, namespace=parent), inner:
            me.add(me.ones(3), 1)
    with inner:  # now outermost: joins the top-level total once
        me.add(me.ones(3), 1)
    with inner:
        me.add(me.ones(3), 1)
    summary = me.budget_summary_dict(by_namespace=True)
    budgets = {path: entry["flop_budget"] for path, entry in summary["by_namespace"].items()}
    assert budgets == {"a": 1000, "a/inner": 100, "b": 1000, "b/inner": 100, "inner": 100}
    assert summary["flop_budget"] == 2100
    assert summary["flops_used"] == inner.flops_used == 12


def test_context_reentered_through_another_adds_no_budget_to_the_inner_path():
    # Recursion through another decorated context (solver -> step -> solver): the
    # re-entered solver runs in step's namespace but its budget is already counted.
    solver = me.BudgetContext(1000, namespace="solver")
    step = me.BudgetContext(100, namespace="step")
    with solver, step, solver:
        me.add(me.ones(3), 1)
    summary = me.budget_summary_dict(by_namespace=True)
    budgets = {path: entry["flop_budget"] for path, entry in summary["by_namespace"].items()}
    assert budgets == {"solver": 1000, "solver/step": 100}
    assert summary["flop_budget"] == 1000
    assert summary["by_namespace"]["solver/step"]["flops_used"] == 3


def test_decorator_reenters_and_accumulates_counted_once_in_session():
    ctx = me.BudgetContext(1000, namespace="dec")

    @ctx
    def step(n):
        me.add(me.ones(n), 1)
        if n > 1:
            step(n - 1)  # recursion re-enters the same context: charged once per op

    step(3)
    step(1)
    assert ctx.flops_used == 3 + 2 + 1 + 1
    summary = me.budget_summary_dict(by_namespace=True)
    assert summary["by_namespace"]["dec"] == {
        "flop_budget": 1000,
        "flops_used": 7,
        "operations": {"add": {"flop_cost": 7, "calls": 4}},
    }
    assert summary["flop_budget"] == 1000


def test_global_default_is_the_fallback_not_an_outer_budget():
    me.add(me.ones(5), 1)  # no context: global default
    with me.BudgetContext(10) as b:
        me.add(me.ones(10), 1)
    summary = me.budget_summary_dict(by_namespace=True)
    assert b.flops_used == 10
    assert _budget.global_default().flops_used == 5
    assert summary["flops_used"] == 15
    assert summary["by_namespace"][None]["flop_budget"] == 10 + 10**15


def test_budget_reset_clears_the_global_default():
    me.add(me.ones(5), 1)
    me.budget_reset()
    assert me.budget_summary_dict() == {
        "flop_budget": 0,
        "flops_used": 0,
        "flops_remaining": 0,
        "operations": {},
    }
    assert _budget.global_default().flops_used == 0


def test_exit_out_of_order_closes_what_was_left_open_above_it():
    # The rule and its other cases: tests/test_budget_seams.py.
    a, b = me.BudgetContext(10, namespace="a"), me.BudgetContext(10, namespace="b")
    a.__enter__()
    b.__enter__()
    with pytest.warns(me.errors.MechEstimWarning, match="namespace='b'"):
        a.__exit__(None, None, None)
    assert _budget.current_stack() is None
    b.__exit__(None, None, None)  # closed already: its own late exit changes nothing
    with pytest.raises(RuntimeError, match="out of order"):
        a.__exit__(None, None, None)  # not active any more


# -- concurrency and memory -------------------------------------------------------------
def test_threads_charging_one_budget_lose_nothing():
    x = me.ones(3)
    shared = me.BudgetContext(10**9)
    frame_holder = {}

    with shared:
        frame_holder["frame"] = _budget.current_stack()

    def work():
        with shared:
            for _ in range(5000):
                me.add(x, 1)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert shared.flops_used == 8 * 5000 * 3
    assert shared.operations["add"] == {"flop_cost": 120_000, "calls": 40_000}
    assert me.budget_summary_dict()["operations"]["add"]["calls"] == 40_000


def test_threads_and_tasks_see_their_own_active_budget():
    seen = {}
    with me.BudgetContext(100, namespace="main"):

        def worker():
            seen["thread"] = _budget.current_stack()

        t = threading.Thread(target=worker)
        t.start()
        t.join()

        async def task():
            with me.BudgetContext(50, namespace="task"):
                await asyncio.sleep(0)
                return _budget.current_stack().path

        seen["task"] = asyncio.run(task())
        seen["main"] = _budget.current_stack().path
    assert seen == {"thread": None, "task": "main/task", "main": "main"}


def test_op_log_is_bounded_and_totals_exact():
    x = me.ones(1)
    with me.BudgetContext(10**9, op_log_limit=100) as b:
        for _ in range(1000):
            me.add(x, 1)
    assert len(b.op_log) == 100
    assert b.op_log[-1].cumulative == 1000
    assert b.operations["add"]["calls"] == 1000


def test_a_million_calls_keep_memory_flat():
    # Peak RSS, not tracemalloc: tracing every allocation would make this 10x slower.
    # An unbounded log of a million records would add well over 100 MB.
    x = me.ones(1)
    add = me.add
    with me.BudgetContext(10**12) as b:
        for _ in range(20_000):  # warm up: fill the bounded log
            add(x, 1)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for _ in range(980_000):
            add(x, 1)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert b.flops_used == 1_000_000
    assert len(b.op_log) == _budget.DEFAULT_OP_LOG_LIMIT
    assert after - before < 20_000  # KiB


# -- summaries ----------------------------------------------------------------------------
def test_summary_text_lists_ops_by_cost():
    with me.BudgetContext(1000, namespace="fwd") as b:
        me.add(me.ones(10), 1)
        me.exp(me.ones(100))
    text = b.summary()
    assert "fwd" in text and "1,000" in text and "110 (11.0%)" in text and "890 (89.0%)" in text
    assert text.index("exp") < text.index("add")


def test_budget_summary_prints_every_namespace(capsys):
    with me.BudgetContext(500, namespace="forward"):
        me.add(me.ones(256), 1)
    with me.BudgetContext(500, namespace="backward"):
        me.sum(me.ones(100))
    me.budget_summary()
    out = capsys.readouterr().out
    assert "forward" in out and "backward" in out and "256" in out


def test_quiet_false_prints_one_line_to_stderr(capsys):
    with me.BudgetContext(1e6, quiet=False):
        pass
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and me.__version__ in err and "1,000,000" in err


def test_budget_live_prints_summary_on_exit(capsys):
    with me.budget_live():
        with me.BudgetContext(100, namespace="live"):
            me.add(me.ones(3), 1)
    assert "live" in capsys.readouterr().out


def test_budget_error_survives_pickling():
    import pickle

    err = me.BudgetExhaustedError("exp", 10, 3, namespace="a", flop_budget=5)
    back = pickle.loads(pickle.dumps(err))
    assert (back.op_name, back.flop_cost, back.flops_remaining, back.namespace) == ("exp", 10, 3, "a")
    assert str(back) == str(err)


def test_budget_alias_and_math():
    assert me.budget is me.BudgetContext
    assert math.isclose(me.BudgetContext(10, flop_multiplier=1.5).flop_multiplier, 1.5)


def test_namespace_with_a_slash_is_refused():
    with pytest.raises(ValueError, match="'a/b'"):
        me.BudgetContext(10, namespace="a/b")


def test_op_log_limit_accepts_numpy_integers_and_refuses_bad_values():
    assert me.BudgetContext(10, op_log_limit=np.int64(3))._log.maxlen == 3
    with pytest.raises(ValueError, match="-1"):
        me.BudgetContext(10, op_log_limit=-1)
    with pytest.raises(TypeError, match="2.5"):
        me.BudgetContext(10, op_log_limit=2.5)
