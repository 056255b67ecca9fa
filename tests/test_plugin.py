"""The pytest plugin (pytest_mechestim): marker, fixture, enforcement, report, options.

Each test writes a small suite with pytester and runs it in-process; the op of known
cost is ``me.add(me.ones(n), 1)``, which costs n FLOPs (``me.ones`` is free).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import mechestim as me

pytest_plugins = ["pytester"]

HEADER = "import threading\nimport pytest\nimport mechestim as me\n"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args)


def run_json(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict]:
    result = run(pytester, "--flop-budget-json=flops.json", *args)
    return result, json.loads((pytester.path / "flops.json").read_text())


def by_id(report: dict) -> dict[str, dict]:
    return {t["nodeid"].split("::", 1)[1]: t for t in report["tests"]}


# -- the marker and the budget boundary ----------------------------------------------------
def test_budget_is_inclusive_at_n_minus_1_n_and_n_plus_1(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
@pytest.mark.flop_budget(9)
def test_under():
    me.add(me.ones(10), 1)

@pytest.mark.flop_budget(10)
def test_exact():
    me.add(me.ones(10), 1)

@pytest.mark.flop_budget(11)
def test_over():
    me.add(me.ones(10), 1)
"""
    )
    result, report = run_json(pytester)
    tests = by_id(report)
    assert tests["test_under"]["outcome"] == "failed"
    assert tests["test_exact"]["outcome"] == "passed"
    assert tests["test_over"]["outcome"] == "passed"
    assert tests["test_exact"]["used"] == 10 and tests["test_exact"]["budget"] == 10
    result.assert_outcomes(passed=2, failed=1)


def test_overrun_message_names_op_cost_remaining_budget_namespace_and_test(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        HEADER
        + """
@pytest.mark.flop_budget(25, namespace="fwd")
def test_heavy():
    me.add(me.ones(5), 1)
    me.multiply(me.ones(8), 2)
    me.add(me.ones(5), 1)
    me.add(me.ones(10), 1)
"""
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)  # failed, not error
    result.stdout.fnmatch_lines(
        [
            "FLOP budget exceeded in test_overrun_message_names*.py::test_heavy",
            "  add would cost 10 FLOPs but only 7 remain (test budget 25 FLOPs, namespace 'fwd')",
            "  refused at test_overrun_message_names*.py:10 in test_heavy",
            "    me.add(me.ones(10), 1)",
            "  top ops (18 of 25 FLOPs used): add 10 (2 calls, 40.0%), multiply 8 (1 call, 32.0%)",
            "=*= FLOP budget =*",
        ],
        consecutive=True,
    )
    verbose = run(pytester, "-v")
    verbose.stdout.fnmatch_lines(
        [
            "  refused at test_overrun_message_names*.py:10 in test_heavy",
            "    me.add(me.ones(10), 1)",
            "  ops so far (18 FLOPs used of 25):",
            "    op        calls  FLOPs  % of budget",
            "    add           2     10        40.0%",
            "    multiply      1      8        32.0%",
        ],
        consecutive=True,
    )


def test_overrun_message_short_by_default_full_table_at_v_one_line_at_q(
    pytester: pytest.Pytester,
) -> None:
    names = ["add", "subtract", "multiply", "maximum", "minimum", "hypot", "arctan2"]
    body = "\n".join(f"    me.{name}(me.ones({i + 1}), 1)" for i, name in enumerate(names))
    pytester.makepyfile(
        HEADER
        + f"@pytest.mark.flop_budget(30)\ndef test_many():\n{body}\n    me.add(me.ones(50), 1)\n"
    )
    default = run(pytester)
    default.stdout.fnmatch_lines(
        [
            "  refused at *.py:13 in test_many",
            "    me.add(me.ones(50), 1)",
            "  top ops (28 of 30 FLOPs used): arctan2 7 (1 call, 23.3%), hypot 6 (1 call, 20.0%), "
            "minimum 5 (1 call, 16.7%); -v lists all 7",
        ],
        consecutive=True,
    )
    assert "maximum" not in default.stdout.str() and "op   " not in default.stdout.str()
    for flag in ("-v", "-vv"):
        verbose = run(pytester, flag)
        verbose.stdout.fnmatch_lines(
            ["    arctan2 *", "    hypot *", "    minimum *", "    maximum *", "    multiply *",
             "    subtract *", "    add *"],
            consecutive=True,
        )
        assert "top ops" not in verbose.stdout.str() and "more ops" not in verbose.stdout.str()
    quiet = run(pytester, "-q")
    quiet.stdout.fnmatch_lines(
        [
            "FLOP budget exceeded in *::test_many: add would cost 50 FLOPs but only 2 remain "
            "(test budget 30 FLOPs, no namespace); top op arctan2: 7 FLOPs (23.3% of budget)"
        ]
    )


def test_a_caught_overrun_still_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
def library_code():
    try:
        return me.add(me.ones(10), 1)
    except Exception:
        return None  # a broad except hides the refusal

@pytest.mark.flop_budget(5)
def test_swallowed():
    assert library_code() is None

@pytest.mark.flop_budget(5)
def test_swallowed_then_failed():
    library_code()
    raise KeyError("later problem")
"""
    )
    result = run(pytester)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["the test also raised KeyError: 'later problem'"])
    result.stdout.fnmatch_lines(
        [
            "*add would cost 10 FLOPs but only 5 remain*",
            "*the BudgetExhaustedError never reached the test (caught by the code under test); "
            "the test fails anyway",
            "*refused at *:7 in library_code",
        ]
    )


def test_xfail_raises_budget_exhausted_covers_an_overrun(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
@pytest.mark.xfail(raises=me.BudgetExhaustedError, strict=True)
@pytest.mark.flop_budget(5)
def test_expected_overrun():
    try:
        me.add(me.ones(10), 1)
    except Exception:
        pass

@pytest.mark.flop_budget(5)
def test_real_overrun():
    me.add(me.ones(10), 1)
"""
    )
    result = run(pytester)
    result.assert_outcomes(xfailed=1, failed=1)
    # the summary tags each overrun with its test's outcome: an expected one is no failure
    result.stdout.fnmatch_lines(
        [
            "over budget:",
            "  XFAILED *::test_expected_overrun: *",
            "  FAILED *::test_real_overrun: *",
        ]
    )


def test_unittest_async_doctest_and_leaked_contexts(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + '''
import asyncio
import unittest
from mechestim._core import budget as _budget

@pytest.mark.flop_budget(100)
def test_leaks_a_context():
    me.BudgetContext(50).__enter__()
    me.add(me.ones(3), 1)

def test_after_the_leak_the_stack_is_clean():
    assert _budget.current_stack() is None

@pytest.mark.flop_budget(20, namespace="aio")
def test_async(flop_budget):
    async def work():
        me.add(me.ones(7), 1)
    asyncio.run(work())
    assert flop_budget.flops_used == 7

@pytest.mark.flop_budget(5)
class TestUnit(unittest.TestCase):
    def test_over(self):
        me.add(me.ones(10), 1)

    def test_ok(self):
        me.add(me.ones(5), 1)

def square():
    """
    >>> import mechestim as me
    >>> int(me.sum(me.ones(4)))
    4
    """
'''
    )
    result, report = run_json(pytester, "--doctest-modules")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "FLOP budget exceeded in *::TestUnit::test_over",
            "  add would cost 10 FLOPs but only 5 remain*",
        ]
    )
    assert "never reached the test" not in result.stdout.str()
    tests = by_id(report)
    (doctest,) = [t for name, t in tests.items() if name.endswith(".square")]
    assert doctest["used"] == 4 and tests["test_async"]["namespace"] == "aio"


def test_threads_started_by_the_test_charge_its_budget(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
def work(n):
    me.add(me.ones(n), 1)

def in_thread(n):
    t = threading.Thread(target=work, args=(n,))
    t.start()
    t.join()

@pytest.mark.flop_budget(15)
def test_thread_overruns():
    work(10)
    in_thread(10)

@pytest.mark.flop_budget(100, namespace="ns")
def test_thread_counted(flop_budget):
    in_thread(7)
    assert flop_budget.flops_used == 7

def test_thread_counted_unmarked(flop_budget):
    threads = [threading.Thread(target=work, args=(3,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert flop_budget.flops_used == 12
"""
    )
    result, report = run_json(pytester)
    tests = by_id(report)
    assert tests["test_thread_overruns"]["outcome"] == "failed"
    assert tests["test_thread_counted"]["used"] == 7
    assert tests["test_thread_counted_unmarked"]["used"] == 12
    result.assert_outcomes(passed=2, failed=1)


def test_class_module_and_parameter_marks_closest_wins(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
pytestmark = pytest.mark.flop_budget(1000, namespace="module")

def test_module_level(flop_budget):
    assert (flop_budget.flop_budget, flop_budget.namespace) == (1000, "module")

@pytest.mark.flop_budget(500, namespace="cls")
class TestGroup:
    def test_class_level(self, flop_budget):
        assert (flop_budget.flop_budget, flop_budget.namespace) == (500, "cls")

    @pytest.mark.flop_budget(50)
    def test_function_level(self, flop_budget):
        assert (flop_budget.flop_budget, flop_budget.namespace) == (50, None)

@pytest.mark.flop_budget(20)
@pytest.mark.parametrize(
    "size", [5, pytest.param(30, marks=pytest.mark.flop_budget(40, namespace="param"))]
)
def test_param(size, flop_budget):
    me.add(me.ones(size), 1)
"""
    )
    result, report = run_json(pytester)
    tests = by_id(report)
    assert tests["test_param[5]"]["budget"] == 20
    assert tests["test_param[30]"]["budget"] == 40
    assert tests["test_param[30]"]["namespace"] == "param"
    assert tests["TestGroup::test_function_level"]["budget"] == 50
    result.assert_outcomes(passed=5)


@pytest.mark.parametrize(
    "args",
    [
        "",
        "0",
        "-5",
        "float('nan')",
        "float('inf')",
        "True",
        "'100'",
        "None",
        "1, 2",
        "10, bogus=1",
        "0.5",
    ],
)
def test_bad_marker_value_is_a_collection_error_naming_the_test(
    pytester: pytest.Pytester, args: str
) -> None:
    pytester.makepyfile(
        HEADER
        + f"""
@pytest.mark.flop_budget({args})
def test_bad():
    pass

def test_fine():
    pass
"""
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*::test_bad: invalid @pytest.mark.flop_budget: *"])
    assert "test_fine" not in result.stdout.str()


def test_marker_is_registered_for_strict_markers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(HEADER + "@pytest.mark.flop_budget(10)\ndef test_a():\n    pass\n")
    run(pytester, "--strict-markers").assert_outcomes(passed=1)
    result = run(pytester, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.flop_budget(n, *, namespace=None):*"])


# -- the fixture ---------------------------------------------------------------------------
def test_fixture_reads_the_live_budget_and_opens_block_budgets(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
from pytest_mechestim import BudgetReading, FlopBudgetFixture

@pytest.mark.flop_budget(1000, namespace="model")
def test_blocks(flop_budget: FlopBudgetFixture):
    assert isinstance(flop_budget, FlopBudgetFixture)
    assert (flop_budget.flops_used, flop_budget.flop_budget, flop_budget.flops_remaining) == (0, 1000, 1000)
    with flop_budget(100, namespace="fwd") as fwd:
        me.add(me.ones(10), 1)
        with flop_budget(50) as inner:
            me.multiply(me.ones(4), 2)
    with flop_budget(60, namespace="bwd") as bwd:
        me.add(me.ones(20), 1)
    assert isinstance(fwd, BudgetReading)
    assert (fwd.flops_used, fwd.flop_budget, fwd.flops_remaining) == (14, 100, 86)
    assert inner.flops_used == 4 and inner.namespace is None
    assert bwd.operations == {"add": {"flop_cost": 20, "calls": 1}}
    assert [r.namespace for r in fwd.op_log] == ["model/fwd", "model/fwd"]
    assert flop_budget.flops_used == 34 and flop_budget.flops_remaining == 966
    assert flop_budget.operations["add"] == {"flop_cost": 30, "calls": 2}
    assert [r.op_name for r in flop_budget.op_log] == ["add", "multiply", "add"]
    assert not flop_budget.exceeded and len(flop_budget.blocks) == 3

def test_unlimited(flop_budget):
    me.add(me.ones(3), 1)
    assert (flop_budget.flops_used, flop_budget.flop_budget, flop_budget.flops_remaining) == (3, None, None)

def test_bad_block_budget(flop_budget):
    with pytest.raises(ValueError, match="finite number > 0, got 0"):
        flop_budget(0)
    with pytest.raises(TypeError):
        flop_budget("10")
    with pytest.raises(TypeError, match="namespace"):
        flop_budget(10, namespace=3)
"""
    )
    result, report = run_json(pytester)
    result.assert_outcomes(passed=3)
    blocks = by_id(report)["test_blocks"]["blocks"]
    assert blocks == [
        {"namespace": "fwd", "budget": 100, "used": 14, "exceeded": False},
        {"namespace": None, "budget": 50, "used": 4, "exceeded": False},
        {"namespace": "bwd", "budget": 60, "used": 20, "exceeded": False},
    ]


def test_fixture_protocol_declares_every_documented_attribute() -> None:
    from pytest_mechestim import FlopBudgetFixture

    documented = ["flops_used", "flop_budget", "flops_remaining", "namespace", "operations"]
    documented += ["op_log", "exceeded", "blocks", "__call__"]  # the table in docs/plugin.md
    assert [name for name in documented if not hasattr(FlopBudgetFixture, name)] == []


def test_block_overruns_swallowed_fail_escaped_and_expected_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
def test_swallowed_in_block(flop_budget):
    with flop_budget(5, namespace="fwd") as fwd:
        try:
            me.add(me.ones(10), 1)
        except Exception:
            pass
    assert fwd.exceeded

def test_expected_overrun(flop_budget):
    with pytest.raises(me.BudgetExhaustedError):
        with flop_budget(5):
            me.add(me.ones(10), 1)

def test_uncaught(flop_budget):
    with flop_budget(5, namespace="bwd"):
        me.add(me.ones(10), 1)
"""
    )
    result, report = run_json(pytester)
    tests = by_id(report)
    assert tests["test_swallowed_in_block"]["outcome"] == "failed"
    assert tests["test_expected_overrun"]["outcome"] == "passed"
    assert tests["test_uncaught"]["outcome"] == "failed"
    result.stdout.fnmatch_lines(
        [
            "*add would cost 10 FLOPs but only 5 remain (block budget 5 FLOPs, namespace 'fwd')",
            "*the BudgetExhaustedError never reached the test*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["*add would cost 10 FLOPs but only 5 remain (block budget 5 FLOPs, namespace 'bwd')"]
    )


# -- measurement without a marker, defaults, setup --------------------------------------------
def test_unmarked_tests_are_measured_without_changing_what_the_test_sees(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        HEADER
        + """
from mechestim._core import budget as _budget

def test_plain():
    assert _budget.current_stack() is None
    me.add(me.ones(10), 1)
    assert _budget.global_default().flops_used == 10
    with me.BudgetContext(100) as b:
        me.add(me.ones(5), 1)
    summary = me.budget_summary_dict(by_namespace=True)
    assert summary["flop_budget"] == 100 + 10**15
    assert summary["flops_used"] == 15 and b.flops_used == 5
"""
    )
    me.budget_reset()
    result, report = run_json(pytester)
    result.assert_outcomes(passed=1)
    (test,) = report["tests"]
    assert (test["budget"], test["used"], test["enforced"]) == (None, 15, False)
    assert test["operations"] == {"add": {"flop_cost": 15, "calls": 2}}


def test_default_budget_applies_to_unmarked_tests_and_the_marker_wins(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        HEADER
        + """
def test_unmarked():
    me.add(me.ones(10), 1)

@pytest.mark.flop_budget(100)
def test_marked():
    me.add(me.ones(10), 1)
"""
    )
    result, report = run_json(pytester, "--flop-budget-default=5")
    tests = by_id(report)
    assert (tests["test_unmarked"]["budget"], tests["test_unmarked"]["outcome"]) == (5, "failed")
    assert (tests["test_marked"]["budget"], tests["test_marked"]["outcome"]) == (100, "passed")
    for unlimited in ("0", "none", "None"):
        run(pytester, f"--flop-budget-default={unlimited}").assert_outcomes(passed=2)
    # ini < command line: the ini default is overridden by the flag
    pytester.makeini("[pytest]\nflop_budget_default = 5\n")
    run(pytester).assert_outcomes(passed=1, failed=1)
    run(pytester, "--flop-budget-default=1e3").assert_outcomes(passed=2)


def test_setup_and_teardown_are_charged_only_with_include_setup(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
@pytest.fixture
def data():
    yield me.add(me.ones(10), 1)
    me.add(me.ones(3), 1)

@pytest.mark.flop_budget(17)
def test_uses_fixture(data, flop_budget):
    me.add(me.ones(4), 1)
"""
    )
    result, report = run_json(pytester)
    result.assert_outcomes(passed=1)
    assert report["tests"][0]["used"] == 4
    result, report = run_json(pytester, "--flop-budget-include-setup")
    result.assert_outcomes(passed=1)
    assert report["tests"][0]["used"] == 17
    assert report["tests"][0]["outcome"] == "passed"
    pytester.makepyfile(
        HEADER
        + """
@pytest.fixture
def data():
    return me.add(me.ones(10), 1)

@pytest.mark.flop_budget(12)
def test_uses_fixture(data):
    me.add(me.ones(4), 1)
"""
    )
    run(pytester).assert_outcomes(passed=1)
    result = run(pytester, "--flop-budget-include-setup")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*add would cost 4 FLOPs but only 2 remain*"])


def test_an_overrun_settled_by_skip_or_fail_is_not_reported_again_at_teardown(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        HEADER
        + """
def swallow(n):
    try:
        me.add(me.ones(n), 1)
    except me.BudgetExhaustedError:
        pass

@pytest.mark.flop_budget(15)
def test_skips():
    swallow(20)
    pytest.skip("not today")

@pytest.mark.flop_budget(15)
def test_xfails():
    swallow(20)
    pytest.xfail("known")

@pytest.mark.flop_budget(15)
def test_fails():
    swallow(20)
    pytest.fail("boom")
"""
    )
    for args in ([], ["--flop-budget-include-setup"]):
        result = run(pytester, *args)
        result.assert_outcomes(skipped=1, xfailed=1, failed=1)
        assert "ERROR at teardown" not in result.stdout.str()


def test_report_only_measures_without_enforcing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
@pytest.mark.flop_budget(9, namespace="fwd")
def test_over(flop_budget):
    me.add(me.ones(4), 1)
    me.add(me.ones(10), 1)
    assert flop_budget.flop_budget == 9 and flop_budget.flops_remaining == -5
    assert flop_budget.exceeded

def test_block(flop_budget):
    with flop_budget(2) as b:
        me.add(me.ones(3), 1)
    assert b.exceeded
"""
    )
    result, report = run_json(pytester, "--flop-budget-report-only", "-W", "error::UserWarning")
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.OK
    tests = by_id(report)
    assert tests["test_over"]["used"] == 14
    assert tests["test_over"]["overrun"].endswith(
        "add cost 10 FLOPs with only 5 remaining; 14 used in all (test budget 9 FLOPs, namespace 'fwd')"
    )
    result.stdout.fnmatch_lines(["over budget:", "  warning (report-only) *::test_block: *"])
    warned = run(pytester, "--flop-budget-report-only")
    warned.stdout.fnmatch_lines(["*FlopBudgetWarning: *::test_over: add cost 10 FLOPs*"])
    pytester.makeini("[pytest]\nflop_budget_report_only = true\n")
    run(pytester).assert_outcomes(passed=2)


# -- the terminal summary, junitxml, options ------------------------------------------------
SUITE = (
    HEADER
    + """
@pytest.mark.flop_budget(100_000, namespace="model")
def test_big():
    me.add(me.ones(12_345), 1)

@pytest.mark.flop_budget(5_000, namespace="model")
def test_small():
    me.add(me.ones(1_000), 1)

@pytest.mark.flop_budget(50)
def test_tiny():
    me.add(me.ones(7), 1)

def test_free():
    pass
"""
)


def test_summary_section_rows_top_tests_and_header(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = run(pytester, "--flop-budget-top=2")
    result.stdout.fnmatch_lines(
        [
            "*= FLOP budget =*",
            f"pytest-mechestim *, mechestim {me.__version__}, cost model {me.__cost_model__}; default budget unlimited",
            "  namespace       tests  FLOPs used  budget total  % used  heaviest test",
            "  (no namespace)      2           7            50   14.0%  test_suite.py::test_tiny",
            "  model               2      13,345       105,000   12.7%  test_suite.py::test_big",
            "  total               4      13,352       105,050   12.7%",
            "",
            "top 2 tests by FLOPs:",
            "   FLOPs   budget  % used  namespace  test",
            "  12,345  100,000   12.3%  model      test_suite.py::test_big",
            "   1,000    5,000   20.0%  model      test_suite.py::test_small",
        ]
    )
    result.stdout.fnmatch_lines(["mechestim FLOP budget: pytest-mechestim *"])  # the session header
    quiet = run(pytester, "-q")
    quiet.stdout.fnmatch_lines(["  namespace       tests  FLOPs used  budget total  % used"])
    assert "top " not in quiet.stdout.str() and "heaviest" not in quiet.stdout.str()
    hidden = run(pytester, "--flop-budget-no-summary")
    assert "FLOP budget" not in hidden.stdout.str().replace("mechestim FLOP budget:", "")
    none = run(pytester, "--flop-budget-top=0")
    assert "tests by FLOPs" not in none.stdout.str()


def test_a_run_with_only_skipped_tests_says_nothing_was_measured(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(HEADER + "@pytest.mark.skip\ndef test_s():\n    me.add(me.ones(3), 1)\n")
    result = run(pytester)
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*= FLOP budget =*", "pytest-mechestim *", "no tests were measured"]
    )
    assert "namespace" not in result.stdout.str()


def test_summary_never_raises(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    from pytest_mechestim import controller

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(controller, "summary_lines", broken)
    pytester.makepyfile(SUITE)
    result = run(pytester)
    result.assert_outcomes(passed=4)
    assert result.ret == 0
    result.stdout.fnmatch_lines(["FLOP budget summary could not be printed: RuntimeError('boom')"])


def test_junitxml_properties_and_overrun_message(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SUITE
        + """
@pytest.mark.flop_budget(5, namespace="x")
def test_over():
    me.add(me.ones(6), 1)
"""
    )
    run(pytester, "--junitxml=junit.xml")
    root = ET.parse(pytester.path / "junit.xml").getroot()
    cases = {case.get("name"): case for case in root.iter("testcase")}
    props = {
        name: {p.get("name"): p.get("value") for p in case.iter("property")}
        for name, case in cases.items()
    }
    assert props["test_big"]["flop_budget_used"] == "12345"
    assert props["test_big"]["flop_budget_limit"] == "100000"
    assert props["test_free"]["flop_budget_limit"] == "none"
    assert "add would cost 6 FLOPs but only 5 remain" in props["test_over"]["flop_budget_overrun"]
    failure = cases["test_over"].find("failure")
    assert failure is not None and "add would cost 6 FLOPs" in failure.get("message")


def test_ini_only_configuration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    pytester.makefile(
        ".toml",
        pyproject="""
[tool.pytest.ini_options]
flop_budget_default = "1e9"
flop_budget_json = "reports/flops.json"
flop_budget_top = "1"
flop_budget_include_setup = "true"
""",
    )
    result = run(pytester)
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*default budget 1,000,000,000, setup/teardown charged, json reports/flops.json",
            "top 1 test by FLOPs:",
        ]
    )
    report = json.loads((pytester.path / "reports" / "flops.json").read_text())
    assert report["options"]["default_budget"] == 10**9
    assert report["options"]["include_setup"] is True
    assert by_id(report)["test_free"]["budget"] == 10**9


@pytest.mark.parametrize(
    ("args", "ini", "expected"),
    [
        (
            ["--flop-budget-default=lots"],
            "",
            "command-line option --flop-budget-default: expected a FLOP count*",
        ),
        (["--flop-budget-default=-3"], "", "command-line option --flop-budget-default: *-3*"),
        (
            ["--flop-budget-top=x"],
            "",
            "command-line option --flop-budget-top: expected a whole number*",
        ),
        (
            ["--flop-budget-tolerance=abc"],
            "",
            "command-line option --flop-budget-tolerance: expected a percentage*",
        ),
        (
            ["--flop-budget-tolerance=-5%"],
            "",
            "*--flop-budget-tolerance: a tolerance cannot be negative*",
        ),
        (
            [],
            "flop_budget_top = -1",
            "ini option flop_budget_top in *tox.ini: expected a whole number >= 0*",
        ),
        ([], "flop_budget_default = nan", "ini option flop_budget_default in *tox.ini: *got 'nan'"),
        (
            ["-o", "flop_budget_default=plenty"],
            "flop_budget_default = 10",
            "command-line option -o flop_budget_default: *got 'plenty'",
        ),
        (
            ["-o", "flop_budget_report_only=maybe"],
            "",
            "command-line option -o flop_budget_report_only: *maybe*",
        ),
        (
            [],
            "flop_budget_report_only = maybe",
            "ini option flop_budget_report_only in *tox.ini: *maybe*",
        ),
        (
            ["--flop-budget-json=flops.json"],
            "flop_budget_baseline = flops.json",
            "the FLOP report * and the baseline * name the same file *flops.json: *overwrite*",
        ),
        (
            ["--flop-budget-update-baseline"],
            "",
            "*--flop-budget-update-baseline needs a baseline file*",
        ),
    ],
)
def test_invalid_option_values_are_usage_errors_naming_the_option(
    pytester: pytest.Pytester, args: list[str], ini: str, expected: str
) -> None:
    pytester.makepyfile("def test_a():\n    pass\n")
    pytester.makefile(".ini", tox=f"[pytest]\n{ini}\n")
    result = run(pytester, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {expected}"])


@pytest.mark.parametrize(
    "mode", ["--collect-only", "--setup-only", "--setup-plan", "--fixtures", "--fixtures-per-test"]
)
def test_runs_that_call_no_test_print_and_write_nothing(
    pytester: pytest.Pytester, mode: str
) -> None:
    pytester.makepyfile(HEADER + "def test_a():\n    me.add(me.ones(3), 1)\n")
    run(pytester, "--flop-budget-baseline=base.json", "--flop-budget-update-baseline")
    recorded = (pytester.path / "base.json").read_text()
    assert '::test_a": {' in recorded and '"used": 3' in recorded
    baseline = ("--flop-budget-baseline=base.json", "--flop-budget-update-baseline")
    result = run(pytester, mode, "--flop-budget-json=flops.json", *baseline)
    assert result.ret == 0
    assert "= FLOP budget =" not in result.stdout.str()
    assert not (pytester.path / "flops.json").exists()
    assert (pytester.path / "base.json").read_text() == recorded  # no zero counts recorded


def test_help_lists_every_option_and_ini_key(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    assert result.ret == 0
    text = result.stdout.str()
    for key in (
        "default",
        "json",
        "baseline",
        "update_baseline",
        "tolerance",
        "top",
        "report_only",
        "no_summary",
        "include_setup",
        "markdown",
        "no_step_summary",
        "html",
    ):
        assert "--flop-budget-" + key.replace("_", "-") in text
        assert "flop_budget_" + key in text
    result.stdout.fnmatch_lines(["*a percentage such as 5% or an absolute*"])


def test_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(HEADER + "def test_a():\n    me.add(me.ones(3), 1)\n")
    result = run(pytester, "-p", "no:mechestim")
    result.assert_outcomes(passed=1)
    assert "FLOP budget" not in result.stdout.str()
