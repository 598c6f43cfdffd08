"""`sync` and `outbox` say what still waits and when; a broken outbox is a clear error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.sandbox import running


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    folder = tmp_path / "farm"
    shutil.copytree(sample_path(), folder)
    return folder


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_sync_fails_while_listings_wait_and_says_when(farm: Path) -> None:
    with running() as url:
        pass  # nothing listens there any more
    on = ("--on", "2026-11-23")
    code, _ = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}", *on)
    assert code == 1
    code, output = invoke("sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}", *on)
    assert code == 1, output
    assert "4 listing(s) still wait in the outbox" in output
    assert output.count("failed_retryable, next try ") == 4
    assert "UTC" in output
    code, output = invoke("outbox", str(farm))
    assert "next try" in output
    assert "UTC" in output


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty (0 bytes)"), (b"hello, not a database", "not a SQLite database")],
)
def test_a_broken_outbox_is_refused_and_kept(farm: Path, content: bytes, words: str) -> None:
    path = farm / ".ruralseller" / "outbox.db"
    path.parent.mkdir()
    path.write_bytes(content)
    for command in (
        ("sync", str(farm), "--to", "sandbox"),
        ("publish", str(farm), "--to", "sandbox", "--offline"),
        ("outbox", str(farm)),
        ("withdraw", str(farm), "--to", "sandbox", "--lot", "WJ261120A"),
    ):
        code, output = invoke(*command)
        assert code == 2, (command, output)
        assert words in " ".join(output.split()), (command, output)
        assert "outbox.db" in output
    assert path.read_bytes() == content


def test_an_outbox_under_proc_is_a_clear_error(farm: Path) -> None:
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "--offline", "--outbox", "/proc/self/outbox.db"
    )
    assert code == 2
    assert "/proc/self/outbox.db" in output
