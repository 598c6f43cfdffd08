"""GS1 identifiers for farm products: GTINs, label data, barcodes and Digital Link URIs.

A package of black-bone chicken carries its GTIN, the lot it came from, its dates and, for
variable-weight meat, its net weight. :class:`Gs1Data` holds those values, checked, and
writes them in the three forms a label needs:

* the human-readable element string printed under the barcode,
  ``(01)09506000134352(10)LOT42(17)261231``;
* the data for a GS1-128 or GS1 DataMatrix symbol, with group separators;
* a GS1 Digital Link URI for a QR code, ``https://id.gs1.org/01/09506000134352/10/LOT42``.

It also reads all three back, and reads the raw data a scanner returns for a GS1-128 or
GS1 DataMatrix symbol (:meth:`Gs1Data.parse_barcode_data`).

The rules come from the GS1 Barcode Syntax Dictionary (``gs1-syntax-dictionary.txt`` from
github.com/gs1/gs1-syntax-dictionary at commit ff2eb4b), which ruralseller ships and
:mod:`ruralseller.catalog.gs1_dictionary` reads: which AIs need an FNC1 separator, which
may be Digital Link attributes, the formats and the checks. Comments that say "dictionary
line N" point into that file. Only the AIs a farm label needs are supported: 01, 10, 11,
13, 15, 17, 3100-3105, 3200-3205 and 422; every value read is also checked against the
dictionary, and so are the AIs read together (its ``req=`` and ``ex=`` rules).

Example:
    >>> data = Gs1Data(
    ...     Gtin("9506000134352"),
    ...     lot="LOT42",
    ...     expiry=dt.date(2026, 12, 31),
    ...     net_weight=Mass("1.25", "kg"),
    ... )
    >>> data.element_string()
    '(01)09506000134352(10)LOT42(17)261231(3102)000125'
    >>> data.digital_link()
    'https://id.gs1.org/01/09506000134352/10/LOT42?17=261231&3102=000125'
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from fractions import Fraction
from functools import cache
from typing import Any, Self
from urllib.parse import quote, unquote, urlsplit

import attrs

from ruralseller.catalog.gs1_dictionary import (
    AiSpec,
    CharacterSet,
    _expand_year,
    _gs1_check_digit,
    _is_digits,
    ai_spec,
    check_associations,
    split_barcode_data,
    validate_ai_value,
)
from ruralseller.catalog.units import Mass, MassUnit
from ruralseller.errors import IdentifierError

__all__ = [
    "Gs1Data",
    "Gtin",
    "check_digit",
]


# --- check digits and GTINs -------------------------------------------------------------


def check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit for a string of digits.

    This is the check digit of every GS1 numeric key: GTIN, GLN and SSCC. Pass the body,
    without its check digit (GS1 General Specifications §7.9.1).

    Args:
        digits: the digits before the check digit, any length.

    Returns:
        The check digit, 0 to 9.

    Raises:
        IdentifierError: if ``digits`` is empty or holds anything but the digits 0-9.

    Example:
        >>> check_digit("950600013435")
        2
        >>> check_digit("03600029145")
        2
    """
    text = _require_text(digits, "check_digit() takes the digits as text")
    if not _is_digits(text):
        raise IdentifierError(
            f"a check digit is computed from digits 0-9 only, got {digits!r}; "
            "pass the number without spaces or dashes"
        )
    return _gs1_check_digit(text)


def _require_text(value: object, message: str) -> str:
    # Callers may pass what a TOML or JSON file held (an int GTIN loses its leading zeros).
    if not isinstance(value, str):
        raise IdentifierError(f"{message}, not {type(value).__name__} {value!r}")
    return value


def _escape_brackets(value: str) -> str:
    # Bracketed AI syntax writes a "(" inside a value as "\(" (GS1 Barcode Syntax Engine,
    # gs1_encoder_setAIdataStr), so that it is not read as the start of the next AI.
    return value.replace("(", "\\(")


# GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14; all are held as 14 digits, padded
# on the left with zeros, which is how AI (01) carries them (dictionary line 122: N14).
_GTIN_LENGTHS = (8, 12, 13, 14)
_GTIN_NAMES = "8, 12, 13 or 14 digits (GTIN-8, UPC-A, EAN-13 or GTIN-14)"


def _canonical_gtin(value: str) -> str:
    text = _require_text(
        value, "a GTIN must be text in quotes, such as '09506000134352', to keep leading zeros"
    ).strip()
    for position, char in enumerate(text, start=1):
        if not _is_digits(char):
            raise IdentifierError(
                f"GTIN {value!r} has {char!r} at position {position}; a GTIN is "
                f"{_GTIN_NAMES}, with no spaces or dashes"
            )
    if len(text) not in _GTIN_LENGTHS:
        raise IdentifierError(f"GTIN {value!r} has {len(text)} digits; a GTIN has {_GTIN_NAMES}")
    expected = check_digit(text[:-1])
    if int(text[-1]) != expected:
        raise IdentifierError(
            f"GTIN {value!r} ends in check digit {text[-1]}, but it should be {expected}; "
            "check the number against the package for a mistyped digit, or build it with "
            f"Gtin.from_body({text[:-1]!r}) to compute the check digit"
        )
    return text.zfill(14)


@attrs.frozen(repr=False)
class Gtin:
    """A Global Trade Item Number, checked, held as 14 digits.

    Accepts GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14. Shorter forms are
    padded on the left with zeros, so the same product always gives the same value.

    Args:
        digits: the GTIN as text (8, 12, 13 or 14 digits, check digit included).

    Raises:
        IdentifierError: on a wrong length, a non-digit or a wrong check digit.

    Example:
        >>> gtin = Gtin("9506000134352")
        >>> gtin
        Gtin('09506000134352')
        >>> str(gtin)
        '09506000134352'
        >>> gtin.gtin13
        '9506000134352'
        >>> Gtin("036000291452") == Gtin("00036000291452")
        True
    """

    digits: str = attrs.field(converter=_canonical_gtin)

    @classmethod
    def from_body(cls, body: str) -> Self:
        """Build a GTIN from its digits without the check digit, which is computed.

        Args:
            body: 7, 11, 12 or 13 digits.

        Raises:
            IdentifierError: if the body is not 7, 11, 12 or 13 digits.

        Example:
            >>> Gtin.from_body("950600013435")
            Gtin('09506000134352')
        """
        text = _require_text(body, "a GTIN body must be text, such as '950600013435'")
        if not _is_digits(text) or len(text) + 1 not in _GTIN_LENGTHS:
            raise IdentifierError(
                f"a GTIN body is 7, 11, 12 or 13 digits (the GTIN without its check digit), "
                f"got {body!r}"
            )
        return cls(text + str(check_digit(text)))

    @property
    def indicator(self) -> int:
        """The first of the 14 digits: 0 for GTIN-8/12/13, 1-8 packing levels, 9 variable."""
        return int(self.digits[0])

    @property
    def is_variable_measure(self) -> bool:
        """Whether this GTIN-14 has indicator digit 9: a variable-measure trade item.

        Variable-weight meat sold by the kilogram carries such a GTIN together with its net
        weight, AI (310n). Restricted-circulation numbers (GTIN-13s starting with 2, used by
        in-store scales) are not detected here.
        """
        return self.indicator == 9

    @property
    def gtin13(self) -> str:
        """The 13-digit form, for systems that want an EAN-13.

        Raises:
            IdentifierError: if the indicator digit is not 0, so there is no 13-digit form.
        """
        if self.digits[0] != "0":
            raise IdentifierError(
                f"GTIN {self.digits} has indicator digit {self.digits[0]}, so it has no "
                "13-digit (EAN-13) form; use all 14 digits"
            )
        return self.digits[1:]

    def __str__(self) -> str:
        return self.digits

    def __repr__(self) -> str:
        return f"Gtin({self.digits!r})"


# --- the AIs we read and write -----------------------------------------------------------

# The one hand-written part: which dictionary entry fills which Gs1Data field, and the short
# name our messages give it. Formats, FNC1 needs, Digital Link flags and the AI ranges come
# from the syntax dictionary.
_FIELDS = (
    ("01", "gtin", "GTIN"),
    ("10", "lot", "BATCH/LOT"),
    ("11", "production_date", "PROD DATE"),
    ("13", "packaging_date", "PACK DATE"),
    ("15", "best_before", "BEST BEFORE"),
    ("17", "expiry", "USE BY OR EXPIRY"),
    ("3100", "net_weight", "NET WEIGHT kg"),
    ("3200", "net_weight", "NET WEIGHT lb"),
    ("422", "country_of_origin", "ORIGIN"),
)


@attrs.frozen
class _Ai:
    """One AI we read and write: the Gs1Data field it fills and its dictionary entry."""

    code: str
    field: str
    spec: AiSpec

    @property
    def predefined_length(self) -> bool:
        # "*" flag: a predefined-length AI, which needs no FNC1 separator (dictionary line 41).
        return self.spec.predefined_length

    @property
    def data_attribute(self) -> bool:
        # "?" flag: permitted as a GS1 Digital Link data attribute (dictionary line 42).
        return self.spec.data_attribute


@cache
def _supported() -> dict[str, _Ai]:
    # Read on first use, so importing ruralseller does not read the dictionary file.
    return {
        ai: _Ai(ai, field, spec)
        for first, field, _name in _FIELDS
        for spec in (ai_spec(first),)
        for ai in spec.ais
    }


@cache
def _supported_text() -> str:
    return ", ".join(f"{ai_spec(first).label} ({name})" for first, _field, name in _FIELDS)


@cache
def _date_ais() -> dict[str, str]:
    # The date fields: the AIs the dictionary checks with the yymmd0 linter (lines 126-131).
    return {field: ai for ai, field, _name in _FIELDS if "yymmd0" in ai_spec(ai).linters}


@cache
def _gtin_qualifiers() -> frozenset[str]:
    # Line 122: dlpkey=22,10,21|235 -- the path qualifiers that may follow /01/<gtin>.
    return frozenset(ai for sequence in ai_spec("01").dl_qualifiers for ai in sequence)


# GS1 Digital Link 1.0 "convenience alphas" for our AIs (the shortcodes in
# gs1/GS1DigitalLinkToolkit.js). Later versions of the standard use the numbers only; we
# refuse these names rather than silently skip them as unknown query parameters.
_LEGACY_NAMES = {"gtin": "01", "lot": "10", "exp": "17"}


def _spec(ai: str, where: str) -> _Ai:
    found = _supported().get(ai)
    if found is None:
        raise IdentifierError(
            f"AI ({ai}) in {where} is not supported; supported AIs: {_supported_text()}"
        )
    return found


def _lot_max() -> int:
    return ai_spec("10").max_length  # dictionary line 125: X..20


def _is_valid(ai: str, value: str) -> bool:
    try:
        validate_ai_value(ai, value)
    except IdentifierError:
        return False
    return True


# --- value encoders and decoders ---------------------------------------------------------


def _encode_date(value: dt.date) -> str:
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _decode_date(ai: str, text: str, today: dt.date) -> dt.date:
    if len(text) != 6 or not _is_digits(text):
        raise IdentifierError(f"AI ({ai}) must be a date YYMMDD (6 digits), got {text!r}")
    year = _expand_year(int(text[:2]), today)
    month, day = int(text[2:4]), int(text[4:])
    if not 1 <= month <= 12:
        raise IdentifierError(f"AI ({ai}) date {text!r} has month {text[2:4]}; use 01-12")
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        # The yymmd0 linter (dictionary lines 126-131) allows day "00": no day given. The
        # General Specifications read it as the last day of the month for best-before and
        # expiry (15, 17); production and packing dates (11, 13) are read the same way.
        return dt.date(year, month, last)
    if day > last:
        raise IdentifierError(
            f"AI ({ai}) date {text!r} has day {text[4:]}, but {year}-{month:02d} has {last} days"
        )
    return dt.date(year, month, day)


# AI 310n/320n data is N6 (dictionary lines 146, 153), and n runs from 0 to 5.
_WEIGHT_DIGITS = 6
_MAX_DECIMALS = 5
_IMPERIAL = (MassUnit.LB, MassUnit.OZ)


def _encode_weight(mass: Mass) -> tuple[str, str]:
    """Pick AI 310n (kg) or 320n (lb) and its six digits for a net weight.

    n is the fewest decimals that give the exact value in six digits. When no n gives the
    exact value (a Hong Kong catty is 0.60478982 kg), the value is rounded to the nearest
    step of the finest n that still fits (ties to even).
    """
    prefix, unit = ("320", MassUnit.LB) if mass.unit in _IMPERIAL else ("310", MassUnit.KG)
    value = mass.in_unit(unit)
    limit = 10**_WEIGHT_DIGITS
    for decimals in range(_MAX_DECIMALS + 1):
        scaled = value * 10**decimals
        if scaled.denominator == 1 and scaled < limit:
            return f"{prefix}{decimals}", f"{scaled.numerator:06d}"
    for decimals in range(_MAX_DECIMALS, -1, -1):
        rounded = round(value * 10**decimals)
        if rounded < limit:
            return f"{prefix}{decimals}", f"{rounded:06d}"
    raise IdentifierError(
        f"net weight {mass} is too large for a GS1 label: AI ({prefix}n) holds at most "
        f"999999 {unit.code}"
    )


def _decode_weight(ai: str, text: str) -> Mass:
    if len(text) != _WEIGHT_DIGITS or not _is_digits(text):
        raise IdentifierError(f"AI ({ai}) net weight must be 6 digits, got {text!r}")
    unit = MassUnit.LB if ai.startswith("320") else MassUnit.KG
    return Mass(Fraction(int(text), 10 ** int(ai[3])), unit)


def _check_date_type(name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise IdentifierError(
            f"{name} must be a datetime.date, not {type(value).__name__} {value!r}"
        )


def _as_gtin(value: Gtin | str) -> Gtin:
    return value if isinstance(value, Gtin) else Gtin(value)


# --- Gs1Data -----------------------------------------------------------------------------


@attrs.frozen
class Gs1Data:
    r"""The GS1 data on one package label: GTIN, lot, dates, net weight and origin.

    Every value is checked when the object is made, so a ``Gs1Data`` can always be written
    as a barcode. Dates are written as YYMMDD; when read back, the two-digit year is placed
    by the GS1 century rule (within 49 years before and 50 years after today), so dates
    further out do not survive a round trip.

    Args:
        gtin: the product's GTIN, AI (01); a :class:`Gtin` or its digits.
        lot: the batch or lot code, AI (10): 1 to 20 characters from GS1 character set 82
            (letters, digits and ``!"%&'()*+,-./:;<=>?_``; no spaces).
        production_date: AI (11).
        packaging_date: AI (13).
        best_before: AI (15), best before (quality).
        expiry: AI (17), use by or expiry (safety).
        net_weight: AI (310n) in kg, or (320n) in lb when the mass is given in lb or oz.
            n is the fewest decimals that keep the exact value in six digits; a value that
            has no exact six-digit form is rounded to the finest n that fits.
        country_of_origin: AI (422), an ISO 3166-1 numeric country code such as ``"156"``
            (China).

    Example:
        >>> data = Gs1Data(
        ...     "09506000134352",
        ...     lot="LOT42",
        ...     best_before=dt.date(2026, 6, 30),
        ...     country_of_origin="156",
        ... )
        >>> data.barcode_data()
        '01095060001343521526063010LOT42\x1d422156'
        >>> Gs1Data.parse_element_string(
        ...     "(01)09506000134352(15)260600(10)LOT42(422)156", today=dt.date(2026, 1, 1)
        ... ) == data
        True
    """

    gtin: Gtin = attrs.field(converter=_as_gtin)
    lot: str | None = attrs.field(default=None, kw_only=True)
    production_date: dt.date | None = attrs.field(default=None, kw_only=True)
    packaging_date: dt.date | None = attrs.field(default=None, kw_only=True)
    best_before: dt.date | None = attrs.field(default=None, kw_only=True)
    expiry: dt.date | None = attrs.field(default=None, kw_only=True)
    net_weight: Mass | None = attrs.field(default=None, kw_only=True)
    country_of_origin: str | None = attrs.field(default=None, kw_only=True)

    @lot.validator
    def _check_lot(self, _attribute: object, lot: object) -> None:
        if lot is None:
            return
        value = _require_text(lot, "lot must be text")
        if not value:
            raise IdentifierError("lot is empty; leave it out (None) when there is no lot code")
        if len(value) > _lot_max():
            raise IdentifierError(
                f"lot {value!r} has {len(value)} characters; GS1 AI (10) allows at most "
                f"{_lot_max()}"
            )
        for position, char in enumerate(value, start=1):
            if char not in CharacterSet.X.characters:
                raise IdentifierError(
                    f"lot {value!r} has {char!r} at position {position}, which GS1 barcodes "
                    "cannot carry; use letters A-Z a-z, digits and !\"%&'()*+,-./:;<=>?_ "
                    "(GS1 character set 82, no spaces)"
                )

    @production_date.validator
    @packaging_date.validator
    @best_before.validator
    @expiry.validator
    def _check_date(self, attribute: attrs.Attribute[dt.date | None], value: object) -> None:
        _check_date_type(attribute.name, value)

    @net_weight.validator
    def _check_net_weight(self, _attribute: object, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, Mass):
            raise IdentifierError(
                f"net_weight must be a Mass such as Mass.parse('1.25 kg'), not "
                f"{type(value).__name__} {value!r}"
            )
        _encode_weight(value)  # raises if it cannot be written

    @country_of_origin.validator
    def _check_country(self, _attribute: object, value: object) -> None:
        if value is None:
            return
        # Dictionary line 220: 422 is N3 with the iso3166 linter.
        if not isinstance(value, str) or not _is_valid("422", value):
            raise IdentifierError(
                f"country of origin {value!r} is not an ISO 3166-1 numeric country code; "
                "write three digits as text, e.g. '156' for China"
            )

    # --- writing ---------------------------------------------------------------------

    def ai_values(self) -> tuple[tuple[str, str], ...]:
        """The (AI, data) pairs this label carries, in AI order.

        Example:
            >>> Gs1Data("09506000134352", country_of_origin="156").ai_values()
            (('01', '09506000134352'), ('422', '156'))
        """
        pairs = [("01", self.gtin.digits)]
        if self.lot is not None:
            pairs.append(("10", self.lot))
        for field, ai in _date_ais().items():
            value: dt.date | None = getattr(self, field)
            if value is not None:
                pairs.append((ai, _encode_date(value)))
        if self.net_weight is not None:
            pairs.append(_encode_weight(self.net_weight))
        if self.country_of_origin is not None:
            pairs.append(("422", self.country_of_origin))
        return tuple(sorted(pairs))

    def element_string(self) -> str:
        r"""The human-readable element string, each AI in brackets, in AI order.

        A ``(`` inside the lot is written ``\(`` so the string reads back unambiguously;
        this is the escape the GS1 Barcode Syntax Engine uses for bracketed AI data.

        Example:
            >>> data = Gs1Data("09506000134352", lot="LOT42", expiry=dt.date(2026, 12, 31))
            >>> data.element_string()
            '(01)09506000134352(10)LOT42(17)261231'
        """
        return "".join(f"({ai}){_escape_brackets(value)}" for ai, value in self.ai_values())

    def barcode_data(self, separator: str = "\x1d") -> str:
        """The data for a GS1-128 or GS1 DataMatrix symbol, without the leading FNC1.

        Predefined-length AIs come first and need no separator; the others follow, each
        ended by ``separator`` (GS, ASCII 29, standing for FNC1) unless it is the last.

        Args:
            separator: what to write between variable-length fields; some barcode
                libraries want ``"^"`` or ``"{FNC1}"`` instead of GS.

        Example:
            >>> data = Gs1Data("09506000134352", lot="A1", country_of_origin="156")
            >>> data.barcode_data(separator="^")
            '010950600013435210A1^422156'
        """
        pairs = self.ai_values()
        # Dictionary line 41: AIs flagged "*" have a predefined length and need no FNC1.
        ais = _supported()
        fixed = [f"{ai}{value}" for ai, value in pairs if ais[ai].predefined_length]
        variable = [f"{ai}{value}" for ai, value in pairs if not ais[ai].predefined_length]
        return "".join(fixed) + separator.join(variable)

    def digital_link(self, base: str = "https://id.gs1.org") -> str:
        """The GS1 Digital Link URI: GTIN and lot in the path, the rest as query attributes.

        Values are percent-encoded except for the URI unreserved characters
        ``A-Z a-z 0-9 - . _ ~`` (RFC 3986 §2.3), as gs1-syntax-engine ``dl.c`` does.

        Args:
            base: the resolver to use, ``http(s)://host`` and an optional path prefix; a
                trailing ``/`` is dropped.

        Raises:
            IdentifierError: if ``base`` is not an http(s) URL, or has a query or fragment.

        Example:
            >>> Gs1Data("09506000134352", lot="A/1").digital_link("https://example.com/")
            'https://example.com/01/09506000134352/10/A%2F1'
        """
        path = f"{_normalise_base(base)}/01/{self.gtin.digits}"
        if self.lot is not None:
            path += f"/10/{quote(self.lot, safe='')}"
        query = "&".join(
            f"{ai}={quote(value, safe='')}"
            for ai, value in self.ai_values()
            if ai not in {"01", "10"} and _supported()[ai].data_attribute
        )
        return f"{path}?{query}" if query else path

    # --- reading ---------------------------------------------------------------------

    @classmethod
    def parse_element_string(cls, text: str, *, today: dt.date | None = None) -> Self:
        r"""Read a bracketed element string such as ``(01)09506000134352(10)LOT42``.

        Spaces around the bracketed AIs are ignored. Write a ``(`` inside a value as ``\(``.

        Args:
            text: the element string.
            today: the date the GS1 century rule counts from; defaults to today (UTC).

        Raises:
            IdentifierError: on a malformed string, an unsupported or repeated AI, a
                missing (01) or any bad value.

        Example:
            >>> data = Gs1Data.parse_element_string(
            ...     "(01)09506000134352 (17)261200 (3103)001250", today=dt.date(2026, 1, 1)
            ... )
            >>> data.expiry, data.net_weight
            (datetime.date(2026, 12, 31), Mass('1.25 kg'))
        """
        pairs = _split_element_string(_require_text(text, "an element string must be text"))
        for ai, value in pairs:
            if ai == "01" and (len(value) != 14 or not _is_digits(value)):
                raise IdentifierError(
                    f"AI (01) in {text!r} must be 14 digits, got {value!r}; pad a GTIN-8, "
                    "-12 or -13 with zeros on the left to 14 digits"
                )
        return cls._from_pairs(pairs, f"element string {text!r}", today)

    @classmethod
    def parse_digital_link(cls, uri: str, *, today: dt.date | None = None) -> Self:
        """Read a GS1 Digital Link URI such as ``https://id.gs1.org/01/09506000134352``.

        Any domain and path prefix are accepted. Query parameters that are not all digits
        (like ``linkType``) are ignored, as the Digital Link standard allows.

        Args:
            uri: the http or https URI.
            today: the date the GS1 century rule counts from; defaults to today (UTC).

        Raises:
            IdentifierError: if the URI is not http(s), has no ``/01/<gtin>`` in its path,
                or carries an unsupported, repeated or bad AI.

        Example:
            >>> data = Gs1Data.parse_digital_link(
            ...     "https://example.com/01/09506000134352/10/A%2F1?15=261231",
            ...     today=dt.date(2026, 1, 1),
            ... )
            >>> data.lot, data.best_before
            ('A/1', datetime.date(2026, 12, 31))
        """
        parts = urlsplit(_require_text(uri, "a Digital Link must be text").strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise IdentifierError(
                f"Digital Link {uri!r} must be an http or https URL, like "
                "'https://id.gs1.org/01/09506000134352'"
            )
        pairs = _path_pairs(uri, parts.path)
        pairs += _query_pairs(uri, parts.query)
        return cls._from_pairs(pairs, f"Digital Link {uri!r}", today)

    @classmethod
    def parse_barcode_data(
        cls, text: str, *, separator: str = "\x1d", today: dt.date | None = None
    ) -> Self:
        r"""Read what a scanner returns for a GS1-128 or GS1 DataMatrix (or GS1 QR) symbol.

        This is the form :meth:`barcode_data` writes: AIs and their data run together,
        variable-length fields ended by ``separator`` (GS, standing for FNC1). A leading
        symbology identifier such as ``]C1`` (GS1-128), ``]d2`` (GS1 DataMatrix) or ``]Q3``
        (GS1 QR Code) is dropped; one of another, non-GS1 symbology is refused. The fields
        are cut as the GS1 syntax dictionary says (see
        :func:`~ruralseller.catalog.gs1_dictionary.split_barcode_data`).

        Args:
            text: the scanned data.
            separator: what stands for FNC1; scanners send GS (ASCII 29), some setups
                ``"^"`` or ``"{FNC1}"``.
            today: the date the GS1 century rule counts from; defaults to today (UTC).

        Raises:
            IdentifierError: on data that cannot be cut into AIs (a missing separator, a
                field too short or too long), an unsupported or repeated AI, a missing
                (01) or any bad value.

        Example:
            >>> data = Gs1Data.parse_barcode_data(
            ...     "]C10109506000134352172612313102000125" "10LOT42\x1d" "422156",
            ...     today=dt.date(2026, 1, 1),
            ... )
            >>> data.lot, data.expiry, data.net_weight, data.country_of_origin
            ('LOT42', datetime.date(2026, 12, 31), Mass('1.25 kg'), '156')
            >>> Gs1Data.parse_barcode_data(data.barcode_data(), today=dt.date(2026, 1, 1)) == data
            True
        """
        raw = _require_text(text, "barcode data must be text")
        pairs = list(split_barcode_data(raw, separator=separator))
        return cls._from_pairs(pairs, f"barcode data {raw!r}", today)

    @classmethod
    def _from_pairs(cls, pairs: list[tuple[str, str]], where: str, today: dt.date | None) -> Self:
        if today is None:
            today = dt.datetime.now(tz=dt.UTC).date()
        fields: dict[str, str] = {}
        for ai, _value in pairs:
            field = _spec(ai, where).field
            if field in fields and fields[field] == ai:
                raise IdentifierError(f"{where} has AI ({ai}) twice; give it once")
            if field in fields:
                raise IdentifierError(
                    f"{where} gives the {field.replace('_', ' ')} twice, in ({fields[field]}) "
                    f"and ({ai}); give it once"
                )
            fields[field] = ai
        values = dict(pairs)
        if "01" not in values:
            raise IdentifierError(
                f"{where} has no GTIN, AI (01); every other AI here needs it (dictionary: req=01)"
            )
        data = cls(values.pop("01"))
        changes: dict[str, Any] = {}
        for ai, value in values.items():
            spec = _supported()[ai]
            if spec.field in _date_ais():
                changes[spec.field] = _decode_date(ai, value, today)
            elif spec.field == "net_weight":
                changes[spec.field] = _decode_weight(ai, value)
            else:
                changes[spec.field] = value
        result = attrs.evolve(data, **changes)
        _check_against_dictionary(pairs, where, today)
        return result


def _check_against_dictionary(pairs: list[tuple[str, str]], where: str, today: dt.date) -> None:
    # The field checks give the messages a farm label needs; the dictionary has the last
    # word on every value, and on which AIs may go together (req= and ex=).
    try:
        for ai, value in pairs:
            validate_ai_value(ai, value, today=today)
        check_associations(ai for ai, _value in pairs)
    except IdentifierError as error:
        raise IdentifierError(f"{where}: {error.message}") from None


_AI_IN_BRACKETS = re.compile(r"\s*\((\d{2,4})\)\s*")


def _split_element_string(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    stripped = text.strip()
    if not stripped:
        raise IdentifierError("the element string is empty; write it like '(01)09506000134352'")
    position = 0
    while position < len(stripped):
        match = _AI_IN_BRACKETS.match(stripped, position)
        if match is None:
            raise IdentifierError(
                f"element string {text!r} has {stripped[position : position + 8]!r} where an "
                "AI in brackets was expected, like '(01)'; write a '(' inside a value as '\\('"
            )
        position = match.end()
        value: list[str] = []
        while position < len(stripped) and stripped[position] != "(":
            if stripped.startswith("\\(", position):
                value.append("(")
                position += 2
            else:
                value.append(stripped[position])
                position += 1
        data = "".join(value).rstrip()
        if not data:
            raise IdentifierError(f"AI ({match.group(1)}) in {text!r} has no data after it")
        pairs.append((match.group(1), data))
    return pairs


def _unquote(uri: str, text: str) -> str:
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise IdentifierError(
            f"Digital Link {uri!r} has a percent-encoded value that is not UTF-8: {text!r}"
        ) from None


def _find_primary_key(uri: str, segments: list[str]) -> int:
    # Walk back from the end over /AI/value pairs to the primary key, as gs1-syntax-engine
    # does (dl.c, gs1_parseDLuri): anything before it is the resolver's own path prefix.
    index = len(segments) - 2
    while index >= 0 and segments[index] != "01":
        key = segments[index]
        if key in _gtin_qualifiers():
            index -= 2
            continue
        _refuse_legacy_name(uri, key)
        if key in _supported():
            raise IdentifierError(
                f"AI ({key}) cannot be in the path of Digital Link {uri!r}; only the lot "
                f"(10) may follow /01/<GTIN>; write it as a query attribute, '?{key}=...'"
            )
        break
    if index < 0 or segments[index] != "01":
        raise IdentifierError(
            f"Digital Link {uri!r} has no /01/<GTIN> in its path; only GTIN Digital Links "
            "are supported, like 'https://id.gs1.org/01/09506000134352/10/LOT42'"
        )
    return index


def _refuse_legacy_name(uri: str, key: str) -> None:
    if key in _LEGACY_NAMES:
        raise IdentifierError(
            f"Digital Link {uri!r} uses the old short name {key!r}; write the AI number "
            f"{_LEGACY_NAMES[key]!r} instead (GS1 Digital Link 1.1 and later)"
        )


def _path_pairs(uri: str, path: str) -> list[tuple[str, str]]:
    segments = path.strip("/").split("/")
    start = _find_primary_key(uri, segments)
    pairs = [(segments[i], _unquote(uri, segments[i + 1])) for i in range(start, len(segments), 2)]
    gtin = pairs[0][1]
    if not _is_digits(gtin) or len(gtin) not in _GTIN_LENGTHS:
        raise IdentifierError(f"Digital Link {uri!r} has GTIN {gtin!r}; a GTIN has {_GTIN_NAMES}")
    # A zero-suppressed GTIN-8/12/13 in the path is legacy but still met; the syntax
    # engine pads it the same way (permitZeroSuppressedGTINinDLuris).
    pairs[0] = ("01", gtin.zfill(14))
    for ai, _value in pairs[1:]:
        _spec(ai, f"the path of Digital Link {uri!r}")
    return pairs


def _query_pairs(uri: str, query: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for item in filter(None, query.split("&")):
        key, _, raw = item.partition("=")
        _refuse_legacy_name(uri, key)
        if not _is_digits(key):
            continue  # not an AI: linkType, context and the like
        spec = _spec(key, f"the query of Digital Link {uri!r}")
        if key == "01" or not spec.data_attribute:
            raise IdentifierError(
                f"AI ({key}) cannot be a query attribute in Digital Link {uri!r}; put it in "
                "the path, like '/01/09506000134352'"
            )
        value = _unquote(uri, raw.replace("+", " "))
        if not value:
            raise IdentifierError(f"AI ({key}) in the query of Digital Link {uri!r} is empty")
        pairs.append((key, value))
    return pairs


def _normalise_base(base: str) -> str:
    text = _require_text(base, "the Digital Link base must be text").strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc or any(c.isspace() for c in text):
        raise IdentifierError(
            f"the Digital Link base {base!r} must be an http or https URL with a host, "
            "like 'https://id.gs1.org' or 'https://example.com/dl'"
        )
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise IdentifierError(
            f"the Digital Link base {base!r} must not have a query or fragment; give only "
            "the scheme, host and an optional path prefix"
        )
    return text
