"""Every malformed request gets a 4xx answer, never a 500; slow clients and replays are cut off."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from tests.sandbox.conftest import SKU, SandboxAuth, signed_headers

from ruralseller.sandbox import create_app, running

LISTING = f"/v1/listings/{SKU}"
ROUTES = (
    ("PUT", LISTING),
    ("POST", "/v1/listings"),
    ("PUT", f"{LISTING}/inventory"),
    ("POST", "/v1/epcis/capture"),
)


@pytest.fixture(scope="module")
def hostile_app() -> Iterator[Starlette]:
    app = create_app(rate=1e6, burst=1e6, header_timeout=0.5, body_timeout=0.5)
    yield app
    app.state.sandbox.close()


def _send(
    app: Starlette, method: str, path: str, body: bytes, **headers: str | bytes
) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # an app exception would raise here
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            signed = signed_headers(method, path, body, nonce=uuid.uuid4().hex)
            content_type = {"Content-Type": "application/json"}
            return await client.request(
                method, path, content=body, headers=content_type | signed | headers
            )

    return asyncio.run(go())


def _nested(depth: int) -> bytes:
    return b'{"sku": ' + b"[" * depth + b"]" * depth + b"}"


HOSTILE_BODIES = {
    "deep arrays": _nested(100),
    "very deep arrays": _nested(200_000),
    "deep objects": b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    "lone surrogate": b'{"sku": "WJ261120A", "title": {"en": "hen \\ud800"}}',
    "lone surrogate key": b'{"\\udfff": 1}',
    "huge integer": b'{"stock": 18446744073709551616}',
    "enormous integer": b'{"stock": ' + b"9" * 5_000 + b"}",
    "infinite number": b'{"stock": 1e999}',
    "NaN": b'{"stock": NaN}',
    "not UTF-8": b'{"sku": "\xff\xfe"}',
    "negative stock": b'{"stock": -5}',
}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_hostile_bodies_get_a_4xx(
    hostile_app: Starlette, route: tuple[str, str], name: str
) -> None:
    answer = _send(hostile_app, *route, HOSTILE_BODIES[name])
    assert 400 <= answer.status_code < 500, (name, answer.status_code, answer.text)
    assert answer.json()["message"]


def test_negative_stock_is_refused_the_same_on_both_paths(
    hostile_app: Starlette, draft_data: dict[str, Any]
) -> None:
    body = json.dumps(draft_data | {"stock": -3}).encode()
    answer = _send(hostile_app, "PUT", LISTING, body)
    assert answer.status_code == 422
    assert {"field": "stock", "message": "must be a whole number >= 0"} in answer.json()["errors"]
    good = _send(hostile_app, "PUT", LISTING, json.dumps(draft_data).encode())
    assert good.status_code in (200, 201)
    answer = _send(hostile_app, "PUT", f"{LISTING}/inventory", b'{"stock": -3}')
    assert answer.status_code == 422
    assert {"field": "stock", "message": "must be a whole number >= 0"} in answer.json()["errors"]


@pytest.mark.parametrize(
    "value",
    [
        "9" * 13,
        "9" * 5_000,
        "-" + "9" * 4_000,
        "１２３".encode(),
        "²".encode(),
        "1e9",
        " 1",
        "",
        "0x10",
        "9" * 60_000,
    ],
)
def test_a_timestamp_of_any_length_is_refused_with_401(
    hostile_app: Starlette, value: str | bytes
) -> None:
    answer = _send(hostile_app, "GET", LISTING, b"", **{"X-Timestamp": value})
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Content-Length", "²".encode()),
        ("Content-Length", "9" * 40),
        ("Idempotency-Key", "k" * 10_000),
        ("X-Api-Key", "k" * 50_000),
        ("X-Signature", "f" * 50_000),
        ("X-Nonce", "not a nonce!"),
        ("X-Nonce", "n" * 65),
    ],
)
def test_odd_header_values_get_a_4xx(
    hostile_app: Starlette, header: str, value: str | bytes
) -> None:
    answer = _send(hostile_app, "POST", "/v1/listings", b"{}", **{header: value})
    assert 400 <= answer.status_code < 500, answer.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    ),
    route=st.sampled_from(ROUTES),
)
def test_any_json_value_gets_an_answer_below_500(
    hostile_app: Starlette, body: Any, route: tuple[str, str]
) -> None:
    raw = json.dumps(body, allow_nan=True).encode("utf-8", "surrogatepass")
    answer = _send(hostile_app, *route, raw)
    assert answer.status_code < 500, answer.text


def test_a_replayed_write_is_refused(hostile_app: Starlette, draft_data: dict[str, Any]) -> None:
    body = json.dumps(draft_data).encode()
    headers = signed_headers("PUT", LISTING, body) | {"Content-Type": "application/json"}

    async def twice() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=hostile_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return [await client.put(LISTING, content=body, headers=headers) for _ in range(2)]

    first, replayed = asyncio.run(twice())
    assert first.status_code in (200, 201)
    assert (replayed.status_code, replayed.json()["code"]) == (401, "replayed_request")


def test_a_replayed_nonce_is_refused_even_for_a_read(hostile_app: Starlette) -> None:
    headers = signed_headers("GET", LISTING, nonce="once-only-1")

    async def twice() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=hostile_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return [await client.get(LISTING, headers=headers) for _ in range(2)]

    first, replayed = asyncio.run(twice())
    assert first.status_code != 401
    assert (replayed.status_code, replayed.json()["code"]) == (401, "replayed_request")


def _raw(url: str, data: bytes, wait: float) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(data)
        time.sleep(wait)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_slow_headers_get_408_and_the_connection_closed() -> None:
    with running(app=create_app(header_timeout=0.3)) as url:
        started = time.monotonic()
        answer = _raw(url, b"GET /health HTTP/1.1\r\nHost: x\r\n", 0)
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert time.monotonic() - started < 3


def test_a_slow_body_gets_408() -> None:
    with running(app=create_app(body_timeout=0.3)) as url:
        head = (
            b"PUT /v1/listings/X HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        answer = _raw(url, head, 0)
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert time.monotonic() - started < 3


def test_an_honest_client_is_never_taken_for_a_replay(draft_data: dict[str, Any]) -> None:
    with running(app=create_app()) as url, httpx.Client(base_url=url, auth=SandboxAuth()) as c:
        codes = [c.put(LISTING, json=draft_data).status_code for _ in range(5)]
    assert codes == [201, 200, 200, 200, 200]


def _get(app: Starlette, path: str, **headers: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(go())


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from(
        ["/listings/", "/01/", "/01/09526000160021/10/", "/images/WJ261120A/", f"{LISTING}/"]
    ),
    tail=st.text(max_size=60),
    raw=st.booleans(),
)
def test_any_path_gets_an_answer_below_500(
    hostile_app: Starlette, prefix: str, tail: str, raw: bool
) -> None:
    encoded = quote(tail.encode("utf-8", "surrogatepass"), safe="/?=&" if raw else "")
    answer = _get(hostile_app, prefix + encoded, **signed_headers("GET", prefix + encoded))
    assert answer.status_code < 500, (prefix + encoded, answer.text[:300])
