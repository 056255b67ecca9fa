"""``import mechestim`` leaves numpy.random, numpy.fft and opt_einsum unimported
(quality.md's import target), and every way of reaching those families binds them on
first use with the same result as when they are already bound.

Each case runs in a fresh interpreter: in this process the families are long bound.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

_LAZY = ("numpy.random", "numpy.fft", "opt_einsum")


def _run(code: str) -> str:
    """Run ``code`` in a fresh interpreter (after ``import mechestim as me``, ``numpy as
    np``); its stdout. A failed assertion there fails here with its traceback."""
    prelude = "import sys\nimport numpy as np\nimport mechestim as me\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_import_mechestim_imports_none_of_the_lazy_modules():
    loaded = _run(f"print(sorted(set({_LAZY!r}) & set(sys.modules)))")
    assert loaded == "[]"


# Each first use, alone in a fresh process: what it must give, and which of the lazy
# modules it may import.
FIRST_USES = {
    "registry impl and cost": (
        """
        from mechestim._core.registry import REGISTRY
        spec = REGISTRY["random.normal"]
        assert spec.impl is me.random.normal and spec.cost(size=(3, 4)) == 12
        assert REGISTRY["fft.rfft"].impl.__name__ == "rfft"
        assert REGISTRY["random.mtrand"].impl is None  # refused: nothing bound
        assert REGISTRY["fft.fftfreq"].cost(8) == 0
        """,
        {"numpy.random", "numpy.fft"},
    ),
    "numpy.fft on a mechestim array": (
        """
        x = me.arange(8.0)
        with me.BudgetContext(10**6) as budget:
            y = np.fft.fft(x)
        assert type(y) is me.ndarray and budget.flops_used == 120, budget.flops_used
        assert np.allclose(y, np.fft.fft(np.arange(8.0)))
        """,
        {"numpy.fft"},
    ),
    "dir and __all__": (
        """
        assert "normal" in dir(me.random) and "Generator" in dir(me.random)
        assert "rfft" in me.fft.__all__ and "fftfreq" in me.fft.__all__
        namespace = {}
        exec("from mechestim.random import *", namespace)
        assert namespace["randn"] is me.random.randn
        """,
        {"numpy.random", "numpy.fft"},
    ),
    "signature and errors": (
        """
        import inspect
        assert str(inspect.signature(me.random.normal)) == "(loc=None, scale=None, size=None)"
        assert list(inspect.signature(me.fft.fft).parameters) == ["a", "n", "axis", "norm", "out"]
        try:
            me.random.mtrand
        except me.UnsupportedFunctionError as exc:
            assert "me.random.mtrand is not supported" in str(exc), exc
        else:
            raise AssertionError("me.random.mtrand did not raise")
        try:
            me.fft.no_such_transform
        except AttributeError as exc:
            assert "me.fft.no_such_transform" in str(exc), exc
        """,
        {"numpy.random", "numpy.fft"},
    ),
    "einsum": (
        """
        a = me.ones((3, 4))
        with me.BudgetContext(10**6) as budget:
            r = me.einsum("ij,jk->ik", a, a.T)
        assert budget.flops_used == me.flops.einsum_cost("ij,jk->ik", [(3, 4), (4, 3)]) == 72
        assert float(r[0, 0]) == 4.0
        """,
        {"opt_einsum"},
    ),
}


@pytest.mark.parametrize("use", sorted(FIRST_USES))
def test_first_use_binds_the_family(use):
    code, may_load = FIRST_USES[use]
    loaded = _run(textwrap.dedent(code) + f"\nprint(sorted(set({_LAZY!r}) & set(sys.modules)))")
    assert set(eval(loaded)) <= may_load  # and what it needs: checked by the code itself


def test_threads_meeting_an_unbound_family_all_charge():
    out = _run(
        """
        import threading
        budget = me.BudgetContext(10**9)
        start = threading.Barrier(8)
        errors = []

        def draw():
            start.wait()
            try:
                with budget:
                    for _ in range(50):
                        me.random.normal(size=4)
                        me.fft.fft(me.ones(8))
            except Exception as exc:  # reported below
                errors.append(repr(exc))

        threads = [threading.Thread(target=draw) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(errors, budget.flops_used)
        """
    )
    assert out == f"[] {8 * 50 * (4 + 120)}"
