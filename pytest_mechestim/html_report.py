"""The ``--flop-budget-html`` report: one self-contained HTML file people can look at.

Everything is inline: CSS, the bar charts (SVG) and a few lines of plain JavaScript
that make the test table sortable. Nothing is loaded from the network, nothing needs
a build step, and the page is complete without JavaScript (the table just does not
sort). Every piece of user text (node ids, namespaces, op names, paths, messages) is
HTML-escaped. Charts show at most :data:`CHART_ROWS` bars; the table lists every test.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from .moved import calls_text, clean_operations
from .results import namespace_label, namespace_totals, ran, top_tests

if TYPE_CHECKING:
    from .baseline import Change, Comparison
    from .moved import WhatMoved

__all__ = ["CHART_ROWS", "html_report"]

CHART_ROWS = 40

_CSS = """
:root { --ok: #2e7d32; --warm: #b26a00; --hot: #c62828; --none: #78909c; --track: #e8ecef;
        --ink: #1d2327; --muted: #5f6b73; --line: #d5dbe0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1180px; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { margin: 32px 0 8px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 18px 0 6px; font-size: 15px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.verdict { display: inline-block; padding: 6px 12px; border-radius: 6px; font-weight: 600; }
.verdict.fail { background: #fdecea; color: var(--hot); }
.verdict.pass { background: #e8f5e9; color: var(--ok); }
.verdict.none, .verdict.updated { background: var(--track); color: var(--ink); }
svg.bars { width: 100%; height: auto; display: block; }
svg.bars text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg.bars text.value { fill: var(--muted); }
table { border-collapse: collapse; margin: 6px 0; min-width: 50%; }
#tests { width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
#tests td:first-child { white-space: nowrap; }
#tests th { cursor: pointer; user-select: none; white-space: nowrap; }
#tests th[aria-sort="ascending"]::after { content: " \\25B2"; }
#tests th[aria-sort="descending"]::after { content: " \\25BC"; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
details summary { cursor: pointer; }
table.ops { min-width: 0; margin: 4px 0 4px 16px; }
table.ops td, table.ops th { border: 0; padding: 1px 8px; }
.outcome-failed, .outcome-error, .up { color: var(--hot); font-weight: 600; }
.outcome-passed, .down { color: var(--ok); }
.note { color: var(--warm); }
pre { background: var(--track); padding: 8px; overflow-x: auto; }
"""

# Sort the test table by the clicked column; numbers sort by their data-v value.
_JS = """
(function () {
  var table = document.getElementById("tests");
  if (!table) { return; }
  var heads = table.tHead.rows[0].cells;
  function key(row, index) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-v");
    return value === null ? cell.textContent.trim().toLowerCase() : parseFloat(value);
  }
  function sortBy(index) {
    var head = heads[index];
    var descending = head.getAttribute("aria-sort") === "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, index), y = key(b, index);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    head.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  Array.prototype.forEach.call(heads, function (head, index) {
    head.setAttribute("tabindex", "0");
    head.setAttribute("title", "sort by this column");
    head.addEventListener("click", function () { sortBy(index); });
    head.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(index); }
    });
  });
})();
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _pct(part: int, whole: int | None) -> str:
    return "-" if not whole else f"{100.0 * part / whole:.1f}%"


def _color(fraction: float | None, failed: bool = False) -> str:
    if failed or (fraction is not None and fraction > 1):
        return "var(--hot)"
    if fraction is None:
        return "var(--none)"
    return "var(--ok)" if fraction < 0.8 else "var(--warm)"


def _short(text: str, limit: int = 46) -> str:
    """A chart label: a node id without its file (the tooltip has it all), cut from the left."""
    text = text.split("::", 1)[-1]
    return text if len(text) <= limit else "\u2026" + text[-(limit - 1) :]


def _bars(rows: Sequence[tuple[str, int, int | None, bool]], label: str) -> str:
    """An SVG chart: one bar per (name, used, budget, failed), filled to used / budget.

    A row without a budget is drawn grey, scaled to the largest such row.
    """
    height, top, left, width = 24, 4, 320, 340
    free_max = max((used for _, used, budget, _ in rows if not budget), default=0) or 1
    total = top * 2 + height * len(rows)
    parts = [
        f'<svg class="bars" viewBox="0 0 900 {total}" role="img" aria-label="{_e(label)}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (name, used, budget, failed) in enumerate(rows):
        y = top + index * height
        fraction = used / budget if budget else None
        fill = min(fraction, 1.0) if fraction is not None else used / free_max
        value = (
            f"{used:,} / {budget:,} ({_pct(used, budget)})" if budget else f"{used:,} (no budget)"
        )
        parts.append(
            f"<g><title>{_e(name)}: {_e(value)}</title>"
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{_e(_short(name))}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{width}" height="16" rx="3" fill="var(--track)"/>'
            f'<rect x="{left}" y="{y + 4}" width="{width * fill:.1f}" height="16" rx="3" '
            f'fill="{_color(fraction, failed)}"/>'
            f'<text class="value" x="{left + width + 8}" y="{y + 16}">{_e(value)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _deltas(comparison: Comparison | None) -> dict[str, tuple[str, float]]:
    """Node id -> (text, sort value) of its change against the baseline."""
    if comparison is None:
        return {}
    found: dict[str, tuple[str, float]] = {}
    for change in (*comparison.regressions, *comparison.within_tolerance, *comparison.improvements):
        found[change.nodeid] = (f"{change.delta:+,}", change.delta)
    for nodeid in comparison.new:
        found[nodeid] = ("new", 0)
    return found


def _ops_table(operations: dict[str, dict[str, int]], budget: int | None) -> str:
    if not operations:
        return '<p class="meta">no op was charged</p>'
    rows = sorted(operations.items(), key=lambda item: (-item[1]["flop_cost"], item[0]))
    body = "".join(
        f'<tr><td><code>{_e(name)}</code></td><td class="num">{row["calls"]:,}</td>'
        f'<td class="num">{row["flop_cost"]:,}</td>'
        f'<td class="num">{_pct(row["flop_cost"], budget)}</td></tr>'
        for name, row in rows
    )
    return (
        '<table class="ops"><thead><tr><th>op</th><th class="num">calls</th>'
        '<th class="num">FLOPs</th><th class="num">% of budget</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _test_table(records: list[dict[str, Any]], comparison: Comparison | None) -> str:
    deltas = _deltas(comparison)
    rows = []
    for record in sorted(records, key=lambda r: r["nodeid"]):
        used, budget = record["used"], record["budget"]
        namespace = namespace_label(record["namespace"])
        share = 100.0 * used / budget if budget else -1.0
        # every passed test was compared; one that is neither changed nor new is unchanged
        compared = comparison is not None and record["outcome"] == "passed"
        delta_text, delta_value = deltas.get(record["nodeid"], ("0" if compared else "-", 0))
        delta_class = " up" if delta_value > 0 else (" down" if delta_value < 0 else "")
        outcome = record["outcome"]
        overrun = record.get("overrun")
        operations = clean_operations(record.get("operations") or {})
        if operations is None:
            detail = '<p class="meta">per-op totals unreadable (sent by another plugin version)</p>'
        else:
            detail = _ops_table(operations, budget)
        if overrun:
            detail = f'<p class="outcome-failed">{_e(overrun)}</p>' + detail
        rows.append(
            "<tr>"
            f"<td><code>{_e(namespace)}</code></td>"
            f"<td><details><summary><code>{_e(record['nodeid'])}</code></summary>{detail}</details></td>"
            f'<td class="num" data-v="{budget if budget is not None else -1}">{_n(budget)}</td>'
            f'<td class="num" data-v="{used}">{used:,}</td>'
            f'<td class="num" data-v="{share:.6f}">{_pct(used, budget)}</td>'
            f'<td class="outcome-{_e(outcome)}">{_e(outcome)}</td>'
            f'<td class="num{delta_class}" data-v="{delta_value}">{_e(delta_text)}</td>'
            "</tr>"
        )
    return (
        '<table id="tests"><thead><tr><th>namespace</th><th>test (click for its ops)</th>'
        '<th class="num">budget</th><th class="num">FLOPs used</th><th class="num">% used</th>'
        '<th>outcome</th><th class="num">baseline delta</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _change_rows(changes: Sequence[Change]) -> str:
    return "".join(
        f'<tr><td class="num">{c.before:,}</td><td class="num">{c.now:,}</td>'
        f'<td class="num">{c.delta:+,}</td>'
        f'<td class="num">{"new>0" if c.percent is None else f"{c.percent:+.1f}%"}</td>'
        f"<td><code>{_e(c.nodeid)}</code></td></tr>"
        for c in changes
    )


def _change_table(changes: Sequence[Change]) -> str:
    return (
        '<table><thead><tr><th class="num">baseline</th><th class="num">now</th>'
        '<th class="num">delta</th><th class="num">%</th><th>test</th></tr></thead>'
        f"<tbody>{_change_rows(changes)}</tbody></table>"
    )


def _baseline_section(
    comparison: Comparison,
    moved: WhatMoved | None,
    name: str,
    update_hint: str | None,
    updating: bool = False,
) -> str:
    # updating: the comparison is with the file before this run rewrote it, so its
    # increases were recorded, not failed, and the headings say so
    c = comparison
    counts = [
        f"{c.compared:,} compared",
        f"{len(c.regressions):,} regressed",
        f"{len(c.improvements):,} improved",
    ]
    if c.within_tolerance:
        counts.append(f"{len(c.within_tolerance):,} within tolerance")
    counts.append(f"{len(c.new):,} new")
    if c.not_run:
        counts.append(f"{c.not_run:,} not run")
    parts = [
        f'<section id="baseline"><h2>Baseline <code>{_e(name)}</code>'
        f"{' before this update' if updating else ''}</h2>",
        f'<p class="meta">tolerance {_e(c.tolerance)}: {_e(", ".join(counts))}</p>',
    ]
    if c.regressions:
        title = (
            "Increases (now recorded in the baseline, not failed)" if updating else "Regressions"
        )
        parts.append(f'<h3 class="up">{title}</h3>' + _change_table(c.regressions))
        if moved is not None:
            parts.append('<h3 id="what-moved">What moved</h3>')
            for change in c.regressions:
                moves = moved.for_test(change.nodeid)
                parts.append(
                    f"<details open><summary><code>{_e(change.nodeid)}</code> "
                    f'<span class="up">{change.delta:+,} FLOPs</span></summary>'
                )
                if moves:
                    body = "".join(
                        f'<tr><td><code>{_e(m.op)}</code></td><td class="num">{m.delta:+,}</td>'
                        f"<td>{_e(calls_text(m))}</td></tr>"
                        for m in moves
                    )
                    parts.append(
                        '<table class="ops"><thead><tr><th>op</th><th class="num">FLOPs</th>'
                        f"<th>calls</th></tr></thead><tbody>{body}</tbody></table>"
                    )
                elif moves is None:
                    parts.append('<p class="meta">no per-op totals in the baseline</p>')
                parts.append("</details>")
            if moved.namespaces:
                body = "".join(
                    f'<tr><td><code>{_e(m.label)}</code></td><td class="num">{m.tests:,}</td>'
                    f'<td class="num">{m.before:,}</td><td class="num">{m.now:,}</td>'
                    f'<td class="num">{m.delta:+,}</td></tr>'
                    for m in moved.namespaces
                )
                parts.append(
                    "<h3>Per namespace (tests in both runs)</h3><table><thead><tr><th>namespace</th>"
                    '<th class="num">tests</th><th class="num">baseline</th><th class="num">now</th>'
                    f'<th class="num">delta</th></tr></thead><tbody>{body}</tbody></table>'
                )
    if c.within_tolerance:
        parts.append("<h3>Increases within tolerance</h3>" + _change_table(c.within_tolerance))
    if c.improvements:
        parts.append('<h3 class="down">Improvements</h3>' + _change_table(c.improvements))
    if update_hint and (c.improvements or c.regressions or c.within_tolerance):
        parts.append(
            f"<p>To record the new counts, run:</p><pre><code>{_e(update_hint)}</code></pre>"
        )
    if c.new:
        body = "".join(
            f'<tr><td class="num">{v:,}</td><td><code>{_e(k)}</code></td></tr>'
            for k, v in sorted(c.new.items())
        )
        parts.append(
            "<h3>New tests (not in the baseline)</h3><table><thead><tr>"
            f'<th class="num">now</th><th>test</th></tr></thead><tbody>{body}</tbody></table>'
        )
    parts.append("</section>")
    return "".join(parts)


def html_report(
    *,
    header: str,
    records: list[dict[str, Any]],
    comparison: Comparison | None,
    moved: WhatMoved | None,
    baseline_name: str | None,
    update_hint: str | None,
    updating: bool = False,
) -> str:
    """The whole report as one HTML document.

    The charts show up to :data:`CHART_ROWS` tests, the table all of them.
    """
    counted = ran(records)
    if comparison is None or baseline_name is None:
        verdict, kind = "No FLOP baseline was compared in this run.", "none"
    elif updating:
        verdict, kind = f"The FLOP baseline {baseline_name} was recorded from this run.", "updated"
    elif comparison.regressions:
        count = len(comparison.regressions)
        verdict = (
            f"FAIL: {count:,} test{'s' if count != 1 else ''} above the FLOP baseline "
            f"{baseline_name} (tolerance {comparison.tolerance})"
        )
        kind = "fail"
    else:
        verdict = f"PASS: no test above the FLOP baseline {baseline_name} (tolerance {comparison.tolerance})"
        kind = "pass"
    body = [
        "<header><h1>FLOP budget</h1>",
        f'<p class="meta">{_e(header)}</p>',
        f'<p class="verdict {kind}">{_e(verdict)}</p></header>',
    ]
    if not counted:
        body.append("<p>No tests were measured.</p>")
    else:
        totals = namespace_totals(records)
        used = sum(r["used"] for r in counted)
        body.append(
            f'<p class="meta">{len(counted):,} tests, {used:,} FLOPs in all, '
            f"{len(totals):,} namespace{'s' if len(totals) != 1 else ''}</p>"
        )
        ns_rows = [
            (
                row.label,
                row.budgeted_used if row.budgeted else row.used,
                row.budget if row.budgeted else None,
                False,
            )
            for row in totals
        ]
        body.append('<section id="namespaces"><h2>Namespaces: FLOPs used against budget</h2>')
        body.append(_bars(ns_rows, "FLOPs used against budget per namespace"))
        body.append(
            '<p class="meta">A namespace\'s bar covers its tests that have a budget; '
            "grey bars have no budget and are scaled to the largest of them.</p></section>"
        )
        heavy = top_tests(records, CHART_ROWS)
        test_rows = [
            (r["nodeid"], r["used"], r["budget"], r["outcome"] in ("failed", "error"))
            for r in heavy
        ]
        more = len(counted) - len(heavy)
        body.append('<section id="test-chart"><h2>Tests: FLOPs used against budget</h2>')
        body.append(_bars(test_rows, "FLOPs used against budget per test"))
        if more > 0:
            body.append(
                f'<p class="meta">the {len(heavy):,} heaviest tests; {more:,} more in the table</p>'
            )
        body.append("</section>")
    if comparison is not None and baseline_name is not None:
        body.append(
            _baseline_section(
                comparison, moved, baseline_name, None if updating else update_hint, updating
            )
        )
    body.append('<section id="all-tests"><h2>Every test</h2>')
    body.append(
        '<p class="meta">Click a column to sort; click a test for its per-op breakdown.</p>'
    )
    body.append(_test_table(records, comparison) + "</section>")
    title = "FLOP budget report"
    if kind == "fail":
        title = "FAIL - " + title
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No network at all: the page may only use what it carries inline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + f"\n<script>{_JS}</script>\n</body></html>\n"
    )
