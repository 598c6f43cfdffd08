"""Shared test settings."""

from __future__ import annotations

import os
from collections.abc import Iterator

import keyring
import keyring.backends.fail
import pytest
from hypothesis import HealthCheck, settings

from ruralseller.marketplaces import secrets as secrets_module

pytest_plugins = ["tests.pg.plugin"]

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


@pytest.fixture(autouse=True)
def _forget_secrets_made_by_hypothesis(request: pytest.FixtureRequest) -> Iterator[None]:
    """Secrets a Hypothesis test makes are forgotten after it.

    Hypothesis draws text from string constants in our code ("permission", "marketplace"),
    and a ``Secret`` made of one would be scrubbed from every later message of the run, so
    a test's redaction would depend on which tests ran before it.
    """
    if not getattr(getattr(request.node, "function", None), "is_hypothesis_test", False):
        yield
        return
    with secrets_module._KNOWN_LOCK:
        before = dict(secrets_module._KNOWN)
    yield
    with secrets_module._KNOWN_LOCK:
        secrets_module._KNOWN.clear()
        secrets_module._KNOWN.update(before)
