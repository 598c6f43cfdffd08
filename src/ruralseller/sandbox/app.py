"""The sandbox marketplace as an ASGI app (Starlette).

Example:
    >>> import asyncio, httpx
    >>> app = create_app()
    >>> async def ask(path):
    ...     transport = httpx.ASGITransport(app=app)
    ...     async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
    ...         return (await client.get(path)).json()
    >>> asyncio.run(ask("/health")), asyncio.run(ask("/v1/listings"))["code"]
    ({'ok': True}, 'missing_credentials')
    >>> app.state.sandbox.count_listings()
    0
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

from ruralseller.catalog import Money
from ruralseller.errors import StorageError
from ruralseller.sandbox.api import ROUTES, get_image
from ruralseller.sandbox.api_errors import ApiError, json_response
from ruralseller.sandbox.capture import lot_of
from ruralseller.sandbox.config import SandboxConfig
from ruralseller.sandbox.listings import draft_image_names
from ruralseller.sandbox.middleware import FaultMiddleware, RequestIdMiddleware
from ruralseller.sandbox.openapi import openapi_document
from ruralseller.sandbox.pages import (
    index_page,
    listing_page,
    listing_title,
    lot_not_found_page,
    lot_page,
    lot_url,
    not_found_page,
)
from ruralseller.sandbox.resolver import lot_path, lot_story
from ruralseller.sandbox.shop import ORDER_ROUTES
from ruralseller.sandbox.state import Sandbox
from ruralseller.sandbox.storage import ListingRecord

__all__ = ["create_app"]

_HTML_SECURITY = {
    # The pages show only our own markup and pictures: forbid scripts and foreign content.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


async def _health(_request: Request) -> Response:
    return json_response({"ok": True})


async def _openapi(_request: Request) -> Response:
    return json_response(openapi_document())


async def _index(request: Request) -> Response:
    sandbox: Sandbox = request.app.state.sandbox
    with sandbox.storage.transaction() as tx:
        active = tx.active_listings()
    page = index_page([(record.sku, listing_title(record.draft)) for record in active])
    return HTMLResponse(page, headers=_HTML_SECURITY)


def _draft_lots(draft: dict[str, Any]) -> set[tuple[str, str]]:
    """The (GTIN-14, lot) pairs a stored draft names: its GTIN and lot, its Digital Link."""
    found: set[tuple[str, str]] = set()
    gtin, lot = draft.get("gtin"), draft.get("lot")
    if isinstance(gtin, str) and gtin.isdigit() and isinstance(lot, str) and lot:
        found.add((gtin.zfill(14), lot))
    link = draft.get("traceability_url")
    linked = lot_of(link) if isinstance(link, str) else None
    if linked is not None:
        found.add(linked)
    return found


async def _listing_page(request: Request) -> Response:
    sandbox: Sandbox = request.app.state.sandbox
    sku = str(request.path_params["sku"])
    with sandbox.storage.transaction() as tx:
        record = tx.public_listing(sku)
        uploaded = [] if record is None else [i.name for i in tx.images(record.account, sku)]
        lots = set() if record is None else _draft_lots(record.draft)
        told = sorted(lot for lot in lots if tx.has_lot_events(*lot))
    if record is None:
        return HTMLResponse(not_found_page(sku), status_code=404, headers=_HTML_SECURITY)
    wanted = [name for name in draft_image_names(record.draft) if name in uploaded]
    images = wanted + [name for name in uploaded if name not in wanted]
    price = Money(record.price_amount, record.price_currency)
    story = lot_url(*told[0]) if told else None
    lang = request.query_params.get("lang")
    page = listing_page(record.draft, price, record.stock, images, story_url=story, lang=lang)
    return HTMLResponse(page, headers=_HTML_SECURITY)


def _lot_not_found(path: str, reason: str) -> Response:
    page = lot_not_found_page(path, reason)
    return HTMLResponse(page, status_code=404, headers=_HTML_SECURITY)


_NOT_A_LOT_LINK = (
    "这不是本沙盒能解析的批次链接。This is not a GS1 Digital Link of a lot the sandbox can "
    "resolve: it answers /01/<GTIN of 14 digits>/10/<lot>."
)


async def _lot_page(request: Request) -> Response:
    sandbox: Sandbox = request.app.state.sandbox
    raw = bytes(request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
    found = lot_path(raw)
    if found is None:
        return _lot_not_found(request.url.path, _NOT_A_LOT_LINK)
    gtin, lot = found
    with sandbox.storage.transaction() as tx:
        events = tx.lot_events(gtin, lot)
        story = lot_story(gtin, lot, events, tx.epcis_location)
        listings: list[ListingRecord] = [
            record for record in tx.active_listings() if (gtin, lot) in _draft_lots(record.draft)
        ]
    if not events:
        return _lot_not_found(
            f"GTIN {gtin}, 批次 lot {lot}",
            "没有这个批次的记录。The sandbox holds no EPCIS event for this lot: capture its "
            "events with POST /v1/epcis/capture.",
        )
    page = lot_page(story, [(record.sku, listing_title(record.draft)) for record in listings])
    return HTMLResponse(page, headers=_HTML_SECURITY)


class _RawPathRoute(Route):
    """A route matched on the raw path, before percent-decoding.

    A lot code may hold a ``/``, written ``%2F`` in its Digital Link; matched on the
    decoded path it would split the lot into two segments and match nothing.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match the raw path when the server gives it."""
        raw = scope.get("raw_path")
        if scope["type"] == "http" and raw:
            # (httpx's ASGI transport puts the query in raw_path; servers do not.)
            scope = {**scope, "path": bytes(raw).decode("latin-1").split("?", 1)[0]}
        return super().matches(scope)


async def _api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)  # noqa: S101 - registered for ApiError only
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    if exc.status_code == 404 and request.url.path.startswith("/01/"):
        # A scanned Digital Link the router cannot match (no lot, more segments...) gets a
        # page, as a buyer's phone expects, not JSON.
        return _lot_not_found(request.url.path, _NOT_A_LOT_LINK)
    codes = {404: "not_found", 405: "method_not_allowed"}
    code = codes.get(exc.status_code, "bad_request")
    return ApiError(exc.status_code, code, str(exc.detail), headers=exc.headers).response()


async def _storage_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StorageError)  # noqa: S101 - registered for StorageError only
    return ApiError(
        503,
        "storage_unavailable",
        f"the sandbox could not use its database: {exc}",
        headers={"Retry-After": "30"},
    ).response()


def create_app(config: SandboxConfig | None = None, **options: Any) -> Starlette:
    """A sandbox marketplace app.

    Args:
        config: the setup; by default :class:`SandboxConfig` made from ``options``.
        options: :class:`SandboxConfig` fields (``db``, ``accounts``, ``rate``, ``burst``,
            ``faults``...), when no ``config`` is given.

    The app's state, ``app.state.sandbox``, is a :class:`~ruralseller.sandbox.Sandbox`:
    ``set_faults()`` changes the injected faults at run time, ``count_listings()`` counts
    the stored listings.
    """
    if config is None:
        config = SandboxConfig(**options)
    elif options:
        raise TypeError("give either a SandboxConfig or its fields as keywords, not both")
    sandbox = Sandbox(config)

    routes = [
        Route("/", _index, methods=["GET"]),
        Route("/health", _health, methods=["GET"]),
        Route("/openapi.json", _openapi, methods=["GET"]),
        Route("/listings/{sku}", _listing_page, methods=["GET"]),
        _RawPathRoute("/01/{gtin}/10/{lot}", _lot_page, methods=["GET"]),
        Route("/images/{sku}/{name}", get_image, methods=["GET"]),
        *(Route(path, endpoint, methods=[method]) for path, method, endpoint in ROUTES),
        *(Route(path, endpoint, methods=[method]) for path, method, endpoint in ORDER_ROUTES),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(FaultMiddleware, dice=sandbox.dice),
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            StorageError: _storage_error,
        },
    )
    app.state.sandbox = sandbox
    return app
