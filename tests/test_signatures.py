"""Every public op shows NumPy's parameters to editors and ``help`` (issue 10): the
signature ``inspect`` reads from a mechestim op has the parameter names of the NumPy
function it stands for."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import mechestim as me
from mechestim._core.registry import BLOCKED, REGISTRY

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

# Parameters that only some of the NumPy releases mechestim supports (2.0 to the newest)
# have; mechestim's signature follows NumPy 2.4. The other parameters must still match.
VERSION_DEPENDENT = {
    "clip": {"min", "max", "kwargs"},  # min=/max= since NumPy 2.1 (2.0 shows **kwargs)
    "corrcoef": {"bias", "ddof"},  # deprecated no-op parameters that later NumPy dropped
    "unique": {"sorted"},  # since NumPy 2.3
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
    # NumPy < 2.1 gives its ufuncs no signature, so fewer ops can be compared there.
    assert len(OPS) > (400 if hasattr(np.add, "__signature__") else 350)


@pytest.mark.parametrize("name", OPS)
def test_signature_shows_numpys_parameters(name):
    ours = list(inspect.signature(REGISTRY[name].impl).parameters)
    if name in EXTENDED:
        assert ours != _numpy_parameters(name)  # still an extension: keep the list honest
        return
    theirs = _numpy_parameters(name)
    varying = VERSION_DEPENDENT.get(name, set())
    assert [p for p in ours if p not in varying] == [p for p in theirs if p not in varying]


def test_the_examples_of_the_issue():
    assert list(inspect.signature(me.sum).parameters)[1:] == [
        "axis", "dtype", "out", "keepdims", "initial", "where"
    ]
    for ufunc in (me.add, me.exp, me.maximum):
        parameters = inspect.signature(ufunc).parameters
        assert "out" in parameters and "where" in parameters


def test_every_public_error_and_warning_class_has_a_signature():
    # inspect.signature fails on a class whose __init__ is the C one of Exception, so
    # help() and editors showed nothing for me.MechEstimError and its plain subclasses.
    classes = [getattr(me.errors, n) for n in me.errors.__all__ if isinstance(getattr(me.errors, n), type)]
    assert len(classes) == 7
    for cls in classes:
        assert inspect.signature(cls).parameters, cls.__name__
    assert list(inspect.signature(me.MechEstimError).parameters) == ["args"]
    error = me.UnsupportedFunctionError("me.matrix is refused")
    assert isinstance(error, AttributeError) and str(error) == "me.matrix is refused"
    assert str(me.MechEstimWarning("x", 1)) == "('x', 1)"
