"""Package labels: the mandatory particulars, GS1-128 barcodes and a Digital Link QR code.

A parcel of chilled black-bone chicken carries one 100 × 150 mm label (the 4 × 6 inch size
that parcel thermal printers take). :class:`LabelContent` holds what goes on it: the
particulars the compliance stage lists, the GS1 data of the package and an optional title.
:func:`render_label` draws it dot for dot at the printer's resolution; :func:`save_label`
writes it as a PNG or a PDF page of exactly 100 × 150 mm.

The label, from top to bottom:

* the title, if any, and a rule under it;
* the particulars, each a heading and its text, wrapped to the width; the text is set as
  large as fits, down to the smallest size the label rules allow, then it is an error;
* a QR code with the GS1 Digital Link of the package, at the right, above
* one or more GS1-128 barcodes, each with its human-readable element string under it.

Text is drawn with a font that has every character on the label (Chinese included): the
file named by the environment variable ``RURALSELLER_LABEL_FONT`` if it is set, else the
first of the usual system fonts that has them all. On Debian and Ubuntu,
``apt-get install fonts-wqy-microhei`` provides one; the ``labels`` extra installs Noto Sans CJK
from PyPI, so a plain ``pip install "ruralseller[labels]"`` is enough.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Gs1Data, Mass
    >>> from ruralseller.compliance import Citation, Particular
    >>> gb7718 = Citation("GB 7718-2011", "4.1")
    >>> content = LabelContent(
    ...     particulars=[
    ...         Particular("name", "产品名称", "泰和乌鸡 整只 冰鲜", gb7718),
    ...         Particular("net_quantity", "净含量", "1.3 kg", gb7718),
    ...     ],
    ...     gs1=Gs1Data(
    ...         "99526000160017",
    ...         lot="WJ261120A",
    ...         expiry=dt.date(2026, 11, 25),
    ...         net_weight=Mass.parse("1.3 kg"),
    ...     ),
    ...     title="泰和乌鸡",
    ... )
    >>> content.digital_link
    'https://id.gs1.org/01/99526000160017/10/WJ261120A?17=261125&3101=000013'
    >>> image = render_label(content, dpi=203)
    >>> image.size, image.mode
    ((799, 1199), '1')
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from PIL import Image, ImageDraw, ImageFont, features

from ruralseller.catalog import Gs1Data
from ruralseller.compliance import Particular
from ruralseller.errors import InvalidValueError

__all__ = [
    "DEFAULT_DIGITAL_LINK_BASE",
    "FONT_ENV_VAR",
    "LABEL_SIZE_MM",
    "LabelContent",
    "font_for",
    "render_label",
    "save_label",
]

LABEL_SIZE_MM: Final = (100, 150)
"""Width and height of the label in millimetres, portrait: the 4 × 6 inch parcel label."""

FONT_ENV_VAR: Final = "RURALSELLER_LABEL_FONT"
"""The environment variable that names the font file (.ttf, .ttc or .otf) labels use."""

DEFAULT_DIGITAL_LINK_BASE: Final = "https://id.gs1.org"
"""The resolver the QR code's Digital Link points to unless another is given."""

_MM_PER_INCH = 25.4
# Label printers print at 203 dpi (8 dots/mm) or 300 dpi (12 dots/mm), some at 600 dpi.
_DPI_RANGE = (200, 600)
_MARGIN_MM = 3.0  # room for the label drifting on the printer by a millimetre or two

# Characters of the mandatory particulars at least 1.8 mm high (GB 7718-2011 §3.9, for a
# package whose largest surface is over 35 cm²), lower-case x-height at least 1.2 mm (Reg.
# (EU) 1169/2011 Art. 13(2) and Annex IV). Both are measured on the font's own glyphs.
_MIN_CHAR_HEIGHT_MM = 1.8
_MIN_X_HEIGHT_MM = 1.2
_MAX_BODY_EM_MM = 4.0  # the size text starts at before it shrinks to fit
_LINE_SPACING = 1.25  # line pitch in ems
_PARAGRAPH_GAP = 0.3  # extra space between two particulars, in ems
_TITLE_SCALE = 1.4
_MAX_TITLE_EM_MM = 6.0
_HRI_EM_MM = 3.0

# GS1-128 (GS1 General Specifications §5.4.4): quiet zones of 10 modules either side; at most
# 48 data characters (AIs, data and FNC1 separators) and 165.10 mm in one symbol.
_QUIET_ZONE_MODULES = 10
_MAX_DATA_CHARACTERS = 48
_FNC1 = "\xf1"  # how python-barcode's Gs1_128 spells FNC1 inside the data
# The X-dimension (narrow bar width) is a whole number of printer dots: a thermal head cannot
# print part of a dot, and a 2.5-dot module would print as 2 or 3 dots, breaking the bar and
# space width ratios a scanner decodes. We take the widest whole-dot X that gets every
# symbol across the label in as few symbols as possible, from 0.25 mm (the smallest X GS1
# specification tables allow for GS1-128: 2 dots at 203 dpi = 0.250 mm, 3 dots at 300 dpi =
# 0.254 mm) up to the 1.016 mm maximum. The 0.495 mm GS1 asks for in general distribution
# needs about 200 mm for a GTIN, lot, two dates and a weight, so it is reached here only
# for short data.
_MIN_X_MM = 0.25
_MAX_X_MM = 1.016
# Bars at least 10 mm tall and 15 % of the symbol's length, so a handheld scanner's line
# crosses them without careful aiming.
_MIN_BAR_HEIGHT_MM = 10.0
_BAR_HEIGHT_RATIO = 0.15
_SYMBOL_GAP_MM = 3.0  # between one symbol's human-readable text and the next symbol's bars

# QR code: error correction M or higher (segno raises the level when the version allows),
# modules of 0.5 mm, or no smaller than GS1's 0.396 mm minimum for a Digital Link QR code
# (GS1 General Specifications §5.12.3.1) when a long link would need more than 40 mm; the
# quiet zone is 4 modules (ISO/IEC 18004).
_QR_MODULE_MM = 0.5
_QR_MIN_MODULE_MM = 0.396
_QR_MAX_SIZE_MM = 40.0
_QR_QUIET_ZONE_MODULES = 4
_GAP_MM = 2.0  # between text and codes

_EXTRA_HINT = "labels need {package}: pip install 'ruralseller[labels]'"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})


def _check_particulars(_instance: object, _attribute: object, value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, Particular):
            raise InvalidValueError(
                f"particulars[{index}] is a {type(item).__name__}, not a Particular",
                field="particulars",
                hint="pass what ruralseller.compliance.label_particulars() returns",
            )


def _check_gs1(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and not isinstance(value, Gs1Data):
        raise InvalidValueError(
            f"gs1 must be a Gs1Data, not {type(value).__name__} {value!r}",
            field="gs1",
            hint="build it with ruralseller.catalog.Gs1Data(gtin, lot=..., net_weight=...)",
        )


def _check_story_url(instance: Any, _attribute: object, value: Any) -> None:
    if value is None:
        if instance.gs1 is None:
            raise InvalidValueError(
                "a label without GS1 data needs the address of the lot's story page",
                field="story_url",
                hint="give story_url, e.g. 'https://your-site.example/lots/WP261115'",
            )
        return
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise InvalidValueError(
            f"the story page {value!r} is not an http(s) address",
            field="story_url",
            hint="give the full address of a page you control, starting with https://",
        )


def _check_title(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidValueError(
            f"the label title {value!r} is empty or not text",
            field="title",
            hint="give the title as text, or leave it out",
        )


def _check_language(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not _LANGUAGE_TAG.fullmatch(value)):
        raise InvalidValueError(
            f"{value!r} is not a language tag",
            field="language",
            hint="use a BCP 47 tag such as 'zh-CN' or 'en', or leave it out",
        )


def _particulars(value: Iterable[Particular]) -> tuple[Particular, ...]:
    return tuple(value)


@attrs.frozen
class LabelContent:
    """What goes on a package label.

    Args:
        particulars: the mandatory particulars, in the order they are printed; what
            :func:`ruralseller.compliance.label_particulars` returns.
        gs1: the package's GS1 data (GTIN, lot, dates, net weight), for the GS1-128
            barcodes and the QR code; None for a product without a GTIN (most village
            farmers have no GS1 company prefix): the label then has no barcodes.
        title: a line printed large at the top, such as the product's name; optional.
        language: the BCP 47 tag of the label's text (``zh-CN``, ``en``); it chooses how a
            heading is set off from its text (``产品名称：`` or ``Product name:``). When
            left out, a heading in Chinese, Japanese or Korean script gets ``：``.
        digital_link_base: the resolver the QR code's GS1 Digital Link points to.
        story_url: the lot's story page, at an address the partner controls; the QR code
            carries it when there is no GS1 data (and it is required then).

    Raises:
        InvalidValueError: if a particular is not a :class:`~ruralseller.compliance.Particular`,
            the title is empty, or the language is not a language tag.
        IdentifierError: if ``digital_link_base`` is not an http(s) URL.

    Example:
        >>> from ruralseller.catalog import Gs1Data
        >>> content = LabelContent(particulars=[], gs1=Gs1Data("99526000160017"))
        >>> content.digital_link
        'https://id.gs1.org/01/99526000160017'
    """

    particulars: tuple[Particular, ...] = attrs.field(
        converter=_particulars, validator=_check_particulars
    )
    gs1: Gs1Data | None = attrs.field(validator=_check_gs1)
    title: str | None = attrs.field(default=None, kw_only=True, validator=_check_title)
    language: str | None = attrs.field(default=None, kw_only=True, validator=_check_language)
    digital_link_base: str = attrs.field(default=DEFAULT_DIGITAL_LINK_BASE, kw_only=True)
    story_url: str | None = attrs.field(default=None, kw_only=True, validator=_check_story_url)

    def __attrs_post_init__(self) -> None:
        if self.gs1 is not None:
            self.gs1.digital_link(self.digital_link_base)  # raises IdentifierError if malformed

    @property
    def digital_link(self) -> str:
        """The address the QR code carries: the GS1 Digital Link, else the story page."""
        if self.gs1 is None:
            assert self.story_url is not None  # noqa: S101 - checked by its validator
            return self.story_url
        return self.gs1.digital_link(self.digital_link_base)

    def _separator(self, heading: str) -> str:
        if self.language is not None:
            cjk = self.language.split("-")[0].lower() in _CJK_LANGUAGES
        else:
            cjk = any(_is_wide(char) for char in heading)
        return "：" if cjk else ": "

    def _text(self) -> str:
        """Every character the label prints, to choose a font that has them all."""
        parts = [self.title or ""]
        parts += [f"{p.heading}{self._separator(p.heading)}{p.text}" for p in self.particulars]
        if self.gs1 is not None:
            parts.append(self.gs1.element_string())
        return "".join(parts)


def render_label(content: LabelContent, *, dpi: int = 203) -> Image.Image:
    """Draw a package label, 100 × 150 mm, at a printer's resolution.

    The image is black and white (mode ``"1"``), one pixel per printer dot, its ``dpi``
    recorded in ``image.info``.

    Args:
        content: what goes on the label.
        dpi: the printer's resolution in dots per inch: 203 or 300 for thermal label
            printers, 600 for a few; any whole number from 200 to 600.

    Returns:
        The label image, ``round(100 mm × dpi)`` by ``round(150 mm × dpi)`` pixels.

    Raises:
        InvalidValueError: if ``dpi`` is not a whole number from 200 to 600; if the
            particulars do not fit at the smallest readable text size (the message says
            how many lines are too many and which particulars to shorten); if no font can
            draw the label's characters; or if the GS1 data cannot be put in barcodes
            across the label.
    """
    _check_dpi(dpi)
    page = _Page(dpi)
    image = Image.new("1", (page.width, page.height), 1)
    image.info["dpi"] = (dpi, dpi)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # a thermal head prints dots, not shades of grey
    font = _find_font(content._text())  # noqa: SLF001 - our own class

    if content.gs1 is not None:
        barcodes_top = _draw_barcodes(draw, page, font, content.gs1)
    else:  # no GTIN, no barcodes: the QR code and the text use the whole page
        barcodes_top = page.height - page.margin
    qr_box = _draw_qr(image, page, content.digital_link, bottom=barcodes_top)
    text = _fit_text(content, page, font, bottom=barcodes_top - page.px(_GAP_MM), qr_box=qr_box)
    text.draw(draw)
    return image


def save_label(content: LabelContent, path: str | os.PathLike[str], *, dpi: int = 203) -> Path:
    """Render a package label and write it as a PNG image or a one-page PDF.

    The format follows the file name: ``.png`` or ``.pdf``. The PNG records its
    resolution; the PDF page is exactly 100 × 150 mm, the label image filling it dot for
    dot (stored losslessly, CCITT G4 where Pillow has libtiff).

    Args:
        content: what goes on the label.
        path: where to write; the name must end in ``.png`` or ``.pdf``.
        dpi: the printer's resolution, as for :func:`render_label`.

    Returns:
        The path written.

    Raises:
        InvalidValueError: if the file name ends in neither ``.png`` nor ``.pdf``, and as
            :func:`render_label`.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in {".png", ".pdf"}:
        raise InvalidValueError(
            f"cannot tell how to write a label to {str(target)!r}",
            field="path",
            hint="end the file name in .png (an image) or .pdf (a page of 100 × 150 mm)",
        )
    image = render_label(content, dpi=dpi)
    if suffix == ".png":
        image.save(target, format="PNG", dpi=(dpi, dpi))
        return target
    # Pillow sizes the page as pixels / resolution; give the resolution the rounded pixel
    # count implies, so the page is 100 × 150 mm exactly, not a fraction of a dot off.
    width_mm, height_mm = LABEL_SIZE_MM
    resolution = (
        image.width * _MM_PER_INCH / width_mm,
        image.height * _MM_PER_INCH / height_mm,
    )
    title = content.title or (
        content.gs1.element_string() if content.gs1 is not None else content.digital_link
    )
    # Pillow writes a bilevel image as CCITT G4 when it has libtiff and as JPEG otherwise;
    # JPEG blurs bars, so without libtiff a palette image (stored as is) goes in instead.
    if not features.check("libtiff"):
        image = image.convert("P")
    image.save(target, format="PDF", dpi=resolution, title=title, producer="ruralseller")
    return target


# --- page geometry ---------------------------------------------------------------------


def _check_dpi(dpi: object) -> None:
    low, high = _DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not low <= dpi <= high:
        raise InvalidValueError(
            f"dpi {dpi!r} is not a label printer's resolution",
            field="dpi",
            hint=f"use 203 or 300 (thermal label printers) or 600; a whole number from "
            f"{low} to {high}",
        )


@attrs.frozen
class _Page:
    dpi: int

    def px(self, mm: float) -> int:
        """Millimetres to whole dots, to the nearest dot."""
        return round(mm * self.dpi / _MM_PER_INCH)

    def dots_at_least(self, mm: float) -> int:
        """The fewest whole dots that measure at least ``mm``."""
        return math.ceil(round(mm * self.dpi / _MM_PER_INCH, 6))

    def mm(self, dots: float) -> float:
        return dots * _MM_PER_INCH / self.dpi

    @property
    def width(self) -> int:
        return self.px(LABEL_SIZE_MM[0])

    @property
    def height(self) -> int:
        return self.px(LABEL_SIZE_MM[1])

    @property
    def margin(self) -> int:
        return self.px(_MARGIN_MM)


# --- fonts -----------------------------------------------------------------------------


@attrs.frozen
class _FontFile:
    path: Path
    index: int = 0

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return _load_font(self.path, self.index, size)


# Searched in order after FONT_ENV_VAR; the first that has every character wins. A font
# collection (.ttc) holds several faces: for Noto Sans CJK, face 2 is Simplified Chinese.
_FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    # Debian and Ubuntu: fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk.
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    # Fedora, Arch and Alpine.
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    # macOS.
    ("/System/Library/Fonts/Hiragino Sans GB.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    # Windows: Microsoft YaHei, SimHei.
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
)
# Latin only, for labels in English when no CJK font is installed.
_LATIN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", 0),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", 0),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", 0),
    ("C:/Windows/Fonts/arial.ttf", 0),
)
_FONT_HINT = (
    "install the labels extra, which brings Noto Sans CJK (pip install 'ruralseller[labels]'), "
    "or a system font with Chinese characters (Debian or Ubuntu: apt-get install "
    f"fonts-wqy-microhei), or set {FONT_ENV_VAR} to the path of a .ttf, .ttc or .otf "
    "font that has them"
)


def _pip_fonts() -> tuple[tuple[str, int], ...]:
    # The labels extra installs Noto Sans CJK (OFL) from PyPI, so Chinese labels render on a
    # machine with no system fonts at all; face 2 of the collection is Simplified Chinese.
    try:
        import noto_cjk_sans_otc  # noqa: PLC0415 - optional, found at run time
    except ImportError:
        return ()
    return ((str(noto_cjk_sans_otc.FONT_PATH), 2),)


def _font_candidates() -> tuple[tuple[str, int], ...]:
    return _FONT_CANDIDATES + _pip_fonts() + _LATIN_FONTS


def font_for(text: str) -> Path:
    """The font file the labels would draw ``text`` with (one that has all its characters).

    Raises:
        InvalidValueError: when no installed font has them all (the hint says what to install).
    """
    return _find_font(text).path


def _find_font(text: str) -> _FontFile:
    """The font file that draws every character of ``text``."""
    needed = sorted({char for char in text if not char.isspace()})
    chosen = os.environ.get(FONT_ENV_VAR, "").strip()
    if chosen:
        font = _FontFile(Path(chosen))
        if not font.path.is_file():
            raise InvalidValueError(
                f"{FONT_ENV_VAR} names {chosen!r}, which is not a file",
                field=FONT_ENV_VAR,
                hint="give the full path of a .ttf, .ttc or .otf font file, or unset it",
            )
        missing = _missing_glyphs(font, needed)
        if missing:
            raise InvalidValueError(
                f"the font {chosen!r} ({FONT_ENV_VAR}) cannot draw {_quote_chars(missing)}",
                field=FONT_ENV_VAR,
                hint=f"choose a font that has these characters, or unset {FONT_ENV_VAR}",
            )
        return font
    best: tuple[_FontFile, list[str]] | None = None
    for name, index in _font_candidates():
        font = _FontFile(Path(name), index)
        if not font.path.is_file():
            continue
        missing = _missing_glyphs(font, needed)
        if not missing:
            return font
        if best is None or len(missing) < len(best[1]):
            best = (font, missing)
    if best is None:
        raise InvalidValueError("no font for label text was found", hint=_FONT_HINT)
    raise InvalidValueError(
        f"no installed font can draw {_quote_chars(best[1])} (closest: {best[0].path})",
        hint=_FONT_HINT,
    )


def _quote_chars(chars: Sequence[str]) -> str:
    shown = " ".join(chars[:10])
    return f"{shown} …" if len(chars) > 10 else shown


@functools.lru_cache(maxsize=64)
def _load_font(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(path), size, index=index)
    except OSError as error:
        raise InvalidValueError(
            f"cannot read the font {str(path)!r}: {error}",
            hint=f"check the file, or set {FONT_ENV_VAR} to another font",
        ) from None


_GLYPH_TEST_SIZE = 32
# U+FFFF is a noncharacter: every font draws it with its "missing glyph" box (.notdef).
_NOT_A_CHARACTER = "\uffff"


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (2 * _GLYPH_TEST_SIZE, 2 * _GLYPH_TEST_SIZE))
    ImageDraw.Draw(image).text((4, 4), char, font=font, fill=255)
    return image.tobytes()


@functools.lru_cache(maxsize=8192)
def _has_glyph(path: Path, index: int, char: str) -> bool:
    font = _load_font(path, index, _GLYPH_TEST_SIZE)
    return _glyph(font, char) != _glyph(font, _NOT_A_CHARACTER)


def _missing_glyphs(font: _FontFile, chars: Iterable[str]) -> list[str]:
    return [char for char in chars if not _has_glyph(font.path, font.index, char)]


def _min_font_size(font: _FontFile, page: _Page) -> int:
    """The smallest size whose digits are 1.8 mm high and whose x-height is 1.2 mm."""
    for size in range(6, page.px(20)):
        face = font.at(size)
        _, top, _, bottom = face.getbbox("8", anchor="ls")
        digit = page.mm(bottom - top)
        _, top, _, bottom = face.getbbox("x", anchor="ls")
        if digit >= _MIN_CHAR_HEIGHT_MM and page.mm(bottom - top) >= _MIN_X_HEIGHT_MM:
            return size
    raise InvalidValueError(  # pragma: no cover - only a broken font gets here
        f"the font {font.path} draws no digits", hint=_FONT_HINT
    )


# --- GS1-128 ---------------------------------------------------------------------------


def _code128_modules(data: str) -> str:
    """The bars and spaces of a GS1-128 symbol, "1" a dark module, without quiet zones."""
    # python-barcode's Gs1_128 starts the symbol with FNC1 (the GS1-128 start pattern),
    # reads "\xf1" in the data as FNC1, and picks code sets A, B and C.
    try:
        from barcode.codex import Gs1_128  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - the "labels" extra brings it
        raise ModuleNotFoundError(_EXTRA_HINT.format(package="python-barcode")) from error

    modules: str = Gs1_128(data).build()[0]
    return modules


@attrs.frozen
class _Symbol:
    data: Gs1Data
    modules: str

    @classmethod
    def of(cls, data: Gs1Data) -> _Symbol:
        return cls(data, _code128_modules(data.barcode_data(separator=_FNC1)))

    @property
    def character_count(self) -> int:
        return len(self.data.barcode_data())

    def human_readable(self) -> str:
        """The element strings in the order they are encoded, AIs in brackets."""
        encoded = self.data.barcode_data()
        pairs = list(self.data.ai_values())
        text, position = [], 0
        while pairs:
            # GS1 AIs are prefix-free: no AI is the start of another, so one AI matches.
            ai, value = next(p for p in pairs if encoded.startswith(p[0], position))
            pairs.remove((ai, value))
            text.append(f"({ai}){value}")
            position += len(ai) + len(value)
            if encoded.startswith("\x1d", position):
                position += 1
        return "".join(text)


def _split_symbols(gs1: Gs1Data, max_modules: int) -> list[_Symbol] | None:
    """Pack the element strings into as few symbols as fit; None if one cannot fit alone.

    Every symbol repeats the GTIN: each AI we carry requires (01) in the same message
    (gs1-syntax-dictionary.txt, "req=01,..."), and a scanner checks each symbol alone.
    """

    def build(fields: dict[str, Any]) -> _Symbol | None:
        symbol = _Symbol.of(Gs1Data(gs1.gtin, **fields))
        fits = symbol.character_count <= _MAX_DATA_CHARACTERS and len(symbol.modules) <= max_modules
        return symbol if fits else None

    # Every field but the GTIN, in the order Gs1Data declares them, except that the lot
    # comes first so that it goes with the GTIN in the first symbol.
    names = sorted(
        (a.name for a in attrs.fields(Gs1Data) if a.name != "gtin"), key=lambda name: name != "lot"
    )
    present = {name: getattr(gs1, name) for name in names if getattr(gs1, name) is not None}
    symbols: list[_Symbol] = []
    fields: dict[str, Any] = {}
    current = build(fields)
    if current is None:
        return None
    for name, value in present.items():
        trial = build({**fields, name: value})
        if trial is not None:
            fields[name], current = value, trial
            continue
        symbols.append(current)
        fields = {name: value}
        current = build(fields)
        if current is None:
            return None
    symbols.append(current)
    return symbols


def _plan_symbols(gs1: Gs1Data, page: _Page) -> tuple[int, list[_Symbol]]:
    """The X-dimension in dots and the symbols: fewest symbols, then the widest X."""
    content_width = page.width - 2 * page.margin
    best: tuple[int, list[_Symbol]] | None = None
    lowest = page.dots_at_least(_MIN_X_MM)
    for x in range(lowest, max(lowest, int(page.dpi * _MAX_X_MM / _MM_PER_INCH)) + 1):
        # Bars stay inside the margins; the quiet zones may run into them.
        max_modules = min(content_width // x, page.width // x - 2 * _QUIET_ZONE_MODULES)
        symbols = _split_symbols(gs1, max_modules)
        if symbols is None or (best is not None and len(symbols) > len(best[1])):
            break
        best = (x, symbols)
    if best is None:
        raise InvalidValueError(
            f"the GS1 data {gs1.element_string()} does not fit in GS1-128 barcodes across a "
            f"{LABEL_SIZE_MM[0]} mm label at {page.dpi} dpi",
            field="gs1",
            hint="shorten the lot code: digits take half the width of letters in a barcode",
        )
    return best


def _draw_barcodes(draw: ImageDraw.ImageDraw, page: _Page, font: _FontFile, gs1: Gs1Data) -> int:
    """Draw the GS1-128 symbols at the foot of the label; return the top of the first."""
    x_dots, symbols = _plan_symbols(gs1, page)
    widest = max(len(s.modules) + 2 * _QUIET_ZONE_MODULES for s in symbols) * x_dots
    bar_height = max(page.px(_MIN_BAR_HEIGHT_MM), math.ceil(_BAR_HEIGHT_RATIO * widest))
    texts = [s.human_readable() for s in symbols]
    hri_font = _fit_line(font, page, texts, page.width - 2 * page.margin)
    ascent, descent = hri_font.getmetrics()
    text_gap = page.px(0.5)
    block = bar_height + text_gap + ascent + descent
    gap = page.px(_SYMBOL_GAP_MM)
    top = page.height - page.margin - len(symbols) * block - (len(symbols) - 1) * gap
    y = top
    for symbol, text in zip(symbols, texts, strict=True):
        left = (page.width - len(symbol.modules) * x_dots) // 2
        for start, length in _runs(symbol.modules):
            x0 = left + start * x_dots
            draw.rectangle((x0, y, x0 + length * x_dots - 1, y + bar_height - 1), fill=0)
        baseline = y + bar_height + text_gap + ascent
        draw.text((page.width // 2, baseline), text, font=hri_font, fill=0, anchor="ms")
        y += block + gap
    return top


def _runs(modules: str) -> Iterator[tuple[int, int]]:
    """(start, length) of each bar."""
    for match in re.finditer("1+", modules):
        yield match.start(), match.end() - match.start()


def _fit_line(
    font: _FontFile, page: _Page, lines: Sequence[str], width: int
) -> ImageFont.FreeTypeFont:
    """The largest size up to the HRI size at which every line fits the width."""
    smallest = _min_font_size(font, page)
    for size in range(max(smallest, page.px(_HRI_EM_MM)), smallest, -1):
        face = font.at(size)
        if all(face.getlength(line) <= width for line in lines):
            return face
    return font.at(smallest)


# --- QR code ---------------------------------------------------------------------------


@attrs.frozen
class _Box:
    left: int
    top: int
    right: int
    bottom: int


def _draw_qr(image: Image.Image, page: _Page, uri: str, *, bottom: int) -> _Box:
    """Draw the Digital Link QR code at the right, above ``bottom``; return its box.

    The box includes the quiet zone, which text must keep clear of.
    """
    try:
        import segno  # noqa: PLC0415 - only labels need it
    except ImportError as error:  # pragma: no cover - the "labels" extra brings it
        raise ModuleNotFoundError(_EXTRA_HINT.format(package="segno")) from error

    qr = segno.make_qr(uri, error="m")
    count = len(qr.matrix)
    module = page.dots_at_least(_QR_MODULE_MM)
    if (count + 2 * _QR_QUIET_ZONE_MODULES) * module > page.px(_QR_MAX_SIZE_MM):
        module = page.dots_at_least(_QR_MIN_MODULE_MM)
    size = count * module
    quiet = _QR_QUIET_ZONE_MODULES * module
    if size + 2 * quiet > page.px(_QR_MAX_SIZE_MM):
        raise InvalidValueError(
            f"the Digital Link {uri!r} needs a QR code over {_QR_MAX_SIZE_MM:g} mm wide",
            field="digital_link_base",
            hint="use a shorter resolver address as the Digital Link base",
        )
    # The modules line up with the right margin; the quiet zone may run into it.
    right = page.width - page.margin
    top = bottom - quiet - size
    left = right - size
    draw = ImageDraw.Draw(image)
    for row, cells in enumerate(qr.matrix):
        for column, dark in enumerate(cells):
            if dark:
                x, y = left + column * module, top + row * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=0)
    return _Box(left - quiet, top - quiet, page.width, bottom)


# --- text ------------------------------------------------------------------------------


def _is_wide(char: str) -> bool:
    """A CJK ideograph, kana, hangul or full-width form: a line may break around it."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


# A line must not start with a closing mark nor end with an opening one (the simple rule
# of Chinese typesetting, 避头尾).
_NO_LINE_START = frozenset("，。、：；！？）》」』】〕…,.;:!?)]}%")
_NO_LINE_END = frozenset("（《「『【〔([{")
_TOKEN = re.compile(r"\s+|[^\s]")


@attrs.frozen
class _Token:
    text: str
    bold: bool
    space: bool


def _tokens(text: str, *, bold: bool) -> list[_Token]:
    """Split text into the pieces a line may break between: words, wide characters, spaces."""
    pieces: list[str] = []
    for match in _TOKEN.finditer(text):
        piece = match.group()
        previous = pieces[-1] if pieces else ""
        glue = (
            previous
            and not previous.isspace()
            and not piece.isspace()
            and (
                (not _is_wide(piece) and not _is_wide(previous[-1]))
                or piece in _NO_LINE_START
                or previous[-1] in _NO_LINE_END
            )
        )
        if glue:
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return [_Token(piece, bold, piece.isspace()) for piece in pieces]


@attrs.define
class _Line:
    top: int
    width_limit: int
    runs: list[tuple[str, bool]] = attrs.field(factory=list)
    width: float = 0.0
    source: int = -1  # which particular it belongs to; -1 for the title


@attrs.frozen
class _TextBlock:
    lines: tuple[_Line, ...]
    body: ImageFont.FreeTypeFont
    title: ImageFont.FreeTypeFont
    left: int
    rule: tuple[int, int, int] | None  # y, from x, to x
    rule_width: int

    def draw(self, draw: ImageDraw.ImageDraw) -> None:
        bold_offset = max(1, round(self.body.size / 24))
        for line in self.lines:
            font = self.title if line.source < 0 else self.body
            ascent, _ = font.getmetrics()
            x = float(self.left)
            for text, bold in line.runs:
                draw.text((x, line.top + ascent), text, font=font, fill=0, anchor="ls")
                if bold:
                    # Faux bold: one font file serves every script, and few CJK fonts
                    # come with a bold face.
                    position = (x + bold_offset, line.top + ascent)
                    draw.text(position, text, font=font, fill=0, anchor="ls")
                x += font.getlength(text) + (bold_offset if bold else 0)
        if self.rule is not None:
            y, start, end = self.rule
            draw.rectangle((start, y, end, y + self.rule_width - 1), fill=0)


def _fit_text(
    content: LabelContent, page: _Page, font: _FontFile, *, bottom: int, qr_box: _Box
) -> _TextBlock:
    """Lay out the title and particulars at the largest size that fits above ``bottom``."""
    _refuse_text_no_label_holds(content)
    smallest = _min_font_size(font, page)
    largest = max(smallest, page.px(_MAX_BODY_EM_MM))
    block: _TextBlock | None = None
    for size in range(largest, smallest - 1, -1):
        block = _layout_text(content, page, font, size, qr_box)
        if all(line.top + _line_pitch(block, line) <= bottom for line in block.lines):
            return block
    assert block is not None  # noqa: S101 - the loop runs at least once
    raise _overflow_error(content, block, bottom)


# More text than any label of this size can hold at the smallest readable size (about
# 2 000 characters); refusing it before the layout keeps a runaway text from taking minutes.
_MAX_LABEL_CHARACTERS = 10_000


def _refuse_text_no_label_holds(content: LabelContent) -> None:
    lengths = {p.key: len(p.text) for p in content.particulars}
    total = sum(lengths.values()) + len(content.title or "")
    if total > _MAX_LABEL_CHARACTERS:
        longest = max(lengths, key=lambda key: lengths[key], default="title")
        raise InvalidValueError(
            f"the label's text is {total:,} characters; no {LABEL_SIZE_MM[0]} × "
            f"{LABEL_SIZE_MM[1]} mm label holds more than about 2 000",
            field="particulars",
            hint=f"shorten the longest particular: {longest} ({lengths.get(longest, 0):,} "
            "characters)",
        )


def _line_pitch(block: _TextBlock, line: _Line) -> int:
    font = block.title if line.source < 0 else block.body
    ascent, descent = font.getmetrics()
    return ascent + descent


def _overflow_error(content: LabelContent, block: _TextBlock, bottom: int) -> InvalidValueError:
    over = sum(1 for line in block.lines if line.top + _line_pitch(block, line) > bottom)
    counts: dict[int, int] = {}
    for line in block.lines:
        if line.source >= 0:
            counts[line.source] = counts.get(line.source, 0) + 1
    longest = sorted(counts, key=lambda i: (-counts[i], i))[:3]
    names = ", ".join(
        f"{content.particulars[i].key} ({_count(counts[i], 'line')}, "
        f"{_count(len(content.particulars[i].text), 'character')})"
        for i in longest
    )
    hint = f"shorten the longest particulars: {names}"
    if content.title:
        hint += "; or leave out the title"
    return InvalidValueError(
        f"the label particulars do not fit on a {LABEL_SIZE_MM[0]} × {LABEL_SIZE_MM[1]} mm "
        f"label: {_count(over, 'line')} too many, even with the text at the smallest "
        f"readable size (digits {_MIN_CHAR_HEIGHT_MM} mm high)",
        field="particulars",
        hint=hint,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _layout_text(
    content: LabelContent, page: _Page, font: _FontFile, size: int, qr_box: _Box
) -> _TextBlock:
    body = font.at(size)
    title_font = font.at(min(round(size * _TITLE_SCALE), max(size, page.px(_MAX_TITLE_EM_MM))))
    left, right = page.margin, page.width - page.margin
    gap = page.px(_GAP_MM)

    def limit(top: int, height: int) -> int:
        if top + height > qr_box.top - gap:
            return min(right, qr_box.left - gap) - left
        return right - left

    lines: list[_Line] = []
    y = page.margin
    rule = None
    rule_width = max(1, page.px(0.3))
    if content.title:
        tokens = _tokens(content.title, bold=True)
        y = _wrap(tokens, title_font, y, -1, limit, _pitch(title_font), lines)
        y += round(size * _PARAGRAPH_GAP)
        rule = (y, left, right)
        y += rule_width + round(size * _PARAGRAPH_GAP * 2)
    pitch = _pitch(body)
    for index, particular in enumerate(content.particulars):
        heading = particular.heading + content._separator(particular.heading)  # noqa: SLF001
        tokens = _tokens(heading, bold=True) + _tokens(particular.text, bold=False)
        y = _wrap(tokens, body, y, index, limit, pitch, lines)
        y += round(size * _PARAGRAPH_GAP)
    return _TextBlock(tuple(lines), body, title_font, left, rule, rule_width)


def _pitch(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * _LINE_SPACING)


def _wrap(  # noqa: PLR0913, PLR0917 - one call site, private
    tokens: list[_Token],
    font: ImageFont.FreeTypeFont,
    y: int,
    source: int,
    limit: Callable[[int, int], int],
    pitch: int,
    lines: list[_Line],
) -> int:
    """Fill lines greedily from ``y``; return the top of the next line."""
    bold_extra = max(1, round(font.size / 24))

    def new_line(top: int) -> _Line:
        line = _Line(top, limit(top, pitch), source=source)
        lines.append(line)
        return line

    def width_of(token: _Token) -> float:
        return font.getlength(token.text) + (bold_extra if token.bold else 0)

    line = new_line(y)
    pending_space: _Token | None = None
    queue = list(tokens)
    while queue:
        token = queue.pop(0)
        if token.space:
            pending_space = token if line.runs else None
            continue
        space = width_of(pending_space) if pending_space else 0.0
        needed = width_of(token)
        if line.width + space + needed <= line.width_limit:
            if pending_space is not None:
                _append(line, pending_space.text, pending_space.bold, space)
            _append(line, token.text, token.bold, needed)
        elif line.runs:
            line = new_line(line.top + pitch)
            queue.insert(0, token)
        else:
            # A word longer than a whole line: break it where it reaches the edge.
            head, tail = _split_word(token, width_of, line.width_limit)
            _append(line, head.text, head.bold, width_of(head))
            if tail is not None:
                queue.insert(0, tail)
                line = new_line(line.top + pitch)
        pending_space = None
    return line.top + pitch


def _split_word(
    token: _Token, measure: Callable[[_Token], float], width: float
) -> tuple[_Token, _Token | None]:
    """The longest head of a word that fits the width (at least one character), and the rest."""
    cut = 1
    while (
        cut < len(token.text) and measure(attrs.evolve(token, text=token.text[: cut + 1])) <= width
    ):
        cut += 1
    head = attrs.evolve(token, text=token.text[:cut])
    return head, attrs.evolve(token, text=token.text[cut:]) if cut < len(token.text) else None


def _append(line: _Line, text: str, bold: bool, width: float) -> None:  # noqa: FBT001
    if line.runs and line.runs[-1][1] == bold:
        line.runs[-1] = (line.runs[-1][0] + text, bold)
    else:
        line.runs.append((text, bold))
    line.width += width
