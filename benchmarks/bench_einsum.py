"""Einsum speed against opt_einsum: execution, planning, and repeated small calls.

Each figure interleaves the two sides over several rounds (alternating which goes
first) and compares medians, so a busy moment on the machine hits both sides alike.
Run directly (``python benchmarks/bench_einsum.py``) or through ``benchmarks/run.py``;
``main()`` returns the ratios (mechestim time / opt_einsum time) by label.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import opt_einsum as oe

import mechestim as me
from mechestim._einsum import clear_cache


def _time(func: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        func()
    return (time.perf_counter() - start) / number


def paired(
    ours: Callable[[], object], theirs: Callable[[], object], *, number: int, rounds: int
) -> tuple[float, float, float]:
    """Median seconds per call of each side, measured in interleaved rounds, and the
    median of the per-round ratios."""
    ours(), theirs()  # warm caches (plans, BLAS threads) on both sides
    mine, base = [], []
    for round_number in range(rounds):
        if round_number % 2:
            base.append(_time(theirs, number))
            mine.append(_time(ours, number))
        else:
            mine.append(_time(ours, number))
            base.append(_time(theirs, number))
    # The ratio is the median of the per-round ratios: each round's two sides ran back to
    # back, so load that drifts between rounds cancels out.
    ratio = statistics.median(m / b for m, b in zip(mine, base))
    return statistics.median(mine), statistics.median(base), ratio


def main() -> dict[str, float]:
    rng = np.random.default_rng(0)
    results: dict[str, float] = {}

    big_a, big_b = rng.standard_normal((256, 256)), rng.standard_normal((256, 256))
    me_a, me_b = me.asarray(big_a), me.asarray(big_b)

    ops = [rng.standard_normal((50, 50, 50))] + [rng.standard_normal((50, 50)) for _ in range(3)]
    me_ops = [me.asarray(o) for o in ops]
    chain = "ijk,ai,bj,ck->abc"

    def plan_cold() -> object:
        clear_cache()  # every call plans from scratch, as contract_path does
        return me.einsum_path(chain, *me_ops)

    small_a, small_b = rng.standard_normal((4, 4)), rng.standard_normal((4, 4))
    me_small_a, me_small_b = me.asarray(small_a), me.asarray(small_b)
    expression = oe.contract_expression("ij,jk->ik", small_a.shape, small_b.shape)

    def small_ours() -> None:
        for _ in range(10_000):
            me.einsum("ij,jk->ik", me_small_a, me_small_b)

    def small_theirs() -> None:
        for _ in range(10_000):
            expression(small_a, small_b)

    rows = [
        ("me.einsum 'ij,jk->ik' 256 vs opt_einsum.contract",
         lambda: me.einsum("ij,jk->ik", me_a, me_b),
         lambda: oe.contract("ij,jk->ik", big_a, big_b), 5, 31, 1.10),
        ("me.einsum_path (cold) vs contract_path 'ijk,ai,bj,ck->abc'",
         plan_cold, lambda: oe.contract_path(chain, *ops), 100, 9, 2.0),
        ("me.einsum_path (cached plan) vs contract_path",
         lambda: me.einsum_path(chain, *me_ops), lambda: oe.contract_path(chain, *ops), 100, 9, 2.0),
        ("10,000 small me.einsum vs prebuilt contract_expression",
         small_ours, small_theirs, 1, 9, 1.5),
    ]  # fmt: skip
    with me.BudgetContext(10**18):
        for label, ours, theirs, number, rounds, target in rows:
            m, b, ratio = paired(ours, theirs, number=number, rounds=rounds)
            results[label] = ratio
            status = "ok" if ratio <= target else "OVER"
            print(
                f"{label:<62} {m * 1e6:12.1f} us {b * 1e6:12.1f} us  {ratio:6.2f}x  "
                f"(target <= {target}x) {status}"
            )
    return results


if __name__ == "__main__":
    main()
