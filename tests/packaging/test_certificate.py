"""The commitment certificate: its content from the catalogue, and the printed sheet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest
import zxingcpp
from PIL import Image

from ruralseller.catalog import Catalog, CommitmentBasis, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
from ruralseller.packaging import (
    CERTIFICATE_SIZE_MM,
    COMMITMENTS,
    CertificateContent,
    lot_certificate,
    render_certificate,
    save_certificate,
)
from ruralseller.packaging.label import font_for

SAMPLE = load_catalog(sample_path())


def without_certificate(catalog: Catalog = SAMPLE) -> Catalog:
    lots = [attrs.evolve(lot, certificate=None) for lot in catalog.lots]
    return attrs.evolve(catalog, lots=lots)


class TestContent:
    def test_chicken(self) -> None:
        """The chicken lot's certificate: product, count and weight, origin, producer."""
        content = lot_certificate(SAMPLE, "WJ261120A")
        fields = dict(content.fields())
        assert fields["产品名称"] == "泰和乌鸡 整只 冰鲜"
        assert fields["数量(重量)"] == "40 只 (约 40 kg - 56 kg)"
        assert fields["产地"] == "江西省吉安市泰和县武山镇汪陂村"
        assert fields["生产者"] == "吴家乌鸡养殖场"
        assert fields["联系方式"] == "+86 796 000 0000"
        assert fields["开具日期"] == "2026-11-20"
        assert content.basis == (CommitmentBasis.INTERNAL_QUALITY_CONTROL,)
        assert content.story_url == "https://id.gs1.org/01/99526000160017/10/WJ261120A"

    def test_records_are_listed(self) -> None:
        """Each record behind the certificate is one line: kind, number, day, who, result."""
        content = lot_certificate(SAMPLE, "WE261118")
        assert content.records[0] == (
            "委托检测 THJC-2026-1107 (2026-11-16, 泰和县农产品质量安全检测站) "
            "恩诺沙星、氟苯尼考、甲硝唑: 未检出"
        )

    def test_resolver_and_story_url(self) -> None:
        """The QR code follows the partner's resolver, or a story URL given outright."""
        own = lot_certificate(SAMPLE, "WE261118", digital_link_base="https://id.example.cn")
        assert own.story_url.startswith("https://id.example.cn/01/09526000160021/10/WE261118")
        given = lot_certificate(SAMPLE, "WE261118", story_url="https://farm.example/WE261118")
        assert given.story_url == "https://farm.example/WE261118"

    def test_lot_without_certificate(self) -> None:
        """A lot with no certificate record is refused, naming the field and how to add it."""
        with pytest.raises(InvalidValueError) as info:
            lot_certificate(without_certificate(), "WE261118")
        assert info.value.field == "lots[2].certificate"
        assert "[lots.certificate]" in info.value.hint

    def test_product_without_gtin_needs_a_story_url(self) -> None:
        """Without a GTIN there is no Digital Link: a story URL must be given."""
        products = [attrs.evolve(p, gtin=None) for p in SAMPLE.products]
        catalog = attrs.evolve(SAMPLE, products=products)
        with pytest.raises(InvalidValueError, match="no GTIN"):
            lot_certificate(catalog, "WE261118")
        assert (
            lot_certificate(catalog, "WE261118", story_url="https://x.example/1").lot == "WE261118"
        )

    def test_issued_by(self) -> None:
        """Who signed for the producer is printed as the producer when given."""
        lot = SAMPLE.lot("WE261118")
        assert lot.certificate is not None
        signed = attrs.evolve(lot, certificate=attrs.evolve(lot.certificate, issued_by="吴大明"))
        catalog = attrs.evolve(
            SAMPLE, lots=[signed if item.id == lot.id else item for item in SAMPLE.lots]
        )
        assert lot_certificate(catalog, "WE261118").producer == "吴大明"


class TestSheet:
    def test_a6_at_the_given_dpi(self) -> None:
        """An A6 landscape sheet, its resolution recorded."""
        image = render_certificate(lot_certificate(SAMPLE, "WJ261120A"), dpi=300)
        width, height = CERTIFICATE_SIZE_MM
        assert image.size == (round(width * 300 / 25.4), round(height * 300 / 25.4))
        assert image.info["dpi"] == (300, 300)

    def test_qr_code_opens_the_lots_story(self) -> None:
        """A scanner reads the QR code as the lot's Digital Link."""
        content = lot_certificate(SAMPLE, "WE261118")
        found = zxingcpp.read_barcodes(render_certificate(content, dpi=200))
        assert [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode] == [
            content.story_url
        ]

    def test_every_character_has_a_glyph(self) -> None:
        """The font chosen draws every character printed (no missing-glyph boxes)."""
        content = lot_certificate(SAMPLE, "WE261118")
        for text in (*COMMITMENTS, *content.records, content.origin):
            assert text in content.text()
        assert font_for(content.text()).is_file()

    def test_ticked_boxes_follow_the_basis(self) -> None:
        """Changing the basis changes the sheet (the boxes ticked), nothing else needed."""
        content = lot_certificate(SAMPLE, "WE261118")
        own = attrs.evolve(content, basis=(CommitmentBasis.OWN_COMMITMENT,))
        first, second = (render_certificate(c, dpi=150) for c in (content, own))
        assert first.tobytes() != second.tobytes()

    def test_too_much_text_is_an_error(self) -> None:
        """Text that does not fit at a readable size is refused with a hint."""
        content = lot_certificate(SAMPLE, "WE261118")
        crowded = attrs.evolve(content, records=tuple("检测记录" * 40 for _ in range(8)))
        with pytest.raises(InvalidValueError, match="does not fit") as info:
            render_certificate(crowded)
        assert "shorten" in info.value.hint

    @pytest.mark.parametrize("dpi", [100, 700, True])
    def test_bad_dpi(self, dpi: int) -> None:
        """A resolution outside 150-600 is refused."""
        with pytest.raises(InvalidValueError, match="dpi"):
            render_certificate(lot_certificate(SAMPLE, "WE261118"), dpi=dpi)


class TestSave:
    def test_png(self, tmp_path: Path) -> None:
        """A PNG that opens with its resolution."""
        path = save_certificate(lot_certificate(SAMPLE, "WJ261120A"), tmp_path / "c.png", dpi=200)
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert round(image.info["dpi"][0]) == 200

    def test_pdf_is_an_a6_page(self, tmp_path: Path) -> None:
        """A one-page PDF whose page is 148 × 105 mm."""
        path = save_certificate(lot_certificate(SAMPLE, "WJ261120A"), tmp_path / "c.pdf")
        data = path.read_bytes()
        assert data.startswith(b"%PDF")
        box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
        assert box is not None
        width, height = (float(v) * 25.4 / 72 for v in box.groups())
        assert width == pytest.approx(148, abs=0.5)
        assert height == pytest.approx(105, abs=0.5)

    def test_other_suffix(self, tmp_path: Path) -> None:
        """Only .png and .pdf are written."""
        with pytest.raises(InvalidValueError, match="cannot tell how"):
            save_certificate(lot_certificate(SAMPLE, "WJ261120A"), tmp_path / "c.jpg")


def test_content_is_a_value() -> None:
    """CertificateContent is an immutable value built from plain data."""
    content = CertificateContent(
        product="土豆",
        quantity="100 kg",
        producer="张家",
        contact=None,
        origin="甘肃省定西市",
        issued_on=dt.date(2026, 9, 1),
        basis=(CommitmentBasis.SELF_TEST,),
        story_url="https://x.example/1",
        lot="TD2609",
    )
    assert dict(content.fields())["联系方式"] == ""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        content.lot = "x"  # type: ignore[misc]
