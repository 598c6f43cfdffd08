"""The fast path for camera JPEGs is fast without being blurry, and the quality search is exact.

A JPEG is decoded at 1/2 or 1/4 scale (libjpeg scales while decoding) and then resized with
Lanczos; the byte limit is met by interpolating on file sizes, not by halving the range.
These tests hold those shortcuts to what the slow, obvious way gives.
"""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path

import attrs
import pytest
from PIL import Image, ImageChops, ImageStat

from ruralseller.listing import images
from ruralseller.listing.images import ImageSpec, process_image

# The most a resized picture may differ, per channel on average (0-255), from the slow
# reference: the whole photo decoded at full size and resized with Lanczos.
MAX_MEAN_ERROR = 3.0


def _noise(size: tuple[int, int], seed: int) -> Image.Image:
    data = random.Random(seed).randbytes(size[0] * size[1])  # noqa: S311  (test pixels)
    return Image.frombytes("L", size, data)


def _detailed(size: tuple[int, int]) -> Image.Image:
    """A photo-like picture with fine detail in its brightness and calmer colour, as photos.

    A Mandelbrot boundary (sharp edges at every scale) blended with texture a few source
    pixels across, which a blurry resize visibly loses; the colour varies slowly.
    """
    width, height = size
    edges = Image.effect_mandelbrot(size, (-0.7454, 0.1130, -0.7446, 0.1138), 300)
    texture = _noise((width // 6, height // 6), 1).resize(size, Image.Resampling.BICUBIC)
    luma = ImageChops.blend(edges, texture, 0.5)
    blue, red = (
        _noise((width // 64, height // 64), seed)
        .resize(size, Image.Resampling.BICUBIC)
        .point(lambda value: 96 + value // 4)
        for seed in (2, 3)
    )
    return Image.merge("YCbCr", (luma, blue, red)).convert("RGB")


def _jpeg(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, **params)
    return buffer.getvalue()


def _decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def _mean_error(picture: Image.Image, reference: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(picture, reference)).mean)


def _reference(source: bytes, size: tuple[int, int]) -> Image.Image:
    """The slow way: decode everything, then one Lanczos resize."""
    return _decoded(source).resize(size, Image.Resampling.LANCZOS)


def _spec(target: int, **changes: object) -> ImageSpec:
    spec = ImageSpec(
        aspect="any", min_width=100, min_height=100, target_width=target, target_height=target
    )
    return attrs.evolve(spec, **changes)


@pytest.mark.parametrize(
    ("source_size", "target", "output_format", "scale"),
    [
        ((3000, 2000), 1000, "JPEG", 2),
        ((2400, 1800), 700, "WEBP", 2),
        ((3000, 2000), 1000, "PNG", 2),  # lossless output: only the resizing differs
        ((2400, 1800), 500, "PNG", 4),  # decoded at 1/4 scale, then a short Lanczos step
    ],
)
def test_the_fast_path_is_as_sharp_as_a_full_decode_and_lanczos(
    source_size: tuple[int, int], target: int, output_format: str, scale: int
) -> None:
    source = _jpeg(_detailed(source_size))
    spec = _spec(target, output_format=output_format, max_quality=95)

    result = process_image(source, spec, name="detailed.jpg")

    assert any(f"decoded at 1/{scale} scale" in step for step in result.steps)
    picture = _decoded(result.data)
    reference = _reference(source, picture.size)
    assert _mean_error(picture, reference) < MAX_MEAN_ERROR
    # The measure sees blur: the same photo decoded at 1/8 and enlarged is far off.
    with Image.open(io.BytesIO(source)) as small:
        small.draft("RGB", (source_size[0] // 8, source_size[1] // 8))
        blurry = small.convert("RGB").resize(picture.size, Image.Resampling.LANCZOS)
    assert _mean_error(blurry, reference) > 2 * MAX_MEAN_ERROR


def _without_segment(data: bytes, marker: int) -> bytes:
    """The JPEG with every segment of one marker type (e.g. 0xEE, Adobe APP14) taken out."""
    out, position = bytearray(data[:2]), 2
    while data[position] == 0xFF and data[position + 1] not in (0xDA, 0xD9):
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if data[position + 1] != marker:
            out += data[position : position + 2 + length]
        position += 2 + length
    return bytes(out + data[position:])


@pytest.mark.parametrize("adobe_marker", [True, False])
def test_an_rgb_coded_jpeg_is_decoded_as_rgb(tmp_path: Path, *, adobe_marker: bool) -> None:
    # keep_rgb stores R, G and B as they are, with an Adobe marker saying so (transform 0);
    # without that marker libjpeg goes by the component ids 'R', 'G', 'B'. Either way the
    # reduced decode must give the colours, not YCbCr taken for RGB.
    picture = Image.new("RGB", (1600, 1200), (200, 40, 60))
    picture.paste((20, 160, 220), (800, 0, 1600, 1200))
    data = _jpeg(picture, keep_rgb=True)
    if not adobe_marker:
        data = _without_segment(data, 0xEE)
    path = tmp_path / "rgb.jpg"
    path.write_bytes(data)
    with Image.open(path) as opened:
        assert ("adobe" in opened.info) is adobe_marker

    result = process_image(path, _spec(400))

    out = _decoded(result.data)
    assert out.size == (400, 300)
    assert all(
        abs(a - b) <= 12 for a, b in zip(out.getpixel((50, 150)), (200, 40, 60), strict=True)
    )
    assert all(
        abs(a - b) <= 12 for a, b in zip(out.getpixel((350, 150)), (20, 160, 220), strict=True)
    )


def test_a_jpeg_is_padded_with_the_spec_colour(tmp_path: Path) -> None:
    path = tmp_path / "wide.jpg"
    path.write_bytes(_jpeg(Image.new("RGB", (2400, 1200), (30, 120, 40))))
    spec = ImageSpec(min_width=100, min_height=100, target_width=600, target_height=600)

    result = process_image(path, attrs.evolve(spec, background="#204080"))

    out = _decoded(result.data)
    assert out.size == (600, 600)
    for point, colour in (((300, 40), (32, 64, 128)), ((300, 300), (30, 120, 40))):
        assert all(abs(a - b) <= 4 for a, b in zip(out.getpixel(point), colour, strict=True))


def test_the_same_photo_gives_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "detailed.jpg"
    path.write_bytes(_jpeg(_detailed((1600, 1200))))
    spec = _spec(900, max_bytes=120_000, min_quality=30)

    first, second = process_image(path, spec), process_image(path, spec)

    assert first.data == second.data
    assert first.quality == second.quality


@pytest.mark.parametrize("output_format", ["JPEG", "WEBP"])
@pytest.mark.parametrize("limit", [35_000, 45_000, 80_000])
def test_the_quality_search_finds_what_trying_every_quality_finds(
    monkeypatch: pytest.MonkeyPatch, output_format: str, limit: int
) -> None:
    picture = _detailed((600, 600))
    spec = _spec(600, output_format=output_format, max_bytes=limit, min_quality=20)
    sizes = {
        quality: len(images._encode(picture, output_format, quality))
        for quality in range(spec.min_quality, spec.max_quality + 1)
    }
    encodes: list[int] = []
    encode = images._encode

    def counted(image: Image.Image, image_format: str, quality: int | None) -> bytes:
        assert quality is not None
        encodes.append(quality)
        return encode(image, image_format, quality)

    monkeypatch.setattr(images, "_encode", counted)

    data, quality = images._encode_within(picture, spec, "detailed.jpg")

    fitting = [q for q, size in sizes.items() if size <= limit]
    assert fitting, "the limit is meant to be reachable"
    # Sizes fall with quality here, so the highest quality that fits is well defined.
    assert quality == max(fitting)
    assert len(data) == sizes[quality] <= limit
    assert len(encodes) == len(set(encodes)) <= 6  # a binary search over 71 takes 8
