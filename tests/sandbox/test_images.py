from __future__ import annotations

import hashlib
import os
from typing import Any

import httpx
import pytest
from tests.sandbox.conftest import SKU, picture

URL = f"/v1/listings/{SKU}/images/hen.png"


@pytest.fixture
def listing(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    assert client.put(f"/v1/listings/{SKU}", json=draft_data).status_code == 201


def upload(client: httpx.Client, data: bytes, content_type: str = "image/png") -> httpx.Response:
    return client.put(URL, content=data, headers={"Content-Type": content_type})


@pytest.mark.usefixtures("listing")
def test_upload_and_fetch(client: httpx.Client, anonymous: httpx.Client) -> None:
    data = picture(400, 300, "PNG")
    answer = upload(client, data)
    assert answer.status_code == 201
    assert answer.json() == {
        "name": "hen.png",
        "width": 400,
        "height": 300,
        "format": "PNG",
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert upload(client, data).status_code == 200
    assert client.get(f"/v1/listings/{SKU}").json()["version"] == 2
    for path in (URL, f"/images/{SKU}/hen.png"):
        fetched = anonymous.get(path)
        assert fetched.content == data
        assert fetched.headers["Content-Type"] == "image/png"
    assert anonymous.get(f"/images/{SKU}/nope.png").status_code == 404


@pytest.mark.usefixtures("listing")
def test_a_small_picture_is_refused(client: httpx.Client) -> None:
    answer = upload(client, picture(150, 300, "PNG"))
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_image")
    assert answer.json()["errors"][0]["field"] == "images/hen.png"


@pytest.mark.usefixtures("listing")
def test_the_wrong_type_is_refused(client: httpx.Client) -> None:
    assert upload(client, picture(), "image/gif").status_code == 415
    assert upload(client, picture(), "text/plain").json()["code"] == "unsupported_media_type"


@pytest.mark.usefixtures("listing")
def test_bytes_must_match_the_type(client: httpx.Client) -> None:
    answer = upload(client, picture(fmt="JPEG"), "image/png")
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_image")
    broken = upload(client, b"\x89PNG\r\n\x1a\n not really")
    assert (broken.status_code, broken.json()["code"]) == (422, "invalid_image")


@pytest.mark.usefixtures("listing")
def test_too_many_bytes_are_refused(client: httpx.Client) -> None:
    over_profile = upload(client, os.urandom(5_000_001), "image/jpeg")
    assert (over_profile.status_code, over_profile.json()["code"]) == (413, "too_large")
    over_limit = upload(client, b"\0" * 10_000_001, "image/jpeg")
    assert (over_limit.status_code, over_limit.json()["code"]) == (413, "too_large")


def test_a_picture_needs_a_listing(client: httpx.Client) -> None:
    assert upload(client, picture(fmt="PNG")).status_code == 404
