"""Per-operation weights: loading, charging, errors, ``__cost_model__`` and the plugin's gate."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import mechestim as me

pytest_plugins = ["pytester"]

BASE_MODEL = me.__cost_model__


@pytest.fixture(autouse=True)
def _no_weights():
    me.configure(weights=None)
    yield
    me.configure(weights=None)


def charges(*calls) -> dict[str, int]:
    with me.BudgetContext(10**12) as budget:
        for call in calls:
            call()
    return {name: row["flop_cost"] for name, row in budget.operations.items()}


x100 = me.ones(100)


# -- charging ----------------------------------------------------------------------------------
def test_weights_scale_the_named_ops_only():
    calls = (lambda: me.exp(x100), lambda: me.add(x100, x100), lambda: me.linalg.svd(me.eye(4)))
    unweighted = charges(*calls)
    assert unweighted["exp"] == 100 and unweighted["add"] == 100
    me.configure(weights={"exp": 14.5, "linalg.svd": 1.25})
    weighted = charges(*calls)
    assert weighted["exp"] == 1450
    assert weighted["add"] == 100
    assert weighted["linalg.svd"] == int(unweighted["linalg.svd"] * 1.25)
    # me.flops answers stay unweighted FLOPs
    assert me.flops.pointwise_cost((100,)) == 100


def test_weight_zero_is_free_and_a_positive_weight_charges_at_least_one():
    me.configure(weights={"exp": 0, "multiply": 0.01})
    assert charges(lambda: me.exp(x100), lambda: me.multiply(me.ones(3), 2)) == {
        "exp": 0,
        "multiply": 1,  # int(3 * 0.01) == 0, but the op did work
    }


def test_weight_and_flop_multiplier_multiply_before_truncation():
    # int(7 * 1.5 * 3) == 31, where truncating after the weight would give int(10) * 3 == 30
    me.configure(weights={"exp": 1.5})
    with me.BudgetContext(10**6, flop_multiplier=3) as outer:
        with me.BudgetContext(10**6) as inner:
            me.exp(me.ones(7))
    assert inner.flops_used == 10 and outer.flops_used == 31
    assert me.budget_summary_dict()["operations"]["exp"]["flop_cost"] >= 10


def test_a_weighted_call_numpy_refuses_is_refunded_everywhere():
    me.configure(weights={"exp": 2.5})
    with me.BudgetContext(10**6, flop_multiplier=2) as outer:
        with me.BudgetContext(10**6) as inner:
            me.exp(me.ones(4))
            with pytest.raises(TypeError):
                me.exp(me.ones(4), bogus=1)
    assert inner.flops_used == 10 and outer.flops_used == 20
    assert inner.operations == {"exp": {"flop_cost": 10, "calls": 1}}


def test_a_weighted_overrun_names_the_weighted_cost():
    me.configure(weights={"exp": 3})
    with me.BudgetContext(200) as budget:
        with pytest.raises(me.BudgetExhaustedError, match="exp would cost 300 FLOPs"):
            me.exp(x100)
    assert budget.flops_used == 0


def test_get_weight():
    assert me.flops.get_weight("exp") == 1.0
    me.configure(weights={"exp": 14.5, "linalg.svd": 0})
    assert me.flops.get_weight("exp") == 14.5
    assert me.flops.get_weight("linalg.svd") == 0.0
    assert me.flops.get_weight("add") == 1.0
    with pytest.raises(ValueError, match="'nosuchop'"):
        me.flops.get_weight("nosuchop")


# -- the cost model names the weights --------------------------------------------------------
def test_cost_model_carries_a_hash_of_the_weights(tmp_path: Path):
    assert me.__cost_model__ == BASE_MODEL and "+w:" not in BASE_MODEL
    me.configure(weights={"exp": 14.5, "linalg.svd": 1.2})
    model = me.__cost_model__
    assert re.fullmatch(re.escape(BASE_MODEL) + r"\+w:[0-9a-f]{8}", model)
    # the same weights from a file (in the file format, with order and int/float spelling
    # changed, plus a weight of 1 that changes nothing) give the same cost model
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"weights": {"linalg.svd": 1.2, "exp": 14.5, "add": 1}}))
    me.configure(weights=None)
    me.configure(weights=path)
    assert me.__cost_model__ == model
    me.configure(weights={"weights": {"exp": 14.5, "linalg.svd": 1.2}})
    assert me.__cost_model__ == model
    me.configure(weights={"exp": 14.6, "linalg.svd": 1.2})
    assert me.__cost_model__ != model
    me.configure(weights={"add": 1.0})  # weights of 1 change no charge and no cost model
    assert me.__cost_model__ == BASE_MODEL
    me.configure(weights=None)
    assert me.__cost_model__ == BASE_MODEL


def test_summaries_say_when_weights_are_active(capsys):
    with me.BudgetContext(1000) as budget:
        me.exp(me.ones(3))
    assert "weights" not in budget.summary()
    me.budget_summary()
    assert "weights" not in capsys.readouterr().out
    me.configure(weights={"exp": 2})
    line = "per-op weights active (1 op, hash " + me.__cost_model__.split("+w:")[1]
    assert line in budget.summary()
    me.budget_summary()
    assert line in capsys.readouterr().out


# -- bad weights: clear errors, nothing loaded -------------------------------------------------
@pytest.mark.parametrize(
    "weights, error, message",
    [
        ({"nosuchop": 2}, ValueError, r"unknown op name\(s\) 'nosuchop'"),
        ({"exp": -1}, ValueError, r"finite numbers >= 0, got exp=-1"),
        ({"exp": math.nan}, ValueError, r"got exp=nan"),
        ({"exp": math.inf}, ValueError, r"got exp=inf"),
        ({"exp": "2"}, ValueError, r"got exp='2'"),
        ({"exp": True}, ValueError, r"got exp=True"),
        ({"exp": None}, ValueError, r"got exp=None"),
        ({"arange": 2}, ValueError, r"'arange' are free or unsupported"),
        ({"exp": 2, "cos": -3, "foo": 1, "bar": 1}, ValueError, r"'foo', 'bar'.*cos=-3"),
        ([("exp", 2)], TypeError, r"needs a dict of op -> weight, a path .* got \[\('exp', 2\)\]"),
        (3, TypeError, r"got 3 \(int\)"),
    ],
)
def test_bad_weights_raise_naming_the_culprits_and_keep_the_old_weights(weights, error, message):
    me.configure(weights={"exp": 2})
    model = me.__cost_model__
    with pytest.raises(error, match=message):
        me.configure(weights=weights)
    assert me.__cost_model__ == model and me.flops.get_weight("exp") == 2.0
    assert charges(lambda: me.exp(x100)) == {"exp": 200}


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", r"w\.json' is not valid JSON \(line 1, column 2"),
        ('{"exp": 2}', r'must hold a JSON object with a "weights" object'),
        ('{"weights": [1, 2]}', r'must hold a JSON object with a "weights" object'),
        ('{"weights": {"exp": NaN}}', r"got exp=nan"),
    ],
)
def test_bad_weights_files(tmp_path: Path, text: str, message: str):
    path = tmp_path / "w.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        me.configure(weights=path)
    assert me.__cost_model__ == BASE_MODEL
    with pytest.raises(FileNotFoundError, match=r"weights file '.*missing\.json' does not exist"):
        me.configure(weights=str(tmp_path / "missing.json"))


def test_configure_with_a_bad_switch_loads_no_weights():
    with pytest.raises(ValueError, match="unknown setting 'bogus'"):
        me.configure(weights={"exp": 2}, bogus=True)
    assert me.__cost_model__ == BASE_MODEL and me.flops.get_weight("exp") == 1.0


# -- MECHESTIM_WEIGHTS_FILE ----------------------------------------------------------------------
def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_the_environment_variable_loads_weights_at_import(tmp_path: Path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"weights": {"exp": 14.5}, "calibration": {"note": "kept"}}))
    code = (
        "import mechestim as me\n"
        "with me.BudgetContext(10**6) as b:\n"
        "    me.exp(me.ones(100))\n"
        "print(me.__cost_model__, b.flops_used)\n"
    )
    done = _python(code, MECHESTIM_WEIGHTS_FILE=str(path))
    assert done.returncode == 0, done.stderr
    me.configure(weights=path)
    assert done.stdout.split() == [me.__cost_model__, "1450"]


def test_a_bad_environment_file_fails_the_import_naming_the_variable(tmp_path: Path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"weights": {"exp": -2}}))
    done = _python("import mechestim", MECHESTIM_WEIGHTS_FILE=str(path))
    assert done.returncode != 0
    assert f"MECHESTIM_WEIGHTS_FILE={str(path)!r}: no weights loaded" in done.stderr
    assert "exp=-2" in done.stderr


# -- the plugin's baseline gate sees the change --------------------------------------------------
SUITE = """
import mechestim as me

def test_a():
    me.exp(me.ones(100))
"""


def test_a_weights_file_makes_the_baseline_gate_say_the_cost_model_changed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    pytester.makepyfile(test_suite=SUITE)
    args = ["-p", "no:cacheprovider", "--flop-budget-baseline=base.json"]
    recorded = pytester.runpytest_subprocess(*args, "--flop-budget-update-baseline")
    assert recorded.ret == 0
    recorded_tests = json.loads((pytester.path / "base.json").read_text())["tests"]
    assert recorded_tests["test_suite.py::test_a"]["used"] == 100
    (pytester.path / "w.json").write_text(json.dumps({"weights": {"exp": 14.5}}))
    monkeypatch.setenv("MECHESTIM_WEIGHTS_FILE", str(pytester.path / "w.json"))
    me.configure(weights=pytester.path / "w.json")
    weighted_model = me.__cost_model__
    gated = pytester.runpytest_subprocess(*args)
    assert gated.ret == pytest.ExitCode.USAGE_ERROR
    gated.stderr.fnmatch_lines(
        [
            f"*base.json: recorded with cost model '{BASE_MODEL}', but this mechestim charges "
            f"by '{weighted_model}', so its FLOP counts are not comparable*"
        ]
    )
    # re-recorded under the weights: the header names them, the counts are weighted
    rerecorded = pytester.runpytest_subprocess(
        *args, "--flop-budget-update-baseline", "--flop-budget-json=report.json"
    )
    assert rerecorded.ret == 0
    rerecorded.stdout.fnmatch_lines([f"*cost model {weighted_model}; *per-op weights active (1 op*"])
    data = json.loads((pytester.path / "base.json").read_text())
    assert data["cost_model"] == weighted_model
    assert data["tests"]["test_suite.py::test_a"]["used"] == 1450
    assert data["tests"]["test_suite.py::test_a"]["operations"] == {"exp": {"calls": 1, "flop_cost": 1450}}
    report = json.loads((pytester.path / "report.json").read_text())
    assert report["cost_model"] == weighted_model and report["weights"] == {"exp": 14.5}


# -- python -m mechestim calibrate ----------------------------------------------------------------
def _calibrate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mechestim", "calibrate", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "MECHESTIM_WEIGHTS_FILE"},
    )


def test_calibrate_writes_a_weights_file_that_loads(tmp_path: Path):
    path = tmp_path / "weights.json"
    done = _calibrate(
        "--output", str(path), "--sizes", "64,256", "--ops", "exp,sum,linalg.svd,outer,isnat"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(path.read_text())
    # outer is measured on two n-vectors (n*n FLOPs ~ the elements), not two long ones
    assert set(data["weights"]) <= {"exp", "sum", "linalg.svd", "outer"}
    assert all(isinstance(w, float) and w > 0 for w in data["weights"].values())
    assert data["calibration"]["reference"] == "add" and data["calibration"]["sizes"] == [64, 256]
    assert "isnat" in data["calibration"]["not_measured"]  # needs datetimes: left at weight 1
    for op in ("exp", "sum", "linalg.svd", "outer"):
        assert re.search(rf"^{re.escape(op)} +\S.* [0-9.]+ +[0-9.e+-]+$", done.stdout, re.M), op
    assert "reference: add" in done.stdout and f"to {path}" in done.stdout
    me.configure(weights=path)
    assert "+w:" in me.__cost_model__ or set(data["weights"].values()) == {1.0}
    for op, weight in data["weights"].items():
        assert me.flops.get_weight(op) == weight


@pytest.mark.parametrize(
    "args, message",
    [
        (["--ops", "exp,nosuchop,arange"], "not counted mechestim op(s): 'nosuchop', 'arange'"),
        (["--sizes", "10,abc"], "--sizes needs comma-separated element counts, got '10,abc'"),
        (["--sizes", "8"], "--sizes needs element counts >= 16, got '8'"),
    ],
)
def test_calibrate_refuses_bad_arguments_naming_them(tmp_path: Path, args, message):
    path = tmp_path / "weights.json"
    done = _calibrate("--output", str(path), *args)
    assert done.returncode == 2 and message in done.stderr
    assert not path.exists()
