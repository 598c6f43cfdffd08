"""Every division of mainland China, by name, code or free-text address (issue 26)."""

from __future__ import annotations

import csv
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.catalog import (
    Division,
    DivisionLevel,
    Place,
    all_divisions,
    find_division,
    parse_address,
)
from ruralseller.errors import PlaceError

DIVISIONS = all_divisions()


def test_every_level_is_there() -> None:
    """31 provincial-level, 333 prefecture-level and about 2,850 county-level divisions."""
    counts = {level: len(all_divisions(level)) for level in DivisionLevel}
    assert counts[DivisionLevel.PROVINCE] == 31
    assert counts[DivisionLevel.PREFECTURE] == 333
    assert 2800 <= counts[DivisionLevel.COUNTY] <= 2900
    assert len({d.code for d in DIVISIONS}) == len(DIVISIONS)
    assert all(len(d.code) == 6 and d.code.isdigit() for d in DIVISIONS)


def test_hong_kong_macao_taiwan_are_out_of_scope() -> None:
    assert not [d for d in DIVISIONS if d.code[:2] in {"71", "81", "82"}]
    for text in ("香港", "澳门特别行政区", "台湾省台北市", "Hong Kong", "810000"):
        with pytest.raises(PlaceError, match="outside mainland China") as caught:
            parse_address(text)
        assert "HK" in caught.value.hint


def test_placeholder_rows_are_not_divisions() -> None:
    names = {d.name for d in DIVISIONS}
    assert not names & {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("黄山", "安徽省 黄山市 (341000)"),
        ("六盘水", "贵州省 六盘水市 (520200)"),
        ("丽江市", "云南省 丽江市 (530700)"),
        ("延边", "吉林省 延边朝鲜族自治州 (222400)"),
        ("延边朝鲜族自治州", "吉林省 延边朝鲜族自治州 (222400)"),
        ("阿勒泰", "新疆维吾尔自治区 阿勒泰地区 (654300)"),
        ("阿勒泰市", "新疆维吾尔自治区 阿勒泰地区 阿勒泰市 (654301)"),
        ("吉林", "吉林省 吉林市 (220200)"),
        ("吉林省", "吉林省 (220000)"),
        ("广西", "广西壮族自治区 (450000)"),
        ("内蒙古", "内蒙古自治区 (150000)"),
        ("恩施", "湖北省 恩施土家族苗族自治州 (422800)"),
        ("歙县", "安徽省 黄山市 歙县 (341021)"),
        ("仙桃", "湖北省 仙桃市 (429004)"),
        ("341002", "安徽省 黄山市 屯溪区 (341002)"),
        ("341002000000", "安徽省 黄山市 屯溪区 (341002)"),
        ("34", "安徽省 (340000)"),
        ("3410", "安徽省 黄山市 (341000)"),
    ],
)
def test_find_division(text: str, label: str) -> None:
    assert find_division(text).label == label


@pytest.mark.parametrize(
    ("old", "today"),
    [
        ("襄樊", "420600"),
        ("襄樊市", "420600"),
        ("思茅市", "530800"),
        ("徽州地区", "341000"),
        ("闸北区", "310106"),
        ("崇文区", "110101"),
        ("塘沽区", "120116"),
        ("莱芜市", "370116"),
        ("371202", "370116"),
        ("会理县", "513402"),
        ("330204", "330212"),
    ],
)
def test_renamed_and_merged_divisions_resolve_to_today(old: str, today: str) -> None:
    assert find_division(old).code == today


def test_the_change_table_points_at_divisions_of_today() -> None:
    text = files("ruralseller.catalog").joinpath("data", "cn-division-changes.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    codes = {d.code for d in DIVISIONS}
    for row in rows:
        assert row["new_code"] in codes, row
        assert row["old_code"] not in codes, row
        assert find_division(row["new_code"]).name == row["new_name"], row
        assert row["source"], row


def test_a_full_street_address_in_anhui() -> None:
    address = parse_address("安徽省黄山市屯溪区黄山西路8号")
    assert address.division.code == "341002"
    assert address.place == Place(
        country="CN",
        province="安徽省",
        city="黄山市",
        county="屯溪区",
        coordinates=address.division.coordinates,
    )
    assert address.rest == "黄山西路8号"


@pytest.mark.parametrize(
    ("text", "code", "rest"),
    [
        ("中国安徽省黄山市屯溪区黄山西路8号", "341002", "黄山西路8号"),
        ("安徽 黄山 屯溪区 黄山西路8号", "341002", "黄山西路8号"),
        ("黄山屯溪区黄山西路8号", "341002", "黄山西路8号"),
        ("北京市朝阳区建国路88号", "110105", "建国路88号"),
        ("北京朝阳区建国路88号", "110105", "建国路88号"),
        ("吉林长春朝阳区人民大街1号", "220104", "人民大街1号"),
        ("上海市浦东新区世纪大道100号", "310115", "世纪大道100号"),
        ("重庆市巫山县", "500237", ""),
        ("湖北省仙桃市干河街道", "429004", "干河街道"),
        ("广东省佛山市南海区桂城街道", "440605", "桂城街道"),
    ],
)
def test_addresses(text: str, code: str, rest: str) -> None:
    address = parse_address(text)
    assert (address.division.code, address.rest) == (code, rest)


def test_township_and_village_go_into_the_place() -> None:
    place = parse_address("江西吉安泰和县武山镇汪陂村").place
    assert str(place) == "江西省 吉安市 泰和县 武山镇 汪陂村, CN"
    assert Place.parse("江西省吉安市泰和县澄江镇").township == "澄江镇"


def test_a_street_is_not_a_city() -> None:
    """中山路 starts with 中山 (a city), but a short name before 路 is a street."""
    with pytest.raises(PlaceError, match="no division of mainland China"):
        parse_address("中山路5号")


def test_an_ambiguous_name_lists_every_candidate() -> None:
    with pytest.raises(PlaceError) as caught:
        find_division("朝阳区")
    assert caught.value.message == (
        "'朝阳区' is ambiguous: 北京市 朝阳区 (110105), 吉林省 长春市 朝阳区 (220104)"
    )
    assert "code" in caught.value.hint
    with pytest.raises(PlaceError, match="ambiguous") as caught:
        parse_address("朝阳区建国路88号")
    with pytest.raises(PlaceError) as caught:
        find_division("市中区")
    assert caught.value.message.count("市中区 (") == 4


def test_an_ambiguous_name_is_settled_by_the_province() -> None:
    assert find_division("山东省枣庄市市中区").code == "370402"
    assert find_division("北京市朝阳区").code == "110105"


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("六盘山", "六盘水市"), ("安微省黄山市", "安徽省"), ("黄三市", "黄山市")],
)
def test_a_misspelling_gets_did_you_mean(typo: str, suggestion: str) -> None:
    with pytest.raises(PlaceError, match="no division of mainland China") as caught:
        parse_address(typo)
    assert caught.value.hint.startswith("did you mean")
    assert suggestion in caught.value.hint
    assert "Place(" not in caught.value.hint


def test_bad_codes_and_text() -> None:
    with pytest.raises(PlaceError, match="has the code 999999"):
        find_division("999999")
    with pytest.raises(PlaceError, match="not a division code"):
        find_division("12345")
    with pytest.raises(PlaceError, match="must be text"):
        parse_address("  ")
    with pytest.raises(PlaceError, match="more than a division"):
        find_division("黄山市屯溪区黄山西路8号")


def test_rows_without_coordinates_borrow_the_nearest_larger_divisions() -> None:
    qingjiangpu = find_division("清江浦区")
    assert qingjiangpu.approximate
    assert qingjiangpu.coordinates == find_division("淮安市").coordinates
    assert not find_division("屯溪区").approximate


def test_every_division_is_found_by_its_path_and_its_code() -> None:
    """Each of the ~3,200 divisions comes back from its full path and from its code."""
    for division in DIVISIONS:
        path = division.province + (division.prefecture or "")
        if division.level is not DivisionLevel.PROVINCE:
            path += division.name
        assert parse_address(path).division == division, path
        assert find_division(division.code) == division


@settings(max_examples=200, deadline=None)
@given(division=st.sampled_from(DIVISIONS), street=st.sampled_from(["人民路1号", "8号楼", ""]))
def test_a_short_name_is_its_division_or_one_that_contains_it(
    division: Division, street: str
) -> None:
    """A short name finds the division, one it lies in or around, or lists it as a candidate."""
    message = ""
    try:
        found = parse_address(division.short + street).division
    except PlaceError as exc:
        message = exc.message
    if message:
        assert "ambiguous" in message, message
        assert division.code in message
        return
    assert found == division or found.contains(division) or division.contains(found)


def test_place_parse() -> None:
    assert Place.parse("六盘水") == Place(
        country="CN",
        province="贵州省",
        city="六盘水市",
        coordinates=find_division("六盘水").coordinates,
    )
    assert Place.parse("北京市朝阳区").city == "北京市"
