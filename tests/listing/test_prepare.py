"""prepare_listings: the one pipeline from lots to drafts, pictures and every problem."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import attrs
import pytest

from ruralseller.catalog import Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError, NotInCatalogError
from ruralseller.listing import (
    PROFILES,
    IssueSeverity,
    PictureCache,
    Prepared,
    PrepareProgress,
    generate_listing,
    get_profile,
    prepare_listings,
    process_images,
    validate_draft,
)

SAMPLE = load_catalog(sample_path())
DAY = dt.date(2026, 11, 23)  # the sample's story day: every lot may be sold
LOTS = [lot.id for lot in SAMPLE.lots]


def test_every_lot_by_default_in_catalogue_order() -> None:
    prepared = prepare_listings(SAMPLE, None, "sandbox", on=DAY)
    assert [lot.lot for lot in prepared.lots] == LOTS
    assert prepared.ok, [lot.issues for lot in prepared.lots]
    assert prepared.marketplace == "sandbox"
    assert [draft.sku for draft, _ in prepared.items] == LOTS


def test_the_draft_is_what_the_stages_make_for_that_profile() -> None:
    """Texts, unit and price from generate_listing, pictures to the profile's own spec."""
    profile = get_profile("etsy")
    price = Money("9.80", "USD")
    lot = prepare_listings(
        SAMPLE, ["WJ261123A"], profile, on=DAY, prices={"WJ261123A": price}
    ).lots[0]
    draft = generate_listing(SAMPLE, "WJ261123A", locales=("en",), price=price, on=DAY)
    assert lot.draft == draft
    assert lot.draft.price.currency == "USD"
    assert lot.draft.unit is not None
    assert lot.draft.shipping_weight is not None
    expected = process_images(draft.images, profile.images)
    assert [image.sha256 for image in lot.images] == [image.sha256 for image in expected]
    assert lot.issues == tuple(dict.fromkeys(validate_draft(draft, profile, locale="en")))


def test_a_lot_past_its_date_is_refused_and_the_others_go_on() -> None:
    prepared = prepare_listings(SAMPLE, None, "sandbox", on=dt.date(2026, 11, 26))
    assert [lot.lot for lot in prepared.refused] == ["WJ261120A"]
    stale = prepared.refused[0]
    assert stale.errors[0].field == "lots.use_by"
    assert "2026-11-25 has passed" in stale.errors[0].message
    assert [draft.sku for draft, _ in prepared.items] == ["WJ261123A", "WE261118", "WP261115"]


def test_a_lot_not_made_yet_is_refused() -> None:
    lot = prepare_listings(SAMPLE, ["WJ261123A"], "sandbox", on=dt.date(2026, 11, 21)).lots[0]
    assert not lot.ok
    assert lot.errors[0].field == "lots.production_date"
    assert "not made yet (2026-11-23)" in lot.errors[0].message


def test_problems_of_a_lot_never_stop_the_others(tmp_path: Path) -> None:
    """A lot not on offer and a damaged picture each come back as issues, with their fix."""
    folder = shutil.copytree(sample_path(), tmp_path / "farm")
    (folder / "images" / "eggs-in-basket.jpg").write_bytes(b"not a picture")
    catalog = load_catalog(folder)
    catalog = attrs.evolve(catalog, offers=tuple(o for o in catalog.offers if o.lot != "WP261115"))
    prepared = prepare_listings(catalog, None, "sandbox", on=DAY)
    by_lot = {lot.lot: lot for lot in prepared.lots}
    assert by_lot["WJ261123A"].ok
    eggs = by_lot["WE261118"]
    assert eggs.draft is not None
    assert not eggs.ok
    assert any("eggs-in-basket.jpg" in issue.message for issue in eggs.errors)
    potatoes = by_lot["WP261115"]
    assert potatoes.draft is None
    assert potatoes.errors[0].field == "offers"
    assert "[[offers]]" in potatoes.errors[0].fix


def test_the_adapters_own_profile_rules() -> None:
    """A third-party adapter's profile (here: short titles) is what the draft must meet."""
    coop = attrs.evolve(get_profile("sandbox"), name="coop", title_max=10)
    lot = prepare_listings(SAMPLE, ["WJ261123A"], coop, on=DAY).lots[0]
    assert lot.marketplace == "coop"
    assert not lot.ok
    assert any(issue.field.endswith(".title") for issue in lot.errors)


def test_an_unknown_profile_is_a_clear_error_not_a_fallback() -> None:
    with pytest.raises(InvalidValueError, match="no marketplace profile is named 'coop'"):
        prepare_listings(SAMPLE, ["WJ261123A"], "coop", on=DAY)


def test_an_unknown_lot_is_bad_input_before_any_work() -> None:
    steps: list[PrepareProgress] = []
    with pytest.raises(NotInCatalogError, match="NOPE"):
        prepare_listings(SAMPLE, ["WJ261123A", "NOPE"], "sandbox", on=DAY, progress=steps.append)
    assert steps == []


def test_progress_goes_through_the_callback() -> None:
    steps: list[PrepareProgress] = []
    prepare_listings(SAMPLE, ["WJ261123A", "WE261118"], "sandbox", on=DAY, progress=steps.append)
    assert [(s.lot, s.step, s.pictures_done, s.lots_done) for s in steps] == [
        ("WJ261123A", "picture", 1, 0),
        ("WJ261123A", "picture", 2, 0),
        ("WJ261123A", "picture", 3, 0),
        ("WJ261123A", "lot", 0, 1),
        ("WE261118", "picture", 1, 1),
        ("WE261118", "picture", 2, 1),
        ("WE261118", "lot", 0, 2),
    ]
    assert {s.lots_total for s in steps} == {2}


def test_warnings_do_not_refuse_a_lot() -> None:
    """A warning (here: no stock) is reported, and the lot is still ready."""
    catalog = attrs.evolve(
        SAMPLE,
        offers=tuple(
            attrs.evolve(o, stock=0) if o.lot == "WJ261123A" else o for o in SAMPLE.offers
        ),
    )
    lot = prepare_listings(catalog, ["WJ261123A"], "sandbox", on=DAY).lots[0]
    warnings = [i for i in lot.issues if i.severity is IssueSeverity.WARNING]
    assert warnings, lot.issues
    assert lot.ok


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_built_in_profile_prepares_the_sample(name: str) -> None:
    currencies = PROFILES[name].currencies
    price = None if not currencies or "CNY" in currencies else Money("9.80", min(currencies))
    lot = prepare_listings(
        SAMPLE, ["WE261118"], name, on=DAY, prices={"WE261118": price} if price else None
    ).lots[0]
    assert lot.ok, lot.issues
    assert len(lot.images) == 2


def test_pictures_on_every_core_and_from_the_cache_are_the_same_bytes(tmp_path: Path) -> None:
    one = prepare_listings(SAMPLE, None, "sandbox", on=DAY)
    cache = PictureCache(tmp_path / "cache")
    batch = prepare_listings(SAMPLE, None, "sandbox", on=DAY, cache=cache, workers=None)
    again = prepare_listings(
        SAMPLE, None, "sandbox", on=DAY, cache=PictureCache(tmp_path / "cache")
    )

    def shas(prepared: Prepared) -> list[tuple[str, ...]]:
        return [tuple(image.sha256 for image in lot.images) for lot in prepared.lots]

    assert shas(one) == shas(batch) == shas(again)
    assert any(shas(one)), "the sample's lots have pictures"
    assert [lot.issues for lot in one.lots] == [lot.issues for lot in batch.lots]
    assert cache.stats.disk_bytes > 0
