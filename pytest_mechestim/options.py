"""The plugin's command-line options, their ini twins, and the parsed :class:`Settings`.

Every option has a command-line flag and an ini key. Flags default to ``None`` so an
ini value applies when the flag is absent; a flag given on the command line wins over
the ini file, and a ``flop_budget`` marker wins over both for the tests it marks.
A value that does not parse is a :class:`pytest.UsageError` naming the option and
where the value came from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from mechestim.metering import validate_budget

from ._files import UnsafePathError, check_output_paths, check_regular

__all__ = [
    "Settings",
    "Tolerance",
    "add_options",
    "load_settings",
    "parse_tolerance",
    "step_summary_path",
]


@dataclass(frozen=True)
class Tolerance:
    """How far above its baseline a test's FLOP count may go before it is a regression.

    ``percent`` tolerances scale with the baseline (``5%`` of 1,000 is 50 FLOPs);
    absolute ones are a fixed number of FLOPs. Exact rational arithmetic keeps the
    comparison free of rounding.
    """

    amount: Fraction
    percent: bool

    def allowance(self, baseline: int) -> Fraction:
        """The largest increase over ``baseline`` that is still accepted."""
        return baseline * self.amount / 100 if self.percent else self.amount

    def is_regression(self, baseline: int, now: int) -> bool:
        return now - baseline > self.allowance(baseline)

    def __str__(self) -> str:
        text = _plain_number(self.amount)
        return f"{text}%" if self.percent else (f"{text} FLOPs" if self.amount else "0")


def _plain_number(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):g}"


_NUMBER = re.compile(
    r"^[+]?(?P<whole>\d[\d_]*)?(?:\.(?P<fraction>\d*))?(?:[eE](?P<exponent>[+-]?\d+))?$"
)

# Tolerances past these are refused: nothing sensible needs them, and the exact
# arithmetic of a value like 1e999999999 would never finish.
MAX_TOLERANCE_PERCENT = 10**6
MAX_TOLERANCE_FLOPS = 2**63
_MAX_TOLERANCE_TEXT = 100  # characters; parsing time must not grow with the text
_MIN_TOLERANCE_EXPONENT = -30  # nonzero amounts below 1e-30 are refused (use 0)


def parse_tolerance(text: str) -> Tolerance:
    """``"5%"`` (relative to the baseline) or ``"1000"`` / ``"1e6"`` (absolute FLOPs).

    Raises ``ValueError`` naming the value for anything else: a negative amount, NaN,
    more than 1e6 % or 2**63 FLOPs, a nonzero amount below 1e-30, or a text longer than
    100 characters. The magnitude is checked from the digits and the exponent before
    any arithmetic, so every answer comes at once.
    """
    raw = text.strip()
    if len(raw) > _MAX_TOLERANCE_TEXT:
        raise ValueError(
            f"expected a percentage such as 5% or a FLOP count such as 1000, got a value of "
            f"{len(raw):,} characters ({raw[:20]!r}...)"
        )
    if raw.startswith("-"):
        raise ValueError(f"a tolerance cannot be negative, got {text!r}")
    percent = raw.endswith("%")
    number = raw[:-1].strip() if percent else raw
    match = _NUMBER.match(number)
    if match is None or not (match["whole"] or match["fraction"]):
        raise ValueError(
            f"expected a percentage such as 5% or a FLOP count such as 1000, got {text!r}"
        )
    fraction = match["fraction"] or ""
    significant = ((match["whole"] or "").replace("_", "") + fraction).lstrip("0")
    if not significant:
        return Tolerance(Fraction(0), percent)
    exponent = int(match["exponent"] or 0) - len(fraction)
    magnitude = len(significant) + exponent  # 10**(magnitude - 1) <= value < 10**magnitude
    limit = f"{MAX_TOLERANCE_PERCENT:,}%" if percent else f"2**63 = {MAX_TOLERANCE_FLOPS:,} FLOPs"
    too_large = ValueError(f"a tolerance must be at most {limit}, got {text!r}")
    if magnitude > 25:
        raise too_large
    if magnitude <= _MIN_TOLERANCE_EXPONENT:
        raise ValueError(f"a tolerance must be 0 or at least 1e-30, got {text!r}")
    amount = int(significant) * Fraction(10) ** exponent
    if amount > (MAX_TOLERANCE_PERCENT if percent else MAX_TOLERANCE_FLOPS):
        raise too_large
    return Tolerance(amount, percent)


def parse_budget(value: Any) -> int | None:
    """A default budget: a FLOP count > 0, or ``0``/``none`` for unlimited (``None``)."""
    if isinstance(value, str):
        raw = value.strip().replace("_", "").replace(",", "")
        if raw.lower() in {"none", "0", "unlimited"}:
            return None
        try:
            number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            raise ValueError(
                f"expected a FLOP count > 0, or 0/none for unlimited, got {value!r}"
            ) from None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    else:
        raise ValueError(f"expected a FLOP count > 0, or 0/none for unlimited, got {value!r}")
    if number == 0:
        return None
    try:
        return validate_budget(number)
    except (TypeError, ValueError):
        raise ValueError(
            f"expected a finite FLOP count >= 1, or 0/none for unlimited, got {value!r}"
        ) from None


def parse_count(value: Any) -> int:
    """A non-negative integer (``--flop-budget-top``)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"expected a whole number >= 0, got {value!r}") from None
    if number < 0:
        raise ValueError(f"expected a whole number >= 0, got {value!r}")
    return number


@dataclass(frozen=True)
class _Option:
    key: str
    kind: str  # "budget", "path", "tolerance", "count" or "flag"
    help: str
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return "--flop-budget-" + self.key.replace("_", "-")

    @property
    def ini(self) -> str:
        return "flop_budget_" + self.key

    @property
    def dest(self) -> str:
        return "flop_budget_" + self.key


OPTIONS = (
    _Option(
        "default",
        "budget",
        "FLOP budget for tests without a flop_budget marker (0 or 'none': unlimited, the default).",
        "N",
    ),
    _Option("json", "path", "Write a JSON report of every test's FLOPs to PATH.", "PATH"),
    _Option("baseline", "path", "Compare each test's FLOPs with the baseline file PATH.", "PATH"),
    _Option(
        "update_baseline",
        "flag",
        "Write this run's FLOP counts into the baseline file (only the tests that ran).",
    ),
    _Option(
        "tolerance",
        "tolerance",
        "Allowed increase over the baseline before a test counts as a regression: "
        "a percentage such as 5% or an absolute FLOP count (default 0).",
        "T",
    ),
    _Option(
        "markdown",
        "path",
        "Write the FLOP summary as GitHub-flavoured Markdown to PATH.",
        "PATH",
    ),
    _Option(
        "no_step_summary",
        "flag",
        "Do not append the Markdown summary to $GITHUB_STEP_SUMMARY (by default it is "
        "appended whenever that variable is set, as on GitHub Actions).",
    ),
    _Option(
        "html",
        "path",
        "Write a self-contained HTML report (charts, sortable table, per-op detail) to PATH.",
        "PATH",
    ),
    _Option("top", "count", "How many of the heaviest tests the summary lists (default 5).", "N"),
    _Option(
        "report_only",
        "flag",
        "Measure budgets but do not enforce them: overruns become warnings.",
    ),
    _Option("no_summary", "flag", "Do not print the FLOP budget section of the terminal summary."),
    _Option(
        "include_setup",
        "flag",
        "Also charge fixture setup and teardown to each test's budget.",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The resolved configuration of one pytest run."""

    default: int | None = None
    json: Path | None = None
    baseline: Path | None = None
    update_baseline: bool = False
    tolerance: Tolerance = Tolerance(Fraction(0), False)
    markdown: Path | None = None
    no_step_summary: bool = False
    html: Path | None = None
    top: int = 5
    report_only: bool = False
    no_summary: bool = False
    include_setup: bool = False

    def describe(self, shown: Callable[[Path], str] = str) -> str:
        """The active options in one short phrase, for header lines (paths through ``shown``)."""
        parts = [f"default budget {'unlimited' if self.default is None else f'{self.default:,}'}"]
        if self.report_only:
            parts.append("report-only")
        if self.include_setup:
            parts.append("setup/teardown charged")
        if self.baseline is not None:
            parts.append(f"baseline {shown(self.baseline)} (tolerance {self.tolerance})")
            if self.update_baseline:
                parts.append("updating the baseline")
        if self.json is not None:
            parts.append(f"json {shown(self.json)}")
        if self.markdown is not None:
            parts.append(f"markdown {shown(self.markdown)}")
        if self.html is not None:
            parts.append(f"html {shown(self.html)}")
        return ", ".join(parts)


def add_options(parser: pytest.Parser) -> None:
    """Register every flag (default ``None``) and its ini twin."""
    group = parser.getgroup("mechestim", "FLOP budgets (mechestim)")
    for option in OPTIONS:
        if option.kind == "flag":
            group.addoption(
                option.flag,
                action="store_true",
                default=None,
                dest=option.dest,
                help=option.help.replace("%", "%%"),
            )
            parser.addini(option.ini, option.help, type="bool", default=False)
        else:
            group.addoption(
                option.flag,
                action="store",
                default=None,
                dest=option.dest,
                metavar=option.metavar,
                help=option.help.replace("%", "%%"),
            )
            parser.addini(option.ini, option.help, type="string", default="")


def _convert(option: _Option, value: Any, base: Path) -> Any:
    if option.kind == "budget":
        return parse_budget(value)
    if option.kind == "tolerance":
        return parse_tolerance(str(value))
    if option.kind == "count":
        return parse_count(value)
    if option.kind == "path":
        text = str(value).strip()
        if not text:
            raise ValueError("expected a file path, got an empty value")
        path = Path(text).expanduser()
        path = path if path.is_absolute() else base / path
        try:
            check_regular(path)  # a FIFO or device is never read or replaced
        except UnsafePathError as exc:
            raise ValueError(str(exc)) from None
        return path
    return bool(value)


def _ini_origin(config: pytest.Config, option: _Option) -> str:
    overrides = getattr(config.option, "override_ini", None) or ()
    if any(str(entry).split("=", 1)[0].strip() == option.ini for entry in overrides):
        return f"command-line option -o {option.ini}"
    inipath = getattr(config, "inipath", None)
    where = f" in {inipath}" if inipath is not None else ""
    return f"ini option {option.ini}{where}"


def load_settings(config: pytest.Config) -> Settings:
    """Resolve every option (ini < command line), raising ``pytest.UsageError`` on bad values."""
    values: dict[str, Any] = {}
    invocation_dir = Path(config.invocation_params.dir)
    inipath = getattr(config, "inipath", None)
    ini_dir = Path(inipath).parent if inipath is not None else invocation_dir
    for option in OPTIONS:
        cli_value = config.getoption(option.dest, default=None)
        if cli_value is not None:
            raw, origin, base = cli_value, f"command-line option {option.flag}", invocation_dir
        else:
            origin = _ini_origin(config, option)
            try:
                raw = config.getini(option.ini)
            except (ValueError, TypeError, pytest.UsageError) as exc:
                raise pytest.UsageError(f"{origin}: {exc}") from None
            base = ini_dir
            if option.kind != "flag" and (raw is None or str(raw).strip() == ""):
                continue
        try:
            values[option.key] = _convert(option, raw, base)
        except ValueError as exc:
            raise pytest.UsageError(f"{origin}: {exc}") from None
    settings = Settings(**values)
    if settings.update_baseline and settings.baseline is None:
        raise pytest.UsageError(
            "--flop-budget-update-baseline needs a baseline file: "
            "pass --flop-budget-baseline=PATH or set the flop_budget_baseline ini option"
        )
    outputs = [
        (f"{_output_name(option)} ({option.flag} / {option.ini})", values.get(option.key))
        for option in OPTIONS
        if option.kind == "path" and option.key != "baseline"
    ]
    # the job summary is appended to, not replaced, but Markdown appended to the
    # baseline or to another report would break it just the same
    outputs.append(("the job summary $GITHUB_STEP_SUMMARY", step_summary_path(settings)))
    try:
        check_output_paths(settings.baseline, outputs)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    return settings


def step_summary_path(settings: Settings) -> Path | None:
    """The GitHub job-summary file the run appends its Markdown to, or ``None``.

    ``$GITHUB_STEP_SUMMARY`` (set by GitHub Actions for every step) unless
    ``--flop-budget-no-step-summary`` turned it off; a relative value is relative to the
    working directory, as a shell would read it.
    """
    if settings.no_step_summary:
        return None
    text = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    return Path(text) if text else None


_OUTPUT_NAMES = {"markdown": "the FLOP Markdown summary", "html": "the FLOP HTML report"}


def _output_name(option: _Option) -> str:
    """How messages name an output option: the words its write-failure line uses too."""
    return _OUTPUT_NAMES.get(option.key, "the FLOP report")
