"""Measuring one test: its budget context, its phases, its overruns and its record.

A test with a budget (a marker, or ``--flop-budget-default``) or a namespace runs
inside a real :class:`mechestim.BudgetContext`, so its ops carry the namespace and
are refused beyond the budget. A test with neither is only metered: a context
charged on top of whatever the test's code charges, invisible to it (the session
record, namespace paths and the global default behave exactly as without the
plugin). Either way, ops done by threads the test starts count toward the test.
"""

from __future__ import annotations

import linecache
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mechestim
from mechestim import BudgetContext, metering
from mechestim.errors import BudgetExhaustedError

from .fixture import UNLIMITED, BlockBudget, TestBudget
from .report import overrun_line, overrun_text

__all__ = ["FlopBudgetExceeded", "FlopBudgetWarning", "Overrun", "TestMeter"]

_LIBRARY_DIRS = tuple(
    str(Path(module.__file__).resolve().parent) + os.sep
    for module in (mechestim,)
    if module.__file__ is not None
) + (str(Path(__file__).resolve().parent) + os.sep,)


class FlopBudgetWarning(UserWarning):
    """A budget was overrun in ``--flop-budget-report-only`` mode (not enforced)."""


@dataclass
class Overrun:
    """One budget of a test that an op went past."""

    test: str
    scope: str  # "test" or "block"
    flop_budget: int
    namespace: str | None
    op_name: str | None
    flop_cost: int | None
    flops_remaining: int | None
    used: int
    operations: dict[str, dict[str, int]]
    caught: bool = False  # the error never reached the test (caught, or in another thread)
    in_thread: bool = False  # raised in a thread the test started, not the test's own
    enforced: bool = True
    location: str | None = None
    source: str | None = None  # the text of the user's line at ``location``
    error: BaseException | None = field(default=None, repr=False, compare=False)

    def headline(self) -> str:
        """One line naming the op, its cost, what remained, the budget and the namespace."""
        where = f"namespace {self.namespace!r}" if self.namespace is not None else "no namespace"
        budget = f"{self.scope} budget {self.flop_budget:,} FLOPs, {where}"
        if self.op_name is None:
            return f"{self.used:,} FLOPs used, over the {budget}"
        if self.enforced:
            return (
                f"{self.op_name} would cost {self.flop_cost:,} FLOPs but only "
                f"{self.flops_remaining:,} remain ({budget})"
            )
        return (
            f"{self.op_name} cost {self.flop_cost:,} FLOPs with only {self.flops_remaining:,} "
            f"remaining; {self.used:,} used in all ({budget})"
        )


class FlopBudgetExceeded(BudgetExhaustedError):
    """Raised by the plugin to fail a test whose budget was overrun.

    A subclass of :class:`~mechestim.errors.BudgetExhaustedError`, so
    ``pytest.mark.xfail(raises=BudgetExhaustedError)`` covers it.
    """

    def __init__(self, overruns: list[Overrun], text: str) -> None:
        first = overruns[0]
        super().__init__(
            first.op_name or "(unknown op)",
            first.flop_cost or 0,
            first.flops_remaining or 0,
            namespace=first.namespace,
            flop_budget=first.flop_budget,
        )
        self.overruns = overruns
        self.text = text
        self.args = (text,)

    def __str__(self) -> str:
        return self.text


def _location(error: BaseException, rootdir: Path) -> str | None:
    """``file:line in function`` of the deepest frame outside mechestim that led to ``error``."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        filename = os.path.abspath(code.co_filename)
        if not filename.startswith(_LIBRARY_DIRS):
            found = (filename, tb.tb_lineno, code.co_name)
        tb = tb.tb_next
    if found is None:
        return None
    filename, line, name = found
    try:
        filename = os.path.relpath(filename, rootdir)
    except ValueError:
        pass
    return f"{filename}:{line} in {name}"


def _source_line(error: BaseException) -> str | None:
    """The source text of the deepest line outside mechestim that led to ``error``."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if not filename.startswith(_LIBRARY_DIRS):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None:
        return None
    return linecache.getline(*found).strip() or None


def _crossing(context: BudgetContext, limit: int) -> tuple[str | None, int | None, int | None]:
    """In an unenforced context, the op that first went past ``limit`` (from the op log)."""
    for record in context.op_log:
        if record.cumulative > limit:
            before = record.cumulative - record.flop_cost
            if before <= limit:
                return record.op_name, record.flop_cost, limit - before
            break
    return None, None, None


@dataclass
class TestMeter:
    """The FLOP measurement of one test, from setup to its final record."""

    __test__ = False  # not a test class, whatever its name says

    nodeid: str
    limit: int | None
    namespace: str | None
    report_only: bool
    rootdir: Path
    verbosity: int = 0
    where: tuple[str, int] = ("", 0)  # the test's file and line, for warnings
    context: BudgetContext = field(init=False)
    blocks: list[BlockBudget] = field(default_factory=list)
    outcome: str = "passed"
    overruns: list[Overrun] = field(default_factory=list)
    _reported: set = field(default_factory=set)
    # The thread that runs the test (the meter is made in its setup): a refusal with
    # another thread_id happened in a thread the test started.
    thread: int = field(default_factory=threading.get_ident)
    _handle: TestBudget | None = None

    def __post_init__(self) -> None:
        enforced = self.limit is not None and not self.report_only
        budget = self.limit if enforced else UNLIMITED
        self.context = BudgetContext(budget, namespace=self.namespace)

    @property
    def metered(self) -> bool:
        """True when the test runs without a visible budget (only metered)."""
        return self.limit is None and self.namespace is None

    @property
    def handle(self) -> TestBudget:
        if self._handle is None:
            self._handle = TestBudget(self)
        return self._handle

    # -- running ---------------------------------------------------------------------
    @contextmanager
    def charging(self) -> Iterator[None]:
        """Charge the ops of this block of the test (and of threads it starts) to the test."""
        if self.metered:
            with metering.meter(self.context):
                yield
            return
        # A test that left a budget of its own open has it dropped along with ours.
        with metering.charging(self.context):
            yield

    @contextmanager
    def phase(self) -> Iterator[None]:
        """Run one charged phase of the test; raise :class:`FlopBudgetExceeded` for its overruns.

        The failure chains to whatever the phase raised itself; skip/xfail outcomes and
        interrupts pass through untouched.
        """
        with self.charging():
            try:
                yield
            except BaseException as exc:
                failure = self.close_phase(exc)
                if failure is not None:
                    raise failure from exc
                raise
            failure = self.close_phase(None)
        if failure is not None:
            raise failure

    def close_phase(self, raised: BaseException | None) -> FlopBudgetExceeded | None:
        """After a charged phase: the failure to raise for new overruns, if enforced.

        In report-only mode new overruns become :class:`FlopBudgetWarning` warnings
        and ``None`` is returned.
        """
        if raised is not None and not isinstance(raised, Exception):
            # skip/xfail/fail outcomes and interrupts pass through untouched, and the
            # overruns of this phase are settled: a later phase must not report them.
            self._reported.update(key for key, _ in self._find(raised))
            return None
        found = []
        for key, overrun in self._find(raised):
            if key not in self._reported:
                self._reported.add(key)
                found.append(overrun)
        if not found:
            return None
        self.overruns.extend(found)
        if self.report_only:
            for overrun in found:
                try:
                    warnings.warn_explicit(
                        FlopBudgetWarning(overrun_line(overrun)), FlopBudgetWarning, *self.where
                    )
                except Warning:
                    pass  # warnings turned into errors must not change the outcome here
            return None
        also = raised if raised is not None and all(raised is not o.error for o in found) else None
        return FlopBudgetExceeded(found, overrun_text(found, self.verbosity, also))

    def _find(self, raised: BaseException | None) -> Iterator[tuple[object, Overrun]]:
        if self.limit is not None:
            overrun = self._overrun_of(self.context, self.limit, "test", raised)
            if overrun is not None:
                yield "test", overrun
        for block in self.blocks:
            if block.flop_budget is None:
                continue
            error = block.context.overrun
            if error is not None and block.escaped and raised is not error:
                continue  # it left the block and the test handled it on purpose
            overrun = self._overrun_of(block.context, block.flop_budget, "block", raised)
            if overrun is not None:
                if error is not None:
                    overrun.caught = block.swallowed
                yield id(block), overrun

    def _overrun_of(
        self, context: BudgetContext, limit: int, scope: str, raised: BaseException | None
    ) -> Overrun | None:
        operations = context.operations
        if not self.report_only:
            error = context.overrun
            if error is None:
                return None
            return Overrun(
                test=self.nodeid,
                scope=scope,
                flop_budget=limit,
                namespace=context.namespace,
                op_name=error.op_name,
                flop_cost=error.flop_cost,
                flops_remaining=error.flops_remaining,
                used=context.flops_used,
                operations=operations,
                caught=raised is not error,
                in_thread=error.thread_id is not None and error.thread_id != self.thread,
                location=_location(error, self.rootdir),
                source=_source_line(error),
                error=error,
            )
        if context.flops_used <= limit:
            return None
        op_name, cost, remaining = _crossing(context, limit)
        return Overrun(
            test=self.nodeid,
            scope=scope,
            flop_budget=limit,
            namespace=context.namespace,
            op_name=op_name,
            flop_cost=cost,
            flops_remaining=remaining,
            used=context.flops_used,
            operations=operations,
            enforced=False,
        )

    # -- reporting -------------------------------------------------------------------
    def observe(self, when: str, outcome: str, wasxfail: bool) -> None:
        """Fold one phase's report into the test's final outcome."""
        if when == "setup":
            if outcome == "failed":
                self.outcome = "error"
            elif outcome == "skipped":
                self.outcome = "xfailed" if wasxfail else "skipped"
        elif when == "call":
            if outcome == "failed":
                self.outcome = "failed"
            elif outcome == "skipped":
                self.outcome = "xfailed" if wasxfail else "skipped"
            else:
                self.outcome = "xpassed" if wasxfail else "passed"
        elif when == "teardown" and outcome == "failed" and self.outcome == "passed":
            self.outcome = "error"

    def properties(self) -> list[tuple[str, Any]]:
        """Per-test properties for junitxml (``record_property`` style)."""
        props: list[tuple[str, Any]] = [
            ("flop_budget_used", self.context.flops_used),
            ("flop_budget_limit", "none" if self.limit is None else self.limit),
        ]
        if self.namespace is not None:
            props.append(("flop_budget_namespace", self.namespace))
        if self.overruns:
            props.append(("flop_budget_overrun", overrun_line(self.overruns[0])))
        return props

    def record(self) -> dict[str, Any]:
        """Plain data (JSON- and xdist-safe) describing the test's FLOPs."""
        return {
            "nodeid": self.nodeid,
            "namespace": self.namespace,
            "budget": self.limit,
            "used": self.context.flops_used,
            "outcome": self.outcome,
            "enforced": self.limit is not None and not self.report_only,
            "operations": self.context.operations,
            "overrun": overrun_line(self.overruns[0]) if self.overruns else None,
            "blocks": [
                {
                    "namespace": block.namespace,
                    "budget": block.flop_budget,
                    "used": block.flops_used,
                    "exceeded": block.exceeded,
                }
                for block in self.blocks
            ],
        }
