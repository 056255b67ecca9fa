"""``me.ndarray``: the array type every mechestim function returns.

It is a ``numpy.ndarray`` whose operators, ufuncs and NumPy functions are routed
through mechestim, so ``a @ b``, ``a + 1``, ``a.sum()`` and ``np.sum(a)`` charge
exactly what ``me.matmul``, ``me.add`` and ``me.sum`` charge, once. The routing
lives in ``mechestim._core.protocol``; this module only declares the protocol hooks and the methods
that NumPy would otherwise implement with several uncounted or mis-named ufunc calls.

Plain ``numpy.ndarray`` objects used only with plain NumPy are invisible to
mechestim and are not charged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ndarray"]

# The routing module; ``_core.protocol`` installs itself here when imported (it needs
# this module's class, so importing it from here would be circular).
_protocol: Any = None


def _method(name: str, doc_target: str | None = None):
    """A method that forwards ``self.<name>(...)`` to the mechestim function ``name``."""

    def method(self, *args: Any, **kwargs: Any) -> Any:
        return _protocol.call_public(name, self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"Same as ``me.{doc_target or name}(self, ...)``; charged identically."
    return method


def _conj_method(name: str):
    """``self.conj()`` / ``self.conjugate()``, charged what ``me.<name>`` charges.

    NumPy's method runs the conjugate ufunc on complex data only; real numeric data comes
    back as the array itself (no copy, so bool stays bool where the ufunc gives int8).
    """

    def method(self, *out: Any) -> Any:
        if out or self.dtype.kind not in "biuf":
            # out (NumPy's one positional argument), complex data: the ufunc;
            # non-numeric data: refused there.
            return _protocol.call_public(name, self, *out)
        return _protocol.conj_method(name, self, int(_protocol.REGISTRY[name].cost(self)))

    method.__name__ = name
    method.__doc__ = f"Same as ``numpy.ndarray.{name}``; charged what ``me.{name}`` charges."
    return method


# Operand types an operator can hand straight to the mechestim function; any other type
# keeps NumPy's operator rules (deferring to a foreign ``__radd__``, ``__array_priority__``).
_DIRECT_OPERANDS: frozenset[type] = frozenset({np.ndarray, int, float})


def _operator(dunder: str, name: str, reflected: bool = False):
    """``self <op> other``, charged exactly as ``me.<name>``.

    NumPy's own operator reaches the same function through ``__array_ufunc__``; calling
    it directly skips that protocol round trip, which costs more than the addition
    itself on a small array (see benchmarks/profile_call.py).
    """
    numpy_operator = getattr(np.ndarray, dunder)
    impl = None

    def operator(self, other):
        nonlocal impl
        kind = type(other)
        if kind is ndarray or kind in _DIRECT_OPERANDS or isinstance(other, ndarray):
            if impl is None:
                impl = _protocol.public_function(name)
            return impl(other, self) if reflected else impl(self, other)
        return numpy_operator(self, other)

    operator.__name__ = dunder
    operator.__doc__ = f"Same as ``me.{name}``; charged identically."
    return operator


def _inplace_method(name: str):
    """A method that mutates ``self`` (``sort``, ``partition``), charged like ``me.<name>``."""

    def method(self, *args: Any, **kwargs: Any) -> None:
        return _protocol.call_inplace_method(name, self, args, kwargs)

    method.__name__ = name
    method.__doc__ = f"In-place ``{name}``; charged what ``me.{name}`` charges."
    return method


def _writing_method(name: str, out_at: int | None = None):
    """``numpy.ndarray.<name>``, which writes from C where mechestim cannot see it: into
    ``self`` (``fill``, ``put``, ``setfield``), or into ``out`` (``take``, ``choose``,
    ``compress``; ``out_at`` is its position among the arguments). Afterwards the array
    written drops the symmetry of every SymmetricTensor sharing its memory."""
    numpy_method = getattr(np.ndarray, name)

    def method(self, *args: Any, **kwargs: Any) -> Any:
        result = numpy_method(self, *args, **kwargs)
        if out_at is None:
            _protocol.release(self, name)
        else:
            out = args[out_at] if len(args) > out_at else kwargs.get("out")
            if out is not None:
                _protocol.release(out, name)
        return result

    method.__name__ = name
    method.__doc__ = numpy_method.__doc__
    return method


class _FlatIter:
    """``a.flat`` of a me.ndarray: NumPy's ``flatiter`` (indexing, iteration, ``base``,
    ``coords``, ``index``, ``copy()``, ``np.asarray``), except that assigning through
    it (``a.flat[1] = 5``) drops the symmetry of every SymmetricTensor sharing ``a``'s
    memory, as item assignment does."""

    __slots__ = ("_array", "_iterator")

    def __init__(self, array: ndarray) -> None:
        self._array = array
        self._iterator = np.ndarray.flat.__get__(array)

    def __getitem__(self, key: Any) -> Any:
        return self._iterator[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._iterator[key] = value
        _protocol.release(self._array, "flat assignment")

    def __iter__(self) -> Any:
        return self._iterator  # reading only: NumPy's own iterator, at its speed

    def __next__(self) -> Any:
        return next(self._iterator)

    def __len__(self) -> int:
        return len(self._iterator)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self._iterator, dtype=dtype)

    def __getattr__(self, name: str) -> Any:  # base, coords, index, copy, ...
        return getattr(self._iterator, name)

    def __repr__(self) -> str:
        return repr(self._iterator)


def _data_setter(attribute: str, what: str):
    """A property like ``numpy.ndarray.<attribute>`` whose setter (a write of the whole
    array's data) drops the symmetry of SymmetricTensors sharing the memory."""
    descriptor = getattr(np.ndarray, attribute)

    def getter(self):
        return descriptor.__get__(self)

    def setter(self, value):
        descriptor.__set__(self, value)
        _protocol.release(self, what)

    return property(getter, setter, doc=descriptor.__doc__)


class ndarray(np.ndarray):  # noqa: N801 - mirrors numpy.ndarray
    """A ``numpy.ndarray`` whose arithmetic is charged against the active FLOP budget."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _protocol.dispatch_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _protocol.dispatch_function(func, types, args, kwargs)

    # Printing must never charge (NumPy's formatter runs ufuncs on the data).
    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))

    def __str__(self) -> str:
        return str(self.view(np.ndarray))

    def __format__(self, spec: str) -> str:
        return format(self.view(np.ndarray), spec)

    def __setitem__(self, key: Any, value: Any) -> None:
        np.ndarray.__setitem__(self, key, value)
        # A SymmetricTensor sharing this memory (self may be its view) is no longer symmetric.
        _protocol.release(self, "item assignment")

    # Writes NumPy makes without item assignment: same rule as __setitem__.
    real = _data_setter("real", "real assignment")
    imag = _data_setter("imag", "imag assignment")

    @property
    def flat(self) -> _FlatIter:
        """A flat iterator over the array (``numpy.ndarray.flat``); writing through it,
        or assigning ``a.flat = values``, drops the symmetry of SymmetricTensors sharing
        the memory."""
        return _FlatIter(self)

    @flat.setter
    def flat(self, value: Any) -> None:
        np.ndarray.flat.__set__(self, value)
        _protocol.release(self, "flat assignment")

    sum = _method("sum")
    prod = _method("prod")
    mean = _method("mean")
    std = _method("std")
    var = _method("var")
    max = _method("max")
    min = _method("min")
    all = _method("all")
    any = _method("any")
    argmax = _method("argmax")
    argmin = _method("argmin")
    cumsum = _method("cumsum")
    cumprod = _method("cumprod")
    dot = _method("dot")
    trace = _method("trace")
    clip = _method("clip")
    round = _method("round")
    conj = _conj_method("conj")
    conjugate = _conj_method("conjugate")
    argsort = _method("argsort")
    argpartition = _method("argpartition")
    searchsorted = _method("searchsorted")
    sort = _inplace_method("sort")
    partition = _inplace_method("partition")
    # Free writes NumPy makes from C: the written array drops shared symmetry tags.
    fill = _writing_method("fill")
    put = _writing_method("put")
    setfield = _writing_method("setfield")
    take = _writing_method("take", out_at=2)
    choose = _writing_method("choose", out_at=1)
    compress = _writing_method("compress", out_at=2)

    __add__ = _operator("__add__", "add")
    __radd__ = _operator("__radd__", "add", reflected=True)
    __sub__ = _operator("__sub__", "subtract")
    __rsub__ = _operator("__rsub__", "subtract", reflected=True)
    __mul__ = _operator("__mul__", "multiply")
    __rmul__ = _operator("__rmul__", "multiply", reflected=True)
    __truediv__ = _operator("__truediv__", "divide")
    __rtruediv__ = _operator("__rtruediv__", "divide", reflected=True)
