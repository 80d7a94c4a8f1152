"""Blots (public card images) and print copies."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from pipeline.render.blot import (
    BLOT_SIZE,
    BOLD_FONT,
    FONT_DIR,
    GRADIENT_HEIGHT,
    PRINT_SIZE,
    REGULAR_FONT,
    BlotError,
    blot_layout,
    cover_crop,
    encode,
    make_blot,
    make_print_copy,
    render_blot,
)

LONG_NAME = "phosphatidylinositol-4,5-bisphosphate 3-kinase catalytic subunit alpha"


def _portrait(size: tuple[int, int] = (900, 1100)) -> Image.Image:
    """A mid-tone test picture with some structure (not flat, so crops and text show)."""
    image = Image.new("RGB", size, (150, 140, 170))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse([w * 0.25, h * 0.15, w * 0.75, h * 0.6], fill=(220, 180, 150))
    draw.rectangle([w * 0.1, h * 0.65, w * 0.9, h], fill=(170, 70, 90))
    return image


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _diff_box(a: Image.Image, b: Image.Image, threshold: int = 24) -> tuple[int, int, int, int] | None:
    """Bounding box of the pixels where ``a`` and ``b`` differ noticeably."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
    return diff.point(lambda v: 255 if v > threshold else 0).getbbox()


def _luma(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    return ImageStat.Stat(image.crop(box).convert("L")).mean[0]


# --- size and format -----------------------------------------------------------


def test_blot_is_768_by_1024_webp_by_default():
    image = _decode(make_blot(_portrait(), "TP53", "tumor protein p53"))
    assert image.format == "WEBP"
    assert image.size == BLOT_SIZE == (768, 1024)


def test_blot_as_png():
    image = _decode(make_blot(_portrait(), "TP53", "tumor protein p53", fmt="png"))
    assert image.format == "PNG" and image.size == (768, 1024) and image.mode == "RGB"


def test_flat_art_is_encoded_as_lossless_webp():
    # Flat colours that stay small without loss (as halftone portraits do) keep their exact pixels.
    flat = _portrait(BLOT_SIZE)
    decoded = _decode(encode(flat, "webp"))
    assert decoded.format == "WEBP"
    assert ImageChops.difference(decoded.convert("RGB"), flat).getbbox() is None


def test_grainy_blot_is_lossy_webp_smaller_than_lossless():
    grain = Image.merge(
        "RGB", [Image.effect_noise(BLOT_SIZE, 40).point(lambda v, k=k: (v + 60 * k) % 256) for k in range(3)]
    )
    data = make_blot(grain, "TP53", "tumor protein p53")
    card = render_blot(grain, "TP53", "tumor protein p53")
    lossless = io.BytesIO()
    card.save(lossless, "WEBP", lossless=True)
    assert _decode(data).size == BLOT_SIZE
    assert ImageChops.difference(_decode(data).convert("RGB"), card).getbbox() is not None
    assert len(data) < len(lossless.getvalue())


def test_print_copy_is_1536_by_2048_png():
    image = _decode(make_print_copy(_portrait(), "TP53", "tumor protein p53"))
    assert image.format == "PNG"
    assert image.size == PRINT_SIZE == (1536, 2048)


def test_print_copy_is_rendered_at_size_not_upscaled():
    small = render_blot(_portrait(), "TP53", "tumor protein p53")
    large = _decode(make_print_copy(_portrait(), "TP53", "tumor protein p53"))
    upscaled = small.resize(PRINT_SIZE, Image.Resampling.LANCZOS)
    # Same layout (text in the same place, at twice the size) ...
    layout_small = blot_layout("TP53", "tumor protein p53")
    layout_large = blot_layout("TP53", "tumor protein p53", PRINT_SIZE)
    assert abs(layout_large.symbol_font_size - 2 * layout_small.symbol_font_size) <= 2
    assert abs(layout_large.name_font_size - 2 * layout_small.name_font_size) <= 2
    assert layout_large.name_lines == layout_small.name_lines
    # ... but real detail, not interpolated pixels: the glyph edges are sharper.
    band = (0, round(PRINT_SIZE[1] * 0.88), PRINT_SIZE[0], PRINT_SIZE[1])
    assert _diff_box(large.crop(band), upscaled.crop(band), threshold=40) is not None


def test_custom_size_and_unknown_format():
    assert _decode(make_blot(_portrait(), "A", "b", size=(300, 400), fmt="png")).size == (300, 400)
    with pytest.raises(BlotError, match="format"):
        make_blot(_portrait(), "A", "b", fmt="gif")  # type: ignore[arg-type]
    with pytest.raises(BlotError, match="size"):
        make_blot(_portrait(), "A", "b", size=(10, 10))


# --- cover crop ----------------------------------------------------------------


def _stripes(size: tuple[int, int], vertical: bool) -> Image.Image:
    """Red | green | blue thirds-ish: the outer 30% each side red/blue, the middle 40% green."""
    image = Image.new("RGB", size, (0, 200, 0))
    draw = ImageDraw.Draw(image)
    w, h = size
    if vertical:  # stripes side by side
        draw.rectangle([0, 0, int(w * 0.3) - 1, h], fill=(220, 0, 0))
        draw.rectangle([int(w * 0.7), 0, w, h], fill=(0, 0, 220))
    else:  # stripes stacked
        draw.rectangle([0, 0, w, int(h * 0.3) - 1], fill=(220, 0, 0))
        draw.rectangle([0, int(h * 0.7), w, h], fill=(0, 0, 220))
    return image


def test_cover_crop_keeps_the_centre_of_a_landscape_input():
    # 2:1 landscape scaled to cover 3:4 keeps only its middle 37.5% of width: all green.
    cropped = cover_crop(_stripes((2000, 1000), vertical=True), BLOT_SIZE)
    assert cropped.size == BLOT_SIZE
    for x in (0, 384, 767):
        for y in (0, 512, 1023):
            r, g, b = cropped.getpixel((x, y))
            assert g > 150 and r < 40 and b < 40, (x, y, (r, g, b))


def test_cover_crop_keeps_the_centre_of_a_tall_input():
    # 1:4 tall scaled to cover 3:4 keeps only its middle third of height: all green.
    cropped = cover_crop(_stripes((1000, 4000), vertical=False), BLOT_SIZE)
    assert cropped.size == BLOT_SIZE
    for x in (0, 384, 767):
        for y in (0, 512, 1023):
            r, g, b = cropped.getpixel((x, y))
            assert g > 150 and r < 40 and b < 40, (x, y, (r, g, b))


def test_blot_of_a_landscape_input_is_its_centre_above_the_gradient():
    blot = render_blot(_stripes((2000, 1000), vertical=True), "TP53", "tumor protein p53")
    for x in (2, 384, 765):
        r, g, b = blot.getpixel((x, 100))
        assert g > 150 and r < 40 and b < 40


def test_small_input_is_scaled_up_to_cover():
    blot = render_blot(_portrait((60, 40)), "X", "y")
    assert blot.size == BLOT_SIZE


# --- gradient ------------------------------------------------------------------


def test_bottom_is_darker_than_the_plain_cover_crop():
    portrait = _portrait()
    plain = cover_crop(portrait, BLOT_SIZE)
    blot = render_blot(portrait, "", "")
    w, h = BLOT_SIZE
    bottom = (0, h - 40, w, h)
    assert _luma(blot, bottom) < 0.35 * _luma(plain, bottom)
    # A ramp: darker further down; the upper part of the image is untouched.
    above = (0, round(h * (1 - GRADIENT_HEIGHT)) - 100, w, round(h * (1 - GRADIENT_HEIGHT)) - 1)
    assert _diff_box(blot.crop(above), plain.crop(above), threshold=2) is None
    quarter = round(h * GRADIENT_HEIGHT / 4)
    darkening = [
        _luma(plain, (0, y, w, y + 10)) - _luma(blot, (0, y, w, y + 10))
        for y in (h - 4 * quarter, h - 3 * quarter, h - 2 * quarter, h - quarter - 10)
    ]
    assert darkening == sorted(darkening)


# --- text ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blots():
    portrait = _portrait()
    return {
        "empty": render_blot(portrait, "", ""),
        "name": render_blot(portrait, "", "tumor protein p53"),
        "symbol": render_blot(portrait, "TP53", ""),
        "both": render_blot(portrait, "TP53", "tumor protein p53"),
    }


def test_name_is_drawn_bottom_left(blots):
    w, h = BLOT_SIZE
    box = _diff_box(blots["name"], blots["empty"])
    assert box is not None
    left, top, right, bottom = box
    assert left < 0.1 * w and right < 0.75 * w
    assert top > h * (1 - GRADIENT_HEIGHT) and bottom <= h


def test_symbol_is_drawn_bottom_right(blots):
    w, h = BLOT_SIZE
    box = _diff_box(blots["symbol"], blots["empty"])
    assert box is not None
    left, top, right, bottom = box
    assert right > 0.9 * w and left > 0.4 * w
    assert top > h * (1 - GRADIENT_HEIGHT) and bottom <= h


def test_symbol_is_right_of_the_name(blots):
    name_box = _diff_box(blots["name"], blots["empty"])
    symbol_box = _diff_box(blots["symbol"], blots["empty"])
    assert name_box[2] < symbol_box[0]
    # With both, the differences are exactly those two regions.
    both = _diff_box(blots["both"], blots["empty"])
    assert both == (
        min(name_box[0], symbol_box[0]),
        min(name_box[1], symbol_box[1]),
        max(name_box[2], symbol_box[2]),
        max(name_box[3], symbol_box[3]),
    )


def test_symbol_is_set_larger_than_the_name():
    layout = blot_layout("TP53", "tumor protein p53")
    assert layout.symbol_font_size > layout.name_font_size
    assert layout.symbol_box[3] - layout.symbol_box[1] > layout.name_box[3] - layout.name_box[1]


# --- long names, odd symbols, non-ASCII -----------------------------------------


def _inside(box: tuple[int, int, int, int], size: tuple[int, int]) -> bool:
    return 0 <= box[0] < box[2] <= size[0] and 0 <= box[1] < box[3] <= size[1]


@pytest.mark.parametrize("size", [BLOT_SIZE, PRINT_SIZE])
@pytest.mark.parametrize(
    ("symbol", "name"),
    [
        ("PIK3CA", LONG_NAME),
        ("C9orf72", "C9orf72-SMCR8 complex subunit"),
        ("HLA-A", "major histocompatibility complex, class I, A"),
        ("TGFB1", "transforming growth factor β1"),
        ("SMIM10L2A-DT", "SMIM10L2A divergent transcript"),
        ("PIK3CA", "x" * 400),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", LONG_NAME + " " + LONG_NAME),
    ],
)
def test_text_stays_inside_and_apart(symbol, name, size):
    layout = blot_layout(symbol, name, size)
    assert 1 <= len(layout.name_lines) <= 3
    assert _inside(layout.name_box, size) and _inside(layout.symbol_box, size)
    assert layout.name_box[2] < layout.symbol_box[0]


def test_long_name_wraps_in_full_at_a_smaller_size():
    short, long = blot_layout("PIK3CA", "tumor protein p53"), blot_layout("PIK3CA", LONG_NAME)
    assert long.name_font_size < short.name_font_size
    assert 2 <= len(long.name_lines) <= 3
    # Nothing dropped: the lines put back together are the whole name.
    assert "".join(long.name_lines).replace(" ", "") == LONG_NAME.replace(" ", "")
    # "4,5" is a locant and is not split at its comma.
    assert not any(line.endswith("4,") for line in long.name_lines)


def test_absurdly_long_name_is_cut_with_an_ellipsis():
    layout = blot_layout("TP53", "very " * 200)
    assert len(layout.name_lines) == 3
    assert layout.name_lines[-1].endswith("…")


def test_long_name_pixels_stay_left_of_the_symbol():
    portrait = _portrait()
    empty = render_blot(portrait, "", "")
    symbol_only = _diff_box(render_blot(portrait, "PIK3CA", ""), empty)
    both = render_blot(portrait, "PIK3CA", LONG_NAME)
    # Everything drawn left of the symbol's own pixels is the name; it ends before the symbol starts.
    left_part = (0, 0, symbol_only[0], BLOT_SIZE[1])
    name_pixels = _diff_box(both.crop(left_part), empty.crop(left_part))
    assert name_pixels is not None
    assert name_pixels[2] < symbol_only[0] - 0.02 * BLOT_SIZE[0]
    assert name_pixels[0] > 0 and name_pixels[3] <= BLOT_SIZE[1]


def test_greek_letters_are_drawn_as_real_glyphs():
    # A font without the glyphs would draw the same .notdef box for every letter.
    portrait = _portrait()
    alpha = render_blot(portrait, "", "subunit α")
    beta = render_blot(portrait, "", "subunit β")
    assert _diff_box(alpha, beta) is not None


def test_whitespace_is_normalised():
    assert blot_layout("  TP53 ", "tumor\n protein\tp53") == blot_layout("TP53", "tumor protein p53")


# --- determinism ------------------------------------------------------------------


def test_bytes_are_deterministic():
    portrait = _portrait()
    assert make_blot(portrait, "HLA-A", LONG_NAME) == make_blot(portrait.copy(), "HLA-A", LONG_NAME)
    assert make_blot(portrait, "HLA-A", LONG_NAME, fmt="png") == make_blot(portrait, "HLA-A", LONG_NAME, fmt="png")
    assert make_print_copy(portrait, "HLA-A", LONG_NAME) == make_print_copy(portrait, "HLA-A", LONG_NAME)


def test_png_has_no_timestamp_or_text_chunks():
    data = make_blot(_portrait(), "TP53", "tumor protein p53", fmt="png")
    for chunk in (b"tIME", b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in data


def test_same_pixels_from_image_or_bytes():
    portrait = _portrait()
    assert make_blot(portrait, "TP53", "p53", fmt="png") == make_blot(_png_bytes(portrait), "TP53", "p53", fmt="png")


# --- inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["RGBA", "LA", "L", "P", "CMYK", "I;16", "1"])
def test_any_image_mode_is_accepted(mode):
    image = Image.new("I;16", (300, 400), 40000) if mode == "I;16" else _portrait().convert(mode)
    blot = render_blot(image, "TP53", "tumor protein p53")
    assert blot.size == BLOT_SIZE and blot.mode == "RGB"


def test_sixteen_bit_input_is_not_clipped_to_white():
    blot = render_blot(Image.new("I;16", (300, 400), 32768), "", "")
    assert 100 < blot.getpixel((384, 100))[0] < 160


def test_transparent_portrait_is_flattened_on_a_dark_background():
    blot = render_blot(Image.new("RGBA", (300, 400), (255, 255, 255, 0)), "", "")
    assert max(blot.getpixel((384, 100))) < 60


def test_jpeg_bytes_with_exif_orientation_are_upright():
    wide = Image.new("RGB", (400, 200), (0, 200, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: displayed 200x400
    buffer = io.BytesIO()
    wide.save(buffer, "JPEG", exif=exif)
    assert render_blot(buffer.getvalue(), "", "").size == BLOT_SIZE


@pytest.mark.parametrize(
    "bad",
    [b"", b"definitely not an image", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "portrait.png", None, 42],
    ids=["empty", "text-bytes", "truncated-png", "str", "none", "int"],
)
def test_non_image_input_is_a_clear_error(bad):
    with pytest.raises(BlotError, match="not an image"):
        make_blot(bad, "TP53", "tumor protein p53")  # type: ignore[arg-type]
    with pytest.raises(BlotError, match="not an image"):
        make_print_copy(bad, "TP53", "tumor protein p53")  # type: ignore[arg-type]


# --- the bundled font --------------------------------------------------------------


def test_bundled_font_and_licence_are_present_and_small():
    assert REGULAR_FONT.is_file() and BOLD_FONT.is_file()
    licence = (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence and "DejaVu" in licence
    total = sum(p.stat().st_size for p in FONT_DIR.iterdir() if p.is_file())
    assert total < 1.5 * 1024 * 1024
