"""The ``flop_budget`` marker: finding the closest one for a test and validating it.

Its arguments are checked by :mod:`mechestim.metering`'s validators, the ones
``BudgetContext`` itself uses, so a marker that passes collection always opens.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mechestim.metering import validate_budget, validate_namespace

from ._files import printable

__all__ = [
    "MARKER",
    "MARKER_HELP",
    "MarkedBudget",
    "MarkerError",
    "marked_budget",
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
    try:  # the library's own checks, so the marker accepts exactly what BudgetContext does
        namespace = validate_namespace(namespace)
        limit = validate_budget(value, "the budget n")
    except (TypeError, ValueError) as exc:
        message = str(exc)
        if isinstance(namespace, str) and "/" in namespace:
            # the library's "nest contexts instead" says what, not how, for a marker
            message += (
                " (mark the outer name and open `with flop_budget(n, namespace=...)` "
                "in the test for the inner one)"
            )
        raise MarkerError(message) from None
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
        raise MarkerError(
            f"{printable(item.nodeid)}: invalid @pytest.mark.flop_budget: {exc}"
        ) from None
