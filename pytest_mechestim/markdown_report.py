"""The FLOP summary as GitHub-flavoured Markdown (``--flop-budget-markdown``, step summary).

The same content as the terminal section, laid out for a pull-request comment or a
GitHub Actions job summary: the gate's verdict first, then the namespace table, the
heaviest tests, overruns, and the baseline comparison with what moved, improvements
and the command that records them. Every piece of user text (node ids, namespaces,
paths, messages) is put in a code span with table pipes escaped, so nothing in a test
name can turn into markup. Long lists are cut at :data:`MAX_ROWS` rows, keeping the
file well below GitHub's 1 MiB step-summary limit.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._files import check_regular
from .results import namespace_label, namespace_totals, ran, top_tests

if TYPE_CHECKING:
    from .baseline import Change, Comparison
    from .moved import WhatMoved

__all__ = [
    "MAX_ROWS",
    "append_step_summary",
    "code",
    "comparison_markdown",
    "markdown_summary",
    "verdict_markdown",
]

MAX_ROWS = 50  # rows per list; the rest is counted, not listed
OPS_PER_TEST = 10  # op moves shown per regressed test

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def code(text: object) -> str:
    """``text`` as an inline code span that is safe in a table cell.

    Control characters are shown escaped, ``|`` is escaped for GFM tables, and the
    fence is longer than any run of backticks inside the text.
    """
    raw = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text)).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", raw)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if raw.startswith("`") or raw.endswith("`") or not raw.strip() else ""
    return f"{fence}{pad}{raw}{pad}{fence}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int]) -> list[str]:
    align = ["--:" if index in right else "---" for index in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _cut(rows: list[Any]) -> tuple[list[Any], str | None]:
    if len(rows) <= MAX_ROWS:
        return rows, None
    return rows[:MAX_ROWS], f"... and {len(rows) - MAX_ROWS:,} more"


def _percent(part: int, whole: int | None) -> str:
    return "-" if not whole else f"{100.0 * part / whole:.1f}%"


def _signed_percent(value: float | None) -> str:
    return "new>0" if value is None else f"{value:+.1f}%"


def _change_table(changes: Sequence[Change]) -> list[str]:
    shown, more = _cut(list(changes))
    rows = [
        [f"{c.before:,}", f"{c.now:,}", f"{c.delta:+,}", _signed_percent(c.percent), code(c.nodeid)]
        for c in shown
    ]
    lines = _table(["baseline", "now", "delta", "%", "test"], rows, right=(0, 1, 2, 3))
    if more:
        lines += ["", more]
    return lines


def verdict_markdown(
    comparison: Comparison | None, baseline_name: str | None, updating: bool = False
) -> str:
    """One line: the gate's verdict, or that no baseline was compared (or it was updated)."""
    if comparison is None or baseline_name is None:
        return "No FLOP baseline was compared in this run."
    c = comparison
    if updating:
        return f"**UPDATED**: the FLOP baseline {code(baseline_name)} was recorded from this run."
    where = f"the FLOP baseline {code(baseline_name)} (tolerance {c.tolerance})"
    if c.regressions:
        count = len(c.regressions)
        return f"**FAIL**: {count:,} test{'s' if count != 1 else ''} above {where}."
    return f"**PASS**: no test above {where}."


def _moved_markdown(comparison: Comparison, moved: WhatMoved) -> list[str]:
    from .moved import op_move_rows

    lines = ["", "#### What moved", ""]
    shown, more = _cut(comparison.regressions)
    for change in shown:
        lines.append(f"- {code(change.nodeid)}: {change.delta:+,} FLOPs")
        moves = moved.for_test(change.nodeid)
        if moves:
            rows = [
                [code(op), delta, calls] for op, delta, calls in op_move_rows(moves[:OPS_PER_TEST])
            ]
            lines.append("")
            lines.extend("  " + line for line in _table(["op", "FLOPs", "calls"], rows, right=(1,)))
            if len(moves) > OPS_PER_TEST:
                lines.append(f"  ... and {len(moves) - OPS_PER_TEST:,} more ops")
            lines.append("")
    if more:
        lines.append(f"- {more}")
    if moved.namespaces:
        if lines[-1]:
            lines.append("")
        lines += ["#### Change per namespace (tests in both runs)", ""]
        rows = [
            [
                code(m.label),
                f"{m.tests:,}",
                f"{m.before:,}",
                f"{m.now:,}",
                f"{m.delta:+,}",
                _signed_percent(m.percent),
            ]
            for m in moved.namespaces
        ]
        header = ["namespace", "tests", "baseline", "now", "delta", "%"]
        lines.extend(_table(header, rows, right=(1, 2, 3, 4, 5)))
    if not moved.per_op_detail:
        lines += [
            "",
            "The baseline has no per-op totals (schema 1); recording it again "
            "(`--flop-budget-update-baseline`) adds them.",
        ]
    return lines


def comparison_markdown(
    comparison: Comparison,
    name: str,
    update_hint: str | None,
    moved: WhatMoved | None = None,
    updating: bool = False,
) -> list[str]:
    """The baseline comparison: counts, regressions and what moved, improvements, new tests.

    ``updating``: the run rewrote the baseline, so this compares with the file as it was
    before, and its increases and new tests were recorded, not failed (the titles say so).
    """
    c = comparison
    counts = c.count_parts()
    lines = [
        f"### Baseline {code(name)}{' before this update' if updating else ''}",
        "",
        f"Tolerance {c.tolerance}: {', '.join(counts)}.",
    ]
    if c.regressions:
        title = (
            f"#### Increases over the previous {code(name)} (now recorded in it, not failed)"
            if updating
            else f"#### Regressions (more FLOPs than {code(name)} allows)"
        )
        lines += ["", title, ""]
        lines += _change_table(c.regressions)
        if moved is not None:
            lines += _moved_markdown(c, moved)
    if c.within_tolerance:
        lines += ["", "#### Increases within tolerance", ""]
        lines += _change_table(c.within_tolerance)
    if c.improvements:
        lines += ["", "#### Improvements (fewer FLOPs than the baseline)", ""]
        lines += _change_table(c.improvements)
    if update_hint and (c.improvements or c.regressions or c.within_tolerance):
        what = (
            "the improvements"
            if not c.regressions
            else "the new counts (if the change is intended)"
        )
        lines += ["", f"To record {what}, run:", "", "```", update_hint, "```"]
    if c.new:
        title = (
            "#### New tests (now recorded in the baseline)"
            if updating
            else "#### New tests (not in the baseline; listed, not failed)"
        )
        lines += ["", title, ""]
        shown, more = _cut(sorted(c.new.items()))
        lines += _table(["now", "test"], [[f"{v:,}", code(k)] for k, v in shown], right=(0,))
        if more:
            lines += ["", more]
    return lines


def _namespace_table(records: list[dict[str, Any]]) -> list[str]:
    totals = namespace_totals(records)
    rows = [
        [
            code(row.label),
            f"{row.tests:,}",
            f"{row.used:,}",
            f"{row.budget:,}" if row.budgeted else "-",
            _percent(row.budgeted_used, row.budget) if row.budgeted else "-",
            code(row.heaviest) if row.heaviest else "-",
        ]
        for row in totals
    ]
    if len(totals) > 1:
        budget = sum(row.budget for row in totals)
        used_budgeted = sum(row.budgeted_used for row in totals)
        rows.append(
            [
                "**total**",
                f"{sum(r.tests for r in totals):,}",
                f"{sum(r.used for r in totals):,}",
                f"{budget:,}" if budget else "-",
                _percent(used_budgeted, budget) if budget else "-",
                "",
            ]
        )
    header = ["namespace", "tests", "FLOPs used", "budget total", "% used", "heaviest test"]
    return _table(header, rows, right=(1, 2, 3, 4))


def markdown_summary(
    *,
    header: str,
    records: list[dict[str, Any]],
    top: int,
    comparison: Comparison | None,
    moved: WhatMoved | None,
    baseline_name: str | None,
    update_hint: str | None,
    updating: bool = False,
    notes: Sequence[str] = (),
) -> str:
    """The whole summary as one Markdown document (ends with a newline)."""
    verdict = verdict_markdown(comparison, baseline_name, updating)
    lines = ["## FLOP budget", "", verdict, "", code(header)]
    if not ran(records):
        lines += ["", "No tests were measured."]
    else:
        lines += ["", "### Namespaces", ""] + _namespace_table(records)
        heaviest = top_tests(records, top) if top > 0 else []
        if heaviest:
            title = f"### Top {len(heaviest)} test{'s' if len(heaviest) != 1 else ''} by FLOPs"
            rows = [
                [
                    f"{r['used']:,}",
                    "-" if r["budget"] is None else f"{r['budget']:,}",
                    _percent(r["used"], r["budget"]),
                    code(namespace_label(r["namespace"])),
                    code(r["nodeid"]),
                ]
                for r in heaviest
            ]
            lines += ["", title, ""]
            lines += _table(
                ["FLOPs", "budget", "% used", "namespace", "test"], rows, right=(0, 1, 2)
            )
        over = [r for r in records if r.get("overrun")]
        if over:
            lines += ["", "### Over budget", ""]
            shown, more = _cut(over)
            for record in shown:
                tag = record["outcome"].upper() if record["enforced"] else "warning (report-only)"
                lines.append(f"- **{tag}** {code(record['overrun'])}")
            if more:
                lines.append(f"- {more}")
    if notes:
        lines.append("")
        lines.extend(f"> {code(note)}  " for note in notes)
    if comparison is not None and baseline_name is not None:
        lines.append("")
        hint = None if updating else update_hint
        lines += comparison_markdown(comparison, baseline_name, hint, moved, updating)
    return "\n".join(lines) + "\n"


def append_step_summary(path: Path, text: str) -> None:
    """Append ``text`` to the job summary file, after a blank line; never truncates it.

    A FIFO or device is refused (:class:`~pytest_mechestim._files.UnsafePathError`
    before opening, ``OSError`` if one appears meanwhile): the summary is meant to be a file.
    """
    path = Path(path)
    check_regular(path)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags, 0o666)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path} is not a regular file")
        size = os.fstat(descriptor).st_size
        data = (("\n" if size else "") + text).encode("utf-8", "backslashreplace")
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
    finally:
        os.close(descriptor)
