"""The plugin under hostile input: paths, special files, failed writes, malformed files,
huge tolerances, concurrent updates, bad markers and the messages it prints.

The rules are in docs/plugin.md, "Files, exit codes and hostile input". Every case here
was broken once (issue 14); most run in-process with pytester, the ones that need real
processes (parallel updates, values that once made parsing hang) run as subprocesses
with a timeout.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import mechestim as me
from pytest_mechestim import __main__ as cli

pytest_plugins = ["pytester"]

USAGE = pytest.ExitCode.USAGE_ERROR
SUITE = (
    "import mechestim as me\n\n"
    "def test_a():\n    me.add(me.ones(4), 1)\n\n"
    "def test_b():\n    me.add(me.ones(6), 1)\n"
)
COUNTS = {"test_suite.py::test_a": 4, "test_suite.py::test_b": 6}
HUGE = "1e999999999"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args)


def baseline_text(tests: dict[str, int]) -> str:
    data = {
        "cost_model": me.__cost_model__,
        "format": "pytest-mechestim baseline",
        "schema_version": 1,
        "tests": tests,
    }
    return json.dumps(data, indent=2)


def baseline2_text(tests: dict[str, dict]) -> str:
    """A schema-2 baseline: node id -> {"namespace", "used", "operations"}."""
    data = {
        "cost_model": me.__cost_model__,
        "format": "pytest-mechestim baseline",
        "schema_version": 2,
        "tests": tests,
    }
    return json.dumps(data, indent=2)


def recorded(path: Path) -> dict[str, dict]:
    """The entries of the schema-2 baseline the plugin wrote at ``path``."""
    data = json.loads(path.read_text())
    assert data["schema_version"] == 2
    return data["tests"]


def add_entry(n: int) -> dict:
    """The baseline entry of a test that ran ``me.add`` once on ``n`` elements."""
    return {"namespace": None, "operations": {"add": {"calls": 1, "flop_cost": n}}, "used": n}


# -- the report never overwrites the baseline, however the path is spelled ------------------
@pytest.mark.parametrize("spelling", ["dotdot", "symlink", "hardlink", "absolute"])
def test_report_path_naming_the_baseline_is_refused(
    pytester: pytest.Pytester, spelling: str
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    base = pytester.path / "base.json"
    original = baseline_text({"test_suite.py::test_a": 1})
    base.write_text(original)
    (pytester.path / "d").mkdir()
    if spelling == "dotdot":
        report = "d/../base.json"
    elif spelling == "symlink":
        (pytester.path / "d" / "alias.json").symlink_to(base)
        report = "d/alias.json"
    elif spelling == "hardlink":
        os.link(base, pytester.path / "d" / "twin.json")
        report = "d/twin.json"
    else:
        report = str(base)
    result = run(pytester, "--flop-budget-baseline=base.json", f"--flop-budget-json={report}")
    assert result.ret == USAGE
    result.stderr.fnmatch_lines(
        [
            "ERROR: the FLOP report (--flop-budget-json*) and the baseline * name the same file *"
            "the report would overwrite the baseline"
        ]
    )
    assert base.read_text() == original


def test_output_path_check_is_shared_by_every_report(tmp_path: Path) -> None:
    """The helper other output options (Markdown, HTML) call: none may name the baseline."""
    from pytest_mechestim._files import check_output_paths

    base = tmp_path / "base.json"
    base.write_text("{}")
    (tmp_path / "alias.json").symlink_to(base)
    with pytest.raises(ValueError, match=r"the markdown report .*name the same file .*alias\.json"):
        check_output_paths(base, [("the markdown report", tmp_path / "alias.json")])
    with pytest.raises(ValueError, match="the html report and the FLOP report name the same file"):
        check_output_paths(
            None,
            [
                ("the FLOP report", tmp_path / "out.json"),
                ("the html report", tmp_path / "x/../out.json"),
            ],
        )
    check_output_paths(base, [("the FLOP report", tmp_path / "out.json"), ("unset", None)])


# -- writes go through symlinks; FIFOs and devices are refused ---------------------------------
def test_writes_go_through_symlinks_to_their_targets(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE)
    store = pytester.path / "store"
    store.mkdir()
    (store / "base.json").write_text(baseline_text({"test_suite.py::test_a": 1}))
    (pytester.path / "base.json").symlink_to("store/base.json")
    (pytester.path / "flops.json").symlink_to("store/reports/flops.json")  # dangling for now
    result = run(
        pytester,
        "--flop-budget-baseline=base.json",
        "--flop-budget-update-baseline",
        "--flop-budget-json=flops.json",
    )
    assert result.ret == pytest.ExitCode.OK
    assert (pytester.path / "base.json").is_symlink() and (
        pytester.path / "flops.json"
    ).is_symlink()
    assert recorded(store / "base.json") == {k: add_entry(v) for k, v in COUNTS.items()}
    report = json.loads((store / "reports" / "flops.json").read_text())
    assert [t["nodeid"] for t in report["tests"]] == sorted(COUNTS)
    assert sorted(p.name for p in store.iterdir()) == ["base.json", "base.json.lock", "reports"]


@pytest.mark.parametrize("kind", ["fifo", "device-link", "directory"])
def test_special_file_as_report_is_a_usage_error(pytester: pytest.Pytester, kind: str) -> None:
    pytester.makepyfile(test_suite=SUITE)
    path = pytester.path / "flops.json"
    if kind == "fifo":
        os.mkfifo(path)
        words = "is a FIFO (named pipe), not a regular file"
    elif kind == "device-link":
        path.symlink_to(os.devnull)  # as root, replacing it once removed the device node
        words = "(-> /dev/null) is a character device, not a regular file"
    else:
        path.mkdir()
        words = "is a directory, not a regular file"
    before = os.lstat(path)
    result = run(pytester, "--flop-budget-json=flops.json")
    assert result.ret == USAGE
    result.stderr.fnmatch_lines(
        [f"ERROR: command-line option --flop-budget-json: *flops.json {words}*"]
    )
    after = os.lstat(path)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (
        before.st_ino,
        stat.S_IFMT(before.st_mode),
    )
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("update", [False, True])
def test_fifo_baseline_is_refused_without_blocking(pytester: pytest.Pytester, update: bool) -> None:
    pytester.makepyfile(test_suite=SUITE)
    fifo = pytester.path / "base.json"
    os.mkfifo(fifo)

    # Opening a FIFO for reading once blocked forever. This writer answers such a reader
    # (so a regression fails instead of hanging); it is released below otherwise.
    def answer_a_reader() -> None:
        handle = os.open(fifo, os.O_WRONLY)  # returns once someone opens it for reading
        os.write(handle, b"{}")
        os.close(handle)

    writer = threading.Thread(target=answer_a_reader, daemon=True)
    writer.start()
    try:
        args = ["--flop-budget-baseline=base.json"]
        result = run(pytester, *args, *(["--flop-budget-update-baseline"] if update else []))
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    finally:
        release = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        writer.join(timeout=30)
        os.close(release)
    assert result.ret == USAGE
    result.stderr.fnmatch_lines(
        ["ERROR: command-line option --flop-budget-baseline: *base.json is a FIFO (named pipe)*"]
    )


# -- a report or baseline that cannot be written fails the run --------------------------------
@pytest.mark.parametrize("which", ["json", "baseline"])
def test_failed_write_fails_the_run_after_the_summary(
    pytester: pytest.Pytester, which: str
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    (pytester.path / "afile").write_text("a file, not a directory\n")
    if which == "json":
        args = ["--flop-budget-json=afile/report.json"]
        what = "the FLOP report afile/report.json"
    else:
        args = ["--flop-budget-baseline=afile/base.json", "--flop-budget-update-baseline"]
        what = "the FLOP baseline afile/base.json"
    result = run(pytester, *args)
    result.assert_outcomes(passed=2)
    assert result.ret == USAGE
    lines = result.stdout.lines
    errors = [i for i, line in enumerate(lines) if line.startswith("ERROR: could not write")]
    assert len(errors) == 1
    assert lines[errors[0]] == f"ERROR: could not write {what}: Not a directory"
    section = next(i for i, line in enumerate(lines) if "FLOP budget" in line and "=" in line)
    assert errors[0] > section


def test_failed_write_keeps_a_failing_exit_status(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE + "\ndef test_c():\n    assert False\n")
    (pytester.path / "afile").write_text("")
    result = run(pytester, "--flop-budget-json=afile/report.json")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["ERROR: could not write the FLOP report afile/report.json: *"])


# -- malformed baselines are usage errors (compare: exit 2), never an INTERNALERROR -----------
MALFORMED = {
    "nested-unclosed": (
        "[" * 100_000,
        "not valid JSON (nested too deeply to be a FLOP file); the file looks corrupt",
    ),
    "nested-closed": ("[" * 100_000 + "]" * 100_000, "not valid JSON (nested too deeply*"),
    "duplicate-test": (
        baseline_text({"t::a": 1}).replace('"t::a": 1', '"t::a": 1, "t::a": 2'),
        "not valid JSON (the key 't::a' appears twice in one object)*",
    ),
    "duplicate-field": (
        baseline_text({}).replace(
            '"schema_version": 1', '"schema_version": 1, "schema_version": 1'
        ),
        "not valid JSON (the key 'schema_version' appears twice*",
    ),
    "nan-anywhere": (
        baseline_text({}).replace('"format"', '"note": NaN, "format"'),
        "not valid JSON (NaN is not a JSON number)*",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_baseline_is_a_usage_error(pytester: pytest.Pytester, case: str) -> None:
    text, words = MALFORMED[case]
    pytester.makepyfile(test_suite=SUITE)
    (pytester.path / "base.json").write_text(text)
    result = run(pytester, "--flop-budget-baseline=base.json")
    assert result.ret == USAGE
    result.stderr.fnmatch_lines([f"ERROR: FLOP baseline *base.json: {words}"])
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output and "Traceback" not in output
    assert (pytester.path / "base.json").read_text() == text


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_compare_on_a_malformed_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, words = MALFORMED[case]
    (tmp_path / "bad.json").write_text(text)
    (tmp_path / "good.json").write_text(baseline_text({}))
    for args in (["bad.json", "good.json"], ["good.json", "bad.json"]):
        code = cli.main(["compare", *(str(tmp_path / name) for name in args)])
        assert code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert len(lines) == 1
        pytest.LineMatcher(lines).fnmatch_lines([f"error: *bad.json: {words}"])


# -- tolerances past a sane range are refused at once -----------------------------------------
def _subprocess(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # A subprocess with a timeout: 1e999999999 once computed 10**999999999 and never returned.
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_huge_tolerance_on_the_command_line_and_in_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = _subprocess(
        ["-m", "pytest", "-p", "no:cacheprovider", f"--flop-budget-tolerance={HUGE}"], pytester.path
    )
    assert result.returncode == USAGE
    assert (
        "ERROR: command-line option --flop-budget-tolerance: a tolerance must be at most "
        f"2**63 = 9,223,372,036,854,775,808 FLOPs, got '{HUGE}'"
    ) in result.stderr
    pytester.makeini(f"[pytest]\nflop_budget_tolerance = {HUGE}%\n")
    result = _subprocess(["-m", "pytest", "-p", "no:cacheprovider"], pytester.path)
    assert result.returncode == USAGE
    assert "ERROR: ini option flop_budget_tolerance in " in result.stderr
    assert f"a tolerance must be at most 1,000,000%, got '{HUGE}%'" in result.stderr


def test_huge_tolerance_in_compare(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(baseline_text({}))
    result = _subprocess(
        ["-m", "pytest_mechestim", "compare", "a.json", "a.json", "--tolerance", HUGE], tmp_path
    )
    assert result.returncode == 2
    assert (
        f"a tolerance must be at most 2**63 = 9,223,372,036,854,775,808 FLOPs, got '{HUGE}'"
        in result.stderr
    )


def test_tolerance_parsing_time_does_not_grow_with_the_value(tmp_path: Path) -> None:
    script = """
from pytest_mechestim.options import parse_tolerance
for text in ["1e-999999999", "1e999999999%", "0e999999999", "1" * 100_000, "9" * 30 + "%",
             "1000000%", "1000001%", str(2**63), str(2**63 + 1), "1e-30", "1e-31", "0.5e-29"]:
    try:
        print(repr(text[:15]), "->", parse_tolerance(text))
    except ValueError as exc:
        print(repr(text[:15]), "!!", exc)
"""
    result = _subprocess(["-c", script], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "'1e-999999999' !! a tolerance must be 0 or at least 1e-30, got '1e-999999999'"
    )
    assert (
        lines[1] == "'1e999999999%' !! a tolerance must be at most 1,000,000%, got '1e999999999%'"
    )
    assert lines[2] == "'0e999999999' -> 0"
    assert lines[3].startswith(
        "'111111111111111' !! expected a percentage such as 5% or a FLOP count"
    )
    assert "100,000 characters" in lines[3]
    assert lines[4].startswith("'999999999999999' !! a tolerance must be at most 1,000,000%")
    assert lines[5] == "'1000000%' -> 1,000,000%"
    assert lines[6] == "'1000001%' !! a tolerance must be at most 1,000,000%, got '1000001%'"
    assert lines[7] == "'922337203685477' -> 9,223,372,036,854,775,808 FLOPs"
    assert lines[8].startswith("'922337203685477' !! a tolerance must be at most 2**63")
    assert lines[9] == "'1e-30' -> 1e-30 FLOPs"
    assert lines[10] == "'1e-31' !! a tolerance must be 0 or at least 1e-30, got '1e-31'"
    assert lines[11] == "'0.5e-29' -> 5e-30 FLOPs"


# -- parallel partial updates of one baseline lose no entry -----------------------------------
BARRIER = """
import os
import time

import pytest

RUNS = 4


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    # Every run has read the baseline (at configure) before any of them writes it.
    here = os.path.dirname(os.path.abspath(__file__))
    open(os.path.join(here, f"arrived-{os.getpid()}"), "w").close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sum(name.startswith("arrived-") for name in os.listdir(here)) >= RUNS:
            break
        time.sleep(0.01)
"""


def test_parallel_partial_updates_merge_under_a_lock(pytester: pytest.Pytester) -> None:
    groups = "abcd"
    tests = [
        f"def test_{g}{i}():\n    me.add(me.ones({i + 1}), 1)\n" for g in groups for i in range(11)
    ]
    pytester.makepyfile(test_suite="import mechestim as me\n\n" + "\n".join(tests))
    pytester.makeconftest(BARRIER)
    old = {"namespace": "kept", "operations": {"matmul": {"calls": 2, "flop_cost": 7}}, "used": 7}
    (pytester.path / "base.json").write_text(baseline2_text({"test_suite.py::test_old": old}))
    # Only this plugin is loaded, to keep the four interpreters light.
    command = [sys.executable, "-m", "pytest", "-p", "pytest_mechestim.plugin", "-q"]
    command += ["--flop-budget-baseline=base.json", "--flop-budget-update-baseline"]
    runs = [
        subprocess.Popen(
            [*command, "-k", f"test_{g}"],
            cwd=pytester.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        )
        for g in groups
    ]
    outputs = [run.communicate(timeout=240)[0] for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, outputs
    # every entry keeps its per-op totals (schema 2), the older one included
    expected = {f"test_suite.py::test_{g}{i}": add_entry(i + 1) for g in groups for i in range(11)}
    assert recorded(pytester.path / "base.json") == {**expected, "test_suite.py::test_old": old}


# -- markers and fixture arguments: the library's validators, escaped output ------------------
@pytest.mark.parametrize(
    ("namespace", "words"),
    [
        (
            "a/b",
            "namespace must not contain '/', got 'a/b'; nest contexts instead (mark the outer"
            " name and open `with flop_budget(n, namespace=...)` in the test for the inner one)",
        ),
        ("a\x1b[2Jb", "namespace must not contain control characters, got 'a\\x1b[[]2Jb'"),
        ("line\nbreak", "namespace must not contain control characters, got 'line\\nbreak'"),
    ],
)
def test_bad_marker_namespace_is_a_collection_error(
    pytester: pytest.Pytester, namespace: str, words: str
) -> None:
    pytester.makepyfile(
        test_suite="import pytest\nimport mechestim as me\n\n"
        f"@pytest.mark.flop_budget(100, namespace={namespace!r})\n"
        "def test_marked():\n    me.add(me.ones(4), 1)\n\n"
        "def test_fine():\n    pass\n"
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"test_suite.py::test_marked: invalid @pytest.mark.flop_budget: {words}"]
    )
    output = result.stdout.str()
    assert "_budget.py" not in output and "Traceback" not in output
    assert "\x1b" not in output and "line\nbreak" not in output


def test_bad_fixture_namespace_is_refused_by_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_suite="""
import pytest

@pytest.mark.parametrize("namespace, words", [
    ("a/b", "namespace must not contain '/'"),
    ("a\\x07b", "namespace must not contain control characters, got 'a\\\\x07b'"),
])
def test_block(flop_budget, namespace, words):
    with pytest.raises(ValueError) as info:
        flop_budget(100, namespace=namespace)
    assert str(info.value).startswith("flop_budget(...): " + words)
    assert info.traceback[-1].path.name == "fixture.py"  # not from inside mechestim
    assert flop_budget.blocks == []
"""
    )
    run(pytester).assert_outcomes(passed=2)


def test_user_text_is_printed_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = "t.py::test_\x1b[2J\r\u2028x"
    (tmp_path / "old.json").write_text(baseline_text({evil: 1, "t.py::same": 3}))
    (tmp_path / "new.json").write_text(
        baseline_text({evil: 5, "t.py::same": 3, "t.py::new_\x07": 2})
    )
    code = cli.main(["compare", str(tmp_path / "old.json"), str(tmp_path / "new.json")])
    assert code == 1
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\r\u2028\x07")
    assert "t.py::test_\\x1b[2J\\r\\u2028x" in out and "t.py::new_\\x07" in out
    from pytest_mechestim._files import printable

    assert printable("plain é") == "plain é"


def test_what_moved_is_printed_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Op names and namespaces of a schema-2 file reach the terminal in what moved: escaped."""
    evil = "t.py::test_\x1b[2J"

    def entry(used: int) -> dict:
        ops = {"mat\x1b[31mmul": {"calls": 1, "flop_cost": used}}
        return {"namespace": "ns\r\x07", "operations": ops, "used": used}

    (tmp_path / "old.json").write_text(baseline2_text({evil: entry(1)}))
    (tmp_path / "new.json").write_text(baseline2_text({evil: entry(5)}))
    code = cli.main(["compare", str(tmp_path / "old.json"), str(tmp_path / "new.json")])
    assert code == 1
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\r\x07"), out
    assert "  t.py::test_\\x1b[2J  +4 FLOPs" in out
    assert "mat\\x1b[31mmul  +4" in out and "ns\\r\\x07" in out
    # the note about a schema-1 file names it: escaped too
    (tmp_path / "old\x1b[2J.json").write_text(baseline_text({evil: 1}))
    for fmt in ("text", "markdown"):
        code = cli.main(
            [
                "compare",
                str(tmp_path / "old\x1b[2J.json"),
                str(tmp_path / "new.json"),
                "--format",
                fmt,
            ]
        )
        assert code == 1
        out = capsys.readouterr().out
        assert "schema 1" in out and "\x1b" not in out, out


# -- messages --------------------------------------------------------------------------------
THREADS = """
import threading
import pytest
import mechestim as me

def in_a_thread(target):
    worker = threading.Thread(target=target)
    worker.start()
    worker.join()

def swallow():
    try:
        me.add(me.ones(10), 1)
    except Exception:
        pass

@pytest.mark.flop_budget(5)
def test_thread_swallows():
    in_a_thread(swallow)

@pytest.mark.flop_budget(5)
def test_thread_dies():
    in_a_thread(lambda: me.add(me.ones(10), 1))

@pytest.mark.flop_budget(5)
def test_caught_here():
    swallow()
"""


@pytest.mark.parametrize("quiet", [False, True])
def test_overrun_in_a_thread_says_so(pytester: pytest.Pytester, quiet: bool) -> None:
    pytester.makepyfile(test_suite=THREADS)
    args = [
        "--flop-budget-json=flops.json",
        "--junitxml=out.xml",
        "-W",
        "ignore::pytest.PytestUnhandledThreadExceptionWarning",
    ]
    result = run(pytester, *args, *(["-q"] if quiet else []))
    result.assert_outcomes(failed=3)
    text = result.stdout.str()
    in_thread = "raised in a thread the test started"
    for name in ("test_thread_swallows", "test_thread_dies"):
        matching = [
            line for line in text.splitlines() if f"::{name}" in line and "would cost" in line
        ]
        assert matching and all(in_thread in line for line in matching), matching
    assert "the error was caught before it reached the test" in text  # test_caught_here only
    tests = {
        t["nodeid"].split("::")[1]: t
        for t in json.loads((pytester.path / "flops.json").read_text())["tests"]
    }
    assert tests["test_thread_swallows"]["overrun"].endswith("; " + in_thread)
    assert tests["test_thread_dies"]["overrun"].endswith("; " + in_thread)
    assert tests["test_caught_here"]["overrun"].endswith(
        "; the error was caught before it reached the test"
    )
    root = ET.parse(pytester.path / "out.xml").getroot()
    props = {
        case.get("name"): {p.get("name"): p.get("value") for p in case.iter("property")}
        for case in root.iter("testcase")
    }
    assert props["test_thread_dies"]["flop_budget_overrun"].endswith("; " + in_thread)
    failures = {case.get("name"): case.find("failure") for case in root.iter("testcase")}
    assert in_thread in failures["test_thread_swallows"].get("message")


def test_header_shows_paths_as_given(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = run(
        pytester,
        "--flop-budget-json=out/flops.json",
        "--flop-budget-baseline=gate/base.json",
        "--flop-budget-update-baseline",
    )
    assert result.ret == pytest.ExitCode.OK
    header = "baseline gate/base.json (tolerance 0), updating the baseline, json out/flops.json"
    result.stdout.fnmatch_lines([f"mechestim FLOP budget: *{header}", f"*{header}"])
    result.stdout.fnmatch_lines(
        ["baseline gate/base.json updated: *", "FLOP report written to out/flops.json"]
    )
