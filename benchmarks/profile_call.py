"""Where the time of a counted call goes: what bounds the small- and large-call ratios.

Times, alone and next to NumPy's own call, each step ``me.add(x, y)`` must take: on two
(10,) arrays (the 2x and 5x targets) and on two (1000, 1000) arrays (the 1.05x target).
Run: ``.venv/bin/python benchmarks/profile_call.py``.
"""

from __future__ import annotations

import math
import threading
import timeit

import numpy as np

import mechestim as me
from mechestim._core import pipeline
from mechestim._core.budget import charge

_LOCK = threading.Lock()


def per_call(fn, number: int = 200_000) -> float:
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e9


def locked_add(counter: list[int], cost: int) -> None:
    """The least a thread-safe budget can do: check and add under a lock."""
    with _LOCK:
        if cost > counter[1] - counter[0]:
            raise RuntimeError("over budget")
        counter[0] += cost


def small_call() -> dict[str, float]:
    x, y = me.ones(10), me.ones(10)
    a, b = np.ones(10), np.ones(10)
    result = np.add(a, b)
    counter = [0, 10**18]
    with me.BudgetContext(10**18):
        steps = {
            "np.add(a, b) (the work itself)": per_call(lambda: np.add(a, b)),
            "NaN/Inf check of the result (a Python sum)": per_call(lambda: sum(result.tolist())),
            "a locked budget check-and-add, alone": per_call(lambda: locked_add(counter, 10)),
            "charge() (+ per-op totals, log, session)": per_call(
                lambda: charge("add", 10, ((10,), (10,)))
            ),
            "unwrap both operands (np.asarray x2)": per_call(lambda: (np.asarray(x), np.asarray(y))),
            "re-wrap the result (view as me.ndarray)": per_call(lambda: result.view(me.ndarray)),
            "me.add(x, y), whole call": per_call(lambda: me.add(x, y)),
            "x + y, whole operator call": per_call(lambda: x + y),
            "a + b on numpy arrays": per_call(lambda: a + b),
        }
    for label, ns in steps.items():
        print(f"{label:<44} {ns:8.0f} ns")
    work = steps["np.add(a, b) (the work itself)"]
    least = work + steps["NaN/Inf check of the result (a Python sum)"]
    least += steps["a locked budget check-and-add, alone"]
    print(f"{'work + check + locked add, nothing else':<44} {least:8.0f} ns = {least / work:.1f}x np.add")
    taken = (
        "charge() (+ per-op totals, log, session)",
        "unwrap both operands (np.asarray x2)",
        "re-wrap the result (view as me.ndarray)",
    )
    steps_total = work + steps["NaN/Inf check of the result (a Python sum)"]
    steps_total += sum(steps[k] for k in taken)
    print(f"{'sum of the steps me.add takes':<44} {steps_total:8.0f} ns = {steps_total / work:.1f}x np.add")
    return steps


def large_call() -> dict[str, float]:
    """The NaN/Inf check: in pure Python a second pass over the result (NumPy's sum, as
    the pipeline runs it for large results); with the compiled kernel, one fused pass."""
    a, b = np.ones((1000, 1000)), np.full((1000, 1000), 2.0)
    x, y = me.asarray(a), me.asarray(b)
    add_reduce = np.add.reduce

    def add_then_check():
        return math.isfinite(add_reduce(np.add(a, b).ravel()))

    warm = np.add(a, b).ravel()
    steps = {
        "np.add on (1000, 1000)": per_call(lambda: np.add(a, b), number=20) / 1e3,
        "np.add, then the check (NumPy's sum)": per_call(add_then_check, number=20) / 1e3,
        "the check alone, on a result in cache": per_call(lambda: add_reduce(warm), number=20) / 1e3,
    }
    kernel = pipeline.accel  # None without the compiled kernel (or MECHESTIM_NO_ACCEL)
    if kernel is not None:
        steps["the compiled kernel: add and check, one pass"] = (
            per_call(lambda: kernel.fused_new(0, a, b), number=20) / 1e3
        )
    with me.BudgetContext(10**18):
        steps["me.add(x, y), whole call"] = per_call(lambda: me.add(x, y), number=20) / 1e3
    for label, us in steps.items():
        print(f"{label:<44} {us:8.1f} us")
    base = steps["np.add on (1000, 1000)"]
    for label in list(steps)[1:]:
        if label != "the check alone, on a result in cache":
            print(f"{label + ', over np.add':<58} {steps[label] / base:6.2f}x")
    return steps


def main() -> dict[str, float]:
    print("small call, (10,) arrays")
    steps = small_call()
    print("\nlarge call, (1000, 1000) arrays")
    steps.update(large_call())
    return steps


if __name__ == "__main__":
    main()
