"""me.fft: charges per cost-model §7, values equal numpy.fft, clean refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import refused, used
from hypothesis import given, settings
from hypothesis import strategies as st

import mechestim as me
from mechestim._core.registry import REGISTRY

COUNTED = [
    "fft",
    "ifft",
    "rfft",
    "irfft",
    "hfft",
    "ihfft",
    "fft2",
    "ifft2",
    "rfft2",
    "irfft2",
    "fftn",
    "ifftn",
    "rfftn",
    "irfftn",
]


def lg(n: int) -> int:
    return 0 if n <= 1 else math.ceil(math.log2(n))


# -- the spec's numbers ------------------------------------------------------------------
def test_spec_numbers():
    assert used(lambda: me.fft.fft(np.ones(1024)))[0] == 51_200
    assert used(lambda: me.fft.rfft(np.ones(1024)))[0] == 25_600
    assert used(lambda: me.fft.fft(np.ones((4, 1024))))[0] == 204_800
    assert used(lambda: me.fft.fft2(np.ones((256, 256))))[0] == 5_242_880
    assert used(lambda: me.fft.fftn(np.ones((32, 32, 32))))[0] == 2_457_600
    assert me.flops.fft_cost(2**20) == 104_857_600
    assert me.flops.rfft_cost(2**20) == 52_428_800
    assert me.flops.fft_cost(1024) == 51_200
    assert me.flops.rfft_cost(1024) == 25_600
    assert me.flops.fft_cost(1024, batch=4) == 204_800
    assert me.flops.fftn_cost((256, 256)) == 5_242_880
    assert me.flops.fftn_cost((32, 32, 32)) == 2_457_600


def test_zero_for_length_one_or_less():
    for f in (me.flops.fft_cost, me.flops.rfft_cost, me.flops.hfft_cost, me.flops.ihfft_cost):
        assert f(1) == 0
        assert f(0) == 0
    assert me.flops.fftn_cost((1, 1)) == 0
    assert me.flops.rfftn_cost(()) == 0
    assert used(lambda: me.fft.fft(np.ones(1)))[0] == 0
    assert used(lambda: me.fft.fft(np.ones((5, 1))))[0] == 0
    assert used(lambda: me.fft.fftn(np.ones((1, 1))))[0] == 0
    assert me.flops.fft_cost(2) == 10 and me.flops.rfft_cost(2) == 5
    assert me.flops.fft_cost(3) == 30 and me.flops.rfft_cost(3) == 10


def test_defaults_of_inverse_real_transforms():
    # irfft / hfft: n defaults to 2*(m-1)
    spec = np.ones(513, dtype=complex)
    cost, out = used(lambda: me.fft.irfft(spec))
    assert out.shape == (1024,)
    assert cost == me.flops.rfft_cost(1024) == 25_600
    cost, out = used(lambda: me.fft.hfft(spec))
    assert out.shape == (1024,)
    assert cost == me.flops.hfft_cost(1024) == 51_200
    cost, _ = used(lambda: me.fft.ihfft(np.ones(1024)))
    assert cost == me.flops.ihfft_cost(1024) == 51_200
    cost, out = used(lambda: me.fft.irfftn(np.ones((8, 5), dtype=complex)))
    assert out.shape == (8, 8)
    assert cost == me.flops.irfftn_cost((8, 8)) == 5 * 32 * 6
    cost, out = used(lambda: me.fft.irfft2(np.ones((3, 8, 5), dtype=complex)))
    assert out.shape == (3, 8, 8)
    assert cost == me.flops.irfftn_cost((8, 8), batch=3)


def test_arguments_are_honoured():
    x = np.arange(24.0).reshape(2, 3, 4)
    assert used(lambda: me.fft.fft(x, n=16, axis=1))[0] == 2 * 4 * me.flops.fft_cost(16)
    assert used(lambda: me.fft.fft(x, 16, 1))[0] == 2 * 4 * me.flops.fft_cost(16)
    assert used(lambda: me.fft.rfft(x, axis=0))[0] == 12 * me.flops.rfft_cost(2)
    assert used(lambda: me.fft.fftn(x, s=(8, 8), axes=(0, 2)))[0] == 3 * me.flops.fftn_cost((8, 8))
    assert used(lambda: me.fft.fftn(x, axes=[1]))[0] == 8 * me.flops.fft_cost(3)
    assert used(lambda: me.fft.fft2(x, s=(-1, 8)))[0] == 2 * me.flops.fftn_cost((3, 8))
    assert used(lambda: me.fft.rfftn(x, axes=(0, 1)))[0] == 4 * me.flops.rfftn_cost((2, 3))
    # norm does not change the cost
    assert used(lambda: me.fft.fft(x, norm="ortho"))[0] == used(lambda: me.fft.fft(x))[0]
    for norm in (None, "backward", "ortho", "forward"):
        np.testing.assert_array_equal(me.fft.ifft(x, norm=norm), np.fft.ifft(x, norm=norm))
        np.testing.assert_array_equal(
            me.fft.rfftn(x, s=(4, 6), axes=(1, 2), norm=norm),
            np.fft.rfftn(x, s=(4, 6), axes=(1, 2), norm=norm),
        )


def test_repeated_axes_charge_each_pass():
    x = np.ones((8, 4))
    cost, result = used(lambda: me.fft.fftn(x, axes=(0, 0)))
    np.testing.assert_array_equal(result, np.fft.fftn(x, axes=(0, 0)))
    assert cost == 2 * 4 * me.flops.fft_cost(8)
    # me.flops answers it too, told which axis each length transforms
    assert me.flops.fftn_cost((8, 8), batch=4, axes=(0, 0)) == cost
    assert me.flops.fftn_cost((8, 8), batch=4) == 8 * cost  # two different axes: N = 64, not 8
    # the first length of a repeated axis is its final length (NumPy's last pass)
    cost, result = used(lambda: me.fft.rfftn(x, s=(4, 8), axes=(0, 0)))
    np.testing.assert_array_equal(result, np.fft.rfftn(x, s=(4, 8), axes=(0, 0)))
    assert cost == me.flops.rfftn_cost((4, 8), batch=4, axes=(0, 0)) == 4 * 5 * 2 * (2 + 3)
    with pytest.raises(ValueError, match="s has 2 entries but axes has 1"):
        me.flops.fftn_cost((8, 8), axes=(0,))


# -- every op: values equal NumPy, charge equals the me.flops twin --------------------------
def expected_cost(name, x, kwargs):
    """Independent restatement of cost-model §7 for the call ``np.fft.<name>(x, **kwargs)``."""
    if name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        axis = kwargs.get("axis", -1) % x.ndim
        m = x.shape[axis]
        n = kwargs.get("n") or (2 * (m - 1) if name in ("irfft", "hfft") else m)
        batch = x.size // m if m else 0
        if name in ("rfft", "irfft"):
            return batch * me.flops.rfft_cost(n)
        return batch * me.flops.fft_cost(n)
    axes = kwargs.get("axes", (-2, -1) if name.endswith("2") else None)
    axes = list(range(x.ndim)) if axes is None else [a % x.ndim for a in axes]
    s = list(kwargs["s"]) if kwargs.get("s") is not None else [x.shape[a] for a in axes]
    if name.startswith("irfft") and kwargs.get("s") is None:
        s[-1] = 2 * (x.shape[axes[-1]] - 1)
    batch = math.prod(d for i, d in enumerate(x.shape) if i not in axes)
    if name.startswith(("rfft", "irfft")):
        return me.flops.rfftn_cost(s, batch)
    return me.flops.fftn_cost(s, batch)


@st.composite
def fft_call(draw):
    name = draw(st.sampled_from(COUNTED))
    nd_ops = name[-1] in "2n"
    ndim = draw(st.integers(2 if name.endswith("2") else 1, 3))
    shape = tuple(draw(st.lists(st.integers(2, 6), min_size=ndim, max_size=ndim)))
    real_in = name in ("rfft", "ihfft", "rfft2", "rfftn")
    values = np.random.default_rng(draw(st.integers(0, 2**16))).standard_normal(shape)
    if not real_in and draw(st.booleans()):
        values = values + 1j * values[::-1]
    kwargs = {}
    if nd_ops:
        if draw(st.booleans()):
            k = 2 if name.endswith("2") else draw(st.integers(1, ndim))
            axes = draw(st.permutations(range(ndim)))[:k]
            kwargs["axes"] = tuple(axes)
            if draw(st.booleans()):
                kwargs["s"] = tuple(draw(st.integers(2, 9)) for _ in axes)
    else:
        kwargs["axis"] = draw(st.integers(-ndim, ndim - 1))
        if draw(st.booleans()):
            kwargs["n"] = draw(st.integers(2, 12))
    kwargs["norm"] = draw(st.sampled_from([None, "backward", "ortho", "forward"]))
    return name, values, kwargs


@settings(max_examples=60, deadline=None)
@given(fft_call())
def test_values_and_costs_match(call):
    name, x, kwargs = call
    cost, result = used(lambda: getattr(me.fft, name)(me.asarray(x), **kwargs))
    want = getattr(np.fft, name)(x, **kwargs)
    assert type(result) is me.ndarray
    np.testing.assert_array_equal(result, want)
    assert cost == expected_cost(name, x, kwargs)
    assert REGISTRY[f"fft.{name}"].cost(x, **kwargs) == cost


def test_numpy_call_on_mechestim_array_is_charged_once():
    x = me.ones((3, 8))
    with me.BudgetContext(10**9) as budget:
        result = np.fft.fft(x)
    assert type(result) is me.ndarray
    assert budget.flops_used == 3 * me.flops.fft_cost(8)
    assert list(budget.op_log[i].op_name for i in range(len(budget.op_log))) == ["fft.fft"]


def test_out_is_filled_and_returned():
    x = np.arange(8.0)
    out = np.empty(8, dtype=complex)
    result = me.fft.fft(x, out=out)
    assert result is out
    np.testing.assert_array_equal(out, np.fft.fft(x))
    me_out = me.zeros(5, dtype=complex)
    assert me.fft.rfft(x, out=me_out) is me_out
    np.testing.assert_array_equal(me_out, np.fft.rfft(x))


def test_recorded_name_and_free_helpers():
    with me.BudgetContext(10**9) as budget:
        me.fft.rfft2(np.ones((4, 4)))
        freqs = me.fft.fftfreq(8)
        me.fft.fftshift(freqs)
    assert budget.op_log[-1].op_name == "fft.rfft2"
    assert len(budget.op_log) == 1
    np.testing.assert_array_equal(freqs, np.fft.fftfreq(8))


# -- refusals: clear errors, nothing charged ---------------------------------------------
@pytest.mark.parametrize(
    ("call", "exc", "needle"),
    [
        (lambda: me.fft.fft(np.ones(8), n=0), ValueError, "n=0"),
        (lambda: me.fft.fft(np.ones(8), n=2.5), TypeError, "n must be"),
        (lambda: me.fft.fft(np.ones(8), axis=1), np.exceptions.AxisError, "axis"),
        (lambda: me.fft.fft(np.float64(3.0)), np.exceptions.AxisError, "scalar"),
        (lambda: me.fft.fft(np.ones(8), norm="bogus"), ValueError, "norm"),
        (lambda: me.fft.irfft(np.ones(1)), ValueError, "pass n"),
        (lambda: me.fft.rfft(np.ones(8) + 1j), TypeError, "real input"),
        (lambda: me.fft.fft(np.array(["a", "b"])), TypeError, "str"),
        (lambda: me.fft.fft2(np.ones(8)), np.exceptions.AxisError, "axes"),
        (lambda: me.fft.fftn(np.ones((4, 4)), s=(4,), axes=(0, 1)), ValueError, "same length"),
        (lambda: me.fft.fftn(np.ones((4, 4)), s=(0, 4)), ValueError, "s entry"),
        (lambda: me.fft.fftn(np.ones((4, 4)), axes=0), TypeError, "axes"),
        (lambda: me.fft.rfftn(np.ones((4, 4)), axes=()), ValueError, "axis"),
        (lambda: me.fft.fft(np.ones(8), out=np.empty(4, complex)), ValueError, "out"),
        (lambda: me.fft.fft(np.ones(8), out=np.empty(8)), TypeError, "out"),
        (lambda: me.fft.fft(np.ones(8), out=[0] * 8), TypeError, "out"),
        (
            lambda: me.fft.fftn(
                np.ones((4, 4)), s=(8, 8), axes=(0, 1), out=np.empty((8, 8), complex)
            ),
            ValueError,
            "out",
        ),
    ],
)
def test_refusals_charge_nothing(call, exc, needle):
    refused(exc, call, match=needle)


def test_overrun_runs_nothing():
    with me.BudgetContext(51_199) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="fft.fft would cost 51,200"):
            me.fft.fft(np.ones(1024))
    assert budget.flops_used == 0
    with me.BudgetContext(51_200) as budget:
        me.fft.fft(np.ones(1024))
    assert budget.flops_used == 51_200


def test_exports_and_docstrings():
    assert sorted(me.fft.__all__) == sorted(
        COUNTED + ["fftfreq", "rfftfreq", "fftshift", "ifftshift"]
    )
    for name in COUNTED:
        doc = getattr(me.fft, name).__doc__
        assert doc and "Charged" in doc, name
    for name in me.flops.__all__:
        if name.endswith("fft_cost") or name.endswith("fftn_cost"):
            assert getattr(me.flops, name).__doc__
    with pytest.raises(AttributeError, match="does not provide"):
        me.fft.nonexistent  # noqa: B018


def test_an_empty_batch_of_transforms_of_length_8_charges_one():
    assert me.flops.fft_cost(8, batch=0) == 1
    assert me.flops.fft_cost(1, batch=5) == 0  # the documented zero case stays
    with me.BudgetContext(10**6) as budget:
        result = me.fft.fft(np.zeros((0, 8)))
    assert budget.flops_used == 1 and result.shape == (0, 8)
