"""Build the optional compiled kernel ``mechestim._accel`` (everything else is in
pyproject.toml).

The extension is optional: where it cannot be built (no C compiler, no Python headers)
the install still succeeds and mechestim runs its pure-Python path, with the same results
and warnings. It must compute exactly what NumPy's loops compute, so it is built without
fast-math and without fused multiply-add contraction.
"""

import sys

from setuptools import Extension, setup

if sys.platform == "win32":
    flags = ["/O2", "/fp:precise"]
else:
    flags = ["-O3", "-fno-fast-math", "-ffp-contract=off"]

setup(
    ext_modules=[
        Extension(
            "mechestim._accel",
            ["mechestim/_accel.c"],
            extra_compile_args=flags,
            optional=True,
        )
    ]
)
