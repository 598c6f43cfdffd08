"""Photos become marketplace pictures: upright, to size, in sRGB, without private data.

The adversarial pictures (truncated, huge, CMYK, sideways with GPS, palette with
transparency, 16-bit, tiny, noisy) are made here with Pillow, in ``tmp_path``.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from ruralseller.errors import InvalidValueError
from ruralseller.listing.images import (
    DEFAULT_MAX_PIXELS,
    ImageSpec,
    ProcessedImage,
    process_image,
    process_images,
)

SAMPLES = Path(__file__).parents[2] / "src/ruralseller/samples/black-chickens/images"
RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 200, 30), (30, 30, 220), (230, 220, 20)
SMALL = ImageSpec(min_width=100, min_height=100, target_width=300, target_height=300)


def _save(image: Image.Image, path: Path, image_format: str = "JPEG", **params: object) -> Path:
    image.save(path, image_format, **params)
    return path


def _open(result: ProcessedImage) -> Image.Image:
    image = Image.open(io.BytesIO(result.data))
    image.load()
    return image


def _noise(size: tuple[int, int]) -> Image.Image:
    return Image.merge("RGB", [Image.effect_noise(size, 90) for _ in range(3)])


def _close(pixel: object, expected: tuple[int, ...], tolerance: int = 30) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def _quadrants(size: tuple[int, int]) -> Image.Image:
    """An upright picture whose four quarters are red, green (top), blue, yellow (bottom)."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(GREEN, (width // 2, 0, width, height // 2))
    image.paste(BLUE, (0, height // 2, width // 2, height))
    image.paste(YELLOW, (width // 2, height // 2, width, height))
    return image


def _assert_no_metadata(result: ProcessedImage) -> None:
    image = _open(result)
    assert not image.getexif()
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"):
        assert key not in image.info, key
    for marker in (b"Exif\x00\x00", b"ICC_PROFILE", b"http://ns.adobe.com/xap", b"GPS"):
        assert marker not in result.data, marker


# --- orientation and metadata --------------------------------------------------------------

# The transposition that turns an upright picture into what a camera stores with each EXIF
# orientation (the inverse of what displaying it does).
_STORED = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _gps_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Phone maker"
    exif[0x8825] = {1: "N", 2: (26.0, 43.0, 52.3), 3: "E", 4: (115.0, 2.0, 55.0)}
    return exif


@pytest.mark.parametrize("orientation", sorted(_STORED))
def test_a_sideways_photo_comes_out_upright_without_exif_or_gps(
    tmp_path: Path, orientation: int
) -> None:
    upright = _quadrants((600, 900))
    transpose = _STORED[orientation]
    stored = upright if transpose is None else upright.transpose(transpose)
    path = _save(stored, tmp_path / "hen.jpg", exif=_gps_exif(orientation), quality=95)

    result = process_image(
        path,
        ImageSpec(aspect="any", min_width=100, min_height=100, target_width=300, target_height=300),
    )

    image = _open(result)
    assert image.size == result.size == (200, 300)
    assert _close(image.getpixel((50, 75)), RED)
    assert _close(image.getpixel((150, 75)), GREEN)
    assert _close(image.getpixel((50, 225)), BLUE)
    assert _close(image.getpixel((150, 225)), YELLOW)
    _assert_no_metadata(result)
    assert any("GPS position" in step for step in result.steps)
    if orientation != 1:
        assert any(f"EXIF orientation ({orientation})" in step for step in result.steps)


def test_orientation_with_padding_and_reduced_decoding(tmp_path: Path) -> None:
    stored = _quadrants((1600, 2400)).transpose(Image.Transpose.ROTATE_90)  # 2400 × 1600
    path = _save(stored, tmp_path / "flock.jpg", exif=_gps_exif(6))

    result = process_image(path, SMALL)

    image = _open(result)
    assert image.size == (300, 300)
    assert any("decoded at 1/8 scale" in step for step in result.steps)
    # The 200 × 300 photo sits in the middle of the square, white on either side.
    assert _close(image.getpixel((5, 150)), (255, 255, 255), 3)
    assert _close(image.getpixel((294, 150)), (255, 255, 255), 3)
    assert _close(image.getpixel((100, 40)), RED)
    assert _close(image.getpixel((200, 260)), YELLOW)


def test_xmp_comments_and_icc_profiles_are_removed(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><farm>Wu family, Wushan</farm></x:xmpmeta>'
    path = _save(
        _quadrants((400, 400)),
        tmp_path / "eggs.jpg",
        comment=b"secret farm",
        icc_profile=srgb,
        xmp=xmp,
        exif=_gps_exif(1),
    )

    result = process_image(path, SMALL)

    _assert_no_metadata(result)
    assert b"secret farm" not in result.data
    assert b"Wushan" not in result.data
    assert any("sRGB" in step and "dropped" in step for step in result.steps)
    assert any(step.startswith("removed metadata: EXIF, GPS position") for step in result.steps)


def test_an_unusable_icc_profile_is_dropped_and_said_so(tmp_path: Path) -> None:
    path = _save(_quadrants((400, 400)), tmp_path / "odd.png", "PNG", icc_profile=b"not icc")

    result = process_image(path, SMALL)

    _assert_no_metadata(result)
    assert any("ICC profile that could not be used" in step for step in result.steps)


def test_a_profile_that_does_not_fit_the_picture_is_dropped(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = _save(Image.new("L", (400, 400), 90), tmp_path / "grey.png", "PNG", icc_profile=srgb)

    result = process_image(path, SMALL)  # an RGB profile on a greyscale picture

    _assert_no_metadata(result)
    assert _close(_open(result).getpixel((150, 150)), (90, 90, 90), 3)
    assert any("could not be used" in step for step in result.steps)


# --- damaged, huge and tiny files ----------------------------------------------------------


def test_a_truncated_jpeg_is_refused_with_the_file_name_and_how_to_fix(tmp_path: Path) -> None:
    data = io.BytesIO()
    _noise((800, 600)).save(data, "JPEG")
    path = tmp_path / "cut-short.jpg"
    path.write_bytes(data.getvalue()[: len(data.getvalue()) // 2])

    with pytest.raises(InvalidValueError, match=r"cut-short\.jpg.*truncated") as caught:
        process_image(path, SMALL)
    assert "export" in caught.value.hint


def test_a_file_that_is_not_a_picture_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("not a picture")

    with pytest.raises(InvalidValueError, match=r"notes\.jpg is not a picture"):
        process_image(path, SMALL)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match=r"gone\.jpg: no such file"):
        process_image(tmp_path / "gone.jpg", SMALL)


def test_the_decompression_bomb_guard_names_the_size_and_the_limit(tmp_path: Path) -> None:
    path = _save(Image.new("L", (3000, 2000)), tmp_path / "bomb.png", "PNG")

    with pytest.raises(InvalidValueError) as caught:
        process_image(path, SMALL, max_pixels=5_000_000)

    message = str(caught.value)
    assert "bomb.png" in message
    assert "3000×2000" in message
    assert "5,000,000 pixels" in message
    assert DEFAULT_MAX_PIXELS > 100_000_000  # a 108 MP phone photo passes by default


def test_pillows_own_bomb_error_becomes_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _save(Image.new("L", (2000, 2000)), tmp_path / "bomb.png", "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)

    with pytest.raises(InvalidValueError, match=r"bomb\.png .*decompression bombs"):
        process_image(path, SMALL)


def test_a_tiny_picture_is_refused_with_the_minimum(tmp_path: Path) -> None:
    path = _save(_quadrants((120, 90)), tmp_path / "thumb.jpg")
    spec = ImageSpec(name="Taobao main picture", min_width=500, min_height=500)

    with pytest.raises(InvalidValueError) as caught:
        process_image(path, spec)

    message = str(caught.value)
    assert "thumb.jpg is 120×90 px" in message
    assert "Taobao main picture" in message
    assert "500×500" in message
    assert "500×500" in caught.value.hint


def test_cropping_can_make_a_picture_too_small(tmp_path: Path) -> None:
    path = _save(_quadrants((1000, 400)), tmp_path / "wide.jpg")
    spec = ImageSpec(min_width=500, min_height=500, fit="crop")

    with pytest.raises(InvalidValueError, match=r"would come out 400×400 px"):
        process_image(path, spec)


# --- colour modes --------------------------------------------------------------------------


def test_cmyk_becomes_rgb(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (400, 400), (255, 0, 0, 0))  # pure cyan ink
    path = _save(cmyk, tmp_path / "print.jpg")

    result = process_image(path, SMALL)

    image = _open(result)
    assert image.mode == "RGB"
    assert _close(image.getpixel((150, 150)), (0, 255, 255))
    assert any("CMYK" in step for step in result.steps)


def test_palette_png_transparency_is_composited_on_white(tmp_path: Path) -> None:
    palette = Image.new("P", (400, 400), 0)
    palette.putpalette([0, 0, 0, 200, 0, 0])
    palette.paste(1, (200, 0, 400, 400))  # right half red, left half transparent black
    path = _save(palette, tmp_path / "cut-out.png", "PNG", transparency=0)

    result = process_image(path, SMALL)

    image = _open(result)
    assert _close(image.getpixel((60, 150)), (255, 255, 255), 3)
    assert _close(image.getpixel((240, 150)), (200, 0, 0))
    assert any("transparent" in step for step in result.steps)


def test_rgba_transparency_goes_on_the_spec_background(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    rgba.paste((0, 160, 0, 255), (0, 0, 200, 400))
    path = _save(rgba, tmp_path / "leaf.png", "PNG")
    spec = ImageSpec(
        min_width=100, min_height=100, target_width=300, target_height=300, background="#336699"
    )

    image = _open(process_image(path, spec))

    assert _close(image.getpixel((60, 150)), (0, 160, 0))
    assert _close(image.getpixel((240, 150)), (0x33, 0x66, 0x99), 4)


def test_greyscale_becomes_rgb(tmp_path: Path) -> None:
    path = _save(Image.new("L", (400, 400), 90), tmp_path / "grey.jpg")

    image = _open(process_image(path, SMALL))

    assert image.mode == "RGB"
    assert _close(image.getpixel((150, 150)), (90, 90, 90), 3)


def test_16_bit_greyscale_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    path = _save(Image.new("I;16", (400, 400), 40000), tmp_path / "scan.png", "PNG")

    result = process_image(path, SMALL)

    assert _close(_open(result).getpixel((150, 150)), (156, 156, 156), 2)  # 40000 / 256
    assert any("8 bits" in step for step in result.steps)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_16_bit_rgb_png_is_read(tmp_path: Path) -> None:
    width, height = 300, 200
    pixel = struct.pack(">HHH", 65535, 32768, 0)  # orange, 16 bits a channel
    rows = b"".join(b"\x00" + pixel * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path = tmp_path / "deep.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )

    image = _open(process_image(path, SMALL))

    assert _close(image.getpixel((150, 150)), (255, 128, 0), 4)


# --- shapes --------------------------------------------------------------------------------


def test_crop_keeps_the_middle(tmp_path: Path) -> None:
    picture = Image.new("RGB", (900, 300), RED)
    picture.paste(GREEN, (300, 0, 600, 300))
    path = _save(picture, tmp_path / "row.png", "PNG")
    spec = ImageSpec(min_width=100, min_height=100, target_width=300, target_height=300, fit="crop")

    result = process_image(path, spec)

    image = _open(result)
    assert image.size == (300, 300)
    assert _close(image.getpixel((5, 150)), GREEN)
    assert _close(image.getpixel((294, 150)), GREEN)
    assert any("cropped" in step for step in result.steps)


def test_a_picture_within_the_aspect_tolerance_is_left_its_shape(tmp_path: Path) -> None:
    path = _save(_quadrants((1000, 980)), tmp_path / "almost.png", "PNG")
    spec = ImageSpec(
        min_width=100, min_height=100, aspect_tolerance=0.03, target_width=500, target_height=500
    )

    assert process_image(path, spec).size == (500, 490)
    assert process_image(path, attrs.evolve(spec, aspect_tolerance=0.0)).size == (500, 500)


def test_small_pictures_are_not_enlarged(tmp_path: Path) -> None:
    path = _save(_quadrants((640, 480)), tmp_path / "small.jpg")

    result = process_image(path, ImageSpec())

    assert result.size == (640, 640)
    assert not any(step.startswith("resized") for step in result.steps)


def test_webp_and_png_outputs(tmp_path: Path) -> None:
    path = _save(_quadrants((400, 400)), tmp_path / "q.jpg")

    webp = process_image(path, attrs.evolve(SMALL, output_format="webp"))
    png = process_image(path, attrs.evolve(SMALL, output_format="PNG"))

    assert (webp.format, webp.media_type, webp.extension) == ("WEBP", "image/webp", ".webp")
    assert _open(webp).format == "WEBP"
    assert (png.format, png.quality, png.extension) == ("PNG", None, ".png")
    assert _open(png).format == "PNG"


# --- byte limits ---------------------------------------------------------------------------


def test_quality_steps_down_to_meet_max_bytes(tmp_path: Path) -> None:
    path = _save(_noise((1200, 1200)), tmp_path / "grainy.png", "PNG")
    spec = ImageSpec(target_width=1000, target_height=1000, max_bytes=250_000, min_quality=10)

    result = process_image(path, spec)

    assert result.byte_count <= 250_000
    assert result.quality is not None
    assert spec.min_quality < result.quality < spec.max_quality
    assert f"quality {result.quality}" in result.steps[-1]
    # The search found the highest quality that fits: one step up does not.
    higher = process_image(path, attrs.evolve(spec, max_bytes=None, max_quality=result.quality + 1))
    assert higher.byte_count > 250_000


def test_an_impossible_max_bytes_is_a_clear_error(tmp_path: Path) -> None:
    path = _save(_noise((1200, 1200)), tmp_path / "grainy.png", "PNG")
    spec = ImageSpec(target_width=1000, target_height=1000, max_bytes=2_000, name="tiny budget")

    with pytest.raises(InvalidValueError) as caught:
        process_image(path, spec)

    message = str(caught.value)
    assert "grainy.png" in message
    assert "even at JPEG quality 50" in message
    assert "2,000 bytes of tiny budget" in message


def test_a_png_over_max_bytes_suggests_jpeg(tmp_path: Path) -> None:
    path = _save(_noise((600, 600)), tmp_path / "grainy.png", "PNG")
    spec = attrs.evolve(SMALL, output_format="PNG", max_bytes=10_000)

    with pytest.raises(InvalidValueError, match="PNG") as caught:
        process_image(path, spec)
    assert "JPEG" in caught.value.hint


# --- the spec ------------------------------------------------------------------------------


def test_a_spec_reports_every_inconsistency_at_once() -> None:
    with pytest.raises(InvalidValueError) as caught:
        ImageSpec(
            min_width=2000,
            target_height=5000,
            min_count=3,
            max_count=2,
            allowed_formats=["jpg"],
            output_format="png",
        )

    message = str(caught.value)
    for part in ("min_width 2000", "target_height 5000", "min_count 3", "output_format PNG"):
        assert part in message
    assert caught.value.field == "min_width"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"aspect": "square"}, "aspect"),
        ({"aspect": "0:1"}, "aspect"),
        ({"fit": "stretch"}, "fit"),
        ({"min_width": 0}, "min_width"),
        ({"max_bytes": -1}, "max_bytes"),
        ({"max_quality": 101}, "max_quality"),
        ({"background": "not a colour"}, "background"),
        ({"background": (0, 0, 0, 0)}, "background"),
        ({"allowed_formats": ["GIF"]}, "allowed_formats"),
        ({"aspect_tolerance": 1.5}, "aspect_tolerance"),
    ],
)
def test_a_malformed_spec_value_names_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        ImageSpec(**changes)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert caught.value.hint


def test_check_count() -> None:
    spec = ImageSpec(min_count=1, max_count=3)
    spec.check_count(3)
    with pytest.raises(InvalidValueError, match="0 pictures given; this image spec takes 1 to 3"):
        spec.check_count(0)


# --- batches -------------------------------------------------------------------------------


def test_the_sample_photos_fit_the_default_spec() -> None:
    sources = sorted(SAMPLES.glob("*.jpg"))
    seen: list[tuple[int, int, str]] = []

    results = process_images(sources, ImageSpec(), progress=lambda *done: seen.append(done))

    assert len(results) == len(sources) == 4
    assert [done[:2] for done in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [done[2] for done in seen] == [str(s) for s in sources]
    for result in results:
        assert result.width == result.height <= 1600  # one sample is 1200 px: never enlarged
        assert len(result.sha256) == 64
        _assert_no_metadata(result)


def test_a_batch_reports_every_bad_picture(tmp_path: Path) -> None:
    good = _save(_quadrants((400, 400)), tmp_path / "good.jpg")
    tiny = _save(_quadrants((50, 50)), tmp_path / "tiny.jpg")
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"\xff\xd8 broken")

    with pytest.raises(InvalidValueError) as caught:
        process_images([good, tiny, junk], SMALL)

    message = str(caught.value)
    assert message.startswith("2 of 3 pictures cannot be used")
    assert "tiny.jpg" in message
    assert "junk.jpg" in message


def test_a_batch_over_the_count_fails_before_any_work(tmp_path: Path) -> None:
    missing = [tmp_path / f"{i}.jpg" for i in range(4)]  # never opened
    with pytest.raises(InvalidValueError, match="4 pictures given"):
        process_images(missing, attrs.evolve(SMALL, max_count=3))


def test_one_path_is_not_taken_for_a_list(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match="takes a list of pictures"):
        process_images(str(tmp_path / "hen.jpg"), SMALL)


def test_bytes_sources_are_named_by_position() -> None:
    data = io.BytesIO()
    Image.new("RGB", (10, 10)).save(data, "PNG")
    with pytest.raises(InvalidValueError, match="picture 1 is 10×10 px"):
        process_images([data.getvalue()], SMALL)


# --- property: the output always meets the spec --------------------------------------------

_sizes = st.integers(min_value=1, max_value=900)


@st.composite
def _specs(draw: st.DrawFn) -> ImageSpec:
    min_w, min_h = draw(st.integers(1, 300)), draw(st.integers(1, 300))
    target_w, target_h = draw(st.integers(min_w, 600)), draw(st.integers(min_h, 600))
    return ImageSpec(
        min_width=min_w,
        min_height=min_h,
        target_width=target_w,
        target_height=target_h,
        max_width=draw(st.integers(target_w, 700)),
        max_height=draw(st.integers(target_h, 700)),
        aspect=draw(st.sampled_from(["1:1", "4:3", "3:4", "16:9", "any"])),
        aspect_tolerance=draw(st.sampled_from([0.0, 0.05])),
        fit=draw(st.sampled_from(["pad", "crop"])),
        output_format=draw(st.sampled_from(["JPEG", "WEBP", "PNG"])),
        max_bytes=draw(st.sampled_from([None, 30_000, 400_000])),
        min_quality=20,
    )


@settings(max_examples=40)
@given(width=_sizes, height=_sizes, spec=_specs(), mode=st.sampled_from(["RGB", "RGBA", "L", "P"]))
def test_the_output_is_always_within_the_spec(
    width: int, height: int, spec: ImageSpec, mode: str
) -> None:
    picture = Image.linear_gradient("L").resize((width, height)).convert(mode)
    source = io.BytesIO()
    picture.save(source, "PNG")

    out_w, out_h = spec.output_size(width, height)
    if out_w < spec.min_width or out_h < spec.min_height:
        with pytest.raises(InvalidValueError, match="too small"):
            process_image(source.getvalue(), spec, name="gradient.png")
        return
    try:
        result = process_image(source.getvalue(), spec, name="gradient.png")
    except InvalidValueError as error:
        message = str(error)
    else:
        message = ""
    if message:
        assert spec.max_bytes is not None, message
        assert "bytes" in message, message
        return

    assert spec.min_width <= result.width <= min(spec.target_width, spec.max_width)
    assert spec.min_height <= result.height <= min(spec.target_height, spec.max_height)
    assert spec.max_bytes is None or result.byte_count <= spec.max_bytes
    ratio = spec.ratio
    if ratio is not None:
        # Exact but for rounding to whole pixels, or left within the tolerance.
        shape = result.width / result.height
        assert abs(shape / float(ratio) - 1) <= spec.aspect_tolerance + 1.5 / min(result.size)
    image = _open(result)
    assert image.size == result.size
    assert image.format == result.format
    assert image.mode == "RGB"
