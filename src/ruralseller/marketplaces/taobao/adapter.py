"""The Taobao adapter: a Driver with Taobao's settings, auth and calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    MarketplaceConflictError,
    MarketplaceError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    ProcessedImage,
    validate_draft,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.http import create_once
from ruralseller.marketplaces.taobao.constants import (
    DEFAULT_RATE,
    ITEM_FIELDS,
    SignMethod,
)
from ruralseller.marketplaces.taobao.errors import (
    top_error,
)
from ruralseller.marketplaces.taobao.orders import TaobaoOrders
from ruralseller.marketplaces.taobao.payloads import (
    _LICENSED,
    _price,
    food_security_params,
    item_add_params,
    item_location,
    item_update_params,
)
from ruralseller.marketplaces.taobao.settings import (
    TaobaoSettings,
    _listed,
    _unwrap,
)
from ruralseller.marketplaces.taobao.signing import (
    TaobaoAuth,
)

__all__ = [
    "TaobaoMarketplace",
]

# --- the adapter -----------------------------------------------------------------------------


@guard_answers
class TaobaoMarketplace(TaobaoOrders, Driver[TaobaoSettings]):
    """Publishes to a Taobao shop through the Taobao Open Platform.

    Its settings are :class:`TaobaoSettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s.
    ``item.add`` is never repeated blindly (see :func:`create_once`); adapters with the same
    app key share one rate budget. It takes orders in
    (:class:`~ruralseller.marketplaces.taobao.orders.TaobaoOrders`).
    """

    name: ClassVar[str] = "taobao"
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_upload=True,
        native_idempotency=False,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[TaobaoSettings]] = TaobaoSettings
    default_rate: ClassVar[float] = DEFAULT_RATE

    def setup(self) -> None:
        """The shop's settings as attributes."""
        settings = self.settings
        self.base_url = settings.base_url
        self.app_key = settings.app_key
        self.cid = settings.cid
        self.props = settings.props
        self.location = settings.location
        self.locale = settings.locale
        self.food_licence_no = settings.food_licence_no
        self.carrier = settings.carrier
        self.sign_method: SignMethod = settings.sign_method

    def make_auth(self) -> httpx.Auth:
        """TOP's common parameters and signature (:class:`TaobaoAuth`)."""
        settings = self.settings
        return TaobaoAuth(
            settings.app_key,
            settings.app_secret,
            settings.session,
            sign_method=settings.sign_method,
            clock=self.clock,
        )

    def account_key(self) -> str:
        """The gateway and the app key: one rate budget per app."""
        return f"{self.base_url} {self.app_key}"

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """TOP's errors, in the body of an HTTP 200 (:func:`top_error`)."""
        return top_error(response, secrets=self.secrets())

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The profile's issues, plus what this adapter needs: a category and a location."""
        issues = list(validate_draft(draft, self.profile))
        if self._cid(draft) is None:
            issues.append(
                ListingIssue(
                    "extra.taobao.cid",
                    "taobao needs a leaf category (cid) for the item",
                    "pass cid= to TaobaoMarketplace (find it with taobao.itemcats.get), or set "
                    'extra["taobao"]["cid"] in the draft',
                )
            )
        if self.location is None:
            try:
                item_location(draft)
            except InvalidValueError as error:
                issues.append(ListingIssue("origin", error.message, error.hint))
        try:
            food = food_security_params(draft, locale=self.locale, licence_no=self.food_licence_no)
        except InvalidValueError as error:
            issues.append(ListingIssue(error.field or "extra.taobao", error.message, error.hint))
            food = {}
        if draft.kind in _LICENSED and "food_security.prd_license_no" not in food:
            issues.append(
                ListingIssue(
                    "food_security.prd_license_no",
                    f"{draft.kind.replace('_', ' ')} is processed food: Taobao's food "
                    "categories ask for the producer's food production licence (SC) number",
                    "pass food_licence_no= to TaobaoMarketplace, or set "
                    'extra["taobao"]["food_security"]["prd_license_no"]',
                    IssueSeverity.WARNING,
                )
            )
        return tuple(issues)

    def item_params(self, draft: ListingDraft, num_iid: str | None = None) -> dict[str, str]:
        """What :meth:`upsert` sends for ``draft``: item.add's parameters, or item.update's.

        A dry run shows these; the main picture goes with item.add as the file ``image``.

        Raises:
            InvalidValueError: no category was given, the price is not CNY, or the origin
                is unknown.
        """
        cid = self._cid(draft)
        if cid is None:
            raise InvalidValueError(
                "taobao needs a leaf category (cid) for the item",
                field="cid",
                hint='pass cid= to TaobaoMarketplace, or set extra["taobao"]["cid"]',
            )
        extra = draft.extra.get(self.name, {})
        props = str(extra.get("props", self.props))
        common: dict[str, Any] = {
            "cid": cid,
            "props": props,
            "location": self.location,
            "locale": self.locale,
            "licence_no": self.food_licence_no,
        }
        if num_iid is None:
            return item_add_params(draft, **common)
        return item_update_params(draft, num_iid, **common)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create the item for ``draft.sku`` (or update it), put up its pictures, list it.

        The item is found by its ``outer_id`` first. A new one is created with the main
        picture; if the answer to that is lost, it is looked up again before any retry.
        """
        params = self.item_params(draft)  # a draft we cannot map fails before any call
        item = await self._item(draft.sku)
        if item is None:
            num_iid = await create_once(
                lambda: self._add(params, images[:1]), lambda: self._num_iid(draft.sku)
            )
            await self._put_images(draft.sku, num_iid, images, start=1)
        else:
            num_iid = str(item["num_iid"])
            await self._call(self.item_params(draft, num_iid), idempotent=True)
            await self._put_images(draft.sku, num_iid, images)
            if item.get("approve_status") != "onsale":
                await self._call(
                    {
                        "method": "taobao.item.update.listing",
                        "num_iid": num_iid,
                        "num": str(draft.stock),
                    },
                    idempotent=True,
                )
        return await self._state_of(draft.sku)

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Put ``images`` on the item, in order, the first as the main picture.

        A picture replaces the one already at its position, so repeating this changes
        nothing. Returns the pictures' URLs on Taobao.
        """
        item = await self._existing(sku)
        return await self._put_images(sku, str(item["num_iid"]), images)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Set the stock (``taobao.item.quantity.update``) and the price when given.

        Only what differs from the item as TOP holds it is written: a stock-only change is one
        ``taobao.item.quantity.update``; a changed price goes with the stock in one
        ``taobao.item.update``; nothing changed, nothing is sent.
        """
        item = await self._existing(sku)
        num_iid = str(item["num_iid"])
        now = self._state(item)
        if price is not None and now.price != price:
            params = {"method": "taobao.item.update", "num_iid": num_iid}
            params |= {"num": str(stock), "price": _price(price)}
        elif now.stock != stock:
            params = {"method": "taobao.item.quantity.update", "num_iid": num_iid}
            params |= {"quantity": str(stock), "type": "1"}  # type 1: set, not add
        else:
            return now
        await self._call(params, idempotent=True)
        return await self._state_of(sku)

    async def withdraw(self, sku: str) -> ListingState:
        """Take the item off sale (``taobao.item.update.delisting``); it stays in the shop."""
        item = await self._existing(sku)
        if item.get("approve_status") == "onsale":
            params = {"method": "taobao.item.update.delisting", "num_iid": str(item["num_iid"])}
            await self._call(params, idempotent=True)
            return await self._state_of(sku)
        return self._state(item)

    async def fetch(self, sku: str) -> ListingState | None:
        """The item with ``outer_id`` = ``sku``, or ``None``."""
        item = await self._item(sku)
        return None if item is None else self._state(item)

    # --- plumbing ----------------------------------------------------------------------------

    def _cid(self, draft: ListingDraft) -> int | None:
        extra = draft.extra.get(self.name, {})
        cid = extra.get("cid", self.cid)
        return int(cid) if cid is not None else None

    async def _call(
        self,
        params: Mapping[str, str],
        *,
        idempotent: bool,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] = (),
    ) -> dict[str, Any]:
        # httpx writes the form; TaobaoAuth reads it back, adds the common parameters, signs.
        encoded = httpx.Request("POST", self.base_url, data=dict(params), files=list(files) or None)
        # The gateway's full URL: httpx would add a slash to a base URL with an empty path.
        response = await self.http.request(
            "POST",
            self.base_url,
            idempotent=idempotent,
            content=encoded.read(),
            headers={"Content-Type": encoded.headers["Content-Type"]},
        )
        try:
            return _unwrap(response.json(), params["method"])
        except (ValueError, UnicodeDecodeError) as error:
            raise MarketplaceError(
                f"taobao answered {params['method']} with something that is not JSON; try "
                "again later",
                marketplace=self.name,
                status=response.status_code,
            ) from error

    whoami_call: ClassVar[str] = "POST /router/rest (taobao.user.seller.get)"

    async def whoami(self) -> str:
        """Ask TOP whose session key this is (``taobao.user.seller.get``): changes nothing.

        The call is signed with the app key and secret and carries the seller's session,
        so each is checked; the answer's ``user.nick`` is the seller's name. The method and
        its fields are partly verified: they follow TOP's API documentation as the public
        TOP clients use it, not a vendored copy of it.
        """
        params = {"method": "taobao.user.seller.get", "fields": "user_id,nick"}
        body = await self._call(params, idempotent=True)
        return str(body["user"]["nick"])

    async def _add(self, params: Mapping[str, str], images: Sequence[ProcessedImage]) -> str:
        files = [("image", (image_name(i), i.data, i.media_type)) for i in images]
        body = await self._call(params, idempotent=False, files=files)
        return str(body["item"]["num_iid"])

    async def _item(self, sku: str) -> dict[str, Any] | None:
        params = {"method": "taobao.items.custom.get", "outer_id": sku, "fields": ITEM_FIELDS}
        body = await self._call(params, idempotent=True)
        # outer_id is only "ours" by convention: Taobao does not keep it unique.
        items = [i for i in _listed(body, "items") if str(i.get("outer_id")) == sku]
        if len(items) > 1:
            ids = ", ".join(str(i.get("num_iid")) for i in items)
            raise MarketplaceConflictError(
                f"taobao has {len(items)} items with the SKU {sku!r} as outer_id (num_iid "
                f"{ids}); delete or re-code all but one in the seller centre, then publish again",
                marketplace=self.name,
            )
        return items[0] if items else None

    async def _num_iid(self, sku: str) -> str | None:
        item = await self._item(sku)
        return None if item is None else str(item["num_iid"])

    async def _existing(self, sku: str) -> dict[str, Any]:
        item = await self._item(sku)
        if item is None:
            raise MarketplaceError(
                f"taobao has no item with the SKU {sku!r} as outer_id; publish it first",
                marketplace=self.name,
                code="not-found",
            )
        return item

    async def _state_of(self, sku: str) -> ListingState:
        return self._state(await self._existing(sku))

    async def _put_images(
        self, sku: str, num_iid: str, images: Sequence[ProcessedImage], *, start: int = 0
    ) -> tuple[str, ...]:
        if len(images) <= start:
            return ()
        item = await self._existing(sku)
        held = {int(p.get("position", 0)): p for p in _listed(item, "item_imgs")}
        urls = []
        for position, image in enumerate(images[start:], start=start):
            params = {"method": "taobao.item.img.upload", "num_iid": num_iid}
            params |= {"position": str(position), "is_major": str(position == 0).lower()}
            files = [("image", (image_name(image), image.data, image.media_type))]
            if position in held:
                # Replacing the picture at this position can be repeated safely.
                params["id"] = str(held[position]["id"])
                body = await self._call(params, idempotent=True, files=files)
            else:
                body = await self._add_picture(sku, params, files, position)
            urls.append(str(body.get("item_img", body).get("url", "")))
        return tuple(urls)

    async def _add_picture(
        self,
        sku: str,
        params: Mapping[str, str],
        files: Sequence[tuple[str, tuple[str, bytes, str]]],
        position: int,
    ) -> dict[str, Any]:
        async def upload() -> dict[str, Any]:
            return await self._call(params, idempotent=False, files=files)

        async def lookup() -> dict[str, Any] | None:
            return await self._picture_at(sku, position)

        # A picture added at a new position, whose answer was lost, is looked for there first.
        return await create_once(upload, lookup)

    async def _picture_at(self, sku: str, position: int) -> dict[str, Any] | None:
        item = await self._existing(sku)
        found = [p for p in _listed(item, "item_imgs") if int(p.get("position", 0)) == position]
        return {"item_img": found[0]} if found else None

    def _state(self, item: Mapping[str, Any]) -> ListingState:
        status = str(item.get("approve_status", ""))
        pictures = sorted(_listed(item, "item_imgs"), key=lambda p: int(p.get("position", 0)))
        price = item.get("price")
        urls = tuple(str(p.get("url")) for p in pictures)
        return ListingState(
            marketplace=self.name,
            sku=str(item["outer_id"]),
            state={"onsale": "active", "instock": "withdrawn"}.get(status, "draft"),
            version=str(item["modified"]) if item.get("modified") else None,
            stock=int(item["num"]) if item.get("num") is not None else None,
            price=Money(Decimal(str(price)), "CNY") if price is not None else None,
            images=urls,
            url=str(item["detail_url"]) if item.get("detail_url") else None,
            extra={"num_iid": str(item.get("num_iid")), "approve_status": status},
        )
