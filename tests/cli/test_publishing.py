"""`ruralseller publish`, `sync`, `withdraw`, `outbox`: names in any case, JSON, Ctrl+C, headers."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.applications import Starlette

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.cli._errors import EXIT_INTERRUPTED
from ruralseller.publishing import JobState, Outbox, Publisher
from ruralseller.sandbox import create_app, running

STORY_DAY = "2026-11-23"


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    folder = tmp_path / "farm"
    shutil.copytree(sample_path(), folder)
    return folder


@pytest.fixture
def sandbox() -> Iterator[tuple[Starlette, str]]:
    app = create_app()
    with running(app=app) as url:
        yield app, url


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def outbox_of(farm: Path) -> Outbox:
    return Outbox(farm / ".ruralseller" / "outbox.db")


@pytest.mark.parametrize("name", ["Sandbox", "SANDBOX", "sandbox"])
def test_marketplace_names_in_any_case(
    farm: Path, sandbox: tuple[Starlette, str], name: str
) -> None:
    app, url = sandbox
    code, output = invoke(
        "publish", str(farm), "--to", name, "-o", f"base_url={url}", "--on", STORY_DAY
    )
    assert code == 0, output
    assert "Published to sandbox" in output
    assert app.state.sandbox.count_listings() == 4
    assert {job.marketplace for job in outbox_of(farm).jobs()} == {"sandbox"}


@pytest.mark.parametrize("command", ["publish", "sync", "withdraw"])
def test_a_misspelt_marketplace_gets_a_did_you_mean(farm: Path, command: str) -> None:
    extra = ("--lot", "WJ261120A") if command == "withdraw" else ()
    code, output = invoke(command, str(farm), "--to", "ebya", *extra)
    assert code == 2, output
    assert "no marketplace adapter is called 'ebya' (did you mean 'ebay'?)" in output


def _interrupt_after_claiming(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Ctrl+C (a real SIGINT) while the first listing is being sent: it is in flight."""
    claimed: list[str] = []

    async def interrupted(self: Publisher, job: Any) -> Any:
        claimed.append(job.sku)
        assert self.outbox.job(job.marketplace, job.sku).state is JobState.IN_FLIGHT
        signal.raise_signal(signal.SIGINT)
        await asyncio.sleep(30)  # cancelled by asyncio's Ctrl+C handling long before

    monkeypatch.setattr(Publisher, "_send", interrupted)
    return claimed


def test_ctrl_c_during_publish_releases_the_listings_in_flight(
    farm: Path, sandbox: tuple[Starlette, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = sandbox
    claimed = _interrupt_after_claiming(monkeypatch)
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY
    )
    assert code == EXIT_INTERRUPTED, output
    assert claimed
    box = outbox_of(farm)
    assert box.jobs(JobState.IN_FLIGHT) == []
    assert len(box.jobs(JobState.QUEUED)) == 4  # nothing lost: all wait for the next sync
    assert "interrupted" in output
    assert f"resume with: ruralseller sync {farm} --to sandbox" in output
    monkeypatch.undo()
    code, output = invoke(
        "sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY
    )
    assert code == 0, output
    assert "4 published" in output


def test_ctrl_c_during_sync_releases_the_listings_in_flight(
    farm: Path, sandbox: tuple[Starlette, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = sandbox
    code, _ = invoke("publish", str(farm), "--to", "sandbox", "--offline", "--on", STORY_DAY)
    assert code == 0
    _interrupt_after_claiming(monkeypatch)
    code, output = invoke(
        "sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY
    )
    assert code == EXIT_INTERRUPTED, output
    assert outbox_of(farm).jobs(JobState.IN_FLIGHT) == []
    assert "resume with: ruralseller sync" in output


def test_publish_and_sync_in_json(farm: Path, sandbox: tuple[Starlette, str]) -> None:
    _, url = sandbox
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY,
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["format"] == "ruralseller.publish/1"
    assert data["ok"] is True
    assert data["counts"]["published"] == 4
    assert {r["sku"] for r in data["results"]} == {"WJ261120A", "WJ261123A", "WE261118", "WP261115"}
    assert all(r["url"] for r in data["results"])
    assert data["refused"] == []
    code, output = invoke(
        "sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY,
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["format"] == "ruralseller.sync/1"
    assert data["waiting"] == []


def test_refused_lots_in_json(farm: Path) -> None:
    # On 7 December the chicken lots are past their sell-by cut-off: refused, with why.
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "--offline", "--on", "2026-12-07",
        "--format", "json",
    )  # fmt: skip
    assert code == 1
    data = json.loads(output)
    refused = {item["lot"]: item["issues"] for item in data["refused"]}
    assert set(refused) == {"WJ261120A", "WJ261123A"}
    assert all(issue["fix"] for issues in refused.values() for issue in issues)
    assert sorted(data["queued"]) == ["WE261118", "WP261115"]


def test_withdraw_says_withdrawn_and_outbox_in_json(
    farm: Path, sandbox: tuple[Starlette, str]
) -> None:
    _, url = sandbox
    code, _ = invoke(
        "publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY
    )
    assert code == 0
    code, output = invoke(
        "withdraw", str(farm), "--to", "sandbox", "--lot", "WJ261120A", "-o", f"base_url={url}"
    )
    assert code == 0, output
    assert "Withdrawn from sandbox" in output
    assert "Published to" not in output
    code, output = invoke(
        "withdraw", str(farm), "--to", "Sandbox", "--lot", "WJ261123A", "-o", f"base_url={url}",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["format"] == "ruralseller.withdraw/1"
    assert [(r["sku"], r["outcome"]) for r in data["results"]] == [("WJ261123A", "withdrawn")]
    code, output = invoke("outbox", str(farm), "--format", "json")
    data = json.loads(output)
    assert data["format"] == "ruralseller.outbox/1"
    states = {job["sku"]: job["state"] for job in data["jobs"]}
    assert states["WJ261120A"] == states["WJ261123A"] == "withdrawn"
    assert states["WE261118"] == "published"


def test_failures_are_not_shown_as_published(farm: Path) -> None:
    with running() as url:
        pass  # nothing listens there any more
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY
    )
    assert code == 1, output
    assert "Not sent to sandbox yet" in output
    assert "Published to" not in output


def test_outbox_in_json_without_an_outbox(tmp_path: Path) -> None:
    code, output = invoke("outbox", str(tmp_path), "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data["exists"] is False
    assert data["jobs"] == []


def test_sigint_to_the_command_leaves_nothing_in_flight(farm: Path) -> None:
    """The console script itself, interrupted while the marketplace keeps it waiting."""
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        command = [sys.executable, "-c", "from ruralseller.cli import main; main()"]
        process = subprocess.Popen(  # noqa: S603 - our own entry point
            [*command, "publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}",
             "--on", STORY_DAY],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        try:
            path = farm / ".ruralseller" / "outbox.db"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if path.exists() and Outbox(path).jobs(JobState.IN_FLIGHT):
                    break
                time.sleep(0.1)
            else:
                pytest.fail("no listing was ever in flight")
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert "resume with: ruralseller sync" in stderr
    assert Outbox(path).jobs(JobState.IN_FLIGHT) == []
    assert len(Outbox(path).jobs(JobState.QUEUED)) == 4
