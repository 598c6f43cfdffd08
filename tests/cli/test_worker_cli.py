"""``ruralseller worker``: several accounts as queues, a clean stop on SIGTERM and Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from tests.publishing.conftest import draft, picture

from ruralseller.cli._app import cli
from ruralseller.cli.worker import _destinations, _options_for
from ruralseller.publishing import JobState, Outbox
from ruralseller.sandbox import create_app, running

ACCOUNTS = {"coop-1": "secret-one", "coop-2": "secret-two"}


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_queues_and_their_own_options() -> None:
    queues = _destinations(("sandbox", "coop-1=sandbox"))
    assert queues == {"sandbox": "sandbox", "coop-1": "sandbox"}
    options = ("base_url=http://x", "coop-1.key_id=k1", "other.thing=1")
    assert _options_for("coop-1", queues, options) == (
        "base_url=http://x",
        "key_id=k1",
        "other.thing=1",
    )
    assert _options_for("sandbox", queues, options) == ("base_url=http://x", "other.thing=1")


def test_a_worker_publishes_several_accounts_until_idle(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.db"
    box = Outbox(outbox)
    for queue in ACCOUNTS:
        for n in range(2):
            box.enqueue(queue, draft(f"{queue}-{n}"), [picture()])
    app = create_app(accounts=ACCOUNTS)
    with running(app=app) as url:
        options = ["-o", f"base_url={url}"]
        for queue, secret in ACCOUNTS.items():
            options += ["--to", f"{queue}=sandbox", "-o", f"{queue}.key_id={queue}"]
            options += ["-o", f"{queue}.secret={secret}"]
        code, output = invoke("worker", "--outbox", str(outbox), *options, "--until-idle")
        stored = app.state.sandbox.count_listings()
    assert code == 0, output
    assert "4 published" in output
    assert stored == 4
    assert box.counts() == {"published": 4}


def test_a_worker_streams_json_lines(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.db"
    box = Outbox(outbox)
    box.enqueue("sandbox", draft("lot-1"), [picture()])
    box.enqueue("sandbox", draft("lot-2"), [picture()])
    with running(app=create_app()) as url:
        args = ["worker", "--outbox", str(outbox), "--to", "sandbox", "-o", f"base_url={url}"]
        result = CliRunner().invoke(cli, [*args, "--until-idle", "--format", "json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    *sent, last = lines
    assert sorted((line["format"], line["sku"], line["outcome"]) for line in sent) == [
        ("ruralseller.worker.listing/1", "lot-1", "published"),
        ("ruralseller.worker.listing/1", "lot-2", "published"),
    ]
    assert all(line["queue"] == "sandbox" and line["url"] for line in sent)
    assert last["format"] == "ruralseller.worker/1"
    assert (last["counts"], last["released"], last["halted"]) == ({"published": 2}, 0, [])


def test_a_worker_needs_an_outbox_that_exists(tmp_path: Path) -> None:
    code, output = invoke("worker", "--outbox", str(tmp_path / "none.db"), "--to", "sandbox")
    assert code == 2
    assert "no outbox at" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--to", "=sandbox"), "QUEUE=MARKETPLACE"),
        (("--to", "a=sandbox", "--to", "a=etsy"), "named twice"),
        (("--to", "sandbox", "--rate-budget", "/tmp/x"), "postgresql://"),  # noqa: S108
        (("--to", "sandbox", "-o", "nonsense=1"), "no setting 'nonsense'"),
    ],
)
def test_bad_input_is_named(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    outbox = tmp_path / "outbox.db"
    Outbox(outbox).close()
    code, output = invoke("worker", "--outbox", str(outbox), *args)
    assert code == 2
    assert message in output


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("number", "status"), [(signal.SIGTERM, 0), (signal.SIGINT, 130)])
def test_a_signal_stops_the_worker_cleanly(tmp_path: Path, number: int, status: int) -> None:
    outbox = tmp_path / "outbox.db"
    Outbox(outbox).close()
    command = [sys.executable, "-c", "from ruralseller.cli import main; main()", "worker"]
    command += ["--outbox", str(outbox), "--to", "sandbox", "--poll", "0.1"]
    process = subprocess.Popen(  # noqa: S603 - our own command
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 30
    assert process.stderr is not None
    started = process.stderr.readline()  # the worker says who it is once it runs
    assert "worker " in started
    time.sleep(0.3)
    process.send_signal(number)
    out, err = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    assert process.returncode == status, err
    assert "stopped: nothing; 0 given back unsent" in out
    assert "Traceback" not in err


def test_a_rate_budget_database_that_cannot_be_used_is_said_at_once(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.db"
    Outbox(outbox).close()
    url = f"postgresql://seller:pw-secret@/none?host={tmp_path}&port=1&connect_timeout=1"
    code, output = invoke(
        "worker", "--outbox", str(outbox), "--to", "sandbox", "--rate-budget", url
    )
    assert code == 2
    assert "shared rate budgets cannot be used" in output
    assert "pw-secret" not in output


def test_an_account_s_queue_is_the_one_publish_fills() -> None:
    queues = _destinations(("Sandbox:Shop2", "sandbox", "coop-1=sandbox:coop-1"))
    assert queues == {
        "sandbox:shop2": "Sandbox:Shop2",
        "sandbox": "sandbox",
        "coop-1": "sandbox:coop-1",
    }
    with pytest.raises(click.BadParameter, match="not a usable account name"):
        _destinations(("sandbox:shop 2",))


def test_a_worker_sends_a_saved_account_s_queue_with_its_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--to sandbox:coop-2`` sends the queue ``publish --to sandbox:coop-2`` filled."""
    monkeypatch.setenv("RURALSELLER_CONFIG_DIR", str(tmp_path / "config"))
    outbox = tmp_path / "outbox.db"
    box = Outbox(outbox)
    for queue in ("sandbox", "sandbox:coop-2"):
        box.enqueue(queue, draft("HEN-1"), [picture()])  # the same SKU in two queues
    app = create_app(accounts=ACCOUNTS)
    with running(app=app) as url:
        code, output = invoke(
            "accounts", "add", "sandbox", "--name", "coop-2", "-o", f"base_url={url}",
            "-o", "key_id=coop-2", "-o", f"secret={ACCOUNTS['coop-2']}",
        )  # fmt: skip
        assert code == 0, output
        code, output = invoke(
            "worker", "--outbox", str(outbox), "--to", "sandbox:coop-2", "--until-idle"
        )
        stored = app.state.sandbox.count_listings()
    assert code == 0, output
    assert "1 published" in output
    assert stored == 1
    assert box.job("sandbox:coop-2", "HEN-1").state is JobState.PUBLISHED
    assert box.job("sandbox", "HEN-1").state is JobState.QUEUED  # the default account's
