"""Finding banned or risky words in the texts a shopper reads.

Example:
    >>> find_terms({"products[0].name": "最佳泰和乌鸡"}, ["最佳", "国家级"])
    [('products[0].name', '最佳')]
    >>> find_terms({"listing.title": "Cures colds!"}, ["cure", "cures"])
    [('listing.title', 'cures')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

__all__ = ["find_terms"]


@functools.cache
def _pattern(term: str) -> re.Pattern[str]:
    # Latin words match as whole words ("cure" is not in "secure"); Chinese terms have no
    # word boundaries and match anywhere.
    if term.isascii():
        return re.compile(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", re.IGNORECASE)
    return re.compile(re.escape(term))


def find_terms(texts: Mapping[str, str], terms: Iterable[str]) -> list[tuple[str, str]]:
    """Every (text path, term) where a term occurs, in text order then term order."""
    # Lots of one product share its texts: a catalogue check asks the same question of the
    # same texts once per lot, so the answers are kept (bounded) by texts and terms.
    return list(_found(tuple(texts.items()), tuple(terms)))


@functools.lru_cache(maxsize=4096)
def _found(
    texts: tuple[tuple[str, str], ...], terms: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    patterns = [(term, _pattern(term)) for term in terms]
    return tuple(
        (path, term) for path, text in texts for term, found in patterns if found.search(text)
    )
