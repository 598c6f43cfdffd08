"""Etsy's authentication: ``x-api-key`` as ``keystring:shared_secret`` and an OAuth 2.0 bearer."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from urllib.parse import urlencode

import attrs
import httpx

from ruralseller.errors import (
    MarketplaceAuthError,
    MarketplaceUnavailableError,
)
from ruralseller.marketplaces.etsy.errors import (
    _etsy_body,
    _field_errors,
)
from ruralseller.marketplaces.secrets import Secret, redact_text

__all__ = [
    "EtsyAuth",
    "EtsyTokens",
]

logger = logging.getLogger("ruralseller.marketplaces.etsy")

# --- auth -----------------------------------------------------------------------------------


@attrs.frozen
class EtsyTokens:
    """A fresh pair of OAuth tokens, handed to ``on_tokens`` to keep for the next run.

    Etsy's refresh tokens are replaced at each refresh, so the newest one must be stored.

    Attributes:
        access_token: the bearer token (good for ``expires_in`` seconds).
        refresh_token: the token to get the next access token with.
        expires_at: when the access token expires, in the adapter clock's seconds.
    """

    access_token: Secret
    refresh_token: Secret
    expires_at: float


class EtsyAuth(httpx.Auth):
    """Etsy's authentication: ``x-api-key`` and an OAuth 2.0 bearer.

    "Every request to a v3 API endpoint must include [x-api-key] in the format
    ``keystring:shared_secret``" (the spec's ``securitySchemes.api_key``). The access token
    is refreshed (``grant_type=refresh_token`` at :data:`ETSY_TOKEN_PATH`, with the keystring
    as ``client_id``; developers.etsy.com/documentation/essentials/oauth2) when there is none
    yet, when it is about to expire, and once when Etsy answers 401. It runs again on every
    retry.

    Args:
        keystring: the app's API key (keystring).
        shared_secret: the app's shared secret, from the same "Your apps" page.
        refresh_token: the shop owner's refresh token (from the OAuth consent).
        token_url: where tokens are refreshed.
        access_token: a current access token, if one is at hand.
        expires_at: when ``access_token`` expires (clock seconds); unknown means "use it
            until Etsy says 401".
        clock: the time, injectable for tests.
        on_tokens: called with each fresh :class:`EtsyTokens`, to store them.
    """

    requires_response_body = True
    #: Refresh this long before the access token expires, so a slow request still carries
    #: a valid one.
    margin = 60.0

    def __init__(  # noqa: PLR0913 - keyword-only credentials and hooks
        self,
        keystring: Secret,
        refresh_token: Secret,
        *,
        shared_secret: Secret,
        token_url: str,
        access_token: Secret | None = None,
        expires_at: float | None = None,
        clock: Callable[[], float] = time.time,
        on_tokens: Callable[[EtsyTokens], None] | None = None,
    ) -> None:
        self._keystring = keystring
        self._shared_secret = shared_secret
        self._refresh = refresh_token
        self._access = access_token
        self._expires_at = expires_at
        self.token_url = token_url
        self._clock = clock
        self._on_tokens = on_tokens

    def __repr__(self) -> str:
        return f"EtsyAuth(token_url={self.token_url!r})"

    @property
    def secrets(self) -> tuple[Secret, ...]:
        """Every credential this auth holds now, for scrubbing messages."""
        held = (self._keystring, self._shared_secret, self._refresh, self._access)
        return tuple(s for s in held if s is not None)

    def _stale(self) -> bool:
        if self._access is None:
            return True
        return self._expires_at is not None and self._clock() >= self._expires_at - self.margin

    def _refresh_request(self) -> httpx.Request:
        form = {
            "grant_type": "refresh_token",
            "client_id": self._keystring.reveal(),
            "refresh_token": self._refresh.reveal(),
        }
        return httpx.Request(
            "POST",
            self.token_url,
            content=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def _store(self, response: httpx.Response) -> None:
        body = _etsy_body(response)
        if response.status_code >= 500 or response.status_code == 429:
            raise MarketplaceUnavailableError(
                "etsy could not renew the access token just now; nothing to fix on our "
                f"side, try again later [HTTP {response.status_code}]",
                marketplace="etsy",
                status=response.status_code,
            )
        if response.status_code != 200 or not isinstance(body, dict):
            said, _ = _field_errors(body)
            said = redact_text(said, self.secrets)
            raise MarketplaceAuthError(
                "etsy did not renew the access token: the refresh token is wrong, expired "
                "or revoked; have the shop owner connect the app again and store the new "
                "refresh token"
                + (f" (etsy said: {said})" if said else "")
                + f" [HTTP {response.status_code}]",
                marketplace="etsy",
                status=response.status_code,
                code=str(body.get("error")) if isinstance(body, dict) else None,
            )
        self._access = Secret(str(body["access_token"]))
        if body.get("refresh_token"):
            self._refresh = Secret(str(body["refresh_token"]))
        expires_in = body.get("expires_in")
        self._expires_at = self._clock() + float(expires_in) if expires_in else None
        logger.debug("etsy: access token renewed")
        if self._on_tokens is not None:
            self._on_tokens(
                EtsyTokens(self._access, self._refresh, self._expires_at or self._clock())
            )

    def _sign(self, request: httpx.Request) -> None:
        if self._access is None:  # pragma: no cover - _store always sets it
            raise AssertionError("no access token after a refresh")
        request.headers["x-api-key"] = f"{self._keystring.reveal()}:{self._shared_secret.reveal()}"
        request.headers["Authorization"] = f"Bearer {self._access.reveal()}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Refresh the access token when needed, and sign ``request`` with it."""
        refreshed = False
        if self._stale():
            self._store((yield self._refresh_request()))
            refreshed = True
        self._sign(request)
        response = yield request
        if response.status_code == 401 and not refreshed:
            self._store((yield self._refresh_request()))
            self._sign(request)
            yield request
