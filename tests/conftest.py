"""Shared test settings."""

from __future__ import annotations

import os
from collections.abc import Iterator

import keyring
import keyring.backends.fail
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def _no_real_config_or_keyring(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test reads or writes the user's config folder or system keyring (saved accounts)."""
    monkeypatch.setenv("RURALSELLER_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(before)
