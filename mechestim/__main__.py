"""``python -m mechestim``: command-line tools.

``python -m mechestim calibrate --output weights.json [--sizes 1000,10000] [--quick]
[--ops exp,linalg.svd]`` measures per-op weights on this machine (see
``mechestim._calibrate``).
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from . import _calibrate

    parser = argparse.ArgumentParser(prog="python -m mechestim")
    commands = parser.add_subparsers(dest="command", required=True)
    calibrate = commands.add_parser(
        "calibrate",
        help="time every counted op against add per FLOP and write a weights file",
        description="Time every counted op against add per FLOP on this machine "
        "(a few sizes, medians) and write a weights file for me.configure(weights=...).",
    )
    _calibrate.add_arguments(calibrate)
    args = parser.parse_args(argv)
    return _calibrate.run(args)


if __name__ == "__main__":
    sys.exit(main())
