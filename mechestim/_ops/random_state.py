"""``me.random.RandomState``: NumPy's legacy generator with every draw charged.

A thin wrapper of ``numpy.random.RandomState``: the same seed draws the same values,
results come back as ``me.ndarray`` (scalars stay scalars), and each sampling method
charges what the module-level function of the same name charges (``me.random.normal``
and friends: numel(output) for samplers, ``sort_cost(n)`` for ``permutation`` and
``shuffle``, ...) under the op name ``"random.RandomState.<method>"``. ``seed``,
``get_state`` and ``set_state`` are free. Arguments NumPy refuses leave no charge.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core.arrays import plain, plain_args, plain_kwargs
from .._core.compat import reporting_at_user_line
from .._core.pipeline import execute
from .._core.registry import REGISTRY
from .._symmetry.tensor import release

__all__ = ["RandomState"]

# Sampling methods of numpy.random.RandomState that the module-level functions mirror.
_COUNTED = tuple(
    name.partition(".")[2]
    for name, spec in REGISTRY.items()
    if name.startswith("random.")
    and spec.status == "counted"
    and hasattr(np.random.RandomState, name.partition(".")[2])
)


class RandomState:
    """A charged wrapper of ``numpy.random.RandomState(seed)``.

    Same draws as NumPy's for the same seed; each sampling method charges what the
    module-level ``me.random`` function of that name charges (e.g. ``normal(size=10)``
    costs 10) under ``"random.RandomState.<method>"``; ``seed``, ``get_state`` and
    ``set_state`` are free.
    """

    __slots__ = ("_state",)

    def __init__(self, seed: Any = None) -> None:
        if isinstance(seed, np.random.RandomState):
            self._state = seed
        else:
            self._state = np.random.RandomState(plain(seed))

    def seed(self, seed: Any = None) -> None:
        """Reseed, as ``numpy.random.RandomState.seed`` (free)."""
        self._state.seed(plain(seed))

    def get_state(self, legacy: bool = True) -> Any:
        """The generator's state, as ``numpy.random.RandomState.get_state`` (free)."""
        return self._state.get_state(legacy=legacy)

    def set_state(self, state: Any) -> None:
        """Restore a state from ``get_state`` (free)."""
        self._state.set_state(state)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"mechestim's random.RandomState does not provide {name!r}")

    def __repr__(self) -> str:
        return "mechestim.random.RandomState(MT19937)"

    def __getstate__(self) -> dict:
        return {"state": self._state}

    def __setstate__(self, state: dict) -> None:
        self._state = state["state"]


# Methods NumPy deprecates (a warning for every call, whatever the arguments).
_DEPRECATED = frozenset({"random_integers"})


def _make_method(short: str) -> None:
    rule = REGISTRY[f"random.{short}"].cost
    op = f"random.RandomState.{short}"

    def method(self: RandomState, *args: Any, **kwargs: Any) -> Any:
        flops = int(rule(*args, **kwargs))  # validates what the formula needs
        if short == "shuffle":
            (target,) = args or (kwargs["x"],)
            execute(op, flops, (), self._state.shuffle, (plain(target),))
            release(target)  # reordered in place: a SymmetricTensor's symmetry no longer holds
            return None
        draw = getattr(self._state, short)
        if short in _DEPRECATED:  # NumPy's DeprecationWarning, at the caller's line
            return execute(
                op, flops, (), reporting_at_user_line(draw), plain_args(args), plain_kwargs(kwargs)
            )
        return execute(op, flops, (), draw, plain_args(args), plain_kwargs(kwargs))

    numpy_method = getattr(np.random.RandomState, short)
    method.__name__ = method.__qualname__ = short
    method.__doc__ = (
        f"``numpy.random.RandomState.{short}`` on this generator; charged what "
        f"``me.random.{short}`` charges, under ``{op!r}``."
    )
    method.__wrapped__ = numpy_method  # type: ignore[attr-defined]
    setattr(RandomState, short, method)


for _short in _COUNTED:
    _make_method(_short)
del _short
