"""Package labels: read back as a scanner would, sized for the printer, written as PNG and PDF."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import biip
import pytest
import zxingcpp
from PIL import Image

from ruralseller.catalog import Gs1Data, Mass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.compliance import Citation, Particular, label_particulars
from ruralseller.errors import IdentifierError, InvalidValueError
from ruralseller.packaging import label
from ruralseller.packaging.label import (
    FONT_ENV_VAR,
    LABEL_SIZE_MM,
    LabelContent,
    render_label,
    save_label,
)

LOT = "WJ261120A"
WEIGHED = Mass.parse("1.3 kg")
GB7718 = Citation("GB 7718-2011", "4.1")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(sample_path())


@pytest.fixture(scope="module")
def gs1(catalog) -> Gs1Data:
    lot = catalog.lot(LOT)
    return Gs1Data(
        catalog.product_of(lot).gtin,
        lot=lot.id,
        production_date=lot.production_date,
        expiry=lot.use_by,
        net_weight=WEIGHED,
    )


@pytest.fixture(scope="module")
def chinese_label(catalog, gs1) -> LabelContent:
    particulars = label_particulars(catalog, LOT, jurisdiction="CN", net_weight=WEIGHED)
    return LabelContent(particulars, gs1, title="泰和乌鸡 整只 冰鲜", language="zh-CN")


def pixels(dpi: int) -> tuple[int, int]:
    width, height = LABEL_SIZE_MM
    return round(width * dpi / 25.4), round(height * dpi / 25.4)


def scan(image: Image.Image) -> tuple[list[zxingcpp.Barcode], list[zxingcpp.Barcode]]:
    """The Code 128 symbols, top to bottom, and the QR codes on a label."""
    found = zxingcpp.read_barcodes(image.convert("L"))
    linear = sorted(
        (b for b in found if b.format == zxingcpp.BarcodeFormat.Code128),
        key=lambda b: b.position.top_left.y,
    )
    qr = [b for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(linear) + len(qr) == len(found), found
    return linear, qr


def parsed(symbols: list[zxingcpp.Barcode]) -> dict[str, biip.gs1_messages.GS1ElementString]:
    """Every element string of the symbols, by AI, as biip reads the scanner's output."""
    elements = {}
    for symbol in symbols:
        result = biip.parse(symbol.symbology_identifier + symbol.bytes.decode("ascii"))
        assert result.gs1_message is not None, result
        for element in result.gs1_message.element_strings:
            # The GTIN is repeated in each symbol; anything else appears once.
            if element.ai.ai in elements:
                assert element.ai.ai == "01"
                assert elements["01"].value == element.value
            elements[element.ai.ai] = element
    return elements


# --- what a scanner reads ----------------------------------------------------------------


@pytest.mark.parametrize("dpi", [203, 300])
def test_label_is_100_by_150_mm_at_the_printer_resolution(chinese_label, dpi):
    image = render_label(chinese_label, dpi=dpi)
    assert image.size == pixels(dpi)
    assert image.mode == "1"
    assert image.info["dpi"] == (dpi, dpi)


@pytest.mark.parametrize("dpi", [203, 300])
def test_barcodes_read_as_gs1_with_gtin_lot_dates_and_weight(chinese_label, dpi):
    linear, _ = scan(render_label(chinese_label, dpi=dpi))

    assert linear, "no GS1-128 symbol was read"
    for symbol in linear:
        # "]C1": Code 128 with FNC1 in the first position, that is, GS1-128.
        assert symbol.symbology_identifier == "]C1"
        assert symbol.content_type == zxingcpp.ContentType.GS1
        # GS1 General Specifications §5.4.4.3: at most 48 data characters in one symbol.
        assert len(symbol.bytes) <= 48
    elements = parsed(linear)
    assert elements["01"].gtin.value == "99526000160017"
    assert elements["10"].value == LOT
    assert elements["11"].date == dt.date(2026, 11, 20)
    assert elements["17"].date == dt.date(2026, 11, 25)
    assert elements["3101"].decimal == Decimal("1.3")
    assert set(elements) == {"01", "10", "11", "17", "3101"}


@pytest.mark.parametrize("dpi", [203, 300])
def test_each_symbol_carries_the_gtin_and_reads_back_as_gs1_data(chinese_label, gs1, dpi):
    linear, _ = scan(render_label(chinese_label, dpi=dpi))

    fields = {}
    for symbol in linear:
        # zxing gives GS1 data as a bracketed element string, in the order encoded.
        data = Gs1Data.parse_element_string(symbol.text, today=dt.date(2026, 11, 20))
        assert data.gtin == gs1.gtin
        for name in ("lot", "production_date", "expiry", "net_weight"):
            if getattr(data, name) is not None:
                fields[name] = getattr(data, name)
    assert Gs1Data(gs1.gtin, **fields) == gs1


@pytest.mark.parametrize("dpi", [203, 300])
def test_human_readable_text_is_what_the_symbol_holds(chinese_label, gs1, dpi):
    linear, _ = scan(render_label(chinese_label, dpi=dpi))

    _, planned = label._plan_symbols(gs1, label._Page(dpi))
    assert [s.human_readable() for s in planned] == [s.text for s in linear]


@pytest.mark.parametrize("dpi", [203, 300])
def test_qr_code_carries_the_digital_link(chinese_label, dpi):
    _, qr = scan(render_label(chinese_label, dpi=dpi))

    assert [b.text for b in qr] == [chinese_label.digital_link]
    assert qr[0].text == (
        "https://id.gs1.org/01/99526000160017/10/WJ261120A?11=261120&17=261125&3101=000013"
    )
    assert qr[0].ec_level in {"M", "Q", "H"}
    assert biip.parse(qr[0].text).gs1_digital_link_uri is not None


def test_qr_code_uses_the_resolver_given(gs1):
    content = LabelContent([], gs1, digital_link_base="https://trace.example.cn/dl/")
    _, qr = scan(render_label(content))
    assert qr[0].text.startswith("https://trace.example.cn/dl/01/99526000160017/10/WJ261120A?")


def bar_row(image: Image.Image, symbol: zxingcpp.Barcode) -> list[tuple[int, int]]:
    """(dark, run length) across the label through the middle of a linear symbol."""
    position = symbol.position
    y = (position.top_left.y + position.bottom_left.y) // 2
    row = [image.getpixel((x, y)) == 0 for x in range(image.width)]
    return [(dark, len(list(run))) for dark, run in itertools.groupby(row)]


@pytest.mark.parametrize(("dpi", "dots"), [(203, 2), (300, 3)])
def test_module_width_is_whole_dots_and_quiet_zones_are_ten_modules(chinese_label, dpi, dots):
    image = render_label(chinese_label, dpi=dpi)
    linear, _ = scan(image)

    for symbol in linear:
        runs = bar_row(image, symbol)
        (left_dark, left_quiet), *elements, (right_dark, right_quiet) = runs
        assert not left_dark
        assert not right_dark
        # The narrowest bar or space is the module: whole dots, at least 0.25 mm.
        module = min(length for _, length in elements)
        assert module == dots
        assert module * 25.4 / dpi >= 0.25
        assert all(length % module == 0 for _, length in elements)
        assert all(length <= 4 * module for _, length in elements)  # Code 128: 1-4 modules
        assert min(left_quiet, right_quiet) >= 10 * module


def test_short_data_gets_wider_bars_in_one_symbol():
    content = LabelContent([], Gs1Data("99526000160017"))
    image = render_label(content, dpi=203)
    linear, _ = scan(image)

    assert [s.text for s in linear] == ["(01)99526000160017"]
    _, *elements, _ = bar_row(image, linear[0])
    module = min(length for _, length in elements)
    assert module * 25.4 / 203 >= 0.495  # GS1's X for general distribution, when it fits


@pytest.mark.parametrize(
    "data",
    [
        Gs1Data("09506000134352", lot="a-1/b(2)", country_of_origin="156"),
        Gs1Data(
            "99526000160017",
            lot="WE261118",
            packaging_date=dt.date(2026, 11, 18),
            best_before=dt.date(2026, 12, 16),
            net_weight=Mass.parse("2.5 lb"),
            country_of_origin="156",
        ),
        Gs1Data("99526000160017", lot="1234567890ABCDEFGHIJ", net_weight=Mass.parse("0.85 kg")),
    ],
    ids=["two-variable-fields", "every-ai", "longest-lot"],
)
@pytest.mark.parametrize("dpi", [203, 300])
def test_other_gs1_data_reads_back(data, dpi):
    content = LabelContent([Particular("name", "Product name", "Eggs", GB7718)], data)
    linear, qr = scan(render_label(content, dpi=dpi))

    assert all(s.symbology_identifier == "]C1" for s in linear)
    read = {(e.ai.ai, e.value) for e in parsed(linear).values()}
    assert sorted(read) == sorted(data.ai_values())
    assert [b.text for b in qr] == [data.digital_link()]


def test_a_lot_too_wide_for_the_label_is_refused():
    data = Gs1Data("99526000160017", lot="ABCDEFGHIJKLMNOPQRST")
    with pytest.raises(InvalidValueError, match="does not fit in GS1-128") as caught:
        render_label(LabelContent([], data), dpi=203)
    assert caught.value.field == "gs1"
    assert "shorten the lot" in caught.value.hint


# --- text ----------------------------------------------------------------------------------


def test_chinese_characters_have_real_glyphs():
    font = label._find_font("泰和乌鸡冰鲜")
    face = font.at(64)
    glyphs = {char: face.getmask(char) for char in "泰和乌鸡"}

    # A CJK glyph is one em wide; the "missing glyph" box of a Latin font is about half.
    for char in glyphs:
        assert 0.9 * 64 <= face.getlength(char) <= 1.1 * 64, char
    # Tofu boxes would all look alike.
    drawn = [(mask.size, bytes(mask)) for mask in glyphs.values()]
    assert len(set(drawn)) == len(drawn)


def test_chinese_label_text_is_drawn(chinese_label):
    image = render_label(chinese_label, dpi=203)
    # The title band: ink in the top 12 mm, from the left margin on.
    top = image.crop((0, 0, image.width, round(12 * 203 / 25.4))).convert("L")
    assert top.getextrema() == (0, 255)


def test_font_named_in_the_environment_is_used(monkeypatch, gs1):
    if not DEJAVU.is_file():
        pytest.skip("DejaVu Sans is not installed")
    monkeypatch.setenv(FONT_ENV_VAR, str(DEJAVU))
    english = LabelContent([Particular("name", "Product name", "Black-bone chicken", GB7718)], gs1)
    assert label._find_font(english._text()).path == DEJAVU
    assert render_label(english).size == pixels(203)

    chinese = LabelContent([Particular("name", "产品名称", "泰和乌鸡", GB7718)], gs1)
    with pytest.raises(InvalidValueError, match="cannot draw") as caught:
        render_label(chinese)
    assert "泰" in str(caught.value)
    assert caught.value.field == FONT_ENV_VAR


def test_missing_font_file_in_the_environment_is_an_error(monkeypatch, gs1, tmp_path):
    monkeypatch.setenv(FONT_ENV_VAR, str(tmp_path / "nope.ttf"))
    with pytest.raises(InvalidValueError, match="not a file") as caught:
        render_label(LabelContent([], gs1))
    assert caught.value.field == FONT_ENV_VAR


def test_long_text_shrinks_before_it_overflows(chinese_label, catalog, gs1):
    short = label._fit_text(
        chinese_label,
        label._Page(203),
        label._find_font(chinese_label._text()),
        bottom=700,
        qr_box=label._Box(800, 800, 800, 800),
    )
    long_particulars = label_particulars(catalog, LOT, jurisdiction="US", net_weight=WEIGHED)
    longer = LabelContent(long_particulars, gs1)
    long = label._fit_text(
        longer,
        label._Page(203),
        label._find_font(longer._text()),
        bottom=700,
        qr_box=label._Box(800, 800, 800, 800),
    )
    smallest = label._min_font_size(label._find_font(longer._text()), label._Page(203))
    assert smallest <= long.body.size < short.body.size
    # The smallest size keeps digits 1.8 mm high (GB 7718-2011 §3.9).
    _, top, _, bottom = long.body.getbbox("8", anchor="ls")
    assert (bottom - top) * 25.4 / 203 >= 1.8
    assert render_label(longer).size == pixels(203)


def test_text_that_cannot_fit_names_what_to_shorten(gs1):
    particulars = [
        Particular("name", "产品名称", "泰和乌鸡", GB7718),
        Particular("story", "产品故事", "吴家的乌鸡在山上散养，吃虫子和谷子长大。" * 100, GB7718),
        Particular("storage", "贮存条件", "0~4 °C 冷藏", GB7718),
    ]
    with pytest.raises(InvalidValueError, match=r"\d+ lines? too many") as caught:
        render_label(LabelContent(particulars, gs1))
    assert caught.value.field == "particulars"
    assert caught.value.hint.startswith("shorten the longest particulars: story (")
    count = int(re.search(r"(\d+) lines? too many", str(caught.value)).group(1))
    assert count > 10


def test_line_breaks_keep_closing_punctuation_with_its_text():
    pieces = [t.text for t in label._tokens("冰鲜，整只（约1.3 kg）", bold=False)]
    assert pieces == ["冰", "鲜，", "整", "只", "（约", "1.3", " ", "kg）"]


# --- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [203, 300])
def test_png_keeps_size_resolution_and_codes(chinese_label, tmp_path, dpi):
    path = save_label(chinese_label, tmp_path / "label.png", dpi=dpi)

    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == pixels(dpi)
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
        linear, qr = scan(image)
    assert len(linear) >= 1
    assert [b.text for b in qr] == [chinese_label.digital_link]


@pytest.mark.parametrize("dpi", [203, 300])
def test_pdf_page_is_exactly_100_by_150_mm(chinese_label, tmp_path, dpi):
    path = save_label(chinese_label, tmp_path / "Label.PDF", dpi=dpi)

    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", data)
    assert len(boxes) == 1  # one page
    left, bottom, right, top = (float(v) for v in boxes[0].split())
    assert (left, bottom) == (0, 0)
    assert right == pytest.approx(100 / 25.4 * 72, abs=0.01)
    assert top == pytest.approx(150 / 25.4 * 72, abs=0.01)
    assert b"/DCTDecode" not in data  # no JPEG: it would blur the bars


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_pdf_page_scans_like_the_image(chinese_label, tmp_path):
    path = save_label(chinese_label, tmp_path / "label.pdf", dpi=300)
    command = [
        shutil.which("pdftoppm"),
        "-r",
        "300",
        "-png",
        "-singlefile",
        path,
        tmp_path / "page",
    ]
    subprocess.run([str(part) for part in command], check=True)  # noqa: S603

    with Image.open(tmp_path / "page.png") as page:
        assert page.size == pytest.approx(pixels(300), abs=1)
        linear, qr = scan(page)
    assert [s.symbology_identifier for s in linear] == ["]C1", "]C1"]
    assert [b.text for b in qr] == [chinese_label.digital_link]


def test_other_file_types_are_refused(chinese_label, tmp_path):
    with pytest.raises(InvalidValueError, match="cannot tell how") as caught:
        save_label(chinese_label, tmp_path / "label.jpg")
    assert ".png" in caught.value.hint
    assert not (tmp_path / "label.jpg").exists()


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [0, -203, 72, 150, 1200, 203.0, True, "203", None])
def test_bad_dpi_is_refused(chinese_label, dpi):
    with pytest.raises(InvalidValueError, match="not a label printer's resolution") as caught:
        render_label(chinese_label, dpi=dpi)
    assert caught.value.field == "dpi"
    assert "203" in caught.value.hint


def test_content_is_checked_when_made(gs1):
    with pytest.raises(InvalidValueError, match=r"particulars\[1\] is a tuple") as caught:
        LabelContent([Particular("name", "Name", "Eggs", GB7718), ("lot", "Lot")], gs1)
    assert caught.value.field == "particulars"
    with pytest.raises(InvalidValueError, match="gs1 must be a Gs1Data"):
        LabelContent([], "(01)99526000160017")
    with pytest.raises(InvalidValueError, match="title"):
        LabelContent([], gs1, title="  ")
    with pytest.raises(InvalidValueError, match="language tag"):
        LabelContent([], gs1, language="Chinese!")
    with pytest.raises(IdentifierError, match="base"):
        LabelContent([], gs1, digital_link_base="id.gs1.org")


def test_content_is_immutable(chinese_label):
    assert isinstance(chinese_label.particulars, tuple)
    with pytest.raises(AttributeError):
        chinese_label.title = "other"  # type: ignore[misc]


def test_heading_separator_follows_the_language(gs1):
    particular = Particular("name", "Name", "Eggs", GB7718)
    assert LabelContent([particular], gs1)._separator("Name") == ": "
    assert LabelContent([particular], gs1, language="zh-CN")._separator("Name") == "："
    assert LabelContent([particular], gs1)._separator("产品名称") == "："
