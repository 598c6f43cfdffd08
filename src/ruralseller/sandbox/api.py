"""The ``/v1`` API routes and what every one of them does first.

Every request is read (size-limited), authenticated, rate-limited and, for a ``POST`` with
an ``Idempotency-Key``, carried out at most once.

Each route is written in two steps: :data:`Handler` checks the request without touching
the database and returns an :data:`Apply` that does the reads and writes in one
transaction, so a slow check (decoding a picture) never holds the database lock.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, Final

import attrs
from starlette.requests import Request
from starlette.responses import Response

from ruralseller.sandbox.api_errors import ApiError, json_response
from ruralseller.sandbox.auth import AuthFailure, SignedRequest, authenticate
from ruralseller.sandbox.capture import capture_job, check_media_type, read_capture
from ruralseller.sandbox.images import check_image, check_name, sandbox_spec
from ruralseller.sandbox.listings import (
    new_listing,
    not_found,
    parse_draft,
    parse_inventory,
    publish,
    resource,
    set_state,
    updated_listing,
)
from ruralseller.sandbox.state import Sandbox
from ruralseller.sandbox.storage import CaptureRecord, ImageRecord, ListingRecord, Transaction

__all__ = [
    "EPCIS_BODY_LIMIT",
    "IDEMPOTENCY_TTL",
    "IMAGE_BODY_LIMIT",
    "JSON_BODY_LIMIT",
    "ROUTES",
    "Apply",
    "Call",
    "Handler",
]

JSON_BODY_LIMIT: Final = 1_000_000
"""The largest JSON body the API reads, in bytes (1 MB)."""

IMAGE_BODY_LIMIT: Final = 10_000_000
"""The largest picture upload the API reads, in bytes (10 MB)."""

EPCIS_BODY_LIMIT: Final = 5_000_000
"""The largest EPCIS document the capture endpoint reads, in bytes (5 MB: a week of
temperature readings every minute fits)."""

IDEMPOTENCY_TTL: Final = 24 * 3600
"""How long an idempotency key's answer is kept, in seconds (24 h, as Stripe keeps them)."""

Answer = tuple[int, Any]


@attrs.frozen
class Call:
    """An authenticated API request: who made it and its body."""

    request: Request
    sandbox: Sandbox
    account: str
    body: bytes

    def param(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])

    def now(self) -> str:
        """Now, ISO 8601 UTC."""
        return self.sandbox.timestamp()


Apply = Callable[[Transaction], Answer]
Handler = Callable[[Call], Apply]
Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


def _path_with_query(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    path = bytes(raw).decode("latin-1")
    return f"{path}?{query.decode('latin-1')}" if query else path


async def _read_body(request: Request, limit: int, seconds: float) -> bytes:
    too_large = ApiError(413, "too_large", f"the body is over {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and (len(declared) > 18 or int(declared) > limit):
        raise too_large
    body = bytearray()
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise too_large
    except TimeoutError:
        raise ApiError(
            408,
            "request_timeout",
            f"the body did not arrive within {seconds:g} s; send it again",
            headers={"Connection": "close"},
        ) from None
    return bytes(body)


_MAX_IDEMPOTENCY_KEY = 255


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not 0 < len(key) <= _MAX_IDEMPOTENCY_KEY:
        raise ApiError(
            400,
            "bad_idempotency_key",
            f"Idempotency-Key must be 1 to {_MAX_IDEMPOTENCY_KEY} characters",
        )
    return key


def _rate_limit(sandbox: Sandbox, account: str) -> None:
    wait = sandbox.buckets.take(account)
    if wait:
        seconds = max(1, math.ceil(wait))
        raise ApiError(
            429,
            "rate_limited",
            f"over {sandbox.config.rate:g} requests a second; retry after {seconds} s",
            # Retry-After in delay-seconds (RFC 9110 §10.2.3), never 0.
            headers={"Retry-After": str(seconds)},
        )


def _run(sandbox: Sandbox, apply: Apply) -> Response:
    with sandbox.storage.transaction() as tx:
        status, body = apply(tx)
    return json_response(body, status)


def _request_hash(request: Request, body: bytes) -> str:
    head = f"{request.method}\n{_path_with_query(request)}\n".encode()
    return hashlib.sha256(head + body).hexdigest()


def _idempotent(call: Call, key: str, handler: Handler) -> Response:
    sandbox, account = call.sandbox, call.account
    request_hash = _request_hash(call.request, call.body)
    now = sandbox.config.now()
    with sandbox.storage.transaction() as tx:
        record = tx.idempotency(account, key)
        if record is not None and now - record.created_at <= IDEMPOTENCY_TTL:
            if record.request_hash != request_hash:
                raise ApiError(
                    409,
                    "idempotency_key_reused",
                    "this Idempotency-Key was used for a different request; use a new key",
                )
            if record.status is None or record.body is None:
                raise ApiError(
                    409,
                    "idempotency_key_in_flight",
                    "a request with this Idempotency-Key is still being handled; retry later",
                )
            return json_response(
                json.loads(record.body), record.status, {"Idempotent-Replayed": "true"}
            )
        tx.claim_idempotency(account, key, request_hash, now)
    try:
        with sandbox.storage.transaction() as tx:
            try:
                status, body = handler(call)(tx)
            except ApiError as error:
                status, body = error.status, error.body()
            tx.finish_idempotency(account, key, status, json.dumps(body, ensure_ascii=False))
    except BaseException:
        with sandbox.storage.transaction() as tx:
            tx.release_idempotency(account, key)
        raise
    return json_response(body, status)


def _located(response: Response, location: Callable[[Any], str] | None) -> Response:
    if location is not None and 200 <= response.status_code < 300:
        response.headers["Location"] = location(json.loads(bytes(response.body)))
    return response


def _v1(
    handler: Handler,
    *,
    limit: int = JSON_BODY_LIMIT,
    location: Callable[[Any], str] | None = None,
) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        sandbox: Sandbox = request.app.state.sandbox
        try:
            body = await _read_body(request, limit, sandbox.config.body_timeout)
            signed = SignedRequest(
                method=request.method,
                path_with_query=_path_with_query(request),
                headers=request.headers,
                body=body,
            )
            key = _idempotency_key(request)
            account = authenticate(
                signed, sandbox.config.accounts, sandbox.config.now(), sandbox.replays
            )
            _rate_limit(sandbox, account)
            call = Call(request, sandbox, account, body)
            if request.method == "POST" and key:
                return _located(_idempotent(call, key, handler), location)
            return _located(_run(sandbox, handler(call)), location)
        except AuthFailure as failure:
            return ApiError(401, failure.code, failure.message).response()
        except ApiError as error:
            return error.response()
        except (UnicodeError, OverflowError, RecursionError) as exc:
            # A value no check above foresaw that the database or a parser cannot take:
            # the request is at fault, and it is told so rather than answered 500.
            return ApiError(
                422, "unprocessable", f"the request holds a value the sandbox cannot take: {exc}"
            ).response()

    return endpoint


# --- the routes -------------------------------------------------------------------------


def _existing(tx: Transaction, call: Call) -> ListingRecord:
    record = tx.listing(call.account, call.param("sku"))
    if record is None:
        raise not_found(call.param("sku"))
    return record


def put_listing(call: Call) -> Apply:
    """``PUT /v1/listings/{sku}``: create or update a listing from its draft."""
    draft, data = parse_draft(call.body, call.param("sku"))

    def apply(tx: Transaction) -> Answer:
        old = tx.listing(call.account, draft.sku)
        if old is None:
            record, status = new_listing(call.account, draft, data, call.now()), 201
        else:
            record, status = updated_listing(old, draft, data, call.now()), 200
        if record is not old:
            tx.save_listing(record)
        return status, resource(tx, record)

    return apply


def post_listing(call: Call) -> Apply:
    """``POST /v1/listings``: create a listing; 409 ``sku_exists`` if there is one."""
    draft, data = parse_draft(call.body)

    def apply(tx: Transaction) -> Answer:
        if tx.listing(call.account, draft.sku) is not None:
            raise ApiError(
                409,
                "sku_exists",
                f"this account already has a listing with SKU {draft.sku!r}; "
                f"update it with PUT /v1/listings/{draft.sku}",
            )
        record = new_listing(call.account, draft, data, call.now())
        tx.save_listing(record)
        return 201, resource(tx, record)

    return apply


def get_listing(call: Call) -> Apply:
    """``GET /v1/listings/{sku}``."""

    def apply(tx: Transaction) -> Answer:
        return 200, resource(tx, _existing(tx, call))

    return apply


def _limit(raw: str | None) -> int:
    if raw is None:
        return 100
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise ApiError(
            422,
            "invalid_request",
            "limit must be a whole number from 1 to 500",
            errors=[("limit", f"{raw!r} is not from 1 to 500")],
        )
    return int(raw)


def query_listings(call: Call) -> Apply:
    """``GET /v1/listings``: the account's listings by SKU, a page at a time."""
    params = call.request.query_params
    skus, after, limit = params.getlist("sku"), params.get("after", ""), _limit(params.get("limit"))

    def apply(tx: Transaction) -> Answer:
        found = tx.listings(call.account, skus=skus, after=after, limit=limit + 1)
        page = found[:limit]
        more = len(found) > limit
        return 200, {
            "listings": [resource(tx, record) for record in page],
            "next": page[-1].sku if more else None,
        }

    return apply


def put_image(call: Call) -> Apply:
    """``PUT /v1/listings/{sku}/images/{name}``: upload one picture."""
    name = call.param("name")
    image = check_image(name, call.request.headers.get("content-type", ""), call.body)
    limit = sandbox_spec().max_count

    def apply(tx: Transaction) -> Answer:
        record = _existing(tx, call)
        images = {item.name: item for item in tx.images(call.account, record.sku)}
        old = images.get(name)
        if old is not None and old.sha256 == image.sha256:
            return 200, _image_answer(image)
        if old is None and len(images) >= limit:
            message = f"a listing has at most {limit} pictures; replace one instead"
            raise ApiError(422, "invalid_image", message, errors=[(f"images/{name}", message)])
        tx.save_image(call.account, record.sku, image, call.body)
        tx.save_listing(attrs.evolve(record, version=record.version + 1, updated_at=call.now()))
        return (201 if old is None else 200), _image_answer(image)

    return apply


def _image_answer(image: ImageRecord) -> dict[str, Any]:
    return {
        "name": image.name,
        "width": image.width,
        "height": image.height,
        "format": image.format,
        "bytes": image.size,
        "sha256": image.sha256,
    }


def put_inventory(call: Call) -> Apply:
    """``PUT /v1/listings/{sku}/inventory``: set stock and, optionally, the price."""
    stock, price = parse_inventory(call.body)

    def apply(tx: Transaction) -> Answer:
        record = _existing(tx, call)
        amount = str(price.amount) if price else record.price_amount
        currency = price.currency if price else record.price_currency
        changed = (stock, amount, currency) != (
            record.stock,
            record.price_amount,
            record.price_currency,
        )
        if changed:
            record = attrs.evolve(
                record,
                stock=stock,
                price_amount=amount,
                price_currency=currency,
                version=record.version + 1,
                updated_at=call.now(),
            )
            tx.save_listing(record)
        return 200, resource(tx, record)

    return apply


def _state_change(change: Callable[[Transaction, ListingRecord, str], ListingRecord]) -> Handler:
    def handler(call: Call) -> Apply:
        def apply(tx: Transaction) -> Answer:
            record = _existing(tx, call)
            new = change(tx, record, call.now())
            if new is not record:
                tx.save_listing(new)
            return 200, resource(tx, new)

        return apply

    return handler


publish_listing = _state_change(publish)
"""``POST /v1/listings/{sku}/publish``: make a listing active."""

withdraw_listing = _state_change(lambda _tx, record, now: set_state(record, "withdrawn", now))
"""``POST /v1/listings/{sku}/withdraw``: withdraw a listing."""


async def get_image(request: Request) -> Response:
    """``GET /v1/listings/{sku}/images/{name}`` and ``/images/{sku}/{name}``: a picture's bytes.

    Public, like the listing pages that show it.
    """
    sku, name = str(request.path_params["sku"]), str(request.path_params["name"])
    check_name(name)
    sandbox: Sandbox = request.app.state.sandbox
    with sandbox.storage.transaction() as tx:
        found = tx.image_data(sku, name)
    if found is None:
        raise ApiError(404, "not_found", f"listing {sku!r} has no picture {name!r}")
    media_type, data = found
    return Response(data, media_type=media_type, headers={"Cache-Control": "public, max-age=60"})


def capture_document(call: Call) -> Apply:
    """``POST /v1/epcis/capture``: store an EPCIS document's new events (202, a capture job).

    All or nothing: an event whose ``eventID`` is already stored with other content is a
    409 ``event_id_conflict``, and nothing of the document is stored.
    """
    check_media_type(call.request.headers.get("content-type", ""))
    capture_id = uuid.uuid4().hex
    capture = read_capture(call.body, account=call.account, capture_id=capture_id)

    def apply(tx: Transaction) -> Answer:
        # Check every event before writing any: an ApiError raised here is stored as an
        # idempotency key's answer in this same transaction, so nothing may be half-written.
        new: dict[str, int] = {}
        for index, event in enumerate(capture.events):
            stored = tx.epcis_event_sha256(call.account, event.event_id)
            earlier = next(
                (e for e in capture.events[:index] if e.event_id == event.event_id), None
            )
            known = stored or (earlier.content_sha256 if earlier else None)
            if known is not None and known != event.content_sha256:
                path = f"epcisBody.eventList[{index}].eventID"
                message = f"event {event.event_id} is already captured with other content"
                raise ApiError(
                    409,
                    "event_id_conflict",
                    f"{message}; an eventID names one event: give a changed event a new id",
                    errors=[(path, message)],
                )
            if known is None:
                new[event.event_id] = index
        for index in new.values():
            tx.save_epcis_event(capture.events[index])
        for location in capture.locations:
            tx.save_epcis_location(location)
        record = CaptureRecord(
            account=call.account,
            capture_id=capture_id,
            created_at=call.now(),
            event_ids=tuple(event.event_id for event in capture.events),
            new_event_count=len(new),
        )
        tx.save_capture(record)
        return 202, capture_job(record)

    return apply


def get_capture(call: Call) -> Apply:
    """``GET /v1/epcis/capture/{captureID}``: how a capture went."""

    def apply(tx: Transaction) -> Answer:
        record = tx.capture(call.account, call.param("captureID"))
        if record is None:
            raise ApiError(
                404, "not_found", f"this account has no capture {call.param('captureID')!r}"
            )
        return 200, capture_job(record)

    return apply


def _capture_location(body: Any) -> str:
    return f"/v1/epcis/capture/{body['captureID']}"


ROUTES: Final = (
    ("/v1/listings", "GET", _v1(query_listings)),
    ("/v1/listings", "POST", _v1(post_listing)),
    ("/v1/listings/{sku}", "GET", _v1(get_listing)),
    ("/v1/listings/{sku}", "PUT", _v1(put_listing)),
    ("/v1/listings/{sku}/images/{name}", "PUT", _v1(put_image, limit=IMAGE_BODY_LIMIT)),
    ("/v1/listings/{sku}/images/{name}", "GET", get_image),
    ("/v1/listings/{sku}/inventory", "PUT", _v1(put_inventory)),
    ("/v1/listings/{sku}/publish", "POST", _v1(publish_listing)),
    ("/v1/listings/{sku}/withdraw", "POST", _v1(withdraw_listing)),
    (
        "/v1/epcis/capture",
        "POST",
        _v1(capture_document, limit=EPCIS_BODY_LIMIT, location=_capture_location),
    ),
    ("/v1/epcis/capture/{captureID}", "GET", _v1(get_capture)),
)
"""The API's routes: (path, method, endpoint)."""
