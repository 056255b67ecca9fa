"""NumPy's testing assertions, free and accepting mechestim arrays.

They compare plain views of the data, so an assertion never charges a budget.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy.testing as _nt

from ._core.arrays import plain as unwrap

_NAMES = [
    "assert_allclose",
    "assert_almost_equal",
    "assert_approx_equal",
    "assert_array_almost_equal",
    "assert_array_almost_equal_nulp",
    "assert_array_equal",
    "assert_array_less",
    "assert_array_max_ulp",
    "assert_equal",
    "assert_raises",
    "assert_raises_regex",
    "assert_string_equal",
    "assert_warns",
    "assert_no_warnings",
]

__all__ = list(_NAMES)


def _free(func: Callable) -> Callable:
    @functools.wraps(func)
    def assertion(*args: Any, **kwargs: Any) -> Any:
        return func(*(unwrap(a) for a in args), **{k: unwrap(v) for k, v in kwargs.items()})

    return assertion


for _name in _NAMES:
    globals()[_name] = _free(getattr(_nt, _name))
del _name
