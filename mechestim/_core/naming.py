"""Naming the wrappers that op families generate (public name, module, docstring,
signature)."""

from __future__ import annotations

import inspect
from collections.abc import Callable


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
