"""Noting when requests reach the sandbox, to check rate limits where the marketplace does."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["ArrivalLog", "busiest_second"]


class ArrivalLog:
    """An ASGI wrapper that notes when each request arrived, for which account, and the answer."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state = app.state
        self.arrivals: list[tuple[float, str, int]] = []

    async def __call__(
        self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Any
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.monotonic()
        account = dict(scope["headers"]).get(b"x-api-key", b"").decode()
        status = [0]

        async def noting(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        await self.app(scope, receive, noting)
        self.arrivals.append((arrived, account, status[0]))


def busiest_second(times: list[float]) -> int:
    """The most arrivals in any half-open window of one second."""
    times = sorted(times)
    most, start = 0, 0
    for end, now in enumerate(times):
        while times[start] <= now - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most
