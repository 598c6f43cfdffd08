"""The commitment certificate (承诺达标合格证) of a lot, printed as the farmer hands it over.

The certificate follows the official layout: the title, the three commitments (no banned
pesticides, veterinary drugs or other compounds; residues of the permitted ones within the
limits; the producer answers for the truth of it), the four boxes of what the commitment
rests on (commissioned test, self-test, internal quality control, own commitment) with the
lot's ticked, then the product, its quantity or weight, the origin, the producer, the
contact and the day it was issued, and a QR code that opens the lot's story (its GS1 Digital
Link). The records that back it are listed in small type underneath.

It is printed in Chinese, as the official form is, on an A6 sheet (148 × 105 mm) as a PNG
image or a one-page PDF. Text is drawn with the same fonts as package labels
(:data:`~ruralseller.packaging.FONT_ENV_VAR`, else an installed CJK font).

Example:
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> content = lot_certificate(load_catalog(sample_path()), "WE261118")
    >>> content.product, content.quantity, content.issued_on.isoformat()
    ('泰和乌鸡蛋 30枚装', '20 盒 (约 25 kg)', '2026-11-18')
    >>> content.story_url
    'https://id.gs1.org/01/09526000160021/10/WE261118'
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import attrs
from PIL import Image, ImageDraw, ImageFont

from ruralseller.catalog import (
    Catalog,
    CommitmentBasis,
    Gs1Data,
    Lot,
    QualityRecord,
)
from ruralseller.errors import InvalidValueError
from ruralseller.packaging.label import DEFAULT_DIGITAL_LINK_BASE
from ruralseller.packaging.label import _find_font as find_font  # same fonts as labels

__all__ = [
    "CERTIFICATE_SIZE_MM",
    "COMMITMENTS",
    "CertificateContent",
    "lot_certificate",
    "render_certificate",
    "save_certificate",
]

CERTIFICATE_SIZE_MM: Final = (148.0, 105.0)
"""Width and height of the printed certificate: A6, landscape."""

TITLE: Final = "承诺达标合格证"
COMMITMENTS: Final = (
    "不使用禁用农药兽药及其他化合物",
    "常规农药兽药残留不超标",
    "对承诺的真实性负责",
)
"""The commitments every certificate makes (农产品质量安全承诺达标合格证管理办法 Art. 2)."""

# The four boxes, in the order the official form prints them.
_BASIS_BOXES: Final = (
    (CommitmentBasis.COMMISSIONED_TEST, "委托检测"),
    (CommitmentBasis.SELF_TEST, "自我检测"),
    (CommitmentBasis.INTERNAL_QUALITY_CONTROL, "内部质量控制"),
    (CommitmentBasis.OWN_COMMITMENT, "自我承诺"),
)
_COUNT_NOUN = {"poultry_meat": "只", "live_birds": "只", "shell_eggs": "盒"}
_MM_PER_INCH = 25.4
_DPI_RANGE = (150, 600)
_MARGIN_MM = 6.0
_TITLE_MM = 7.0
_BODY_MM = 3.6
_MIN_BODY_MM = 2.6
_SMALL_RATIO = 0.8
_QR_MM = 30.0
_LINE = 1.35
_NO_LINE_START = frozenset("、，。：；！？）,.:;!?)")


@attrs.frozen(kw_only=True)
class CertificateContent:
    """What one commitment certificate says.

    Attributes:
        product: the product's name.
        quantity: the quantity or weight, as printed (e.g. ``40 只 (约 40-56 kg)``).
        producer: the producer's name.
        contact: the producer's contact, if any.
        origin: where the produce comes from (province to village).
        issued_on: the day the certificate was issued.
        basis: what the commitment rests on.
        number: the certificate's number, if it has one.
        records: one line per record that backs it.
        story_url: where the QR code leads: the lot's story.
        lot: the lot code.
    """

    product: str
    quantity: str
    producer: str
    contact: str | None
    origin: str
    issued_on: dt.date
    basis: tuple[CommitmentBasis, ...]
    number: str | None = None
    records: tuple[str, ...] = ()
    story_url: str
    lot: str

    def fields(self) -> tuple[tuple[str, str], ...]:
        """The form's fields in order, as (heading, text)."""
        return (
            ("产品名称", self.product),
            ("数量(重量)", self.quantity),
            ("产地", self.origin),
            ("生产者", self.producer),
            ("联系方式", self.contact or ""),
            ("开具日期", self.issued_on.isoformat()),
            ("批次", self.lot),
        )

    def text(self) -> str:
        """Every character the certificate prints (to choose a font)."""
        parts = [TITLE, "我承诺对生产销售的食用农产品:", "承诺依据:", "编号", "扫码查看产品信息"]
        parts += list(COMMITMENTS) + [label for _, label in _BASIS_BOXES]
        parts += [f"{heading}: {text}" for heading, text in self.fields()]
        parts += [*self.records, self.number or ""]
        return "".join(parts)


def _quantity(lot: Lot, kind: str) -> str:
    quantity = lot.quantity
    parts = []
    if quantity.count is not None:
        parts.append(f"{quantity.count} {_COUNT_NOUN.get(kind, '件')}")
    weight = None
    if quantity.net_mass is not None:
        weight = str(quantity.net_mass)
    else:
        span = quantity.mass_range()
        if span is not None:
            low, high = span
            weight = str(low) if low == high else f"{low} - {high}"
    if weight and parts:
        return f"{parts[0]} (约 {weight})"
    return weight or (parts[0] if parts else "")


def _record_line(record: QualityRecord) -> str:
    label = dict(_BASIS_BOXES)[record.kind]
    who = f", {record.by}" if record.by else ""
    items = f" {'、'.join(record.items)}" if record.items else ""
    result = f": {record.result}" if record.result else ""
    return f"{label} {record.reference} ({record.on.isoformat()}{who}){items}{result}"


def lot_certificate(
    catalog: Catalog,
    lot_id: str,
    *,
    digital_link_base: str = DEFAULT_DIGITAL_LINK_BASE,
    story_url: str | None = None,
) -> CertificateContent:
    """The commitment certificate of lot ``lot_id``, from its record in the catalogue.

    Args:
        catalog: the catalogue.
        lot_id: the lot.
        digital_link_base: the GS1 Digital Link resolver the QR code points to.
        story_url: where the QR code leads instead of the lot's Digital Link.

    Raises:
        InvalidValueError: when the lot has no certificate record (the hint says how to
            add one), or no ``story_url`` is given and the product has no GTIN.
        NotInCatalogError: when the lot is not in the catalogue.
    """
    lot = catalog.lot(lot_id)
    product = catalog.product_of(lot)
    producer = catalog.producer_of(lot)
    certificate = lot.certificate
    position = catalog.position("lots", lot.id)
    if certificate is None:
        raise InvalidValueError(
            f"lot {lot.id} has no commitment certificate record",
            field=f"lots[{position}].certificate",
            hint="add [lots.certificate] with issued_on and basis (self_test, "
            "commissioned_test, internal_quality_control or own_commitment) to the lot, and "
            "the records it rests on as [[lots.certificate.records]]",
        )
    if story_url is None:
        if product.gtin is None:
            raise InvalidValueError(
                f"{product.name} has no GTIN, so the QR code has no Digital Link to lead to",
                field="gtin",
                hint='add gtin = "..." to the product, or give the story URL '
                "(--story-url on the command line)",
            )
        story_url = Gs1Data(product.gtin, lot=lot.id).digital_link(digital_link_base)
    place = producer.place
    return CertificateContent(
        product=product.name,
        quantity=_quantity(lot, product.kind),
        producer=certificate.issued_by or producer.name,
        contact=producer.contact,
        origin="".join(place.divisions) or place.country_name("zh"),
        issued_on=certificate.issued_on,
        basis=certificate.basis,
        number=certificate.number,
        records=tuple(_record_line(record) for record in certificate.records),
        story_url=story_url,
        lot=lot.id,
    )


# --- drawing ---------------------------------------------------------------------------------


@attrs.frozen
class _Page:
    dpi: int

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / _MM_PER_INCH)

    @property
    def size(self) -> tuple[int, int]:
        width, height = CERTIFICATE_SIZE_MM
        return self.px(width), self.px(height)


def _check_dpi(dpi: object) -> None:
    low, high = _DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not low <= dpi <= high:
        raise InvalidValueError(
            f"dpi {dpi!r} is not a printing resolution",
            field="dpi",
            hint=f"use 300 (an office printer); a whole number from {low} to {high}",
        )


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> Iterator[str]:
    """Split ``text`` into lines no wider than ``width`` (character by character, as CJK)."""
    line = ""
    for char in text:
        # Punctuation never starts a line (it stays on the line it ends, a little over).
        if font.getlength(line + char) > width and line and char not in _NO_LINE_START:
            yield line
            line = char.lstrip()
        else:
            line += char
    yield line


def _box(draw: ImageDraw.ImageDraw, x: int, y: int, size: int, *, ticked: bool) -> None:
    stroke = max(2, size // 10)
    draw.rectangle((x, y, x + size, y + size), outline=0, width=stroke)
    if ticked:
        draw.line(
            [(x + size * 0.2, y + size * 0.55), (x + size * 0.42, y + size * 0.8)],
            fill=0,
            width=stroke + 1,
        )
        draw.line(
            [(x + size * 0.42, y + size * 0.8), (x + size * 0.85, y + size * 0.2)],
            fill=0,
            width=stroke + 1,
        )


def _draw_qr(image: Image.Image, page: _Page, url: str) -> tuple[int, int, int]:
    """Draw the QR code at the bottom right; return its left, top and bottom."""
    try:
        import segno  # noqa: PLC0415 - only labels and certificates need it
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "certificates need segno: pip install 'ruralseller[labels]'"
        ) from error
    qr = segno.make_qr(url, error="m")
    modules = int(qr.symbol_size(border=4)[0])
    scale = max(1, page.px(_QR_MM) // modules)
    side = modules * scale
    width, height = page.size
    left = width - page.px(_MARGIN_MM) - side
    top = height - page.px(_MARGIN_MM) - side - page.px(_BODY_MM * 1.6)
    for row, cells in enumerate(qr.matrix_iter(border=4)):
        for column, dark in enumerate(cells):
            if dark:
                x, y = left + column * scale, top + row * scale
                image.paste(0, (x, y, x + scale, y + scale))
    return left, top, top + side


@attrs.define
class _Pen:
    """Writes lines down the sheet, or only measures them (``dry_run``)."""

    draw: ImageDraw.ImageDraw
    page: _Page
    fonts: Any
    body_mm: float
    qr_left: int
    dry_run: bool
    y: int = 0

    def font(self, mm: float) -> ImageFont.FreeTypeFont:
        font: ImageFont.FreeTypeFont = self.fonts.at(self.page.px(mm))
        return font

    @property
    def body(self) -> ImageFont.FreeTypeFont:
        return self.font(self.body_mm)

    @property
    def small(self) -> ImageFont.FreeTypeFont:
        return self.font(self.body_mm * _SMALL_RATIO)

    @property
    def margin(self) -> int:
        return self.page.px(_MARGIN_MM)

    def pitch(self, mm: float) -> int:
        return round(self.page.px(mm) * _LINE)

    def text(self, x: int, line: str, font: ImageFont.FreeTypeFont) -> None:
        if not self.dry_run:
            self.draw.text((x, self.y), line, font=font, fill=0)

    def box(self, x: int, *, ticked: bool) -> None:
        if not self.dry_run:
            size = round(self.page.px(self.body_mm) * 0.85)
            _box(self.draw, x, self.y + self.pitch(self.body_mm) // 8, size, ticked=ticked)


def _write_head(pen: _Pen, content: CertificateContent) -> None:
    width = pen.page.size[0]
    title = pen.font(_TITLE_MM)
    pen.text((width - round(title.getlength(TITLE))) // 2, TITLE, title)
    if content.number:
        number = f"编号: {content.number}"
        pen.text(width - pen.margin - round(pen.small.getlength(number)), number, pen.small)
    pen.y += round(pen.page.px(_TITLE_MM) * 1.5)


def _write_commitments(pen: _Pen, content: CertificateContent) -> None:
    body, pitch, gap = pen.body, pen.pitch(pen.body_mm), pen.page.px(1.5)
    box = round(pen.page.px(pen.body_mm) * 0.85)
    pen.text(pen.margin, "我承诺对生产销售的食用农产品:", body)
    pen.y += pitch
    for commitment in COMMITMENTS:
        pen.box(pen.margin + gap, ticked=True)
        pen.text(pen.margin + 2 * gap + box, commitment, body)
        pen.y += pitch
    pen.text(pen.margin, "承诺依据:", body)
    start = pen.margin + round(body.getlength("承诺依据: "))
    x = start
    for basis, label in _BASIS_BOXES:
        needed = box + gap + round(body.getlength(label)) + 2 * gap
        if x + needed > pen.page.size[0] - pen.margin:
            x, pen.y = start, pen.y + pitch
        pen.box(x, ticked=basis in content.basis)
        pen.text(x + box + gap, label, body)
        x += needed
    pen.y += round(pitch * 1.3)


def _write_fields(pen: _Pen, content: CertificateContent) -> None:
    body, pitch = pen.body, pen.pitch(pen.body_mm)
    column = pen.qr_left - pen.page.px(3) - pen.margin
    for heading, value in content.fields():
        head = f"{heading}: "
        indent = round(body.getlength(head))
        pen.text(pen.margin, head, body)
        for line in _wrap(value, body, column - indent):
            pen.text(pen.margin + indent, line, body)
            pen.y += pitch
    if not content.records:
        return
    small, small_pitch = pen.small, pen.pitch(pen.body_mm * _SMALL_RATIO)
    pen.y += pitch // 3
    pen.text(pen.margin, "依据记录:", small)
    pen.y += small_pitch
    for record in content.records:
        for line in _wrap(record, small, column):
            pen.text(pen.margin + pen.page.px(1.5), line, small)
            pen.y += small_pitch


def _write(pen: _Pen, content: CertificateContent) -> int:
    """Write (or measure) the certificate's text; return the bottom of the last line."""
    pen.y = pen.margin
    _write_head(pen, content)
    _write_commitments(pen, content)
    _write_fields(pen, content)
    return pen.y


def render_certificate(content: CertificateContent, *, dpi: int = 300) -> Image.Image:
    """Draw the certificate on an A6 sheet (148 × 105 mm) at ``dpi``.

    Raises:
        InvalidValueError: if ``dpi`` is not a whole number from 150 to 600, if the text
            does not fit at the smallest readable size, or if no font can draw it.
    """
    _check_dpi(dpi)
    page = _Page(dpi)
    image = Image.new("L", page.size, 255)
    image.info["dpi"] = (dpi, dpi)
    draw = ImageDraw.Draw(image)
    fonts = find_font(content.text())
    qr_left, _, qr_bottom = _draw_qr(image, page, content.story_url)
    caption = fonts.at(page.px(_BODY_MM * _SMALL_RATIO))
    # Under the code, inside its quiet zone's lower half (4 modules of white above it).
    draw.text((qr_left, qr_bottom - page.px(2)), "扫码查看产品信息", font=caption, fill=0)
    bottom = page.size[1] - page.px(_MARGIN_MM)
    pen = _Pen(draw, page, fonts, _BODY_MM, qr_left, dry_run=True)
    while _write(pen, content) > bottom:
        pen.body_mm -= 0.2
        if pen.body_mm < _MIN_BODY_MM:
            raise InvalidValueError(
                "the certificate's text does not fit on an A6 sheet",
                hint="shorten the product name or the records' descriptions",
            )
    pen.dry_run = False
    _write(pen, content)
    return image


def save_certificate(
    content: CertificateContent, path: str | os.PathLike[str], *, dpi: int = 300
) -> Path:
    """Render the certificate and write it as a PNG image or a one-page A6 PDF.

    Raises:
        InvalidValueError: if the file name ends in neither ``.png`` nor ``.pdf``, and as
            :func:`render_certificate`.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in {".png", ".pdf"}:
        raise InvalidValueError(
            f"cannot tell how to write a certificate to {str(target)!r}",
            field="path",
            hint="end the file name in .png (an image) or .pdf (an A6 page)",
        )
    image = render_certificate(content, dpi=dpi)
    if suffix == ".png":
        image.save(target, format="PNG", dpi=(dpi, dpi))
    else:
        image.save(
            target,
            format="PDF",
            resolution=float(dpi),
            title=f"{TITLE} {content.lot}",
            producer="ruralseller",
        )
    return target
