"""`make bench`: every performance figure of the quality targets in one run."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def describe_machine() -> str:
    import numpy as np
    import opt_einsum

    import mechestim as me

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}, "
        f"opt_einsum {opt_einsum.__version__}, mechestim {me.__version__}"
    )


def main() -> None:
    print("machine:", describe_machine())
    print()
    import bench_core

    bench_core.main()
    for name in ("profile_call", "bench_einsum", "bench_plugin"):
        try:
            module = __import__(name)
        except ImportError as exc:
            print(f"{name}: not available ({exc})")
            continue
        print()
        module.main()


if __name__ == "__main__":
    main()
