"""The sandbox sells: buyers order, and the seller lists its orders since a cursor.

``POST /v1/shop/{account}/orders`` is the buyer's side: a SKU and a quantity, no seller
credentials. The sandbox keeps its own view of stock, as real marketplaces do: the listing's
stock falls with each order, and an order for more than it shows is refused with 409
``out_of_stock``, however many units the seller really has. The seller's side, signed like
the rest of ``/v1``: ``GET /v1/orders?since=CURSOR`` lists the orders new or changed since a
cursor (each change of an order gives it a new, higher sequence number; the cursor is the
last one seen), ``GET /v1/orders/{id}`` fetches one, and ``POST .../acknowledge``,
``.../ship`` and ``.../cancel`` move it on (a cancelled order's units go back on sale).

The tables are added to the sandbox database the first time an order route runs.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any, Final

import attrs
from starlette.requests import Request
from starlette.responses import Response

from ruralseller.sandbox.api import JSON_BODY_LIMIT, Answer, Apply, Call, _limit, _read_body, _v1
from ruralseller.sandbox.api_errors import ApiError, json_response
from ruralseller.sandbox.json_body import parse_request_json
from ruralseller.sandbox.state import Sandbox
from ruralseller.sandbox.storage import Transaction

__all__ = ["ORDER_ROUTES", "order_resource"]

_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS shop_orders (
        account TEXT NOT NULL,
        id TEXT NOT NULL,
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        state TEXT NOT NULL,
        placed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        price_amount TEXT NOT NULL,
        price_currency TEXT NOT NULL,
        buyer TEXT NOT NULL,
        weight TEXT,
        tracking TEXT,
        reason TEXT,
        seq INTEGER NOT NULL,
        PRIMARY KEY (account, id)
    )""",
    "CREATE INDEX IF NOT EXISTS shop_orders_by_seq ON shop_orders (account, seq)",
)
_COLUMNS: Final = (
    "id, sku, quantity, state, placed_at, updated_at, price_amount, price_currency, buyer, "
    "weight, tracking, reason, seq"
)
_MAX_QUANTITY: Final = 1000


def _db(tx: Transaction) -> sqlite3.Connection:
    # The shop's tables live in the sandbox's database, inside the request's transaction.
    db: sqlite3.Connection = tx._db  # noqa: SLF001
    for statement in _SCHEMA:
        db.execute(statement)
    return db


def order_resource(row: tuple[Any, ...]) -> dict[str, Any]:
    """An order as the API shows it, from a ``shop_orders`` row."""
    values = dict(zip(_COLUMNS.split(", "), row, strict=True))
    return {
        "id": values["id"],
        "sku": values["sku"],
        "quantity": values["quantity"],
        "state": values["state"],
        "placed_at": values["placed_at"],
        "updated_at": values["updated_at"],
        "unit_price": {"amount": values["price_amount"], "currency": values["price_currency"]},
        "buyer": json.loads(values["buyer"]),
        "weight": values["weight"],
        "tracking": values["tracking"],
        "reason": values["reason"],
        "seq": values["seq"],
    }


def _next_seq(db: sqlite3.Connection, account: str) -> int:
    (seq,) = db.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM shop_orders WHERE account = ?", (account,)
    ).fetchone()
    return int(seq)


def _read_order(body: bytes) -> tuple[str, int, dict[str, str]]:
    data = parse_request_json(body or b"null", "bad_request", status=400)
    errors = []
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_order", "the body must be an object with sku and quantity")
    sku, quantity, buyer = data.get("sku"), data.get("quantity", 1), data.get("buyer", {})
    if not isinstance(sku, str) or not sku:
        errors.append(("sku", "give the SKU of an active listing"))
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not 1 <= quantity <= _MAX_QUANTITY
    ):
        errors.append(("quantity", f"a whole number from 1 to {_MAX_QUANTITY}, not {quantity!r}"))
    if not isinstance(buyer, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in buyer.items()
    ):
        errors.append(("buyer", "an object of text fields (name, address, phone...)"))
    if errors:
        raise ApiError(422, "invalid_order", "the order is invalid", errors=errors)
    return str(sku), int(quantity), dict(buyer)


async def place_order(request: Request) -> Response:
    """``POST /v1/shop/{account}/orders``: a buyer orders (no seller credentials)."""
    sandbox: Sandbox = request.app.state.sandbox
    try:
        body = await _read_body(request, JSON_BODY_LIMIT, sandbox.config.body_timeout)
        order = _place(sandbox, str(request.path_params["account"]), body)
    except ApiError as error:
        return error.response()
    return json_response(order, 201)


def _place(sandbox: Sandbox, account: str, body: bytes) -> dict[str, Any]:
    if account not in sandbox.config.accounts:
        raise ApiError(404, "not_found", f"the sandbox has no shop {account!r}")
    sku, quantity, buyer = _read_order(body)
    now = sandbox.timestamp()
    with sandbox.storage.transaction() as tx:
        db = _db(tx)
        listing = tx.listing(account, sku)
        if listing is None or listing.state != "active":
            raise ApiError(404, "not_found", f"shop {account!r} sells no SKU {sku!r}")
        if listing.stock < quantity:
            raise ApiError(
                409,
                "out_of_stock",
                f"shop {account!r} shows {listing.stock} of {sku!r}; {quantity} ordered",
            )
        tx.save_listing(
            attrs.evolve(
                listing, stock=listing.stock - quantity, version=listing.version + 1, updated_at=now
            )
        )
        order_id = uuid.uuid4().hex[:16]
        db.execute(
            f"INSERT INTO shop_orders (account, {_COLUMNS}) VALUES "  # noqa: S608 - constant columns
            "(?, ?, ?, ?, 'placed', ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)",
            (
                account,
                order_id,
                sku,
                quantity,
                now,
                now,
                listing.price_amount,
                listing.price_currency,
                json.dumps(buyer, ensure_ascii=False),
                _next_seq(db, account),
            ),
        )
        return order_resource(_get(db, account, order_id))


def _get(db: sqlite3.Connection, account: str, order_id: str) -> tuple[Any, ...]:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM shop_orders WHERE account = ? AND id = ?",  # noqa: S608 - constant columns
        (account, order_id),
    ).fetchone()
    if row is None:
        raise ApiError(404, "not_found", f"this account has no order {order_id!r}")
    return tuple(row)


def list_orders(call: Call) -> Apply:
    """``GET /v1/orders``: the account's orders new or changed since ``since``."""
    params = call.request.query_params
    since, limit = params.get("since", "0"), _limit(params.get("limit"))
    if not since.isdigit():
        raise ApiError(
            422,
            "invalid_request",
            "since must be a cursor from an earlier answer (a whole number)",
            errors=[("since", f"{since!r} is not a cursor")],
        )

    def apply(tx: Transaction) -> Answer:
        db = _db(tx)
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM shop_orders WHERE account = ? AND seq > ? "  # noqa: S608 - constant columns
            "ORDER BY seq LIMIT ?",
            (call.account, int(since), limit + 1),
        ).fetchall()
        page = rows[:limit]
        cursor = str(page[-1][-1]) if page else since
        return 200, {
            "orders": [order_resource(tuple(row)) for row in page],
            "cursor": cursor,
            "more": len(rows) > limit,
        }

    return apply


def get_order(call: Call) -> Apply:
    """``GET /v1/orders/{id}``."""

    def apply(tx: Transaction) -> Answer:
        return 200, order_resource(_get(_db(tx), call.account, call.param("id")))

    return apply


def _body(call: Call) -> dict[str, Any]:
    data = parse_request_json(call.body or b"{}", "bad_request", status=400)
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_request", "the body must be a JSON object")
    return data


_MOVES: Final = {
    # action: (the state it leads to, the states it may start from)
    "acknowledge": ("acknowledged", ("placed", "acknowledged")),
    "ship": ("shipped", ("placed", "acknowledged", "shipped")),
    "cancel": ("cancelled", ("placed", "acknowledged", "cancelled")),
}


def _move(action: str) -> Any:
    target, allowed = _MOVES[action]

    def handler(call: Call) -> Apply:
        data = _body(call)
        text = {k: data.get(k) for k in ("weight", "tracking", "reason")}
        for name, value in text.items():
            if value is not None and not isinstance(value, str):
                raise ApiError(
                    422, "invalid_request", f"{name} must be text", errors=[(name, repr(value))]
                )

        def apply(tx: Transaction) -> Answer:
            db = _db(tx)
            row = order_resource(_get(db, call.account, call.param("id")))
            if row["state"] == target:
                return 200, row
            if row["state"] not in allowed:
                raise ApiError(
                    409,
                    "order_state",
                    f"order {row['id']} is {row['state']}; it cannot be {target} now",
                )
            if target == "cancelled":
                listing = tx.listing(call.account, row["sku"])
                if listing is not None:
                    tx.save_listing(
                        attrs.evolve(
                            listing,
                            stock=listing.stock + row["quantity"],
                            version=listing.version + 1,
                            updated_at=call.now(),
                        )
                    )
            db.execute(
                "UPDATE shop_orders SET state = ?, updated_at = ?, seq = ?, "
                "weight = COALESCE(?, weight), tracking = COALESCE(?, tracking), "
                "reason = COALESCE(?, reason) WHERE account = ? AND id = ?",
                (
                    target,
                    call.now(),
                    _next_seq(db, call.account),
                    text["weight"],
                    text["tracking"],
                    text["reason"],
                    call.account,
                    row["id"],
                ),
            )
            return 200, order_resource(_get(db, call.account, row["id"]))

        return apply

    return handler


ORDER_ROUTES: Final = (
    ("/v1/shop/{account}/orders", "POST", place_order),
    ("/v1/orders", "GET", _v1(list_orders)),
    ("/v1/orders/{id}", "GET", _v1(get_order)),
    ("/v1/orders/{id}/acknowledge", "POST", _v1(_move("acknowledge"))),
    ("/v1/orders/{id}/ship", "POST", _v1(_move("ship"))),
    ("/v1/orders/{id}/cancel", "POST", _v1(_move("cancel"))),
)
"""The shop's routes: (path, method, endpoint)."""
