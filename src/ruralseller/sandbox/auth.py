"""Request signatures: what a client signs and how the sandbox checks it.

A request carries ``X-Api-Key`` (the key id), ``X-Timestamp`` (integer unix seconds) and
``X-Signature``: the lowercase hex HMAC-SHA256 (RFC 2104, with SHA-256 of FIPS 180-4) of
the canonical request under the account's secret. The canonical request is the method, the
raw path with its query, the timestamp and the SHA-256 of the body, one per line. A request
may carry ``X-Nonce`` (1 to 64 letters, digits, ``-`` or ``_``, new for every request): it is
then signed as a fifth line, and the sandbox refuses a second request with the same nonce, so
a captured request cannot be replayed. A write (anything but ``GET`` and ``HEAD``) without a
nonce is refused when its signature was already seen; a ``POST`` with an ``Idempotency-Key``
is answered from the key's record instead (the key serves as its nonce).

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
import re
import threading
from collections.abc import Mapping
from typing import Final

import attrs

__all__ = [
    "MAX_CLOCK_SKEW",
    "AuthFailure",
    "ReplayGuard",
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


def canonical_request(
    method: str, path_with_query: str, timestamp: int, body: bytes, nonce: str = ""
) -> str:
    """The text a client signs for one request (the nonce, when sent, as a fifth line)."""
    digest = hashlib.sha256(body).hexdigest()
    text = f"{method.upper()}\n{path_with_query}\n{timestamp}\n{digest}"
    return f"{text}\n{nonce}" if nonce else text


def sign(  # noqa: PLR0913, PLR0917 - the signed request's parts, in canonical order
    secret: str, method: str, path_with_query: str, timestamp: int, body: bytes, nonce: str = ""
) -> str:
    """The ``X-Signature`` of a request: lowercase hex HMAC-SHA256 (RFC 2104)."""
    message = canonical_request(method, path_with_query, timestamp, body, nonce).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def check_signature(  # noqa: PLR0913, PLR0917 - the signed request's parts, in canonical order
    secret: str,
    method: str,
    path_with_query: str,
    timestamp: int,
    body: bytes,
    signature: str,
    nonce: str = "",
) -> bool:
    """Whether ``signature`` is the right one, compared in constant time."""
    expected = sign(secret, method, path_with_query, timestamp, body, nonce).encode()
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


# Header values the sandbox reads, bounded before anything is parsed: a timestamp of 1 to
# 12 digits (unix seconds until the year 33658), a hex signature, a key id and a nonce.
_TIMESTAMP = re.compile(r"-?[0-9]{1,12}")
_NONCE = re.compile(r"[A-Za-z0-9_\-]{1,64}")
_MAX_KEY_ID = 200
_MAX_SIGNATURE = 128


class ReplayGuard:
    """Remembers the nonces (and write signatures) seen while their timestamps are valid.

    Anything older than twice :data:`MAX_CLOCK_SKEW` is refused by its timestamp anyway, so
    that is all it keeps; ``limit`` bounds the memory a flood of requests can take.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self._seen: dict[tuple[str, str], float] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def first_time(self, account: str, token: str, now: float) -> bool:
        """Record ``token`` for ``account``; whether it was new."""
        with self._lock:
            if len(self._seen) >= self._limit:
                self._seen = {k: t for k, t in self._seen.items() if t > now}
                while len(self._seen) >= self._limit:
                    del self._seen[next(iter(self._seen))]
            expires = self._seen.get((account, token))
            if expires is not None and expires > now:
                return False
            self._seen[(account, token)] = now + 2 * MAX_CLOCK_SKEW
            return True


@attrs.frozen(kw_only=True)
class SignedRequest:
    """The parts of a request that authentication reads."""

    method: str
    path_with_query: str
    headers: Mapping[str, str]
    body: bytes


def authenticate(
    request: SignedRequest,
    accounts: Mapping[str, str],
    now: float,
    replays: ReplayGuard | None = None,
) -> str:
    """The key id of the account that signed ``request``.

    Raises:
        AuthFailure: ``missing_credentials``, ``unknown_key``, ``stale_timestamp``,
            ``bad_signature`` or ``replayed_request``.
    """
    key_id = request.headers.get("x-api-key")
    raw_timestamp = request.headers.get("x-timestamp")
    signature = request.headers.get("x-signature")
    nonce = request.headers.get("x-nonce", "")
    if not key_id or not raw_timestamp or not signature:
        raise AuthFailure(
            "missing_credentials", "send the headers X-Api-Key, X-Timestamp and X-Signature"
        )
    if not _TIMESTAMP.fullmatch(raw_timestamp):
        raise AuthFailure(
            "missing_credentials",
            "X-Timestamp must be the time in integer unix seconds (at most 12 digits)",
        )
    if len(key_id) > _MAX_KEY_ID or len(signature) > _MAX_SIGNATURE:
        raise AuthFailure("missing_credentials", "X-Api-Key or X-Signature is far too long")
    if "x-nonce" in request.headers and not _NONCE.fullmatch(nonce):
        raise AuthFailure(
            "missing_credentials", "X-Nonce must be 1 to 64 letters, digits, '-' or '_'"
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
        secret, request.method, request.path_with_query, timestamp, request.body, signature, nonce
    ):
        raise AuthFailure(
            "bad_signature",
            "X-Signature is not the HMAC-SHA256 of METHOD, path with query, timestamp, "
            "body SHA-256 (and X-Nonce, when sent) under this key's secret",
        )
    if replays is not None:
        _refuse_replay(request, key_id, signature, nonce, replays, now)
    return key_id


def _refuse_replay(  # noqa: PLR0913, PLR0917 - the request and what identifies it
    request: SignedRequest,
    key_id: str,
    signature: str,
    nonce: str,
    replays: ReplayGuard,
    now: float,
) -> None:
    if nonce:
        token = f"nonce:{nonce}"
    elif request.method.upper() in ("GET", "HEAD") or (
        request.method.upper() == "POST" and "idempotency-key" in request.headers
    ):
        return  # a read changes nothing; a keyed POST is answered from the key's record
    else:
        token = f"signature:{signature.lower()}"
    if not replays.first_time(key_id, token, now):
        raise AuthFailure(
            "replayed_request",
            "this signed request was already received: sign every request anew, with a new "
            "X-Nonce (or, for a POST, an Idempotency-Key)",
        )
