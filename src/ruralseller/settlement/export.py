"""A statement as CSV (for a spreadsheet) and a one-page PDF (for the farmer), zh and en.

The PDF is drawn with Pillow on an A4 page at 150 dpi, with a font that has every
character on the page (the labels' fonts: Noto Sans CJK from the ``labels`` extra, or a
system CJK font; see :func:`ruralseller.packaging.font_for`). Headings are bilingual; names
stay as the catalogue writes them.

Example:
    >>> import io
    >>> from ruralseller.catalog import Money
    >>> from ruralseller.settlement import Period, Statement
    >>> empty = Statement(producer="wu", producer_name="吴家", period=Period.month("2026-11"),
    ...     currency="CNY", lines=())
    >>> print(statement_csv(empty).splitlines()[0])
    order,day,marketplace,sku,lots,quantity,currency,gross,refund,net,fee,shipping,packaging,commission,owed
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ruralseller.errors import InvalidValueError
from ruralseller.packaging.label import font_for
from ruralseller.settlement.statement import COLUMNS, Statement

__all__ = ["STATEMENT_DPI", "render_statement", "save_statement", "statement_csv"]

#: The resolution of the PDF page.
STATEMENT_DPI = 150
_A4_MM = (210, 297)

_HEADINGS = {
    "gross": "销售额 Gross",
    "refund": "退款 Refunds",
    "net": "净额 Net",
    "fee": "平台费 Fees",
    "shipping": "运费 Shipping",
    "packaging": "包装 Packaging",
    "commission": "佣金 Commission",
    "owed": "应付农户 Owed",
}


def statement_csv(statement: Statement) -> str:
    """The statement as CSV: one row per order, then a ``total`` row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["order", "day", "marketplace", "sku", "lots", "quantity", "currency", *COLUMNS]
    writer.writerow(head)
    for line in statement.lines:
        writer.writerow(
            [
                line.order,
                line.day.isoformat(),
                line.marketplace,
                line.sku,
                " ".join(line.lots),
                line.quantity,
                statement.currency,
                *(str(getattr(line, column).amount) for column in COLUMNS),
            ]
        )
    quantity = sum(line.quantity for line in statement.lines)
    totals = [str(statement.total(column).amount) for column in COLUMNS]
    writer.writerow(["total", "", "", "", "", quantity, statement.currency, *totals])
    return out.getvalue()


def _px(mm: float) -> int:
    return round(mm / 25.4 * STATEMENT_DPI)


def _face(path: Path) -> int:
    # Noto Sans CJK collections hold several faces; face 2 is Simplified Chinese.
    return 2 if "CJK" in path.name and path.suffix.lower() in (".ttc", ".otc") else 0


def _page_text(statement: Statement) -> list[tuple[str, int, bool]]:
    """(text, size in points, bold?) rows of the page, top to bottom."""
    shown = statement.lines[:30]
    more = len(statement.lines) - len(shown)
    return [
        ("结算单 Statement", 16, True),
        (f"{statement.producer_name} ({statement.producer})", 11, False),
        (f"期间 Period: {statement.period}    币种 Currency: {statement.currency}", 9, False),
        ("", 6, False),
        *(
            (f"{_HEADINGS[column]}: {statement.total(column).amount}", 10, column == "owed")
            for column in COLUMNS
        ),
        ("", 6, False),
        (f"订单 Orders: {len(statement.lines)}", 9, True),
        *(
            (
                (
                    f"{line.day}  {line.order}  {line.sku} × {line.quantity}  "
                    f"{line.gross.amount} → {line.owed.amount}"
                ),
                7,
                False,
            )
            for line in shown
        ),
        *([(f"… {more} more in the CSV 其余见 CSV", 7, False)] if more else []),
        ("", 6, False),
        *((note, 6, False) for note in statement.fee_notes),
    ]


def render_statement(statement: Statement) -> Image.Image:
    """The statement on one A4 page (an RGB image at :data:`STATEMENT_DPI`)."""
    rows = _page_text(statement)
    font_path = font_for("".join(text for text, _, _ in rows))
    page = Image.new("RGB", (_px(_A4_MM[0]), _px(_A4_MM[1])), "white")
    draw = ImageDraw.Draw(page)
    margin, y = _px(15), _px(15)
    width = page.width - 2 * margin
    for text, points, bold in rows:
        size = round(points / 72 * STATEMENT_DPI)
        font = ImageFont.truetype(str(font_path), size, index=_face(font_path))
        for piece in _wrap(draw, text, font, width):
            if y + size > page.height - margin:
                raise InvalidValueError(
                    "the statement does not fit on one page",
                    hint="shorten the fee notes, or read every order in the CSV",
                )
            draw.text((margin, y), piece, fill="black", font=font, stroke_width=1 if bold else 0)
            y += round(size * 1.35)
    return page


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    if not text:
        return [""]
    lines, current = [], ""
    for char in text:
        if draw.textlength(current + char, font=font) > width and current:
            lines.append(current)
            current = char
        else:
            current += char
    return [*lines, current]


def save_statement(statement: Statement, folder: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``<producer>-<start>-<currency>.csv`` and ``.pdf`` into ``folder``; their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{statement.producer}-{statement.period.start:%Y-%m}-{statement.currency}"
    csv_path, pdf_path = out / f"{stem}.csv", out / f"{stem}.pdf"
    csv_path.write_text(statement_csv(statement), encoding="utf-8")
    render_statement(statement).save(pdf_path, "PDF", resolution=STATEMENT_DPI)
    return csv_path, pdf_path
