"""Text the plugin prints: overrun messages and the "FLOP budget" summary section.

Everything here turns plain data into lines; nothing touches pytest or mechestim state.
Text that comes from users (node ids, namespaces, paths, exception messages) goes
through :func:`~pytest_mechestim._files.printable`, so control characters are shown
escaped instead of reaching the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._files import printable
from .results import namespace_label, namespace_totals, ran, top_tests

if TYPE_CHECKING:
    from .baseline import Change, Comparison
    from .measure import Overrun
    from .moved import WhatMoved

__all__ = [
    "comparison_lines",
    "moved_lines",
    "overrun_line",
    "overrun_text",
    "render_table",
    "summary_lines",
]

Line = tuple[str, dict[str, bool]]


def flops(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def percent(part: int, whole: int | None) -> str:
    return "-" if not whole else f"{100.0 * part / whole:.1f}%"


def signed_percent(change: Change) -> str:
    value = change.percent
    return "new>0" if value is None else f"{value:+.1f}%"


def render_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int], indent: str = "  "
) -> list[str]:
    """Aligned columns: numbers (the ``right`` column indexes) right-aligned, text left-aligned."""
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]
    last = len(header) - 1

    def line(cells: Sequence[str]) -> str:
        parts = []
        for index, (cell, width) in enumerate(zip(cells, widths)):
            if index in right:
                parts.append(cell.rjust(width))
            else:
                parts.append(cell if index == last else cell.ljust(width))
        return (indent + "  ".join(parts)).rstrip()

    return [line(header)] + [line(row) for row in rows]


# -- overruns -------------------------------------------------------------------------
def overrun_line(overrun: Overrun) -> str:
    """The overrun in one line, naming the test."""
    text = f"{printable(overrun.test)}: {overrun.headline()}"
    if overrun.in_thread:
        text += "; raised in a thread the test started"
    elif overrun.caught:
        text += "; the error was caught before it reached the test"
    return text


def _ops_table(overrun: Overrun, limit: int | None) -> list[str]:
    operations = list(overrun.operations.items())
    shown = operations if limit is None else operations[:limit]
    rows = [
        [
            name,
            f"{row['calls']:,}",
            f"{row['flop_cost']:,}",
            percent(row["flop_cost"], overrun.flop_budget),
        ]
        for name, row in shown
    ]
    lines = render_table(
        ["op", "calls", "FLOPs", "% of budget"], rows, right=(1, 2, 3), indent="    "
    )
    if len(shown) < len(operations):
        lines.append(f"    ... and {len(operations) - len(shown)} more ops (-v lists them all)")
    return lines


SHORT_OPS = 3  # ops named in the default (short) overrun message


def _top_ops_line(overrun: Overrun) -> str:
    """``top ops (18 of 25 FLOPs used): add 10 (2 calls, 40.0%), ...``: the first SHORT_OPS."""
    operations = list(overrun.operations.items())
    named = ", ".join(
        f"{name} {row['flop_cost']:,} ({row['calls']:,} call{'s' if row['calls'] != 1 else ''}, "
        f"{percent(row['flop_cost'], overrun.flop_budget)})"
        for name, row in operations[:SHORT_OPS]
    )
    text = f"  top ops ({overrun.used:,} of {overrun.flop_budget:,} FLOPs used): {named}"
    if len(operations) > SHORT_OPS:
        text += f"; -v lists all {len(operations):,}"
    return text


def overrun_text(
    overruns: Sequence[Overrun], verbosity: int, also: BaseException | None = None
) -> str:
    """The failure message of a test that went over budget.

    Short by default: the op, its cost, what remained, the budget, the namespace, the
    test, the user's source line and the top 3 ops. ``-v`` adds the full table of ops;
    ``-q`` puts the whole message on one line.
    """
    if verbosity < 0:
        parts = []
        for overrun in overruns:
            text = f"FLOP budget exceeded in {overrun_line(overrun)}"
            if overrun.operations:
                name, row = next(iter(overrun.operations.items()))
                text += (
                    f"; top op {name}: {row['flop_cost']:,} FLOPs "
                    f"({percent(row['flop_cost'], overrun.flop_budget)} of budget)"
                )
            parts.append(text)
        return " | ".join(parts)
    paragraphs = []
    for overrun in overruns:
        lines = [f"FLOP budget exceeded in {printable(overrun.test)}", f"  {overrun.headline()}"]
        if overrun.in_thread:
            lines.append(
                "  the BudgetExhaustedError was raised in a thread the test started and never "
                "reached the test; the test fails anyway"
            )
        elif overrun.caught:
            lines.append(
                "  the BudgetExhaustedError never reached the test (caught by the code under test); "
                "the test fails anyway"
            )
        if overrun.location:
            lines.append(f"  refused at {overrun.location}")
            if overrun.source:
                lines.append(f"    {overrun.source}")
        if not overrun.operations:
            lines.append("  no op had been charged yet")
        elif verbosity >= 1:
            lines.append(f"  ops so far ({overrun.used:,} FLOPs used of {overrun.flop_budget:,}):")
            lines.extend(_ops_table(overrun, None))
        else:
            lines.append(_top_ops_line(overrun))
        paragraphs.append("\n".join(lines))
    if also is not None:
        first = (str(also).strip().splitlines() or [""])[0]
        paragraphs.append(
            f"the test also raised {type(also).__name__}: {printable(first)}".rstrip(": ")
        )
    return "\n\n".join(paragraphs)


# -- the session summary ----------------------------------------------------------------
def _namespace_lines(records: list[dict[str, Any]], quiet: bool) -> list[str]:
    totals = namespace_totals(records)
    rows = []
    for row in totals:
        cells = [
            printable(row.label),
            f"{row.tests:,}",
            f"{row.used:,}",
            flops(row.budget) if row.budgeted else "-",
            percent(row.budgeted_used, row.budget) if row.budgeted else "-",
        ]
        if not quiet:
            cells.append(printable(row.heaviest or "-"))
        rows.append(cells)
    if len(totals) > 1:
        budget = sum(row.budget for row in totals)
        used_budgeted = sum(row.budgeted_used for row in totals)
        cells = [
            "total",
            f"{sum(r.tests for r in totals):,}",
            f"{sum(r.used for r in totals):,}",
            flops(budget) if budget else "-",
            percent(used_budgeted, budget) if budget else "-",
        ]
        if not quiet:
            cells.append("")
        rows.append(cells)
    header = ["namespace", "tests", "FLOPs used", "budget total", "% used"]
    if not quiet:
        header.append("heaviest test")
    return render_table(header, rows, right=(1, 2, 3, 4))


def _top_lines(records: list[dict[str, Any]], count: int) -> list[str]:
    rows = [
        [
            f"{r['used']:,}",
            flops(r["budget"]),
            percent(r["used"], r["budget"]),
            printable(namespace_label(r["namespace"])),
            printable(r["nodeid"]),
        ]
        for r in top_tests(records, count)
    ]
    if not rows:
        return []
    title = f"top {len(rows)} test{'s' if len(rows) != 1 else ''} by FLOPs:"
    return [
        title,
        *render_table(["FLOPs", "budget", "% used", "namespace", "test"], rows, right=(0, 1, 2)),
    ]


def _change_rows(changes: Sequence[Change]) -> list[list[str]]:
    return [
        [f"{c.before:,}", f"{c.now:,}", f"{c.delta:+,}", signed_percent(c), printable(c.nodeid)]
        for c in changes
    ]


def moved_lines(comparison: Comparison, moved: WhatMoved, verbosity: int) -> list[str]:
    """What moved: per regressed test the ops whose FLOPs changed, then the namespace totals.

    Up to 5 ops per test, every op at ``-v``; nothing when no test regressed.
    """
    from .moved import op_move_rows

    if not comparison.regressions:
        return []
    lines = ["what moved:"]
    limit = None if verbosity >= 1 else 5
    for change in comparison.regressions:
        lines.append(f"  {printable(change.nodeid)}  {change.delta:+,} FLOPs")
        moves = moved.for_test(change.nodeid)
        if moves is None:
            if moved.per_op_detail:  # a schema-1 file already said so once, for all tests
                lines.append("    (no per-op totals for this test in the baseline)")
            continue
        shown = moves if limit is None else moves[:limit]
        rows = [[printable(op), *rest] for op, *rest in op_move_rows(shown)]  # ops from a file
        lines.extend(_aligned(rows, right=(1,), indent="    "))
        if len(shown) < len(moves):
            lines.append(f"    ... and {len(moves) - len(shown)} more ops (-v lists them all)")
    if moved.namespaces:
        lines.append("per namespace (tests in both runs):")
        rows = [
            [
                printable(m.label),
                f"{m.tests:,}",
                f"{m.before:,}",
                f"{m.now:,}",
                f"{m.delta:+,}",
                "new>0" if m.percent is None else f"{m.percent:+.1f}%",
            ]
            for m in moved.namespaces
        ]
        header = ["namespace", "tests", "baseline", "now", "delta", "%"]
        lines.extend(render_table(header, rows, right=(1, 2, 3, 4, 5)))
    return lines


def _aligned(rows: Sequence[Sequence[str]], right: Sequence[int], indent: str) -> list[str]:
    """Rows in aligned columns, without a header line."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            indent
            + "  ".join(
                cell.rjust(width) if index in right else cell.ljust(width)
                for index, (cell, width) in enumerate(zip(row, widths))
            )
        ).rstrip()
        for row in rows
    ]


def comparison_lines(
    comparison: Comparison,
    name: str,
    update_hint: str | None,
    verbosity: int,
    moved: WhatMoved | None = None,
    updating: bool = False,
) -> list[Line]:
    """The baseline part of the summary (also printed by ``python -m pytest_mechestim compare``).

    With ``moved``, the regressions are followed by what moved (:func:`moved_lines`).
    ``updating``: this run rewrote the baseline, so the comparison is with the file as it
    was before, and its increases and new tests were recorded rather than failed; the
    lines say so, so that an update is not read as a failed gate.
    """
    c = comparison
    name = printable(name)
    counts = c.count_parts()
    lines: list[Line] = [
        (
            f"baseline {name}{' before this update' if updating else ''} "
            f"(tolerance {c.tolerance}): {', '.join(counts)}",
            {"bold": True},
        )
    ]
    header = ["baseline", "now", "delta", "%", "test"]
    if c.regressions:
        if updating:
            title = f"increases over the previous {name} (now recorded in it, not failed):"
            lines.append((title, {"yellow": True, "bold": True}))
        else:
            title = f"regressions (more FLOPs than {name} allows):"
            lines.append((title, {"red": True, "bold": True}))
        for text in render_table(header, _change_rows(c.regressions), right=(0, 1, 2, 3)):
            lines.append((text, {"yellow": True} if updating else {"red": True}))
        if moved is not None:
            lines.extend((text, {}) for text in moved_lines(c, moved, verbosity))
        if update_hint:
            lines.append((f"if the increase is intended, record the new counts: {update_hint}", {}))
    if verbosity >= 0 and c.within_tolerance:
        lines.append(("increases within tolerance:", {}))
        lines.extend(
            (t, {})
            for t in render_table(header, _change_rows(c.within_tolerance), right=(0, 1, 2, 3))
        )
    if c.improvements:
        if verbosity >= 0:
            lines.append(("improvements (fewer FLOPs than the baseline):", {"green": True}))
            for text in render_table(header, _change_rows(c.improvements), right=(0, 1, 2, 3)):
                lines.append((text, {"green": True}))
        if update_hint and not c.regressions:  # else said once, under the regressions
            lines.append((f"to record the improvements, run: {update_hint}", {"green": True}))
    if c.new and verbosity >= 0:
        title = (
            "new tests, now recorded in the baseline:"
            if updating
            else "new tests, not in the baseline (listed, not failed):"
        )
        lines.append((title, {}))
        rows = [[f"{flops_:,}", printable(nodeid)] for nodeid, flops_ in sorted(c.new.items())]
        lines.extend((t, {}) for t in render_table(["now", "test"], rows, right=(0,)))
    return lines


def fail_line(comparison: Comparison, name: str) -> str:
    count = len(comparison.regressions)
    return (
        f"FAIL: {count} test{'s' if count != 1 else ''} above the FLOP baseline {printable(name)} "
        f"(tolerance {comparison.tolerance})"
    )


def summary_lines(
    *,
    header: str,
    records: list[dict[str, Any]],
    top: int,
    verbosity: int,
    comparison: Comparison | None,
    baseline_path: str | None,
    update_hint: str | None,
    notes: Sequence[str],
    moved: WhatMoved | None = None,
    updating: bool = False,
) -> list[Line]:
    """The whole "FLOP budget" section, as (text, markup) lines."""
    quiet = verbosity < 0
    lines: list[Line] = [(header, {})]
    if not ran(records):  # none, or only skipped ones
        lines.append(("no tests were measured", {}))
    else:
        lines.extend((text, {}) for text in _namespace_lines(records, quiet))
        if not quiet and top > 0:
            lines.append(("", {}))
            lines.extend((text, {}) for text in _top_lines(records, top))
        over = [r for r in records if r.get("overrun")]
        if over:
            lines.append(("", {}))
            lines.append(("over budget:", {"bold": True}))
            for record in over:
                # the test's outcome: an expected overrun (xfail) is no failure
                tag = record["outcome"].upper() if record["enforced"] else "warning (report-only)"
                failed = record["outcome"] in ("failed", "error")
                lines.append(
                    (
                        f"  {tag} {printable(record['overrun'])}",
                        {"red": failed, "yellow": not failed},
                    )
                )
    for note in notes:
        lines.append((printable(note), {"yellow": True}))
    if comparison is not None and baseline_path is not None:
        lines.append(("", {}))
        lines.extend(
            comparison_lines(
                comparison, str(baseline_path), update_hint, verbosity, moved, updating
            )
        )
    return lines
