"""What is sent to Taobao, as pure functions of a draft."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.listing import (
    ListingDraft,
)
from ruralseller.marketplaces.taobao.constants import (
    _DIRECT_CONTROLLED,
    _PROVINCE_SUFFIXES,
)

__all__ = [
    "FOOD_SECURITY_KEYS",
    "food_security_params",
    "item_add_params",
    "item_location",
    "item_update_params",
]

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

    >>> import datetime as dt

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

    >>> import datetime as dt

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
        >>> import datetime as dt
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> params = item_add_params(draft, cid=50050359)
        >>> params["price"]  # one bird: 36.00 CNY per jin x 2.8 jin, the lot's heaviest bird
        '100.80'
        >>> {k: params[k] for k in ("method", "title", "price", "num", "outer_id", "type")}
        {'method': 'taobao.item.add', 'title': '泰和乌鸡 整只 冰鲜 1-1.4 kg/只', \
'price': '100.80', 'num': '40', 'outer_id': 'WJ261120A', 'type': 'fixed'}

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
