"""Where buyers are: any city, county, code or address of mainland China, or all of them.

:func:`find_place` turns what a buyer or partner types into a :class:`Place`: a province or
one of the :data:`~ruralseller.coldchain.routes.EXAMPLE_CITIES` in English (``Shanghai``,
``Guangdong``), or any division of mainland China in Chinese, by name (``黄山``, ``歙县``),
code (``341021``) or full address (``安徽省黄山市屯溪区黄山西路8号``), through
:func:`ruralseller.catalog.parse_address`. :func:`all_prefectures` and :func:`all_counties`
are every buyer's city and county, for planning a lot to the whole country at once.

Hong Kong, Macao, Taiwan and places abroad are out of scope: carriers, zones and routes here
cover the 31 provincial-level divisions of mainland China, and those names are errors that
say so.

Example:
    >>> str(find_place("Shanghai")), str(find_place("歙县"))
    ('上海市 上海市, CN', '安徽省 黄山市 歙县, CN')
    >>> len(all_prefectures()), len(all_counties()) > 2800
    (337, True)
"""

from __future__ import annotations

import difflib
from functools import cache

from ruralseller.catalog import Place
from ruralseller.catalog.place_divisions import DivisionLevel, all_divisions, parse_address
from ruralseller.coldchain.routes import (
    EXAMPLE_CITIES,
    PROVINCES,
    find_province,
    known_city,
)
from ruralseller.errors import PlaceError

__all__ = ["all_counties", "all_prefectures", "find_place"]


@cache
def _english_names() -> list[str]:
    names = [city.en for city in EXAMPLE_CITIES]
    names += [province.en for province in PROVINCES]
    return names


def find_place(text: str) -> Place:
    """The place of mainland China ``text`` names, in English or Chinese.

    * a province (``Jiangxi``, ``江西``) or an example city (``Guangzhou``) in English;
    * any province, prefecture-level city or county in Chinese, full or short (``黄山``,
      ``六盘水市``, ``延边``, ``阿勒泰``, ``屯溪区``), or an old name (``襄樊``: 襄阳市);
    * a six-digit division code (``341002``);
    * a free-text address (``安徽省黄山市屯溪区黄山西路8号``): its divisions, township and
      village (the street is not needed for routing).

    A bare name shared by a division and one inside it (黄山市, 黄山区) means the larger one.

    Raises:
        PlaceError: for an unknown name (with close names), a name several divisions share
            (listing them, e.g. the two 朝阳区), or a place outside mainland China.

    Example:
        >>> str(find_place("黄山")), str(find_place("Jiangxi"))
        ('安徽省 黄山市, CN', '江西省, CN')
        >>> find_place("朝阳区")
        Traceback (most recent call last):
        ...
        ruralseller.errors.PlaceError: '朝阳区' is ambiguous: 北京市 朝阳区 (110105), 吉林省 长春市 朝阳区 (220104)
    """  # noqa: E501 - a doctest output line cannot be wrapped
    if not isinstance(text, str) or not text.strip():
        raise PlaceError(
            f"a destination must be text, not {text!r}",
            hint="a city, county, code or address, e.g. 黄山, 歙县, 341021 or 安徽省黄山市…",
        )
    city = known_city(text)
    if city is not None:
        return city.place
    if text.isascii() and not text.strip().isdigit():
        try:
            return Place(country="CN", province=find_province(text).zh)
        except PlaceError as exc:
            if "not a mainland province" in exc.message:
                raise
        close = difflib.get_close_matches(text.strip().title(), _english_names(), n=3, cutoff=0.6)
        raise PlaceError(
            f"unknown place {text!r}",
            hint=(f"did you mean {', '.join(close)}? " if close else "")
            + "English names are known for the provinces and about 100 large cities; write "
            "other places in Chinese (黄山, 歙县), or give the six-digit division code "
            "(places outside mainland China are out of scope)",
        )
    return parse_address(text).place


@cache
def all_prefectures() -> tuple[Place, ...]:
    """Every prefecture-level city of mainland China, and the four municipalities, in code order.

    These are the buyers' cities: 333 prefecture-level divisions and Beijing, Tianjin,
    Shanghai and Chongqing.
    """
    return tuple(
        division.place
        for division in all_divisions()
        if division.level is DivisionLevel.PREFECTURE
        or (division.level is DivisionLevel.PROVINCE and division.municipality)
    )


@cache
def all_counties() -> tuple[Place, ...]:
    """Every county-level division of mainland China (县, 区, 县级市, 旗), in code order."""
    return tuple(division.place for division in all_divisions(DivisionLevel.COUNTY))
