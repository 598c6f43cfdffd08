"""Saved accounts: settings in the config folder, secrets in a keyring or a private file."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import httpx
import keyring.backends.fail
import keyring.backends.null
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.marketplaces.keyrings import MemoryKeyring, RefusingKeyring

from ruralseller.errors import (
    InvalidValueError,
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
    StorageError,
)
from ruralseller.marketplaces import (
    CONFIG_DIR_VARIABLE,
    KEYRING_SERVICE,
    AccountStore,
    account_settings,
    config_dir,
    diagnose,
    queue_name,
    secret_fields,
    split_queue,
    split_target,
)
from ruralseller.marketplaces import accounts as accounts_module
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.sandbox import SandboxConfig, create_app, running

EBAY = {
    "client_id": "WuFarm-ruralsel-PRD-a1b2c3d4e",
    "client_secret": "PRD-secret-never-in-a-file",
    "refresh_token": "v^1.1#refresh-never-in-a-file",
    "category_id": "6000",
    "merchant_location_key": "village-1",
    "fulfillment_policy_id": "111",
    "payment_policy_id": "222",
    "return_policy_id": "333",
}
SECRETS = ("PRD-secret-never-in-a-file", "v^1.1#refresh-never-in-a-file")


def _every_file(folder: Path) -> str:
    return "".join(p.read_text() for p in folder.rglob("*") if p.is_file())


def test_secrets_go_to_the_keyring_and_settings_to_the_config_folder(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = AccountStore(tmp_path, keyring=ring)
    saved = store.save("eBay", "Shop2", EBAY)
    assert (saved.marketplace, saved.name, saved.target) == ("ebay", "shop2", "ebay:shop2")
    assert saved.secret_storage.where == "keyring"
    assert saved.path == tmp_path / "accounts" / "ebay" / "shop2.toml"
    assert set(saved.secrets) == {"client_secret", "refresh_token"}
    assert ring.passwords[(KEYRING_SERVICE, "ebay/shop2/client_secret")] == SECRETS[0]
    files = _every_file(tmp_path)
    assert "village-1" in files
    assert not any(secret in files for secret in SECRETS)
    assert not any(secret in repr(saved) for secret in SECRETS)
    loaded = store.load("EBAY", "shop2")
    assert loaded is not None
    assert loaded.values() == EBAY


def test_without_a_keyring_secrets_go_to_a_file_only_the_user_may_read(tmp_path: Path) -> None:
    store = AccountStore(tmp_path, keyring=keyring.backends.fail.Keyring())
    saved = store.save("ebay", "default", EBAY)
    storage = saved.secret_storage
    assert storage.where == "file"
    assert storage.path == tmp_path / "accounts" / "ebay" / "default.secrets.toml"
    assert "no system keyring is available" in storage.reason
    assert "keyring.backends.fail.Keyring" in storage.reason
    if os.name == "posix":
        assert stat.S_IMODE(storage.path.stat().st_mode) == 0o600
    assert SECRETS[0] not in saved.path.read_text()
    assert SECRETS[0] in storage.path.read_text()
    loaded = store.load("ebay")
    assert loaded is not None
    assert loaded.values() == EBAY


def test_keyrings_null_backend_counts_as_none(tmp_path: Path) -> None:
    store = AccountStore(tmp_path, keyring=keyring.backends.null.Keyring())
    assert store.save("ebay", "default", EBAY).secret_storage.where == "file"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_secrets_file_others_may_read_is_refused_saying_how_to_fix(tmp_path: Path) -> None:
    store = AccountStore(tmp_path, keyring=keyring.backends.fail.Keyring())
    path = store.save("ebay", "default", EBAY).secret_storage.path
    assert path is not None
    path.chmod(0o644)
    with pytest.raises(StorageError) as caught:
        store.load("ebay")
    assert caught.value.path == str(path)
    assert "others may read it (mode 0644" in caught.value.message
    assert f"chmod 600 {path}" in caught.value.hint
    assert not any(secret in str(caught.value) for secret in SECRETS)


def test_a_keyring_that_refuses_falls_back_to_the_file_and_leaves_nothing_behind(
    tmp_path: Path,
) -> None:
    ring = RefusingKeyring()
    ring.allowed = 1  # the first secret is stored, the second refused
    store = AccountStore(tmp_path, keyring=ring)
    saved = store.save("ebay", "default", EBAY)
    assert saved.secret_storage.where == "file"
    assert "the system keyring refused to store them" in saved.secret_storage.reason
    assert "locked" in saved.secret_storage.reason
    assert ring.passwords == {}  # the one it took was taken back
    loaded = store.load("ebay")
    assert loaded is not None
    assert loaded.values() == EBAY


def test_replacing_an_account_forgets_secrets_it_no_longer_keeps(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = AccountStore(tmp_path, keyring=ring)
    store.save("ebay", "default", {**EBAY, "access_token": "short-lived-access-token"})
    assert (KEYRING_SERVICE, "ebay/default/access_token") in ring.passwords
    store.save("ebay", "default", EBAY)
    assert (KEYRING_SERVICE, "ebay/default/access_token") not in ring.passwords
    # From the file to the keyring: the file goes.
    file_store = AccountStore(tmp_path, keyring=keyring.backends.fail.Keyring())
    secrets_file = file_store.save("ebay", "default", EBAY).secret_storage.path
    assert secrets_file is not None
    assert secrets_file.exists()
    store.save("ebay", "default", EBAY)
    assert not secrets_file.exists()


def test_remove_forgets_the_settings_and_the_secrets(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = AccountStore(tmp_path, keyring=ring)
    store.save("ebay", "shop2", EBAY)
    assert store.remove("ebay", "shop2") is True
    assert store.load("ebay", "shop2") is None
    assert ring.passwords == {}
    assert store.remove("ebay", "shop2") is False


def test_a_secret_missing_from_the_keyring_says_how_to_fix(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = AccountStore(tmp_path, keyring=ring)
    store.save("ebay", "shop2", EBAY)
    del ring.passwords[(KEYRING_SERVICE, "ebay/shop2/refresh_token")]
    with pytest.raises(StorageError) as caught:
        store.load("ebay", "shop2")
    assert "the secret refresh_token of account ebay:shop2 is missing" in caught.value.message
    assert "ruralseller accounts add ebay --name shop2" in caught.value.hint


def test_bad_settings_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = AccountStore(tmp_path, keyring=ring)
    with pytest.raises(InvalidValueError, match="did you mean 'client_secret'"):
        store.save("ebay", "default", {**EBAY, "client_secrte": "x"})
    with pytest.raises(InvalidValueError, match="needs refresh_token"):
        store.save("ebay", "default", {k: v for k, v in EBAY.items() if k != "refresh_token"})
    with pytest.raises(InvalidValueError, match="not a usable account name"):
        store.save("ebay", "../../etc", EBAY)
    assert ring.passwords == {}
    assert not (tmp_path / "accounts").exists()


def test_a_failed_write_leaves_the_old_account_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AccountStore(tmp_path, keyring=MemoryKeyring())
    saved = store.save("ebay", "default", EBAY)
    before = saved.path.read_bytes()

    def fail_to_sync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(accounts_module.os, "fsync", fail_to_sync)
    with pytest.raises(StorageError, match="No space left on device"):
        store.save("ebay", "default", {**EBAY, "merchant_location_key": "village-2"})
    monkeypatch.undo()
    assert saved.path.read_bytes() == before
    assert [p.name for p in saved.path.parent.iterdir() if p.name.startswith(".")] == []
    loaded = store.load("ebay")
    assert loaded is not None
    assert loaded.settings["merchant_location_key"] == "village-1"


def test_accounts_are_listed_without_reading_secrets(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = AccountStore(tmp_path, keyring=ring)
    store.save("ebay", "shop2", EBAY)
    store.save("sandbox", "default", {"key_id": "demo"})
    ring.passwords.clear()  # listing must not need them
    listed = [(a.target, dict(a.secrets)) for a in store.accounts()]
    assert listed == [("ebay:shop2", {}), ("sandbox:default", {})]
    assert [a.target for a in store.accounts("Sandbox")] == ["sandbox:default"]
    assert store.secret_names("ebay", "shop2") == ("client_secret", "refresh_token")


def test_precedence_options_over_environment_over_saved(tmp_path: Path) -> None:
    store = AccountStore(tmp_path, keyring=MemoryKeyring())
    store.save("ebay", "shop2", EBAY)
    environ = {"RURALSELLER_EBAY_CATEGORY_ID": "7000", "RURALSELLER_EBAY_PAYMENT_POLICY_ID": "9"}
    merged = account_settings(
        "ebay", "shop2", options={"category_id": "8000"}, environ=environ, store=store
    )
    assert merged["category_id"] == "8000"  # -o wins
    assert merged["payment_policy_id"] == "9"  # then the environment
    assert merged["refresh_token"] == EBAY["refresh_token"]  # then the saved account


def test_the_default_account_is_optional_a_named_one_is_not(tmp_path: Path) -> None:
    store = AccountStore(tmp_path, keyring=MemoryKeyring())
    assert account_settings("sandbox", None, environ={}, store=store) == {}
    assert account_settings("sandbox", "default", environ={}, store=store) == {}
    store.save("sandbox", "shop1", {"key_id": "shop1"})
    with pytest.raises(InvalidValueError) as caught:
        account_settings("sandbox", "shop2", environ={}, store=store)
    assert "no sandbox account is saved as 'shop2'; saved: shop1" in caught.value.message
    assert "ruralseller accounts add sandbox --name shop2" in caught.value.hint


def test_config_dir_honours_the_override_and_else_the_platform(tmp_path: Path) -> None:
    assert config_dir({CONFIG_DIR_VARIABLE: str(tmp_path)}) == tmp_path
    assert config_dir({}).name == "ruralseller"
    assert AccountStore(keyring=MemoryKeyring()).folder == config_dir()


def test_secret_fields_are_the_settings_typed_secret() -> None:
    assert secret_fields("sandbox") == ("secret",)
    assert secret_fields("shopify") == ("access_token",)
    assert set(secret_fields("woocommerce")) == {
        "consumer_key",
        "consumer_secret",
        "media_username",
        "media_password",
    }


@given(
    st.from_regex(r"[a-z0-9][a-z0-9_.\-]{0,20}", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9_.\-]{0,20}", fullmatch=True),
)
def test_targets_read_back_in_any_case(marketplace: str, account: str) -> None:
    assert split_target(f"{marketplace.upper()}:{account.title()}") == (marketplace, account)
    assert split_target(marketplace) == (marketplace, "default")


_NAMES = st.from_regex(r"[a-z0-9][a-z0-9_.\-]{0,20}", fullmatch=True)


@given(_NAMES, _NAMES)
def test_each_account_has_its_own_queue_and_the_default_keeps_the_marketplace_name(
    marketplace: str, account: str
) -> None:
    queue = queue_name(marketplace, account)
    assert split_queue(queue) == (marketplace, account)
    assert queue == (marketplace if account == "default" else f"{marketplace}:{account}")
    assert queue == queue_name(*split_target(f"{marketplace}:{account.upper()}"))
    # The default account's queue is what outboxes held before accounts existed.
    assert queue_name(marketplace) == queue_name(marketplace, "default") == marketplace
    assert split_queue(marketplace) == (marketplace, "default")


@given(_NAMES, _NAMES, _NAMES)
def test_two_accounts_never_share_a_queue(marketplace: str, first: str, second: str) -> None:
    same = queue_name(marketplace, first) == queue_name(marketplace, second)
    assert same == (first == second)


@pytest.mark.parametrize(
    ("marketplace", "account", "queue"),
    [
        ("ebay", None, "ebay"),
        ("ebay", "default", "ebay"),
        ("ebay", "DEFAULT", "ebay"),
        ("ebay", "shop2", "ebay:shop2"),
        ("ebay", " Shop2 ", "ebay:shop2"),
        ("taobao", "coop-1", "taobao:coop-1"),
    ],
)
def test_queue_names(marketplace: str, account: str | None, queue: str) -> None:
    assert queue_name(marketplace, account) == queue


def test_a_queue_for_an_unusable_account_name_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="not a usable account name"):
        queue_name("ebay", "shop 2")


def test_diagnose_tells_credentials_from_permission_from_network() -> None:
    assert diagnose(MarketplaceAuthError("refused", status=401))[0] == "credentials"
    assert diagnose(MarketplaceAuthError("refused", status=403))[0] == "permission"
    assert diagnose(MarketplaceUnavailableError("no route"))[0] == "network"
    assert diagnose(MarketplaceUnavailableError("5xx", status=503))[0] == "marketplace"
    assert diagnose(MarketplaceError("odd", status=418))[0] == "marketplace"


def test_the_sandbox_check_is_one_signed_read_and_names_a_bad_secret() -> None:
    app = create_app(SandboxConfig(accounts={"shop2": "shop2-signing-secret"}))
    with running(app=app) as url:

        async def check(secret: str) -> object:
            adapter = SandboxMarketplace(base_url=url, key_id="shop2", secret=secret)
            try:
                return await adapter.check_account()
            finally:
                await adapter.aclose()

        good = asyncio.run(check("shop2-signing-secret"))
        assert good.account == "shop2"  # type: ignore[attr-defined]
        assert good.call == "GET /v1/listings?limit=1"  # type: ignore[attr-defined]
        with pytest.raises(MarketplaceAuthError) as caught:
            asyncio.run(check("a-wrong-signing-secret"))
        assert diagnose(caught.value)[0] == "credentials"
    assert app.state.sandbox.count_listings() == 0  # nothing was written


def test_the_sandbox_check_says_when_nothing_answers() -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async def check() -> object:
        adapter = SandboxMarketplace(
            transport=httpx.MockTransport(unreachable), retry=None, sleep=_no_wait
        )
        try:
            return await adapter.check_account()
        finally:
            await adapter.aclose()

    with pytest.raises(MarketplaceUnavailableError) as caught:
        asyncio.run(check())
    assert diagnose(caught.value)[0] == "network"


async def _no_wait(_seconds: float) -> None:
    return None
