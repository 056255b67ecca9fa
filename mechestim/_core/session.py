"""The session record: every charged op counted once, by innermost namespace path.

Budgets register themselves here on first entry; ``_budget.charge`` records each op
here once. ``budget_summary_dict`` and ``budget_summary`` read it.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["budget_summary", "budget_summary_dict", "budget_reset"]


class _NamespaceRecord:
    __slots__ = ("flop_budget", "flops_used", "operations")

    def __init__(self) -> None:
        self.flop_budget = 0
        self.flops_used = 0
        # op name -> [flop_cost, calls]; lists so the hot path updates in place.
        self.operations: dict[str, list[int]] = {}


class _Session:
    """Mutable session state; touched only under ``_budget._LOCK``."""

    def __init__(self) -> None:
        self.generation = 0
        self.clear()

    def clear(self) -> None:
        self.generation += 1
        self.top_level_budget = 0
        self.namespaces: dict[str | None, _NamespaceRecord] = {}

    def namespace(self, path: str | None) -> _NamespaceRecord:
        record = self.namespaces.get(path)
        if record is None:
            record = self.namespaces[path] = _NamespaceRecord()
        return record


SESSION = _Session()


def _ops_dict(operations: dict[str, list[int]]) -> dict[str, dict[str, int]]:
    ordered = sorted(operations.items(), key=lambda item: (-item[1][0], item[0]))
    return {name: {"flop_cost": cost, "calls": calls} for name, (cost, calls) in ordered}


def budget_summary_dict(by_namespace: bool = False) -> dict[str, Any]:
    """The session's FLOP accounting as plain data.

    Keys: ``flop_budget`` (sum of the outermost budgets used this session, the global
    default's included once used), ``flops_used``, ``flops_remaining`` and ``operations``
    (op -> ``flop_cost``, ``calls``). With ``by_namespace=True`` also ``by_namespace``:
    namespace path (``None`` for unnamed) -> ``flop_budget``, ``flops_used``,
    ``operations``; and, once ops ran outside any context, ``global_default``: the
    global default's own ``flop_budget``, ``flops_used`` and ``operations`` (also
    counted under ``None``), so a reader can show it apart from explicit budgets.
    Each op is counted once, under its innermost namespace.
    """
    from . import budget as _budget

    with _budget._LOCK:
        merged: dict[str, list[int]] = {}
        used = 0
        per_namespace = {}
        # list(): a counted op in a signal handler may add entries while this loop runs.
        for path, record in list(SESSION.namespaces.items()):
            used += record.flops_used
            for name, (cost, calls) in list(record.operations.items()):
                totals = merged.setdefault(name, [0, 0])
                totals[0] += cost
                totals[1] += calls
            if by_namespace:
                per_namespace[path] = {
                    "flop_budget": record.flop_budget,
                    "flops_used": record.flops_used,
                    "operations": _ops_dict(record.operations),
                }
        budget = SESSION.top_level_budget
        default = _budget._default_stack.context if _budget._default_stack is not None else None
        if default is not None and default._session_generation != SESSION.generation:
            default = None  # not used since the last budget_reset()
        if by_namespace and default is not None:
            default_record = {
                "flop_budget": default._budget,
                "flops_used": default._used,
                "operations": _ops_dict(default._operations),
            }
    result: dict[str, Any] = {
        "flop_budget": budget,
        "flops_used": used,
        "flops_remaining": budget - used,
        "operations": _ops_dict(merged),
    }
    if by_namespace:
        result["by_namespace"] = per_namespace
        if default is not None:
            result["global_default"] = default_record
    return result


def budget_reset() -> None:
    """Forget the session record, including the global default budget's usage."""
    from . import budget as _budget

    with _budget._LOCK:
        SESSION.clear()
        _budget._reset_default()


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def render_ops_table(operations: dict[str, dict[str, int]], total: int) -> list[str]:
    """Rows of op, FLOPs, % of ``total``, calls, aligned; shared by every text summary."""
    if not operations:
        return ["  (no operations)"]
    width = max(9, *(len(name) for name in operations))
    lines = [f"  {'operation':<{width}}  {'FLOPs':>16}  {'%':>6}  {'calls':>8}"]
    for name, row in operations.items():
        lines.append(
            f"  {name:<{width}}  {row['flop_cost']:>16,}  {_pct(row['flop_cost'], total):>6}"
            f"  {row['calls']:>8,}"
        )
    return lines


def _without(operations: dict[str, dict[str, int]], part: dict[str, dict[str, int]]):
    """``operations`` minus the per-op totals of ``part`` (ops left with no call dropped)."""
    rest = {}
    for name, row in operations.items():
        taken = part.get(name, {"flop_cost": 0, "calls": 0})
        if row["calls"] > taken["calls"]:
            rest[name] = {
                "flop_cost": row["flop_cost"] - taken["flop_cost"],
                "calls": row["calls"] - taken["calls"],
            }
    return dict(sorted(rest.items(), key=lambda kv: (-kv[1]["flop_cost"], kv[0])))


def render_summary(data: dict[str, Any]) -> str:
    """The text of ``budget_summary()`` for a ``budget_summary_dict(by_namespace=True)``.

    The global default (ops run outside any context) gets its own section and is kept
    out of the totals of explicit budgets: its budget (10**15 unless configured) is a
    fallback, and adding it to a real budget would make both unreadable.
    """
    lines = ["mechestim FLOP summary", "=" * 22]
    from .weights import weights_description

    weights = weights_description()
    if weights is not None:
        lines.append(weights)
    namespaces = dict(data.get("by_namespace", {}))
    default = data.get("global_default")
    explicit_budget, explicit_used = data["flop_budget"], data["flops_used"]
    if default is not None:
        explicit_budget -= default["flop_budget"]
        explicit_used -= default["flops_used"]
        unnamed = namespaces.pop(None, None)
        if unnamed is not None and (
            unnamed["flop_budget"] > default["flop_budget"]
            or unnamed["flops_used"] > default["flops_used"]
        ):
            namespaces[None] = {
                "flop_budget": unnamed["flop_budget"] - default["flop_budget"],
                "flops_used": unnamed["flops_used"] - default["flops_used"],
                "operations": _without(unnamed["operations"], default["operations"]),
            }
    if not namespaces and default is None:
        lines.append("no operations recorded")
    for path, record in sorted(namespaces.items(), key=lambda kv: (kv[0] is not None, kv[0] or "")):
        label = "(no namespace)" if path is None else path
        budget, used = record["flop_budget"], record["flops_used"]
        budget_text = f"{budget:,}" if budget else "-"
        lines.append("")
        lines.append(f"namespace {label}: used {used:,} of {budget_text} ({_pct(used, budget)})")
        lines.extend(render_ops_table(record["operations"], used))
    if default is not None:
        budget, used = default["flop_budget"], default["flops_used"]
        lines.append("")
        lines.append(
            f"outside any BudgetContext (global default): used {used:,} of {budget:,}"
            f" ({_pct(used, budget)})"
        )
        lines.extend(render_ops_table(default["operations"], used))
    lines.append("")
    if default is None:
        lines.append(
            f"total: {explicit_used:,} FLOPs used of {explicit_budget:,}"
            f" ({_pct(explicit_used, explicit_budget)})"
        )
    elif namespaces:
        lines.append(
            f"total: {explicit_used:,} FLOPs used of {explicit_budget:,}"
            f" ({_pct(explicit_used, explicit_budget)}) in BudgetContexts,"
            f" plus {default['flops_used']:,} outside any (global default)"
        )
    else:
        lines.append(f"total: {default['flops_used']:,} FLOPs used, all outside any BudgetContext")
    return "\n".join(lines)


def budget_summary() -> None:
    """Print the session report: one table per namespace (op, FLOPs, %, calls) and totals.

    Ops run outside any context (charged to the global default) get their own table;
    the totals line sums explicit budgets only and adds the default's usage apart, so a
    1,000-FLOP budget never reads as part of the default's 10**15.
    """
    data = budget_summary_dict(by_namespace=True)
    try:
        from rich.console import Console
    except ImportError:
        print(render_summary(data))
        return
    # rich is only used when stdout is a real terminal; piped output stays plain text.
    if not sys.stdout.isatty():
        print(render_summary(data))
        return
    Console().print(render_summary(data), highlight=False)
