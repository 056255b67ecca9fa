"""The one primitive every counted call goes through: :func:`execute`.

    arguments -> cost -> charge -> run -> keep or refund -> finish

An op works out its cost (a ``mechestim._costs`` formula, the one ``me.flops`` exposes)
and how to run NumPy, then hands both to :func:`execute`, which

* charges the cost before anything runs (an overrun raises and runs nothing);
* runs NumPy with mechestim's floating-point error handling (below);
* refunds the charge only when NumPy refused the call before computing: a
  ``FloatingPointError`` (``np.errstate(divide='raise')``) or a ``LinAlgError`` (a
  factorization that failed) comes after the work was done, so the charge is kept;
* finishes: the result becomes a ``me.ndarray`` (a ``SymmetricTensor`` when the op
  keeps symmetry), an ``out=`` argument is returned as given, and a result holding
  NaN or Inf raises one :class:`MechEstimWarning` at the user's line.

Non-finite results. NumPy reports a floating-point event (divide by zero, overflow,
invalid value; underflow only when asked, ``np.errstate(under='warn')``) with its own
``RuntimeWarning``, attributed to the Python line that ran the ufunc, which would be a
line inside mechestim. So while NumPy runs, each category
the user left at ``'warn'`` is switched to ``'call'`` with a recorder; afterwards a
NaN/Inf result gives one ``MechEstimWarning`` naming the op, counts and shape, and an
event with a finite result (an integer division by zero) NumPy's own message, both at
the user's line. Categories set to ``'ignore'`` stay silent (our warning too, for the
matching category), ``'raise'`` still raises, and a user's ``'call'``/``'log'`` handler
is left alone.

A NaN NumPy has already warned about is not reported twice: NumPy's nan-reductions
(``nanmean``, ``nanvar``, ``nanmin``, ...) warn of an all-NaN or empty slice themselves
("Mean of empty slice", "All-NaN slice encountered", "Degrees of freedom <= 0 for
slice."), so when every NaN of such a result lies in a slice NumPy warned about (the
op's entry in :data:`NUMPY_WARNED`, asked only for a result holding NaN) and NumPy
recorded no floating-point event, NumPy's warning is the only one. A NaN or Inf from
anything else (``inf - inf`` in another slice) still gives mechestim's warning.

The check is a second pass over the result, which on a large result costs a third of
the op itself. When the optional compiled kernel ``mechestim._accel`` is built, a large
add, subtract, multiply or divide of two contiguous float arrays runs it instead of the
ufunc (see :func:`execute`'s ``fuse``): it writes NumPy's exact result and checks it in
the same pass, and leaves every call with a NaN, Inf or floating-point event to NumPy,
so the paragraph above holds either way. ``MECHESTIM_NO_ACCEL=1`` at import turns it
off.

Ops state themselves once, as a plan (:func:`planned`): ``plan(args) -> Plan`` reads
the caller's arguments, refuses bad ones, works out the cost and says how NumPy runs;
the op runs that plan through :func:`execute`, and the registry's cost rule (``me.flops``,
tests) is the plan's cost.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import math
import os
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._symmetry.tensor import (
    SymmetricTensor,
    SymmetryInfo,
    normalize_groups,
    release,
    release_aliases,
    tag,
)
from ..errors import MechEstimWarning
from . import registry as _registry
from .arrays import plain_args, plain_kwargs, refuse_masked, wrap
from .budget import charge, refund
from .compat import PACKAGE_DIR
from .config import _settings
from .ndarray import ndarray

__all__ = [
    "NUMPY_WARNED",
    "Plan",
    "execute",
    "finish",
    "check_finite",
    "numpy_plan",
    "planned",
    "release_out",
]

# Raised by NumPy after the computation ran: the work was done, the charge stays.
_COMPUTED_THEN_RAISED = (FloatingPointError, np.linalg.LinAlgError)

# -- floating-point events ------------------------------------------------------------------
try:  # NumPy >= 2.0 keeps its error state in a context variable holding a capsule.
    from numpy._core.umath import _extobj_contextvar as _fp_state
except ImportError:  # pragma: no cover - a NumPy that moved it: NumPy's own warnings stay
    _fp_state = None
if _fp_state is not None:
    _get_fp_state, _set_fp_state, _reset_fp_state = _fp_state.get, _fp_state.set, _fp_state.reset
else:  # pragma: no cover

    def _get_fp_state() -> None:
        return None

    _set_fp_state = _reset_fp_state = None

_CATEGORIES = ("divide", "over", "under", "invalid")
_FLAG_CATEGORY = {1: "divide", 2: "over", 4: "under", 8: "invalid"}  # NumPy's FPE_* bits


class _Events(threading.local):
    """What NumPy reported to :func:`_record_event` in this thread since the last check."""

    flags = 0  # NumPy's FPE_* bits
    kinds: tuple[str, ...] = ()  # its words for each, in its order ("divide by zero", ...)


_events = _Events()
# The threads holding recorded events not yet reported (their idents). The hot path reads
# this global (empty: nothing to report), not the thread-local; each thread removes only
# itself, so a thread checking its own result never takes another thread's pending
# event (set.add and set.discard are atomic).
_pending: set[int] = set()
_get_ident = threading.get_ident


def _record_event(kind: str, flag: int) -> None:
    events = _events
    if not events.flags:  # the first since the last check
        events.kinds = ()
    events.flags |= flag
    events.kinds += (kind,)
    _pending.add(_get_ident())


def _take_events() -> int:
    """This thread's recorded event flags, cleared."""
    flags = _events.flags
    _events.flags = 0
    _pending.discard(_get_ident())
    return flags


# (the user's last seen error state (a capsule), the state NumPy runs under instead or
# None, the user's settings as np.geterr() gives them, a Context holding only that quiet
# state). One entry, replaced as a whole: every errstate block makes a new capsule.
_cache: tuple = (None, None, None, None)


def _refresh(user_state: Any) -> tuple:
    global _cache
    settings = np.geterr()
    quiet = None
    handler_in_use = any(settings[c] in ("call", "log") for c in settings)
    warned = [c for c in _CATEGORIES if settings[c] == "warn"]
    context = None
    if warned and not handler_in_use:
        with np.errstate(**dict.fromkeys(warned, "call"), call=_record_event):
            quiet = _fp_state.get()
        context = contextvars.Context()
        context.run(_fp_state.set, quiet)
    _cache = (user_state, quiet, settings, context)
    return _cache


def _user_line_level() -> int:
    """``stacklevel`` for ``warnings.warn`` called from the caller of this function that
    points at the first frame outside mechestim and NumPy (the user's line)."""
    frame = sys._getframe(2)
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        frame = frame.f_back
        level += 1
    return level


_INTERNAL = (PACKAGE_DIR, os.path.dirname(os.path.abspath(np.__file__)) + os.sep)


def _silenced(nans: int, infs: int, flags: int) -> bool:
    """Whether the user's error state ignores every category this result stands for."""
    cache = _cache
    current = None if _fp_state is None else _fp_state.get()
    settings = cache[2] if current is not None and current is cache[0] else np.geterr()
    if flags:  # what NumPy reported (categories the user has at 'warn'): not silenced
        return all(settings[_FLAG_CATEGORY[f]] == "ignore" for f in _FLAG_CATEGORY if flags & f)
    # Propagated from non-finite inputs (NumPy reports nothing): NaN is an invalid value,
    # Inf a division by zero or an overflow.
    if nans and settings["invalid"] != "ignore":
        return False
    return not infs or settings["divide"] == "ignore" or settings["over"] == "ignore"


# Ops whose NumPy function warns itself of the slices it leaves NaN (an all-NaN slice):
# op name -> ``warned(args, kwargs)``, given the call's plain arguments, is a boolean mask
# (broadcastable to the result) of the result elements NumPy warned about in this call.
NUMPY_WARNED: dict[str, Callable[[tuple, dict], Any]] = {}


def _numpy_warned_of_all(op_name: str, result: Any, nans: int, infs: int, call: tuple) -> bool:
    """Whether every non-finite value of ``result`` is a NaN that NumPy's own function
    already warned about in this call (see :data:`NUMPY_WARNED`)."""
    warned = NUMPY_WARNED.get(op_name)
    if warned is None or infs or not nans or call is None:
        return False
    try:
        mask = warned(*call)
        return not np.any(np.isnan(result) & ~np.asarray(mask, dtype=bool))
    except Exception:  # arguments it cannot read (NumPy took them): our warning stays
        return False


def _report_nonfinite(op_name: str, result: Any, call: tuple | None = None) -> None:
    """Warn of NaN/Inf in ``result``; ``call``: ``(args, kwargs)`` that ``run`` was given."""
    flags = _take_events()
    if isinstance(result, np.ndarray):
        nans = int(np.count_nonzero(np.isnan(result)))
        count = int(result.size - np.count_nonzero(np.isfinite(result)))
        if not count:  # the fast check's sum (of squares) overflowed; every element is finite
            if flags:  # what NumPy flagged (an underflow) is still the user's warning
                _warn_events(op_name)
            return
        if not flags and _numpy_warned_of_all(op_name, result, nans, count - nans, call):
            return  # NumPy's warning (at the user's line) is the report
        if _silenced(nans, count - nans, flags):
            return
        message = (
            f"{op_name} produced {nans} NaN and {count - nans} Inf values in a result of "
            f"shape {result.shape}"
        )
    else:
        nan = bool(np.isnan(result))
        if not flags and _numpy_warned_of_all(op_name, result, int(nan), int(not nan), call):
            return
        if _silenced(int(nan), int(not nan), flags):
            return
        message = f"{op_name} produced a {'NaN' if nan else 'Inf'} scalar result"
    warnings.warn(message, MechEstimWarning, stacklevel=_user_line_level())


def _report_events(op_name: str) -> None:
    """NumPy flagged an event but the result is finite (an integer division by zero, an
    overflow in a cast): NumPy's own message, at the user's line."""
    if not _take_events():
        return  # another thread's event
    _warn_events(op_name)


def _warn_events(op_name: str) -> None:
    """NumPy's warning for each event it reported, in its order, at the user's line."""
    level = _user_line_level()
    for kind in _events.kinds:
        warnings.warn(f"{kind} encountered in {op_name}", RuntimeWarning, stacklevel=level)


_BLAS_ONE_THREAD = 10_000  # OpenBLAS runs dot on one thread up to this length
_add_reduce = np.add.reduce


def _sum_of(flat: np.ndarray, size: int) -> Any:
    """A sum that is NaN or Inf iff some element of the 1-D float array ``flat`` is (or,
    rarely, the sum overflows: settled by :func:`_report_nonfinite`). One pass, far
    cheaper than ``isfinite().all()``: a Python sum for a handful of elements, BLAS's
    sum of squares up to the length it keeps on one thread, NumPy's own sum above (a
    multi-threaded dot stalls when other processes hold the cores)."""
    if size <= 16:
        return sum(flat.tolist())  # Python floats overflow to inf silently
    # The check's own overflow is not the user's event: NumPy runs it with errors ignored.
    try:
        return _IGNORING.run(_numpy_sum, flat, size)
    except RuntimeError as error:
        if not str(error).startswith("cannot enter context"):
            raise
        with np.errstate(all="ignore"):  # another thread is checking right now
            return _numpy_sum(flat, size)


def _numpy_sum(flat: np.ndarray, size: int) -> Any:
    return flat.dot(flat) if size <= _BLAS_ONE_THREAD else _add_reduce(flat)


_IGNORING = contextvars.Context()  # holds only NumPy's error state, all 'ignore'


def _ignore_all() -> None:
    np.seterr(all="ignore")  # in _IGNORING only: this Context is run for nothing else


_IGNORING.run(_ignore_all)


def _nonfinite(result: np.ndarray) -> bool:
    """Whether an inexact array may hold NaN or Inf (see :func:`_sum_of`)."""
    if result.dtype.kind == "f":
        flat = result if result.ndim == 1 else result.ravel(order="K")  # a view if contiguous
        return not math.isfinite(_sum_of(flat, flat.size))
    flat = result.ravel(order="K").view(result.real.dtype)  # (re, im) pairs as floats
    return not math.isfinite(_sum_of(flat, flat.size))


def check_finite(op_name: str, result: Any, call: tuple | None = None) -> None:
    """Warn when a counted op produced NaN or Inf (inexact results only); ``call``: the
    ``(args, kwargs)`` NumPy ran with (see :data:`NUMPY_WARNED`)."""
    if isinstance(result, ndarray):
        result = result.view(np.ndarray)  # checking must not charge (or loop back)
    elif type(result) is tuple:
        result = tuple(r.view(np.ndarray) if isinstance(r, ndarray) else r for r in result)
    if _settings["nonfinite_warnings"] and _may_be_nonfinite(result):
        _report_nonfinite(op_name, _first_nonfinite(result), call)
    elif _pending:
        _report_events(op_name)


def _may_be_nonfinite(result: Any) -> bool:
    if isinstance(result, np.ndarray):
        return result.dtype.kind in "fc" and result.size > 0 and _nonfinite(result)
    if isinstance(result, (np.floating, np.complexfloating, float, complex)):
        return not np.isfinite(result)
    if isinstance(result, tuple):
        return any(_may_be_nonfinite(item) for item in result)
    return False


def _first_nonfinite(result: Any) -> Any:
    if isinstance(result, tuple):
        return next(item for item in result if _may_be_nonfinite(item))
    return result


def release_out(out: Any, groups: Any = None) -> None:
    """A SymmetricTensor given as ``out=`` (or in an ``out`` tuple) now holds a result of
    the op: it keeps its class only if the results have the same symmetry ``groups`` (a
    tuple or a SymmetryInfo)."""
    for target in out if isinstance(out, tuple) else (out,):
        if isinstance(target, SymmetricTensor):
            kept = groups.groups if isinstance(groups, SymmetryInfo) else normalize_groups(groups)
            if kept != target.symmetry:
                release(target)  # overwritten with data that may not be symmetric
                continue
        release_aliases(target, groups)  # other SymmetricTensors sharing its memory


def finish(
    op_name: str, result: Any, out: Any = None, groups: Any = None, call: tuple | None = None
) -> Any:
    """The tail of :func:`execute`: NaN/Inf check, then wrap, or return ``out``
    (``groups``: the symmetry of the result, which ``out`` keeps or loses accordingly;
    ``call``: the ``(args, kwargs)`` NumPy ran with, for :func:`check_finite`)."""
    if out is not None and (
        type(out) is tuple or not isinstance(result, np.ndarray) or np.may_share_memory(result, out)
    ):  # (an op that accepts out= but does not use it, such as fft.hfft, returns its result)
        release_out(out, groups)
        check_finite(op_name, result, call)
        if isinstance(out, tuple):
            return out[0] if len(out) == 1 else out
        return out
    if type(result) is np.ndarray:
        check_finite(op_name, result, call)
        if groups:
            return tag(result, groups)
        return result.view(ndarray)
    check_finite(op_name, result, call)
    return wrap(result)


# -- the optional compiled kernel -----------------------------------------------------------
def _load_accel() -> Any:
    """``mechestim._accel`` (mechestim/_accel.c), or None when it was not built or
    ``MECHESTIM_NO_ACCEL`` is set (to anything but ``0``) at import."""
    if os.environ.get("MECHESTIM_NO_ACCEL", "") not in ("", "0"):
        return None
    try:
        from .. import _accel
    except ImportError:
        return None
    if not hasattr(_accel, "fused_new"):  # built from an older _accel.c: rebuild to use it
        return None
    return set_up(_accel)


def set_up(kernel: Any) -> Any:
    """``kernel`` (``mechestim._accel``) given what ``fused_new`` needs, and returned: the
    arrays it reads, NumPy's own and mechestim's (whose data is NumPy's), ``np.empty``
    for its plain results (made mechestim's by execute) and NumPy's float dtypes."""
    kernel.setup((np.ndarray, ndarray), np.empty, (np.dtype(np.float64), np.dtype(np.float32)))
    return kernel


# The kernel in use; None runs the pure-Python path (tests switch it).
accel: Any = _load_accel()
# Elements from which a fused run pays: below, the kernel's setup costs more than the
# second pass it saves (and small calls stay exactly as fast as before).
FUSE_MIN = 1 << 12
_FUSED_OPS = {"add": 0, "subtract": 1, "multiply": 2, "divide": 3}


def fused_code(name: str, ufunc: Any) -> int | None:
    """What a large ``ufunc(a, b)`` passes as :func:`execute`'s ``fuse``: the kernel's code
    for ``name``, or None when the kernel has no loop for it."""
    code = _FUSED_OPS.get(name)
    if code is None or ufunc is not getattr(np, name):
        return None
    return code


# execute's kwargs when there are none: one shared dict, never written (a call with
# ``**kwargs`` hands the callee a copy).
NO_KWARGS: dict = {}
# Module-level names for execute's per-call path (a global is found faster than an
# attribute of a module).
_BASE_ARRAY = np.ndarray
_isfinite = math.isfinite
_UNSWAPPED = (None, None, None, None)


def _run_swapped(quiet: Any, run: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    """``run`` under the quiet error state, in the caller's context."""
    token = _set_fp_state(quiet)
    try:
        return run(*args, **kwargs)
    finally:
        _reset_fp_state(token)


def execute(
    op_name: str,
    cost: int,
    shapes: tuple,
    run: Callable[..., Any],
    args: tuple = (),
    kwargs: dict = NO_KWARGS,
    out: Any = None,
    groups: Any = None,
    subscripts: str | None = None,
    fuse: int | None = None,
) -> Any:
    """Charge ``cost`` FLOPs for ``op_name``, run ``run(*args, **kwargs)``, finish.

    ``shapes`` (and ``subscripts``) go to the op log. ``args``/``kwargs`` must already be
    plain NumPy values (see :mod:`.arrays`). ``out``: the caller's ``out=`` argument,
    returned as the result. ``groups``: the symmetry the result carries, or a callable
    ``groups(result)`` deciding it once the result exists. The charge is refunded when
    ``run`` raises, except for errors NumPy raises after computing (FloatingPointError,
    LinAlgError). ``run`` is NumPy work on plain values that never calls a counted op
    (whose charge would have to reach the caller's budgets), so it runs in a context of
    its own holding NumPy's error state only.

    ``fuse`` (see :func:`fused_code`): ``run`` is a large add, subtract, multiply or
    divide of the two ``args``, which may be mechestim arrays as they are. When the
    compiled kernel is loaded, the call is first offered to it (``accel.fused_new``):
    for two C-contiguous float64 (or float32) arrays of one shape and dtype it computes
    the result and checks it in one pass (whether or not the check is on), each of
    + - * / one correctly rounded IEEE operation, so exactly what NumPy's loop writes.
    It answers None for any other operands, and for a result with a NaN or Inf or a
    floating-point exception (its result discarded); then ``run`` runs on the operands
    made plain, as without the kernel, so NumPy's error state, warnings and
    ``FloatingPointError`` and mechestim's warning are unchanged. A kernel that raises
    (its result could not be allocated) computed nothing: the charge is refunded.
    """
    charge(op_name, cost, shapes, subscripts)
    if fuse is not None:
        kernel = accel
        if kernel is not None:  # (also with the check off: the same pass, as fast)
            try:  # (free in CPython >= 3.11 when nothing is raised)
                result = kernel.fused_new(fuse, args[0], args[1])
            except Exception:  # its allocation failed (MemoryError): nothing was computed
                refund(op_name, cost)
                raise
            if result is not None:  # NumPy's values, all finite, no floating-point event
                if _pending:
                    _report_events(op_name)
                return result.view(ndarray)
        args = plain_args(args)  # NumPy computes: mechestim arrays would loop back here
    state = _get_fp_state()
    cache = _cache
    if state is not cache[0]:
        if state is cache[1] or state is None:  # nested in another call's run, or no hook
            cache = _UNSWAPPED
        else:
            cache = _refresh(state)
    try:
        if cache[1] is None:
            result = run(*args, **kwargs) if kwargs else run(*args)
        else:
            # Entering a Context that holds only the quiet error state is far cheaper
            # than setting and resetting the variable; fine for NumPy-only work, which
            # reads no other context variable.
            try:
                if kwargs:
                    result = cache[3].run(run, *args, **kwargs)
                else:
                    result = cache[3].run(run, *args)
            except RuntimeError as error:
                if not str(error).startswith("cannot enter context"):
                    raise
                result = _run_swapped(cache[1], run, args, kwargs)  # another thread's turn
    except _COMPUTED_THEN_RAISED:
        if _pending:  # NumPy warns of an event at 'warn' before raising for another
            _report_events(op_name)  # (left pending, it was reported by a later call)
        raise
    except Exception:
        refund(op_name, cost)  # NumPy refused the call before computing: leave no trace
        if _pending:
            _report_events(op_name)
        raise
    if out is None and groups is None and type(result) is _BASE_ARRAY:
        # The common case, written out: a fresh plain array.
        kind = result.dtype.kind
        if kind == "f":
            size = result.size
            if size and _settings["nonfinite_warnings"]:
                flat = result if result.ndim == 1 else result.ravel(order="K")  # a view
                # _sum_of, its small case written out (see _nonfinite)
                if size <= 16:
                    total = sum(flat.tolist())
                else:
                    total = _sum_of(flat, size)
                if not _isfinite(total):
                    _report_nonfinite(op_name, result, (args, kwargs))
                    return result.view(ndarray)
            if _pending:
                _report_events(op_name)
            return result.view(ndarray)
        if kind != "c" and not _pending:
            return result.view(ndarray)
    if groups is not None and callable(groups):
        groups = groups(result)
    return finish(op_name, result, out, groups, (args, kwargs))


def array_shapes(args: tuple) -> tuple:
    """The shapes of the array arguments, for the op log."""
    return tuple(np.shape(a) for a in args if isinstance(a, (np.ndarray, list)))


class Plan(NamedTuple):
    """What an op's plan function decides from its arguments, before anything runs: the
    cost (from its ``mechestim._costs`` formula) and how to run NumPy, plus what
    :func:`execute` needs to log and finish (see its parameters)."""

    cost: int
    run: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = NO_KWARGS
    shapes: tuple = ()
    out: Any = None
    groups: Any = None


def numpy_plan(cost: int, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Plan:
    """The plan of an op that runs ``func(*args, **kwargs)`` (NumPy) on its arguments:
    every mechestim array in them, at any depth, made plain NumPy; the shapes of the
    positional array arguments go to the op log."""
    return Plan(cost, func, plain_args(args), plain_kwargs(kwargs), array_shapes(args))


def planned(name: str) -> Callable[[Callable[..., Plan]], Callable]:
    """Register op ``name`` from its plan function ``plan(*args, **kwargs) -> Plan``: the
    op's signature and checks are stated once. The op runs the plan through
    :func:`execute`; the registry's cost rule (``me.flops``, tests) is the plan's cost.
    The plan must validate everything and compute nothing (it also answers cost queries).
    """

    def decorate(plan: Callable[..., Plan]) -> Callable:
        @functools.wraps(plan)
        def op(*args: Any, **kwargs: Any) -> Any:
            for value in args:
                kind = type(value)  # another ndarray subclass: a masked array?
                if kind is not ndarray and kind is not _BASE_ARRAY and kind is not SymmetricTensor:
                    if isinstance(value, _BASE_ARRAY):
                        refuse_masked(name, value)
            cost, run, run_args, run_kwargs, shapes, out, groups = plan(*args, **kwargs)
            return execute(name, cost, shapes, run, run_args, run_kwargs, out, groups)

        def cost_rule(*args: Any, **kwargs: Any) -> int:
            return plan(*args, **kwargs).cost

        cost_rule.__name__ = f"{plan.__name__}_cost"
        del op.__wrapped__  # inspect shows the plan's signature through __signature__
        op.__signature__ = inspect.signature(plan).replace(return_annotation=Any)  # type: ignore[attr-defined]
        _registry.bind(name, cost=cost_rule)(op)
        return op

    return decorate
