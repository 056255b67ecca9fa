"""What differs between the NumPy versions mechestim supports (2.0 to the newest).

- :func:`needs_numpy_message`: the error for a name only a newer NumPy provides (the
  version comes from the registry's ``since`` column, the one place it is recorded).
- ``fix``: ``numpy.fix`` without calling it (NumPy 2.5 deprecates it in favour of
  ``numpy.trunc``, which has given the same values and dtypes in every NumPy 2).
- Warnings a user's arguments trigger inside a NumPy call that mechestim makes (a
  deprecation, an all-NaN slice) name the user's line: NumPy is called from a frame at
  that line (:func:`reporting_at_user_line`), or mechestim warns there itself
  (:func:`warn_deprecated`). mechestim's own lines never raise a DeprecationWarning.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
"""mechestim's own directory: frames from files under it are not the user's."""


def needs_numpy_message(name: str) -> str:
    """Why ``me.<name>`` cannot run on the installed NumPy."""
    from .registry import REGISTRY

    spec = REGISTRY.get(name)
    minimum = spec.since if spec is not None else None
    need = f"NumPy >= {minimum}" if minimum else "a NumPy that provides it"
    return f"me.{name} needs {need} (this is NumPy {np.__version__})"


def caller_stacklevel() -> int:
    """The ``stacklevel`` for ``warnings.warn`` called *by the caller of this function*
    that points at the first line outside mechestim (the user's call)."""
    level, frame = 2, sys._getframe(2)  # level 2: the function that called warnings.warn's caller
    while frame is not None and frame.f_code.co_filename.startswith(PACKAGE_DIR):
        level += 1
        frame = frame.f_back
    return level


def warn_deprecated(message: str, category: type[Warning] = DeprecationWarning) -> None:
    """Issue ``message`` at the user's line, however deep in mechestim this runs."""
    warnings.warn(message, category, stacklevel=caller_stacklevel())


# NumPy functions written in Python that warn at their *caller's* line (an all-NaN slice,
# too few observations, a rank-deficient fit): mechestim calls them, so without help the
# warning would name a line of mechestim. Their ops run NumPy through
# :func:`reporting_at_user_line`.
WARN_AT_CALLER = frozenset(
    "nanmean nanvar nanstd nanmin nanmax nanmedian nanpercentile nanquantile nanargmin "
    "nanargmax cov corrcoef polyfit".split()
)


def reporting_at_user_line(func: Callable) -> Callable:
    """``func`` called from a frame at the user's line: a warning NumPy gives at its
    caller's line (``stacklevel=2``, or a C ufunc's ``'where' used without 'out'``) names
    the user's line and module, as under NumPy, with nothing caught or re-issued (catching
    warnings on every call would reset every module's once-per-line registry, so that a
    'default' warning anywhere shows again after each call)."""

    @functools.wraps(func)
    def at_user_line(*args: Any, **kwargs: Any) -> Any:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.startswith(PACKAGE_DIR):
            frame = frame.f_back
        if frame is None:  # no Python caller outside mechestim (a thread's target)
            return func(*args, **kwargs)
        line = frame.f_lineno or frame.f_code.co_firstlineno
        call = _call_at(frame.f_code.co_filename, line)
        return eval(call, frame.f_globals, {"f": func, "a": args, "k": kwargs})

    return at_user_line


@functools.lru_cache(maxsize=256)
def _call_at(filename: str, line: int) -> Any:
    """Code calling ``f(*a, **k)`` whose frame reports ``filename`` at ``line``."""
    return compile("\n" * (line - 1) + "f(*a, **k)", filename, "eval")


# catch_warnings swaps process-wide state (the filters, the function showing a warning)
# and puts back what it found on exit: two threads inside at once would restore in the
# wrong order and leave the process with a recorder of a finished call (every later
# warning lost). Only the one-time probe below catches warnings; re-entrant, as a signal
# handler may run an op while its thread is inside.
_CATCHING = threading.RLock()


def _numpy_deprecates(name: str, probe: Callable[[], Any]) -> str | None:
    """NumPy's deprecation message for ``probe()`` (a tiny call of ``name``), or None."""
    with _CATCHING, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            probe()
        except Exception:  # removed outright: nothing to warn about here
            return None
    for item in caught:
        if issubclass(item.category, DeprecationWarning):
            return str(item.message)
    return None


_FIX_DEPRECATION: list[str | None] = []


def fix(x: Any, out: Any = None) -> Any:
    """Round towards zero, exactly as ``numpy.fix``: since NumPy 2 that is ``numpy.trunc``
    (same values, dtypes and ``out`` handling). Where NumPy deprecates ``fix`` the same
    DeprecationWarning goes to the user's line."""
    if not _FIX_DEPRECATION:
        legacy = getattr(np, "fix", None)
        _FIX_DEPRECATION.append(
            _numpy_deprecates("fix", lambda: legacy(0.5)) if legacy is not None else None
        )
    if _FIX_DEPRECATION[0] is not None:
        warn_deprecated(_FIX_DEPRECATION[0])
    return np.trunc(x, out=out)


fix.__name__ = fix.__qualname__ = "fix"

# Registry names whose NumPy function mechestim replaces with its own.
REPLACEMENTS: dict[str, Callable] = {"fix": fix}
