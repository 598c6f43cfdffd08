"""`ruralseller accounts` and `--to MARKETPLACE:ACCOUNT`: save once, publish without `-o`."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from tests.marketplaces.keyrings import MemoryKeyring

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.cli._errors import EXIT_INTERRUPTED
from ruralseller.marketplaces import KEYRING_SERVICE
from ruralseller.publishing import Publisher
from ruralseller.sandbox import DEMO_KEY_ID, DEMO_SECRET, SandboxConfig, create_app, running

SHOP2_SECRET = "shop2-signing-secret"  # noqa: S105 - a sandbox test credential
STORY_DAY = "2026-11-23"  # every sample lot may still be sold


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("RURALSELLER_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def ring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)  # the conftest puts keyring's "fail" back afterwards
    return backend


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    folder = tmp_path / "farm"
    shutil.copytree(sample_path(), folder)
    return folder


@pytest.fixture
def sandbox() -> Iterator[tuple[Starlette, str]]:
    app = create_app(SandboxConfig(accounts={"shop2": SHOP2_SECRET}))
    with running(app=app) as url:
        yield app, url


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_a_saved_account_publishes_without_any_option(
    config: Path, ring: MemoryKeyring, farm: Path, sandbox: tuple[Starlette, str]
) -> None:
    app, url = sandbox
    code, out, err = invoke(
        "accounts", "add", "Sandbox", "--name", "Shop2", "-o", f"base_url={url}",
        "-o", "key_id=shop2", "--prompt", stdin=f"{SHOP2_SECRET}\n",
    )  # fmt: skip
    assert code == 0, err
    assert "saved sandbox:shop2" in out
    assert "secrets in the system keyring" in out
    assert "sandbox secret (hidden; Enter keeps the built-in one)" in err  # not echoed
    assert SHOP2_SECRET not in out + err
    assert ring.passwords[(KEYRING_SERVICE, "sandbox/shop2/secret")] == SHOP2_SECRET
    assert SHOP2_SECRET not in (config / "accounts" / "sandbox" / "shop2.toml").read_text()

    code, out, err = invoke("publish", str(farm), "--to", "sandbox:shop2", "--on", STORY_DAY)
    assert code == 0, out + err
    assert "4 published" in out
    assert app.state.sandbox.count_listings() == 4


@pytest.mark.usefixtures("ring")
def test_the_default_account_is_used_when_none_is_named(
    farm: Path, sandbox: tuple[Starlette, str]
) -> None:
    _, url = sandbox
    code, _, err = invoke(
        "accounts", "add", "sandbox", "-o", f"base_url={url}", "-o", "key_id=shop2",
        "-o", f"secret={SHOP2_SECRET}",
    )  # fmt: skip
    assert code == 0, err
    assert "secret came from the command line" in err
    code, out, err = invoke(
        "publish", str(farm), "--to", "SANDBOX", "--lot", "WJ261120A", "--on", STORY_DAY
    )
    assert code == 0, out + err
    assert "1 published" in out
    code, out, err = invoke("withdraw", str(farm), "--to", "sandbox", "--lot", "WJ261120A")
    assert code == 0, out + err
    assert "withdrawn" in out


@pytest.mark.usefixtures("ring")
def test_options_and_environment_override_the_saved_account(
    farm: Path,
    sandbox: tuple[Starlette, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, url = sandbox
    code, _, err = invoke(
        "accounts", "add", "sandbox", "--name", "shop2", "-o", "base_url=http://127.0.0.1:9",
        "-o", "key_id=shop2", "-o", "secret=a-wrong-signing-secret",
    )  # fmt: skip
    assert code == 0, err
    # The environment beats the saved account; -o beats the environment.
    monkeypatch.setenv("RURALSELLER_SANDBOX_SECRET", SHOP2_SECRET)
    monkeypatch.setenv("RURALSELLER_SANDBOX_BASE_URL", "http://127.0.0.1:9")
    code, out, err = invoke(
        "publish", str(farm), "--to", "sandbox:shop2", "--lot", "WJ261120A",
        "-o", f"base_url={url}", "--on", STORY_DAY,
    )  # fmt: skip
    assert code == 0, out + err
    assert app.state.sandbox.count_listings() == 1


@pytest.mark.usefixtures("sandbox")
def test_a_named_account_that_is_not_saved_says_how_to_add_it(farm: Path) -> None:
    code, out, err = invoke("publish", str(farm), "--to", "sandbox:shop9", "--on", STORY_DAY)
    assert code == 2
    assert "no sandbox account is saved as 'shop9'" in out + err
    assert "ruralseller accounts add sandbox --name shop9" in out + err


def test_a_missing_secret_without_a_terminal_names_it(config: Path) -> None:
    code, _out, err = invoke("accounts", "add", "shopify", "-o", "shop=wu-farm.myshopify.com")
    assert code == 2
    assert "the shopify adapter needs access_token" in err
    assert "--prompt" in err
    assert not (config / "accounts").exists()
    code, _, err = invoke("accounts", "add", "ebya")
    assert code == 2
    assert "no marketplace adapter is called 'ebya'" in err


def test_without_a_keyring_it_warns_where_the_secrets_are_and_keeps_them_private(
    config: Path,
) -> None:
    # The conftest's keyring is keyring's "fail" backend: no keyring on this machine.
    code, _out, err = invoke(
        "accounts", "add", "sandbox", "--name", "shop2", "-o", "key_id=shop2", "--prompt",
        stdin=f"{SHOP2_SECRET}\n",
    )  # fmt: skip
    assert code == 0, err
    secrets_file = config / "accounts" / "sandbox" / "shop2.secrets.toml"
    assert "warning:" in err
    assert str(secrets_file) in " ".join(err.split())
    assert "no system keyring is available" in " ".join(err.split())
    if os.name == "posix":
        assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
        secrets_file.chmod(0o640)
        code, _, err = invoke("accounts", "test", "sandbox", "--name", "shop2")
        assert code == 2
        assert "chmod 600" in err


@pytest.mark.usefixtures("ring")
def test_list_never_shows_a_secret() -> None:
    invoke("accounts", "add", "sandbox", "--name", "shop2", "-o", "key_id=shop2",
           "-o", f"secret={SHOP2_SECRET}")  # fmt: skip
    code, out, err = invoke("accounts", "list")
    assert code == 0, err
    assert "sandbox:shop2" in out
    assert "key_id=shop2" in out
    assert SHOP2_SECRET not in out + err
    code, out, _ = invoke("accounts", "list", "--format", "json")
    data = json.loads(out)
    assert data["format"] == "ruralseller.accounts/1"
    (row,) = data["accounts"]
    assert row["to"] == "sandbox:shop2"
    assert row["secrets"] == ["secret"]
    assert row["secrets_in"] == "keyring"
    assert SHOP2_SECRET not in out


def test_remove_forgets_and_says_when_there_was_nothing(ring: MemoryKeyring) -> None:
    invoke("accounts", "add", "sandbox", "--name", "shop2", "-o", "key_id=shop2",
           "-o", f"secret={SHOP2_SECRET}")  # fmt: skip
    code, out, _ = invoke("accounts", "remove", "Sandbox", "--name", "shop2")
    assert code == 0
    assert "removed sandbox:shop2" in out
    assert ring.passwords == {}
    code, _, err = invoke("accounts", "remove", "sandbox", "--name", "shop2")
    assert code == 1
    assert "no sandbox account is saved as 'shop2'" in err


@pytest.mark.usefixtures("ring")
def test_accounts_test_tells_good_from_bad_credentials_and_no_network(
    sandbox: tuple[Starlette, str],
) -> None:
    app, url = sandbox
    invoke("accounts", "add", "sandbox", "--name", "shop2", "-o", f"base_url={url}",
           "-o", "key_id=shop2", "-o", f"secret={SHOP2_SECRET}")  # fmt: skip
    code, out, err = invoke("accounts", "test", "sandbox:shop2")
    assert code == 0, err
    assert "ok: sandbox:shop2: sandbox accepted the credentials as shop2" in out
    code, out, err = invoke(
        "accounts", "test", "sandbox", "--name", "shop2", "-o", "secret=a-wrong-signing-secret"
    )
    assert code == 1
    assert "sandbox:shop2: credentials:" in err
    assert "wrong, expired or revoked" in err
    code, out, err = invoke(
        "accounts", "test", "sandbox", "--name", "shop2", "-o", "base_url=http://127.0.0.1:9",
        "--format", "json",
    )  # fmt: skip
    assert code == 1
    data = json.loads(out)
    assert (data["ok"], data["trouble"]) == (False, "network")
    assert app.state.sandbox.count_listings() == 0


def test_required_secrets_are_read_hidden_and_the_environment_saved_on_request(
    ring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RURALSELLER_SHOPIFY_LOCATION_ID", "gid://shopify/Location/7")
    code, out, err = invoke(
        "accounts", "add", "Shopify", "--name", "village", "-o", "shop=wu-farm.myshopify.com",
        "--from-env", "--prompt", stdin="shpat_from_standard_input_0123\n",
    )  # fmt: skip
    assert code == 0, err
    assert "shopify access_token (hidden):" in err
    assert "shpat_from_standard_input_0123" not in out + err
    assert ring.passwords[(KEYRING_SERVICE, "shopify/village/access_token")] == (
        "shpat_from_standard_input_0123"
    )
    code, out, _ = invoke("accounts", "list", "shopify", "--format", "json")
    (row,) = json.loads(out)["accounts"]
    assert row["settings"] == {
        "shop": "wu-farm.myshopify.com",
        "location_id": "gid://shopify/Location/7",
    }
    assert row["to"] == "shopify:village"


def test_add_and_remove_answer_in_json_too() -> None:
    # The conftest's keyring is keyring's "fail" backend: the secret goes to the file.
    code, out, err = invoke(
        "accounts", "add", "sandbox", "--name", "shop2", "-o", "key_id=shop2",
        "-o", f"secret={SHOP2_SECRET}", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == "ruralseller.account/1"
    assert (data["to"], data["secrets"], data["secrets_in"]) == (
        "sandbox:shop2",
        ["secret"],
        "file",
    )
    assert "no system keyring is available" in data["why_file"]
    assert SHOP2_SECRET not in out
    code, out, _ = invoke("accounts", "remove", "sandbox", "--name", "shop2", "--format", "json")
    assert (code, json.loads(out)["removed"]) == (0, True)
    code, out, _ = invoke("accounts", "remove", "sandbox", "--name", "shop2", "--format", "json")
    assert (code, json.loads(out)["removed"]) == (1, False)


@pytest.fixture
def two_shops() -> Iterator[tuple[Starlette, str]]:
    """A sandbox with two accounts: the public demo one and shop2."""
    app = create_app(SandboxConfig(accounts={DEMO_KEY_ID: DEMO_SECRET, "shop2": SHOP2_SECRET}))
    with running(app=app) as url:
        yield app, url


def _listed(app: Starlette, account: str) -> list[str]:
    with app.state.sandbox.storage.transaction() as tx:
        return [record.sku for record in tx.listings(account)]


def _queues(farm: Path, *args: str) -> dict[str, list[str]]:
    code, out, err = invoke("outbox", str(farm), "--format", "json", *args)
    assert code == 0, out + err
    found: dict[str, list[str]] = {}
    for job in json.loads(out)["jobs"]:
        found.setdefault(job["queue"], []).append(job["sku"])
        assert (job["marketplace"], job["account"]) in {
            ("sandbox", "default"),
            ("sandbox", "shop2"),
        }
    return {queue: sorted(skus) for queue, skus in found.items()}


@pytest.mark.usefixtures("ring")
def test_two_accounts_of_one_marketplace_keep_their_own_queues(
    farm: Path, two_shops: tuple[Starlette, str]
) -> None:
    """The same lots for two shops: one outbox, two queues, each sent with its own key."""
    app, url = two_shops
    for name, key, secret in (
        ("default", DEMO_KEY_ID, DEMO_SECRET),
        ("shop2", "shop2", SHOP2_SECRET),
    ):
        code, _, err = invoke(
            "accounts", "add", "sandbox", "--name", name, "-o", f"base_url={url}",
            "-o", f"key_id={key}", "-o", f"secret={secret}",
        )  # fmt: skip
        assert code == 0, err
    code, out, err = invoke("publish", str(farm), "--to", "sandbox", "--offline", "--on", STORY_DAY)
    assert code == 0, out + err
    code, out, err = invoke(
        "publish", str(farm), "--to", "Sandbox:Shop2", "--offline", "--on", STORY_DAY
    )
    assert code == 0, out + err
    assert "send them with `ruralseller sync --to sandbox:shop2`" in out
    queues = _queues(farm)
    assert set(queues) == {"sandbox", "sandbox:shop2"}
    assert queues["sandbox"] == queues["sandbox:shop2"]  # the same SKUs, kept apart
    assert len(queues["sandbox"]) == 4

    # The default account's sync sends its own queue only, never shop2's with its key.
    code, out, err = invoke("sync", str(farm), "--to", "sandbox", "--on", STORY_DAY)
    assert code == 0, out + err
    assert "4 published" in out
    assert len(_listed(app, DEMO_KEY_ID)) == 4
    assert _listed(app, "shop2") == []
    code, out, err = invoke("sync", str(farm), "--to", "sandbox:shop2", "--on", STORY_DAY)
    assert code == 0, out + err
    assert "Published to sandbox:shop2" in out
    assert _listed(app, "shop2") == _listed(app, DEMO_KEY_ID) == queues["sandbox"]
    assert _queues(farm, "--to", "sandbox:shop2") == {"sandbox:shop2": queues["sandbox"]}

    # Withdrawing from shop2 leaves the default account's listing on sale.
    lot = queues["sandbox"][0]
    code, out, err = invoke("withdraw", str(farm), "--to", "sandbox:shop2", "--lot", lot)
    assert code == 0, out + err
    states = {
        (job["queue"], job["sku"]): job["state"]
        for job in json.loads(invoke("outbox", str(farm), "--format", "json")[1])["jobs"]
    }
    assert states[("sandbox:shop2", lot)] == "withdrawn"
    assert states[("sandbox", lot)] == "published"
    code, out, err = invoke("status", str(farm), "--on", STORY_DAY, "--format", "json")
    assert code == 0, out + err
    listed = {row["lot"]: row["listed_on"] for row in json.loads(out)["lots"]}
    assert listed[queues["sandbox"][1]] == ["sandbox", "sandbox:shop2"]


@pytest.mark.usefixtures("ring")
def test_ctrl_c_names_the_account_to_resume(
    farm: Path, two_shops: tuple[Starlette, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = two_shops
    invoke("accounts", "add", "sandbox", "--name", "shop2", "-o", f"base_url={url}",
           "-o", "key_id=shop2", "-o", f"secret={SHOP2_SECRET}")  # fmt: skip

    async def interrupted(self: Publisher, job: Any) -> Any:
        assert (self.queue, job.marketplace) == ("sandbox:shop2", "sandbox:shop2")
        signal.raise_signal(signal.SIGINT)
        await asyncio.sleep(30)  # cancelled by asyncio's Ctrl+C handling long before

    send = Publisher._send
    monkeypatch.setattr(Publisher, "_send", interrupted)
    code, out, err = invoke("publish", str(farm), "--to", "sandbox:shop2", "--on", STORY_DAY)
    assert code == EXIT_INTERRUPTED, out + err
    assert f"resume with: ruralseller sync {farm} --to sandbox:shop2" in out + err
    monkeypatch.setattr(Publisher, "_send", send)  # the saved account stays (no undo)
    code, out, err = invoke("sync", str(farm), "--to", "sandbox:shop2", "--on", STORY_DAY)
    assert code == 0, out + err
    assert "4 published" in out


def _states(app: Starlette, account: str) -> dict[str, str]:
    with app.state.sandbox.storage.transaction() as tx:
        return {record.sku: record.state for record in tx.listings(account)}


@pytest.mark.usefixtures("ring")
def test_sync_withdraws_an_account_s_lots_past_their_cut_off_there_only(
    farm: Path, two_shops: tuple[Starlette, str]
) -> None:
    app, url = two_shops
    invoke("accounts", "add", "sandbox", "--name", "shop2", "-o", f"base_url={url}",
           "-o", "key_id=shop2", "-o", f"secret={SHOP2_SECRET}")  # fmt: skip
    for target, extra in (("sandbox", ("-o", f"base_url={url}")), ("sandbox:shop2", ())):
        code, out, err = invoke("publish", str(farm), "--to", target, *extra, "--on", STORY_DAY)
        assert code == 0, out + err
    code, out, err = invoke("sync", str(farm), "--to", "sandbox:shop2", "--on", "2026-11-28")
    assert "2 withdrawn" in out, out + err
    shop2, demo = _states(app, "shop2"), _states(app, DEMO_KEY_ID)
    assert shop2["WJ261120A"] == shop2["WJ261123A"] == "withdrawn"
    assert demo["WJ261120A"] == demo["WJ261123A"] == "active"  # the default account's, untouched
    code, out, err = invoke("status", str(farm), "--on", "2026-11-28", "--format", "json")
    rows = {row["lot"]: row["listed_on"] for row in json.loads(out)["lots"]}
    assert rows["WJ261123A"] == ["sandbox"]
    assert rows["WE261118"] == ["sandbox", "sandbox:shop2"]
