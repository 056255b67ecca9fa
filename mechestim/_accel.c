/* mechestim._accel: an optional compiled kernel for the large element-wise call.
 *
 * fused_new(op, a, b) computes r[i] = a[i] op b[i] for op 0..3 (+ - * /) over two
 * C-contiguous ndarrays of float64 ('d') or float32 ('f') of one shape into a new array
 * r and, in the same pass, notes whether any result is NaN or Inf. It returns r only
 * when every result is finite and the operations raised no floating-point exception
 * (divide by zero, overflow, invalid, underflow): then r holds exactly what NumPy's
 * ufunc would have written (each op is one IEEE 754 correctly rounded operation,
 * computed in the arrays' own precision) and NumPy would have had nothing to report.
 * Otherwise, and for any other operands, it returns None and the caller lets NumPy
 * compute the call as usual, so NumPy's error state, warnings and FloatingPointError
 * stay NumPy's.
 *
 * Built by setup.py as an optional extension, without -ffast-math and with
 * -ffp-contract=off; mechestim falls back to NumPy when it is missing. Only the CPython
 * C API and the buffer protocol are used (no NumPy headers at build time).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
/* x87-style excess precision would round differently from NumPy's loops. */
#error "mechestim._accel needs FLT_EVAL_METHOD == 0; mechestim falls back to NumPy"
#endif

#define CHECKED_EXCEPTIONS (FE_DIVBYZERO | FE_OVERFLOW | FE_INVALID | FE_UNDERFLOW)
/* Elements per block (a multiple of any vector): a NaN/Inf stops the loop at the end of
 * its block, and no lane sums more than BLOCK / LANES results. */
#define BLOCK 16384

/* GCC on x86-64 Linux compiles each loop also for AVX2 and AVX-512 and picks the one the
 * CPU runs at load time (wider vectors, the same IEEE operations: -ffp-contract=off keeps
 * FMA out, so every variant rounds as NumPy does). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
#define VARIANTS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VARIANTS
#endif

/* One loop per (type, op). The results are also summed, in a few independent running
 * sums: a sum is NaN or Inf if any result is (Inf and NaN are absorbing; Inf + -Inf is
 * NaN), so a finite sum proves the block finite. One vector addition per vector of
 * results, measured free in this memory-bound loop (an r - r or bit test per result
 * cost 8-20%). A sum can also overflow with every result finite (values near the
 * largest float): a false alarm, on which NumPy simply computes the call. GCC and clang
 * get explicit vectors (the sums are not reassociated, so the compiler would not
 * vectorize them itself); another compiler gets the same loop element by element. */
#if defined(__GNUC__) || defined(__clang__)
#define VECTOR_BYTES 32
#define DEFINE_LOOP(NAME, TYPE, EXPR)                                                   \
    VARIANTS static int NAME(const TYPE *restrict a, const TYPE *restrict b,            \
                             TYPE *restrict out, Py_ssize_t n)                          \
    {                                                                                   \
        typedef TYPE V                                                                  \
            __attribute__((vector_size(VECTOR_BYTES), aligned(sizeof(TYPE)), may_alias)); \
        enum { LANES = VECTOR_BYTES / sizeof(TYPE) };                                   \
        Py_ssize_t i = 0;                                                               \
        while (i < n) {                                                                 \
            Py_ssize_t stop = n - i > BLOCK ? i + BLOCK : n;                            \
            V sum0 = {0}, sum1 = {0};                                                   \
            TYPE sum = 0;                                                               \
            for (; i + 2 * LANES <= stop; i += 2 * LANES) {                             \
                V x = *(const V *)(a + i), y = *(const V *)(b + i);                     \
                V r0 = EXPR;                                                            \
                x = *(const V *)(a + i + LANES);                                        \
                y = *(const V *)(b + i + LANES);                                        \
                V r1 = EXPR;                                                            \
                *(V *)(out + i) = r0;                                                   \
                *(V *)(out + i + LANES) = r1;                                           \
                sum0 += r0;                                                             \
                sum1 += r1;                                                             \
            }                                                                           \
            for (; i < stop; i++) {                                                     \
                TYPE x = a[i], y = b[i];                                                \
                TYPE r = EXPR;                                                          \
                out[i] = r;                                                             \
                sum += r;                                                               \
            }                                                                           \
            sum0 += sum1;                                                               \
            for (int k = 0; k < LANES; k++) {                                           \
                sum += sum0[k];                                                         \
            }                                                                           \
            if (!isfinite(sum)) {                                                       \
                return 0;                                                               \
            }                                                                           \
        }                                                                               \
        return 1;                                                                       \
    }
#else
#define DEFINE_LOOP(NAME, TYPE, EXPR)                                                   \
    static int NAME(const TYPE *restrict a, const TYPE *restrict b, TYPE *restrict out, \
                    Py_ssize_t n)                                                       \
    {                                                                                   \
        Py_ssize_t i = 0;                                                               \
        while (i < n) {                                                                 \
            Py_ssize_t stop = n - i > BLOCK ? i + BLOCK : n;                            \
            TYPE sum = 0;                                                               \
            for (; i < stop; i++) {                                                     \
                TYPE x = a[i], y = b[i];                                                \
                TYPE r = EXPR;                                                          \
                out[i] = r;                                                             \
                sum += r;                                                               \
            }                                                                           \
            if (!isfinite(sum)) {                                                       \
                return 0;                                                               \
            }                                                                           \
        }                                                                               \
        return 1;                                                                       \
    }
#endif

DEFINE_LOOP(add_d, double, x + y)
DEFINE_LOOP(subtract_d, double, x - y)
DEFINE_LOOP(multiply_d, double, x * y)
DEFINE_LOOP(divide_d, double, x / y)
DEFINE_LOOP(add_f, float, x + y)
DEFINE_LOOP(subtract_f, float, x - y)
DEFINE_LOOP(multiply_f, float, x * y)
DEFINE_LOOP(divide_f, float, x / y)

typedef int (*loop_d)(const double *, const double *, double *, Py_ssize_t);
typedef int (*loop_f)(const float *, const float *, float *, Py_ssize_t);

static const loop_d LOOPS_D[4] = {add_d, subtract_d, multiply_d, divide_d};
static const loop_f LOOPS_F[4] = {add_f, subtract_f, multiply_f, divide_f};

/* Runs loop `op` over the buffers with the GIL released; 1 when every result is finite
 * and no floating-point exception was raised. The caller's exception flags are kept. */
static int
run_loop(int op, char code, const Py_buffer *a, const Py_buffer *b, Py_buffer *out)
{
    int ok;
    Py_ssize_t n = out->len / (code == 'd' ? (Py_ssize_t)sizeof(double) : (Py_ssize_t)sizeof(float));

    Py_BEGIN_ALLOW_THREADS
    fexcept_t saved;
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    if (code == 'd') {
        ok = LOOPS_D[op]((const double *)a->buf, (const double *)b->buf, (double *)out->buf, n);
    }
    else {
        ok = LOOPS_F[op]((const float *)a->buf, (const float *)b->buf, (float *)out->buf, n);
    }
    if (fetestexcept(CHECKED_EXCEPTIONS)) {
        ok = 0;
    }
    fesetexceptflag(&saved, FE_ALL_EXCEPT);
    Py_END_ALLOW_THREADS
    return ok;
}

/* What fused_new needs, set once by setup(): the two array types it reads (exactly:
 * NumPy's ndarray and mechestim's subclass; other subclasses and foreign buffers are left
 * to NumPy) and numpy.empty, which allocates the result (a plain C-contiguous array). */
static PyObject *array_type = NULL;
static PyObject *array_subtype = NULL;
static PyObject *allocate = NULL;
static PyObject *float64_dtype = NULL, *float32_dtype = NULL;
static PyObject *name_shape = NULL, *name_dtype = NULL; /* interned once: no hashing per call */

static PyObject *
setup(PyObject *module, PyObject *args)
{
    PyObject *base, *sub, *empty, *f8, *f4;
    if (!PyArg_ParseTuple(args, "(O!O!)O(OO):setup", &PyType_Type, &base, &PyType_Type, &sub,
                          &empty, &f8, &f4)) {
        return NULL;
    }
    if (name_shape == NULL && (name_shape = PyUnicode_InternFromString("shape")) == NULL) {
        return NULL;
    }
    if (name_dtype == NULL && (name_dtype = PyUnicode_InternFromString("dtype")) == NULL) {
        return NULL;
    }
    Py_INCREF(f8);
    Py_INCREF(f4);
    Py_XSETREF(float64_dtype, f8);
    Py_XSETREF(float32_dtype, f4);
    Py_INCREF(base);
    Py_INCREF(sub);
    Py_INCREF(empty);
    Py_XSETREF(array_type, base);
    Py_XSETREF(array_subtype, sub);
    Py_XSETREF(allocate, empty);
    Py_RETURN_NONE;
}

static int
served_type(PyObject *obj)
{
    PyObject *type = (PyObject *)Py_TYPE(obj);
    return type == array_type || type == array_subtype;
}

/* A C-contiguous read buffer of `obj`, or 0 with no error set when it has none. */
static int
contiguous_buffer(PyObject *obj, Py_buffer *view, int flags)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | flags) < 0) {
        PyErr_Clear(); /* not contiguous, read-only, ...: NumPy serves the call */
        return 0;
    }
    return 1;
}

static int
same_shape(const Py_buffer *a, const Py_buffer *b)
{
    if (a->ndim != b->ndim) {
        return 0;
    }
    for (int k = 0; k < a->ndim; k++) {
        if (a->shape[k] != b->shape[k]) {
            return 0;
        }
    }
    return 1;
}

/* fused_new(op, a, b): a fresh array holding a op b, computed and checked in one pass,
 * or None when the call is not one the kernel serves (operands that are not plain
 * C-contiguous float64/float32 ndarrays of one shape and dtype) or when the result has
 * a NaN/Inf or raised a floating-point exception; then NumPy computes the call. */
static PyObject *
fused_new(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "fused_new expects 3 arguments (op, a, b), got %zd",
                     nargs);
        return NULL;
    }
    if (allocate == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "fused_new: setup() was not called");
        return NULL;
    }
    long op = PyLong_AsLong(args[0]);
    if (op == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (op < 0 || op > 3) {
        PyErr_Format(PyExc_ValueError, "fused_new: op must be 0..3 (+ - * /), got %ld", op);
        return NULL;
    }
    PyObject *a_obj = args[1], *b_obj = args[2];
    if (!served_type(a_obj) || !served_type(b_obj)) {
        Py_RETURN_NONE;
    }
    /* One dtype object for both (the result is allocated with it, as NumPy does), equal
     * to native float64 or float32: NumPy's own objects, found by identity, or an equal
     * copy (an unpickled array with itself; two arrays unpickled apart hold two objects
     * and are left to NumPy). A byte-swapped dtype is not equal. */
    PyObject *dtype = PyObject_GetAttr(a_obj, name_dtype);
    if (dtype == NULL) {
        return NULL;
    }
    PyObject *b_dtype = PyObject_GetAttr(b_obj, name_dtype);
    if (b_dtype == NULL) {
        Py_DECREF(dtype);
        return NULL;
    }
    int same_dtype = b_dtype == dtype;
    Py_DECREF(b_dtype);
    char code = 0;
    if (same_dtype) {
        code = dtype == float64_dtype ? 'd' : dtype == float32_dtype ? 'f' : 0;
        if (!code) {
            int equal = PyObject_RichCompareBool(dtype, float64_dtype, Py_EQ);
            if (equal == 0) {
                equal = PyObject_RichCompareBool(dtype, float32_dtype, Py_EQ);
                code = equal > 0 ? 'f' : 0;
            }
            else if (equal > 0) {
                code = 'd';
            }
            if (equal < 0) {
                Py_DECREF(dtype);
                return NULL;
            }
        }
    }
    if (!code) {
        Py_DECREF(dtype);
        Py_RETURN_NONE;
    }
    Py_ssize_t size = code == 'd' ? (Py_ssize_t)sizeof(double) : (Py_ssize_t)sizeof(float);
    /* Without PyBUF_FORMAT: the dtype is known, and NumPy would build a format string
     * for every array it has not exported before. */
    Py_buffer a, b, out;
    if (!contiguous_buffer(a_obj, &a, 0)) {
        Py_DECREF(dtype);
        Py_RETURN_NONE;
    }
    if (!contiguous_buffer(b_obj, &b, 0)) {
        PyBuffer_Release(&a);
        Py_DECREF(dtype);
        Py_RETURN_NONE;
    }
    if (!same_shape(&a, &b) || a.len != b.len || a.itemsize != size || b.itemsize != size ||
        ((uintptr_t)a.buf | (uintptr_t)b.buf) % (uintptr_t)size != 0) {
        PyBuffer_Release(&a);
        PyBuffer_Release(&b);
        Py_DECREF(dtype);
        Py_RETURN_NONE;
    }
    PyObject *result = NULL;
    PyObject *shape = PyObject_GetAttr(a_obj, name_shape);
    if (shape != NULL) {
        PyObject *allocate_args[2] = {shape, dtype};
        result = PyObject_Vectorcall(allocate, allocate_args, 2, NULL);
        Py_DECREF(shape);
    }
    Py_DECREF(dtype);
    if (result == NULL) {
        PyBuffer_Release(&a);
        PyBuffer_Release(&b);
        return NULL;
    }
    /* numpy.empty(shape, dtype) is C-contiguous and aligned; checked all the same. */
    int ok = contiguous_buffer(result, &out, PyBUF_WRITABLE);
    if (ok) {
        if (out.len == a.len && out.itemsize == size &&
            (uintptr_t)out.buf % (uintptr_t)size == 0) {
            ok = run_loop((int)op, code, &a, &b, &out);
        }
        else {
            ok = 0;
        }
        PyBuffer_Release(&out);
    }
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    if (!ok) {
        Py_DECREF(result);
        Py_RETURN_NONE;
    }
    return result;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS,
     "setup((ndarray, subclass), empty, (float64, float32))\n\n"
     "Give fused_new the two array types it reads, numpy.empty, which allocates results,\n"
     "and NumPy's native float64 and float32 dtype objects."},
    {"fused_new", (PyCFunction)(void (*)(void))fused_new, METH_FASTCALL,
     "fused_new(op, a, b) -> ndarray or None\n\n"
     "A new array a op b (op 0..3: + - * /) for two C-contiguous float64 or float32 arrays\n"
     "of the types given to setup, of one shape and dtype, computed and checked in one pass; None when the operands are\n"
     "anything else, or when a result is NaN or Inf or an operation raised a floating-point\n"
     "exception (then NumPy should compute the call)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "mechestim._accel",
    "Optional compiled kernel for mechestim's large element-wise calls (see fused_new).",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit__accel(void)
{
    return PyModule_Create(&module_def);
}
