"""Turning the log on for one ``ruralseller`` run, with every credential redacted.

``--log-level LEVEL`` (or ``RURALSELLER_LOG=LEVEL``) sends ruralseller's log and httpx's
(each HTTP request line) to stderr through a
:class:`~ruralseller.marketplaces.RedactingFilter`, which scrubs every form a credential
takes (raw, Basic auth's base64, URL-encoded, in a query string). Without it nothing is
logged.
"""

from __future__ import annotations

import logging
import sys

from ruralseller.marketplaces import RedactingFilter

__all__ = ["LOGGERS", "configure_logging"]

#: The loggers the option turns on: ours, and the HTTP client's.
LOGGERS = ("ruralseller", "httpx", "httpcore")

_handler: logging.Handler | None = None


def configure_logging(level: str | None) -> None:
    """Log at ``level`` (``debug``, ``info``, ``warning``, ``error``) to stderr, redacted.

    ``None`` leaves logging off. Calling it again replaces the earlier set-up.
    """
    global _handler  # noqa: PLW0603 - one handler per process, replaced on each run
    if _handler is not None:
        for name in LOGGERS:
            log = logging.getLogger(name)
            log.removeHandler(_handler)
            log.setLevel(logging.NOTSET)
            log.propagate = True
    _handler = None
    if not level:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    for name in LOGGERS:
        log = logging.getLogger(name)
        log.setLevel(level.upper())
        log.addHandler(handler)
        log.propagate = False
    _handler = handler
