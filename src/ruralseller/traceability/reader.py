"""Read EPCIS 2.0 JSON / JSON-LD documents back into :class:`EpcisDocument`.

What we model (object, aggregation and transformation events, temperature readings, location
master data) becomes typed values; everything else (other event types, business
transactions, extension fields such as ``example:myField``, non-temperature sensor data) is
kept as JSON in ``extra`` or :class:`OtherEvent`, and written back unchanged. The reading
itself is the EPCIS converter's (:mod:`ruralseller.traceability.jsonld`); every problem in a
document is reported at once, with its path and a hint.

Example:
    >>> document = read_document('''{
    ...   "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    ...   "type": "EPCISDocument", "schemaVersion": "2.0",
    ...   "creationDate": "2026-11-21T08:00:00+08:00",
    ...   "epcisBody": {"eventList": [{
    ...     "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "receiving",
    ...     "eventTime": "2026-11-23T07:00:00+08:00", "eventTimeZoneOffset": "+08:00",
    ...     "epcList": ["https://id.gs1.org/01/09526000160021/21/1"]}]}}''')
    >>> document.events[0].biz_step
    'receiving'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cattrs.errors import BaseValidationError

from ruralseller.catalog import check_nesting, read_text_file
from ruralseller.errors import FileRefusedError, InvalidValueError
from ruralseller.traceability.epcis import EpcisDocument, TraceabilityError
from ruralseller.traceability.jsonld import converter, problems_from_exception

__all__ = ["read_document"]


def _load(source: str | os.PathLike[str]) -> tuple[Any, str]:
    if isinstance(source, str) and source.lstrip().startswith("{"):
        text, name = source, "the EPCIS document"
    else:
        path = Path(source)
        name = str(path)
        try:
            text = read_text_file(path, what="EPCIS document")
        except FileRefusedError as error:
            raise TraceabilityError(
                f"cannot read the EPCIS document {path}: {error.reason}",
                field="path",
                hint=error.hint,
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TraceabilityError(
            f"{name} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            field="path",
            hint="an EPCIS 2.0 document is JSON-LD; check for a missing comma or bracket",
        ) from None
    except (RecursionError, ValueError):
        data = _TOO_DEEP
    if data is _TOO_DEEP or not check_nesting(data, limit=_MAX_NESTING):
        raise TraceabilityError(
            f"{name} nests objects or arrays more than {_MAX_NESTING} deep, or holds a number "
            "too long to read",
            field="path",
            hint="an EPCIS document needs a few levels; check what produced this one",
        )
    return data, name


_TOO_DEEP = object()
# EPCIS nests sensor reports in sensor elements in events in the body (about 8 levels).
_MAX_NESTING = 64


def read_document(source: str | os.PathLike[str]) -> EpcisDocument:
    """Read an EPCIS 2.0 JSON / JSON-LD document from a file or from its text.

    Args:
        source: a path, or the document's text (anything starting with ``{``).

    Raises:
        TraceabilityError: when the file cannot be read, is not JSON, is not an
            ``EPCISDocument``, or has bad events; the message lists every problem with its
            path (e.g. ``epcisBody.eventList[1].eventTime``).
    """
    data, name = _load(source)
    if not isinstance(data, dict) or data.get("type") != "EPCISDocument":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise TraceabilityError(
            f"{name} is not an EPCIS document (type {kind!r})",
            field="type",
            hint='an EPCIS 2.0 document has "type": "EPCISDocument" and an epcisBody',
        )
    try:
        document: EpcisDocument = converter().structure(data, EpcisDocument)
    except (BaseValidationError, InvalidValueError) as error:
        # The document's own members first, then its events, in order.
        problems = sorted(
            problems_from_exception(error), key=lambda p: p.path.startswith("epcisBody")
        )
        count = len(problems)
        raise TraceabilityError(
            f"{name} has {count} problem{'s' if count != 1 else ''}:\n  "
            + "\n  ".join(str(problem) for problem in problems),
            field="epcisBody",
        ) from None
    return document
