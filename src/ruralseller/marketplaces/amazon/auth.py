"""How requests to Amazon are authenticated."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

from ruralseller.errors import (
    MarketplaceAuthError,
)
from ruralseller.marketplaces.amazon.constants import (
    LWA_TOKEN_URL,
)
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "LwaAuth",
]

# --- authentication: Login with Amazon ------------------------------------------------------


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


class LwaAuth(httpx.Auth):
    """Login with Amazon: a refresh token buys access tokens, sent in ``x-amz-access-token``.

    An access token lasts an hour (``expires_in``); a new one is fetched a minute before it
    expires, and once more when Amazon answers 403 to a token it had accepted (revoked or
    expired early). The token request is ``POST https://api.amazon.com/auth/o2/token`` with
    ``grant_type=refresh_token``, the refresh token and the app's client id and secret
    (developer-docs.amazon.com/sp-api, "Connecting to the Selling Partner API"). It runs again
    on every retry, so each try carries a valid token.

    Args:
        client_id: the LWA client id of the app.
        client_secret: its client secret.
        refresh_token: the seller's refresh token for the app.
        token_url: the LWA token endpoint.
        clock: seconds, monotonic; injectable for tests.
    """

    requires_response_body = True
    #: Fetch a new token this many seconds before the old one expires.
    EARLY = 60.0

    def __init__(
        self,
        client_id: Secret,
        client_secret: Secret,
        refresh_token: Secret,
        *,
        token_url: str = LWA_TOKEN_URL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self.token_url = token_url
        self._clock = clock
        self._token: Secret | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"LwaAuth(token_url={self.token_url!r})"

    @property
    def secrets(self) -> tuple[Secret, ...]:
        """The credentials (and the current access token) to scrub from messages."""
        held = (self._client_id, self._client_secret, self._refresh_token, self._token)
        return tuple(s for s in held if s is not None)

    def _token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": self._refresh_token.reveal(),
                "client_id": self._client_id.reveal(),
                "client_secret": self._client_secret.reveal(),
            },
        )

    def _refresh(self) -> Generator[httpx.Request, httpx.Response, Secret | httpx.Response]:
        """Fetch a token; return it, or the answer of a throttled or failing token service."""
        sent = self._clock()
        response = yield self._token_request()
        if response.status_code == 429 or response.status_code >= 500:
            # Not our fault and safe to repeat: the HTTP layer sees this answer, classifies
            # it as throttled or unavailable, and retries the whole request.
            return response
        body = _body(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not token:
            said = ""
            if isinstance(body, dict):
                said = f"{body.get('error', '')}: {body.get('error_description', '')}"
            said = redact_text(said.strip(": "), self.secrets)
            raise MarketplaceAuthError(
                "Login with Amazon refused the app's credentials: check the LWA client id and "
                "client secret of the app, and that the seller's refresh token was issued to "
                "this app and not revoked (Seller Central > Apps and services > Develop apps)"
                + (f" (amazon said: {said})" if said else "")
                + f" [HTTP {response.status_code}]",
                marketplace="amazon",
                status=response.status_code,
                code=str(body.get("error")) if isinstance(body, dict) else None,
                headers=redact_headers(response.headers),
            )
        self._token = Secret(str(token))
        self._expires_at = sent + float(body.get("expires_in", 3600))
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add a valid access token to ``request``, fetching one first when needed."""
        # Two concurrent requests may both fetch a token; LWA allows several live tokens, so
        # that costs one extra call and no error.
        got: Secret | httpx.Response | None = self._token
        fresh = got is None or self._clock() >= self._expires_at - self.EARLY
        if fresh:
            got = yield from self._refresh()
        if not isinstance(got, Secret):
            return  # the token service's failed answer is the response
        request.headers["x-amz-access-token"] = got.reveal()
        response = yield request
        if response.status_code == 403 and not fresh:
            got = yield from self._refresh()
            if not isinstance(got, Secret):
                return
            request.headers["x-amz-access-token"] = got.reveal()
            yield request
