"""Reports people read: what moved, the Markdown summary and job summary, the HTML report.

Each test writes a small suite with pytester. The ops have known costs: a
``(64, 64) @ (64, 64)`` matmul is 2 * 64**3 = 524,288 FLOPs, ``me.add(me.ones(n), 1)``
is n FLOPs. ``MATMULS`` and ``SIZES`` are rewritten between runs to make a test move.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import mechestim as me
from pytest_mechestim import __main__ as cli
from pytest_mechestim.baseline import read_flop_file

pytest_plugins = ["pytester"]

SUITE = """
import pytest
import mechestim as me

MATMULS = {matmuls}
SIZES = {sizes!r}

@pytest.mark.flop_budget(10**7, namespace="model")
def test_forward():
    a = me.ones((64, 64))
    for _ in range(MATMULS):
        a = me.matmul(a, me.ones((64, 64)))
    me.add(me.ones(SIZES["fwd"]), 1)

@pytest.mark.flop_budget(1_000, namespace="prep")
def test_prep():
    me.add(me.ones(SIZES["prep"]), 1)

def test_plain():
    me.exp(me.ones(SIZES["plain"]))
"""

BASE = "--flop-budget-baseline=base.json"
MATMUL = 2 * 64**3  # 524,288


def write_suite(pytester: pytest.Pytester, matmuls: int = 1, **sizes: int) -> None:
    values = {"fwd": 4096, "prep": 10, "plain": 100, **sizes}
    pytester.makepyfile(test_suite=SUITE.format(matmuls=matmuls, sizes=values))


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args)


def record_then_regress(pytester: pytest.Pytester) -> None:
    """A baseline from the suite, then the suite with a second matmul, more adds, a cheaper exp."""
    write_suite(pytester)
    assert run(pytester, BASE, "--flop-budget-update-baseline").ret == 0
    write_suite(pytester, matmuls=2, fwd=5000, plain=50)


# -- what moved ----------------------------------------------------------------------------
def test_a_regression_names_the_ops_that_moved_and_the_change_per_namespace(
    pytester: pytest.Pytester,
) -> None:
    record_then_regress(pytester)
    result = run(pytester, BASE)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "regressions (more FLOPs than base.json allows):",
            "  baseline        now     delta       %  test",
            "   528,384  1,053,576  +525,192  +99.4%  test_suite.py::test_forward",
            "what moved:",
            "  test_suite.py::test_forward  +525,192 FLOPs",
            "    matmul  +524,288  (1 -> 2 calls)",
            "    add         +904  (1 call)",
            "per namespace (tests in both runs):",
            "  namespace       tests  baseline        now     delta       %",
            "  model               1   528,384  1,053,576  +525,192  +99.4%",
            "  (no namespace)      1       100         50       -50  -50.0%",
            "if the increase is intended, record the new counts: pytest -p no:cacheprovider "
            "-p no:hypothesispytest --flop-budget-baseline=base.json * --flop-budget-update-baseline",
            "improvements (fewer FLOPs than the baseline):",
        ],
        consecutive=True,
    )
    assert "to record the improvements" not in result.stdout.str()  # one command is enough
    result.stdout.fnmatch_lines(["FAIL: 1 test above the FLOP baseline base.json (tolerance 0)"])
    assert "prep" not in result.stdout.str().split("per namespace")[1].split("improvements")[0]


def test_what_moved_lists_5_ops_by_default_and_all_at_v(pytester: pytest.Pytester) -> None:
    names = ["add", "subtract", "multiply", "maximum", "minimum", "hypot", "arctan2"]
    body = "\n".join(f"    me.{name}(me.ones({i + 1} * K), 1)" for i, name in enumerate(names))
    source = f"import mechestim as me\n\nK = {{k}}\n\ndef test_many():\n{body}\n"
    pytester.makepyfile(test_many=source.format(k=1))
    run(pytester, BASE, "--flop-budget-update-baseline")
    pytester.makepyfile(test_many=source.format(k=2))
    default = run(pytester, BASE)
    default.stdout.fnmatch_lines(
        [
            "  test_many.py::test_many  +28 FLOPs",
            "    arctan2   +7  (1 call)",
            "    hypot     +6  (1 call)",
            "    minimum   +5  (1 call)",
            "    maximum   +4  (1 call)",
            "    multiply  +3  (1 call)",
            "    ... and 2 more ops (-v lists them all)",
        ],
        consecutive=True,
    )
    verbose = run(pytester, BASE, "-v")
    verbose.stdout.fnmatch_lines(
        ["    multiply  +3  (1 call)", "    subtract  +2  (1 call)", "    add       +1  (1 call)"],
        consecutive=True,
    )
    assert "more ops" not in verbose.stdout.str()


def test_a_schema_1_baseline_still_loads_says_so_once_and_is_kept_until_an_update(
    pytester: pytest.Pytester,
) -> None:
    write_suite(pytester, matmuls=2)
    path = pytester.path / "base.json"
    old = {
        "cost_model": me.__cost_model__,
        "format": "pytest-mechestim baseline",
        "schema_version": 1,
        "tests": {
            "test_suite.py::test_forward": MATMUL + 4096,
            "test_suite.py::test_prep": 10,
            "test_suite.py::test_plain": 100,
        },
    }
    content = json.dumps(old, indent=2) + "\n"
    path.write_text(content)
    result = run(pytester, BASE, "--flop-budget-json=r.json", "--flop-budget-markdown=r.md")
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # compared as before, by totals
    text = result.stdout.str()
    assert text.count("schema 1") == 1
    result.stdout.fnmatch_lines(
        [
            "baseline base.json is schema 1 (per-test totals only): regressions cannot name the "
            "ops that moved; record it again with --flop-budget-update-baseline to add them",
        ]
    )
    result.stdout.fnmatch_lines(
        ["what moved:", "  test_suite.py::test_forward  +524,288 FLOPs", "per namespace *"],
        consecutive=True,
    )
    assert path.read_text() == content  # read, never rewritten without an update
    assert (
        json.loads((pytester.path / "r.json").read_text())["baseline"]["what_moved"][
            "per_op_detail"
        ]
        is False
    )
    assert "no per-op totals (schema 1)" in (pytester.path / "r.md").read_text()
    updated = run(pytester, BASE, "--flop-budget-update-baseline", "-k", "forward")
    assert updated.ret == 0
    updated.stdout.fnmatch_lines(["*schema 1*it is rewritten as schema 2 by this update"])
    data = json.loads(path.read_text())
    assert data["schema_version"] == 2
    assert data["tests"]["test_suite.py::test_forward"]["operations"]["matmul"] == {
        "calls": 2,
        "flop_cost": 2 * MATMUL,
    }
    # the tests that did not run keep their totals; they have no per-op totals to write
    assert data["tests"]["test_suite.py::test_prep"] == {"namespace": None, "used": 10}
    assert read_flop_file(path).tests["test_suite.py::test_prep"] == 10


def test_baseline_keeps_one_line_per_op_and_reads_back(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    run(pytester, BASE, "--flop-budget-update-baseline")
    text = (pytester.path / "base.json").read_text()
    assert '        "matmul": {"calls": 1, "flop_cost": 524288}\n' in text
    baseline = read_flop_file(pytester.path / "base.json")
    assert baseline.schema == 2 and baseline.namespaces["test_suite.py::test_forward"] == "model"
    assert baseline.operations["test_suite.py::test_forward"] == {
        "add": {"flop_cost": 4096, "calls": 1},
        "matmul": {"flop_cost": MATMUL, "calls": 1},
    }


def test_a_record_with_malformed_op_totals_keeps_its_total_without_detail(
    pytester: pytest.Pytester,
) -> None:
    record_then_regress(pytester)
    pytester.makeconftest(
        """
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report):
    record = getattr(report, "mechestim_flops", None)
    if record is not None and report.nodeid.endswith("test_forward"):
        record["operations"] = {"matmul": "lots"}  # as a worker of another version might send
"""
    )
    result = run(pytester, BASE, "--flop-budget-markdown=m.md", "--flop-budget-html=m.html")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "  test_suite.py::test_forward  +525,192 FLOPs",
            "    (no per-op totals for this test in the baseline)",
        ]
    )
    assert "per-op totals unreadable" in (pytester.path / "m.html").read_text()
    assert "`test_suite.py::test_forward`: +525,192 FLOPs" in (pytester.path / "m.md").read_text()
    run(pytester, BASE, "--flop-budget-update-baseline")
    entry = json.loads((pytester.path / "base.json").read_text())["tests"]
    assert entry["test_suite.py::test_forward"] == {"namespace": "model", "used": 1_053_576}


# -- compare --format ------------------------------------------------------------------------
def test_compare_prints_what_moved_in_text_markdown_and_json_with_the_same_exit_codes(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    write_suite(pytester)
    run(pytester, "--flop-budget-json=old.json")
    write_suite(pytester, matmuls=2, plain=50)
    run(pytester, "--flop-budget-json=new.json")
    old, new = str(pytester.path / "old.json"), str(pytester.path / "new.json")
    capsys.readouterr()
    assert cli.main(["compare", old, new]) == 1
    text = capsys.readouterr().out
    assert "    matmul  +524,288  (1 -> 2 calls)\n" in text and text.rstrip().endswith(
        "(tolerance 0)"
    )
    assert cli.main(["compare", old, new, "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out
    assert markdown.startswith("## FLOP comparison\n\n**FAIL**: 1 test above the FLOP baseline `")
    assert "  | `matmul` | +524,288 | (1 -> 2 calls) |" in markdown
    assert "| `model` | 1 | 528,384 | 1,052,672 | +524,288 | +99.2% |" in markdown
    assert cli.main(["compare", old, new, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["failed"] is True and data["regressions"][0]["delta"] == MATMUL
    assert data["what_moved"]["tests"]["test_suite.py::test_forward"] == [
        {
            "op": "matmul",
            "baseline": MATMUL,
            "now": 2 * MATMUL,
            "delta": MATMUL,
            "calls_baseline": 1,
            "calls_now": 2,
        }
    ]
    for fmt in ("text", "markdown", "json"):
        assert cli.main(["compare", old, old, "--format", fmt]) == 0
        assert cli.main(["compare", old, new, "--tolerance", "100%", "--format", fmt]) == 0
        assert cli.main(["compare", old, str(pytester.path / "nope.json"), "--format", fmt]) == 2
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["compare", old, new, "--format", "yaml"])
    assert exit_info.value.code == 2 and "invalid choice: 'yaml'" in capsys.readouterr().err


def test_compare_with_a_schema_1_file_gates_by_totals_and_says_so_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps({"cost_model": me.__cost_model__, "schema_version": 1, "tests": {"t::a": 10}})
    )
    new = tmp_path / "new.json"
    entry = {"used": 12, "namespace": None, "operations": {"add": {"calls": 1, "flop_cost": 12}}}
    new.write_text(
        json.dumps({"cost_model": me.__cost_model__, "schema_version": 2, "tests": {"t::a": entry}})
    )
    capsys.readouterr()
    assert cli.main(["compare", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert out.count("schema 1") == 1 and out.startswith(f"note: {old}: schema 1 (per-test")
    assert "  t::a  +2 FLOPs\n" in out and "add" not in out
    assert cli.main(["compare", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["what_moved"]["per_op_detail"] is False
    assert data["what_moved"]["tests"] == {"t::a": None}


# -- Markdown and the job summary --------------------------------------------------------------
def test_markdown_summary_has_verdict_tables_what_moved_and_the_update_command(
    pytester: pytest.Pytester,
) -> None:
    record_then_regress(pytester)
    result = run(pytester, BASE, "--flop-budget-markdown=out/flops.md", "--flop-budget-top=2")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["Markdown summary written to out/flops.md"])
    text = (pytester.path / "out" / "flops.md").read_text()
    assert text.startswith(
        "## FLOP budget\n\n**FAIL**: 1 test above the FLOP baseline `base.json` (tolerance 0).\n"
    )
    for expected in [
        "| namespace | tests | FLOPs used | budget total | % used | heaviest test |\n"
        "| --- | --: | --: | --: | --: | --- |\n"
        "| `(no namespace)` | 1 | 50 | - | - | `test_suite.py::test_plain` |\n"
        "| `model` | 1 | 1,053,576 | 10,000,000 | 10.5% | `test_suite.py::test_forward` |\n"
        "| `prep` | 1 | 10 | 1,000 | 1.0% | `test_suite.py::test_prep` |\n"
        "| **total** | 3 | 1,053,636 | 10,001,000 | 10.5% |  |\n",
        "### Top 2 tests by FLOPs\n",
        "| 1,053,576 | 10,000,000 | 10.5% | `model` | `test_suite.py::test_forward` |\n",
        "#### Regressions (more FLOPs than `base.json` allows)\n",
        "| 528,384 | 1,053,576 | +525,192 | +99.4% | `test_suite.py::test_forward` |\n",
        "#### What moved\n\n- `test_suite.py::test_forward`: +525,192 FLOPs\n\n"
        "  | op | FLOPs | calls |\n  | --- | --: | --- |\n"
        "  | `matmul` | +524,288 | (1 -> 2 calls) |\n  | `add` | +904 | (1 call) |\n",
        "| `model` | 1 | 528,384 | 1,053,576 | +525,192 | +99.4% |\n",
        "#### Improvements (fewer FLOPs than the baseline)\n",
        "| 100 | 50 | -50 | -50.0% | `test_suite.py::test_plain` |\n",
        "To record the new counts (if the change is intended), run:\n\n```\npytest ",
        "--flop-budget-update-baseline\n```\n",
    ]:
        assert expected in text
    assert (
        text.count("### Top") == 1
        and "`test_suite.py::test_prep` |\n\n" not in text.split("### Top")[1].split("###")[0]
    )
    # the ini twin writes the same file; a passing gate says PASS
    write_suite(pytester, matmuls=2, fwd=5000, plain=50)
    run(pytester, BASE, "--flop-budget-update-baseline")
    pytester.makeini("[pytest]\nflop_budget_markdown = ini.md\nflop_budget_baseline = base.json\n")
    assert run(pytester).ret == 0
    passing = (pytester.path / "ini.md").read_text()
    assert "**PASS**: no test above the FLOP baseline `base.json` (tolerance 0)." in passing
    assert "Tolerance 0: 3 compared, 0 regressed, 0 improved, 0 new." in passing


def test_markdown_escapes_what_users_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_odd="""
import pytest
import mechestim as me

@pytest.mark.parametrize("n", [pytest.param(3, id="<b>x|y`z</b>")])
@pytest.mark.flop_budget(100, namespace="a|b")
def test_odd(n):
    me.add(me.ones(n), 1)
"""
    )
    run(pytester, "--flop-budget-markdown=o.md")
    text = (pytester.path / "o.md").read_text()
    row = next(line for line in text.splitlines() if line.startswith("| 3 | 100 |"))
    assert row == "| 3 | 100 | 3.0% | `a\\|b` | ``test_odd.py::test_odd[<b>x\\|y`z</b>]`` |"
    assert row.replace("\\|", "").count("|") == 6  # five cells, whatever the names hold
    ns_row = next(line for line in text.splitlines() if line.startswith("| `a"))
    assert ns_row.startswith("| `a\\|b` | 1 | 3 | 100 | 3.0% |")


def test_step_summary_is_appended_never_truncated_and_can_be_turned_off(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_suite(pytester)
    summary = pytester.path / "job-summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run(pytester).ret == 0  # no --flop-budget-markdown needed
    first = summary.read_text()
    assert first.startswith("# earlier step\n\n## FLOP budget\n\nNo FLOP baseline was compared")
    assert "| `model` | 1 | 528,384 | 10,000,000 | 5.3% | `test_suite.py::test_forward` |" in first
    run(pytester, "--flop-budget-markdown=own.md")
    second = summary.read_text()
    assert second.startswith(first) and second.count("## FLOP budget") == 2
    assert second[len(first) :] == "\n" + (pytester.path / "own.md").read_text()
    run(pytester, "--flop-budget-no-step-summary", "--flop-budget-markdown=own.md")
    assert summary.read_text() == second and (pytester.path / "own.md").exists()
    pytester.makeini("[pytest]\nflop_budget_no_step_summary = true\n")
    run(pytester)
    assert summary.read_text() == second
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(pytester.path / "no-such-dir" / "s.md"))
    result = run(pytester, "-o", "flop_budget_no_step_summary=false")
    result.assert_outcomes(passed=3)
    assert "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        ["ERROR: could not append to the job summary $GITHUB_STEP_SUMMARY *no-such-dir/s.md: *"]
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # a summary that was not written fails CI


def test_readable_reports_that_cannot_be_written_fail_the_run_after_the_others(
    pytester: pytest.Pytester,
) -> None:
    write_suite(pytester)
    (pytester.path / "blocked").write_text("a file where a directory is needed")
    result = run(
        pytester,
        "--flop-budget-markdown=blocked/a.md",
        "--flop-budget-html=blocked/a.html",
        "--flop-budget-json=flops.json",
    )
    result.assert_outcomes(passed=3)
    assert "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "FLOP report written to flops.json",
            "ERROR: could not write the FLOP Markdown summary blocked/a.md: Not a directory",
            "ERROR: could not write the FLOP HTML report blocked/a.html: Not a directory",
        ]
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # CI notices the missing reports
    assert (pytester.path / "flops.json").is_file()  # the others are still written
    (pytester.path / "blocked").unlink()
    (pytester.path / "blocked").mkdir()
    result = run(pytester, "--flop-budget-html=blocked/a.html")
    assert result.ret == pytest.ExitCode.OK and (pytester.path / "blocked" / "a.html").is_file()


def test_a_step_summary_that_is_not_a_regular_file_is_refused_and_fails_the_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_suite(pytester)
    (pytester.path / "summary.md").mkdir()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(pytester.path / "summary.md"))
    result = run(pytester)
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "ERROR: could not append to the job summary $GITHUB_STEP_SUMMARY summary.md: *"
            "is a directory, not a regular file*"
        ]
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_a_step_summary_naming_the_baseline_or_a_report_is_a_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_suite(pytester)
    run(pytester, BASE, "--flop-budget-update-baseline")
    original = (pytester.path / "base.json").read_text()
    (pytester.path / "alias.json").symlink_to(pytester.path / "base.json")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(pytester.path / "alias.json"))
    result = run(pytester, BASE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: the job summary $GITHUB_STEP_SUMMARY and the baseline * name the same file *"]
    )
    assert (pytester.path / "base.json").read_text() == original
    assert run(pytester, BASE, "--flop-budget-no-step-summary").ret == pytest.ExitCode.OK
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "flops.md")
    result = run(pytester, "--flop-budget-markdown=./flops.md")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: the job summary * and the FLOP Markdown summary *"])


WORDS = {"markdown": "the FLOP Markdown summary", "html": "the FLOP HTML report"}


@pytest.mark.parametrize("spelling", ["plain", "symlink", "dotdot"])
@pytest.mark.parametrize("key", ["markdown", "html"])
def test_a_report_naming_the_baseline_is_a_usage_error(
    pytester: pytest.Pytester, key: str, spelling: str
) -> None:
    write_suite(pytester)
    run(pytester, BASE, "--flop-budget-update-baseline")
    original = (pytester.path / "base.json").read_text()
    (pytester.path / "d").mkdir()
    (pytester.path / "d" / "alias").symlink_to(pytester.path / "base.json")
    path = {"plain": "base.json", "symlink": "d/alias", "dotdot": "d/../base.json"}[spelling]
    result = run(pytester, BASE, f"--flop-budget-{key}={path}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: {WORDS[key]} (--flop-budget-{key} *) and the baseline * name the same file *"]
    )
    assert (pytester.path / "base.json").read_text() == original
    assert (pytester.path / "d" / "alias").is_symlink()


def test_readable_reports_may_not_name_each_other_or_the_json_report(
    pytester: pytest.Pytester,
) -> None:
    write_suite(pytester)
    result = run(pytester, "--flop-budget-json=out/r", "--flop-budget-html=out/../out/r")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: the FLOP HTML report (--flop-budget-html *) and the FLOP report (* name the same*"]
    )
    result = run(pytester, "--flop-budget-markdown=same", "--flop-budget-html=./same")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: the FLOP HTML report * and the FLOP Markdown summary *"])


# -- HTML --------------------------------------------------------------------------------------
def html_of(pytester: pytest.Pytester, *args: str, name: str = "report.html") -> str:
    run(pytester, f"--flop-budget-html={name}", *args)
    return (pytester.path / name).read_text()


def test_html_report_is_self_contained_with_charts_table_ops_and_what_moved(
    pytester: pytest.Pytester,
) -> None:
    record_then_regress(pytester)
    page = html_of(pytester, BASE)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # nothing is fetched: no src/href attributes, no stylesheet links, a CSP that forbids it
    assert not re.search(r"\b(src|href)\s*=", page) and "<link" not in page
    assert "default-src 'none'" in page
    assert "FAIL: 1 test above the FLOP baseline base.json (tolerance 0)" in page
    charts = re.findall(r'<svg class="bars"[^>]*aria-label="([^"]+)"', page)
    assert charts == [
        "FLOPs used against budget per namespace",
        "FLOPs used against budget per test",
    ]
    assert "<title>model: 1,053,576 / 10,000,000 (10.5%)</title>" in page
    assert "<title>test_suite.py::test_plain: 50 (no budget)</title>" in page
    table = page.split('<table id="tests">')[1].split("</table></section>")[0]
    assert [h for h in re.findall(r"<th[^>]*>([^<]+)</th>", table.split("</thead>")[0])] == [
        "namespace",
        "test (click for its ops)",
        "budget",
        "FLOPs used",
        "% used",
        "outcome",
        "baseline delta",
    ]
    rows = re.split(r"(?=<tr><td><code>[^<]*</code></td><td><details>)", table)[1:]
    assert len(rows) == 3
    forward = next(r for r in rows if "test_suite.py::test_forward</code></summary>" in r)
    assert '<td class="num" data-v="1053576">1,053,576</td>' in forward
    assert '<td class="num up" data-v="525192">+525,192</td>' in forward
    assert (
        '<tr><td><code>matmul</code></td><td class="num">2</td>'
        '<td class="num">1,048,576</td><td class="num">10.5%</td></tr>'
    ) in forward  # the test's per-op breakdown
    prep = next(r for r in rows if "::test_prep<" in r)
    assert '<td class="num" data-v="0">0</td>' in prep  # compared, unchanged
    moved = page.split('<h3 id="what-moved">')[1]
    assert (
        '<tr><td><code>matmul</code></td><td class="num">+524,288</td><td>(1 -&gt; 2 calls)</td></tr>'
        in moved
    )
    # the ini twin
    pytester.makeini("[pytest]\nflop_budget_html = from-ini.html\n")
    run(pytester)
    assert "No FLOP baseline was compared" in (pytester.path / "from-ini.html").read_text()


def test_html_escapes_what_users_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_odd="""
import pytest
import mechestim as me

@pytest.mark.parametrize("n", [pytest.param(3, id="<script>alert(1)</script>&\\"'")])
@pytest.mark.flop_budget(100, namespace="<i>ns&")
def test_odd(n):
    me.add(me.ones(n), 1)
"""
    )
    page = html_of(pytester)
    assert "<script>alert" not in page and "<i>ns" not in page
    assert "<code>&lt;i&gt;ns&amp;</code>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#x27;" in page
    assert page.count("<script>") == 1  # only the page's own sorting script


# -- a real browser ----------------------------------------------------------------------------
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no headless browser installed (looked for " + ", ".join(BROWSERS) + "); "
        "install Debian's chromium package to run this check"
    )


def _render(browser: str, page: Path) -> tuple[str, list[str]]:
    """The DOM after scripts ran, and every console message the page logged."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def test_html_renders_in_headless_chromium_without_console_errors_and_sorts(
    pytester: pytest.Pytester,
) -> None:
    browser = _browser()
    broken = pytester.path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><script>undefinedName();</script></body></html>")
    _, console = _render(browser, broken)
    assert any("undefinedName" in line for line in console)  # the check sees console errors

    record_then_regress(pytester)
    html_of(pytester, BASE)
    page = pytester.path / "report.html"
    dom, console = _render(browser, page)
    assert console == []
    assert 'aria-label="FLOPs used against budget per test"' in dom
    assert '<th tabindex="0" title="sort by this column">namespace</th>' in dom  # the script ran
    # click "FLOPs used" twice (ascending, then descending) and read the order back
    probe = (
        "<script>var h = document.querySelectorAll('#tests th')[3]; h.click(); h.click();"
        "var ids = Array.prototype.map.call(document.querySelectorAll('#tests tbody summary'),"
        " function (s) { return s.textContent; });"
        "document.body.setAttribute('data-order', ids.join(','));"
        "document.body.setAttribute('data-sort', h.getAttribute('aria-sort'));</script>"
    )
    sorted_page = pytester.path / "sorted.html"
    sorted_page.write_text(page.read_text().replace("</body>", probe + "</body>"))
    dom, console = _render(browser, sorted_page)
    assert console == []
    assert (
        'data-order="test_suite.py::test_forward,test_suite.py::test_plain,test_suite.py::test_prep"'
        in dom
    )
    assert 'data-sort="descending"' in dom


def test_step_summary_is_written_once_under_xdist(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("xdist")
    record_then_regress(pytester)
    summary = pytester.path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    reports = {}
    for workers in ("2", "0"):
        result = pytester.runpytest_subprocess(
            "-n",
            workers,
            "-p",
            "no:cacheprovider",
            BASE,
            "--flop-budget-markdown=r.md",
            "--flop-budget-html=r.html",
        )
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        # the same files, but for the update command (its -n and pytester's --basetemp)
        reports[workers] = [
            re.sub(
                r"pytest .*?--flop-budget-update-baseline",
                "CMD",
                (pytester.path / name).read_text(),
            )
            for name in ("r.md", "r.html")
        ]
        assert all(text.count("CMD") == 1 for text in reports[workers])
    assert reports["2"] == reports["0"]
    text = summary.read_text()
    assert text.count("## FLOP budget") == 2 and text.count("  | `matmul` | +524,288 |") == 2
    assert os.environ["GITHUB_STEP_SUMMARY"] == str(summary)
