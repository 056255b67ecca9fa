"""numpy.ma masked arrays are refused by every counted op, with nothing charged: NumPy's
functions honour the mask (they dispatch to numpy.ma), mechestim's would compute on every
element and silently include the masked values (``me.sum`` of ``[1, --, 3]`` gave 6.0)."""

from __future__ import annotations

import numpy as np
import pytest
from test_coverage import _resolve
from test_pipeline import COUNTED_CALLS

import mechestim as me
from mechestim._core.registry import REGISTRY, too_new


def _masking_first_array(args: tuple) -> tuple | None:
    """``args`` with its first array argument replaced by a masked copy, or None."""
    for index, value in enumerate(args):
        if isinstance(value, np.ndarray) and value.size:
            masked = np.ma.masked_array(np.asarray(value).copy(), mask=np.zeros(value.shape, bool))
            masked.mask.flat[0] = True
            return (*args[:index], masked, *args[index + 1 :])
    return None


_MASKABLE = [
    (n, a, k)
    for n, a, k in COUNTED_CALLS
    if _masking_first_array(a) is not None and not too_new(REGISTRY[n])  # (refused anyway)
]


@pytest.mark.parametrize(("name", "args", "kwargs"), _MASKABLE, ids=[c[0] for c in _MASKABLE])
def test_every_counted_op_refuses_a_masked_array_and_charges_nothing(name, args, kwargs):
    masked_args = _masking_first_array(args)
    with me.BudgetContext(10**12) as budget, pytest.raises(TypeError, match="masked arrays"):
        _resolve(me, name)(*masked_args, **kwargs)
    assert budget.flops_used == 0


def test_the_silent_wrong_answers_are_refused():
    m = np.ma.array([1.0, 2.0, 3.0], mask=[0, 1, 0])
    assert np.sum(m) == 4.0  # NumPy leaves the masked 2.0 out
    for call in (
        lambda: me.sum(m),
        lambda: me.add(m, 1),
        lambda: np.add(m, me.ones(3)),
        lambda: me.ones(3) + m,
        lambda: me.einsum("i->", m),
    ):
        with pytest.raises(TypeError, match=r"pass a\.filled\(value\) or a\.compressed\(\)"):
            call()
    # the data itself, or a filled copy, is counted as usual
    with me.BudgetContext(100) as budget:
        assert me.sum(m.filled(0.0)) == 4.0
    assert budget.flops_used == 3
