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

import jinja2

from ruralseller.sandbox.resolver import LotStory, Step, Temperatures

__all__ = [
    "index_page",
    "listing_page",
    "listing_title",
    "lot_not_found_page",
    "lot_page",
    "lot_url",
    "not_found_page",
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
.story li{margin-bottom:16px}.note{color:#666;font-size:14px}
</style></head><body><main>{% block main %}{% endblock %}</main></body></html>
"""

_LISTING: Final = """{% extends "base" %}{% block main %}
<h1>{{ title }}</h1>
<p class="price">{{ price }}{% if sale_unit %} / {{ sale_unit }}{% endif %}</p>
{% if price_text %}<p class="price-text">{{ price_text }}</p>{% endif %}
<div class="gallery">{% for src in images %}
<img src="{{ src }}" alt="{{ title }}">{% endfor %}</div>
{% if origin %}<p class="origin">Origin: {{ origin }}</p>{% endif %}
{% if shipping %}<section class="shipping"><h2>Shipping</h2><ul>
<li>Temperature: {{ shipping.temperature_class }}</li>
{% if shipping.regions %}
<li>Delivers to: {{ shipping.regions | join(", ") }}</li>{% endif %}
{% if shipping.dispatch_days %}
<li>Dispatched on: {{ shipping.dispatch_days | join(", ") }}</li>{% endif %}
</ul></section>{% endif %}
<p class="stock">In stock: {{ stock }}</p>
{% if traceability_url %}
<p><a href="{{ traceability_url }}" rel="nofollow">Where it comes from</a></p>{% endif %}
{% if story_url %}
<p><a href="{{ story_url }}">溯源 The lot's story</a></p>{% endif %}
<p><a href="/">All listings</a></p>
{% endblock %}"""

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


def listing_page(
    draft: Mapping[str, Any],
    price: str,
    stock: int,
    images: Sequence[str],
    story_url: str | None = None,
) -> str:
    """The public page of an active listing.

    Args:
        draft: the draft data as stored.
        price: the price with its currency, e.g. ``36.00 CNY``.
        stock: the pieces in stock.
        images: the uploaded picture names, main picture first.
        story_url: the sandbox's page of the lot's story (:func:`lot_url`), if it has one.
    """
    text = _first_text(draft)
    origin = next(
        (a.get("value") for a in text.get("attributes", ()) if a.get("key") == "origin"), None
    )
    sku = str(draft.get("sku", ""))
    return _ENV.get_template("listing").render(
        lang=text.get("locale", "en"),
        title=text.get("title", sku),
        price=price,
        sale_unit=draft.get("sale_unit", ""),
        price_text=text.get("price_text", ""),
        images=[f"/images/{quote(sku, safe='')}/{quote(name, safe='')}" for name in images],
        origin=origin,
        shipping=draft.get("shipping"),
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
