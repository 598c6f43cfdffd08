"""`ruralseller publish`, `sync` and `outbox` against a sandbox on the loopback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.applications import Starlette

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.sandbox import create_app, running


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
    return result.exit_code, result.output


def test_publish_then_nothing_to_send(farm: Path, sandbox: tuple[Starlette, str]) -> None:
    app, url = sandbox
    code, output = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output
    assert "3 published" in output
    assert app.state.sandbox.count_listings() == 3
    assert (farm / ".ruralseller" / "outbox.db").exists()
    code, output = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output
    assert "3 unchanged" in output
    code, output = invoke("outbox", str(farm))
    assert output.count("published") == 3


def test_offline_queues_and_sync_sends_later(farm: Path, sandbox: tuple[Starlette, str]) -> None:
    app, url = sandbox
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "--lot", "WJ261120A", "--offline"
    )
    assert code == 0, output
    assert "queued 1 listing(s)" in output
    assert app.state.sandbox.count_listings() == 0
    code, output = invoke("sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output
    assert "1 published" in output
    assert app.state.sandbox.count_listings() == 1


def test_dry_run_shows_payloads_and_sends_nothing(
    farm: Path, sandbox: tuple[Starlette, str]
) -> None:
    app, url = sandbox
    code, output = invoke(
        "publish",
        str(farm),
        "--to",
        "sandbox",
        "--lot",
        "WJ261120A",
        "--dry-run",
        "-o",
        f"base_url={url}",
    )
    assert code == 0, output
    (payload,) = json.loads(output)
    assert payload["sku"] == "WJ261120A"
    assert payload["draft"]["price"] == "36.00 CNY"
    assert payload["pictures"]
    assert app.state.sandbox.count_listings() == 0
    assert not (farm / ".ruralseller").exists()


def test_unreachable_marketplace_is_left_for_sync(farm: Path) -> None:
    with running() as url:
        pass
    code, output = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 1
    assert "retry_later" in output
    code, output = invoke("outbox", str(farm), "--failed")
    assert output.count("failed_retryable") == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "sandboxx"], "no marketplace adapter is called 'sandboxx'"),
        (["--to", "sandbox", "-o", "base_url"], "expected KEY=VALUE"),
        (["--to", "sandbox", "--lot", "NOPE"], "NOPE"),
        (["--to", "sandbox", "-o", "rat=5"], "has no setting 'rat' (did you mean 'rate'?)"),
        (["--to", "sandbox", "-o", "rate=fast"], "rate='fast' is not valid: expected a number"),
        (
            ["--to", "taobao", "-o", "cid=1"],
            "the taobao adapter needs app_key, app_secret, session",
        ),
        (["--to", "taobao", "-o", "sign_method=sha1"], "expected one of md5, hmac, hmac-sha256"),
    ],
)
def test_bad_input_is_explained(farm: Path, args: list[str], message: str) -> None:
    code, output = invoke("publish", str(farm), *args)
    assert code == 2, output
    assert message in output


def test_sync_without_an_outbox(tmp_path: Path) -> None:
    code, output = invoke("sync", str(tmp_path), "--to", "sandbox")
    assert code == 2
    assert "no outbox at" in output


def test_withdraw_takes_a_lot_off_sale_and_publish_puts_it_back(
    farm: Path, sandbox: tuple[Starlette, str]
) -> None:
    _, url = sandbox
    option = f"base_url={url}"
    invoke("publish", str(farm), "--to", "sandbox", "--lot", "WJ261120A", "-o", option)
    code, output = invoke(
        "withdraw", str(farm), "--to", "sandbox", "--lot", "WJ261120A", "-o", option
    )
    assert code == 0, output
    assert "1 withdrawn" in output
    code, output = invoke("outbox", str(farm))
    assert "withdrawn" in output
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "--lot", "WJ261120A", "-o", option
    )
    assert code == 0, output
    assert "1 updated" in output
    code, output = invoke("withdraw", str(farm), "--to", "sandbox", "--lot", "NOPE", "-o", option)
    assert code == 1
    assert "failed" in output


def test_settings_come_from_the_environment_and_options_win(
    farm: Path, sandbox: tuple[Starlette, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Credentials in RURALSELLER_<NAME>_<KEY> stay out of the shell history."""
    app, url = sandbox
    monkeypatch.setenv("RURALSELLER_SANDBOX_BASE_URL", "http://127.0.0.1:9")  # nothing there
    monkeypatch.setenv("RURALSELLER_SANDBOX_SECRET", "sandbox-demo-secret")
    code, output = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output
    assert app.state.sandbox.count_listings() == 3
    monkeypatch.setenv("RURALSELLER_SANDBOX_SECRET", "a-wrong-secret")
    code, output = invoke("sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output  # nothing was due: the wrong secret was never needed


def test_offline_needs_no_credentials(farm: Path) -> None:
    """Queueing for a marketplace needs its name only; the credentials are for sending."""
    prices = [f"--price={lot}=5.20 USD" for lot in ("WJ261120A", "WJ261123A", "WE261118")]
    code, output = invoke("publish", str(farm), "--to", "etsy", "--offline", *prices)
    # The chilled birds from Jiangxi may not go to buyers in the US (the food policy says
    # why); the eggs are queued, with no credentials asked for.
    assert code == 1, output
    assert "US-IMPORT-POULTRY-CN" in output
    assert "queued 1 listing(s) for etsy" in output
    code, output = invoke("publish", str(farm), "--to", "etsy", "--price", "WJ261120A=cheap")
    assert code == 2
    assert "--price WJ261123A='5.20 USD'" in output


def test_lots_priced_in_the_wrong_currency_say_how_to_price_them(farm: Path) -> None:
    code, output = invoke("publish", str(farm), "--to", "ebay")
    assert code == 1, output  # refused before any credentials are needed
    assert "the price is in CNY; ebay takes USD" in output
    assert "to price it for ebay: --price WJ261123A='AMOUNT CURRENCY'" in output
    assert "nothing to send: every lot was refused" in output
