"""Marketplace food policies: cited rules that block, warn or add a statement, before sending."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog import Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.listing import (
    FOOD_POLICIES,
    PROFILES,
    FoodRule,
    FoodVerdict,
    IssueSeverity,
    ListingDraft,
    PolicyStatus,
    ShippingPromise,
    check_food_policy,
    generate_listing,
    get_profile,
    validate_draft,
    with_food_statements,
)
from ruralseller.listing.food_policy import cold_chain_statement

EXAMPLES = Path(__file__).parents[2] / "examples" / "black-chickens"


@functools.cache
def _bird() -> ListingDraft:
    return generate_listing(
        load_catalog(sample_path()),
        "WJ261123A",
        locales=("en",),
        price=Money("18.00", "USD"),
        on=dt.date(2026, 11, 24),
    )


def _food_issues(draft: ListingDraft, marketplace: str) -> list[tuple[str, str]]:
    return [
        (issue.severity.value, issue.message.split(":")[0])
        for issue in validate_draft(draft, get_profile(marketplace))
        if issue.field == "food_policy"
    ]


def test_render_refuses_chilled_chicken_from_jiangxi_for_amazon_us(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the issue's exact command: no -o, so listings/LOT-MARKET
    result = CliRunner().invoke(
        cli,
        [
            *("render", str(EXAMPLES), "--lot", "WJ261123A", "--marketplace", "amazon"),
            *("--price", "18.00 USD"),
        ],
    )
    assert (tmp_path / "listings" / "WJ261123A-amazon" / "draft.json").is_file()
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    assert "amazon food policy US-IMPORT-POULTRY-CN" in output
    assert "FSIS" in output
    assert "84 FR 60318" in output  # the source is named
    assert "verified" in output
    assert "Traceback" not in output


def test_the_same_bird_for_buyers_in_china_is_not_refused() -> None:
    for_china = attrs.evolve(_bird(), extra={"amazon": {"buyer_country": "CN"}})
    assert _food_issues(for_china, "amazon") == []
    assert _food_issues(_bird(), "amazon") == [("error", "amazon food policy US-IMPORT-POULTRY-CN")]


def test_every_marketplace_rule_is_cited_with_a_status_and_a_remedy() -> None:
    assert set(FOOD_POLICIES) <= set(PROFILES)
    for name, rules in FOOD_POLICIES.items():
        assert PROFILES[name].food_policy == rules
        for rule in rules:
            assert rule.source.strip()
            assert rule.remedy.strip()
            assert rule.status in set(PolicyStatus)
            assert "research" not in rule.source
            assert "shared/" not in rule.source


def test_an_unverified_prohibition_only_warns_and_says_so() -> None:
    sg = attrs.evolve(_bird(), price=Money("24.00", "SGD"))
    ((severity, code),) = _food_issues(sg, "shopee")
    assert (severity, code) == ("warning", "shopee food policy SG-IMPORT-MEAT-CN")
    (finding,) = check_food_policy(sg, FOOD_POLICIES["shopee"], marketplace="shopee")
    assert "not verified" in finding.message


def test_an_unknown_origin_is_not_guessed() -> None:
    text = _bird().text("en")
    attributes = tuple(a for a in text.attributes if a.key != "origin")
    nowhere = attrs.evolve(_bird(), texts={"en": attrs.evolve(text, attributes=attributes)})
    assert _food_issues(nowhere, "amazon") == []


_APPROVAL = FoodRule(
    code="TEST-APPROVAL",
    kinds=("poultry_meat",),
    verdict=FoodVerdict.APPROVAL,
    reason="a test approval",
    source="a test",
    status=PolicyStatus.VERIFIED,
    remedy="get it",
)


def test_a_verified_approval_blocks_until_the_seller_holds_it() -> None:
    (finding,) = check_food_policy(_bird(), [_APPROVAL], marketplace="x")
    assert finding.blocking
    held = attrs.evolve(_bird(), extra={"x": {"approvals": ["TEST-APPROVAL"]}})
    assert check_food_policy(held, [_APPROVAL], marketplace="x") == ()
    unsure = attrs.evolve(_APPROVAL, status=PolicyStatus.PARTIAL)
    assert check_food_policy(_bird(), [unsure], marketplace="x") == ()


def test_a_statement_is_written_once_and_required_when_nothing_says_how_it_is_kept() -> None:
    stated = with_food_statements(_bird(), FOOD_POLICIES["ebay"], marketplace="ebay")
    text = stated.text("en")
    assert "How it reaches you: kept" in text.description
    assert "How it reaches you: kept" in text.description_html
    assert with_food_statements(stated, FOOD_POLICIES["ebay"], marketplace="ebay") == stated
    # Amazon asks no statement: the text is left alone.
    assert with_food_statements(_bird(), FOOD_POLICIES["amazon"], marketplace="amazon") == _bird()
    bare = _bird().text("en")
    unkept = attrs.evolve(
        _bird(),
        texts={
            "en": attrs.evolve(bare, attributes=[a for a in bare.attributes if a.key != "storage"])
        },
        extra={"ebay": {"buyer_country": "CN"}},
    )
    issues = [i for i in validate_draft(unkept, get_profile("ebay")) if i.field == "food_policy"]
    assert [(i.severity, i.message.split(":")[0]) for i in issues] == [
        (IssueSeverity.WARNING, "ebay food policy EBAY-FOOD-PERISHABLE")
    ]


@given(
    kind=st.sampled_from(["poultry_meat", "shell_eggs", "cured_meat", "fresh_produce"]),
    currency=st.sampled_from(["USD", "GBP", "CNY", "SGD", "AUD"]),
    marketplace=st.sampled_from(sorted(FOOD_POLICIES)),
)
def test_only_verified_rules_ever_block(kind: str, currency: str, marketplace: str) -> None:
    draft = attrs.evolve(_bird(), kind=kind, price=Money("18.00", currency))
    for finding in check_food_policy(draft, FOOD_POLICIES[marketplace], marketplace=marketplace):
        assert finding.blocking == (finding.rule.status is PolicyStatus.VERIFIED)
        assert finding.rule.source in finding.message


@pytest.mark.parametrize("marketplace", ["amazon", "ebay", "etsy", "shopify", "woocommerce"])
def test_us_stores_refuse_the_bird_and_taobao_takes_it(marketplace: str) -> None:
    assert ("error", f"{marketplace} food policy US-IMPORT-POULTRY-CN") in _food_issues(
        _bird(), marketplace
    )
    in_yuan = attrs.evolve(_bird(), price=Money("86.40", "CNY"))
    assert [s for s, _ in _food_issues(in_yuan, "taobao")] == []


class TestColdChainStatementLanguages:
    """The statement's words come from the translation catalogues."""

    @staticmethod
    def _draft(locale: str) -> ListingDraft:
        draft = generate_listing(
            load_catalog(sample_path()), "WJ261123A", locales=[locale], on=dt.date(2026, 11, 23)
        )
        shipping = ShippingPromise(
            temperature_class="chilled",
            regions=["Nanchang"],
            excluded=[],
            dispatch_days=["Mon"],
            handling=dt.timedelta(days=2),
            services=["SF cold chain"],
        )
        return attrs.evolve(draft, shipping=shipping)

    def test_chinese(self) -> None:
        draft = self._draft("zh-CN")
        assert cold_chain_statement(draft, draft.text("zh-CN")) == (
            "冷链说明：0~4 °C 冷藏，保温箱加冷媒包装，经SF cold chain发出（下单后 2 天内）；"
            "收货后请按上述条件保存。"
        )

    def test_english(self) -> None:
        draft = self._draft("en")
        assert cold_chain_statement(draft, draft.text("en")) == (
            "How it reaches you: kept chilled, 0-4 °C, packed in an insulated box with coolant"
            " and sent by SF cold chain within 2 days of your order; keep it so when it arrives."
        )

    def test_a_language_without_the_words_gets_none_rather_than_english(self) -> None:
        draft = self._draft("es")
        assert cold_chain_statement(draft, draft.text("es")) is None

    def test_a_catalogue_of_ones_own_adds_the_words(self, tmp_path: Path) -> None:
        draft = self._draft("es")
        po = tmp_path / "es" / "LC_MESSAGES" / "ruralseller.po"
        po.parent.mkdir(parents=True)
        po.write_text(
            'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
            'msgctxt "cold chain statement"\n'
            'msgid "How it reaches you: kept {storage}, packed in an insulated box with coolant'
            ' and sent{by}{within}; keep it so when it arrives."\n'
            'msgstr "Llega {storage}{within}."\n\n'
            'msgctxt "cold chain statement: when"\n'
            'msgid " within {days} days of your order"\n'
            'msgstr " en {days} días"\n',
            "utf-8",
        )
        statement = cold_chain_statement(draft, draft.text("es"), translations=tmp_path)
        assert statement == "Llega en refrigeración, entre 0 y 4 °C en 2 días."
