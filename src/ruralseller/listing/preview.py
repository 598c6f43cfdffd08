"""A self-contained HTML page of a listing draft, for the partner to look at before publishing.

The page embeds its pictures (no links to local files), escapes every text it shows, and
lists the problems a marketplace profile found, so a partner can check a listing with a
double-click.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.listing import generate_listing
    >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))
    >>> page = render_preview(draft)
    >>> page.startswith("<!doctype html>"), "泰和乌鸡 整只 冰鲜" in page
    (True, True)
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from ruralseller.listing.draft import ListingDraft

__all__ = ["render_preview"]

_STYLE = """
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",
sans-serif;margin:0;background:#f4f4f1;color:#222}
main{max-width:960px;margin:0 auto;padding:24px}
.card{background:#fff;border-radius:10px;padding:20px;margin:0 0 20px;box-shadow:0 1px 3px #0002}
.gallery{display:flex;gap:10px;flex-wrap:wrap}
.gallery img{width:220px;height:220px;object-fit:contain;background:#fff;border:1px solid #ddd}
h1{font-size:22px;margin:0 0 8px}.price{font-size:24px;color:#c0392b;font-weight:600}
table.attributes{border-collapse:collapse;margin:10px 0}
table.attributes th{text-align:left;padding:4px 12px 4px 0;color:#666;font-weight:500}
.issues li.error{color:#a31515}.issues li.warning{color:#8a6d00}.ok{color:#2e7d32}
.locale{font-size:12px;color:#888;text-transform:uppercase;letter-spacing:.05em}
"""


def _image(data: bytes, mime: str, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img src="data:{escape(mime)};base64,{encoded}" alt="{escape(alt)}">'


def render_preview(
    draft: ListingDraft,
    *,
    locales: Sequence[str] | None = None,
    images: Sequence[tuple[bytes, str]] = (),
    issues: Sequence[tuple[str, str, str]] = (),
    title: str = "",
) -> str:
    """The listing draft as one HTML page.

    Args:
        draft: the draft.
        locales: the locales to show (all of the draft's when None).
        images: the processed pictures as (bytes, MIME type), main picture first.
        issues: problems to list, as (severity, field, message with its fix).
        title: the page title (the SKU when empty).
    """
    sections = []
    for locale in locales or draft.locales:
        text = draft.text(locale)
        bullets = "".join(f"<li>{escape(line)}</li>" for line in text.bullets)
        sections.append(
            f'<section class="card"><div class="locale">{escape(locale)}</div>'
            f"<h1>{escape(text.title)}</h1>"
            f'<div class="price">{escape(text.price_text)}</div>'
            f"<ul>{bullets}</ul>"
            # description_html comes from templates that escape every value.
            f"<div>{text.description_html}</div></section>"
        )
    gallery = "".join(
        _image(data, mime, f"{draft.sku} picture {number}")
        for number, (data, mime) in enumerate(images, start=1)
    )
    if issues:
        items = "".join(
            f'<li class="{escape(severity)}"><b>{escape(field)}</b>: {escape(message)}</li>'
            for severity, field, message in issues
        )
        verdict = f'<ul class="issues">{items}</ul>'
    else:
        verdict = '<p class="ok">No problems found for this marketplace.</p>'
    compliance = (
        "not checked"
        if draft.compliance_ok is None
        else (
            "nothing blocks"
            if draft.compliance_ok
            else "blocked: " + ", ".join(draft.compliance_findings)
        )
    )
    facts = [
        ("SKU", draft.sku),
        ("GTIN", draft.gtin or "-"),
        ("stock", str(draft.stock)),
        ("per order", f"{draft.min_order}-{draft.max_order or '∞'}"),
        ("compliance", compliance),
    ]
    if draft.traceability_url:
        facts.append(("traceability", draft.traceability_url))
    if draft.shipping is not None:
        facts.append(("ships to", ", ".join(draft.shipping.regions) or "-"))
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    page_title = escape(title or f"Listing preview: {draft.sku}")
    return (
        "<!doctype html>\n"
        f'<html><head><meta charset="utf-8"><title>{page_title}</title>'
        f"<style>{_STYLE}</style></head><body><main>"
        f'<section class="card"><div class="gallery">{gallery}</div></section>'
        + "".join(sections)
        + f'<section class="card"><table class="attributes">{rows}</table>{verdict}</section>'
        "</main></body></html>\n"
    )
