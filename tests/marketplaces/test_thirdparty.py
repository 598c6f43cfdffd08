"""A third-party adapter: found through its entry point, and held to the conformance suite.

VillageMart (``thirdparty/villagemart_ruralseller.py``) is installed the way pip installs a
package: a ``.dist-info`` folder with ``entry_points.txt`` on ``sys.path``. Its marketplace is
a fake API below with no idempotency keys, which can lose the answer to a create after making
the item: the conformance suite must still end with one item per SKU.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces import (
    ENTRY_POINT_GROUP,
    get_marketplace,
    installed_marketplaces,
    load_marketplace,
    marketplace_names,
)
from ruralseller.marketplaces.conformance import MarketplaceConformance

HERE = Path(__file__).parent / "thirdparty"


def install(site: Path, name: str, entry_points: dict[str, str]) -> None:
    """Write what pip writes for an installed distribution's metadata."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    lines = [f"[{ENTRY_POINT_GROUP}]"] + [f"{k} = {v}" for k, v in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


@pytest.fixture
def villagemart_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    install(
        tmp_path, "villagemart_ruralseller", {"villagemart": "villagemart_ruralseller:VillageMart"}
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(HERE))
    yield
    sys.modules.pop("villagemart_ruralseller", None)


@pytest.mark.usefixtures("villagemart_installed")
def test_the_entry_point_is_discovered() -> None:
    assert "villagemart" in marketplace_names()
    cls = load_marketplace("villagemart")
    assert cls.__name__ == "VillageMart"
    info = {i.name: i for i in installed_marketplaces()}["villagemart"]
    assert info.provider == "villagemart_ruralseller"
    assert info.capabilities is not None
    assert not info.capabilities.native_idempotency
    assert info.problem == ""


@pytest.mark.usefixtures("villagemart_installed")
def test_an_unknown_name_lists_the_installed_ones() -> None:
    with pytest.raises(InvalidValueError, match=r"'vilagemart'; installed: .*villagemart") as e:
        get_marketplace("vilagemart")
    assert e.value.field == "marketplace"


def test_a_broken_or_clashing_adapter_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(
        tmp_path,
        "shady",
        {
            "sandbox": "shady_module:Sandbox",
            "broken": "no_such_module:Adapter",
            "notone": "json:dumps",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    infos = {i.name: i for i in installed_marketplaces()}
    assert infos["sandbox"].provider == "ruralseller"
    assert "shady also registers 'sandbox'" in infos["sandbox"].problem
    assert infos["broken"].capabilities is None
    assert "cannot be loaded from 'no_such_module:Adapter'" in infos["broken"].problem
    assert "is not a marketplace adapter" in infos["notone"].problem
    with pytest.raises(InvalidValueError, match="cannot be loaded"):
        load_marketplace("broken")


# --- the fake VillageMart API -------------------------------------------------------------


class FakeVillageMart:
    """Items in a dict; POST makes a new item every time (no idempotency), like many APIs."""

    def __init__(self, lose_create_answers: float = 0.0, seed: int = 7) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.lose = lose_create_answers
        self.random = random.Random(seed)  # noqa: S311 - reproducible faults, not security
        self.lost = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != "Bearer vm-token":
            return httpx.Response(401, json={"message": "bad token"})
        path = request.url.path
        if request.method == "GET" and path == "/items":
            sku = request.url.params.get("sku")
            found = [i for i in self.items.values() if i["sku"] == sku]
            return httpx.Response(200, json={"items": found})
        if request.method == "POST" and path == "/items":
            return self._create(request)
        if match := re.fullmatch(r"/items/([^/]+)/pictures/([^/]+)", path):
            item = self.items[match.group(1)]
            if match.group(2) not in item["pictures"]:
                item["pictures"].append(match.group(2))
            return httpx.Response(200, json={})
        if request.method == "PATCH" and (match := re.fullmatch(r"/items/([^/]+)", path)):
            item = self.items[match.group(1)]
            changes = json.loads(request.content)
            if error := self._invalid(changes):
                return error
            item.update(changes)
            item["revision"] += 1
            return httpx.Response(200, json=item)
        return httpx.Response(404, json={"message": f"no route {request.method} {path}"})

    def _invalid(self, body: dict[str, Any]) -> httpx.Response | None:
        if len(body.get("title", "")) > 80:
            return httpx.Response(
                400, json={"errors": [{"field": "title", "message": "at most 80 characters"}]}
            )
        return None

    def _create(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if error := self._invalid(body):
            return error
        item_id = f"vm-{len(self.items) + 1}"
        self.items[item_id] = {
            **body,
            "id": item_id,
            "status": "live",
            "revision": 1,
            "pictures": [],
        }
        if self.random.random() < self.lose:
            self.lost += 1
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return httpx.Response(201, json=self.items[item_id])

    def skus(self) -> list[str]:
        return [item["sku"] for item in self.items.values()]


async def _no_wait(_seconds: float) -> None:
    return None


@pytest.mark.usefixtures("villagemart_installed")
class TestVillageMartConformance(MarketplaceConformance):
    """The shared suite against the third-party adapter."""

    fake: FakeVillageMart

    @pytest.fixture(autouse=True)
    def _marketplace(self) -> Iterator[None]:
        self.fake = FakeVillageMart()
        yield
        skus = self.fake.skus()
        assert len(skus) == len(set(skus)), "a SKU was listed twice"

    def make_marketplace(self) -> Any:
        return get_marketplace(
            "villagemart", transport=httpx.MockTransport(self.fake), sleep=_no_wait
        )


class TestVillageMartConformanceWhenAnswersAreLost(TestVillageMartConformance):
    """Half the creates lose their answer after the item was made: still no duplicate."""

    @pytest.fixture(autouse=True)
    def _marketplace(self) -> Iterator[None]:
        self.fake = FakeVillageMart(lose_create_answers=0.5)
        yield
        skus = self.fake.skus()
        assert len(skus) == len(set(skus)), "a SKU was listed twice"


@pytest.mark.usefixtures("villagemart_installed")
def test_lost_creates_were_really_exercised() -> None:
    """Without reconciliation by SKU, a lost answer would have made duplicates."""
    fake = FakeVillageMart(lose_create_answers=1.0)
    suite = TestVillageMartConformanceWhenAnswersAreLost()
    suite.fake = fake
    suite.test_upsert_publishes_and_fetch_reads_it_back()
    assert fake.lost == 1
    assert len(fake.skus()) == 1


@pytest.mark.usefixtures("villagemart_installed")
def test_a_third_party_adapters_drafts_meet_its_own_profile() -> None:
    from ruralseller.listing import get_profile  # noqa: PLC0415
    from ruralseller.marketplaces import marketplace_profile  # noqa: PLC0415

    profile = marketplace_profile("villagemart")
    assert profile.name == "villagemart"
    assert profile.title_max == 80  # its own rule, not the sandbox's 200
    assert get_profile("sandbox").title_max == 200
    assert marketplace_profile("etsy") is get_profile("etsy")


@pytest.mark.usefixtures("villagemart_installed")
def test_the_cli_checks_a_third_party_adapters_drafts_against_its_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import attrs  # noqa: PLC0415
    from click.testing import CliRunner  # noqa: PLC0415

    from ruralseller.catalog.samples import sample_path  # noqa: PLC0415
    from ruralseller.cli._app import cli  # noqa: PLC0415

    module = __import__("villagemart_ruralseller")
    monkeypatch.setattr(module, "PROFILE", attrs.evolve(module.PROFILE, title_max=20))
    result = CliRunner().invoke(
        cli,
        [
            *("publish", str(sample_path()), "--to", "villagemart", "--offline"),
            *("--outbox", str(tmp_path / "outbox.db")),
        ],
    )
    output = " ".join(result.output.split())
    assert result.exit_code == 1, output
    assert "nothing to send: every lot was refused" in output
    assert "villagemart takes at most 20" in output, output
    assert "Traceback" not in output


def test_names_are_matched_in_any_case_with_a_did_you_mean() -> None:
    """`load_marketplace("Sandbox")` is the sandbox; a typo names the closest adapter."""
    assert load_marketplace("SANDBOX") is load_marketplace("sandbox")
    assert get_marketplace("Sandbox", base_url="http://127.0.0.1:9").name == "sandbox"
    with pytest.raises(InvalidValueError) as caught:
        load_marketplace("ebya")
    assert caught.value.hint.startswith("did you mean 'ebay'?")
