"""Budgets: ``BudgetContext``, the active-budget stack and charging.

Every counted operation calls :func:`charge` with its cost *before* NumPy runs.
``charge`` checks the cost against every active budget under one lock and either
records it everywhere or raises ``BudgetExhaustedError`` having changed nothing.

The lock is re-entrant, and every update under it is written so that a counted op run
from a signal handler (or a finalizer) that interrupts this thread inside the lock
finds the budgets consistent: no deadlock, nothing lost, no budget overrun.
"""

from __future__ import annotations

import functools
import math
import numbers
import os
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, NamedTuple, TypeVar

from ..errors import BudgetExhaustedError, MechEstimWarning
from ..metering import validate_budget, validate_namespace
from .session import SESSION, render_ops_table

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
    ``record``/``generation`` cache this frame's session entry. ``caller`` is the id of
    the Python frame that entered (a ``with`` statement exits from the frame that
    entered), which tells apart entries of one context when they exit out of order.
    """

    __slots__ = (
        "prev", "context", "path", "charged", "unit", "single", "record", "generation", "caller"
    )

    def __init__(
        self, prev: _Stack | None, context: BudgetContext, path: str | None, caller: int = 0
    ) -> None:
        self.prev = prev
        self.context = context
        self.path = path
        self.caller = caller
        outer = prev.charged if prev is not None else ()
        self.charged = outer if context in outer else (context, *outer)
        self.unit = all(c._multiplier == 1.0 for c in self.charged)
        self.single = self.unit and len(self.charged) == 1
        self.record = None
        self.generation = -1


_ACTIVE: ContextVar[_Stack | None] = ContextVar("mechestim_active_budgets", default=None)
# One lock for every budget: an op touching several nested budgets checks and
# updates them all atomically. Re-entrant, so that a counted op in a signal handler that
# interrupted this thread while it held the lock proceeds instead of deadlocking; the
# updates below are ordered so that such a nested charge always sees consistent budgets.
_LOCK = threading.RLock()
_default_stack: _Stack | None = None
# Set by the pytest plugin while a test runs, so threads the test starts (which begin
# with an empty context) charge the test's budgets instead of the global default.
_fallback_stack: _Stack | None = None
# Budgets charged for every op in every thread on top of the active stack, without joining
# namespace paths or the session record: how the pytest plugin meters unbudgeted tests.
_meters: tuple[BudgetContext, ...] = ()
# Per-op weights (op -> weight != 1), set by ``weights``; None keeps charging on the fast paths.
_weights: dict[str, float] | None = None


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
    :class:`~mechestim.errors.BudgetExhaustedError` before it runs. The error names the
    budget that ran out: its ``flop_budget``, what remained in it, the cost it was asked
    for (after its multiplier) and its own namespace path (inside ``with A: with B:``,
    an op refused by ``A`` names ``A``'s path, not ``B``'s). Contexts nest: an op's
    namespace is the ``/``-joined path of the named contexts around it.

    Exiting a context removes it, and any context still active above it, from the
    active stack; the stack below is exactly what it was when it was entered. So a
    context left open out of order (a generator suspended inside its own ``with`` when
    the caller's ``with`` ends, or a context entered by hand and never exited) never
    charges later ops: the exit that finds it still open closes it and warns once
    (:class:`~mechestim.errors.MechEstimWarning`) naming both, and its own exit, when
    it finally happens, changes nothing. Exiting a context that is not active at all
    raises ``RuntimeError``.

    Parameters
    ----------
    flop_budget:
        Finite number > 0 (``1e9`` is fine).
    namespace:
        Optional label grouping this context's ops in summaries and reports.
    flop_multiplier:
        Each cost is scaled by this factor (``int(cost * flop_multiplier)``); a scaled
        cost too large for a float (a huge multiplier) is computed exactly and refused
        as an overrun, never raised as ``OverflowError``.
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
        self._budget = validate_budget(flop_budget)
        self._namespace = validate_namespace(namespace)
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
        # Entries of this context dropped from an active stack by an out-of-order exit
        # (see ``__exit__``), as the ids of the Python frames that entered them: each
        # one's own late exit is then expected, and ignored.
        self._abandoned: list[int] = []

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
        frame = _Stack(prev, self, path, id(sys._getframe(1)))
        if not reentered:  # a re-entered context's budget is already counted where it runs
            with _LOCK:
                _register_budget(self, path, outermost=prev is None)
        _ACTIVE.set(frame)
        if not self._quiet:
            import numpy

            from .. import __version__

            print(
                f"mechestim {__version__} (numpy {numpy.__version__}): "
                f"budget {self._budget:,} FLOPs"
                + (f", namespace {path!r}" if path is not None else ""),
                file=sys.stderr,
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        frame = _ACTIVE.get()
        caller = id(sys._getframe(1))
        if (
            frame is not None
            and frame.context is self
            and (frame.caller == caller or not _entered_elsewhere(self, frame, caller))
        ):
            _ACTIVE.set(frame.prev)  # the usual case: the innermost budget exits
            return
        _exit_out_of_order(self, frame, caller)

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
        from .weights import weights_description

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


def fallback_stack() -> _Stack | None:
    """The frame that ops in contexts with no active budget charge (``None``: the global default)."""
    return _fallback_stack


def restore_stack(frame: _Stack | None) -> None:
    """Make ``frame`` the caller's active-budget frame again (drops anything entered above it).

    Contexts dropped this way may exit later (a generator closed after the test that
    started it ended): those exits are expected and change nothing.
    """
    _abandon(_ACTIVE.get(), frame)
    _ACTIVE.set(frame)


def _abandon(top: _Stack | None, below: _Stack | None) -> list[BudgetContext]:
    """Count each entry from ``top`` down to (not including) ``below`` as abandoned, and
    return their contexts innermost first (all of ``top``'s chain if ``below`` is not in it)."""
    dropped = []
    frame = top
    while frame is not None and frame is not below:
        dropped.append(frame.context)
        frame = frame.prev
    if dropped:
        with _LOCK:
            frame = top
            while frame is not None and frame is not below:
                frame.context._abandoned.append(frame.caller)
                frame = frame.prev
    return dropped


def _entered_elsewhere(context: BudgetContext, top: _Stack, caller: int) -> bool:
    """The exit of ``context`` coming from Python frame ``caller`` belongs to an entry
    other than ``top`` (the innermost, also ``context``'s): one further down the stack
    entered from that frame (a caller exiting while its generator's re-entry of the
    same context is open), or one already abandoned (a generator's late exit while the
    context was entered again). Only then is ``top`` left in place."""
    if caller in context._abandoned:
        return True
    frame = top.prev
    while frame is not None:
        if frame.context is context and frame.caller == caller:
            return True
        frame = frame.prev
    return False


def _label(context: BudgetContext) -> str:
    name = f"namespace={context._namespace!r}" if context._namespace is not None else "unnamed"
    return f"BudgetContext({name}, flop_budget={context._budget:,})"


def _exit_out_of_order(context: BudgetContext, top: _Stack | None, caller: int = 0) -> None:
    """``context`` exits but is not the innermost active budget, or not from the Python
    frame that entered the innermost (see ``BudgetContext``)."""
    frame = top
    while frame is not None and not (frame.context is context and frame.caller == caller):
        frame = frame.prev
    if frame is None and caller not in context._abandoned:
        # Entered and exited from different Python frames (contextlib.ExitStack, calls
        # by hand): the innermost entry of the context is the one exiting.
        frame = top
        while frame is not None and frame.context is not context:
            frame = frame.prev
    if frame is not None:
        # Active, with other contexts left open above it: close them all. The stack
        # below is the one this context was entered on (frames are immutable).
        left_open = _abandon(top, frame)
        _ACTIVE.set(frame.prev)
        names = ", ".join(dict.fromkeys(_label(c) for c in left_open))
        warnings.warn(
            f"{_label(context)} exited while {names}, entered inside it, was still active "
            "(a generator suspended inside its `with`, or a context exited by hand?); "
            "it is closed too and charges no later op",
            MechEstimWarning,
            stacklevel=3,
        )
        return
    with _LOCK:
        if context._abandoned:
            # Already closed by the out-of-order exit of a context below it.
            abandoned = context._abandoned
            abandoned.remove(caller) if caller in abandoned else abandoned.pop()
            return
    raise RuntimeError(
        f"{_label(context)} exited out of order: it is not an active budget here "
        "(never entered, already exited, or entered in another thread or task)"
    )


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


def _path_of(context: BudgetContext, frame: _Stack) -> str | None:
    """The namespace path ``context`` runs under in ``frame``'s stack: that of its
    outermost entry (a re-entered context keeps its first path); a meter's own namespace."""
    path = context._namespace
    while frame is not None:
        if frame.context is context:
            path = frame.path
        frame = frame.prev
    return path


def _scale(cost: int, multiplier: float) -> int:
    """``int(cost * multiplier)``; exact when the float product overflows."""
    try:
        return int(cost * multiplier)
    except OverflowError:  # inf: the product is finite, just past float's range
        numerator, denominator = multiplier.as_integer_ratio()
        return cost * numerator // denominator


def _refuse(context: BudgetContext, op_name: str, cost: int, frame: _Stack) -> None:
    """Raise the overrun of ``context``, naming its own budget and namespace path."""
    error = BudgetExhaustedError(
        op_name,
        cost,
        context._budget - context._used,
        namespace=_path_of(context, frame),
        flop_budget=context._budget,
    )
    error.thread_id = threading.get_ident()
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
    # The global default on first use, or contexts that outlived budget_reset(): every
    # context of the stack counts again, each at its outermost entry (outermost first),
    # so an outer context still open keeps its place in the top-level total.
    chain = []
    entry = frame
    while entry is not None:
        chain.append(entry)
        entry = entry.prev
    seen = set()
    for entry in reversed(chain):
        if id(entry.context) not in seen:
            seen.add(id(entry.context))
            _register_budget(entry.context, entry.path, outermost=entry.prev is None)
    frame.record = SESSION.namespace(frame.path)
    frame.generation = SESSION.generation


def _scaled(cost: int, multiplier: float, weight: float | None) -> int:
    """What ``cost`` FLOPs charge a budget of ``multiplier`` for an op of ``weight``
    (``None``: unweighted): ``int(cost * weight * multiplier)``, exact past float's range."""
    if weight is None:
        return cost if multiplier == 1.0 else _scale(cost, multiplier)
    try:
        adjusted = int(cost * weight * multiplier)
    except OverflowError:  # inf: the exact product is finite, just past float's range
        from fractions import Fraction  # here, not at import: a rare path

        adjusted = int(Fraction(cost) * Fraction(weight) * Fraction(multiplier))
    # A weighted op that did any work charges something; weight 0 makes it free.
    if adjusted < 1 and cost >= 1 and weight > 0:
        return 1
    return adjusted


def _give_back(charged: tuple, refusing: BudgetContext, cost: int) -> None:
    """Undo ``_used += cost`` on the budgets before ``refusing`` (which refused the charge)."""
    for context in charged:
        if context is refusing:
            return
        context._used -= cost


def _record(context: BudgetContext, op_name: str, cost: int, shapes, subscripts, path) -> None:
    """Log an op whose cost was already added to ``context._used``."""
    context._log.append((op_name, subscripts, shapes, cost, context._used, path))
    _tally(context._operations, op_name, cost)


def _tally(operations: dict[str, list[int]], op_name: str, cost: int) -> None:
    """Add one call of ``cost`` FLOPs to ``op_name``'s [flop_cost, calls] totals."""
    try:  # (subscripting, not .get: fewer steps, on every call)
        totals = operations[op_name]
    except KeyError:
        operations[op_name] = [cost, 1]
    else:
        totals[0] += cost
        totals[1] += 1


def charge(op_name: str, cost: int, shapes: tuple = (), subscripts: str | None = None) -> None:
    """Charge ``cost`` FLOPs for ``op_name`` to every active budget, or raise.

    ``cost`` is the op's unweighted FLOPs; each budget is charged
    ``int(cost * weight * flop_multiplier)`` (see ``weights``).
    Raises :class:`BudgetExhaustedError` (and changes nothing) if the cost exceeds
    what remains in any active budget; a cost equal to the remainder is allowed.
    """
    frame = _ACTIVE.get()
    if frame is None:
        frame = _fallback_stack or _default_stack or _get_default_stack()
    path = frame.path
    meters = _meters
    # acquire/release rather than `with`: half the cost on a path every op takes.
    # Under the lock, each budget is checked and its usage added with no call in between,
    # so a charge from a signal handler interrupting this one sees either all of this
    # charge in a budget or none of it (see the module docstring).
    _LOCK.acquire()
    try:
        # (_weights is read under the lock: set_weights swaps it under the same lock.)
        if frame.single and not meters and _weights is None:
            # Hottest path (one budget, multiplier 1), written out without loops.
            context = frame.context
            if cost > context._budget - context._used:
                _refuse(context, op_name, cost, frame)
            used = context._used = context._used + cost
            context._log.append((op_name, subscripts, shapes, cost, used, path))
            _tally(context._operations, op_name, cost)
            innermost_cost = cost
        elif frame.unit and (_weights is None or op_name not in _weights):
            # Nested budgets, multiplier 1: check all, then add and log.
            charged = frame.charged + meters if meters else frame.charged
            for context in charged:
                if cost > context._budget - context._used:
                    _give_back(charged, context, cost)
                    _refuse(context, op_name, cost, frame)
                context._used += cost
            for context in charged:
                _record(context, op_name, cost, shapes, subscripts, path)
            innermost_cost = cost
        else:
            weight = None if _weights is None else _weights.get(op_name)
            scaled = [
                (c, _scaled(cost, c._multiplier, weight))
                for c in (frame.charged + meters if meters else frame.charged)
            ]
            for taken, (context, adjusted) in enumerate(scaled):
                if adjusted > context._budget - context._used:
                    for earlier, earlier_cost in scaled[:taken]:
                        earlier._used -= earlier_cost
                    _refuse(context, op_name, adjusted, frame)
                context._used += adjusted
            for context, adjusted in scaled:
                _record(context, op_name, adjusted, shapes, subscripts, path)
            innermost_cost = scaled[0][1]
        if frame.generation != SESSION.generation:
            _sync_session(frame)
        record = frame.record
        record.flops_used += innermost_cost
        _tally(record.operations, op_name, innermost_cost)
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

                from .session import budget_summary_dict, render_summary

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
        from .session import budget_summary

        budget_summary()
