r"""The GS1 Barcode Syntax Dictionary: what each GS1 Application Identifier (AI) may hold.

GS1 publishes its table of AIs as a plain text file, ``gs1-syntax-dictionary.txt``
(github.com/gs1/gs1-syntax-dictionary). ruralseller ships a verbatim copy in
``ruralseller/catalog/data/`` (see the README there for where it comes from and how to
update it) and reads it on first use. Each line describes one AI or a range of AIs::

    01         *?  N14,csum,gcppos2   ex=255,37 dlpkey=22,10,21|235   # GTIN
    ^AI        ^flags ^components     ^attributes                     ^title

* flags: ``*`` the AI has a predefined length, so it needs no FNC1 separator after it;
  ``?`` it may be a GS1 Digital Link data attribute (a query parameter);
* components: the data, cut into parts of a type (``N`` digits, ``X`` GS1 character set 82,
  ``Y`` character set 39, ``Z`` base64url), a fixed (``N6``) or maximum (``X..20``) length,
  optional parts in brackets, and the names of *linters*, checks such as ``csum`` (check
  digit) or ``yymmd0`` (a date whose day may be 00);
* ``req=`` the AIs that must be on the same item (``req=01,02`` one of 01 or 02;
  ``01+21`` both), ``ex=`` those that must not (``310n`` is any 310x);
* ``dlpkey`` the AI is a GS1 Digital Link primary key, with the qualifiers that may follow
  it in the URI path.

:func:`ai_spec` gives the entry for an AI, :func:`validate_ai_value` checks one value
against it, :func:`check_associations` checks the AIs of one item against each other, and
:func:`split_barcode_data` cuts what a scanner returns into (AI, value) pairs.

Example:
    >>> spec = ai_spec("17")
    >>> spec.title, spec.format, spec.predefined_length
    ('USE BY or EXPIRY', 'N6,yymmd0', True)
    >>> validate_ai_value("17", "261301")
    Traceback (most recent call last):
    ...
    ruralseller.errors.IdentifierError: AI (17) USE BY or EXPIRY: '261301' has month 13; ...
    >>> split_barcode_data("]C1010950600013435217261231" "10LOT42\x1d" "422156")
    (('01', '09506000134352'), ('17', '261231'), ('10', 'LOT42'), ('422', '156'))
    >>> check_associations(["10", "422"])
    Traceback (most recent call last):
    ...
    ruralseller.errors.IdentifierError: 2 problems with AIs (10), (422):
      - AI (10) BATCH/LOT needs (01), (02), (03), (8006) or (8026) with it; add one of them ...
      - AI (422) ORIGIN needs (01), (02), (03), (8006) or (8026) with it; add one of them ...
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Self, TypeAlias

import attrs

from ruralseller.errors import IdentifierError, InvalidValueError

__all__ = [
    "IMPLEMENTED_LINTERS",
    "AiSpec",
    "CharacterSet",
    "ComponentSpec",
    "SyntaxDictionary",
    "ai_spec",
    "check_associations",
    "split_barcode_data",
    "syntax_dictionary",
    "validate_ai_value",
]

AiGroup: TypeAlias = tuple[str, ...]
"""AIs or AI patterns that must all be present together, e.g. ``("01", "21")``."""
Requirement: TypeAlias = tuple[AiGroup, ...]
"""One ``req=`` attribute: at least one of its groups must be present."""

_FILE = "gs1-syntax-dictionary.txt"


# --- character sets ----------------------------------------------------------------------


class CharacterSet(enum.Enum):
    """The type of a component: which characters it may hold.

    Example:
        >>> CharacterSet.X.allows("LOT-42/A")
        True
        >>> CharacterSet("N").allows("12a")
        False
    """

    N = "N"
    """Digits 0-9."""
    X = "X"
    """GS1 AI encodable character set 82 (letters, digits and 20 symbols)."""
    Y = "Y"
    """GS1 AI encodable character set 39 (upper-case letters, digits, ``#``, ``-``, ``/``)."""
    Z = "Z"
    """GS1 AI encodable character set 64: base64url, with optional ``=`` padding."""

    @property
    def characters(self) -> frozenset[str]:
        """The characters this set allows (for ``Z``, not counting ``=`` padding)."""
        return _CHARACTERS[self]

    @property
    def hint(self) -> str:
        """What to write instead, in plain words."""
        return _HINTS[self]

    def allows(self, text: str) -> bool:
        """Whether every character of ``text`` is in this set."""
        return _first_bad_character(self, text) is None


# GS1 General Specifications, tables "GS1 AI encodable character set 82", "... set 39" and
# "... set 64 (file-safe / URI-safe base64)"; the same lists are in gs1-syntax-engine
# src/c-lib/syntax/lint_cset82.c, lint_cset39.c and lint_cset64.c.
_DIGITS = "0123456789"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_CHARACTERS = {
    CharacterSet.N: frozenset(_DIGITS),
    CharacterSet.X: frozenset("!\"%&'()*+,-./:;<=>?_" + _DIGITS + _UPPER + _LOWER),
    CharacterSet.Y: frozenset("#-/" + _DIGITS + _UPPER),
    CharacterSet.Z: frozenset("-_" + _DIGITS + _UPPER + _LOWER),
}
_HINTS = {
    CharacterSet.N: "use digits 0-9 only",
    CharacterSet.X: (
        "use letters A-Z a-z, digits and !\"%&'()*+,-./:;<=>?_ (GS1 character set 82, no spaces)"
    ),
    CharacterSet.Y: "use capital letters A-Z, digits and # - / (GS1 character set 39)",
    CharacterSet.Z: (
        "use letters A-Z a-z, digits, - and _ (base64url), with at most two '=' at the end "
        "as padding"
    ),
}


def _first_bad_character(charset: CharacterSet, text: str) -> int | None:
    body = text
    if charset is CharacterSet.Z:
        # Base64url padding: up to two "=" at the end, making the length a multiple of 3
        # (gs1-syntax-engine lint_cset64.c).
        stripped = text.rstrip("=")
        pads = len(text) - len(stripped)
        if pads > 2 or (pads and len(text) % 3):
            return len(stripped)
        body = stripped
    allowed = charset.characters
    return next((i for i, char in enumerate(body) if char not in allowed), None)


# --- entries -----------------------------------------------------------------------------


@attrs.frozen
class ComponentSpec:
    """One component of an AI's data, such as ``N6,yymmd0`` or ``[X..17]``.

    Attributes:
        charset: the characters it may hold.
        min_length: its shortest length: the fixed length, or 1 for a variable one.
        max_length: its longest length.
        variable: whether its length varies (``X..20``); only the last component may.
        optional: whether it may be left out (written in brackets).
        linters: the names of the checks that apply to it, in order.
    """

    charset: CharacterSet
    min_length: int
    max_length: int
    variable: bool = False
    optional: bool = False
    linters: tuple[str, ...] = ()

    def __str__(self) -> str:
        body = f"{self.charset.value}{'..' if self.variable else ''}{self.max_length}"
        if self.optional:
            body = f"[{body}]"
        return "".join([body, *(f",{linter}" for linter in self.linters)])


@attrs.frozen
class AiSpec:
    """One entry of the syntax dictionary: an AI or a range of AIs and what they hold.

    Attributes:
        first: the AI, or the first of the range (``"3100"`` for 3100-3105).
        last: the same AI, or the last of the range.
        flags: the flag characters as written (``"*?"``).
        components: the parts of the data, in order.
        requires: each ``req=`` attribute: one of its groups of AIs must be present.
        excludes: the ``ex=`` AIs and patterns (``n`` is any digit) that must not be.
        dl_primary_key: whether the AI is a GS1 Digital Link primary key (``dlpkey``).
        dl_qualifiers: the ordered qualifier sequences that may follow the primary key in
            a Digital Link path, one per ``|`` alternative of ``dlpkey=``.
        title: the short title, e.g. ``"BATCH/LOT"``; empty when the line has none.
        line: the line of the dictionary file the entry is on, counting from 1.

    Example:
        >>> spec = ai_spec("3103")
        >>> spec.label, spec.title, spec.format
        ('3100-3105', 'NET WEIGHT (kg)', 'N6')
        >>> spec.requires, spec.excludes
        (((('01',), ('02',)),), ('310n',))
    """

    first: str
    last: str
    flags: str
    components: tuple[ComponentSpec, ...]
    requires: tuple[Requirement, ...] = ()
    excludes: tuple[str, ...] = ()
    dl_primary_key: bool = False
    dl_qualifiers: tuple[tuple[str, ...], ...] = ()
    title: str = ""
    line: int = 0

    @property
    def predefined_length(self) -> bool:
        """Flag ``*``: the length is predefined, so no FNC1 separator is needed after it."""
        return "*" in self.flags

    @property
    def data_attribute(self) -> bool:
        """Flag ``?``: the AI may be a GS1 Digital Link data attribute (query parameter)."""
        return "?" in self.flags

    @property
    def label(self) -> str:
        """The AI, or the range as written in the dictionary (``"3100-3105"``)."""
        return self.first if self.first == self.last else f"{self.first}-{self.last}"

    @property
    def ais(self) -> tuple[str, ...]:
        """Every AI this entry covers, in order."""
        width = len(self.first)
        return tuple(f"{n:0{width}d}" for n in range(int(self.first), int(self.last) + 1))

    @property
    def format(self) -> str:
        """The components as written in the dictionary, e.g. ``"N6,yymmdd N4,hhmi"``."""
        return " ".join(str(component) for component in self.components)

    @property
    def linters(self) -> tuple[str, ...]:
        """Every linter named by the components, in order, each once."""
        return tuple(dict.fromkeys(name for c in self.components for name in c.linters))

    @property
    def min_length(self) -> int:
        """The shortest data: the mandatory components at their shortest."""
        return sum(c.min_length for c in self.components if not c.optional)

    @property
    def max_length(self) -> int:
        """The longest data: every component at its longest."""
        return sum(c.max_length for c in self.components)

    def lengths(self) -> tuple[tuple[int, int], ...]:
        """The data lengths allowed, as (shortest, longest) ranges that do not touch.

        Optional fixed-length components make gaps: ``N6 [N6]`` allows 6 or 12.

        Example:
            >>> ai_spec("7007").lengths()
            ((6, 6), (12, 12))
            >>> ai_spec("253").lengths()
            ((13, 30),)
        """
        ranges: list[tuple[int, int]] = []
        low = high = 0
        for index, component in enumerate(self.components):
            low += component.min_length
            high += component.max_length
            following = self.components[index + 1 : index + 2]
            if not following or following[0].optional:
                if ranges and low <= ranges[-1][1] + 1:
                    ranges[-1] = (ranges[-1][0], max(high, ranges[-1][1]))
                else:
                    ranges.append((low, high))
        return tuple(ranges)

    def covers(self, ai: str) -> bool:
        """Whether ``ai`` is this entry's AI or in its range."""
        return len(ai) == len(self.first) and _is_digits(ai) and self.first <= ai <= self.last


# --- reading the file --------------------------------------------------------------------


# "Allocated from" list in the dictionary's header: characters that may serve as flags.
_FLAG_CHARACTERS = frozenset("*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~")
_AI_RANGE = re.compile(r"(\d{2,4})(?:-(\d{2,4}))?")
_COMPONENT = re.compile(
    r"(?P<open>\[)?(?P<type>[NXYZ])(?P<variable>\.\.)?(?P<length>[1-9]\d*)(?P<close>\])?"
    r"(?P<linters>(?:,[a-z0-9]+)*)"
)
_PATTERN = re.compile(r"\d[\dn]{1,3}")
_RELEASE = re.compile(r"#\s*Release:\s*(\S+)")


class _LineError(Exception):
    """A problem on one line; the parser adds the line number."""


def _components(tokens: list[str]) -> tuple[ComponentSpec, ...]:
    components: list[ComponentSpec] = []
    for token in tokens:
        match = _COMPONENT.fullmatch(token)
        if match is None or bool(match["open"]) != bool(match["close"]):
            raise _LineError(f"{token!r} is not a component like N6, X..20 or [N3],iso3166")
        length = int(match["length"])
        variable = bool(match["variable"])
        optional = bool(match["open"])
        if components and components[-1].variable:
            raise _LineError(f"{token!r} follows a variable-length component")
        if components and components[-1].optional and not optional:
            raise _LineError(f"mandatory {token!r} follows an optional component")
        components.append(
            ComponentSpec(
                CharacterSet(match["type"]),
                min_length=1 if variable else length,
                max_length=length,
                variable=variable,
                optional=optional,
                linters=tuple(filter(None, match["linters"].split(","))),
            )
        )
    if not components:
        raise _LineError("the entry has no components")
    return tuple(components)


def _patterns(key: str, text: str, separator: str = ",") -> tuple[str, ...]:
    patterns = tuple(text.split(separator))
    for pattern in patterns:
        if not _PATTERN.fullmatch(pattern):
            raise _LineError(f"{key}= has {pattern!r}, which is not an AI or pattern like 310n")
    return patterns


class _Attributes:
    def __init__(self) -> None:
        self.requires: list[Requirement] = []
        self.excludes: list[str] = []
        self.dl_primary_key = False
        self.dl_qualifiers: tuple[tuple[str, ...], ...] = ()

    def add(self, token: str) -> None:
        key, equals, value = token.partition("=")
        if key == "req" and value:
            groups = tuple(_patterns(key, group, "+") for group in value.split(","))
            self.requires.append(groups)
        elif key == "ex" and value:
            self.excludes.extend(_patterns(key, value))
        elif key == "dlpkey" and not self.dl_primary_key:
            self.dl_primary_key = True
            if equals:
                self.dl_qualifiers = tuple(_patterns(key, seq) for seq in value.split("|"))
        else:
            raise _LineError(f"unknown or repeated attribute {token!r}")


def _is_component(token: str) -> bool:
    # Components start with their type or "[", attributes with a lower-case key.
    return token[0] in "[NXYZ"


def _entry(line: str, number: int) -> AiSpec:
    body, hash_sign, title = line.partition("#")
    tokens = body.split()
    match = _AI_RANGE.fullmatch(tokens[0])
    if match is None:
        raise _LineError(f"{tokens[0]!r} is not an AI or a range of AIs like 3100-3105")
    first, last = match[1], match[2] or match[1]
    if len(first) != len(last) or first > last:
        raise _LineError(f"{tokens[0]!r} is not a range of AIs of one length")
    rest = tokens[1:]
    flags = ""
    if rest and all(char in _FLAG_CHARACTERS for char in rest[0]):
        flags, rest = rest[0], rest[1:]
    count = next((i for i, token in enumerate(rest) if not _is_component(token)), len(rest))
    components = _components(rest[:count])
    attributes = _Attributes()
    for token in rest[count:]:
        attributes.add(token)
    spec = AiSpec(
        first,
        last,
        flags,
        components,
        requires=tuple(attributes.requires),
        excludes=tuple(attributes.excludes),
        dl_primary_key=attributes.dl_primary_key,
        dl_qualifiers=attributes.dl_qualifiers,
        title=title.strip() if hash_sign else "",
        line=number,
    )
    if spec.predefined_length and spec.lengths() != ((spec.max_length, spec.max_length),):
        raise _LineError("a predefined-length (*) AI must have fixed-length components only")
    return spec


@attrs.frozen
class SyntaxDictionary:
    r"""A parsed GS1 Barcode Syntax Dictionary.

    Use :func:`syntax_dictionary` for the copy ruralseller ships; :meth:`parse` reads any
    text in the same format (a newer release, say).

    Attributes:
        entries: every entry, in file order.
        release: the release named in the file header (``"UNSET"`` when not set).

    Example:
        >>> dictionary = SyntaxDictionary.parse(
        ...     "01  *?  N14,csum,gcppos2  dlpkey=22,10,21|235  # GTIN\n"
        ...     "10   ?  X..20  req=01  # BATCH/LOT\n"
        ... )
        >>> len(dictionary), dictionary.spec("10").title
        (2, 'BATCH/LOT')
        >>> "21" in dictionary
        False
    """

    entries: tuple[AiSpec, ...]
    release: str = ""
    _by_ai: dict[str, AiSpec] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_ai: dict[str, AiSpec] = {}
        for entry in self.entries:
            for ai in entry.ais:
                if ai in by_ai:
                    raise InvalidValueError(
                        f"AI ({ai}) is in the syntax dictionary twice, on lines "
                        f"{by_ai[ai].line} and {entry.line}"
                    )
                by_ai[ai] = entry
        object.__setattr__(self, "_by_ai", by_ai)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read the text of a syntax dictionary file.

        Raises:
            InvalidValueError: on a line that does not follow the dictionary's syntax,
                naming the line; or when an AI is described twice.
        """
        entries: list[AiSpec] = []
        release = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line.startswith("#"):
                found = _RELEASE.match(line)
                release = found[1] if found and not release else release
                continue
            if not line:
                continue
            try:
                entries.append(_entry(line, number))
            except _LineError as error:
                raise InvalidValueError(
                    f"GS1 syntax dictionary line {number}: {error} in {raw!r}",
                    hint="the file must follow the syntax described in its own header",
                ) from None
        return cls(tuple(entries), release)

    def spec(self, ai: str) -> AiSpec:
        """The entry that covers ``ai``.

        Raises:
            IdentifierError: if no entry covers it, naming the AI.
        """
        if not isinstance(ai, str):
            raise IdentifierError(
                f"an AI must be text such as '01', not {type(ai).__name__} {ai!r}"
            )
        found = self._by_ai.get(ai)
        if found is None:
            raise IdentifierError(
                f"AI ({ai}) is not in the GS1 Barcode Syntax Dictionary; an AI is 2 to 4 "
                "digits, such as 01 (GTIN) or 10 (BATCH/LOT): check it against the GS1 "
                "General Specifications"
            )
        return found

    def ai_at(self, data: str, position: int = 0) -> str | None:
        """The AI that starts ``data`` at ``position``, or None if no AI does.

        No AI is the start of another (the dictionary is built that way), so there is at
        most one.
        """
        for width in (2, 3, 4):
            candidate = data[position : position + width]
            if len(candidate) == width and candidate in self._by_ai:
                return candidate
        return None

    @property
    def ais(self) -> tuple[str, ...]:
        """Every AI in the dictionary, ranges expanded, in file order."""
        return tuple(self._by_ai)

    def __contains__(self, ai: object) -> bool:
        return ai in self._by_ai

    def __iter__(self) -> Iterator[AiSpec]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


@cache
def syntax_dictionary() -> SyntaxDictionary:
    """The syntax dictionary ruralseller ships, read on first use and kept.

    Example:
        >>> syntax_dictionary().spec("01").title
        'GTIN'
    """
    path = resources.files("ruralseller.catalog") / "data" / _FILE
    return SyntaxDictionary.parse(path.read_text(encoding="utf-8"))


def ai_spec(ai: str) -> AiSpec:
    """The dictionary entry for ``ai``: its format, flags, associations and title.

    Raises:
        IdentifierError: if ``ai`` is not in the dictionary, naming it.

    Example:
        >>> ai_spec("10").format, ai_spec("10").requires
        ('X..20', ((('01',), ('02',), ('03',), ('8006',), ('8026',)),))
        >>> ai_spec("23")
        Traceback (most recent call last):
        ...
        ruralseller.errors.IdentifierError: AI (23) is not in the GS1 Barcode Syntax ...
    """
    return syntax_dictionary().spec(ai)


# --- linters -----------------------------------------------------------------------------


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


# A linter looks at one component and returns what is wrong with it, or None.
_Linter = Callable[[str, dt.date], str | None]


def _gs1_check_digit(digits: str) -> int:
    # GS1 General Specifications §7.9.1: weight the digits 3, 1, 3, 1, ... from the right,
    # add them up, and the check digit takes the sum to the next multiple of ten.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def _is_digits(text: str) -> bool:
    # str.isdigit() also accepts other scripts' digits (e.g. '٣'); GS1 data is ASCII.
    return text.isascii() and text.isdigit()


def _csum(data: str, _today: dt.date) -> str | None:
    expected = _gs1_check_digit(data[:-1])
    if data[-1] != str(expected):
        return f"ends in check digit {data[-1]}, but it should be {expected}"
    return None


# gs1-syntax-engine lint_gcppos1.c: the shortest GS1 Company Prefix is four digits; with no
# register of prefixes to hand, that is all that can be checked.
_GCP_MIN_LENGTH = 4


def _gcp(offset: int) -> _Linter:
    def lint(data: str, _today: dt.date) -> str | None:
        prefix = data[offset : offset + _GCP_MIN_LENGTH]
        if len(prefix) < _GCP_MIN_LENGTH or not _is_digits(prefix):
            where = "" if offset == 0 else f" from its character {offset + 1}"
            return f"does not start with a GS1 Company Prefix{where} (at least 4 digits)"
        return None

    return lint


def _expand_year(yy: int, today: dt.date) -> int:
    # GS1 General Specifications §7.12: a two-digit year lies between 49 years before and
    # 50 years after the current year.
    century = today.year - today.year % 100
    difference = yy - today.year % 100
    if 51 <= difference <= 99:
        return century - 100 + yy
    if -99 <= difference <= -50:
        return century + 100 + yy
    return century + yy


def _date_problem(year: int, month: int, day: int, *, day_zero: bool) -> str | None:
    if not 1 <= month <= 12:
        return f"has month {month:02d}; use 01-12"
    last = calendar.monthrange(year, month)[1]
    if day == 0 and day_zero:
        return None
    if day == 0:
        return f"has day 00; give the day of the month, 01-{last}"
    if day > last:
        return f"has day {day:02d}, but {year}-{month:02d} has {last} days"
    return None


def _yymmdd(*, day_zero: bool) -> _Linter:
    def lint(data: str, today: dt.date) -> str | None:
        year = _expand_year(int(data[:2]), today)
        return _date_problem(year, int(data[2:4]), int(data[4:6]), day_zero=day_zero)

    return lint


def _yyyymmdd(data: str, _today: dt.date) -> str | None:
    return _date_problem(int(data[:4]), int(data[4:6]), int(data[6:8]), day_zero=False)


def _clock(what: str, high: int) -> _Linter:
    def lint(data: str, _today: dt.date) -> str | None:
        if int(data[:2]) > high:
            return f"has {what} {data[:2]}; use 00-{high}"
        return None

    return lint


_hour = _clock("hour", 23)
_minute = _clock("minute", 59)


def _hhmi(data: str, today: dt.date) -> str | None:
    return _hour(data[:2], today) or _minute(data[2:4], today)


def _one_of(allowed: dict[str, str]) -> _Linter:
    words = _or_list([f"{code!r} ({meaning})" for code, meaning in allowed.items()])

    def lint(data: str, _today: dt.date) -> str | None:
        return None if data in allowed else f"must be {words}"

    return lint


def _nonzero(data: str, _today: dt.date) -> str | None:
    return "must not be zero" if not data.strip("0") else None


def _nozeroprefix(data: str, _today: dt.date) -> str | None:
    return "must not start with 0" if data.startswith("0") else None


def _hasnondigit(data: str, _today: dt.date) -> str | None:
    return "must have at least one character that is not a digit" if _is_digits(data) else None


def _pieceoftotal(data: str, _today: dt.date) -> str | None:
    half = len(data) // 2
    piece, total = data[:half], data[half:]
    if len(data) % 2 or not _is_digits(data) or int(piece) == 0 or int(total) == 0:
        return "must be a piece number and a total count of equal width, neither zero"
    if int(piece) > int(total):
        return f"has piece {int(piece)} of only {int(total)}"
    return None


def _posinseqslash(data: str, _today: dt.date) -> str | None:
    position, slash, end = data.partition("/")
    if not slash or not _is_digits(position) or not _is_digits(end):
        return "must be a position and an end, like 1/3"
    if position.startswith("0") or end.startswith("0"):
        return "must not have a zero or a leading 0 in its numbers"
    if int(position) > int(end):
        return f"has position {position} after the end {end}"
    return None


def _coordinate(what: str, high: int) -> _Linter:
    def lint(data: str, _today: dt.date) -> str | None:
        return f"is not a {what}: above {high}" if int(data) > high else None

    return lint


_PERCENT_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _pcenc(data: str, _today: dt.date) -> str | None:
    bad = _PERCENT_ESCAPE.search(data)
    if bad is not None:
        return f"has a '%' at position {bad.start() + 1} not followed by two hex digits"
    return None


def _iso3166(*, extra: frozenset[str] = frozenset()) -> _Linter:
    allowed = _ISO3166_NUMERIC | extra
    also = " or 999 (several or unknown)" if extra else ""

    def lint(data: str, _today: dt.date) -> str | None:
        if data not in allowed:
            return f"is not an ISO 3166-1 numeric country code{also}, e.g. 156 for China"
        return None

    return lint


# ISO 3166-1 numeric country codes accepted by the dictionary's iso3166 linter. The
# dictionary does not carry them; this is gs1-syntax-engine src/c-lib/syntax/lint_iso3166.c
# at commit 0a90d4a.
_ISO3166_NUMERIC = frozenset(
    """
    004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060 064 068 070
    072 074 076 084 086 090 092 096 100 104 108 112 116 120 124 132 136 140 144 148 152 156
    158 162 166 170 174 175 178 180 184 188 191 192 196 203 204 208 212 214 218 222 226 231
    232 233 234 238 239 242 246 248 250 254 258 260 262 266 268 270 275 276 288 292 296 300
    304 308 312 316 320 324 328 332 334 336 340 344 348 352 356 360 364 368 372 376 380 384
    388 392 398 400 404 408 410 414 417 418 422 426 428 430 434 438 440 442 446 450 454 458
    462 466 470 474 478 480 484 492 496 498 499 500 504 508 512 516 520 524 528 531 533 534
    535 540 548 554 558 562 566 570 574 578 580 581 583 584 585 586 591 598 600 604 608 612
    616 620 624 626 630 634 638 642 643 646 652 654 659 660 662 663 666 670 674 678 682 686
    688 690 694 702 703 704 705 706 710 716 724 728 729 732 740 744 748 752 756 760 762 764
    768 772 776 780 784 788 792 795 796 798 800 804 807 818 826 831 832 833 834 840 850 854
    858 860 862 876 882 887 894
    """.split()  # noqa: SIM905 - kept as text, like the C table it is copied from
)

# The linters validate_ai_value applies, named as in the dictionary. Each follows the
# reference implementation of the same name in gs1-syntax-engine src/c-lib/syntax/.
_LINTERS: dict[str, _Linter] = {
    "csum": _csum,
    "gcppos1": _gcp(0),
    "gcppos2": _gcp(1),
    "yymmd0": _yymmdd(day_zero=True),
    "yymmdd": _yymmdd(day_zero=False),
    "yyyymmdd": _yyyymmdd,
    "hh": _hour,
    "mi": _minute,
    "ss": _clock("second", 59),
    "hhmi": _hhmi,
    "iso3166": _iso3166(),
    "iso3166999": _iso3166(extra=frozenset({"999"})),
    "zero": _one_of({"0": "zero"}),
    "nonzero": _nonzero,
    "yesno": _one_of({"0": "no", "1": "yes"}),
    "winding": _one_of({"0": "face in", "1": "face out", "9": "undefined"}),
    "hyphen": _one_of({"-": "negative"}),
    "iso5218": _one_of({"0": "not known", "1": "male", "2": "female", "9": "not applicable"}),
    "pieceoftotal": _pieceoftotal,
    "nozeroprefix": _nozeroprefix,
    "hasnondigit": _hasnondigit,
    "posinseqslash": _posinseqslash,
    "latitude": _coordinate("latitude", 1_800_000_000),
    "longitude": _coordinate("longitude", 3_600_000_000),
    "pcenc": _pcenc,
}

IMPLEMENTED_LINTERS: frozenset[str] = frozenset(_LINTERS)
"""The linters :func:`validate_ai_value` applies.

The others the dictionary names (``csumalpha``, ``iso4217``, ``iso3166alpha2``, ``iban``,
``mediatype``, ``importeridx``, ``packagetype``, ``couponcode``, ``couponposoffer``) need
tables ruralseller does not carry; a value is checked for its length and characters only
there.
"""


# --- validating values -------------------------------------------------------------------


def _name(ai: str, spec: AiSpec) -> str:
    return f"AI ({ai}) {spec.title}" if spec.title else f"AI ({ai})"


def _describe_lengths(ranges: tuple[tuple[int, int], ...]) -> str:
    return _or_list([f"{low}" if low == high else f"{low} to {high}" for low, high in ranges])


def validate_ai_value(ai: str, value: str, *, today: dt.date | None = None) -> None:
    """Check one AI's data against the dictionary: length, characters and linters.

    The linters in :data:`IMPLEMENTED_LINTERS` are applied; see there for the others.

    Args:
        ai: the AI, such as ``"17"``.
        value: its data, without the AI.
        today: the date the GS1 century rule counts from when a date has a two-digit
            year (it decides whether 00 is a leap year); defaults to today (UTC).

    Raises:
        IdentifierError: if the AI is unknown or the value does not fit, saying where.

    Example:
        >>> validate_ai_value("01", "09506000134352")
        >>> validate_ai_value("01", "09506000134353")
        Traceback (most recent call last):
        ...
        ruralseller.errors.IdentifierError: AI (01) GTIN: '09506000134353' ends in check digit 3, but it should be 2
        >>> validate_ai_value("7003", "2612312561")
        Traceback (most recent call last):
        ...
        ruralseller.errors.IdentifierError: AI (7003) EXPIRY TIME: '2612312561' part '2561' at position 7 has hour 25; use 00-23
    """  # noqa: E501 - doctest output is one line
    spec = ai_spec(ai)
    name = _name(ai, spec)
    if not isinstance(value, str):
        raise IdentifierError(f"{name} data must be text, not {type(value).__name__} {value!r}")
    ranges = spec.lengths()
    if not any(low <= len(value) <= high for low, high in ranges):
        raise IdentifierError(
            f"{name}: {value!r} has {len(value)} characters; it takes "
            f"{_describe_lengths(ranges)} ({spec.format})"
        )
    when = today if today is not None else dt.datetime.now(tz=dt.UTC).date()
    position = 0
    for component in spec.components:
        if position == len(value):
            break  # the rest is optional: lengths() made sure of it
        part = value[position : position + component.max_length]
        bad = _first_bad_character(component.charset, part)
        if bad is not None:
            raise IdentifierError(
                f"{name}: {value!r} has {part[bad]!r} at position {position + bad + 1}; "
                f"{component.charset.hint}"
            )
        for linter in component.linters:
            check = _LINTERS.get(linter)
            problem = check(part, when) if check is not None else None
            if problem is not None:
                where = "" if part == value else f" part {part!r} at position {position + 1}"
                raise IdentifierError(f"{name}: {value!r}{where} {problem}")
        position += len(part)


# --- associations ------------------------------------------------------------------------


def _matches(pattern: str, ai: str) -> bool:
    return len(pattern) == len(ai) and all(p in {c, "n"} for p, c in zip(pattern, ai, strict=True))


def _present(pattern: str, ais: Iterable[str]) -> bool:
    return any(_matches(pattern, ai) for ai in ais)


def _unmet_requirements(ai: str, spec: AiSpec, present: tuple[str, ...]) -> list[str]:
    problems = []
    for requirement in spec.requires:
        if any(all(_present(p, present) for p in group) for group in requirement):
            continue
        options = ["+".join(f"({pattern})" for pattern in group) for group in requirement]
        raw = ",".join("+".join(group) for group in requirement)
        problems.append(
            f"{_name(ai, spec)} needs {_or_list(options)} with it; add "
            f"{'it' if len(options) == 1 else 'one of them'} (dictionary: {spec.label} "
            f"req={raw})"
        )
    return problems


def check_associations(ais: Iterable[str]) -> None:
    """Check that the AIs on one item go together: every ``req=`` met, no ``ex=`` broken.

    The dictionary asks for these checks over all the AIs marked on a physical item, from
    every barcode on it. An AI that appears more than once is not in conflict with itself.

    Args:
        ais: the AIs present, such as ``["01", "10", "3103"]``.

    Raises:
        IdentifierError: listing every unmet requirement and every forbidden pair at once,
            one per line, or naming an AI that is not in the dictionary.

    Example:
        >>> check_associations(["01", "10", "3103"])
        >>> check_associations(["01", "3102", "3103"])
        Traceback (most recent call last):
        ...
        ruralseller.errors.IdentifierError: AI (3102) NET WEIGHT (kg) and (3103) cannot be used together (dictionary: 3100-3105 ex=310n); keep one
    """  # noqa: E501 - doctest output is one line
    present = tuple(dict.fromkeys(ais))
    specs = {ai: ai_spec(ai) for ai in present}
    problems = [p for ai, spec in specs.items() for p in _unmet_requirements(ai, spec, present)]
    reported: set[frozenset[str]] = set()
    for ai, spec in specs.items():
        for pattern, other in ((p, o) for p in spec.excludes for o in present):
            pair = frozenset({ai, other})
            if other == ai or pair in reported or not _matches(pattern, other):
                continue
            reported.add(pair)
            problems.append(
                f"{_name(ai, spec)} and ({other}) cannot be used together (dictionary: "
                f"{spec.label} ex={pattern}); keep one"
            )
    if len(problems) == 1:
        raise IdentifierError(problems[0])
    if problems:
        head = f"{len(problems)} problems with AIs {', '.join(f'({ai})' for ai in present)}:"
        raise IdentifierError("\n".join([head, *(f"  - {problem}" for problem in problems)]))


# --- raw barcode data --------------------------------------------------------------------

# ISO/IEC 15424 symbology identifiers a scanner may put in front of GS1 data: GS1-128,
# GS1 DataBar, GS1 DataMatrix, GS1 QR Code and GS1 DotCode (GS1 General Specifications
# §5.1.2 and the symbol specifications).
_GS1_SYMBOLOGIES = {
    "]C1": "GS1-128",
    "]e0": "GS1 DataBar",
    "]d2": "GS1 DataMatrix",
    "]Q3": "GS1 QR Code",
    "]J1": "GS1 DotCode",
}


def _without_symbology(text: str) -> str:
    if not text.startswith("]"):
        return text
    symbology = text[:3]
    if symbology not in _GS1_SYMBOLOGIES:
        known = ", ".join(f"{code} {name}" for code, name in _GS1_SYMBOLOGIES.items())
        raise IdentifierError(
            f"barcode data {text!r} starts with symbology identifier {symbology!r}, which "
            f"is not a GS1 symbol, so the data is not GS1 AIs; GS1 symbols are {known}"
        )
    return text[3:]


def _field_end(text: str, data: str, ai: str, start: int, separator: str) -> int:
    """Where the data of ``ai``, starting at ``start``, ends."""
    spec = ai_spec(ai)
    if spec.predefined_length:
        value = data[start : start + spec.max_length]
        cut = value.find(separator)
        if cut >= 0 or len(value) < spec.max_length:
            value = value[:cut] if cut >= 0 else value
            raise IdentifierError(
                f"{_name(ai, spec)} in barcode data {text!r} has {len(value)} characters, "
                f"{value!r}; it takes {spec.max_length} ({spec.format})"
            )
        return start + spec.max_length
    end = data.find(separator, start)
    end = len(data) if end < 0 else end
    value = data[start:end]
    if not value:
        raise IdentifierError(f"{_name(ai, spec)} in barcode data {text!r} has no data after it")
    if len(value) > spec.max_length:
        raise IdentifierError(
            f"{_name(ai, spec)} in barcode data {text!r} runs to {value!r}, {len(value)} "
            f"characters, but takes at most {spec.max_length} ({spec.format}); a separator "
            "is probably missing after it"
        )
    return end


def split_barcode_data(text: str, *, separator: str = "\x1d") -> tuple[tuple[str, str], ...]:
    r"""Cut what a scanner returns for a GS1 barcode into (AI, value) pairs.

    A leading symbology identifier (``]C1``, ``]e0``, ``]d2``, ``]Q3``, ``]J1``) is
    dropped. Predefined-length AIs (flag ``*``) take their fixed length; every other AI
    runs to the next ``separator`` (which stands for FNC1) or the end. A separator after a
    predefined-length AI, at the very start or at the very end is tolerated. The values
    are not checked beyond what cutting needs: use :func:`validate_ai_value` and
    :func:`check_associations` for that.

    Args:
        text: the scanned data.
        separator: what stands for FNC1 between fields: GS (ASCII 29) by default;
            some scanners and encoders use ``"^"`` or ``"{FNC1}"``.

    Raises:
        IdentifierError: when the data is empty, is not GS1 data, starts a field with
            digits that are no AI, or a field is too short, too long or empty.

    Example:
        >>> split_barcode_data("]d2" "0109506000134352" "3103001250" "10A1^" "422156",
        ...                    separator="^")
        (('01', '09506000134352'), ('3103', '001250'), ('10', 'A1'), ('422', '156'))
    """
    if not isinstance(text, str):
        raise IdentifierError(f"barcode data must be text, not {type(text).__name__} {text!r}")
    if not isinstance(separator, str) or not separator:
        raise IdentifierError(
            "the separator must be text of at least one character, such as '\\x1d', "
            f"not {separator!r}"
        )
    data = _without_symbology(text)
    if not data.replace(separator, ""):
        raise IdentifierError(f"barcode data {text!r} is empty; scan the barcode again")
    offset = len(text) - len(data)
    dictionary = syntax_dictionary()
    pairs: list[tuple[str, str]] = []
    position = 0
    separator_allowed = True  # at the start, and after a predefined-length AI
    while position < len(data):
        if data.startswith(separator, position):
            if not separator_allowed:
                raise IdentifierError(
                    f"barcode data {text!r} has two separators in a row at position "
                    f"{offset + position + 1}; an AI and its data must come between them"
                )
            position += len(separator)
            separator_allowed = False
            continue
        ai = dictionary.ai_at(data, position)
        if ai is None:
            raise IdentifierError(
                f"barcode data {text!r} has {data[position : position + 4]!r} at position "
                f"{offset + position + 1} where an AI was expected, and no AI in the GS1 "
                "syntax dictionary starts so; check for a missing separator before it"
            )
        start = position + len(ai)
        end = _field_end(text, data, ai, start, separator)
        pairs.append((ai, data[start:end]))
        separator_allowed = dictionary.spec(ai).predefined_length
        # A variable-length field's separator is consumed with it.
        position = end if separator_allowed or end == len(data) else end + len(separator)
    return tuple(pairs)
