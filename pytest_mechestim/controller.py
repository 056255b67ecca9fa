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

from . import __version__
from .baseline import BaselineError, Comparison, FlopFile, compare, load_baseline, write_baseline
from .json_report import build_report, write_report
from .marker import MarkedBudget, MarkerError, marked_budget
from .measure import FlopBudgetExceeded, TestMeter
from .options import Settings
from .report import fail_line, overrun_text, summary_lines
from .results import baseline_counts, usable

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
                raise pytest.UsageError(f"FLOP baseline {exc}{hint}") from None
            if path.exists():
                self.notes.append(f"the unusable baseline will be replaced: {exc}")

    def shown(self, path: Path) -> str:
        """``path`` relative to where pytest was started, when it lies below it."""
        try:
            return str(Path(path).relative_to(self.config.invocation_params.dir))
        except ValueError:
            return str(path)

    def header(self) -> str:
        from mechestim._weights import weights_description

        weights = weights_description()
        return (
            f"pytest-mechestim {__version__}, mechestim {mechestim.__version__}, "
            f"cost model {mechestim.__cost_model__}; {self.settings.describe()}"
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
            before = self.baseline.tests if self.baseline is not None else {}
            current = baseline_counts(records)
            self.comparison = compare(before, current, settings.tolerance)
            if settings.update_baseline:
                merged = {**before, **current}
                try:
                    write_baseline(settings.baseline, merged, mechestim.__cost_model__)
                except OSError as exc:
                    self.errors.append(
                        f"could not write the FLOP baseline {settings.baseline}: {exc}"
                    )
                else:
                    self.notes.append(
                        f"baseline {self.shown(settings.baseline)} updated: {len(current):,} tests from this run, "
                        f"{len(merged):,} in the file"
                    )
            elif self.gate_failed and session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if settings.json is not None:
            try:
                write_report(settings.json, build_report(records, settings, self.comparison))
            except (OSError, TypeError, ValueError) as exc:
                self.errors.append(f"could not write the FLOP report {settings.json}: {exc}")
            else:
                self.notes.append(f"FLOP report written to {self.shown(settings.json)}")

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
        )
        terminal.write_sep("=", "FLOP budget")
        for text, markup in lines:
            terminal.write_line(text, **markup)

    def _write_verdict(self, terminal: Any) -> None:
        for error in self.errors:
            terminal.write_line(f"ERROR: {error}", red=True, bold=True)
        comparison = self.comparison
        if comparison is None or not self.gate_failed:
            return
        if self.settings.no_summary:
            for change in comparison.regressions:
                terminal.write_line(
                    f"regression: {change.nodeid}: {change.before:,} -> {change.now:,} FLOPs",
                    red=True,
                )
        terminal.write_line(fail_line(comparison, str(self._baseline_name())), red=True, bold=True)
