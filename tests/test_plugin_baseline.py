"""The plugin's JSON report, baseline gate and ``python -m pytest_mechestim compare``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import mechestim as me
from pytest_mechestim import __main__ as cli
from pytest_mechestim.baseline import BaselineError, compare, load_baseline, read_flop_file
from pytest_mechestim.options import Tolerance, parse_tolerance

pytest_plugins = ["pytester"]

SUITE = """
import pytest
import mechestim as me

SIZES = {sizes!r}

def test_a():
    me.add(me.ones(SIZES["a"]), 1)

@pytest.mark.flop_budget(10_000, namespace="model")
def test_b():
    me.add(me.ones(SIZES["b"]), 1)
    me.multiply(me.ones(SIZES["b"]), 2)

def test_c():
    me.add(me.ones(SIZES["c"]), 1)
"""


def write_suite(pytester: pytest.Pytester, **sizes: int) -> None:
    values = {"a": 100, "b": 1000, "c": 10, **sizes}
    pytester.makepyfile(test_suite=SUITE.format(sizes=values))


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args)


def baseline_args(*extra: str) -> list[str]:
    return ["--flop-budget-baseline=flops-baseline.json", *extra]


# -- JSON report ---------------------------------------------------------------------------
def test_json_report_content(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    pytester.makepyfile(
        test_more="""
import pytest
import mechestim as me

@pytest.mark.flop_budget(5)
def test_over():
    me.add(me.ones(6), 1)

@pytest.mark.skip
def test_skipped():
    pass
"""
    )
    run(pytester, "--flop-budget-json=out/flops.json")
    report = json.loads((pytester.path / "out" / "flops.json").read_text())
    assert report["schema_version"] == 1
    assert report["mechestim_version"] == me.__version__
    assert report["cost_model"] == me.__cost_model__
    assert report["totals"] == {
        "tests": 4,
        "flops_used": 100 + 2000 + 10 + 0,
        "outcomes": {"failed": 1, "passed": 3, "skipped": 1},
    }
    tests = {t["nodeid"]: t for t in report["tests"]}
    assert list(tests) == sorted(tests)
    b = tests["test_suite.py::test_b"]
    assert b == {
        "nodeid": "test_suite.py::test_b",
        "namespace": "model",
        "budget": 10_000,
        "used": 2000,
        "outcome": "passed",
        "enforced": True,
        "operations": {
            "add": {"flop_cost": 1000, "calls": 1},
            "multiply": {"flop_cost": 1000, "calls": 1},
        },
        "overrun": None,
        "blocks": [],
    }
    over = tests["test_more.py::test_over"]
    assert over["outcome"] == "failed" and over["used"] == 0
    assert "add would cost 6 FLOPs but only 5 remain" in over["overrun"]
    assert tests["test_more.py::test_skipped"]["outcome"] == "skipped"
    namespaces = {row["namespace"]: row for row in report["namespaces"]}
    assert (
        namespaces["model"]["flops_used"] == 2000 and namespaces["model"]["flop_budget"] == 10_000
    )
    assert namespaces[None]["tests"] == 3 and namespaces[None]["flops_used"] == 110
    assert (
        namespaces[None]["flop_budget"] == 5
        and namespaces[None]["heaviest_test"] == "test_suite.py::test_a"
    )
    assert report["baseline"] is None
    leftovers = [p.name for p in (pytester.path / "out").iterdir()]
    assert leftovers == ["flops.json"]  # the atomic write leaves no temporary file


# -- baseline gate -------------------------------------------------------------------------
def test_update_then_unchanged_run_passes(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    result = run(pytester, *baseline_args("--flop-budget-update-baseline"))
    assert result.ret == 0
    path = pytester.path / "flops-baseline.json"
    text = path.read_text()
    add = {"add": {"calls": 1, "flop_cost": 100}}
    assert json.loads(text) == {
        "cost_model": me.__cost_model__,
        "format": "pytest-mechestim baseline",
        "schema_version": 2,
        "tests": {
            "test_suite.py::test_a": {"namespace": None, "operations": add, "used": 100},
            "test_suite.py::test_b": {
                "namespace": "model",
                "operations": {
                    "add": {"calls": 1, "flop_cost": 1000},
                    "multiply": {"calls": 1, "flop_cost": 1000},
                },
                "used": 2000,
            },
            "test_suite.py::test_c": {
                "namespace": None,
                "operations": {"add": {"calls": 1, "flop_cost": 10}},
                "used": 10,
            },
        },
    }
    assert text.endswith("}\n") and '  "tests": {\n    "test_suite.py::test_a": {\n' in text
    result = run(pytester, *baseline_args())
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        ["baseline *flops-baseline.json (tolerance 0): 3 compared, 0 regressed, 0 improved, 0 new"]
    )
    assert "FAIL" not in result.stdout.str()
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    assert path.read_text() == text  # stable formatting: an unchanged run rewrites the same bytes


def test_regression_fails_the_session_naming_the_test(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    write_suite(pytester, c=12)
    result = run(pytester, *baseline_args())
    result.assert_outcomes(passed=3)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "regressions (more FLOPs than *flops-baseline.json allows):",
            "  baseline  now  delta       %  test",
            "        10   12     +2  +20.0%  test_suite.py::test_c",
            "FAIL: 1 test above the FLOP baseline *flops-baseline.json (tolerance 0)",
        ]
    )
    assert result.stdout.lines[-2].startswith("FAIL: ")  # the closing line before pytest's own
    hidden = run(pytester, *baseline_args("--flop-budget-no-summary"))
    assert hidden.ret == pytest.ExitCode.TESTS_FAILED
    hidden.stdout.fnmatch_lines(["regression: test_suite.py::test_c: 10 -> 12 FLOPs", "FAIL: *"])


def test_an_update_says_its_increases_were_recorded_not_failed(pytester: pytest.Pytester) -> None:
    # Updating after a regression compares with the file as it was: the terminal and the
    # Markdown must not read like a failed gate ("regressions ... allows") when the run
    # exits 0 having recorded the new counts.
    write_suite(pytester)
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    write_suite(pytester, c=12)
    pytester.makepyfile(
        test_new="import mechestim as me\n\ndef test_fresh():\n    me.ones(3) + 1\n"
    )
    result = run(
        pytester,
        *baseline_args(
            "--flop-budget-update-baseline",
            "--flop-budget-markdown=f.md",
            "--flop-budget-html=f.html",
        ),
    )
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "baseline *flops-baseline.json updated: 4 tests from this run, 4 in the file",
            "baseline *flops-baseline.json before this update (tolerance 0): *1 regressed*1 new",
            "increases over the previous *flops-baseline.json (now recorded in it, not failed):",
            "        10   12     +2  +20.0%  test_suite.py::test_c",
            "new tests, now recorded in the baseline:",
        ]
    )
    assert "allows" not in result.stdout.str()
    assert "FAIL" not in result.stdout.str()
    markdown = (pytester.path / "f.md").read_text()
    assert "**UPDATED**" in markdown
    assert "before this update" in markdown
    assert "(now recorded in it, not failed)" in markdown
    assert "allows" not in markdown and "listed, not failed" not in markdown
    html = (pytester.path / "f.html").read_text()
    assert "before this update" in html and ">Regressions<" not in html


def test_the_fail_line_is_printed_even_when_the_summary_breaks(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_mechestim import controller

    write_suite(pytester)
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    write_suite(pytester, c=12)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(controller, "summary_lines", broken)
    result = run(pytester, *baseline_args())
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "FLOP budget summary could not be printed: RuntimeError('boom')",
            "FAIL: 1 test above the FLOP baseline *flops-baseline.json (tolerance 0)",
        ]
    )


def test_tolerance_percent_and_absolute(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    write_suite(pytester, a=105)  # +5%
    assert run(pytester, *baseline_args("--flop-budget-tolerance=5%")).ret == 0
    assert run(pytester, *baseline_args("--flop-budget-tolerance=4.9%")).ret == 1
    assert run(pytester, *baseline_args("--flop-budget-tolerance=5")).ret == 0
    assert run(pytester, *baseline_args("--flop-budget-tolerance=4")).ret == 1
    result = run(pytester, *baseline_args("--flop-budget-tolerance=10%"))
    result.stdout.fnmatch_lines(
        [
            "*1 within tolerance*",
            "increases within tolerance:",
            "       100  105     +5  +5.0%  test_suite.py::test_a",
        ]
    )
    pytester.makeini(
        "[pytest]\nflop_budget_tolerance = 5%\nflop_budget_baseline = flops-baseline.json\n"
    )
    assert run(pytester).ret == 0
    assert run(pytester, "--flop-budget-tolerance=0").ret == 1  # the flag beats the ini value


def test_improvements_and_new_tests_are_listed_not_failed(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    write_suite(pytester, b=500)
    pytester.makepyfile(
        test_new="import mechestim as me\n\ndef test_fresh():\n    me.add(me.ones(4), 1)\n"
    )
    result = run(pytester, *baseline_args())
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*: 3 compared, 0 regressed, 1 improved, 1 new",
            "improvements (fewer FLOPs than the baseline):",
            "  baseline    now   delta       %  test",
            "     2,000  1,000  -1,000  -50.0%  test_suite.py::test_b",
            "to record the improvements, run: pytest -p no:cacheprovider -p no:hypothesispytest "
            "--flop-budget-baseline=flops-baseline.json * --flop-budget-update-baseline",
            "new tests, not in the baseline (listed, not failed):",
            "  now  test",
            "    4  test_new.py::test_fresh",
        ]
    )


def test_partial_runs_are_not_flagged_and_update_only_what_ran(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    write_suite(pytester, a=1, c=11)
    result = run(pytester, *baseline_args("-k", "test_a"))
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*: 1 compared, 0 regressed, 1 improved, 0 new, 2 not run"])
    run(pytester, *baseline_args("-k", "test_a", "--flop-budget-update-baseline"))
    tests = read_flop_file(pytester.path / "flops-baseline.json").tests
    assert tests == {
        "test_suite.py::test_a": 1,
        "test_suite.py::test_b": 2000,
        "test_suite.py::test_c": 10,
    }
    # failed tests are neither compared nor recorded
    pytester.makepyfile(
        test_suite=SUITE.format(sizes={"a": 1, "b": 1000, "c": 11}) + "    assert False\n"
    )
    result = run(pytester, *baseline_args())
    assert (
        result.ret == 1
        and "regressed" in result.stdout.str()
        and "FAIL:" not in result.stdout.str()
    )


def test_missing_corrupt_or_stale_baseline_is_a_usage_error_and_never_overwritten(
    pytester: pytest.Pytester,
) -> None:
    write_suite(pytester)
    result = run(pytester, *baseline_args())
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: FLOP baseline *flops-baseline.json: no such file (create it with --flop-budget-update-baseline)"
        ]
    )
    path = pytester.path / "flops-baseline.json"
    for content, message in [
        ('{"tests": {"x": ', "*flops-baseline.json: not valid JSON*corrupt*"),
        ("[1, 2]", "*flops-baseline.json: not a FLOP baseline or report*"),
        (
            json.dumps({"cost_model": me.__cost_model__, "schema_version": 1, "tests": {"t": -1}}),
            "*must be a whole number >= 0*",
        ),
        (
            '{"cost_model": "other/9", "schema_version": 1, "tests": {}}',
            "*flops-baseline.json: recorded with cost model 'other/9'*not comparable*",
        ),
        (
            json.dumps({"cost_model": me.__cost_model__, "schema_version": 3, "tests": {}}),
            "*flops-baseline.json: this baseline has schema_version 3, *reads only schema_version 1 or 2*",
        ),
        (
            json.dumps({"cost_model": me.__cost_model__, "schema_version": 2, "tests": {"t": 5}}),
            "*flops-baseline.json: the entry of 't' must be an object with 'used', got 5",
        ),
        (
            json.dumps(
                {
                    "cost_model": me.__cost_model__,
                    "schema_version": 2,
                    "tests": {"t": {"used": 5, "operations": {"add": {"calls": 1}}}},
                }
            ),
            "*flops-baseline.json: op 'add' of 't' needs whole 'flop_cost' and 'calls' >= 0*",
        ),
    ]:
        path.write_text(content)
        result = run(pytester, *baseline_args())
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines([f"ERROR: FLOP baseline {message}"])
        assert path.read_text() == content
    path.write_bytes(b"\xff\xfe garbage")
    result = run(pytester, *baseline_args())
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: FLOP baseline *flops-baseline.json: cannot be read*"])
    # asking for an update replaces the unusable file
    result = run(pytester, *baseline_args("--flop-budget-update-baseline"))
    assert result.ret == 0
    result.stdout.fnmatch_lines(["the unusable baseline will be replaced: *"])
    assert read_flop_file(path).tests["test_suite.py::test_a"] == 100


# -- schema_version: a baseline this plugin did not write in its own schema is refused -----
MISSING = object()
BAD_SCHEMAS = [
    pytest.param(MISSING, "has no 'schema_version'", id="missing"),
    pytest.param(3, "has schema_version 3,", id="newer"),
    pytest.param(0, "has schema_version 0,", id="older"),
    pytest.param("1", "has schema_version '1',", id="string"),
    pytest.param(1.0, "has schema_version 1.0,", id="float"),
    pytest.param(True, "has schema_version True,", id="bool"),
    pytest.param(None, "has schema_version None,", id="null"),
    pytest.param([1], "has schema_version [1],", id="list"),
]


def _with_schema(schema: object, tests: object) -> str:
    data: dict[str, object] = {"cost_model": me.__cost_model__, "tests": tests}
    if schema is not MISSING:
        data["schema_version"] = schema
    return json.dumps(data, indent=2)


@pytest.mark.parametrize(("schema", "found"), BAD_SCHEMAS)
def test_load_baseline_refuses_a_wrong_schema_version(
    tmp_path: Path, schema: object, found: str
) -> None:
    path = tmp_path / "base.json"
    path.write_text(_with_schema(schema, {"t::a": 5}))
    with pytest.raises(BaselineError) as info:
        load_baseline(path, me.__cost_model__)
    message = str(info.value)
    assert message.startswith(f"{path}: this baseline {found}")
    assert "reads only schema_version 1 or 2 (an integer)" in message
    assert "--flop-budget-update-baseline" in message
    # a JSON report (tests as a list) is held to the report's schema_version the same way
    path.write_text(_with_schema(schema, [{"nodeid": "t::a", "used": 5, "outcome": "passed"}]))
    with pytest.raises(BaselineError, match="this JSON report .*reads only schema_version 1 "):
        read_flop_file(path)


def test_load_baseline_accepts_schema_version_1(tmp_path: Path) -> None:
    path = tmp_path / "base.json"
    path.write_text(_with_schema(1, {"t::a": 5}))
    assert load_baseline(path, me.__cost_model__).tests == {"t::a": 5}


@pytest.mark.parametrize(("schema", "found"), [BAD_SCHEMAS[0], BAD_SCHEMAS[1], BAD_SCHEMAS[3]])
def test_wrong_schema_version_is_a_usage_error_and_the_file_is_kept(
    pytester: pytest.Pytester, schema: object, found: str
) -> None:
    write_suite(pytester)
    path = pytester.path / "flops-baseline.json"
    content = _with_schema(schema, {"test_suite.py::test_a": 100})
    path.write_text(content)
    result = run(pytester, *baseline_args("--flop-budget-json=flops.json"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: FLOP baseline *flops-baseline.json: this baseline {found}*reads only schema_version 1 or 2*"
        ]
    )
    assert "Traceback" not in result.stderr.str()
    assert path.read_text() == content  # refused, never rewritten
    # only an explicit update replaces it, and the new file carries the version
    result = run(pytester, *baseline_args("--flop-budget-update-baseline"))
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [f"the unusable baseline will be replaced: *this baseline {found}*"]
    )
    assert json.loads(path.read_text())["schema_version"] == 2


def test_compare_refuses_a_wrong_schema_version(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    write_suite(pytester)
    run(pytester, "--flop-budget-json=report.json")
    good = _flop_file(pytester.path / "good.json", {"test_suite.py::test_a": 100})
    report = pytester.path / "report.json"
    data = json.loads(report.read_text())
    assert cli.main(["compare", good, str(report)]) == 0
    data["schema_version"] = 2
    report.write_text(json.dumps(data))
    capsys.readouterr()
    assert cli.main(["compare", good, str(report)]) == 2
    err = capsys.readouterr().err
    assert f"error: {report}: this JSON report has schema_version 2," in err
    assert "reads only schema_version 1" in err
    stale = pytester.path / "stale.json"
    stale.write_text(_with_schema("1", {"test_suite.py::test_a": 100}))
    for argv in (["compare", str(stale), good], ["compare", good, str(stale)]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert f"error: {stale}: this baseline has schema_version '1'," in err


def test_json_report_carries_the_comparison(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    run(pytester, *baseline_args("--flop-budget-update-baseline"))
    write_suite(pytester, c=20)
    run(pytester, *baseline_args("--flop-budget-json=flops.json"))
    comparison = json.loads((pytester.path / "flops.json").read_text())["baseline"]
    assert comparison["regressions"] == [
        {"nodeid": "test_suite.py::test_c", "baseline": 10, "now": 20, "delta": 10}
    ]
    assert comparison["compared"] == 3 and comparison["tolerance"] == "0"


# -- compare, tolerance parsing ----------------------------------------------------------------
def _flop_file(path: Path, tests: dict[str, int], cost_model: str = me.__cost_model__) -> str:
    path.write_text(json.dumps({"cost_model": cost_model, "schema_version": 1, "tests": tests}))
    return str(path)


def test_compare_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _flop_file(tmp_path / "old.json", {"t::a": 100, "t::b": 50, "t::gone": 1})
    same = _flop_file(tmp_path / "same.json", {"t::a": 100, "t::b": 50})
    worse = _flop_file(tmp_path / "worse.json", {"t::a": 104, "t::b": 40, "t::new": 7})
    assert cli.main(["compare", old, same]) == 0
    assert cli.main(["compare", old, worse]) == 1
    out = capsys.readouterr().out
    assert "t::a" in out and "FAIL: 1 test above the FLOP baseline" in out and "t::new" in out
    assert cli.main(["compare", old, worse, "--tolerance", "5%"]) == 0
    assert cli.main(["compare", old, worse, "--tolerance", "3"]) == 1
    assert cli.main(["compare", old, str(tmp_path / "missing.json")]) == 2
    assert "missing.json: no such file" in capsys.readouterr().err
    other = _flop_file(tmp_path / "other.json", {"t::a": 1}, cost_model="other/1")
    assert cli.main(["compare", old, other]) == 2
    assert "not comparable" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["compare", old, same, "--tolerance", "lots"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: python -m pytest_mechestim compare" in err  # the command's own usage
    assert "--tolerance" in err and "'lots'" in err


def test_compare_reads_json_reports_and_runs_as_a_module(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    run(pytester, "--flop-budget-json=old.json")
    write_suite(pytester, b=1500)
    run(pytester, "--flop-budget-json=new.json")
    assert read_flop_file(pytester.path / "new.json").tests["test_suite.py::test_b"] == 3000
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run(
        [sys.executable, "-m", "pytest_mechestim", "compare", "old.json", "new.json"],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 1, done.stderr
    assert "test_suite.py::test_b" in done.stdout and "+1,000" in done.stdout
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest_mechestim",
            "compare",
            "old.json",
            "new.json",
            "--tolerance",
            "50%",
        ],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("text", "amount", "percent"),
    [
        ("0", 0, False),
        ("5%", 5, True),
        (" 2.5 % ", Fraction(5, 2), True),
        ("1e6", 10**6, False),
        ("1_000", 1000, False),
    ],
)
def test_parse_tolerance(text: str, amount: Fraction, percent: bool) -> None:
    assert parse_tolerance(text) == Tolerance(Fraction(amount), percent)


@pytest.mark.parametrize("text", ["", "%", "abc", "-1", "5%%", "nan", "inf", "1e"])
def test_parse_tolerance_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_tolerance(text)


def test_tolerance_boundaries_are_exact() -> None:
    tol = parse_tolerance("5%")
    assert not tol.is_regression(100, 105) and tol.is_regression(100, 106)
    assert tol.is_regression(0, 1)  # any increase over zero is beyond a percentage
    result = compare({"a": 3, "b": 0}, {"a": 3, "b": 0, "c": 1}, parse_tolerance("0"))
    assert (result.unchanged, list(result.new), result.failed) == (2, ["c"], False)


def test_atomic_write_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_mechestim import _files

    target = tmp_path / "report.json"
    target.write_text("old\n")
    target.chmod(0o640)
    _files.write_atomic(target, "new\n")
    assert target.read_text() == "new\n" and (target.stat().st_mode & 0o777) == 0o640

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(_files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        _files.write_atomic(target, "newer\n")
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_report_that_cannot_be_written_is_reported_not_raised(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    (pytester.path / "blocked").write_text("a file where a directory is needed")
    result = run(pytester, "--flop-budget-json=blocked/flops.json")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["ERROR: could not write the FLOP report *blocked/flops.json: *"])


def test_a_node_id_from_an_undecodable_file_name_round_trips_through_the_baseline(
    pytester: pytest.Pytester,
) -> None:
    name = os.path.join(os.fsencode(pytester.path), b"test_\xff.py")
    try:
        with open(name, "wb") as stream:
            stream.write(b"import mechestim as me\n\ndef test_a():\n    me.add(me.ones(3), 1)\n")
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")
    result = run(pytester, "--flop-budget-baseline=base.json", "--flop-budget-update-baseline")
    result.assert_outcomes(passed=1)
    assert "INTERNALERROR" not in result.stdout.str()
    assert read_flop_file(pytester.path / "base.json").tests == {"test_\udcff.py::test_a": 3}
    result = run(pytester, "--flop-budget-baseline=base.json")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*1 compared, 0 regressed*"])


def test_a_record_that_cannot_be_read_is_left_out_not_a_crash(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    pytester.makeconftest(
        """
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report):
    record = getattr(report, "mechestim_flops", None)
    if record is not None and report.nodeid.endswith("test_b"):
        record["used"] = "lots"  # as a worker of another plugin version might send
"""
    )
    result = run(
        pytester, *baseline_args("--flop-budget-update-baseline"), "--flop-budget-json=r.json"
    )
    result.assert_outcomes(passed=3)
    assert result.ret == 0
    assert "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*::test_b: its FLOP record cannot be read; left out"])
    counts = read_flop_file(pytester.path / "flops-baseline.json").tests
    assert sorted(counts) == ["test_suite.py::test_a", "test_suite.py::test_c"]
