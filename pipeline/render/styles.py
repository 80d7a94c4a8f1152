"""The emulsion's finish: how a drawn portrait is made to look like its style's name.

The procedural renderer draws one flat vector character; this module turns that drawing into
the emulsion's style family (``Emulsion.finish``), each by the marks that family is known by:

* ``drawn``: the drawing with the emulsion's palette and texture (cartoons, flat vector,
  risograph, whose marks those give);
* ``pixel_coarse`` / ``pixel_fine``: drawn small and enlarged without smoothing, so every
  colour edge lies on a coarse pixel grid, in a small palette;
* ``mosaic``: the pixel grid as tesserae, with grout between them;
* ``line_art``: dark lines on a white (or cream) ground, the figure as outlines, tone as
  hatching or stipple where the texture asks for it;
* ``light_line``: pale or glowing lines on a dark ground (blueprint, chalkboard, neon);
* ``woodblock``: a few flat colour areas, thick key-block outlines round each, paper fibres;
* ``halftone``: tone as a screen of dots in one ink (or in flat colours) on paper;
* ``watercolour``: soft washes pooling at their edges, over paper;
* ``ink``: black and white with hatched mid-tones.

Every finish is a pure function of the drawing and the emulsion (same input, same pixels), and
favours few colours and flat areas: they read as their style and they deflate well. The skin
colour (``color_hex``) is kept exact wherever the skin is, whatever the finish does elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageFilter

from ..records import Emulsion, Finish

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Drawing:
    """A rasterised portrait before its finish: what every finish works from."""

    image: Image.Image
    """The drawing, RGB."""
    skin: Image.Image
    """1-bit: where the drawing is exactly the skin colour."""
    skin_rgb: RGB
    """The gene's skin colour (``color_hex``), kept exact by every finish."""
    figure: Image.Image
    """1-bit: what is drawn over the background (the character, its feature, the sprinkles)."""


# --------------------------------------------------------------------------------------------
# palettes: colour maps of the whole frame

_LUMA = (0.2126, 0.7152, 0.0722)  # Rec. 709


def luma(image: Image.Image) -> Image.Image:
    """The image's Rec. 709 lightness as an 8-bit greyscale image."""
    return image.convert("L", (*_LUMA, 0.0))


def _affine(image: Image.Image, rows: list[tuple[float, float, float, float]]) -> Image.Image:
    """Each output channel as a*R + b*G + c*B + d (d in [0, 1]), clipped to 8 bits in C."""
    return image.convert("RGB", tuple(v for a, b, c, d in rows for v in (a, b, c, d * 255)))


def _saturation(k: float, gain: float = 1.0, offset: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> list:
    """Rows of gain * (luma + k * (x - luma)) + offset, an affine map of RGB."""
    return [
        (*(gain * ((1 - k) * w + (k if i == j else 0.0)) for j, w in enumerate(_LUMA)), offset[i]) for i in range(3)
    ]


def _of_luma(scale: tuple[float, ...], offset: tuple[float, ...]) -> list:
    """Rows of scale * luma + offset: a tinted greyscale."""
    return [(*(sc * w for w in _LUMA), off) for sc, off in zip(scale, offset, strict=True)]


def _lut(fn: Callable[[float], float]) -> list[int]:
    """A 256-entry table of fn over [0, 1], clipped and rounded to 8 bits."""
    return [int(min(1.0, max(0.0, fn(v / 255))) * 255 + 0.5) for v in range(256)]


_DUOTONE_DARK, _DUOTONE_LIGHT = (0.13, 0.09, 0.36), (1.0, 0.62, 0.46)
_PALETTE_MAPS = {
    "pastel": _saturation(0.75, 0.6, (0.4, 0.4, 0.4)),
    "sepia": _of_luma((1.07, 0.9, 0.68), (0.06, 0.03, 0.01)),
    "duotone": _of_luma(tuple(b - a for a, b in zip(_DUOTONE_DARK, _DUOTONE_LIGHT, strict=True)), _DUOTONE_DARK),
    "neon": _saturation(1.9),
    "muted": _saturation(0.45, 0.85, (0.075, 0.072, 0.066)),
    "vivid": _saturation(1.45, 1.1, (-0.05, -0.05, -0.05)),
    "watercolour": _saturation(0.85, 0.8, (0.2, 0.2, 0.2)),
}
_NOIR_CONTRAST = _lut(lambda y: (y - 0.5) * 1.6 + 0.5)
_NEON_GAMMA = _lut(lambda v: v**1.3) * 3
_RISOGRAPH_INKS = ((245, 240, 224), (255, 89, 140), (0, 120, 191), (38, 31, 51))
_RISOGRAPH_BAND = [min(3, max(0, int(3 - v / 255 * 3.999))) for v in range(256)]


def apply_palette(image: Image.Image, palette: str) -> Image.Image:
    """The emulsion's palette treatment of an RGB image (unknown names leave it as it is).

    Every treatment is an affine colour map, a table lookup or both, done by Pillow on
    8-bit pixels: one pass each, no float copies of the frame.
    """
    if palette in _PALETTE_MAPS:
        image = _affine(image, _PALETTE_MAPS[palette])
        return image.point(_NEON_GAMMA) if palette == "neon" else image
    if palette == "noir":
        return luma(image).point(_NOIR_CONTRAST).convert("RGB")
    if palette == "risograph":
        # four inks by lightness, the mid ink split by hue; the pink plate is misregistered
        band = np.asarray(luma(image).point(_RISOGRAPH_BAND))
        rgb = np.asarray(image)
        inks = Image.fromarray(np.where((band == 1) & (rgb[..., 2] > rgb[..., 0]), 2, band).astype(np.uint8), "P")
        inks.putpalette([c for ink in _RISOGRAPH_INKS for c in ink])
        out = np.array(inks.convert("RGB"))
        out[:, 4:, 1] = out[:, :-4, 1]
        return Image.fromarray(out, "RGB")
    return image


# --------------------------------------------------------------------------------------------
# textures: marks laid over the whole frame

#: An "add"/"mul" image, a "halftone" luma threshold, or a "shade" (dark factor, threshold, second threshold).
_TextureField = Image.Image | np.ndarray | tuple[float, np.ndarray, np.ndarray | None]

_TILE = 64
"""Noise textures repeat every 64 px along a row: a row then repeats itself 192 bytes back,
which deflate finds, where fresh noise in every pixel would not compress at all."""


def _tiled(tile: np.ndarray, h: int, w: int) -> np.ndarray:
    """``tile`` repeated to cover h x w."""
    reps = (-(-h // tile.shape[0]), -(-w // tile.shape[1])) + (1,) * (tile.ndim - 2)
    return np.tile(tile, reps)[:h, :w]


@lru_cache(maxsize=32)
def _texture(texture: str, h: int, w: int) -> tuple[str, _TextureField] | None:
    """A cached (mode, field) for a texture at a size; mode says how it is combined.

    "add" and "mul" fields are 8-bit images (grain offset by 128); "shade" fields are
    (dark factor, threshold on luma per pixel, second threshold or None), a pixel being
    darkened where its luma is under a threshold (-1 where a pattern has no line).
    Grain, paper and stipple are tiles of few levels (see ``_TILE``).
    """
    rng = np.random.default_rng(1234)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)

    def grey(f: np.ndarray) -> Image.Image:
        return Image.fromarray(np.clip(f * 255 + 0.5, 0, 255).astype(np.uint8), "L").convert("RGB")

    if texture == "grain":
        levels = np.round(rng.normal(0, 1.0, (_TILE, _TILE))).clip(-1, 1).astype(np.float32)
        return "add", grey(_tiled(levels * 0.05, h, w) + 128 / 255)
    if texture == "halftone":
        u, v = (xx + yy) / 7.0, (xx - yy) / 7.0
        d = np.sqrt((u - np.round(u)) ** 2 + (v - np.round(v)) ** 2) / 0.7071
        # a dot where d < (1 - luma) * 1.1; between the dots the ink is lifted
        return "halftone", (255 * (1 - d / 1.1)).astype(np.float32)
    if texture == "hatching":
        lines = (xx + yy) % 9 < 2.2
        cross = (xx - yy) % 9 < 2.2
        return "shade", (
            0.65,
            np.where(lines, 0.6 * 255, -1).astype(np.float32),
            np.where(cross, 0.3 * 255, -1).astype(np.float32),
        )
    if texture == "paper":
        return "mul", Image.fromarray(_tiled(_paper_tile(), h, w), "RGB")
    if texture == "scanlines":
        return "mul", grey(np.where(yy % 4 < 1.5, 0.78, 1.0))
    if texture == "canvas":
        return "mul", grey(0.95 + 0.05 * (np.sin(xx * 1.3) * np.sin(yy * 1.3)))
    if texture == "stipple":
        return "shade", (0.55, _tiled(255 * (1 - rng.random((_TILE, _TILE), dtype=np.float32) / 0.35), h, w), None)
    return None


@lru_cache(maxsize=1)
def _paper_tile() -> np.ndarray:
    """A 64 px tile of warm paper: a faint cloud and sparse darker fibres, four levels in all."""
    rng = np.random.default_rng(77)
    cloud = rng.random((_TILE // 16, _TILE // 16)) < 0.5
    cloud = np.kron(cloud, np.ones((16, 16), bool))
    fibres = rng.random((_TILE, _TILE)) < 0.05
    tone = np.where(cloud, 0.975, 1.0) * np.where(fibres, 0.93, 1.0)
    rgb = tone[..., None] * np.array([1.0, 0.985, 0.95])
    return (rgb * 255 + 0.5).astype(np.uint8)


def _scaled(image: Image.Image, factor: float, lift: float = 0.0) -> Image.Image:
    return image.point(_lut(lambda v: v * factor + lift) * 3)


def apply_texture(image: Image.Image, texture: str) -> Image.Image:
    """The emulsion's texture over an RGB image (unknown names leave it as it is)."""
    tex = _texture(texture, image.height, image.width)
    if tex is None:
        return image
    mode, field = tex
    if isinstance(field, Image.Image):
        return ImageChops.add(image, field, offset=-128) if mode == "add" else ImageChops.multiply(image, field)
    lightness = np.asarray(luma(image))
    if isinstance(field, np.ndarray):  # halftone
        dots = Image.fromarray(lightness < field)
        return Image.composite(_scaled(image, 0.6), _scaled(image, 1.0, 0.12), dots)
    factor, first, second = field
    dark = lightness < first
    if second is not None:
        dark |= lightness < second
    return Image.composite(_scaled(image, factor), image, Image.fromarray(dark))


# --------------------------------------------------------------------------------------------
# shared marks


def _design_px(width: int, px: float) -> int:
    """A length given in the 768-wide design space, at this width (at least 2 px)."""
    return max(2, round(px * width / 768))


def _flat(image: Image.Image, colours: int) -> Image.Image:
    """The image in at most ``colours`` flat colours ("P" mode; no dithering, so areas stay flat).

    The palette is chosen (median cut) on a quarter-size copy and every pixel then mapped to its
    nearest entry: the same flat areas at a fifth of the cost of cutting the full frame.
    """
    palette = image.reduce(4).quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return image.quantize(palette=palette, dither=Image.Dither.NONE)


def _colour_edges(image: Image.Image) -> np.ndarray:
    """Where a pixel differs from its neighbours by a visible step in any channel."""
    red, green, blue = image.filter(ImageFilter.FIND_EDGES).split()
    edges = np.asarray(ImageChops.lighter(ImageChops.lighter(red, green), blue)) > 40
    edges[[0, -1], :] = edges[:, [0, -1]] = False  # the filter sees the frame's border as an edge
    return edges


@lru_cache(maxsize=16)
def _diagonals(height: int, width: int, period: int, thickness: int, rising: bool) -> np.ndarray:
    """Parallel 45 degree lines ``period`` px apart, ``thickness`` px thick (hatching), as a mask."""
    yy, xx = np.mgrid[0:height, 0:width]
    return ((xx - yy if rising else xx + yy) % period) < thickness


@lru_cache(maxsize=8)
def _grid_lines(height: int, width: int, block: int, thickness: int) -> np.ndarray:
    """Lines ``thickness`` px thick along every ``block`` px, both ways (grout between tesserae)."""
    yy, xx = np.mgrid[0:height, 0:width]
    return ((xx % block) < thickness) | ((yy % block) < thickness)


def _thicken(mask: np.ndarray, width: int) -> Image.Image:
    """A boolean mask grown to about ``width`` px wide lines, as a 1-bit image.

    A square dilation done as two separable passes of shifted ORs: a few whole-frame boolean
    operations, where Pillow's MaxFilter compares every pixel with its whole neighbourhood.
    """
    reach = (max(1, width) | 1) // 2  # an odd square, as wide as asked or one more
    grown = mask.copy()
    for axis in (1, 0):
        spread = grown.copy()
        for step in range(1, reach + 1):
            ahead = [slice(None)] * 2
            behind = [slice(None)] * 2
            ahead[axis], behind[axis] = slice(step, None), slice(None, -step)
            spread[tuple(ahead)] |= grown[tuple(behind)]
            spread[tuple(behind)] |= grown[tuple(ahead)]
        grown = spread
    return Image.fromarray(grown)


def _line_px(emulsion: Emulsion, width: int, scale: float = 1.0) -> int:
    """The emulsion's line weight as a pixel width at this frame width."""
    return max(1, round(max(1.0, float(emulsion.line_weight)) * 1.6 * scale * width / 768))


def _solid(size: tuple[int, int], colour: RGB) -> Image.Image:
    return Image.new("RGB", size, colour)


# --------------------------------------------------------------------------------------------
# the finishes (each: drawing, emulsion -> finished RGB image)


def _drawn(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """The drawing with the palette and texture only."""
    return apply_texture(apply_palette(drawing.image, emulsion.palette), emulsion.texture)


#: (design-space block size, colours) of the pixel finishes.
_PIXEL_GRID = {Finish.PIXEL_COARSE: (16, 12), Finish.PIXEL_FINE: (8, 24), Finish.MOSAIC: (12, 16)}


def pixel_block(finish: Finish, width: int) -> int:
    """The side of one pixel-art pixel (or mosaic tessera) in image pixels at this width."""
    return _design_px(width, _PIXEL_GRID[finish][0])


def _pixelated(image: Image.Image, block: int) -> Image.Image:
    """Each block x block cell of ``image`` as one pixel (its average), of a small image."""
    w, h = image.size
    pad = Image.new(image.mode, (-(-w // block) * block, -(-h // block) * block))
    pad.paste(image)
    return pad.reduce(block)


def _enlarged(small: Image.Image, block: int, size: tuple[int, int]) -> Image.Image:
    """A small image enlarged block times without smoothing, cropped to ``size``."""
    return small.resize((small.width * block, small.height * block), Image.Resampling.NEAREST).crop((0, 0, *size))


def _pixel(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """Pixel art: the palette'd drawing at one pixel per block, in a few colours, skin exact.

    Textures are left out: scanlines or grain across a block would break the pixel grid.
    """
    drawn = drawing.image
    block = pixel_block(emulsion.finish, drawn.width)
    colours = _PIXEL_GRID[emulsion.finish][1]
    small = _flat(_pixelated(apply_palette(drawn, emulsion.palette), block).convert("RGB"), colours).convert("RGB")
    small_skin = _pixelated(drawing.skin.convert("L"), block).point(lambda v: 255 if v >= 128 else 0).convert("1")
    small = Image.composite(_solid(small.size, drawing.skin_rgb), small, small_skin)
    return _enlarged(small, block, drawn.size)


_GROUT = (58, 52, 48)


def _mosaic(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """Tesserae: the pixel finish with a line of grout along every block edge."""
    drawn = drawing.image
    tiles = _pixel(drawing, emulsion)
    block = pixel_block(emulsion.finish, drawn.width)
    grout = _grid_lines(drawn.height, drawn.width, block, max(1, block // 6))
    return Image.composite(_solid(drawn.size, _GROUT), tiles, Image.fromarray(grout))


#: (ink, ground) of the line finishes by palette; palettes not named use the "" entry.
_LINE_INKS: dict[str, tuple[RGB, RGB]] = {
    "": ((24, 22, 28), (255, 255, 255)),
    "sepia": ((78, 50, 30), (250, 244, 230)),
    "duotone": ((30, 58, 140), (255, 255, 255)),
}
_LIGHT_LINE_INKS: dict[str, tuple[RGB, RGB]] = {
    "": ((236, 242, 250), (28, 66, 128)),
    "noir": ((238, 238, 230), (40, 56, 50)),
    "neon": ((255, 92, 205), (16, 12, 30)),
}


def _inks(table: dict[str, tuple[RGB, RGB]], palette: str) -> tuple[RGB, RGB]:
    return table.get(palette, table[""])


def _tone_marks(drawn: Image.Image, texture: str, width: int) -> np.ndarray:
    """Hatching or stipple where the drawing is dark (tone for line finishes; none without)."""
    if texture not in ("hatching", "stipple"):
        return np.zeros((drawn.height, drawn.width), bool)
    shadow = np.asarray(luma(drawn)) < 110
    if texture == "hatching":
        period = max(4, round(9 * width / 768))
        return _diagonals(drawn.height, drawn.width, period, max(1, period // 4), False) & shadow
    dots = _tiled(np.random.default_rng(5).random((_TILE, _TILE)) < 0.22, drawn.height, drawn.width)
    return dots & shadow


def _line_art(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """Dark lines on a white ground: every colour edge of the drawing as a line, tone as marks."""
    drawn = drawing.image
    ink, ground = _inks(_LINE_INKS, emulsion.palette)
    lines = _colour_edges(drawn) | (_tone_marks(drawn, emulsion.texture, drawn.width) & np.asarray(drawing.figure))
    return Image.composite(
        _solid(drawn.size, ink), _solid(drawn.size, ground), _thicken(lines, _line_px(emulsion, drawn.width, 0.6))
    )


def _light_line(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """Pale lines on a dark ground (blueprint, chalk, neon: a neon line glows)."""
    drawn = drawing.image
    ink, ground = _inks(_LIGHT_LINE_INKS, emulsion.palette)
    lines = _thicken(_colour_edges(drawn), _line_px(emulsion, drawn.width, 0.6))
    out = Image.composite(_solid(drawn.size, ink), _solid(drawn.size, ground), lines)
    if emulsion.palette == "neon":
        # the glow in two steps, not a smooth ramp: it reads as a halo and stays few colours
        spread = lines.convert("L").filter(ImageFilter.BoxBlur(_design_px(drawn.width, 6)))
        halo = spread.point(lambda v: 0 if v < 12 else 40 if v < 50 else 90)
        out = Image.composite(_solid(drawn.size, ink), out, halo)
        out = Image.composite(_solid(drawn.size, (255, 236, 250)), out, lines)
    return out


#: Flat colours of the woodblock finish by palette.
_WOODBLOCK_COLOURS = {"sepia": 4, "duotone": 3}
_KEY_BLOCK = (30, 26, 30)
_WASHI = (244, 238, 224)


@lru_cache(maxsize=8)
def _fibres(height: int, width: int) -> Image.Image:
    """Paper fibres as a multiply layer: sparse, slightly darker specks, tiled (two levels)."""
    tile = np.where(np.random.default_rng(77).random((_TILE, _TILE)) < 0.04, 236, 255).astype(np.uint8)
    return Image.fromarray(_tiled(tile, height, width), "L").convert("RGB")


def _one_ink(drawn: Image.Image) -> Image.Image:
    """A one-ink print as a two-colour "P" image: ink where the drawing is darker than its median."""
    lightness = np.asarray(luma(drawn))
    inked = Image.fromarray((lightness > np.median(lightness)).astype(np.uint8), "P")
    inked.putpalette([*_KEY_BLOCK, *_WASHI])
    return inked


def _woodblock(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """A few flat colour areas, a thick key-block line round each, on fibrous paper.

    A noir palette is a one-ink print (black relief on paper); others have up to eight colours.
    """
    drawn = drawing.image
    if emulsion.palette == "noir":
        flat = _one_ink(drawn)
    else:
        flat = _flat(apply_palette(drawn, emulsion.palette), _WOODBLOCK_COLOURS.get(emulsion.palette, 8))
    index = np.asarray(flat)
    borders = np.zeros(index.shape, bool)
    borders[:, 1:] |= index[:, 1:] != index[:, :-1]
    borders[1:, :] |= index[1:, :] != index[:-1, :]
    key_lines = _thicken(borders, _line_px(emulsion, drawn.width))
    keyed = Image.composite(_solid(drawn.size, _KEY_BLOCK), flat.convert("RGB"), key_lines)
    return ImageChops.multiply(keyed, _fibres(drawn.height, drawn.width))


_PAPER = (246, 242, 232)
_MONO_INKS = {"noir": (22, 20, 24), "sepia": (80, 52, 32), "duotone": (34, 26, 92)}


@lru_cache(maxsize=8)
def _screen(height: int, width: int) -> np.ndarray:
    """A 45 degree dot screen: each pixel's distance to its dot centre, 0 (centre) to 1 (between dots)."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    period = _design_px(width, 9)
    u, v = (xx + yy) / period, (xx - yy) / period
    return np.sqrt((u - np.round(u)) ** 2 + (v - np.round(v)) ** 2) / 0.7071


def _halftone(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """Tone as dots: one ink on paper for one-ink palettes, else flat colours printed as dots."""
    drawn = drawing.image
    toned = apply_palette(drawn, emulsion.palette)
    lightness = np.asarray(luma(toned)).astype(np.float32) / 255
    dots = _screen(drawn.height, drawn.width) < (1 - lightness) * 1.15
    dark_lines = np.asarray(luma(drawn)) < 50
    if emulsion.palette in _MONO_INKS:
        ink = _solid(drawn.size, _MONO_INKS[emulsion.palette])
        return Image.composite(ink, _solid(drawn.size, _PAPER), Image.fromarray(dots | dark_lines))
    colours = _flat(toned, 6).convert("RGB")
    # Ben-Day: a light colour area is dots of that colour on paper, a dark one solid colour
    printed = Image.composite(colours, _solid(drawn.size, _PAPER), Image.fromarray(dots | (lightness < 0.45)))
    return Image.composite(_solid(drawn.size, _KEY_BLOCK), printed, Image.fromarray(dark_lines))


def _watercolour(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """Soft washes that pool at their edges, settled into a few pigments, over the emulsion's paper."""
    drawn = drawing.image
    blurred = drawn.filter(ImageFilter.BoxBlur(_design_px(drawn.width, 2)))
    edges = ImageChops.difference(drawn, blurred).convert("L", (1.0, 1.0, 1.0, 0.0))
    washed = ImageChops.multiply(blurred, edges.point(_lut(lambda e: 1 - min(e * 0.8, 0.35))).convert("RGB"))
    return apply_texture(apply_palette(_flat(washed, 24).convert("RGB"), emulsion.palette), emulsion.texture)


_INK_TONES = {"neon": ((14, 10, 30), (255, 70, 170)), "": ((16, 15, 18), (244, 242, 236))}


def _ink(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """Brush ink: solid blacks, white highlights and hatched mid-tones, lines thickened."""
    drawn = drawing.image
    ink, paper = _inks(_INK_TONES, emulsion.palette)
    lightness = np.asarray(luma(drawn.filter(ImageFilter.MinFilter(3))))
    period = _design_px(drawn.width, 8)
    hatching = _diagonals(drawn.height, drawn.width, period, max(1, period // 3), True)
    black = (lightness < 70) | (hatching & (lightness < 150))
    return Image.composite(_solid(drawn.size, ink), _solid(drawn.size, paper), Image.fromarray(black))


_FINISHES: dict[Finish, Callable[[Drawing, Emulsion], Image.Image]] = {
    Finish.DRAWN: _drawn,
    Finish.LINE_ART: _line_art,
    Finish.LIGHT_LINE: _light_line,
    Finish.WOODBLOCK: _woodblock,
    Finish.HALFTONE: _halftone,
    Finish.WATERCOLOUR: _watercolour,
    Finish.INK: _ink,
    Finish.PIXEL_COARSE: _pixel,
    Finish.PIXEL_FINE: _pixel,
    Finish.MOSAIC: _mosaic,
}
_GRID_FINISHES = {Finish.PIXEL_COARSE, Finish.PIXEL_FINE, Finish.MOSAIC}


def finish(drawing: Drawing, emulsion: Emulsion) -> Image.Image:
    """The drawing finished in the emulsion's style (RGB), its skin kept exactly ``skin_rgb``.

    Grid finishes keep the skin on their grid (a blocky face); the others keep it exactly
    where it was drawn. A ``diffusion_only`` emulsion is an error: the procedural renderer
    does not pretend to draw it.
    """
    if emulsion.finish not in _FINISHES:
        raise ValueError(
            f"emulsion {emulsion.emulsion_id} ({emulsion.name}) is diffusion-only: the procedural renderer does not draw it"
        )
    finished = _FINISHES[emulsion.finish](drawing, emulsion)
    if emulsion.finish in _GRID_FINISHES:
        return finished
    return Image.composite(_solid(finished.size, drawing.skin_rgb), finished, drawing.skin)
