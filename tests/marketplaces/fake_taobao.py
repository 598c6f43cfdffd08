"""A fake Taobao Open Platform gateway for the taobao adapter's tests (``httpx.MockTransport``).

It answers the way TOP's "API调用方法详解" page, its official SDKs and its error-code table
describe: one ``/router/rest`` endpoint taking a form ``POST`` (multipart when a picture is
attached); every
request checked for the common parameters, a timestamp in China time within 10 minutes, and
the signature (md5, hmac or hmac-sha256, uppercase hex, files left out); answers in
``format=json`` with ``simplify=true``; errors as HTTP 200 with an ``error_response`` body.
The signature check and the multipart reading are written here on their own, not borrowed
from the adapter, so a mistake in one is caught by the other.

Trades (the API documents of ``taobao.trades.sold.increment.get``,
``taobao.trade.fullinfo.get`` and ``taobao.logistics.offline.send``): the increment listing
needs ``fields``, ``start_modified`` and ``end_modified`` at most a day apart and a
``page_size`` of at most 100, answers only the fields asked for and ``total_results``;
``offline.send`` needs ``tid``, ``out_sid`` and a known ``company_code`` and a trade waiting
to be sent. Every change moves the trade's ``modified``.

Faults on demand: :meth:`FakeTaobao.throttle` answers code 7 with a ban time,
:meth:`FakeTaobao.lose` carries out a call and then loses its answer (a read timeout, a 503,
or an ``isp`` timeout).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import hmac
import itertools
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

import httpx

APP_KEY = "23456789"
APP_SECRET = "fake-app-secret-HEN42"  # noqa: S105 - a made-up credential for the fake
SESSION = "6100fake-seller-session-WUJIA"
#: A leaf category the fake accepts (any positive number would do for the tests).
LEAF_CID = 50050359
GMT8 = dt.timezone(dt.timedelta(hours=8))
MAX_PICTURES = 5
MAX_PICTURE_BYTES = 1_000_000
_ITEM_METHODS = (
    "taobao.item.add",
    "taobao.item.update",
    "taobao.item.quantity.update",
    "taobao.item.update.delisting",
    "taobao.item.update.listing",
    "taobao.item.img.upload",
    "taobao.items.custom.get",
    "taobao.trades.sold.increment.get",
    "taobao.trade.fullinfo.get",
    "taobao.logistics.offline.send",
    "taobao.user.seller.get",
)
#: Carrier codes the fake knows (a few of taobao.logistics.companies.get's).
CARRIERS = frozenset({"SF", "ZTO", "YTO", "STO", "YUNDA", "EMS", "POSTB", "JD"})
# TOP's platform codes (its error-code table): (code, msg).
_MISSING = {
    "method": (21, "Missing Method"),
    "app_key": (28, "Missing App Key"),
    "timestamp": (30, "Missing Timestamp"),
    "v": (32, "Missing Version"),
    "sign": (24, "Missing Signature"),
    "session": (26, "Missing Session"),
}


class TopError(Exception):
    """An error the fake answers with, as TOP's ``error_response``."""

    def __init__(self, code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> None:
        super().__init__(msg)
        self.body = {"code": code, "msg": msg}
        if sub_code:
            self.body |= {"sub_code": sub_code, "sub_msg": sub_msg}


def _bad(field: str, why: str) -> TopError:
    return TopError(15, "Remote service error", f"isv.invalid-parameter:{field}", why)


def _expected_sign(params: dict[str, str], secret: str, method: str) -> str:
    # Empty values are not signed (the official SDKs' TaobaoUtils.signTopRequest).
    text = "".join(k + params[k] for k in sorted(params) if k != "sign" and params[k]).encode()
    key = secret.encode()
    if method == "md5":
        return hashlib.md5(key + text + key, usedforsecurity=False).hexdigest().upper()
    digest = hashlib.md5 if method == "hmac" else hashlib.sha256
    return hmac.new(key, text, digest).hexdigest().upper()


def _read_form(request: httpx.Request) -> tuple[dict[str, str], dict[str, bytes]]:
    content_type = request.headers.get("content-type", "")
    body = request.read()
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True)), {}
    if not content_type.startswith("multipart/form-data"):
        raise TopError(23, "Invalid Format", "isv.invalid-format", content_type)
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    texts: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if part.get_filename() is None:
            texts[str(name)] = data.decode()
        else:
            files[str(name)] = data
    return texts, files


class FakeTaobao:
    """An in-memory TOP gateway; call it with an ``httpx.Request`` (MockTransport handler)."""

    def __init__(
        self,
        *,
        app_key: str = APP_KEY,
        app_secret: str = APP_SECRET,
        session: str = SESSION,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_key, self.app_secret, self.session = app_key, app_secret, session
        self.clock = clock
        self.items: dict[int, dict[str, Any]] = {}
        self.received: list[dict[str, str]] = []  # the text params of every request
        self.performed: list[str] = []  # the methods carried out
        self._ids = itertools.count(600_000_000_001)
        self.trades: dict[str, dict[str, Any]] = {}
        self.after_list: list[Callable[[], None]] = []
        self._tids = itertools.count(3_921_000_000_001)
        self._picture_ids = itertools.count(1)
        self._throttles: list[int | None] = []
        self._losses: dict[str, list[str]] = {}

    # --- faults ----------------------------------------------------------------------------

    def throttle(self, times: int = 1, ban_seconds: int | None = 1) -> None:
        """Refuse the next ``times`` requests with code 7 (App Call Limited)."""
        self._throttles += [ban_seconds] * times

    def lose(self, method: str, how: str = "timeout", times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method``, then lose the answer.

        ``how``: ``"timeout"`` (httpx.ReadTimeout), ``"503"`` or ``"isp"`` (an isp.* error).
        """
        self._losses.setdefault(method, []).extend([how] * times)

    def by_outer_id(self, outer_id: str) -> list[dict[str, Any]]:
        """The items stored under ``outer_id``."""
        return [item for item in self.items.values() if item["outer_id"] == outer_id]

    def add_trade(
        self, outer_id: str, num: int, payment: str, *, status: str = "WAIT_SELLER_SEND_GOODS"
    ) -> dict[str, Any]:
        """A buyer's trade of one item (paid, unless ``status`` says otherwise)."""
        tid = str(next(self._tids))
        now = self._now()
        trade = {
            "tid": tid,
            "status": status,
            "created": now,
            "modified": now,
            "buyer_nick": "吴**",
            "receiver_name": "吴*",
            "receiver_mobile": "138****0000",
            "receiver_state": "湖北省",
            "receiver_city": "武汉市",
            "receiver_district": "江夏区",
            "receiver_address": "乡村路3号",
            "receiver_zip": "430200",
            "orders": [
                {
                    "oid": str(next(self._tids)),
                    "status": status,
                    "outer_iid": outer_id,
                    "outer_sku_id": "",
                    "num": num,
                    "payment": payment,
                    "title": outer_id,
                }
            ],
        }
        self.trades[tid] = trade
        return trade

    def change_trade(self, tid: str, status: str) -> None:
        """Change a trade's status as Taobao would (its modified time moves)."""
        trade = self.trades[tid]
        trade |= {"status": status, "modified": self._now()}
        for order in trade["orders"]:
            order["status"] = status

    # --- the gateway -----------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/router/rest":
            return httpx.Response(404, text="Not Found")
        if request.method != "POST":
            return self._error(TopError(9, "Http Action Not Allowed"))
        try:
            params, files = _read_form(request)
            self.received.append(params)
            self._check(params)
            self._maybe_throttle()
            method = params["method"]
            answer = getattr(self, "_" + method.removeprefix("taobao.").replace(".", "_"))(
                params, files
            )
            self.performed.append(method)
        except TopError as error:
            return self._error(error)
        losses = self._losses.get(method)
        if losses:
            how = losses.pop(0)
            if how == "timeout":
                raise httpx.ReadTimeout("the fake lost the answer", request=request)
            if how == "503":
                return httpx.Response(503, text="Service Unavailable")
            return self._error(
                TopError(15, "Remote service error", "isp.remote-service-timeout", "timeout")
            )
        return httpx.Response(200, json=answer)

    def _maybe_throttle(self) -> None:
        if self._throttles:
            ban = self._throttles.pop(0)
            raise TopError(
                7,
                "App Call Limited",
                "accesscontrol.limited-by-app-access-count",
                f"This ban will last for {ban} more seconds" if ban is not None else "",
            )

    def _error(self, error: TopError) -> httpx.Response:
        body = {**error.body, "request_id": f"fake{len(self.received)}"}
        return httpx.Response(200, json={"error_response": body})

    def _check(self, params: dict[str, str]) -> None:  # noqa: C901 - one check per TOP code
        for name, (code, msg) in _MISSING.items():
            if not params.get(name):
                raise TopError(code, msg)
        if params["method"] not in _ITEM_METHODS:
            raise TopError(22, "Invalid Method")
        if params["app_key"] != self.app_key:
            raise TopError(29, "Invalid App Key")
        try:
            sent = dt.datetime.strptime(params["timestamp"], "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=GMT8
            )
        except ValueError:
            raise TopError(31, "Invalid Timestamp") from None
        now = dt.datetime.fromtimestamp(self.clock(), GMT8)
        if abs(now - sent) > dt.timedelta(minutes=10):
            raise TopError(31, "Invalid Timestamp", "isv.invalid-timestamp", "时间戳误差超过10分钟")
        if params["v"] != "2.0":
            raise TopError(33, "Invalid Version")
        if params.get("format") != "json" or params.get("simplify") != "true":
            raise TopError(23, "Invalid Format")
        sign_method = params.get("sign_method", "md5")
        if sign_method not in {"md5", "hmac", "hmac-sha256"}:
            raise TopError(41, "Invalid Arguments", "isv.invalid-parameter:sign_method", "")
        if not hmac.compare_digest(
            params["sign"], _expected_sign(params, self.app_secret, sign_method)
        ):
            raise TopError(25, "Invalid Signature")
        if params["session"] != self.session:
            raise TopError(27, "Invalid Session", "sessionkey-not-generated-by-server", "")

    # --- items -----------------------------------------------------------------------------

    def _now(self) -> str:
        return dt.datetime.fromtimestamp(self.clock(), GMT8).strftime("%Y-%m-%d %H:%M:%S")

    def _item(self, params: dict[str, str]) -> dict[str, Any]:
        try:
            return self.items[int(params["num_iid"])]
        except (KeyError, ValueError):
            raise TopError(15, "Remote service error", "isv.item-not-exist", "宝贝不存在") from None

    def _validate(self, fields: dict[str, str]) -> dict[str, Any]:  # noqa: C901, PLR0912
        checked: dict[str, Any] = {}
        if "title" in fields:
            title = fields["title"]
            if not title or len(title.encode("gbk", errors="replace")) > 60:
                raise _bad("title", "宝贝标题不能超过60字节(30个汉字)")
            checked["title"] = title
        if "desc" in fields:
            if not 5 <= len(fields["desc"]) <= 25_000:
                raise _bad("desc", "宝贝描述长度应为5到25000个字符")
            checked["desc"] = fields["desc"]
        if "price" in fields:
            try:
                price = Decimal(fields["price"])
            except InvalidOperation:
                raise _bad("price", "价格格式错误") from None
            exponent = price.as_tuple().exponent
            if (
                not price.is_finite()
                or not isinstance(exponent, int)
                or exponent < -2
                or not Decimal("0.01") <= price <= 100_000_000
            ):
                raise _bad("price", "价格应在0.01到100000000之间, 最多两位小数")
            checked["price"] = f"{price:.2f}"
        for name in ("num", "quantity"):
            if name in fields:
                if not fields[name].isdigit() or int(fields[name]) > 999_999:
                    raise _bad(name, "数量应为0到999999的整数")
                checked["num"] = int(fields[name])
        if "cid" in fields:
            if fields["cid"] != str(LEAF_CID):
                raise _bad("cid", "类目不存在或不是叶子类目")
            checked["cid"] = int(fields["cid"])
        for name in ("location.state", "location.city", "outer_id", "props"):
            if name in fields:
                checked[name] = fields[name]
        if fields.get("type", "fixed") not in {"fixed", "auction"}:
            raise _bad("type", "type 应为 fixed 或 auction")
        if fields.get("stuff_status", "new") not in {"new", "second"}:
            raise _bad("stuff_status", "stuff_status 应为 new 或 second")
        return checked

    def _picture(self, files: dict[str, bytes], position: int) -> dict[str, Any]:
        data = files.get("image")
        if data is None:
            raise TopError(40, "Missing Required Arguments", "isv.missing-parameter:image", "")
        if not data.startswith((b"\xff\xd8\xff", b"GIF8")) or len(data) > MAX_PICTURE_BYTES:
            raise TopError(
                3, "Upload Fail", "isv.invalid-parameter:image", "图片须为1MB以内的JPG或GIF"
            )
        digest = hashlib.sha256(data).hexdigest()
        return {
            "id": next(self._picture_ids),
            "url": f"https://img.alicdn.test/bao/{digest[:16]}.jpg",
            "position": position,
            "created": self._now(),
        }

    def _item_add(self, params: dict[str, str], files: dict[str, bytes]) -> dict[str, Any]:
        required = ("num", "price", "type", "stuff_status", "title", "desc", "cid")
        for name in (*required, "location.state", "location.city"):
            if not params.get(name):
                raise TopError(
                    40, "Missing Required Arguments", f"isv.missing-parameter:{name}", ""
                )
        item = self._validate(params)
        num_iid = next(self._ids)
        pictures = [self._picture(files, 0)] if "image" in files else []
        item |= {
            "num_iid": num_iid,
            "outer_id": params.get("outer_id", ""),
            "approve_status": params.get("approve_status", "onsale"),
            "item_imgs": pictures,
            "detail_url": f"https://item.taobao.com/item.htm?id={num_iid}",
            "created": self._now(),
            "modified": self._now(),
        }
        self.items[num_iid] = item
        return {"item": {"num_iid": num_iid, "created": item["created"]}}

    def _item_update(self, params: dict[str, str], _files: dict[str, bytes]) -> dict[str, Any]:
        item = self._item(params)
        item |= self._validate({k: v for k, v in params.items() if k != "num_iid"})
        item["modified"] = self._now()
        return {"item": {"num_iid": item["num_iid"], "modified": item["modified"]}}

    def _item_quantity_update(
        self, params: dict[str, str], _files: dict[str, bytes]
    ) -> dict[str, Any]:
        item = self._item(params)
        quantity = self._validate({"quantity": params.get("quantity", "")})["num"]
        item["num"] = quantity if params.get("type", "1") == "1" else item["num"] + quantity
        item["modified"] = self._now()
        return {"item": {"num_iid": item["num_iid"], "num": item["num"]}}

    def _item_update_delisting(
        self, params: dict[str, str], _files: dict[str, bytes]
    ) -> dict[str, Any]:
        item = self._item(params)
        item["approve_status"], item["modified"] = "instock", self._now()
        return {"item": {"num_iid": item["num_iid"], "modified": item["modified"]}}

    def _item_update_listing(
        self, params: dict[str, str], _files: dict[str, bytes]
    ) -> dict[str, Any]:
        item = self._item(params)
        item |= self._validate({"num": params.get("num", "")})
        item["approve_status"], item["modified"] = "onsale", self._now()
        return {"item": {"num_iid": item["num_iid"], "modified": item["modified"]}}

    def _item_img_upload(self, params: dict[str, str], files: dict[str, bytes]) -> dict[str, Any]:
        item = self._item(params)
        pictures: list[dict[str, Any]] = item["item_imgs"]
        position = 0 if params.get("is_major") == "true" else int(params.get("position", "1"))
        if params.get("id"):
            old = next((p for p in pictures if str(p["id"]) == params["id"]), None)
            if old is None:
                raise _bad("id", "图片不存在")
            new = self._picture(files, old["position"])
            pictures[pictures.index(old)] = new
        else:
            if len(pictures) >= MAX_PICTURES:
                raise TopError(15, "Remote service error", "isv.pictures-too-many", "最多5张图片")
            new = self._picture(files, position)
            pictures.append(new)
        item["modified"] = self._now()
        return {"item_img": new}

    def _user_seller_get(self, params: dict[str, str], _files: dict[str, bytes]) -> dict[str, Any]:
        if not params.get("fields"):
            raise TopError(40, "Missing Required Arguments", "isv.missing-parameter:fields", "")
        user = {"user_id": 2206000001, "nick": "吴家土鸡"}
        return {"user": {k: v for k, v in user.items() if k in params["fields"].split(",")}}

    def _items_custom_get(self, params: dict[str, str], _files: dict[str, bytes]) -> dict[str, Any]:
        if not params.get("outer_id") or not params.get("fields"):
            raise TopError(40, "Missing Required Arguments", "isv.missing-parameter:outer_id", "")
        wanted = set(params["fields"].split(","))
        names = params["outer_id"].split(",")
        found = []
        for item in self.items.values():
            if item["outer_id"] in names:
                shown = {k: v for k, v in item.items() if k in wanted}
                if "item_img" in wanted:
                    shown["item_imgs"] = [dict(p) for p in item["item_imgs"]]
                found.append(shown)
        return {"items": found} if found else {}

    # --- trades ----------------------------------------------------------------------------

    @staticmethod
    def _shown(trade: dict[str, Any], fields: set[str]) -> dict[str, Any]:
        shown = {k: v for k, v in trade.items() if k in fields and k != "orders"}
        sub = {f.removeprefix("orders.") for f in fields if f.startswith("orders.")}
        if "orders" in fields or sub:
            shown["orders"] = [
                {k: v for k, v in o.items() if "orders" in fields or k in sub}
                for o in trade["orders"]
            ]
        return shown

    def _trades_sold_increment_get(
        self, params: dict[str, str], _files: dict[str, bytes]
    ) -> dict[str, Any]:
        for name in ("fields", "start_modified", "end_modified"):
            if not params.get(name):
                raise TopError(40, "Missing Required Arguments", f"isv.missing-parameter:{name}")
        try:
            start = dt.datetime.strptime(params["start_modified"], "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=GMT8
            )
            end = dt.datetime.strptime(params["end_modified"], "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=GMT8
            )
        except ValueError:
            raise _bad("start_modified", "时间格式错误") from None
        if not dt.timedelta(0) <= end - start <= dt.timedelta(days=1):
            raise _bad("end_modified", "修改时间跨度不能大于一天")
        size, page = int(params.get("page_size", "40")), int(params.get("page_no", "1"))
        if not 1 <= size <= 100 or page < 1:
            raise _bad("page_size", "page_size 1-100")
        found = sorted(
            (
                t
                for t in self.trades.values()
                if params["start_modified"] <= t["modified"] <= params["end_modified"]
            ),
            key=lambda t: (t["modified"], t["tid"]),
        )
        fields = set(params["fields"].split(","))
        shown = [self._shown(t, fields) for t in found[(page - 1) * size : page * size]]
        hooks, self.after_list = self.after_list, []
        for change in hooks:
            change()
        return (
            {"total_results": len(found), "trades": shown}
            if shown
            else {"total_results": len(found)}
        )

    def _trade_fullinfo_get(
        self, params: dict[str, str], _files: dict[str, bytes]
    ) -> dict[str, Any]:
        if not params.get("fields") or not params.get("tid"):
            raise TopError(40, "Missing Required Arguments", "isv.missing-parameter:tid")
        trade = self.trades.get(params["tid"])
        if trade is None:
            raise TopError(15, "Remote service error", "isv.trade-not-exist", "交易不存在")
        return {"trade": self._shown(trade, set(params["fields"].split(",")))}

    def _logistics_offline_send(
        self, params: dict[str, str], _files: dict[str, bytes]
    ) -> dict[str, Any]:
        for name in ("tid", "out_sid", "company_code"):
            if not params.get(name):
                raise TopError(40, "Missing Required Arguments", f"isv.missing-parameter:{name}")
        trade = self.trades.get(params["tid"])
        if trade is None:
            raise TopError(15, "Remote service error", "isv.trade-not-exist", "交易不存在")
        if params["company_code"] not in CARRIERS:
            raise _bad("company_code", "物流公司不存在")
        if trade["status"] != "WAIT_SELLER_SEND_GOODS":
            raise TopError(15, "Remote service error", "isv.logistics-offline-service-error", "")
        self.change_trade(params["tid"], "WAIT_BUYER_CONFIRM_GOODS")
        trade["out_sid"] = params["out_sid"]
        return {"shipping": {"is_success": True}}
