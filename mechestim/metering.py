"""The public metering API: what a test runner needs to charge a block of work to a budget.

mechestim's pytest plugin is built on this module alone; another runner (or a user's own
harness) can be too. It gives

- one validator per value that a user may hand a runner (a budget, a namespace), the same
  checks and wording :class:`~mechestim.BudgetContext` applies, so a bad marker argument
  fails where it is written and not later inside a context;
- :func:`meter`, which charges a context for every op in every thread, on top of whatever
  budgets are active there, without joining namespace paths or the session record (how a
  test with no budget of its own is still measured);
- :func:`charging`, which runs a block inside a context and also charges that context for
  ops of threads started meanwhile that have no budget of their own, restoring the caller's
  active budgets exactly on the way out even if the block left a context of its own open;
- :func:`active_weights` and :func:`weights_description`, so a report can say when per-op
  weights (``MECHESTIM_WEIGHTS_FILE`` / ``me.configure(weights=...)``) scale the charges.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._core.budget import BudgetContext

__all__ = [
    "active_weights",
    "charging",
    "meter",
    "validate_budget",
    "validate_namespace",
    "weights_description",
]


def validate_budget(value: Any, what: str = "flop_budget") -> int:
    """``value`` as a whole number of FLOPs: a finite real > 0 (floats are floored).

    Accepts ``int``, numpy integers and floats such as ``1e9``. Raises ``TypeError`` for
    anything that is not a real number (``bool`` and strings included) and ``ValueError``
    for NaN, infinities and values below 1; both messages name ``what`` and the value.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a finite number > 0, got {value!r} ({type(value).__name__})")
    if isinstance(value, numbers.Integral):
        result = int(value)
    else:
        as_float = float(value)
        if not math.isfinite(as_float):
            raise ValueError(f"{what} must be a finite number > 0, got {value!r}")
        result = math.floor(as_float) if as_float > 0 else 0
    if result <= 0:
        raise ValueError(f"{what} must be a finite number > 0, got {value!r}")
    return result


def validate_namespace(value: Any, what: str = "namespace") -> str | None:
    """``value`` as a namespace: ``None`` or a non-empty string without ``/`` or control characters.

    ``/`` joins nested namespaces into a path, so inside one name it would be ambiguous;
    control characters would reach terminals and reports raw. Raises ``TypeError`` for a
    non-string and ``ValueError`` for a bad string, naming ``what`` and the value.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} must be a non-empty str or None, got {value!r}")
    if "/" in value:
        raise ValueError(f"{what} must not contain '/', got {value!r}; nest contexts instead")
    if any(not ch.isprintable() for ch in value):
        raise ValueError(f"{what} must not contain control characters, got {value!r}")
    return value


@contextmanager
def meter(context: BudgetContext) -> Iterator[BudgetContext]:
    """Also charge ``context`` for every op, in every thread, while the block runs.

    The metered context is charged on top of the active budgets (it can refuse an op like
    any budget) but adds nothing to namespace paths or to the session record. It must have
    ``flop_multiplier`` 1.
    """
    from ._core import budget as _budget

    _budget.add_meter(context)
    try:
        yield context
    finally:
        _budget.remove_meter(context)


@contextmanager
def charging(context: BudgetContext) -> Iterator[BudgetContext]:
    """Run the block inside ``context``; threads with no budget of their own charge it too.

    On exit the caller's active budgets are exactly what they were on entry, even when the
    block left contexts of its own open (a test that failed inside ``with``).
    """
    from ._core import budget as _budget

    before = _budget.current_stack()
    saved_fallback = _budget.fallback_stack()
    context.__enter__()
    # New threads start with an empty context: their ops charge this frame.
    _budget.set_fallback_stack(_budget.current_stack())
    try:
        yield context
    finally:
        _budget.set_fallback_stack(saved_fallback)
        _budget.restore_stack(before)


def active_weights() -> dict[str, float] | None:
    """The per-op weights in force (only those != 1) as a new dict, or ``None`` when none are."""
    from ._core.weights import active_weights as current

    return current()


def weights_description() -> str | None:
    """One line naming the active per-op weights (count, hash, source), or ``None``."""
    from ._core.weights import weights_description as describe

    return describe()
