"""Baseline files: reading, writing and comparing per-test FLOP counts.

A baseline is a small JSON file meant to be committed (``schema_version`` 2)::

    {
      "cost_model": "mechestim-0.2/2",
      "format": "pytest-mechestim baseline",
      "schema_version": 2,
      "tests": {
        "tests/test_model.py::test_forward": {
          "namespace": "model",
          "operations": {"add": {"calls": 1, "flop_cost": 4096},
                         "matmul": {"calls": 1, "flop_cost": 524288}},
          "used": 528384
        }
      }
    }

Each test keeps its per-op totals, so a regression can name the ops that moved
(:mod:`pytest_mechestim.moved`). Keys are sorted and the layout is fixed, so a change
shows up as a small diff. Schema 1 baselines (``"tests": {nodeid: flops}``) are still
read, without per-op detail; they are rewritten as schema 2 only when updating was asked.
The reading side also accepts a ``--flop-budget-json`` report, which is what
``python -m pytest_mechestim compare`` is usually given. Either file must carry an
integer ``schema_version`` this plugin knows; a file without it, or with any other
value, is refused rather than guessed at.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._files import JSONFileError, UnsafePathError, locked, printable, read_json, write_atomic
from .json_report import SCHEMA_VERSION as REPORT_SCHEMA
from .options import Tolerance
from .results import BeforeAndNow

__all__ = [
    "BASELINE_FORMAT",
    "BaselineError",
    "Change",
    "Comparison",
    "FlopFile",
    "baseline_entry",
    "compare",
    "load_baseline",
    "read_flop_file",
    "update_baseline",
    "write_baseline",
]

BASELINE_FORMAT = "pytest-mechestim baseline"
BASELINE_SCHEMA = 2
BASELINE_SCHEMAS = (1, 2)  # the versions read; schema 1 has no per-op detail

Operations = dict[str, dict[str, int]]  # op name -> {"flop_cost": int, "calls": int}


class BaselineError(Exception):
    """A baseline or report file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class FlopFile:
    """Per-test FLOP counts read from a baseline or a JSON report."""

    path: Path
    cost_model: str | None
    tests: dict[str, int]
    schema: int = BASELINE_SCHEMA
    operations: dict[str, Operations] = field(default_factory=dict)  # tests that have them
    namespaces: dict[str, str | None] = field(default_factory=dict)  # tests that have one known

    @property
    def has_operations(self) -> bool:
        """False for a schema-1 baseline, which records totals only."""
        return self.schema != 1

    def entries(self) -> dict[str, dict[str, Any]]:
        """The tests as schema-2 baseline entries (per-op totals where this file has them)."""
        return {
            nodeid: baseline_entry(used, self.namespaces.get(nodeid), self.operations.get(nodeid))
            for nodeid, used in self.tests.items()
        }


def baseline_entry(
    used: int, namespace: str | None, operations: Operations | None
) -> dict[str, Any]:
    """One test of a schema-2 baseline; ``operations`` left out when unknown."""
    entry: dict[str, Any] = {"namespace": namespace, "used": used}
    if operations is not None:
        entry["operations"] = {
            name: {"calls": row["calls"], "flop_cost": row["flop_cost"]}
            for name, row in sorted(operations.items())
        }
    return entry


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_schema(
    path: Path, data: dict[str, Any], kind: str, expected: tuple[int, ...], redo: str
) -> int:
    """The file's ``schema_version``; refused when missing or not one of ``expected``."""
    if "schema_version" not in data:
        found = "has no 'schema_version'"
    else:
        version = data["schema_version"]
        if isinstance(version, int) and not isinstance(version, bool) and version in expected:
            return version
        found = f"has schema_version {version!r}"
    known = " or ".join(str(v) for v in expected)
    raise BaselineError(
        f"{path}: this {kind} {found}, but this pytest-mechestim reads only "
        f"schema_version {known} (an integer); {redo}"
    )


def _operations(path: Path, nodeid: str, raw: Any) -> Operations:
    """Per-op totals of one test, checked: op name -> whole ``flop_cost`` and ``calls``."""
    if not isinstance(raw, dict):
        raise BaselineError(f"{path}: the 'operations' of {nodeid!r} must be an object")
    table: Operations = {}
    for name, row in raw.items():
        if not (
            isinstance(row, dict)
            and _is_count(row.get("flop_cost"))
            and _is_count(row.get("calls"))
        ):
            raise BaselineError(
                f"{path}: op {name!r} of {nodeid!r} needs whole 'flop_cost' and 'calls' >= 0, "
                f"got {row!r}"
            )
        table[name] = {"flop_cost": row["flop_cost"], "calls": row["calls"]}
    return table


def _read(path: Path) -> Any:
    """The parsed JSON of ``path``; a :class:`BaselineError` naming the file for any problem."""
    shown = printable(str(path))
    try:
        return read_json(path)
    except FileNotFoundError:
        raise BaselineError(f"{shown}: no such file") from None
    except UnsafePathError as exc:
        raise BaselineError(f"{shown}: cannot be read ({exc})") from None
    except JSONFileError as exc:
        raise BaselineError(f"{shown}: not valid JSON ({exc}); the file looks corrupt") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BaselineError(f"{shown}: cannot be read ({reason})") from None


def read_flop_file(path: Path) -> FlopFile:
    """Read a baseline (``tests`` maps node ids to FLOPs) or a JSON report (``tests`` is a list).

    From a report only passed tests are taken: a failed test's count is partial.
    Raises :class:`BaselineError` naming the file for anything unreadable, and for a
    ``schema_version`` that is missing or not the one this plugin writes.
    """
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict):
        raise BaselineError(f"{path}: not a FLOP baseline or report (expected a JSON object)")
    raw = data.get("tests")
    if isinstance(raw, dict):
        redo = "record it again with --flop-budget-update-baseline"
        schema = _check_schema(path, data, "baseline", BASELINE_SCHEMAS, redo)
    elif isinstance(raw, list):
        redo = "write it again with --flop-budget-json"
        _check_schema(path, data, "JSON report", (REPORT_SCHEMA,), redo)
        schema = BASELINE_SCHEMA  # a report carries per-op totals like a schema-2 baseline
    else:
        raise BaselineError(f"{path}: not a FLOP baseline or report (no 'tests' table)")
    cost_model = data.get("cost_model")
    if cost_model is not None and not isinstance(cost_model, str):
        raise BaselineError(f"{path}: 'cost_model' must be a string, got {cost_model!r}")
    tests: dict[str, int] = {}
    operations: dict[str, Operations] = {}
    namespaces: dict[str, str | None] = {}
    if isinstance(raw, dict):
        for nodeid, flops in raw.items():
            if schema != 1:
                if not isinstance(flops, dict):
                    raise BaselineError(
                        f"{path}: the entry of {nodeid!r} must be an object with 'used', got {flops!r}"
                    )
                entry, flops = flops, flops.get("used")
                namespace = entry.get("namespace")
                if namespace is not None and not isinstance(namespace, str):
                    raise BaselineError(
                        f"{path}: the namespace of {nodeid!r} must be a string, got {namespace!r}"
                    )
                namespaces[nodeid] = namespace
                if "operations" in entry:
                    operations[nodeid] = _operations(path, nodeid, entry["operations"])
            if not _is_count(flops):
                raise BaselineError(
                    f"{path}: the FLOP count of {nodeid!r} must be a whole number >= 0, got {flops!r}"
                )
            tests[nodeid] = flops
    elif isinstance(raw, list):
        for index, entry in enumerate(raw):
            if not isinstance(entry, dict) or not isinstance(entry.get("nodeid"), str):
                raise BaselineError(f"{path}: tests[{index}] has no 'nodeid'")
            if not _is_count(entry.get("used")):
                raise BaselineError(
                    f"{path}: tests[{index}] ({entry['nodeid']}) has no valid 'used' count"
                )
            if entry.get("outcome", "passed") == "passed":
                nodeid = entry["nodeid"]
                tests[nodeid] = entry["used"]
                namespace = entry.get("namespace")
                namespaces[nodeid] = namespace if isinstance(namespace, str) else None
                if "operations" in entry:
                    operations[nodeid] = _operations(path, nodeid, entry["operations"])
    return FlopFile(path, cost_model, tests, schema, operations, namespaces)


def load_baseline(path: Path, cost_model: str) -> FlopFile:
    """Read a baseline recorded under ``cost_model``; another revision is a :class:`BaselineError`."""
    baseline = read_flop_file(path)
    if baseline.cost_model != cost_model:
        raise BaselineError(
            f"{path}: recorded with cost model {baseline.cost_model!r}, but this mechestim "
            f"charges by {cost_model!r}, so its FLOP counts are not comparable; "
            "record it again with --flop-budget-update-baseline"
        )
    return baseline


def baseline_text(tests: dict[str, dict[str, Any]], cost_model: str) -> str:
    """A schema-2 baseline of ``tests`` (node id -> :func:`baseline_entry`), sorted and stable."""
    data = {
        "cost_model": cost_model,
        "format": BASELINE_FORMAT,
        "schema_version": BASELINE_SCHEMA,
        "tests": dict(sorted(tests.items())),
    }
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a node id from an undecodable file name: escape it
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    # one line per op, so a changed op is a one-line diff (strings cannot match: their
    # quotes are escaped)
    return _OP_ROW.sub(r'{"calls": \1, "flop_cost": \2}', text)


_OP_ROW = re.compile(r'\{\n\s+"calls": (\d+),\n\s+"flop_cost": (\d+)\n\s+\}')


def write_baseline(path: Path, tests: dict[str, dict[str, Any]], cost_model: str) -> None:
    """Write a schema-2 baseline (node id -> :func:`baseline_entry`) atomically, sorted, stable."""
    write_atomic(Path(path), baseline_text(tests, cost_model))


def update_baseline(path: Path, current: dict[str, dict[str, Any]], cost_model: str) -> int:
    """Merge this run's entries into the baseline at ``path``; returns how many it then holds.

    ``current`` maps node ids to :func:`baseline_entry` dicts (per-op totals included).
    The file is read again, merged and written while holding a lock on it, so parallel
    partial runs (``-k`` in several CI jobs) each add their tests, with their per-op
    totals, and none is lost. Entries of a schema-1 file keep their totals (without
    per-op detail) and the file is written as schema 2. An unusable file (missing,
    corrupt, another cost model) is replaced by this run's entries. Raises ``OSError``
    (or :class:`~pytest_mechestim._files.UnsafePathError`) when the file cannot be written.
    """
    path = Path(path)
    with locked(path):
        try:
            before = load_baseline(path, cost_model).entries()
        except BaselineError:
            before = {}
        merged = {**before, **current}
        write_baseline(path, merged, cost_model)
    return len(merged)


@dataclass(frozen=True)
class Change(BeforeAndNow):
    """A test whose FLOP count differs from its baseline."""

    nodeid: str
    before: int
    now: int


@dataclass
class Comparison:
    """The outcome of comparing one run (or file) with a baseline."""

    tolerance: Tolerance
    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    within_tolerance: list[Change] = field(default_factory=list)
    new: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    not_run: int = 0

    @property
    def compared(self) -> int:
        return (
            len(self.regressions)
            + len(self.improvements)
            + len(self.within_tolerance)
            + self.unchanged
        )

    @property
    def failed(self) -> bool:
        return bool(self.regressions)

    def count_parts(self) -> list[str]:
        """The comparison in counts ("3 compared", "1 regressed", ...), as every report says it."""
        parts = [f"{self.compared:,} compared", f"{len(self.regressions):,} regressed"]
        parts.append(f"{len(self.improvements):,} improved")
        if self.within_tolerance:
            parts.append(f"{len(self.within_tolerance):,} within tolerance")
        parts.append(f"{len(self.new):,} new")
        if self.not_run:
            parts.append(f"{self.not_run:,} not run")
        return parts

    def as_dict(self) -> dict[str, Any]:
        def rows(changes: list[Change]) -> list[dict[str, Any]]:
            return [
                {"nodeid": c.nodeid, "baseline": c.before, "now": c.now, "delta": c.delta}
                for c in changes
            ]

        return {
            "tolerance": str(self.tolerance),
            "compared": self.compared,
            "unchanged": self.unchanged,
            "not_run": self.not_run,
            "regressions": rows(self.regressions),
            "improvements": rows(self.improvements),
            "within_tolerance": rows(self.within_tolerance),
            "new": [{"nodeid": k, "now": v} for k, v in sorted(self.new.items())],
        }


def compare(before: dict[str, int], now: dict[str, int], tolerance: Tolerance) -> Comparison:
    """Compare per-test counts: above tolerance is a regression, any decrease an improvement.

    Tests only in ``now`` are new (listed, never failed); tests only in ``before``
    did not run (a partial run) and are never flagged.
    """
    result = Comparison(tolerance)
    for nodeid in sorted(now):
        flops = now[nodeid]
        if nodeid not in before:
            result.new[nodeid] = flops
            continue
        old = before[nodeid]
        if flops == old:
            result.unchanged += 1
        elif flops < old:
            result.improvements.append(Change(nodeid, old, flops))
        elif tolerance.is_regression(old, flops):
            result.regressions.append(Change(nodeid, old, flops))
        else:
            result.within_tolerance.append(Change(nodeid, old, flops))
    result.not_run = sum(1 for nodeid in before if nodeid not in now)
    result.regressions.sort(key=lambda c: (-c.delta, c.nodeid))
    result.improvements.sort(key=lambda c: (c.delta, c.nodeid))
    return result
