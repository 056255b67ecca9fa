"""The docs run as printed: every ```python block of README.md and of every page under docs/
is executed, and every number a block claims is checked.

How a page is run
    The ```python blocks of one page run in page order, in one fresh Python process per
    page, so a later block sees what an earlier one defined (as a reader who pastes them
    in order would). The working directory is an empty temporary directory, and the
    MECHESTIM_* environment variables are removed, so a page sees the library's defaults.
    Tracebacks name the page and its line number.

Blocks that are not run
    Only fences whose info string starts with ``python`` are run. A block that must not
    run (it needs a test suite around it, or shows an option another page explains) is
    fenced ```python no-run; ```bash, ```console, ```text, ```toml, ```json and the rest
    are never run either.

How a number is checked
    A line of a python block ending in ``# -> EXPECTED`` is a check. The code before the
    comment must be one whole expression; the page fails if it is not, so a claim can
    never go silently unchecked. The expression's value (for ``print(x)``: ``x``, which is
    still printed) must equal EXPECTED read as a Python literal, where a number may be
    written with thousands separators (``# -> 131,584``); otherwise ``str(value)`` must
    equal EXPECTED as text, or start with it when EXPECTED ends in ``...``.
    A line ending in ``# raises NameOfError`` must raise that exception (or a subclass).
    Every such check must actually run: one left in a branch or function that the page
    never takes fails the page. Plain ``assert`` statements in a block are checks too.
    A comment in a python block that states a number with thousands separators
    (``131,072``) must be such a check: numbers the prose writes that way are claims.

How printed output is checked
    A block fenced ```text output directly after a python block is what that block
    prints: the page fails unless the block's standard output is exactly that text
    (trailing spaces and blank lines at the end aside). Other ```text blocks are
    illustrations and are not compared.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CHECK = re.compile(r"^#\s*->\s*(?P<expected>.+?)\s*$")
RAISES = re.compile(r"^#\s*raises\s+(?P<error>[A-Za-z_][\w.]*)\s*$")
GROUPED_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")


@dataclass
class Block:
    info: str  # the fence's info string, e.g. "python" or "python no-run"
    first_line: int  # 1-based line number of the block's first code line
    lines: list[str]

    @property
    def is_output(self) -> bool:
        return self.info.split() == ["text", "output"]

    @property
    def runs(self) -> bool:
        words = self.info.split()
        return bool(words) and words[0] == "python" and "no-run" not in words[1:]


def blocks_of(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown page, in order."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = FENCE.match(lines[j])
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            body.append(lines[j][indent:] if lines[j][:indent].isspace() else lines[j])
            j += 1
        blocks.append(Block(opening["info"].strip(), i + 2, body))
        i = j + 1
    return blocks


def _comments(source: str) -> dict[int, tuple[int, str]]:
    """Line number (1-based) -> (column, text) of the comment on that line, found by the
    tokenizer (so a '#' inside a string is not a comment)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {
        tok.start[0]: (tok.start[1], tok.string) for tok in tokens if tok.type == tokenize.COMMENT
    }


def _statement_ending_at(tree: ast.AST, line: int) -> ast.stmt | None:
    """The statement that ends on ``line`` and contains no other statement ending there."""
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.end_lineno == line:
            if found is None or node.lineno >= found.lineno:
                found = node
    return found


def _label(page: Path) -> str:
    """How errors name a page: its path in the repository."""
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else page.name


def instrument(page: Path, block: Block) -> tuple[str, list[str]]:
    """The block's source with each checked statement rewritten to call the runner's
    checkers, and where each check is (``page:line``). Line numbers are kept, so an error
    points at the page's own line."""
    lines = list(block.lines)
    checks: list[str] = []
    source = "\n".join(lines)
    tree = ast.parse(source)
    for line, (column, comment) in sorted(_comments(source).items()):
        where = f"{_label(page)}:{block.first_line + line - 1}"
        check, raises = CHECK.match(comment), RAISES.match(comment)
        if not check and not raises:
            number = GROUPED_NUMBER.search(comment)
            if number:
                raise AssertionError(
                    f"{where}: the comment states a number ({number[0]}) without checking it:"
                    " write it as '# -> VALUE' after an expression"
                )
            continue
        node = _statement_ending_at(tree, line)
        if node is None or (check and not isinstance(node, ast.Expr)):
            raise AssertionError(f"{where}: a '{comment}' check must follow one whole expression")
        first, last = node.lineno - 1, node.end_lineno - 1
        lines[last] = lines[last][:column].rstrip()
        indent = lines[first][: node.col_offset]
        code = [lines[first][node.col_offset :], *lines[first + 1 : last + 1]]
        if check:
            head, tail = "__docs_check__(lambda: (", f"), {check['expected']!r}, {where!r})"
        elif isinstance(node, ast.Expr):
            head, tail = "__docs_raises__(lambda: (", f"), {raises['error']!r}, {where!r})"
        else:  # a statement (an assignment): run it in the page's namespace
            text = "\n".join(code)
            head = f"__docs_raises__(lambda: exec({text!r}, globals()), {raises['error']!r}, {where!r})"
            code, tail = [""] * len(code), ""
        code[0] = head + code[0]
        code[-1] = code[-1] + tail
        lines[first : last + 1] = [indent + code[0], *code[1:]]
        checks.append(where)
    return "\n".join(lines), checks


RUNNER = r"""
import ast, contextlib, difflib, io, json, re, sys

def _expected_value(text):
    number = text.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text) else text
    try:
        return True, ast.literal_eval(number)
    except (ValueError, SyntaxError):
        return False, None

ran = set()

def __docs_check__(thunk, expected, where):
    ran.add(where)
    import builtins
    printed = []
    real_print = builtins.print
    def spy(*args, **kwargs):
        printed.append(args)
        real_print(*args, **kwargs)
    builtins.print = spy
    try:
        value = thunk()
    finally:
        builtins.print = real_print
    if value is None and len(printed) == 1 and len(printed[0]) == 1:
        value = printed[0][0]
    is_literal, literal = _expected_value(expected)
    if is_literal:
        try:
            if bool(value == literal):
                return
        except (ValueError, TypeError):
            pass
    text = str(value)
    if text == expected or (expected.endswith("...") and text.startswith(expected[:-3].rstrip())):
        return
    raise AssertionError(f"{where}: the page says {expected!r}, the code gives {text!r}")

def __docs_raises__(thunk, error, where):
    ran.add(where)
    try:
        thunk()
    except BaseException as exc:
        if any(cls.__name__ == error.rsplit(".", 1)[-1] for cls in type(exc).__mro__):
            return
        raise AssertionError(f"{where}: expected {error}, got {type(exc).__name__}: {exc}") from exc
    raise AssertionError(f"{where}: expected {error}, nothing was raised")

def _normalized(text):
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())

namespace = {"__name__": "__main__", "__docs_check__": __docs_check__, "__docs_raises__": __docs_raises__}
checks = []
for path, first_line, source, shown, block_checks in json.load(sys.stdin):
    checks += block_checks
    padded = "\n" * (first_line - 1) + source
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(padded, path, "exec"), namespace)
    finally:
        sys.stdout.write(printed.getvalue())
    if shown is not None and _normalized(printed.getvalue()) != _normalized(shown):
        diff = "\n".join(difflib.unified_diff(
            _normalized(shown).splitlines(), _normalized(printed.getvalue()).splitlines(),
            "the page shows", "the code prints", lineterm=""))
        raise AssertionError(f"{path}:{first_line}: the block's output differs from the page:\n{diff}")
skipped = [where for where in checks if where not in ran]
if skipped:
    raise AssertionError("checks that never ran (in a branch or function not taken): " + ", ".join(skipped))
"""


def runnable_pages() -> list[Path]:
    return [page for page in PAGES if any(b.runs for b in blocks_of(page.read_text()))]


def run_page(page: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    blocks = blocks_of(page.read_text())
    payload = []
    for i, block in enumerate(blocks):
        if block.runs:
            follower = blocks[i + 1] if i + 1 < len(blocks) else None
            shown = "\n".join(follower.lines) if follower and follower.is_output else None
            source, checks = instrument(page, block)
            payload.append([_label(page), block.first_line, source, shown, checks])
    env = {k: v for k, v in os.environ.items() if not k.startswith("MECHESTIM_")}
    return subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )


def test_every_docs_page_is_collected() -> None:
    names = {str(p.relative_to(ROOT)) for p in PAGES}
    assert "README.md" in names and "docs/cost-model.md" in names
    assert any(name.startswith("docs/how-to/") for name in names)


@pytest.mark.parametrize("page", runnable_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_runs_and_its_numbers_hold(page: Path, tmp_path: Path) -> None:
    result = run_page(page, tmp_path)
    if result.returncode != 0:
        pytest.fail(
            f"{page.relative_to(ROOT)} drifted from the code:\n{result.stderr[-3000:]}",
            pytrace=False,
        )


# -- the checker itself: a page that drifts must fail ----------------------------------

# Plain Python, so these runs take milliseconds: the checker does not care what is checked.
GOOD_PAGE = """# A page

```python
import math
x = [1.0] * 256
len(x)   # -> 256
with open("numbers.txt", "w") as handle:
    handle.write("256")
math.prod([256, 256]) * 2   # -> 131,072
print(2 ** 17)  # -> 131,072
sum(
    [5, 5]
)   # -> 10
int("not a number")   # raises ValueError
```

```python no-run
undefined_name   # not run
```

```python
print(f"{2 ** 17:,}")
```

```text output
131,072
```
"""


def _run_text(text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    page = tmp_path / "page.md"
    page.write_text(text)
    return run_page(page, tmp_path)


def test_the_checker_passes_a_page_whose_numbers_hold(tmp_path: Path) -> None:
    result = _run_text(GOOD_PAGE, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("print(2 ** 17)  # -> 131,072", "print(2 ** 17)  # -> 131,073", "says '131,073'"),
        ("len(x)   # -> 256", "len(x)   # -> 255", "page.md:6"),
        (")   # -> 10", ")   # -> 11", "page.md:13"),
        ("# raises ValueError", "# raises TypeError", "expected TypeError"),
        ("```text output\n131,072", "```text output\n131,073", "output differs"),
        ("```python no-run", "```python", "NameError"),
    ],
)
def test_the_checker_fails_a_page_that_drifted(tmp_path, old, new, message) -> None:
    assert old in GOOD_PAGE
    result = _run_text(GOOD_PAGE.replace(old, new), tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_check_that_never_runs_fails_the_page(tmp_path: Path) -> None:
    page = "```python\nif False:\n    print(1)   # -> 1\n```\n"
    result = _run_text(page, tmp_path)
    assert result.returncode != 0
    assert "never ran" in result.stderr


@pytest.mark.parametrize(
    "code",
    ["x = 1   # -> 1", "y = 2   # 1,000 FLOPs, not checked"],
)
def test_claims_that_cannot_be_checked_are_refused(tmp_path: Path, code: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"```python\n{code}\n```\n")
    block = blocks_of(page.read_text())[0]
    with pytest.raises(AssertionError, match="page.md:2"):
        instrument(page, block)


# -- links between pages ---------------------------------------------------------------

LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    lines, inside = [], False
    for line in page.read_text().splitlines():
        if FENCE.match(line):
            inside = not inside
        elif not inside and line.startswith("#"):
            lines.append(line.lstrip("#"))
    return {_slug(line) for line in lines}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_between_pages_resolve(page: Path) -> None:
    broken = []
    for match in LINK.finditer(page.read_text()):
        target = match["target"]
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)} links to what does not exist: {broken}"


def test_every_guide_is_listed_in_the_docs_index() -> None:
    index = (ROOT / "docs" / "README.md").read_text()
    guides = sorted(p.name for p in (ROOT / "docs" / "how-to").glob("*.md"))
    assert guides, "no guides found"
    assert [g for g in guides if f"(how-to/{g})" not in index] == []
