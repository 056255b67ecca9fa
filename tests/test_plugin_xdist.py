"""The plugin under pytest-xdist: records ride on the reports, the controller aggregates.

These run pytest in a subprocess (xdist workers are separate processes), so they are
the slowest plugin tests; there are few of them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("xdist")

pytest_plugins = ["pytester"]

MODEL = """
import threading
import pytest
import mechestim as me

SCALE = {scale}

@pytest.mark.flop_budget(10**6, namespace="model")
@pytest.mark.parametrize("n", range(6))
def test_layers(n, flop_budget):
    with flop_budget(10**5, namespace="fwd") as fwd:
        me.add(me.ones(100 * (n + 1) * SCALE), 1)
    me.multiply(me.ones(10 * n + 1), 2)
    assert fwd.flops_used == 100 * (n + 1) * SCALE

@pytest.mark.flop_budget(500)
def test_threads():
    workers = [threading.Thread(target=lambda: me.add(me.ones(25), 1)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()

@pytest.mark.flop_budget(5)
def test_overrun():
    try:
        me.add(me.ones(9), 1)
    except me.BudgetExhaustedError:
        pass
"""

OTHER = """
import pytest
import mechestim as me

@pytest.mark.xdist_group("g")
@pytest.mark.parametrize("n", range(8))
def test_plain(n):
    me.add(me.ones(n + 1), 1)

@pytest.mark.skip
def test_skipped():
    pass
"""


def _suite(pytester: pytest.Pytester, scale: int) -> None:
    pytester.makepyfile(test_model=MODEL.format(scale=scale), test_other=OTHER)


def test_two_workers_give_the_same_totals_as_one_process(pytester: pytest.Pytester) -> None:
    _suite(pytester, scale=1)
    pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--flop-budget-baseline=base.json",
        "--flop-budget-update-baseline",
    )
    _suite(pytester, scale=2)  # every test_layers case regresses against the baseline
    common = ("-p", "no:cacheprovider", "--flop-budget-baseline=base.json")
    distributed = pytester.runpytest_subprocess(
        "-n", "2", "--dist", "loadgroup", "--flop-budget-json=n2.json", "--junitxml=n2.xml", *common
    )
    single = pytester.runpytest_subprocess("-n", "0", "--flop-budget-json=n0.json", *common)
    for result in (distributed, single):
        result.assert_outcomes(passed=15, failed=1, skipped=1)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.stdout.fnmatch_lines(
            [
                "*add would cost 9 FLOPs but only 5 remain*",
                "  model   *  6 *",
                "FAIL: 6 tests above the FLOP baseline base.json (tolerance 0)",
            ]
        )
    n2 = json.loads((pytester.path / "n2.json").read_text())
    n0 = json.loads((pytester.path / "n0.json").read_text())
    assert n2 == n0  # every record, namespace total and comparison, exactly
    assert (
        n0["totals"]["flops_used"] == sum(200 * (n + 1) + 10 * n + 1 for n in range(6)) + 100 + 36
    )
    tests = {t["nodeid"]: t for t in n0["tests"]}
    assert tests["test_model.py::test_threads"]["used"] == 100
    assert tests["test_model.py::test_layers[5]"]["blocks"][0]["used"] == 1200
    assert len(n0["baseline"]["regressions"]) == 6
    root = ET.parse(pytester.path / "n2.xml").getroot()
    props = {
        case.get("name"): {p.get("name"): p.get("value") for p in case.iter("property")}
        for case in root.iter("testcase")
    }
    assert props["test_layers[2]"]["flop_budget_used"] == str(600 + 21)
    assert props["test_layers[2]"]["flop_budget_limit"] == str(10**6)
    assert "add would cost 9 FLOPs" in props["test_overrun"]["flop_budget_overrun"]


def test_bad_marker_under_xdist_is_a_collection_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        "import pytest\n\n@pytest.mark.flop_budget(-1)\ndef test_bad():\n    pass\n\ndef test_ok():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["*::test_bad: invalid @pytest.mark.flop_budget: the budget n must be a finite number > 0, got -1"]
    )
