"""Blots: the public card image of a portrait, and its print copy.

A blot is the portrait cover-cropped to 3:4, darkened towards the bottom by a
gradient, with the full gene name bottom-left and the symbol bottom-right.
It is what the site shows and what people share, so it has to read well at
a glance and look the same everywhere:

* text is set in the DejaVu Sans bundled in ``fonts/`` (never a system font)
  with Pillow's basic layout engine (never raqm, whose presence varies), so
  the same inputs draw the same pixels on every machine;
* every measure (margins, type sizes, gradient height) is a fraction of the
  width, so the print copy is *rendered* at 1536×2048 with the same layout,
  not upscaled from the small blot;
* the encoders are configured to give the same bytes for the same pixels
  (WebP as the site stores every image, :func:`pipeline.images.encode_stored`;
  PNG without timestamps or other metadata), which lets the batch job name
  files by the hash of their bytes. A blot is stored as small as its portrait:
  lossless over a palette for flat art, lossy for shading and grain.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, UnidentifiedImageError

from ..images import encode_stored

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"

BLOT_SIZE = (768, 1024)
PRINT_SIZE = (1536, 2048)

Format = Literal["webp", "png"]

# Layout, as fractions of the image width (gradient: of the height).
MARGIN = 0.05  # outer margin, left/right/bottom
GAP = 0.04  # least horizontal space between name and symbol
GRADIENT_HEIGHT = 0.34  # lower part of the image covered by the gradient
GRADIENT_MAX_ALPHA = 225  # opacity of the gradient at the very bottom (of 255)
GRADIENT_COLOUR = (8, 8, 14)
SYMBOL_MAX_SIZE = 0.105  # symbol type size, largest
SYMBOL_MIN_SIZE = 0.03  # ... and smallest before it is cut short
SYMBOL_MAX_WIDTH = 0.5  # share of the inner width the symbol may take
NAME_MAX_SIZE = 0.05  # name type size, largest
NAME_MIN_SIZE = 0.022  # ... and smallest before the name is cut short
NAME_MAX_LINES = 3
LINE_SPACING = 1.2
TEXT_COLOUR = (250, 248, 242, 255)
NAME_COLOUR = (236, 234, 228, 255)
SHADOW_ALPHA = 150
BACKGROUND = (24, 24, 30)  # shows through transparent portraits

PNG_COMPRESS_LEVEL = 6
ELLIPSIS = "…"


class BlotError(ValueError):
    """The portrait cannot be used (not an image, unreadable) or a bad option."""


@dataclass(frozen=True)
class BlotLayout:
    """Where the text of a blot goes; boxes are (left, top, right, bottom) pixels.

    Exposed so that tests (and callers placing overlays) can check that the
    name stays inside the image and clear of the symbol without reading pixels.
    """

    size: tuple[int, int]
    name_lines: tuple[str, ...]
    name_font_size: int
    name_box: tuple[int, int, int, int] | None
    symbol_text: str
    symbol_font_size: int
    symbol_box: tuple[int, int, int, int] | None
    baseline: int


def make_blot(
    portrait: Image.Image | bytes,
    symbol: str,
    name: str,
    size: tuple[int, int] = BLOT_SIZE,
    fmt: Format = "webp",
) -> bytes:
    """The public card image of ``portrait`` as encoded bytes (WebP by default, or PNG).

    Raises :class:`BlotError` when ``portrait`` is not an image or ``fmt`` is unknown.
    """
    return encode(render_blot(portrait, symbol, name, size), fmt)


def make_print_copy(portrait: Image.Image | bytes, symbol: str, name: str) -> bytes:
    """The blot at print size (1536×2048) as PNG, drawn at that size rather than upscaled."""
    return encode(render_blot(portrait, symbol, name, PRINT_SIZE), "png")


def render_blot(
    portrait: Image.Image | bytes, symbol: str, name: str, size: tuple[int, int] = BLOT_SIZE
) -> Image.Image:
    """The blot as an RGB image: cover-cropped portrait, gradient, name and symbol."""
    width, height = _check_size(size)
    card = cover_crop(load_portrait(portrait), (width, height))
    layout = blot_layout(symbol, name, (width, height))
    # Gradient and text only touch a band at the bottom: compose that band alone.
    top = _band_top(layout)
    band = card.crop((0, top, width, height)).convert("RGBA")
    band.alpha_composite(_gradient((width, height)), source=(0, top))
    band.alpha_composite(_text_layer(layout, top))
    card.paste(band.convert("RGB"), (0, top))
    return card


def load_portrait(portrait: Image.Image | bytes) -> Image.Image:
    """The portrait as an RGB image, from a PIL image or encoded image bytes.

    EXIF orientation is applied (phone photos are often stored sideways) and
    transparency is flattened onto a dark background, so every input becomes
    the same kind of image before cropping.
    """
    if isinstance(portrait, (bytes, bytearray, memoryview)):
        data = bytes(portrait)
        image: Image.Image
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise BlotError(f"not an image: {len(data)} bytes starting {data[:16]!r} ({exc})") from exc
        image = ImageOps.exif_transpose(image)
    elif isinstance(portrait, Image.Image):
        image = portrait
    else:
        raise BlotError(f"not an image: expected PIL.Image.Image or bytes, got {type(portrait).__name__}")
    if image.width < 1 or image.height < 1:
        raise BlotError(f"not an image: empty {image.width}×{image.height} picture")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (*BACKGROUND, 255))
        flat.alpha_composite(rgba)
        return flat.convert("RGB")
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit greyscale (scans, microscopy): scale to 8 bits rather than clipping to white.
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image.convert("RGB")


def cover_crop(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` scaled to cover ``size`` and centre-cropped (no bars, no distortion)."""
    return ImageOps.fit(image, size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))


def encode(image: Image.Image, fmt: Format) -> bytes:
    """Encode with settings that give the same bytes for the same pixels."""
    if fmt == "webp":
        return encode_stored(image)
    if fmt == "png":
        buffer = io.BytesIO()
        # Pillow writes no tIME/tEXt chunks unless asked, so nothing varies per run.
        image.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL, optimize=False)
        return buffer.getvalue()
    raise BlotError(f"unknown blot format {fmt!r} (use 'webp' or 'png')")


def blot_layout(symbol: str, name: str, size: tuple[int, int] = BLOT_SIZE) -> BlotLayout:
    """Fit the symbol and name into the bottom band of an image of ``size``.

    The symbol is set first (bold, as large as fits half the inner width),
    then the name gets the width left of it minus a gap, and takes the largest
    type size at which it wraps into at most three lines. Both share one
    baseline at the bottom margin. Only absurdly long text is cut short with
    an ellipsis, once the smallest readable size is reached.
    """
    width, height = _check_size(size)
    margin = round(MARGIN * width)
    gap = round(GAP * width)
    inner = width - 2 * margin
    baseline = height - margin
    symbol = " ".join(symbol.split())
    name = " ".join(name.split())

    symbol_box = None
    symbol_size = 0
    if symbol:
        symbol_size, symbol = _fit_single_line(
            symbol,
            BOLD_FONT,
            round(SYMBOL_MAX_SIZE * width),
            max(8, round(SYMBOL_MIN_SIZE * width)),
            SYMBOL_MAX_WIDTH * inner,
        )
        font = _font(BOLD_FONT, symbol_size)
        symbol_box = _int_box(font.getbbox(symbol, anchor="rs"), width - margin, baseline)

    name_box = None
    name_size = 0
    lines: tuple[str, ...] = ()
    if name:
        right_edge = (symbol_box[0] - gap) if symbol_box else width - margin
        name_width = max(1, right_edge - margin)
        name_size, lines = _fit_lines(
            name, REGULAR_FONT, round(NAME_MAX_SIZE * width), max(8, round(NAME_MIN_SIZE * width)), name_width
        )
        font = _font(REGULAR_FONT, name_size)
        step = round(name_size * LINE_SPACING)
        boxes = [
            _int_box(font.getbbox(line, anchor="ls"), margin, baseline - (len(lines) - 1 - i) * step)
            for i, line in enumerate(lines)
        ]
        name_box = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    return BlotLayout(
        size=(width, height),
        name_lines=lines,
        name_font_size=name_size,
        name_box=name_box,
        symbol_text=symbol,
        symbol_font_size=symbol_size,
        symbol_box=symbol_box,
        baseline=baseline,
    )


# --- drawing -----------------------------------------------------------------


def _band_top(layout: BlotLayout) -> int:
    """The top row of the band that the gradient, the text and its blurred shadow cover."""
    width, height = layout.size
    top: float = height - max(1, round(GRADIENT_HEIGHT * height))
    # the shadow spreads a few blur radii beyond the glyphs; clear rows above keep the
    # band's blur equal to a full-height one
    reach = 4 * _shadow_radius(width) + _shadow_offset(width) + 2
    for box in (layout.name_box, layout.symbol_box):
        if box:
            top = min(top, box[1] - reach)
    return max(0, int(top))


def _shadow_radius(width: int) -> float:
    return max(1.0, width / 384)


def _shadow_offset(width: int) -> int:
    return max(1, round(width / 512))


@lru_cache(maxsize=8)
def _gradient(size: tuple[int, int]) -> Image.Image:
    """Transparent at the top of the lower band, dark at the bottom (smoothstep ramp)."""
    width, height = size
    band = max(1, round(GRADIENT_HEIGHT * height))
    column = Image.new("L", (1, band))
    for y in range(band):
        t = (y + 1) / band
        column.putpixel((0, y), round(GRADIENT_MAX_ALPHA * t * t * (3 - 2 * t)))
    alpha = Image.new("L", size, 0)
    alpha.paste(column.resize((width, band), Image.Resampling.NEAREST), (0, height - band))
    layer = Image.new("RGBA", size, (*GRADIENT_COLOUR, 0))
    layer.putalpha(alpha)
    return layer


def _text_layer(layout: BlotLayout, top: int = 0) -> Image.Image:
    """Name and symbol, over a soft shadow that keeps them legible, on a transparent layer
    covering the rows from ``top`` down."""
    width, height = layout.size
    size = (width, height - top)
    margin = round(MARGIN * width)
    baseline = layout.baseline - top
    text = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(text)
    if layout.symbol_box:
        draw.text(
            (width - margin, baseline),
            layout.symbol_text,
            font=_font(BOLD_FONT, layout.symbol_font_size),
            fill=TEXT_COLOUR,
            anchor="rs",
        )
    if layout.name_lines:
        font = _font(REGULAR_FONT, layout.name_font_size)
        step = round(layout.name_font_size * LINE_SPACING)
        for i, line in enumerate(layout.name_lines):
            y = baseline - (len(layout.name_lines) - 1 - i) * step
            draw.text((margin, y), line, font=font, fill=NAME_COLOUR, anchor="ls")
    offset = _shadow_offset(width)
    shadow_alpha = (
        text.getchannel("A")
        .filter(ImageFilter.GaussianBlur(_shadow_radius(width)))
        .point(lambda a: min(255, a * SHADOW_ALPHA // 255))
    )
    shadow = Image.new("RGBA", size, (0, 0, 0, 0))
    shadow.paste((0, 0, 0, 255), (offset, offset), shadow_alpha.crop((0, 0, width - offset, size[1] - offset)))
    shadow.alpha_composite(text)
    return shadow


# --- text fitting ------------------------------------------------------------


@lru_cache(maxsize=256)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _width(text: str, path: Path, size: int) -> float:
    return _font(path, size).getlength(text)


def _fit_single_line(text: str, path: Path, largest: int, smallest: int, max_width: float) -> tuple[int, str]:
    """The largest size at which ``text`` fits on one line; cut short at the smallest size if need be."""
    for size in range(largest, smallest - 1, -1):
        if _width(text, path, size) <= max_width:
            return size, text
    return smallest, _truncate(text, path, smallest, max_width)


def _fit_lines(text: str, path: Path, largest: int, smallest: int, max_width: float) -> tuple[int, tuple[str, ...]]:
    """The largest size at which ``text`` wraps into at most NAME_MAX_LINES lines of ``max_width``."""
    for size in range(largest, smallest - 1, -1):
        lines = _wrap(text, path, size, max_width)
        if len(lines) <= NAME_MAX_LINES:
            return size, tuple(lines)
    lines = _wrap(text, path, smallest, max_width)
    kept = lines[:NAME_MAX_LINES]
    kept[-1] = _truncate(kept[-1] + ELLIPSIS, path, smallest, max_width)
    return smallest, tuple(kept)


# An over-long word breaks after a hyphen or slash ("phosphatidylinositol-4,5-"
# / "bisphosphate") before it is broken between arbitrary letters; never after
# the comma inside a locant such as "4,5".
_PIECES = re.compile(r"[^-/]*[-/]+|[^-/]+")


def _wrap(text: str, path: Path, size: int, max_width: float) -> list[str]:
    """Greedy word wrap; over-long words break at punctuation, then between letters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _width(candidate, path, size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        if _width(word, path, size) <= max_width:
            current = word
            continue
        for piece in _PIECES.findall(word):
            candidate = current + piece
            if _width(candidate, path, size) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            for char in piece:
                if current and _width(current + char, path, size) > max_width:
                    lines.append(current)
                    current = ""
                current += char
    if current:
        lines.append(current)
    return lines


def _truncate(text: str, path: Path, size: int, max_width: float) -> str:
    """``text`` shortened to fit ``max_width``, ending in an ellipsis when anything was cut."""
    if _width(text, path, size) <= max_width:
        return text
    body = text.removesuffix(ELLIPSIS)
    while body and _width(body.rstrip(" ,-/") + ELLIPSIS, path, size) > max_width:
        body = body[:-1]
    return body.rstrip(" ,-/") + ELLIPSIS


def _int_box(box: tuple[float, float, float, float], x: int, y: int) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return (int(x + left), int(y + top), int(x + right + 0.999), int(y + bottom + 0.999))


def _check_size(size: tuple[int, int]) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise BlotError(f"blot size must be (width, height), got {size!r}") from None
    if width < 64 or height < 64:
        raise BlotError(f"blot size {width}×{height} is too small (at least 64×64)")
    return width, height
