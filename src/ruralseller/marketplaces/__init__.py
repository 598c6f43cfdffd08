"""Marketplaces: the HTTP layer every adapter shares (this first part of the stage).

Retries with capped, jittered backoff that honour ``Retry-After`` and never repeat a write that
may already have happened unless it is idempotent; a token bucket per account; responses mapped
onto the :class:`~ruralseller.errors.MarketplaceError` family with messages a village partner can
act on; secrets kept out of logs, reprs and errors. The adapter protocol, the registry and the
built-in adapters build on this.
"""

from ruralseller.marketplaces.http import (
    DEFAULT_TIMEOUT,
    AsyncMarketplaceHttp,
    ClassifyHook,
    MarketplaceHttp,
    error_from_response,
)
from ruralseller.marketplaces.ratelimit import TokenBucket
from ruralseller.marketplaces.retry import RetryPolicy, parse_retry_after
from ruralseller.marketplaces.secrets import (
    REDACTED,
    Secret,
    is_sensitive_header,
    redact_headers,
    redact_text,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "REDACTED",
    "AsyncMarketplaceHttp",
    "ClassifyHook",
    "MarketplaceHttp",
    "RetryPolicy",
    "Secret",
    "TokenBucket",
    "error_from_response",
    "is_sensitive_header",
    "parse_retry_after",
    "redact_headers",
    "redact_text",
]
