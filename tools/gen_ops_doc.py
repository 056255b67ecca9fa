"""Write docs/operations.md from the op registry (the single source of truth).

    .venv/bin/python tools/gen_ops_doc.py          # rewrite the file
    .venv/bin/python tools/gen_ops_doc.py --check  # exit 1 if it is stale

tests/test_docs.py runs the check, so the reference cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def _paragraphs(doc: str) -> list[str]:
    blocks, current = [], []
    for line in doc.strip().splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


_COST_WORDS = ("Charged", "charged", "Cost", "cost", "FLOP")


def _cost_sentences(doc: str) -> str:
    """The sentences of a docstring that state what the op costs (up to two)."""
    sentences = []
    for block in _paragraphs(doc):
        sentences += [part.strip() for part in block.replace(". ", ".\n").splitlines()]
    picked = [s for s in sentences if any(word in s for word in _COST_WORDS)]
    return " ".join(picked[:2])


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


_KIND = {"counted": "counted", "free": "free", "blocked": "refused"}


def _what_it_costs(spec) -> str:
    from mechestim._core import surface as _surface

    if spec.status == "blocked":
        return f"refused: {spec.reason}; instead, {spec.instead}"
    if spec.status == "free":
        note = _surface.NOTES.get(spec.name) or _FREE_NOTES.get(spec.category)
        text = "free" + (f": {note}" if note else "")
    else:
        text = _cost_sentences(spec.impl.__doc__ or "")
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
        "instead. `me.flops` answers the same costs without running anything.",
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
