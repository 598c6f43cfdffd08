"""What a buyer sees: the sandbox's listing page, opened in headless Chromium.

The page is rendered by a real browser (Debian's ``chromium`` package; ``.ci/run`` installs
it where apt is available): the text a buyer reads is in the DOM after rendering, the
picture is actually loaded and painted, and a title carrying a script runs nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import attrs
import pytest
from click.testing import CliRunner
from PIL import Image

import ruralseller.sandbox.cli
from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.listing import (
    ListingDraft,
    ShippingPromise,
    generate_listing,
    get_profile,
    process_image,
)
from ruralseller.marketplaces import SyncMarketplace, get_marketplace
from ruralseller.publishing import PublishReport
from ruralseller.sandbox import running

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)
PICTURE_COLOUR = (180, 40, 150)  # a magenta nothing else on the page is


def _fonts(tmp_path: Path) -> dict[str, str]:
    """Fontconfig settings that add the CJK font the labels extra installs, if it is there.

    Without a CJK font Chromium paints Chinese as empty boxes, and a screenshot could not
    tell a title from a row of tofu; the system's own fonts stay available.
    """
    try:
        import noto_cjk_sans_otc  # noqa: PLC0415 - optional, part of the labels extra
    except ImportError:
        return {}
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{Path(noto_cjk_sans_otc.FONT_PATH).parent}</dir>"
        f"<cachedir>{tmp_path / 'fontcache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(config)}


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(  # noqa: S603 - a fixed local binary and our own loopback URL
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, **_fonts(tmp_path)},
    )
    return result.stdout


@pytest.fixture(scope="module")
def draft() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


@pytest.fixture(scope="module")
def page_url(draft: ListingDraft) -> Iterator[str]:
    buffer = io.BytesIO()
    Image.new("RGB", (1400, 1400), PICTURE_COLOUR).save(buffer, "PNG")
    picture = process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.png")
    texts = dict(draft.texts)
    texts["zh-CN"] = attrs.evolve(
        texts["zh-CN"], title=texts["zh-CN"].title + "<script>document.title='pwned'</script>"
    )
    shipping = ShippingPromise(
        temperature_class="chilled", regions=("上海", "杭州"), dispatch_days=("Mon", "Thu")
    )
    listed = attrs.evolve(draft, texts=texts, shipping=shipping)
    with running() as url, SyncMarketplace(get_marketplace("sandbox", base_url=url)) as shop:
        state = shop.upsert(listed, [picture])
        assert state.url is not None
        yield state.url


def test_the_page_shows_what_the_buyer_needs(tmp_path: Path, page_url: str) -> None:
    dom = chromium(tmp_path, "--dump-dom", page_url)
    assert '<html lang="zh-CN">' in dom
    assert "泰和乌鸡 整只 冰鲜 1-1.4 kg/只" in dom
    assert '<span class="price">¥100.80/只</span>' in dom  # the unit price, once
    assert "¥36.00/斤" in dom  # and the price by weight
    assert "山里散养 150 天以上的泰和乌鸡" in dom  # the description
    assert "江西省吉安市泰和县武山镇汪陂村" in dom  # where it comes from
    assert "地理标志产品" in dom  # its certification
    assert "运输温度: 冷藏" in dom  # how it travels
    assert "配送地区: 上海, 杭州" in dom
    assert "发货日: 周一, 周四" in dom
    assert "库存: 40" in dom
    assert "<img" in dom
    english = chromium(tmp_path, "--dump-dom", page_url + "?lang=en")
    assert '<html lang="en">' in english
    assert "Taihe black-bone silkie chicken" in english
    assert "CN¥100.80 per bird" in english
    assert "Delivers to: 上海, 杭州" in english


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    return cast("list[tuple[int, int, int]]", list(image.get_flattened_data()))


def _rows(image: Image.Image, keep: Callable[[tuple[int, int, int]], bool]) -> list[int]:
    """The rows of the screenshot with at least a few pixels ``keep`` accepts."""
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    return [
        y
        for y in range(height)
        if sum(1 for x in range(0, width, 2) if keep(pixels[x, y])) >= 3  # type: ignore[arg-type]
    ]


def _near(colour: tuple[int, int, int], tolerance: int) -> Callable[[tuple[int, int, int]], bool]:
    return lambda pixel: all(abs(c - p) <= tolerance for c, p in zip(pixel, colour, strict=True))


def _lines(rows: list[int]) -> int:
    """How many separate bands (lines of text) the rows make."""
    return sum(1 for index, y in enumerate(rows) if index == 0 or y - rows[index - 1] > 1)


@pytest.mark.parametrize("lang", ["", "?lang=en"])
def test_a_screenshot_shows_title_price_description_and_pictures(
    tmp_path: Path, page_url: str, lang: str
) -> None:
    shot = tmp_path / f"page{lang.replace('?lang=', '-')}.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1800", page_url + lang)
    image = Image.open(shot).convert("RGB")
    picture = _rows(image, _near(PICTURE_COLOUR, 12))
    assert len(picture) > 150, "the pictures were not painted"
    top, bottom = picture[0], picture[-1]
    ink = _rows(image, lambda pixel: max(pixel) < 90)  # the page's text is #222 on #f4f4f1
    # The title above the pictures (nav links are blue, not ink).
    assert _lines([y for y in ink if y < top]) >= 1, "no title painted above the pictures"
    price = _rows(image, _near((0xC0, 0x39, 0x2B), 40))
    assert price, "the price was not painted"
    assert bottom < price[0] < bottom + 120, "the price is not right below the pictures"
    # Below the price: the description, the details, the certification, the shipping.
    assert _lines([y for y in ink if y > price[-1]]) >= 12, "the description is missing"


def test_a_script_in_the_title_runs_nothing(tmp_path: Path, page_url: str) -> None:
    dom = chromium(tmp_path, "--dump-dom", page_url)
    assert "pwned - " not in dom.split("</title>")[0]  # the document title was not rewritten
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom


def test_the_picture_is_loaded_and_painted(tmp_path: Path, page_url: str) -> None:
    shot = tmp_path / "page.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", page_url)
    image = Image.open(shot).convert("RGB")
    painted = sum(
        1
        for pixel in _pixels(image)
        if all(abs(c - p) <= 12 for c, p in zip(pixel, PICTURE_COLOUR, strict=True))
    )
    assert painted > 200 * 200, f"only {painted} pixels of the picture's colour were painted"


def test_the_demo_ends_on_a_page_chromium_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README's first command: the demo's last listing page, while it keeps serving."""
    published: list[PublishReport] = []
    seen: dict[str, str] = {}
    real_publish = ruralseller.sandbox.cli._publish_demo

    def publish_and_keep(*args: Any) -> PublishReport:
        report = real_publish(*args)
        published.append(report)
        return report

    def look_while_serving() -> None:
        for result in published[0].results:
            assert result.url is not None
            seen[result.sku] = chromium(tmp_path, "--dump-dom", result.url)
        shot = tmp_path / "demo.png"
        url = next(r.url for r in published[0].results if r.sku == "WJ261123A")
        assert url is not None
        chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", url)
        seen["screenshot"] = str(shot)
        # The label's QR code leads to the lot's story, served by the same sandbox.
        story = f"{url.split('/listings/')[0]}/01/99526000160017/10/WJ261123A?17=261128"
        seen["story"] = chromium(tmp_path, "--dump-dom", story)

    monkeypatch.setattr(ruralseller.sandbox.cli, "_publish_demo", publish_and_keep)
    monkeypatch.setattr(ruralseller.sandbox.cli, "_wait_for_interrupt", look_while_serving)
    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    dom = seen["WJ261123A"]
    assert "泰和乌鸡 整只 冰鲜 1.1-1.5 kg/只" in dom  # the title
    assert "CNY" in dom or "¥" in dom  # the price
    assert "<img" in dom
    # The sample's pictures are dark hens on light ground: the page paints many dark pixels.
    image = Image.open(seen["screenshot"]).convert("RGB")
    dark = sum(1 for pixel in _pixels(image) if max(pixel) < 60)
    assert dark > 100 * 100, f"only {dark} dark pixels: the hen pictures were not painted"
    assert "泰和乌鸡蛋 30枚装" in seen["WE261118"]
    assert "汪陂村" in seen["story"]  # the village, on the page the QR code opens
