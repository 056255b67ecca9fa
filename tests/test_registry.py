"""The op registry against the specification's table (tests/data/ops.tsv, a copy of
../shared/spec/ops.tsv), and the module fallbacks that read it."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import mechestim as me
from mechestim._core import surface as _surface
from mechestim._core.registry import BLOCKED, FREE, REGISTRY, too_new

DATA = Path(__file__).parent / "data" / "ops.tsv"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "spec" / "ops.tsv"


def spec_rows() -> dict[str, dict[str, str]]:
    with DATA.open(newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle, delimiter="\t")}


def test_bundled_table_is_the_current_spec():
    if not SHARED.exists():
        pytest.skip(f"{SHARED} not present next to this checkout")
    assert DATA.read_text() == SHARED.read_text(), "tests/data/ops.tsv is stale: copy the spec's"


def _surface_names() -> set[str]:
    tables = (_surface.AS_IS, _surface.WRAPPED, _surface.COUNTED_OPS, _surface.REFUSED)
    return set().union(*(_surface.names(t) for t in tables))


def test_registry_holds_the_specified_names_plus_the_classified_surface():
    rows = spec_rows()
    assert len(rows) == 482
    # Revision 2 (library.md §4) adds the rest of the NumPy surface, classified in _surface.
    assert set(REGISTRY) == set(rows) | _surface_names()
    assert set(rows) & _surface_names() == _surface.RECLASSIFIED


@pytest.mark.parametrize("name", sorted(spec_rows()))
def test_registry_row_agrees_with_spec(name):
    row, spec = spec_rows()[name], REGISTRY[name]
    assert spec.module == row["module"]
    if name in _surface.RECLASSIFIED:
        # Revision 2 frees the callbacks, file I/O and the floating-point error state.
        assert row["status"] == BLOCKED and spec.status == FREE
        return
    assert (spec.category, spec.status) == (row["category"], row["status"])
    if spec.status == BLOCKED:
        assert spec.reason in row["notes"] and spec.instead


def test_category_counts():
    counts = {}
    for name in spec_rows():
        counts[REGISTRY[name].category] = counts.get(REGISTRY[name].category, 0) + 1
    assert counts == {
        "unary": 73, "binary": 45, "reduction": 37, "free": 138, "blocked": 16, "custom": 157,
        "callback": 4, "io": 7, "error state": 4, "iteration": 1,
    }  # fmt: skip


def _module_and_attr(name: str):
    prefix, dot, short = name.rpartition(".")
    return (getattr(me, prefix) if dot else me), short


@pytest.mark.parametrize("name", sorted(n for n, s in REGISTRY.items() if s.status == BLOCKED))
def test_blocked_names_raise_attribute_error_with_the_reason(name):
    module, attr = _module_and_attr(name)
    with pytest.raises(AttributeError) as info:
        getattr(module, attr)
    message = str(info.value)
    assert "not supported" in message and REGISTRY[name].reason in message and attr in message


@pytest.mark.parametrize("module", [me, me.linalg, me.fft, me.random])
def test_unknown_names_raise_attribute_error(module):
    with pytest.raises(AttributeError, match="mechestim does not provide .*no_such_op"):
        module.no_such_op  # noqa: B018


def _numpy_object(name: str):
    prefix, dot, short = name.rpartition(".")
    return getattr(getattr(np, prefix) if dot else np, short, None)


@pytest.mark.parametrize("name", sorted(n for n, s in REGISTRY.items() if s.status != BLOCKED))
def test_every_supported_name_resolves_to_its_bound_implementation(name):
    module, attr = _module_and_attr(name)
    spec = REGISTRY[name]
    if too_new(spec):
        pytest.skip(f"{name} needs NumPy >= {spec.since}")
    if name in _surface.names(_surface.AS_IS):  # NumPy's own object, the same one
        if not _has_numpy(name):
            pytest.skip(f"numpy {np.__version__} has no {name}")
        assert getattr(module, attr) is _numpy_object(name)
        return
    if name in ("testing", "typing"):  # imported on first use
        assert getattr(me, name).__name__ == f"mechestim.{name}"
        return
    assert REGISTRY[name].impl is not None, f"{name} has no implementation bound"
    assert getattr(module, attr) is REGISTRY[name].impl
    assert REGISTRY[name].cost is not None, f"{name} has no cost rule bound"
    assert getattr(module, attr).__doc__, f"{name} has no docstring"


def _has_numpy(name: str) -> bool:
    prefix, dot, short = name.rpartition(".")
    return hasattr(getattr(np, prefix) if dot else np, short)


def test_every_public_function_pickles_as_a_reference_to_itself():
    # pickle stores a function as module + name: the generic wrappers said
    # mechestim._ops.generic, where no me.add lives, so pickle.dumps(me.add) failed (and
    # with it multiprocessing's pool.map(me.exp, chunks)). np.add pickles.
    import pickle

    failed = []
    for module in (me, me.linalg, me.fft, me.random, me.emath):
        for name in module.__all__:
            obj = getattr(module, name)
            if not callable(obj) or isinstance(obj, type) or obj.__class__.__module__ == "numpy":
                continue
            try:
                same = pickle.loads(pickle.dumps(obj)) is obj
            except (pickle.PicklingError, AttributeError, TypeError):
                same = False
            if not same:
                failed.append(f"{module.__name__}.{name}")
    assert failed == []
