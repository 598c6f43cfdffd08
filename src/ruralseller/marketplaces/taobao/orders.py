"""Taobao order intake (TOP trade and logistics APIs), mixed into the Taobao adapter.

TOP publishes no machine-readable description of its API; this follows the API documents of
the Taobao Open Platform (https://open.taobao.com/api.htm):

* ``taobao.trades.sold.increment.get``: ``fields``, ``start_modified`` and ``end_modified``
  (China time ``yyyy-MM-dd HH:mm:ss``, at most one day apart), ``page_no``, ``page_size``
  (at most 100) and ``use_has_next=false``; answers ``total_results`` and ``trades``;
* ``taobao.trade.fullinfo.get``: ``fields`` and ``tid``; answers ``trade``;
* a trade: ``tid``, ``status``, ``created``, ``modified``, ``buyer_nick``, the receiver
  (``receiver_name``, ``receiver_mobile``, ``receiver_state``, ``receiver_city``,
  ``receiver_district``, ``receiver_address``, ``receiver_zip``) and ``orders``, its
  sub-orders (``oid``, ``status``, ``outer_iid``, ``outer_sku_id``, ``num``, ``payment``);
* ``taobao.logistics.offline.send``: ``tid``, ``out_sid`` (the tracking number) and
  ``company_code`` (the carrier's code from ``taobao.logistics.companies.get``, e.g. ``SF``
  or ``ZTO``); answers ``shipping.is_success``.

The documents advise paging an increment listing from its last page to its first: a trade
changed while we page leaves the time window (its ``modified`` moves past it), which shifts
only the pages after it, already read. So each window is counted first, then read last page
first; the trade that left comes back in a later window (status U: the advice and the
ordering of the listing are taken from the documents, not from a live shop).

The cursor is ``<start>|<end>|<page>`` (unix seconds): windows of at most :data:`WINDOW`,
each next one starting :data:`OVERLAP` before the last ended (TOP's increment data lags a
few minutes, unverified); trades seen twice are taken in once by the order inbox.

TOP has no call for a seller to cancel a paid trade: :meth:`TaobaoOrders.cancel_order`
raises a :class:`~ruralseller.errors.MarketplaceError` saying what to do in the seller
centre (the buyer asks for a refund, the seller agrees). The receiver's name, phone and
address may come masked (Taobao's privacy rules since 2021); the label is then printed from
the seller centre.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Protocol

import attrs

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError, RuralSellerError
from ruralseller.marketplaces.orders import OrderPage, RemoteOrder
from ruralseller.marketplaces.taobao.constants import CHINA_TIME
from ruralseller.marketplaces.taobao.settings import _listed

__all__ = ["ORDER_STATES", "OVERLAP", "TRADE_FIELDS", "WINDOW", "TaobaoOrders"]

#: Trade (or sub-order) status -> our order state (the raw status is kept in ``extra``).
ORDER_STATES: dict[str, str] = {
    "TRADE_NO_CREATE_PAY": "placed",
    "WAIT_BUYER_PAY": "placed",
    "PAY_PENDING": "placed",
    "WAIT_PRE_AUTH_CONFIRM": "placed",
    "WAIT_SELLER_SEND_GOODS": "placed",
    "SELLER_CONSIGNED_PART": "acknowledged",
    "WAIT_BUYER_CONFIRM_GOODS": "shipped",
    "TRADE_BUYER_SIGNED": "shipped",
    "TRADE_FINISHED": "shipped",
    "TRADE_CLOSED": "cancelled",
    "TRADE_CLOSED_BY_TAOBAO": "cancelled",
}
#: The trade fields asked for.
TRADE_FIELDS = (
    "tid,status,created,modified,buyer_nick,receiver_name,receiver_mobile,receiver_state,"
    "receiver_city,receiver_district,receiver_address,receiver_zip,"
    "orders.oid,orders.status,orders.outer_iid,orders.outer_sku_id,orders.num,orders.payment"
)
#: The longest window taobao.trades.sold.increment.get takes (one day).
WINDOW = 24 * 3600
#: How far each window reaches back into the one before (seconds).
OVERLAP = 300
_TIME = "%Y-%m-%d %H:%M:%S"
_SHAPES = (KeyError, IndexError, TypeError, AttributeError, ValueError, InvalidOperation)


class _Caller(Protocol):
    async def __call__(
        self, params: Mapping[str, str], *, idempotent: bool, files: Any = ()
    ) -> dict[str, Any]: ...


@contextlib.contextmanager
def _answer(what: str) -> Iterator[None]:
    """An answer of an unexpected shape becomes a MarketplaceError naming the call."""
    try:
        yield
    except RuralSellerError:
        raise
    except (*_SHAPES, json.JSONDecodeError) as error:
        raise MarketplaceError(
            f"taobao answered {what} in a shape ruralseller did not expect "
            f"({type(error).__name__}: {str(error)[:160]}); try again later, and report it "
            "if it keeps happening",
            marketplace="taobao",
            code="unexpected_answer",
        ) from error


def _china(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, CHINA_TIME).strftime(_TIME)


def _split(order_id: str) -> tuple[str, str | None]:
    """``"<tid>-<oid>"`` (or a bare tid)."""
    tid, _, oid = order_id.partition("-")
    if not tid.isdigit() or (oid and not oid.isdigit()):
        raise MarketplaceError(
            f"{order_id!r} is not a Taobao order id; use the id ruralseller listed, like "
            "3921000000001-3921000000002 (tid, oid)",
            marketplace="taobao",
            status=404,
        )
    return tid, oid or None


class TaobaoOrders:
    """Order intake for :class:`~ruralseller.marketplaces.taobao.TaobaoMarketplace`.

    Each sub-order is one :class:`RemoteOrder` with id ``<tid>-<oid>``; shipping acts on the
    whole trade, with the carrier given or the shop's ``carrier`` setting.
    """

    name: ClassVar[str]
    app_key: str
    carrier: str | None
    clock: Any
    _call: _Caller

    async def list_orders(self, since: str | None = None, *, limit: int = 100) -> OrderPage:
        """The sub-orders of trades new or changed since ``since``, a window at a time."""
        if not 1 <= limit <= 100:
            raise ValueError(f"Taobao lists 1 to 100 trades a page, not {limit}")
        now = int(self.clock())
        start, end, page = _cursor(since, now)
        window = {
            "method": "taobao.trades.sold.increment.get",
            "start_modified": _china(start),
            "end_modified": _china(end),
            "page_size": str(limit),
            "use_has_next": "false",
        }
        if page is None:  # a new window: count it, then read it from its last page
            counted = await self._call(
                {**window, "fields": "tid", "page_no": "1", "page_size": "1"}, idempotent=True
            )
            with _answer("taobao.trades.sold.increment.get"):
                total = int(counted.get("total_results") or 0)
            page = max(1, -(-total // limit))
        body = await self._call(
            {**window, "fields": TRADE_FIELDS, "page_no": str(page)}, idempotent=True
        )
        with _answer("taobao.trades.sold.increment.get"):
            orders = [line for trade in _listed(body, "trades") for line in self._lines(trade)]
        if page > 1:
            cursor, more = f"{start}|{end}|{page - 1}", True
        else:
            cursor, more = f"{max(start, end - OVERLAP)}||", end < now - OVERLAP
        return OrderPage(
            orders=tuple(sorted(orders, key=lambda o: o.extra["modified"])),
            cursor=cursor,
            more=more,
        )

    async def fetch_order(self, order_id: str) -> RemoteOrder | None:
        """One sub-order, or None when Taobao has no such trade or sub-order."""
        tid, oid = _split(order_id)
        trade = await self._trade(tid)
        if trade is None:
            return None
        with _answer("taobao.trade.fullinfo.get"):
            lines = self._lines(trade)
        return next((o for o in lines if oid is None or o.extra["oid"] == oid), None)

    async def acknowledge_order(self, order_id: str) -> RemoteOrder:
        """TOP has no acknowledgement: the order as it is."""
        return await self._order_require(order_id)

    async def ship_order(
        self,
        order_id: str,
        *,
        weight: Mass | None = None,  # noqa: ARG002 - TOP takes no weighed weight
        tracking: str | None = None,
        carrier: str | None = None,
    ) -> RemoteOrder:
        """Mark the trade sent by a carrier of your own (``taobao.logistics.offline.send``)."""
        order = await self._order_require(order_id)
        if order.state == "shipped":
            return order  # sent already: nothing is sent twice
        if order.state == "cancelled":
            raise MarketplaceError(
                f"taobao trade {order.extra['tid']} is closed; it cannot be shipped",
                marketplace=self.name,
                code="order_cancelled",
            )
        carrier = carrier or self.carrier
        if not tracking or not carrier:
            raise MarketplaceError(
                "taobao needs the tracking number and the carrier's company code (SF, ZTO, "
                "YTO... as taobao.logistics.companies.get lists them) to mark a trade sent: "
                "give both (the shop's carrier can be set once as the carrier setting)",
                marketplace=self.name,
                code="missing_tracking",
            )
        params = {
            "method": "taobao.logistics.offline.send",
            "tid": str(order.extra["tid"]),
            "out_sid": tracking,
            "company_code": carrier,
        }
        body = await self._call(params, idempotent=True)
        with _answer("taobao.logistics.offline.send"):
            if body["shipping"]["is_success"] is not True:
                raise ValueError("shipping.is_success is not true")
        sent = await self._order_require(order_id)
        return attrs.evolve(sent, extra={**sent.extra, "tracking": tracking, "carrier": carrier})

    async def cancel_order(self, order_id: str, *, reason: str) -> RemoteOrder:
        """TOP has no cancel call for sellers: say what to do in the seller centre."""
        order = await self._order_require(order_id)
        if order.state == "cancelled":
            return order
        raise MarketplaceError(
            f"taobao lets no seller cancel a trade through its API ({reason}): in the seller "
            f"centre (卖家中心 > 已卖出的宝贝), ask the buyer of trade {order.extra['tid']} to "
            "request a refund, then agree to it; the next order sync sees it closed",
            marketplace=self.name,
            code="cancel_in_seller_centre",
        )

    # --- calls --------------------------------------------------------------------------------

    async def _trade(self, tid: str) -> dict[str, Any] | None:
        params = {"method": "taobao.trade.fullinfo.get", "fields": TRADE_FIELDS, "tid": tid}
        try:
            body = await self._call(params, idempotent=True)
        except MarketplaceError as error:
            if "trade-not-exist" in (error.code or ""):
                return None
            raise
        trade = body.get("trade")
        return trade if isinstance(trade, dict) else None

    async def _order_require(self, order_id: str) -> RemoteOrder:
        order = await self.fetch_order(order_id)
        if order is None:
            raise MarketplaceError(
                f"taobao has no order {order_id!r} for this shop; check the id with "
                "`ruralseller orders list`",
                marketplace=self.name,
                status=404,
            )
        return order

    def _lines(self, trade: Mapping[str, Any]) -> list[RemoteOrder]:
        created = dt.datetime.strptime(str(trade["created"]), _TIME).replace(tzinfo=CHINA_TIME)
        modified = dt.datetime.strptime(str(trade["modified"]), _TIME).replace(tzinfo=CHINA_TIME)
        fields = {
            "name": trade.get("receiver_name"),
            "phone": trade.get("receiver_mobile"),
            "state": trade.get("receiver_state"),
            "city": trade.get("receiver_city"),
            "district": trade.get("receiver_district"),
            "address": trade.get("receiver_address"),
            "postcode": trade.get("receiver_zip"),
            "nick": trade.get("buyer_nick"),
        }
        buyer = {key: str(value) for key, value in fields.items() if value}
        lines = []
        for order in _listed(trade, "orders"):
            sku = str(order.get("outer_sku_id") or order.get("outer_iid") or "")
            if not sku:
                continue  # not one of our items
            status = str(order.get("status") or trade["status"])
            quantity = int(order["num"])
            lines.append(
                RemoteOrder(
                    marketplace=self.name,
                    account=self.app_key,
                    order_id=f"{trade['tid']}-{order['oid']}",
                    sku=sku,
                    quantity=quantity,
                    state=ORDER_STATES.get(status, "placed"),
                    placed_at=created,
                    unit_price=Money(Decimal(str(order["payment"])) / quantity, "CNY").rounded(),
                    buyer=buyer,
                    extra={
                        "status": status,
                        "trade_status": str(trade["status"]),
                        "tid": str(trade["tid"]),
                        "oid": str(order["oid"]),
                        "modified": modified.isoformat(),
                    },
                )
            )
        return lines


def _cursor(text: str | None, now: int) -> tuple[int, int, int | None]:
    """(start, end, page) of a cursor; a new window (page None) when it has none."""
    if not text:
        return now - WINDOW, now, None
    try:
        start_text, end_text, page_text = text.split("|")
        start = int(start_text)
        if not end_text:
            return start, min(now, start + WINDOW), None
        return start, int(end_text), int(page_text)
    except ValueError as error:
        raise ValueError(
            f"{text!r} is not a Taobao order cursor (start|end|page); start again without one"
        ) from error
