"""Tests for ruralseller.catalog.place: countries, administrative divisions and coordinates."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog.place import Coordinates, Place
from ruralseller.errors import InvalidValueError, PlaceError

DIVISIONS = ("province", "city", "county", "township", "village")


def _exact(message: str) -> str:
    """A pattern matching exactly ``message``."""
    return f"^{re.escape(message)}$"


def village() -> Place:
    return Place(
        country="CN",
        province="江西省",
        city="吉安市",
        county="泰和县",
        township="武山镇",
        village="汪陂村",
        postal_code="343700",
        coordinates=Coordinates("26.7312", "115.0486"),
    )


# --- strategies --------------------------------------------------------------------------

names = st.none() | st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8)
degrees_text = st.integers(min_value=0, max_value=4).flatmap(
    lambda places: st.integers(-90 * 10**places, 90 * 10**places).map(
        lambda units: f"{Decimal(units).scaleb(-places):f}"
    )
)
coordinates = st.builds(Coordinates, degrees_text, degrees_text)
places = st.builds(
    Place,
    country=st.sampled_from(["CN", "US", "DE", "JP", "TW", "HK", "FR"]),
    province=names,
    city=names,
    county=names,
    township=names,
    village=names,
    postal_code=names,
    coordinates=st.none() | coordinates,
)


class TestCountry:
    @pytest.mark.parametrize("code", ["CN", "cn", " Cn ", "US", "DE"])
    def test_codes_are_normalised(self, code: str) -> None:
        """Country codes are read in any case and without surrounding spaces."""
        assert Place(country=code).country == code.strip().upper()

    @pytest.mark.parametrize("code", ["XX", "CHN", "001", "", None, 86, "EU", "UN", "ZZ"])
    def test_unknown_country_is_refused(self, code: object) -> None:
        """Codes that are not ISO 3166-1 alpha-2 countries (CLDR regions, groupings) are refused."""
        with pytest.raises(PlaceError, match=_exact(f"unknown country {code!r}")) as info:
            Place(country=code)  # type: ignore[arg-type]
        assert info.value.hint == "use an ISO 3166-1 alpha-2 code such as CN, US, DE, TW or HK"

    def test_place_errors_are_invalid_values(self) -> None:
        """A bad place can be caught as InvalidValueError or ValueError."""
        with pytest.raises(InvalidValueError):
            Place(country="XX")
        with pytest.raises(ValueError, match="unknown country"):
            Place(country="XX")

    @pytest.mark.parametrize(
        ("country", "locale", "expected"),
        [
            ("CN", "zh_CN", "中国"),
            ("CN", "zh-CN", "中国"),
            ("CN", "en", "China"),
            ("DE", "zh_CN", "德国"),
            ("US", "en_US", "United States"),
        ],
    )
    def test_country_name(self, country: str, locale: str, expected: str) -> None:
        """The country's name comes from CLDR in the locale asked for (``_`` or ``-``)."""
        assert Place(country=country).country_name(locale) == expected

    def test_country_name_defaults_to_english(self) -> None:
        """Without a locale, the name is in English."""
        assert Place(country="CN").country_name() == "China"


class TestDivisions:
    def test_divisions_largest_first(self) -> None:
        """The known levels come from province down to village."""
        assert village().divisions == ("江西省", "吉安市", "泰和县", "武山镇", "汪陂村")

    def test_unknown_levels_are_skipped(self) -> None:
        """Levels left out do not appear in the divisions."""
        place = Place(country="CN", province="江西省", county="泰和县")
        assert place.divisions == ("江西省", "泰和县")

    def test_names_are_stripped_and_blank_is_none(self) -> None:
        """Names lose surrounding spaces, and a blank name counts as not given."""
        place = Place(country="CN", province="  ", city=" 吉安市 ", postal_code="")
        assert place.province is None
        assert place.city == "吉安市"
        assert place.postal_code is None
        assert place.divisions == ("吉安市",)

    def test_str_lists_divisions_and_country(self) -> None:
        """A place prints its divisions, largest first, then the country code."""
        assert str(village()) == "江西省 吉安市 泰和县 武山镇 汪陂村, CN"

    def test_str_of_country_only(self) -> None:
        """A place known only by country prints just the code."""
        assert str(Place(country="US")) == "US"

    def test_only_country_is_required(self) -> None:
        """A buyer's place needs nothing but the country."""
        place = Place(country="DE")
        assert place.divisions == ()
        assert place.coordinates is None
        assert place.postal_code is None


class TestCoordinates:
    @pytest.mark.parametrize(
        ("latitude", "longitude"),
        [
            ("26.79", "114.87"),
            (Decimal("-33.8688"), Decimal("151.2093")),
            (90, -180),
            (-90, 180),
            ("0", "0"),
        ],
    )
    def test_exact_values_in_range(self, latitude: object, longitude: object) -> None:
        """Strings, ints and Decimals within range are kept as exact Decimals."""
        point = Coordinates(latitude, longitude)
        assert point.latitude == Decimal(str(latitude))
        assert point.longitude == Decimal(str(longitude))
        assert isinstance(point.latitude, Decimal)

    @pytest.mark.parametrize(
        ("latitude", "longitude", "message"),
        [
            (26.79, "114.87", "latitude 26.79 must be exact: pass a string like '26.79'"),
            ("26.79", 114.87, "longitude 114.87 must be exact: pass a string like '26.79'"),
            (True, "0", "latitude True must be exact: pass a string like '26.79'"),
        ],
    )
    def test_floats_are_refused(self, latitude: object, longitude: object, message: str) -> None:
        """Floats (and bools) are refused: coordinates must be exact."""
        with pytest.raises(PlaceError, match=_exact(message)):
            Coordinates(latitude, longitude)

    @pytest.mark.parametrize(
        ("latitude", "longitude", "message"),
        [
            ("90.0001", "0", "latitude '90.0001' is out of range: it must be from -90 to 90"),
            ("-91", "0", "latitude '-91' is out of range: it must be from -90 to 90"),
            ("0", "180.5", "longitude '180.5' is out of range: it must be from -180 to 180"),
            ("0", -181, "longitude -181 is out of range: it must be from -180 to 180"),
            (
                Decimal("NaN"),
                "0",
                "latitude Decimal('NaN') is out of range: it must be from -90 to 90",
            ),
            ("0", "Infinity", "longitude 'Infinity' is out of range: it must be from -180 to 180"),
        ],
    )
    def test_out_of_range_is_refused(
        self, latitude: object, longitude: object, message: str
    ) -> None:
        """Latitudes beyond ±90, longitudes beyond ±180 and non-finite values are refused."""
        with pytest.raises(PlaceError, match=_exact(message)):
            Coordinates(latitude, longitude)

    @pytest.mark.parametrize("value", ["abc", "26,79", "26.79N", ""])
    def test_non_numbers_are_refused(self, value: str) -> None:
        """Text that is not a number of degrees is refused."""
        with pytest.raises(
            PlaceError, match=_exact(f"latitude {value!r} is not a number of degrees")
        ):
            Coordinates(value, "0")


class TestRoundTrip:
    @given(places)
    def test_evolve_without_changes_is_equal(self, place: Place) -> None:
        """Rebuilding a place from its own fields gives an equal place."""
        assert attrs.evolve(place) == place

    @given(places)
    def test_evolve_with_padded_names_is_equal(self, place: Place) -> None:
        """Padding every name and lower-casing the country changes nothing."""
        padded = {name: f"  {value}\t" for name in DIVISIONS if (value := getattr(place, name))}
        again = attrs.evolve(place, country=place.country.lower(), **padded)
        assert again == place
        assert str(again) == str(place)

    @given(places)
    def test_str_ends_with_the_country(self, place: Place) -> None:
        """The printed place always ends with its country code and lists its divisions."""
        text = str(place)
        assert text.endswith(place.country)
        assert all(division in text for division in place.divisions)

    @given(coordinates)
    def test_coordinates_round_trip_through_text(self, point: Coordinates) -> None:
        """Coordinates written as text and read back are equal."""
        again = Coordinates(f"{point.latitude:f}", f"{point.longitude:f}")
        assert again == point
