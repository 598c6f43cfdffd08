from __future__ import annotations

from typing import Any

import httpx
from tests.sandbox.conftest import SKU, SandboxAuth

from ruralseller.sandbox import create_app, running
from ruralseller.sandbox.ratelimit import TokenBuckets


def test_over_the_burst_is_429_and_changes_nothing(draft_data: dict[str, Any]) -> None:
    app = create_app(rate=0.5, burst=2)
    with running(app=app) as url, httpx.Client(base_url=url, auth=SandboxAuth()) as client:
        assert client.get("/v1/listings").status_code == 200
        assert client.get("/v1/listings").status_code == 200
        limited = client.put(f"/v1/listings/{SKU}", json=draft_data)
        assert limited.status_code == 429
        assert limited.json()["code"] == "rate_limited"
        assert limited.headers["Retry-After"] == "2"
        assert app.state.sandbox.count_listings() == 0
        assert client.get("/health").status_code == 200
    app.state.sandbox.close()


def test_buckets_refill_and_are_per_account() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=10, burst=1, clock=lambda: now[0])
    assert buckets.take("a") == 0
    assert buckets.take("b") == 0
    assert buckets.take("a") > 0
    now[0] = 0.05
    assert 0 < buckets.take("a") <= 0.05 + 1e-9
    now[0] = 0.1
    assert buckets.take("a") == 0
