"""The ``--flop-budget-json`` report: every test's FLOPs as one JSON document.

Layout (``schema_version`` 1)::

    {
      "schema_version": 1,
      "generator": "pytest-mechestim",
      "plugin_version": "...", "mechestim_version": "...", "cost_model": "...",
      "weights": null or {"exp": 14.5, ...},
      "options": {"default_budget": null, "report_only": false, "include_setup": false, ...},
      "totals": {"tests": 3, "flops_used": 12345, "outcomes": {"passed": 3}},
      "namespaces": [{"namespace": null, "tests": 2, "flops_used": ..., "flop_budget": ...,
                      "budgeted_tests": ..., "budgeted_flops_used": ..., "heaviest_test": ...}],
      "tests": [{"nodeid": ..., "namespace": ..., "budget": ..., "used": ..., "outcome": ...,
                 "enforced": ..., "operations": {"op": {"flop_cost": ..., "calls": ...}},
                 "overrun": null, "blocks": [...]}],
      "baseline": null or {"path": ..., "regressions": [...], "improvements": [...], ...,
                           "what_moved": {"per_op_detail": true, "tests": {nodeid: [op moves]},
                                          "namespaces": [...]}}
    }

Tests are sorted by node id, so the same suite gives the same file however it was
distributed over workers.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mechestim
from mechestim.metering import active_weights

from . import __version__
from ._files import write_atomic
from .results import namespace_totals, ran

if TYPE_CHECKING:
    from .baseline import Comparison
    from .moved import WhatMoved
    from .options import Settings

__all__ = ["SCHEMA_VERSION", "build_report", "write_report"]

SCHEMA_VERSION = 1


def build_report(
    records: list[dict[str, Any]],
    settings: Settings,
    comparison: Comparison | None = None,
    moved: WhatMoved | None = None,
) -> dict[str, Any]:
    """The report as plain data (``moved``: what moved, under ``baseline.what_moved``)."""
    tests = sorted(records, key=lambda r: r["nodeid"])
    counted = ran(tests)
    baseline = None
    if comparison is not None and settings.baseline is not None:
        baseline = {"path": str(settings.baseline), **comparison.as_dict()}
        if moved is not None:
            baseline["what_moved"] = moved.as_dict()
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": "pytest-mechestim",
        "plugin_version": __version__,
        "mechestim_version": mechestim.__version__,
        "cost_model": mechestim.__cost_model__,
        "weights": active_weights(),  # per-op weights in force (null when none)
        "options": {
            "default_budget": settings.default,
            "report_only": settings.report_only,
            "include_setup": settings.include_setup,
            "tolerance": str(settings.tolerance),
        },
        "totals": {
            "tests": len(counted),
            "flops_used": sum(r["used"] for r in counted),
            "outcomes": dict(sorted(Counter(r["outcome"] for r in tests).items())),
        },
        "namespaces": [row.as_dict() for row in namespace_totals(tests)],
        "tests": tests,
        "baseline": baseline,
    }


def write_report(path: Path, report: dict[str, Any]) -> None:
    """Write the report atomically (a reader sees the old file or the whole new one)."""
    write_atomic(Path(path), json.dumps(report, indent=2, sort_keys=False) + "\n")
