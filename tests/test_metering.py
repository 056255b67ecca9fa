"""The public metering API (mechestim.metering) that the pytest plugin is built on."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import mechestim as me
from mechestim import metering


@pytest.mark.parametrize(
    ("value", "error", "text"),
    [
        (True, TypeError, "True"),
        ("100", TypeError, "'100'"),
        (float("nan"), ValueError, "nan"),
        (float("inf"), ValueError, "inf"),
        (0, ValueError, "0"),
        (0.5, ValueError, "0.5"),
    ],
)
def test_validate_budget_refuses_naming_the_value(value, error, text):
    with pytest.raises(error, match="flop_budget") as info:
        metering.validate_budget(value)
    assert text in str(info.value)


def test_validate_budget_accepts_numbers():
    assert metering.validate_budget(1e3) == 1000
    assert metering.validate_budget(np.int64(7)) == 7
    assert metering.validate_budget(2.9) == 2


@pytest.mark.parametrize(
    ("value", "error"),
    [("", TypeError), (3, TypeError), ("a/b", ValueError), ("a\x1bb", ValueError), ("x\n", ValueError)],
)
def test_validate_namespace_refuses(value, error):
    with pytest.raises(error, match="namespace"):
        metering.validate_namespace(value)


def test_budget_context_uses_the_same_validators():
    with pytest.raises(ValueError, match="control characters"):
        me.BudgetContext(10, namespace="bad\x07name")
    assert metering.validate_namespace(None) is None
    assert metering.validate_namespace("fwd") == "fwd"


def test_meter_charges_ops_of_every_thread():
    context = me.BudgetContext(10**9)
    x = me.ones(10)
    with metering.meter(context):
        me.exp(x)
        worker = threading.Thread(target=me.exp, args=(x,))
        worker.start()
        worker.join()
    me.exp(x)  # after the block: not metered
    assert context.flops_used == 20


def test_charging_restores_the_callers_stack_even_if_a_context_is_left_open():
    outer = me.BudgetContext(10**6, namespace="outer")
    test_budget = me.BudgetContext(10**6, namespace="test")
    x = me.ones(10)
    with outer:
        with metering.charging(test_budget):
            me.BudgetContext(10**6, namespace="left-open").__enter__()
            me.exp(x)
        me.exp(x)
        assert me.budget_summary_dict(by_namespace=True)["by_namespace"]["outer"]["flops_used"] == 10
    assert test_budget.flops_used == 10
    assert outer.flops_used == 20


def test_charging_charges_threads_without_a_budget_of_their_own():
    test_budget = me.BudgetContext(10**6)
    x = me.ones(10)
    with metering.charging(test_budget):
        worker = threading.Thread(target=me.exp, args=(x,))
        worker.start()
        worker.join()
    assert test_budget.flops_used == 10


def test_budget_error_names_the_thread_whose_op_was_refused():
    x = me.ones(10)
    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            me.exp(x)
        except me.BudgetExhaustedError as exc:
            errors.append(exc)

    budget = me.BudgetContext(5)
    with metering.charging(budget):
        with pytest.raises(me.BudgetExhaustedError) as here:
            me.exp(x)
        worker = threading.Thread(target=in_thread)
        worker.start()
        worker.join()
    assert here.value.thread_id == threading.get_ident()
    assert len(errors) == 1 and errors[0].thread_id == worker.ident != threading.get_ident()
    assert budget.overrun is here.value
    assert me.BudgetExhaustedError("add", 1, 0).thread_id is None  # built by hand
