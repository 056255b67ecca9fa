"""Documentation reads the registry: the op reference is current and every public
name carries a docstring."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import mechestim as me
from mechestim._core.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[1]


def test_operations_reference_is_current():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_ops_doc.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", sorted(n for n, s in REGISTRY.items() if s.status == "counted"))
def test_every_counted_op_documents_its_cost(name):
    doc = REGISTRY[name].impl.__doc__ or ""
    assert any(word in doc for word in ("Charged", "charged", "Cost", "cost", "FLOP")), name


def _public(module):
    return [(module.__name__, n) for n in getattr(module, "__all__", [])]


@pytest.mark.parametrize(
    "module_name, name",
    _public(me) + _public(me.flops) + _public(me.linalg) + _public(me.fft) + _public(me.random)
    + _public(me.testing) + _public(me.errors),
)  # fmt: skip
def test_every_public_name_has_a_docstring(module_name, name):
    obj = getattr(sys.modules[module_name], name)
    if not callable(obj) or isinstance(obj, type) and issubclass(obj, (int, float, complex)):
        return  # constants and dtypes
    if module_name == "mechestim" and name in ("dtype",) or getattr(obj, "__module__", "").startswith("numpy"):
        return  # NumPy's own objects re-exported as-is
    assert (obj.__doc__ or "").strip(), f"{module_name}.{name} has no docstring"


def test_readme_opens_with_title_paragraph_and_the_two_commands():
    """The title, one paragraph on what mechestim is, then `make demo` and `make test`.
    (The tour's numbers are checked with every other docs page in test_docs_pages.py.)"""
    text = (ROOT / "README.md").read_text()
    title, paragraph, commands = text.split("\n\n", 3)[:3]
    assert title == "# mechestim"
    assert paragraph.startswith("mechestim is") and "```" not in paragraph
    lines = commands.splitlines()
    assert lines[0] == "```bash" and lines[-1] == "```"
    assert [line.split()[:2] for line in lines[1:-1]] == [["make", "demo"], ["make", "test"]]
    tour = text.split("```python\n", 1)[1].split("```\n", 1)[0]
    assert len(tour.strip().splitlines()) <= 22


def test_readme_states_what_a_decorator_budget_means():
    text = " ".join((ROOT / "README.md").read_text().split())
    assert "one budget shared by every call" in text
