"""Helpers for the sandbox tests: a request signer, listing drafts, pictures, servers.

The signer follows the contract on its own (it does not call ruralseller.sandbox.auth), so
the tests check the server against the contract, not against itself.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import hmac
import io
import time
import uuid
from collections.abc import Generator, Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import generate_listing
from ruralseller.listing.render import draft_to_data
from ruralseller.sandbox import DEMO_KEY_ID, DEMO_SECRET, create_app, running

SKU = "WJ261120A"
IMAGE_NAMES = (
    "whole-black-bone-chicken.jpg",
    "black-bone-chicken-cut.jpg",
    "flock-in-the-village.jpg",
)


def signature(  # noqa: PLR0917 - the signed parts, in the contract's order
    secret: str, method: str, path: str, timestamp: int, body: bytes, nonce: str = ""
) -> str:
    canonical = f"{method}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}"
    if nonce:
        canonical += f"\n{nonce}"
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def signed_headers(
    method: str,
    path: str,
    body: bytes = b"",
    *,
    key_id: str = DEMO_KEY_ID,
    secret: str = DEMO_SECRET,
    timestamp: int | None = None,
    nonce: str = "",
) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "X-Api-Key": key_id,
        "X-Timestamp": str(ts),
        "X-Signature": signature(secret, method, path, ts, body, nonce),
    }
    return headers | ({"X-Nonce": nonce} if nonce else {})


class SandboxAuth(httpx.Auth):
    """Signs every request as the contract says (raw path with query, body SHA-256)."""

    requires_request_body = True

    def __init__(self, key_id: str = DEMO_KEY_ID, secret: str = DEMO_SECRET) -> None:
        self.key_id = key_id
        self.secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        path = request.url.raw_path.decode("ascii")
        request.headers.update(
            signed_headers(
                request.method,
                path,
                request.content,
                key_id=self.key_id,
                secret=self.secret,
                nonce=uuid.uuid4().hex,  # a new one for every request, as the contract asks
            )
        )
        yield request


@functools.cache
def _sample_data() -> dict[str, Any]:
    catalog = load_catalog(sample_path())
    return draft_to_data(generate_listing(catalog, SKU, on=dt.date(2026, 11, 21)))


@pytest.fixture
def draft_data() -> dict[str, Any]:
    """The sample lot's listing draft as data (a fresh copy for each test)."""
    return copy.deepcopy(_sample_data())


def picture(width: int = 300, height: int = 300, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "saddlebrown").save(out, fmt)
    return out.getvalue()


@pytest.fixture
def app() -> Iterator[Starlette]:
    app = create_app()
    yield app
    app.state.sandbox.close()


@pytest.fixture
def base_url(app: Starlette) -> Iterator[str]:
    with running(app=app) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, auth=SandboxAuth(), timeout=10) as client:
        yield client


@pytest.fixture
def anonymous(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client
