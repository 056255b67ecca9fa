"""Per-call overhead of mechestim against NumPy, measured side by side.

Each figure interleaves the two sides over several rounds and compares medians, so a
busy moment on the machine hits both sides alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import timeit

import numpy as np

import mechestim as me

LARGE_ROUNDS = 61  # rounds of 20 large calls a side: about 1.1 s per figure


def paired_ratio(ours, theirs, *, number: int, rounds: int = 9) -> tuple[float, float, float]:
    """Median seconds per call of ``ours`` and ``theirs`` and their ratio. The side that
    runs first alternates from round to round, so neither always finds the other's
    leftovers in the caches."""
    mine, base = [], []
    for turn in range(rounds):
        if turn % 2:
            base.append(timeit.timeit(theirs, number=number) / number)
            mine.append(timeit.timeit(ours, number=number) / number)
        else:
            mine.append(timeit.timeit(ours, number=number) / number)
            base.append(timeit.timeit(theirs, number=number) / number)
    m, b = statistics.median(mine), statistics.median(base)
    return m, b, m / b


def import_ratio(rounds: int = 7) -> tuple[float, float, float]:
    # As a user's interpreter runs: bytecode caches written once and reused (this
    # workspace sets PYTHONDONTWRITEBYTECODE, which would recompile every module).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(module: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True, env=env)
        return time.perf_counter() - start

    run("mechestim")  # write the caches

    mine, base = [], []
    for _ in range(rounds):
        mine.append(run("mechestim"))
        base.append(run("numpy"))
    m, b = statistics.median(mine), statistics.median(base)
    return m, b, m / b


def memory_flat(calls: int = 1_000_000) -> tuple[int, int]:
    """Peak RSS growth (KiB) over ``calls`` counted calls after a warm-up."""
    import resource

    x = me.ones(1)
    with me.BudgetContext(10**15):
        for _ in range(20_000):
            me.add(x, 1)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for _ in range(calls):
            me.add(x, 1)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return before, after


def main() -> dict[str, float]:
    small_a, small_b = np.ones(10), np.ones(10)
    me_a, me_b = me.ones(10), me.ones(10)
    big_a, big_b = np.ones((1000, 1000)), np.ones((1000, 1000))
    me_big_a, me_big_b = me.asarray(big_a), me.asarray(big_b)
    results = {}
    with me.BudgetContext(10**18):
        rows = [
            ("small call: me.add (10,) vs np.add", lambda: me.add(me_a, me_b),
             lambda: np.add(small_a, small_b), 20_000, 2.0),
            ("small operator: a + b on me.ndarray vs numpy", lambda: me_a + me_b,
             lambda: small_a + small_b, 20_000, 5.0),
            ("large call: me.add (1000,1000) vs np.add", lambda: me.add(me_big_a, me_big_b),
             lambda: np.add(big_a, big_b), 20, 1.05),
        ]  # fmt: skip
        for label, ours, theirs, number, target in rows:
            # A large call's time swings by several percent from one round to the next
            # (memory bandwidth on a shared machine): more rounds steady its median.
            rounds = LARGE_ROUNDS if number < 1000 else 9
            m, b, ratio = paired_ratio(ours, theirs, number=number, rounds=rounds)
            results[label] = ratio
            print(f"{label:<52} {m * 1e6:10.2f} us {b * 1e6:10.2f} us  {ratio:6.3f}x  (target <= {target}x)")
        me.configure(nonfinite_warnings=False)
        try:
            label = "large call, nonfinite_warnings=False"
            m, b, ratio = paired_ratio(
                lambda: me.add(me_big_a, me_big_b),
                lambda: np.add(big_a, big_b),
                number=20,
                rounds=LARGE_ROUNDS,
            )
            results[label] = ratio
            print(f"{label:<52} {m * 1e6:10.2f} us {b * 1e6:10.2f} us  {ratio:6.3f}x  (target <= 1.05x)")
        finally:
            me.configure(nonfinite_warnings=True)
    m, b, ratio = import_ratio()
    results["import"] = ratio
    print(f"{'import: python -c import mechestim vs numpy':<52} {m * 1e3:10.1f} ms {b * 1e3:10.1f} ms  {ratio:6.2f}x  (target <= 1.6x)")
    before, after = memory_flat()
    results["memory growth KiB"] = after - before
    print(f"{'memory: 1,000,000 counted calls, peak RSS growth':<52} {after - before:>10,} KiB (target: flat)")
    return results


if __name__ == "__main__":
    main()
