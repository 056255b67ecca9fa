"""The ``flop_budget`` fixture: a live view of the test's budget, and nested block budgets.

``TestBudget`` reads the budget the plugin runs the test in; calling it opens a
``BlockBudget`` for one ``with`` block. Both satisfy :class:`BudgetReading`; the
fixture as a whole satisfies :class:`FlopBudgetFixture` (use it for type hints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from mechestim import BudgetContext
from mechestim.errors import BudgetExhaustedError
from mechestim.metering import validate_budget, validate_namespace

if TYPE_CHECKING:
    from types import TracebackType

    from mechestim import OpRecord

    from .measure import TestMeter

__all__ = ["BlockBudget", "BudgetReading", "FlopBudgetFixture", "TestBudget", "UNLIMITED"]

# The budget given to contexts that only measure (unmarked tests, report-only mode):
# far beyond anything a test can spend, so it never refuses an op.
UNLIMITED = 2**100


@runtime_checkable
class BudgetReading(Protocol):
    """What a test can read from its budget or from one of its block budgets."""

    @property
    def flops_used(self) -> int: ...

    @property
    def flop_budget(self) -> int | None:
        """The declared budget in FLOPs, ``None`` when unlimited."""

    @property
    def flops_remaining(self) -> int | None:
        """``flop_budget - flops_used``, ``None`` when unlimited."""

    @property
    def namespace(self) -> str | None: ...

    @property
    def op_log(self) -> list[OpRecord]: ...

    @property
    def operations(self) -> dict[str, dict[str, int]]:
        """Exact per-op totals: op name -> ``{"flop_cost": int, "calls": int}``."""

    @property
    def exceeded(self) -> bool: ...


@runtime_checkable
class FlopBudgetFixture(BudgetReading, Protocol):
    """The type of the ``flop_budget`` fixture.

    Read it like a budget; call it to open a nested budget for one block::

        def test_forward(flop_budget: FlopBudgetFixture) -> None:
            with flop_budget(10_000, namespace="fwd") as fwd:
                model.forward(x)
            assert fwd.flops_used <= 8_000
    """

    @property
    def blocks(self) -> list[BlockBudget]:
        """The block budgets opened so far in this test, in order."""

    def __call__(self, flop_budget: float, *, namespace: str | None = None) -> BlockBudget: ...


class _Reading:
    """Read-only view of a :class:`BudgetContext` with the budget the user declared."""

    __slots__ = ("_context", "_limit", "_report_only")

    def __init__(self, context: BudgetContext, limit: int | None, report_only: bool) -> None:
        self._context = context
        self._limit = limit
        self._report_only = report_only

    @property
    def flops_used(self) -> int:
        return self._context.flops_used

    @property
    def flop_budget(self) -> int | None:
        return self._limit

    @property
    def flops_remaining(self) -> int | None:
        return None if self._limit is None else self._limit - self._context.flops_used

    @property
    def namespace(self) -> str | None:
        return self._context.namespace

    @property
    def op_log(self) -> list[OpRecord]:
        return self._context.op_log

    @property
    def operations(self) -> dict[str, dict[str, int]]:
        return self._context.operations

    @property
    def exceeded(self) -> bool:
        """True once the budget was overrun (in report-only mode: once usage passed it)."""
        if self._limit is None:
            return False
        if self._report_only:
            return self._context.flops_used > self._limit
        return self._context.exceeded

    def _describe(self, kind: str) -> str:
        budget = "unlimited" if self._limit is None else f"{self._limit:,}"
        namespace = f", namespace={self.namespace!r}" if self.namespace is not None else ""
        return f"<{kind} flops_used={self.flops_used:,} flop_budget={budget}{namespace}>"


class BlockBudget(_Reading):
    """A budget for one ``with`` block of a test, made by calling the fixture.

    Ops inside the block charge it and the test's own budget. Its numbers stay
    readable after the block. An overrun that the block swallows (a broad
    ``except`` inside it) still fails the test; one that escapes the block is an
    ordinary exception, so ``pytest.raises(BudgetExhaustedError)`` around the block
    tests an expected overrun.
    """

    __slots__ = ("_entered", "escaped", "swallowed")

    def __init__(self, limit: int, namespace: str | None, report_only: bool) -> None:
        context = BudgetContext(UNLIMITED if report_only else limit, namespace=namespace)
        super().__init__(context, limit, report_only)
        self._entered = False
        self.escaped = False
        self.swallowed = False

    @property
    def context(self) -> BudgetContext:
        return self._context

    def __enter__(self) -> BlockBudget:
        if self._entered:
            raise RuntimeError(
                "a flop_budget(...) block budget can be entered only once; call the fixture again"
            )
        self._entered = True
        self._context.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._context.__exit__(exc_type, exc, tb)
        overrun = self._context.overrun
        if overrun is not None:
            self.escaped = isinstance(exc, BudgetExhaustedError) and exc is overrun
            self.swallowed = not self.escaped

    def __repr__(self) -> str:
        return self._describe("BlockBudget")


class TestBudget(_Reading):
    """The live budget of the running test (what the ``flop_budget`` fixture returns)."""

    __slots__ = ("_meter",)
    __test__ = False  # not a test class, whatever its name says

    def __init__(self, meter: TestMeter) -> None:
        super().__init__(meter.context, meter.limit, meter.report_only)
        self._meter = meter

    def __call__(self, flop_budget: float, *, namespace: str | None = None) -> BlockBudget:
        """Open a nested budget of ``flop_budget`` FLOPs for one ``with`` block."""
        # The library's validators (those of BudgetContext), so a bad argument is reported
        # here, naming the fixture, rather than from inside mechestim.
        try:
            limit = validate_budget(flop_budget, "the budget")
            validate_namespace(namespace)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"flop_budget(...): {exc}") from None
        block = BlockBudget(limit, namespace, self._meter.report_only)
        self._meter.blocks.append(block)
        return block

    @property
    def blocks(self) -> list[BlockBudget]:
        """The block budgets opened so far in this test, in order."""
        return list(self._meter.blocks)

    def __repr__(self) -> str:
        return self._describe("TestBudget")
