"""The publisher against the real sandbox over loopback: once each, nothing lost."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from starlette.applications import Starlette

from ruralseller import publishing
from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
from ruralseller.listing import prepare_listings
from ruralseller.marketplaces import RetryPolicy, get_marketplace, queue_name
from ruralseller.publishing import JobState, Outbox, Progress, Publisher
from ruralseller.sandbox import (
    DEMO_KEY_ID,
    DEMO_SECRET,
    Faults,
    SandboxConfig,
    create_app,
    running,
)

from .conftest import base_draft, draft, picture


async def _short(seconds: float) -> None:
    await asyncio.sleep(min(seconds, 0.01))


@pytest.fixture
def sandbox() -> Iterator[tuple[Starlette, str]]:
    app = create_app()
    with running(app=app) as url:
        yield app, url


def publish(url: str, outbox: Outbox, items: list[Any], **kwargs: Any) -> Any:
    async def run() -> Any:
        adapter = get_marketplace(
            "sandbox",
            base_url=url,
            retry=RetryPolicy(max_attempts=8, base_delay=0.01, max_delay=0.05),
            sleep=_short,
        )
        try:
            return await Publisher(outbox, adapter, **kwargs).publish(items)
        finally:
            await adapter.aclose()

    return asyncio.run(run())


def test_publishes_each_listing_and_reports_progress(
    sandbox: tuple[Starlette, str], store_target: str
) -> None:
    app, url = sandbox
    outbox = Outbox(store_target)
    seen: list[Progress] = []
    items = [(draft(f"HEN-{n}"), [picture()]) for n in range(6)]
    report = publish(url, outbox, items, concurrency=3, progress=seen.append)
    assert report.ok
    assert report.count("published") == 6
    assert [p.done for p in seen] == [1, 2, 3, 4, 5, 6]
    assert {p.total for p in seen} == {6}
    assert app.state.sandbox.count_listings() == 6
    assert outbox.counts() == {"published": 6}
    assert all(r.url and r.url.startswith(url) for r in report.results)


def test_unchanged_sends_nothing_and_stock_sends_only_stock(
    sandbox: tuple[Starlette, str],
    store_target: str,
) -> None:
    _, url = sandbox
    outbox = Outbox(store_target)
    items = [(draft("HEN-1"), [picture()]), (draft("HEN-2"), [picture()])]
    publish(url, outbox, items)
    again = publish(url, outbox, items)
    assert [r.outcome for r in again.results] == ["unchanged", "unchanged"]
    changed = [(draft("HEN-1", stock=2), [picture()]), (draft("HEN-2"), [picture()])]
    report = publish(url, outbox, changed)
    assert sorted(r.outcome for r in report.results) == ["stock_and_price", "unchanged"]
    retitled_text = attrs.evolve(base_draft().texts["en"], title="Taihe silkie, whole, chilled")
    texts = {**base_draft().texts, "en": retitled_text}
    report = publish(url, outbox, [(draft("HEN-2", texts=texts), [picture()])])
    assert [r.outcome for r in report.results] == ["updated"]


def test_a_rejection_is_reported_and_does_not_block_the_rest(
    sandbox: tuple[Starlette, str],
    store_target: str,
) -> None:
    app, url = sandbox
    outbox = Outbox(store_target)
    long_text = attrs.evolve(base_draft().texts["zh-CN"], title="乌" * 201)
    bad = draft("HEN-BAD", texts={**base_draft().texts, "zh-CN": long_text})
    items = [(draft("HEN-1"), [picture()]), (bad, [picture()]), (draft("HEN-2"), [picture()])]
    report = publish(url, outbox, items)
    assert report.count("published") == 2
    (failed,) = report.failed
    assert failed.sku == "HEN-BAD"
    assert any("title" in field for field in failed.field_errors)
    assert outbox.job("sandbox", "HEN-BAD").state is JobState.FAILED_PERMANENT
    assert app.state.sandbox.count_listings() == 2


def test_unreachable_marketplace_leaves_everything_queued_for_later(store_target: str) -> None:
    outbox = Outbox(store_target)
    with running() as url:
        pass  # the sandbox is gone: its port refuses connections
    items = [(draft(f"HEN-{n}"), [picture()]) for n in range(3)]
    report = publish(url, outbox, items)
    assert not report.ok
    assert report.count("retry_later") == 3
    assert outbox.counts() == {"failed_retryable": 3}
    assert "could not be reached" in report.results[0].message


def test_under_faults_every_listing_is_published_exactly_once(store_target: str) -> None:
    faults = Faults(error_500=0.1, error_503=0.1, drop=0.1, lost_response=0.2, seed=11)
    app = create_app(faults=faults)
    outbox = Outbox(store_target)
    items = [(draft(f"HEN-{n:03d}"), [picture()]) for n in range(20)]
    with running(app=app) as url:
        report = publish(url, outbox, items, concurrency=4, retry_in=0)
        for _ in range(5):  # whatever the adapter's retries could not carry, sync carries
            if report.ok:
                break
            report = publish(url, outbox, [], retry_in=0)
    assert outbox.counts() == {"published": 20}
    assert app.state.sandbox.count_listings() == 20


def test_the_blocking_publish_queues_offline_then_sends(
    sandbox: tuple[Starlette, str], store_target: str
) -> None:
    app, url = sandbox
    path = store_target
    items = [(draft(f"EGG-{n}"), [picture()]) for n in range(3)]
    queued = publishing.publish(path, "sandbox", items, offline=True, base_url=url)
    assert queued.results == ()
    assert app.state.sandbox.count_listings() == 0
    seen: list[Progress] = []
    report = publishing.publish(path, "sandbox", progress=seen.append, base_url=url)
    assert report.ok
    assert report.count("published") == 3
    assert len(seen) == 3
    assert app.state.sandbox.count_listings() == 3
    again = publishing.publish(path, "sandbox", items, base_url=url)
    assert again.count("unchanged") == 3
    assert Outbox(path).counts() == {"published": 3}


def test_a_resent_job_carries_the_same_idempotency_keys(
    sandbox: tuple[Starlette, str], monkeypatch: pytest.MonkeyPatch, store_target: str
) -> None:
    """After a crash, the job's writes go again under the keys of the first try."""
    _, url = sandbox
    outbox = Outbox(store_target)
    outbox.enqueue("sandbox", draft("HEN-KEY"), [picture()])
    runs: list[list[tuple[str, str, str | None]]] = []

    async def run() -> None:
        adapter = get_marketplace("sandbox", base_url=url)
        sent: list[tuple[str, str, str | None]] = []

        async def record(request: httpx.Request) -> None:
            sent.append((request.method, request.url.path, request.headers.get("idempotency-key")))

        adapter.http.client.event_hooks["request"] = [record]
        try:
            await Publisher(outbox, adapter).sync()
        finally:
            await adapter.aclose()
        runs.append(sent)

    with monkeypatch.context() as crash:
        # The process dies after sending, before the outcome is written down.
        crash.setattr(outbox, "published", lambda *_args, **_kwargs: None)
        asyncio.run(run())
    assert outbox.counts() == {"in_flight": 1}
    asyncio.run(run())
    assert outbox.counts() == {"published": 1}
    first, second = runs
    writes = [(m, p, k) for m, p, k in first if m != "GET"]
    assert writes
    assert all(k for _, _, k in writes)
    assert len({k for _, _, k in writes}) == len(writes)  # one key per write
    assert [(m, p, k) for m, p, k in second if m != "GET"] == writes  # the same keys again


class TestPublishFromLots:
    """publish() prepares a catalogue's lots with the one pipeline, for the adapter's profile."""

    DAY = dt.date(2026, 11, 26)  # the older chicken lot is past its use-by date

    def test_lots_are_prepared_sent_and_the_refused_ones_reported(
        self, sandbox: tuple[Starlette, str], tmp_path: Path
    ) -> None:
        catalog = load_catalog(sample_path())
        report = publishing.publish(
            tmp_path / "o.db", "sandbox", catalog=catalog, on=self.DAY, base_url=sandbox[1]
        )
        outcomes = {r.sku: r.outcome for r in report.results}
        assert outcomes == {
            "WJ261120A": "failed",
            "WJ261123A": "published",
            "WE261118": "published",
            "WP261115": "published",
        }
        (refused,) = report.failed
        assert "its use-by date 2026-11-25 has passed" in refused.message
        assert "lots.use_by" in refused.field_errors
        assert not report.ok

    def test_a_prepared_batch_goes_as_it_is(self, tmp_path: Path) -> None:
        prepared = prepare_listings(load_catalog(sample_path()), None, "sandbox", on=self.DAY)
        box = Outbox(tmp_path / "o.db")
        report = publishing.publish(
            box, "sandbox", prepared, offline=True, base_url="http://127.0.0.1:9"
        )
        assert [r.sku for r in report.results] == ["WJ261120A"]
        assert [job.sku for job in box.jobs()] == ["WJ261123A", "WE261118", "WP261115"]
        box.close()

    def test_drafts_prepared_for_another_marketplace_are_refused(self, tmp_path: Path) -> None:
        prepared = prepare_listings(load_catalog(sample_path()), ["WE261118"], "etsy", on=self.DAY)
        with pytest.raises(InvalidValueError, match="prepared for etsy, not sandbox"):
            publishing.publish(tmp_path / "o.db", "sandbox", prepared, base_url="http://x")
        assert not (tmp_path / "o.db").exists()

    def test_a_catalogue_needs_the_day(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidValueError, match="needs the day"):
            publishing.publish(
                tmp_path / "o.db", "sandbox", catalog=load_catalog(sample_path()), base_url="x"
            )


SHOP2_SECRET = "shop2-signing-secret"  # noqa: S105 - a sandbox test credential


def _skus_of(app: Starlette, account: str) -> list[str]:
    with app.state.sandbox.storage.transaction() as tx:
        return [record.sku for record in tx.listings(account)]


def test_two_accounts_of_one_marketplace_keep_two_queues(store_target: str) -> None:
    """The same SKUs for two accounts: two queues, each sent with its own credentials."""
    app = create_app(SandboxConfig(accounts={DEMO_KEY_ID: DEMO_SECRET, "shop2": SHOP2_SECRET}))
    items = [(draft(f"HEN-{n}"), [picture()]) for n in range(3)]
    shop2 = {"base_url": "", "key_id": "shop2", "secret": SHOP2_SECRET}
    with running(app=app) as url:
        shop2["base_url"] = url
        queue = queue_name("sandbox", "shop2")
        assert queue == "sandbox:shop2"
        # Both queued offline first: a sync of one account must not send the other's.
        publishing.publish(store_target, "sandbox", items, offline=True, base_url=url)
        publishing.publish(store_target, "sandbox", items, offline=True, queue=queue, **shop2)
        outbox = Outbox(store_target)
        assert {job.marketplace for job in outbox.jobs()} == {"sandbox", "sandbox:shop2"}
        assert len(outbox.jobs(marketplace="sandbox")) == 3
        assert len(outbox.jobs(marketplace=queue)) == 3

        default = publishing.publish(store_target, "sandbox", base_url=url)
        assert default.count("published") == 3
        assert default.marketplace == "sandbox"
        assert _skus_of(app, DEMO_KEY_ID) == ["HEN-0", "HEN-1", "HEN-2"]
        assert _skus_of(app, "shop2") == []  # shop2's jobs were not sent with demo's key
        assert len(outbox.jobs(JobState.QUEUED, marketplace=queue)) == 3

        other = publishing.publish(store_target, "sandbox", queue=queue, **shop2)
        assert other.count("published") == 3
        assert other.marketplace == "sandbox:shop2"
        assert _skus_of(app, "shop2") == ["HEN-0", "HEN-1", "HEN-2"]
        assert outbox.counts() == {"published": 6}
        outbox.close()


def test_an_outbox_written_before_accounts_syncs_under_the_marketplace_name(
    sandbox: tuple[Starlette, str], store_target: str
) -> None:
    """Jobs queued under the adapter's name, as outboxes always held them, are still sent."""
    app, url = sandbox
    outbox = Outbox(store_target)
    outbox.enqueue("sandbox", draft("OLD-1"), [picture()])  # what publish wrote before queues
    report = publishing.publish(outbox, "sandbox", base_url=url)
    assert report.count("published") == 1
    assert outbox.job("sandbox", "OLD-1").state is JobState.PUBLISHED
    assert app.state.sandbox.count_listings() == 1
