"""Per-operation weights: price ops by what they really cost on a machine.

Analytical FLOPs treat ``exp`` like ``add``. A weights mapping (``{"exp": 14.5,
"linalg.svd": 1.2}``) scales each charge of the named ops: ``_budget.charge`` charges
``int(flops * weight * flop_multiplier)`` (at least 1 when the FLOPs are >= 1 and the
weight is > 0; weight 0 makes an op free). Ops not named keep weight 1.

Weights come from the file named by ``MECHESTIM_WEIGHTS_FILE`` (read when mechestim is
imported) or from ``me.configure(weights=dict | path | None)``. A file holds
``{"weights": {op: weight, ...}}``; other top-level keys (``calibrate`` writes
``"calibration"``) are kept for people and ignored here. A bad mapping (an unknown op
name, a weight that is not a finite number >= 0) raises naming every culprit and
leaves the weights in force unchanged.

While weights are active, ``me.__cost_model__`` ends in ``+w:<8 hex digits>``, a hash
of the effective weights, so FLOP baselines recorded under other weights (or none) are
seen as not comparable.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

# json and pathlib are imported where a weights file is read: most imports of mechestim
# read none, and the two modules would add a tenth to ``import numpy``.

__all__ = ["ENV_WEIGHTS_FILE", "get_weight", "active_weights", "weights_description"]

ENV_WEIGHTS_FILE = "MECHESTIM_WEIGHTS_FILE"
_SUFFIX = "+w:"

# Ops charged under a name of their own that is not a NumPy name in the registry.
_EXTRA_CHARGED = frozenset({"symmetrize"})

# What is loaded: the effective weights (entries of exactly 1 dropped, as they change
# nothing), their hash, and where they came from. The hot path reads _budget._weights.
_state: dict[str, Any] = {"weights": None, "hash": None, "source": None}


def _weighable() -> tuple[frozenset[str], frozenset[str]]:
    """(counted op names, every known op name) from the registry."""
    from .registry import COUNTED, REGISTRY

    counted = frozenset(n for n, s in REGISTRY.items() if s.status == COUNTED) | _EXTRA_CHARGED
    return counted, frozenset(REGISTRY) | _EXTRA_CHARGED


def _read_file(path: Path, origin: str) -> Mapping:
    import json

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"{origin}: weights file {str(path)!r} does not exist") from None
    except OSError as exc:
        raise OSError(f"{origin}: cannot read weights file {str(path)!r}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{origin}: weights file {str(path)!r} is not valid JSON "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        raise ValueError(
            f"{origin}: weights file {str(path)!r} must hold a JSON object with a "
            '"weights" object, e.g. {"weights": {"exp": 14.5, "linalg.svd": 1.2}}'
        )
    return data["weights"]


def _validate(raw: Mapping, origin: str) -> dict[str, float]:
    """Every problem of ``raw`` in one error, or the weights as floats."""
    counted, known = _weighable()
    unknown, free, bad = [], [], []
    weights: dict[str, float] = {}
    for name, value in raw.items():
        if not isinstance(name, str) or name not in known:
            unknown.append(name)
            continue
        if name not in counted:
            free.append(name)
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            bad.append(f"{name}={value!r}")
            continue
        as_float = float(value)
        if not math.isfinite(as_float) or as_float < 0:
            bad.append(f"{name}={value!r}")
            continue
        weights[name] = as_float
    problems = []
    if unknown:
        problems.append(
            "unknown op name(s) " + ", ".join(repr(n) for n in unknown)
            + " (names are mechestim's public op names, e.g. 'exp', 'linalg.svd')"
        )
    if free:
        problems.append(
            "op(s) " + ", ".join(repr(n) for n in free) + " are free or unsupported, so cannot be weighted"
        )
    if bad:
        problems.append("weights must be finite numbers >= 0, got " + ", ".join(bad))
    if problems:
        raise ValueError(f"{origin}: no weights loaded: " + "; ".join(problems))
    return weights


def parse(weights: Any, origin: str = "configure(weights=...)") -> tuple[dict[str, float], str]:
    """``weights`` (a mapping, a path, or a ``{"weights": ...}`` mapping) as validated
    floats, plus a description of where they came from."""
    if isinstance(weights, (str, os.PathLike)):
        from pathlib import Path

        path = Path(weights)
        return _validate(_read_file(path, origin), origin), str(path)
    if isinstance(weights, Mapping):
        inner = weights.get("weights")
        if isinstance(inner, Mapping):  # the file format, passed as a dict
            weights = inner
        return _validate(weights, origin), "a dict"
    raise TypeError(
        f"{origin} needs a dict of op -> weight, a path to a weights file, or None; "
        f"got {weights!r} ({type(weights).__name__})"
    )


def _hash(weights: dict[str, float]) -> str:
    import hashlib  # here, not at import: only weights need it
    import json

    canonical = json.dumps(sorted(weights.items()), separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]


def _set_cost_model(digest: str | None) -> None:
    package = sys.modules.get("mechestim")
    if package is None or "__cost_model__" not in vars(package):
        return
    # Built from the base revision in force, so a bump of the base string needs no change here.
    base = package.__cost_model__.split(_SUFFIX)[0]
    package.__cost_model__ = base if digest is None else f"{base}{_SUFFIX}{digest}"


def set_weights(weights: Any, origin: str = "configure(weights=...)") -> None:
    """Load ``weights`` (see :func:`parse`), or clear them with ``None``.

    Validation happens first: on any error nothing changes.
    """
    from . import budget as _budget

    if weights is None:
        effective, source = {}, None
    else:
        parsed, source = parse(weights, origin)
        effective = {name: w for name, w in parsed.items() if w != 1.0}
    digest = _hash(effective) if effective else None
    with _budget._LOCK:
        _budget._weights = effective or None
        _state.update(weights=effective or None, hash=digest, source=source if effective else None)
    _set_cost_model(digest)


def load_from_environment() -> None:
    """Load ``MECHESTIM_WEIGHTS_FILE`` if it is set (called when mechestim is imported)."""
    raw = os.environ.get(ENV_WEIGHTS_FILE)
    if raw is None or raw.strip() == "":
        return
    set_weights(raw, origin=f"{ENV_WEIGHTS_FILE}={raw!r}")


def get_weight(op: str) -> float:
    """The weight charges of ``op`` are scaled by (1.0 unless weights say otherwise).

    ``op`` is a public op name such as ``"exp"`` or ``"linalg.svd"``; an unknown name
    raises ``ValueError``. ``me.flops.*_cost`` functions stay unweighted FLOPs.
    """
    _, known = _weighable()
    if not isinstance(op, str) or op not in known:
        raise ValueError(f"get_weight: mechestim has no operation named {op!r}")
    weights = _state["weights"]
    return 1.0 if weights is None else weights.get(op, 1.0)


def active_weights() -> dict[str, float] | None:
    """A copy of the weights in force (only those != 1), or ``None`` when none are."""
    weights = _state["weights"]
    return None if weights is None else dict(weights)


def weights_description() -> str | None:
    """One line saying which weights are active, or ``None`` when none are."""
    weights = _state["weights"]
    if weights is None:
        return None
    count = len(weights)
    return (
        f"per-op weights active ({count} op{'s' if count != 1 else ''}, "
        f"hash {_state['hash']}, from {_state['source']})"
    )
