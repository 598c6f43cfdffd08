"""Generating listing drafts: templates, locales, escaping, the sandbox and claims."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs
import pytest

from ruralseller.catalog import Mass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import CHINA_STANDARD_TIME, plan_shipment
from ruralseller.errors import InvalidValueError
from ruralseller.listing import TEMPLATE_NAMES, generate_listing, render_preview

SAMPLE = load_catalog(sample_path())
ON = dt.date(2026, 11, 21)


def with_name(name: str):  # type: ignore[no-untyped-def]
    chicken = attrs.evolve(SAMPLE.products[0], name=name)
    return attrs.evolve(SAMPLE, products=[chicken, *SAMPLE.products[1:]])


class TestDraft:
    def test_both_locales(self) -> None:
        """The draft has zh-CN and en text with title, description, bullets and attributes."""
        draft = generate_listing(SAMPLE, "WJ261120A", on=ON)
        assert draft.locales == ("zh-CN", "en")
        zh, en = draft.text("zh-CN"), draft.text("en")
        assert zh.title == "泰和乌鸡 整只 冰鲜 1-1.4 kg/只"
        assert "检疫合格" in zh.description
        assert en.attribute("storage").value == "chilled, 0-4 °C"  # type: ignore[union-attr]
        assert {a.key for a in zh.attributes} >= {
            "breed",
            "net_weight",
            "storage",
            "shelf_life",
            "origin",
        }
        # One bird of 1-1.4 kg at 36 CNY per jin, charged at its upper weight (多退少补).
        assert zh.price_text == "¥100.80/只 (¥36.00/斤, 按 1.4 kg 计价, 称重后多退少补)"
        assert en.price_text == (
            "CN¥100.80 per bird (CN¥36.00 per jin (500 g); "
            "charged at 1.4 kg, the difference refunded after weighing)"
        )

    def test_offer_and_ids(self) -> None:
        """Price, stock, order limits, SKU, GTIN and the traceability link come from the lot."""
        draft = generate_listing(SAMPLE, "WJ261120A", on=ON)
        assert (draft.sku, draft.gtin, draft.stock, draft.max_order) == (
            "WJ261120A",
            "99526000160017",
            40,
            6,
        )
        assert str(draft.price_per_kg) == "72.00 CNY"
        assert (
            draft.traceability_url == "https://id.gs1.org/01/99526000160017/10/WJ261120A?17=261125"
        )
        assert len(draft.images) == 3
        assert all(Path(image).is_file() for image in draft.images)

    def test_jin_shown_when_asked(self) -> None:
        """With jin=True masses are also given in 斤, with the conversion."""
        draft = generate_listing(SAMPLE, "WJ261120A", on=ON, jin=True)
        assert "(2-2.8 斤)" in draft.text("zh-CN").title
        assert "(2-2.8 jin)" in draft.text("en").title

    def test_eggs(self) -> None:
        """An egg box is a 盒, at its fixed weight."""
        draft = generate_listing(SAMPLE, "WE261118", on=ON)
        assert draft.text("zh-CN").title.endswith("1.25 kg/盒")
        assert draft.sale_unit == "piece"
        # The box's fixed weight gives the reference price by weight buyers compare with.
        assert str(draft.price_per_kg) == "54.40 CNY"
        assert draft.text("zh-CN").price_text == "¥68.00/盒 (折合 ¥27.20/斤)"

    def test_shipping_promise(self) -> None:
        """A shipment plan gives the regions served and those out of reach."""
        ship = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
        plan = plan_shipment(SAMPLE, "WJ261120A", ["广州", "乌鲁木齐"], ship)
        draft = generate_listing(SAMPLE, "WJ261120A", on=ON, shipment=plan)
        assert draft.shipping is not None
        assert draft.shipping.regions == ("广州市",)
        assert draft.shipping.excluded == ("乌鲁木齐市",)
        assert draft.shipping.temperature_class == "chilled"


class TestClaims:
    def test_banned_word_in_title_makes_the_draft_invalid(self) -> None:
        """最佳 in the product name makes compliance fail, naming the rule."""
        draft = generate_listing(with_name("最佳泰和乌鸡"), "WJ261120A", on=ON)
        assert draft.compliance_ok is False
        assert "CN-AD-ABSOLUTE-TERMS" in draft.compliance_findings

    def test_claim_in_a_partner_template(self, tmp_path: Path) -> None:
        """A disease claim written in a partner's template is caught too."""
        (tmp_path / "zh-CN").mkdir()
        (tmp_path / "zh-CN" / "title.txt.j2").write_text("{{ product.name }} 降血压", "utf-8")
        draft = generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        assert draft.text("zh-CN").title == "泰和乌鸡 整只 冰鲜 降血压"
        assert "CN-FOOD-DISEASE-CLAIMS" in draft.compliance_findings


class TestTemplates:
    def test_partner_template_overrides_one_file(self, tmp_path: Path) -> None:
        """A partner's title template replaces ours; the other templates stay ours."""
        (tmp_path / "en").mkdir()
        (tmp_path / "en" / "title.txt.j2").write_text(
            "Black chicken from {{ origin.province_en }}", "utf-8"
        )
        draft = generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        assert draft.text("en").title == "Black chicken from Jiangxi"
        assert draft.text("en").description.startswith("Taihe black-bone silkie chicken")

    def test_html_is_escaped(self) -> None:
        """A product named <script> is shown as text in the HTML, never run."""
        draft = generate_listing(with_name("<script>alert(1)</script>"), "WJ261120A", on=ON)
        html = draft.text("en").description_html + render_preview(draft)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html

    def test_sandbox_blocks_unsafe_code(self, tmp_path: Path) -> None:
        """A partner template cannot reach Python internals: the sandbox refuses."""
        (tmp_path / "en").mkdir()
        (tmp_path / "en" / "title.txt.j2").write_text(
            "{{ product.__class__.__mro__[1].__subclasses__() }}", "utf-8"
        )
        with pytest.raises(InvalidValueError, match=r"en/title\.txt\.j2"):
            generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)

    def test_undefined_name_in_template(self, tmp_path: Path) -> None:
        """A misspelt name in a partner template is an error naming the template."""
        (tmp_path / "en").mkdir()
        (tmp_path / "en" / "title.txt.j2").write_text("{{ prodcut.name }}", "utf-8")
        with pytest.raises(InvalidValueError, match="uses a name that is not there") as info:
            generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        assert "en/title.txt.j2" in str(info.value)

    def test_every_shipped_template_exists(self) -> None:
        """Each locale ships every template."""
        root = Path(__file__).parents[2] / "src" / "ruralseller" / "listing" / "templates"
        for locale in ("zh-CN", "en"):
            assert sorted(p.name for p in (root / locale).iterdir()) == sorted(TEMPLATE_NAMES)


class TestErrors:
    def test_not_on_offer(self) -> None:
        """A lot without an offer cannot be listed; the hint says to add one."""
        catalog = attrs.evolve(SAMPLE, offers=SAMPLE.offers[1:])
        with pytest.raises(InvalidValueError, match="not on offer") as info:
            generate_listing(catalog, "WJ261120A", on=ON)
        assert "[[offers]]" in info.value.hint

    def test_unknown_locale(self) -> None:
        """A locale without labels is refused."""
        with pytest.raises(InvalidValueError, match="'fr'"):
            generate_listing(SAMPLE, "WJ261120A", on=ON, locales=["fr"])

    def test_missing_template_folder(self, tmp_path: Path) -> None:
        """A template folder that does not exist is named."""
        with pytest.raises(InvalidValueError, match="does not exist"):
            generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path / "nope")


class TestShippingWeight:
    def test_never_below_the_goods_and_planned_once_per_product(self) -> None:
        """The packed weight of one bird is at least its heaviest piece; the pack of the
        first bird's lot serves the next lot of the same product, weights and season."""
        from ruralseller.listing import generate as module  # noqa: PLC0415 - its cache

        module._PACKED.clear()
        first = generate_listing(SAMPLE, "WJ261123A", on=dt.date(2026, 11, 23))
        assert first.shipping_weight is not None
        assert first.shipping_weight >= Mass.parse("1.5 kg")
        assert len(module._PACKED) == 1
        again = generate_listing(SAMPLE, "WJ261123A", on=dt.date(2026, 11, 24))
        assert again.shipping_weight == first.shipping_weight
        assert len(module._PACKED) == 1


class TestWeightBands:
    def test_bands_are_variations_and_survive_json(self) -> None:
        """Each band a variation at its upper weight; the draft's price is the heaviest's."""
        import attrs  # noqa: PLC0415

        from ruralseller.catalog import PricingPolicy, WeightBand, converter  # noqa: PLC0415
        from ruralseller.listing import ListingDraft, draft_to_data  # noqa: PLC0415

        bands = [
            WeightBand(min=Mass.parse("1.1 kg"), max=Mass.parse("1.3 kg")),
            WeightBand(min=Mass.parse("1.3 kg"), max=Mass.parse("1.5 kg")),
        ]
        offers = [
            attrs.evolve(o, pricing=PricingPolicy.WEIGHT_BANDS, bands=bands)
            if o.lot == "WJ261123A"
            else o
            for o in SAMPLE.offers
        ]
        catalog = attrs.evolve(SAMPLE, offers=offers)
        draft = generate_listing(catalog, "WJ261123A", on=dt.date(2026, 11, 23))
        assert draft.unit is not None
        assert [(v.key, str(v.price)) for v in draft.unit.variations] == [
            ("1.1-1.3 kg", "93.60 CNY"),
            ("1.3-1.5 kg", "108.00 CNY"),
        ]
        assert str(draft.price) == "108.00 CNY"
        assert draft.text("zh-CN").price_text.startswith(
            "1.1-1.3 kg: ¥93.60/只, 1.3-1.5 kg: ¥108.00/只 (¥36.00/斤"
        )
        again = converter("json").structure(draft_to_data(draft), ListingDraft)
        assert again == draft


class TestKeptEnvironments:
    """Templates are compiled once and kept, and a partner's edits are still seen."""

    @staticmethod
    def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
        from ruralseller.listing import generate as module  # noqa: PLC0415 - its cache
        from ruralseller.listing.templates_sandbox import LimitedSandbox  # noqa: PLC0415

        module._environments.clear()
        names: list[str] = []
        compile_ = LimitedSandbox.compile

        def counting(self: LimitedSandbox, source: str, name: str | None = None, *args, **kw):  # type: ignore[no-untyped-def]
            names.append(name or "")
            return compile_(self, source, name, *args, **kw)

        monkeypatch.setattr(LimitedSandbox, "compile", counting)
        return names

    def test_second_listing_compiles_nothing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The first listing compiles each template of its locales; the next compiles none
        and comes out the same."""
        names = self.compiles(monkeypatch)
        first = generate_listing(SAMPLE, "WJ261120A", on=ON)
        assert sorted(names) == sorted(
            f"{locale}/{name}" for locale in ("zh-CN", "en") for name in TEMPLATE_NAMES
        )
        names.clear()
        assert generate_listing(SAMPLE, "WJ261120A", on=ON) == first
        generate_listing(SAMPLE, "WE261118", on=ON)
        assert names == []

    def test_partner_edit_is_seen(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A partner template rewritten between two listings is used at the second."""
        self.compiles(monkeypatch)
        (tmp_path / "en").mkdir()
        title = tmp_path / "en" / "title.txt.j2"
        title.write_text("Hen {{ lot.id }}", "utf-8")
        first = generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        assert first.text("en").title == "Hen WJ261120A"
        title.write_text("Bird {{ lot.id }}", "utf-8")  # another size
        second = generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        assert second.text("en").title == "Bird WJ261120A"
        title.write_text("Duck {{ lot.id }}", "utf-8")  # the same size, a later time
        stamp = title.stat()
        os.utime(title, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
        third = generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        assert third.text("en").title == "Duck WJ261120A"

    def test_new_and_removed_files_are_seen(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A partner file added over one of ours is used from the next listing on, and ours
        again once it is removed."""
        self.compiles(monkeypatch)
        ours = generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        (tmp_path / "zh-CN").mkdir()
        title = tmp_path / "zh-CN" / "title.txt.j2"
        title.write_text("乌鸡 {{ lot.id }}", "utf-8")
        theirs = generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path)
        assert theirs.text("zh-CN").title == "乌鸡 WJ261120A"
        title.unlink()
        assert generate_listing(SAMPLE, "WJ261120A", on=ON, templates=tmp_path) == ours

    def test_kept_environments_are_bounded(self, tmp_path: Path) -> None:
        """Many template folders do not grow the kept environments without end."""
        from ruralseller.listing import generate as module  # noqa: PLC0415 - its cache

        for number in range(module._KEPT_ENVIRONMENTS):
            folder = tmp_path / str(number)
            folder.mkdir()
            generate_listing(SAMPLE, "WJ261120A", on=ON, templates=folder)
        assert len(module._environments) == module._KEPT_ENVIRONMENTS
