"""Request signatures: what a client signs and how the sandbox checks it.

A request carries ``X-Api-Key`` (the key id), ``X-Timestamp`` (integer unix seconds) and
``X-Signature``: the lowercase hex HMAC-SHA256 (RFC 2104, with SHA-256 of FIPS 180-4) of
the canonical request under the account's secret. The canonical request is the method, the
raw path with its query, the timestamp and the SHA-256 of the body, one per line.

Example:
    >>> print(canonical_request("PUT", "/v1/listings/HEN-1", 1700000000, b""))
    PUT
    /v1/listings/HEN-1
    1700000000
    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    >>> signature = sign("s3cret", "GET", "/v1/listings", 1700000000, b"")
    >>> check_signature("s3cret", "GET", "/v1/listings", 1700000000, b"", signature)
    True
    >>> check_signature("s3cret", "GET", "/v1/listings?x=1", 1700000000, b"", signature)
    False
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Final

import attrs

__all__ = [
    "MAX_CLOCK_SKEW",
    "AuthFailure",
    "SignedRequest",
    "authenticate",
    "canonical_request",
    "check_signature",
    "sign",
]

MAX_CLOCK_SKEW: Final = 300
"""How far, in seconds, a request's timestamp may be from the sandbox's clock (5 minutes,
as AWS Signature Version 4 allows), which bounds how long a captured request can be replayed."""


class AuthFailure(Exception):  # noqa: N818 - it is the answer 401, not a crash
    """Why a request is not authenticated: the API error code and a message (no secrets)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def canonical_request(method: str, path_with_query: str, timestamp: int, body: bytes) -> str:
    """The text a client signs for one request."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path_with_query}\n{timestamp}\n{digest}"


def sign(secret: str, method: str, path_with_query: str, timestamp: int, body: bytes) -> str:
    """The ``X-Signature`` of a request: lowercase hex HMAC-SHA256 (RFC 2104)."""
    message = canonical_request(method, path_with_query, timestamp, body).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def check_signature(  # noqa: PLR0913, PLR0917 - the signed request's parts, in canonical order
    secret: str, method: str, path_with_query: str, timestamp: int, body: bytes, signature: str
) -> bool:
    """Whether ``signature`` is the right one, compared in constant time."""
    expected = sign(secret, method, path_with_query, timestamp, body).encode()
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


@attrs.frozen(kw_only=True)
class SignedRequest:
    """The parts of a request that authentication reads."""

    method: str
    path_with_query: str
    headers: Mapping[str, str]
    body: bytes


def authenticate(request: SignedRequest, accounts: Mapping[str, str], now: float) -> str:
    """The key id of the account that signed ``request``.

    Raises:
        AuthFailure: ``missing_credentials``, ``unknown_key``, ``stale_timestamp`` or
            ``bad_signature``.
    """
    key_id = request.headers.get("x-api-key")
    raw_timestamp = request.headers.get("x-timestamp")
    signature = request.headers.get("x-signature")
    if not key_id or not raw_timestamp or not signature:
        raise AuthFailure(
            "missing_credentials", "send the headers X-Api-Key, X-Timestamp and X-Signature"
        )
    if not raw_timestamp.isascii() or not raw_timestamp.lstrip("-").isdigit():
        raise AuthFailure(
            "missing_credentials", "X-Timestamp must be the time in integer unix seconds"
        )
    secret = accounts.get(key_id)
    if secret is None:
        raise AuthFailure("unknown_key", "no account has this X-Api-Key")
    timestamp = int(raw_timestamp)
    if abs(now - timestamp) > MAX_CLOCK_SKEW:
        raise AuthFailure(
            "stale_timestamp",
            f"X-Timestamp is more than {MAX_CLOCK_SKEW} s from the server's clock "
            f"({int(now)}); check the clock of this machine",
        )
    if not check_signature(
        secret, request.method, request.path_with_query, timestamp, request.body, signature
    ):
        raise AuthFailure(
            "bad_signature",
            "X-Signature is not the HMAC-SHA256 of METHOD, path with query, timestamp and "
            "body SHA-256 under this key's secret",
        )
    return key_id
