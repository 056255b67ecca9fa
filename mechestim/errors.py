"""Exceptions and warnings raised by mechestim (``me.errors``; ``configure`` is re-exported
here for callers of ``me.errors.configure``)."""

from __future__ import annotations

__all__ = [
    "MechEstimError",
    "BudgetExhaustedError",
    "NoBudgetContextError",
    "SymmetryError",
    "UnsupportedFunctionError",
    "MechEstimWarning",
    "SymmetryLossWarning",
    "configure",
]


class MechEstimError(Exception):
    """Base class of every error mechestim raises on purpose."""

    # Spelled out so that inspect.signature (help, editors) works on every subclass that
    # keeps it: Exception's own __init__ is a C slot wrapper with no signature.
    def __init__(self, *args: object) -> None:
        super().__init__(*args)


class BudgetExhaustedError(MechEstimError):
    """An operation would cost more FLOPs than remain in an active budget.

    Raised before the operation runs: nothing executed and nothing was recorded.
    ``thread_id`` is the :func:`threading.get_ident` of the thread whose op was refused
    (``None`` for an error built by hand or unpickled): it tells a test runner whether
    the refusal happened in a thread the test started.
    """

    thread_id: int | None = None

    def __init__(
        self,
        op_name: str,
        flop_cost: int,
        flops_remaining: int,
        *,
        namespace: str | None = None,
        flop_budget: int | None = None,
    ) -> None:
        self.op_name = op_name
        self.flop_cost = flop_cost
        self.flops_remaining = flops_remaining
        self.namespace = namespace
        self.flop_budget = flop_budget
        message = f"{op_name} would cost {flop_cost:,} FLOPs but only {flops_remaining:,} remain"
        where = f"namespace {namespace!r}" if namespace is not None else "no namespace"
        if flop_budget is not None:
            message += f" (budget {flop_budget:,}, {where})"
        else:
            message += f" ({where})"
        super().__init__(message)

    def __reduce__(self):  # keep the attributes across pickling (xdist, multiprocessing)
        return (
            _rebuild_budget_error,
            (self.op_name, self.flop_cost, self.flops_remaining, self.namespace, self.flop_budget),
        )


def _rebuild_budget_error(op_name, flop_cost, flops_remaining, namespace, flop_budget):
    return BudgetExhaustedError(
        op_name, flop_cost, flops_remaining, namespace=namespace, flop_budget=flop_budget
    )


class NoBudgetContextError(MechEstimError):
    """An operation needed an explicit budget context and none was active."""


class SymmetryError(MechEstimError):
    """Data claimed to be symmetric is not symmetric within tolerance."""

    def __init__(
        self,
        message: str,
        *,
        axes: tuple | None = None,
        max_deviation: float | None = None,
        atol: float | None = None,
        rtol: float | None = None,
    ) -> None:
        self.axes = axes
        self.max_deviation = max_deviation
        self.atol = atol
        self.rtol = rtol
        super().__init__(message)


class UnsupportedFunctionError(MechEstimError, AttributeError):
    """A NumPy name mechestim refuses on purpose (or that needs a newer NumPy).

    Raised on attribute access (``me.matrix``, ``me.linalg.test``); the message says
    why and what to use instead. An ``AttributeError``, so ``hasattr`` and
    ``getattr(me, name, default)`` behave as for any missing name.
    """


class MechEstimWarning(UserWarning):
    """Something worth knowing happened, e.g. a counted op produced NaN or Inf."""

    def __init__(self, *args: object) -> None:  # a signature for inspect (see MechEstimError)
        super().__init__(*args)


class SymmetryLossWarning(MechEstimWarning):
    """An operation dropped symmetry that its input carried."""


# configure lives in mechestim._core.config; me.errors.configure stays a public name.
from ._core.config import _settings, configure  # noqa: E402, F401
