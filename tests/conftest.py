import pytest

import mechestim as me


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with an empty session record."""
    me.budget_reset()
    yield


@pytest.fixture(autouse=True)
def _no_job_summary(monkeypatch):
    """Plugin runs inside tests must not append to a real GitHub Actions job summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
