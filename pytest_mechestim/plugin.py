"""pytest hooks of the mechestim FLOP-budget plugin (entry point ``mechestim``).

Each hook only hands over to the modules that do the work: ``options`` (flags and
ini keys), ``marker``, ``measure`` (one test), ``controller`` (the run), ``report``,
``baseline`` and ``json_report``. Disable the plugin with ``-p no:mechestim``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from .controller import METER_KEY, RunState
from .fixture import FlopBudgetFixture
from .marker import MARKER_HELP
from .options import add_options, load_settings

_STATE = pytest.StashKey[RunState]()
_LISTENER = "mechestim-flop-records"


class _RecordListener:
    """Receives every test report (``pytest_runtest_logreport`` has no ``config`` argument)."""

    def __init__(self, state: RunState) -> None:
        self._state = state

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._state.add(report)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)  # first, so --strict-markers never trips
    state = config.stash[_STATE] = RunState(config, load_settings(config))
    config.pluginmanager.register(_RecordListener(state), _LISTENER)


def pytest_unconfigure(config: pytest.Config) -> None:
    listener = config.pluginmanager.get_plugin(_LISTENER)
    if listener is not None:
        config.pluginmanager.unregister(listener)


def pytest_report_header(config: pytest.Config) -> str:
    return "mechestim FLOP budget: " + config.stash[_STATE].header()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_STATE].check_markers(config, items)


def _phase(item: pytest.Item, when: str) -> Generator[None, Any, Any]:
    state = item.config.stash[_STATE]
    meter = item.stash.get(METER_KEY, None)
    if meter is None or not state.charges(when):
        return (yield)
    with meter.phase():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, Any]:
    item.config.stash[_STATE].start(item)
    return (yield from _phase(item, "setup"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _phase(item, "call"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _phase(item, "teardown"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    meter = item.stash.get(METER_KEY, None)
    if meter is not None and call.when == "teardown":
        item.user_properties.extend(meter.properties())  # junitxml reads them from this report
    report = yield
    item.config.stash[_STATE].annotate(item, call, report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    session.config.stash[_STATE].finish(session)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    config.stash[_STATE].write_summary(terminalreporter)


@pytest.fixture
def flop_budget(request: pytest.FixtureRequest) -> FlopBudgetFixture:
    """The running test's FLOP budget: read it, or call it to budget one ``with`` block."""
    meter = request.node.stash.get(METER_KEY, None)
    if meter is None:
        raise pytest.UsageError("the flop_budget fixture needs the mechestim plugin's test setup")
    return meter.handle
