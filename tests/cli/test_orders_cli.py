"""`ruralseller orders`, `stock` and `settle` against a sandbox on the loopback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.marketplaces import Secret
from ruralseller.marketplaces.sandbox import DEMO_KEY_ID, DEMO_SECRET, SandboxAuth
from ruralseller.sandbox import create_app, running

LOT = "WJ261120A"


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
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _shown(app: Starlette) -> int:
    with app.state.sandbox.storage.transaction() as tx:
        return int(tx.listing("demo", LOT).stock)


def test_orders_in_stock_out_shipped_and_settled(
    farm: Path, sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    on = ("--on", "2026-11-21")
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "--lot", LOT, "-o", f"base_url={url}", *on
    )
    assert code == 0, output
    bought = httpx.post(f"{url}/v1/shop/demo/orders", json={"sku": LOT, "quantity": 2})
    assert bought.status_code == 201
    code, output = invoke(
        "orders",
        "sync",
        str(farm),
        "--from",
        "sandbox",
        "-o",
        f"base_url={url}",
        "--buffer",
        "sandbox=3",
        *on,
    )
    assert code == 0, output
    assert "1 new order(s)" in output
    assert _shown(app) == 40 - 2 - 3
    code, output = invoke("stock", str(farm), "--format", "json", *on)
    assert code == 0, output
    rows = {row["lot"]: row for row in json.loads(output)}
    assert rows[LOT] == {
        "lot": LOT,
        "on_hand": 40,
        "reserved": 2,
        "available": 38,
        "listed": {"sandbox": 35},
    }
    code, output = invoke("stock", str(farm), "--write-off", f"{LOT}=5", "--note", "torn bags", *on)
    assert code == 0, output
    assert "stock queued for sandbox" in output
    code, output = invoke("stock", str(farm), "--write-off", f"{LOT}=99", *on)
    assert (code, "cannot write off 99" in output) == (2, True)
    code, output = invoke("sync", str(farm), "--to", "sandbox", "-o", f"base_url={url}", *on)
    assert code == 0, output
    assert _shown(app) == 40 - 2 - 5 - 3
    code, output = invoke("stock", str(farm), "--on", "2026-11-26", "--format", "json")
    assert {row["lot"]: row for row in json.loads(output)}[LOT]["listed"] == {"sandbox": 0}
    # Publishing again puts on sale what the ledger gives the channel today, not the offer's 40.
    code, output = invoke(
        "publish", str(farm), "--to", "sandbox", "--lot", LOT, "-o", f"base_url={url}", *on
    )
    assert code == 0, output
    code, output = invoke("stock", str(farm), "--format", "json", *on)
    today = {row["lot"]: row for row in json.loads(output)}[LOT]["listed"]["sandbox"]
    assert _shown(app) == today != 40
    code, output = invoke("orders", "list", str(farm), "--format", "json", *on)
    (order,) = json.loads(output)
    assert (order["status"], order["lots"], order["paid"]) == ("reserved", {LOT: 2}, "201.60 CNY")
    order_id = order["order"].rsplit("/", 1)[1]
    code, output = invoke(
        "orders",
        "ship",
        str(farm),
        order_id,
        "--weight",
        "2.64 kg",
        "--journey",
        "30 h",
        "-o",
        f"base_url={url}",
        "--on",
        "2026-11-22",
    )
    assert code == 0, output
    # Two birds weighing 2.64 kg at 36.00 CNY per jin: 190.08 of the 201.60 paid for the
    # upper weight of the band, the difference refunded (多退少补).
    assert "final price 190.08 CNY (paid 201.60 CNY)" in output
    assert "pack: " in output
    shipment = farm / ".ruralseller" / "shipments" / order_id
    assert (shipment / "label.png").is_file()
    events = json.loads((shipment / "epcis.json").read_text(encoding="utf-8"))
    (event,) = events["epcisBody"]["eventList"]
    assert event["bizTransactionList"][0]["bizTransaction"].endswith(order_id)
    remote = httpx.get(f"{url}/v1/orders/{order_id}", auth=_Signed())
    assert remote.json()["state"] == "shipped"
    out = tmp_path / "statements"
    code, output = invoke(
        "settle",
        str(farm),
        "--month",
        "2026-11",
        "-o",
        str(out),
        "--commission",
        "0.08",
        "--minimum",
        "3 CNY",
        "--shipping",
        "12 CNY",
        "--packaging",
        "6.50 CNY",
    )
    assert code == 0, output
    # 201.60 paid − 11.52 refunded = 190.08; − 9.50 fee (5 %) − 12 − 6.50 − 15.21 commission (8 %)
    assert "owed 146.87 CNY on 201.60 CNY gross" in output
    assert sorted(p.suffix for p in out.iterdir()) == [".csv", ".pdf"]


def test_bad_input_is_a_message_not_a_traceback(farm: Path) -> None:
    code, output = invoke("orders", "ship", str(farm), "nope", "--weight", "1 kg")
    assert code == 2
    assert "no order 'nope'" in output
    code, output = invoke("settle", str(farm), "--month", "Nov", "-o", str(farm / "x"))
    assert (code, "as a month" in output) == (2, True)
    code, output = invoke("orders", "sync", str(farm), "--from", "nowhere")
    assert code == 2
    code, output = invoke("stock", str(farm), "--buffer", "sandbox=x")
    assert code == 2
    code, output = invoke("orders", "list", str(farm))
    assert (code, "0 order(s)" in output) == (0, True)


class _Signed(httpx.Auth):
    requires_request_body = True

    def __init__(self, key_id: str = DEMO_KEY_ID, secret: str = DEMO_SECRET) -> None:
        self.key_id, self.secret = key_id, secret

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        yield from SandboxAuth(self.key_id, Secret(self.secret)).auth_flow(request)


SHOP2_SECRET = "shop2-signing-secret"  # noqa: S105 - a sandbox test credential


def test_a_second_account_s_orders_are_taken_in_and_shipped_with_its_settings(
    farm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Orders of shop2 come in on channel sandbox:shop2 and are shipped with shop2's key."""
    monkeypatch.setenv("RURALSELLER_CONFIG_DIR", str(tmp_path / "config"))
    on = ("--on", "2026-11-21")
    app = create_app(accounts={DEMO_KEY_ID: DEMO_SECRET, "shop2": SHOP2_SECRET})
    with running(app=app) as url:
        code, output = invoke(
            "accounts", "add", "sandbox", "--name", "shop2", "-o", f"base_url={url}",
            "-o", "key_id=shop2", "-o", f"secret={SHOP2_SECRET}",
        )  # fmt: skip
        assert code == 0, output
        code, output = invoke("publish", str(farm), "--to", "sandbox:shop2", "--lot", LOT, *on)
        assert code == 0, output
        bought = httpx.post(f"{url}/v1/shop/shop2/orders", json={"sku": LOT, "quantity": 1})
        assert bought.status_code == 201
        code, output = invoke("orders", "sync", str(farm), "--from", "sandbox:shop2", *on)
        assert code == 0, output
        assert "1 new order(s)" in output
        code, output = invoke("stock", str(farm), "--format", "json", *on)
        assert code == 0, output
        listed = {row["lot"]: row for row in json.loads(output)}[LOT]["listed"]
        assert listed == {"sandbox:shop2": 39}  # the account's own queue, not sandbox's
        code, output = invoke("orders", "list", str(farm), "--format", "json", *on)
        (order,) = json.loads(output)
        order_id = order["order"].rsplit("/", 1)[1]
        ship = ("orders", "ship", str(farm), order_id, "--weight", "1.32 kg")
        code, output = invoke(*ship, "--from", "etsy", "--on", "2026-11-22")
        assert code == 2, output
        assert "came from sandbox, not etsy" in output
        # No --from: the order's channel names the account (the default one has no order).
        code, output = invoke(*ship, "--on", "2026-11-22")
        assert code == 0, output
        remote = httpx.get(f"{url}/v1/orders/{order_id}", auth=_Signed("shop2", SHOP2_SECRET))
        assert remote.json()["state"] == "shipped"


def test_orders_answers_as_json(farm: Path, sandbox: tuple[Starlette, str], tmp_path: Path) -> None:
    _, url = sandbox
    on = ("--on", "2026-11-21")
    adapter = ("-o", f"base_url={url}")
    code, output = invoke("publish", str(farm), "--to", "sandbox", "--lot", LOT, *adapter, *on)
    assert code == 0, output
    for quantity in (2, 1):
        bought = httpx.post(f"{url}/v1/shop/demo/orders", json={"sku": LOT, "quantity": quantity})
        assert bought.status_code == 201
    code, output = invoke(
        "orders", "sync", str(farm), "--from", "sandbox", *adapter, "--format", "json", *on
    )
    assert code == 0, output
    synced = json.loads(output)
    assert (synced["format"], synced["channel"], synced["flagged"]) == (
        "ruralseller.orders.sync/1",
        "sandbox",
        [],
    )
    assert sorted(order["quantity"] for order in synced["new"]) == [1, 2]
    assert synced["stock"] == {"sandbox": {LOT: 40 - 3}}
    two, one = sorted(synced["new"], key=lambda order: -order["quantity"])
    ids = [order["order"].rsplit("/", 1)[1] for order in (two, one)]
    ship = ("orders", "ship", str(farm), ids[0], "--weight", "2.64 kg", *adapter)
    code, output = invoke(*ship, "--format", "json", "--on", "2026-11-22")
    assert code == 0, output
    shipped = json.loads(output)
    assert shipped["format"] == "ruralseller.orders.ship/1"
    assert (shipped["order"]["status"], shipped["order"]["final_price"]) == (
        "shipped",
        "190.08 CNY",
    )
    assert shipped["marketplace_told"] is True
    assert Path(shipped["label"]).is_file()
    cancel = ("orders", "cancel", str(farm), ids[1], *adapter, "--format", "json", *on)
    code, output = invoke(*cancel)
    assert (code, json.loads(output)["cancelled"]) == (0, False)
    code, output = invoke(*cancel, "--confirm")
    assert code == 0, output
    cancelled = json.loads(output)
    assert (cancelled["cancelled"], cancelled["order"]["status"]) == (True, "cancelled")
    code, output = invoke(
        "settle", str(farm), "--month", "2026-11", "-o", str(tmp_path / "s"), "--format", "json"
    )
    assert code == 0, output
    settled = json.loads(output)
    (statement,) = settled["statements"]
    assert settled["format"] == "ruralseller.settle/1"
    assert (statement["orders"], statement["gross"]) == (1, "201.60 CNY")
    assert Path(statement["csv"]).is_file()
    assert Path(statement["pdf"]).is_file()
