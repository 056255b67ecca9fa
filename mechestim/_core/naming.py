"""Naming the wrappers that op families generate (public name, module, docstring,
signature)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np


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


def numpy_object(name: str) -> Any:
    """The NumPy function (or ufunc) a public op name stands for (``"linalg.svd"`` ->
    ``numpy.linalg.svd``); None when this NumPy has none."""
    module: Any = np
    prefix, dot, short = name.partition(".")
    if dot:
        module = getattr(np, prefix)
        name = short
    return getattr(module, name, None)
