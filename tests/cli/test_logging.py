"""`--log-level` and RURALSELLER_LOG: the log on, through the redacting filter, and off again."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from click.testing import CliRunner

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.cli._logging import LOGGERS, configure_logging
from ruralseller.marketplaces import RedactingFilter
from ruralseller.sandbox import DEMO_SECRET, running


def test_the_log_shows_requests_and_never_the_secret(tmp_path: Path) -> None:
    farm = tmp_path / "farm"
    shutil.copytree(sample_path(), farm)
    with running() as url:
        result = CliRunner().invoke(
            cli,
            [
                "--log-level",
                "info",
                "publish",
                str(farm),
                "--to",
                "sandbox",
                "-o",
                f"base_url={url}",
                "--on",
                "2026-11-23",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "INFO httpx: HTTP Request: PUT" in result.output
    assert DEMO_SECRET not in result.output
    configure_logging(None)


def test_the_environment_variable_turns_it_on_and_nothing_stays_behind() -> None:
    result = CliRunner().invoke(cli, ["marketplaces"], env={"RURALSELLER_LOG": "DEBUG"})
    assert result.exit_code == 0
    handlers = [h for name in LOGGERS for h in logging.getLogger(name).handlers]
    assert any(isinstance(f, RedactingFilter) for h in handlers for f in h.filters)
    configure_logging(None)
    for name in LOGGERS:
        log = logging.getLogger(name)
        assert log.propagate
        assert log.level == logging.NOTSET
        assert not any(isinstance(f, RedactingFilter) for h in log.handlers for f in h.filters)


def test_without_the_option_nothing_is_logged() -> None:
    result = CliRunner().invoke(cli, ["validate", str(sample_path())])
    assert result.exit_code == 0
    assert "INFO" not in result.output
