"""The Amazon adapter: a Driver with Amazon's settings, auth and calls."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    RateLimitedError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    ProcessedImage,
    validate_draft,
)
from ruralseller.marketplaces.amazon.auth import (
    LwaAuth,
    _body,
)
from ruralseller.marketplaces.amazon.constants import (
    LISTINGS_API,
    MAX_IMAGES,
    REGION_HOSTS,
    _site,
)
from ruralseller.marketplaces.amazon.orders import AmazonOrders
from ruralseller.marketplaces.amazon.payloads import (
    image_attributes,
    image_urls,
    missing_attributes,
    put_listing_body,
    stock_and_price_patches,
)
from ruralseller.marketplaces.amazon.schema import (
    _SCHEMAS,
    _issue_key,
    _issues_by_field,
    _schema_errors,
    _schema_validator,
)
from ruralseller.marketplaces.amazon.settings import (
    AmazonSettings,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.http import AsyncMarketplaceHttp
from ruralseller.marketplaces.ratelimit import RateBudget
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "AmazonMarketplace",
]

logger = logging.getLogger("ruralseller.marketplaces")

# --- the adapter ----------------------------------------------------------------------------


@guard_answers
class AmazonMarketplace(AmazonOrders, Driver[AmazonSettings]):
    """Publishes to one Amazon store through the Selling Partner API.

    Its settings are :class:`AmazonSettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s.
    Every request is idempotent (upsert and patch by SKU). putListingsItem and
    getListingsItem allow 5 requests/s with bursts of 10, patchListingsItem and
    deleteListingsItem 5/s with bursts of 5 (usage plans in the spec's operation
    descriptions); one bucket of 5 keeps every operation under its plan. Orders come in
    through the Orders API (:class:`AmazonOrders`).

    Args:
        burst: requests allowed at once (5).
    """

    name: ClassVar[str] = "amazon"
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_urls=True,
        native_idempotency=True,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[AmazonSettings]] = AmazonSettings
    default_rate: ClassVar[float] = 5.0

    def __init__(self, *args: Any, burst: float = 5.0, **kwargs: Any) -> None:
        self.burst = burst
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The store, the region's host and the LWA auth, from the settings."""
        settings = self.settings
        self.site = _site(settings.marketplace_id)
        region = settings.region or self.site.region
        if region not in REGION_HOSTS:
            raise InvalidValueError(
                f"unknown SP-API region {region!r}; use one of {', '.join(REGION_HOSTS)}",
                field="region",
            )
        self.seller_id = settings.seller_id
        self.marketplace_id = settings.marketplace_id
        self.base_url = (settings.base_url or REGION_HOSTS[region]).rstrip("/")
        self.product_type = settings.product_type
        self.item_type_keyword = settings.item_type_keyword
        self.image_base_url = settings.image_base_url
        self.schema_check = settings.schema_check
        self._definitions: dict[str, tuple[str, str]] = {}
        self.auth = LwaAuth(
            settings.client_id,
            settings.client_secret,
            settings.refresh_token,
            token_url=settings.token_url,
            clock=self.clock,
        )

    def make_auth(self) -> httpx.Auth:
        """Login with Amazon: access tokens from the refresh token (:class:`LwaAuth`)."""
        return self.auth

    def account_key(self) -> str:
        """The region's host and the seller."""
        return f"{self.base_url} {self.seller_id}"

    def rate_limit(self) -> RateBudget:
        """5 requests a second, in bursts of :attr:`burst` (the usage plans)."""
        return self.account_budget(capacity=max(1.0, self.burst))

    def secrets(self) -> list[Secret]:
        """The LWA credentials and tokens."""
        return list(self.auth.secrets)

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """SP-API's errors and throttling."""
        return self._classify(response)

    def connected(self) -> None:
        """A second client for schema files: presigned links, no token goes there."""
        self.downloads = AsyncMarketplaceHttp(
            self.name,
            self.base_url,
            retry=self.retry,
            transport=self.transport,
            timeout=self.timeout,
            sleep=self.sleep,
        )

    def __repr__(self) -> str:
        return (
            f"AmazonMarketplace(seller_id={self.seller_id!r}, "
            f"marketplace_id={self.marketplace_id!r}, base_url={self.base_url!r}, "
            f"product_type={self.product_type!r})"
        )

    def _item_path(self, sku: str) -> str:
        return f"{LISTINGS_API}/{quote(self.seller_id, safe='')}/{quote(sku, safe='')}"

    def _params(self, **more: str) -> dict[str, str]:
        return {"marketplaceIds": self.marketplace_id, **more}

    whoami_call: ClassVar[str] = (
        "GET /listings/2021-08-01/items/{sellerId}?marketplaceIds=...&pageSize=1"
    )

    async def whoami(self) -> str:
        """Search the seller's listings for one (searchListingsItems): changes nothing.

        The Listings Items API 2021-08-01 operation needs the Login with Amazon
        credentials (the refresh token is exchanged first), the Product Listing role, a
        seller id the token belongs to and the region's endpoint, so each is checked.
        Returns the seller id.
        """
        response = await self.http.request(
            "GET",
            f"{LISTINGS_API}/{quote(self.seller_id, safe='')}",
            idempotent=True,
            params=self._params(pageSize="1"),
        )
        int(response.json()["numberOfResults"])  # the answer must be a search result
        return f"seller {self.seller_id}"

    # --- checking -----------------------------------------------------------------------

    async def validate(
        self,
        draft: ListingDraft,
        *,
        preview: bool = False,
        images: Sequence[ProcessedImage] = (),
    ) -> tuple[ListingIssue, ...]:
        """Every problem Amazon would find with ``draft``.

        Without ``preview`` nothing is sent: the listing profile and the mapping are checked
        locally. With ``preview=True``, a draft that passes those is also checked against the
        product type schema and sent to Amazon with ``mode=VALIDATION_PREVIEW``, which
        validates without saving anything; Amazon's issues come back keyed like
        ``"title (item_name)"``.
        """
        issues = list(validate_draft(draft, self.profile))
        try:
            body = self._body(draft, images)
        except InvalidValueError as error:
            issues.append(ListingIssue(error.field or "draft", error.message, error.hint))
            return tuple(issues)
        issues.extend(
            ListingIssue(field, message, "give it before publishing")
            for field, message in missing_attributes(body["attributes"]).items()
        )
        if not preview or any(i.severity is IssueSeverity.ERROR for i in issues):
            return tuple(issues)
        if self.schema_check:
            problems = await self._schema_problems(body)
            issues.extend(
                ListingIssue(field, message, "change it to fit Amazon's product type schema")
                for field, message in problems.items()
            )
        response = await self.http.request(
            "PUT",
            self._item_path(draft.sku),
            idempotent=True,
            json=body,
            params=self._params(mode="VALIDATION_PREVIEW", issueLocale=self.site.language_tag),
        )
        for issue in response.json().get("issues", []):
            severity = (
                IssueSeverity.ERROR if issue.get("severity") == "ERROR" else IssueSeverity.WARNING
            )
            for field, message in _issues_by_field([issue]).items():
                issues.append(
                    ListingIssue(field, message, f"Amazon issue {issue.get('code')}", severity)
                )
        return tuple(issues)

    async def _definition(self, product_type: str) -> tuple[str, str]:
        """The product type schema's download link and checksum (getDefinitionsProductType)."""
        if product_type not in self._definitions:
            response = await self.http.request(
                "GET",
                f"/definitions/2020-09-01/productTypes/{quote(product_type, safe='')}",
                idempotent=True,
                params=self._params(
                    requirements="LISTING",
                    requirementsEnforced="ENFORCED",
                    locale=self.site.language_tag,
                ),
            )
            schema = response.json()["schema"]
            self._definitions[product_type] = (schema["link"]["resource"], schema["checksum"])
        return self._definitions[product_type]

    async def _schema_problems(self, body: Mapping[str, Any]) -> dict[str, str]:
        url, checksum = await self._definition(str(body["productType"]))
        if checksum not in _SCHEMAS:
            response = await self.downloads.request("GET", url, idempotent=True)
            _SCHEMAS[checksum] = _schema_validator(response.json())
            logger.debug("amazon: product type %s schema %s cached", body["productType"], checksum)
        return _schema_errors(_SCHEMAS[checksum], body["attributes"])

    # --- writing ------------------------------------------------------------------------

    def _body(self, draft: ListingDraft, images: Sequence[ProcessedImage]) -> dict[str, Any]:
        return put_listing_body(
            draft,
            product_type=self.product_type,
            marketplace_id=self.marketplace_id,
            image_urls=self._urls(images),
            item_type_keyword=self.item_type_keyword,
        )

    def _urls(self, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        if not images:
            return ()
        if self.image_base_url is None:
            raise InvalidValueError(
                "Amazon fetches pictures from URLs, and the adapter has no image_base_url",
                field="images",
                hint="serve the processed pictures over HTTPS and pass image_base_url=",
            )
        return image_urls(self.image_base_url, images)

    def _rejected_locally(self, fields: Mapping[str, str]) -> ListingRejectedError:
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return ListingRejectedError(
            f"amazon would reject the listing: {listed}; fix these and publish again "
            "(checked before sending; nothing was sent)",
            field_errors=fields,
            marketplace=self.name,
        )

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create or fully replace the listing of ``draft.sku``, pictures included.

        The pictures are given as URLs under ``image_base_url`` (Amazon downloads them). The
        returned state is what Amazon accepted; Amazon then processes it, usually within
        minutes, and :meth:`fetch` shows the result.

        Raises:
            ListingRejectedError: the mapping or the product type schema refuses the draft
                (nothing sent), or Amazon answered ``INVALID``.
        """
        try:
            body = self._body(draft, images)
        except InvalidValueError as error:
            raise self._rejected_locally({error.field or "draft": error.message}) from error
        missing = missing_attributes(body["attributes"])
        if missing:
            raise self._rejected_locally(missing)
        if self.schema_check:
            problems = await self._schema_problems(body)
            if problems:
                raise self._rejected_locally(problems)
        response = await self.http.request(
            "PUT",
            self._item_path(draft.sku),
            idempotent=True,  # an upsert keyed by SKU (putListingsItem)
            json=body,
            params=self._params(issueLocale=self.site.language_tag),
        )
        return self._submitted(
            response.json(), stock=draft.stock, price=draft.price, images=self._urls(images)
        )

    async def _patch(self, sku: str, patches: list[dict[str, Any]]) -> dict[str, Any]:
        response = await self.http.request(
            "PATCH",
            self._item_path(sku),
            idempotent=True,  # each patch replaces an attribute whole: repeating it is harmless
            json={"productType": self.product_type, "patches": patches},
            params=self._params(issueLocale=self.site.language_tag),
        )
        body: dict[str, Any] = response.json()
        return body

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Point the listing's pictures at ``images`` under ``image_base_url``; return the URLs.

        Amazon takes no files: put the processed pictures at their URLs first.
        """
        urls = self._urls(images)
        if urls:
            patches = [
                {"op": "replace", "path": f"/attributes/{name}", "value": value}
                for name, value in image_attributes(
                    urls, marketplace_id=self.marketplace_id
                ).items()
            ]
            await self._patch(sku, patches)
        return urls

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given (one JSON Patch).

        A stock of 0 takes the listing off sale (see :meth:`withdraw`).
        """
        try:
            patches = stock_and_price_patches(stock, price, marketplace_id=self.marketplace_id)
        except InvalidValueError as error:
            raise self._rejected_locally(
                {_issue_key("purchasable_offer" if error.field == "price" else "stock"): str(error)}
            ) from error
        return self._submitted(await self._patch(sku, patches), stock=stock, price=price)

    async def withdraw(self, sku: str) -> ListingState:
        """Take the listing off sale by setting its stock to 0.

        Amazon has no "inactive" switch in the Listings Items API; with no stock the offer is
        not buyable (Seller Central shows it "Inactive (out of stock)") but the listing, its
        ASIN and its history stay, and :meth:`set_stock` puts it back on sale. Use
        :meth:`delete` to remove the listing for good.
        """
        return await self.set_stock(sku, 0)

    async def delete(self, sku: str) -> None:
        """Delete the listing of ``sku`` from the store (deleteListingsItem); not reversible."""
        await self.http.request(
            "DELETE",
            self._item_path(sku),
            idempotent=True,
            params=self._params(issueLocale=self.site.language_tag),
        )

    # --- reading ------------------------------------------------------------------------

    async def fetch(self, sku: str) -> ListingState | None:
        """The listing as Amazon holds it (getListingsItem), or ``None`` when there is none."""
        try:
            response = await self.http.request(
                "GET",
                self._item_path(sku),
                idempotent=True,
                params=self._params(
                    includedData="summaries,attributes,issues,offers,fulfillmentAvailability",
                    issueLocale=self.site.language_tag,
                ),
            )
        except MarketplaceError as error:
            if error.status == 404:  # Not Found (getListingsItem)
                return None
            raise
        return self._state(response.json())

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()
        await self.downloads.aclose()

    # --- answers ------------------------------------------------------------------------

    def _submitted(
        self,
        body: Mapping[str, Any],
        *,
        stock: int,
        price: Money | None,
        images: tuple[str, ...] = (),
    ) -> ListingState:
        return ListingState(
            marketplace=self.name,
            sku=str(body["sku"]),
            state="active" if stock > 0 else "withdrawn",
            stock=stock,
            price=price,
            images=images,
            extra={
                "status": body.get("status"),
                "submission_id": body.get("submissionId"),
                "issues": tuple(body.get("issues", ())),
            },
        )

    def _state(self, item: Mapping[str, Any]) -> ListingState:
        mine = self.marketplace_id
        summary: Mapping[str, Any] = next(
            (s for s in item.get("summaries", ()) if s.get("marketplaceId") == mine), {}
        )
        attributes: Mapping[str, Any] = item.get("attributes", {})
        stock = next(
            (
                f.get("quantity")
                for f in item.get("fulfillmentAvailability", ())
                if f.get("fulfillmentChannelCode") == "DEFAULT"
            ),
            None,
        )
        offer = next(
            (
                o["price"]
                for o in item.get("offers", ())
                if o.get("marketplaceId") == mine and o.get("offerType") == "B2C"
            ),
            None,
        )
        price = Money(Decimal(offer["amount"]), offer["currencyCode"]) if offer else None
        images = tuple(
            value["media_location"]
            for name in ["main_product_image_locator"]
            + [f"other_product_image_locator_{n}" for n in range(1, MAX_IMAGES)]
            for value in attributes.get(name, ())[:1]
        )
        status = tuple(summary.get("status", ()))
        if stock == 0:
            state = "withdrawn"
        elif "BUYABLE" in status:
            state = "active"
        else:
            state = "draft"  # still processing, or suppressed by issues (see extra["issues"])
        asin = summary.get("asin")
        return ListingState(
            marketplace=self.name,
            sku=str(item["sku"]),
            state=state,
            version=summary.get("lastUpdatedDate"),
            stock=stock,
            price=price,
            images=images,
            url=f"https://{self.site.domain}/dp/{asin}" if asin else None,
            extra={
                "asin": asin,
                "status": status,
                "product_type": summary.get("productType"),
                "issues": tuple(item.get("issues", ())),
            },
        )

    def _classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Amazon's errors: INVALID submissions in 200 bodies, throttles, refused tokens."""
        status = response.status_code
        body = _body(response)
        secrets = self.auth.secrets
        common: dict[str, Any] = {
            "marketplace": self.name,
            "status": status,
            "request_id": response.headers.get("x-amzn-requestid"),
            "headers": redact_headers(response.headers),
        }
        ref = f" [HTTP {status}" + (
            f", request id {common['request_id']}]" if common["request_id"] else "]"
        )
        if str(response.request.url).startswith(self.auth.token_url):
            return None  # a throttled or failing token service: the default mapping retries it
        if status < 300:
            if response.request.url.params.get("mode") == "VALIDATION_PREVIEW":
                return None  # a dry run: validate() reads the issues itself
            if not isinstance(body, dict) or "submissionId" not in body:
                return None
            issues = body.get("issues") or []
            errors = [i for i in issues if i.get("severity") == "ERROR"]
            if body.get("status") != "INVALID" and not errors:
                return None
            fields = {
                k: redact_text(v, secrets) for k, v in _issues_by_field(errors or issues).items()
            }
            listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
            return ListingRejectedError(
                f"amazon rejected the listing: {listed}; fix these and publish again "
                f"(submission {body.get('submissionId')}){ref}",
                field_errors=fields,
                code=str(body.get("status")),
                **common,
            )
        listed_errors = body.get("errors") if isinstance(body, dict) else None
        first = listed_errors[0] if isinstance(listed_errors, list) and listed_errors else {}
        code = first.get("code") if isinstance(first, dict) else None
        said = " ".join(str(first.get(k, "")) for k in ("message", "details")).strip()
        tail = f" (amazon said: {redact_text(said, secrets)})" if said else ""
        common["code"] = code
        if status == 429:
            # Amazon sends no Retry-After; x-amzn-RateLimit-Limit is the rate it applied, so
            # one token comes back after 1/rate seconds (SP-API "Usage Plans and Rate Limits").
            retry_after = None
            with contextlib.suppress(KeyError, ValueError, ZeroDivisionError):
                retry_after = 1.0 / float(response.headers["x-amzn-ratelimit-limit"])
            return RateLimitedError(
                f"amazon is limiting how fast we send ({code or 'QuotaExceeded'}): wait and "
                f"try again, or lower the adapter's rate{tail}{ref}",
                retry_after=retry_after,
                **common,
            )
        if status == 403:
            return MarketplaceAuthError(
                "amazon refused access: check that the seller id is the merchant token of the "
                "seller who authorised the app, that the app has the Product Listing role, and "
                f"that the refresh token is valid{tail}{ref}",
                **common,
            )
        if status in (400, 413, 415):
            fields = {f"request ({code or 'error'})": redact_text(said, secrets)}
            return ListingRejectedError(
                f"amazon refused the request as malformed; fix it and send again{tail}{ref}",
                field_errors=fields,
                **common,
            )
        return None
