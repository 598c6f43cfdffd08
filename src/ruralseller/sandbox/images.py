"""Checking an uploaded picture against the sandbox profile's picture spec.

Example:
    >>> import io
    >>> from PIL import Image
    >>> png = io.BytesIO()
    >>> Image.new("RGB", (300, 200), "olive").save(png, "PNG")
    >>> record = check_image("hen.png", "image/png", png.getvalue())
    >>> record.format, record.width, record.height
    ('PNG', 300, 200)
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from typing import Final

from PIL import Image, UnidentifiedImageError

from ruralseller.listing import DEFAULT_MAX_PIXELS, ImageSpec, get_profile
from ruralseller.sandbox.api_errors import ApiError
from ruralseller.sandbox.storage import ImageRecord

__all__ = ["MEDIA_TYPES", "NAME", "check_image", "check_name", "sandbox_spec"]

MEDIA_TYPES: Final = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
"""The upload Content-Types the sandbox takes, and the Pillow format each must hold."""

NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
"""What a picture's name may be: a plain file name, no path."""


def sandbox_spec() -> ImageSpec:
    """The picture spec of the ``sandbox`` marketplace profile."""
    return get_profile("sandbox").images


def _invalid(name: str, message: str) -> ApiError:
    return ApiError(
        422, "invalid_image", f"picture {name!r}: {message}", errors=[(f"images/{name}", message)]
    )


def check_name(name: str) -> None:
    """Refuse a picture name that is not a plain file name (422 ``invalid_image``)."""
    if not NAME.fullmatch(name):
        raise _invalid(name, "name it with letters, digits, '.', '_' or '-' (at most 128)")


def check_image(name: str, content_type: str, data: bytes) -> ImageRecord:
    """The record of an uploaded picture, or the error answer if it breaks the spec.

    Raises:
        ApiError: 415 for a Content-Type not taken, 413 for too many bytes, 422
            ``invalid_image`` for a broken picture, the wrong format or too few pixels.
    """
    check_name(name)
    media_type = content_type.split(";", maxsplit=1)[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send pictures as {', '.join(MEDIA_TYPES)}, not {media_type or 'no Content-Type'}",
        )
    spec = sandbox_spec()
    if spec.max_bytes is not None and len(data) > spec.max_bytes:
        raise ApiError(
            413,
            "too_large",
            f"picture {name!r} is {len(data)} bytes; the sandbox takes at most {spec.max_bytes}",
        )
    image_format, width, height = _decode(name, data)
    if image_format != MEDIA_TYPES[media_type] or image_format not in spec.allowed_formats:
        raise _invalid(name, f"the bytes are {image_format}, but were sent as {media_type}")
    if width < spec.min_width or height < spec.min_height:
        raise _invalid(
            name,
            f"{width}x{height} px is too small: at least {spec.min_width}x{spec.min_height}",
        )
    return ImageRecord(
        name=name,
        media_type=media_type,
        format=image_format,
        width=width,
        height=height,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _decode(name: str, data: bytes) -> tuple[str, int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > DEFAULT_MAX_PIXELS:
                    raise _invalid(name, f"{width}x{height} px is more than the sandbox decodes")
                image.load()
                return str(image.format), width, height
    except ApiError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise _invalid(name, f"not a readable picture ({type(exc).__name__})") from None
