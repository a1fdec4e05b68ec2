"""The stack test/python/client.pytest.ts started: the API's address and key are in JAO_API_URL and JAO_API_KEY."""

import os
from types import SimpleNamespace

import pytest


def _setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run these tests with npm run test:python", returncode=2)
    return value


@pytest.fixture(scope="session")
def stack() -> SimpleNamespace:
    """What the stack stores: a month of maxExchanges with a gap and a revised day, a day of the domain."""
    _setting("JAO_API_URL")
    _setting("JAO_API_KEY")
    return SimpleNamespace(
        month_from=_setting("JAO_TEST_MONTH_FROM"),
        month_to=_setting("JAO_TEST_MONTH_TO"),
        gap=_setting("JAO_TEST_GAP"),
        revised=_setting("JAO_TEST_REVISED"),
        between_writes=_setting("JAO_TEST_BETWEEN_WRITES"),
        domain_day=_setting("JAO_TEST_DOMAIN_DAY"),
    )
