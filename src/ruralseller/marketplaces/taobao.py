"""The adapter for Taobao through the Taobao Open Platform (TOP) router API.

TOP's HTTPS gateway is ``https://eco.taobao.com/router/rest`` (the official TOP SDKs' HTTPS
URL; ``gw.api.taobao.com`` is their plain-HTTP one): every call is a form ``POST`` naming the
API in ``method``, with the app key, the seller's session key, a timestamp in China time and a
signature over every parameter that has a value (TOP's "API调用方法详解", open.taobao.com, and
the SDKs' ``TaobaoUtils.signTopRequest``, which skips empty values). A listing is an
*item*: ``taobao.item.add`` makes one, ``taobao.item.update`` changes it,
``taobao.item.quantity.update`` sets its stock, ``taobao.item.update.delisting`` takes it off
sale, pictures go up with ``taobao.item.img.upload``, and ``taobao.items.custom.get`` finds it by
our SKU (the item's ``outer_id``). ``item.add`` takes no idempotency key, so a create whose
answer was lost is looked up by SKU before it is sent again (:func:`create_once`).

Food goes with TOP's ``food_security.*`` parameters of ``taobao.item.add`` (producer, its
address, storage, shelf life, production dates, and the food production licence number when
known; :func:`food_security_params`). TOP publishes no machine-readable description, so the
parameter names are checked against the official SDKs' request classes, not a spec file.

Errors come back with HTTP 200 and an ``error_response`` body; :func:`top_error` maps them onto
the :class:`~ruralseller.errors.MarketplaceError` family.

Example:
    >>> taobao = TaobaoMarketplace(app_key="12345678", app_secret="s3cr3t", session="6100e2",
    ...                            cid=50050359)
    >>> taobao
    TaobaoMarketplace(base_url='https://eco.taobao.com/router/rest', app_key='12345678', \
sign_method='hmac-sha256')
    >>> taobao.capabilities.names()
    ('image_upload', 'withdraw', 'stock_and_price')
    >>> sign({"bar": "2", "foo": "1", "foo_bar": "3", "foobar": "4"}, "helloworld", "md5")
    '5AAF1C690262A24768F5478B084C2C8A'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeAlias
from urllib.parse import parse_qsl

import attrs
import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceConflictError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
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
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "API_VERSION",
    "CHINA_TIME",
    "DEFAULT_RATE",
    "FOOD_SECURITY_KEYS",
    "ITEM_FIELDS",
    "MAX_CLOCK_SKEW",
    "SIGN_METHODS",
    "TAOBAO_GATEWAY",
    "SignMethod",
    "TaobaoAuth",
    "TaobaoMarketplace",
    "TaobaoSettings",
    "food_security_params",
    "item_add_params",
    "item_location",
    "item_update_params",
    "sign",
    "string_to_sign",
    "top_error",
    "top_timestamp",
]

#: The production gateway over HTTPS; every call is a POST here (the official TOP SDKs'
#: HTTPS URL, e.g. the PHP SDK's ``TopClient``; ``http://gw.api.taobao.com`` is the HTTP one).
TAOBAO_GATEWAY = "https://eco.taobao.com/router/rest"
#: The protocol version every call sends as ``v`` (TOP "API调用方法详解").
API_VERSION = "2.0"
#: The signature methods TOP takes, as ``sign_method`` (same page).
SIGN_METHODS = ("md5", "hmac", "hmac-sha256")
#: TOP's timestamps are China Standard Time, written ``yyyy-MM-dd HH:mm:ss`` (same page).
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "GMT+8")
#: How far a request's timestamp may be from the gateway's clock (same page: 10 minutes).
MAX_CLOCK_SKEW = dt.timedelta(minutes=10)
#: Requests per second per app key. TOP gives each app a quota per API and per day, and
#: answers code 7 (App Call Limited) beyond it; no public number for the default frequency
#: was found, so this is a cautious guess (unverified) that the code-7 ban time corrects.
DEFAULT_RATE = 5.0
#: The item fields :meth:`TaobaoMarketplace.fetch` asks ``taobao.items.custom.get`` for.
ITEM_FIELDS = "num_iid,outer_id,title,num,price,approve_status,item_img,detail_url,modified"

#: The names of the signature methods, for type checkers.
SignMethod: TypeAlias = Literal["md5", "hmac", "hmac-sha256"]

_SYSTEM_PARAMS = frozenset(
    {"app_key", "format", "session", "sign", "sign_method", "simplify", "timestamp", "v"}
)
_DIRECT_CONTROLLED = ("北京", "上海", "天津", "重庆")
# Longest first, so 广西壮族自治区 loses the whole suffix, not only 区.
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


# --- signing ---------------------------------------------------------------------------------


def string_to_sign(params: Mapping[str, str]) -> str:
    """The text TOP signs: every parameter but ``sign``, sorted by name, as ``k1v1k2v2...``.

    File parameters (pictures) are never signed; leave them out of ``params``. Names sort by
    their ASCII codes, and parameters with an empty value are left out, as the official SDK's
    ``TaobaoUtils.signTopRequest`` does (``StringUtils.areNotEmpty(key, value)``).

    >>> string_to_sign({"foo": "1", "bar": "2", "foo_bar": "3", "foobar": "4", "sign": "X",
    ...                 "props": ""})
    'bar2foo1foo_bar3foobar4'
    """
    return "".join(
        f"{name}{params[name]}" for name in sorted(params) if name != "sign" and params[name]
    )


def sign(params: Mapping[str, str], secret: str, sign_method: SignMethod = "hmac-sha256") -> str:
    """The signature of ``params`` with the app secret, in uppercase hex.

    ``md5`` is ``MD5(secret + text + secret)``; ``hmac`` is HMAC-MD5 and ``hmac-sha256`` is
    HMAC-SHA256, both keyed with the secret over the text alone. The English docs wrap the
    secret around the text for the HMACs too, but the official SDK code does not, and the
    gateway follows the code (TOP "API调用方法详解" and the SDKs' ``signTopRequest``).

    >>> params = {"bar": "2", "foo": "1", "foo_bar": "3", "foobar": "4"}
    >>> sign(params, "helloworld", "hmac")
    'E687005F819D6F9E6ED085311C8ACC75'

    Raises:
        ValueError: for a sign method TOP does not know.
    """
    text = string_to_sign(params).encode()
    key = secret.encode()
    if sign_method == "md5":
        digest = hashlib.md5(key + text + key, usedforsecurity=False).hexdigest()
    elif sign_method == "hmac":
        digest = hmac.new(key, text, hashlib.md5).hexdigest()
    elif sign_method == "hmac-sha256":
        digest = hmac.new(key, text, hashlib.sha256).hexdigest()
    else:
        raise ValueError(f"unknown TOP sign method {sign_method!r}; use one of {SIGN_METHODS}")
    return digest.upper()


def top_timestamp(seconds: float) -> str:
    """A POSIX time as TOP's ``timestamp``: China time, ``yyyy-MM-dd HH:mm:ss``.

    >>> top_timestamp(1764000000)
    '2025-11-25 00:00:00'
    """
    return dt.datetime.fromtimestamp(seconds, CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")


def _multipart_fields(
    body: bytes, content_type: str
) -> tuple[list[tuple[str, str]], list[tuple[str, tuple[str, bytes, str]]]]:
    """The text and file fields of a ``multipart/form-data`` body (as httpx writes one)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ValueError(f"multipart body without a boundary: {content_type!r}")
    delimiter = b"--" + match.group(1).encode()
    texts: list[tuple[str, str]] = []
    files: list[tuple[str, tuple[str, bytes, str]]] = []
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n") if ": " in line)
        disposition = headers.get("Content-Disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name is None:
            continue
        if filename is None:
            texts.append((name.group(1), data.decode()))
        else:
            kind = headers.get("Content-Type", "application/octet-stream")
            files.append((name.group(1), (filename.group(1), data, kind)))
    return texts, files


class TaobaoAuth(httpx.Auth):
    """Adds TOP's common parameters and signature to each request's form body.

    The adapter sends a form (or, with pictures, a multipart form) holding ``method`` and the
    API's own parameters; this adds ``app_key``, ``session``, ``timestamp``, ``v``,
    ``sign_method``, ``format=json``, ``simplify=true`` and ``sign``, signing every text field
    and no file. Parameters with an empty value are not sent at all, as the SDKs'
    ``TaobaoHashMap`` drops them. Everything goes in the body, none in the URL, so the session
    key never reaches a log line that prints URLs.

    It runs again on every retry, so each try carries a fresh timestamp and signature.

    Args:
        app_key: the app's key (public, it names the app).
        app_secret: the app's secret, which signs.
        session: the seller's session key (access token) from TOP's OAuth.
        sign_method: ``md5``, ``hmac`` or ``hmac-sha256``.
        clock: POSIX seconds now; injectable for tests.
    """

    requires_request_body = True

    def __init__(
        self,
        app_key: str,
        app_secret: Secret,
        session: Secret,
        *,
        sign_method: SignMethod = "hmac-sha256",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if sign_method not in SIGN_METHODS:
            raise ValueError(f"unknown TOP sign method {sign_method!r}; use one of {SIGN_METHODS}")
        self.app_key = app_key
        self.sign_method: SignMethod = sign_method
        self._secret = app_secret
        self._session = session
        self._clock = clock

    def __repr__(self) -> str:
        return f"TaobaoAuth(app_key={self.app_key!r}, sign_method={self.sign_method!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Yield ``request`` rebuilt with the common parameters and the signature."""
        content_type = request.headers.get("Content-Type", "")
        files: list[tuple[str, tuple[str, bytes, str]]] = []
        if content_type.startswith("multipart/form-data"):
            texts, files = _multipart_fields(request.content, content_type)
        else:
            texts = parse_qsl(request.content.decode(), keep_blank_values=True)
        params = {name: value for name, value in texts if name not in _SYSTEM_PARAMS and value}
        params |= {
            "app_key": self.app_key,
            "session": self._session.reveal(),
            "timestamp": top_timestamp(self._clock()),
            "v": API_VERSION,
            "sign_method": self.sign_method,
            "format": "json",
            "simplify": "true",
        }
        params["sign"] = sign(params, self._secret.reveal(), self.sign_method)
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in {"content-type", "content-length"}
        }
        yield httpx.Request(
            request.method,
            request.url,
            headers=headers,
            data=params,
            files=files or None,
            extensions=request.extensions,
        )


# --- mapping a draft --------------------------------------------------------------------------


def _short_province(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def item_location(draft: ListingDraft) -> tuple[str, str]:
    """``location.state`` and ``location.city`` from the draft's origin.

    The origin attribute holds the producer's place (``江西省 吉安市 泰和县..., CN``); TOP
    names provinces and cities without their suffix (``江西``, ``吉安``), and a
    direct-controlled municipality is its own city (``北京``, ``北京``). These short forms are
    what the old item.add docs show (unverified); when they do not suit, give
    ``location`` to :class:`TaobaoMarketplace`.

    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.listing import generate_listing
    >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
    ...                          on=dt.date(2026, 11, 21))
    >>> item_location(draft)
    ('江西', '吉安')

    Raises:
        InvalidValueError: when the draft has no origin in mainland China with a province.
    """
    raw = next(
        (a.raw for text in draft.texts.values() for a in text.attributes if a.key == "origin"),
        None,
    )
    divisions, _, country = (raw or "").rpartition(", ")
    parts = divisions.split()
    if country != "CN" or not parts:
        raise InvalidValueError(
            f"taobao needs the item's location in mainland China; the draft's origin is {raw!r}",
            field="origin",
            hint="give the producer's place (province and city) in the catalogue, or pass "
            "location=('江西', '吉安') to TaobaoMarketplace",
        )
    state = _short_province(parts[0])
    if state in _DIRECT_CONTROLLED:
        return state, state
    if len(parts) < 2:
        raise InvalidValueError(
            f"taobao needs the item's city; the draft's origin {raw!r} has only a province",
            field="origin",
            hint="add the city to the producer's place in the catalogue",
        )
    return state, parts[1].removesuffix("市") or parts[1]


def _price(price: Money) -> str:
    # Prices are yuan with two decimals (fen); TOP knows no other currency (item.add ``price``).
    if price.currency != "CNY":
        raise InvalidValueError(
            f"taobao prices in CNY only; the draft's price is {price}",
            field="price",
            hint="price the lot in CNY in the catalogue",
        )
    if price.rounded() != price:
        raise InvalidValueError(
            f"taobao prices in whole fen; the draft's price is {price}",
            field="price",
            hint="round the price to two decimals in the catalogue",
        )
    return f"{price.amount:.2f}"


#: The food_security.* parameters of taobao.item.add / item.update, as the official SDKs'
#: request classes name them (TaobaoItemAddRequest: 生产许可证号, 产品标准号, 厂名, 厂址,
#: 厂家联系方式, 配料表, 储藏方法, 保质期, 食品添加剂, 供货商, 生产/进货日期).
FOOD_SECURITY_KEYS: tuple[str, ...] = (
    *("prd_license_no", "design_code", "factory", "factory_site", "contact", "mix"),
    *("plan_storage", "period", "food_additive", "supplier"),
    *("product_date_start", "product_date_end", "stock_date_start", "stock_date_end"),
)
_NOT_FOOD = frozenset({"live_birds"})
# Processed food, made under a food production licence (Food Safety Law of the PRC, Art. 35);
# edible farm produce sold as harvested is not (Art. 2 and the Agricultural Product Quality
# Safety Law).
_LICENSED = frozenset({"cured_meat", "packaged_food"})
_DAYS = re.compile(r"^\s*(\d+)\s*(?:天|days?)\b", re.IGNORECASE)


def _attribute(draft: ListingDraft, locale: str, key: str) -> tuple[str, str | None] | None:
    try:
        found = draft.text(locale).attribute(key)
    except KeyError:
        return None
    return (found.value, found.raw) if found is not None else None


def food_security_params(
    draft: ListingDraft, *, locale: str = "zh-CN", licence_no: str | None = None
) -> dict[str, str]:
    """The ``food_security.*`` parameters for a food draft, from what the catalogue says.

    The producer is the factory (``factory``) and its place the address (``factory_site``);
    storage, shelf life in days (``period``) and the production date (``product_date_start``
    and ``_end``, ``yyyy-MM-dd``) come from the draft's attributes. The food production
    licence number (``prd_license_no``, the SC number) is ``licence_no`` when given.
    ``draft.extra["taobao"]["food_security"]`` adds or replaces any of
    :data:`FOOD_SECURITY_KEYS` (e.g. ``contact``, ``mix``, ``design_code``). Live animals are
    not food here: they get none.

    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.listing import generate_listing
    >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
    ...                          on=dt.date(2026, 11, 21))
    >>> for key, value in food_security_params(draft).items():
    ...     print(key, value)
    food_security.factory 吴家乌鸡养殖场
    food_security.factory_site 江西省吉安市泰和县武山镇汪陂村
    food_security.plan_storage 0~4 °C 冷藏
    food_security.period 5
    food_security.product_date_start 2026-11-20
    food_security.product_date_end 2026-11-20

    Raises:
        InvalidValueError: ``extra["taobao"]["food_security"]`` names a key TOP does not have.
    """
    if draft.kind in _NOT_FOOD:
        return {}
    found: dict[str, str] = {}
    producer = _attribute(draft, locale, "producer")
    if producer:
        found["factory"] = producer[0]
    origin = _attribute(draft, locale, "origin")
    if origin:
        found["factory_site"] = origin[0]
    storage = _attribute(draft, locale, "storage")
    if storage:
        found["plan_storage"] = storage[0]
    shelf_life = _attribute(draft, locale, "shelf_life")
    days = _DAYS.match(shelf_life[0]) if shelf_life else None
    if days:
        found["period"] = days.group(1)
    made = _attribute(draft, locale, "production_date")
    if made and made[1] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", made[1]):
        found["product_date_start"] = found["product_date_end"] = made[1]
    if licence_no:
        found["prd_license_no"] = licence_no
    extra = draft.extra.get("taobao", {})
    given = extra.get("food_security", {}) if isinstance(extra, Mapping) else {}
    for key, value in dict(given).items():
        if key not in FOOD_SECURITY_KEYS:
            raise InvalidValueError(
                f"taobao has no food_security.{key}; it takes {', '.join(FOOD_SECURITY_KEYS)}",
                field=f"extra.taobao.food_security.{key}",
            )
        found[key] = str(value)
    order = {key: n for n, key in enumerate(FOOD_SECURITY_KEYS)}
    return {
        f"food_security.{key}": value
        for key, value in sorted(found.items(), key=lambda kv: order[kv[0]])
        if value
    }


def _item_fields(  # noqa: PLR0913 - keyword-only, each a plain value
    draft: ListingDraft,
    *,
    cid: int,
    props: str,
    location: tuple[str, str] | None,
    locale: str,
    licence_no: str | None = None,
) -> dict[str, str]:
    text = draft.text(locale)
    state, city = location or item_location(draft)
    fields = {
        "title": text.title,
        # desc takes HTML (at most 25,000 characters: open.alitrip.com/docs/api.htm?apiId=6).
        "desc": text.description_html,
        "num": str(draft.stock),
        "price": _price(draft.price),
        "stuff_status": "new",
        "location.state": state,
        "location.city": city,
        "cid": str(cid),
        "outer_id": draft.sku,
    }
    if props:
        fields["props"] = props
    fields.update(food_security_params(draft, locale=locale, licence_no=licence_no))
    return fields


def item_add_params(  # noqa: PLR0913 - keyword-only, each a plain value
    draft: ListingDraft,
    *,
    cid: int,
    props: str = "",
    location: tuple[str, str] | None = None,
    locale: str = "zh-CN",
    licence_no: str | None = None,
) -> dict[str, str]:
    """The API parameters of ``taobao.item.add`` for ``draft`` (the picture goes as a file).

    Args:
        draft: the listing draft.
        cid: the leaf category (``taobao.itemcats.get``), e.g. fresh poultry.
        props: the category's key properties, ``pid:vid;pid:vid``, when it requires any.
        location: ``(state, city)``; from the draft's origin when ``None``.
        locale: the text to list with.
        licence_no: the food production licence number (SC) for ``food_security``.

    Example:
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> params = item_add_params(draft, cid=50050359)
        >>> {k: params[k] for k in ("method", "title", "price", "num", "outer_id", "type")}
        {'method': 'taobao.item.add', 'title': '泰和乌鸡 整只 冰鲜 1-1.4 kg/只', 'price': '36.00', \
'num': '40', 'outer_id': 'WJ261120A', 'type': 'fixed'}

    Raises:
        InvalidValueError: the price is not in CNY fen, or the origin is unknown.
    """
    fields = _item_fields(
        draft, cid=cid, props=props, location=location, locale=locale, licence_no=licence_no
    )
    return {"method": "taobao.item.add", "type": "fixed", **fields, "approve_status": "onsale"}


def item_update_params(  # noqa: PLR0913 - keyword-only, as item_add_params
    draft: ListingDraft,
    num_iid: str,
    *,
    cid: int,
    props: str = "",
    location: tuple[str, str] | None = None,
    locale: str = "zh-CN",
    licence_no: str | None = None,
) -> dict[str, str]:
    """The API parameters of ``taobao.item.update``: every field of the item, set again.

    Sending all fields makes the update idempotent: repeating it leaves the same item.
    The arguments are those of :func:`item_add_params`, plus the item's ``num_iid``.
    """
    fields = _item_fields(
        draft, cid=cid, props=props, location=location, locale=locale, licence_no=licence_no
    )
    return {"method": "taobao.item.update", "num_iid": num_iid, **fields}


# --- errors ----------------------------------------------------------------------------------

# TOP's platform error codes (below 100), from its error-code table (open.taobao.com
# "错误码一览") as copied in blog.unvs.cn/archives/taobao-oauth-top-error-code.html (2012).
_THROTTLE_CODES = frozenset({4, 5, 6, 7, 8})  # user/session/partner/app call limits, frequency
_AUTH_CODES = frozenset({11, 12, 13, 24, 25, 26, 27, 28, 29})  # permissions, sign, session, key
_CLOCK_CODES = frozenset({30, 31})  # missing or invalid timestamp
_ARGUMENT_CODES = frozenset({40, 41, 43})  # missing or invalid arguments
_UNAVAILABLE_CODES = frozenset({10})  # service currently unavailable
_BAN = re.compile(r"(\d+(?:\.\d+)?)\s*(?:more\s+seconds?|秒)", re.IGNORECASE)
_FIELD_SUB_CODE = re.compile(r"^isv\.(?:invalid|missing)-(?:parameter|argument)s?:(.+)$")


def _error_body(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    found = body.get("error_response") if isinstance(body, dict) else None
    return dict(found) if isinstance(found, dict) else None


def top_error(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error an ``error_response`` body stands for, or ``None`` when there is none.

    TOP answers HTTP 200 with ``{"error_response": {"code", "msg", "sub_code", "sub_msg",
    "request_id"}}``. Codes 4 to 8 are call limits (the ban time is in ``sub_msg``), codes
    11-13 and 24-29 are permissions, signature, session and app key, ``isp.*`` sub-codes are
    trouble on TOP's side, and ``isv.invalid-parameter:<field>`` names the field at fault.

    Example:
        >>> body = {"error_response": {"code": 15, "msg": "Remote service error",
        ...     "sub_code": "isv.invalid-parameter:title", "sub_msg": "标题过长",
        ...     "request_id": "iz1"}}
        >>> error = top_error(httpx.Response(200, json=body))
        >>> type(error).__name__, error.field_errors
        ('ListingRejectedError', {'title': '标题过长'})
    """
    found = _error_body(response)
    if found is None:
        return None
    secrets = list(secrets)
    code = found.get("code")
    number = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
    sub_code = str(found.get("sub_code") or "")
    said = redact_text(
        "; ".join(str(found[k]) for k in ("msg", "sub_msg") if found.get(k)), secrets
    )
    sub_msg = redact_text(str(found.get("sub_msg") or found.get("msg") or ""), secrets)
    request_id = str(found["request_id"]) if found.get("request_id") else None
    common: dict[str, Any] = {
        "marketplace": "taobao",
        "status": response.status_code,
        "code": ":".join(part for part in (str(code), sub_code) if part and part != "None"),
        "request_id": request_id,
        "headers": redact_headers(response.headers),
    }
    tail = f" (taobao said: {said}; code {common['code']})" + (
        f" [request id {request_id}]" if request_id else ""
    )
    field = _FIELD_SUB_CODE.match(sub_code)
    lowered = sub_code.lower()
    throttled = "limit" in lowered or "flow-control" in lowered or "flowcontrol" in lowered
    if number in _THROTTLE_CODES or (lowered.startswith(("isp.", "accesscontrol.")) and throttled):
        ban = _BAN.search(sub_msg)
        retry_after = float(ban.group(1)) if ban else None
        wait = f"wait {retry_after:g} s and " if retry_after is not None else "wait and "
        return RateLimitedError(
            f"taobao is limiting this app's calls: {wait}try again, or ask for a higher "
            f"quota in the TOP console{tail}",
            retry_after=retry_after,
            **common,
        )
    if number in _AUTH_CODES:
        return MarketplaceAuthError(
            "taobao did not accept the credentials: check the app key and secret, that the "
            "seller's session key has not expired (authorise the app again to get a new one), "
            f"and that the app may call this API{tail}",
            **common,
        )
    if number in _CLOCK_CODES:
        return MarketplaceAuthError(
            "taobao refused the request's timestamp: set this computer's clock right (TOP "
            f"accepts at most {MAX_CLOCK_SKEW.seconds // 60} minutes off){tail}",
            **common,
        )
    if field is not None or number in _ARGUMENT_CODES:
        name = field.group(1) if field else (sub_code or "arguments")
        return ListingRejectedError(
            f"taobao rejected the listing: {name}: {sub_msg}; fix it and publish again{tail}",
            field_errors={name: sub_msg},
            **common,
        )
    if number in _UNAVAILABLE_CODES or lowered.startswith("isp."):
        return MarketplaceUnavailableError(
            f"taobao is having trouble on its side; nothing to fix here, try again later{tail}",
            **common,
        )
    return MarketplaceError(f"taobao refused the request{tail}", **common)


# --- the adapter -----------------------------------------------------------------------------


def _listed(body: Any, *path: str) -> list[dict[str, Any]]:
    """A list TOP may give bare (``simplify=true``) or wrapped (``{"item": [...]}``)."""
    for key in path:
        body = body.get(key) if isinstance(body, dict) else None
    if isinstance(body, dict):
        body = next(iter(body.values()), [])
    return [entry for entry in body or () if isinstance(entry, dict)]


def _unwrap(body: Any, method: str) -> dict[str, Any]:
    """The answer without the ``<method>_response`` wrapper that ``simplify=false`` adds."""
    if not isinstance(body, dict):
        return {}
    wrapper = method.removeprefix("taobao.").replace(".", "_") + "_response"
    inner = body.get(wrapper, body)
    return inner if isinstance(inner, dict) else {}


@attrs.frozen(kw_only=True)
class TaobaoSettings:
    """The settings of one Taobao shop on the Taobao Open Platform.

    Attributes:
        base_url: the gateway.
        app_key: the app's key from the TOP console.
        sign_method: ``md5``, ``hmac`` or ``hmac-sha256``.
        app_secret: the app's secret (a :class:`Secret`, or a string to wrap).
        session: the seller's session key from TOP's OAuth (a :class:`Secret` or a string).
        cid: the leaf category to list in (``taobao.itemcats.get``); a draft can set its own
            in ``extra["taobao"]["cid"]``.
        props: the category's key properties ``pid:vid;...``; or ``extra["taobao"]["props"]``.
        location: ``(state, city)`` to show; from the draft's origin when ``None``.
        locale: the draft text to list with.
        food_licence_no: the producer's food production licence number (食品生产许可证, SC),
            sent as ``food_security.prd_license_no``; processed food (cured meat, packaged
            food) needs one, and ``validate`` warns when it is missing.
    """

    base_url: str = TAOBAO_GATEWAY
    app_key: str
    sign_method: SignMethod = "hmac-sha256"
    app_secret: Secret = attrs.field(repr=False)
    session: Secret = attrs.field(repr=False)
    cid: int | None = attrs.field(default=None, repr=False)
    props: str = attrs.field(default="", repr=False)
    location: tuple[str, str] | None = attrs.field(default=None, repr=False)
    locale: str = attrs.field(default="zh-CN", repr=False)
    food_licence_no: str | None = attrs.field(default=None, repr=False)


@guard_answers
class TaobaoMarketplace(Driver[TaobaoSettings]):
    """Publishes to a Taobao shop through the Taobao Open Platform.

    Its settings are :class:`TaobaoSettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s.
    ``item.add`` is never repeated blindly (see :func:`create_once`); adapters with the same
    app key share one rate budget.
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
