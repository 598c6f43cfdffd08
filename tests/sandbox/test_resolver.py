"""EPCIS capture into the sandbox and the lot's story at its GS1 Digital Link."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import functools
import json
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import pytest
from starlette.applications import Starlette
from tests.sandbox.conftest import IMAGE_NAMES, SandboxAuth, picture

from ruralseller.catalog import Mass, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import CHINA_STANDARD_TIME, plan_shipment
from ruralseller.listing import generate_listing
from ruralseller.listing.render import draft_to_data
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.packaging import lot_label
from ruralseller.sandbox import Faults
from ruralseller.traceability import EpcisDocument, events_for_lot, lgtin, read_document

LOT = "WJ261123A"
GTIN = "99526000160017"
STORY = f"/01/{GTIN}/10/{LOT}"
CAPTURE = "/v1/epcis/capture"


@functools.cache
def _document() -> EpcisDocument:
    catalog = load_catalog(sample_path())
    ship_at = dt.datetime(2026, 11, 23, 14, tzinfo=CHINA_STANDARD_TIME)
    best = plan_shipment(catalog, LOT, ["广州"], ship_at).destinations[0].best
    created = dt.datetime(2026, 11, 25, 12, tzinfo=CHINA_STANDARD_TIME)
    return events_for_lot(catalog, LOT, shipment=best, created=created)


@pytest.fixture
def document() -> EpcisDocument:
    """The black-chicken lot's events, from the slaughter to the buyer in Guangzhou."""
    return _document()


@pytest.fixture
def body(document: EpcisDocument) -> dict[str, Any]:
    """The document as JSON data (a fresh copy for each test)."""
    return copy.deepcopy(document.to_dict())


def stored_events(app: Starlette) -> int:
    with app.state.sandbox.storage.transaction() as tx:
        return int(tx.count_epcis_events())


def schema_check(anonymous: httpx.Client, name: str, instance: object) -> None:
    components = anonymous.get("/openapi.json").json()["components"]
    schema = {"$ref": f"#/components/schemas/{name}", "components": components}
    jsonschema.Draft202012Validator(schema).validate(instance)


# --- capture -----------------------------------------------------------------------------


def test_capture_stores_every_event_and_answers_a_capture_job(
    app: Starlette, client: httpx.Client, anonymous: httpx.Client, body: dict[str, Any]
) -> None:
    answer = client.post(CAPTURE, json=body)
    assert answer.status_code == 202, answer.text
    job = answer.json()
    schema_check(anonymous, "CaptureJob", job)
    assert (job["eventCount"], job["newEventCount"], job["success"]) == (5, 5, True)
    assert len(set(job["eventIDs"])) == 5
    assert all(i.startswith("urn:ruralseller:event:sha256:") for i in job["eventIDs"])
    assert answer.headers["Location"] == f"{CAPTURE}/{job['captureID']}"
    assert client.get(answer.headers["Location"]).json() == job
    assert stored_events(app) == 5


def test_capturing_the_same_document_again_stores_nothing_new(
    app: Starlette, client: httpx.Client, body: dict[str, Any]
) -> None:
    first = client.post(CAPTURE, json=body).json()
    again = client.post(CAPTURE, json=body).json()
    assert (again["eventCount"], again["newEventCount"]) == (5, 0)
    assert again["eventIDs"] == first["eventIDs"]
    assert again["captureID"] != first["captureID"]
    assert stored_events(app) == 5


def test_an_event_id_sent_is_kept(
    app: Starlette, client: httpx.Client, body: dict[str, Any]
) -> None:
    body["epcisBody"]["eventList"][0]["eventID"] = "urn:uuid:2b5c6a52-0d0e-4c79-9d5c-1f7b1f1c0001"
    job = client.post(CAPTURE, json=body).json()
    assert job["eventIDs"][0] == "urn:uuid:2b5c6a52-0d0e-4c79-9d5c-1f7b1f1c0001"
    with app.state.sandbox.storage.transaction() as tx:
        (slaughter, *_rest) = tx.lot_events(GTIN, LOT)
    assert slaughter.event_id == "urn:uuid:2b5c6a52-0d0e-4c79-9d5c-1f7b1f1c0001"
    assert slaughter.data == body["epcisBody"]["eventList"][0]


def test_a_changed_event_under_a_stored_event_id_is_refused_whole(
    app: Starlette, client: httpx.Client, body: dict[str, Any]
) -> None:
    events = body["epcisBody"]["eventList"]
    events[0]["eventID"] = "urn:uuid:2b5c6a52-0d0e-4c79-9d5c-1f7b1f1c0002"
    assert client.post(CAPTURE, json={**body, "epcisBody": {"eventList": events[:1]}}).is_success
    events[0]["ilmd"]["rs:quarantineCertificate"] = "3608261123000999"
    answer = client.post(CAPTURE, json=body)
    assert answer.status_code == 409
    refused = answer.json()
    assert refused["code"] == "event_id_conflict"
    assert "urn:uuid:2b5c6a52-0d0e-4c79-9d5c-1f7b1f1c0002" in refused["message"]
    assert refused["errors"][0]["field"] == "epcisBody.eventList[0].eventID"
    assert stored_events(app) == 1  # all or nothing: the four others were not stored


def test_a_bad_document_is_refused_naming_each_problem(
    app: Starlette, client: httpx.Client, anonymous: httpx.Client, body: dict[str, Any]
) -> None:
    events = body["epcisBody"]["eventList"]
    events[1]["eventTime"] = "yesterday"
    del events[3]["eventTimeZoneOffset"]
    answer = client.post(CAPTURE, json=body)
    assert answer.status_code == 400
    refused = answer.json()
    schema_check(anonymous, "Error", refused)
    assert refused["code"] == "invalid_epcis_document"
    assert "2 problems" in refused["message"]
    assert "'yesterday' is not an ISO 8601 date and time" in refused["message"]
    assert [error["field"] for error in refused["errors"]] == [
        "epcisBody.eventList[1].eventTime",
        "epcisBody.eventList[3].eventTimeZoneOffset",
    ]
    assert stored_events(app) == 0


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"/etc/hostname", "not a JSON object"),
        (b'{"type": "EPCISQueryDocument"}', "is not an EPCIS document"),
        (b'{"type": "EPCISDocument", ', "is not JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_a_body_that_is_not_an_epcis_document_is_refused(
    app: Starlette, client: httpx.Client, content: bytes, says: str
) -> None:
    answer = client.post(CAPTURE, content=content, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_epcis_document"
    assert says in answer.json()["message"]
    assert stored_events(app) == 0


def test_a_capture_not_sent_as_json_is_refused(
    client: httpx.Client, document: EpcisDocument
) -> None:
    answer = client.post(
        CAPTURE, content=document.to_json().encode(), headers={"Content-Type": "text/plain"}
    )
    assert (answer.status_code, answer.json()["code"]) == (415, "unsupported_media_type")


def test_an_unsigned_capture_is_refused(
    app: Starlette, anonymous: httpx.Client, body: dict[str, Any]
) -> None:
    answer = anonymous.post(CAPTURE, json=body)
    assert (answer.status_code, answer.json()["code"]) == (401, "missing_credentials")
    forged = httpx.post(
        anonymous.base_url.join(CAPTURE),
        json=body,
        auth=SandboxAuth(secret="not-the-secret"),  # noqa: S106 - a wrong one on purpose
    )
    assert (forged.status_code, forged.json()["code"]) == (401, "bad_signature")
    assert stored_events(app) == 0
    assert anonymous.get("/v1/epcis/capture/anything").status_code == 401


def test_another_accounts_capture_job_is_not_found(client: httpx.Client) -> None:
    answer = client.get("/v1/epcis/capture/0123456789abcdef")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


# --- the adapter -------------------------------------------------------------------------


def test_the_adapter_captures_and_counts_only_new_events(
    app: Starlette, document: EpcisDocument
) -> None:
    async def capture_twice() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        sandbox = SandboxMarketplace("http://sandbox", transport=transport)
        try:
            return await sandbox.capture_events(document), await sandbox.capture_events(document)
        finally:
            await sandbox.aclose()

    assert asyncio.run(capture_twice()) == (5, 0)
    assert stored_events(app) == 5


def test_the_adapter_survives_a_lost_answer_without_miscounting(
    app: Starlette, base_url: str, document: EpcisDocument
) -> None:
    # Seed 6 loses the first answer (the events are stored, the connection dropped), then
    # lets the retry through: the retry must replay "5 new", not count "0 new" again.
    app.state.sandbox.set_faults(Faults(lost_response=0.5, seed=6))
    sent: list[str] = []

    async def log(request: httpx.Request) -> None:
        sent.append(request.headers["Idempotency-Key"])

    async def no_wait(_seconds: float) -> None:
        return None

    async def capture() -> int:
        sandbox = SandboxMarketplace(base_url, sleep=no_wait)
        sandbox.http.client.event_hooks["request"] = [log]
        try:
            return await sandbox.capture_events(document)
        finally:
            await sandbox.aclose()

    assert asyncio.run(capture()) == 5
    assert len(sent) == 2
    assert sent[0] == sent[1]
    assert stored_events(app) == 5


# --- the resolver page -------------------------------------------------------------------


def test_the_page_tells_the_lots_story_in_time_order(
    client: httpx.Client, anonymous: httpx.Client, body: dict[str, Any], document: EpcisDocument
) -> None:
    assert client.post(CAPTURE, json=body).status_code == 202
    page = anonymous.get(f"{STORY}?17=261128&3101=000013")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "script-src" not in page.headers["Content-Security-Policy"]
    html = page.text
    for text in (
        "汪陂村",
        "吴家乌鸡养殖场 · 江西省 吉安市 泰和县 武山镇 汪陂村",
        "泰和县禽类定点屠宰场",
        "B36082601",
        "3608261123000087",
        "2026-11-23 06:15 UTC+08:00",
        "buyer in 广州市",
        "Simulated by the cold-chain model",
    ):
        assert text in html, text
    titles = ["屠宰 Slaughter", "包装 Packing", "发货 Shipping", "离开中转站 Departing"]
    titles.append("收货 Receiving")
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    (element,) = document.events[2].sensor_elements
    summary = f"最低 min {element.coldest:.1f} °C, 最高 max {element.warmest:.1f} °C"
    assert summary in html
    assert f"{len(element.readings)} 次读数 readings" in html
    assert "Time outside the limit" not in html  # the simulation flags no alarm


def test_the_page_counts_the_time_a_logger_flagged_too_warm(
    client: httpx.Client, anonymous: httpx.Client, body: dict[str, Any]
) -> None:
    shipping = body["epcisBody"]["eventList"][2]
    shipping["sensorElementList"] = [
        {
            "sensorMetadata": {"deviceID": "urn:epc:id:giai:4000001.111"},
            "sensorReport": [
                {"type": "Temperature", "time": f"2026-11-23T{t}+08:00", "value": v, "uom": "CEL"}
                | ({"exception": "ALARM_CONDITION"} if v > 4 else {})
                for t, v in (("14:00:00", 2.5), ("14:15:00", 6.5), ("14:45:00", 8), ("15:00:00", 3))
            ],
        }
    ]
    assert client.post(CAPTURE, json=body).status_code == 202
    html = anonymous.get(STORY).text
    assert "最低 min 2.5 °C, 最高 max 8.0 °C" in html
    assert "Time outside the limit: 45 min" in html
    assert "Simulated" not in html


def test_every_text_on_the_page_is_escaped(client: httpx.Client, anonymous: httpx.Client) -> None:
    lot = "<script>alert(1)"
    document = {
        "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-23T14:00:00+08:00",
        "epcisHeader": {
            "epcisMasterData": {
                "vocabularyList": [
                    {
                        "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
                        "vocabularyElementList": [
                            {
                                "id": "urn:ruralseller:producer:x",
                                "attributes": [
                                    {
                                        "id": "urn:epcglobal:cbv:mda#name",
                                        "attribute": '<img src=x onerror="alert(2)">',
                                    }
                                ],
                            }
                        ],
                    }
                ]
            }
        },
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "action": "OBSERVE",
                    "bizStep": "shipping",
                    "eventTime": "2026-11-23T14:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "readPoint": {"id": "urn:ruralseller:producer:x"},
                    "quantityList": [{"epcClass": lgtin(GTIN, lot), "quantity": 1, "uom": "H87"}],
                    "ilmd": {"rs:producer": "<i>Wu</i> & sons"},
                },
                {
                    # An event type we do not model: kept as sent, its bizStep unchecked.
                    "type": "AssociationEvent",
                    "action": "ADD",
                    "bizStep": "<b>tagging</b>",
                    "eventTime": "2026-11-23T15:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "parentID": "urn:epc:id:giai:4000001.111",
                    "childQuantityList": [{"epcClass": lgtin(GTIN, lot)}],
                },
            ]
        },
    }
    assert client.post(CAPTURE, json=document).status_code == 202, "capture"
    page = anonymous.get(f"/01/{GTIN}/10/{quote(lot, safe='')}")
    assert page.status_code == 200
    html = page.text
    assert "<script>" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    assert "&lt;i&gt;Wu&lt;/i&gt; &amp; sons" in html
    assert "&lt;b&gt;tagging&lt;/b&gt;" in html


def test_a_lot_code_with_a_slash_is_one_lot(client: httpx.Client, anonymous: httpx.Client) -> None:
    document = read_document(json.dumps(_one_event("A/1")))
    assert client.post(CAPTURE, content=document.to_json().encode(), headers=_JSON).is_success
    assert lgtin(GTIN, "A/1").endswith("/10/A%2F1")
    assert anonymous.get(f"/01/{GTIN}/10/A%2F1").status_code == 200
    assert anonymous.get(f"/01/{GTIN}/10/A").status_code == 404


_JSON = {"Content-Type": "application/json"}


def _one_event(lot: str) -> dict[str, Any]:
    return {
        "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-23T14:00:00+08:00",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "action": "OBSERVE",
                    "bizStep": "receiving",
                    "eventTime": "2026-11-28T05:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "quantityList": [{"epcClass": lgtin(GTIN, lot)}],
                }
            ]
        },
    }


@pytest.mark.parametrize(
    "path",
    [
        f"/01/{GTIN}/10/WJ000000Z",  # a lot nobody captured
        f"/01/99526000160018/10/{LOT}",  # a wrong check digit
        f"/01/9526000160017/10/{LOT}",  # 13 digits
        f"/01/{GTIN}",  # no lot
        f"/01/{GTIN}/10/{LOT}/21/1",  # a serial number
    ],
)
def test_a_link_with_no_story_is_a_404_page(
    client: httpx.Client, anonymous: httpx.Client, body: dict[str, Any], path: str
) -> None:
    assert client.post(CAPTURE, json=body).status_code == 202
    page = anonymous.get(path)
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Not found" in page.text


def test_the_labels_qr_code_opens_the_story(
    client: httpx.Client, anonymous: httpx.Client, base_url: str, body: dict[str, Any]
) -> None:
    catalog = load_catalog(sample_path())
    label = lot_label(catalog, LOT, net_weight=Mass.parse("1.3 kg"), digital_link_base=base_url)
    assert label.digital_link.startswith(f"{base_url}{STORY}?")
    assert anonymous.get(label.digital_link).status_code == 404  # nothing captured yet
    assert client.post(CAPTURE, json=body).status_code == 202
    page = anonymous.get(label.digital_link)
    assert page.status_code == 200
    assert "汪陂村" in page.text


def test_the_listing_and_the_story_link_to_each_other(
    client: httpx.Client, anonymous: httpx.Client, base_url: str, body: dict[str, Any]
) -> None:
    catalog = load_catalog(sample_path())
    draft = generate_listing(catalog, LOT, on=dt.date(2026, 11, 23), traceability_base=base_url)
    data = draft_to_data(draft)
    assert client.put(f"/v1/listings/{LOT}", json=data).status_code == 201
    for name in IMAGE_NAMES:
        jpeg = {"Content-Type": "image/jpeg"}
        client.put(f"/v1/listings/{LOT}/images/{name}", content=picture(), headers=jpeg)
    assert client.post(f"/v1/listings/{LOT}/publish").status_code == 200
    assert 'class="story"' not in anonymous.get(f"/listings/{LOT}").text
    assert client.post(CAPTURE, json=body).status_code == 202
    listing = anonymous.get(f"/listings/{LOT}").text
    assert f'<p class="story"><a href="{STORY}">溯源: ' in listing
    assert f'href="{base_url}{STORY}?17=261128"' in listing  # the draft's own Digital Link
    story = anonymous.get(STORY).text
    assert f'<a href="/listings/{LOT}">泰和乌鸡' in story
    client.post(f"/v1/listings/{LOT}/withdraw")
    assert f'href="/listings/{LOT}"' not in anonymous.get(STORY).text
