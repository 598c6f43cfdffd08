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


# The sample's story day: every lot may still be sold (what today says is tested below).
STORY_DAY = "2026-11-23"


def invoke(*args: str) -> tuple[int, str]:
    if args[0] in {"publish", "sync"} and "--on" not in args:
        args = (*args, "--on", STORY_DAY)
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_publish_then_nothing_to_send(farm: Path, sandbox: tuple[Starlette, str]) -> None:
    app, url = sandbox
    code, output = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output
    assert "4 published" in output
    assert app.state.sandbox.count_listings() == 4
    assert (farm / ".ruralseller" / "outbox.db").exists()
    code, output = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output
    assert "4 unchanged" in output
    code, output = invoke("outbox", str(farm))
    assert output.count("published") == 4


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


def test_pictures_made_once_are_kept_beside_the_outbox(farm: Path) -> None:
    cache = farm / ".ruralseller" / "pictures-cache"
    code, output = invoke("publish", str(farm), "--to", "sandbox", "--dry-run")
    assert code == 0, output
    assert not cache.exists()  # a dry run writes nothing
    code, output = invoke("publish", str(farm), "--to", "sandbox", "--offline")
    assert code == 0, output
    kept = sorted(cache.rglob("*.pic"))
    assert kept
    files = [path.stat().st_ino for path in kept]
    code, output = invoke("publish", str(farm), "--to", "sandbox", "--offline")
    assert code == 0, output
    # Read back, not made again: a picture made again is written to a new file renamed
    # into place, which would give it a new inode.
    assert sorted(cache.rglob("*.pic")) == kept
    assert [path.stat().st_ino for path in kept] == files


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
    # The price of one bird: 36.00 CNY per jin x 1.4 kg (its upper weight) = 100.80 CNY.
    assert payload["draft"]["price"] == "100.80 CNY"
    assert payload["draft"]["unit"]["measure_words"]["zh-CN"] == "只"
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
    assert output.count("failed_retryable") == 4


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
    assert app.state.sandbox.count_listings() == 4
    monkeypatch.setenv("RURALSELLER_SANDBOX_SECRET", "a-wrong-secret")
    code, output = invoke("sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
    assert code == 0, output  # nothing was due: the wrong secret was never needed


def test_offline_needs_no_credentials(farm: Path) -> None:
    """Queueing for a marketplace needs its name only; the credentials are for sending."""
    prices = [
        f"--price={lot}=5.20 USD" for lot in ("WJ261120A", "WJ261123A", "WE261118", "WP261115")
    ]
    code, output = invoke("publish", str(farm), "--to", "etsy", "--offline", *prices)
    # The chilled birds from Jiangxi may not go to buyers in the US (the food policy says
    # why); the eggs and the potatoes are queued, with no credentials asked for.
    assert code == 1, output
    assert "US-IMPORT-POULTRY-CN" in output
    assert "queued 2 listing(s) for etsy" in output
    code, output = invoke("publish", str(farm), "--to", "etsy", "--price", "WJ261120A=cheap")
    assert code == 2
    assert "--price WJ261123A='5.20 USD'" in output


def test_lots_priced_in_the_wrong_currency_say_how_to_price_them(farm: Path) -> None:
    code, output = invoke("publish", str(farm), "--to", "ebay")
    assert code == 1, output  # refused before any credentials are needed
    assert "the price is in CNY; ebay takes USD" in output
    assert "to price it for ebay: --price WJ261123A='AMOUNT CURRENCY'" in output
    assert "nothing to send: every lot was refused" in output


def sandbox_states(app: Starlette) -> dict[str, str]:
    """The sandbox's listings of the demo account: SKU -> state."""
    with app.state.sandbox.storage.transaction() as tx:
        return {record.sku: record.state for record in tx.listings("demo")}


class TestTheDateOnTheLabel:
    """Lots past their printed date or their sell-by cut-off are never listed."""

    def test_publish_refuses_both_chicken_lots_on_7_december(
        self, farm: Path, sandbox: tuple[Starlette, str]
    ) -> None:
        app, url = sandbox
        code, output = invoke(
            "publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", "2026-12-07"
        )
        assert code == 1, output
        for lot, date in (("WJ261120A", "2026-11-25"), ("WJ261123A", "2026-11-28")):
            assert f"not sent: lot {lot} may not be listed" in output
            assert f"its use-by date {date} has passed" in output
        assert set(sandbox_states(app)) == {"WE261118", "WP261115"}

    def test_on_26_november_only_the_older_lot_is_refused(self, farm: Path) -> None:
        code, output = invoke(
            "publish", str(farm), "--to", "sandbox", "--dry-run", "--on", "2026-11-26"
        )
        assert code == 1
        assert "not sent: lot WJ261120A" in output
        sent = {payload["sku"] for payload in json.loads(output[output.index("[") :])}
        assert sent == {"WJ261123A", "WE261118", "WP261115"}

    def test_sync_withdraws_listed_lots_at_their_cut_off(
        self, farm: Path, sandbox: tuple[Starlette, str]
    ) -> None:
        app, url = sandbox
        code, output = invoke("publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}")
        assert code == 0, output
        code, output = invoke(
            "sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", "2026-11-28"
        )
        # WJ261120A's use-by date has passed; WJ261123A's cut-off (28th less a day's
        # delivery) has passed too: both come off sale.
        assert "2 withdrawn" in output, output
        states = sandbox_states(app)
        assert states["WJ261120A"] == states["WJ261123A"] == "withdrawn"
        assert states["WE261118"] == "active"
        code, output = invoke("status", str(farm), "--on", "2026-11-28", "--format", "json")
        rows = {row["lot"]: row for row in json.loads(output)["lots"]}
        assert rows["WE261118"]["listed_on"] == ["sandbox"]
        assert rows["WJ261123A"]["listed_on"] == []
        assert rows["WJ261123A"]["sell_by"] == "2026-11-27"


def test_sync_never_sends_a_queued_listing_past_its_cut_off(
    farm: Path, sandbox: tuple[Starlette, str]
) -> None:
    """Queued offline on the 23rd, synced on 7 December: the chicken lots are not sent."""
    app, url = sandbox
    code, output = invoke("publish", str(farm), "--to", "sandbox", "--offline")
    assert code == 0, output
    code, output = invoke(
        "sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", "2026-12-07"
    )
    assert code == 1
    assert "WJ261120A" in output
    assert set(sandbox_states(app)) == {"WE261118", "WP261115"}
    code, output = invoke("outbox", str(farm), "--failed")
    assert output.count("failed_permanent") == 2
