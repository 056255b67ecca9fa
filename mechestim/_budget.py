"""Budgets: ``BudgetContext``, the active-budget stack and charging.

Every counted operation calls :func:`charge` with its cost *before* NumPy runs.
``charge`` checks the cost against every active budget under one lock and either
records it everywhere or raises ``BudgetExhaustedError`` having changed nothing.
"""

from __future__ import annotations

import functools
import math
import numbers
import os
import sys
import threading
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, NamedTuple, TypeVar

from ._session import SESSION, render_ops_table
from .errors import BudgetExhaustedError

__all__ = ["BudgetContext", "OpRecord", "budget", "budget_live", "charge"]

DEFAULT_OP_LOG_LIMIT = 10_000
DEFAULT_GLOBAL_BUDGET = 10**15
ENV_DEFAULT_BUDGET = "MECHESTIM_DEFAULT_BUDGET"

F = TypeVar("F", bound=Callable[..., Any])


class OpRecord(NamedTuple):
    """One charged operation as seen by one budget."""

    op_name: str
    subscripts: str | None
    shapes: tuple
    flop_cost: int
    cumulative: int
    namespace: str | None


class _Stack:
    """An immutable frame of the active-budget stack (a linked list, innermost first).

    ``charged`` holds each distinct active context once, innermost first, so a
    re-entered context (a recursive decorated function) is never charged twice.
    ``unit`` says every multiplier is 1 and ``single`` that, besides, one budget is
    active (the common cases, charged on fast paths);
    ``record``/``generation`` cache this frame's session entry.
    """

    __slots__ = ("prev", "context", "path", "charged", "unit", "single", "record", "generation")

    def __init__(self, prev: _Stack | None, context: BudgetContext, path: str | None) -> None:
        self.prev = prev
        self.context = context
        self.path = path
        outer = prev.charged if prev is not None else ()
        self.charged = outer if context in outer else (context, *outer)
        self.unit = all(c._multiplier == 1.0 for c in self.charged)
        self.single = self.unit and len(self.charged) == 1
        self.record = None
        self.generation = -1


_ACTIVE: ContextVar[_Stack | None] = ContextVar("mechestim_active_budgets", default=None)
# One lock for every budget: an op touching several nested budgets checks and
# updates them all atomically.
_LOCK = threading.Lock()
_default_stack: _Stack | None = None
# Set by the pytest plugin while a test runs, so threads the test starts (which begin
# with an empty context) charge the test's budgets instead of the global default.
_fallback_stack: _Stack | None = None
# Budgets charged for every op in every thread on top of the active stack, without joining
# namespace paths or the session record: how the pytest plugin meters unbudgeted tests.
_meters: tuple[BudgetContext, ...] = ()
# Per-op weights (op -> weight != 1), set by ``_weights``; None keeps charging on the fast paths.
_weights: dict[str, float] | None = None


def _validate_budget(value: Any, what: str = "flop_budget") -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a finite number > 0, got {value!r} ({type(value).__name__})")
    if isinstance(value, numbers.Integral):
        result = int(value)
    else:
        as_float = float(value)
        if not math.isfinite(as_float):
            raise ValueError(f"{what} must be a finite number > 0, got {value!r}")
        result = math.floor(as_float)
        if as_float <= 0:
            result = 0
    if result <= 0:
        raise ValueError(f"{what} must be a finite number > 0, got {value!r}")
    return result


def _validate_multiplier(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"flop_multiplier must be a finite number > 0, got {value!r}")
    as_float = float(value)
    if not math.isfinite(as_float) or as_float <= 0:
        raise ValueError(f"flop_multiplier must be a finite number > 0, got {value!r}")
    return as_float


class BudgetContext:
    """A FLOP budget, active inside ``with`` (or around a decorated function).

    Ops charge every active budget; one that would overrun any of them raises
    :class:`~mechestim.errors.BudgetExhaustedError` before it runs. Contexts nest: an
    op's namespace is the ``/``-joined path of the named contexts around it.

    Parameters
    ----------
    flop_budget:
        Finite number > 0 (``1e9`` is fine).
    namespace:
        Optional label grouping this context's ops in summaries and reports.
    flop_multiplier:
        Each cost is scaled by this factor (``int(cost * flop_multiplier)``).
    quiet:
        When False, entering prints one line to stderr.
    op_log_limit:
        How many detailed :class:`OpRecord` entries ``op_log`` keeps (the most recent
        ones); per-op totals are always exact.
    """

    def __init__(
        self,
        flop_budget: float,
        *,
        namespace: str | None = None,
        flop_multiplier: float = 1.0,
        quiet: bool = True,
        op_log_limit: int = DEFAULT_OP_LOG_LIMIT,
    ) -> None:
        self._budget = _validate_budget(flop_budget)
        if namespace is not None and (not isinstance(namespace, str) or not namespace):
            raise TypeError(f"namespace must be a non-empty str or None, got {namespace!r}")
        if namespace is not None and "/" in namespace:
            # '/' joins nested namespaces into a path; inside a name it would be ambiguous.
            raise ValueError(f"namespace must not contain '/', got {namespace!r}; nest contexts instead")
        self._namespace = namespace
        self._multiplier = _validate_multiplier(flop_multiplier)
        self._quiet = bool(quiet)
        if isinstance(op_log_limit, bool) or not isinstance(op_log_limit, numbers.Integral):
            raise TypeError(f"op_log_limit must be an int >= 0, got {op_log_limit!r}")
        op_log_limit = int(op_log_limit)
        if op_log_limit < 0:
            raise ValueError(f"op_log_limit must be an int >= 0, got {op_log_limit!r}")
        self._used = 0
        self._operations: dict[str, list[int]] = {}
        self._log: deque[tuple] = deque(maxlen=op_log_limit)
        self._overrun: BudgetExhaustedError | None = None
        # Where this context's budget is counted in the session record: the namespace
        # paths it has run under, and whether it has run outermost, this generation.
        self._session_generation = -1
        self._session_paths: set[str | None] = set()
        self._session_top = False

    # -- read-only state -------------------------------------------------------------
    @property
    def flop_budget(self) -> int:
        return self._budget

    @property
    def flops_used(self) -> int:
        return self._used

    @property
    def flops_remaining(self) -> int:
        return self._budget - self._used

    @property
    def namespace(self) -> str | None:
        return self._namespace

    @property
    def flop_multiplier(self) -> float:
        return self._multiplier

    @property
    def op_log(self) -> list[OpRecord]:
        """The most recent charged ops (bounded by ``op_log_limit``), oldest first."""
        with _LOCK:
            return [OpRecord._make(entry) for entry in self._log]

    @property
    def operations(self) -> dict[str, dict[str, int]]:
        """Exact per-op totals: op name -> ``{"flop_cost": int, "calls": int}``, costliest first."""
        with _LOCK:
            items = sorted(self._operations.items(), key=lambda kv: (-kv[1][0], kv[0]))
            return {name: {"flop_cost": c, "calls": n} for name, (c, n) in items}

    @property
    def exceeded(self) -> bool:
        """True once an op was refused by this budget, even if the error was caught."""
        return self._overrun is not None

    @property
    def overrun(self) -> BudgetExhaustedError | None:
        """The first refusal by this budget (``None`` if none happened)."""
        return self._overrun

    # -- entering and leaving --------------------------------------------------------
    def __enter__(self) -> BudgetContext:
        prev = _ACTIVE.get()
        parent_path = prev.path if prev is not None else None
        reentered = prev is not None and self in prev.charged
        if self._namespace is None or reentered:
            path = parent_path  # unnamed, or re-entered (recursion): same namespace
        elif parent_path is None:
            path = self._namespace
        else:
            path = f"{parent_path}/{self._namespace}"
        frame = _Stack(prev, self, path)
        if not reentered:  # a re-entered context's budget is already counted where it runs
            with _LOCK:
                _register_budget(self, path, outermost=prev is None)
        _ACTIVE.set(frame)
        if not self._quiet:
            import numpy

            from . import __version__

            print(
                f"mechestim {__version__} (numpy {numpy.__version__}): "
                f"budget {self._budget:,} FLOPs"
                + (f", namespace {path!r}" if path is not None else ""),
                file=sys.stderr,
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        frame = _ACTIVE.get()
        if frame is None or frame.context is not self:
            raise RuntimeError("BudgetContext exited out of order (not the innermost active budget)")
        _ACTIVE.set(frame.prev)

    def __call__(self, func: F) -> F:
        """Use the context as a decorator: each call runs inside this same budget."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    # -- reporting -------------------------------------------------------------------
    def summary(self) -> str:
        """A text report: namespace, budget, used and remaining, then ops by cost."""
        used, budget = self._used, self._budget
        lines = [
            f"FLOP budget summary (namespace: {self._namespace or '-'})",
            f"  budget:    {budget:,}",
            f"  used:      {used:,} ({100.0 * used / budget:.1f}%)",
            f"  remaining: {budget - used:,} ({100.0 * (budget - used) / budget:.1f}%)",
        ]
        from ._weights import weights_description

        weights = weights_description()
        if weights is not None:
            lines.append(f"  weights:   {weights}")
        lines.extend(render_ops_table(self.operations, used))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"BudgetContext(flop_budget={self._budget:,}, flops_used={self._used:,}, "
            f"namespace={self._namespace!r})"
        )


budget = BudgetContext


def _parse_env_budget() -> int:
    raw = os.environ.get(ENV_DEFAULT_BUDGET)
    if raw is None or raw.strip() == "":
        return DEFAULT_GLOBAL_BUDGET
    try:
        value = int(float(raw))
    except (ValueError, OverflowError):
        raise ValueError(
            f"{ENV_DEFAULT_BUDGET}={raw!r} is not a number; set it to a FLOP count such as 1e12"
        ) from None
    if value <= 0:
        raise ValueError(f"{ENV_DEFAULT_BUDGET}={raw!r} must be > 0")
    return value


def _get_default_stack() -> _Stack:
    global _default_stack
    if _fallback_stack is not None:
        return _fallback_stack
    if _default_stack is None:
        with _LOCK:
            if _default_stack is None:
                # Registered with the session on its first charge, not before.
                context = BudgetContext(_parse_env_budget())
                _default_stack = _Stack(None, context, None)
    return _default_stack


def _reset_default() -> None:
    """Drop the global default (called by ``budget_reset`` under the lock)."""
    global _default_stack
    _default_stack = None


def global_default() -> BudgetContext:
    """The implicit budget that ops charge when no context is active."""
    return _get_default_stack().context


def current_stack() -> _Stack | None:
    """The active-budget frame of the caller's context (``None`` outside any budget)."""
    return _ACTIVE.get()


def set_fallback_stack(frame: _Stack | None) -> None:
    """Make ops in contexts with no active budget charge ``frame`` (plugin use)."""
    global _fallback_stack
    _fallback_stack = frame


def add_meter(context: BudgetContext) -> None:
    """Also charge ``context`` for every op, in every thread, until removed (plugin use).

    A meter must have ``flop_multiplier`` 1, so metered ops stay on the fast path.
    """
    global _meters
    if context._multiplier != 1.0:
        raise ValueError("a meter must have flop_multiplier 1")
    with _LOCK:
        _meters = (*_meters, context)


def remove_meter(context: BudgetContext) -> None:
    """Stop charging a context added with :func:`add_meter`."""
    global _meters
    with _LOCK:
        _meters = tuple(meter for meter in _meters if meter is not context)


def _refuse(context: BudgetContext, op_name: str, cost: int, path: str | None) -> None:
    error = BudgetExhaustedError(
        op_name,
        cost,
        context._budget - context._used,
        namespace=path,
        flop_budget=context._budget,
    )
    if context._overrun is None:
        context._overrun = error
    raise error


def _register_budget(context: BudgetContext, path: str | None, outermost: bool) -> None:
    """Count ``context``'s budget in the session under ``path`` (once per path, and once
    in the top-level total if it ever runs outermost). Call with ``_LOCK`` held."""
    if context._session_generation != SESSION.generation:
        context._session_generation = SESSION.generation
        context._session_paths = set()
        context._session_top = False
    if path not in context._session_paths:
        context._session_paths.add(path)
        SESSION.namespace(path).flop_budget += context._budget
    if outermost and not context._session_top:
        context._session_top = True
        SESSION.top_level_budget += context._budget


def _sync_session(frame: _Stack) -> None:
    """Point ``frame`` at its session entry (after entering, or after ``budget_reset``)."""
    # The global default on first use, or a context that outlived budget_reset().
    _register_budget(frame.charged[0], frame.path, outermost=frame.prev is None)
    frame.record = SESSION.namespace(frame.path)
    frame.generation = SESSION.generation


def _scaled(cost: int, multiplier: float, weight: float | None) -> int:
    """What ``cost`` FLOPs charge a budget of ``multiplier`` for an op of ``weight``."""
    if weight is None:
        return cost if multiplier == 1.0 else int(cost * multiplier)
    adjusted = int(cost * weight * multiplier)
    # A weighted op that did any work charges something; weight 0 makes it free.
    if adjusted < 1 and cost >= 1 and weight > 0:
        return 1
    return adjusted


def _apply(context: BudgetContext, op_name: str, cost: int, shapes, subscripts, path) -> None:
    context._used += cost
    totals = context._operations.get(op_name)
    if totals is None:
        context._operations[op_name] = [cost, 1]
    else:
        totals[0] += cost
        totals[1] += 1
    context._log.append((op_name, subscripts, shapes, cost, context._used, path))


def charge(op_name: str, cost: int, shapes: tuple = (), subscripts: str | None = None) -> None:
    """Charge ``cost`` FLOPs for ``op_name`` to every active budget, or raise.

    ``cost`` is the op's unweighted FLOPs; each budget is charged
    ``int(cost * weight * flop_multiplier)`` (see ``_weights``).
    Raises :class:`BudgetExhaustedError` (and changes nothing) if the cost exceeds
    what remains in any active budget; a cost equal to the remainder is allowed.
    """
    frame = _ACTIVE.get()
    if frame is None:
        frame = _fallback_stack or _default_stack or _get_default_stack()
    path = frame.path
    meters = _meters
    # acquire/release rather than `with`: half the cost on a path every op takes.
    _LOCK.acquire()
    try:
        # (_weights is read under the lock: set_weights swaps it under the same lock.)
        if frame.single and not meters and _weights is None:
            # Hottest path (one budget, multiplier 1), written out without loops.
            context = frame.context
            if cost > context._budget - context._used:
                _refuse(context, op_name, cost, path)
            used = context._used = context._used + cost
            totals = context._operations.get(op_name)
            if totals is None:
                context._operations[op_name] = [cost, 1]
            else:
                totals[0] += cost
                totals[1] += 1
            context._log.append((op_name, subscripts, shapes, cost, used, path))
            innermost_cost = cost
        elif frame.unit and (_weights is None or op_name not in _weights):
            # Hot path, written out inline: this runs once per counted call.
            charged = frame.charged + meters if meters else frame.charged
            for context in charged:
                if cost > context._budget - context._used:
                    _refuse(context, op_name, cost, path)
            for context in charged:
                used = context._used = context._used + cost
                totals = context._operations.get(op_name)
                if totals is None:
                    context._operations[op_name] = [cost, 1]
                else:
                    totals[0] += cost
                    totals[1] += 1
                context._log.append((op_name, subscripts, shapes, cost, used, path))
            innermost_cost = cost
        else:
            weight = None if _weights is None else _weights.get(op_name)
            scaled = [
                (c, _scaled(cost, c._multiplier, weight))
                for c in (frame.charged + meters if meters else frame.charged)
            ]
            for context, adjusted in scaled:
                if adjusted > context._budget - context._used:
                    _refuse(context, op_name, adjusted, path)
            for context, adjusted in scaled:
                _apply(context, op_name, adjusted, shapes, subscripts, path)
            innermost_cost = scaled[0][1]
        if frame.generation != SESSION.generation:
            _sync_session(frame)
        record = frame.record
        record.flops_used += innermost_cost
        totals = record.operations.get(op_name)
        if totals is None:
            record.operations[op_name] = [innermost_cost, 1]
        else:
            totals[0] += innermost_cost
            totals[1] += 1
    finally:
        _LOCK.release()


def refund(op_name: str, cost: int) -> None:
    """Undo the most recent ``charge(op_name, cost)`` of this context's budgets.

    Called when NumPy rejects a call after it was charged (an argument only NumPy
    validates), so a failed call leaves no trace.
    """
    frame = _ACTIVE.get()
    if frame is None:
        frame = _fallback_stack or _default_stack or _get_default_stack()
    weight = None if _weights is None else _weights.get(op_name)
    with _LOCK:
        innermost_cost = cost
        for index, context in enumerate(frame.charged + _meters):
            adjusted = _scaled(cost, context._multiplier, weight)
            if index == 0:
                innermost_cost = adjusted
            context._used -= adjusted
            _forget(context._operations, op_name, adjusted)
            for position in range(len(context._log) - 1, -1, -1):
                if context._log[position][0] == op_name:
                    del context._log[position]
                    break
        if frame.generation == SESSION.generation and frame.record is not None:
            frame.record.flops_used -= innermost_cost
            _forget(frame.record.operations, op_name, innermost_cost)


def _forget(operations: dict[str, list[int]], op_name: str, cost: int) -> None:
    totals = operations.get(op_name)
    if totals is None:
        return
    totals[0] -= cost
    totals[1] -= 1
    if totals[1] <= 0:
        del operations[op_name]


class budget_live:  # noqa: N801 - reads like the function it replaces in 0.2.0
    """Context manager that shows the session summary while it runs.

    With ``rich`` and a terminal, the summary refreshes live; otherwise it is
    printed once on exit.
    """

    def __init__(self, refresh_per_second: float = 2.0) -> None:
        self._refresh = refresh_per_second
        self._live = None

    def __enter__(self) -> budget_live:
        if sys.stdout.isatty():
            try:
                from rich.live import Live
                from rich.text import Text

                from ._session import budget_summary_dict, render_summary

                class _Renderable:
                    def __rich__(self) -> Text:
                        return Text(render_summary(budget_summary_dict(by_namespace=True)))

                self._live = Live(_Renderable(), refresh_per_second=self._refresh)
                self._live.__enter__()
            except ImportError:
                self._live = None
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._live is not None:
            self._live.__exit__(*exc_info)
            return
        from ._session import budget_summary

        budget_summary()
