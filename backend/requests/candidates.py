"""Checking that bytes are an image, and registering one as a candidate portrait
through ``backend.portraits.services.register_candidate`` (default storage, local or S3).
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from backend.genes.models import Gene
from backend.portraits.models import Portrait

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class NotAnImageError(ValueError):
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


def register(gene: Gene, image_bytes: bytes, *, blot: bytes | None = None, blot_suffix: str = "webp", **fields) -> Portrait:
    """Register ``image_bytes`` (an image: see :func:`inspect_image`) as a candidate of ``gene`` with its blot.

    Width, height and file type are read from the image itself.
    """
    from backend.portraits.services import register_candidate

    width, height, suffix = inspect_image(image_bytes)
    return register_candidate(gene, image_bytes, blot=blot, blot_suffix=blot_suffix, image_suffix=suffix,
                              width=width, height=height, **fields)
