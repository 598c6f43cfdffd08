"""Marketplace profiles: how each platform counts a title, and every issue a draft can have."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog import Money
from ruralseller.errors import InvalidValueError
from ruralseller.listing.draft import Attribute, ListingDraft, LocalizedText
from ruralseller.listing.images import ImageSpec
from ruralseller.listing.profiles import (
    LIMITS,
    PROFILES,
    CharacterRule,
    IssueSeverity,
    ListingIssue,
    MarketplaceProfile,
    get_profile,
    shorten_title,
    title_length,
    validate_draft,
)

SPECS = Path(__file__).resolve().parents[1] / "specs"
NAMES = sorted(PROFILES)
ATTRIBUTE_LABELS = {
    "net_weight": "Net weight",
    "storage": "Storage",
    "origin": "Origin",
    "shelf_life": "Shelf life",
}


def make_text(locale: str = "en", **changes: Any) -> LocalizedText:
    fields: dict[str, Any] = {
        "locale": locale,
        "title": "Black-bone chicken, whole",
        "description": "A free-range black-bone chicken.",
        "description_html": "<p>A free-range black-bone chicken.</p>",
        "bullets": ("Free range",),
        "attributes": [Attribute(k, v, "x") for k, v in ATTRIBUTE_LABELS.items()],
    }
    fields.update(changes)
    return LocalizedText(**fields)


def make_draft(*texts: LocalizedText, **changes: Any) -> ListingDraft:
    fields: dict[str, Any] = {
        "sku": "WJ261120A",
        "lot": "WJ261120A",
        "product": "taihe-silkie",
        "kind": "poultry_meat",
        "texts": {text.locale: text for text in texts or (make_text(),)},
        "price": Money("12.00", "USD"),
        "sale_unit": "piece",
        "stock": 5,
        "images": ["front.jpg"],
        "compliance_ok": True,
    }
    fields.update(changes)
    return ListingDraft(**fields)


def draft_for(profile: MarketplaceProfile, **changes: Any) -> ListingDraft:
    """A short, valid draft in a locale and currency the profile takes."""
    locale = profile.locales[0] if profile.locales else "en"
    currency = profile.currencies[0] if profile.currencies else "CNY"
    title = "乌鸡 整只" if locale.startswith("zh") else "Black-bone chicken"
    return make_draft(make_text(locale, title=title), price=Money("12.00", currency), **changes)


def only(issues: tuple[ListingIssue, ...], field: str) -> ListingIssue:
    found = [issue for issue in issues if issue.field == field]
    assert len(found) == 1, issues
    return found[0]


class TestCounting:
    @pytest.mark.parametrize("name", NAMES)
    def test_latin_letters_count_one_everywhere(self, name: str) -> None:
        """A Latin letter is one character, and one byte in GBK."""
        assert title_length("Silkie 1kg", PROFILES[name]) == 10

    @pytest.mark.parametrize("name", [n for n in NAMES if n != "taobao"])
    def test_chinese_counts_characters(self, name: str) -> None:
        """Every platform but Taobao counts a Chinese character as one."""
        profile = PROFILES[name]
        assert profile.title_encoding is None
        assert profile.title_unit == "characters"
        assert title_length("泰和乌鸡 整只", profile) == 7

    def test_taobao_counts_gbk_bytes(self) -> None:
        """Taobao counts bytes in GBK: a Chinese character (and a full-width mark) is 2."""
        taobao = get_profile("taobao")
        assert (taobao.title_encoding, taobao.title_unit) == ("gbk", "bytes")
        assert title_length("泰和乌鸡 整只", taobao) == 13
        assert title_length("乌鸡，1kg", taobao) == 9
        assert "a Chinese character is 2" in taobao.title_counting

    def test_sixty_bytes_is_thirty_chinese_characters(self) -> None:
        """The Taobao limit: 30 Chinese characters fit, 31 do not."""
        taobao = get_profile("taobao")
        assert title_length("鸡" * 30, taobao) == taobao.title_max == 60
        assert validate_draft(draft_for(taobao), taobao) == ()
        issues = validate_draft(
            make_draft(make_text("zh-CN", title="鸡" * 31), price=Money(1, "CNY")), taobao
        )
        assert "62 bytes in GBK" in only(issues, "texts[zh-CN].title").message

    def test_characters_outside_gbk_count_four_bytes(self) -> None:
        """A character GBK cannot write counts 4 bytes, as GB18030 writes it: never too few."""
        assert title_length("鸡🐔", get_profile("taobao")) == 6
        assert title_length("鸡🐔", get_profile("ebay")) == 2

    def test_other_encodings(self) -> None:
        """A profile may count bytes in any encoding, e.g. UTF-8 (3 bytes a Chinese character)."""
        utf8 = attrs.evolve(get_profile("sandbox"), title_encoding="utf-8")
        assert title_length("鸡a", utf8) == 4
        assert "a Chinese character is 3" in utf8.title_counting


class TestBuiltins:
    def test_names(self) -> None:
        """The built-in profiles the brief asks for, each under its own name."""
        assert NAMES == [
            "amazon",
            "ebay",
            "etsy",
            "google_merchant",
            "mercadolibre",
            "sandbox",
            "shopee",
            "shopify",
            "taobao",
            "woocommerce",
        ]
        for name, profile in PROFILES.items():
            assert profile.name == name
            assert isinstance(profile.images, ImageSpec)
            assert profile.unverified <= set(LIMITS)

    @pytest.mark.parametrize("name", NAMES)
    def test_source_says_what_is_verified(self, name: str) -> None:
        """Every profile names its source, and says 'unverified' when any limit is."""
        profile = PROFILES[name]
        assert len(profile.source) > 100
        if profile.unverified:
            assert "unverified" in profile.source

    @pytest.mark.parametrize(
        ("name", "row"),
        [
            ("sandbox", (200, 10_000, 50_000, 20, ("zh-CN", "en"))),
            ("taobao", (60, 25_000, 25_000, 5, ("zh-CN",))),
            ("ebay", (80, 4000, 500_000, 24, ("en",))),
            ("etsy", (140, 4000, None, 10, ("en",))),
            ("amazon", (200, 2000, None, 9, ("en",))),
            ("shopify", (255, 4000, 4000, 250, None)),
            ("woocommerce", (200, 4000, 4000, 8, None)),
            ("shopee", (100, 3000, None, 9, ("en", "ms", "th", "vi", "id", "zh-TW", "pt-BR"))),
            ("google_merchant", (150, 5000, None, 11, None)),
            ("mercadolibre", (60, 4000, None, 10, ("es", "pt-BR"))),
        ],
    )
    def test_key_limits(
        self, name: str, row: tuple[int, int, int | None, int, tuple[str, ...] | None]
    ) -> None:
        """Title, description, HTML description, most pictures and locales, as in §1."""
        profile = PROFILES[name]
        assert (
            profile.title_max,
            profile.description_max,
            profile.description_html_max,
            profile.images.max_count,
            profile.locales,
        ) == row

    @pytest.mark.parametrize(
        ("name", "currencies"),
        [
            ("taobao", ("CNY",)),
            ("ebay", ("USD", "GBP", "AUD", "CAD", "EUR")),
            ("sandbox", None),
            ("shopify", None),
        ],
    )
    def test_currencies(self, name: str, currencies: tuple[str, ...] | None) -> None:
        """Taobao prices in CNY; eBay in its English sites' currencies; a shop in its own."""
        assert PROFILES[name].currencies == currencies
        assert PROFILES[name].accepts_currency("usd") is (currencies is None or "USD" in currencies)

    def test_taobao_main_picture(self) -> None:
        """Taobao's main picture: at most 1 MB, JPEG (JPG/GIF allowed; we write JPEG)."""
        spec = get_profile("taobao").images
        assert (spec.max_bytes, spec.allowed_formats, spec.aspect) == (1_000_000, ("JPEG",), "1:1")
        assert get_profile("taobao").required_attributes == (
            "net_weight",
            "storage",
            "origin",
            "shelf_life",
        )

    def test_etsy_tags_and_title_characters(self) -> None:
        """Etsy: 13 tags of 20 characters, the spec's title character classes."""
        etsy = get_profile("etsy")
        assert (etsy.max_tags, etsy.tag_max_length, etsy.requires_stock) == (13, 20, True)
        assert etsy.title_characters is not None
        assert etsy.title_characters.categories == ("L", "Nd", "P", "Sm", "Zs")
        assert {"title", "tags"} <= etsy.unverified
        assert "title_characters" not in etsy.unverified

    def test_verified_limits_are_not_marked_unverified(self) -> None:
        """eBay's title, descriptions and picture count come from its spec: verified."""
        ebay = get_profile("ebay")
        assert not {"title", "description", "description_html", "image_count"} & ebay.unverified
        assert "Max Length: 80" in ebay.source
        assert ebay.note("title") == ""
        assert "unverified" in ebay.note("currencies")

    def test_ebay_limits_match_the_spec(self) -> None:
        """The eBay numbers are the spec's 'Max Length' of product.title and description."""
        spec = json.loads((SPECS / "ebay" / "sell_inventory_v1_oas3.json").read_text("utf-8"))
        schemas = spec["components"]["schemas"]
        product = schemas["Product"]["properties"]
        ebay = get_profile("ebay")
        title = product["title"]["description"]
        assert re.search(rf"Max Length</strong>: {ebay.title_max}\b", title)
        description = product["description"]["description"]
        assert re.search(rf"Max Length</strong>: {ebay.description_max}\b", description)
        listing = schemas["EbayOfferDetailsWithKeys"]["properties"]["listingDescription"]
        assert f"Max length</strong>: {ebay.description_html_max} " in listing["description"]
        assert f"up to {ebay.images.max_count} pictures" in product["imageUrls"]["description"]

    def test_etsy_limits_match_the_spec(self) -> None:
        """Etsy's 10 images and its title character classes are in the 2021 spec."""
        spec = json.loads(
            (SPECS / "etsy" / "openapi_2021-06-01_official-repo.json").read_text("utf-8")
        )
        operation = spec["paths"]["/v3/application/shops/{shop_id}/listings"]["post"]
        schema = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
        properties = schema["schema"]["properties"]
        etsy = get_profile("etsy")
        assert f"up to {etsy.images.max_count} images" in properties["image_ids"]["description"]
        title = properties["title"]["description"]
        assert r"\p{L}\p{Nd}\p{P}\p{Sm}\p{Zs}™©®" in title
        assert "%, :, & and + characters once each" in title
        assert "positive non-zero" in properties["quantity"]["description"]


class TestGetProfile:
    def test_known(self) -> None:
        """A profile by name, forgiving case and spaces."""
        assert get_profile("ebay") is PROFILES["ebay"]
        assert get_profile(" eBay ") is PROFILES["ebay"]

    def test_unknown_lists_the_names(self) -> None:
        """An unknown name fails with the names there are, in the message and the hint."""
        with pytest.raises(InvalidValueError, match="no marketplace profile is named 'jd'") as info:
            get_profile("jd")
        assert info.value.field == "marketplace"
        assert "amazon, ebay, etsy" in str(info.value)
        assert info.value.hint.startswith("use one of: amazon, ebay, etsy, google_merchant")


class TestProfileValues:
    def base(self) -> dict[str, Any]:
        return {
            "name": "test",
            "title_max": 10,
            "description_max": 100,
            "images": ImageSpec(),
            "source": "a test",
        }

    def test_valid(self) -> None:
        """A profile needs only a name, a title and description limit, pictures and a source."""
        profile = MarketplaceProfile(**self.base())
        assert (profile.title_min, profile.locales, profile.currencies) == (1, None, None)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title_min": 11}, "title_min"),
            ({"title_max": 0}, "title_max"),
            ({"title_encoding": "klingon"}, "title_encoding"),
            ({"unverified": {"titles"}}, "unverified"),
            ({"name": "no spaces please"}, "name"),
        ],
    )
    def test_invalid(self, changes: dict[str, Any], field: str) -> None:
        """Each malformed value fails, naming its field."""
        with pytest.raises(InvalidValueError) as info:
            MarketplaceProfile(**{**self.base(), **changes})
        assert info.value.field == field

    def test_locales_and_currencies_are_normalised(self) -> None:
        """``zh_CN`` is ``zh-CN``; ``usd`` is ``USD``."""
        profile = MarketplaceProfile(**self.base(), locales=["zh_CN"], currencies=["usd"])
        assert (profile.locales, profile.currencies) == (("zh-CN",), ("USD",))

    @pytest.mark.parametrize(
        ("locales", "locale", "accepted"),
        [
            (("en",), "en", True),
            (("en",), "en-GB", True),
            (("en",), "en_US", True),
            (("en",), "zh-CN", False),
            (("zh-TW",), "zh-CN", False),
            (("zh-TW",), "zh-tw", True),
            (("zh-TW",), "zh", False),
            (None, "sw-KE", True),
        ],
    )
    def test_accepts_locale(
        self, locales: tuple[str, ...] | None, locale: str, accepted: bool
    ) -> None:
        """A bare language takes all its regions; a region takes only itself."""
        profile = MarketplaceProfile(**self.base(), locales=locales)
        assert profile.accepts_locale(locale) is accepted


class TestCharacterRule:
    def test_etsy_rule(self) -> None:
        """Letters, digits, punctuation, maths symbols, spaces and ™©®; %:&+ once each."""
        rule = get_profile("etsy").title_characters
        assert rule is not None
        assert rule.not_allowed("Silkie™ 1kg (whole) – 100% ★ ❤\t") == ("★", "❤", "\t")
        assert rule.repeated("Eggs & ham & jam: 50% + 10% +") == ("%", "&", "+")
        assert rule.repeated("Eggs & ham: 50% +") == ()
        assert rule.clean("Eggs ★ & ham & jam") == "Eggs & ham jam"

    def test_unknown_category(self) -> None:
        """A category must be a Unicode general category (or its first letter)."""
        with pytest.raises(InvalidValueError, match="'Letters' is not a Unicode general") as info:
            CharacterRule(categories=("Letters",))
        assert info.value.field == "categories"

    def test_banned_only(self) -> None:
        """With no categories, everything but the banned characters is allowed."""
        rule = CharacterRule(banned="!?")
        assert rule.not_allowed("Fresh! eggs? 乌鸡 ★") == ("!", "?")


class TestValidDrafts:
    @pytest.mark.parametrize("name", NAMES)
    def test_a_short_draft_passes(self, name: str) -> None:
        """A short draft in a locale and currency the marketplace takes has no issue."""
        profile = PROFILES[name]
        assert validate_draft(draft_for(profile), profile) == ()

    def test_generated_style_draft_in_two_locales(self) -> None:
        """eBay checks the English text only; the sandbox checks both."""
        draft = make_draft(make_text("zh-CN", title="泰和乌鸡 整只"), make_text("en"))
        assert validate_draft(draft, get_profile("sandbox")) == ()
        ebay = validate_draft(draft, get_profile("ebay"))
        assert [issue.field for issue in ebay] == []


class TestIssues:
    def test_title_too_long_in_characters(self) -> None:
        """eBay: how many characters to cut, and a shorter title that fits."""
        title = (
            "Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi, China"
        )
        issue = only(
            validate_draft(make_draft(make_text(title=title)), get_profile("ebay")),
            "texts[en].title",
        )
        assert issue.severity is IssueSeverity.ERROR
        assert issue.message == "the title is 83 characters; ebay takes at most 80"
        assert issue.fix == (
            "cut 3 characters: 'Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, "
            "from Jiangxi' (76 characters)"
        )

    def test_title_too_long_in_bytes(self) -> None:
        """Taobao: how many GBK bytes to cut, and a shorter title that fits in 60 bytes."""
        title = "泰和乌鸡 整只 冰鲜 1-1.4 kg/只 江西泰和 散养 一年以上 顺丰冷链 包邮"
        draft = make_draft(make_text("zh-CN", title=title), price=Money(36, "CNY"))
        issue = only(validate_draft(draft, get_profile("taobao")), "texts[zh-CN].title")
        assert issue.message.startswith("the title is 67 bytes in GBK")
        assert "taobao takes at most 60 (this taobao limit is unverified" in issue.message
        assert (
            issue.fix
            == "cut 7 bytes: '泰和乌鸡 整只 冰鲜 1-1.4 kg/只 江西泰和 散养 一年以上' (53 bytes)"
        )

    def test_title_one_over(self) -> None:
        """One over: 'cut 1 character'."""
        issue = only(
            validate_draft(make_draft(make_text(title="x" * 81)), get_profile("ebay")),
            "texts[en].title",
        )
        assert issue.fix.startswith("cut 1 character: 'xxx")

    def test_title_too_short(self) -> None:
        """Under the minimum: how much to add, and what."""
        profile = attrs.evolve(get_profile("sandbox"), title_min=10)
        issue = only(
            validate_draft(make_draft(make_text(title="Eggs")), profile), "texts[en].title"
        )
        assert issue.message == "the title is 4 characters; sandbox needs at least 10"
        assert issue.fix.startswith("add 6 characters or more: name the breed")

    def test_empty_title(self) -> None:
        """An empty title is too short everywhere."""
        issue = only(
            validate_draft(make_draft(make_text(title="")), get_profile("ebay")),
            "texts[en].title",
        )
        assert "needs at least 1" in issue.message

    def test_title_characters(self) -> None:
        """Etsy: the characters it does not take and the repeated once-only ones, cleaned."""
        draft = make_draft(make_text(title="Silkie ★ eggs & ham & jam"))
        issue = only(validate_draft(draft, get_profile("etsy")), "texts[en].title")
        assert issue.message == (
            "the title has characters etsy does not take: ★; and more than one of: & "
            "(each only once)"
        )
        assert issue.fix == "remove them: 'Silkie eggs & ham jam'"

    def test_amazon_banned_characters(self) -> None:
        """Amazon's banned title characters, marked unverified."""
        draft = make_draft(make_text(title="Best chicken!"))
        issue = only(validate_draft(draft, get_profile("amazon")), "texts[en].title")
        assert "amazon does not take: !" in issue.message
        assert "unverified" in issue.message
        assert issue.fix == "remove them: 'Best chicken'"

    def test_missing_attributes(self) -> None:
        """Every missing required attribute in one issue, with where it comes from."""
        text = make_text(
            "zh-CN",
            title="乌鸡",
            attributes=[
                Attribute("net_weight", "净含量", "1 kg"),
                Attribute("origin", "产地", " "),
            ],
        )
        draft = make_draft(text, price=Money(36, "CNY"))
        issue = only(validate_draft(draft, get_profile("taobao")), "texts[zh-CN].attributes")
        assert issue.message.startswith(
            "taobao needs the attributes storage, origin, shelf_life, which the text has not"
        )
        assert "storage (give the product's storage class)" in issue.fix
        assert "shelf_life (give the product's shelf-life basis)" in issue.fix

    def test_description_too_long(self) -> None:
        """eBay's product.description: 4000 characters."""
        draft = make_draft(make_text(description="x" * 4010))
        issue = only(validate_draft(draft, get_profile("ebay")), "texts[en].description")
        assert (
            issue.message
            == "the description description is 4010 characters; ebay takes at most 4000"
        )
        assert issue.fix.startswith("cut at least 10 characters")

    def test_html_description_too_long(self) -> None:
        """The HTML description has its own limit, when the platform takes HTML."""
        profile = attrs.evolve(get_profile("sandbox"), description_html_max=20)
        draft = make_draft(make_text(description_html="<p>" + "x" * 30 + "</p>"))
        issue = only(validate_draft(draft, profile), "texts[en].description_html")
        assert "HTML description is 37 characters" in issue.message
        assert "cut at least 17 characters" in issue.fix

    def test_html_not_checked_where_plain_text_only(self) -> None:
        """Etsy takes plain text: the HTML is not sent, so not checked."""
        draft = make_draft(make_text(description_html="x" * 100_000))
        assert validate_draft(draft, get_profile("etsy")) == ()

    def test_bullets(self) -> None:
        """Amazon: at most 5 bullet points of 255 characters."""
        bullets = ("a", "b", "c" * 300, "d", "e", "f")
        issues = validate_draft(make_draft(make_text(bullets=bullets)), get_profile("amazon"))
        count = only(issues, "texts[en].bullets")
        assert count.message.startswith("6 bullet points; amazon takes at most 5")
        assert count.fix.startswith("drop or merge 1: keep the 5")
        long = only(issues, "texts[en].bullets[2]")
        assert long.message.startswith("bullet point 3 is 300 characters")
        assert long.fix == "cut 45 characters: one fact per bullet point"

    def test_too_many_images(self) -> None:
        """Etsy: 10 pictures at most."""
        draft = make_draft(images=[f"{n}.jpg" for n in range(12)])
        issue = only(validate_draft(draft, get_profile("etsy")), "images")
        assert issue.message == "12 pictures; etsy takes at most 10"
        assert issue.fix == "drop the last 2, keeping the main picture first"

    def test_too_few_images(self) -> None:
        """Every built-in marketplace needs a picture."""
        issue = only(validate_draft(make_draft(images=[]), get_profile("ebay")), "images")
        assert issue.message == "0 pictures; ebay needs at least 1"
        assert issue.fix.startswith("add 1 to the product or the lot")

    def test_locale_not_taken(self) -> None:
        """Asking eBay for the Chinese text: the locale is refused, and the text still checked."""
        draft = make_draft(make_text("zh-CN", title="x" * 90))
        issues = validate_draft(draft, get_profile("ebay"), locale="zh-CN")
        issue = only(issues, "locale")
        assert issue.message == (
            "ebay does not sell in zh-CN; it takes en "
            "(this ebay limit is unverified; see the profile's source)"
        )
        assert issue.fix == "generate the listing in en and check that locale"
        assert only(issues, "texts[zh-CN].title")

    def test_no_text_the_marketplace_takes(self) -> None:
        """A Chinese-only draft for eBay."""
        draft = make_draft(make_text("zh-CN", title="乌鸡"))
        issue = only(validate_draft(draft, get_profile("ebay")), "texts")
        assert issue.message.startswith("ebay sells in en; the draft has text only in zh-CN")
        assert issue.fix == "generate the listing in en"

    def test_draft_without_text(self) -> None:
        """A draft with no text at all."""
        issue = only(validate_draft(make_draft(texts={}), get_profile("shopify")), "texts")
        assert issue.message == "shopify sells in any locale; the draft has no text"

    def test_locale_missing_from_draft(self) -> None:
        """Asking for a locale the draft has no text in."""
        issue = only(
            validate_draft(make_draft(), get_profile("sandbox"), locale="zh-CN"), "texts[zh-CN]"
        )
        assert issue.message == "the draft has no text in zh-CN; it has en"

    def test_locale_of_another_region(self) -> None:
        """``en-GB`` is checked against the draft's ``en`` text."""
        assert validate_draft(make_draft(), get_profile("ebay"), locale="en-GB") == ()

    def test_currency(self) -> None:
        """eBay does not price in CNY."""
        draft = make_draft(price=Money("36.00", "CNY"))
        issue = only(validate_draft(draft, get_profile("ebay")), "price")
        assert issue.message.startswith("the price is in CNY; ebay takes USD, GBP, AUD, CAD, EUR")
        assert issue.fix.startswith("price the offer in one of USD, GBP, AUD, CAD, EUR")
        assert "a marketplace that sells in CNY" in issue.fix

    def test_price_zero(self) -> None:
        """A price of nothing."""
        issue = only(
            validate_draft(make_draft(price=Money(0, "USD")), get_profile("ebay")), "price"
        )
        assert issue.message == "the price is 0 USD; a listing needs a price above zero"

    def test_stock_zero_warns(self) -> None:
        """No stock: a warning, the listing would show as sold out."""
        issue = only(validate_draft(make_draft(stock=0), get_profile("ebay")), "stock")
        assert issue.severity is IssueSeverity.WARNING
        assert issue.message == "the stock is 0: the listing would show as sold out"

    def test_stock_zero_is_an_error_on_etsy(self) -> None:
        """Etsy's quantity must be positive non-zero."""
        issue = only(validate_draft(make_draft(stock=0), get_profile("etsy")), "stock")
        assert issue.severity is IssueSeverity.ERROR
        assert issue.message == "the stock is 0: etsy refuses a listing with nothing for sale"

    def test_compliance_blocked(self) -> None:
        """A draft the compliance check blocked, naming its findings."""
        draft = make_draft(compliance_ok=False, compliance_findings=["C-CN-13", "C-CN-02"])
        issue = only(validate_draft(draft, get_profile("sandbox")), "compliance_findings")
        assert issue.severity is IssueSeverity.ERROR
        assert issue.message.startswith(
            "the compliance check found blocking findings: C-CN-13, C-CN-02"
        )
        assert "remedy" in issue.fix

    def test_compliance_not_run(self) -> None:
        """A draft never checked: a warning."""
        issue = only(
            validate_draft(make_draft(compliance_ok=None), get_profile("sandbox")), "compliance_ok"
        )
        assert issue.severity is IssueSeverity.WARNING
        assert "generate_listing()" in issue.fix

    def test_every_problem_at_once(self) -> None:
        """One call reports them all, in the order of the draft's fields."""
        text = make_text(
            title="x" * 250,
            description="y" * 5000,
            bullets=["b"] * 7,
            attributes=[],
        )
        draft = make_draft(
            text,
            price=Money(0, "CNY"),
            stock=0,
            images=[f"{n}.jpg" for n in range(12)],
            compliance_ok=False,
            compliance_findings=["C-CN-13"],
        )
        issues = validate_draft(draft, get_profile("amazon"))
        assert [issue.field for issue in issues] == [
            "texts[en].title",
            "texts[en].description",
            "texts[en].bullets",
            "texts[en].attributes",
            "images",
            "price",
            "price",
            "stock",
            "compliance_findings",
        ]
        assert [issue.severity.value for issue in issues].count("warning") == 1

    def test_issue_text(self) -> None:
        """An issue prints as severity, field, message and fix."""
        issue = ListingIssue("images", "0 pictures", "add one")
        assert str(issue) == "error: images: 0 pictures\n    fix: add one"


class TestShortening:
    def test_fitting_title_is_kept(self) -> None:
        """A title that fits comes back as it is, without surrounding spaces."""
        assert shorten_title("  Silkie eggs ", get_profile("ebay")) == "Silkie eggs"

    def test_drops_trailing_parts(self) -> None:
        """Whole trailing parts go first, and no separator is left dangling."""
        profile = attrs.evolve(get_profile("sandbox"), title_max=20)
        assert shorten_title("Silkie, whole, chilled, 1.2 kg", profile) == "Silkie, whole"
        assert (
            shorten_title("乌鸡、整只、冰鲜、江西泰和", attrs.evolve(profile, title_max=6))
            == "乌鸡、整只"
        )

    def test_cuts_one_long_part(self) -> None:
        """A single part too long is cut by characters; a GBK character is never split."""
        taobao = attrs.evolve(get_profile("taobao"), title_max=5)
        assert shorten_title("乌鸡整只冰鲜", taobao) == "乌鸡"

    @given(
        title=st.text(alphabet=st.sampled_from("ab Z9-,，、/|·乌鸡蛋（）🐔\t。"), max_size=120),
        name=st.sampled_from(NAMES),
        title_max=st.integers(min_value=1, max_value=90),
    )
    def test_proposal_always_fits(self, title: str, name: str, title_max: int) -> None:
        """The proposed title always fits the limit, and is the start of the title."""
        profile = attrs.evolve(PROFILES[name], title_max=title_max, title_min=1)
        shorter = shorten_title(title, profile)
        assert title_length(shorter, profile) <= profile.title_max
        assert title.strip().startswith(shorter)

    @given(title=st.text(max_size=200), name=st.sampled_from(NAMES))
    def test_fix_of_a_long_title_fits(self, title: str, name: str) -> None:
        """Whatever the title, the built-in profile's proposal fits it."""
        profile = PROFILES[name]
        assert title_length(shorten_title(title, profile), profile) <= profile.title_max
