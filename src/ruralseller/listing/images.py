"""Product photos made ready for a marketplace: right size, right shape, no private data.

A farmer's phone photo is rarely what a marketplace wants: it is 4000 × 3000 px and 5 MB,
lies on its side until the EXIF orientation is applied, carries the GPS position of the farm,
and is 4:3 where the platform wants a square on white. An :class:`ImageSpec` says what one
marketplace (or one slot of it, such as the main picture) accepts; :func:`process_image`
turns one photo into a :class:`ProcessedImage` that meets it, and :func:`process_images`
does a listing's pictures one after the other.

What :func:`process_image` does, in order:

1. refuses files that are not pictures, are truncated or corrupt, or declare more pixels
   than ``max_pixels`` (a *decompression bomb* guard, checked before anything is decoded);
2. works out, from the header alone, the output size: the picture upright (EXIF
   orientation), cropped or padded to the spec's aspect, scaled down (never up) to fit the
   target size; a picture that would come out smaller than the spec's minimum is refused;
3. decodes a JPEG at 1/2, 1/4 or 1/8 of its size when the output is that much smaller
   (libjpeg scales while decoding, :meth:`PIL.Image.Image.draft`), so a 4000 × 3000 camera
   photo for a 800 px listing is never decoded at full size;
4. resizes with Lanczos (after an integer box reduction for large non-JPEG sources), turns
   it upright, converts the colours to 8-bit sRGB (CMYK, greyscale, 16-bit, palette and
   embedded ICC profiles), puts transparent areas and padding on the background colour;
5. encodes without any metadata (no EXIF, GPS, XMP, ICC profile or comment), stepping the
   JPEG or WebP quality down until the file fits ``max_bytes``: the highest quality within
   the spec's bounds that fits, found by interpolating between the file sizes already
   measured (usually two to four encodes).

Memory stays bounded: one source is open at a time, and its decoded pixels are let go as
soon as the output-sized picture is made from them. A JPEG is decoded at the reduced size; a
palette, 16-bit or black-and-white source is converted once, so for a moment it is held twice.

Example:
    >>> import io
    >>> from PIL import Image
    >>> photo = io.BytesIO()
    >>> Image.new("RGB", (1200, 900), "saddlebrown").save(photo, "JPEG")
    >>> spec = ImageSpec(target_width=800, target_height=800, max_bytes=200_000)
    >>> result = process_image(photo.getvalue(), spec, name="hen.jpg")
    >>> result.size, result.format, result.quality, result.media_type
    ((800, 800), 'JPEG', 90, 'image/jpeg')
    >>> for step in result.steps:
    ...     print(step)
    padded 1200×900 to 1200×1200 on #ffffff (aspect 1:1)
    resized to 800×800 (Lanczos)
    encoded as JPEG at quality 90: ... bytes
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import importlib
import io
import json
import math
import multiprocessing
import os
import re
import struct
import sys
import threading
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, Literal

import attrs
import PIL
from PIL import Image, ImageColor, ImageFile, UnidentifiedImageError

from ruralseller.catalog import MAX_PICTURE_BYTES, read_bytes_file
from ruralseller.errors import FileRefusedError, InvalidValueError
from ruralseller.listing.picture_cache import PIPELINE_VERSION, PictureCache

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "OUTPUT_FORMATS",
    "SOURCE_FORMATS",
    "ImageSpec",
    "ProcessedImage",
    "picture_key",
    "process_image",
    "process_images",
    "process_images_many",
]

DEFAULT_MAX_PIXELS: Final = 120_000_000
"""The most pixels a source picture may declare before it is refused as a decompression bomb.

It admits the 108-megapixel (12000 × 9000) photos of the largest phone cameras; a full decode
of an RGB picture that size takes about 480 MB (Pillow keeps 4 bytes a pixel).
"""

OUTPUT_FORMATS: Final = ("JPEG", "PNG", "WEBP")
"""The formats a processed picture can be encoded in (Pillow's format names)."""

SOURCE_FORMATS: Final = ("JPEG", "PNG", "WEBP", "TIFF", "BMP", "GIF")
"""The formats a source picture may be in (JPEG includes MPO, the variant many phones write).

Pillow is only asked to recognise these, so an unusual format cannot reach a rarely used
decoder through a file that merely claims to be a photo.
"""

Source = str | os.PathLike[str] | bytes
"""A picture: the path of a file, or the file's bytes."""

Fit = Literal["pad", "crop"]

_ASPECT = re.compile(r"\s*([1-9][0-9]*)\s*:\s*([1-9][0-9]*)\s*")
_FORMAT_ALIASES: Final = {"JPG": "JPEG", "JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
_MEDIA_TYPES: Final = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXTENSIONS: Final = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
_QUALITY_RANGE: Final = (1, 100)
# libjpeg's quality scaling (jcparam.c, jpeg_quality_scaling) changes formula at quality 50,
# where the scale is 100 %.
_HALF_QUALITY: Final = 50
_FULL_SCALE: Final = 100.0
# How the log of a JPEG's size falls with the log of libjpeg's quantizer scale; measured on
# the benchmark's photos at 1500 px (qualities 50 to 90: -0.52 to -0.59). Only the first
# guess uses it; later guesses use the sizes measured.
_SIZE_SLOPE: Final = -0.55
# The EXIF Orientation tag (0x0112, from TIFF 6.0; Exif 2.32): for each value, the
# transposition that makes the stored pixels upright. Values 5 to 8 swap width and height.
_ORIENTATION_TAG: Final = 0x0112
_GPS_IFD: Final = 0x8825
_TRANSPOSE: Final = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT, "mirrored"),
    3: (Image.Transpose.ROTATE_180, "rotated 180°"),
    4: (Image.Transpose.FLIP_TOP_BOTTOM, "flipped upside down"),
    5: (Image.Transpose.TRANSPOSE, "mirrored and rotated 90° anticlockwise"),
    6: (Image.Transpose.ROTATE_270, "rotated 90° clockwise"),
    7: (Image.Transpose.TRANSVERSE, "mirrored and rotated 90° clockwise"),
    8: (Image.Transpose.ROTATE_90, "rotated 90° anticlockwise"),
}
_SWAPS_SIDES: Final = frozenset({5, 6, 7, 8})
# Pillow's resize docs: with reducing_gap >= 3 the result is "indistinguishable from fair
# resampling in most cases"; it first reduces by a whole factor with a box filter, which is
# what makes large PNG sources fast.
_REDUCING_GAP: Final = 3.0
# The metadata a source may carry, under the keys Pillow puts it in ``Image.info``.
_METADATA_KEYS: Final = (
    ("exif", "EXIF"),
    ("xmp", "XMP"),
    ("XML:com.adobe.xmp", "XMP"),
    ("icc_profile", "ICC profile"),
    ("photoshop", "Photoshop data"),
    ("comment", "comment"),
    ("iptc", "IPTC"),
)
# What a damaged file makes Pillow raise while it reads or decodes it.
_DECODE_ERRORS: Final = (OSError, SyntaxError, EOFError, ValueError, struct.error, zlib.error)


# --- the spec ------------------------------------------------------------------------------


def _positive_int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    del instance
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(
            f"{attribute.name} must be a whole number of at least 1, not {value!r}",
            field=attribute.name,
            hint="give pixel sizes, byte limits and counts as positive whole numbers",
        )


def _optional_positive_int(
    instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is not None:
        _positive_int(instance, attribute, value)  # type: ignore[arg-type]


def _quality(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    del instance
    low, high = _QUALITY_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidValueError(
            f"{attribute.name} must be a whole number from {low} to {high}, not {value!r}",
            field=attribute.name,
            hint="JPEG and WebP quality runs from 1 (smallest file) to 100 (best picture)",
        )


def _check_aspect(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    del instance
    if not isinstance(value, str) or (value != "any" and not _ASPECT.fullmatch(value)):
        raise InvalidValueError(
            f"aspect must be 'any' or a ratio such as '1:1' or '4:3', not {value!r}",
            field=attribute.name,
            hint="write the ratio of width to height with a colon, e.g. '1:1' for a square",
        )


def _check_tolerance(instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    del instance
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value < 1
    ):
        raise InvalidValueError(
            f"aspect_tolerance must be a fraction from 0 up to 1, not {value!r}",
            field=attribute.name,
            hint="0.02 accepts a picture whose shape is within 2 % of the aspect as it is",
        )


def _check_fit(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    del instance
    if value not in ("pad", "crop"):
        raise InvalidValueError(
            f"fit must be 'pad' or 'crop', not {value!r}",
            field=attribute.name,
            hint="'pad' adds background around the whole picture, 'crop' cuts the edges off",
        )


def _format_name(value: object, field: str) -> str:
    name = _FORMAT_ALIASES.get(value.upper()) if isinstance(value, str) else None
    if name is None:
        raise InvalidValueError(
            f"{field}: {value!r} is not a format pictures can be written in",
            field=field,
            hint=f"use one of {', '.join(OUTPUT_FORMATS)}",
        )
    return name


def _to_formats(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    names = tuple(dict.fromkeys(_format_name(item, "allowed_formats") for item in value))
    if not names:
        raise InvalidValueError(
            "allowed_formats is empty",
            field="allowed_formats",
            hint=f"list what the marketplace accepts, from {', '.join(OUTPUT_FORMATS)}",
        )
    return names


def _to_format(value: str) -> str:
    return _format_name(value, "output_format")


def _to_colour(value: str | tuple[int, int, int]) -> tuple[int, int, int]:
    if isinstance(value, str):
        try:
            rgb = ImageColor.getrgb(value)
        except ValueError:
            rgb = (0, 0, 0, 0)
        if len(rgb) == 3 or rgb[3] == 255:
            return rgb[0], rgb[1], rgb[2]
    elif (
        isinstance(value, tuple)
        and len(value) == 3
        and all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= 255 for c in value)
    ):
        return value
    raise InvalidValueError(
        f"background {value!r} is not an opaque colour",
        field="background",
        hint="give a colour such as '#ffffff', 'white' or (255, 255, 255)",
    )


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


@attrs.frozen(kw_only=True)
class ImageSpec:
    """What a marketplace accepts as a product picture, and how to make a photo fit it.

    Sizes are in pixels. A picture is scaled down, never up, to fit inside the target size;
    what would come out smaller than the minimum is refused. The target must lie between the
    minimum and the maximum.

    Args:
        name: what the spec is for, used in messages (e.g. ``"Taobao main picture"``).
        min_width: the narrowest picture the marketplace accepts.
        min_height: the lowest picture the marketplace accepts.
        target_width: the width the picture is scaled down to fit in.
        target_height: the height the picture is scaled down to fit in.
        max_width: the widest picture the marketplace accepts.
        max_height: the highest picture the marketplace accepts.
        aspect: ``"any"``, or the shape the picture must have as ``"width:height"``
            (``"1:1"`` for a square).
        aspect_tolerance: how far (as a fraction, 0.02 for 2 %) a picture's shape may be from
            ``aspect`` and still be used as it is, without padding or cropping.
        fit: how a picture of another shape is brought to ``aspect``: ``"pad"`` adds
            background on two sides, keeping all of the picture; ``"crop"`` cuts the middle
            out of it.
        allowed_formats: the formats the marketplace accepts, from :data:`OUTPUT_FORMATS`
            (``"jpg"`` is taken for ``"JPEG"``).
        output_format: the format pictures are written in; one of ``allowed_formats``.
        max_bytes: the largest file the marketplace accepts, or ``None`` for no limit.
        background: the colour of padding and of transparent areas, as a name, ``#rrggbb``
            or an RGB triple; marketplaces ask for white.
        min_count: the fewest pictures a listing needs.
        max_count: the most pictures a listing may have.
        min_quality: the lowest JPEG or WebP quality used to meet ``max_bytes``.
        max_quality: the quality used when the file fits ``max_bytes`` as it is.

    Raises:
        InvalidValueError: if a value is malformed, or the values do not fit together
            (minimum over target, target over maximum, an output format not allowed...).

    Example:
        >>> spec = ImageSpec(name="square on white", target_width=1000, target_height=1000)
        >>> spec.ratio, spec.background
        (Fraction(1, 1), (255, 255, 255))
        >>> spec.output_size(4000, 3000)
        (1000, 1000)
        >>> ImageSpec(aspect="any").output_size(4000, 3000)
        (1600, 1200)
        >>> ImageSpec(min_width=2000, target_width=1000)
        Traceback (most recent call last):
        ...
        ruralseller.errors.InvalidValueError: min_width 2000 is over target_width 1000...
    """

    name: str = ""
    min_width: int = attrs.field(default=500, validator=_positive_int)
    min_height: int = attrs.field(default=500, validator=_positive_int)
    target_width: int = attrs.field(default=1600, validator=_positive_int)
    target_height: int = attrs.field(default=1600, validator=_positive_int)
    max_width: int = attrs.field(default=4472, validator=_positive_int)
    max_height: int = attrs.field(default=4472, validator=_positive_int)
    aspect: str = attrs.field(default="1:1", validator=_check_aspect)
    aspect_tolerance: float = attrs.field(default=0.0, validator=_check_tolerance)
    fit: Fit = attrs.field(default="pad", validator=_check_fit)
    allowed_formats: tuple[str, ...] = attrs.field(default=OUTPUT_FORMATS, converter=_to_formats)
    output_format: str = attrs.field(default="JPEG", converter=_to_format)
    max_bytes: int | None = attrs.field(default=None, validator=_optional_positive_int)
    background: tuple[int, int, int] = attrs.field(default=(255, 255, 255), converter=_to_colour)
    min_count: int = attrs.field(default=1, validator=_positive_int)
    max_count: int = attrs.field(default=10, validator=_positive_int)
    min_quality: int = attrs.field(default=50, validator=_quality)
    max_quality: int = attrs.field(default=90, validator=_quality)

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        for side in ("width", "height"):
            low, target, high = (getattr(self, f"{k}_{side}") for k in ("min", "target", "max"))
            if low > target:
                problems.append((f"min_{side}", f"min_{side} {low} is over target_{side} {target}"))
            if target > high:
                problems.append(
                    (f"target_{side}", f"target_{side} {target} is over max_{side} {high}")
                )
        if self.min_count > self.max_count:
            problems.append(
                ("min_count", f"min_count {self.min_count} is over max_count {self.max_count}")
            )
        if self.min_quality > self.max_quality:
            problems.append(
                (
                    "min_quality",
                    f"min_quality {self.min_quality} is over max_quality {self.max_quality}",
                )
            )
        if self.output_format not in self.allowed_formats:
            problems.append(
                (
                    "output_format",
                    (
                        f"output_format {self.output_format} is not one of the allowed formats "
                        f"({', '.join(self.allowed_formats)})"
                    ),
                )
            )
        if problems:
            raise InvalidValueError(
                "; ".join(message for _, message in problems),
                field=problems[0][0],
                hint="each minimum must be at most its target and each target at most its "
                "maximum; the output format must be one the marketplace accepts",
            )

    @property
    def ratio(self) -> Fraction | None:
        """The width-to-height ratio pictures are brought to, or ``None`` for any shape."""
        match = _ASPECT.fullmatch(self.aspect)
        return Fraction(int(match[1]), int(match[2])) if match else None

    @property
    def label(self) -> str:
        """How messages name this spec: its name, or "this image spec"."""
        return self.name or "this image spec"

    def output_size(self, width: int, height: int) -> tuple[int, int]:
        """The size an upright picture of ``width`` × ``height`` pixels comes out at.

        Args:
            width: the picture's width, after its EXIF orientation is applied.
            height: the picture's height, likewise.

        Returns:
            The output's width and height; it may be under the minimum, in which case
            :func:`process_image` refuses the picture.
        """
        return _plan(self, width, height).canvas

    def check_count(self, count: int) -> None:
        """Check that a listing with ``count`` pictures is within the spec's limits.

        Raises:
            InvalidValueError: if there are fewer than ``min_count`` or more than
                ``max_count`` pictures.

        Example:
            >>> ImageSpec(max_count=10).check_count(12)
            Traceback (most recent call last):
            ...
            ruralseller.errors.InvalidValueError: 12 pictures given; this image spec takes ...
        """
        if not self.min_count <= count <= self.max_count:
            raise InvalidValueError(
                f"{count} picture{'s' if count != 1 else ''} given; {self.label} takes "
                f"{self.min_count} to {self.max_count}",
                field="images",
                hint=f"choose between {self.min_count} and {self.max_count} pictures, "
                "the main picture first",
            )


# --- the result ----------------------------------------------------------------------------


@attrs.frozen
class ProcessedImage:
    """A picture ready to upload: the encoded file and what was done to make it.

    Attributes:
        data: the encoded file, without any metadata.
        format: its format, one of :data:`OUTPUT_FORMATS`.
        width: its width in pixels.
        height: its height in pixels.
        sha256: the SHA-256 of ``data`` in hex: a content hash to name, cache or de-duplicate
            uploads by.
        source: the source picture, as messages name it (its path, or the name given).
        quality: the JPEG or WebP quality it was encoded at; ``None`` for PNG.
        steps: what was done, in order, in plain words.
    """

    data: bytes = attrs.field(repr=False)
    format: str
    width: int
    height: int
    sha256: str
    source: str
    quality: int | None
    steps: tuple[str, ...]

    @property
    def size(self) -> tuple[int, int]:
        """The width and height in pixels."""
        return self.width, self.height

    @property
    def byte_count(self) -> int:
        """The size of the encoded file in bytes."""
        return len(self.data)

    @property
    def media_type(self) -> str:
        """The MIME type to upload it with, e.g. ``image/jpeg``."""
        return _MEDIA_TYPES[self.format]

    @property
    def extension(self) -> str:
        """The usual file name extension for its format, e.g. ``.jpg``."""
        return _EXTENSIONS[self.format]


# --- geometry ------------------------------------------------------------------------------


@attrs.frozen
class _Plan:
    """Where the output comes from and where it goes, in upright coordinates."""

    canvas: tuple[int, int]  # the output size
    content: tuple[int, int]  # the size the used part of the source is scaled to
    offset: tuple[int, int]  # where the content goes on the canvas
    box: tuple[float, float, float, float]  # the used part of the upright source
    reshaped: str  # "", "padded" or "cropped"
    unscaled: tuple[int, int]  # the canvas before scaling down

    @property
    def scaled(self) -> bool:
        return self.content != (
            round(self.box[2] - self.box[0]),
            round(self.box[3] - self.box[1]),
        )


def _plan(spec: ImageSpec, width: int, height: int) -> _Plan:
    ratio = spec.ratio
    shape = Fraction(width, height)
    box = (0.0, 0.0, float(width), float(height))
    canvas_w, canvas_h = float(width), float(height)
    reshaped = ""
    if ratio is not None and abs(shape / ratio - 1) > spec.aspect_tolerance:
        if spec.fit == "crop":
            reshaped = "cropped"
            if shape > ratio:
                canvas_w = float(height * ratio)
                left = (width - canvas_w) / 2
                box = (left, 0.0, left + canvas_w, float(height))
            else:
                canvas_h = float(width / ratio)
                top = (height - canvas_h) / 2
                box = (0.0, top, float(width), top + canvas_h)
        else:
            reshaped = "padded"
            if shape > ratio:
                canvas_h = float(width / ratio)
            else:
                canvas_w = float(height * ratio)
    scale = min(1.0, spec.target_width / canvas_w, spec.target_height / canvas_h)
    canvas = (
        min(spec.target_width, max(1, round(canvas_w * scale))),
        min(spec.target_height, max(1, round(canvas_h * scale))),
    )
    if reshaped == "padded":
        content = (
            min(canvas[0], max(1, round(width * scale))),
            min(canvas[1], max(1, round(height * scale))),
        )
    else:
        content = canvas
    offset = ((canvas[0] - content[0]) // 2, (canvas[1] - content[1]) // 2)
    unscaled = (round(canvas_w), round(canvas_h))
    return _Plan(
        canvas=canvas,
        content=content,
        offset=offset,
        box=box,
        reshaped=reshaped,
        unscaled=unscaled,
    )


# --- processing ----------------------------------------------------------------------------


def _name_of(source: Source, name: str | None) -> str:
    if name is not None:
        return name
    if isinstance(source, bytes | bytearray | memoryview):
        return "picture (bytes)"
    return os.fspath(source)


_REEXPORT_HINT = (
    "open the photo on the phone or computer it came from and export or save it again as "
    "JPEG or PNG, or send the original file rather than a copy from a chat app"
)


def _damaged(name: str, error: BaseException) -> InvalidValueError:
    detail = str(error) or type(error).__name__
    return InvalidValueError(
        f"{name} cannot be read as a picture: it is truncated or damaged ({detail})",
        field="images",
        hint=_REEXPORT_HINT,
    )


@functools.cache
def _load_source_plugins() -> None:
    # Image.open(formats=...) only knows the plugins already imported; importing just these
    # is quicker than Image.init(), which imports every plugin Pillow has.
    for module in ("Bmp", "Gif", "Jpeg", "Png", "Tiff", "WebP"):
        importlib.import_module(f"PIL.{module}ImagePlugin")


def _source_bytes(source: Source, name: str) -> bytes:
    """The bytes of a picture given as bytes or as the path of a file."""
    if isinstance(source, bytes):
        return source
    try:
        return read_bytes_file(source, limit=MAX_PICTURE_BYTES, what="picture")
    except FileRefusedError as error:
        reason = "no such file" if error.missing else error.reason
        raise InvalidValueError(
            f"{name}: {reason}", field="images", hint=error.hint or "check the picture's path"
        ) from None


def _open(source: Source, name: str, max_pixels: int) -> ImageFile.ImageFile:
    _load_source_plugins()
    fp = io.BytesIO(_source_bytes(source, name))
    try:
        # Our own limit is checked below with a clear message; Pillow's own warning (or its
        # error at twice its limit) would only say less.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fp, formats=SOURCE_FORMATS)
    except FileNotFoundError as error:
        raise InvalidValueError(
            f"{name}: no such file", field="images", hint="check the picture's path"
        ) from error
    except UnidentifiedImageError as error:
        raise InvalidValueError(
            f"{name} is not a picture ruralseller can read, or it is damaged",
            field="images",
            hint=f"pictures must be {', '.join(SOURCE_FORMATS)}; {_REEXPORT_HINT}",
        ) from error
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name, None, max_pixels) from error
    except _DECODE_ERRORS as error:
        raise _damaged(name, error) from error
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise _too_many_pixels(name, (width, height), max_pixels)
    return image


def _too_many_pixels(name: str, size: tuple[int, int] | None, limit: int) -> InvalidValueError:
    shown = "" if size is None else f"{size[0]}×{size[1]} px ({size[0] * size[1] / 1e6:.1f} MP), "
    return InvalidValueError(
        f"{name} is {shown}over the limit of {limit:,} pixels ({limit / 1e6:.1f} MP) that "
        "guards against decompression bombs",
        field="images",
        hint="export the photo at a normal size (a phone photo is about 12 MP); if the picture "
        "is genuine and the machine has the memory, pass a larger max_pixels",
    )


def _orientation(image: Image.Image, steps: list[str]) -> int:
    value = image.getexif().get(_ORIENTATION_TAG, 1)
    if value == 1:
        return 1
    if value not in _TRANSPOSE:
        steps.append(f"ignored an invalid EXIF orientation {value!r}; took the picture as upright")
        return 1
    return int(value)


def _metadata(image: Image.Image) -> list[str]:
    found: list[str] = []
    exif = image.getexif()
    if exif:
        found.append("EXIF")
        if exif.get_ifd(_GPS_IFD):
            found.append("GPS position")
    for key, label in _METADATA_KEYS:
        if key != "exif" and image.info.get(key) and label not in found:
            found.append(label)
    return found


def _to_8_bit(image: Image.Image) -> float:
    """The factor that brings 16-bit, 32-bit or floating-point greyscale to 0..255."""
    if image.mode.startswith("I;16"):
        return 1 / 256
    high = image.getextrema()[1]
    if not isinstance(high, int | float) or high <= 0:
        return 1.0
    if image.mode == "F" and high <= 1:
        return 255.0
    return 1 / 256 if high > 255 else 1.0


def _to_resizable(image: Image.Image, steps: list[str]) -> Image.Image:
    """Bring a decoded source to L, LA, RGB, RGBA or CMYK, which resize handles well."""
    mode = image.mode
    has_key = "transparency" in image.info
    if mode in ("RGB", "L", "CMYK") and not has_key:
        return image
    if mode in ("RGBA", "LA"):
        return image
    if mode.startswith("I;16") or mode in ("I", "F"):
        factor = _to_8_bit(image)
        steps.append(f"converted {mode} greyscale to 8 bits")
        return image.point(lambda value: value * factor, "L")
    if mode == "1":
        steps.append("converted black-and-white to greyscale")
        return image.convert("L")
    if mode in ("P", "PA") or has_key:
        target = "RGBA" if (mode == "PA" or has_key) else "RGB"
        if mode in ("L", "LA") and target == "RGBA":
            target = "LA"
        steps.append(f"converted {mode}{' with transparency' if has_key else ''} to {target}")
        return image.convert(target)
    target = "RGBA" if "A" in mode or "a" in mode else "RGB"
    steps.append(f"converted {mode} to {target}")
    return image.convert(target)


def _to_srgb(image: Image.Image, icc: bytes | None, steps: list[str]) -> Image.Image:
    """Convert an L, RGB or CMYK picture to sRGB RGB, using its ICC profile when it has one."""
    if icc:
        converted = _from_profile(image, icc, steps)
        if converted is not None:
            return converted
    if image.mode == "RGB":
        return image
    steps.append(f"converted {image.mode} to RGB")
    return image.convert("RGB")


def _from_profile(image: Image.Image, icc: bytes, steps: list[str]) -> Image.Image | None:
    """The picture in sRGB by its ICC profile; None (and a step saying so) if it cannot be."""
    try:
        from PIL import ImageCms  # noqa: PLC0415  (only pictures with a profile need it)
    except ImportError:
        steps.append("dropped the ICC profile (this Pillow has no LittleCMS); took it as sRGB")
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile).strip()
        if image.mode == "RGB" and description.lower().startswith("srgb"):
            steps.append(f"dropped the embedded '{description}' ICC profile (sRGB is assumed)")
            return image
        converted = ImageCms.profileToProfile(
            image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError) as error:
        steps.append(f"dropped an ICC profile that could not be used ({error}); took it as sRGB")
        return None
    if converted is None:  # only when converting in place, which is not asked for here
        return None
    steps.append(f"converted colours from the ICC profile '{description}' to sRGB")
    return converted


def _draft(
    image: ImageFile.ImageFile,
    box: tuple[float, float, float, float],
    content: tuple[int, int],
) -> tuple[tuple[float, float, float, float], int]:
    """Have a JPEG decoded at a reduced scale; the box in the reduced picture, the scale."""
    width, height = image.size
    box_w, box_h = box[2] - box[0], box[3] - box[1]
    # The smallest whole picture in which the box is still at least the output size:
    # libjpeg then decodes at 1/2, 1/4 or 1/8 scale if that is still big enough. Pillow's
    # Image.draft docs: it "configures the image file loader so it returns a version of the
    # image that as closely as possible matches the given mode and size", never smaller than
    # the size asked for, and returns the box of the original picture it decodes.
    wanted = (
        max(1, math.ceil(width * content[0] / box_w)),
        max(1, math.ceil(height * content[1] / box_h)),
    )
    if wanted == (width, height):
        return box, 1
    drafted = image.draft(None, wanted)
    if drafted is None or drafted[1][2] >= width:
        return box, 1
    scale = width / drafted[1][2]
    return (box[0] / scale, box[1] / scale, box[2] / scale, box[3] / scale), round(scale)


def _decode_scaled(
    image: ImageFile.ImageFile,
    box: tuple[float, float, float, float],
    content: tuple[int, int],
    steps: list[str],
) -> tuple[Image.Image, str]:
    """Decode the source (reduced while decoding if it is a JPEG) and scale ``box`` to size.

    Returns the picture and how it was scaled, in words.
    """
    drafted_at = ""
    if image.format in ("JPEG", "MPO"):
        box, scale = _draft(image, box, content)
        if scale > 1:
            drafted_at = f"JPEG decoded at 1/{scale} scale"
    image.load()
    source = _to_resizable(image, steps)
    whole = (round(box[0]), round(box[1]), round(box[2]), round(box[3]))
    exact = all(float(edge).is_integer() for edge in box)
    if exact and content == (whole[2] - whole[0], whole[3] - whole[1]):
        return source.crop(whole), drafted_at
    resized = source.resize(content, Image.Resampling.LANCZOS, box, _REDUCING_GAP)
    return resized, f"{drafted_at}, then Lanczos" if drafted_at else "Lanczos"


def _encode(image: Image.Image, image_format: str, quality: int | None) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, "JPEG", quality=quality, optimize=False)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=quality, method=4)
    else:
        image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def _encode_within(image: Image.Image, spec: ImageSpec, name: str) -> tuple[bytes, int | None]:
    image_format = spec.output_format
    limit = spec.max_bytes
    if image_format == "PNG":
        data = _encode(image, "PNG", None)
        if limit is not None and len(data) > limit:
            raise InvalidValueError(
                f"{name} comes out at {len(data):,} bytes as a {image.width}×{image.height} PNG, "
                f"over the limit of {limit:,} bytes of {spec.label}",
                field="images",
                hint="write photos as JPEG or WebP, whose quality can be lowered to fit",
            )
        return data, None

    if limit is None:
        return _encode(image, image_format, spec.max_quality), spec.max_quality
    return _QualitySearch(image, image_format, limit).run(spec, name)


def _quantizer_scale(quality: float) -> float:
    """Libjpeg's quantizer scale, in percent, for a quality (``jpeg_quality_scaling``)."""
    # jcparam.c: quality q < 50 scales the standard tables by 5000 / q %, else by 200 - 2q %
    # (0 % at quality 100, where every step is 1: taken as 1 % here, to keep a logarithm).
    return 5000 / quality if quality < _HALF_QUALITY else max(1.0, 200 - 2 * quality)


def _quality_at(scale: float) -> float:
    """The quality at which libjpeg scales its tables by ``scale`` percent."""
    return 5000 / scale if scale > _FULL_SCALE else (200 - scale) / 2


class _QualitySearch:
    """The highest quality whose file fits a byte limit, in as few encodes as it can.

    The file size falls as the quality falls, and, over the qualities marketplaces use, its
    logarithm falls nearly in a straight line with the logarithm of libjpeg's quantizer scale
    (measured: a slope of about -0.55 on photos). So each guess interpolates between the
    nearest known sizes on either side of the limit, on that scale, and the search ends when a
    quality that fits sits right under one that does not: two to four encodes, where a binary
    search over 40 qualities takes seven. Every encode is kept, so none is made twice.
    """

    def __init__(self, image: Image.Image, image_format: str, limit: int) -> None:
        self.image = image
        self.image_format = image_format
        self.limit = limit
        self.sizes: dict[int, bytes] = {}

    def encode(self, quality: int) -> bytes:
        if quality not in self.sizes:
            self.sizes[quality] = _encode(self.image, self.image_format, quality)
        return self.sizes[quality]

    def guess(self, fits: int | None, too_big: int) -> float:
        """The quality at which the size crosses the limit, by the sizes nearest to it.

        The slope is measured between ``too_big`` and the highest quality known to fit,
        or, while none is, the next quality tried above ``too_big`` (a secant step); the
        typical slope is taken when there is no second point or the sizes do not fall.
        """
        above = [quality for quality in self.sizes if quality > too_big]
        other = fits if fits is not None else min(above, default=None)
        big = math.log(len(self.sizes[too_big]))
        big_scale = math.log(_quantizer_scale(too_big))
        slope = _SIZE_SLOPE
        if other is not None:
            measured = (math.log(len(self.sizes[other])) - big) / (
                math.log(_quantizer_scale(other)) - big_scale
            )
            slope = measured if measured < 0 else slope
        scale = big_scale + (math.log(self.limit) - big) / slope
        return _quality_at(math.exp(scale))

    def run(self, spec: ImageSpec, name: str) -> tuple[bytes, int]:
        """The encoded picture and its quality, or an error if even the lowest is too big."""
        too_big = spec.max_quality  # the lowest quality known to be over the limit
        if len(self.encode(too_big)) <= self.limit:
            return self.sizes[too_big], too_big
        fits: int | None = None  # the highest quality known to fit
        outcomes: list[bool] = []  # whether each quality tried fitted, in turn
        while fits is None or fits + 1 < too_big:
            low = spec.min_quality if fits is None else fits + 1
            if low >= too_big:  # even the lowest quality is over the limit
                break
            if fits is not None and outcomes[-2:] in ([True, True], [False, False]):
                # Interpolation can creep up on the answer from one side, one quality at a
                # time; after two steps from the same side, halve the interval instead.
                quality = (low + too_big - 1) // 2
            else:
                quality = math.floor(self.guess(fits, too_big))
            quality = min(max(quality, low), too_big - 1)
            outcomes.append(len(self.encode(quality)) <= self.limit)
            if outcomes[-1]:
                fits = quality
            else:
                too_big = quality
        if fits is None:
            smallest = self.encode(spec.min_quality)
            image = self.image
            raise InvalidValueError(
                f"{name} is {len(smallest):,} bytes even at {self.image_format} quality "
                f"{spec.min_quality} ({image.width}×{image.height} px), over the limit of "
                f"{self.limit:,} bytes of {spec.label}",
                field="images",
                hint="use a smaller target size or a lower min_quality, or a calmer photo "
                "(fine grain and noise make big files)",
            )
        return self.sizes[fits], fits


def process_image(
    source: Source,
    spec: ImageSpec,
    *,
    name: str | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    cache: PictureCache | None = None,
) -> ProcessedImage:
    """Make one picture fit a marketplace's image spec.

    See the module documentation for what is done, in which order.

    Args:
        source: the picture: a file path, or the file's bytes.
        spec: what the marketplace accepts.
        name: how messages and the result name the picture; by default its path, or
            "picture (bytes)".
        max_pixels: the most pixels (width × height) a source may declare; more is refused
            before anything is decoded, as a decompression bomb.
        cache: where pictures already made are kept (see :class:`PictureCache`): a picture
            made before from the same bytes for the same spec is taken from it, byte for
            byte what processing it again would give.

    Returns:
        The encoded picture, its size, format, quality, content hash and what was done.

    Raises:
        InvalidValueError: if the file is missing, not a picture, truncated or damaged, over
            ``max_pixels``, too small for the spec, or cannot be made small enough in bytes.
            The message names the file and says what to do.
    """
    label = _name_of(source, name)
    if isinstance(source, bytearray | memoryview):
        source = bytes(source)
    if cache is None:
        return _process(source, spec, label, max_pixels)
    digest, data = _source_digest(source, label, cache)
    key = _key(digest, spec, max_pixels)
    entry = cache.get(key)
    cached = None if entry is None else _from_entry(entry, label)
    if cached is not None:
        return cached
    if data is None:
        data = _source_bytes(source, label)
        if hashlib.sha256(data).hexdigest() != digest:  # changed since it was last read
            key = picture_key(data, spec, max_pixels=max_pixels)
    result = _process(data, spec, label, max_pixels)
    cache.put(key, *_to_entry(result))
    return result


def _source_digest(source: Source, label: str, cache: PictureCache) -> tuple[str, bytes | None]:
    """The SHA-256 of a source's bytes, and the bytes if they had to be read for it.

    A file already read in this run, unchanged since (same device, inode, size and
    modification time to the nanosecond), is not read and hashed again: 300 lots showing the
    same 3.5 MB photo cost one read.
    """
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest(), source
    try:
        stat = Path(source).stat()
    except (OSError, ValueError):
        stat = None
    identity = (
        None
        if stat is None
        else (os.fspath(source), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    )
    digest = cache.digest_of(identity) if identity is not None else None
    if digest is not None:
        return digest, None
    data = _source_bytes(source, label)
    digest = hashlib.sha256(data).hexdigest()
    if identity is not None:
        cache.remember_digest(identity, digest)
    return digest, data


def picture_key(data: bytes, spec: ImageSpec, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> str:
    """The cache key of a picture's bytes made to ``spec``: a SHA-256 in hex.

    It covers the source's bytes, every field of the spec, the decompression-bomb limit,
    :data:`PIPELINE_VERSION` and the Pillow version, and nothing else (not the picture's name).

    Example:
        >>> spec = ImageSpec()
        >>> picture_key(b"photo", spec) == picture_key(b"photo", ImageSpec())
        True
        >>> picture_key(b"photo", spec) == picture_key(b"photo", ImageSpec(max_quality=85))
        False
    """
    return _key(hashlib.sha256(data).hexdigest(), spec, max_pixels)


def _key(digest: str, spec: ImageSpec, max_pixels: int) -> str:
    text = f"{PIPELINE_VERSION}\0{PIL.__version__}\0{_spec_text(spec)}\0{max_pixels}\0{digest}"
    return hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=64)
def _spec_text(spec: ImageSpec) -> str:
    return json.dumps(attrs.asdict(spec), sort_keys=True)


def _to_entry(image: ProcessedImage) -> tuple[dict[str, Any], bytes]:
    meta = {
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "quality": image.quality,
        "steps": list(image.steps),
        "sha256": image.sha256,
    }
    return meta, image.data


def _from_entry(entry: tuple[dict[str, Any], bytes], label: str) -> ProcessedImage | None:
    """The picture a cache entry holds, named ``label``; ``None`` if the entry is not one."""
    meta, data = entry
    steps = meta.get("steps")
    quality = meta.get("quality")
    if (
        meta.get("format") not in OUTPUT_FORMATS
        or not all(isinstance(meta.get(side), int) for side in ("width", "height"))
        or not (quality is None or isinstance(quality, int))
        or not isinstance(steps, list | tuple)
        or not all(isinstance(step, str) for step in steps)
        or not isinstance(meta.get("sha256"), str)
    ):
        return None
    return ProcessedImage(
        data=data,
        format=meta["format"],
        width=meta["width"],
        height=meta["height"],
        sha256=meta["sha256"],
        source=label,
        quality=quality,
        steps=tuple(steps),
    )


def _process(source: Source, spec: ImageSpec, label: str, max_pixels: int) -> ProcessedImage:
    steps: list[str] = []
    with _open(source, label, max_pixels) as image:
        try:
            removed = _metadata(image)
            icc = image.info.get("icc_profile")
            picture, plan = _upright_and_scaled(image, spec, label, steps)
        except _DECODE_ERRORS as error:
            if isinstance(error, InvalidValueError):
                raise
            raise _damaged(label, error) from error
    picture = _finish(picture, plan, spec, icc, steps)
    if removed:
        steps.append(f"removed metadata: {', '.join(removed)}")
    data, quality = _encode_within(picture, spec, label)
    del picture
    shown_quality = f" at quality {quality}" if quality is not None else ""
    steps.append(f"encoded as {spec.output_format}{shown_quality}: {len(data):,} bytes")
    return ProcessedImage(
        data=data,
        format=spec.output_format,
        width=plan.canvas[0],
        height=plan.canvas[1],
        sha256=hashlib.sha256(data).hexdigest(),
        source=label,
        quality=quality,
        steps=tuple(steps),
    )


def _upright_and_scaled(
    image: ImageFile.ImageFile, spec: ImageSpec, name: str, steps: list[str]
) -> tuple[Image.Image, _Plan]:
    """Decode the part of the source the output needs, scaled to size and turned upright."""
    frames = getattr(image, "n_frames", 1)
    if frames > 1 and image.format not in ("MPO", "JPEG"):
        steps.append(f"used the first of {frames} frames")
    orientation = _orientation(image, steps)
    swaps = orientation in _SWAPS_SIDES
    width, height = image.size[::-1] if swaps else image.size
    plan = _plan(spec, width, height)
    _check_big_enough(spec, name, (width, height), plan.canvas)
    box, content = plan.box, plan.content
    if swaps:
        # The box is centred, so in the stored (sideways) picture it is the same box with
        # x and y exchanged, whichever way the picture is turned or mirrored.
        box, content = (box[1], box[0], box[3], box[2]), (content[1], content[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        picture, how = _decode_scaled(image, box, content, steps)
    if orientation != 1:
        transpose, words = _TRANSPOSE[orientation]
        picture = picture.transpose(transpose)
        steps.append(f"{words}, as its EXIF orientation ({orientation}) says")
    unscaled = f"{plan.unscaled[0]}×{plan.unscaled[1]}"
    if plan.reshaped == "padded":
        steps.append(
            f"padded {width}×{height} to {unscaled} on {_hex(spec.background)} "
            f"(aspect {spec.aspect})"
        )
    elif plan.reshaped == "cropped":
        steps.append(f"cropped {width}×{height} to its middle {unscaled} (aspect {spec.aspect})")
    if plan.scaled:
        steps.append(f"resized to {plan.canvas[0]}×{plan.canvas[1]} ({how})")
    return picture, plan


def _check_big_enough(
    spec: ImageSpec, name: str, size: tuple[int, int], canvas: tuple[int, int]
) -> None:
    if canvas[0] >= spec.min_width and canvas[1] >= spec.min_height:
        return
    would = "" if canvas == size else f" (it would come out {canvas[0]}×{canvas[1]} px)"
    raise InvalidValueError(
        f"{name} is {size[0]}×{size[1]} px, too small for {spec.label}, which needs at least "
        f"{spec.min_width}×{spec.min_height} px{would}",
        field="images",
        hint=f"use the original photo from the camera or phone, at least {spec.min_width}×"
        f"{spec.min_height} px, not a thumbnail or a picture saved from a chat app",
    )


def _finish(
    picture: Image.Image, plan: _Plan, spec: ImageSpec, icc: object, steps: list[str]
) -> Image.Image:
    """Colours to sRGB, transparency and padding onto the background: the output picture."""
    alpha: Image.Image | None = None
    if picture.mode in ("RGBA", "LA"):
        alpha = picture.getchannel("A")
        low = alpha.getextrema()[0]
        if isinstance(low, int | float) and low >= 255:
            alpha = None
        else:
            steps.append(f"put transparent areas on {_hex(spec.background)}")
        picture = picture.convert("RGB" if picture.mode == "RGBA" else "L")
    picture = _to_srgb(picture, icc if isinstance(icc, bytes) else None, steps)
    if alpha is None and picture.size == plan.canvas:
        picture.info.clear()
        return picture
    canvas = Image.new("RGB", plan.canvas, spec.background)
    canvas.paste(picture, plan.offset, alpha)
    return canvas


def process_images(
    sources: Iterable[Source],
    spec: ImageSpec,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    cache: PictureCache | None = None,
) -> tuple[ProcessedImage, ...]:
    """Make a listing's pictures fit a marketplace's image spec, one after the other.

    Only one picture is decoded at a time. A picture that cannot be used does not stop the
    others: every one is tried, then all the problems are reported together. For many
    listings at once, on every core, see :func:`process_images_many`.

    Args:
        sources: the pictures, main picture first: file paths or files' bytes.
        spec: what the marketplace accepts, including how many pictures a listing takes.
        progress: called after each picture with the number done, the number in all, and
            the picture's name; the library itself never prints.
        max_pixels: the decompression-bomb limit, as for :func:`process_image`.
        cache: pictures already made, as for :func:`process_image`; share one across the
            listings of a run.

    Returns:
        The processed pictures, in the order given.

    Raises:
        InvalidValueError: if there are too few or too many pictures for the spec (checked
            before any is processed), or if any picture cannot be used; the message lists
            every picture that failed and why.

    Example:
        >>> import io
        >>> from PIL import Image
        >>> def photo(colour: str) -> bytes:
        ...     buffer = io.BytesIO()
        ...     Image.new("RGB", (900, 600), colour).save(buffer, "PNG")
        ...     return buffer.getvalue()
        >>> spec = ImageSpec(target_width=600, target_height=600, output_format="webp")
        >>> done = []
        >>> results = process_images(
        ...     [photo("black"), photo("tan")], spec, progress=lambda *p: done.append(p)
        ... )
        >>> [(r.size, r.format) for r in results]
        [((600, 600), 'WEBP'), ((600, 600), 'WEBP')]
        >>> done
        [(1, 2, 'picture 1'), (2, 2, 'picture 2')]
    """
    items = _listing_sources(sources)
    spec.check_count(len(items))
    results: list[ProcessedImage] = []
    failures: list[InvalidValueError] = []
    for index, source in enumerate(items, start=1):
        name = _default_name(source, index)
        label = _name_of(source, name)
        try:
            results.append(
                process_image(source, spec, name=name, max_pixels=max_pixels, cache=cache)
            )
        except InvalidValueError as error:
            failures.append(error)
        if progress is not None:
            progress(index, len(items), label)
    if failures:
        raise _all_failures(failures, len(items))
    return tuple(results)


def _listing_sources(sources: Iterable[Source]) -> list[Source]:
    if isinstance(sources, str | bytes | os.PathLike):
        raise InvalidValueError(
            f"process_images takes a list of pictures, not one picture {_name_of(sources, None)!r}",
            field="images",
            hint="pass [picture], or call process_image for one picture",
        )
    return list(sources)


def _default_name(source: Source, index: int) -> str | None:
    return f"picture {index}" if isinstance(source, bytes) else None


def _all_failures(failures: Sequence[InvalidValueError], total: int) -> InvalidValueError:
    if len(failures) == 1:
        return failures[0]
    lines = [f"{len(failures)} of {total} pictures cannot be used:"]
    lines += [
        f"  - {error.message}" + (f" ({error.hint})" if error.hint else "") for error in failures
    ]
    return InvalidValueError("\n".join(lines), field="images", hint=failures[0].hint)


# --- many listings, every core -------------------------------------------------------------


def _available_cores() -> int:
    """The CPU cores this process may run on (its affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


@attrs.frozen
class _Picture:
    """One picture of one listing in a batch: what it is called, its bytes and key."""

    label: str
    source: Source = b""
    data: bytes | None = None  # kept for the first picture of each key only
    key: str = ""
    digest: str = ""
    error: InvalidValueError | None = None

    def bytes_now(self) -> tuple[bytes, bool]:
        """The picture's bytes, and whether they are still those its key was made from."""
        if self.data is not None:
            return self.data, True
        data = _source_bytes(self.source, self.label)
        return data, hashlib.sha256(data).hexdigest() == self.digest


@attrs.frozen
class _Made:
    """What making one picture gave (in a worker process): its cache entry, or its error."""

    meta: dict[str, Any] | None = None
    data: bytes = b""
    error: tuple[str, str | None, str] | None = None


def _work(data: bytes, spec: ImageSpec, label: str, max_pixels: int) -> _Made:
    try:
        meta, encoded = _to_entry(_process(data, spec, label, max_pixels))
    except InvalidValueError as error:
        return _Made(error=(error.message, error.field, error.hint))
    return _Made(meta=meta, data=encoded)


def _single_threaded() -> bool:
    """Whether this process runs one thread, counting threads started outside Python too."""
    try:
        # What CPython 3.12+ counts before warning that forking a threaded process may deadlock.
        return sum(1 for _ in Path("/proc/self/task").iterdir()) == 1
    except OSError:
        return threading.active_count() == 1 and sys.version_info < (3, 12)


def _pool_context() -> multiprocessing.context.BaseContext:
    """How worker processes are started: forked while that is safe, else from a fork server.

    Forking copies the process as it is, so workers start at once and never import the
    caller's main module again; but forking while other threads run can copy a lock one of
    them holds into the child, so with threads running (an event loop's executor, a server)
    workers come from a fork server instead, which forks a clean process that has imported
    only this module. Then, as for any multiprocessing, the caller's main script must guard
    its work with ``if __name__ == "__main__":``.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def process_images_many(
    listings: Iterable[Iterable[Source]],
    spec: ImageSpec,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    cache: PictureCache | None = None,
    workers: int | None = None,
) -> list[tuple[ProcessedImage, ...] | InvalidValueError]:
    """The pictures of many listings, made on every core, each distinct picture once.

    Every listing's pictures come out byte for byte as :func:`process_images` makes them;
    what differs is how: pictures with the same bytes (in one listing or across listings)
    are processed once, pictures found in ``cache`` not at all, and the rest in a pool of
    ``workers`` processes. Memory stays bounded: at most two pictures per worker are in
    flight at a time, and each worker decodes one picture at a time.

    Args:
        listings: each listing's pictures, main picture first: file paths or files' bytes.
        spec: what the marketplace accepts, as for :func:`process_images`.
        max_pixels: the decompression-bomb limit, as for :func:`process_image`.
        cache: pictures already made; those made here are added to it.
        workers: processes to use; by default one per core this process may run on. With
            1, or with at most one picture to make, everything is done in this process.

    Returns:
        For each listing, in order, its processed pictures, or the
        :class:`~ruralseller.errors.InvalidValueError` that :func:`process_images` would
        raise for it (too few or too many pictures, or pictures that cannot be used). One
        listing's problem never stops the others.

    Example:
        >>> import io
        >>> from PIL import Image
        >>> photo = io.BytesIO()
        >>> Image.new("RGB", (900, 600), "tan").save(photo, "PNG")
        >>> spec = ImageSpec(target_width=600, target_height=600)
        >>> done = process_images_many([[photo.getvalue()], [photo.getvalue()], []], spec)
        >>> [r[0].size if isinstance(r, tuple) else str(r) for r in done]
        [(600, 600), (600, 600), '0 pictures given; this image spec takes 1 to 10']
    """
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise ValueError(f"workers must be at least 1, got {workers!r}")
    # Files are read and hashed once each (a file shown by 300 lots, once), and only the
    # first picture of each distinct content keeps its bytes until it is made.
    memo = cache if cache is not None else PictureCache(memory_bytes=0, disk_bytes=0)
    seen: set[str] = set()
    rows = [_batch_row(sources, spec, max_pixels, memo, seen) for sources in listings]
    # Each distinct picture once: from the cache, or made (here or in the pool).
    made: dict[str, _Made] = {}
    todo: dict[str, _Picture] = {}
    for row in rows:
        for picture in row if isinstance(row, list) else ():
            if picture.error is not None or picture.key in made or picture.key in todo:
                continue
            entry = cache.get(picture.key) if cache is not None else None
            if entry is not None and _from_entry(entry, picture.label) is not None:
                made[picture.key] = _Made(meta=entry[0], data=entry[1])
            else:
                todo[picture.key] = picture
    stale: set[str] = set()
    for key, outcome in _make_all(todo, spec, max_pixels, workers, stale):
        made[key] = outcome
        if cache is not None and outcome.meta is not None and key not in stale:
            cache.put(key, outcome.meta, outcome.data)
    return [
        row if isinstance(row, InvalidValueError) else _assemble(row, made, todo, spec, max_pixels)
        for row in rows
    ]


def _batch_row(
    sources: Iterable[Source],
    spec: ImageSpec,
    max_pixels: int,
    memo: PictureCache,
    seen: set[str],
) -> list[_Picture] | InvalidValueError:
    """A listing's pictures keyed (each file read once), or why the listing cannot have them."""
    try:
        items = _listing_sources(sources)
        spec.check_count(len(items))
    except InvalidValueError as error:
        return error
    row = []
    for index, given in enumerate(items, start=1):
        source = bytes(given) if isinstance(given, bytearray | memoryview) else given
        label = _name_of(source, _default_name(source, index))
        try:
            digest, data = _source_digest(source, label, memo)
        except InvalidValueError as error:
            row.append(_Picture(label, error=error))
            continue
        key = _key(digest, spec, max_pixels)
        keep = data if key not in seen else None
        seen.add(key)
        row.append(_Picture(label, source, keep, key, digest))
    return row


def _assemble(
    row: list[_Picture],
    made: dict[str, _Made],
    todo: dict[str, _Picture],
    spec: ImageSpec,
    max_pixels: int,
) -> tuple[ProcessedImage, ...] | InvalidValueError:
    """One listing's pictures from those made, or all of its pictures' problems together."""
    images: list[ProcessedImage] = []
    failures: list[InvalidValueError] = []
    for picture in row:
        done = made.get(picture.key)
        image = None
        if done is not None and done.meta is not None:
            image = _from_entry((done.meta, done.data), picture.label)
        if image is not None:
            images.append(image)
        elif picture.error is not None:
            failures.append(picture.error)
        elif (
            done is not None and done.error is not None and todo[picture.key].label == picture.label
        ):
            message, field, hint = done.error
            failures.append(InvalidValueError(message, field=field, hint=hint))
        else:  # the same bad picture under another name: made again, so its message names it
            try:
                data, _ = picture.bytes_now()
                images.append(_process(data, spec, picture.label, max_pixels))
            except InvalidValueError as error:
                failures.append(error)
    return _all_failures(failures, len(row)) if failures else tuple(images)


def _with_bytes(
    todo: dict[str, _Picture], stale: set[str]
) -> Iterator[tuple[str, _Picture, bytes | _Made]]:
    """Each picture to make with its bytes, read only now if they were not kept.

    A file changed since it was hashed is made as it is now, and its key put in ``stale``
    (what is made from it must not be kept under the old content's key); one that cannot be
    read any more comes with its error instead.
    """
    for key, picture in todo.items():
        try:
            data, fresh = picture.bytes_now()
        except InvalidValueError as error:
            stale.add(key)
            yield key, picture, _Made(error=(error.message, error.field, error.hint))
            continue
        if not fresh:
            stale.add(key)
        yield key, picture, data


def _make_all(
    todo: dict[str, _Picture],
    spec: ImageSpec,
    max_pixels: int,
    workers: int | None,
    stale: set[str],
) -> Iterator[tuple[str, _Made]]:
    """Make each picture of ``todo``: in this process, or in a pool with bounded work."""
    count = min(workers or _available_cores(), len(todo))
    if count <= 1:
        for key, picture, data in _with_bytes(todo, stale):
            made = data if isinstance(data, _Made) else _work(data, spec, picture.label, max_pixels)
            yield key, made
        return
    pending = _with_bytes(todo, stale)
    with concurrent.futures.ProcessPoolExecutor(count, mp_context=_pool_context()) as pool:
        running: dict[concurrent.futures.Future[_Made], str] = {}
        ready: list[tuple[str, _Made]] = []

        def submit() -> None:
            for key, picture, data in pending:
                if isinstance(data, _Made):
                    ready.append((key, data))
                    continue
                future = pool.submit(_work, data, spec, picture.label, max_pixels)
                running[future] = key
                if len(running) >= 2 * count:
                    return

        submit()
        while running or ready:
            yield from ready
            ready.clear()
            if not running:
                break
            finished, _ = concurrent.futures.wait(
                running, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                yield running.pop(future), future.result()
            submit()
