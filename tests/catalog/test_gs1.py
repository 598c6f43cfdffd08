"""Tests for ruralseller.catalog.gs1: GTINs, label data, element strings and Digital Link."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

import biip
import pytest
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.catalog.gs1 import Gs1Data, Gtin, check_digit
from ruralseller.catalog.units import Mass
from ruralseller.errors import IdentifierError

# The century rule (GS1 General Specifications §7.12) depends on the current year, so the
# tests that parse pin it; with 2026, two-digit years map onto 1977-2076.
TODAY = dt.date(2026, 5, 1)
GTIN = "09506000134352"
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


def raises(pattern: str):
    """Expect an IdentifierError whose message contains ``pattern`` literally."""
    return pytest.raises(IdentifierError, match=re.escape(pattern))


# --- strategies --------------------------------------------------------------------------

digit_strings = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text("0123456789", min_size=n, max_size=n)
)
gtins = st.text("0123456789", min_size=13, max_size=13).map(Gtin.from_body)
lots = st.text(CSET82, min_size=1, max_size=20)
# Exactly representable in six digits, so they come back equal.
weights = st.one_of(
    st.builds(
        lambda n, d, unit: Mass(Fraction(n, 10**d), unit),
        st.integers(0, 999_999),
        st.integers(0, 5),
        st.sampled_from(["kg", "lb"]),
    ),
    st.builds(Mass, st.integers(0, 999_999), st.just("g")),
    st.builds(Mass, st.integers(0, 1599), st.just("oz")),
    st.builds(Mass, st.integers(0, 99_999), st.just("jin")),
)
countries = st.sampled_from(["004", "156", "276", "344", "392", "410", "840", "894"])


def label_data(
    dates: st.SearchStrategy[dt.date], lot: st.SearchStrategy[str]
) -> st.SearchStrategy[Gs1Data]:
    """Gs1Data with any mix of optional fields."""
    return st.builds(
        Gs1Data,
        gtins,
        lot=st.none() | lot,
        production_date=st.none() | dates,
        packaging_date=st.none() | dates,
        best_before=st.none() | dates,
        expiry=st.none() | dates,
        net_weight=st.none() | weights,
        country_of_origin=st.none() | countries,
    )


# Dates the century rule maps back to themselves when today is TODAY.
window_dates = st.dates(dt.date(1977, 1, 1), dt.date(2076, 12, 31))
# For biip, which uses the real clock: a range that stays inside the window for decades.
biip_dates = st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31))


# --- check digits and GTINs --------------------------------------------------------------


class TestCheckDigit:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ("950600013435", 2),  # GTIN-13 9506000134352
            ("400638133393", 1),  # EAN-13 4006381333931
            ("03600029145", 2),  # UPC-A 036000291452
            ("9638507", 4),  # GTIN-8 96385074
            ("10614141234567890", 8),  # SSCC body from the GS1 General Specifications
            ("0", 0),
        ],
    )
    def test_known_check_digits(self, body: str, expected: int) -> None:
        """The mod-10 check digit matches published GS1 examples for keys of any length."""
        assert check_digit(body) == expected

    @pytest.mark.parametrize("body", ["", "95060-0013435", "١٢٣", "12 3"])
    def test_non_digits_are_refused(self, body: str) -> None:
        """Empty strings and anything but ASCII digits raise, naming the value."""
        with raises(f"a check digit is computed from digits 0-9 only, got {body!r}"):
            check_digit(body)

    def test_non_text_is_refused(self) -> None:
        """An int is refused, since it would have lost its leading zeros."""
        with raises("check_digit() takes the digits as text, not int 950600013435"):
            check_digit(950600013435)  # type: ignore[arg-type]


class TestGtin:
    @pytest.mark.parametrize(
        ("given", "canonical"),
        [
            ("09506000134352", "09506000134352"),
            ("9506000134352", "09506000134352"),
            ("4006381333931", "04006381333931"),
            ("036000291452", "00036000291452"),
            ("96385074", "00000096385074"),
            ("10614141000415", "10614141000415"),
            (" 4006381333931\n", "04006381333931"),
        ],
    )
    def test_known_good_gtins_are_held_as_14_digits(self, given: str, canonical: str) -> None:
        """GTIN-8/12/13/14 are accepted and padded on the left to 14 digits."""
        gtin = Gtin(given)
        assert gtin.digits == canonical
        assert str(gtin) == canonical
        assert repr(gtin) == f"Gtin({canonical!r})"
        assert gtin == Gtin(canonical)

    def test_from_body_appends_the_check_digit(self) -> None:
        """from_body computes the check digit for 7, 11, 12 and 13 digit bodies."""
        assert Gtin.from_body("950600013435") == Gtin("9506000134352")
        assert Gtin.from_body("9638507") == Gtin("96385074")
        assert Gtin.from_body("03600029145") == Gtin("036000291452")
        assert Gtin.from_body("1061414100041") == Gtin("10614141000415")

    def test_indicator_and_variable_measure(self) -> None:
        """The indicator is the first of 14 digits, and 9 marks a variable-measure item."""
        assert Gtin(GTIN).indicator == 0
        assert not Gtin(GTIN).is_variable_measure
        variable = Gtin.from_body("9950600013435")
        assert variable.indicator == 9
        assert variable.is_variable_measure

    def test_gtin13_drops_the_leading_zero(self) -> None:
        """A GTIN with indicator 0 has a 13-digit form."""
        assert Gtin(GTIN).gtin13 == "9506000134352"
        assert Gtin("036000291452").gtin13 == "0036000291452"

    def test_gtin13_refuses_other_indicators(self) -> None:
        """A GTIN-14 with indicator 1-9 has no 13-digit form, and the message says why."""
        with raises(
            "GTIN 99506000134355 has indicator digit 9, so it has no 13-digit (EAN-13) form; "
            "use all 14 digits"
        ):
            _ = Gtin.from_body("9950600013435").gtin13

    def test_wrong_check_digit_says_what_it_should_be(self) -> None:
        """The message names the value, the right check digit and how to compute it."""
        with raises(
            "GTIN '9506000134353' ends in check digit 3, but it should be 2; check the number "
            "against the package for a mistyped digit, or build it with "
            "Gtin.from_body('950600013435') to compute the check digit"
        ):
            Gtin("9506000134353")

    @pytest.mark.parametrize("given", ["", "1234567", "123456789", "95060001343520000"])
    def test_wrong_length(self, given: str) -> None:
        """Lengths other than 8, 12, 13 and 14 are refused with the accepted lengths."""
        with raises(
            f"GTIN {given!r} has {len(given)} digits; a GTIN has 8, 12, 13 or 14 digits "
            "(GTIN-8, UPC-A, EAN-13 or GTIN-14)"
        ):
            Gtin(given)

    def test_non_digit(self) -> None:
        """A non-digit is named with its position."""
        with raises("GTIN '9506000-134352' has '-' at position 8; a GTIN is 8, 12, 13 or 14"):
            Gtin("9506000-134352")

    def test_non_text(self) -> None:
        """An int GTIN is refused because it would lose its leading zeros."""
        with raises(
            "a GTIN must be text in quotes, such as '09506000134352', to keep leading zeros, "
            "not int 9506000134352"
        ):
            Gtin(9506000134352)  # type: ignore[arg-type]

    @pytest.mark.parametrize("body", ["9506000134", "950600013435x", "12345678901234", 950])
    def test_from_body_refuses_bad_bodies(self, body: object) -> None:
        """from_body wants 7, 11, 12 or 13 digits as text."""
        message = (
            "a GTIN body must be text"
            if isinstance(body, int)
            else "a GTIN body is 7, 11, 12 or 13 digits (the GTIN without its check digit), "
            f"got {body!r}"
        )
        with raises(message):
            Gtin.from_body(body)  # type: ignore[arg-type]

    @given(body=digit_strings, position=st.integers(0, 13), delta=st.integers(1, 9))
    def test_any_single_digit_substitution_is_detected(
        self, body: str, position: int, delta: int
    ) -> None:
        """Changing any one digit of a valid GTIN of any length makes it invalid."""
        valid = body + str(check_digit(body))
        position %= len(valid)
        wrong = valid[:position] + str((int(valid[position]) + delta) % 10) + valid[position + 1 :]
        with raises("but it should be"):
            Gtin(wrong)


# --- Gs1Data construction ----------------------------------------------------------------


class TestGs1DataValidation:
    def test_gtin_may_be_given_as_text(self) -> None:
        """The GTIN field converts its digits to a Gtin."""
        assert Gs1Data(GTIN) == Gs1Data(Gtin("9506000134352"))

    def test_bad_gtin_text_is_an_identifier_error(self) -> None:
        """A wrong GTIN given as text fails with the GTIN's message."""
        with raises("but it should be 2"):
            Gs1Data("09506000134353")

    @pytest.mark.parametrize(
        ("lot", "message"),
        [
            ("", "lot is empty; leave it out (None) when there is no lot code"),
            ("A" * 21, f"lot {'A' * 21!r} has 21 characters; GS1 AI (10) allows at most 20"),
            ("LOT 42", "lot 'LOT 42' has ' ' at position 4, which GS1 barcodes cannot carry"),
            ("批次42", "lot '批次42' has '批' at position 1, which GS1 barcodes cannot carry"),
            ("A#1", "lot 'A#1' has '#' at position 2"),
            ("A\x1dB", "lot 'A\\x1dB' has '\\x1d' at position 2"),
            (42, "lot must be text, not int 42"),
        ],
    )
    def test_lot_errors(self, lot: object, message: str) -> None:
        """Lot codes must be 1-20 characters of GS1 character set 82."""
        with raises(message):
            Gs1Data(GTIN, lot=lot)  # type: ignore[arg-type]

    def test_lot_error_tells_how_to_fix(self) -> None:
        """The bad-character message lists what may be used."""
        with raises(
            "use letters A-Z a-z, digits and !\"%&'()*+,-./:;<=>?_ (GS1 character set 82, "
            "no spaces)"
        ):
            Gs1Data(GTIN, lot="a b")

    def test_every_cset82_character_is_accepted(self) -> None:
        """All 82 characters of the set are valid in a lot."""
        assert len(CSET82) == 82
        for start in range(0, 82, 20):
            assert Gs1Data(GTIN, lot=CSET82[start : start + 20]).lot == CSET82[start : start + 20]

    @pytest.mark.parametrize(
        "field", ["production_date", "packaging_date", "best_before", "expiry"]
    )
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (
                dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
                "datetime datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)",
            ),
            ("2026-01-02", "str '2026-01-02'"),
        ],
    )
    def test_dates_must_be_dates(self, field: str, value: object, shown: str) -> None:
        """Each date field takes a datetime.date, not a datetime or text."""
        with raises(f"{field} must be a datetime.date, not {shown}"):
            Gs1Data(GTIN, **{field: value})  # type: ignore[arg-type]

    def test_net_weight_must_be_a_mass(self) -> None:
        """A bare number is refused with a hint to use Mass."""
        with raises("net_weight must be a Mass such as Mass.parse('1.25 kg'), not str '1.25'"):
            Gs1Data(GTIN, net_weight="1.25")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("mass", "message"),
        [
            (
                Mass(1_000_000, "kg"),
                (
                    "net weight 1000000 kg is too large for a GS1 label: AI (310n) holds at most "
                    "999999 kg"
                ),
            ),
            (
                Mass("999999.5", "lb"),
                (
                    "net weight 999999.5 lb is too large for a GS1 label: AI (320n) holds at most "
                    "999999 lb"
                ),
            ),
        ],
    )
    def test_net_weight_too_large(self, mass: Mass, message: str) -> None:
        """A weight that cannot be written in six digits is refused at construction."""
        with raises(message):
            Gs1Data(GTIN, net_weight=mass)

    @pytest.mark.parametrize(
        ("country", "shown"), [("999", "'999'"), ("CN", "'CN'"), ("56", "'56'"), (156, "156")]
    )
    def test_country_of_origin_errors(self, country: object, shown: str) -> None:
        """Only ISO 3166-1 numeric codes, as three-digit text, are accepted."""
        with raises(
            f"country of origin {shown} is not an ISO 3166-1 numeric country code; "
            "write three digits as text, e.g. '156' for China"
        ):
            Gs1Data(GTIN, country_of_origin=country)  # type: ignore[arg-type]

    def test_optional_fields_are_keyword_only(self) -> None:
        """Only the GTIN may be passed by position, so dates cannot be swapped by accident."""
        with pytest.raises(TypeError):
            Gs1Data(GTIN, "LOT42")  # type: ignore[misc]


# --- writing -----------------------------------------------------------------------------


class TestNetWeightEncoding:
    @pytest.mark.parametrize(
        ("mass", "ai", "digits"),
        [
            (Mass("1.25", "kg"), "3102", "000125"),
            (Mass(1250, "g"), "3102", "000125"),
            (Mass("2.4", "jin"), "3101", "000012"),
            (Mass(3, "kg"), "3100", "000003"),
            (Mass(0, "kg"), "3100", "000000"),
            (Mass("0.00001", "kg"), "3105", "000001"),
            (Mass(999_999, "kg"), "3100", "999999"),
            (Mass("9.99999", "kg"), "3105", "999999"),
            (Mass(8, "oz"), "3201", "000005"),
            (Mass(1, "oz"), "3204", "000625"),
            (Mass("2.5", "lb"), "3201", "000025"),
        ],
    )
    def test_exact_values_use_the_fewest_decimals(self, mass: Mass, ai: str, digits: str) -> None:
        """310n is used for metric masses, 320n for lb and oz, with the fewest exact decimals."""
        assert dict(Gs1Data(GTIN, net_weight=mass).ai_values())[ai] == digits

    @pytest.mark.parametrize(
        ("mass", "ai", "digits"),
        [
            # A Hong Kong catty is 0.60478982 kg: rounded to five decimals.
            (Mass(1, "catty_hk"), "3105", "060479"),
            # 1234.56789 kg needs 9 digits; 3102 is the finest that fits.
            (Mass("1234.56789", "kg"), "3102", "123457"),
            # 1 g in lb has no finite decimal form.
            (Mass(453, "g").to("lb"), "3205", "099869"),
            # Ties go to the even digit.
            (Mass("0.000005", "kg"), "3105", "000000"),
            (Mass("0.000015", "kg"), "3105", "000002"),
        ],
    )
    def test_inexact_values_round_to_the_finest_that_fits(
        self, mass: Mass, ai: str, digits: str
    ) -> None:
        """Values with no exact six-digit form are rounded to the finest decimals that fit."""
        assert dict(Gs1Data(GTIN, net_weight=mass).ai_values())[ai] == digits


FULL = Gs1Data(
    GTIN,
    lot="LOT42",
    production_date=dt.date(2026, 3, 1),
    packaging_date=dt.date(2026, 3, 2),
    best_before=dt.date(2026, 12, 1),
    expiry=dt.date(2026, 12, 31),
    net_weight=Mass("1.25", "kg"),
    country_of_origin="156",
)


class TestElementString:
    def test_example_from_the_label(self) -> None:
        """GTIN, lot and expiry give the familiar bracketed form."""
        data = Gs1Data(GTIN, lot="LOT42", expiry=dt.date(2026, 12, 31))
        assert data.element_string() == "(01)09506000134352(10)LOT42(17)261231"

    def test_all_fields_in_ai_order(self) -> None:
        """Every field appears once, in ascending AI order."""
        assert FULL.element_string() == (
            "(01)09506000134352(10)LOT42(11)260301(13)260302(15)261201(17)261231"
            "(3102)000125(422)156"
        )

    def test_gtin_only(self) -> None:
        """A bare GTIN is one element."""
        assert Gs1Data("96385074").element_string() == "(01)00000096385074"

    def test_bracket_in_lot_is_escaped(self) -> None:
        """A '(' in the lot is written as '\\(' so that it reads back as data."""
        data = Gs1Data(GTIN, lot="A(17)B")
        assert data.element_string() == "(01)09506000134352(10)A\\(17)B"
        assert Gs1Data.parse_element_string(data.element_string(), today=TODAY) == data

    def test_ai_values(self) -> None:
        """ai_values lists (AI, data) pairs in AI order."""
        assert FULL.ai_values()[:2] == (("01", GTIN), ("10", "LOT42"))
        assert FULL.ai_values()[-2:] == (("3102", "000125"), ("422", "156"))


class TestBarcodeData:
    def test_fixed_length_first_and_separators_between_variable_fields(self) -> None:
        """Predefined-length AIs lead; lot and origin follow, split by GS, with none at the end."""
        assert FULL.barcode_data() == (
            "010950600013435211260301132603021526120117261231310200012510LOT42\x1d422156"
        )

    def test_custom_separator(self) -> None:
        """The separator can be changed for encoders that want a marker instead of GS."""
        assert FULL.barcode_data(separator="{FNC1}").endswith("10LOT42{FNC1}422156")

    def test_no_separator_when_only_fixed_length_fields(self) -> None:
        """A label with only predefined-length AIs has no separator at all."""
        data = Gs1Data(GTIN, expiry=dt.date(2026, 12, 31), net_weight=Mass(3, "kg"))
        assert data.barcode_data() == "0109506000134352172612313100000003"

    def test_single_variable_field_has_no_separator(self) -> None:
        """A lot at the very end needs no separator after it."""
        data = Gs1Data(GTIN, lot="LOT42", expiry=dt.date(2026, 12, 31))
        assert data.barcode_data() == "01095060001343521726123110LOT42"


class TestDigitalLink:
    def test_example_uri(self) -> None:
        """GTIN and lot go in the path, the other AIs in the query, in AI order."""
        assert FULL.digital_link() == (
            "https://id.gs1.org/01/09506000134352/10/LOT42"
            "?11=260301&13=260302&15=261201&17=261231&3102=000125&422=156"
        )

    def test_gtin_only_has_no_query(self) -> None:
        """Without attributes there is no '?'."""
        assert Gs1Data("9506000134352").digital_link() == "https://id.gs1.org/01/09506000134352"

    def test_lot_is_percent_encoded(self) -> None:
        """Reserved characters in the lot are percent-encoded, unreserved ones are kept."""
        data = Gs1Data(GTIN, lot="A/B%C?D&E+F:G(H)_.-")
        assert data.digital_link() == (
            "https://id.gs1.org/01/09506000134352/10/A%2FB%25C%3FD%26E%2BF%3AG%28H%29_.-"
        )
        assert Gs1Data.parse_digital_link(data.digital_link(), today=TODAY) == data

    @pytest.mark.parametrize(
        ("base", "expected"),
        [
            ("https://example.com", "https://example.com/01/09506000134352"),
            ("https://example.com/", "https://example.com/01/09506000134352"),
            ("https://example.com/dl//", "https://example.com/dl/01/09506000134352"),
            ("  http://example.com:8080/a/b ", "http://example.com:8080/a/b/01/09506000134352"),
        ],
    )
    def test_base_is_normalised(self, base: str, expected: str) -> None:
        """Trailing slashes and surrounding spaces are dropped; a path prefix is kept."""
        assert Gs1Data(GTIN).digital_link(base) == expected

    @pytest.mark.parametrize(
        ("base", "message"),
        [
            ("id.gs1.org", "the Digital Link base 'id.gs1.org' must be an http or https URL"),
            ("ftp://example.com", "the Digital Link base 'ftp://example.com' must be an http"),
            ("https://", "the Digital Link base 'https://' must be an http or https URL"),
            ("https://exa mple.com", "must be an http or https URL with a host"),
            (
                "https://example.com/?a=1",
                (
                    "the Digital Link base 'https://example.com/?a=1' must not have a query or "
                    "fragment"
                ),
            ),
            ("https://example.com#top", "must not have a query or fragment"),
            (None, "the Digital Link base must be text, not NoneType None"),
        ],
    )
    def test_bad_bases(self, base: object, message: str) -> None:
        """A base that is not a plain http(s) URL is refused with an example of a good one."""
        with raises(message):
            Gs1Data(GTIN).digital_link(base)  # type: ignore[arg-type]


# --- reading -----------------------------------------------------------------------------


class TestParseElementString:
    def test_reads_every_field(self) -> None:
        """The full element string reads back into an equal Gs1Data."""
        assert Gs1Data.parse_element_string(FULL.element_string(), today=TODAY) == FULL

    def test_spaces_between_elements_are_ignored(self) -> None:
        """Spaces around the bracketed AIs, as printed under barcodes, are fine."""
        data = Gs1Data.parse_element_string(
            " (01) 09506000134352 (10) LOT42 (3201) 000025 ", today=TODAY
        )
        assert data == Gs1Data(GTIN, lot="LOT42", net_weight=Mass("2.5", "lb"))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("(01)09506000134352(17)261200", dt.date(2026, 12, 31)),
            ("(01)09506000134352(17)280200", dt.date(2028, 2, 29)),
            ("(01)09506000134352(17)270200", dt.date(2027, 2, 28)),
            ("(01)09506000134352(17)260400", dt.date(2026, 4, 30)),
        ],
    )
    def test_day_00_means_the_last_day_of_the_month(self, text: str, expected: dt.date) -> None:
        """Day 00 is read as the month's last day, leap years included."""
        assert Gs1Data.parse_element_string(text, today=TODAY).expiry == expected

    def test_day_00_in_other_date_ais(self) -> None:
        """Day 00 in best-before, production and packing dates also means the month's end."""
        data = Gs1Data.parse_element_string(
            "(01)09506000134352(11)260100(13)260200(15)260300", today=TODAY
        )
        assert data.production_date == dt.date(2026, 1, 31)
        assert data.packaging_date == dt.date(2026, 2, 28)
        assert data.best_before == dt.date(2026, 3, 31)

    @pytest.mark.parametrize(
        ("today", "yy", "year"),
        [
            (dt.date(2026, 5, 1), "26", 2026),
            (dt.date(2026, 5, 1), "76", 2076),
            (dt.date(2026, 5, 1), "77", 1977),
            (dt.date(2026, 5, 1), "99", 1999),
            (dt.date(2026, 5, 1), "00", 2000),
            (dt.date(2080, 1, 1), "30", 2130),
            (dt.date(2080, 1, 1), "31", 2031),
            (dt.date(2099, 12, 31), "49", 2149),
            (dt.date(2099, 12, 31), "50", 2050),
            (dt.date(2000, 1, 1), "51", 1951),
            (dt.date(2000, 1, 1), "50", 2050),
        ],
    )
    def test_century_rule(self, today: dt.date, yy: str, year: int) -> None:
        """Two-digit years fall from 49 years before to 50 years after the current year."""
        data = Gs1Data.parse_element_string(f"(01)09506000134352(15){yy}0615", today=today)
        assert data.best_before == dt.date(year, 6, 15)

    def test_today_defaults_to_the_clock(self) -> None:
        """Without today, the current year decides the century."""
        year = dt.datetime.now(tz=dt.UTC).year
        text = f"(01)09506000134352(17){year % 100:02d}0615"
        assert Gs1Data.parse_element_string(text).expiry == dt.date(year, 6, 15)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "the element string is empty; write it like '(01)09506000134352'"),
            (
                "0109506000134352",
                (
                    "element string '0109506000134352' has '01095060' where an AI in brackets was "
                    "expected, like '(01)'"
                ),
            ),
            ("(01)09506000134352(10)", "AI (10) in '(01)09506000134352(10)' has no data after it"),
            ("(1)2", "has '(1)2' where an AI in brackets was expected"),
            (
                "(01)09506000134352(21)SERIAL",
                (
                    "AI (21) in element string '(01)09506000134352(21)SERIAL' is not supported; "
                    "supported AIs: 01 (GTIN), 10 (BATCH/LOT), 11 (PROD DATE), 13 (PACK DATE), "
                    "15 (BEST BEFORE), 17 (USE BY OR EXPIRY), 3100-3105 (NET WEIGHT kg), "
                    "3200-3205 (NET WEIGHT lb), 422 (ORIGIN)"
                ),
            ),
            ("(01)09506000134352(3106)000001", "AI (3106) in element string"),
            ("(10)LOT42", "element string '(10)LOT42' has no GTIN, AI (01); every other AI"),
            (
                "(01)9506000134352",
                (
                    "AI (01) in '(01)9506000134352' must be 14 digits, got '9506000134352'; pad a "
                    "GTIN-8, -12 or -13 with zeros on the left to 14 digits"
                ),
            ),
            ("(01)09506000134353", "ends in check digit 3, but it should be 2"),
            (
                "(01)09506000134352(10)A(10)B",
                "element string '(01)09506000134352(10)A(10)B' has AI (10) twice; give it once",
            ),
            (
                "(01)09506000134352(3102)000125(3201)000025",
                "gives the net weight twice, in (3102) and (3201); give it once",
            ),
            ("(01)09506000134352(17)2612", "AI (17) must be a date YYMMDD (6 digits), got '2612'"),
            ("(01)09506000134352(17)26123x", "AI (17) must be a date YYMMDD (6 digits)"),
            ("(01)09506000134352(11)261301", "AI (11) date '261301' has month 13; use 01-12"),
            ("(01)09506000134352(13)260001", "AI (13) date '260001' has month 00; use 01-12"),
            (
                "(01)09506000134352(15)270229",
                "AI (15) date '270229' has day 29, but 2027-02 has 28 days",
            ),
            (
                "(01)09506000134352(3103)12500",
                "AI (3103) net weight must be 6 digits, got '12500'",
            ),
            ("(01)09506000134352(422)999", "country of origin '999' is not an ISO 3166-1"),
            ("(01)09506000134352(10)LOT 42", "lot 'LOT 42' has ' ' at position 4"),
            ("(01)09506000134352(10)A\\B", "lot 'A\\\\B' has '\\\\' at position 2"),
        ],
    )
    def test_errors(self, text: str, message: str) -> None:
        """Each malformed element string fails with a message naming the problem."""
        with raises(message):
            Gs1Data.parse_element_string(text, today=TODAY)

    def test_non_text(self) -> None:
        """Bytes are refused."""
        with raises("an element string must be text, not bytes"):
            Gs1Data.parse_element_string(b"(01)09506000134352")  # type: ignore[arg-type]


class TestParseDigitalLink:
    def test_reads_every_field(self) -> None:
        """The full URI reads back into an equal Gs1Data."""
        assert Gs1Data.parse_digital_link(FULL.digital_link(), today=TODAY) == FULL

    @pytest.mark.parametrize(
        "uri",
        [
            "https://example.com/01/09506000134352/10/LOT42?17=261231",
            "http://example.com/products/01/01/09506000134352/10/LOT42?17=261231",
            "HTTPS://example.com/01/09506000134352/10/LOT42/?linkType=gs1:pip&17=261231#x",
            "https://example.com/01/9506000134352/10/LOT42?17=261231",
            "https://example.com/01/09506000134352?10=LOT42&17=261231&context=cn",
            "https://example.com/01/09506000134352/10/LOT42?17=261231&&flag",
        ],
    )
    def test_accepted_forms(self, uri: str) -> None:
        """Path prefixes, short GTINs, a query lot and non-AI parameters are all accepted."""
        expected = Gs1Data(GTIN, lot="LOT42", expiry=dt.date(2026, 12, 31))
        assert Gs1Data.parse_digital_link(uri, today=TODAY) == expected

    def test_lot_equal_to_an_ai_number(self) -> None:
        """A lot that looks like '01' is still read as the lot."""
        data = Gs1Data.parse_digital_link("https://x.cn/01/09506000134352/10/01", today=TODAY)
        assert data.lot == "01"

    def test_plus_in_query_is_a_space(self) -> None:
        """'+' in a query value means a space, which a lot cannot hold."""
        with raises("lot 'A B' has ' ' at position 2"):
            Gs1Data.parse_digital_link("https://x.cn/01/09506000134352?10=A+B", today=TODAY)

    @pytest.mark.parametrize(
        ("uri", "message"),
        [
            (
                "ftp://example.com/01/09506000134352",
                (
                    "Digital Link 'ftp://example.com/01/09506000134352' must be an http or https "
                    "URL, like 'https://id.gs1.org/01/09506000134352'"
                ),
            ),
            ("/01/09506000134352", "must be an http or https URL"),
            (
                "https://example.com/00/106141412345678908",
                (
                    "Digital Link 'https://example.com/00/106141412345678908' has no /01/<GTIN> "
                    "in its path; only GTIN Digital Links are supported"
                ),
            ),
            ("https://example.com/", "has no /01/<GTIN> in its path"),
            ("https://example.com/01/09506000134352/10", "has no /01/<GTIN> in its path"),
            (
                "https://example.com/01/09506000134352/17/261231",
                (
                    "AI (17) cannot be in the path of Digital Link "
                    "'https://example.com/01/09506000134352/17/261231'; only the lot (10) may "
                    "follow /01/<GTIN>; write it as a query attribute, '?17=...'"
                ),
            ),
            (
                "https://example.com/01/09506000134352/21/123",
                (
                    "AI (21) in the path of Digital Link "
                    "'https://example.com/01/09506000134352/21/123' is not supported; "
                    "supported AIs: 01 (GTIN)"
                ),
            ),
            (
                "https://example.com/01/09506000134352?99=x",
                (
                    "AI (99) in the query of Digital Link "
                    "'https://example.com/01/09506000134352?99=x' is not supported; supported AIs"
                ),
            ),
            (
                "https://example.com/01/09506000134352?01=09506000134352",
                (
                    "AI (01) cannot be a query attribute in Digital Link "
                    "'https://example.com/01/09506000134352?01=09506000134352'; put it in the path"
                ),
            ),
            (
                "https://example.com/01/09506000134352?17=",
                (
                    "AI (17) in the query of Digital Link "
                    "'https://example.com/01/09506000134352?17=' is empty"
                ),
            ),
            (
                "https://example.com/01/09506000134352/10/A?10=B",
                "has AI (10) twice; give it once",
            ),
            (
                "https://example.com/01/9506000134/10/A",
                (
                    "Digital Link 'https://example.com/01/9506000134/10/A' has GTIN '9506000134'; "
                    "a GTIN has 8, 12, 13 or 14 digits"
                ),
            ),
            ("https://example.com/01/0950600013435x", "has GTIN '0950600013435x'"),
            ("https://example.com/01/09506000134353", "ends in check digit 3, but it should be 2"),
            (
                "https://example.com/01/09506000134352/10/%FF",
                (
                    "Digital Link 'https://example.com/01/09506000134352/10/%FF' has a "
                    "percent-encoded value that is not UTF-8: '%FF'"
                ),
            ),
            (
                "https://example.com/gtin/09506000134352",
                (
                    "Digital Link 'https://example.com/gtin/09506000134352' uses the old short "
                    "name 'gtin'; write the AI number '01' instead"
                ),
            ),
            ("https://example.com/01/09506000134352/lot/A", "uses the old short name 'lot'"),
            ("https://example.com/01/09506000134352?exp=261231", "old short name 'exp'"),
            ("https://example.com/01/09506000134352?17=261331", "has month 13; use 01-12"),
            ("https://example.com/01/09506000134352?3103=1250", "must be 6 digits"),
        ],
    )
    def test_errors(self, uri: str, message: str) -> None:
        """Each bad URI fails with a message naming the problem."""
        with raises(message):
            Gs1Data.parse_digital_link(uri, today=TODAY)

    def test_non_text(self) -> None:
        """A non-string URI is refused."""
        with raises("a Digital Link must be text, not NoneType None"):
            Gs1Data.parse_digital_link(None)  # type: ignore[arg-type]


# --- round trips -------------------------------------------------------------------------


class TestRoundTrips:
    @given(data=label_data(window_dates, lots))
    def test_element_string_round_trip(self, data: Gs1Data) -> None:
        """Writing an element string and reading it back gives the same data."""
        assert Gs1Data.parse_element_string(data.element_string(), today=TODAY) == data

    @given(data=label_data(window_dates, lots))
    def test_digital_link_round_trip(self, data: Gs1Data) -> None:
        """Writing a Digital Link and reading it back gives the same data."""
        assert Gs1Data.parse_digital_link(data.digital_link(), today=TODAY) == data

    @given(data=label_data(window_dates, lots), prefix=st.sampled_from(["", "/dl", "/01/x"]))
    def test_digital_link_round_trip_with_path_prefix(self, data: Gs1Data, prefix: str) -> None:
        """A resolver path prefix, even one that looks like an AI, does not disturb reading."""
        uri = data.digital_link(f"https://example.com{prefix}")
        assert Gs1Data.parse_digital_link(uri, today=TODAY) == data


# --- cross-check with biip ---------------------------------------------------------------


def assert_biip_agrees(data: Gs1Data, element_strings: list[GS1ElementString]) -> None:
    """Check that biip's reading of our output gives back every field of ``data``."""
    found = {es.ai.ai: es for es in element_strings}
    assert len(found) == len(element_strings)  # no AI twice
    assert found["01"].value == data.gtin.digits
    assert found["01"].gtin is not None  # biip checked the check digit too
    assert (found["10"].value if "10" in found else None) == data.lot
    for field, ai in [
        ("production_date", "11"),
        ("packaging_date", "13"),
        ("best_before", "15"),
        ("expiry", "17"),
    ]:
        assert (found[ai].date if ai in found else None) == getattr(data, field)
    weight_elements = [es for ai, es in found.items() if ai[:3] in {"310", "320"}]
    if data.net_weight is None:
        assert not weight_elements
    else:
        (weight,) = weight_elements
        assert weight.decimal is not None
        unit = "lb" if weight.ai.ai.startswith("320") else "kg"
        assert Mass(weight.decimal, unit) == data.net_weight
    assert (found["422"].value if "422" in found else None) == data.country_of_origin


class TestBiipAgrees:
    @settings(max_examples=60, deadline=None)
    @given(data=label_data(biip_dates, lots))
    def test_barcode_data(self, data: Gs1Data) -> None:
        """biip reads our barcode data as the same GTIN, lot, dates, weight and origin."""
        result = biip.parse(data.barcode_data())
        assert result.gs1_message is not None, result.gs1_message_error
        assert_biip_agrees(data, list(result.gs1_message.element_strings))

    @settings(max_examples=60, deadline=None)
    @given(data=label_data(biip_dates, lots.filter(lambda lot: "(" not in lot)))
    def test_element_string(self, data: Gs1Data) -> None:
        """biip reads our element string the same way (biip cannot read an escaped '(')."""
        message = GS1Message.parse_hri(data.element_string())
        assert_biip_agrees(data, list(message.element_strings))

    @settings(max_examples=60, deadline=None)
    @given(data=label_data(biip_dates, lots))
    def test_digital_link(self, data: Gs1Data) -> None:
        """biip reads our Digital Link URIs the same way, lot percent-encoding included."""
        result = biip.parse(data.digital_link("https://example.com/dl/"))
        assert result.gs1_digital_link_uri is not None, result.gs1_digital_link_uri_error
        assert_biip_agrees(data, list(result.gs1_digital_link_uri.element_strings))

    def test_known_label(self) -> None:
        """A fixed label with every field checks out in biip, GTIN included."""
        result = biip.parse(FULL.barcode_data())
        assert result.gtin is not None
        assert result.gtin.value == GTIN
        assert result.gs1_message is not None
        assert_biip_agrees(FULL, list(result.gs1_message.element_strings))


# --- reading raw barcode data --------------------------------------------------------------


class TestParseBarcodeData:
    def test_reads_every_field(self) -> None:
        """The full barcode data reads back into an equal Gs1Data."""
        assert Gs1Data.parse_barcode_data(FULL.barcode_data(), today=TODAY) == FULL

    @pytest.mark.parametrize("prefix", ["", "]C1", "]d2", "]Q3", "\x1d"])
    def test_symbology_identifiers_and_leading_separator(self, prefix: str) -> None:
        """A GS1 symbology identifier, or a leading GS some scanners send, is dropped."""
        text = prefix + "010950600013435210LOT42\x1d17261231"
        expected = Gs1Data(GTIN, lot="LOT42", expiry=dt.date(2026, 12, 31))
        assert Gs1Data.parse_barcode_data(text, today=TODAY) == expected

    def test_custom_separator(self) -> None:
        """The separator barcode_data was asked for is read back the same way."""
        text = FULL.barcode_data(separator="{FNC1}")
        assert Gs1Data.parse_barcode_data(text, separator="{FNC1}", today=TODAY) == FULL

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "barcode data '' is empty; scan the barcode again"),
            (
                "]C00109506000134352",
                "starts with symbology identifier ']C0', which is not a GS1 symbol",
            ),
            (
                "010950600013435221SERIAL",
                (
                    "AI (21) in barcode data '010950600013435221SERIAL' is not supported; "
                    "supported AIs: 01 (GTIN), 10 (BATCH/LOT)"
                ),
            ),
            ("10LOT42", "barcode data '10LOT42' has no GTIN, AI (01); every other AI here"),
            ("0109506000134", "AI (01) GTIN in barcode data '0109506000134' has 11 characters"),
            ("0109506000134353", "ends in check digit 3, but it should be 2"),
            (
                "010950600013435242215610A",
                (
                    "AI (422) ORIGIN in barcode data '010950600013435242215610A' runs to "
                    "'15610A', 6 characters, but takes at most 3"
                ),
            ),
            ("0109506000134352172613013102000125", "AI (17) date '261301' has month 13"),
            (
                "010950600013435231020001253103001250",
                "gives the net weight twice, in (3102) and (3103); give it once",
            ),
            ("0109506000134352422999", "country of origin '999' is not an ISO 3166-1"),
            ("010950600013435210LOT 42", "lot 'LOT 42' has ' ' at position 4"),
        ],
    )
    def test_errors(self, text: str, message: str) -> None:
        """Each malformed scan fails with a message naming the problem."""
        with raises(message):
            Gs1Data.parse_barcode_data(text, today=TODAY)

    def test_non_text(self) -> None:
        """Bytes are refused; decode what the scanner sent first."""
        with raises("barcode data must be text, not bytes"):
            Gs1Data.parse_barcode_data(b"0109506000134352")  # type: ignore[arg-type]

    def test_dictionary_has_the_last_word(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A dictionary complaint is reported with the data it was found in."""

        def refuse(_ais: object) -> None:
            raise IdentifierError("AI (01) GTIN and (99) cannot be used together")

        monkeypatch.setattr("ruralseller.catalog.gs1.check_associations", refuse)
        with raises(
            "barcode data '0109506000134352': AI (01) GTIN and (99) cannot be used together"
        ):
            Gs1Data.parse_barcode_data("0109506000134352", today=TODAY)
