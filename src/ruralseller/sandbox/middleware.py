"""ASGI middleware of the sandbox: a request id on every answer, and fault injection.

Faults apply to the ``/v1`` API only, never to the pages, the public pictures, ``/health``
or ``/openapi.json``. A dropped connection is made the way the ASGI interface allows: the
answer is started with a header uvicorn refuses to write and then :class:`ConnectionDropped`
is raised, so the server aborts the connection: the client receives no byte at all, and
httpx raises ``RemoteProtocolError("Server disconnected without sending a response.")``.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ruralseller.sandbox.api_errors import ApiError
from ruralseller.sandbox.faults import Fault, FaultDice

__all__ = ["ConnectionDropped", "FaultMiddleware", "RequestIdMiddleware"]

# Public pictures are served under /v1 too; like the pages, they never fail on purpose.
_PUBLIC_IMAGE: Final = re.compile(r"/v1/listings/[^/]+/images/[^/]+")
_BAD_HEADER: Final = (b"x-sandbox dropped", b"1")


class ConnectionDropped(Exception):  # noqa: N818 - it is what happens, not a mistake
    """Raised on purpose inside the app so that the server drops the connection."""


class RequestIdMiddleware:
    """Adds ``X-Request-Id`` (a uuid4 in hex) to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, adding the header."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("X-Request-Id", request_id)
            await send(message)

        await self.app(scope, receive, send_with_id)


def _faulty(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    if not (path == "/v1" or path.startswith("/v1/")):
        return False
    return not (scope.get("method") == "GET" and _PUBLIC_IMAGE.fullmatch(path))


async def _drop(send: Send) -> None:
    # Start an answer whose header name is not a token (RFC 9110 §5.1): uvicorn's HTTP/1.1
    # writer (h11) refuses it before writing a byte, so the connection closes with nothing
    # sent, as when a network drops. A server that wrote it anyway would send a malformed
    # head, which clients refuse too; either way no answer arrives.
    try:
        await send({"type": "http.response.start", "status": 502, "headers": [_BAD_HEADER]})
    except Exception as exc:
        raise ConnectionDropped("fault injected: connection dropped") from exc
    raise ConnectionDropped("fault injected: connection dropped")


async def _swallow(_message: Message) -> None:
    return None


class FaultMiddleware:
    """Injects the faults that ``dice`` rolls into ``/v1`` requests."""

    def __init__(self, app: ASGIApp, dice: Callable[[], FaultDice]) -> None:
        self.app = app
        self.dice = dice

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, or fail it on purpose."""
        if scope["type"] != "http" or not _faulty(scope):
            await self.app(scope, receive, send)
            return
        plan = self.dice().roll()
        if plan.slow_seconds:
            await asyncio.sleep(plan.slow_seconds)
        if plan.fault is Fault.DROP:
            await _drop(send)
        elif plan.fault is Fault.ERROR_500:
            error = ApiError(500, "internal_error", "fault injected: internal error; try again")
            await error.response()(scope, receive, send)
        elif plan.fault is Fault.ERROR_503:
            # Retry-After in delay-seconds (RFC 9110 §10.2.3).
            error = ApiError(
                503,
                "unavailable",
                "fault injected: the sandbox is unavailable; retry after 1 s",
                headers={"Retry-After": "1"},
            )
            await error.response()(scope, receive, send)
        elif plan.fault is Fault.LOST_RESPONSE:
            await self.app(scope, receive, _swallow)
            await _drop(send)
        else:
            await self.app(scope, receive, send)
