"""Write docs/operations.md from the op registry (the single source of truth).

    .venv/bin/python tools/gen_ops_doc.py          # rewrite the file
    .venv/bin/python tools/gen_ops_doc.py --check  # exit 1 if it is stale

tests/test_docs.py runs the check, so the reference cannot drift from the code. A
counted op's cost is the first paragraph of its formula's docstring (``OpSpec.formula``,
the ``me.flops`` function its charge is computed by), plus a short note where the op
fills in the formula in a way the formula does not say (symmetry credit, defaults).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def _first_paragraph(doc: str) -> str:
    """The first paragraph of a docstring on one line."""
    lines = []
    for line in doc.strip().splitlines():
        if not line.strip():
            break
        lines.append(line.strip())
    return " ".join(lines)


def _markdown(text: str) -> str:
    """reStructuredText literals and roles as Markdown code spans."""
    text = re.sub(r":(?:func|mod|class):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


_KIND = {"counted": "counted", "free": "free", "blocked": "refused"}

# What an op's cost says that its formula's statement does not: how the generic
# families credit symmetry, and how some ops fill in the formula's arguments. By
# category for the ops charged by their category's formula; by name where an op differs.
_SYMMETRY_UNARY = "a SymmetricTensor is charged its unique elements and the result keeps its symmetry"
_SYMMETRY_BINARY = (
    "`shape` is the broadcast shape; operands sharing a symmetry are charged its unique "
    "elements, which the result keeps"
)
_CATEGORY_NOTES = {
    "unary": _SYMMETRY_UNARY,
    "emath": f"as its plain counterpart, {_SYMMETRY_UNARY}",
    "binary": _SYMMETRY_BINARY,
}
_NOTES = {
    "isclose": "`shape` is the broadcast shape of `a` and `b`; no symmetry credit",
    "frexp": "two results: no symmetry credit",
    "modf": "two results: no symmetry credit",
    "divmod": "`shape` is the broadcast shape; two results: no symmetry credit",
    "iscomplexobj": "a SymmetricTensor is charged its unique elements; the result is one bool",
    "isrealobj": "a SymmetricTensor is charged its unique elements; the result is one bool",
    "sort_complex": "a SymmetricTensor is charged its unique elements; the sorted result is "
    "not symmetric",
    "emath.power": f"as `me.power`, {_SYMMETRY_BINARY}",
    "fft.fft2": "over `axes`, the last two by default",
    "fft.ifft2": "over `axes`, the last two by default",
    "fft.rfft2": "over `axes`, the last two by default",
    "fft.irfft2": "over `axes`, the last two by default",
    "random.dirichlet": "the output is `size + (len(alpha),)`",
    "random.multinomial": "the output is `size + (len(pvals),)`",
    "random.multivariate_normal": "the output is `size + (len(mean),)`",
}


def _note(spec) -> str:
    from mechestim._core import registry
    from mechestim._costs.core import MEAN_LIKE, VARIANCE_LIKE

    if spec.name in _NOTES:
        return _NOTES[spec.name]
    if spec.formula.__name__ != registry._CATEGORY_FORMULAS.get(spec.category):
        return ""
    if spec.category == "reduction":  # the formula's op= matters for these only
        kind = "a mean" if spec.name in MEAN_LIKE else "a variance"
        return f"{kind} (`op='{spec.name}'`)" if spec.name in MEAN_LIKE | VARIANCE_LIKE else ""
    return _CATEGORY_NOTES.get(spec.category, "")


def _counted_cost(spec) -> str:
    """``me.flops.<formula>``, what its docstring says it costs, and the op's own note."""
    from mechestim._core import registry

    if spec.formula is None:
        return registry._NO_FORMULA[spec.name]
    text = f"`me.flops.{spec.formula.__name__}`: {_markdown(_first_paragraph(spec.formula.__doc__))}"
    note = _note(spec)
    return f"{text} Here: {note}." if note else text


def _what_it_costs(spec) -> str:
    from mechestim._core import surface as _surface

    if spec.status == "blocked":
        return f"refused: {spec.reason}; instead, {spec.instead}"
    if spec.status == "free":
        note = _surface.NOTES.get(spec.name) or _FREE_NOTES.get(spec.category)
        text = "free" + (f": {note}" if note else "")
    else:
        text = _counted_cost(spec)
    if spec.since:
        text += f" (NumPy >= {spec.since}; older NumPy: an error saying so)"
    return text


# What "free" means for the free names that do more than re-export NumPy's object.
_FREE_NOTES = {
    "callback": "the loop is free; the ops inside your function are charged",
    "io": "arrays read come back as me.ndarray",
    "conversion": "arrays come back as me.ndarray",
}


def render() -> str:
    import mechestim as me
    from mechestim._core.registry import REGISTRY

    lines = [
        "# mechestim operations",
        "",
        "Generated from the op registry by `tools/gen_ops_doc.py`; do not edit by hand.",
        f"Cost-model revision `{me.__cost_model__}`. Every public name of `numpy`,",
        "`numpy.linalg`, `numpy.fft` and `numpy.random` (NumPy 2.0 to the newest) is listed",
        "with its kind: counted ops charge before they run; free names charge nothing and need",
        "no budget (NumPy's own object, or arrays returned as `me.ndarray`); refused names",
        "raise `me.UnsupportedFunctionError` (an `AttributeError`) saying why and what to use",
        "instead. A counted op's cost names the `me.flops` formula its charge is computed by",
        "and says what that formula counts (\"Here:\" adds what the op fills in); the formula",
        "answers the same cost from shapes, without running anything.",
        "",
    ]
    groups = [("top level (`me.*`)", ""), ("`me.linalg`", "linalg."), ("`me.fft`", "fft."),
              ("`me.random`", "random."), ("`me.emath`", "emath.")]  # fmt: skip
    for title, prefix in groups:
        names = [
            n for n in REGISTRY
            if (n.startswith(prefix) if prefix else "." not in n)
        ]  # fmt: skip
        lines += [f"## {title}", "", "| name | kind | category | what it costs |", "|---|---|---|---|"]
        for name in names:
            spec = REGISTRY[name]
            kind = _KIND[spec.status]
            lines.append(f"| `{name}` | {kind} | {spec.category} | {_cell(_what_it_costs(spec))} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is stale: run tools/gen_ops_doc.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
