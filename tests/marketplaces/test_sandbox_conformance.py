"""The sandbox adapter against the real sandbox server over loopback, faults and all.

The conformance suite runs twice: against a well-behaved sandbox, and against one that
answers 500 and 503, stalls, drops connections, and stores listings whose answers it then
loses. Both must end with every listing the suite wrote stored exactly once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, ClassVar

import httpx
import pytest
from starlette.applications import Starlette

from ruralseller.errors import MarketplaceAuthError
from ruralseller.marketplaces import RetryPolicy, SyncMarketplace, get_marketplace
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.sandbox import Faults, create_app, running

FAULTS = Faults(
    error_500=0.1,
    error_503=0.1,
    slow=0.05,
    slow_seconds=0.05,
    drop=0.1,
    lost_response=0.15,
    seed=2026,
)


async def _short_sleep(seconds: float) -> None:
    """Wait, but never the full second a 503 asks for: the tests would crawl."""
    await asyncio.sleep(min(seconds, 0.01))


class TestSandboxConformance(MarketplaceConformance):
    """The shared suite against a well-behaved sandbox."""

    faults: ClassVar[Faults] = Faults()
    app: ClassVar[Starlette]
    url: ClassVar[str]
    written: ClassVar[set[str]]

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _server(cls) -> Iterator[None]:
        cls.app = create_app(faults=cls.faults)
        cls.written = set()
        with running(app=cls.app) as url:
            cls.url = url
            yield
        # Each test read its listing back (nothing lost); here: nothing stored twice, and
        # nothing stored that the suite did not write.
        sandbox = cls.app.state.sandbox
        with sandbox.storage.transaction() as tx:
            stored = [r.sku for r in tx.listings("demo", limit=500)]
        assert len(stored) == len(set(stored)) == sandbox.count_listings()
        assert set(stored) <= cls.written
        assert len(stored) >= 5

    def new_sku(self) -> str:
        sku = super().new_sku()
        type(self).written.add(sku)
        return sku

    def make_marketplace(self) -> Any:
        return get_marketplace(
            "sandbox",
            base_url=self.url,
            retry=RetryPolicy(max_attempts=12, base_delay=0.01, max_delay=0.05),
            sleep=_short_sleep,
        )


class TestSandboxConformanceUnderFaults(TestSandboxConformance):
    """The same suite while the sandbox misbehaves on purpose."""

    faults: ClassVar[Faults] = FAULTS


def test_fetching_an_unknown_sku_stores_nothing() -> None:
    """A read is only a read: nothing appears in the sandbox."""
    app = create_app()
    with running(app=app) as url, SyncMarketplace(SandboxMarketplace(url)) as sandbox:
        assert sandbox.fetch("NOPE") is None
    assert app.state.sandbox.count_listings() == 0


def test_a_wrong_secret_is_an_auth_error_that_hides_the_secret() -> None:
    wrong = "not-the-secret"
    with (
        running() as url,
        SyncMarketplace(SandboxMarketplace(url, secret=wrong)) as sandbox,
        pytest.raises(MarketplaceAuthError, match="did not accept the credentials") as e,
    ):
        sandbox.fetch("HEN-1")
    assert e.value.code == "bad_signature"
    assert "not-the-secret" not in str(e.value)


def test_faults_really_happened_and_were_survived() -> None:
    """Under the faults above, the client met errors and retried through them."""
    app = create_app(faults=FAULTS)
    seen: list[int | str] = []

    def log(response: httpx.Response) -> None:
        seen.append(response.status_code)

    suite = TestSandboxConformanceUnderFaults()
    with running(app=app) as url:
        type(suite).url = url
        type(suite).written = set()
        for _ in range(3):
            suite.test_upsert_publishes_and_fetch_reads_it_back()
        adapter = suite.make_marketplace()
        assert isinstance(adapter, SandboxMarketplace)
        adapter.http.client.event_hooks["response"] = [_async(log)]
        asyncio.run(_publish_many(suite, adapter, 5))
    assert {500, 503} & set(seen), seen
    assert app.state.sandbox.count_listings() == 3 + 5


def _async(hook: Any) -> Any:
    async def run(response: httpx.Response) -> None:
        hook(response)

    return run


async def _publish_many(suite: MarketplaceConformance, adapter: SandboxMarketplace, n: int) -> None:
    try:
        for _ in range(n):
            state = await adapter.upsert(
                suite.make_draft(suite.new_sku()), suite.make_images(adapter)
            )
            assert state.active
    finally:
        await adapter.aclose()
