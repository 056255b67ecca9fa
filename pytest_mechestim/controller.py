"""The run-wide side of the plugin: per-test setup, collecting records, closing the run.

One :class:`RunState` lives in ``config.stash``. On an xdist worker it only measures
tests; the records travel to the controller on the test reports (a plain-data
``mechestim_flops`` attribute, which pytest serialises with the report), and the
controller's ``RunState`` aggregates them, compares with the baseline, and writes
the files. Nothing is shared through files, environment variables or globals.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

import mechestim
from mechestim import metering

from . import __version__
from ._files import printable, write_atomic
from .baseline import BaselineError, Comparison, FlopFile, compare, load_baseline, update_baseline
from .json_report import build_report, write_report
from .marker import MarkedBudget, MarkerError, marked_budget
from .measure import FlopBudgetExceeded, TestMeter
from .moved import WhatMoved, run_file, what_moved
from .options import Settings, step_summary_path
from .report import fail_line, overrun_text, summary_lines
from .results import usable

__all__ = ["MARK_KEY", "METER_KEY", "RECORD_ATTR", "RunState"]

RECORD_ATTR = "mechestim_flops"
MARK_KEY = pytest.StashKey[MarkedBudget | None]()
METER_KEY = pytest.StashKey[TestMeter]()


class RunState:
    """Settings, baseline and collected records of one pytest run."""

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.is_worker = hasattr(config, "workerinput")
        self.records: dict[str, dict[str, Any]] = {}
        self.baseline: FlopFile | None = None
        self.comparison: Comparison | None = None
        self.moved: WhatMoved | None = None
        self.notes: list[str] = []
        self.errors: list[str] = []
        if not self.is_worker and settings.baseline is not None:
            self._load_baseline(settings.baseline)

    # -- start of the run ----------------------------------------------------------------
    def _load_baseline(self, path: Path) -> None:
        try:
            self.baseline = load_baseline(path, mechestim.__cost_model__)
        except BaselineError as exc:
            if not self.settings.update_baseline:
                hint = ""
                if not path.exists():
                    hint = " (create it with --flop-budget-update-baseline)"
                raise pytest.UsageError(printable(f"FLOP baseline {exc}{hint}")) from None
            if path.exists():
                self.notes.append(f"the unusable baseline will be replaced: {exc}")
            return
        if not self.baseline.has_operations:
            what = (
                "it is rewritten as schema 2 by this update"
                if self.settings.update_baseline
                else "record it again with --flop-budget-update-baseline to add them"
            )
            self.notes.append(
                f"baseline {self.shown(path)} is schema 1 (per-test totals only): regressions "
                f"cannot name the ops that moved; {what}"
            )

    def shown(self, path: Path) -> str:
        """``path`` relative to where pytest was started, when it lies below it."""
        try:
            return str(Path(path).relative_to(self.config.invocation_params.dir))
        except ValueError:
            return str(path)

    def header(self) -> str:
        weights = metering.weights_description()
        return printable(
            f"pytest-mechestim {__version__}, mechestim {mechestim.__version__}, "
            f"cost model {mechestim.__cost_model__}; {self.settings.describe(self.shown)}"
            + (f"; {weights}" if weights is not None else "")
        )

    def check_markers(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """Validate every test's marker; a bad one becomes a collection error naming the test."""
        keep = []
        for item in items:
            try:
                item.stash[MARK_KEY] = marked_budget(item)
            except MarkerError as exc:
                report = pytest.CollectReport(item.nodeid, "failed", longrepr=str(exc), result=[])
                config.hook.pytest_collectreport(report=report)
            else:
                keep.append(item)
        if len(keep) != len(items):
            items[:] = keep

    # -- each test -----------------------------------------------------------------------
    def start(self, item: pytest.Item) -> TestMeter:
        """Create the test's meter (before its setup runs)."""
        try:
            marked = item.stash[MARK_KEY]
        except KeyError:  # an item that skipped collection hooks
            try:
                marked = marked_budget(item)
            except MarkerError as exc:
                pytest.fail(str(exc), pytrace=False)
        path, line, _ = item.location
        meter = TestMeter(
            nodeid=item.nodeid,
            where=(str(Path(self.config.rootpath, path)), (line or 0) + 1),
            limit=marked.limit if marked is not None else self.settings.default,
            namespace=marked.namespace if marked is not None else None,
            report_only=self.settings.report_only,
            rootdir=Path(self.config.rootpath),
            verbosity=self.config.getoption("verbose", 0) or 0,
        )
        item.stash[METER_KEY] = meter
        return meter

    def charges(self, when: str) -> bool:
        return when == "call" or self.settings.include_setup

    def annotate(
        self, item: pytest.Item, call: pytest.CallInfo[Any], report: pytest.TestReport
    ) -> None:
        """Fold a phase report into the meter; attach the record to the last report."""
        meter = item.stash.get(METER_KEY, None)
        if meter is None:
            return
        excinfo = call.excinfo
        if report.failed and excinfo is not None:
            error = excinfo.value
            if isinstance(error, FlopBudgetExceeded):
                report.longrepr = error.text
            else:
                # Runners that report a stored exception (unittest) bypass our re-raise.
                matching = [o for o in meter.overruns if o.error is error]
                for overrun in matching:
                    overrun.caught = False
                if matching:
                    report.longrepr = overrun_text(matching, meter.verbosity)
        meter.observe(call.when, report.outcome, hasattr(report, "wasxfail"))
        if call.when == "teardown":
            setattr(report, RECORD_ATTR, meter.record())
            del item.stash[METER_KEY]

    def add(self, report: pytest.TestReport) -> None:
        """Keep the record a test report carries (controller side)."""
        if self.is_worker:
            return
        record = getattr(report, RECORD_ATTR, None)
        if usable(record):
            self.records[record["nodeid"]] = record
        elif record is not None:
            self.notes.append(f"{report.nodeid}: its FLOP record cannot be read; left out")

    # -- end of the run ------------------------------------------------------------------
    @property
    def reports(self) -> bool:
        """True when this process reports the run: the controller, with tests actually called.

        ``--collect-only``, ``--setup-only``/``--setup-plan`` and ``--fixtures``/
        ``--fixtures-per-test`` call no test, so their zero counts must not reach a
        summary, a report or a baseline.
        """
        option = self.config.option
        listing = ("collectonly", "setuponly", "showfixtures", "show_fixtures_per_test")
        return not self.is_worker and not any(getattr(option, name, False) for name in listing)

    @property
    def gate_failed(self) -> bool:
        """True when tests regressed against the baseline (and it was not being updated)."""
        comparison = self.comparison
        return comparison is not None and comparison.failed and not self.settings.update_baseline

    def update_hint(self) -> str:
        args = [str(a) for a in self.config.invocation_params.args]
        return shlex.join(["pytest", *args, "--flop-budget-update-baseline"])

    def finish(self, session: pytest.Session) -> None:
        """Compare with the baseline, write the files, and set the exit status on regressions."""
        if not self.reports:
            return
        records = sorted(self.records.values(), key=lambda r: r["nodeid"])
        settings = self.settings
        if settings.baseline is not None:
            cost_model = mechestim.__cost_model__
            before = self.baseline or FlopFile(settings.baseline, cost_model, {})
            current = run_file(records, cost_model)
            self.comparison = compare(before.tests, current.tests, settings.tolerance)
            self.moved = what_moved(self.comparison, before, current)
            if settings.update_baseline:
                # Read again, merged and written under a lock: parallel partial runs
                # updating one file each keep the others' entries (per-op totals included).
                try:
                    total = update_baseline(settings.baseline, current.entries(), cost_model)
                except (OSError, ValueError) as exc:
                    self.write_failed("the FLOP baseline", settings.baseline, exc)
                else:
                    self.notes.append(
                        f"baseline {self.shown(settings.baseline)} updated: {len(current.tests):,} tests from this run, "
                        f"{total:,} in the file"
                    )
            elif self.gate_failed and session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if settings.json is not None:
            try:
                report = build_report(records, settings, self.comparison, self.moved)
                write_report(settings.json, report)
            except (OSError, TypeError, ValueError) as exc:
                self.write_failed("the FLOP report", settings.json, exc)
            else:
                self.notes.append(f"FLOP report written to {self.shown(settings.json)}")
        self._write_readable_reports(records)
        if self.errors and session.exitstatus == pytest.ExitCode.OK:
            # A report or baseline that was asked for and not written fails the run, so
            # CI notices; the reason is printed after the summary.
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def write_failed(self, what: str, path: Path, error: Exception, verb: str = "write") -> None:
        """Record that ``what`` could not be written to ``path``: one line naming both and why."""
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        self.errors.append(f"could not {verb} {what} {self.shown(path)}: {reason}")

    def _write_readable_reports(self, records: list[dict[str, Any]]) -> None:
        """The Markdown file, the GitHub job summary and the HTML report, as asked.

        Each failure (building or writing) goes to ``self.errors``, which fails the run
        like a failed JSON report; one failing never costs the run the others.
        """
        settings = self.settings
        step_summary = step_summary_path(settings)
        if settings.markdown is None and step_summary is None and settings.html is None:
            return
        # imported here: most runs write neither, and plugin start-up stays lean
        from .html_report import html_report
        from .markdown_report import append_step_summary, markdown_summary

        shared: dict[str, Any] = {
            "header": self.header(),
            "records": records,
            "comparison": self.comparison,
            "moved": self.moved,
            "baseline_name": self._baseline_name(),
            "update_hint": self.update_hint(),
            "updating": settings.update_baseline,
        }
        if settings.markdown is not None or step_summary is not None:
            try:
                text = markdown_summary(**shared, top=settings.top, notes=list(self.notes))
            except Exception as exc:  # a bug here must not cost the run its other reports
                self.errors.append(f"could not build the FLOP Markdown summary: {exc!r}")
                text = None
            if text is not None and settings.markdown is not None:
                try:
                    write_atomic(settings.markdown, text)
                except (OSError, ValueError) as exc:
                    self.write_failed("the FLOP Markdown summary", settings.markdown, exc)
                else:
                    self.notes.append(
                        f"Markdown summary written to {self.shown(settings.markdown)}"
                    )
            if text is not None and step_summary is not None:
                try:
                    append_step_summary(step_summary, text)
                except (OSError, ValueError) as exc:
                    self.write_failed(
                        "the job summary $GITHUB_STEP_SUMMARY", step_summary, exc, "append to"
                    )
        if settings.html is not None:
            try:
                page = html_report(**shared)
            except Exception as exc:  # a bug here must not cost the run its other reports
                self.errors.append(f"could not build the FLOP HTML report: {exc!r}")
                return
            try:
                write_atomic(settings.html, page)
            except (OSError, ValueError) as exc:
                self.write_failed("the FLOP HTML report", settings.html, exc)
            else:
                self.notes.append(f"HTML report written to {self.shown(settings.html)}")

    def write_summary(self, terminal: Any) -> None:
        """Print the "FLOP budget" section, then any errors and the gate's verdict; never raises.

        The verdict is printed even when the section could not be.
        """
        if not self.reports:
            return
        for write in (self._write_section, self._write_verdict):
            try:
                write(terminal)
            except Exception as exc:  # the summary must never break the run's ending
                try:
                    terminal.write_line(
                        f"FLOP budget summary could not be printed: {exc!r}", red=True
                    )
                except Exception:
                    pass

    def _baseline_name(self) -> str | None:
        baseline = self.settings.baseline
        return self.shown(baseline) if baseline is not None else None

    def _write_section(self, terminal: Any) -> None:
        if self.settings.no_summary:
            return
        lines = summary_lines(
            header=self.header(),
            records=sorted(self.records.values(), key=lambda r: r["nodeid"]),
            top=self.settings.top,
            verbosity=self.config.getoption("verbose", 0) or 0,
            comparison=self.comparison,
            baseline_path=self._baseline_name(),
            update_hint=None if self.settings.update_baseline else self.update_hint(),
            notes=self.notes,
            moved=self.moved,
            updating=self.settings.update_baseline,
        )
        terminal.write_sep("=", "FLOP budget")
        for text, markup in lines:
            terminal.write_line(text, **markup)

    def _write_verdict(self, terminal: Any) -> None:
        for error in self.errors:
            terminal.write_line(printable(f"ERROR: {error}"), red=True, bold=True)
        comparison = self.comparison
        if comparison is None or not self.gate_failed:
            return
        if self.settings.no_summary:
            for change in comparison.regressions:
                terminal.write_line(
                    f"regression: {printable(change.nodeid)}: "
                    f"{change.before:,} -> {change.now:,} FLOPs",
                    red=True,
                )
        terminal.write_line(fail_line(comparison, str(self._baseline_name())), red=True, bold=True)
