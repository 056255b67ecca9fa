"""Symmetric tensors: ``SymmetryInfo``, ``SymmetricTensor`` and how symmetry propagates.

A symmetry group is a tuple of axes whose values may be permuted freely
(``S[i, j] == S[j, i]`` for the group ``(0, 1)``). Costs of element-wise work on a
symmetric tensor count only its unique elements (cost-model §4).
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import threading
import warnings
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._compat import call_reporting_deprecations
from ._ndarray import ndarray
from .errors import SymmetryError, SymmetryLossWarning, _settings

__all__ = [
    "SymmetryInfo",
    "SymmetricTensor",
    "as_symmetric",
    "is_symmetric",
    "symmetrize",
    "normalize_groups",
]

Groups = tuple[tuple[int, ...], ...]

DEFAULT_ATOL = 1e-6
DEFAULT_RTOL = 1e-5


def normalize_groups(symmetric_axes, ndim: int | None = None) -> Groups:
    """Accept one group ``(0, 1)`` or several ``[(0, 1), (2, 3)]``; return sorted groups.

    Negative axes count from the end when ``ndim`` is known. Groups must be disjoint
    and have at least two distinct axes.
    """
    if symmetric_axes is None:
        return ()
    try:
        items = list(symmetric_axes)
    except TypeError:
        raise TypeError(
            f"symmetric_axes must be a tuple of axes or a list of such tuples, got {symmetric_axes!r}"
        ) from None
    if items and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in items):
        raw_groups = [items]
    else:
        raw_groups = items
    groups = []
    seen: set[int] = set()
    for group in raw_groups:
        try:
            axes = [int(a) for a in group]
        except (TypeError, ValueError):
            raise TypeError(f"symmetry group {group!r} must be a tuple of int axes") from None
        if ndim is not None:
            for a in axes:
                if not -ndim <= a < ndim:
                    raise ValueError(
                        f"symmetric axis {a} is out of range for an array of {ndim} dimensions"
                    )
            axes = [a % ndim for a in axes]
        if len(set(axes)) != len(axes) or len(axes) < 2:
            raise ValueError(f"symmetry group {tuple(group)!r} needs at least two distinct axes")
        if seen & set(axes):
            raise ValueError(f"symmetry groups {symmetric_axes!r} overlap; groups must be disjoint")
        seen.update(axes)
        groups.append(tuple(sorted(axes)))
    return tuple(sorted(groups))


class SymmetryInfo:
    """The symmetry groups of an array of a given shape, and what they save.

    ``unique_elements``: product over groups of C(n+k-1, k) times the lengths of the
    axes in no group. ``symmetry_factor``: product of k! over groups.
    """

    __slots__ = ("groups", "shape")

    def __init__(self, symmetric_axes, shape: Sequence[int]) -> None:
        from ._costs.core import as_shape

        self.shape = as_shape(shape)
        self.groups = normalize_groups(symmetric_axes, len(self.shape))
        for group in self.groups:
            lengths = {self.shape[a] for a in group}
            if len(lengths) != 1:
                raise ValueError(
                    f"symmetric axes {group} of shape {self.shape} have unequal lengths {sorted(lengths)}"
                )

    @property
    def symmetric_axes(self) -> Groups:
        return self.groups

    @property
    def unique_elements(self) -> int:
        grouped = set(itertools.chain.from_iterable(self.groups))
        total = math.prod(d for i, d in enumerate(self.shape) if i not in grouped)
        for group in self.groups:
            n, k = self.shape[group[0]], len(group)
            total *= math.comb(n + k - 1, k)
        return total

    @property
    def symmetry_factor(self) -> int:
        return math.prod(math.factorial(len(g)) for g in self.groups)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SymmetryInfo)
            and self.groups == other.groups
            and self.shape == other.shape
        )

    def __hash__(self) -> int:
        return hash((self.groups, self.shape))

    def __repr__(self) -> str:
        return f"SymmetryInfo(symmetric_axes={list(self.groups)!r}, shape={self.shape})"


def _max_deviation(data: np.ndarray, groups: Groups) -> float:
    worst = 0.0
    for group in groups:
        if len({data.shape[a] for a in group}) != 1:
            return math.inf
        for a, b in itertools.combinations(group, 2):
            swapped = np.swapaxes(data, a, b)
            if data.size:
                worst = max(worst, float(np.max(np.abs(data - swapped))))
    return worst


def _within_tolerance(data: np.ndarray, groups: Groups, atol: float, rtol: float) -> bool:
    for group in groups:
        if len({data.shape[a] for a in group}) != 1:
            return False
        for a, b in itertools.combinations(group, 2):
            if not np.allclose(data, np.swapaxes(data, a, b), atol=atol, rtol=rtol):
                return False
    return True


def _plain(x, op_name: str) -> np.ndarray:
    """``x`` as a plain ndarray, refusing non-numeric data as every op does."""
    from ._wrap import numeric  # _wrap imports this module

    return numeric(op_name, x)


def _required_groups(symmetric_axes, ndim: int, op_name: str) -> Groups:
    groups = normalize_groups(symmetric_axes, ndim)
    if not groups:
        raise ValueError(
            f"{op_name} needs at least one group of symmetric axes, got {symmetric_axes!r}"
        )
    return groups


_SHAPE = np.ndarray.shape  # the descriptor SymmetricTensor.shape delegates to


class SymmetricTensor(ndarray):
    """A ``me.ndarray`` known to be symmetric under permutations of its axis groups.

    Views and reshapes of it are plain ``me.ndarray`` (their symmetry is not known);
    the operations of cost-model §4 carry the symmetry through.

    The tag is dropped (the array becomes a plain ``me.ndarray``) as soon as mechestim
    sees data written into its memory that may not be symmetric: item assignment,
    in-place operators, ``out=``, ``ufunc.at``, ``copyto``/``put``/``place``, in-place
    ``sort``, and so on, whether the write goes through the tensor itself or through
    any other mechestim array sharing its memory (``S.T``, ``S[0]``, ``S[:, :]``,
    ``me.transpose(S)``, or the array ``as_symmetric`` was given). Writes mechestim
    never sees cannot drop it: through a plain NumPy view (``np.asarray(S)[0, 1] = 5``),
    through ``.flat``, or the ``fill``/``put`` methods of a view. After such a write
    the tensor keeps claiming its symmetry and later ops keep its discount; use
    ``me`` functions or item assignment on mechestim arrays to change symmetric data.
    """

    _symmetry: SymmetryInfo

    def __array_finalize__(self, obj) -> None:
        # NumPy-made views (transpose, reshape, slicing) cannot vouch for symmetry.
        self.__class__ = ndarray

    @property
    def symmetric_axes(self) -> Groups:
        return self._symmetry.groups

    @property
    def symmetry_info(self) -> SymmetryInfo:
        return self._symmetry

    def __getitem__(self, key):
        result = np.ndarray.__getitem__(self.view(np.ndarray), key)
        if not isinstance(result, np.ndarray):
            return result
        groups = index_symmetry(self._symmetry, key)
        if groups:
            return tag(result, groups)
        if result.ndim >= 2:
            warn_loss("indexing", self._symmetry.groups)
        return result.view(ndarray)

    def __setitem__(self, key, value) -> None:
        # Writing elements can break the symmetry: the array becomes a plain me.ndarray.
        np.ndarray.__setitem__(self, key, value)
        release(self, "item assignment")

    def resize(self, *args, **kwargs) -> None:
        """``ndarray.resize`` in place (free): the array becomes a plain me.ndarray."""
        np.ndarray.resize(self, *args, **kwargs)
        release(self, "resize")

    @property
    def shape(self) -> tuple[int, ...]:
        return _SHAPE.__get__(self)

    @shape.setter
    def shape(self, value) -> None:
        # Reshaping in place: the recorded symmetry no longer describes the array.
        # (NumPy >= 2.5 deprecates setting .shape: the warning belongs to the user's line.)
        call_reporting_deprecations(_SHAPE.__set__, self, value)
        if _SHAPE.__get__(self) != self._symmetry.shape:
            _untag(self, "shape assignment")  # the data did not change: views keep theirs

    def put(self, *args, **kwargs) -> None:
        """``ndarray.put`` (free); like item assignment, the array becomes a plain me.ndarray."""
        np.ndarray.put(self, *args, **kwargs)
        release(self, "put")

    def __reduce__(self):
        constructor, args, state = super().__reduce__()
        return (_rebuild_symmetric, (constructor, args, state, self._symmetry.groups))


def _rebuild_symmetric(constructor, args, state, groups):
    array = constructor(*args)
    array.__setstate__(state)
    return tag(array, groups)


def tag(array: np.ndarray, groups: Any) -> SymmetricTensor:
    """Wrap ``array`` (no copy, no check) as a SymmetricTensor with ``groups``."""
    info = groups if isinstance(groups, SymmetryInfo) else SymmetryInfo(groups, array.shape)
    if not info.groups:
        return array.view(ndarray)
    result = array.view(ndarray)
    result.__class__ = SymmetricTensor
    result._symmetry = info
    _remember(result)
    return result


# -- writes into shared memory ------------------------------------------------------------
# Every live SymmetricTensor is listed under the object that owns its memory, so that a
# write through any array sharing that memory (a view, or the array it was tagged from)
# can find it: id(owner) -> {id(tensor): weak reference to the tensor}. A tensor leaves
# the table when it is released or garbage collected. Only tagging and the write paths
# (``release``, ``release_aliases``) look at it; a read never does.
_TAGGED: dict[int, dict[int, weakref.ref]] = {}
_TAGGED_LOCK = threading.RLock()  # re-entrant: a weakref callback may run inside a lock


def _memory_owner(array: np.ndarray) -> object:
    """The object at the end of ``array``'s ``.base`` chain (the owner of its memory)."""
    base = array.base
    while isinstance(base, np.ndarray):
        array = base
        base = array.base
    if base is None:
        return array
    return base.obj if isinstance(base, memoryview) else base


def _remember(tensor: SymmetricTensor) -> None:
    owner = id(_memory_owner(tensor))
    key = id(tensor)

    def forget(_ref: weakref.ref, tagged=_TAGGED, lock=_TAGGED_LOCK) -> None:
        # (bound as defaults: the callback may run while the interpreter shuts down)
        with lock:
            bucket = tagged.get(owner)
            if bucket is not None and bucket.get(key) is _ref:
                del bucket[key]
                if not bucket:
                    del tagged[owner]

    tensor._owner = owner
    with _TAGGED_LOCK:
        _TAGGED.setdefault(owner, {})[key] = weakref.ref(tensor, forget)


def _untag(x: SymmetricTensor, op_name: str | None) -> None:
    """Turn ``x`` into a plain me.ndarray (its own tag only; see ``release``)."""
    groups = x._symmetry.groups
    x.__class__ = ndarray
    with _TAGGED_LOCK:
        bucket = _TAGGED.get(getattr(x, "_owner", None))
        if bucket is not None and bucket.pop(id(x), None) is not None and not bucket:
            del _TAGGED[x._owner]
    if op_name is not None:
        warn_loss(op_name, groups)


def release(x: Any, op_name: str | None = None) -> None:
    """``x`` was written or reordered in place: a SymmetricTensor becomes a plain
    me.ndarray (with a SymmetryLossWarning naming ``op_name`` when given), and so does
    every other SymmetricTensor sharing memory with ``x`` (see ``release_aliases``)."""
    if isinstance(x, SymmetricTensor):
        _untag(x, op_name)
    if _TAGGED:
        release_aliases(x, op_name=op_name)


def release_aliases(x: Any, groups: Any = None, op_name: str | None = None) -> None:
    """Data were just written into ``x`` (any array): every other SymmetricTensor whose
    memory may overlap ``x``'s becomes a plain me.ndarray, with a SymmetryLossWarning.

    ``groups`` (a tuple of groups or a SymmetryInfo) is the symmetry of the data written
    into the whole of ``x``, when known: a tensor viewing exactly ``x``'s elements in
    ``x``'s layout keeps its tag if its groups are among them. The overlap test compares
    memory bounds, so a tensor in the same buffer but interleaved with ``x`` is released
    too (conservative: it only loses a discount). For an array whose memory no
    SymmetricTensor shares, this is two dictionary look-ups.
    """
    if not _TAGGED or not isinstance(x, np.ndarray):
        return
    owner = id(_memory_owner(x))
    if owner not in _TAGGED:
        return
    with _TAGGED_LOCK:
        bucket = _TAGGED.get(owner)
        aliases = [ref() for ref in bucket.values()] if bucket else []
    written = None
    for other in aliases:
        if other is None or other is x or type(other) is not SymmetricTensor:
            continue
        if written is None:
            written = x.view(np.ndarray)
        if not np.may_share_memory(written, other.view(np.ndarray)):
            continue
        if groups is not None and _same_elements(written, other):
            kept = groups.groups if isinstance(groups, SymmetryInfo) else normalize_groups(groups)
            if set(other._symmetry.groups) <= set(kept):
                continue
        symmetric_axes = other._symmetry.groups
        _untag(other, None)
        _warn_alias_loss(op_name, symmetric_axes, other.shape)


def _same_elements(a: np.ndarray, b: np.ndarray) -> bool:
    return (
        a.shape == b.shape
        and a.strides == b.strides
        and a.dtype == b.dtype
        and a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    )


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _warn_alias_loss(op_name: str | None, groups: Groups, shape: tuple[int, ...]) -> None:
    if not _settings["symmetry_warnings"]:
        return
    # Point at the caller's line whatever route the write took through mechestim.
    level, frame = 2, sys._getframe(1)  # stacklevel 2 is this function's caller
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        level += 1
        frame = frame.f_back
    warnings.warn(
        f"{op_name or 'an in-place write'} changed memory shared with a SymmetricTensor of "
        f"shape {shape}: it loses its symmetry {list(groups)} and is now a plain me.ndarray "
        "(silence with me.configure(symmetry_warnings=False))",
        SymmetryLossWarning,
        stacklevel=level,
    )


def symmetry_of(x: Any) -> SymmetryInfo | None:
    """The SymmetryInfo of a SymmetricTensor, else None."""
    return getattr(x, "_symmetry", None) if isinstance(x, SymmetricTensor) else None


def warn_loss(op_name: str, groups: Groups) -> None:
    if _settings["symmetry_warnings"]:
        warnings.warn(
            f"{op_name} dropped the symmetry {list(groups)} of its input; the result is a "
            "plain me.ndarray (silence with me.configure(symmetry_warnings=False))",
            SymmetryLossWarning,
            stacklevel=4,
        )


# -- propagation rules (cost-model §4) -------------------------------------------------
def binary_symmetry(operands: Sequence, out_shape: tuple[int, ...]) -> Groups | None:
    """Groups kept by a broadcasting binary op; None when no operand was symmetric."""
    out_ndim = len(out_shape)
    kept: list[set[frozenset[int]]] = []
    any_symmetric = False
    for operand in operands:
        info = symmetry_of(operand)
        shape = np.shape(operand)
        if math.prod(shape) == 1:
            continue  # a scalar (or all-size-1) operand keeps every group
        if info is None:
            kept.append(set())
            continue
        any_symmetric = True
        shift = out_ndim - len(shape)
        groups = set()
        for group in info.groups:
            axes = frozenset(
                a + shift for a in group if not (shape[a] == 1 and out_shape[a + shift] != 1)
            )
            if len(axes) >= 2:
                groups.add(axes)
        kept.append(groups)
    if not any_symmetric:
        return None
    if not kept:
        return ()
    result = kept[0]
    for other in kept[1:]:
        result = {g & h for g in result for h in other if len(g & h) >= 2}
    return tuple(sorted(tuple(sorted(g)) for g in result))


def reduction_symmetry(info: SymmetryInfo, axis, keepdims: bool) -> Groups:
    """Groups left after reducing ``axis`` (renumbered unless keepdims)."""
    if axis is None:
        return ()
    ndim = len(info.shape)
    axes = {int(axis) % ndim} if np.ndim(axis) == 0 else {int(a) % ndim for a in axis}
    result = []
    for group in info.groups:
        remaining = [a for a in group if a not in axes]
        if not keepdims:
            remaining = [a - sum(1 for r in axes if r < a) for a in remaining]
        if len(remaining) >= 2:
            result.append(tuple(remaining))
    return tuple(result)


def index_symmetry(info: SymmetryInfo, key) -> Groups:
    """Groups surviving ``x[key]``: ints drop axes, full slices keep them, shortening
    slices take an axis out of its group, ``None`` inserts axes, advanced indexing
    gives no symmetry."""
    if not isinstance(key, tuple):
        key = (key,)
    ndim = len(info.shape)
    explicit = sum(1 for k in key if k is not None and k is not Ellipsis)
    expanded: list = []
    for k in key:
        if k is Ellipsis:
            expanded.extend([slice(None)] * (ndim - explicit))
        else:
            expanded.append(k)
    mapping: dict[int, int] = {}  # input axis -> output axis, for axes that keep symmetry
    in_axis = out_axis = 0
    for k in expanded:
        if k is None:
            out_axis += 1
            continue
        if isinstance(k, slice):
            if in_axis >= ndim:
                return ()
            if k == slice(None) or range(info.shape[in_axis])[k] == range(info.shape[in_axis]):
                mapping[in_axis] = out_axis
            in_axis += 1
            out_axis += 1
        elif isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            in_axis += 1
        else:
            return ()  # advanced (array/bool) indexing
    while in_axis < ndim:
        mapping[in_axis] = out_axis
        in_axis += 1
        out_axis += 1
    result = []
    for group in info.groups:
        kept = [mapping[a] for a in group if a in mapping]
        if len(kept) >= 2:
            result.append(tuple(kept))
    return tuple(result)


# -- public constructors -------------------------------------------------------------
def is_symmetric(
    x: Any, symmetric_axes: Any, *, atol: float = DEFAULT_ATOL, rtol: float = DEFAULT_RTOL
) -> bool:
    """True when ``x`` is symmetric in every group of ``symmetric_axes`` within tolerance
    (``allclose`` against each pairwise axis swap). Free: a check, not a counted op."""
    data = _plain(x, "is_symmetric")
    return _within_tolerance(data, normalize_groups(symmetric_axes, data.ndim), atol, rtol)


def as_symmetric(
    x: Any, symmetric_axes: Any, *, atol: float = DEFAULT_ATOL, rtol: float = DEFAULT_RTOL
) -> SymmetricTensor:
    """Check ``x`` and return it as a :class:`SymmetricTensor` (no copy, no FLOPs).

    Raises :class:`~mechestim.errors.SymmetryError` with the largest deviation when
    the data are not symmetric; ``me.symmetrize`` makes data symmetric.
    """
    data = _plain(x, "as_symmetric")
    groups = _required_groups(symmetric_axes, data.ndim, "as_symmetric")
    if not _within_tolerance(data, groups, atol, rtol):
        deviation = _max_deviation(data, groups)
        raise SymmetryError(
            f"array of shape {data.shape} is not symmetric in axes {list(groups)}: "
            f"max deviation {deviation:.6g} exceeds atol={atol:g}, rtol={rtol:g}; "
            f"use me.symmetrize(x, {list(groups)!r}) to average it into a symmetric tensor",
            axes=groups,
            max_deviation=deviation,
            atol=atol,
            rtol=rtol,
        )
    return tag(data, groups)


def symmetrize(x: Any, symmetric_axes: Any) -> SymmetricTensor:
    """Average ``x`` over the permutations of each axis group; returns a SymmetricTensor.

    Charged ``numel(x)`` times the number of permutations (the product of k! over the
    groups of k axes), recorded as ``"symmetrize"``. Integer data is averaged in
    float64; floating and complex data keep their dtype.
    """
    from ._budget import charge, refund

    data = _plain(x, "symmetrize")
    groups = _required_groups(symmetric_axes, data.ndim, "symmetrize")
    info = SymmetryInfo(groups, data.shape)  # unequal axis lengths: ValueError, no charge
    cost = max(data.size * info.symmetry_factor, 1)
    charge("symmetrize", cost, (data.shape,))
    try:
        return tag(_average_permutations(data, info), info)
    except Exception:
        refund("symmetrize", cost)  # a failed call (say MemoryError) leaves no trace
        raise


def _average_permutations(data: np.ndarray, info: SymmetryInfo) -> np.ndarray:
    dtype = data.dtype if data.dtype.kind in "fc" else np.dtype(np.float64)
    result = data.astype(dtype, copy=True)
    for group in info.groups:
        total = np.zeros_like(result)
        perms = list(itertools.permutations(group))
        for perm in perms:
            order = list(range(result.ndim))
            for src, dst in zip(group, perm):
                order[src] = dst
            total += np.transpose(result, order)
        result = total / len(perms)
    return result
