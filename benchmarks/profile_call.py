"""Where the time of one small counted call goes: the floor under the 2x target.

Times each step that ``me.add(x, y)`` on two (10,) arrays must take, alone, next to
NumPy's own call. Run: ``.venv/bin/python benchmarks/profile_call.py``.
"""

from __future__ import annotations

import timeit

import numpy as np

import mechestim as me
from mechestim._budget import charge


def per_call(fn, number: int = 200_000) -> float:
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e9


def main() -> dict[str, float]:
    x, y = me.ones(10), me.ones(10)
    a, b = np.ones(10), np.ones(10)
    result = np.add(a, b)
    with me.BudgetContext(10**18):
        steps = {
            "np.add(a, b) (the work itself)": per_call(lambda: np.add(a, b)),
            "unwrap both operands (np.asarray x2)": per_call(lambda: (np.asarray(x), np.asarray(y))),
            "charge() the budget (lock, totals, log)": per_call(lambda: charge("add", 10, ((10,), (10,)))),
            "NaN/Inf check of the result (one dot)": per_call(lambda: result.dot(result)),
            "re-wrap the result (view as me.ndarray)": per_call(lambda: result.view(me.ndarray)),
            "me.add(x, y), whole call": per_call(lambda: me.add(x, y)),
            "x + y, whole operator call": per_call(lambda: x + y),
        }
    for label, ns in steps.items():
        print(f"{label:<44} {ns:8.0f} ns")
    floor = sum(list(steps.values())[:5])
    print(f"{'sum of the unavoidable steps':<44} {floor:8.0f} ns "
          f"= {floor / steps['np.add(a, b) (the work itself)']:.1f}x np.add")
    return steps


if __name__ == "__main__":
    main()
