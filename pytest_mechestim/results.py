"""Aggregating per-test records (as they arrive on the controller) into run totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BeforeAndNow",
    "NO_NAMESPACE",
    "NamespaceTotal",
    "baseline_counts",
    "namespace_label",
    "namespace_totals",
    "percent_change",
    "ran",
    "top_tests",
    "usable",
]

NO_NAMESPACE = "(no namespace)"


def namespace_label(namespace: str | None) -> str:
    """How reports show a namespace: its name, or ``NO_NAMESPACE`` for tests without one."""
    return NO_NAMESPACE if namespace is None else namespace


def percent_change(before: int, now: int) -> float | None:
    """``now`` against ``before`` in percent (``None`` when ``before`` is 0)."""
    return None if before == 0 else 100.0 * (now - before) / before


class BeforeAndNow:
    """The change of a count between a baseline (``before``) and this run (``now``), for
    the records that have those two fields (a test, a namespace, an op)."""

    before: int
    now: int

    @property
    def delta(self) -> int:
        return self.now - self.before

    @property
    def percent(self) -> float | None:
        return percent_change(self.before, self.now)


@dataclass
class NamespaceTotal:
    """Totals of the tests that share one marker namespace."""

    namespace: str | None
    tests: int = 0
    used: int = 0
    budget: int = 0  # sum of the budgets of the tests that have one
    budgeted: int = 0  # how many tests have a budget
    budgeted_used: int = 0  # FLOPs used by those tests
    heaviest: str | None = None
    heaviest_used: int = -1

    @property
    def label(self) -> str:
        return namespace_label(self.namespace)

    def as_dict(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "tests": self.tests,
            "flops_used": self.used,
            "flop_budget": self.budget if self.budgeted else None,
            "budgeted_tests": self.budgeted,
            "budgeted_flops_used": self.budgeted_used,
            "heaviest_test": self.heaviest,
        }


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def usable(record: Any) -> bool:
    """True for a record with every field the totals read (a worker may run another version)."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("nodeid"), str)
        and isinstance(record.get("outcome"), str)
        and _count(record.get("used"))
        and (record.get("budget") is None or _count(record.get("budget")))
        and (record.get("namespace") is None or isinstance(record.get("namespace"), str))
        and isinstance(record.get("enforced"), bool)
    )


def ran(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of tests that ran (skipped ones are left out of totals)."""
    return [r for r in records if r["outcome"] != "skipped"]


def namespace_totals(records: Iterable[dict[str, Any]]) -> list[NamespaceTotal]:
    """One row per namespace, tests without a namespace first, then by name."""
    rows: dict[str | None, NamespaceTotal] = {}
    for record in sorted(ran(records), key=lambda r: r["nodeid"]):
        row = rows.get(record["namespace"])
        if row is None:
            row = rows[record["namespace"]] = NamespaceTotal(record["namespace"])
        row.tests += 1
        row.used += record["used"]
        if record["budget"] is not None:
            row.budgeted += 1
            row.budget += record["budget"]
            row.budgeted_used += record["used"]
        if record["used"] > row.heaviest_used:
            row.heaviest, row.heaviest_used = record["nodeid"], record["used"]
    return sorted(rows.values(), key=lambda row: (row.namespace is not None, row.namespace or ""))


def top_tests(records: Iterable[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """The ``count`` tests that used the most FLOPs (ties by node id)."""
    return sorted(ran(records), key=lambda r: (-r["used"], r["nodeid"]))[:count]


def baseline_counts(records: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Node id -> FLOPs of the passed tests: the counts a baseline records and is checked against."""
    return {r["nodeid"]: r["used"] for r in records if r["outcome"] == "passed"}
