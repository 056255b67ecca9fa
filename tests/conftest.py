import pytest

import mechestim as me


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with an empty session record."""
    me.budget_reset()
    yield
