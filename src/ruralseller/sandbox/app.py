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
from starlette.routing import Route

from ruralseller.sandbox.api import ROUTES, get_image
from ruralseller.sandbox.api_errors import ApiError, json_response
from ruralseller.sandbox.config import SandboxConfig
from ruralseller.sandbox.listings import draft_image_names
from ruralseller.sandbox.middleware import FaultMiddleware, RequestIdMiddleware
from ruralseller.sandbox.openapi import openapi_document
from ruralseller.sandbox.pages import index_page, listing_page, listing_title, not_found_page
from ruralseller.sandbox.state import Sandbox

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


async def _listing_page(request: Request) -> Response:
    sandbox: Sandbox = request.app.state.sandbox
    sku = str(request.path_params["sku"])
    with sandbox.storage.transaction() as tx:
        record = tx.public_listing(sku)
        uploaded = [] if record is None else [i.name for i in tx.images(record.account, sku)]
    if record is None:
        return HTMLResponse(not_found_page(sku), status_code=404, headers=_HTML_SECURITY)
    wanted = [name for name in draft_image_names(record.draft) if name in uploaded]
    images = wanted + [name for name in uploaded if name not in wanted]
    price = f"{record.price_amount} {record.price_currency}"
    page = listing_page(record.draft, price, record.stock, images)
    return HTMLResponse(page, headers=_HTML_SECURITY)


async def _api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)  # noqa: S101 - registered for ApiError only
    return exc.response()


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    codes = {404: "not_found", 405: "method_not_allowed"}
    code = codes.get(exc.status_code, "bad_request")
    return ApiError(exc.status_code, code, str(exc.detail), headers=exc.headers).response()


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
        Route("/images/{sku}/{name}", get_image, methods=["GET"]),
        *(Route(path, endpoint, methods=[method]) for path, method, endpoint in ROUTES),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(FaultMiddleware, dice=sandbox.dice),
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.sandbox = sandbox
    return app
