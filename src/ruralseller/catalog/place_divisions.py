"""Every province, prefecture and county of mainland China, and free-text addresses.

A buyer types an address as free text (``安徽省黄山市屯溪区黄山西路8号``) or just a name
(``黄山``, ``六盘水``, ``延边``, ``阿勒泰``). :func:`parse_address` splits such text into its
divisions, :func:`find_division` finds one division by name or code, and
:meth:`Place.parse <ruralseller.catalog.Place.parse>` gives the :class:`Place`.

The divisions come from the data file of the ``cpca`` package (MIT; 3,511 rows of GB/T
2260-style codes with longitude and latitude), vendored in ``catalog/data/cpca-adcodes.csv``
with its licence, plus our own table of the changes since (``cn-division-changes.csv``):
renamed, merged and abolished divisions resolve to today's name. ``catalog/data/README.md``
says where both come from and how to update them.

Names are matched in Chinese, in full (``黄山市``, ``延边朝鲜族自治州``) or short (``黄山``,
``延边``: without 省/市/区/县/地区/盟/自治州 and the peoples' names); six-digit codes
(``341002``) work too. A name several divisions share (two 朝阳区) is an error that lists
them; a name of a division and of one inside it (黄山市 and its 黄山区) means the larger one.
Hong Kong, Macao, Taiwan and places abroad are outside this gazetteer: they are errors that
say so.

Example:
    >>> address = parse_address("安徽省黄山市屯溪区黄山西路8号")
    >>> str(address.place), address.rest
    ('安徽省 黄山市 屯溪区, CN', '黄山西路8号')
    >>> find_division("延边").name, find_division("341002").name
    ('延边朝鲜族自治州', '屯溪区')
    >>> find_division("朝阳区")
    Traceback (most recent call last):
    ...
    ruralseller.errors.PlaceError: '朝阳区' is ambiguous: 北京市 朝阳区 (110105), 吉林省 长春市 朝阳区 (220104)
"""  # noqa: E501 - a doctest output line cannot be wrapped

from __future__ import annotations

import csv
import difflib
import enum
import itertools
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

import attrs

from ruralseller.catalog.place import Coordinates, Place
from ruralseller.errors import PlaceError

__all__ = [
    "Address",
    "Division",
    "DivisionLevel",
    "all_divisions",
    "find_division",
    "parse_address",
]

_DATA = "cpca-adcodes.csv"
_CHANGES = "cn-division-changes.csv"

# Rows of the data that stand for a level, not a division (a municipality's districts, the
# counties a province runs directly): their children are kept, the rows themselves are not.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
_OUT_OF_SCOPE = {
    "71": "Taiwan (TW)",
    "81": "Hong Kong (HK)",
    "82": "Macao (MO)",
}
_OUT_OF_SCOPE_NAMES = (
    "香港",
    "澳门",
    "澳門",
    "台湾",
    "台灣",
    "台北",
    "高雄",
    "hong kong",
    "macao",
    "macau",
    "taiwan",
)

# The 55 peoples besides the Han whose names autonomous divisions carry (延边朝鲜族自治州 is
# 延边 for short), as in cpca's 56_nations.csv.
_PEOPLES = (  # noqa: SIM905 - a line of names reads better than 56 quoted strings
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山 各"
).split()
_PEOPLE = "|".join(sorted((f"{p}族" for p in _PEOPLES), key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"(?:{_PEOPLE})+(?:自治州|自治县|自治旗|自治区)$")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区")
_SHORT_SUFFIXES = ("省", "市", "区", "县", "盟", "旗")
# A short name followed by one of these is the start of a street or place name, not a
# division (中山路 is a road, not 中山市).
_NOT_AFTER_SHORT = frozenset("路街道巷弄号桥村镇乡")
_TOWNSHIP = re.compile(
    r"^(?P<township>[^\d\s]{1,10}?(?:镇|乡|街道))?(?P<village>[^\d\s]{1,10}?村)?"
)
_LEADING = re.compile(r"^(?:中华人民共和国|中国|china|prc|p\.r\.c\.)[\s,，:：]*", re.IGNORECASE)
_NOISE = re.compile(r"[\s,，、;；:：/|·]+")


class DivisionLevel(enum.Enum):
    """How high a division stands."""

    PROVINCE = "province"
    """A province, autonomous region or municipality (省, 自治区, 直辖市)."""
    PREFECTURE = "prefecture"
    """A prefecture-level city, prefecture, league or autonomous prefecture (地级)."""
    COUNTY = "county"
    """A county, district, county-level city or banner (县级)."""


@attrs.frozen(kw_only=True)
class Division:
    """One administrative division of mainland China.

    Attributes:
        code: the six-digit code, e.g. ``341002``.
        name: the full name, e.g. ``屯溪区``.
        level: province, prefecture or county.
        province: the full name of its province (itself for a province).
        prefecture: the full name of its prefecture-level division, for a county that has
            one; None for a province, a prefecture, a municipality's district or a county a
            province runs directly (仙桃市).
        coordinates: its seat (from the data; GCJ-02 as published by Chinese map services,
            within about 500 m of WGS 84).
        approximate: whether the data had no coordinates and these are the nearest larger
            division's.
    """

    code: str
    name: str
    level: DivisionLevel
    province: str
    prefecture: str | None = None
    coordinates: Coordinates
    approximate: bool = False

    @property
    def short(self) -> str:
        """The name without its suffix and peoples' names: ``延边`` for ``延边朝鲜族自治州``."""
        return _short(self.name)

    @property
    def municipality(self) -> bool:
        """Whether it is, or lies in, Beijing, Tianjin, Shanghai or Chongqing."""
        return self.code[:2] in _MUNICIPALITIES

    @property
    def urban(self) -> bool:
        """Whether it is a city's urban district (区), or a city or province itself."""
        return self.level is not DivisionLevel.COUNTY or self.name.endswith("区")

    @property
    def label(self) -> str:
        """Its full path and code, e.g. ``吉林省 长春市 朝阳区 (220104)``."""
        parts = [self.province]
        if self.prefecture is not None:
            parts.append(self.prefecture)
        if self.level is not DivisionLevel.PROVINCE:
            parts.append(self.name)
        return f"{' '.join(parts)} ({self.code})"

    @property
    def place(self) -> Place:
        """The division as a Place: a municipality's name is also its city (北京市 北京市)."""
        city = self.prefecture
        if self.level is DivisionLevel.PREFECTURE:
            city = self.name
        elif self.municipality:
            city = self.province
        county = self.name if self.level is DivisionLevel.COUNTY else None
        return Place(
            country="CN",
            province=self.province,
            city=city,
            county=county,
            coordinates=self.coordinates,
        )

    def contains(self, other: Division) -> bool:
        """Whether ``other`` lies inside this division (a division does not contain itself)."""
        if other.code == self.code:
            return False
        if self.level is DivisionLevel.PROVINCE:
            return other.code[:2] == self.code[:2]
        if self.level is DivisionLevel.PREFECTURE:
            return other.code[:4] == self.code[:4]
        return False


@attrs.frozen(kw_only=True)
class Address:
    """Free text split into divisions and the rest.

    Attributes:
        text: the text given.
        division: the smallest division found.
        place: the Place, with township and village when the rest starts with them.
        rest: what follows the divisions (street, number, building), stripped.
    """

    text: str
    division: Division
    place: Place
    rest: str


def _short(name: str) -> str:
    short = _AUTONOMOUS.sub("", name)
    if short != name and len(short) >= 2:
        return short
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name.removesuffix(suffix)
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) - 1 >= 2:
            return name.removesuffix(suffix)
    return name


def _level(code: str) -> DivisionLevel:
    if code[2:] == "0000":
        return DivisionLevel.PROVINCE
    if code[4:] == "00":
        return DivisionLevel.PREFECTURE
    return DivisionLevel.COUNTY


def _read(name: str) -> list[dict[str, str]]:
    text = files("ruralseller.catalog").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@attrs.frozen
class _Change:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    year: int


@cache
def _changes() -> tuple[_Change, ...]:
    return tuple(
        _Change(
            row["old_code"], row["old_name"], row["new_code"], row["new_name"], int(row["year"])
        )
        for row in _read(_CHANGES)
    )


@cache
def _table() -> dict[str, Division]:
    rows = {row["adcode"][:6]: row for row in _read(_DATA)}
    names = {code: row["name"] for code, row in rows.items()}
    points: dict[str, Coordinates] = {
        code: Coordinates(row["latitude"], row["longitude"])
        for code, row in rows.items()
        if row["latitude"] and row["longitude"]
    }
    changes = _changes()
    gone = {change.old_code for change in changes if change.old_code}
    # Divisions created since the data was made take the place (and seat) of what they
    # replaced.
    for change in changes:
        if change.old_code and change.new_code not in names:
            names[change.new_code] = change.new_name
            if change.old_code in points:
                points.setdefault(change.new_code, points[change.old_code])
    table: dict[str, Division] = {}
    for code in sorted(names):
        name = names[code]
        if code[:2] in _OUT_OF_SCOPE or code in gone or name in _PLACEHOLDERS:
            continue
        level = _level(code)
        province = names[code[:2] + "0000"]
        prefecture = None
        if level is DivisionLevel.COUNTY:
            parent = names.get(code[:4] + "00")
            prefecture = None if parent is None or parent in _PLACEHOLDERS else parent
        ancestors = (code, code[:4] + "00", code[:2] + "0000")
        found = next(c for c in ancestors if c in points)
        table[code] = Division(
            code=code,
            name=name,
            level=level,
            province=province,
            prefecture=prefecture,
            coordinates=points[found],
            approximate=found != code,
        )
    return table


def all_divisions(level: DivisionLevel | None = None) -> tuple[Division, ...]:
    """Every division of mainland China (of ``level``, when given), in code order.

    Example:
        >>> len(all_divisions(DivisionLevel.PROVINCE))
        31
        >>> 330 <= len(all_divisions(DivisionLevel.PREFECTURE)) <= 340
        True
    """
    return tuple(d for d in _table().values() if level is None or d.level is level)


@cache
def _index() -> tuple[dict[str, tuple[Division, ...]], int]:
    keys: dict[str, list[Division]] = {}

    def add(key: str, division: Division) -> None:
        if division not in keys.setdefault(key, []):
            keys[key].append(division)

    table = _table()
    for division in table.values():
        add(division.name, division)
        add(division.short, division)
    for change in _changes():
        add(change.old_name, table[change.new_code])
        add(_short(change.old_name), table[change.new_code])
    index = {key: tuple(found) for key, found in keys.items()}
    return index, max(len(key) for key in index)


def _clean(text: str) -> str:
    return _LEADING.sub("", text.strip())


def _out_of_scope(text: str) -> None:
    folded = text.casefold()
    for name in _OUT_OF_SCOPE_NAMES:
        if folded.startswith(name):
            raise PlaceError(
                f"{text!r} is outside mainland China",
                hint="Hong Kong, Macao and Taiwan have their own country codes (HK, MO, TW) "
                "and their own carriers; addresses and routes here cover the 31 provinces of "
                "mainland China",
            )


def _by_code(text: str) -> Division | None:
    digits = text.strip()
    if not digits.isdigit():
        return None
    if len(digits) == 12 and digits.endswith("000000"):
        digits = digits[:6]
    if len(digits) in {2, 4}:
        digits = digits.ljust(6, "0")
    if len(digits) != 6:
        raise PlaceError(
            f"{text!r} is not a division code",
            hint="a division code has six digits (341002), or twelve ending in 000000",
        )
    if digits[:2] in _OUT_OF_SCOPE:
        _out_of_scope(_OUT_OF_SCOPE[digits[:2]].split(" (")[0])
    table = _table()
    for change in _changes():
        if change.old_code == digits:
            return table[change.new_code]
    found = table.get(digits)
    if found is None:
        raise PlaceError(
            f"no division of mainland China has the code {digits}",
            hint="check the six digits on the buyer's address or ID card; the codes are "
            "those of GB/T 2260 (MCA's 行政区划代码)",
        )
    return found


def _on_one_line(found: Iterable[Division]) -> bool:
    ordered = sorted(found, key=lambda d: list(DivisionLevel).index(d.level))
    return all(outer.contains(inner) for outer, inner in itertools.pairwise(ordered))


def _preferred(found: tuple[Division, ...]) -> Division:
    # Nested names (吉林省 and 吉林市, 黄山市 and 黄山区, 阿勒泰地区 and 阿勒泰市): the
    # prefecture-level one when there is one (a buyer's city), else the largest.
    for division in found:
        if division.level is DivisionLevel.PREFECTURE:
            return division
    return min(found, key=lambda d: list(DivisionLevel).index(d.level))


def _ambiguous(key: str, found: Iterable[Division]) -> PlaceError:
    labels = ", ".join(d.label for d in sorted(found, key=lambda d: d.code))
    return PlaceError(
        f"{key!r} is ambiguous: {labels}",
        hint="add the province or city in front (北京市朝阳区), or give the six-digit code",
    )


def _did_you_mean(text: str) -> PlaceError:
    index, longest = _index()
    ends = [i + 1 for i, char in enumerate(text[:longest]) if char in "省市区县州盟旗"]
    segment = text[: ends[0]] if ends else text[:longest]
    # Chinese names are short: one character in three wrong (黄三 for 黄山) is still close.
    close = difflib.get_close_matches(segment, list(index), n=4, cutoff=0.5)
    labels = list(dict.fromkeys(d.label for key in close for d in index[key]))[:4]
    return PlaceError(
        f"no division of mainland China is called {segment!r}"
        + (f" (in {text!r})" if segment != text else ""),
        hint=(f"did you mean {', '.join(labels)}? " if labels else "")
        + "write a province, city or county of mainland China in Chinese (黄山, 黄山市, "
        "屯溪区), its six-digit code (341002), or the address (安徽省黄山市屯溪区…)",
    )


def _match(text: str, pos: int, within: Division | None) -> tuple[int, tuple[Division, ...]] | None:
    index, longest = _index()
    for size in range(min(longest, len(text) - pos), 1, -1):
        key = text[pos : pos + size]
        found = index.get(key)
        if not found:
            continue
        if within is not None:
            found = tuple(d for d in found if within.contains(d))
        if not found:
            continue
        end = pos + size
        full = any(d.name == key for d in found)
        if not full and end < len(text) and text[end] in _NOT_AFTER_SHORT:
            continue
        return end, found
    return None


def parse_address(text: str) -> Address:
    """Split a free-text address of mainland China into its divisions and the rest.

    Levels may be left out (``北京市朝阳区``, ``黄山屯溪区``) and written short (``安徽黄山``);
    what follows the county is kept as :attr:`Address.rest`, and a township (镇, 乡, 街道) and
    village (村) at its start go into the Place.

    Raises:
        PlaceError: for text that starts with no division (the hint suggests close names),
            a name several divisions share (listed), or a place outside mainland China.

    Example:
        >>> address = parse_address("江西吉安泰和县武山镇汪陂村")
        >>> str(address.place)
        '江西省 吉安市 泰和县 武山镇 汪陂村, CN'
        >>> parse_address("湖北省仙桃市").division.label
        '湖北省 仙桃市 (429004)'
    """
    if not isinstance(text, str) or not text.strip():
        raise PlaceError(
            f"an address must be text, not {text!r}", hint="e.g. 安徽省黄山市屯溪区黄山西路8号"
        )
    cleaned = _clean(text)
    _out_of_scope(cleaned)
    coded = _by_code(cleaned)
    if coded is not None:
        return Address(text=text, division=coded, place=coded.place, rest="")
    compact = _NOISE.sub("", cleaned)
    chain: list[tuple[Division, tuple[Division, ...]]] = []
    pos = 0
    while pos < len(compact) and (not chain or chain[-1][0].level is not DivisionLevel.COUNTY):
        matched = _match(compact, pos, chain[-1][0] if chain else None)
        if matched is None:
            break
        end, found = matched
        if len(found) > 1 and not _on_one_line(found):
            raise _ambiguous(compact[pos:end], found)
        outermost = min(found, key=lambda d: list(DivisionLevel).index(d.level))
        chain.append((outermost, found))
        pos = end
    if not chain:
        raise _did_you_mean(compact)
    last, found = chain[-1]
    division = _preferred(found) if len(found) > 1 else last
    rest = compact[pos:]
    place = division.place
    parts = _TOWNSHIP.match(rest) if division.level is DivisionLevel.COUNTY else None
    if parts is not None and (parts["township"] or parts["village"]):
        place = attrs.evolve(place, township=parts["township"], village=parts["village"])
    return Address(text=text, division=division, place=place, rest=rest)


def find_division(text: str) -> Division:
    """The one division named by ``text``: a name (full or short), an old name, or a code.

    Raises:
        PlaceError: for an unknown name (with close names), an ambiguous one (with the
            candidates), text that is more than a division, or a place outside mainland
            China.

    Example:
        >>> [find_division(name).label for name in ("黄山", "阿勒泰", "襄樊")]
        ['安徽省 黄山市 (341000)', '新疆维吾尔自治区 阿勒泰地区 (654300)', '湖北省 襄阳市 (420600)']
    """
    address = parse_address(text)
    if address.rest:
        raise PlaceError(
            f"{text!r} is more than a division: {address.rest!r} follows {address.division.name}",
            hint="give only the name of a province, city or county, or parse it as an address",
        )
    return address.division
