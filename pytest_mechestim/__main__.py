"""``python -m pytest_mechestim compare OLD.json NEW.json [--tolerance 5%]``.

Compares two FLOP files (baselines or ``--flop-budget-json`` reports) the way the
plugin compares a run with its baseline. Exit status: 0 when nothing regressed,
1 on a regression, 2 when a file cannot be used or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._files import printable
from .baseline import BaselineError, compare, read_flop_file
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
    comparing.add_argument("-q", "--quiet", action="store_true", help="only list regressions")
    return parser


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
    for text, _markup in comparison_lines(result, str(args.old), None, -1 if args.quiet else 0):
        print(text)
    if result.failed:
        print(fail_line(result, str(args.old)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
