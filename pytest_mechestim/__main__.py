"""``python -m pytest_mechestim compare OLD.json NEW.json [--tolerance 5%] [--format F]``.

Compares two FLOP files (baselines or ``--flop-budget-json`` reports) the way the
plugin compares a run with its baseline, including what moved (the ops behind each
regression, the change per namespace). ``--format`` picks plain text (the default),
GitHub-flavoured Markdown (for a pull-request comment) or JSON. Exit status: 0 when
nothing regressed, 1 on a regression, 2 when a file cannot be used or the arguments
are wrong, whatever the format.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ._files import printable
from .baseline import BaselineError, Comparison, FlopFile, compare, read_flop_file
from .markdown_report import code, comparison_markdown, verdict_markdown
from .moved import WhatMoved, what_moved
from .options import Tolerance, parse_tolerance
from .report import comparison_lines, fail_line

__all__ = ["main"]


def _tolerance(text: str) -> Tolerance:
    try:
        return parse_tolerance(text)
    except ValueError as exc:  # argparse reports it with the compare command's usage
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pytest_mechestim",
        description="Tools for the mechestim FLOP-budget pytest plugin.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    comparing = commands.add_parser(
        "compare",
        help="compare per-test FLOPs of two runs; exit 1 on a regression",
        description="Compare per-test FLOP counts of two JSON files (baselines or "
        "--flop-budget-json reports). Tests above OLD by more than the tolerance are "
        "regressions (exit status 1); tests missing from either side are not flagged.",
    )
    comparing.add_argument("old", type=Path, metavar="OLD.json", help="the reference file")
    comparing.add_argument("new", type=Path, metavar="NEW.json", help="the file to check")
    comparing.add_argument(
        "--tolerance",
        default="0",
        type=_tolerance,
        help="allowed increase: a percentage such as 5%% or a FLOP count (default 0)",
    )
    comparing.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default), markdown (GitHub-flavoured, for a pull-request comment) or json",
    )
    comparing.add_argument("-q", "--quiet", action="store_true", help="only list regressions")
    return parser


def _schema_note(old: FlopFile, new: FlopFile) -> str | None:
    flat = [f for f in (old, new) if not f.has_operations]
    if not flat:
        return None
    names = " and ".join(str(f.path) for f in flat)
    return (
        f"{names}: schema 1 (per-test totals only), so regressions cannot name the ops "
        "that moved; record the baseline again with --flop-budget-update-baseline"
    )


def _text(result: Comparison, moved: WhatMoved, args: argparse.Namespace, note: str | None) -> str:
    lines = []
    if note is not None:
        lines.append(printable(f"note: {note}"))
    verbosity = -1 if args.quiet else 0
    lines += [text for text, _ in comparison_lines(result, str(args.old), None, verbosity, moved)]
    if result.failed:
        lines.append(fail_line(result, str(args.old)))
    return "\n".join(lines)


def _markdown(
    result: Comparison, moved: WhatMoved, args: argparse.Namespace, note: str | None
) -> str:
    lines = ["## FLOP comparison", "", verdict_markdown(result, str(args.old)), ""]
    lines += comparison_markdown(result, str(args.old), None, moved)
    if note is not None:
        lines += ["", f"> {code(note)}"]
    return "\n".join(lines)


def _json(result: Comparison, moved: WhatMoved, args: argparse.Namespace, note: str | None) -> str:
    data = {
        "old": str(args.old),
        "new": str(args.new),
        "failed": result.failed,
        **result.as_dict(),
        "what_moved": moved.as_dict(),
        "note": note,
    }
    return json.dumps(data, indent=2)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        old = read_flop_file(args.old)
        new = read_flop_file(args.new)
    except BaselineError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 2
    if old.cost_model != new.cost_model:
        print(
            printable(
                f"error: {args.old} uses cost model {old.cost_model!r} but {args.new} uses "
                f"{new.cost_model!r}; their FLOP counts are not comparable"
            ),
            file=sys.stderr,
        )
        return 2
    result = compare(old.tests, new.tests, args.tolerance)
    moved = what_moved(result, old, new)
    render = {"text": _text, "markdown": _markdown, "json": _json}[args.format]
    print(render(result, moved, args, _schema_note(old, new)))
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
