"""What moved: the ops and namespaces behind a change in a test's FLOP count.

A baseline (schema 2) and a run both keep per-op totals per test, so when a test
regresses the report can say why: ``matmul  +524,288  (1 -> 2 calls)``. This module
turns two sides (a baseline, a JSON report, or the current run, all as
:class:`~pytest_mechestim.baseline.FlopFile`) into plain data; the text, Markdown and
HTML reports render it. Nothing here touches pytest or mechestim state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .baseline import BASELINE_SCHEMA, Comparison, FlopFile, Operations
from .results import BeforeAndNow, namespace_label

__all__ = [
    "NamespaceMove",
    "OpMove",
    "WhatMoved",
    "calls_text",
    "clean_operations",
    "op_move_rows",
    "op_moves",
    "run_file",
    "what_moved",
]


@dataclass(frozen=True)
class OpMove(BeforeAndNow):
    """One op whose FLOPs differ between the two sides of a test."""

    op: str
    before: int
    now: int
    calls_before: int
    calls_now: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "baseline": self.before,
            "now": self.now,
            "delta": self.delta,
            "calls_baseline": self.calls_before,
            "calls_now": self.calls_now,
        }


@dataclass(frozen=True)
class NamespaceMove(BeforeAndNow):
    """The change in total FLOPs of one namespace, over the tests on both sides."""

    namespace: str | None
    tests: int
    before: int
    now: int

    @property
    def label(self) -> str:
        return namespace_label(self.namespace)

    def as_dict(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "tests": self.tests,
            "baseline": self.before,
            "now": self.now,
            "delta": self.delta,
        }


@dataclass
class WhatMoved:
    """The ops behind each changed test, and the change per namespace.

    ``ops`` maps the node id of every test whose count changed to its op moves,
    largest change first, or to ``None`` when one side has no per-op totals (a
    schema-1 baseline). ``namespaces`` lists only namespaces whose total changed.
    """

    ops: dict[str, list[OpMove] | None] = field(default_factory=dict)
    namespaces: list[NamespaceMove] = field(default_factory=list)
    per_op_detail: bool = True

    def for_test(self, nodeid: str) -> list[OpMove] | None:
        return self.ops.get(nodeid)

    def as_dict(self) -> dict[str, Any]:
        return {
            "per_op_detail": self.per_op_detail,
            "tests": {
                nodeid: None if moves is None else [m.as_dict() for m in moves]
                for nodeid, moves in sorted(self.ops.items())
            },
            "namespaces": [m.as_dict() for m in self.namespaces],
        }


def op_moves(before: Operations, now: Operations) -> list[OpMove]:
    """The ops whose FLOPs or calls differ, largest absolute FLOP change first (ties by name)."""
    moves = []
    for name in set(before) | set(now):
        old = before.get(name, {"flop_cost": 0, "calls": 0})
        new = now.get(name, {"flop_cost": 0, "calls": 0})
        if old["flop_cost"] == new["flop_cost"] and old["calls"] == new["calls"]:
            continue
        moves.append(OpMove(name, old["flop_cost"], new["flop_cost"], old["calls"], new["calls"]))
    moves.sort(key=lambda m: (-abs(m.delta), m.op))
    return moves


def what_moved(comparison: Comparison, before: FlopFile, now: FlopFile) -> WhatMoved:
    """Explain ``comparison`` (of ``before.tests`` with ``now.tests``) op by op and per namespace."""
    result = WhatMoved(per_op_detail=before.has_operations and now.has_operations)
    changed = [*comparison.regressions, *comparison.within_tolerance, *comparison.improvements]
    for change in changed:
        old = before.operations.get(change.nodeid)
        new = now.operations.get(change.nodeid)
        result.ops[change.nodeid] = None if old is None or new is None else op_moves(old, new)
    totals: dict[str | None, list[int]] = {}
    for nodeid, flops in now.tests.items():
        if nodeid not in before.tests:
            continue
        namespace = now.namespaces.get(nodeid, before.namespaces.get(nodeid))
        row = totals.setdefault(namespace, [0, 0, 0])
        row[0] += 1
        row[1] += before.tests[nodeid]
        row[2] += flops
    moves = [NamespaceMove(ns, *row) for ns, row in totals.items() if row[1] != row[2]]
    moves.sort(key=lambda m: (-m.delta, m.namespace is not None, m.namespace or ""))
    result.namespaces = moves
    return result


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def clean_operations(raw: Any) -> Operations | None:
    """A record's per-op totals, or ``None`` when they are not well formed (another version)."""
    if not isinstance(raw, dict):
        return None
    table: Operations = {}
    for name, row in raw.items():
        if not (
            isinstance(name, str)
            and isinstance(row, dict)
            and _count(row.get("flop_cost"))
            and _count(row.get("calls"))
        ):
            return None
        table[name] = {"flop_cost": row["flop_cost"], "calls": row["calls"]}
    return table


def run_file(records: Iterable[dict[str, Any]], cost_model: str | None) -> FlopFile:
    """The passed tests of a run as a :class:`FlopFile`: the side compared with a baseline.

    A record whose per-op totals are malformed keeps its total, without per-op detail.
    """
    passed = [r for r in records if r["outcome"] == "passed"]
    operations = {}
    for record in passed:
        table = clean_operations(record.get("operations"))
        if table is not None:
            operations[record["nodeid"]] = table
    return FlopFile(
        path=Path("(this run)"),
        cost_model=cost_model,
        tests={r["nodeid"]: r["used"] for r in passed},
        schema=BASELINE_SCHEMA,
        operations=operations,
        namespaces={r["nodeid"]: r["namespace"] for r in passed},
    )


def calls_text(move: OpMove) -> str:
    """``(1 -> 2 calls)`` when the number of calls changed, ``(3 calls)`` when it did not."""
    if move.calls_before == move.calls_now:
        return f"({move.calls_now:,} call{'s' if move.calls_now != 1 else ''})"
    return f"({move.calls_before:,} -> {move.calls_now:,} calls)"


def op_move_rows(moves: Sequence[OpMove]) -> list[list[str]]:
    """Cells ``[op, signed delta, calls]`` for a table of op moves."""
    return [[m.op, f"{m.delta:+,}", calls_text(m)] for m in moves]
