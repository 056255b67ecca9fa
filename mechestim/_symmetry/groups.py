"""Permutations and permutation groups acting on tensor axes (library §7a, cost-model §4).

A :class:`PermutationGroup` acting on some axes of a tensor says which permutations of
those axes leave the data unchanged: ``T`` is invariant under ``g`` when
``T[i_0, ..., i_k-1] == T[i_g(0), ..., i_g(k-1)]`` for every index tuple. The tensor's
unique elements are its orbits of index tuples, counted exactly by Burnside's lemma.

The groups met here are small (a handful of axes), so the group is closed by a plain
breadth-first search over products with the generators and its elements are cached.
Conventions follow sympy where they overlap: ``Cycle(0, 2)(1, 3)`` composes cycles,
``p * q`` applies ``p`` first, then ``q``; ``~p`` is the inverse.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["Permutation", "Cycle", "PermutationGroup"]


class Cycle:
    """A product of disjoint or overlapping cycles, written as sympy writes it.

    ``Cycle(0, 2)`` swaps 0 and 2; ``Cycle(0, 2)(1, 3)`` is that swap followed by the
    swap of 1 and 3; ``Cycle(0, 1, 2)`` sends 0 to 1, 1 to 2 and 2 to 0. Points the
    cycles never mention are fixed. ``Permutation(cycle)`` turns it into a permutation.
    """

    __slots__ = ("_map",)

    def __init__(self, *points: int) -> None:
        self._map: dict[int, int] = {}
        if points:
            self._apply_cycle(points)

    def _apply_cycle(self, points: Sequence[int]) -> None:
        pts = [_as_point(p) for p in points]
        if len(set(pts)) != len(pts):
            raise ValueError(f"cycle {tuple(pts)} repeats a point")
        if len(pts) < 2:
            return
        step = {a: b for a, b in zip(pts, pts[1:] + pts[:1])}
        # self then step: x -> step(self(x))
        domain = set(self._map) | set(step)
        current = {x: self._map.get(x, x) for x in domain}
        self._map = {x: step.get(y, y) for x, y in current.items() if step.get(y, y) != x}

    def __call__(self, *points: int) -> Cycle:
        """This product followed by the cycle ``points`` (a new Cycle)."""
        result = Cycle()
        result._map = dict(self._map)
        result._apply_cycle(points)
        return result

    @property
    def size(self) -> int:
        """One more than the largest point moved (0 for the identity)."""
        return max(self._map, default=-1) + 1

    def array_form(self, size: int | None = None) -> tuple[int, ...]:
        """The image of ``0 .. size-1`` (``size`` defaults to :attr:`size`)."""
        size = self.size if size is None else size
        if size < self.size:
            raise ValueError(f"cycle {self!r} moves point {self.size - 1}, beyond size {size}")
        return tuple(self._map.get(i, i) for i in range(size))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cycle) and self._map == other._map

    def __hash__(self) -> int:
        return hash(frozenset(self._map.items()))

    def __repr__(self) -> str:
        return _cycle_text(self.array_form())


def _as_point(p: Any) -> int:
    import operator

    try:
        if isinstance(p, bool):
            raise TypeError  # True is not point 1
        value = operator.index(p)
    except TypeError:
        raise TypeError(f"permutation points must be ints, got {p!r}") from None
    if value < 0:
        raise ValueError(f"permutation points must be >= 0, got {value}")
    return value


def _as_axis(a: Any) -> int:
    """A tensor axis: an int, negative counting from the end (resolved when the group
    meets a tensor's number of dimensions)."""
    import operator

    try:
        if isinstance(a, bool):
            raise TypeError
        return operator.index(a)
    except TypeError:
        raise TypeError(f"group axes must be ints, got {a!r}") from None


def _cycles(array: Sequence[int]) -> list[list[int]]:
    """Non-trivial cycles of an array form, each starting at its smallest point."""
    return [cycle for cycle in _cycle_lengths_with_fixed(array) if len(cycle) > 1]


def _cycle_lengths_with_fixed(array: Sequence[int]) -> list[list[int]]:
    """All cycles of an array form, fixed points included, each starting at its smallest point."""
    seen = [False] * len(array)
    result = []
    for start in range(len(array)):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        nxt = array[start]
        while nxt != start:
            cycle.append(nxt)
            seen[nxt] = True
            nxt = array[nxt]
        result.append(cycle)
    return result


class Permutation:
    """A permutation of ``0 .. size-1``.

    ``Permutation([2, 0, 1])`` (array form: 0 goes to 2, 1 to 0, 2 to 1),
    ``Permutation(Cycle(0, 2)(1, 3))``, ``Permutation(Cycle(0, 1), size=4)`` or
    :meth:`from_cycle`. ``p * q`` applies ``p`` then ``q`` (sympy's order); ``~p`` is
    the inverse; ``p(i)`` is the image of ``i``. Equal permutations of equal size
    compare equal and hash alike.
    """

    __slots__ = ("array_form",)

    def __init__(self, form: Sequence[int] | Cycle | Permutation, size: int | None = None) -> None:
        if isinstance(form, Permutation):
            array = form.array_form
        elif isinstance(form, Cycle):
            array = form.array_form(size if size is not None else None)
        else:
            try:
                array = tuple(_as_point(p) for p in form)
            except TypeError:
                raise TypeError(
                    f"Permutation needs an array form (a sequence of ints) or a Cycle, got {form!r}"
                ) from None
        if sorted(array) != list(range(len(array))):
            raise ValueError(f"{list(array)} is not a permutation of 0..{len(array) - 1}")
        if size is not None:
            if size < len(array):
                raise ValueError(f"permutation {list(array)} does not fit in size {size}")
            array = tuple(array) + tuple(range(len(array), size))
        self.array_form: tuple[int, ...] = tuple(array)

    @classmethod
    def from_cycle(cls, size: int, cycle: Sequence[int] | Cycle) -> Permutation:
        """The permutation of ``size`` points moving only ``cycle`` (a tuple or a Cycle)."""
        if not isinstance(cycle, Cycle):
            cycle = Cycle(*cycle)
        return cls(cycle, size=size)

    @classmethod
    def identity(cls, size: int) -> Permutation:
        """The permutation of ``size`` points moving none."""
        return cls(range(_as_point(size)))

    @property
    def size(self) -> int:
        return len(self.array_form)

    def __call__(self, point: int) -> int:
        index = _as_point(point)
        if index >= self.size:
            raise ValueError(f"point {index} is outside {self!r} (points 0..{self.size - 1})")
        return self.array_form[index]

    def __mul__(self, other: Permutation) -> Permutation:
        if not isinstance(other, Permutation):
            return NotImplemented
        size = max(self.size, other.size)
        a = self.array_form + tuple(range(self.size, size))
        b = other.array_form + tuple(range(other.size, size))
        return Permutation(tuple(b[a[i]] for i in range(size)))

    def __invert__(self) -> Permutation:
        inverse = [0] * self.size
        for i, j in enumerate(self.array_form):
            inverse[j] = i
        return Permutation(inverse)

    def __pow__(self, n: int) -> Permutation:
        result = Permutation.identity(self.size)
        base = self if n >= 0 else ~self
        for _ in range(abs(n)):
            result = result * base
        return result

    def order(self) -> int:
        """The smallest ``n >= 1`` with ``p**n`` the identity (lcm of cycle lengths)."""
        return math.lcm(*(len(c) for c in _cycles(self.array_form))) if self.size else 1

    @property
    def cyclic_form(self) -> list[list[int]]:
        """The non-trivial cycles, each starting at its smallest point (sympy's form)."""
        return _cycles(self.array_form)

    @property
    def is_identity(self) -> bool:
        return all(i == j for i, j in enumerate(self.array_form))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Permutation) and self.array_form == other.array_form

    def __hash__(self) -> int:
        return hash(self.array_form)

    def __repr__(self) -> str:
        return f"Permutation({list(self.array_form)})"


def _compose(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """``a`` then ``b`` on array forms of equal size."""
    return tuple(b[x] for x in a)


def _closure(generators: Iterable[tuple[int, ...]], size: int) -> frozenset[tuple[int, ...]]:
    identity = tuple(range(size))
    gens = [g for g in set(generators) if g != identity]
    elements = {identity}
    frontier = [identity]
    while frontier:
        new = []
        for element in frontier:
            for g in gens:
                product = _compose(element, g)
                if product not in elements:
                    elements.add(product)
                    new.append(product)
        frontier = new
    return frozenset(elements)


class PermutationGroup:
    """A group of permutations acting on tensor axes.

    ``PermutationGroup(*generators, axes=(...))``: the group generated by the
    permutations (``Permutation``, ``Cycle`` or array forms) acting on ``axes`` (the
    generators' point ``i`` is the tensor axis ``axes[i]``; ``axes`` defaults to
    ``0 .. degree-1``; a negative axis counts from the end of the tensor it is given
    with). ``symmetric(k)``, ``cyclic(k)`` and ``dihedral(k)`` build the
    usual groups. Elements are found by closure once and cached.

    >>> PermutationGroup(Cycle(0, 2)(1, 3), axes=(0, 1, 2, 3)).burnside_unique_count(
    ...     {0: 5, 1: 5, 2: 5, 3: 5})
    325
    """

    __slots__ = ("axes", "generators", "_elements", "_full", "_name")

    def __init__(self, *generators: Permutation | Cycle | Sequence[int], axes: Sequence[int] | None = None) -> None:
        if (
            len(generators) == 1
            and isinstance(generators[0], (list, tuple))
            and generators[0]
            and all(isinstance(g, (Permutation, Cycle)) for g in generators[0])
        ):
            generators = tuple(generators[0])  # PermutationGroup([g1, g2])
        perms = []
        for g in generators:
            perms.append(g if isinstance(g, Permutation) else Permutation(g))
        degree = max((p.size for p in perms), default=0)
        if axes is None:
            axes = tuple(range(degree))
        else:
            axes = tuple(_as_axis(a) for a in axes)
            if len(set(axes)) != len(axes):
                raise ValueError(f"PermutationGroup axes {axes} repeat an axis")
            if degree > len(axes):
                raise ValueError(
                    f"a generator moves point {degree - 1} but the group acts on only "
                    f"{len(axes)} axes {axes}"
                )
        size = len(axes)
        self.axes: tuple[int, ...] = axes
        self.generators: tuple[Permutation, ...] = tuple(
            dict.fromkeys(Permutation(p, size=size) for p in perms if not p.is_identity)
        )  # each generator once, in the order given
        self._elements: frozenset[tuple[int, ...]] | None = None
        self._full: bool | None = None
        self._name: str | None = None

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def symmetric(cls, k: int, axes: Sequence[int] | None = None) -> PermutationGroup:
        """The full symmetric group S_k (every permutation of the k axes)."""
        k = _positive(k, "symmetric")
        gens = []
        if k >= 2:
            gens.append(Permutation.from_cycle(k, (0, 1)))
        if k >= 3:
            gens.append(Permutation.from_cycle(k, tuple(range(k))))
        group = cls(*gens, axes=_default_axes(axes, k))
        group._full = True
        group._name = f"S{k}"
        return group

    @classmethod
    def cyclic(cls, k: int, axes: Sequence[int] | None = None) -> PermutationGroup:
        """The cyclic group C_k: rotations ``i -> i+1 mod k`` of the k axes."""
        k = _positive(k, "cyclic")
        gens = [Permutation.from_cycle(k, tuple(range(k)))] if k >= 2 else []
        group = cls(*gens, axes=_default_axes(axes, k))
        group._name = f"C{k}"
        return group

    @classmethod
    def dihedral(cls, k: int, axes: Sequence[int] | None = None) -> PermutationGroup:
        """The dihedral group D_k: rotations and reflections of a k-gon, of order 2k for
        k >= 3 (on 2 points the reflection is the rotation: D_2 = S_2, order 2; D_1 is
        trivial)."""
        k = _positive(k, "dihedral")
        gens = []
        if k >= 2:
            gens.append(Permutation.from_cycle(k, tuple(range(k))))
            gens.append(Permutation([(-i) % k for i in range(k)]))
        group = cls(*gens, axes=_default_axes(axes, k))
        group._name = f"D{k}"
        return group

    @classmethod
    def _from_elements(cls, elements: Iterable[tuple[int, ...]], axes: Sequence[int]) -> PermutationGroup:
        """The group whose element set (array forms over ``axes``) is already known."""
        elements = frozenset(elements)
        size = len(axes)
        gens: list[tuple[int, ...]] = []
        reached = frozenset({tuple(range(size))})
        for element in sorted(elements):
            if element not in reached:
                gens.append(element)
                reached = _closure(gens, size)
        group = cls(*(Permutation(g) for g in gens), axes=tuple(axes))
        group._elements = elements
        return group

    # -- queries ----------------------------------------------------------------------
    @property
    def degree(self) -> int:
        """The number of axes the group acts on."""
        return len(self.axes)

    def _element_set(self) -> frozenset[tuple[int, ...]]:
        if self._elements is None:
            self._elements = _closure((g.array_form for g in self.generators), self.degree)
        return self._elements

    def elements(self) -> list[Permutation]:
        """Every element (array forms over the group's axes), identity first."""
        return [Permutation(e) for e in sorted(self._element_set())]

    def order(self) -> int:
        """The number of elements."""
        if self._full:
            return math.factorial(self.degree)
        return len(self._element_set())

    @property
    def is_symmetric(self) -> bool:
        """True when this is the full symmetric group on its axes."""
        if self._full is None:
            self._full = len(self._element_set()) == math.factorial(self.degree)
        return self._full

    def contains(self, perm: Permutation | Cycle | Sequence[int]) -> bool:
        """Whether ``perm`` (over the group's points ``0 .. degree-1``) is an element."""
        p = perm if isinstance(perm, Permutation) else Permutation(perm)
        if p.size > self.degree:
            if any(p.array_form[i] != i for i in range(self.degree, p.size)):
                return False
            p = Permutation(p.array_form[: self.degree])
        form = Permutation(p, size=self.degree).array_form
        if self.is_symmetric:
            return True
        return form in self._element_set()

    __contains__ = contains

    def orbits(self) -> list[tuple[int, ...]]:
        """The orbits of the group on its axes (tensor axis numbers), sorted."""
        parent = list(range(self.degree))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for g in self.generators:
            for i, j in enumerate(g.array_form):
                parent[find(i)] = find(j)
        classes: dict[int, list[int]] = {}
        for i in range(self.degree):
            classes.setdefault(find(i), []).append(self.axes[i])
        return sorted(tuple(sorted(c)) for c in classes.values())

    def burnside_unique_count(self, size_dict: Mapping[int, int] | Sequence[int]) -> int:
        """Orbits of index tuples over the group's axes: ``(1/|G|) * sum over g of
        prod over the cycles of g of n`` (n = the length of the axes in the cycle).

        ``size_dict`` maps each axis to its length (a dict, or a shape indexed by axis).
        Axes in one orbit must have equal lengths (``ValueError`` otherwise).
        """
        sizes = [_axis_length(size_dict, a) for a in self.axes]
        length_of = dict(zip(self.axes, sizes))
        for orbit in self.orbits():
            lengths = {length_of[a] for a in orbit}
            if len(lengths) > 1:
                raise ValueError(
                    f"axes {orbit} lie in one orbit of {self!r} but have unequal lengths "
                    f"{sorted(lengths)}"
                )
        if self.is_symmetric and self.degree:
            n, k = sizes[0], self.degree
            return math.comb(n + k - 1, k)
        total = 0
        for element in self._element_set():
            total += math.prod(sizes[c[0]] for c in _cycle_lengths_with_fixed(element))
        return total // len(self._element_set())

    # -- sympy ------------------------------------------------------------------------
    def as_sympy(self):
        """This group as a ``sympy.combinatorics.PermutationGroup`` (needs sympy)."""
        from sympy.combinatorics import Permutation as SPermutation
        from sympy.combinatorics import PermutationGroup as SGroup

        gens = [SPermutation(list(g.array_form)) for g in self.generators]
        if not gens:
            gens = [SPermutation(list(range(max(self.degree, 1))))]
        return SGroup(*gens)

    @classmethod
    def from_sympy(cls, group: Any, axes: Sequence[int] | None = None) -> PermutationGroup:
        """A group from a ``sympy.combinatorics.PermutationGroup`` (or one sympy
        Permutation), acting on ``axes`` (default ``0 .. degree-1``)."""
        gens = getattr(group, "generators", None)
        if gens is None:
            gens = [group]
        degree = int(getattr(group, "degree", getattr(group, "size", 0)))
        perms = [Permutation(list(g.array_form), size=degree) for g in gens]
        return cls(*perms, axes=axes if axes is not None else tuple(range(degree)))

    # -- identity -----------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PermutationGroup) or self.axes != other.axes:
            return False
        if self.is_symmetric or other.is_symmetric:
            return self.is_symmetric == other.is_symmetric
        return self._element_set() == other._element_set()

    def __hash__(self) -> int:
        return hash((self.axes, self.order()))

    def __repr__(self) -> str:
        if self.is_symmetric and self.degree >= 2:
            return f"PermutationGroup.symmetric({self.degree}, axes={self.axes})"
        if self._name and self._name[0] in "CD" and self._name[1:] == str(self.degree):
            kind = "cyclic" if self._name[0] == "C" else "dihedral"
            return f"PermutationGroup.{kind}({self.degree}, axes={self.axes})"
        gens = ", ".join(_cycle_text(g.array_form) for g in self.generators)
        return f"PermutationGroup({gens}{', ' if gens else ''}axes={self.axes})"

    def describe(self) -> str:
        """A short name: ``S3{0,1,2}``, ``C3{0,1,2}``, ``<(0 2)(1 3)>{0,1,2,3}``."""
        where = "{" + ",".join(str(a) for a in self.axes) + "}"
        if self.is_symmetric and self.degree >= 2:
            return f"S{self.degree}{where}"
        if self._name and self._name[1:] == str(self.degree):
            return f"{self._name}{where}"
        gens = ",".join(
            "".join("(" + " ".join(str(p) for p in c) + ")" for c in _cycles(g.array_form))
            for g in self.generators
        )
        return f"<{gens}>{where}"


def _axis_length(size_dict: Mapping[int, int] | Sequence[int], axis: int) -> int:
    """The length of ``axis`` in a size dict or shape: an int >= 0, else an error naming it."""
    import operator

    try:
        length = size_dict[axis]
    except (KeyError, IndexError):
        raise ValueError(
            f"the sizes {size_dict!r} give no length for axis {axis} the group acts on"
        ) from None
    try:
        length = operator.index(length)
    except TypeError:
        raise TypeError(f"axis {axis} has length {length!r}; lengths must be ints") from None
    if length < 0:
        raise ValueError(f"axis {axis} has negative length {length}")
    return length


def _cycle_text(array: Sequence[int]) -> str:
    cycles = _cycles(array)
    if not cycles:
        return "Cycle()"
    return "Cycle" + "".join(repr(tuple(c)) for c in cycles)


def _positive(k: Any, name: str) -> int:
    import operator

    try:
        k = operator.index(k)
    except TypeError:
        raise TypeError(f"PermutationGroup.{name}(k) needs an int k, got {k!r}") from None
    if k < 1:
        raise ValueError(f"PermutationGroup.{name}(k) needs k >= 1, got {k}")
    return k


def _default_axes(axes: Sequence[int] | None, k: int) -> tuple[int, ...]:
    if axes is None:
        return tuple(range(k))
    axes = tuple(_as_axis(a) for a in axes)
    if len(axes) != k:
        raise ValueError(f"a group on {k} points needs {k} axes, got {axes}")
    return axes
