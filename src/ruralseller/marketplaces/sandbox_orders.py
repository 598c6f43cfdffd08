"""The sandbox adapter's order intake (its seller API under ``/v1/orders``).

:class:`SandboxOrders` is mixed into :class:`~ruralseller.marketplaces.sandbox.SandboxMarketplace`;
it uses the adapter's signed HTTP client, so intake calls share the account's rate budget
and retries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError
from ruralseller.marketplaces.http import AsyncMarketplaceHttp
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder

__all__ = ["SandboxOrders"]


class SandboxOrders:
    """Order intake against the sandbox's seller API (see its ``/openapi.json``)."""

    name: ClassVar[str]
    http: AsyncMarketplaceHttp
    key_id: str

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The orders new or changed since ``since``, oldest change first."""
        query = {"limit": str(limit), **({"since": since} if since else {})}
        response = await self.http.request("GET", f"/v1/orders?{urlencode(query)}", idempotent=True)
        body = response.json()
        return OrderPage(
            orders=tuple(self._order(item) for item in body["orders"]),
            cursor=body.get("cursor"),
            more=bool(body.get("more")),
        )

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One order, or None."""
        try:
            response = await self.http.request("GET", _path(order_id), idempotent=True)
        except MarketplaceError as error:
            if error.status == 404:  # Not Found
                return None
            raise
        return self._order(response.json())

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """Mark the order acknowledged (repeating it changes nothing)."""
        return await self._post(order_id, "acknowledge", {})

    async def ship_order(
        self, order_id: str, *, weight: Mass | None = None, tracking: str | None = None
    ) -> RemoteOrder:
        """Mark the order shipped, with the weighed weight and a tracking number."""
        body = {"weight": str(weight) if weight else None, "tracking": tracking}
        return await self._post(order_id, "ship", body)

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """Cancel the order; the sandbox puts its units back on sale."""
        return await self._post(order_id, "cancel", {"reason": reason})

    async def _post(self, order_id: str, action: str, body: dict[str, Any]) -> RemoteOrder:
        response = await self.http.request(
            "POST", _path(order_id, action), idempotent=True, json=body
        )
        return self._order(response.json())

    def _order(self, body: dict[str, Any]) -> RemoteOrder:
        price = body.get("unit_price")
        return RemoteOrder(
            marketplace=self.name,
            account=self.key_id,
            order_id=str(body["id"]),
            sku=str(body["sku"]),
            quantity=int(body["quantity"]),
            state=str(body["state"]),
            placed_at=dt.datetime.fromisoformat(str(body["placed_at"])),
            unit_price=Money(Decimal(price["amount"]), price["currency"]) if price else None,
            buyer={str(k): str(v) for k, v in (body.get("buyer") or {}).items()},
            extra={"seq": body.get("seq"), "tracking": body.get("tracking")},
        )


def _path(order_id: str, *rest: str) -> str:
    return "/".join(["/v1/orders", quote(order_id, safe=""), *rest])
