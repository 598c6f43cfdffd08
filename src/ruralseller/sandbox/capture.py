"""EPCIS 2.0 capture: the documents ``POST /v1/epcis/capture`` takes, checked and ready to store.

A body is checked by reading it with :func:`ruralseller.traceability.read_document`; a bad
one is refused with 400 ``invalid_epcis_document``, every problem named with its path. The
events are kept as sent, so nothing a partner wrote is lost, and each is filed under the
lots (GTIN and lot) it names, in GS1 Digital Link form (``https://…/01/<gtin>/10/<lot>``,
any resolver) or as an EPC class URN (``urn:epc:class:lgtin:…``).

Events are stored by ``eventID``. EPCIS 2.0 keeps ``eventID`` optional and asks a
repository to give one to an event that has none; the sandbox names such an event by its
content, ``urn:ruralseller:event:sha256:<hex>``, the SHA-256 of its canonical JSON (keys
sorted, no spaces, UTF-8), so capturing the same document again stores nothing new. This is
a stable name for the same content, not the CBV 2.0 event hash.

Example:
    >>> body = b'''{
    ...   "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    ...   "type": "EPCISDocument", "schemaVersion": "2.0",
    ...   "creationDate": "2026-11-28T08:00:00+08:00",
    ...   "epcisBody": {"eventList": [{
    ...     "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "receiving",
    ...     "eventTime": "2026-11-28T05:00:00+08:00", "eventTimeZoneOffset": "+08:00",
    ...     "quantityList": [
    ...       {"epcClass": "https://id.gs1.org/01/99526000160017/10/WJ261123A"}]}]}}'''
    >>> (event,) = read_capture(body, account="demo", capture_id="c1").events
    >>> event.lots, event.event_time
    ((('99526000160017', 'WJ261123A'),), '2026-11-27T21:00:00.000000Z')
    >>> event.event_id.startswith("urn:ruralseller:event:sha256:")
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final
from urllib.parse import unquote

import attrs

from ruralseller.catalog import Gs1Data, check_digit
from ruralseller.errors import InvalidValueError
from ruralseller.sandbox.api_errors import ApiError
from ruralseller.sandbox.json_body import parse_request_json
from ruralseller.sandbox.storage import CaptureRecord, EpcisEventRecord, EpcisLocationRecord
from ruralseller.traceability import EpcisDocument, TraceabilityError, read_document

__all__ = [
    "CONTENT_EVENT_ID",
    "MEDIA_TYPES",
    "Capture",
    "capture_job",
    "check_media_type",
    "content_event_id",
    "lot_of",
    "read_capture",
]

CONTENT_EVENT_ID: Final = "urn:ruralseller:event:sha256:"
"""The prefix of the ``eventID`` the sandbox gives an event that came without one."""

MEDIA_TYPES: Final = ("application/json", "application/ld+json")
"""The media types a capture body may be sent as (EPCIS 2.0 REST binding)."""

_LGTIN_URN: Final = "urn:epc:class:lgtin:"
_EPC_LISTS: Final = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS: Final = (
    "quantityList",
    "childQuantityList",
    "inputQuantityList",
    "outputQuantityList",
)


@attrs.frozen
class Capture:
    """A checked EPCIS document, ready to store.

    Attributes:
        events: its events, in document order, each with its ``eventID`` and lots.
        locations: the master data of the locations its header describes.
    """

    events: tuple[EpcisEventRecord, ...]
    locations: tuple[EpcisLocationRecord, ...]


def _canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_event_id(event: Mapping[str, Any]) -> str:
    """The ``eventID`` made from an event's content, for an event sent without one.

    Example:
        >>> a = content_event_id({"type": "ObjectEvent", "bizStep": "packing"})
        >>> a == content_event_id({"bizStep": "packing", "type": "ObjectEvent"}), a[:29]
        (True, 'urn:ruralseller:event:sha256:')
    """
    return CONTENT_EVENT_ID + hashlib.sha256(_canonical(dict(event))).hexdigest()


def lot_of(identifier: str) -> tuple[str, str] | None:
    """The (GTIN-14, lot) an EPC class names, or None when it names no GTIN lot.

    Args:
        identifier: a GS1 Digital Link URI (any resolver) or an ``urn:epc:class:lgtin:`` URN.

    Example:
        >>> lot_of("https://example.com/01/99526000160017/10/A%2F1")
        ('99526000160017', 'A/1')
        >>> lot_of("urn:epc:class:lgtin:4012345.012345.998877")
        ('04012345123456', '998877')
        >>> lot_of("urn:ruralseller:live-birds:wu-family-farm:WJ261123A") is None
        True
    """
    if identifier.startswith(_LGTIN_URN):
        # EPC Tag Data Standard §6.3.1: CompanyPrefix.IndicatorItemRef.Lot; the GTIN is the
        # indicator, the company prefix, the item reference and a check digit.
        parts = identifier[len(_LGTIN_URN) :].split(".", 2)
        if len(parts) != 3 or not re.fullmatch(r"\d{13}", parts[0] + parts[1]) or not parts[2]:
            return None
        company, item, lot = parts
        body = item[0] + company + item[1:]
        return body + str(check_digit(body)), unquote(lot)
    if not identifier.startswith(("http://", "https://")):
        return None
    try:
        data = Gs1Data.parse_digital_link(identifier)
    except InvalidValueError:
        return None
    return None if data.lot is None else (data.gtin.digits, data.lot)


def _identifiers(event: Mapping[str, Any]) -> Iterator[str]:
    parent = event.get("parentID")
    if isinstance(parent, str):
        yield parent
    for key in _EPC_LISTS:
        items = event.get(key)
        if isinstance(items, list):
            yield from (item for item in items if isinstance(item, str))
    for key in _QUANTITY_LISTS:
        items = event.get(key)
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("epcClass"), str):
                    yield item["epcClass"]


def _lots(event: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    found = (lot_of(identifier) for identifier in _identifiers(event))
    return tuple(dict.fromkeys(lot for lot in found if lot is not None))


def _utc(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.utcoffset() is None:
        return None
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _invalid(message: str, errors: list[tuple[str, str]]) -> ApiError:
    return ApiError(400, "invalid_epcis_document", message, errors=errors)


def check_media_type(content_type: str) -> None:
    """Refuse a capture body that is not sent as JSON.

    Raises:
        ApiError: 415 ``unsupported_media_type``.
    """
    media_type = content_type.split(";", maxsplit=1)[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send the EPCIS document as {' or '.join(MEDIA_TYPES)}, "
            f"not {media_type or 'no Content-Type'}",
        )


def _listed_problems(lines: list[str]) -> list[tuple[str, str]]:
    """The (path, message) of each ``path: message`` line, its ``hint:`` line folded in."""
    found: list[tuple[str, str]] = []
    for line in lines:
        text = line.strip()
        if text.startswith("hint:") and found:
            path, message = found[-1]
            found[-1] = (path, f"{message}; {text.removeprefix('hint:').strip()}")
        else:
            path, _, message = text.partition(": ")
            found.append((path, message))
    return found


def _document(body: bytes) -> tuple[EpcisDocument, list[Any]]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(
            "the body is not UTF-8 text; send the EPCIS document as UTF-8 JSON",
            [("body", "not UTF-8")],
        ) from None
    if not text.lstrip().startswith("{"):
        # read_document takes any other text for a file name: a request never names a file.
        raise _invalid(
            'the body is not a JSON object; send an EPCIS 2.0 document, {"type": '
            '"EPCISDocument", "schemaVersion": "2.0", "epcisBody": {"eventList": [...]}}',
            [("body", "expected a JSON object")],
        )
    parse_request_json(body.removeprefix(b"\xef\xbb\xbf"), "invalid_epcis_document", status=400)
    try:
        document = read_document(text)
    except TraceabilityError as error:
        head, *lines = error.message.splitlines()
        errors = _listed_problems(lines)
        message = f"{head} {error.hint}" if error.hint else head
        raise _invalid(
            message + ("\n  " + "\n  ".join(lines) if lines else ""),
            errors or [(error.field or "body", error.message)],
        ) from None
    return document, json.loads(text)["epcisBody"]["eventList"]


def read_capture(body: bytes, *, account: str, capture_id: str) -> Capture:
    """Check a capture body and make the records to store.

    Args:
        body: the request body, an EPCIS 2.0 ``EPCISDocument`` in JSON or JSON-LD.
        account: who captures it.
        capture_id: the capture's identifier.

    Raises:
        ApiError: 400 ``invalid_epcis_document`` naming every problem with its path.
    """
    document, raw_events = _document(body)
    problems: list[tuple[str, str]] = []
    events: list[EpcisEventRecord] = []
    for index, raw in enumerate(raw_events):
        where = f"epcisBody.eventList[{index}]"
        when = _utc(raw.get("eventTime"))
        if when is None:
            problems.append((f"{where}.eventTime", "every event needs a time with its time zone"))
        given = raw.get("eventID")
        if given is not None and not isinstance(given, str):
            problems.append((f"{where}.eventID", "an eventID is a URI, written as text"))
        if problems:
            continue
        data = dict(raw)
        if given is None:
            data["eventID"] = content_event_id(raw)
        events.append(
            EpcisEventRecord(
                account=account,
                event_id=str(data["eventID"]),
                content_sha256=hashlib.sha256(_canonical(raw)).hexdigest(),
                event_time=str(when),
                capture_id=capture_id,
                data=data,
                lots=_lots(raw),
            )
        )
    if problems:
        count = len(problems)
        listed = "\n  ".join(f"{path}: {message}" for path, message in problems)
        raise _invalid(
            f"the EPCIS document has {count} problem{'s' if count != 1 else ''}:\n  {listed}",
            problems,
        )
    return Capture(tuple(events), _locations(document, account))


def _locations(document: EpcisDocument, account: str) -> tuple[EpcisLocationRecord, ...]:
    parts = ("country", "province", "city", "county", "township", "village")
    found = []
    for location in document.locations:
        place = location.place
        master: dict[str, str | None] = {"name": location.name}
        master.update({part: None if place is None else getattr(place, part) for part in parts})
        found.append(EpcisLocationRecord(account=account, location_id=location.id, data=master))
    return tuple(found)


def capture_job(record: CaptureRecord) -> dict[str, Any]:
    """The capture job document of the EPCIS 2.0 REST binding, with the sandbox's counts.

    The sandbox captures at once and all or nothing (``captureErrorBehaviour``
    ``rollback``), so a job is finished when it is answered. ``eventIDs`` lists the events
    of the document in order (with the ids the sandbox gave); ``newEventCount`` says how
    many of them it did not hold yet.
    """
    return {
        "captureID": record.capture_id,
        "createdAt": record.created_at,
        "finishedAt": record.created_at,
        "running": False,
        "success": True,
        "captureErrorBehaviour": "rollback",
        "errors": [],
        "eventCount": len(record.event_ids),
        "newEventCount": record.new_event_count,
        "eventIDs": list(record.event_ids),
    }
