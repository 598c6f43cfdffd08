"""The exceptions ruralseller raises, in one tree.

Every error ruralseller raises on purpose derives from :class:`RuralSellerError`, so a
partner tool can catch them all with one ``except``. Errors about values also derive from
``ValueError`` so that code written against the standard library keeps working::

    RuralSellerError
    ├── InvalidValueError (ValueError)    a domain value is invalid; says which field and how to fix
    │   ├── QuantityError                 a quantity, unit or amount of money is malformed
    │   ├── IdentifierError               a GTIN, lot code or GS1 element string is malformed
    │   ├── PlaceError                    a country code or coordinates are malformed
    │   └── TraceabilityError             an EPCIS event cannot be made or read
    ├── CatalogError                      a catalogue cannot be read or written
    │   ├── CatalogValidationError        a catalogue has problems; ``.problems`` lists each one
    │   └── NotInCatalogError (KeyError)  no producer, product or lot has that id
    ├── ComplianceError                   a rule pack is unknown, broken or cannot be loaded
    ├── PackingError                      no box and coolant can make the journey (see ``.options``)
    ├── FileRefusedError                  a file to read is not a plain file in its folder, too big
    ├── StorageError                      the outbox or the sandbox store cannot be read or written
    └── MarketplaceError                  a marketplace refused or failed a request
        ├── MarketplaceAuthError          the credentials are missing, wrong or expired
        ├── ListingRejectedError          the listing is invalid there; ``.field_errors`` says where
        ├── RateLimitedError              too many requests; ``.retry_after`` says how long to wait
        ├── MarketplaceConflictError      the listing changed there, or the key was reused
        └── MarketplaceUnavailableError   the marketplace is down, slow or unreachable

Messages are written for the person who has to fix the input: they name the value, what was
expected, and how to fix it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "CatalogError",
    "CatalogValidationError",
    "ComplianceError",
    "FileRefusedError",
    "IdentifierError",
    "InvalidValueError",
    "ListingRejectedError",
    "MarketplaceAuthError",
    "MarketplaceConflictError",
    "MarketplaceError",
    "MarketplaceUnavailableError",
    "NotInCatalogError",
    "PackingError",
    "PlaceError",
    "Problem",
    "QuantityError",
    "RateLimitedError",
    "RuralSellerError",
    "StorageError",
    "TraceabilityError",
]


class RuralSellerError(Exception):
    """The root of every error ruralseller raises on purpose."""


class InvalidValueError(RuralSellerError, ValueError):
    """A domain value is invalid.

    Args:
        message: what is wrong, naming the value.
        field: the name of the field at fault, when the error concerns one field of a
            larger object (catalogue loading adds it to the path it reports).
        hint: how to fix it, in plain words.
    """

    def __init__(self, message: str, *, field: str | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.hint = hint


class QuantityError(InvalidValueError):
    """A mass, length, temperature, duration or amount of money is malformed.

    Example:
        >>> from ruralseller.catalog import Mass
        >>> Mass.parse("1.2 kilo")
        Traceback (most recent call last):
        ...
        ruralseller.errors.QuantityError: unknown mass unit 'kilo' in '1.2 kilo'; ...
    """


class IdentifierError(InvalidValueError):
    """A GS1 identifier (GTIN, element string, Digital Link) or lot code is malformed."""


class PlaceError(InvalidValueError):
    """A place is malformed: an unknown country code, or coordinates out of range."""


class CatalogError(RuralSellerError):
    """A catalogue folder or file cannot be read or written."""


@attrs.frozen
class Problem:
    """One thing wrong in a catalogue: where, what, and how to fix it.

    Attributes:
        file: the file the problem is in (as the user named it).
        path: the path to the field, e.g. ``lots[2].slaughter.certificate``; empty for
            the whole file.
        message: what is wrong.
        value: the offending value as written in the file, or ``None`` when it is missing.
        hint: how to fix it, in plain words.
    """

    file: str
    path: str
    message: str
    value: object = None
    hint: str = ""

    @property
    def shown_value(self) -> str | None:
        """The value as the user wrote it (dates as ISO text), or None when missing."""
        value = self.value
        if value is None:
            return None
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return repr(value)

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.path) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None:
            text += f" (got {self.shown_value})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class CatalogValidationError(CatalogError):
    """A catalogue has one or more problems; all of them are in :attr:`problems`.

    The message lists every problem, one per line, so the user can fix them all at once.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"the catalogue has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class NotInCatalogError(CatalogError, KeyError):
    """No producer, product or lot in the catalogue has the id asked for.

    It is a ``KeyError`` too, like a missing key in a dict.
    """

    def __str__(self) -> str:
        # KeyError's own __str__ quotes the message as if it were a key.
        return str(self.args[0]) if self.args else ""


class ComplianceError(RuralSellerError):
    """A rule pack is unknown, broken, or cannot be loaded."""


class PackingError(RuralSellerError):
    """No box and coolant in the packaging materials can make the journey.

    Attributes:
        options: every option tried, each with the reason it was rejected.
    """

    def __init__(self, message: str, *, options: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.options = tuple(options)


class FileRefusedError(RuralSellerError):
    """A file we were asked to read was refused before reading it whole.

    Catalogue, packaging and carrier data, templates and pictures are read only when they are
    regular files inside the folder they belong to (no link out of it), under a size limit and
    (for structured data) under a nesting limit.

    Attributes:
        path: the file, as the user named it.
        reason: why it was refused.
        hint: how to fix it, in plain words.
        missing: whether there is no such file, or it cannot be opened at all (rather than
            a file that was looked at and refused).
    """

    def __init__(self, path: str, reason: str, *, hint: str = "", missing: bool = False) -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        self.missing = missing
        super().__init__(f"{path}: {reason}" + (f"; {hint}" if hint else ""))


class StorageError(RuralSellerError):
    """A file we keep (the outbox, the sandbox's store) cannot be opened, read or written.

    The message names the file, what went wrong (full disk, read-only, not a database, ...)
    and what to do; nothing already written in it is lost by the failure.

    Attributes:
        path: the file.
        hint: what to do about it.
    """

    def __init__(self, path: str, message: str, *, hint: str = "") -> None:
        self.path = path
        self.message = message
        self.hint = hint
        super().__init__(f"{path}: {message}" + (f"; {hint}" if hint else ""))


class TraceabilityError(InvalidValueError):
    """An EPCIS event cannot be made or read: a value is missing, malformed or unknown.

    Like every :class:`~ruralseller.errors.InvalidValueError` it names the ``field`` at fault
    and carries a ``hint`` on how to fix it.
    """


class MarketplaceError(RuralSellerError):
    """A marketplace refused or failed a request.

    The message says what happened in words a village partner can act on. The attributes keep
    what a developer needs to dig further; secrets never appear in any of them (request headers
    are not kept, response headers are redacted).

    Attributes:
        marketplace: the adapter name, e.g. ``"sandbox"``.
        status: the HTTP status, or ``None`` when no response arrived.
        code: the marketplace's own error code, when it gave one.
        request_id: the marketplace's request id, to quote to its support.
        headers: the response headers, with secrets redacted.
    """

    def __init__(  # noqa: PLR0913 - everything after the message is keyword-only
        self,
        message: str,
        *,
        marketplace: str = "",
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.marketplace = marketplace
        self.status = status
        self.code = code
        self.request_id = request_id
        self.headers: dict[str, str] = dict(headers or {})


class MarketplaceAuthError(MarketplaceError):
    """The marketplace did not accept our credentials: missing, wrong, expired or revoked."""


class ListingRejectedError(MarketplaceError):
    """The marketplace rejected the listing as invalid.

    Attributes:
        field_errors: each field at fault mapped to the marketplace's reason.
    """

    def __init__(
        self, message: str, *, field_errors: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.field_errors: dict[str, str] = dict(field_errors or {})


class RateLimitedError(MarketplaceError):
    """The marketplace throttled us.

    Attributes:
        retry_after: seconds the marketplace asked us to wait, when it said.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class MarketplaceConflictError(MarketplaceError):
    """The request conflicts with the marketplace's state.

    The listing changed there since we read it, or an idempotency key was reused for a
    different request.
    """


class MarketplaceUnavailableError(MarketplaceError):
    """The marketplace is down, too slow, or could not be reached (a retry later may work)."""
