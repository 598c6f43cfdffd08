"""The sandbox's public HTML pages: the active listings, one page per listing, lots' stories.

Pages are rendered with Jinja2 with autoescaping on, so every text from a draft is escaped;
links are only made of ``http``/``https`` URLs, and paths are percent-encoded.

Example:
    >>> page = index_page([("HEN-1", "<b>Silkie</b>")])
    >>> "&lt;b&gt;Silkie&lt;/b&gt;" in page, 'href="/listings/HEN-1"' in page
    (True, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import quote, urlsplit

import babel
import jinja2

from ruralseller.catalog import Money
from ruralseller.sandbox.resolver import LotStory, Step, Temperatures

__all__ = [
    "index_page",
    "listing_page",
    "listing_title",
    "lot_not_found_page",
    "lot_page",
    "lot_url",
    "not_found_page",
    "page_locale",
]

_BASE: Final = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - ruralseller sandbox</title>
<style>
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;
background:#f4f4f1;color:#222}
main{max-width:960px;margin:0 auto;padding:24px}
.gallery img{width:220px;height:220px;object-fit:contain;background:#fff;border:1px solid #ddd}
.price{font-size:24px;color:#c0392b;font-weight:600}
.per-mass{font-size:16px;color:#555;margin-left:8px}
.languages{float:right;font-size:14px}.languages a,.languages strong{margin-left:8px}
.details th{text-align:left;padding:2px 16px 2px 0;color:#555;font-weight:normal}
.story li{margin-bottom:16px}.note{color:#666;font-size:14px}
</style></head><body><main>{% block main %}{% endblock %}</main></body></html>
"""

_LISTING: Final = """{% extends "base" %}{% block main %}
<nav class="languages" aria-label="{{ t.languages }}">{% for code, name, current in languages %}
{% if current %}<strong aria-current="page">{{ name }}</strong>{% else %}
<a href="?lang={{ code | urlencode }}" hreflang="{{ code }}" lang="{{ code }}">{{ name }}</a>
{% endif %}{% endfor %}</nav>
<h1>{{ title }}</h1>
<div class="gallery">{% for src in images %}
<img src="{{ src }}" alt="{{ title }}">{% endfor %}</div>
<p class="offer" aria-label="{{ t.price }}"><span class="price">{{ price }}</span>
{% if per_mass %}<span class="per-mass">({{ per_mass }})</span>{% endif %}</p>
{% if description %}<section class="description"><h2>{{ t.description }}</h2>
{% for paragraph in description %}<p>{{ paragraph }}</p>
{% endfor %}</section>{% endif %}
{% if attributes %}<section class="details"><h2>{{ t.details }}</h2><table>
{% for label, value in attributes %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table></section>{% endif %}
{% if certifications %}<section class="certifications"><h2>{{ t.certifications }}</h2><ul>
{% for name in certifications %}<li>{{ name }}</li>{% endfor %}</ul></section>{% endif %}
{% if shipping %}<section class="shipping"><h2>{{ t.shipping }}</h2><ul>
<li>{{ t.temperature }}: {{ shipping.temperature }}</li>
{% if shipping.regions %}
<li>{{ t.delivers_to }}: {{ shipping.regions | join(", ") }}</li>{% endif %}
{% if shipping.days %}
<li>{{ t.dispatched_on }}: {{ shipping.days | join(", ") }}</li>{% endif %}
</ul></section>{% endif %}
<p class="stock">{{ t.stock }}: {{ stock }}</p>
{% if story_url %}
<p class="story"><a href="{{ story_url }}">{{ t.story }}</a></p>{% endif %}
{% if traceability_url %}
<p class="digital-link"><a href="{{ traceability_url }}" rel="nofollow">{{ t.digital_link }}</a></p>
{% endif %}
<p><a href="/">{{ t.all_listings }}</a></p>
{% endblock %}"""

# --- Buyer-page labels --------------------------------------------------------------------------
# Every word of the listing page that is ours (not the seller's), by language. Kept in this one
# table so the texts can move to the gettext catalogues with the other UI strings; a page in one
# language takes every label from that language's row, never from another.
_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {
        "languages": "语言",
        "price": "价格",
        "per_unit": "{price}/{unit}",
        "description": "商品描述",
        "details": "商品信息",
        "certifications": "认证",
        "shipping": "配送",
        "temperature": "运输温度",
        "delivers_to": "配送地区",
        "dispatched_on": "发货日",
        "stock": "库存",
        "story": "溯源: 这批货从农场到您手里的经过",
        "digital_link": "GS1 数字链接",
        "all_listings": "全部商品",
        "chilled": "冷藏 (0~4 °C)",
        "frozen": "冷冻 (-18 °C 以下)",
        "cool": "低温",
        "ambient": "常温",
    },
    "en": {
        "languages": "Language",
        "price": "Price",
        "per_unit": "{price} per {unit}",
        "description": "Description",
        "details": "Details",
        "certifications": "Certifications",
        "shipping": "Shipping",
        "temperature": "Travels",
        "delivers_to": "Delivers to",
        "dispatched_on": "Dispatched on",
        "stock": "In stock",
        "story": "The lot's story, from the farm to you",
        "digital_link": "GS1 Digital Link",
        "all_listings": "All listings",
        "chilled": "chilled (0-4 °C)",
        "frozen": "frozen (-18 °C or colder)",
        "cool": "cool",
        "ambient": "at room temperature",
    },
    "es": {
        "languages": "Idioma",
        "price": "Precio",
        "per_unit": "{price} por {unit}",
        "description": "Descripción",
        "details": "Características",
        "certifications": "Certificaciones",
        "shipping": "Envío",
        "temperature": "Transporte",
        "delivers_to": "Entrega en",
        "dispatched_on": "Se despacha los días",
        "stock": "Disponibles",
        "story": "La historia del lote, de la granja a tu mesa",
        "digital_link": "GS1 Digital Link",
        "all_listings": "Todos los productos",
        "chilled": "refrigerado (0-4 °C)",
        "frozen": "congelado (-18 °C o menos)",
        "cool": "fresco",
        "ambient": "a temperatura ambiente",
    },
    "pt": {
        "languages": "Idioma",
        "price": "Preço",
        "per_unit": "{price} por {unit}",
        "description": "Descrição",
        "details": "Características",
        "certifications": "Certificações",
        "shipping": "Entrega",
        "temperature": "Transporte",
        "delivers_to": "Entrega em",
        "dispatched_on": "Despachado às",
        "stock": "Em estoque",
        "story": "A história do lote, da granja até você",
        "digital_link": "GS1 Digital Link",
        "all_listings": "Todos os produtos",
        "chilled": "refrigerado (0-4 °C)",
        "frozen": "congelado (-18 °C ou menos)",
        "cool": "fresco",
        "ambient": "em temperatura ambiente",
    },
}
# -------------------------------------------------------------------------------------------------


_INDEX: Final = """{% extends "base" %}{% block main %}
<h1>{{ title }}</h1>
{% if listings %}<ul>{% for href, name in listings %}
<li><a href="{{ href }}">{{ name }}</a></li>{% endfor %}</ul>
{% else %}<p>No listing is active yet.</p>{% endif %}
{% endblock %}"""

_NOT_FOUND: Final = """{% extends "base" %}{% block main %}
<h1>{{ title }}</h1><p>No active listing has the SKU {{ sku }}.</p>
<p><a href="/">All listings</a></p>
{% endblock %}"""

_LOT: Final = """{% extends "base" %}{% block main %}
<h1>{{ title }}</h1>
<p class="ids">批次 Lot {{ lot }} · GTIN {{ gtin }}</p>
{% if farm %}<p class="farm">养殖场 Farm: {{ farm }}</p>{% endif %}
{% if origin %}<p class="origin">产地 Origin: {{ origin }}</p>{% endif %}
{% if listings %}<p class="on-sale">在售 On sale:{% for href, name in listings %}
<a href="{{ href }}">{{ name }}</a>{% endfor %}</p>{% endif %}
{% if steps %}<ol class="story">{% for step in steps %}
<li><h2>{{ step.zh }} {{ step.en }}</h2>
<p class="when"><time datetime="{{ step.iso }}">{{ step.when }}</time></p>
{% if step.place %}<p class="where">地点 Place: {{ step.place }}</p>{% endif %}
{% if step.details %}<ul>{% for zh, en, value in step.details %}
<li>{{ zh }} {{ en }}: {{ value }}</li>{% endfor %}</ul>{% endif %}
{% if step.temperatures %}{% set t = step.temperatures %}<p class="temperatures">
温度 Temperature: 最低 min {{ t.coldest }}, 最高 max {{ t.warmest }}
({{ t.count }} 次读数 readings, {{ t.first }} – {{ t.last }})</p>
{% if t.alarm %}<p class="alarm">超出限值时长 Time outside the limit: {{ t.alarm }}</p>{% endif %}
{% if t.simulated %}<p class="simulated">模拟值，非实测 Simulated by the cold-chain model for the
planned shipment, not measured by a logger.</p>{% endif %}{% endif %}
</li>{% endfor %}</ol>{% endif %}
<p class="note">本页由沙盒市场根据已采集的 GS1 EPCIS 事件生成。
This page is made from the GS1 EPCIS events captured by the sandbox marketplace.</p>
<p><a href="/">All listings</a></p>
{% endblock %}"""

_LOT_NOT_FOUND: Final = """{% extends "base" %}{% block main %}
<h1>{{ title }}</h1>
<p>{{ path }}</p><p>{{ reason }}</p>
<p><a href="/">All listings</a></p>
{% endblock %}"""

_ENV: Final = jinja2.Environment(
    loader=jinja2.DictLoader(
        {
            "base": _BASE,
            "listing": _LISTING,
            "index": _INDEX,
            "not_found": _NOT_FOUND,
            "lot": _LOT,
            "lot_not_found": _LOT_NOT_FOUND,
        }
    ),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _first_text(draft: Mapping[str, Any]) -> Mapping[str, Any]:
    texts = draft.get("texts") or {}
    return next(iter(texts.values()), {})


def _web_url(url: object) -> str | None:
    if not isinstance(url, str):
        return None
    return url if urlsplit(url).scheme in {"http", "https"} else None


def _language(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].lower()


def page_locale(draft: Mapping[str, Any], wanted: str | None = None) -> str:
    """The locale of the draft's texts a page is shown in: ``wanted`` if the draft has it.

    ``wanted`` matches a locale of the draft exactly, or by its language (``zh`` shows
    ``zh-CN``); otherwise, or when it is None, the draft's first locale (the seller's own).

    Example:
        >>> draft = {"texts": {"zh-CN": {}, "en": {}}}
        >>> [page_locale(draft, wanted) for wanted in (None, "EN", "zh", "fr")]
        ['zh-CN', 'en', 'zh-CN', 'zh-CN']
    """
    locales = [str(locale) for locale in draft.get("texts") or {}]
    if not locales:
        return "en"
    if wanted:
        folded = wanted.strip().replace("_", "-").lower()
        for locale in locales:
            if locale.lower() == folded:
                return locale
        for locale in locales:
            if _language(locale) == _language(folded):
                return locale
    return locales[0]


def _labels(locale: str) -> Mapping[str, str]:
    return _LABELS.get(_language(locale), _LABELS["en"])


def _babel(locale: str) -> babel.Locale:
    try:
        return babel.Locale.parse(locale, sep="-")
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


def _language_name(locale: str) -> str:
    name = _babel(locale).get_language_name() or locale
    return name[:1].upper() + name[1:]


def _split_price(text: str) -> tuple[str, str | None]:
    """A listing's price text as (unit price, what is in its closing brackets).

    ``¥100.80/只 (¥36.00/斤, 按 1.4 kg 计价)`` is the price of one unit, then the price by
    weight and how it is charged in brackets (as the listing stage writes it).
    """
    if not text.endswith(")"):
        return text, None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            head = text[:index].rstrip()
            return (head, text[index + 1 : -1]) if head else (text, None)
    return text, None


def _price(
    draft: Mapping[str, Any], text: Mapping[str, Any], price: Money, locale: str
) -> tuple[str, str | None]:
    """The unit price and the price by weight, once each, in the page's language."""
    price_text = str(text.get("price_text") or "")
    if price_text and draft.get("price") == f"{price.amount} {price.currency}":
        return _split_price(price_text)
    # The price was changed after the draft (an inventory update): the draft's own text
    # would be wrong, so say the new unit price alone.
    words = (draft.get("unit") or {}).get("measure_words") or {}
    unit = words.get(locale) or words.get(_language(locale)) or draft.get("sale_unit") or ""
    amount = price.format(str(_babel(locale)))
    return (_labels(locale)["per_unit"].format(price=amount, unit=unit) if unit else amount), None


def _description(text: Mapping[str, Any], shown: Sequence[tuple[str, str]]) -> list[str]:
    """The description's paragraphs, less the lines the page shows as details or price.

    A listing's description repeats its attributes (``品种: …``) and price for marketplaces
    that have no place for them; this page has, so each is shown once.
    """
    price_text = str(text.get("price_text") or "")
    repeated = [f"{label}: {value}" for label, value in shown]
    paragraphs = []
    for line in str(text.get("description") or "").splitlines():
        line = line.strip()  # noqa: PLW2901 - the same line, trimmed
        if not line or any(line.startswith(row) for row in repeated):
            continue
        if price_text and price_text in line:
            continue
        paragraphs.append(line)
    return paragraphs


def _days(days: Sequence[str], locale: str) -> list[str]:
    names = _babel(locale).days["format"]["abbreviated"]
    order = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return [str(names[order.index(day)]) if day in order else day for day in days]


def _shipping(shipping: object, locale: str) -> dict[str, Any] | None:
    if not isinstance(shipping, Mapping):
        return None
    labels = _labels(locale)
    temperature = str(shipping.get("temperature_class", ""))
    return {
        "temperature": labels.get(temperature, temperature),
        "regions": [str(region) for region in shipping.get("regions") or ()],
        "days": _days([str(day) for day in shipping.get("dispatch_days") or ()], locale),
    }


def listing_page(  # noqa: PLR0913 - what the page shows, keyword flags after
    draft: Mapping[str, Any],
    price: Money,
    stock: int,
    images: Sequence[str],
    story_url: str | None = None,
    *,
    lang: str | None = None,
) -> str:
    """The public page of an active listing, in one language of the draft.

    The page shows the draft's texts in one locale (:func:`page_locale` of ``lang``) with
    links to the others, and every label in that language: the title, the pictures, the
    unit price and the price by weight once, the description, the details, the
    certifications, the shipping promise, the stock and the lot's story.

    Args:
        draft: the draft data as stored.
        price: the listing's price now (it may differ from the draft's after an update).
        stock: the pieces in stock.
        images: the uploaded picture names, main picture first.
        story_url: the sandbox's page of the lot's story (:func:`lot_url`), if it has one.
        lang: the locale the buyer asked for (``?lang=en``); the draft's first if None.
    """
    locale = page_locale(draft, lang)
    texts = draft.get("texts") or {}
    text: Mapping[str, Any] = texts.get(locale) or {}
    rows = [
        (str(a.get("key", "")), str(a.get("label", a.get("key", ""))), str(a.get("value")))
        for a in text.get("attributes", ())
        if isinstance(a, Mapping) and a.get("value")
    ]
    attributes = [(label, value) for key, label, value in rows if key != "certifications"]
    certified = [value for key, _, value in rows if key == "certifications"] or [
        str(name) for name in draft.get("certifications") or ()
    ]
    shown = [(label, value) for _, label, value in rows]
    unit_price, per_mass = _price(draft, text, price, locale)
    sku = str(draft.get("sku", ""))
    return _ENV.get_template("listing").render(
        lang=locale,
        t=_labels(locale),
        languages=[(code, _language_name(code), code == locale) for code in texts],
        title=text.get("title", sku),
        price=unit_price,
        per_mass=per_mass,
        description=_description(text, shown),
        attributes=attributes,
        certifications=certified,
        images=[f"/images/{quote(sku, safe='')}/{quote(name, safe='')}" for name in images],
        shipping=_shipping(draft.get("shipping"), locale),
        stock=stock,
        traceability_url=_web_url(draft.get("traceability_url")),
        story_url=story_url,
    )


def index_page(listings: Sequence[tuple[str, str]]) -> str:
    """The list of active listings, as (SKU, title) pairs."""
    links = [(f"/listings/{quote(sku, safe='')}", title) for sku, title in listings]
    return _ENV.get_template("index").render(lang="en", title="Sandbox marketplace", listings=links)


def not_found_page(sku: str) -> str:
    """The page for a SKU with no active listing."""
    return _ENV.get_template("not_found").render(lang="en", title="Not found", sku=sku)


def listing_title(draft: Mapping[str, Any]) -> str:
    """The title of a draft in its first locale (the SKU if it has no text)."""
    return str(_first_text(draft).get("title", draft.get("sku", "")))


def lot_url(gtin: str, lot: str) -> str:
    """The path of a lot's story in the sandbox, its GS1 Digital Link path.

    Example:
        >>> lot_url("99526000160017", "A/1")
        '/01/99526000160017/10/A%2F1'
    """
    return f"/01/{gtin}/10/{quote(lot, safe='')}"


def _when(time: dt.datetime) -> str:
    offset = time.strftime("%z")
    return f"{time:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:]}"


def _duration(span: dt.timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def _temperatures(summary: Temperatures) -> dict[str, Any]:
    return {
        "coldest": f"{summary.coldest:.1f} °C",
        "warmest": f"{summary.warmest:.1f} °C",
        "count": summary.count,
        "first": _when(summary.first),
        "last": _when(summary.last),
        "alarm": None if summary.alarm is None else _duration(summary.alarm),
        "simulated": summary.simulated,
    }


def _step(step: Step) -> dict[str, Any]:
    return {
        "zh": step.title[0],
        "en": step.title[1],
        "iso": step.time.isoformat(),
        "when": _when(step.time),
        "place": step.place,
        "details": step.details,
        "temperatures": None if step.temperatures is None else _temperatures(step.temperatures),
    }


def lot_page(story: LotStory, listings: Sequence[tuple[str, str]] = ()) -> str:
    """The page of a lot's story, from the farm to the buyer.

    Args:
        story: the lot's story (:func:`~ruralseller.sandbox.resolver.lot_story`).
        listings: the active listings of the lot, as (SKU, title) pairs.
    """
    return _ENV.get_template("lot").render(
        lang="zh-CN",
        title=f"溯源 The story of lot {story.lot}",
        gtin=story.gtin,
        lot=story.lot,
        farm=story.farm,
        origin=story.origin,
        listings=[(f"/listings/{quote(sku, safe='')}", title) for sku, title in listings],
        steps=[_step(step) for step in story.steps],
    )


def lot_not_found_page(path: str, reason: str) -> str:
    """The page for a Digital Link the sandbox has no story for, saying why."""
    return _ENV.get_template("lot_not_found").render(
        lang="zh-CN", title="没有记录 Not found", path=path, reason=reason
    )
