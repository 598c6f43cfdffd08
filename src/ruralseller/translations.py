"""The words ruralseller writes for buyers, in gettext catalogues compiled with Babel.

Listing labels, storage conditions, certification names, measure words and the phrases
around prices are English messages (marked in the code with :func:`message`), translated
in one catalogue per language::

    src/ruralseller/locale/ruralseller.pot                     the messages, extracted
    src/ruralseller/locale/<language>/LC_MESSAGES/ruralseller.po   a translation
    src/ruralseller/locale/<language>/LC_MESSAGES/ruralseller.mo   the same, compiled

Adding a language is adding its ``.po`` file (``docs/howto/add-a-language.md``); a partner
may also keep catalogues in a folder of their own with the same layout and pass it as
``translations`` (a ``.po`` there is compiled when read, a ``.mo`` used as it is unless
its ``.po`` is newer).

Catalogues are read once per process (a long-running worker sees an edited catalogue after
a restart).

A locale finds its catalogue the way Babel parses it, most specific first, then any
catalogue of the same language: ``zh-Hans-CN`` reads ``zh_Hans_CN``, ``zh_CN``,
``zh_Hans``, ``zh``; ``pt`` and ``pt-PT`` read ``pt_BR`` (CLDR's likely region for
Portuguese); ``es-MX`` reads ``es``. A message a catalogue does not translate falls back to
the next catalogue, then to the English message itself.

Example:
    >>> LABEL = message("attribute", "Net weight")
    >>> translate(LABEL, "zh-CN"), translate(LABEL, "es-MX"), translate(LABEL, "en")
    ('净重', 'Peso neto', 'Net weight')
    >>> catalogue_languages()
    ('en', 'es', 'pt_BR', 'zh_CN')
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import string
from collections.abc import Sequence
from pathlib import Path
from typing import Final, NamedTuple

import babel
from babel.core import get_global
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from ruralseller.errors import InvalidValueError

__all__ = [
    "DOMAIN",
    "LOCALE_FOLDER",
    "Message",
    "PluralMessage",
    "catalogue_languages",
    "format_message",
    "format_plural",
    "has_catalogue",
    "message",
    "plural_message",
    "translate",
    "translate_plural",
    "translations",
]

DOMAIN: Final = "ruralseller"
"""The gettext domain: the catalogues' file name (``ruralseller.po``, ``ruralseller.mo``)."""

LOCALE_FOLDER: Final = Path(__file__).resolve().parent / "locale"
"""The catalogues shipped with ruralseller."""

Folders = tuple[Path, ...]


class Message(NamedTuple):
    """An English message to translate, with the context that tells its uses apart."""

    context: str
    text: str


class PluralMessage(NamedTuple):
    """An English message with a singular and a plural form, chosen by a number."""

    context: str
    singular: str
    plural: str


def message(context: str, text: str) -> Message:
    """Mark ``text`` for translation (``pybabel extract -k message:1c,2`` finds it)."""
    return Message(context, text)


def plural_message(context: str, singular: str, plural: str) -> PluralMessage:
    """Mark a message with plural forms (``pybabel extract -k plural_message:1c,2,3``)."""
    return PluralMessage(context, singular, plural)


def _folders(extra: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None) -> Folders:
    if extra is None:
        given: list[Path] = []
    elif isinstance(extra, str | os.PathLike):
        given = [Path(extra)]
    else:
        given = [Path(folder) for folder in extra]
    for folder in given:
        if not folder.is_dir():
            raise InvalidValueError(
                f"the translations folder {folder} does not exist",
                field="translations",
                hint="give a folder holding <language>/LC_MESSAGES/ruralseller.po files",
            )
    return (*given, LOCALE_FOLDER)


def _catalogue_names(folder: Path) -> tuple[str, ...]:
    try:
        stamp = folder.stat().st_mtime_ns  # a language folder added or removed changes it
    except OSError:
        return ()
    return _names_in(folder, stamp)


@functools.lru_cache(maxsize=64)
def _names_in(folder: Path, _stamp: int) -> tuple[str, ...]:
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(
            entry.name
            for entry in folder.iterdir()
            if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
            or (entry / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
        )
    )


def catalogue_languages(
    translations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> tuple[str, ...]:
    """The catalogues there are (``zh_CN``, ``en``...), in ``translations`` and shipped."""
    names = {name for folder in _folders(translations) for name in _catalogue_names(folder)}
    return tuple(sorted(names))


def _parse(locale: str) -> babel.Locale:
    try:
        return babel.Locale.parse(locale.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError) as exc:
        raise InvalidValueError(
            f"{locale!r} is not a locale: {exc}",
            field="locales",
            hint="write a language tag such as zh-CN, en, es-MX or pt-BR",
        ) from None


@functools.lru_cache(maxsize=256)
def _candidates(locale: str, available: tuple[str, ...]) -> tuple[str, ...]:
    """The catalogue names to read for ``locale``, most specific first."""
    parsed = _parse(locale)
    chain: list[str] = []
    for script in (parsed.script, None):
        for territory in (parsed.territory, None):
            name = "_".join(part for part in (parsed.language, script, territory) if part)
            if name not in chain:
                chain.append(name)
    likely = get_global("likely_subtags").get(parsed.language)
    if likely:
        likely_locale = babel.Locale.parse(likely)
        for name in (f"{likely_locale.language}_{likely_locale.territory}", str(likely_locale)):
            if name not in chain:
                chain.append(name)
    same_language = [
        name for name in available if name.split("_")[0] == parsed.language and name not in chain
    ]
    return (*[name for name in chain if name in available], *same_language)


def has_catalogue(
    locale: str,
    translations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> bool:
    """Whether some catalogue (of ``translations`` or shipped) is for ``locale``'s language."""
    return bool(_candidates(locale, catalogue_languages(translations)))


def _compile(po: Path) -> gettext.GNUTranslations:
    try:
        with po.open("rb") as file:
            catalog = read_po(file, abort_invalid=True)
    except PoFileError as exc:
        problem = str(exc).rsplit(" on ", 1)[0]
        raise InvalidValueError(
            f"the translation catalogue {po}, line {exc.lineno + 1}, cannot be read: "
            f"{problem}: {exc.line.strip()!r}",
            field="translations",
            hint="each entry is msgctxt (optional), msgid and msgstr, each text in double quotes",
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidValueError(
            f"the translation catalogue {po} cannot be read: {exc}",
            field="translations",
            hint="check the file with `pybabel compile --statistics -i FILE -o /dev/null`",
        ) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _load(folder: Path, name: str) -> gettext.GNUTranslations | None:
    messages = folder / name / "LC_MESSAGES"
    po, mo = messages / f"{DOMAIN}.po", messages / f"{DOMAIN}.mo"
    if not mo.is_file():
        return _compile(po) if po.is_file() else None
    if po.is_file() and po.stat().st_mtime > mo.stat().st_mtime and folder != LOCALE_FOLDER:
        return _compile(po)  # a partner edited the .po and did not compile it again
    try:
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidValueError(
            f"the compiled translation catalogue {mo} cannot be read: {exc}",
            field="translations",
            hint=f"compile it again: pybabel compile -D {DOMAIN} -d {folder}",
        ) from None


def translations(
    locale: str,
    translations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> gettext.NullTranslations:
    """The translations for ``locale``, falling back as the module docstring says.

    Raises:
        InvalidValueError: when no catalogue is for the locale's language (naming the
            languages there are), or a catalogue cannot be read (naming the file).
    """
    return _translations(locale, _folders(translations))


@functools.lru_cache(maxsize=64)
def _translations(locale: str, folders: Folders) -> gettext.NullTranslations:
    available = {folder: _catalogue_names(folder) for folder in folders}
    names = _candidates(
        locale, tuple(sorted({name for found in available.values() for name in found}))
    )
    if not names:
        shipped = ", ".join(_catalogue_names(LOCALE_FOLDER))
        raise InvalidValueError(
            f"there are no translations for {locale!r} yet",
            field="locales",
            hint=f"use one of {shipped}, or add a catalogue for the language "
            "(docs/howto/add-a-language.md)",
        )
    chain: gettext.NullTranslations | None = None
    for name in names:
        for folder in folders:
            if name not in available[folder]:
                continue
            found = _load(folder, name)
            if found is None:
                continue
            if chain is None:
                chain = found
            else:
                chain.add_fallback(found)
    assert chain is not None  # noqa: S101 - names only lists catalogues that exist
    return chain


def translate(
    text: Message,
    locale: str,
    translations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> str:
    """``text`` in ``locale``'s language (the English message when no catalogue has it)."""
    return _translations(locale, _folders(translations)).pgettext(text.context, text.text)


def translate_plural(
    text: PluralMessage,
    number: int,
    locale: str,
    translations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> str:
    """The form of ``text`` for ``number`` in ``locale``'s language."""
    found = _translations(locale, _folders(translations))
    return found.npgettext(text.context, text.singular, text.plural, number)


def _fields(text: str) -> set[str] | None:
    """The names a format string fills in, or None when it is malformed or formats them."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    if any(name is not None and (spec or conversion) for _, name, spec, conversion in parsed):
        return None  # "{weight:>999999999}" or "{weight!r}": a translation only places values
    return {name for _, name, _, _ in parsed if name is not None}


def _fill(translated: str, english: str, context: str, locale: str, values: dict[str, str]) -> str:
    fields = _fields(translated)
    if fields is None or not fields <= set(values):
        unknown = "" if fields is None else ", ".join(sorted(fields - set(values)))
        problem = (
            f"with fields it cannot have: {unknown}"
            if unknown
            else "whose braces do not pair or format a value"
        )
        raise InvalidValueError(
            f"the {locale} translation of {english!r} (context {context!r}) is "
            f"{translated!r}, {problem}",
            field="translations",
            hint="use only the fields of the English message: "
            + (", ".join(f"{{{name}}}" for name in sorted(values)) or "none"),
        )
    return translated.format(**values)


def format_message(
    text: Message,
    locale: str,
    translations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    /,
    **values: str,
) -> str:
    """``text`` in ``locale``'s language with its ``{name}`` fields filled in from ``values``.

    A translation may leave out a field or repeat one, but not name one the English
    message does not offer, nor reach into a value (``{weight.__class__}``).

    Raises:
        InvalidValueError: naming the message and the locale, when its translation has a
            field the message does not offer or broken braces.

    >>> format_message(message("price of one unit or mass", "{price} per {unit}"), "zh-CN",
    ...     price="¥36.00", unit="斤")
    '¥36.00/斤'
    """
    translated = translate(text, locale, translations)
    return _fill(translated, text.text, text.context, locale, values)


def format_plural(
    text: PluralMessage,
    number: int,
    locale: str,
    translations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    /,
    **values: str,
) -> str:
    """The form of ``text`` for ``number``, its fields filled in as :func:`format_message` does.

    >>> format_plural(plural_message("duration", "{number} day", "{number} days"), 2, "es",
    ...     number="5")
    '5 días'
    """
    translated = translate_plural(text, number, locale, translations)
    english = text.singular if number == 1 else text.plural
    return _fill(translated, english, text.context, locale, values)
