"""Plumbing shared by the op families that charge by hand (``me.fft``, ``me.random``)
instead of through ``_wrap.counted``: charge-then-run with a refund, results written
into ``out``, and naming the wrappers they generate."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ._budget import charge, refund
from ._wrap import check_finite, finish, release_out


class charged:  # lower case: reads as a statement, ``with charged(op, cost):``
    """Charge on entry; refund if NumPy then raises, so a refused call leaves no trace."""

    __slots__ = ("op", "cost")

    def __init__(self, op: str, cost: int, shapes: tuple = ()) -> None:
        charge(op, cost, shapes)
        self.op, self.cost = op, cost

    def __enter__(self) -> charged:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        if exc_type is not None and issubclass(exc_type, Exception):
            refund(self.op, self.cost)
        return False


def result_or_out(op: str, result: Any, out: Any, plain_out: Any) -> Any:
    """Wrap a result as ``me.ndarray``; return the caller's ``out`` when NumPy filled it
    (``plain_out`` being the plain-NumPy view of ``out`` that NumPy was given)."""
    if out is not None and result is plain_out:
        release_out(out)
        check_finite(op, result)
        return out
    return finish(op, result)


def name_op(
    op: Callable, short: str, module: str, doc: str, signature: inspect.Signature | None = None
) -> Callable:
    """Give a generated wrapper its public name, module and docstring (and, for one that
    takes ``*args, **kwargs``, the signature to show); returns ``op``."""
    op.__name__ = op.__qualname__ = short
    op.__module__ = module
    op.__doc__ = doc
    if signature is not None:
        op.__signature__ = signature  # type: ignore[attr-defined]
    return op
