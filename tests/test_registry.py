"""The op registry against the specification's table (tests/data/ops.tsv, a copy of
../shared/spec/ops.tsv), and the module fallbacks that read it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import mechestim as me
from mechestim._registry import BLOCKED, REGISTRY

DATA = Path(__file__).parent / "data" / "ops.tsv"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "spec" / "ops.tsv"


def spec_rows() -> dict[str, dict[str, str]]:
    with DATA.open(newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle, delimiter="\t")}


def test_bundled_table_is_the_current_spec():
    if not SHARED.exists():
        pytest.skip(f"{SHARED} not present next to this checkout")
    assert DATA.read_text() == SHARED.read_text(), "tests/data/ops.tsv is stale: copy the spec's"


def test_registry_holds_exactly_the_specified_names():
    rows = spec_rows()
    assert len(rows) == 482
    assert set(REGISTRY) == set(rows)


@pytest.mark.parametrize("name", sorted(spec_rows()))
def test_registry_row_agrees_with_spec(name):
    row, spec = spec_rows()[name], REGISTRY[name]
    assert (spec.module, spec.category, spec.status) == (row["module"], row["category"], row["status"])
    if spec.status == BLOCKED:
        assert spec.reason in row["notes"]


def test_category_counts():
    counts = {}
    for spec in REGISTRY.values():
        counts[spec.category] = counts.get(spec.category, 0) + 1
    assert counts == {
        "unary": 73, "binary": 45, "reduction": 37, "free": 138, "blocked": 32, "custom": 157,
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


@pytest.mark.parametrize("name", sorted(n for n, s in REGISTRY.items() if s.status != BLOCKED))
def test_every_supported_name_resolves_to_its_bound_implementation(name):
    module, attr = _module_and_attr(name)
    assert REGISTRY[name].impl is not None, f"{name} has no implementation bound"
    assert getattr(module, attr) is REGISTRY[name].impl
    assert REGISTRY[name].cost is not None, f"{name} has no cost rule bound"
    assert getattr(module, attr).__doc__, f"{name} has no docstring"
