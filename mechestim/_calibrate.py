"""``python -m mechestim calibrate``: measure per-op weights on this machine.

For every counted op, time it on inputs of a few sizes (medians of repeated runs), divide
by the FLOPs it charges, and compare with ``add`` on the same number of elements: the
weight of an op is the median over sizes of ``(seconds per FLOP of op) / (seconds per
FLOP of add)``. The result is written as a weights file (``{"weights": {...}}``, see
``mechestim._core.weights``) that ``me.configure(weights=path)`` or
``MECHESTIM_WEIGHTS_FILE`` loads.

Inputs are found per op by trying a short list of argument patterns (a vector, two
vectors, a square matrix, ...) on two small probe sizes; a pattern is kept only if its
charge grows no faster than ``elements ** 1.75`` (so ``outer`` of two long vectors, which
would allocate ``elements ** 2`` values, is never run at full size). Ops no pattern fits
are reported as skipped and keep weight 1.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REFERENCE = "add"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
PROBE_SIZES = (64, 256)
# Largest growth of the charge with the input's element count that calibration will run.
MAX_EXPONENT = 1.75


class Inputs:
    """The operands of one size: ``s`` elements, or an ``n x n`` matrix with n ~ sqrt(s)."""

    def __init__(self, size: int, seed: int = 0) -> None:
        import mechestim as me

        rng = np.random.default_rng(seed)
        self.s = size
        self.n = n = max(2, math.isqrt(size))
        wrap = me.asarray
        self.v = wrap(rng.uniform(0.1, 0.9, size))
        self.w = wrap(rng.uniform(0.1, 0.9, size))
        self.sorted = wrap(np.sort(rng.uniform(0.0, 1.0, size)))
        self.iv = wrap(rng.integers(1, 64, size))
        self.iw = wrap(rng.integers(1, 64, size))
        a = rng.uniform(-1.0, 1.0, (n, n))
        self.P = wrap(a @ a.T / n + np.eye(n))  # symmetric positive definite: fits all of linalg
        self.Q = wrap(rng.uniform(0.1, 0.9, (n, n)))
        self.pv = wrap(rng.uniform(0.1, 0.9, n))
        self.v3 = wrap(rng.uniform(0.1, 0.9, (max(1, size // 3), 3)))
        self.w3 = wrap(rng.uniform(0.1, 0.9, (max(1, size // 3), 3)))


Args = tuple[tuple, dict]
Pattern = tuple[str, Callable[[Inputs], Args]]

GENERIC: list[Pattern] = [
    ("x", lambda i: ((i.v,), {})),
    ("x, y", lambda i: ((i.v, i.w), {})),
    ("int x", lambda i: ((i.iv,), {})),
    ("int x, y", lambda i: ((i.iv, i.iw), {})),
    ("A", lambda i: ((i.P,), {})),
    ("A, B", lambda i: ((i.P, i.Q), {})),
    ("A, b", lambda i: ((i.P, i.pv), {})),
    ("A, 3", lambda i: ((i.P, 3), {})),
    ("x, 0.5", lambda i: ((i.v, 0.5), {})),
    ("x, 50", lambda i: ((i.v, 50), {})),
    ("x[s,3], y[s,3]", lambda i: ((i.v3, i.w3), {})),
    ("s", lambda i: ((i.s,), {})),
    ("s, 14.0", lambda i: ((i.s, 14.0), {})),
]

RANDOM: list[Pattern] = [
    ("size=s", lambda i: ((), {"size": i.s})),
    ("0.5, size=s", lambda i: ((0.5,), {"size": i.s})),
    ("2.0, 0.5, size=s", lambda i: ((2.0, 0.5), {"size": i.s})),
    ("1, 100, size=s", lambda i: ((1, 100), {"size": i.s})),
    ("2.0, 3.0, 0.5, size=s", lambda i: ((2.0, 3.0, 0.5), {"size": i.s})),
    ("0.1, 0.5, 0.9, size=s", lambda i: ((0.1, 0.5, 0.9), {"size": i.s})),
    ("10, 10, 5, size=s", lambda i: ((10, 10, 5), {"size": i.s})),
    ("x", lambda i: ((i.v,), {})),
    ("s", lambda i: ((i.s,), {})),
]

# Ops whose natural input is not one of the generic patterns (or where a generic pattern
# would measure an unrepresentative case, e.g. a vector dot for matmul).
SPECIFIC: dict[str, list[Pattern]] = {
    "einsum": [("'ij,jk->ik', A, B", lambda i: (("ij,jk->ik", i.P, i.Q), {}))],
    "einsum_path": [("'ij,jk->ik', A, B", lambda i: (("ij,jk->ik", i.P, i.Q), {}))],
    "linalg.multi_dot": [("[A, B, A]", lambda i: (([i.P, i.Q, i.P],), {}))],
    "clip": [("x, 0.2, 0.8", lambda i: ((i.v, 0.2, 0.8), {}))],
    "searchsorted": [("sorted, x", lambda i: ((i.sorted, i.v), {}))],
    "digitize": [("x, sorted", lambda i: ((i.v, i.sorted[:: max(1, i.s // 64)]), {}))],
    "interp": [("x, sorted, y", lambda i: ((i.v, i.sorted, i.w), {}))],
    "partition": [("x, s//2", lambda i: ((i.v, i.s // 2), {}))],
    "argpartition": [("x, s//2", lambda i: ((i.v, i.s // 2), {}))],
    "polyval": [("p[8], x", lambda i: ((i.pv[:8], i.v), {}))],
    "polyfit": [("x, y, 3", lambda i: ((i.v, i.w, 3), {}))],
    "roots": [("p[n]", lambda i: ((i.pv,), {}))],
    "poly": [("r[n]", lambda i: ((i.pv,), {}))],
    "polymul": [("p[n], q[n]", lambda i: ((i.pv, i.pv), {}))],
    "polydiv": [("p[n], q[n/2]", lambda i: ((i.pv, i.pv[: max(1, i.n // 2)]), {}))],
    "convolve": [("x, k[n]", lambda i: ((i.v, i.pv), {}))],
    "correlate": [("x, k[n]", lambda i: ((i.v, i.pv), {}))],
    "outer": [("a[n], b[n]", lambda i: ((i.pv, i.pv), {}))],
    "linalg.outer": [("a[n], b[n]", lambda i: ((i.pv, i.pv), {}))],
    "kron": [("A, B[4,4]", lambda i: ((i.P, i.Q[:4, :4]), {}))],
    "vander": [("x[n]", lambda i: ((i.pv,), {}))],
    "matmul": [("A, B", lambda i: ((i.P, i.Q), {}))],
    "linalg.matmul": [("A, B", lambda i: ((i.P, i.Q), {}))],
    "dot": [("A, B", lambda i: ((i.P, i.Q), {}))],
    "inner": [("A, B", lambda i: ((i.P, i.Q), {}))],
    "tensordot": [("A, B, 1", lambda i: ((i.P, i.Q, 1), {}))],
    "linalg.tensordot": [("A, B, axes=1", lambda i: ((i.P, i.Q), {"axes": 1}))],
    "linalg.tensorinv": [("A, ind=1", lambda i: ((i.P,), {"ind": 1}))],
    "random.binomial": [("10, 0.5, size=s", lambda i: ((10, 0.5), {"size": i.s}))],
    "geomspace": [("1, 1000, s", lambda i: ((1.0, 1000.0, i.s), {}))],
    "logspace": [("0, 3, s", lambda i: ((0.0, 3.0, i.s), {}))],
    "random.choice": [("x, size=s", lambda i: ((i.v,), {"size": i.s}))],
    "random.multinomial": [("10, [.5, .5], size=s/2", lambda i: ((10, [0.5, 0.5]), {"size": i.s // 2}))],
    "random.dirichlet": [("[1, 1], size=s/2", lambda i: (([1.0, 1.0],), {"size": i.s // 2}))],
    "random.multivariate_normal": [
        ("mean[n], A, size=n", lambda i: ((i.pv, i.P), {"size": i.n}))
    ],
    "random.bytes": [("s", lambda i: ((i.s,), {}))],
    # a must be > 1; a huge a (the generic "s" pattern) makes NumPy's sampler crawl
    "random.zipf": [("2.0, size=s", lambda i: ((2.0,), {"size": i.s}))],
}


@dataclass
class Measurement:
    op: str
    pattern: str = ""
    flops: dict[int, int] = field(default_factory=dict)
    seconds: dict[int, float] = field(default_factory=dict)
    weight: float | None = None
    skipped: str | None = None


def _charged(func: Callable, args: tuple, kwargs: dict, cap: float) -> int:
    """Run ``func`` once inside a fresh budget of ``cap`` FLOPs; the FLOPs it charged."""
    import mechestim as me

    with me.BudgetContext(max(1, int(cap)), op_log_limit=0) as budget:
        func(*args, **kwargs)
    return budget.flops_used


@functools.cache
def _probe_inputs(size: int) -> Inputs:
    return Inputs(size)


def _patterns(op: str) -> list[Pattern]:
    if op in SPECIFIC:
        return SPECIFIC[op]
    return RANDOM if op.startswith("random.") else GENERIC


def choose_pattern(op: str, func: Callable) -> tuple[Pattern | None, str]:
    """The first pattern that runs on both probe sizes with a charge >= 1 growing at most
    like ``elements ** MAX_EXPONENT``; or None and why."""
    small, large = (_probe_inputs(s) for s in PROBE_SIZES)
    last_error = "no argument pattern fits"
    for pattern in _patterns(op):
        try:
            f_small = _charged(func, *pattern[1](small), cap=1e9)
            f_large = _charged(func, *pattern[1](large), cap=1e9)
        except Exception as exc:  # noqa: BLE001 - any refusal just means "try the next pattern"
            last_error = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
            continue
        if f_small < 1 or f_large < 1:
            last_error = "charges no FLOPs on these inputs"
            continue
        exponent = math.log(f_large / f_small) / math.log(PROBE_SIZES[1] / PROBE_SIZES[0])
        if exponent > MAX_EXPONENT:
            last_error = f"charge grows like size**{exponent:.1f} with pattern ({pattern[0]})"
            continue
        return pattern, ""
    return None, last_error


def time_call(func: Callable, args: tuple, kwargs: dict, repeats: int, target: float) -> float:
    """Median seconds per call over ``repeats`` samples of at least ``target`` seconds each."""
    start = time.perf_counter()
    func(*args, **kwargs)  # warm-up, and a first estimate
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(target / once))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            func(*args, **kwargs)
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def measure(
    op: str,
    func: Callable,
    sizes: Sequence[int],
    inputs: dict[int, Inputs],
    repeats: int,
    target: float,
) -> Measurement:
    result = Measurement(op)
    pattern, why = choose_pattern(op, func)
    if pattern is None:
        result.skipped = why
        return result
    result.pattern = pattern[0]
    f_probe = _charged(func, *pattern[1](_probe_inputs(PROBE_SIZES[0])), cap=1e9)
    import mechestim as me

    for size in sizes:
        args, kwargs = pattern[1](inputs[size])
        # Never run past the growth checked on the probes (with room for log factors).
        cap = 4 * f_probe * (size / PROBE_SIZES[0]) ** MAX_EXPONENT
        try:
            flops = _charged(func, args, kwargs, cap)
            with me.BudgetContext(10**18, op_log_limit=0):
                seconds = time_call(func, args, kwargs, repeats, target)
        except Exception as exc:  # noqa: BLE001
            result.skipped = f"size {size}: {type(exc).__name__}: {exc}".splitlines()[0][:120]
            return result
        if flops >= 1:
            result.flops[size] = flops
            result.seconds[size] = seconds
    if not result.flops:
        result.skipped = "charges no FLOPs on these inputs"
    return result


class _Progress:
    """A progress bar on stderr: rich's when installed, otherwise a plain text one."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self._rich = None
        try:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._rich = Progress(
                TextColumn("calibrating"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
        except ImportError:
            pass

    def __enter__(self) -> _Progress:
        if self._rich is not None:
            self._rich.__enter__()
            self._task = self._rich.add_task("", total=self.total)
        return self

    def advance(self, label: str) -> None:
        self.done += 1
        if self._rich is not None:
            self._rich.update(self._task, advance=1, description=label)
            return
        width = 30
        filled = width * self.done // max(1, self.total)
        bar = "#" * filled + "." * (width - filled)
        print(f"\rcalibrating [{bar}] {self.done}/{self.total} {label:<24}", end="", file=sys.stderr)
        sys.stderr.flush()

    def __exit__(self, *exc_info: object) -> None:
        if self._rich is not None:
            self._rich.__exit__(*exc_info)
        else:
            print(file=sys.stderr)


def calibrate(
    ops: Sequence[str] | None = None,
    sizes: Sequence[int] = DEFAULT_SIZES,
    repeats: int = 5,
    target: float = 0.002,
) -> tuple[list[Measurement], dict[int, float]]:
    """Measure ``ops`` (default: every counted op); also returns add's seconds per FLOP."""
    from mechestim._core.registry import COUNTED, REGISTRY

    counted = [name for name, spec in REGISTRY.items() if spec.status == COUNTED and spec.impl]
    if ops is None:
        ops = counted
    else:
        unknown = [op for op in ops if op not in counted]
        if unknown:
            raise ValueError(
                "calibrate: not counted mechestim op(s): " + ", ".join(repr(op) for op in unknown)
            )
    inputs = {size: Inputs(size) for size in sizes}
    measurements = []
    with _Progress(len(ops) + 1) as progress:
        reference = measure(REFERENCE, REGISTRY[REFERENCE].impl, sizes, inputs, repeats, target)
        progress.advance(REFERENCE)
        if reference.skipped:
            raise RuntimeError(f"calibrate: cannot time the reference op add: {reference.skipped}")
        per_flop = {s: reference.seconds[s] / reference.flops[s] for s in reference.flops}
        for op in ops:
            if op == REFERENCE:
                measurements.append(reference)
            else:
                measurements.append(
                    measure(op, REGISTRY[op].impl, sizes, inputs, repeats, target)
                )
            progress.advance(op)
    for m in measurements:
        ratios = [m.seconds[s] / m.flops[s] / per_flop[s] for s in m.flops if s in per_flop]
        if ratios and m.skipped is None:
            m.weight = float(f"{statistics.median(ratios):.3g}")
    return measurements, per_flop


def render_table(measurements: list[Measurement], per_flop: dict[int, float]) -> str:
    largest = max(per_flop)
    lines = [
        f"reference: add, {per_flop[largest] * 1e9:.3f} ns per FLOP at {largest:,} elements",
        "",
    ]
    width = max(10, *(len(m.op) for m in measurements))
    pattern_width = max(6, *(len(m.pattern) for m in measurements))
    lines.append(
        f"{'op':<{width}}  {'input':<{pattern_width}}  {'FLOPs':>14}  {'ns/FLOP':>9}  {'weight':>8}"
    )
    skipped = []
    for m in sorted(measurements, key=lambda m: m.op):
        if m.weight is None:
            skipped.append(m)
            continue
        size = max(m.flops)
        lines.append(
            f"{m.op:<{width}}  {m.pattern:<{pattern_width}}  {m.flops[size]:>14,}  "
            f"{m.seconds[size] / m.flops[size] * 1e9:>9.3f}  {m.weight:>8.3g}"
        )
    if skipped:
        lines.append("")
        lines.append(f"not measured ({len(skipped)}, weight stays 1):")
        for m in skipped:
            lines.append(f"  {m.op}: {m.skipped}")
    return "\n".join(lines)


def weights_document(measurements: list[Measurement], sizes: Sequence[int]) -> dict[str, Any]:
    import mechestim as me

    weights = {m.op: m.weight for m in sorted(measurements, key=lambda m: m.op) if m.weight is not None}
    weights.pop(REFERENCE, None)  # 1 by definition
    return {
        "weights": weights,
        "calibration": {
            "reference": REFERENCE,
            "sizes": list(sizes),
            "machine": platform.machine(),
            "processor": platform.processor(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "mechestim": me.__version__,
            "cost_model": me.__cost_model__.split("+w:")[0],
            "not_measured": {m.op: m.skipped for m in measurements if m.weight is None},
        },
    }


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(float(part)) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes needs comma-separated element counts, got {text!r}") from None
    if not sizes or any(s < 16 for s in sizes):
        raise argparse.ArgumentTypeError(f"--sizes needs element counts >= 16, got {text!r}")
    return sorted(set(sizes))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", required=True, type=Path, help="weights file to write")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        help="comma-separated input sizes in elements (matrices are sqrt(size) square); "
        f"default {','.join(map(str, DEFAULT_SIZES))}",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"sizes {','.join(map(str, QUICK_SIZES))} and 3 repeats: well under a minute",
    )
    parser.add_argument(
        "--ops", default=None, help="comma-separated op names to measure (default: every counted op)"
    )


def run(args: argparse.Namespace) -> int:
    import mechestim as me
    from mechestim.errors import _settings

    sizes = args.sizes or (list(QUICK_SIZES) if args.quick else list(DEFAULT_SIZES))
    repeats = 3 if args.quick else 5
    ops = [op.strip() for op in args.ops.split(",") if op.strip()] if args.ops else None
    saved = dict(_settings)
    # Time unweighted, without warnings on NaN results (some ops meet inputs outside their domain).
    me.configure(weights=None, nonfinite_warnings=False, symmetry_warnings=False)
    started = time.perf_counter()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            measurements, per_flop = calibrate(ops, sizes, repeats=repeats)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        _settings.update(saved)
    print(render_table(measurements, per_flop))
    document = weights_document(measurements, sizes)
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    measured = len(document["weights"])
    print(
        f"\nwrote {measured} weight{'s' if measured != 1 else ''} to {args.output} "
        f"in {time.perf_counter() - started:.1f} s; load it with "
        f"me.configure(weights={str(args.output)!r}) or MECHESTIM_WEIGHTS_FILE"
    )
    return 0
