"""Every public op shows NumPy's parameters to editors and ``help`` (issue 10): the
signature ``inspect`` reads from a mechestim op has the parameter names of the NumPy
function it stands for."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import mechestim as me
from mechestim._registry import BLOCKED, REGISTRY

# mechestim's own additions or spellings, on purpose (each documented on the op).
EXTENDED = {
    "einsum": "takes subscripts first and symmetric_axes=",
    "einsum_path": "takes subscripts first; einsum_call is accepted in **kwargs",
    "linalg.svd": "takes k= (truncated SVD)",
    "random.rand": "names its *dims (NumPy's wrapper shows *args)",
    "random.randn": "names its *dims (NumPy's wrapper shows *args)",
    "random.ranf": "names size (NumPy's alias shows *args, **kwargs)",
    "random.sample": "names size (NumPy's alias shows *args, **kwargs)",
}


def _numpy_function(name):
    target = np
    for part in name.split("."):
        target = getattr(target, part, None)
    return target


def _numpy_parameters(name):
    func = _numpy_function(name)
    if func is None:
        return None
    try:
        return list(inspect.signature(func).parameters)
    except (TypeError, ValueError):  # a C function NumPy gives no signature (fromstring)
        return None


OPS = sorted(
    name
    for name, spec in REGISTRY.items()
    if spec.status != BLOCKED and spec.impl is not None and _numpy_parameters(name) is not None
)


def test_most_public_ops_are_checked():
    assert len(OPS) > 400


@pytest.mark.parametrize("name", OPS)
def test_signature_shows_numpys_parameters(name):
    ours = list(inspect.signature(REGISTRY[name].impl).parameters)
    if name in EXTENDED:
        assert ours != _numpy_parameters(name)  # still an extension: keep the list honest
        return
    assert ours == _numpy_parameters(name)


def test_the_examples_of_the_issue():
    assert list(inspect.signature(me.sum).parameters)[1:] == [
        "axis", "dtype", "out", "keepdims", "initial", "where"
    ]
    for ufunc in (me.add, me.exp, me.maximum):
        parameters = inspect.signature(ufunc).parameters
        assert "out" in parameters and "where" in parameters
