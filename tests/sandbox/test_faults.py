from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from tests.sandbox.conftest import SKU

from ruralseller.sandbox import Faults
from ruralseller.sandbox.faults import Fault, FaultDice


def set_faults(app: Starlette, **rates: Any) -> None:
    app.state.sandbox.set_faults(Faults(**rates))


@pytest.mark.parametrize("status", [500, 503])
def test_errors_come_before_any_work(
    app: Starlette, client: httpx.Client, draft_data: dict[str, Any], status: int
) -> None:
    set_faults(app, **{f"error_{status}": 1.0})
    answer = client.put(f"/v1/listings/{SKU}", json=draft_data)
    assert answer.status_code == status
    assert answer.json()["code"] == ("internal_error" if status == 500 else "unavailable")
    assert answer.headers.get("Retry-After") == ("1" if status == 503 else None)
    assert "X-Request-Id" in answer.headers
    assert app.state.sandbox.count_listings() == 0


def test_slow(app: Starlette, client: httpx.Client) -> None:
    set_faults(app, slow=1.0, slow_seconds=0.3)
    start = time.monotonic()
    assert client.get("/v1/listings").status_code == 200
    assert time.monotonic() - start >= 0.3


def test_drop_loses_the_request(
    app: Starlette, client: httpx.Client, draft_data: dict[str, Any]
) -> None:
    set_faults(app, drop=1.0)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        client.put(f"/v1/listings/{SKU}", json=draft_data)
    assert app.state.sandbox.count_listings() == 0


def test_lost_response_does_the_work(
    app: Starlette, client: httpx.Client, draft_data: dict[str, Any]
) -> None:
    set_faults(app, lost_response=1.0)
    body = json.dumps(draft_data).encode()
    headers = {"Idempotency-Key": "once", "Content-Type": "application/json"}
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        client.post("/v1/listings", content=body, headers=headers)
    assert app.state.sandbox.count_listings() == 1
    set_faults(app)
    retried = client.post("/v1/listings", content=body, headers=headers)
    assert retried.status_code == 201
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json()["version"] == 1
    assert app.state.sandbox.count_listings() == 1


def test_drop_is_seen_on_the_wire(app: Starlette, base_url: str) -> None:
    """Over a raw socket: not one byte comes back before the connection closes."""
    set_faults(app, drop=1.0)
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET /v1/listings HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        assert sock.recv(1024) == b""


def test_faults_spare_the_public_routes(app: Starlette, anonymous: httpx.Client) -> None:
    set_faults(app, error_500=1.0, drop=1.0)
    for path in ("/health", "/openapi.json", "/", "/listings/NOPE", f"/images/{SKU}/a.png"):
        assert anonymous.get(path).status_code in {200, 404}
    assert anonymous.get(f"/v1/listings/{SKU}/images/a.png").status_code == 404


def test_faults_are_reproducible() -> None:
    faults = Faults(error_500=0.3, error_503=0.3, drop=0.2, lost_response=0.2, seed=42)
    dice_a, dice_b = FaultDice(faults), FaultDice(faults)
    rolls = [dice_a.roll().fault for _ in range(200)]
    assert rolls == [dice_b.roll().fault for _ in range(200)]
    assert set(rolls) == {None, *Fault}
    drops = sum(fault is Fault.DROP for fault in rolls)
    assert 20 <= drops <= 60


@pytest.mark.parametrize(
    ("field", "value"),
    [("drop", 1.5), ("error_500", -0.1), ("slow", "0.5"), ("lost_response", True)],
)
def test_rates_are_checked(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=rf"Faults\.{field} must be a rate between 0 and 1"):
        Faults(**{field: value})


def test_slow_seconds_are_checked() -> None:
    with pytest.raises(ValueError, match=r"Faults\.slow_seconds must be a number of seconds"):
        Faults(slow_seconds=-1)
