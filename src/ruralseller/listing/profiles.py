"""What each marketplace accepts in a listing, and the check of a draft against it.

A :class:`MarketplaceProfile` is data, not code: the title limit and how the platform
counts it (characters, or bytes in an encoding: Taobao counts GBK bytes, where a Chinese
character takes 2 and a Latin letter 1), the description limits, bullet points, the
attributes it needs, the locales and currencies it sells in, its picture spec
(:class:`~ruralseller.listing.images.ImageSpec`), tags, and the characters a title may not
hold. Platforms change these rules, so each profile says in ``source`` where every number
comes from and whether it was checked; ``unverified`` names the limits that were not. A
number we could not find is a conservative guess and is marked unverified too.

:func:`validate_draft` checks a :class:`~ruralseller.listing.ListingDraft` against a profile
and reports every problem at once, each as a :class:`ListingIssue` with the field, what is
wrong, and a concrete fix (for a long title: how much to cut, and a shorter title that fits).

Example:
    >>> taobao, ebay = get_profile("taobao"), get_profile("ebay")
    >>> title = "泰和乌鸡 整只 冰鲜"
    >>> title_length(title, taobao), title_length(title, ebay)
    (18, 10)
    >>> taobao.title_max, taobao.title_unit, ebay.title_max, ebay.title_unit
    (60, 'bytes', 80, 'characters')
    >>> long = "泰和乌鸡 整只 冰鲜 1-1.4 kg/只 江西泰和 散养 一年以上 顺丰冷链 包邮"
    >>> title_length(long, taobao), shorten_title(long, taobao)
    (67, '泰和乌鸡 整只 冰鲜 1-1.4 kg/只 江西泰和 散养 一年以上')
"""

from __future__ import annotations

import codecs
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from ruralseller.catalog.checks import frozen_tuple, identifier, not_negative, positive
from ruralseller.errors import InvalidValueError
from ruralseller.listing.draft import ListingDraft, LocalizedText
from ruralseller.listing.food_policy import FOOD_POLICIES, FoodRule, check_food_policy
from ruralseller.listing.images import ImageSpec

__all__ = [
    "LIMITS",
    "PROFILES",
    "CharacterRule",
    "IssueSeverity",
    "ListingIssue",
    "MarketplaceProfile",
    "get_profile",
    "shorten_title",
    "title_length",
    "validate_draft",
]

LIMITS: Final = (
    "title",
    "title_characters",
    "description",
    "description_html",
    "bullets",
    "required_attributes",
    "locales",
    "currencies",
    "image_count",
    "image_spec",
    "tags",
    "stock",
)
"""The names of a profile's limits, as :attr:`MarketplaceProfile.unverified` lists them."""

# What a character outside the title encoding takes: GB18030, the superset of GBK that
# covers all of Unicode, writes such characters in 4 bytes; counting them so never undercounts.
_UNENCODABLE_BYTES: Final = 4
# Where a title may be cut into parts: spaces and the separators titles use in Chinese and
# English (comma, ideographic comma, semicolon, bar, slash, middle dot).
_BREAK: Final = re.compile(r"[\s,，、;；|/·・]+")
# What is left dangling at the end of a cut title.
_DANGLING: Final = " \t,，、;；|/·・-–—:：(（[【"
_DANGLING_RUN: Final = re.compile(f"[{re.escape(_DANGLING)}]*")
# Where a run of break characters starts (the start of a _BREAK match in a full scan).
_BREAK_START: Final = re.compile(
    f"(?<!{_BREAK.pattern.removesuffix('+')}){_BREAK.pattern.removesuffix('+')}"
)
_UNICODE_CATEGORIES: Final = frozenset(
    {
        *("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No"),
        *("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"),
        *("Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"),
        *("L", "M", "N", "P", "S", "Z", "C"),
    }
)
# How a seller gets each attribute into a draft, for the fix of a missing one.
_ATTRIBUTE_HINTS: Final = {
    "net_weight": "net_weight (give the lot's piece mass or quantity)",
    "storage": "storage (give the product's storage class)",
    "origin": "origin (give the producer's place)",
    "shelf_life": "shelf_life (give the product's shelf-life basis)",
    "breed": "breed (give the product's breed)",
    "production_date": "production_date (give the lot's production date)",
}


# --- issues --------------------------------------------------------------------------------


class IssueSeverity(enum.Enum):
    """How much a listing issue matters."""

    ERROR = "error"
    """The marketplace would refuse the listing, or it must not be listed: fix it first."""
    WARNING = "warning"
    """It can be published, but probably should not be as it is: check it."""


@attrs.frozen
class ListingIssue:
    """One problem of a listing draft for one marketplace: where, what, and how to fix it.

    Attributes:
        field: the path of the field at fault, e.g. ``texts[zh-CN].title`` or ``images``.
        message: what is wrong, with the numbers.
        fix: what to do, concretely (for a long title: how much to cut, and a title that fits).
        severity: :attr:`IssueSeverity.ERROR` or :attr:`IssueSeverity.WARNING`.

    Example:
        >>> issue = ListingIssue("stock", "stock is 0", "add stock", IssueSeverity.WARNING)
        >>> print(issue)
        warning: stock: stock is 0
            fix: add stock
    """

    field: str
    message: str
    fix: str
    severity: IssueSeverity = IssueSeverity.ERROR

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.field}: {self.message}\n    fix: {self.fix}"


# --- profiles ------------------------------------------------------------------------------


def _check_categories(
    _instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    unknown = [item for item in value if item not in _UNICODE_CATEGORIES]
    if unknown:
        raise InvalidValueError(
            f"{', '.join(map(repr, unknown))} is not a Unicode general category",
            field=attribute.name,
            hint="use categories such as 'L' (letters), 'Nd' (digits), 'P' (punctuation), "
            "'Sm' (maths symbols) or 'Zs' (spaces)",
        )


@attrs.frozen(kw_only=True)
class CharacterRule:
    """Which characters a platform takes in a title.

    Attributes:
        categories: the Unicode general categories allowed (``"L"`` for every letter,
            ``"Nd"`` for decimal digits...); empty allows every category.
        extra: characters allowed besides those categories, e.g. ``"™©®"``.
        banned: characters never allowed, whatever their category.
        at_most_once: characters allowed, but only once in a title.

    Example:
        >>> rule = CharacterRule(categories=("L", "Zs"), at_most_once="&")
        >>> rule.not_allowed("eggs ★ & ham & jam")
        ('★',)
        >>> rule.repeated("eggs ★ & ham & jam")
        ('&',)
        >>> rule.clean("eggs ★ & ham & jam")
        'eggs & ham jam'
    """

    categories: tuple[str, ...] = attrs.field(
        default=(), converter=frozen_tuple, validator=_check_categories
    )
    extra: str = ""
    banned: str = ""
    at_most_once: str = ""

    def allows(self, char: str) -> bool:
        """Whether ``char`` may appear in a title (once, at least)."""
        if char in self.banned:
            return False
        if not self.categories or char in self.extra or char in self.at_most_once:
            return True
        category = unicodedata.category(char)
        return any(category.startswith(allowed) for allowed in self.categories)

    def not_allowed(self, text: str) -> tuple[str, ...]:
        """The characters of ``text`` that are not allowed, each once, in order."""
        return tuple(dict.fromkeys(char for char in text if not self.allows(char)))

    def repeated(self, text: str) -> tuple[str, ...]:
        """The characters allowed only once that ``text`` has more than once."""
        return tuple(char for char in self.at_most_once if text.count(char) > 1)

    def clean(self, text: str) -> str:
        """``text`` without the characters not allowed and without repeats of the once-only."""
        seen: set[str] = set()
        kept: list[str] = []
        for char in text:
            if not self.allows(char):
                continue
            if char in self.at_most_once:
                if char in seen:
                    continue
                seen.add(char)
            kept.append(char)
        return re.sub(r"[ \t]{2,}", " ", "".join(kept)).strip()


def _locales(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(item.replace("_", "-") for item in value)


def _currencies(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(item.upper() for item in value)


def _names(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _check_encoding(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    try:
        codecs.lookup(str(value))
    except LookupError:
        raise InvalidValueError(
            f"unknown text encoding {value!r}",
            field=attribute.name,
            hint="use a Python codec name such as 'gbk' or 'utf-8', or None to count characters",
        ) from None


def _check_unverified(
    _instance: object, attribute: attrs.Attribute[Any], value: frozenset[str]
) -> None:
    unknown = sorted(value - set(LIMITS))
    if unknown:
        raise InvalidValueError(
            f"unknown limit name {', '.join(map(repr, unknown))}",
            field=attribute.name,
            hint=f"name limits from {', '.join(LIMITS)}",
        )


@attrs.frozen(kw_only=True)
class MarketplaceProfile:
    """What one marketplace accepts in a listing.

    Attributes:
        name: the marketplace's name in ruralseller, e.g. ``taobao``.
        title_max: the longest title, in characters or (with ``title_encoding``) bytes.
        title_min: the shortest title, counted the same way.
        title_encoding: ``None`` when the platform counts characters (Unicode code
            points); else the encoding whose bytes it counts (``"gbk"`` for Taobao).
        title_characters: which characters a title may hold, if the platform says.
        description_max: the longest plain-text description, in characters.
        description_html_max: the longest HTML description, in characters with markup;
            ``None`` when the platform takes plain text only.
        bullets_max: the most bullet points; ``None`` when the platform has no bullet
            field (adapters then fold the bullets into the description).
        bullet_max_length: the longest bullet point, in characters, if limited.
        required_attributes: the attribute keys a listing must have (``net_weight``...).
        locales: the locales the platform sells in (``en`` takes ``en-GB`` too);
            ``None`` for any.
        currencies: the ISO 4217 currencies it prices in; ``None`` for any (the shop's).
        images: the picture spec, with the fewest and most pictures.
        max_tags: the most search tags, if the platform has tags.
        tag_max_length: the longest tag, in characters.
        requires_stock: whether a listing with no stock is refused (else it only warns).
        food_policy: the marketplace's food rules (:mod:`ruralseller.listing.food_policy`),
            each with its source and status; a verified prohibition blocks the listing.
        source: where each number comes from, and which ones were verified.
        unverified: the limits (names from :data:`LIMITS`) whose numbers were not checked
            against the platform's own documents or specs.

    Example:
        >>> etsy = get_profile("etsy")
        >>> etsy.title_max, etsy.max_tags, etsy.images.max_count, etsy.accepts_locale("en-GB")
        (140, 13, 10, True)
        >>> sorted(etsy.unverified)[:3]
        ['currencies', 'description', 'image_spec']
    """

    name: str = attrs.field(validator=identifier)
    title_max: int = attrs.field(validator=positive)
    title_min: int = attrs.field(default=1, validator=not_negative)
    title_encoding: str | None = attrs.field(default=None, validator=_check_encoding)
    title_characters: CharacterRule | None = None
    description_max: int = attrs.field(validator=positive)
    description_html_max: int | None = attrs.field(default=None, validator=positive)
    bullets_max: int | None = attrs.field(default=None, validator=not_negative)
    bullet_max_length: int | None = attrs.field(default=None, validator=positive)
    required_attributes: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    locales: tuple[str, ...] | None = attrs.field(default=None, converter=_locales)
    currencies: tuple[str, ...] | None = attrs.field(default=None, converter=_currencies)
    images: ImageSpec
    max_tags: int | None = attrs.field(default=None, validator=not_negative)
    tag_max_length: int | None = attrs.field(default=None, validator=positive)
    requires_stock: bool = False
    food_policy: tuple[FoodRule, ...] = attrs.field(default=(), converter=frozen_tuple)
    source: str
    unverified: frozenset[str] = attrs.field(
        default=frozenset(), converter=_names, validator=_check_unverified
    )

    def __attrs_post_init__(self) -> None:
        if self.title_min > self.title_max:
            raise InvalidValueError(
                f"title_min {self.title_min} is over title_max {self.title_max}",
                field="title_min",
                hint="the shortest title must be at most the longest",
            )

    @property
    def title_unit(self) -> str:
        """What titles are counted in: ``characters`` or ``bytes``."""
        return "characters" if self.title_encoding is None else "bytes"

    @property
    def title_counting(self) -> str:
        """How the platform counts a title, in words."""
        if self.title_encoding is None:
            return "characters"
        encoding = self.title_encoding.upper()
        example = "何".encode(self.title_encoding, errors="replace")
        return f"bytes in {encoding} (a Chinese character is {len(example)}, a Latin letter 1)"

    def accepts_locale(self, locale: str) -> bool:
        """Whether the platform sells in ``locale``.

        An entry of :attr:`locales` without a region takes every region of its language
        (``en`` takes ``en-US``); one with a region takes only that region.
        """
        if self.locales is None:
            return True
        wanted = locale.replace("_", "-")
        language = wanted.split("-", maxsplit=1)[0]
        return any(
            entry.lower() == wanted.lower() or ("-" not in entry and entry == language)
            for entry in self.locales
        )

    def accepts_currency(self, currency: str) -> bool:
        """Whether the platform takes prices in ``currency``."""
        return self.currencies is None or currency.upper() in self.currencies

    def note(self, limit: str) -> str:
        """`` (unverified limit...)`` when ``limit`` is unverified, else nothing."""
        if limit in self.unverified:
            return f" (this {self.name} limit is unverified; see the profile's source)"
        return ""


# --- counting and shortening ---------------------------------------------------------------


def _encoded_length(text: str, encoding: str) -> int:
    try:
        return len(text.encode(encoding))
    except UnicodeEncodeError:
        total = 0
        for char in text:
            try:
                total += len(char.encode(encoding))
            except UnicodeEncodeError:
                total += _UNENCODABLE_BYTES
        return total


def title_length(text: str, profile: MarketplaceProfile) -> int:
    """The length of a title as ``profile``'s platform counts it.

    Characters (Unicode code points) for most platforms; bytes in the platform's encoding
    when it has one: in GBK (Taobao) a Chinese character is 2 bytes, a Latin letter, digit
    or space 1. A character the encoding cannot write counts 4 bytes, as GB18030 writes it.

    Example:
        >>> taobao, ebay = get_profile("taobao"), get_profile("ebay")
        >>> title_length("乌鸡 1kg", taobao), title_length("乌鸡 1kg", ebay)
        (8, 6)
    """
    if profile.title_encoding is None:
        return len(text)
    return _encoded_length(text, profile.title_encoding)


def _fits(text: str, profile: MarketplaceProfile) -> bool:
    return title_length(text, profile) <= profile.title_max


def shorten_title(title: str, profile: MarketplaceProfile) -> str:
    """``title`` cut to fit ``profile``'s limit, dropping whole trailing parts.

    Parts are separated by spaces, commas (``,`` ``，`` ``、``), semicolons, ``|``, ``/``
    and middle dots. Trailing parts are dropped until the title fits; when even the first
    part is too long, characters are cut from its end. The result is always a prefix of the
    title (without surrounding spaces) and always fits; a title that fits is returned as is.

    Example:
        >>> title = "Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi"
        >>> shorter = shorten_title(title, get_profile("mercadolibre"))
        >>> shorter, len(title), len(shorter)
        ('Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg', 76, 57)
        >>> one_part = "泰和乌鸡整只冰鲜散养一年以上江西泰和正宗土乌鸡顺丰冷链包邮坐月子炖汤"
        >>> shorten_title(one_part, get_profile("taobao"))
        '泰和乌鸡整只冰鲜散养一年以上江西泰和正宗土乌鸡顺丰冷链包邮坐'
    """
    title = title.strip()
    if _fits(title, profile):
        return title
    # Linear in the title's length (a cut used to measure every prefix again: 8 s for a
    # million characters). Every character counts at least 1, so no prefix longer than the
    # limit fits: only the head is measured, and past it only the run of dangling characters
    # that a cut would strip back into the head matters.
    limit = profile.title_max
    head = min(len(title), limit + 1)
    cost = _character_cost(title[:head], profile)
    fitting = [True]  # whether title[:i] fits, for i up to head
    total = 0
    for char in title[:head]:
        total += cost[char]
        fitting.append(total <= limit)
    stripped = [0]  # len(title[:i].rstrip(_DANGLING)), for i up to head
    for i, char in enumerate(title[:head], start=1):
        stripped.append(stripped[i - 1] if char in _DANGLING else i)
    run = _DANGLING_RUN.match(title, head)  # always matches: the run may be empty
    tail = run.end() if run else head  # title[head:tail] would all be stripped
    late = stripped[head]  # where a cut anywhere in title[head:tail + 1] ends
    if tail > head and _BREAK_START.search(title, head + 1, tail + 1) and late and fitting[late]:
        return title[:late]
    for match in reversed(list(_BREAK.finditer(title, 0, head + 1))):
        end = stripped[match.start()]
        if end and fitting[end]:
            return title[:end]
    end = min(len(title), tail)
    if end > head:
        if fitting[late]:
            return title[:late]
        end = head
    while end > 0 and not fitting[stripped[end]]:
        end -= 1
    return title[: stripped[end]]


def _character_cost(text: str, profile: MarketplaceProfile) -> dict[str, int]:
    """What each character of ``text`` counts towards ``profile``'s title limit."""
    encoding = profile.title_encoding
    chars = set(text)
    if encoding is None:
        return dict.fromkeys(chars, 1)
    return {char: _encoded_length(char, encoding) for char in chars}


# --- checking a draft ----------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _title_issues(where: str, title: str, profile: MarketplaceProfile) -> list[ListingIssue]:
    issues: list[ListingIssue] = []
    field = f"{where}.title"
    length = title_length(title, profile)
    unit = profile.title_unit
    counting = profile.title_counting
    if length > profile.title_max:
        shorter = shorten_title(title, profile)
        cut = length - profile.title_max
        issues.append(
            ListingIssue(
                field,
                f"the title is {length} {counting}; {profile.name} takes at most "
                f"{profile.title_max}{profile.note('title')}",
                f"cut {_plural(cut, unit.removesuffix('s'))}: {shorter!r} "
                f"({title_length(shorter, profile)} {unit})",
            )
        )
    elif length < profile.title_min:
        missing = profile.title_min - length
        issues.append(
            ListingIssue(
                field,
                f"the title is {length} {counting}; {profile.name} needs at least "
                f"{profile.title_min}{profile.note('title')}",
                f"add {_plural(missing, unit.removesuffix('s'))} or more: name the breed, "
                "the cut, the weight and where it comes from",
            )
        )
    rule = profile.title_characters
    if rule is not None:
        bad, repeated = rule.not_allowed(title), rule.repeated(title)
        problems = []
        if bad:
            problems.append(f"characters {profile.name} does not take: {' '.join(bad)}")
        if repeated:
            problems.append(f"more than one of: {' '.join(repeated)} (each only once)")
        if problems:
            issues.append(
                ListingIssue(
                    field,
                    f"the title has {'; and '.join(problems)}{profile.note('title_characters')}",
                    f"remove them: {rule.clean(title)!r}",
                )
            )
    return issues


def _description_issues(
    where: str, text: LocalizedText, profile: MarketplaceProfile
) -> list[ListingIssue]:
    issues: list[ListingIssue] = []
    checks = [("description", text.description, profile.description_max, "description")]
    if profile.description_html_max is not None:
        checks.append(
            ("description_html", text.description_html, profile.description_html_max, "HTML")
        )
    for name, value, limit, what in checks:
        if len(value) > limit:
            issues.append(
                ListingIssue(
                    f"{where}.{name}",
                    f"the {what} description is {len(value)} characters; {profile.name} takes at "
                    f"most {limit}{profile.note(name)}",
                    f"cut at least {_plural(len(value) - limit, 'character')}: shorten the "
                    "story or drop a paragraph, in the template",
                )
            )
    return issues


def _bullet_issues(
    where: str, text: LocalizedText, profile: MarketplaceProfile
) -> list[ListingIssue]:
    issues: list[ListingIssue] = []
    note = profile.note("bullets")
    if profile.bullets_max is not None and len(text.bullets) > profile.bullets_max:
        extra = len(text.bullets) - profile.bullets_max
        issues.append(
            ListingIssue(
                f"{where}.bullets",
                f"{_plural(len(text.bullets), 'bullet point')}; {profile.name} takes at most "
                f"{profile.bullets_max}{note}",
                f"drop or merge {extra}: keep the {profile.bullets_max} that matter most to a "
                "buyer first",
            )
        )
    if profile.bullet_max_length is not None:
        for index, bullet in enumerate(text.bullets):
            if len(bullet) > profile.bullet_max_length:
                issues.append(
                    ListingIssue(
                        f"{where}.bullets[{index}]",
                        f"bullet point {index + 1} is {len(bullet)} characters; {profile.name} "
                        f"takes at most {profile.bullet_max_length}{note}",
                        f"cut {_plural(len(bullet) - profile.bullet_max_length, 'character')}: "
                        "one fact per bullet point",
                    )
                )
    return issues


def _attribute_issues(
    where: str, text: LocalizedText, profile: MarketplaceProfile
) -> list[ListingIssue]:
    missing = [
        key
        for key in profile.required_attributes
        if (found := text.attribute(key)) is None or not found.value.strip()
    ]
    if not missing:
        return []
    hints = "; ".join(_ATTRIBUTE_HINTS.get(key, key) for key in missing)
    return [
        ListingIssue(
            f"{where}.attributes",
            f"{profile.name} needs the attribute{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}, which the text has not{profile.note('required_attributes')}",
            f"add to the catalogue and generate the listing again: {hints}",
        )
    ]


def _texts_to_check(
    draft: ListingDraft, profile: MarketplaceProfile, locale: str | None
) -> tuple[list[LocalizedText], list[ListingIssue]]:
    takes = "any locale" if profile.locales is None else ", ".join(profile.locales)
    if locale is not None:
        issues: list[ListingIssue] = []
        if not profile.accepts_locale(locale):
            issues.append(
                ListingIssue(
                    "locale",
                    f"{profile.name} does not sell in {locale}; it takes {takes}"
                    f"{profile.note('locales')}",
                    f"generate the listing in {takes} and check that locale",
                )
            )
        try:
            return [draft.text(locale)], issues
        except KeyError:
            issues.append(
                ListingIssue(
                    f"texts[{locale}]",
                    f"the draft has no text in {locale}; it has {', '.join(draft.texts) or 'none'}",
                    f"generate the listing with the locale {locale}",
                )
            )
            return [], issues
    texts = [text for key, text in draft.texts.items() if profile.accepts_locale(key)]
    if texts:
        return texts, []
    has = f"text only in {', '.join(draft.texts)}" if draft.texts else "no text"
    return [], [
        ListingIssue(
            "texts",
            f"{profile.name} sells in {takes}; the draft has {has}{profile.note('locales')}",
            f"generate the listing in {takes}",
        )
    ]


def _image_issues(draft: ListingDraft, profile: MarketplaceProfile) -> list[ListingIssue]:
    spec, count = profile.images, len(draft.images)
    note = profile.note("image_count")
    if count > spec.max_count:
        return [
            ListingIssue(
                "images",
                f"{_plural(count, 'picture')}; {profile.name} takes at most {spec.max_count}{note}",
                f"drop the last {count - spec.max_count}, keeping the main picture first",
            )
        ]
    if count < spec.min_count:
        return [
            ListingIssue(
                "images",
                f"{_plural(count, 'picture')}; {profile.name} needs at least {spec.min_count}"
                f"{note}",
                f"add {spec.min_count - count} to the product or the lot in the catalogue, "
                "main picture first",
            )
        ]
    return []


def _offer_issues(draft: ListingDraft, profile: MarketplaceProfile) -> list[ListingIssue]:
    issues: list[ListingIssue] = []
    price = draft.price
    if not profile.accepts_currency(price.currency):
        takes = ", ".join(profile.currencies or ())
        issues.append(
            ListingIssue(
                "price",
                f"the price is in {price.currency}; {profile.name} takes {takes}"
                f"{profile.note('currencies')}",
                f"price the offer in one of {takes} (convert at today's rate and round), or "
                f"list it on a marketplace that sells in {price.currency}",
            )
        )
    if price.amount <= 0:
        issues.append(
            ListingIssue(
                "price",
                f"the price is {price}; a listing needs a price above zero",
                "set the offer's price in the catalogue",
            )
        )
    if draft.stock <= 0:
        refused = profile.requires_stock
        issues.append(
            ListingIssue(
                "stock",
                f"the stock is {draft.stock}: "
                + (
                    f"{profile.name} refuses a listing with nothing for sale{profile.note('stock')}"
                    if refused
                    else "the listing would show as sold out"
                ),
                "give the lot's quantity for sale, or wait for the next batch to list it",
                IssueSeverity.ERROR if refused else IssueSeverity.WARNING,
            )
        )
    return issues


def _compliance_issues(draft: ListingDraft) -> list[ListingIssue]:
    if draft.compliance_ok is None:
        return [
            ListingIssue(
                "compliance_ok",
                "the compliance check was not run for this draft",
                "generate the draft with generate_listing(), which runs the check, or run "
                "ruralseller.compliance.check() on the lot",
                IssueSeverity.WARNING,
            )
        ]
    if draft.compliance_ok:
        return []
    findings = ", ".join(draft.compliance_findings) or "(codes not recorded)"
    return [
        ListingIssue(
            "compliance_findings",
            f"the compliance check found blocking findings: {findings}; the lot may not be "
            "sold like this",
            "do what each finding's remedy says (ruralseller check), then "
            "generate the listing again",
        )
    ]


def validate_draft(
    draft: ListingDraft, profile: MarketplaceProfile, *, locale: str | None = None
) -> tuple[ListingIssue, ...]:
    """Every problem of ``draft`` for ``profile``'s marketplace, at once.

    It checks, for the text in ``locale`` (or, when ``None``, every locale of the draft the
    marketplace sells in): the title's length as the platform counts it and its characters,
    the descriptions, the bullet points and the required attributes; and for the draft: the
    locale, the number of pictures, the price's currency and amount, the stock, and the
    compliance verdict. Pictures themselves (size, format, bytes) are checked when
    :func:`~ruralseller.listing.images.process_images` makes them fit ``profile.images``.

    Args:
        draft: the listing draft.
        profile: the marketplace's profile (see :func:`get_profile`).
        locale: the locale to check; ``None`` checks every locale the marketplace takes.

    Returns:
        The issues, errors and warnings, in the order of the draft's fields; empty when
        nothing is wrong.

    Example:
        >>> from ruralseller.catalog import Money
        >>> from ruralseller.listing.draft import Attribute, ListingDraft, LocalizedText
        >>> text = LocalizedText(
        ...     locale="zh-CN",
        ...     title="泰和乌鸡 整只 冰鲜 1-1.4 kg/只 江西泰和 散养 一年以上 顺丰冷链 包邮",
        ...     description="散养乌鸡。",
        ...     description_html="<p>散养乌鸡。</p>",
        ...     attributes=[Attribute("net_weight", "净含量", "1-1.4 kg")],
        ... )
        >>> draft = ListingDraft(
        ...     sku="WJ261120A", lot="WJ261120A", product="taihe-silkie", kind="poultry_meat",
        ...     texts={"zh-CN": text}, price=Money("36.00", "CNY"), sale_unit="1 jin", stock=0,
        ...     images=["front.jpg"], compliance_ok=True,
        ... )
        >>> for issue in validate_draft(draft, get_profile("taobao")):
        ...     print(issue)
        error: texts[zh-CN].title: the title is 67 bytes in GBK (a Chinese character is 2, ...
            fix: cut 7 bytes: '泰和乌鸡 整只 冰鲜 1-1.4 kg/只 江西泰和 散养 一年以上' (53 bytes)
        error: texts[zh-CN].attributes: taobao needs the attributes storage, origin, ...
            fix: add to the catalogue and generate the listing again: storage (give the ...
        warning: stock: the stock is 0: the listing would show as sold out
            fix: give the lot's quantity for sale, or wait for the next batch to list it
    """
    texts, issues = _texts_to_check(draft, profile, locale)
    for text in texts:
        where = f"texts[{text.locale}]"
        issues += _title_issues(where, text.title, profile)
        issues += _description_issues(where, text, profile)
        issues += _bullet_issues(where, text, profile)
        issues += _attribute_issues(where, text, profile)
    issues += _image_issues(draft, profile)
    issues += _offer_issues(draft, profile)
    issues += _compliance_issues(draft)
    issues += [
        ListingIssue(
            "food_policy",
            finding.message,
            finding.rule.remedy,
            IssueSeverity.ERROR if finding.blocking else IssueSeverity.WARNING,
        )
        for finding in check_food_policy(draft, profile.food_policy, marketplace=profile.name)
    ]
    return tuple(issues)


# --- the built-in profiles -----------------------------------------------------------------

# An unknown description limit is taken as 4000 characters: the smallest description limit
# found documented for any marketplace (eBay's Product.description), so it is safe everywhere.
_UNKNOWN_DESCRIPTION: Final = 4000
_ETSY_CURRENCIES: Final = (
    *("USD", "CAD", "EUR", "GBP", "AUD", "DKK", "HKD", "ILS", "MXN", "MAD", "NZD", "NOK"),
    *("PHP", "SGD", "SEK", "CHF", "TRY", "INR", "IDR", "MYR", "PLN", "THB", "VND", "ZAR"),
)

_BUILTINS: Final = (
    MarketplaceProfile(
        name="sandbox",
        title_max=200,
        description_max=10_000,
        description_html_max=50_000,
        bullets_max=10,
        bullet_max_length=500,
        locales=("zh-CN", "en"),
        images=ImageSpec(
            name="sandbox picture",
            min_width=200,
            min_height=200,
            target_width=1200,
            target_height=1200,
            aspect="any",
            max_bytes=5_000_000,
            max_count=20,
        ),
        max_tags=20,
        tag_max_length=50,
        source=(
            "ruralseller's own local marketplace (ruralseller.sandbox): the limits are ours, "
            "generous on purpose so the demo and the tests exercise the whole flow; it is not "
            "a real platform, so there is nothing to verify."
        ),
    ),
    MarketplaceProfile(
        name="taobao",
        title_max=60,
        title_encoding="gbk",
        description_max=25_000,
        description_html_max=25_000,
        required_attributes=("net_weight", "storage", "origin", "shelf_life"),
        locales=("zh-CN",),
        currencies=("CNY",),
        images=ImageSpec(
            name="Taobao main picture",
            min_width=700,
            min_height=700,
            target_width=800,
            target_height=800,
            aspect="1:1",
            allowed_formats=("JPEG",),
            max_bytes=1_000_000,
            max_count=5,
        ),
        source=(
            "Taobao Open Platform (TOP) taobao.item.add; no machine-readable spec, HTML docs "
            "only (open.taobao.com API docs). Title: about 30 Chinese characters, i.e. "
            "60 bytes counted in GBK (a Chinese character 2 bytes, ASCII 1) - unverified. "
            "Main picture at most 1 MB, JPG or GIF (we write JPEG), desc at most 25,000 "
            "characters: documented for the sister call taobao.product.add "
            "(open.alitrip.com/docs/api.htm?apiId=6), so partly verified. Five main "
            "pictures, at least 700 x 700 px square, and the food-category properties "
            "净含量/储藏方法/产地/保质期 as required attributes: unverified. zh-CN and CNY only: "
            "the platform's market."
        ),
        unverified={"title", "description", "description_html", "required_attributes"}
        | {"image_count", "image_spec"},
    ),
    MarketplaceProfile(
        name="ebay",
        title_max=80,
        description_max=4000,
        description_html_max=500_000,
        locales=("en",),
        currencies=("USD", "GBP", "AUD", "CAD", "EUR"),
        images=ImageSpec(
            name="eBay picture",
            min_width=500,
            min_height=500,
            target_width=1600,
            target_height=1600,
            aspect="any",
            allowed_formats=("JPEG", "PNG"),
            max_bytes=7_000_000,
            max_count=24,
        ),
        source=(
            "eBay Sell Inventory API OAS3 v1.18.4 (developer.ebay.com/api-docs/master/sell/"
            "inventory/openapi/3/sell_inventory_v1_oas3.json, via a third-party copy of "
            "eBay's own file): Product.title 'Max Length: 80', "
            "Product.description 'Max Length: 4000', EbayOfferDetailsWithKeys."
            "listingDescription 'Max length: 500000 (which includes HTML markup/tags)', "
            "Product.imageUrls up to 24 pictures, HTTPS only, at least one to publish - "
            "verified against that copy; titles are counted in characters. Item specifics "
            "(aspects, names <= 40 and values <= 50 characters) are required per category "
            "by the Taxonomy API, so none is required here. English sites and their "
            "currencies, pictures at least 500 px, JPEG/PNG, at most 7 MB: unverified."
        ),
        unverified={"locales", "currencies", "image_spec"},
    ),
    MarketplaceProfile(
        name="etsy",
        title_max=140,
        title_characters=CharacterRule(
            categories=("L", "Nd", "P", "Sm", "Zs"), extra="™©®", at_most_once="%:&+"
        ),
        description_max=_UNKNOWN_DESCRIPTION,
        locales=("en",),
        currencies=_ETSY_CURRENCIES,
        images=ImageSpec(
            name="Etsy picture",
            min_width=1000,
            min_height=1000,
            target_width=2000,
            target_height=2000,
            aspect="any",
            allowed_formats=("JPEG", "PNG"),
            max_bytes=1_000_000,
            max_count=10,
        ),
        max_tags=13,
        tag_max_length=20,
        requires_stock=True,
        source=(
            "Etsy Open API v3, alpha-era spec of 2021-06-01 (github.com/etsy/open-api, "
            "openapi.json at commit 6d6b1aa, official repo history), createListing: title "
            "characters 'regex: /[^\\p{L}\\p{Nd}\\p{P}\\p{Sm}\\p{Zs}™©®]/u', '%, :, & and + "
            "once each', image_ids 'up to 10 images', quantity 'positive non-zero' - verified "
            "against that spec. Title 140 characters and 13 tags of 20 characters: community "
            "figures, not in the 2021 spec - unverified. The spec sets no description limit: "
            "we keep to 4000 characters (conservative) in plain text. English, the shop "
            "currencies Etsy supports, pictures 1000 px or more, at most 1 MB: unverified."
        ),
        unverified={"title", "description", "tags", "locales", "currencies", "image_spec"},
    ),
    MarketplaceProfile(
        name="amazon",
        title_max=200,
        title_characters=CharacterRule(banned="!$?_{}^¬¦"),
        description_max=2000,
        bullets_max=5,
        bullet_max_length=255,
        required_attributes=("net_weight",),
        locales=("en",),
        currencies=("USD", "GBP", "CAD", "AUD"),
        images=ImageSpec(
            name="Amazon picture",
            min_width=1000,
            min_height=1000,
            target_width=2000,
            target_height=2000,
            aspect="1:1",
            allowed_formats=("JPEG", "PNG"),
            max_bytes=10_000_000,
            background="white",
            max_count=9,
        ),
        source=(
            "Amazon SP-API Listings Items 2021-08-01 and Product Type Definitions 2020-09-01 "
            "(github.com/amzn/selling-partner-api-models, official): the field limits live "
            "in each product "
            "type's JSON Schema, fetched at run time, and none is in the saved files, so "
            "every number here is unverified: item_name 200 characters without ! $ ? _ { } "
            "^ ¬ ¦, product_description 2000 characters of plain text, 5 bullet points of "
            "at most 255 characters (conservative), a net weight, English marketplaces and "
            "their currencies, 1 to 9 pictures at least 1000 px (for zoom), square on white, "
            "at most 10 MB."
        ),
        unverified=set(LIMITS) - {"tags", "stock"},
    ),
    MarketplaceProfile(
        name="shopify",
        title_max=255,
        description_max=_UNKNOWN_DESCRIPTION,
        description_html_max=_UNKNOWN_DESCRIPTION,
        images=ImageSpec(
            name="Shopify product image",
            target_width=2048,
            target_height=2048,
            max_width=4472,
            max_height=4472,
            aspect="any",
            allowed_formats=("JPEG", "PNG"),
            max_bytes=20_000_000,
            max_count=250,
        ),
        source=(
            "Shopify Admin GraphQL productCreate/productSet; no static schema "
            "(shopify.dev/docs/api/admin-graphql). Pictures PNG, GIF or JPG up to 4472 x 4472 px "
            "(20 MP), input arrays of at most 250 items: shopify.dev pages as stored - "
            "verified there. Title 255 characters, at most 20 MB a picture: unverified. No "
            "description limit found: 4000 characters (conservative). Any locale and the "
            "shop's currency. At least one picture is our rule, not Shopify's."
        ),
        unverified={"title", "description", "description_html", "image_spec"},
    ),
    MarketplaceProfile(
        name="woocommerce",
        title_max=200,
        description_max=_UNKNOWN_DESCRIPTION,
        description_html_max=_UNKNOWN_DESCRIPTION,
        images=ImageSpec(
            name="WooCommerce product image",
            target_width=1200,
            target_height=1200,
            aspect="any",
            allowed_formats=("JPEG", "PNG", "WEBP"),
            max_bytes=2_000_000,
            max_count=8,
        ),
        source=(
            "WooCommerce REST API v3 products (woocommerce/woocommerce-rest-api-docs "
            "_products.md): no field is limited there, and the store describes its own schema. "
            "Our conservative choices, all unverified: titles of 200 characters, descriptions "
            "of 4000, pictures of at most 2 MB. At most 8 pictures because the store server "
            "fetches each one and 10 gallery pictures timed out (wc-api-php#116). Any locale "
            "and the store's currency."
        ),
        unverified={"title", "description", "description_html", "image_count", "image_spec"},
    ),
    MarketplaceProfile(
        name="shopee",
        title_max=100,
        description_max=3000,
        required_attributes=("net_weight",),
        locales=("en", "ms", "th", "vi", "id", "zh-TW", "pt-BR"),
        currencies=("SGD", "MYR", "PHP", "THB", "VND", "IDR", "TWD", "BRL"),
        images=ImageSpec(
            name="Shopee product image",
            target_width=1024,
            target_height=1024,
            aspect="1:1",
            allowed_formats=("JPEG", "PNG"),
            max_bytes=2_000_000,
            max_count=9,
        ),
        source=(
            "Shopee Open Platform v2 product/add_item; no public spec, HTML docs only "
            "(open.shopee.com, 'Creating product' guide). A weight (from net_weight) and at "
            "least one "
            "image_id are required as commonly documented - unverified. Limits vary by "
            "region and none was verified: item_name 100 characters and descriptions of "
            "3000 in plain text (conservative), 1 to 9 square pictures of at most 2 MB. "
            "Regions SG, MY, PH (en, ms), TH, VN, ID, TW (zh-TW) and BR (pt-BR) with their "
            "currencies; a listing is made per region."
        ),
        unverified=set(LIMITS) - {"title_characters", "bullets", "tags", "stock"},
    ),
    MarketplaceProfile(
        name="google_merchant",
        title_max=150,
        description_max=5000,
        images=ImageSpec(
            name="Google Merchant image",
            min_width=500,
            min_height=500,
            target_width=1500,
            target_height=1500,
            aspect="any",
            allowed_formats=("JPEG", "PNG", "WEBP"),
            max_bytes=16_000_000,
            max_count=11,
        ),
        source=(
            "Google Merchant API productInputs:insert and the product data spec "
            "(support.google.com/merchants/answer/7052112 and 6324350, stored pages; "
            "developers.google.com/merchant/api): image_link JPEG, WebP, PNG, GIF, BMP or TIFF, "
            "at least 500 x 500 px from 2027-01-31 (1500 x 1500 recommended) - verified "
            "there; up to 10 additional_image_link (a commercetools mapping), so 11 pictures - "
            "partly verified. Title 150 and description 5000 characters, plain text: not "
            "re-verified, so unverified. At most 16 MB a picture: unverified. Any content "
            "language; the currency must be the target country's, which Google checks."
        ),
        unverified={"title", "description", "image_count"},
    ),
    MarketplaceProfile(
        name="mercadolibre",
        title_max=60,
        description_max=_UNKNOWN_DESCRIPTION,
        locales=("es", "pt-BR"),
        currencies=("ARS", "BRL", "MXN", "CLP", "COP", "UYU", "PEN"),
        images=ImageSpec(
            name="Mercado Libre picture",
            target_width=1200,
            target_height=1200,
            aspect="any",
            allowed_formats=("JPEG", "PNG"),
            max_bytes=10_000_000,
            max_count=10,
        ),
        source=(
            "Mercado Libre items API POST /items; no public spec (developers.mercadolibre.com, "
            "'Publish items'). Title 60 characters (from an MCP tool's docs) - unverified. "
            "Up to 10 "
            "photos are recommended: taken as the limit. Category attributes are required per "
            "category, so none here. Descriptions in plain text of 4000 characters "
            "(conservative), pictures at least 500 px and at most 10 MB, Spanish and "
            "Brazilian Portuguese sites and their currencies: unverified."
        ),
        unverified={"title", "description", "locales", "currencies", "image_count"}
        | {"image_spec"},
    ),
)

PROFILES: Final[Mapping[str, MarketplaceProfile]] = MappingProxyType(
    {
        profile.name: attrs.evolve(profile, food_policy=FOOD_POLICIES.get(profile.name, ()))
        for profile in _BUILTINS
    }
)
"""The built-in profiles by name: ``sandbox`` (ours), ``taobao``, ``ebay``, ``etsy``,
``amazon``, ``shopify``, ``woocommerce``, ``shopee``, ``google_merchant``, ``mercadolibre``."""


def get_profile(name: str) -> MarketplaceProfile:
    """The built-in profile of marketplace ``name``.

    Raises:
        InvalidValueError: if there is no profile of that name; the hint lists them.

    Example:
        >>> get_profile("ebay").title_max
        80
        >>> get_profile("jd")
        Traceback (most recent call last):
        ...
        ruralseller.errors.InvalidValueError: no marketplace profile is named 'jd'; the
        built-in ones are amazon, ebay, etsy, google_merchant, mercadolibre, sandbox, ...
    """
    profile = PROFILES.get(name.strip().lower()) if isinstance(name, str) else None
    if profile is None:
        names = ", ".join(sorted(PROFILES))
        raise InvalidValueError(
            f"no marketplace profile is named {name!r}; the built-in ones are {names}",
            field="marketplace",
            hint=f"use one of: {names}",
        )
    return profile
