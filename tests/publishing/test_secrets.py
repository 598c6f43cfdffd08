"""Credentials never leak: not into logs (at DEBUG), errors, reprs, reports or the outbox file.

Publishing and syncing run with known fake credentials against a sandbox that knows them,
then with a wrong secret, every logger at DEBUG; every trace a partner could paste into a
support chat is then searched for the secrets.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ruralseller.cli._app import cli
from ruralseller.marketplaces import get_marketplace
from ruralseller.publishing import Outbox, publish
from ruralseller.sandbox import create_app, running

from .conftest import draft, picture

KEY_ID = "village-shop-7"
SECRET = "FAKE-s3cret-Wu-farm-9f8e7d6c5b4a"  # noqa: S105 - a test credential, not a secret
WRONG = "FAKE-wrong-secret-0a1b2c3d4e5f"


def _outbox_dump(path: Path) -> str:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            repr(row)
            for table in tables
            for row in db.execute(f"SELECT * FROM {table}")  # noqa: S608
        )


def test_publish_and_sync_keep_the_credentials_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    outbox = tmp_path / "outbox.db"
    traces: list[str] = []
    app = create_app(accounts={KEY_ID: SECRET})
    with running(app=app) as url:
        items = [(draft(f"HEN-{n}"), [picture()]) for n in range(3)]
        good = publish(outbox, "sandbox", items, base_url=url, key_id=KEY_ID, secret=SECRET)
        assert good.ok
        queued = publish(outbox, "sandbox", [(draft("HEN-9", stock=3), [picture()])], offline=True)
        assert queued.results == ()
        bad = publish(outbox, "sandbox", base_url=url, key_id=KEY_ID, secret=WRONG)
        assert [r.outcome for r in bad.results] == ["retry_later"]  # fix the key, sync again
        traces += [r.message for r in bad.results] + [repr(r) for r in bad.results]
        adapter = get_marketplace("sandbox", base_url=url, key_id=KEY_ID, secret=SECRET)
        traces += [repr(adapter), repr(adapter.http), repr(adapter.http.client.auth)]
        result = CliRunner().invoke(
            cli,
            [
                "sync",
                str(tmp_path),
                "--to",
                "sandbox",
                "--outbox",
                str(outbox),
                "-o",
                f"base_url={url}",
                "-o",
                f"key_id={KEY_ID}",
                "-o",
                f"secret={WRONG}",
            ],
        )
        assert "HEN-9" in result.output, result.output  # the CLI really tried, and said so
        traces.append(result.output)
    traces.append(caplog.text)
    traces.append(_outbox_dump(outbox))
    traces.append(repr(Outbox(outbox).jobs()))
    assert "HEN-0" in caplog.text or "/v1/listings/HEN-0" in caplog.text  # DEBUG really logged
    for secret in (SECRET, WRONG):
        leaks = [trace for trace in traces if secret in trace]
        assert not leaks, f"{secret!r} leaked into: {leaks[0][:300]}"
