"""The ``flop_budget`` marker: finding the closest one for a test and validating it."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import pytest

__all__ = [
    "MARKER",
    "MARKER_HELP",
    "MarkedBudget",
    "MarkerError",
    "marked_budget",
    "validate_flops",
    "validate_namespace",
]

MARKER = "flop_budget"
MARKER_HELP = (
    "flop_budget(n, *, namespace=None): run the test's call phase inside a FLOP budget of n "
    "(mechestim); the closest mark (parameter, function, class, module) wins"
)


class MarkerError(Exception):
    """A ``flop_budget`` marker whose arguments cannot be used."""


@dataclass(frozen=True)
class MarkedBudget:
    """What a valid marker asks for."""

    limit: int
    namespace: str | None


def validate_flops(value: Any) -> int:
    """A budget as a whole number of FLOPs: a finite real > 0 (floats are floored).

    Raises ``ValueError`` naming the value for bool, strings, NaN, infinities and
    anything below one FLOP.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"the budget must be a number of FLOPs > 0, got {value!r} ({type(value).__name__})"
        )
    if isinstance(value, numbers.Integral):
        result = int(value)
    else:
        as_float = float(value)
        if not math.isfinite(as_float):
            raise ValueError(f"the budget must be a finite number of FLOPs, got {value!r}")
        result = math.floor(as_float) if as_float > 0 else 0
    if result <= 0:
        raise ValueError(f"the budget must be at least 1 FLOP, got {value!r}")
    return result


def validate_namespace(value: Any) -> str | None:
    """A namespace: a non-empty string or ``None``; raises ``TypeError`` naming the value."""
    if value is not None and (not isinstance(value, str) or not value):
        raise TypeError(f"namespace must be a non-empty string or None, got {value!r}")
    return value


def _closest_mark(item: pytest.Item) -> pytest.Mark | None:
    # A mark given with pytest.param(..., marks=...) is closer than one on the function.
    callspec = getattr(item, "callspec", None)
    for mark in getattr(callspec, "marks", ()) or ():
        if mark.name == MARKER:
            return mark
    return item.get_closest_marker(MARKER)


def _parse(mark: pytest.Mark) -> MarkedBudget:
    args = list(mark.args)
    kwargs = dict(mark.kwargs)
    if "n" in kwargs:
        if args:
            raise MarkerError("n is given both by position and as n=")
        value = kwargs.pop("n")
    elif args:
        value = args.pop(0)
    else:
        raise MarkerError("the budget n is missing: write @pytest.mark.flop_budget(n)")
    if args:
        raise MarkerError(f"takes one positional argument (n), got {len(args) + 1}")
    namespace = kwargs.pop("namespace", None)
    if kwargs:
        raise MarkerError(
            f"unknown keyword argument(s): {', '.join(sorted(kwargs))} (known: n, namespace)"
        )
    try:
        namespace = validate_namespace(namespace)
        limit = validate_flops(value)
    except (TypeError, ValueError) as exc:
        raise MarkerError(str(exc)) from None
    return MarkedBudget(limit, namespace)


def marked_budget(item: pytest.Item) -> MarkedBudget | None:
    """The budget the closest ``flop_budget`` mark gives ``item`` (``None`` if unmarked).

    Raises :class:`MarkerError` with a message naming the test when the mark is invalid.
    """
    mark = _closest_mark(item)
    if mark is None:
        return None
    try:
        return _parse(mark)
    except MarkerError as exc:
        raise MarkerError(f"{item.nodeid}: invalid @pytest.mark.flop_budget: {exc}") from None
