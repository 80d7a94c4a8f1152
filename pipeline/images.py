"""Checking that bytes are an image the site can store, and reading its size and type without decoding it all."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from .errors import IconoplasmError

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class NotAnImageError(IconoplasmError, ValueError):
    """Bytes that Pillow cannot read as a PNG, JPEG or WebP image."""


def inspect_image(data: bytes) -> tuple[int, int, str]:
    """Width, height and file suffix of encoded image bytes; NotAnImageError otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise NotAnImageError(f"not a readable image ({type(exc).__name__})") from None
    if fmt not in IMAGE_FORMATS:
        raise NotAnImageError(f"unsupported image format {fmt}")
    return width, height, IMAGE_FORMATS[fmt]
