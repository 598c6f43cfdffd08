"""The adapter for ruralseller's own local marketplace (``ruralseller sandbox serve``).

The sandbox speaks a small REST API (its OpenAPI document is served at ``/openapi.json``):
listings keyed by our SKU (``PUT`` is an upsert, so every write can be repeated safely),
pictures uploaded as files, a separate publish step, and an HMAC signature on every request so
the signing path is exercised as it would be on a real platform.

Example:
    >>> sandbox = SandboxMarketplace()          # the demo account on http://127.0.0.1:8765
    >>> sandbox.capabilities.names()
    ('multi_step_publish', 'image_upload', 'native_idempotency', 'withdraw', 'stock_and_price')
    >>> sandbox
    SandboxMarketplace(base_url='http://127.0.0.1:8765', key_id='demo')
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable, Generator, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

import attrs
import httpx

from ruralseller.catalog import Money
from ruralseller.errors import MarketplaceError
from ruralseller.listing import (
    ListingDraft,
    ProcessedImage,
    draft_to_data,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.sandbox_orders import SandboxOrders
from ruralseller.marketplaces.secrets import Secret

if TYPE_CHECKING:
    from ruralseller.traceability import EpcisDocument

__all__ = [
    "DEFAULT_SANDBOX_URL",
    "DEMO_KEY_ID",
    "DEMO_SECRET",
    "SandboxAuth",
    "SandboxMarketplace",
    "SandboxSettings",
    "canonical_request",
]

#: Where ``ruralseller sandbox serve`` listens unless told otherwise.
DEFAULT_SANDBOX_URL = "http://127.0.0.1:8765"
#: The demo account every sandbox starts with. For local use only: it is published here.
DEMO_KEY_ID = "demo"
DEMO_SECRET = "sandbox-demo-secret"  # noqa: S105 - a published demo credential, not a secret


def canonical_request(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    r"""The bytes the sandbox signature covers: method, raw path with query, time, body hash.

    >>> canonical_request("GET", "/v1/listings/HEN-1", "1764000000", b"")
    b'GET\n/v1/listings/HEN-1\n1764000000\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{digest}".encode()


class SandboxAuth(httpx.Auth):
    """Signs each request as the sandbox expects, with HMAC-SHA256 (RFC 2104).

    The signature covers :func:`canonical_request` and is sent in ``X-Signature``, beside
    ``X-Api-Key``, ``X-Timestamp`` and ``X-Nonce`` (signed as a fifth line).

    It runs again on every retry, so each try carries a fresh timestamp and nonce.
    """

    requires_request_body = True

    def __init__(
        self, key_id: str, secret: Secret, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.key_id = key_id
        self._secret = secret
        self._clock = clock

    def __repr__(self) -> str:
        return f"SandboxAuth(key_id={self.key_id!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the key id, the timestamp and the signature to ``request``."""
        timestamp = str(int(self._clock()))
        nonce = uuid.uuid4().hex  # new on every try: the sandbox refuses a replayed request
        message = canonical_request(
            request.method, request.url.raw_path.decode("ascii"), timestamp, request.content
        )
        message += b"\n" + nonce.encode()
        signature = hmac.new(self._secret.reveal().encode(), message, hashlib.sha256)
        request.headers["X-Api-Key"] = self.key_id
        request.headers["X-Timestamp"] = timestamp
        request.headers["X-Nonce"] = nonce
        request.headers["X-Signature"] = signature.hexdigest()
        yield request


def _path(sku: str, *rest: str) -> str:
    return "/".join(["/v1/listings", quote(sku, safe=""), *(quote(p, safe="") for p in rest)])


def _secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


@attrs.frozen(kw_only=True)
class SandboxSettings:
    """The settings of a sandbox account.

    Attributes:
        base_url: where the sandbox runs.
        key_id: the account's API key id.
        secret: the account's signing secret (a :class:`Secret`, or a string to wrap).
    """

    base_url: str = DEFAULT_SANDBOX_URL
    key_id: str = DEMO_KEY_ID
    secret: Secret = attrs.field(default=Secret(DEMO_SECRET), converter=_secret, repr=False)


@guard_answers
class SandboxMarketplace(SandboxOrders, Driver[SandboxSettings]):
    """Publishes to a sandbox marketplace (see :mod:`ruralseller.sandbox`).

    Its settings are :class:`SandboxSettings` (``base_url`` may also come first, by position);
    the wiring (``retry``, ``rate``, ``transport``, ``timeout``, ``sleep``, ``clock``) is the
    :class:`~ruralseller.marketplaces.driver.Driver`'s. The sandbox allows 20 requests a
    second by default; every adapter for the same sandbox and key shares one budget, and
    every sandbox write is idempotent, so all are retried. It takes orders in too
    (:class:`~ruralseller.marketplaces.sandbox_orders.SandboxOrders`).
    """

    name: ClassVar[str] = "sandbox"
    capabilities: ClassVar[Capabilities] = Capabilities(
        multi_step_publish=True,
        image_upload=True,
        native_idempotency=True,
        withdraw=True,
        stock_and_price=True,
    )
    settings_class: ClassVar[type[SandboxSettings]] = SandboxSettings
    default_rate: ClassVar[float] = 20.0
    positional: ClassVar[tuple[str, ...]] = ("base_url",)
    http_options: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {"idempotency_header": "Idempotency-Key"}
    )

    def setup(self) -> None:
        """The sandbox's address and key id, from the settings."""
        self.base_url = self.settings.base_url.rstrip("/")
        self.key_id = self.settings.key_id

    def make_auth(self) -> httpx.Auth:
        """The sandbox's request signature (:class:`SandboxAuth`)."""
        return SandboxAuth(self.key_id, self.settings.secret, clock=self.clock)

    def account_key(self) -> str:
        """The sandbox and the key: one rate budget per account."""
        return f"{self.base_url} {self.key_id}"

    whoami_call: ClassVar[str] = "GET /v1/listings?limit=1"

    async def whoami(self) -> str:
        """The key id, once the sandbox accepted a signed read of one listing (changes nothing).

        The sandbox answers 401 to an unknown key or a bad signature (its ``auth`` module).
        """
        response = await self.http.request(
            "GET", "/v1/listings", idempotent=True, params={"limit": 1}
        )
        if not isinstance(response.json()["listings"], list):  # not the sandbox answering
            raise TypeError("its answer has no list of listings")
        return self.key_id

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Write the listing, upload its pictures, and publish it.

        The listing names its pictures by content (:func:`image_name`), not by the
        partner's file paths, which stay on the partner's computer.
        """
        data = draft_to_data(draft)
        data["images"] = [image_name(image) for image in images]
        await self.http.request("PUT", _path(draft.sku), idempotent=True, json=data)
        await self.upload_images(draft.sku, images)
        response = await self.http.request("POST", _path(draft.sku, "publish"), idempotent=True)
        return self._state(response.json())

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures (by content name; uploading one again changes nothing)."""
        names = []
        for image in images:
            name = image_name(image)
            await self.http.request(
                "PUT",
                _path(sku, "images", name),
                idempotent=True,
                content=image.data,
                headers={"Content-Type": image.media_type},
            )
            names.append(name)
        return tuple(names)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given."""
        body: dict[str, Any] = {"stock": stock}
        if price is not None:
            body["price"] = {"amount": str(price.amount), "currency": price.currency}
        response = await self.http.request(
            "PUT", _path(sku, "inventory"), idempotent=True, json=body
        )
        return self._state(response.json())

    async def withdraw(self, sku: str) -> ListingState:
        """Take the listing off sale."""
        response = await self.http.request("POST", _path(sku, "withdraw"), idempotent=True)
        return self._state(response.json())

    async def fetch(self, sku: str) -> ListingState | None:
        """The listing as the sandbox holds it, or ``None``."""
        try:
            response = await self.http.request("GET", _path(sku), idempotent=True)
        except MarketplaceError as error:
            if error.status == 404:  # Not Found
                return None
            raise
        return self._state(response.json())

    async def capture_events(self, document: EpcisDocument) -> int:
        """Capture a lot's EPCIS events, so the sandbox shows the lot's story.

        The sandbox stores each event once, by ``eventID`` (it names an event sent without
        one by its content), and serves the story at the lot's GS1 Digital Link path,
        ``/01/{gtin}/10/{lot}``. The request carries an idempotency key kept across
        retries, so a retried capture answers as the first one did.

        Args:
            document: the events, e.g. from :func:`ruralseller.traceability.events_for_lot`.

        Returns:
            How many of the document's events the sandbox did not hold yet.

        Raises:
            MarketplaceError: when the sandbox refuses the document or cannot be reached.
        """
        response = await self.http.request(
            "POST",
            "/v1/epcis/capture",
            idempotent=True,
            content=document.to_json(indent=None).encode(),
            headers={"Content-Type": "application/ld+json", "Idempotency-Key": uuid.uuid4().hex},
        )
        return int(response.json()["newEventCount"])

    def _state(self, body: dict[str, Any]) -> ListingState:
        price = body.get("price")
        return ListingState(
            marketplace=self.name,
            sku=str(body["sku"]),
            state=str(body["state"]),
            version=str(body["version"]) if body.get("version") is not None else None,
            stock=body.get("stock"),
            price=Money(Decimal(price["amount"]), price["currency"]) if price else None,
            images=tuple(body.get("images", ())),
            url=self.base_url + body["page_url"] if body.get("page_url") else None,
            extra={"created_at": body.get("created_at"), "updated_at": body.get("updated_at")},
        )
