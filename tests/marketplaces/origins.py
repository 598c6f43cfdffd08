"""Drafts of farms elsewhere, for tests whose point is not where the food comes from.

The sample lots are chilled poultry and eggs from Jiangxi; a marketplace's food policy
rightly refuses them to buyers in the US (``ruralseller.listing.food_policy``). A test of
another mechanism on a US store lists the same draft as if from a farm in the buyers' country.
"""

from __future__ import annotations

import attrs

from ruralseller.listing import ListingDraft


def grown_in(draft: ListingDraft, country: str, place: str = "Lancaster County") -> ListingDraft:
    """``draft`` with its origin attribute naming ``place, country`` (ISO code)."""
    texts = {
        locale: attrs.evolve(
            text,
            attributes=tuple(
                attrs.evolve(a, raw=f"{place}, {country}") if a.key == "origin" else a
                for a in text.attributes
            ),
        )
        for locale, text in draft.texts.items()
    }
    return attrs.evolve(draft, texts=texts)
