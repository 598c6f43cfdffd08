"""Serving a sandbox marketplace with uvicorn: in the foreground, or in a background thread.

Example:
    >>> import httpx
    >>> with running() as url:
    ...     httpx.get(url + "/health").json()
    {'ok': True}
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import h11
import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.h11_impl import H11Protocol

from ruralseller.sandbox.app import create_app
from ruralseller.sandbox.middleware import ConnectionDropped

__all__ = ["running", "serve"]

_START_TIMEOUT: Final = 10.0
"""How long :func:`running` waits for the server to listen, in seconds."""


class _HideDroppedConnections(logging.Filter):
    """Keep uvicorn from logging the connections the sandbox drops on purpose as crashes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


def _quiet_drops() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDroppedConnections) for f in logger.filters):
        logger.addFilter(_HideDroppedConnections())


_TIMEOUT_ANSWER: Final = (
    b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Connection: close\r\nContent-Length: 46\r\n\r\n"
    b"the request's headers did not arrive in time\r\n"
)


class _TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a deadline for each request's line and headers.

    uvicorn bounds the idle time between requests, but not a client that sends its headers
    a byte at a time (a "slowloris"): this one answers 408 and disconnects when a request's
    head has not arrived ``header_timeout`` s after the connection opened or the previous
    answer ended.
    """

    header_timeout = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the request's head is in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self.conn.our_state is h11.IDLE:
                self.transport.write(_TIMEOUT_ANSWER)
            self.transport.close()


def _timed_protocol(header_timeout: float) -> type[H11Protocol]:
    return type("TimedH11Protocol", (_TimedH11Protocol,), {"header_timeout": header_timeout})


def _server(app: Starlette, host: str, port: int, **uvicorn_options: Any) -> uvicorn.Server:
    # h11 is uvicorn's pure-Python HTTP/1.1 parser; pinning it makes a dropped connection
    # look the same on every machine (with or without httptools installed).
    sandbox = getattr(app.state, "sandbox", None)
    header_timeout = sandbox.config.header_timeout if sandbox is not None else 10.0
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=_timed_protocol(header_timeout),
        lifespan="off",
        **uvicorn_options,
    )
    _quiet_drops()
    return uvicorn.Server(config)


def serve(
    host: str = "127.0.0.1", port: int = 8765, *, app: Starlette | None = None, **config: Any
) -> None:
    """Serve a sandbox marketplace until interrupted (Ctrl+C).

    Args:
        host: the address to listen on; keep the loopback default unless you know why not:
            the demo account's secret is public.
        port: the TCP port.
        app: an app made by :func:`create_app`; by default one made from ``config``.
        config: :class:`~ruralseller.sandbox.SandboxConfig` fields, e.g. ``db="sandbox.db"``.
    """
    _server(app or create_app(**config), host, port).run()


@contextmanager
def running(port: int = 0, *, app: Starlette | None = None, **config: Any) -> Iterator[str]:
    """Run a sandbox marketplace on the loopback in a background thread.

    Args:
        port: the TCP port; 0 (the default) takes a free one.
        app: an app made by :func:`create_app` (to reach its state in tests); by default
            one made from ``config``.
        config: :class:`~ruralseller.sandbox.SandboxConfig` fields.

    Yields:
        the base URL, e.g. ``http://127.0.0.1:54321``. The server shuts down when the block
        ends.
    """
    server = _server(
        app or create_app(**config), "127.0.0.1", port, log_config=None, log_level="warning"
    )
    thread = threading.Thread(target=server.run, name="ruralseller-sandbox", daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the sandbox did not start on 127.0.0.1:{port}")
        time.sleep(0.005)
    sockets = [sock for item in server.servers for sock in item.sockets]
    bound = sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{bound}"
    finally:
        server.should_exit = True
        thread.join(_START_TIMEOUT)
