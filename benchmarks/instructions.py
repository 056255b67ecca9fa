"""Per-call costs that do not depend on the machine's load, counted with valgrind.

Timed ratios on a shared machine move by several percent between runs; these counts do
not (the same build gives the same numbers):

* CPU instructions per small call (`me.add` on two (10,) arrays) and per operator
  (`a + b`), from cachegrind: the same loop run 2,000 and 6,000 times, the difference
  divided by 4,000 (garbage collection off and one BLAS thread, whose spinning would add
  noise);
* cache lines a large call touches beyond `np.add`'s when everything starts cold: each
  call follows a 40 MB copy that evicts the caches, as a loop of large ops does. This is
  what the large-call ratio pays on top of the arithmetic (`me.add` on (8192,) arrays,
  served by the compiled kernel when built; last-level misses from cachegrind's
  simulated 32 MB cache, the same difference of two loop lengths).

Usage: ``python benchmarks/instructions.py`` (about two minutes; needs ``valgrind``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap

SMALL = textwrap.dedent(
    """
    import gc, sys
    import mechestim as me
    gc.disable()
    a, b = me.ones(10), me.ones(10)
    which, n = sys.argv[1], int(sys.argv[2])
    with me.BudgetContext(10**18):
        for _ in range(200):
            me.add(a, b); a + b
        if which == "call":
            for _ in range(n):
                me.add(a, b)
        else:
            for _ in range(n):
                a + b
    """
)

COLD = textwrap.dedent(
    """
    import gc, sys
    import numpy as np
    import mechestim as me
    gc.disable()
    evict = np.ones(5_000_000)
    sink = np.empty_like(evict)
    a, b = np.ones(8192), np.ones(8192)
    x, y = me.asarray(a), me.asarray(b)
    which, n = sys.argv[1], int(sys.argv[2])
    with me.BudgetContext(10**18):
        for _ in range(3):
            me.add(x, y); np.add(a, b)
        for _ in range(n):
            np.copyto(sink, evict)
            if which == "me":
                me.add(x, y)
            else:
                np.add(a, b)
    """
)


def cachegrind(script: str, args: list[str], cache_sim: bool) -> dict[str, int]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    command = ["valgrind", "--tool=cachegrind", "--cachegrind-out-file=/dev/null"]
    if cache_sim:
        command += ["--cache-sim=yes", "--LL=33554432,16,64"]
    else:
        command += ["--cache-sim=no"]
    done = subprocess.run(
        [*command, sys.executable, "-c", script, *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    counts = {}
    for key, pattern in (("instructions", r"I\s+refs:\s+([\d,]+)"), ("ll", r"LL misses:\s+([\d,]+)")):
        found = re.search(pattern, done.stderr)
        if found:
            counts[key] = int(found.group(1).replace(",", ""))
    return counts


def per_call(script: str, which: str, key: str, cache_sim: bool, short: int, long: int) -> float:
    few = cachegrind(script, [which, str(short)], cache_sim)[key]
    many = cachegrind(script, [which, str(long)], cache_sim)[key]
    return (many - few) / (long - short)


def main() -> dict[str, float]:
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return {}
    results = {
        "me.add on two (10,) arrays, instructions per call": per_call(
            SMALL, "call", "instructions", False, 2000, 6000
        ),
        "a + b on me.ndarray, instructions per call": per_call(
            SMALL, "op", "instructions", False, 2000, 6000
        ),
    }
    me_lines = per_call(COLD, "me", "ll", True, 10, 30)
    np_lines = per_call(COLD, "np", "ll", True, 10, 30)
    results["cold large call, cache lines beyond np.add's"] = me_lines - np_lines
    for label, value in results.items():
        print(f"{label:<52} {value:10,.0f}")
    return results


if __name__ == "__main__":
    main()
