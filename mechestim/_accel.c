/* mechestim._accel: an optional compiled kernel for the large element-wise call.
 *
 * fused(op, a, b, out) computes out[i] = a[i] op b[i] for op 0..3 (+ - * /) over three
 * C-contiguous buffers of float64 ('d') or float32 ('f') and, in the same pass, notes
 * whether any result is NaN or Inf. It returns True only when every result is finite
 * and the operations raised no floating-point exception (divide by zero, overflow,
 * invalid, underflow): then `out` holds exactly what NumPy's ufunc would have written
 * (each op is one IEEE 754 correctly rounded operation, computed in the buffers' own
 * precision) and NumPy would have had nothing to report. Otherwise it returns False and
 * the caller discards `out` and lets NumPy compute the call as usual, so NumPy's error
 * state, warnings and FloatingPointError stay NumPy's.
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

static int
same_format(const Py_buffer *view, char code)
{
    const char *format = view->format;
    if (format == NULL) {
        return 0;
    }
    if (format[0] == '@' || format[0] == '=') {
        format++; /* native byte order (NumPy writes plain "d"; a swapped array is ">d") */
    }
    return format[0] == code && format[1] == '\0';
}

static PyObject *
fused(PyObject *module, PyObject *args)
{
    int op;
    PyObject *a_obj, *b_obj, *out_obj;
    Py_buffer a, b, out;
    int ok = 0;

    if (!PyArg_ParseTuple(args, "iOOO:fused", &op, &a_obj, &b_obj, &out_obj)) {
        return NULL;
    }
    if (op < 0 || op > 3) {
        PyErr_Format(PyExc_ValueError, "fused: op must be 0..3 (+ - * /), got %d", op);
        return NULL;
    }
    if (PyObject_GetBuffer(a_obj, &a, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(b_obj, &b, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyBuffer_Release(&a);
        return NULL;
    }
    if (PyObject_GetBuffer(out_obj, &out, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) <
        0) {
        PyBuffer_Release(&a);
        PyBuffer_Release(&b);
        return NULL;
    }
    char code = same_format(&out, 'd') ? 'd' : same_format(&out, 'f') ? 'f' : 0;
    Py_ssize_t size = code == 'd' ? (Py_ssize_t)sizeof(double) : (Py_ssize_t)sizeof(float);
    if (((uintptr_t)a.buf | (uintptr_t)b.buf | (uintptr_t)out.buf) % (uintptr_t)size != 0) {
        /* unaligned data (NumPy allows it): not served here, NumPy computes the call */
        PyBuffer_Release(&a);
        PyBuffer_Release(&b);
        PyBuffer_Release(&out);
        Py_RETURN_FALSE;
    }
    if (!code || !same_format(&a, code) || !same_format(&b, code) || a.len != out.len ||
        b.len != out.len || out.len % size != 0) {
        PyBuffer_Release(&a);
        PyBuffer_Release(&b);
        PyBuffer_Release(&out);
        PyErr_SetString(PyExc_ValueError,
                        "fused: a, b and out must be aligned C-contiguous buffers of the same "
                        "length and the same type, float64 or float32");
        return NULL;
    }
    Py_ssize_t n = out.len / size;

    Py_BEGIN_ALLOW_THREADS
    fexcept_t saved;
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    if (code == 'd') {
        ok = LOOPS_D[op]((const double *)a.buf, (const double *)b.buf, (double *)out.buf, n);
    }
    else {
        ok = LOOPS_F[op]((const float *)a.buf, (const float *)b.buf, (float *)out.buf, n);
    }
    if (fetestexcept(CHECKED_EXCEPTIONS)) {
        ok = 0;
    }
    fesetexceptflag(&saved, FE_ALL_EXCEPT);
    Py_END_ALLOW_THREADS

    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    PyBuffer_Release(&out);
    return PyBool_FromLong(ok);
}

static PyMethodDef methods[] = {
    {"fused", fused, METH_VARARGS,
     "fused(op, a, b, out) -> bool\n\n"
     "out = a op b element-wise (op 0..3: + - * /) over C-contiguous float64 or float32\n"
     "buffers of one length and type (out must not overlap a or b). True when every result\n"
     "is finite and no floating-point exception was raised; otherwise (or for unaligned\n"
     "data) False, and out must be discarded."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "mechestim._accel",
    "Optional compiled kernel for mechestim's large element-wise calls (see fused).",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit__accel(void)
{
    return PyModule_Create(&module_def);
}
