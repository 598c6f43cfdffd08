"""Where a parcel goes and how long each stretch takes: provinces, zones, cities and routes.

A parcel from a mountain village does not start in the cold chain. Shared, unrefrigerated vans
take it from the village station to the township outlet and on to the county hub, often once a
day; it waits at the hub for the carrier's daily cut-off (missing it adds a day); then comes
the line haul, cold or not depending on the service, and the last mile to the buyer
([example] figures for rural China). :func:`build_route` lays these legs out with a typical
(P50) and a
bad-day (P90) duration each, and :meth:`Route.ambient` turns them into the temperature the box
sees, hour by hour, for the packaging thermal model.

Distances are priced by zone: :func:`zone` gives 1 within a province, 2 to a neighbouring
province, 3 further away and 4 to or from the remote west. This zoning is example data modelled
on how Chinese parcel price lists are laid out, not any carrier's table.

Clock times (the carrier's cut-off, the hour of the day in an outside temperature profile) are
China Standard Time, UTC+8, the one time zone of the mainland.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Place
    >>> from ruralseller.coldchain.services import EXAMPLE_SERVICES
    >>> farm = Place(country="CN", province="江西省", city="吉安市", county="泰和县",
    ...              township="武山镇", village="汪陂村")
    >>> zone(farm, find_city("Guangzhou")), zone(farm, find_city("北京"))
    (2, 3)
    >>> route = build_route(
    ...     farm, find_city("广州"), EXAMPLE_SERVICES[0],
    ...     dt.datetime(2026, 7, 1, 8, 0, tzinfo=CHINA_STANDARD_TIME),
    ... )
    >>> [leg.name for leg in route.legs]  # doctest: +NORMALIZE_WHITESPACE
    ['village station → township outlet', 'township outlet → county hub',
     'at the hub until the 18:00 cut-off (cold store)', 'line haul, zone 2',
     'last mile to the buyer']
    >>> str(route.duration("p50")), str(route.duration("p90"))
    ('2 days, 0:00:00', '3 days, 22:00:00')
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ruralseller.catalog import Place, Temperature, format_duration
from ruralseller.catalog.checks import aware, fail, frozen_tuple, text
from ruralseller.catalog.place_divisions import DivisionLevel, find_division
from ruralseller.coldchain.lanes import FEEDER, Lane
from ruralseller.coldchain.lanes import lane as _lane
from ruralseller.errors import InvalidValueError, PlaceError
from ruralseller.packaging.thermal import AmbientProfile

if TYPE_CHECKING:
    from ruralseller.coldchain.services import CarrierService

__all__ = [
    "CHINA_STANDARD_TIME",
    "DEFAULT_FIRST_MILE",
    "EXAMPLE_CITIES",
    "PROVINCES",
    "City",
    "FirstMile",
    "Leg",
    "LegKind",
    "Province",
    "Route",
    "Scenario",
    "ScheduledLeg",
    "build_route",
    "find_city",
    "find_province",
    "known_city",
    "neighbours",
    "zone",
]

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")
"""China Standard Time, UTC+8: the clock of cut-offs and of outside temperature profiles."""

Scenario = Literal["p50", "p90"]
"""Which duration of each leg to use: the median (``"p50"``) or a bad day (``"p90"``)."""

_SCENARIOS: tuple[Scenario, ...] = ("p50", "p90")


# --- provinces ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Province:
    """A provincial-level division of mainland China (省, 自治区, 直辖市).

    Attributes:
        code: the two-digit GB/T 2260 administrative division code, e.g. ``36`` for Jiangxi.
        zh: the full Chinese name, e.g. ``江西省``, ``广西壮族自治区``, ``北京市``.
        short: the short Chinese name, e.g. ``江西``, ``广西``, ``北京``.
        en: the usual English name, e.g. ``Jiangxi``, ``Inner Mongolia``, ``Tibet``.
        pinyin: the pinyin name where it differs from the English (``Nei Menggu``,
            ``Xizang``); else the same as ``en``.
        capital_zh: the capital in Chinese, e.g. ``南昌``.
        capital_en: the capital in English, e.g. ``Nanchang``.
        remote: whether parcels to or from it are priced as remote (zone 4) [example].
    """

    code: str
    zh: str
    short: str
    en: str
    pinyin: str
    capital_zh: str
    capital_en: str
    remote: bool = False


# GB/T 2260 codes and the official names; English as commonly written. Remote: the western
# provinces Chinese parcel price lists commonly set apart as 偏远地区 (remote areas) [example].
_PROVINCE_TABLE = """
11 | 北京市 | 北京 | Beijing | Beijing | 北京 | Beijing
12 | 天津市 | 天津 | Tianjin | Tianjin | 天津 | Tianjin
13 | 河北省 | 河北 | Hebei | Hebei | 石家庄 | Shijiazhuang
14 | 山西省 | 山西 | Shanxi | Shanxi | 太原 | Taiyuan
15 | 内蒙古自治区 | 内蒙古 | Inner Mongolia | Nei Menggu | 呼和浩特 | Hohhot | remote
21 | 辽宁省 | 辽宁 | Liaoning | Liaoning | 沈阳 | Shenyang
22 | 吉林省 | 吉林 | Jilin | Jilin | 长春 | Changchun
23 | 黑龙江省 | 黑龙江 | Heilongjiang | Heilongjiang | 哈尔滨 | Harbin
31 | 上海市 | 上海 | Shanghai | Shanghai | 上海 | Shanghai
32 | 江苏省 | 江苏 | Jiangsu | Jiangsu | 南京 | Nanjing
33 | 浙江省 | 浙江 | Zhejiang | Zhejiang | 杭州 | Hangzhou
34 | 安徽省 | 安徽 | Anhui | Anhui | 合肥 | Hefei
35 | 福建省 | 福建 | Fujian | Fujian | 福州 | Fuzhou
36 | 江西省 | 江西 | Jiangxi | Jiangxi | 南昌 | Nanchang
37 | 山东省 | 山东 | Shandong | Shandong | 济南 | Jinan
41 | 河南省 | 河南 | Henan | Henan | 郑州 | Zhengzhou
42 | 湖北省 | 湖北 | Hubei | Hubei | 武汉 | Wuhan
43 | 湖南省 | 湖南 | Hunan | Hunan | 长沙 | Changsha
44 | 广东省 | 广东 | Guangdong | Guangdong | 广州 | Guangzhou
45 | 广西壮族自治区 | 广西 | Guangxi | Guangxi | 南宁 | Nanning
46 | 海南省 | 海南 | Hainan | Hainan | 海口 | Haikou
50 | 重庆市 | 重庆 | Chongqing | Chongqing | 重庆 | Chongqing
51 | 四川省 | 四川 | Sichuan | Sichuan | 成都 | Chengdu
52 | 贵州省 | 贵州 | Guizhou | Guizhou | 贵阳 | Guiyang
53 | 云南省 | 云南 | Yunnan | Yunnan | 昆明 | Kunming
54 | 西藏自治区 | 西藏 | Tibet | Xizang | 拉萨 | Lhasa | remote
61 | 陕西省 | 陕西 | Shaanxi | Shaanxi | 西安 | Xi'an
62 | 甘肃省 | 甘肃 | Gansu | Gansu | 兰州 | Lanzhou | remote
63 | 青海省 | 青海 | Qinghai | Qinghai | 西宁 | Xining | remote
64 | 宁夏回族自治区 | 宁夏 | Ningxia | Ningxia | 银川 | Yinchuan | remote
65 | 新疆维吾尔自治区 | 新疆 | Xinjiang | Xinjiang | 乌鲁木齐 | Urumqi | remote
"""


def _provinces() -> tuple[Province, ...]:
    rows = [line.split(" | ") for line in _PROVINCE_TABLE.strip().splitlines()]
    return tuple(
        Province(
            code=row[0],
            zh=row[1],
            short=row[2],
            en=row[3],
            pinyin=row[4],
            capital_zh=row[5],
            capital_en=row[6],
            remote=row[7:] == ["remote"],
        )
        for row in rows
    )


PROVINCES: tuple[Province, ...] = _provinces()
"""The 31 provincial-level divisions of mainland China, in GB/T 2260 code order."""

# Land borders, each listed from both sides (a test checks that they agree). Hainan has none:
# it is joined to Guangdong by the Qiongzhou Strait ferries that carry its road freight.
_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "Beijing": ("Tianjin", "Hebei"),
    "Tianjin": ("Beijing", "Hebei"),
    "Hebei": (
        "Beijing",
        "Tianjin",
        "Shanxi",
        "Inner Mongolia",
        "Liaoning",
        "Shandong",
        "Henan",
    ),
    "Shanxi": ("Hebei", "Inner Mongolia", "Shaanxi", "Henan"),
    "Inner Mongolia": (
        "Heilongjiang",
        "Jilin",
        "Liaoning",
        "Hebei",
        "Shanxi",
        "Shaanxi",
        "Ningxia",
        "Gansu",
    ),
    "Liaoning": ("Hebei", "Inner Mongolia", "Jilin"),
    "Jilin": ("Liaoning", "Inner Mongolia", "Heilongjiang"),
    "Heilongjiang": ("Jilin", "Inner Mongolia"),
    "Shanghai": ("Jiangsu", "Zhejiang"),
    "Jiangsu": ("Shanghai", "Zhejiang", "Anhui", "Shandong"),
    "Zhejiang": ("Shanghai", "Jiangsu", "Anhui", "Jiangxi", "Fujian"),
    "Anhui": ("Jiangsu", "Zhejiang", "Jiangxi", "Hubei", "Henan", "Shandong"),
    "Fujian": ("Zhejiang", "Jiangxi", "Guangdong"),
    "Jiangxi": ("Zhejiang", "Anhui", "Hubei", "Hunan", "Guangdong", "Fujian"),
    "Shandong": ("Hebei", "Henan", "Anhui", "Jiangsu"),
    "Henan": ("Hebei", "Shanxi", "Shaanxi", "Hubei", "Anhui", "Shandong"),
    "Hubei": ("Henan", "Anhui", "Jiangxi", "Hunan", "Chongqing", "Shaanxi"),
    "Hunan": ("Hubei", "Jiangxi", "Guangdong", "Guangxi", "Guizhou", "Chongqing"),
    "Guangdong": ("Fujian", "Jiangxi", "Hunan", "Guangxi", "Hainan"),
    "Guangxi": ("Guangdong", "Hunan", "Guizhou", "Yunnan"),
    "Hainan": ("Guangdong",),
    "Chongqing": ("Hubei", "Hunan", "Guizhou", "Sichuan", "Shaanxi"),
    "Sichuan": ("Chongqing", "Guizhou", "Yunnan", "Tibet", "Qinghai", "Gansu", "Shaanxi"),
    "Guizhou": ("Sichuan", "Chongqing", "Hunan", "Guangxi", "Yunnan"),
    "Yunnan": ("Sichuan", "Guizhou", "Guangxi", "Tibet"),
    "Tibet": ("Xinjiang", "Qinghai", "Sichuan", "Yunnan"),
    "Shaanxi": (
        "Shanxi",
        "Henan",
        "Hubei",
        "Chongqing",
        "Sichuan",
        "Gansu",
        "Ningxia",
        "Inner Mongolia",
    ),
    "Gansu": ("Shaanxi", "Ningxia", "Inner Mongolia", "Xinjiang", "Qinghai", "Sichuan"),
    "Qinghai": ("Gansu", "Xinjiang", "Tibet", "Sichuan"),
    "Ningxia": ("Gansu", "Shaanxi", "Inner Mongolia"),
    "Xinjiang": ("Gansu", "Qinghai", "Tibet"),
}

# English words that may follow a province's name (Guangxi Zhuang Autonomous Region).
_EN_SUFFIXES = re.compile(
    r"\s+(autonomous\s+region|province|municipality|sheng|shi|zizhiqu)$", re.IGNORECASE
)
_EN_PEOPLES = re.compile(r"\s+(zhuang|hui|uyghur|uygur|uighur)$", re.IGNORECASE)
_NOT_MAINLAND = {"香港", "澳门", "澳門", "台湾", "台灣", "hong kong", "macao", "macau", "taiwan"}


def _latin_key(name: str) -> str:
    key = " ".join(name.replace("’", "'").split()).casefold()
    for pattern in (_EN_SUFFIXES, _EN_PEOPLES):
        key = pattern.sub("", key)
    return key


@cache
def _province_index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in PROVINCES:
        for name in (province.zh, province.short, province.en, province.pinyin):
            index[_latin_key(name)] = province
        index[_latin_key(province.pinyin.replace(" ", ""))] = province
    index["nei mongol"] = index["inner mongolia"]
    return index


def find_province(name: str) -> Province:
    """The province named ``name``, in Chinese (``江西省``, ``江西``) or English (``Jiangxi``).

    English is matched without regard to case, and words such as "Province" or "Zhuang
    Autonomous Region" may follow the name.

    Raises:
        PlaceError: for a name that is not one of the 31 mainland provincial-level divisions;
            the hint suggests the closest names.

    Example:
        >>> find_province("江西").en, find_province("guangxi zhuang autonomous region").zh
        ('Jiangxi', '广西壮族自治区')
        >>> find_province("Shanxii")
        Traceback (most recent call last):
        ...
        ruralseller.errors.PlaceError: unknown province 'Shanxii'
    """
    if not isinstance(name, str) or not name.strip():
        raise PlaceError(
            f"a province must be a name, not {name!r}", hint="e.g. '江西省', '江西' or 'Jiangxi'"
        )
    key = _latin_key(name)
    index = _province_index()
    found = index.get(key) or index.get(key.removesuffix("省").removesuffix("市"))
    if found is not None:
        return found
    if key in _NOT_MAINLAND:
        raise PlaceError(
            f"{name!r} is not a mainland province",
            hint="Hong Kong, Macao and Taiwan have their own country codes (HK, MO, TW); "
            "zones and routes here cover mainland China",
        )
    close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    suggestions = ", ".join(dict.fromkeys(repr(index[c].en) for c in close))
    raise PlaceError(
        f"unknown province {name!r}",
        hint=(f"did you mean {suggestions}? " if close else "")
        + "write one of the 31 mainland provincial-level divisions in Chinese (江西省 or "
        "江西) or English (Jiangxi)",
    )


def neighbours(province: str) -> tuple[Province, ...]:
    """The provinces that share a land border with ``province`` (Hainan: Guangdong, by ferry).

    Example:
        >>> [p.en for p in neighbours("江西省")]
        ['Zhejiang', 'Anhui', 'Hubei', 'Hunan', 'Guangdong', 'Fujian']
    """
    return tuple(find_province(name) for name in _NEIGHBOURS[find_province(province).en])


def _mainland_province(place: Place, role: str) -> Province:
    if not isinstance(place, Place):
        raise InvalidValueError(
            f"the {role} must be a Place, got {place!r}", hint="e.g. find_city('广州')"
        )
    if place.country != "CN":
        raise PlaceError(
            f"the {role} {place} is not in mainland China",
            hint="zones and routes cover the 31 mainland provinces (country CN)",
        )
    if place.province is None:
        raise PlaceError(
            f"the {role} {place} does not name its province",
            hint="add province=..., e.g. Place(country='CN', province='广东省', city='广州市'), "
            "or use find_city('广州')",
        )
    return find_province(place.province)


def zone(origin: Place, destination: Place) -> int:
    """The price and transit zone from ``origin`` to ``destination`` [example zoning].

    * 1: the same province;
    * 4: either end in a remote province (Xinjiang, Tibet, Qinghai, Gansu, Ningxia, Inner
      Mongolia), unless both are in the same one;
    * 2: neighbouring provinces (:func:`neighbours`);
    * 3: anywhere else.

    The zone is symmetric: from A to B is the same zone as from B to A.

    Raises:
        PlaceError: for a place outside mainland China, without a province, or with a
            province that is not known.

    Example:
        >>> jiangxi = Place(country="CN", province="江西省")
        >>> [zone(jiangxi, Place(country="CN", province=p))
        ...  for p in ("江西", "Guangdong", "北京市", "新疆")]
        [1, 2, 3, 4]
    """
    start = _mainland_province(origin, "origin")
    end = _mainland_province(destination, "destination")
    if start == end:
        return 1
    if start.remote or end.remote:
        return 4
    if end.en in _NEIGHBOURS[start.en]:
        return 2
    return 3


# --- cities ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class City:
    """A city buyers order from.

    Attributes:
        zh: the Chinese name without 市, e.g. ``广州``.
        en: the English (pinyin or customary) name, e.g. ``Guangzhou``, ``Hohhot``.
        province: the province's full Chinese name, e.g. ``广东省``.
    """

    zh: str
    en: str
    province: str

    @property
    def place(self) -> Place:
        """The city as a :class:`~ruralseller.catalog.Place`, e.g. 广东省 广州市, CN."""
        return Place(country="CN", province=self.province, city=f"{self.zh}市")


# The four municipalities, the 27 provincial capitals and about 70 other large
# prefecture-level cities [example]: enough for examples and tests, not a gazetteer. Cities
# whose English name is shared (苏州/宿州 Suzhou, 福州/抚州 Fuzhou, 台州/泰州 Taizhou, 榆林/玉林
# Yulin) appear once, so an English name finds one city.
_CITY_TABLE = """
北京 Beijing 北京; 天津 Tianjin 天津; 上海 Shanghai 上海; 重庆 Chongqing 重庆
石家庄 Shijiazhuang 河北; 唐山 Tangshan 河北; 保定 Baoding 河北; 邯郸 Handan 河北
太原 Taiyuan 山西; 大同 Datong 山西
呼和浩特 Hohhot 内蒙古; 包头 Baotou 内蒙古; 鄂尔多斯 Ordos 内蒙古
沈阳 Shenyang 辽宁; 大连 Dalian 辽宁; 鞍山 Anshan 辽宁
长春 Changchun 吉林; 吉林 Jilin 吉林
哈尔滨 Harbin 黑龙江; 大庆 Daqing 黑龙江; 齐齐哈尔 Qiqihar 黑龙江
南京 Nanjing 江苏; 苏州 Suzhou 江苏; 无锡 Wuxi 江苏; 常州 Changzhou 江苏; 南通 Nantong 江苏
徐州 Xuzhou 江苏; 扬州 Yangzhou 江苏
杭州 Hangzhou 浙江; 宁波 Ningbo 浙江; 温州 Wenzhou 浙江; 嘉兴 Jiaxing 浙江; 绍兴 Shaoxing 浙江
金华 Jinhua 浙江; 台州 Taizhou 浙江
合肥 Hefei 安徽; 芜湖 Wuhu 安徽; 蚌埠 Bengbu 安徽
福州 Fuzhou 福建; 厦门 Xiamen 福建; 泉州 Quanzhou 福建; 漳州 Zhangzhou 福建
南昌 Nanchang 江西; 赣州 Ganzhou 江西; 吉安 Ji'an 江西; 九江 Jiujiang 江西; 上饶 Shangrao 江西
景德镇 Jingdezhen 江西
济南 Jinan 山东; 青岛 Qingdao 山东; 烟台 Yantai 山东; 潍坊 Weifang 山东; 临沂 Linyi 山东
淄博 Zibo 山东; 济宁 Jining 山东
郑州 Zhengzhou 河南; 洛阳 Luoyang 河南; 南阳 Nanyang 河南; 新乡 Xinxiang 河南
武汉 Wuhan 湖北; 宜昌 Yichang 湖北; 襄阳 Xiangyang 湖北
长沙 Changsha 湖南; 株洲 Zhuzhou 湖南; 衡阳 Hengyang 湖南; 岳阳 Yueyang 湖南; 常德 Changde 湖南
广州 Guangzhou 广东; 深圳 Shenzhen 广东; 东莞 Dongguan 广东; 佛山 Foshan 广东; 珠海 Zhuhai 广东
中山 Zhongshan 广东; 惠州 Huizhou 广东; 汕头 Shantou 广东; 江门 Jiangmen 广东; 湛江 Zhanjiang 广东
南宁 Nanning 广西; 柳州 Liuzhou 广西; 桂林 Guilin 广西
海口 Haikou 海南; 三亚 Sanya 海南
成都 Chengdu 四川; 绵阳 Mianyang 四川; 宜宾 Yibin 四川; 南充 Nanchong 四川
贵阳 Guiyang 贵州; 遵义 Zunyi 贵州
昆明 Kunming 云南; 曲靖 Qujing 云南
拉萨 Lhasa 西藏
西安 Xi'an 陕西; 宝鸡 Baoji 陕西; 咸阳 Xianyang 陕西
兰州 Lanzhou 甘肃; 天水 Tianshui 甘肃
西宁 Xining 青海
银川 Yinchuan 宁夏
乌鲁木齐 Urumqi 新疆; 克拉玛依 Karamay 新疆
"""

# Other spellings people write: Wade-Giles and older romanisations, or Uyghur forms.
_CITY_ALIASES = {"peking": "北京", "canton": "广州", "urumchi": "乌鲁木齐", "ürümqi": "乌鲁木齐"}


def _cities() -> tuple[City, ...]:
    cities = []
    for line in _CITY_TABLE.strip().splitlines():
        for entry in line.split(";"):
            zh, en, province = entry.split()
            cities.append(City(zh=zh, en=en, province=find_province(province).zh))
    return tuple(cities)


EXAMPLE_CITIES: tuple[City, ...] = _cities()
"""About 100 large cities of mainland China, each with its province [example]."""


def _city_key(name: str) -> str:
    key = " ".join(name.replace("’", "").replace("'", "").split()).casefold()
    return key.removesuffix(" city").removesuffix("市")


@cache
def _city_index() -> dict[str, City]:
    index: dict[str, City] = {}
    for city in EXAMPLE_CITIES:
        index[_city_key(city.zh)] = city
        index[_city_key(city.en)] = city
    for alias, zh in _CITY_ALIASES.items():
        index[alias] = index[zh]
    return index


def known_city(name: str) -> City | None:
    """The city of :data:`EXAMPLE_CITIES` named ``name`` in any spelling, or None."""
    return _city_index().get(_city_key(name))


def find_city(name: str) -> Place:
    """The prefecture-level city named ``name`` as a Place with its province.

    Any prefecture-level city of mainland China is known by its Chinese name, full or short
    (``黄山``, ``黄山市``, ``延边``); the cities of :data:`EXAMPLE_CITIES` also in English, in
    any case. For counties, codes and whole addresses, see
    :func:`ruralseller.coldchain.destinations.find_place`.

    Raises:
        PlaceError: for a name that is no prefecture-level city; the hint lists close matches.

    Example:
        >>> str(find_city("guangzhou"))
        '广东省 广州市, CN'
        >>> find_city("吉安市").province, find_city("六盘水").province
        ('江西省', '贵州省')
        >>> find_city("Guangzou")
        Traceback (most recent call last):
        ...
        ruralseller.errors.PlaceError: unknown city 'Guangzou'
    """
    if not isinstance(name, str) or not name.strip():
        raise PlaceError(f"a city must be a name, not {name!r}", hint="e.g. '广州' or 'Guangzhou'")
    city = known_city(name)
    if city is not None:
        return city.place
    if not name.isascii():
        try:
            division = find_division(name)
        except PlaceError as exc:
            if "ambiguous" in exc.message:
                raise
            raise PlaceError(f"unknown city {name!r}", hint=exc.hint) from None
        if division.level is DivisionLevel.PREFECTURE or (
            division.level is DivisionLevel.PROVINCE and division.municipality
        ):
            return attrs.evolve(division.place, coordinates=None)
        where = ""
        if division.level is DivisionLevel.COUNTY:
            where = (
                f"; its city is {division.prefecture}"
                if division.prefecture
                else f"; {division.province} runs it directly"
            )
        raise PlaceError(
            f"unknown city {name!r}",
            hint=f"{division.label} is a {division.level.value}, not a prefecture-level city"
            + where,
        )
    index = _city_index()
    close = difflib.get_close_matches(_city_key(name), list(index), n=3, cutoff=0.6)
    suggestions = ", ".join(dict.fromkeys(f"{index[c].en} ({index[c].zh})" for c in close))
    raise PlaceError(
        f"unknown city {name!r}",
        hint=(f"did you mean {suggestions}? " if close else "")
        + "write a prefecture-level city of mainland China in Chinese (黄山, 黄山市), or one of "
        f"the {len(EXAMPLE_CITIES)} large cities known in English (Guangzhou)",
    )


# --- legs -----------------------------------------------------------------------------------------


class LegKind(enum.Enum):
    """What happens to the parcel on a leg."""

    FIRST_MILE = "first_mile"
    """From the village to the carrier's hub, in shared vans (ambient)."""
    DWELL = "dwell"
    """Waiting at the hub for the carrier's daily departure."""
    LINE_HAUL = "line_haul"
    """From the origin hub to the destination city's delivery station."""
    LAST_MILE = "last_mile"
    """From the delivery station to the buyer's door."""


def _scenario(value: object) -> Scenario:
    if value == "p50":
        return "p50"
    if value == "p90":
        return "p90"
    raise InvalidValueError(
        f"unknown scenario {value!r}",
        hint="use 'p50' for a typical journey or 'p90' for a bad day (9 journeys in 10 are faster)",
    )


def _duration(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.timedelta) or value < dt.timedelta(0):
        raise fail(
            attribute,
            f"{attribute.name} must be a duration of zero or more, got {value!r}",
            "e.g. datetime.timedelta(hours=6), or parse_duration('6 h')",
        )


def _p90_not_shorter(instance: Leg, attribute: attrs.Attribute[Any], value: dt.timedelta) -> None:
    _duration(instance, attribute, value)
    # A dwell's P90 is the wait after the P90 arrival, which may be the shorter wait.
    if instance.kind is not LegKind.DWELL and value < instance.p50:
        raise fail(
            attribute,
            f"p90 ({format_duration(value)}) is shorter than p50 ({format_duration(instance.p50)})",
            "P90 is the bad-day duration: 9 journeys in 10 take less; it is at least P50",
        )


def _setpoint(instance: Leg, attribute: attrs.Attribute[Any], value: object) -> None:
    if instance.controlled and not isinstance(value, Temperature):
        raise fail(attribute, "a controlled leg needs its setpoint", "e.g. Temperature(2, '°C')")
    if not instance.controlled and value is not None:
        raise fail(
            attribute,
            "an ambient leg has no setpoint",
            "set controlled=True for a leg kept at the setpoint, or leave the setpoint out",
        )


@attrs.frozen(kw_only=True)
class Leg:
    """One stretch of a parcel's journey, with a typical and a bad-day duration.

    Attributes:
        name: what happens, for reports and plots.
        kind: first mile, dwell, line haul or last mile.
        p50: the median duration.
        p90: the duration 9 journeys in 10 stay within (at least ``p50``, except for a
            dwell: the wait after a late arrival can be shorter).
        controlled: whether the carrier keeps the parcel at ``setpoint`` on this leg (a
            reefer truck or a cold store); otherwise it sees the outside temperature.
        setpoint: the temperature of a controlled leg; None for an ambient one.

    Example:
        >>> import datetime as dt
        >>> leg = Leg(name="line haul", kind=LegKind.LINE_HAUL, p50=dt.timedelta(hours=30),
        ...           p90=dt.timedelta(hours=44), controlled=True,
        ...           setpoint=Temperature(2, "°C"))
        >>> leg.duration("p90")
        datetime.timedelta(days=1, seconds=72000)
    """

    name: str = attrs.field(validator=text)
    kind: LegKind = attrs.field(validator=attrs.validators.instance_of(LegKind))
    p50: dt.timedelta = attrs.field(validator=_duration)
    p90: dt.timedelta = attrs.field(validator=_p90_not_shorter)
    controlled: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    setpoint: Temperature | None = attrs.field(default=None, validator=_setpoint)

    def duration(self, scenario: Scenario = "p90") -> dt.timedelta:
        """The leg's duration in ``scenario``."""
        return self.p50 if _scenario(scenario) == "p50" else self.p90


def _first_mile_leg(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Leg) or value.kind is not LegKind.FIRST_MILE or value.controlled:
        raise fail(
            attribute,
            f"{attribute.name} must be an ambient first-mile Leg, got {value!r}",
            "use Leg(kind=LegKind.FIRST_MILE, ...) without controlled: village vans are not "
            "refrigerated",
        )


# Village → township → county hub in shared unrefrigerated vans, often once a
# day; first mile 0.5-1.5 d [ANALYSIS/UNVERIFIED]. Our split [example]: a parcel handed in at
# 08:00 typically reaches the county hub by 17:00 (P50 4 h + 5 h), and on a bad day the next
# afternoon (P90 10 h + 20 h: it misses the once-a-day van).
_VILLAGE_TO_TOWNSHIP = Leg(
    name="village station → township outlet",
    kind=LegKind.FIRST_MILE,
    p50=dt.timedelta(hours=4),
    p90=dt.timedelta(hours=10),
)
_TOWNSHIP_TO_COUNTY = Leg(
    name="township outlet → county hub",
    kind=LegKind.FIRST_MILE,
    p50=dt.timedelta(hours=5),
    p90=dt.timedelta(hours=20),
)


@attrs.frozen(kw_only=True)
class FirstMile:
    """The ambient legs from the village to the carrier's hub.

    Attributes:
        village_to_township: village station to township outlet; None when the parcel is
            handed in at the township.
        township_to_county: township outlet to county hub; None when handed in at the
            county hub.
        county_to_hub: an extra leg from the county to the carrier's hub when the service
            starts only in a city with a cold warehouse (e.g. 泰和县 → 吉安市 or 南昌市);
            None when the carrier collects at the county hub.

    Example:
        >>> import datetime as dt
        >>> to_nanchang = Leg(name="county hub → Nanchang cold store", kind=LegKind.FIRST_MILE,
        ...                   p50=dt.timedelta(hours=4), p90=dt.timedelta(hours=8))
        >>> len(FirstMile(county_to_hub=to_nanchang).legs)
        3
    """

    village_to_township: Leg | None = attrs.field(
        default=_VILLAGE_TO_TOWNSHIP, validator=_first_mile_leg
    )
    township_to_county: Leg | None = attrs.field(
        default=_TOWNSHIP_TO_COUNTY, validator=_first_mile_leg
    )
    county_to_hub: Leg | None = attrs.field(default=None, validator=_first_mile_leg)

    @property
    def legs(self) -> tuple[Leg, ...]:
        """The legs given, in order."""
        legs = (self.village_to_township, self.township_to_county, self.county_to_hub)
        return tuple(leg for leg in legs if leg is not None)


DEFAULT_FIRST_MILE = FirstMile()
"""Village → township (P50 4 h, P90 10 h) → county hub (P50 5 h, P90 20 h), ambient [example;
rural logistics reports put the first mile at 0.5-1.5 d]."""


# --- routes ---------------------------------------------------------------------------------------


@attrs.frozen
class ScheduledLeg:
    """A leg placed in time for one scenario.

    Attributes:
        leg: the leg.
        start: when it starts, after the parcel was handed in.
        end: when it ends, after the parcel was handed in.
    """

    leg: Leg
    start: dt.timedelta
    end: dt.timedelta

    @property
    def duration(self) -> dt.timedelta:
        """How long the leg lasts."""
        return self.end - self.start


def _legs(_instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value or not all(isinstance(leg, Leg) for leg in value):
        raise fail(attribute, "a route needs at least one Leg, and only Legs")


# Hourly points follow the outside temperature closely enough for a box whose inside changes
# over hours; a step between an ambient and a controlled leg becomes a one-minute ramp,
# because a profile is straight lines between points that must be strictly in time order.
_SAMPLE = dt.timedelta(hours=1)
_RAMP = dt.timedelta(minutes=1)
_DAY = dt.timedelta(days=1)


def _celsius(value: float) -> Temperature:
    return Temperature(Decimal(f"{value:.2f}"), "°C")


@attrs.frozen(kw_only=True)
class Route:
    """A parcel's journey from the village to the buyer, leg by leg.

    Build one with :func:`build_route`.

    Attributes:
        origin: where the parcel is handed in.
        destination: the buyer.
        service_id: the carrier service's id.
        service_name: the carrier service's name.
        zone: the price and transit zone (see :func:`zone`).
        ship_at: when the parcel is handed in (with its time zone).
        legs: the legs, in order.
    """

    origin: Place
    destination: Place
    service_id: str
    service_name: str
    zone: int
    ship_at: dt.datetime = attrs.field(validator=aware)
    legs: tuple[Leg, ...] = attrs.field(converter=frozen_tuple, validator=_legs)

    def schedule(self, scenario: Scenario = "p90") -> tuple[ScheduledLeg, ...]:
        """The legs with their start and end, counted from :attr:`ship_at`, in ``scenario``."""
        scheduled = []
        start = dt.timedelta(0)
        for leg in self.legs:
            end = start + leg.duration(scenario)
            scheduled.append(ScheduledLeg(leg, start, end))
            start = end
        return tuple(scheduled)

    def duration(self, scenario: Scenario = "p90") -> dt.timedelta:
        """From hand-in to the buyer's door in ``scenario``."""
        return sum((leg.duration(scenario) for leg in self.legs), start=dt.timedelta(0))

    def arrival(self, scenario: Scenario = "p90") -> dt.datetime:
        """When the parcel reaches the buyer in ``scenario``."""
        return self.ship_at + self.duration(scenario)

    def leg_marks(self, scenario: Scenario = "p90") -> tuple[tuple[dt.timedelta, str], ...]:
        """Where each leg starts, with its name, and ``"delivered"`` at the end: for plots."""
        schedule = self.schedule(scenario)
        marks = [(item.start, item.leg.name) for item in schedule]
        return (*marks, (schedule[-1].end, "delivered"))

    def ambient(self, outside: AmbientProfile, scenario: Scenario = "p90") -> AmbientProfile:
        """The temperature around the box over the journey, for the packaging thermal model.

        On ambient legs it is ``outside`` at hourly points; on controlled legs, the leg's
        setpoint. A day/night ``outside`` profile (one with a mean, like
        :data:`~ruralseller.packaging.thermal.SOUTH_CHINA_SUMMER`) is read by the clock: its
        :attr:`~AmbientProfile.starts_at` is matched to :attr:`ship_at` in China Standard
        Time, and it repeats daily, so it covers any journey. A profile of points (a forecast
        or a logger export) is taken to start when the parcel is handed in, and must last at
        least as long as the journey.

        Raises:
            InvalidValueError: for an unknown scenario, or a profile of points shorter than
                the journey.

        Example:
            >>> import datetime as dt
            >>> from ruralseller.packaging.thermal import SOUTH_CHINA_SUMMER
            >>> from ruralseller.coldchain.services import EXAMPLE_SERVICES
            >>> route = build_route(
            ...     Place(country="CN", province="江西省", county="泰和县"), find_city("深圳"),
            ...     EXAMPLE_SERVICES[0], dt.datetime(2026, 7, 1, 8, tzinfo=CHINA_STANDARD_TIME))
            >>> box = route.ambient(SOUTH_CHINA_SUMMER, "p50")
            >>> box.temperature_at(dt.timedelta(hours=7))  # 15:00 in a township van
            Temperature('36 °C')
            >>> box.temperature_at(dt.timedelta(hours=20))  # on the cold truck
            Temperature('2 °C')
        """
        if not isinstance(outside, AmbientProfile):
            raise InvalidValueError(
                f"outside must be an AmbientProfile, got {outside!r}",
                hint="e.g. SOUTH_CHINA_SUMMER, or AmbientProfile.hourly([...])",
            )
        schedule = self.schedule(_scenario(scenario))
        shift = self._shift(outside, schedule[-1].end, scenario)
        points: list[tuple[dt.timedelta, Temperature]] = []
        for item in schedule:
            if item.end <= item.start:
                continue
            samples = self._samples(item, outside, shift)
            if points:
                if samples[0][1] == points[-1][1]:
                    samples = samples[1:]
                else:
                    ramp_end = item.start + min(_RAMP, item.duration / 2)
                    later = [sample for sample in samples[1:] if sample[0] > ramp_end]
                    samples = [(ramp_end, samples[0][1]), *later]
            points.extend(samples)
        return AmbientProfile.from_points(
            points, name=f"{outside.name or 'outside'} along {self.service_name}, {scenario}"
        )

    def _shift(self, outside: AmbientProfile, total: dt.timedelta, scenario: str) -> dt.timedelta:
        if outside.mean is not None:
            clock = self.ship_at.astimezone(CHINA_STANDARD_TIME)
            since_midnight = dt.timedelta(
                hours=clock.hour, minutes=clock.minute, seconds=clock.second
            )
            starts = outside.starts_at
            profile_start = dt.timedelta(
                hours=starts.hour, minutes=starts.minute, seconds=starts.second
            )
            return (since_midnight - profile_start) % _DAY
        if outside.duration < total:
            raise InvalidValueError(
                f"the outside profile {outside.name!r} covers {format_duration(outside.duration)}"
                f", but the journey takes {format_duration(total)} ({scenario})",
                hint="give a profile as long as the journey, or a day/night profile "
                "(AmbientProfile.day_night), which repeats every day",
            )
        return dt.timedelta(0)

    @staticmethod
    def _samples(
        item: ScheduledLeg, outside: AmbientProfile, shift: dt.timedelta
    ) -> list[tuple[dt.timedelta, Temperature]]:
        leg = item.leg
        if leg.controlled and leg.setpoint is not None:
            return [(item.start, leg.setpoint), (item.end, leg.setpoint)]
        first_hour = math.floor(item.start / _SAMPLE) + 1
        times = [item.start]
        hour = first_hour
        while _SAMPLE * hour < item.end:
            times.append(_SAMPLE * hour)
            hour += 1
        times.append(item.end)
        return [
            (moment, _celsius(outside.celsius_at((moment + shift).total_seconds())))
            for moment in times
        ]


def _next_departure_leg(service: CarrierService, arrivals: Mapping[Scenario, dt.datetime]) -> Leg:
    waits = {
        scenario: service.next_departure(arrival) - arrival
        for scenario, arrival in arrivals.items()
    }
    cold = service.cold_warehouse
    name = f"at the hub until the {service.cutoff:%H:%M} cut-off"
    return Leg(
        name=f"{name} (cold store)" if cold else name,
        kind=LegKind.DWELL,
        p50=waits["p50"],
        p90=waits["p90"],
        controlled=cold,
        setpoint=service.setpoint if cold else None,
    )


def _line_haul_name(path: Lane) -> str:
    name = f"line haul, zone {path.zone}"
    if path.extra_days:
        name += f" (+{path.extra_days} d: {path.road_km:,} km by road"
        name += f", {path.commitment.name})" if path.commitment is not None else ")"
    if path.remote is not None:
        name += f", remote area {path.remote.name}"
    return name


def build_route(  # noqa: PLR0913 - all but the first four are keyword-only
    origin: Place,
    destination: Place,
    service: CarrierService,
    ship_at: dt.datetime,
    *,
    first_mile: FirstMile = DEFAULT_FIRST_MILE,
    lane: Lane | None = None,
) -> Route:
    """Lay out the journey from ``origin`` to ``destination`` with ``service``.

    The legs are:

    1. the first mile (``first_mile``): ambient, in shared vans;
    2. a dwell at the hub until the service's next daily cut-off, in China Standard Time
       (arriving after it waits for the next day's). The line haul is taken to leave at the
       cut-off. The dwell is controlled at the service's setpoint only when the service keeps
       parcels in a cold warehouse (:attr:`CarrierService.cold_warehouse`); otherwise the
       parcel waits in the ambient hub;
    3. the line haul: the service's P50/P90 for the zone, controlled at its setpoint when the
       service is temperature-controlled;
    4. for a buyer in a county beyond the city's urban districts, the feeder from the city
       hub to the county station: ambient (:data:`~ruralseller.coldchain.lanes.FEEDER`);
    5. the last mile: the service's P50/P90, controlled only when the service says its
       delivery is (:attr:`CarrierService.controlled_last_mile`).

    The line haul takes longer than the service's zone transit when the road distance earns
    a later time commitment than the zone stands for, and in a remote area (偏远地区); see
    :class:`~ruralseller.coldchain.lanes.Lane`. ``lane`` is worked out from the two places
    when not given.

    Raises:
        InvalidValueError: for a ``ship_at`` without a time zone, a place outside mainland
            China or without a province, or a destination the service does not serve.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.coldchain.services import EXAMPLE_SERVICES
        >>> farm = Place(country="CN", province="江西省", county="泰和县")
        >>> ambient = EXAMPLE_SERVICES[-1]
        >>> at = dt.datetime(2026, 7, 1, 8, tzinfo=CHINA_STANDARD_TIME)
        >>> early = build_route(farm, find_city("南昌"), ambient, at)
        >>> late = build_route(farm, find_city("南昌"), ambient, at + dt.timedelta(hours=2))
        >>> late.arrival("p50") - early.arrival("p50")  # missed the 17:00 cut-off
        datetime.timedelta(days=1)
    """
    if not isinstance(ship_at, dt.datetime) or ship_at.utcoffset() is None:
        raise InvalidValueError(
            f"ship_at must be a date and time with its time zone, got {ship_at!r}",
            hint="e.g. datetime(2026, 7, 1, 8, tzinfo=CHINA_STANDARD_TIME)",
        )
    if not isinstance(first_mile, FirstMile):
        raise InvalidValueError(
            f"first_mile must be a FirstMile, got {first_mile!r}", hint="e.g. FirstMile()"
        )
    zone_number = zone(origin, destination)
    reason = service.serves(destination)
    if reason is not None:
        raise InvalidValueError(reason, hint="choose a service that serves the buyer's city")
    path = lane if lane is not None else _lane(origin, destination, zone_number=zone_number)
    refusal = path.refusal(service.temperature_controlled, service.name)
    if refusal is not None:
        raise InvalidValueError(refusal, hint="choose an ambient service, or another buyer")
    legs = list(first_mile.legs)
    arrivals = {
        scenario: ship_at + sum((leg.duration(scenario) for leg in legs), start=dt.timedelta(0))
        for scenario in _SCENARIOS
    }
    legs.append(_next_departure_leg(service, arrivals))
    transit = service.transit_time(zone_number)
    controlled = service.temperature_controlled
    extra_p50, extra_p90 = path.extra
    legs.append(
        Leg(
            name=_line_haul_name(path),
            kind=LegKind.LINE_HAUL,
            p50=transit.p50 + extra_p50,
            p90=transit.p90 + extra_p90,
            controlled=controlled,
            setpoint=service.setpoint if controlled else None,
        )
    )
    if path.feeder:
        legs.append(
            Leg(
                name="feeder: city hub → county station (ambient)",
                kind=LegKind.LINE_HAUL,
                p50=FEEDER.p50,
                p90=FEEDER.p90,
            )
        )
    last_controlled = service.controlled_last_mile
    legs.append(
        Leg(
            name="last mile to the buyer",
            kind=LegKind.LAST_MILE,
            p50=service.last_mile.p50,
            p90=service.last_mile.p90,
            controlled=last_controlled,
            setpoint=service.setpoint if last_controlled else None,
        )
    )
    return Route(
        origin=origin,
        destination=destination,
        service_id=service.id,
        service_name=service.name,
        zone=zone_number,
        ship_at=ship_at,
        legs=legs,
    )
