"""Cost of the FLOP-budget pytest plugin: 300 marked tests, with and without it.

A generated suite of 300 ``@pytest.mark.flop_budget`` tests (a few small counted ops
each) runs in a fresh ``python -m pytest`` process, once as is and once with
``-p no:mechestim``. The two runs alternate over several rounds and the medians of
the wall-clock times are compared (target: at most 1.15x).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = 300
FILES = 10

_MODULE = """
import pytest
import mechestim as me

x = me.ones(64)


@pytest.mark.flop_budget(10_000, namespace="ns{index}")
@pytest.mark.parametrize("n", range({count}))
def test_marked(n):
    y = me.add(x, n)
    z = me.multiply(y, 2)
    assert float(me.sum(z)) >= 0
"""

# The marker is declared here too, so the run without the plugin is not slowed down by
# unknown-marker warnings.
_INI = (
    "[pytest]\nmarkers =\n    flop_budget: FLOP budget (registered here for the comparison run)\n"
)


def write_suite(directory: Path, tests: int = TESTS, files: int = FILES) -> None:
    per_file = tests // files
    for index in range(files):
        (directory / f"test_bench_{index:02d}.py").write_text(
            _MODULE.format(index=index, count=per_file)
        )
    (directory / "pytest.ini").write_text(_INI)


def run_suite(directory: Path, plugin: bool) -> float:
    """Seconds for one ``python -m pytest`` run of the suite."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if not plugin:
        command += ["-p", "no:mechestim"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"benchmark suite failed ({'with' if plugin else 'without'} the plugin):\n{done.stdout}{done.stderr}"
        )
    return elapsed


def measure(rounds: int = 7) -> tuple[float, float, float]:
    """Median seconds with the plugin, without it, and their ratio."""
    with tempfile.TemporaryDirectory(prefix="mechestim-bench-plugin-") as tmp:
        directory = Path(tmp)
        write_suite(directory)
        run_suite(directory, True)  # warm the file system and bytecode caches
        run_suite(directory, False)
        with_plugin, without = [], []
        for _ in range(rounds):
            with_plugin.append(run_suite(directory, True))
            without.append(run_suite(directory, False))
    mine, base = statistics.median(with_plugin), statistics.median(without)
    return mine, base, mine / base


def main(rounds: int = 7) -> float:
    """Print the plugin figure and return the ratio (with plugin / without)."""
    mine, base, ratio = measure(rounds)
    verdict = "ok" if ratio <= 1.15 else "ABOVE TARGET"
    print(
        f"plugin: {TESTS} marked tests {mine:.2f} s with the plugin, {base:.2f} s with "
        f"-p no:mechestim: {ratio:.3f}x (target <= 1.15x, {verdict})"
    )
    return ratio


if __name__ == "__main__":
    main()
