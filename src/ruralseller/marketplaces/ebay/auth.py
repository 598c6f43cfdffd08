"""How requests to eBay are authenticated."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import httpx

from ruralseller.errors import (
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.marketplaces.ebay.constants import (
    INVENTORY_SCOPE,
    TOKEN_URL,
)
from ruralseller.marketplaces.retry import parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "EbayAuth",
]

logger = logging.getLogger("ruralseller.marketplaces")

# --- auth ------------------------------------------------------------------------------------


class EbayAuth(httpx.Auth):
    """OAuth 2 user access token as ``Authorization: Bearer``, renewed with the refresh token.

    A user access token lasts about two hours (``expires_in``); when it has run out, or eBay
    answers 401, a new one is asked for at the token endpoint (``grant_type=refresh_token``,
    the app's client id and secret in Basic auth) and the request is sent once more
    (developer.ebay.com/api-docs/static/oauth-refresh-token-request.html; httpx's
    ``auth_flow`` pattern).

    Args:
        client_id: the app's client id (App ID).
        client_secret: the app's client secret (Cert ID).
        refresh_token: the seller's refresh token, from the consent (authorization code) flow.
        access_token: a current user access token, if there is one; else one is asked for
            before the first request.
        scopes: the scopes asked for on renewal (the same as, or fewer than, the consent's).
        token_url: the token endpoint (:data:`TOKEN_URL` or :data:`SANDBOX_TOKEN_URL`).
        clock: monotonic seconds, injectable for tests.
    """

    requires_response_body = True
    #: Renew this many seconds before eBay's ``expires_in`` runs out.
    margin = 60.0

    def __init__(  # noqa: PLR0913 - all keyword-only
        self,
        *,
        client_id: str,
        client_secret: Secret,
        refresh_token: Secret,
        access_token: Secret | None = None,
        scopes: Sequence[str] = (INVENTORY_SCOPE,),
        token_url: str = TOKEN_URL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._access_token = access_token
        self._expires_at: float | None = None
        self.scopes = tuple(scopes)
        self.token_url = token_url
        self._clock = clock

    def __repr__(self) -> str:
        return f"EbayAuth(client_id={self.client_id!r}, token_url={self.token_url!r})"

    @property
    def secrets(self) -> tuple[Secret, ...]:
        """Every credential this auth holds, for scrubbing messages."""
        held = (self._client_secret, self._refresh_token, self._access_token)
        return tuple(s for s in held if s is not None)

    def refresh_request(self) -> httpx.Request:
        """The token request that renews the user access token."""
        pair = f"{self.client_id}:{self._client_secret.reveal()}".encode()
        form = {"grant_type": "refresh_token", "refresh_token": self._refresh_token.reveal()}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        return httpx.Request(
            "POST",
            self.token_url,
            headers={
                "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            content=urlencode(form).encode(),
        )

    def _expired(self) -> bool:
        if self._access_token is None:
            return True
        return self._expires_at is not None and self._clock() >= self._expires_at

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request`` with a valid token; on a 401, renew it and send once more."""
        if self._expired():
            yield from self._renew()
        request.headers["Authorization"] = f"Bearer {self._bearer()}"
        response = yield request
        if response.status_code == 401:
            logger.info("ebay: the access token was refused; renewing it once")
            yield from self._renew()
            request.headers["Authorization"] = f"Bearer {self._bearer()}"
            yield request

    def _bearer(self) -> str:
        if self._access_token is None:  # pragma: no cover - _renew sets it or raises
            raise MarketplaceAuthError("ebay: no access token", marketplace="ebay")
        return self._access_token.reveal()

    def _renew(self) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield self.refresh_request()
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError):
            body = {}
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code == 200 and isinstance(token, str) and token:
            self._access_token = Secret(token)
            expires_in = body.get("expires_in")
            self._expires_at = (
                self._clock() + float(expires_in) - self.margin
                if isinstance(expires_in, int | float)
                else None
            )
            return
        raise self._renewal_error(response, body if isinstance(body, dict) else {})

    def _renewal_error(self, response: httpx.Response, body: Mapping[str, Any]) -> MarketplaceError:
        said = redact_text(
            str(body.get("error_description") or body.get("error") or response.text[:200]),
            self.secrets,
        )
        common: dict[str, Any] = {
            "marketplace": "ebay",
            "status": response.status_code,
            "code": str(body["error"]) if body.get("error") else None,
            "headers": redact_headers(response.headers),
        }
        tail = f" (ebay said: {said}) [HTTP {response.status_code}, token endpoint]"
        if response.status_code >= 500:
            return MarketplaceUnavailableError(
                f"ebay could not renew the access token (server error); try again later{tail}",
                **common,
            )
        if response.status_code == 429:
            return RateLimitedError(
                "ebay refused to renew the access token: too many token requests today "
                f"(50,000 a day for refresh tokens); wait and try again{tail}",
                retry_after=parse_retry_after(response.headers.get("retry-after")),
                **common,
            )
        if body.get("error") == "invalid_client" or response.status_code == 401:
            what = "the app's client id or client secret is wrong; copy them again from the "
            what += "eBay developer account (Application Keys)"
        else:
            what = "the refresh token is invalid, revoked or expired (they last about 18 "
            what += "months); sign the seller in to eBay again to get a new one"
        return MarketplaceAuthError(f"ebay did not renew the access token: {what}{tail}", **common)
