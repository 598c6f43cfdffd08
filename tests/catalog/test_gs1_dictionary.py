"""Tests for ruralseller.catalog.gs1_dictionary: the bundled GS1 Barcode Syntax Dictionary."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
from importlib import resources

import biip
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.catalog.test_gs1 import (
    TODAY,
    assert_biip_agrees,
    biip_dates,
    label_data,
    lots,
    window_dates,
)

from ruralseller.catalog import gs1
from ruralseller.catalog.gs1 import Gs1Data
from ruralseller.catalog.gs1_dictionary import (
    IMPLEMENTED_LINTERS,
    AiSpec,
    CharacterSet,
    ComponentSpec,
    SyntaxDictionary,
    ai_spec,
    check_associations,
    split_barcode_data,
    syntax_dictionary,
    validate_ai_value,
)
from ruralseller.errors import IdentifierError, InvalidValueError

GS = "\x1d"


def raises(pattern: str, error: type[Exception] = IdentifierError):
    """Expect an error whose message contains ``pattern`` literally."""
    return pytest.raises(error, match=re.escape(pattern))


def bundled_text() -> str:
    path = resources.files("ruralseller.catalog") / "data" / "gs1-syntax-dictionary.txt"
    return path.read_text(encoding="utf-8")


def entry_lines() -> list[tuple[int, str]]:
    """Every line of the file that is an entry: not blank, not a comment."""
    return [
        (number, line)
        for number, line in enumerate(bundled_text().splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


# --- the bundled file --------------------------------------------------------------------


class TestBundledFile:
    def test_file_is_the_pinned_release(self) -> None:
        """The bundled copy is byte for byte the file from commit ff2eb4b (see data/README.md)."""
        data = resources.files("ruralseller.catalog") / "data" / "gs1-syntax-dictionary.txt"
        digest = hashlib.sha256(data.read_bytes()).hexdigest()
        assert digest == "1ea02f4e3b81d3092e095987600e01c7fd55310f4da5181f5a070262ff6ffc94"

    def test_licence_and_readme_ship_with_it(self) -> None:
        """The Apache-2.0 licence and the README saying where the file comes from are there."""
        folder = resources.files("ruralseller.catalog") / "data"
        licence = (folder / "gs1-syntax-dictionary.LICENSE").read_text(encoding="utf-8")
        assert "Apache License" in licence
        assert "Version 2.0, January 2004" in licence
        readme = (folder / "README.md").read_text(encoding="utf-8")
        assert "github.com/gs1/gs1-syntax-dictionary" in readme
        assert "ff2eb4bfc8f647aa3244626bdb875165d067a3e6" in readme

    def test_every_entry_line_is_read(self) -> None:
        """Each non-comment line becomes exactly one entry, in file order."""
        lines = entry_lines()
        dictionary = syntax_dictionary()
        assert len(lines) == len(dictionary) == 224
        assert [entry.line for entry in dictionary] == [number for number, _ in lines]
        assert len(dictionary.ais) == 541
        assert dictionary.release == "UNSET"

    @pytest.mark.parametrize(("number", "line"), entry_lines(), ids=lambda v: str(v)[:12])
    def test_entry_renders_back_to_its_line(self, number: int, line: str) -> None:
        """Every field of every entry is read: writing them back gives the line again."""
        entry = next(e for e in syntax_dictionary() if e.line == number)
        body, _, title = line.partition("#")
        tokens = body.split()
        parts = [entry.label, *([entry.flags] if entry.flags else []), *entry.format.split()]
        attributes = [
            *(f"req={','.join('+'.join(g) for g in req)}" for req in entry.requires),
            *([f"ex={','.join(entry.excludes)}"] if entry.excludes else []),
        ]
        if entry.dl_primary_key:
            sequences = "|".join(",".join(seq) for seq in entry.dl_qualifiers)
            attributes.append(f"dlpkey={sequences}" if sequences else "dlpkey")
        assert tokens[: len(parts)] == parts
        rest = tokens[len(parts) :]
        # Several ex= on one line would be merged; there are none, so compare as written.
        assert sorted(rest) == sorted(attributes)
        assert entry.title == title.strip()

    def test_entries_are_in_lexical_order(self) -> None:
        """The header promises lexical order of AIs; the file keeps it."""
        firsts = [entry.first for entry in syntax_dictionary()]
        assert firsts == sorted(firsts)

    def test_no_ai_starts_another(self) -> None:
        """Raw barcode data can be cut only because no AI is a prefix of another."""
        ais = syntax_dictionary().ais
        assert not [(a, b) for a in ais for b in ais if a != b and b.startswith(a)]

    def test_predefined_length_ais_have_fixed_lengths(self) -> None:
        """Every '*' AI has one possible length, so a reader knows where its data ends."""
        for entry in syntax_dictionary():
            if entry.predefined_length:
                assert entry.min_length == entry.max_length, entry.label

    def test_linters_are_known(self) -> None:
        """Every linter the file names is implemented, or on the known list of skipped ones."""
        named = {linter for entry in syntax_dictionary() for linter in entry.linters}
        assert named - IMPLEMENTED_LINTERS == {
            "couponcode",
            "couponposoffer",
            "csumalpha",
            "iban",
            "importeridx",
            "iso3166alpha2",
            "iso4217",
            "mediatype",
            "packagetype",
        }
        assert named >= IMPLEMENTED_LINTERS

    def test_numeric_linters_are_on_numeric_components(self) -> None:
        """Linters that read numbers only ever meet digits (the N check runs first)."""
        numeric = {
            "csum", "yymmd0", "yymmdd", "yyyymmdd", "hh", "mi", "ss", "hhmi",
            "latitude", "longitude", "pieceoftotal",
        }  # fmt: skip
        for entry in syntax_dictionary():
            for component in entry.components:
                if numeric & set(component.linters):
                    assert component.charset is CharacterSet.N, entry.label

    def test_reading_is_lazy_and_cached(self) -> None:
        """Importing ruralseller does not read the file; the first use does, once."""
        code = (
            "import ruralseller.catalog\n"
            "from ruralseller.catalog.gs1_dictionary import syntax_dictionary\n"
            "before = syntax_dictionary.cache_info().currsize\n"
            "ruralseller.catalog.Gs1Data('09506000134352', lot='A')\n"
            "print(before, syntax_dictionary.cache_info().currsize)\n"
        )
        result = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.split() == ["0", "1"]
        assert syntax_dictionary() is syntax_dictionary()


# --- spot checks against the file text ---------------------------------------------------

# The lines as they stand in the file, whitespace squeezed.
LINES = {
    "01": "01 *? N14,csum,gcppos2 ex=255,37 dlpkey=22,10,21|235 # GTIN",
    "10": "10 ? X..20 req=01,02,03,8006,8026 # BATCH/LOT",
    "17": "17 *? N6,yymmd0 req=01,02,03,255,8006,8026 # USE BY or EXPIRY",
    "3103": "3100-3105 *? N6 req=01,02 ex=310n # NET WEIGHT (kg)",
    "422": "422 ? N3,iso3166 req=01,02,03,8006,8026 ex=426 # ORIGIN",
    "7003": "7003 ? N6,yymmdd N4,hhmi req=01,02,03 # EXPIRY TIME",
    "8008": "8008 ? N6,yymmdd N2,hh [N2],mi [N2],ss req=01,02,03 # PROD TIME",
}


@pytest.mark.parametrize("ai", sorted(LINES))
def test_spot_checked_lines_are_in_the_file(ai: str) -> None:
    """The entry for each spot-checked AI comes from the line quoted in this test."""
    line = bundled_text().splitlines()[ai_spec(ai).line - 1]
    assert " ".join(line.split()) == LINES[ai]


class TestSpotChecks:
    def test_gtin(self) -> None:
        """(01): predefined length, Digital Link key with two qualifier sequences."""
        spec = ai_spec("01")
        assert spec == AiSpec(
            "01",
            "01",
            "*?",
            (ComponentSpec(CharacterSet.N, 14, 14, linters=("csum", "gcppos2")),),
            excludes=("255", "37"),
            dl_primary_key=True,
            dl_qualifiers=(("22", "10", "21"), ("235",)),
            title="GTIN",
            line=122,
        )
        assert spec.predefined_length
        assert spec.data_attribute
        assert spec.requires == ()

    def test_batch_lot(self) -> None:
        """(10): variable length up to 20 of CSET 82, needs an item key, needs FNC1."""
        spec = ai_spec("10")
        assert spec.components == (ComponentSpec(CharacterSet.X, 1, 20, variable=True),)
        assert not spec.predefined_length
        assert spec.data_attribute
        assert spec.requires == ((("01",), ("02",), ("03",), ("8006",), ("8026",)),)
        assert spec.lengths() == ((1, 20),)
        assert spec.title == "BATCH/LOT"

    def test_expiry(self) -> None:
        """(17): a six-digit date whose day may be 00; one more key (255) than (11)-(15)."""
        spec = ai_spec("17")
        assert spec.format == "N6,yymmd0"
        assert spec.linters == ("yymmd0",)
        assert spec.predefined_length
        assert ("255",) in spec.requires[0]
        assert ("255",) not in ai_spec("15").requires[0]
        assert spec.title == "USE BY or EXPIRY"

    def test_net_weight_range(self) -> None:
        """(3103) is found in the range entry 3100-3105, which excludes the other 310n."""
        spec = ai_spec("3103")
        assert (spec.first, spec.last, spec.label) == ("3100", "3105", "3100-3105")
        assert spec.ais == ("3100", "3101", "3102", "3103", "3104", "3105")
        assert spec is ai_spec("3100")
        assert spec.covers("3105")
        assert not spec.covers("3106")
        assert spec.format == "N6"
        assert spec.excludes == ("310n",)
        assert spec.requires == ((("01",), ("02",)),)
        assert spec.title == "NET WEIGHT (kg)"

    def test_origin(self) -> None:
        """(422): fixed three digits but no '*' flag, so it still needs an FNC1 after it."""
        spec = ai_spec("422")
        assert spec.components == (ComponentSpec(CharacterSet.N, 3, 3, linters=("iso3166",)),)
        assert not spec.predefined_length
        assert spec.excludes == ("426",)
        assert spec.title == "ORIGIN"

    def test_expiry_time(self) -> None:
        """(7003): two mandatory components, a date and a time."""
        spec = ai_spec("7003")
        assert spec.components == (
            ComponentSpec(CharacterSet.N, 6, 6, linters=("yymmdd",)),
            ComponentSpec(CharacterSet.N, 4, 4, linters=("hhmi",)),
        )
        assert spec.lengths() == ((10, 10),)
        assert spec.title == "EXPIRY TIME"

    def test_production_time(self) -> None:
        """(8008): optional minutes and seconds give three possible lengths."""
        spec = ai_spec("8008")
        assert [str(c) for c in spec.components] == ["N6,yymmdd", "N2,hh", "[N2],mi", "[N2],ss"]
        assert [c.optional for c in spec.components] == [False, False, True, True]
        assert spec.lengths() == ((8, 8), (10, 10), (12, 12))
        assert spec.title == "PROD TIME"

    def test_entries_without_title(self) -> None:
        """8110 and 8112 have no '# title' in this release; the title is empty."""
        assert ai_spec("8110").title == ""
        assert ai_spec("8112").title == ""

    def test_whole_range_of_two_digit_ais(self) -> None:
        """91-99 is one entry of nine AIs."""
        assert ai_spec("95").label == "91-99"
        assert len(ai_spec("91").ais) == 9


class TestAiSpecLookup:
    @pytest.mark.parametrize("ai", ["23", "9999", "3106", "0", "1", "ab", "010"])
    def test_unknown_ai_is_named(self, ai: str) -> None:
        """An AI that is not in the dictionary is refused, and the message names it."""
        with raises(f"AI ({ai}) is not in the GS1 Barcode Syntax Dictionary; an AI is 2 to 4"):
            ai_spec(ai)

    def test_non_text(self) -> None:
        """An int AI would have lost its leading zero."""
        with raises("an AI must be text such as '01', not int 1"):
            ai_spec(1)  # type: ignore[arg-type]

    def test_contains_and_at(self) -> None:
        """The dictionary answers 'is this an AI' and 'which AI starts here'."""
        dictionary = syntax_dictionary()
        assert "3103" in dictionary
        assert "3106" not in dictionary
        assert dictionary.ai_at("]C10109", 3) == "01"
        assert dictionary.ai_at("4221561") == "422"
        assert dictionary.ai_at("23") is None
        assert dictionary.ai_at("3") is None


# --- parsing other text ------------------------------------------------------------------


class TestParse:
    def test_minimal_dictionary(self) -> None:
        """Flags, attributes and the title are all optional."""
        dictionary = SyntaxDictionary.parse("# Release: 2099-01\n\n90 X..30\n")
        assert dictionary.release == "2099-01"
        (entry,) = dictionary
        assert (entry.flags, entry.title, entry.format, entry.line) == ("", "", "X..30", 3)

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ("0A  X..20", "'0A' is not an AI or a range of AIs"),
            ("3105-3100  N6", "'3105-3100' is not a range of AIs of one length"),
            ("31-3100  N6", "'31-3100' is not a range of AIs of one length"),
            ("10  ?  Q..20", "the entry has no components"),
            ("10  ?", "the entry has no components"),
            ("10  ?  [X..20", "'[X..20' is not a component like N6, X..20"),
            ("10  ?  N0", "'N0' is not a component"),
            ("10  ?  X..20 N2", "'N2' follows a variable-length component"),
            ("10  ?  [N2] N2", "mandatory 'N2' follows an optional component"),
            ("10  ?  X..20  foo=1", "unknown or repeated attribute 'foo=1'"),
            ("10  ?  X..20  dlpkey dlpkey", "unknown or repeated attribute 'dlpkey'"),
            ("10  ?  X..20  req=", "unknown or repeated attribute 'req='"),
            ("10  ?  X..20  req=01+x", "req= has 'x', which is not an AI or pattern"),
            ("10  ?  X..20  ex=1", "ex= has '1', which is not an AI or pattern"),
            ("10  *  X..20", "a predefined-length (*) AI must have fixed-length components"),
        ],
    )
    def test_bad_lines_are_named(self, line: str, message: str) -> None:
        """A line the parser does not understand fails with its number and text."""
        with raises(f"GS1 syntax dictionary line 2: {message}", InvalidValueError):
            SyntaxDictionary.parse(f"# header\n{line}\n")

    def test_an_ai_twice_is_refused(self) -> None:
        """Two entries may not cover the same AI."""
        with raises(
            "AI (3102) is in the syntax dictionary twice, on lines 1 and 2", InvalidValueError
        ):
            SyntaxDictionary.parse("3100-3105 *? N6\n3102 N6\n")


# --- validating values -------------------------------------------------------------------


class TestValidateAiValue:
    @pytest.mark.parametrize(
        ("ai", "value"),
        [
            ("01", "09506000134352"),
            ("00", "106141412345678908"),
            ("10", "!\"%&'()*+,-./:;<=>?_"),
            ("17", "261200"),  # day 00: yymmd0
            ("17", "000229"),  # 2000 was a leap year
            ("3103", "001250"),
            ("422", "156"),
            ("7003", "2612312359"),
            ("8008", "26123123"),
            ("8008", "2612312359"),
            ("8008", "261231235959"),
            ("7007", "260101261231"),
            ("253", "9506000134352"),  # optional serial left out
            ("253", "9506000134352ABC-1"),
            ("4330", "001234-"),
            ("7030", "999ABC"),  # iso3166999
            ("8006", "095060001343520102"),
            ("8030", "abcd=="),  # padding as lint_cset64.c allows it
            ("7258", "2/3"),
            ("4309", "18000000003600000000"),
            ("7250", "20240229"),
            ("4321", "1"),
            ("8001", "12345678901209"),
            ("8011", "1"),
            ("8014", "9506A1"),
        ],
    )
    def test_good_values(self, ai: str, value: str) -> None:
        """Values that fit their format and linters pass."""
        validate_ai_value(ai, value, today=TODAY)

    @pytest.mark.parametrize(
        ("ai", "value", "message"),
        [
            ("01", "0950600013435", "'0950600013435' has 13 characters; it takes 14 (N14,"),
            ("01", "0950600013435x", "'0950600013435x' has 'x' at position 14; use digits"),
            ("01", "09506000134353", "ends in check digit 3, but it should be 2"),
            ("10", "", "AI (10) BATCH/LOT: '' has 0 characters; it takes 1 to 20 (X..20)"),
            ("10", "A" * 21, "has 21 characters; it takes 1 to 20 (X..20)"),
            ("10", "批次", "'批次' has '批' at position 1"),
            ("17", "261301", "AI (17) USE BY or EXPIRY: '261301' has month 13; use 01-12"),
            ("17", "260001", "'260001' has month 00; use 01-12"),
            ("17", "270229", "'270229' has day 29, but 2027-02 has 28 days"),
            ("17", "260132", "has day 32, but 2026-01 has 31 days"),
            ("7006", "260100", "'260100' has day 00; give the day of the month, 01-31"),
            ("7003", "2612312360", "part '2360' at position 7 has minute 60; use 00-59"),
            ("7003", "261231123", "has 9 characters; it takes 10 (N6,yymmdd N4,hhmi)"),
            ("8008", "261231236", "has 9 characters; it takes 8, 10 or 12"),
            ("8008", "261231235960", "part '60' at position 11 has second 60; use 00-59"),
            ("7007", "261231261", "'261231261' has 9 characters; it takes 6 or 12"),
            ("7007", "260101261331", "part '261331' at position 7 has month 13"),
            ("422", "1560", "has 4 characters; it takes 3 (N3,iso3166)"),
            ("7030", "998ABC", "part '998' at position 1 is not an ISO 3166-1 numeric"),
            ("3103", "12500", "AI (3103) NET WEIGHT (kg): '12500' has 5 characters"),
            ("4330", "001234+", "part '+' at position 7 must be '-' (negative)"),
            ("4321", "2", "AI (4321) DANGEROUS GOODS: '2' must be '0' (no) or '1' (yes)"),
            ("8001", "12345678901250", "part '5' at position 13 must be '0' (face in), '1'"),
            ("8001", "00005678901239", "part '0000' at position 1 must not be zero"),
            ("8006", "095060001343520301", "part '0301' at position 15 has piece 3 of only 1"),
            ("8006", "095060001343520001", "a total count of equal width, neither zero"),
            ("8011", "01", "AI (8011) CPID SERIAL: '01' must not start with 0"),
            ("8014", "950612", "must have at least one character that is not a digit"),
            ("7258", "3/2", "AI (7258) BIRTH SEQUENCE: '3/2' has position 3 after the end 2"),
            ("7258", "0/2", "must not have a zero or a leading 0"),
            ("7258", "1-2", "must be a position and an end, like 1/3"),
            ("4309", "18000000013600000000", "is not a latitude: above 1800000000"),
            ("4309", "18000000003600000001", "is not a longitude: above 3600000000"),
            ("4300", "A%2", "'A%2' has a '%' at position 2 not followed by two hex digits"),
            ("7250", "20230229", "AI (7250) DOB: '20230229' has day 29, but 2023-02 has 28"),
            ("00", "A06141412345678908", "has 'A' at position 1"),
            ("8003", "0A", "has 2 characters; it takes 14 to 30"),
            ("8030", "abc=", "AI (8030) DIGSIG: 'abc=' has '=' at position 4; use letters"),
            ("8010", "abc", "AI (8010) CPID: 'abc' has 'a' at position 1; use capital"),
            ("8010", "12A", "does not start with a GS1 Company Prefix (at least 4 digits)"),
            ("8110", "a b", "AI (8110): 'a b' has ' ' at position 2"),
        ],
    )
    def test_bad_values(self, ai: str, value: str, message: str) -> None:
        """Each bad value fails with a message naming the AI, the value and what is wrong."""
        with raises(message):
            validate_ai_value(ai, value, today=TODAY)

    @pytest.mark.parametrize(
        ("ai", "value", "message"),
        [
            (
                "01",
                "09506000134353",
                "AI (01) GTIN: '09506000134353' ends in check digit 3, but it should be 2",
            ),
            (
                "10",
                "LOT 42",
                (
                    "AI (10) BATCH/LOT: 'LOT 42' has ' ' at position 4; use letters A-Z a-z, "
                    "digits and !\"%&'()*+,-./:;<=>?_ (GS1 character set 82, no spaces)"
                ),
            ),
            (
                "7003",
                "2612312400",
                (
                    "AI (7003) EXPIRY TIME: '2612312400' part '2400' at position 7 has hour 24; "
                    "use 00-23"
                ),
            ),
            (
                "422",
                "999",
                (
                    "AI (422) ORIGIN: '999' is not an ISO 3166-1 numeric country code, e.g. 156 "
                    "for China"
                ),
            ),
            (
                "7030",
                "998ABC",
                (
                    "AI (7030) PROCESSOR # 0: '998ABC' part '998' at position 1 is not an ISO "
                    "3166-1 numeric country code or 999 (several or unknown), e.g. 156 for China"
                ),
            ),
            (
                "8030",
                "abc=",
                (
                    "AI (8030) DIGSIG: 'abc=' has '=' at position 4; use letters A-Z a-z, digits, "
                    "- and _ (base64url), with at most two '=' at the end as padding"
                ),
            ),
            (
                "8010",
                "abc",
                (
                    "AI (8010) CPID: 'abc' has 'a' at position 1; use capital letters A-Z, digits "
                    "and # - / (GS1 character set 39)"
                ),
            ),
            (
                "8001",
                "12345678901250",
                (
                    "AI (8001) DIMENSIONS: '12345678901250' part '5' at position 13 must be "
                    "'0' (face in), '1' (face out) or '9' (undefined)"
                ),
            ),
        ],
    )
    def test_whole_messages(self, ai: str, value: str, message: str) -> None:
        """A few messages in full: AI, title, value, the part at fault and how to fix it."""
        with pytest.raises(IdentifierError) as caught:
            validate_ai_value(ai, value, today=TODAY)
        assert str(caught.value) == message

    def test_century_decides_leap_years(self) -> None:
        """'000229' is a real date in 2000 but not in 2100, so today matters."""
        validate_ai_value("17", "000229", today=dt.date(2026, 1, 1))
        with raises("has day 29, but 2100-02 has 28 days"):
            validate_ai_value("17", "000229", today=dt.date(2080, 1, 1))

    def test_unknown_ai_and_non_text(self) -> None:
        """The AI is looked up first; the value must be text."""
        with raises("AI (23) is not in the GS1 Barcode Syntax Dictionary"):
            validate_ai_value("23", "1")
        with raises("AI (10) BATCH/LOT data must be text, not int 42"):
            validate_ai_value("10", 42)  # type: ignore[arg-type]

    def test_skipped_linters_still_check_length_and_characters(self) -> None:
        """(3910) AMOUNT's currency linter (iso4217) is not implemented, its format is."""
        validate_ai_value("3912", "978123")
        with raises("has 'X' at position 1; use digits 0-9 only"):
            validate_ai_value("3912", "X78123")


# --- associations ------------------------------------------------------------------------


class TestCheckAssociations:
    @pytest.mark.parametrize(
        "ais",
        [
            ["01"],
            ["01", "10", "11", "13", "15", "17", "3103", "422"],
            ["01", "10", "10"],  # an AI is not in conflict with itself
            ["02", "37", "00"],
            ["01", "21", "250"],
            ["01", "3102", "3202"],  # the dictionary allows kg and lb together
            [],
        ],
    )
    def test_good_sets(self, ais: list[str]) -> None:
        """AIs whose requirements are met and that exclude nothing pass."""
        check_associations(ais)

    def test_lot_without_gtin(self) -> None:
        """(10) needs an item key such as (01), and the message lists the choices."""
        with raises(
            "AI (10) BATCH/LOT needs (01), (02), (03), (8006) or (8026) with it; add one of "
            "them (dictionary: 10 req=01,02,03,8006,8026)"
        ):
            check_associations(["10"])

    def test_two_net_weights_in_kg(self) -> None:
        """(3102) and (3103) exclude each other through ex=310n."""
        with raises(
            "AI (3102) NET WEIGHT (kg) and (3103) cannot be used together (dictionary: "
            "3100-3105 ex=310n); keep one"
        ):
            check_associations(["01", "3102", "3103"])

    def test_groups_with_plus(self) -> None:
        """(250) needs (01) *and* (21): (01) alone is not enough."""
        with raises(
            "AI (250) SECONDARY SERIAL needs (01)+(21), (03)+(21) or (8006)+(21) with it; "
            "add one of them (dictionary: 250 req=01+21,03+21,8006+21)"
        ):
            check_associations(["01", "250"])

    def test_single_requirement_says_add_it(self) -> None:
        """With one choice the message says 'add it'."""
        with raises("AI (22) CPV needs (01) with it; add it (dictionary: 22 req=01)"):
            check_associations(["22"])

    def test_patterns_in_requirements(self) -> None:
        """(3930) PRICE needs one of 30, 31nn, 32nn, 35nn or 36nn; any 31xx will do."""
        check_associations(["01", "3103", "3932"])
        with raises("needs (30), (31nn), (32nn), (35nn) or (36nn) with it"):
            check_associations(["01", "3932"])

    def test_every_problem_at_once(self) -> None:
        """Unmet requirements and forbidden pairs are all reported in one error."""
        with pytest.raises(IdentifierError) as caught:
            check_associations(["01", "37", "4330", "4331"])
        assert str(caught.value).splitlines() == [
            "5 problems with AIs (01), (37), (4330), (4331):",
            (
                "  - AI (37) COUNT needs (00)+(02) or (00)+(8026) with it; add one of them "
                "(dictionary: 37 req=00+02,00+8026)"
            ),
            "  - AI (4330) MAX TEMP F. needs (00) with it; add it (dictionary: 4330 req=00)",
            "  - AI (4331) MAX TEMP C. needs (00) with it; add it (dictionary: 4331 req=00)",
            "  - AI (01) GTIN and (37) cannot be used together (dictionary: 01 ex=37); keep one",
            (
                "  - AI (4330) MAX TEMP F. and (4331) cannot be used together (dictionary: 4330 "
                "ex=4331); keep one"
            ),
        ]

    def test_unknown_ai(self) -> None:
        """An AI that is not in the dictionary is named."""
        with raises("AI (23) is not in the GS1 Barcode Syntax Dictionary"):
            check_associations(["01", "23"])


# --- raw barcode data --------------------------------------------------------------------


class TestSplitBarcodeData:
    @pytest.mark.parametrize(
        ("text", "separator", "pairs"),
        [
            ("0109506000134352", GS, [("01", "09506000134352")]),
            (
                "]C1001061414123456789080109506000134352",
                GS,
                [("00", "106141412345678908"), ("01", "09506000134352")],
            ),
            (
                "]d2010950600013435221SER/1\x1d70032612311230\x1d8008261231123045",
                GS,
                [
                    ("01", "09506000134352"),
                    ("21", "SER/1"),
                    ("7003", "2612311230"),
                    ("8008", "261231123045"),
                ],
            ),
            ("]Q310A\x1d422156", GS, [("10", "A"), ("422", "156")]),
            ("]e00109506000134352", GS, [("01", "09506000134352")]),
            ("]J10109506000134352", GS, [("01", "09506000134352")]),
            # Tolerated separators: leading, after a predefined-length AI, trailing.
            (f"{GS}0109506000134352{GS}10A{GS}", GS, [("01", "09506000134352"), ("10", "A")]),
            ("10A{FNC1}422156{FNC1}", "{FNC1}", [("10", "A"), ("422", "156")]),
            ("10A^422156", "^", [("10", "A"), ("422", "156")]),
            ("91" + "x" * 90, GS, [("91", "x" * 90)]),
        ],
    )
    def test_pairs(self, text: str, separator: str, pairs: list[tuple[str, str]]) -> None:
        """Fields are cut by the dictionary's lengths and the separators."""
        assert split_barcode_data(text, separator=separator) == tuple(pairs)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "barcode data '' is empty; scan the barcode again"),
            ("]C1", "barcode data ']C1' is empty"),
            (GS + GS, "is empty"),
            (
                "]C00109506000134352",
                (
                    "barcode data ']C00109506000134352' starts with symbology identifier ']C0', "
                    "which is not a GS1 symbol, so the data is not GS1 AIs; GS1 symbols are ]C1 "
                    "GS1-128, ]e0 GS1 DataBar, ]d2 GS1 DataMatrix, ]Q3 GS1 QR Code, ]J1 GS1 DotCode"
                ),
            ),
            (
                "01095060001343",
                (
                    "AI (01) GTIN in barcode data '01095060001343' has 12 characters, "
                    "'095060001343'; it takes 14 (N14,csum,gcppos2)"
                ),
            ),
            ("0109506000" + GS + "10A", "AI (01) GTIN in barcode data"),
            (
                "10" + "L" * 21,
                (
                    f"AI (10) BATCH/LOT in barcode data '10{'L' * 21}' runs to '{'L' * 21}', "
                    "21 characters, but takes at most 20 (X..20)"
                ),
            ),
            (
                "42215610LOT42",
                (
                    "AI (422) ORIGIN in barcode data '42215610LOT42' runs to '15610LOT42', 10 "
                    "characters, but takes at most 3 (N3,iso3166); a separator is probably "
                    "missing after it"
                ),
            ),
            ("10" + GS + "422156", "AI (10) BATCH/LOT in barcode data '10\\x1d422156' has no data"),
            ("10", "AI (10) BATCH/LOT in barcode data '10' has no data after it"),
            (
                "10A" + GS + GS + "422156",
                "barcode data '10A\\x1d\\x1d422156' has two separators in a row at position 5",
            ),
            (
                "]C12399",
                (
                    "barcode data ']C12399' has '2399' at position 4 where an AI was expected, and "
                    "no AI in the GS1 syntax dictionary starts so"
                ),
            ),
        ],
    )
    def test_errors(self, text: str, message: str) -> None:
        """Data that cannot be cut fails with a message saying where and why."""
        with raises(message):
            split_barcode_data(text)

    def test_bad_arguments(self) -> None:
        """Text and a non-empty separator are required."""
        with raises("barcode data must be text, not bytes"):
            split_barcode_data(b"0109506000134352")  # type: ignore[arg-type]
        with raises("the separator must be text of at least one character"):
            split_barcode_data("10A", separator="")

    @settings(max_examples=200)
    @given(data=st.data())
    def test_any_ais_round_trip(self, data: st.DataObject) -> None:
        """Any AIs of the dictionary, with data of a fitting length, are cut back apart."""
        entries = list(syntax_dictionary())
        chosen = data.draw(st.lists(st.sampled_from(entries), min_size=1, max_size=6))
        pairs = []
        for entry in chosen:
            ai = data.draw(st.sampled_from(entry.ais))
            low, high = data.draw(st.sampled_from(entry.lengths()))
            length = data.draw(st.integers(low, high))
            numeric = all(c.charset is CharacterSet.N for c in entry.components)
            alphabet = "0123456789" if numeric else "A1-"
            pairs.append((ai, data.draw(st.text(alphabet, min_size=length, max_size=length))))
        text = "".join(
            f"{ai}{value}{'' if ai_spec(ai).predefined_length else GS}" for ai, value in pairs
        )
        assert split_barcode_data(text) == tuple(pairs)


class TestBarcodeDataRoundTrip:
    @given(data=label_data(window_dates, lots), prefix=st.sampled_from(["", "]C1", "]d2", "]Q3"]))
    def test_round_trip(self, data: Gs1Data, prefix: str) -> None:
        """Writing barcode data and reading it back, as a scanner returns it, gives the data."""
        text = prefix + data.barcode_data()
        assert Gs1Data.parse_barcode_data(text, today=TODAY) == data

    @given(data=label_data(window_dates, lots), separator=st.sampled_from(["^", "{FNC1}"]))
    def test_round_trip_with_other_separators(self, data: Gs1Data, separator: str) -> None:
        """The same holds for the separators some encoders want."""
        text = data.barcode_data(separator=separator)
        assert Gs1Data.parse_barcode_data(text, separator=separator, today=TODAY) == data

    @given(data=label_data(window_dates, lots))
    def test_everything_written_passes_the_dictionary(self, data: Gs1Data) -> None:
        """Every value Gs1Data writes passes the dictionary's checks, and so do its AIs together."""
        pairs = data.ai_values()
        for ai, value in pairs:
            validate_ai_value(ai, value, today=TODAY)
        check_associations(ai for ai, _ in pairs)

    @settings(max_examples=60, deadline=None)
    @given(data=label_data(biip_dates, lots), prefix=st.sampled_from(["]C1", "]d2", "]Q3"]))
    def test_biip_reads_the_same(self, data: Gs1Data, prefix: str) -> None:
        """biip cuts the same raw data into the same AIs and values as we do."""
        text = prefix + data.barcode_data()
        result = biip.parse(text)
        assert result.gs1_message is not None, result.gs1_message_error
        ours = split_barcode_data(text)
        theirs = tuple((es.ai.ai, es.value) for es in result.gs1_message.element_strings)
        assert ours == theirs
        element_strings = list(result.gs1_message.element_strings)
        assert_biip_agrees(Gs1Data.parse_barcode_data(text), element_strings)

    @pytest.mark.parametrize(
        "text",
        [
            "]C1001061414123456789080109506000134352",
            "]d2010950600013435221SER/1\x1d70032612311230\x1d8008261231123045",
            "]Q30109506000134352310300125010AB-12\x1d7030156ABC\x1d422156",
            "]C101995060001343553922125\x1d10X",
        ],
    )
    def test_biip_cuts_other_ais_the_same(self, text: str) -> None:
        """Raw data with AIs a farm label does not use is cut the same way by biip."""
        result = biip.parse(text)
        assert result.gs1_message is not None, result.gs1_message_error
        theirs = tuple((es.ai.ai, es.value) for es in result.gs1_message.element_strings)
        assert split_barcode_data(text) == theirs


# --- gs1.py takes its table from the dictionary ------------------------------------------


class TestGs1UsesTheDictionary:
    def test_supported_ais_and_flags(self) -> None:
        """The AIs Gs1Data reads, their FNC1 need and Digital Link flag are the dictionary's."""
        supported = gs1._supported()
        assert sorted(supported) == sorted(
            ["01", "10", "11", "13", "15", "17", "422"]
            + [f"310{n}" for n in range(6)]
            + [f"320{n}" for n in range(6)]
        )
        for ai, entry in supported.items():
            assert entry.spec is ai_spec(ai)
            assert entry.predefined_length == ai_spec(ai).predefined_length
            assert entry.data_attribute == ai_spec(ai).data_attribute
        assert not supported["10"].predefined_length
        assert not supported["422"].predefined_length

    def test_constants_agree_with_the_dictionary(self) -> None:
        """The net-weight constants gs1.py keeps match the dictionary's 310n/320n entries."""
        for first in ("3100", "3200"):
            spec = ai_spec(first)
            assert spec.max_length == gs1._WEIGHT_DIGITS
            assert int(spec.last[-1]) == gs1._MAX_DECIMALS
        assert gs1._lot_max() == 20
        assert gs1._gtin_qualifiers() == {"22", "10", "21", "235"}
        assert gs1._date_ais() == {
            "production_date": "11",
            "packaging_date": "13",
            "best_before": "15",
            "expiry": "17",
        }
