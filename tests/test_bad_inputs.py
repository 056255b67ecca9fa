"""A catalogue of bad inputs across the library and the pytest plugin (quality.md, Reliability).

Every row names one bad input, the exception it must raise and the words its message
must contain so a user can see the culprit (the bad value, name, shape, operand,
label, option or file). Library rows run inside a budget and also check that nothing
was charged or recorded and that the global random state did not move. Rows marked
``xfail(strict=True)`` are known bugs: the reason says what leaks; fixing the bug
turns the row into an XPASS, which fails the suite until the mark is removed.
"""

from __future__ import annotations

import decimal
import fractions
import json
import os
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest

import mechestim as me
from pytest_mechestim import __main__ as cli

pytest_plugins = ["pytester"]

A34 = np.arange(12.0).reshape(3, 4)
EYE3 = np.eye(3)
NONSYM = np.arange(9.0).reshape(3, 3)
STR = np.array(["a", "b"])
BYTES = np.array([b"a", b"b"])
OBJ = np.array([1.0, None], dtype=object)
DATES = np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]")
DELTAS = np.array([1, 2], dtype="timedelta64[s]")
VOID = np.zeros(2, dtype=[("x", "f8")])

# Exceptions that only ever come from deep inside when a refusal was not anticipated.
INTERNAL = (AttributeError, KeyError, NameError, UnboundLocalError, ZeroDivisionError, AssertionError)


def bad(case_id: str, call: Callable[[], object], exc, *needles, bug: str | None = None):
    """One catalogue row; ``bug`` marks a known defect (strict xfail, the reason says what leaks)."""
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    return pytest.param(call, exc, needles, id=case_id, marks=marks)


def _exit_unentered() -> None:
    me.BudgetContext(10).__exit__(None, None, None)


def _ufunc_at_out_of_range() -> None:
    np.add.at(me.ones(3), [5], 1.0)


LIBRARY = [
    # -- budgets: BudgetContext values, flop_multiplier, namespace, op_log_limit ---------------
    bad("budget-list", lambda: me.BudgetContext([10]), TypeError, "flop_budget", "[10]"),
    bad("budget-complex", lambda: me.BudgetContext(1j), TypeError, "flop_budget", "1j"),
    bad("budget-half", lambda: me.BudgetContext(0.5), ValueError, "flop_budget", "0.5"),
    bad("budget-neg-inf", lambda: me.BudgetContext(float("-inf")), ValueError, "flop_budget", "-inf"),
    bad("budget-overflowing-float", lambda: me.BudgetContext(1e400), ValueError, "flop_budget", "inf"),
    bad("budget-numpy-nan", lambda: me.BudgetContext(np.float64("nan")), ValueError, "flop_budget", "nan"),
    bad("budget-numpy-bool", lambda: me.BudgetContext(np.bool_(True)), TypeError, "flop_budget", "True"),
    bad("budget-fraction-below-one", lambda: me.BudgetContext(fractions.Fraction(1, 3)), ValueError, "flop_budget", "Fraction(1, 3)"),
    bad("budget-decimal-nan", lambda: me.BudgetContext(decimal.Decimal("NaN")), TypeError, "flop_budget", "Decimal('NaN')"),
    bad("budget-str-via-alias", lambda: me.budget("lots"), TypeError, "flop_budget", "'lots'"),
    bad("multiplier-inf", lambda: me.BudgetContext(10, flop_multiplier=float("inf")), ValueError, "flop_multiplier", "inf"),
    bad("multiplier-negative", lambda: me.BudgetContext(10, flop_multiplier=-1), ValueError, "flop_multiplier", "-1"),
    bad("multiplier-str", lambda: me.BudgetContext(10, flop_multiplier="2"), TypeError, "flop_multiplier", "'2'"),
    bad("multiplier-none", lambda: me.BudgetContext(10, flop_multiplier=None), TypeError, "flop_multiplier", "None"),
    bad("multiplier-numpy-nan", lambda: me.BudgetContext(10, flop_multiplier=np.float32("nan")), ValueError, "flop_multiplier", "nan"),
    bad("multiplier-complex", lambda: me.BudgetContext(10, flop_multiplier=2j), TypeError, "flop_multiplier", "2j"),
    bad("namespace-empty", lambda: me.BudgetContext(10, namespace=""), TypeError, "namespace", "''"),
    bad("namespace-bytes", lambda: me.BudgetContext(10, namespace=b"fwd"), TypeError, "namespace", "b'fwd'"),
    bad("namespace-list", lambda: me.BudgetContext(10, namespace=["fwd"]), TypeError, "namespace", "['fwd']"),
    bad("op-log-limit-negative", lambda: me.BudgetContext(10, op_log_limit=-1), ValueError, "op_log_limit", "-1"),
    bad("op-log-limit-str", lambda: me.BudgetContext(10, op_log_limit="5"), (TypeError, ValueError), "op_log_limit", "'5'"),
    bad("op-log-limit-float", lambda: me.BudgetContext(10, op_log_limit=2.5), (TypeError, ValueError), "op_log_limit", "2.5"),
    bad("op-log-limit-bool", lambda: me.BudgetContext(10, op_log_limit=True), (TypeError, ValueError), "op_log_limit", "True"),
    bad("exit-without-enter", _exit_unentered, RuntimeError, "BudgetContext", "out of order"),
    # -- einsum: subscripts, operand counts, label sizes, optimizers, paths ------------------
    bad("einsum-bad-label", lambda: me.einsum("ij,j$->i", A34, np.ones(4)), ValueError, "'$'", "operand 1"),
    bad("einsum-non-ascii-label", lambda: me.einsum("iä->i", A34), ValueError, "'ä'", "operand 0"),
    bad("einsum-too-many-operands", lambda: me.einsum("ij->i", A34, A34), ValueError, "'ij->i'", "1 operand", "2 were given"),
    bad("einsum-too-few-operands", lambda: me.einsum("ij,jk->ik", A34), ValueError, "2 operand", "1 were given"),
    bad("einsum-no-operands", lambda: me.einsum("ij->i"), ValueError, "'ij->i'", "0 were given"),
    bad("einsum-label-size", lambda: me.einsum("ij,jk->ik", A34, np.ones((5, 2))), ValueError, "label 'j'", "size 4 in operand 0", "5 in operand 1"),
    bad("einsum-rank", lambda: me.einsum("ijk->i", A34), ValueError, "operand 0", "'ijk'", "2 dimension"),
    bad("einsum-output-label-unknown", lambda: me.einsum("ij->ik", A34), ValueError, "output label 'k'"),
    bad("einsum-output-label-twice", lambda: me.einsum("ij->ii", A34), ValueError, "output label 'i'", "more than once"),
    bad("einsum-two-arrows", lambda: me.einsum("ij->i->j", A34), ValueError, "'ij->i->j'", "'->'"),
    bad("einsum-bad-ellipsis", lambda: me.einsum("i.j", A34), ValueError, "'i.j'", "ellipsis"),
    bad("einsum-subscripts-int", lambda: me.einsum(5, A34), TypeError, "subscripts", "5"),
    bad("einsum-unknown-optimizer", lambda: me.einsum("ij,jk->ik", A34, np.ones((4, 2)), optimize="bogus"), ValueError, "optimizer", "'bogus'"),
    bad("einsum-path-unknown-optimizer", lambda: me.einsum_path("ij,jk->ik", A34, np.ones((4, 2)), optimize="nope"), ValueError, "optimizer", "'nope'"),
    bad("einsum-optimize-float", lambda: me.einsum("ij,jk->ik", A34, np.ones((4, 2)), optimize=3.5), ValueError, "optimize=3.5"),
    bad("einsum-path-position-out-of-range", lambda: me.einsum("ij,jk->ik", A34, np.ones((4, 2)), optimize=[(0, 5)]), ValueError, "(0, 5)", "position 5"),
    bad("einsum-path-repeats-position", lambda: me.einsum("ij,jk->ik", A34, np.ones((4, 2)), optimize=[(0, 0)]), ValueError, "(0, 0)", "repeats"),
    bad("einsum-path-entry-not-positions", lambda: me.einsum("ij,jk->ik", A34, np.ones((4, 2)), optimize=[("a", "b")]), ValueError, "('a', 'b')"),
    bad("einsum-path-incomplete", lambda: me.einsum("ij,jk,kl->il", A34, np.ones((4, 2)), np.ones((2, 2)), optimize=[(0, 1)]), ValueError, "[(0, 1)]", "2 operands"),
    bad("einsum-symmetric-axes-out-of-range", lambda: me.einsum("ij->ij", EYE3, symmetric_axes=(0, 5)), ValueError, "axis 5"),
    bad("einsum-symmetric-axes-not-symmetric", lambda: me.einsum("ij->ij", NONSYM, symmetric_axes=(0, 1)), me.SymmetryError, "(0, 1)", "max deviation"),
    bad("einsum-cost-label-size", lambda: me.flops.einsum_cost("ij,jk->ik", [(3, 4), (5, 6)]), ValueError, "label 'j'", "operand 1"),
    bad("einsum-cost-negative-dim", lambda: me.flops.einsum_cost("ij->i", [(3, -4)]), ValueError, "(3, -4)", "-4"),
    bad("einsum-cost-symmetry-count", lambda: me.flops.einsum_cost("ij->i", [(3, 3)], operand_symmetries=[None, None]), ValueError, "operand_symmetries", "2 entries"),
    bad(
        "einsum-ellipsis-broadcast-mismatch",
        lambda: me.einsum("...i,...i", np.ones((2, 3)), np.ones((4, 3))),
        ValueError,
        ("'...'", "ellipsis"),
    ),
    bad(
        "einsum-interleaved-unknown-output",
        lambda: me.einsum(A34, [0, 1], [5]),
        ValueError,
        "5",
    ),
    bad(
        "einsum-out-shape",
        lambda: me.einsum("ij,jk->ik", A34, A34.T, out=np.ones(2)),
        ValueError,
        "out",
        "(2,)",
    ),
    # -- shapes: broadcasting, contractions, square-only linalg, svd k, axes ------------------
    bad("add-broadcast", lambda: me.add(np.ones(3), np.ones(4)), ValueError, "(3,)", "(4,)"),
    bad("operator-broadcast", lambda: me.ones((2, 3)) * me.ones((3, 2)), ValueError, "(2, 3)", "(3, 2)"),
    bad("matmul-core-dims", lambda: me.matmul(A34, A34), ValueError, "matmul", "(3, 4)"),
    bad("matmul-operator-core-dims", lambda: me.ones((2, 3)) @ me.ones((2, 3)), ValueError, "matmul", "(2, 3)"),
    bad("matmul-scalar", lambda: me.matmul(2.0, A34), ValueError, "matmul", "operand 0", "scalar"),
    bad("dot-not-aligned", lambda: me.dot(A34, A34), ValueError, "dot", "(3, 4)"),
    bad("vdot-sizes", lambda: me.vdot(np.ones(3), np.ones(4)), ValueError, "vdot", "(3,)", "(4,)"),
    bad("inner-last-dim", lambda: me.inner(np.ones(3), np.ones(4)), ValueError, "inner", "(3,)", "(4,)"),
    bad("tensordot-shape", lambda: me.tensordot(A34, A34, axes=1), ValueError, "tensordot", "(3, 4)"),
    bad("tensordot-axis-out-of-range", lambda: me.tensordot(A34, A34.T, axes=([5], [0])), ValueError, "tensordot", "axis 5"),
    bad("tensordot-axes-word", lambda: me.tensordot(A34, A34, axes="x"), ValueError, "tensordot", "'x'"),
    bad("cross-length-4", lambda: me.cross(np.ones(4), np.ones(4)), ValueError, "cross", "(4,)"),
    bad("kron-object", lambda: me.kron(np.array([1], dtype=object), np.ones(2)), TypeError, "kron", "object"),
    bad("multi-dot-chain", lambda: me.linalg.multi_dot([A34, A34, A34]), ValueError, "multi_dot", "(3, 4)"),
    bad("multi-dot-one-array", lambda: me.linalg.multi_dot([A34]), ValueError, "multi_dot", "got 1"),
    bad("inv-non-square", lambda: me.linalg.inv(A34), np.linalg.LinAlgError, "linalg.inv", "(3, 4)"),
    bad("det-non-square", lambda: me.linalg.det(A34), np.linalg.LinAlgError, "linalg.det", "(3, 4)"),
    bad("cholesky-non-square", lambda: me.linalg.cholesky(A34), np.linalg.LinAlgError, "linalg.cholesky", "(3, 4)"),
    bad("eigh-non-square", lambda: me.linalg.eigh(A34), np.linalg.LinAlgError, "linalg.eigh", "(3, 4)"),
    bad("matrix-power-non-square", lambda: me.linalg.matrix_power(A34, 2), np.linalg.LinAlgError, "linalg.matrix_power", "(3, 4)"),
    bad("inv-vector", lambda: me.linalg.inv(np.ones(3)), np.linalg.LinAlgError, "linalg.inv", "(3,)"),
    bad("solve-rows", lambda: me.linalg.solve(EYE3, np.ones(4)), np.linalg.LinAlgError, "linalg.solve", "(3, 3)", "(4,)"),
    bad("lstsq-rows", lambda: me.linalg.lstsq(A34, np.ones(4)), np.linalg.LinAlgError, "linalg.lstsq", "(3, 4)", "(4,)"),
    bad("tensorinv-not-square", lambda: me.linalg.tensorinv(np.ones((2, 3)), ind=1), np.linalg.LinAlgError, "tensorinv", "(2, 3)"),
    bad("svd-k-zero", lambda: me.linalg.svd(A34, k=0), ValueError, "k=0", "(3, 4)"),
    bad("svd-k-too-big", lambda: me.linalg.svd(A34, k=4), ValueError, "k=4", "3"),
    bad("svd-k-str", lambda: me.linalg.svd(A34, k="2"), TypeError, "k", "'2'"),
    bad("svd-k-float", lambda: me.linalg.svd(A34, k=2.0), TypeError, "k", "2.0"),
    bad("svd-vector", lambda: me.linalg.svd(np.ones(3)), np.linalg.LinAlgError, "linalg.svd", "(3,)"),
    bad("flops-svd-k", lambda: me.flops.svd_cost(3, 4, k=5), ValueError, "k=5"),
    bad("matrix-power-float-exponent", lambda: me.linalg.matrix_power(EYE3, 1.5), TypeError, "exponent", "1.5"),
    bad("norm-ord", lambda: me.linalg.norm(A34, ord="bogus"), ValueError, "norm", "'bogus'"),
    bad("vector-norm-ord", lambda: me.linalg.vector_norm(A34, ord="fro"), ValueError, "vector_norm", "'fro'"),
    bad("cond-p", lambda: me.linalg.cond(EYE3, p="x"), ValueError, "cond", "'x'"),
    bad("eigvalsh-uplo", lambda: me.linalg.eigvalsh(EYE3, UPLO="X"), ValueError, "UPLO", "'X'"),
    bad("sum-axis", lambda: me.sum(A34, axis=2), np.exceptions.AxisError, "axis 2"),
    bad("method-sum-axis", lambda: me.ones(3).sum(axis=3), np.exceptions.AxisError, "axis 3"),
    bad("mean-axis", lambda: me.mean(A34, axis=5), ValueError, "axis 5"),
    bad("cumsum-axis", lambda: me.cumsum(A34, axis=3), np.exceptions.AxisError, "axis 3"),
    bad("sort-axis", lambda: me.sort(A34, axis=2), np.exceptions.AxisError, "sort", "axis=2"),
    bad("argsort-axis", lambda: me.argsort(A34, axis=-3), np.exceptions.AxisError, "argsort", "axis=-3"),
    bad("unique-axis", lambda: me.unique(A34, axis=4), np.exceptions.AxisError, "unique", "axis=4"),
    bad("diff-axis", lambda: me.diff(A34, axis=5), np.exceptions.AxisError, "diff", "axis=5"),
    bad("fft-axis", lambda: me.fft.fft(A34, axis=2), np.exceptions.AxisError, "fft.fft", "axis 2"),
    bad("fft2-axes", lambda: me.fft.fft2(A34, axes=(0, 5)), np.exceptions.AxisError, "fft.fft2", "axis 5"),
    bad("norm-axis", lambda: me.linalg.norm(A34, axis=4), ValueError, "norm", "axis 4"),
    bad("trace-same-axes", lambda: me.trace(A34, axis1=0, axis2=0), ValueError, "trace", "axis1", "axis2"),
    bad("vecdot-axis", lambda: me.vecdot(A34, A34, axis=5), np.exceptions.AxisError, "axis 5"),
    bad("partition-kth", lambda: me.partition(np.ones(4), 10), ValueError, "partition", "kth=10"),
    bad("fft-n-zero", lambda: me.fft.fft(A34, n=0), ValueError, "fft.fft", "n=0"),
    bad("irfft-n-negative", lambda: me.fft.irfft(np.ones(4), n=-2), ValueError, "fft.irfft", "n=-2"),
    bad("fft-norm", lambda: me.fft.fft(np.ones(4), norm="bogus"), ValueError, "fft.fft", "'bogus'"),
    bad("rfftn-s-vs-axes", lambda: me.fft.rfftn(A34, s=(2, 2, 2), axes=(0, 1)), ValueError, "fft.rfftn", "s", "axes"),
    bad(
        "mean-axis-word",
        lambda: me.mean(A34, axis="x"),
        (TypeError, ValueError),
        "axis",
        "'x'",
    ),
    bad(
        "mean-axis-float",
        lambda: me.mean(A34, axis=1.5),
        TypeError,
        "axis",
        "1.5",
    ),
    bad(
        "flops-reduction-axis",
        lambda: me.flops.reduction_cost((3, 4), axis=2),
        ValueError,
        "axis 2",
    ),
    bad(
        "ufunc-reduce-axis",
        lambda: np.add.reduce(me.ones((3, 3)), axis=4),
        np.exceptions.AxisError,
        "axis 4",
    ),
    bad(
        "ufunc-at-index",
        _ufunc_at_out_of_range,
        IndexError,
        "index 5",
    ),
    bad(
        "isclose-rtol-word",
        lambda: me.isclose(np.ones(3), np.ones(3), rtol="x"),
        (TypeError, ValueError),
        "rtol",
    ),
    # -- dtypes: str / object / bytes / datetime / timedelta / void into counted ops -----------
    bad("exp-str", lambda: me.exp(STR), TypeError, "exp", "str"),
    bad("exp-object", lambda: me.exp(OBJ), TypeError, "exp", "object"),
    bad("exp-void", lambda: me.exp(VOID), TypeError, "exp", "void"),
    bad("add-bytes", lambda: me.add(BYTES, 1), TypeError, "add", "bytes"),
    bad("operator-str", lambda: me.ones(2) + STR, TypeError, "add", "str"),
    bad("sum-datetime", lambda: me.sum(DATES), TypeError, "sum", "datetime64"),
    bad("mean-timedelta", lambda: me.mean(DELTAS), TypeError, "mean", "timedelta64"),
    bad("sort-str", lambda: me.sort(STR), TypeError, "sort", "str"),
    bad("dot-object", lambda: me.dot(OBJ, OBJ), TypeError, "dot", "object"),
    bad("matmul-none", lambda: me.matmul(None, np.ones(2)), TypeError, "matmul", "object"),
    bad("einsum-object", lambda: me.einsum("i,i->", OBJ, OBJ), TypeError, "einsum", "object"),
    bad("einsum-str-list", lambda: me.einsum("ij->i", [[1, "a"]]), TypeError, "einsum", "str"),
    bad("fft-str", lambda: me.fft.fft(STR), TypeError, "fft.fft", "str"),
    bad("inv-object", lambda: me.linalg.inv(np.eye(2, dtype=object)), TypeError, "linalg.inv", "object"),
    bad("norm-str", lambda: me.linalg.norm(STR), TypeError, "linalg.norm", "str"),
    bad("unique-str", lambda: me.unique(STR), TypeError, "unique", "str"),
    bad("isin-str", lambda: me.isin(STR, STR), TypeError, "isin", "str"),
    bad("cov-datetime", lambda: me.cov(DATES), TypeError, "cov", "datetime64"),
    bad("clip-str", lambda: me.clip(STR, 0, 1), TypeError, "clip", "str"),
    bad("searchsorted-str", lambda: me.searchsorted(STR, "a"), TypeError, "searchsorted", "str"),
    bad("histogram-str", lambda: me.histogram(STR), TypeError, "histogram", "str"),
    bad("convolve-bytes", lambda: me.convolve(BYTES, [1.0]), TypeError, "convolve", "bytes"),
    bad("polyval-none", lambda: me.polyval(None, 1.0), TypeError, "polyval", "object"),
    bad("sampler-str-parameter", lambda: me.random.normal("x", 1.0, 3), TypeError, "random.normal", "str"),
    bad("ufunc-outer-str", lambda: np.multiply.outer(me.ones(3), STR), TypeError, "outer", "str"),
    # -- names: blocked and unknown on me, me.linalg, me.fft, me.random, me.flops ---------------
    bad("blocked-setbufsize", lambda: me.setbufsize, me.UnsupportedFunctionError, "setbufsize", "not supported", "global NumPy state", "instead"),
    bad("blocked-memmap", lambda: me.memmap, me.UnsupportedFunctionError, "memmap", "not supported", "me.load"),
    bad("blocked-ma", lambda: me.ma, me.UnsupportedFunctionError, "ma", "not supported", "where="),
    bad("blocked-asmatrix", lambda: me.asmatrix, AttributeError, "asmatrix", "not supported", "deprecated"),
    bad("blocked-array2string", lambda: me.array2string, AttributeError, "array2string", "not supported"),
    bad("blocked-busday-count", lambda: me.busday_count, AttributeError, "busday_count", "not supported", "datetime"),
    bad("unknown-top-level", lambda: me.foobar, AttributeError, "does not provide", "foobar"),
    bad("blocked-matrix", lambda: me.matrix, me.UnsupportedFunctionError, "matrix", "not supported", "2-D arrays"),
    bad("unknown-linalg", lambda: me.linalg.eigvecs, AttributeError, "does not provide", "linalg.eigvecs"),
    bad("unknown-fft", lambda: me.fft.fftfreqq, AttributeError, "does not provide", "fft.fftfreqq"),
    bad("unknown-random", lambda: me.random.RandomStat, AttributeError, "does not provide", "random.RandomStat"),
    bad("blocked-random-mtrand", lambda: me.random.mtrand, me.UnsupportedFunctionError, "random.mtrand", "not supported"),
    bad("unknown-random-state-method", lambda: me.random.RandomState(0).foobar, AttributeError, "RandomState", "'foobar'"),
    bad("unknown-generator-method", lambda: me.random.default_rng(0).foobar, AttributeError, "Generator", "'foobar'"),
    bad("unknown-flops", lambda: me.flops.foobar_cost, AttributeError, "foobar_cost"),
    # -- symmetry: as_symmetric data, groups, axis lengths, SymmetryInfo ------------------------
    bad("as-symmetric-data", lambda: me.as_symmetric(NONSYM, (0, 1)), me.SymmetryError, "(0, 1)", "max deviation 4", "symmetrize"),
    bad("as-symmetric-unequal-lengths", lambda: me.as_symmetric(A34, (0, 1)), me.SymmetryError, "(3, 4)", "inf"),
    bad("as-symmetric-axis-out-of-range", lambda: me.as_symmetric(EYE3, (0, 2)), ValueError, "axis 2", "2 dimensions"),
    bad("as-symmetric-single-axis", lambda: me.as_symmetric(EYE3, (0,)), ValueError, "(0,)", "two distinct axes"),
    bad("as-symmetric-repeated-axis", lambda: me.as_symmetric(EYE3, (0, 0)), ValueError, "(0, 0)"),
    bad("as-symmetric-overlapping-groups", lambda: me.as_symmetric(np.ones((2, 2, 2)), [(0, 1), (1, 2)]), ValueError, "[(0, 1), (1, 2)]", "overlap"),
    bad("as-symmetric-int-axes", lambda: me.as_symmetric(EYE3, 0), TypeError, "symmetric_axes", "0"),
    bad("as-symmetric-float-axis", lambda: me.as_symmetric(EYE3, (0, 1.0)), TypeError, "int axes"),
    bad("as-symmetric-none", lambda: me.as_symmetric(EYE3, None), ValueError, "None"),
    bad("as-symmetric-empty", lambda: me.as_symmetric(EYE3, []), ValueError, "[]"),
    bad("as-symmetric-scalar", lambda: me.as_symmetric(np.float64(1.0), (0, 1)), ValueError, "axis 0", "0 dimensions"),
    bad("as-symmetric-str-data", lambda: me.as_symmetric(np.array([["a", "b"], ["b", "a"]]), (0, 1)), TypeError, "as_symmetric", "<U1"),
    bad("symmetrize-unequal-lengths", lambda: me.symmetrize(A34, (0, 1)), ValueError, "(3, 4)", "unequal"),
    bad("symmetrize-axis-out-of-range", lambda: me.symmetrize(EYE3, (0, 3)), ValueError, "axis 3"),
    bad("is-symmetric-axis-out-of-range", lambda: me.is_symmetric(EYE3, (0, 9)), ValueError, "axis 9"),
    bad("symmetry-info-unequal-lengths", lambda: me.SymmetryInfo((0, 1), (3, 4)), ValueError, "(3, 4)", "unequal"),
    bad("symmetry-info-axis-out-of-range", lambda: me.SymmetryInfo((0, 3), (3, 3)), ValueError, "axis 3"),
    bad(
        "symmetry-info-negative-shape",
        lambda: me.SymmetryInfo((0, 1), (-3, -3)).unique_elements,
        ValueError,
        "-3",
    ),
    bad(
        "symmetry-info-shape-word",
        lambda: me.SymmetryInfo((0, 1), "ab"),
        (TypeError, ValueError),
        "shape",
    ),
    # -- me.configure --------------------------------------------------------------------------
    bad("configure-unknown-key", lambda: me.configure(symmetry_warning=False), ValueError, "'symmetry_warning'", "symmetry_warnings"),
    bad("configure-str-value", lambda: me.configure(symmetry_warnings="yes"), TypeError, "symmetry_warnings", "'yes'"),
    bad("configure-int-value", lambda: me.configure(nonfinite_warnings=1), TypeError, "nonfinite_warnings", "1"),
    bad("configure-none-value", lambda: me.configure(nonfinite_warnings=None), TypeError, "nonfinite_warnings", "None"),
    # -- random samplers ------------------------------------------------------------------------
    bad("sampler-size-negative", lambda: me.random.normal(0, 1, -3), ValueError, "random.normal", "-3"),
    bad("sampler-size-float", lambda: me.random.normal(0, 1, 2.5), TypeError, "random.normal", "2.5"),
    bad("sampler-size-dict", lambda: me.random.normal(0, 1, {"a": 1}), TypeError, "random.normal", "size"),
    bad("sampler-scale-negative", lambda: me.random.normal(0, -1, 3), ValueError, "scale"),
    bad("sampler-p-above-one", lambda: me.random.binomial(10, 1.5, 3), ValueError, "p > 1"),
    bad("sampler-parameters-broadcast", lambda: me.random.normal(np.zeros(3), np.ones(4)), ValueError, "random.normal", "(3,)", "(4,)"),
    bad("sampler-size-vs-parameters", lambda: me.random.normal(np.zeros(3), 1, size=4), ValueError, "random.normal", "(4,)", "(3,)"),
    bad("sampler-unknown-keyword", lambda: me.random.uniform(0, 1, 3, foo=1), TypeError, "random.uniform", "'foo'"),
    bad("sampler-too-many-arguments", lambda: me.random.uniform(0, 1, 3, 4), TypeError, "random.uniform", "4 given"),
    bad("randn-negative", lambda: me.random.randn(-2), ValueError, "random.randn", "-2"),
    bad("randn-float", lambda: me.random.randn(2.5), TypeError, "random.randn", "2.5"),
    bad("rand-str", lambda: me.random.rand("3"), TypeError, "random.rand", "'3'"),
    bad("randint-empty-range", lambda: me.random.randint(5, 5, 3), ValueError, "random.randint", "low >= high"),
    bad("randint-float-dtype", lambda: me.random.randint(0, 5, 3, dtype=float), TypeError, "random.randint", "float64"),
    bad("choice-empty-population", lambda: me.random.choice(0, 3), ValueError, "random.choice", "got 0"),
    bad("choice-without-replacement", lambda: me.random.choice(3, 5, replace=False), ValueError, "random.choice", "5", "3"),
    bad("choice-p-length", lambda: me.random.choice(3, 2, p=[0.5, 0.5]), ValueError, "random.choice", "p"),
    bad("choice-p-negative", lambda: me.random.choice(2, 2, p=[1.5, -0.5]), ValueError, "random.choice", "p"),
    bad("dirichlet-alpha-matrix", lambda: me.random.dirichlet(np.ones((2, 2))), ValueError, "random.dirichlet", "(2, 2)"),
    bad("multivariate-normal-cov", lambda: me.random.multivariate_normal([0.0, 0.0], np.eye(3)), ValueError, "random.multivariate_normal", "(3, 3)"),
    bad("shuffle-scalar", lambda: me.random.shuffle(5), TypeError, "random.shuffle", "int"),
    bad("shuffle-tuple", lambda: me.random.shuffle((1, 2)), TypeError, "random.shuffle", "tuple"),
    bad("bytes-negative", lambda: me.random.bytes(-1), ValueError, "random.bytes", "-1"),
    bad("generator-size-negative", lambda: me.random.default_rng(0).normal(0, 1, -3), ValueError, "Generator.normal", "-3"),
    bad("generator-integers-range", lambda: me.random.default_rng(0).integers(5, 2), ValueError, "Generator.integers", "low >= high"),
    # -- other families: sorting, histograms, misc, polynomials, windows -----------------------
    bad("sort-kind", lambda: me.sort(A34, kind="bogus"), ValueError, "sort", "'bogus'"),
    bad("searchsorted-matrix", lambda: me.searchsorted(A34, 1.0), ValueError, "searchsorted", "(3, 4)"),
    bad("searchsorted-side", lambda: me.searchsorted(np.ones(4), 1.0, side="middle"), ValueError, "searchsorted", "'middle'"),
    bad("lexsort-shapes", lambda: me.lexsort([np.ones(3), np.ones(4)]), ValueError, "lexsort", "(3,)", "(4,)"),
    bad("digitize-non-monotonic", lambda: me.digitize(np.ones(3), np.array([3.0, 1.0, 2.0])), ValueError, "digitize", "monotonically"),
    bad("histogram-bins-negative", lambda: me.histogram(np.ones(3), bins=-1), ValueError, "histogram", "-1"),
    bad("histogram-range-reversed", lambda: me.histogram(np.ones(3), range=(2, 1)), ValueError, "histogram", "range=(2, 1)"),
    bad("histogram2d-lengths", lambda: me.histogram2d(np.ones(3), np.ones(4)), ValueError, "histogram2d", "3", "4"),
    bad("bincount-negative", lambda: me.bincount(np.array([-1, 2])), ValueError, "bincount", "-1"),
    bad("interp-lengths", lambda: me.interp(1.0, [1, 2, 3], [1, 2]), ValueError, "interp", "3", "2"),
    bad("convolve-empty", lambda: me.convolve([], [1, 2]), ValueError, "convolve", "empty"),
    bad("convolve-mode", lambda: me.convolve(np.ones(3), np.ones(2), mode="bogus"), ValueError, "convolve", "'bogus'"),
    bad("diff-n-negative", lambda: me.diff(np.ones(3), n=-1), ValueError, "diff", "-1"),
    bad("gradient-edge-order", lambda: me.gradient(np.ones(5), edge_order=3), ValueError, "gradient", "edge_order", "3"),
    bad("cov-ddof", lambda: me.cov(A34, ddof="x"), ValueError, "cov", "ddof", "'x'"),
    bad("corrcoef-observations", lambda: me.corrcoef(np.ones((2, 3)), np.ones((2, 4))), ValueError, "corrcoef", "4", "3"),
    bad("trapezoid-x", lambda: me.trapezoid(np.ones(5), x=np.ones(3)), ValueError, "trapezoid", "x"),
    bad("logspace-num-negative", lambda: me.logspace(0, 1, -5), ValueError, "logspace", "-5"),
    bad("geomspace-zero", lambda: me.geomspace(0, 1, 5), ValueError, "geomspace", "zero"),
    bad("vander-matrix", lambda: me.vander(np.ones((2, 2))), ValueError, "vander", "(2, 2)"),
    bad("allclose-shapes", lambda: me.allclose(np.ones(3), np.ones(4)), ValueError, "allclose", "(3,)", "(4,)"),
    bad("polyfit-degree-negative", lambda: me.polyfit([1, 2, 3], [1, 2, 3], -1), ValueError, "polyfit", "-1"),
    bad("polyfit-lengths", lambda: me.polyfit(np.ones(3), np.ones(4), 1), TypeError, "polyfit", "3", "4"),
    bad("roots-matrix", lambda: me.roots(np.ones((2, 2))), ValueError, "roots", "(2, 2)"),
    bad("kaiser-beta-str", lambda: me.kaiser(5, "x"), TypeError, "kaiser", "'x'"),
    bad("hamming-str", lambda: me.hamming("5"), TypeError, "hamming", "'5'"),
    bad("unwrap-axis", lambda: me.unwrap(np.ones(3), axis=3), np.exceptions.AxisError, "unwrap", "axis 3"),
    bad(
        "flops-sort-cost-str",
        lambda: me.flops.sort_cost("3"),
        TypeError,
        "'3'",
    ),
]


def _random_state() -> tuple:
    state = np.random.get_state()
    return state[0], state[1].tobytes(), *state[2:]


@pytest.mark.parametrize("call, exc, needles", LIBRARY)
def test_library_bad_input(call, exc, needles) -> None:
    before = _random_state()
    with me.BudgetContext(10**12, namespace="catalogue") as budget:
        with pytest.raises(exc) as info:
            call()
    error = info.value
    expected = exc if isinstance(exc, tuple) else (exc,)
    if not any(issubclass(e, INTERNAL) for e in expected):
        assert not isinstance(error, INTERNAL), f"internal error leaked: {error!r}"
    message = str(error)
    for needle in needles:  # a tuple of needles: any one of them will do
        options = needle if isinstance(needle, tuple) else (needle,)
        assert any(n in message for n in options), f"{needle!r} not named in {message!r}"
    assert budget.flops_used == 0
    assert budget.op_log == [] and budget.operations == {}
    summary = me.budget_summary_dict()
    assert summary["flops_used"] == 0 and summary["operations"] == {}
    assert _random_state() == before


def test_catalogue_size() -> None:
    """quality.md asks for at least 50 bad inputs; the library part alone exceeds it."""
    assert len(LIBRARY) + len(ENV_VALUES) + len(PLUGIN) + len(BASELINES) + len(COMPARE) >= 60
    assert len({p.id for p in LIBRARY}) == len(LIBRARY)


# -- MECHESTIM_DEFAULT_BUDGET in a fresh interpreter ---------------------------------------------
ENV_VALUES = ["inf", "1e400", "0.5", "-0", "1e9x", "0x10", "-1e12", "ten"]

ENV_SCRIPT = """
import json
import mechestim as me
out = {}
with me.BudgetContext(100) as explicit:
    me.add(me.ones(3), 1)
out["explicit"] = explicit.flops_used
try:
    me.exp(1.0)
except Exception as exc:
    out["type"] = type(exc).__name__
    out["message"] = str(exc)
out["session"] = me.budget_summary_dict()["flops_used"]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def env_results() -> dict[str, dict]:
    """One fresh interpreter per value, all started at once."""
    procs = {}
    for value in ENV_VALUES:
        env = dict(os.environ, MECHESTIM_DEFAULT_BUDGET=value)
        procs[value] = subprocess.Popen(
            [sys.executable, "-c", ENV_SCRIPT],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    results = {}
    for value, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results[value] = json.loads(out)
    return results


@pytest.mark.parametrize("value", ENV_VALUES)
def test_bad_default_budget_env_var(env_results: dict[str, dict], value: str) -> None:
    result = env_results[value]
    assert result["explicit"] == 3  # explicit budgets never read the variable
    assert result.get("type") == "ValueError", result
    assert "MECHESTIM_DEFAULT_BUDGET" in result["message"]
    assert repr(value) in result["message"]
    assert result["session"] == 3  # the refused op left nothing behind


# -- the plugin: options, markers, fixture -------------------------------------------------------
def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args)


PLAIN = "def test_a():\n    pass\n"
USAGE = pytest.ExitCode.USAGE_ERROR


def option(case_id: str, args: list[str], ini: str, *lines: str):
    return pytest.param(args, ini, list(lines), id=case_id)


PLUGIN = [
    option("default-infinite", ["--flop-budget-default=1e400"], "", "ERROR: command-line option --flop-budget-default: *'1e400'*"),
    option("default-fraction", ["--flop-budget-default=0.5"], "", "ERROR: command-line option --flop-budget-default: *'0.5'*"),
    option("default-suffix", ["--flop-budget-default=10x"], "", "ERROR: command-line option --flop-budget-default: *'10x'*"),
    option("default-ini-negative", [], "flop_budget_default = -1", "ERROR: ini option flop_budget_default in *tox.ini: *'-1'*"),
    option("default-ini-word", [], "flop_budget_default = plenty", "ERROR: ini option flop_budget_default in *tox.ini: *'plenty'*"),
    option("tolerance-word", ["--flop-budget-tolerance=ten%"], "", "ERROR: command-line option --flop-budget-tolerance: *'ten%'*"),
    option("tolerance-nan", ["--flop-budget-tolerance=nan"], "", "ERROR: command-line option --flop-budget-tolerance: *'nan'*"),
    option("tolerance-negative", ["--flop-budget-tolerance=-0.5%"], "", "ERROR: command-line option --flop-budget-tolerance: *negative*'-0.5%'*"),
    option("tolerance-ini", [], "flop_budget_tolerance = 1e", "ERROR: ini option flop_budget_tolerance in *tox.ini: *'1e'*"),
    option("top-negative", ["--flop-budget-top=-2"], "", "ERROR: command-line option --flop-budget-top: *'-2'*"),
    option("top-fraction", ["--flop-budget-top=2.5"], "", "ERROR: command-line option --flop-budget-top: *'2.5'*"),
    option("top-ini-word", [], "flop_budget_top = many", "ERROR: ini option flop_budget_top in *tox.ini: *'many'*"),
    option("json-empty", ["--flop-budget-json="], "", "ERROR: command-line option --flop-budget-json: *empty*"),
    option("include-setup-ini", [], "flop_budget_include_setup = perhaps", "ERROR: ini option flop_budget_include_setup in *tox.ini: *perhaps*"),
    option("update-baseline-ini-without-baseline", [], "flop_budget_update_baseline = true", "ERROR: *update-baseline needs a baseline file*"),
]


@pytest.mark.parametrize("args, ini, lines", PLUGIN)
def test_plugin_bad_option(pytester: pytest.Pytester, args: list[str], ini: str, lines: list[str]) -> None:
    pytester.makepyfile(PLAIN)
    if ini:
        pytester.makefile(".ini", tox=f"[pytest]\n{ini}\n")
    result = run(pytester, *args)
    assert result.ret == USAGE
    result.stderr.fnmatch_lines(lines)
    assert "Traceback" not in result.stderr.str()


MARKERS = {
    "namespace-empty": ("@pytest.mark.flop_budget(100, namespace='')", "*namespace*''*"),
    "namespace-int": ("@pytest.mark.flop_budget(100, namespace=3)", "*namespace*3*"),
    "n-twice": ("@pytest.mark.flop_budget(100, n=100)", "*n is given both*"),
    "n-str-number": ("@pytest.mark.flop_budget(n='1e3')", "*'1e3'*"),
    "n-list": ("@pytest.mark.flop_budget([100])", "*[[]100[]]*"),
    "n-negative-inf": ("@pytest.mark.flop_budget(float('-inf'))", "*-inf*"),
    "n-numpy-nan": ("@pytest.mark.flop_budget(np.float64('nan'))", "*nan*"),
}


@pytest.mark.parametrize("case_id", sorted(MARKERS))
def test_plugin_bad_marker_names_the_test(pytester: pytest.Pytester, case_id: str) -> None:
    mark, detail = MARKERS[case_id]
    pytester.makepyfile(
        "import numpy as np\nimport pytest\n\n"
        f"{mark}\ndef test_bad():\n    pass\n\n\ndef test_fine():\n    pass\n"
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*::test_bad: invalid @pytest.mark.flop_budget: *"])
    result.stdout.fnmatch_lines([detail])
    assert "Traceback" not in result.stdout.str()


def test_plugin_bad_class_and_param_markers_name_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.flop_budget(-1)
class TestGroup:
    def test_one(self):
        pass

@pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.flop_budget("big")), 2])
def test_param(x):
    pass
"""
    )
    result = run(pytester)
    result.assert_outcomes(errors=2, passed=0)
    result.stdout.fnmatch_lines_random(
        [
            "*::TestGroup::test_one: invalid @pytest.mark.flop_budget: *-1*",
            "*::test_param[[]1[]]: invalid @pytest.mark.flop_budget: *'big'*",
        ]
    )


def test_plugin_bad_fixture_block_budget(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.parametrize("value, exc", [("x", TypeError), (0, ValueError), (float("nan"), ValueError)])
def test_block(flop_budget, value, exc):
    with pytest.raises(exc) as info:
        with flop_budget(value):
            pass
    assert "flop_budget" in str(info.value) and repr(value) in str(info.value)
"""
    )
    run(pytester).assert_outcomes(passed=3)


# -- baseline files: corrupt or stale, always a usage error naming the file, never overwritten ---
def _baseline(**fields) -> str:
    data = {"cost_model": me.__cost_model__, "schema_version": 1, "tests": {}}
    data.update(fields)
    return json.dumps(data)


BASELINES = {
    "empty-file": ("", "*base.json: not valid JSON*"),
    "json-null": ("null", "*base.json: not a FLOP baseline or report*"),
    "no-tests-table": (json.dumps({"cost_model": me.__cost_model__}), "*base.json: *no 'tests' table*"),
    "tests-is-a-string": (_baseline(tests="all"), "*base.json: *no 'tests' table*"),
    "count-is-bool": (_baseline(tests={"t": True}), "*base.json: the FLOP count of 't'*True*"),
    "count-is-float": (_baseline(tests={"t": 1.5}), "*base.json: the FLOP count of 't'*1.5*"),
    "count-is-str": (_baseline(tests={"t": "12"}), "*base.json: the FLOP count of 't'*'12'*"),
    "report-entry-without-nodeid": (_baseline(tests=[{"used": 3}]), "*base.json: tests[[]0[]] has no 'nodeid'*"),
    "report-entry-without-used": (_baseline(tests=[{"nodeid": "t"}]), "*base.json: tests[[]0[]] (t) has no valid 'used'*"),
    "cost-model-number": (_baseline(cost_model=2), "*base.json: 'cost_model' must be a string, got 2*"),
    "cost-model-missing": (json.dumps({"schema_version": 1, "tests": {}}), "*base.json: recorded with cost model None*"),
    "cost-model-stale": (_baseline(cost_model="mechestim-0.1/0"), "*base.json: recorded with cost model 'mechestim-0.1/0'*"),
    "schema-missing": (json.dumps({"cost_model": me.__cost_model__, "tests": {"t": 5}}), "*base.json: this baseline has no 'schema_version'*reads only schema_version 1*"),
    "schema-newer": (_baseline(schema_version=3), "*base.json: this baseline has schema_version 3,*reads only schema_version 1 or 2*"),
    "schema-zero": (_baseline(schema_version=0), "*base.json: this baseline has schema_version 0,*reads only schema_version 1*"),
    "schema-str": (_baseline(schema_version="1"), "*base.json: this baseline has schema_version '1',*reads only schema_version 1*"),
    "schema-float": (_baseline(schema_version=1.0), "*base.json: this baseline has schema_version 1.0,*reads only schema_version 1*"),
    "schema-bool": (_baseline(schema_version=True), "*base.json: this baseline has schema_version True,*reads only schema_version 1*"),
    "schema-null": (_baseline(schema_version=None), "*base.json: this baseline has schema_version None,*reads only schema_version 1*"),
    "schema-report-newer": (_baseline(schema_version=2, tests=[]), "*base.json: this JSON report has schema_version 2,*reads only schema_version 1*"),
}


@pytest.mark.parametrize("case_id", sorted(BASELINES))
def test_plugin_bad_baseline_file(pytester: pytest.Pytester, case_id: str) -> None:
    content, line = BASELINES[case_id]
    pytester.makepyfile("import mechestim as me\n\ndef test_a():\n    me.add(me.ones(4), 1)\n")
    path = pytester.path / "base.json"
    path.write_text(content)
    result = run(pytester, "--flop-budget-baseline=base.json")
    assert result.ret == USAGE
    result.stderr.fnmatch_lines([f"ERROR: FLOP baseline {line}"])
    assert "Traceback" not in result.stderr.str()
    assert path.read_text() == content  # never overwritten without --flop-budget-update-baseline


def test_plugin_baseline_that_is_a_directory(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(PLAIN)
    (pytester.path / "base.json").mkdir()
    result = run(pytester, "--flop-budget-baseline=base.json")
    assert result.ret == USAGE
    result.stderr.fnmatch_lines(
        ["ERROR: command-line option --flop-budget-baseline: *base.json is a directory, not a regular file*"]
    )
    assert (pytester.path / "base.json").is_dir()


# -- python -m pytest_mechestim compare ---------------------------------------------------------
GOOD = _baseline(tests={"t": 5})
COMPARE = {
    "tolerance-word": (["--tolerance", "lots"], GOOD, GOOD, 2, "*--tolerance*'lots'*"),
    "tolerance-negative": (["--tolerance=-5%"], GOOD, GOOD, 2, "*--tolerance*negative*"),
    "old-corrupt": ([], "{", GOOD, 2, "error: *old.json: not valid JSON*"),
    "new-missing": ([], GOOD, None, 2, "error: *new.json: no such file*"),
    "cost-models-differ": ([], GOOD, _baseline(cost_model="other/1", tests={"t": 5}), 2, "error: *old.json*new.json*'other/1'*not comparable*"),
    "old-schema-missing": ([], json.dumps({"cost_model": me.__cost_model__, "tests": {"t": 5}}), GOOD, 2, "error: *old.json: this baseline has no 'schema_version'*schema_version 1*"),
    "new-schema-newer": ([], GOOD, _baseline(schema_version=3, tests={"t": 5}), 2, "error: *new.json: this baseline has schema_version 3,*schema_version 1 or 2*"),
    "new-schema-str": ([], GOOD, _baseline(schema_version="1", tests={"t": 5}), 2, "error: *new.json: this baseline has schema_version '1',*schema_version 1*"),
    "new-report-schema-missing": ([], GOOD, json.dumps({"cost_model": me.__cost_model__, "tests": [{"nodeid": "t", "used": 5}]}), 2, "error: *new.json: this JSON report has no 'schema_version'*schema_version 1*"),
}


@pytest.mark.parametrize("case_id", sorted(COMPARE))
def test_compare_cli_bad_input(tmp_path, capsys, case_id: str) -> None:
    extra, old, new, status, line = COMPARE[case_id]
    paths = []
    for name, content in (("old.json", old), ("new.json", new)):
        path = tmp_path / name
        if content is not None:
            path.write_text(content)
        paths.append(str(path))
    try:
        code = cli.main(["compare", *paths, *extra])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    assert code == status
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    pytest.LineMatcher(captured.err.splitlines()).fnmatch_lines([line])
