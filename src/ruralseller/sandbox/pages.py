"""The sandbox's public HTML pages: the active listings and one page per listing.

Pages are rendered with Jinja2 with autoescaping on, so every text from a draft is escaped;
links are only made of ``http``/``https`` URLs, and paths are percent-encoded.

Example:
    >>> page = index_page([("HEN-1", "<b>Silkie</b>")])
    >>> "&lt;b&gt;Silkie&lt;/b&gt;" in page, 'href="/listings/HEN-1"' in page
    (True, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import quote, urlsplit

import jinja2

__all__ = ["index_page", "listing_page", "listing_title", "not_found_page"]

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

_ENV: Final = jinja2.Environment(
    loader=jinja2.DictLoader(
        {"base": _BASE, "listing": _LISTING, "index": _INDEX, "not_found": _NOT_FOUND}
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


def listing_page(draft: Mapping[str, Any], price: str, stock: int, images: Sequence[str]) -> str:
    """The public page of an active listing.

    Args:
        draft: the draft data as stored.
        price: the price with its currency, e.g. ``36.00 CNY``.
        stock: the pieces in stock.
        images: the uploaded picture names, main picture first.
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
