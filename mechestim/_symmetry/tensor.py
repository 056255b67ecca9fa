"""Symmetric tensors: ``SymmetryInfo``, ``SymmetricTensor`` and how symmetry propagates.

A tensor's symmetry is a tuple of permutation groups (``mechestim._symmetry.groups``) acting on
disjoint axes: the axis permutations that leave its data unchanged. The axis tuple
``(0, 1)`` is the shorthand for the full symmetric group on those axes
(``S[i, j] == S[j, i]``). Costs of element-wise work on a symmetric tensor count only
its unique elements, the orbits of its index tuples (Burnside, cost-model §4); an
operation's result keeps the permutations that still leave it unchanged, never more.
"""

from __future__ import annotations

import math
import threading
import warnings
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._core.compat import caller_stacklevel, reporting_at_user_line
from .._core.ndarray import ndarray
from ..errors import SymmetryError, SymmetryLossWarning, _settings
from .foreign_writes import read_by_out_writer
from .groups import Permutation, PermutationGroup

__all__ = [
    "SymmetryInfo",
    "SymmetricTensor",
    "as_symmetric",
    "is_symmetric",
    "symmetrize",
    "normalize_groups",
    "unique_elements",
]

# A tensor's symmetry: permutation groups on disjoint axes, each in canonical form
# (acting on sorted axes, every axis moved by some element), sorted by axes.
Groups = tuple[PermutationGroup, ...]

DEFAULT_ATOL = 1e-6
DEFAULT_RTOL = 1e-5


def _is_axis(a: Any) -> bool:
    return isinstance(a, (int, np.integer)) and not isinstance(a, bool)


def canonical_group(group: PermutationGroup, ndim: int | None = None) -> PermutationGroup | None:
    """``group`` acting on its sorted support axes (axes some element moves), with
    negative axes resolved against ``ndim``; None for the trivial group."""
    axes = list(group.axes)
    if ndim is not None:
        for a in axes:
            if not -ndim <= a < ndim:
                raise ValueError(f"symmetric axis {a} is out of range for an array of {ndim} dimensions")
        axes = [a % ndim for a in axes]
        if len(set(axes)) != len(axes):
            raise ValueError(f"symmetry group {group!r} names an axis twice")
    moved = sorted({i for g in group.generators for i, j in enumerate(g.array_form) if i != j})
    if len(moved) < 2:
        return None
    order = sorted(moved, key=lambda i: axes[i])
    new_axes = tuple(axes[i] for i in order)
    if group.is_symmetric and len(moved) == group.degree:
        if new_axes == tuple(group.axes):
            return group
        return PermutationGroup.symmetric(len(new_axes), axes=new_axes)
    position = {old: new for new, old in enumerate(order)}
    if tuple(order) == tuple(range(group.degree)) and new_axes == tuple(group.axes):
        return group

    def convert(form: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(position[form[i]] for i in order)

    return PermutationGroup._from_elements(
        (convert(e) for e in group._element_set()), new_axes
    )


def normalize_groups(symmetric_axes: Any, ndim: int | None = None) -> Groups:
    """Any way of naming a symmetry, as canonical groups (library §7, §7a).

    Accepts None, one axis tuple ``(0, 1)`` (the full symmetric group on those axes),
    a list of such tuples, a :class:`PermutationGroup`, a list mixing both, or a
    :class:`SymmetryInfo`. Negative axes count from the end when ``ndim`` is known.
    Groups must act on disjoint axes; an axis tuple needs at least two distinct axes.
    """
    if symmetric_axes is None:
        return ()
    if isinstance(symmetric_axes, SymmetryInfo):
        return symmetric_axes.groups
    if isinstance(symmetric_axes, PermutationGroup):
        raw_groups: list = [symmetric_axes]
    else:
        try:
            items = list(symmetric_axes)
        except TypeError:
            raise TypeError(
                "symmetric_axes must be a tuple of axes, a PermutationGroup, or a list of "
                f"those, got {symmetric_axes!r}"
            ) from None
        raw_groups = [items] if items and all(_is_axis(a) for a in items) else items
    groups = []
    seen: set[int] = set()
    for raw in raw_groups:
        if isinstance(raw, PermutationGroup):
            group = canonical_group(raw, ndim)
            if group is None:
                continue
        else:
            try:
                given = list(raw)
            except TypeError:  # not iterable
                given = None
            if given is None or not all(_is_axis(a) for a in given):  # no int(1.5) == 1
                raise TypeError(f"symmetry group {raw!r} must be a tuple of int axes")
            axes = [int(a) for a in given]
            if ndim is not None:
                for a in axes:
                    if not -ndim <= a < ndim:
                        raise ValueError(
                            f"symmetric axis {a} is out of range for an array of {ndim} dimensions"
                        )
                axes = [a % ndim for a in axes]
            if len(set(axes)) != len(axes) or len(axes) < 2:
                raise ValueError(f"symmetry group {tuple(raw)!r} needs at least two distinct axes")
            group = PermutationGroup.symmetric(len(axes), axes=tuple(sorted(axes)))
        if seen & set(group.axes):
            raise ValueError(f"symmetry groups {symmetric_axes!r} overlap; groups must be disjoint")
        seen.update(group.axes)
        groups.append(group)
    return tuple(sorted(groups, key=lambda g: g.axes))


def groups_from_elements(elements: Any) -> Groups:
    """A group given by its element set (array forms over positions ``0 .. n-1``) as
    canonical groups: one per orbit when the group is the product of its actions on
    its orbits, else one group on all moved positions; () for None or the trivial group."""
    if not elements or len(elements) < 2:
        return ()
    size = len(next(iter(elements)))
    whole = PermutationGroup._from_elements(elements, tuple(range(size)))
    orbits = [orbit for orbit in whole.orbits() if len(orbit) > 1]
    projections = []
    for orbit in orbits:
        where = {a: i for i, a in enumerate(orbit)}
        projections.append((orbit, {tuple(where[e[a]] for a in orbit) for e in elements}))
    if len(orbits) > 1 and math.prod(len(p) for _, p in projections) == len(elements):
        parts = (canonical_group(PermutationGroup._from_elements(p, o)) for o, p in projections)
        return tuple(sorted((g for g in parts if g is not None), key=lambda g: g.axes))
    group = canonical_group(whole)
    return (group,) if group is not None else ()


def join_groups(first: Groups, second: Groups) -> Groups:
    """The symmetry generated by both (groups on overlapping axes merge into the group
    their generators generate; full symmetric groups merge into one on the union)."""
    pending = [*first, *second]
    merged: list[list[PermutationGroup]] = []
    for group in pending:
        touching = [m for m in merged if any(set(g.axes) & set(group.axes) for g in m)]
        for m in touching:
            merged.remove(m)
        merged.append([group] + [g for m in touching for g in m])
    result = []
    for parts in merged:
        unique = list(dict.fromkeys(parts))
        if len(unique) == 1:
            result.append(unique[0])
            continue
        axes = tuple(sorted({a for g in unique for a in g.axes}))
        if all(g.is_symmetric for g in unique):
            result.append(PermutationGroup.symmetric(len(axes), axes=axes))
            continue
        where = {a: i for i, a in enumerate(axes)}
        generators = []
        for g in unique:
            for gen in g.generators:
                form = list(range(len(axes)))
                for i, j in enumerate(gen.array_form):
                    form[where[g.axes[i]]] = where[g.axes[j]]
                generators.append(Permutation(form))
        result.append(canonical_group(PermutationGroup(*generators, axes=axes)))
    return tuple(sorted(result, key=lambda g: g.axes))


def describe(groups: Groups) -> str:
    """``[(0, 1), C3{2,3,4}]``: full symmetric groups as axis tuples, others by name."""
    parts = [
        g.describe() if isinstance(g, PermutationGroup) and not g.is_symmetric
        else repr(tuple(g.axes if isinstance(g, PermutationGroup) else g))
        for g in groups
    ]
    return "[" + ", ".join(parts) + "]"


def unique_elements(shape: Sequence[int], symmetry: Any = None) -> int:
    """Unique elements of a tensor of ``shape`` under ``symmetry`` (cost-model §4).

    The number of orbits of index tuples: the product over groups of Burnside's count
    times the lengths of axes in no group. ``symmetry`` is anything ``as_symmetric``
    takes (an axis tuple, a list of them, a ``PermutationGroup``, a list of groups) or a
    ``SymmetryInfo``. Axes in one orbit must have equal lengths (``ValueError``).

    >>> unique_elements((10, 10, 10), PermutationGroup.cyclic(3, axes=(0, 1, 2)))
    340
    """
    return SymmetryInfo(symmetry, shape).unique_elements


class SymmetryInfo:
    """The symmetry groups of an array of a given shape, and what they save.

    ``SymmetryInfo(symmetric_axes, shape)``: ``symmetric_axes`` as ``normalize_groups``
    takes it (axis tuples for full symmetric groups, ``PermutationGroup`` objects).
    ``groups``: the canonical ``PermutationGroup`` tuple. ``symmetric_axes``: the axis
    tuples of the groups that are full symmetric groups (the shorthand of library §7).
    ``unique_elements``: orbits of index tuples (Burnside, cost-model §4).
    ``symmetry_factor``: product of the group orders.
    """

    __slots__ = ("groups", "shape", "_unique")

    def __init__(self, symmetric_axes: Any, shape: Sequence[int]) -> None:
        from .._costs.core import as_shape

        self.shape = as_shape(shape)
        self.groups: Groups = normalize_groups(symmetric_axes, len(self.shape))
        self._unique: int | None = None
        for group in self.groups:
            for orbit in group.orbits():
                lengths = {self.shape[a] for a in orbit}
                if len(lengths) != 1:
                    raise ValueError(
                        f"symmetric axes {orbit} of shape {self.shape} have unequal lengths "
                        f"{sorted(lengths)} (axes in one orbit of a group must be equally long)"
                    )

    @property
    def symmetric_axes(self) -> tuple[tuple[int, ...], ...]:
        return tuple(g.axes for g in self.groups if g.is_symmetric)

    @property
    def symmetry(self) -> Groups:
        return self.groups

    @property
    def unique_elements(self) -> int:
        if self._unique is None:
            grouped = {a for g in self.groups for a in g.axes}
            total = math.prod(d for i, d in enumerate(self.shape) if i not in grouped)
            for group in self.groups:
                total *= group.burnside_unique_count(self.shape)
            self._unique = total
        return self._unique

    @property
    def symmetry_factor(self) -> int:
        return math.prod(g.order() for g in self.groups)

    def is_symmetric_in(self, a: int, b: int) -> bool:
        """Whether swapping axes ``a`` and ``b`` alone is a symmetry."""
        ndim = len(self.shape)
        a, b = a % ndim, b % ndim
        for group in self.groups:
            if a in group.axes and b in group.axes:
                i, j = group.axes.index(a), group.axes.index(b)
                swap = list(range(group.degree))
                swap[i], swap[j] = j, i
                return group.contains(swap)
        return False

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SymmetryInfo)
            and self.groups == other.groups
            and self.shape == other.shape
        )

    def __hash__(self) -> int:
        return hash((self.groups, self.shape))

    def __repr__(self) -> str:
        if all(g.is_symmetric for g in self.groups):
            return f"SymmetryInfo(symmetric_axes={list(self.symmetric_axes)!r}, shape={self.shape})"
        return f"SymmetryInfo(symmetry={list(self.groups)!r}, shape={self.shape})"


def _axis_order(group: PermutationGroup, form: Sequence[int], ndim: int) -> list[int]:
    """The ``np.transpose`` axes applying one group element to a tensor."""
    order = list(range(ndim))
    for i, j in enumerate(form):
        order[group.axes[i]] = group.axes[j]
    return order


def _generator_checks(data: np.ndarray, groups: Groups):
    """(group, generator, transposed data) for every generator of every group."""
    for group in groups:
        for generator in group.generators:
            yield group, generator, np.transpose(data, _axis_order(group, generator.array_form, data.ndim))


def _equal_lengths(data: np.ndarray, groups: Groups) -> bool:
    return all(len({data.shape[a] for a in orbit}) == 1 for g in groups for orbit in g.orbits())


def _max_deviation(data: np.ndarray, groups: Groups) -> float:
    return _worst_generator(data, groups)[1]


def _worst_generator(data: np.ndarray, groups: Groups) -> tuple[Any, float]:
    """The generator deviating most (as ``(group, permutation)``) and its deviation."""
    if not _equal_lengths(data, groups):
        return None, math.inf
    worst, culprit = 0.0, None
    for group, generator, moved in _generator_checks(data, groups):
        if data.size:
            deviation = _deviation(data, moved)
            if culprit is None or deviation > worst:
                worst, culprit = deviation, (group, generator)
    return culprit, worst


def _deviation(a: np.ndarray, b: np.ndarray) -> float:
    """The largest ``|a - b|`` over elements that differ, computed in float (complex)
    so bool and unsigned data give their distance (not a TypeError or a wrap-around);
    NaN facing NaN does not differ, NaN facing anything else counts as inf."""
    differs = a != b
    if a.dtype.kind in "fc":
        differs &= ~(np.isnan(a) & np.isnan(b))
    if not differs.any():
        return 0.0
    kind = np.complex128 if a.dtype.kind == "c" else np.float64
    deviation = float(np.max(np.abs(a[differs].astype(kind) - b[differs].astype(kind))))
    return math.inf if math.isnan(deviation) else deviation


def _within_tolerance(data: np.ndarray, groups: Groups, atol: float, rtol: float) -> bool:
    if not _equal_lengths(data, groups):
        return False
    # equal_nan: a NaN mirrored by a NaN is invariant data (inf facing inf already is)
    return all(
        np.allclose(data, moved, atol=atol, rtol=rtol, equal_nan=True)
        for _, _, moved in _generator_checks(data, groups)
    )


def _plain(x, op_name: str) -> np.ndarray:
    """``x`` as a plain ndarray, refusing non-numeric data as every op does."""
    from .._core.arrays import numeric  # _core imports this module

    return numeric(op_name, x)


_SHAPE = np.ndarray.shape  # the descriptor SymmetricTensor.shape delegates to
_DTYPE = np.ndarray.dtype  # and SymmetricTensor.dtype
# Their setters, run from a frame at the user's line: NumPy >= 2.5 deprecates both
# assignments, and its warning (or the error a user's filter makes of it, raised before
# anything is assigned, as under NumPy) belongs there.
_set_shape = reporting_at_user_line(_SHAPE.__set__)
_set_dtype = reporting_at_user_line(_DTYPE.__set__)


class SymmetricTensor(ndarray):
    """A ``me.ndarray`` known to be invariant under permutation groups on its axes.

    ``symmetry``: the groups (``PermutationGroup`` objects); ``symmetric_axes``: the
    axis tuples of those that are full symmetric groups; ``symmetry_info``: both, with
    the unique-element count.

    Copies keep what the data still has: ``S.copy()``, ``S.astype(...)``,
    ``np.copy(S)`` / ``me.copy(S)`` and ``np.astype(S, ...)`` keep the symmetry; ``S.T``,
    ``S.transpose(...)``, ``me.transpose``/``permute_dims``/``swapaxes``/``moveaxis``/
    ``matrix_transpose`` keep the groups, moved along the axes. Other views and reshapes
    are plain ``me.ndarray`` (their symmetry is not known); the operations of
    cost-model §4 carry the symmetry through.

    The tag is dropped (the array becomes a plain ``me.ndarray``) as soon as mechestim
    sees data written into its memory that may not be symmetric: item assignment,
    ``S.flat[...] = ``, ``S.flat = ``, ``S.real = ``, ``S.imag = ``, in-place operators,
    ``out=`` (mechestim's own random ``Generator`` included), ``ufunc.at``,
    ``copyto``/``put``/``place``, ``fill_diagonal`` on a view whose diagonal is not
    the tensor's, in-place ``sort``, the ``fill``/``put``/``setfield`` methods of a
    view, ``take``/``choose``/``compress`` (function or method) given ``out=``, and so
    on, whether the write goes through the
    tensor itself or through any other mechestim array sharing its memory (``S.T``,
    ``S[0]``, ``S[:, :]``, ``me.transpose(S)``, or the array ``as_symmetric`` was
    given), and NumPy's ``numpy.random.Generator`` methods given ``out=S`` by keyword
    (seen through the one attribute they read, ``S.dtype``). Writes mechestim never
    sees cannot drop it: through a plain NumPy view (``np.asarray(S)[0, 1] = 5``), by a
    C writer given ``S`` as ``out`` by position, or by a method of a plain
    ``numpy.ndarray`` given ``out=S`` (``X.take(i, out=S)``). After such a write the tensor keeps claiming its
    symmetry and later ops keep its discount; use ``me`` functions (``me.random``'s
    generators too) or assignment on mechestim arrays to change symmetric data.
    """

    _symmetry: SymmetryInfo

    def __array_finalize__(self, obj) -> None:
        # NumPy-made views (transpose, reshape, slicing) cannot vouch for symmetry.
        self.__class__ = ndarray

    @property
    def symmetric_axes(self) -> tuple[tuple[int, ...], ...]:
        """Axis tuples of the full symmetric groups (other groups: ``symmetry``)."""
        return self._symmetry.symmetric_axes

    @property
    def symmetry(self) -> Groups:
        """Every symmetry group of the tensor, as canonical ``PermutationGroup`` objects."""
        return self._symmetry.groups

    def transpose(self, *axes):
        """``ndarray.transpose`` (free); the symmetry follows the axes (library §7)."""
        result = np.ndarray.transpose(self.view(np.ndarray), *axes)
        if len(axes) == 1 and (axes[0] is None or not _is_axis(axes[0])):
            axes = axes[0]
        order = range(self.ndim)[::-1] if not axes else [int(a) % self.ndim for a in axes]
        return tag(result, transpose_symmetry(self._symmetry, list(order)))

    @property
    def T(self):
        return self.transpose()

    @property
    def mT(self):
        order = list(range(self.ndim))
        order[-2:] = order[-2:][::-1]
        return self.transpose(order)

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
        _set_shape(self, value)
        if _SHAPE.__get__(self) != self._symmetry.shape:
            _untag(self, "shape assignment")  # the data did not change: views keep theirs

    @property
    def dtype(self) -> np.dtype:
        # numpy.random.Generator methods given out=self read this (and nothing else of
        # the array) just before filling it from C: drop the tag then.
        if read_by_out_writer():
            release(self, "a NumPy writer given out=")
        return _DTYPE.__get__(self)

    @dtype.setter
    def dtype(self, value) -> None:
        # Reinterpreting the bytes in place: the recorded symmetry no longer describes them.
        # (NumPy 2.5 deprecates this assignment: its warning goes to the user's line.)
        _set_dtype(self, value)
        release(self, "dtype assignment")

    def put(self, *args, **kwargs) -> None:
        """``ndarray.put`` (free); like item assignment, the array becomes a plain me.ndarray."""
        np.ndarray.put(self, *args, **kwargs)
        release(self, "put")

    def fill(self, value) -> None:
        """``ndarray.fill`` (free): a constant is symmetric, so the tensor keeps its groups;
        other SymmetricTensors sharing part of its memory lose theirs."""
        np.ndarray.fill(self, value)
        release_aliases(self, self._symmetry, "fill")

    # Copies and axis permutations keep the symmetry (NumPy's own methods would return
    # plain me.ndarray through __array_finalize__).
    def copy(self, order: str = "C") -> SymmetricTensor:
        """``ndarray.copy`` (free), still a SymmetricTensor with the same groups."""
        return tag(np.ndarray.copy(self.view(np.ndarray), order=order), self._symmetry)

    def __copy__(self) -> SymmetricTensor:
        return self.copy(order="K")

    def __deepcopy__(self, memo: dict) -> SymmetricTensor:
        return tag(np.ndarray.__deepcopy__(self.view(np.ndarray), memo), self._symmetry)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        """``ndarray.astype`` (free): an element-wise cast keeps the symmetry."""
        plain = self.view(np.ndarray)
        result = plain.astype(dtype, order=order, casting=casting, subok=subok, copy=copy)
        if result is plain:
            return self  # no copy needed: NumPy returns the array itself
        return tag(result, self._symmetry) if subok else result

    def __reduce__(self):
        constructor, args, state = super().__reduce__()
        return (_rebuild_symmetric, (constructor, args, state, self._symmetry.groups))


def _carry_free(name: str):
    """A hook for the element-wise free op ``name`` (a copy or a cast): its result keeps a
    SymmetricTensor first argument's symmetry (see ``FREE_RESULT_HOOKS``). Axis
    permutations are ``AXIS_PERMUTERS``' job."""

    def hook(args: tuple, kwargs: dict, result: Any) -> Any:
        source = args[0] if args else None
        if type(source) is not SymmetricTensor or not isinstance(result, np.ndarray):
            return result
        # element-wise: the same data, so the same symmetry
        return tag(result, source._symmetry) if result.shape == source.shape else result

    return hook


def _diagonal_written(args: tuple, kwargs: dict, result: Any) -> Any:
    """``fill_diagonal(a, ...)`` wrote a's diagonal: every permutation of a's axes leaves
    it in place, so ``a`` keeps its own symmetry, and a tensor viewing exactly a's
    elements keeps its groups; any other tensor sharing the memory (``a`` a shifted or
    reordered view of it) loses its tag."""
    written = args[0] if args else kwargs.get("a")
    if isinstance(written, np.ndarray) and written.ndim >= 2:
        release_aliases(written, (tuple(range(written.ndim)),), "fill_diagonal")
    return result


# Free ops whose result's symmetry follows their first argument's (``make_free`` calls
# the hook with the caller's arguments and the wrapped result).
FREE_RESULT_HOOKS = {
    **{name: _carry_free(name) for name in ("copy", "astype")},
    "fill_diagonal": _diagonal_written,
}


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
    every other SymmetricTensor sharing memory with ``x`` (see ``release_aliases``).
    One write, one warning: when other tensors lose their tag, their warning says it."""
    own = x._symmetry.groups if isinstance(x, SymmetricTensor) else None
    if own is not None:
        _untag(x, None)
    warned = release_aliases(x, op_name=op_name) if _TAGGED else False
    if own is not None and op_name is not None and not warned:
        warn_loss(op_name, own)


def release_aliases(x: Any, groups: Any = None, op_name: str | None = None) -> bool:
    """Data were just written into ``x`` (any array): every other SymmetricTensor whose
    memory may overlap ``x``'s becomes a plain me.ndarray, with a SymmetryLossWarning.

    ``groups`` (a tuple of groups or a SymmetryInfo) is the symmetry of the data written
    into the whole of ``x``, when known: a tensor viewing exactly ``x``'s elements in
    ``x``'s layout keeps its tag if its groups are among them. The overlap test compares
    memory bounds, so a tensor in the same buffer but interleaved with ``x`` is released
    too (conservative: it only loses a discount). For an array whose memory no
    SymmetricTensor shares, this is two dictionary look-ups. Returns whether any
    tensor was released.
    """
    if not _TAGGED or not isinstance(x, np.ndarray):
        return False
    owner = id(_memory_owner(x))
    if owner not in _TAGGED:
        return False
    with _TAGGED_LOCK:
        bucket = _TAGGED.get(owner)
        aliases = [ref() for ref in bucket.values()] if bucket else []
    written = None
    released = False
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
        released = True
    return released


def _same_elements(a: np.ndarray, b: np.ndarray) -> bool:
    return (
        a.shape == b.shape
        and a.strides == b.strides
        and a.dtype == b.dtype
        and a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    )


def _warn_alias_loss(op_name: str | None, groups: Groups, shape: tuple[int, ...]) -> None:
    if not _settings["symmetry_warnings"]:
        return
    level = caller_stacklevel()
    warnings.warn(
        f"{op_name or 'an in-place write'} changed memory shared with a SymmetricTensor of "
        f"shape {shape}: it loses its symmetry {describe(groups)} and is now a plain me.ndarray "
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
            f"{op_name} dropped the symmetry {describe(groups)} of its input; the result is a "
            "plain me.ndarray (silence with me.configure(symmetry_warnings=False))",
            SymmetryLossWarning,
            stacklevel=caller_stacklevel(),
        )


# -- propagation rules (cost-model §4) -------------------------------------------------
_FREE = object()  # the colour of kept axes that may still move


def restrict_group(
    group: PermutationGroup, colours: dict[int, Any], mapping: dict[int, int]
) -> PermutationGroup | None:
    """The part of ``group`` that still acts after some axes were removed or pinned.

    ``colours`` gives each removed or pinned axis a colour (axes missing from it are
    kept and free); the stabiliser keeps the elements sending every axis to an axis of
    the same colour, and its restriction to the free axes, renumbered by ``mapping``
    (input axis -> output axis), is the result. Summing axes away gives them one colour
    (the sum does not care how they are permuted), fixing them to values gives each
    value its colour, pinning an axis gives it a colour of its own.
    """
    free = [i for i, a in enumerate(group.axes) if a not in colours]
    if len(free) < 2:
        return None
    new_axes = tuple(mapping[group.axes[i]] for i in free)
    if group.is_symmetric:
        return canonical_group(PermutationGroup.symmetric(len(free), axes=new_axes))
    colour = [colours.get(a, _FREE) for a in group.axes]
    index = {old: new for new, old in enumerate(free)}
    image = set()
    for element in group._element_set():
        if all(colour[i] is colour[j] or colour[i] == colour[j] for i, j in enumerate(element)):
            image.add(tuple(index[element[i]] for i in free))
    if len(image) < 2:
        return None
    return canonical_group(PermutationGroup._from_elements(image, new_axes))


def _restrict_all(groups: Groups, colours: dict[int, Any], mapping: dict[int, int]) -> Groups:
    result = []
    for group in groups:
        kept = restrict_group(group, colours, mapping)
        if kept is None:
            continue
        if kept.is_symmetric:
            result.append(kept)
        else:  # what remains may be a product of groups on separate orbits
            result.extend(_groups_on_axes(kept._element_set(), kept.axes))
    return tuple(sorted(result, key=lambda g: g.axes))


def intersect_groups(first: Groups, second: Groups) -> Groups:
    """The permutations in both symmetries (each a product of groups on disjoint axes)."""
    if first == second:
        return first
    if not first or not second:
        return ()
    if all(g.is_symmetric for g in (*first, *second)):
        # S(X) ∩ S(Y) = S(X ∩ Y) for every pair of blocks.
        result = []
        for g in first:
            for h in second:
                common = tuple(sorted(set(g.axes) & set(h.axes)))
                if len(common) >= 2:
                    result.append(PermutationGroup.symmetric(len(common), axes=common))
        return tuple(sorted(result, key=lambda g: g.axes))
    # General case: per connected block of overlapping supports, keep the elements of
    # the first product that the second product contains.
    parent: dict[int, int] = {}

    def find(a: int) -> int:
        parent.setdefault(a, a)
        while parent[a] != a:
            a = parent[a]
        return a

    for g in (*first, *second):
        for a in g.axes[1:]:
            parent[find(a)] = find(g.axes[0])
    blocks: dict[int, list[int]] = {}
    for g in (*first, *second):
        for a in g.axes:
            blocks.setdefault(find(a), []).append(a)
    result = []
    for axes in blocks.values():
        axes = sorted(set(axes))
        where = {a: i for i, a in enumerate(axes)}
        mine = [g for g in first if g.axes[0] in where]
        theirs = [h for h in second if h.axes[0] in where]
        if not theirs or not mine:
            continue  # one side fixes every axis of this block: only the identity is shared
        candidates = [tuple(range(len(axes)))]
        for g in mine:  # the product of the first's groups on this block
            grown = []
            for partial in candidates:
                for element in g._element_set():
                    form = list(partial)
                    for i, j in enumerate(element):
                        form[where[g.axes[i]]] = where[g.axes[j]]
                    grown.append(tuple(form))
            candidates = grown
        covered = {a for h in theirs for a in h.axes}
        kept = set()
        for form in candidates:
            if any(form[where[a]] != where[a] for a in axes if a not in covered):
                continue
            inside = True
            for h in theirs:
                local = {a: i for i, a in enumerate(h.axes)}
                image = []
                for a in h.axes:
                    target = axes[form[where[a]]]
                    if target not in local:
                        inside = False
                        break
                    image.append(local[target])
                if not inside or tuple(image) not in h._element_set():
                    inside = False
                    break
            if inside:
                kept.add(form)
        result.extend(_groups_on_axes(kept, axes))
    return tuple(sorted(result, key=lambda g: g.axes))


def _groups_on_axes(elements: Any, axes: Sequence[int]) -> list[PermutationGroup]:
    """``groups_from_elements`` with position i renamed to axis ``axes[i]`` (sorted axes)."""
    return [
        canonical_group(
            PermutationGroup.symmetric(g.degree, axes=tuple(axes[a] for a in g.axes))
            if g.is_symmetric
            else PermutationGroup._from_elements(g._element_set(), tuple(axes[a] for a in g.axes))
        )
        for g in groups_from_elements(elements)
    ]


def elementwise_symmetry(op: str, operands: Sequence, shape: tuple[int, ...]) -> SymmetryInfo | None:
    """The symmetry an element-wise op on ``operands`` (broadcast to ``shape``) keeps, as
    :func:`binary_symmetry` finds it; None, with a :class:`SymmetryLossWarning` when a
    symmetric operand of a result of rank >= 2 loses its symmetry."""
    groups = binary_symmetry(operands, shape)
    if groups:
        return SymmetryInfo(groups, shape)
    symmetric = [x for x in operands if isinstance(x, SymmetricTensor)]
    if symmetric and len(shape) >= 2:
        warn_loss(op, symmetric[0].symmetric_axes)
    return None


def binary_symmetry(operands: Sequence, out_shape: tuple[int, ...]) -> Groups | None:
    """Groups kept by a broadcasting binary op; None when no operand was symmetric.

    Each operand's groups lose the axes it was broadcast along (size 1 stretched); the
    result keeps the permutations every non-scalar operand allows.
    """
    out_ndim = len(out_shape)
    kept: list[Groups] = []
    any_symmetric = False
    for operand in operands:
        info = symmetry_of(operand)
        shape = np.shape(operand)
        if math.prod(shape) == 1:
            continue  # a scalar (or all-size-1) operand keeps every group
        if info is None:
            kept.append(())
            continue
        any_symmetric = True
        shift = out_ndim - len(shape)
        colours = {
            a: ("broadcast", a) for a in range(len(shape)) if shape[a] == 1 and out_shape[a + shift] != 1
        }
        mapping = {a: a + shift for a in range(len(shape))}
        kept.append(_restrict_all(info.groups, colours, mapping))
    if not any_symmetric:
        return None
    if not kept:
        return ()
    result = kept[0]
    for other in kept[1:]:
        result = intersect_groups(result, other)
    return result


def reduction_symmetry(info: SymmetryInfo, axis, keepdims: bool) -> Groups:
    """Groups left after reducing ``axis`` (renumbered unless keepdims): the permutations
    that send reduced axes to reduced axes, restricted to the kept axes."""
    if axis is None:
        return ()
    ndim = len(info.shape)
    axes = {int(axis) % ndim} if np.ndim(axis) == 0 else {int(a) % ndim for a in axis}
    colours = {a: "reduced" for a in axes}
    if keepdims:
        mapping = {a: a for a in range(ndim)}
    else:
        mapping = {a: a - sum(1 for r in axes if r < a) for a in range(ndim) if a not in axes}
    return _restrict_all(info.groups, colours, mapping)


def transpose_symmetry(info: SymmetryInfo, order: Sequence[int]) -> Groups:
    """Groups of ``x.transpose(order)``: output axis ``k`` is input axis ``order[k]``."""
    where = {old: new for new, old in enumerate(order)}
    result = []
    for group in info.groups:
        axes = [where[a] for a in group.axes]
        if group.is_symmetric:
            moved = PermutationGroup.symmetric(group.degree, axes=axes)
        else:
            moved = PermutationGroup._from_elements(group._element_set(), axes)
        result.append(canonical_group(moved))
    return tuple(sorted(result, key=lambda g: g.axes))


# Free functions that only permute axes: their result keeps the symmetry, moved along.
AXIS_PERMUTERS = frozenset(
    {"transpose", "permute_dims", "swapaxes", "moveaxis", "matrix_transpose", "linalg.matrix_transpose"}
)


def follow_axes(func: Any, source: Any, args: tuple, kwargs: dict, result: Any) -> Any:
    """``result`` of an axis-permuting free function (``AXIS_PERMUTERS``) called as
    ``func(*args, **kwargs)`` on the SymmetricTensor ``source`` (= ``args[0]``, maybe
    unwrapped), tagged with the symmetry moved along its axes.

    The permutation is read by calling ``func`` on a zero-memory probe whose axis k
    has length k + 2, with the same remaining arguments."""
    info = symmetry_of(source)
    if info is None or not isinstance(result, np.ndarray):
        return result
    ndim = len(info.shape)
    probe = np.broadcast_to(np.empty(()), tuple(range(2, ndim + 2)))
    try:
        moved = func(probe, *args[1:], **kwargs)
    except Exception:
        return result
    order = [length - 2 for length in np.shape(moved)]
    if sorted(order) != list(range(ndim)) or result.shape != tuple(info.shape[a] for a in order):
        return result
    return tag(result.view(np.ndarray), transpose_symmetry(info, order))


def index_symmetry(info: SymmetryInfo, key) -> Groups:
    """Groups surviving ``x[key]``: an integer removes its axis (axes fixed to the same
    value may still be exchanged), a full slice keeps it, a shortening slice takes the
    axis out of its group, ``None`` inserts axes, advanced indexing gives no symmetry."""
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
    mapping: dict[int, int] = {}  # input axis -> output axis
    colours: dict[int, Any] = {}
    in_axis = out_axis = 0
    for k in expanded:
        if k is None:
            out_axis += 1
            continue
        if isinstance(k, slice):
            if in_axis >= ndim:
                return ()
            length = info.shape[in_axis]
            if not (k == slice(None) or range(length)[k] == range(length)):
                colours[in_axis] = ("sliced", in_axis)
            mapping[in_axis] = out_axis
            in_axis += 1
            out_axis += 1
        elif _is_axis(k):
            if in_axis >= ndim:
                return ()
            colours[in_axis] = ("index", int(k) % max(info.shape[in_axis], 1))
            in_axis += 1
        else:
            return ()  # advanced (array/bool) indexing
    while in_axis < ndim:
        mapping[in_axis] = out_axis
        in_axis += 1
        out_axis += 1
    return _restrict_all(info.groups, colours, mapping)


# -- public constructors -------------------------------------------------------------
def _symmetry_argument(symmetric_axes: Any, symmetry: Any, ndim: int, op_name: str) -> Groups:
    if symmetric_axes is not None and symmetry is not None:
        groups = normalize_groups([*normalize_groups(symmetric_axes, ndim), *normalize_groups(symmetry, ndim)], ndim)
    else:
        groups = normalize_groups(symmetry if symmetry is not None else symmetric_axes, ndim)
    if not groups:
        raise ValueError(
            f"{op_name} needs symmetric_axes or a non-trivial symmetry group, got "
            f"symmetric_axes={symmetric_axes!r}, symmetry={symmetry!r}"
        )
    return groups


def is_symmetric(
    x: Any,
    symmetric_axes: Any = None,
    *,
    symmetry: Any = None,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> bool:
    """True when ``x`` is invariant under every generator of the groups (within
    ``allclose`` tolerance). Free: a check, not a counted op."""
    data = _plain(x, "is_symmetric")
    if symmetry is None and symmetric_axes is None:
        raise TypeError("is_symmetric() needs symmetric_axes or symmetry=")
    if symmetry is None:
        groups = normalize_groups(symmetric_axes, data.ndim)
    else:
        groups = _symmetry_argument(symmetric_axes, symmetry, data.ndim, "is_symmetric")
    return _within_tolerance(data, groups, atol, rtol)


def _culprit_text(culprit: Any) -> str:
    if culprit is None:
        return "axes of unequal lengths"
    group, generator = culprit
    mapping = ", ".join(f"{group.axes[i]}->{group.axes[j]}" for i, j in enumerate(generator.array_form) if i != j)
    return f"permutation {generator!r} of {group.describe()} (axes {mapping})"


def as_symmetric(
    x: Any,
    symmetric_axes: Any = None,
    *,
    symmetry: Any = None,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> SymmetricTensor:
    """Check ``x`` and return it as a :class:`SymmetricTensor` (no copy, no FLOPs).

    ``symmetric_axes=(0, 1)`` (or a list of tuples) is the shorthand for the full
    symmetric group on those axes; ``symmetry`` is a :class:`PermutationGroup` or a list
    of groups on disjoint axes. Every generator is checked; data that fail raise
    :class:`~mechestim.errors.SymmetryError` naming the failing permutation and the
    largest deviation; ``me.symmetrize`` makes data symmetric.
    """
    data = _plain(x, "as_symmetric")
    groups = _symmetry_argument(symmetric_axes, symmetry, data.ndim, "as_symmetric")
    if not _within_tolerance(data, groups, atol, rtol):
        culprit, deviation = _worst_generator(data, groups)
        hint = symmetric_axes if symmetry is None else "symmetry=..."
        if culprit is None:  # no data of this shape can be symmetric: symmetrize refuses it too
            orbit = next(
                o for g in groups for o in g.orbits() if len({data.shape[a] for a in o}) > 1
            )
            reason = (
                f"axes {orbit} lie in one orbit but have unequal lengths "
                f"{sorted({data.shape[a] for a in orbit})} (max deviation inf)"
            )
        else:
            reason = (
                f"{_culprit_text(culprit)} gives max deviation {deviation:.6g}, beyond "
                f"atol={atol:g}, rtol={rtol:g}; use me.symmetrize(x, {hint}) to average it "
                "into a symmetric tensor"
            )
        raise SymmetryError(
            f"array of shape {data.shape} is not symmetric under {describe(groups)}: {reason}",
            axes=tuple(g.axes for g in groups),
            max_deviation=deviation,
            atol=atol,
            rtol=rtol,
        )
    return tag(data, groups)


def symmetrize(x: Any, symmetric_axes: Any = None, *, symmetry: Any = None) -> SymmetricTensor:
    """Average ``x`` over the elements of its groups; returns a SymmetricTensor.

    ``symmetric_axes`` / ``symmetry`` as in :func:`as_symmetric`. Charged ``numel(x)``
    times the group order (the product of the orders of the groups), recorded as
    ``"symmetrize"``. Integer data is averaged in float64; floating and complex data
    keep their dtype.
    """
    from .._core.pipeline import execute  # the pipeline imports this module

    data = _plain(x, "symmetrize")
    groups = _symmetry_argument(symmetric_axes, symmetry, data.ndim, "symmetrize")
    info = SymmetryInfo(groups, data.shape)  # unequal axis lengths: ValueError, no charge
    cost = max(data.size * info.symmetry_factor, 1)
    return execute(
        "symmetrize", cost, (data.shape,), _average_permutations, (data, info), groups=info
    )


def _average_permutations(data: np.ndarray, info: SymmetryInfo) -> np.ndarray:
    dtype = data.dtype if data.dtype.kind in "fc" else np.dtype(np.float64)
    result = data.astype(dtype, copy=True)
    for group in info.groups:  # groups on disjoint axes: averaging one by one averages the product
        total = np.zeros_like(result)
        elements = group._element_set()
        for element in elements:
            total += np.transpose(result, _axis_order(group, element, result.ndim))
        result = total / len(elements)
    return result
