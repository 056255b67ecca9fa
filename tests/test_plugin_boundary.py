"""The plugin stands on mechestim's public API only: no private module or attribute of
``mechestim`` is imported or read anywhere in ``pytest_mechestim``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parents[1] / "pytest_mechestim"


def _private_uses(source: str) -> list[str]:
    """Every ``mechestim._x`` import and every ``<mechestim alias>._x`` read in ``source``."""
    tree = ast.parse(source)
    aliases = {"mechestim"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.name == "mechestim" or name.name.startswith("mechestim."):
                    if any(part.startswith("_") for part in name.name.split(".")[1:]):
                        found.append(f"import {name.name}")
                    aliases.add(name.asname or name.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "mechestim" or node.module.startswith("mechestim."):
                parts = node.module.split(".")[1:] + [n.name for n in node.names]
                if any(p.startswith("_") and not p.startswith("__") for p in parts):
                    found.append(f"from {node.module} import {', '.join(n.name for n in node.names)}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", sorted(PLUGIN.glob("*.py")), ids=lambda p: p.name)
def test_plugin_module_uses_only_public_mechestim(path):
    assert _private_uses(path.read_text()) == []


def test_the_scan_finds_private_uses():
    source = (
        "import mechestim\nimport mechestim as me\nfrom mechestim import _core\n"
        "from mechestim._core.budget import charge\nx = me._session\ny = mechestim.__version__\n"
    )
    assert _private_uses(source) == [
        "from mechestim import _core",
        "from mechestim._core.budget import charge",
        "me._session",
    ]
