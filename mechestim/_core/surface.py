"""The rest of the NumPy surface, as data: every public name of ``numpy``,
``numpy.linalg``, ``numpy.fft`` and ``numpy.random`` (NumPy 2.0 to the newest) that
the specification's 482-operation table (revision 1) does not list, classified.

``registry`` reads these tables into the op registry, next to the revision-1 ops.
Three kinds, as library.md §4 names them:

* counted: a cost rule charged before the op runs (``matvec``, ``vecmat``, ``emath.*``);
* free: no arithmetic on array data. Most are NumPy's own objects re-exported as they
  are (scalar types, dtype aliases, ``finfo``, ``errstate``, ...: ``AS_IS`` below);
  the ones that create arrays are wrapped so the arrays come back as ``me.ndarray``;
  the callback functions run the user's function on mechestim arrays, so each op
  inside is charged (the loop itself is free);
* refused: ``UnsupportedFunctionError`` saying why and what to use instead.

Revision 2 also moves some revision-1 rows (``RECLASSIFIED``): the callbacks, file I/O
and the floating-point error state were refused in revision 1 and are free now.

``SINCE`` records the NumPy version that introduced a name: on an older NumPy the name
resolves to an error saying which NumPy it needs.
"""

from __future__ import annotations

# -- free: NumPy's own objects, re-exported unchanged (category -> names) ---------------
AS_IS: dict[str, str] = {
    "type": """
        bool bool_ byte bytes_ cdouble character clongdouble complex64 complex128
        complex256 complexfloating csingle datetime64 double dtype flexible float16 float32
        float64 float128 floating generic half inexact int8 int16 int32 int64 int_ intc
        integer intp long longdouble longlong number object_ short signedinteger single
        str_ timedelta64 ubyte uint uint8 uint16 uint32 uint64 uintc uintp ulong ulonglong
        unsignedinteger ushort void flatiter ufunc
        linalg.LinAlgError
        random.BitGenerator random.MT19937 random.PCG64 random.PCG64DXSM random.Philox
        random.SFC64 random.SeedSequence
    """,
    "constant": """
        False_ True_ ScalarType e euler_gamma inf little_endian nan newaxis pi sctypeDict
        typecodes
    """,
    "introspection": "finfo iinfo info",
    "error state": "errstate geterr geterrcall seterr seterrcall",
    "printing": "get_printoptions printoptions set_printoptions",
    "iteration": "broadcast ndenumerate ndindex nditer nested_iters",
    "index trick": "index_exp s_",
    "module": "dtypes exceptions random.bit_generator",
    "random state": "random.get_bit_generator random.set_bit_generator",
}

# -- free, implemented by mechestim (``_ops.surface``): arrays come back as me.ndarray --
WRAPPED: dict[str, str] = {
    "index trick": "c_ mgrid ogrid r_",
    "conversion": "asanyarray ascontiguousarray asfortranarray",
    "io": "genfromtxt load loadtxt save savetxt savez savez_compressed",
    "callback": "apply_along_axis apply_over_axes frompyfunc piecewise vectorize",
    "module": "emath fft linalg random testing typing",
    "type": "ndarray random.Generator random.RandomState",
}

# -- counted, implemented by mechestim (``_ops.surface``) -------------------------------
COUNTED_OPS: dict[str, str] = {
    "contraction": "matvec vecmat",
    "emath": """
        emath.arccos emath.arcsin emath.arctanh emath.log emath.log10 emath.log2
        emath.logn emath.power emath.sqrt
    """,
}

# -- refused: (why, what to use instead) -> names ----------------------------------------
REFUSED: dict[tuple[str, str], str] = {
    (
        "numpy.matrix is deprecated",
        "use 2-D arrays (me.asarray) and the @ operator",
    ): "matrix",
    (
        "numpy.poly1d objects compute outside mechestim",
        "use me.polyval, me.polyfit, me.polyder, me.polyint, me.roots on coefficient arrays",
    ): "poly1d",
    (
        "the numpy.polynomial classes compute outside mechestim",
        "use me.polyval, me.polyfit, me.polyder, me.polyint, me.roots on coefficient arrays",
    ): "polynomial",
    (
        "masked arrays compute outside mechestim",
        "keep a boolean mask and use where= (me.sum(x, where=mask)) or me.where",
    ): "ma",
    (
        "string and character arrays are outside the FLOP model",
        "use numpy.strings / numpy.char directly on plain arrays",
    ): "char strings",
    (
        "record and structured arrays are outside the FLOP model",
        "use plain numeric arrays, one per field (numpy.rec works on plain arrays)",
    ): "rec recarray record",
    (
        "memory-mapped arrays bypass mechestim",
        "use me.load(path, mmap_mode='r') for .npy files; the result is a me.ndarray",
    ): "memmap",
    (
        "datetime arithmetic is outside the FLOP model",
        "use numpy's business-day functions directly on plain arrays",
    ): "busdaycalendar",
    (
        "NumPy's internals and build tools are not part of the array API",
        "import the numpy module directly (mechestim arrays work with it uncharged)",
    ): "core ctypeslib f2py lib linalg.linalg fft.helper random.mtrand",
    (
        "NumPy's own test runner tests NumPy, not mechestim",
        "run pytest on your code; me.testing has NumPy's assertions",
    ): "test linalg.test fft.test random.test",
}

# -- revision-1 rows that revision 2 (library.md §4) classifies differently ---------------
RECLASSIFIED = frozenset(
    """apply_along_axis apply_over_axes frompyfunc nested_iters piecewise genfromtxt load
    loadtxt save savetxt savez savez_compressed geterr geterrcall seterr seterrcall""".split()
)

# What to use instead of each revision-1 refusal reason (the reasons are ops.tsv's).
INSTEAD: dict[str, str] = {
    "string formatting is outside the FLOP model": (
        "use numpy's function directly (print(x) and repr(x) of a mechestim array are free)"
    ),
    "numpy.matrix is deprecated": "use 2-D arrays (me.asarray) and the @ operator",
    "datetime arithmetic is outside the FLOP model": (
        "use numpy's datetime functions directly on plain arrays"
    ),
    "build/introspection helper, no computation": "call numpy's function directly",
    "changes global NumPy state": (
        "call numpy's function directly; the buffer size changes no result and no cost"
    ),
}

# What "free" means for names that do more than re-export NumPy's object (operations.md).
NOTES: dict[str, str] = {
    "random.RandomState": "construction free; each sampling method charges what "
    "me.random.<method> charges",
    "random.Generator": "construction free; each sampling method charges what "
    "me.random.<method> charges",
    "emath": "each function charges what its plain counterpart charges",
    "typing": "numpy.typing re-exported",
    "testing": "NumPy's assertions, free, accepting mechestim arrays",
}

# Names whose ``np.X(me_array)`` answers in NumPy's own format, computed by NumPy on plain
# arrays (free): ``np.einsum_path`` gives ``['einsum_path', ...]`` and text, while
# ``me.einsum_path`` gives ``(path, PathInfo)``.
NUMPY_RESULT_FORMAT = frozenset({"einsum_path"})

# NumPy version that introduced a name (older NumPy: the name says which one it needs).
SINCE: dict[str, str] = {
    "cumulative_prod": "2.1",
    "cumulative_sum": "2.1",
    "unstack": "2.1",
    "matvec": "2.2",
    "vecmat": "2.2",
}


def names(table: dict) -> frozenset[str]:
    """Every name a table above lists."""
    return frozenset(name for listed in table.values() for name in listed.split())
