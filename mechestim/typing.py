"""``me.typing``: ``numpy.typing`` re-exported (``ArrayLike``, ``NDArray``, ``DTypeLike``, ...).

``me.ndarray`` is a ``numpy.ndarray``, so NumPy's annotations describe mechestim
arrays too; this module saves an extra import.
"""

from __future__ import annotations

import numpy.typing as _numpy_typing
from numpy.typing import *  # noqa: F403

__all__ = list(_numpy_typing.__all__)


def __getattr__(name: str):
    return getattr(_numpy_typing, name)
