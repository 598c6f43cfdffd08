"""A real local marketplace to publish to: an ASGI app with SQLite storage, served by uvicorn.

The sandbox speaks a documented REST API (``/openapi.json``): signed requests (HMAC-SHA256),
listings keyed by SKU with versions, pictures checked against the ``sandbox`` profile,
idempotency keys, a token-bucket rate limit, and faults injected on purpose (errors, slow
answers, dropped connections, lost answers) so that a client can prove it loses nothing.
It also serves a public page per active listing and, once a lot's EPCIS events are
captured (``POST /v1/epcis/capture``), the lot's story at its GS1 Digital Link path
(``/01/{gtin}/10/{lot}``).

The default account, key id ``demo`` with secret ``sandbox-demo-secret``, is public: it is
for a sandbox on your own machine only.

Example:
    >>> import httpx
    >>> app = create_app(faults=Faults(error_503=1.0))
    >>> with running(app=app) as url:
    ...     answer = httpx.put(url + "/v1/listings/HEN-1")
    ...     answer.status_code, answer.headers["Retry-After"]
    (503, '1')
    >>> app.state.sandbox.set_faults(Faults())
"""

from ruralseller.sandbox.app import create_app
from ruralseller.sandbox.config import DEMO_KEY_ID, DEMO_SECRET, Faults, SandboxConfig
from ruralseller.sandbox.server import running, serve
from ruralseller.sandbox.state import Sandbox

__all__ = [
    "DEMO_KEY_ID",
    "DEMO_SECRET",
    "Faults",
    "Sandbox",
    "SandboxConfig",
    "create_app",
    "running",
    "serve",
]
