"""Images as the site stores them: checking that bytes are an image it can store (reading its size and type
without decoding it all), and encoding a picture compactly.

Storage is what a table of portraits costs (two images per gene, 768×1024 each), so every stored
image is WebP, encoded the smaller of two ways, as measured by ``bench/storage.py``:

* **lossless over a palette** (what a PNG-8 does, in fewer bytes): flat art — few inks,
  hard edges, halftone or hatching marks — is drawn from a few hundred colours at most. With 256
  colours or fewer it is stored exactly; with a few thousand (anti-aliased edges, a blot's
  gradient) it is first reduced to its 256 main colours, which shifts a pixel by about 3 levels
  of 255 (less than the lossy encoding below changes it). Dot patterns, which defeat a lossy
  encoder, cost little here.
* **lossy** at :data:`LOSSY_QUALITY`: everything with shading, texture or grain, where a palette
  would band and lossless would be several times larger.

A trial on a strip of rows tells which is smaller before the whole image is encoded (a grey
photograph or grain has few colours too, yet is smaller lossy); images with more colours than a
palette could stand for go straight to lossy. The encoder settings are fixed, so the same pixels give the same bytes
(files are named by the hash of their bytes).
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, UnidentifiedImageError

from .errors import IconoplasmError

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
STORED_SUFFIX: Final = "webp"

# Measured on real portraits and blots with shading or paper (bench/storage.py): quality 45 gives 5 %
# fewer bytes than 50 in the same time, method 4 another 6 % for twice the time of method 2. The
# default emulsion's flat art goes lossless, so the backfill of the whole table never pays for it.
LOSSY_QUALITY: Final = 45
LOSSY_METHOD: Final = 4
PALETTE_COLOURS: Final = 256
# With more colours than this an image has shading or grain: a palette would band it.
PALETTE_MAX_SOURCE_COLOURS: Final = 8192
# WebP's "quality" for lossless is the compression effort: measured on flat portraits and blots, 50 at
# method 2 is within 1 % of the smallest files for 70 % of the time of more effort.
LOSSLESS_EFFORT: Final = 50
LOSSLESS_METHOD: Final = 2
TRIAL_ROWS: Final = (0.4375, 0.5625)  # the strip, as fractions of the height


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


def encode_stored(image: Image.Image) -> bytes:
    """``image`` as the WebP bytes the site stores: lossless over a palette where that is smaller, else lossy."""
    rgb = image.convert("RGB")
    colours = rgb.getcolors(PALETTE_MAX_SOURCE_COLOURS)
    if colours is None:
        return _lossy(rgb)
    # With 256 colours or fewer the encoder makes the palette itself, exactly; else the 256 main ones.
    paletted = (
        rgb
        if len(colours) <= PALETTE_COLOURS
        else rgb.quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    )
    top, bottom = (round(f * rgb.height) for f in TRIAL_ROWS)
    strip = (0, top, rgb.width, max(bottom, top + 1))
    if len(_lossless(paletted.crop(strip))) > len(_lossy(rgb.crop(strip))):
        return _lossy(rgb)
    return _lossless(paletted)


def _lossy(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=LOSSY_QUALITY, method=LOSSY_METHOD, exact=False)
    return buffer.getvalue()


def _lossless(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", lossless=True, quality=LOSSLESS_EFFORT, method=LOSSLESS_METHOD, exact=False)
    return buffer.getvalue()
