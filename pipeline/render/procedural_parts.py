"""Style tables and drawable parts for the procedural renderer.

Everything here produces SVG fragments (strings) in the 768x1024 design space used by
:mod:`pipeline.render.procedural`. Two families of parts live here:

* aesthetic looks: one :class:`Look` per aesthetic family (palette, garment cut, pattern,
  accessories, hair dye), varied per style name by a stable hash;
* fantastic features: the phrase from ``stem_features.csv`` is parsed into body-part words and
  material words and drawn with a small library of part drawers;
* the character's own look (:class:`Character`): face, eyes, hair cut and tone, build, sleeves,
  hem, prop and pose, each from its own stable sub-seed of the family stem or the symbol.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
from dataclasses import dataclass, replace

# --------------------------------------------------------------------------------------------
# colour helpers


def stable_hash(*parts: object) -> int:
    """A 64-bit hash that is stable across processes (never Python's ``hash()``)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def rgb_to_hex(rgb) -> str:
    r, g, b = (max(0, min(255, round(v))) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def mix(a: str, b: str, t: float) -> str:
    ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    return rgb_to_hex(tuple(x + (y - x) * t for x, y in zip(ra, rb, strict=True)))


def shade(color: str, amount: float) -> str:
    """amount < 0 darkens towards black, > 0 lightens towards white."""
    return mix(color, "#000000" if amount < 0 else "#ffffff", abs(amount))


def hue_shift(color: str, turn: float, sat: float = 1.0) -> str:
    r, g, b = (v / 255 for v in hex_to_rgb(color))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb((h + turn) % 1.0, lightness, max(0.0, min(1.0, s * sat)))
    return rgb_to_hex((r * 255, g * 255, b * 255))


def luminance(color: str) -> float:
    r, g, b = hex_to_rgb(color)
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


# --------------------------------------------------------------------------------------------
# aesthetic looks


@dataclass(frozen=True)
class Look:
    family: str
    main: str  # jacket / top
    second: str  # shirt / under layer
    accent: str  # trims, ties, stripes
    light: str  # highlights, collars, background tint
    garment: str  # cut of the top layer
    pattern: str  # pattern drawn over the main garment
    accessory: str  # signature accessory
    hair: str  # dyed hair colour or "" for natural
    background: str  # background wash


# family -> (main, second, accent, light, garment, pattern, accessory, hair, background)
_FAMILIES: dict[str, tuple] = {
    "goth": ("#17141c", "#3d0b1e", "#8c1c3a", "#c8c3d3", "longcoat", "lace", "choker_cross", "#0e0b10", "#2a2333"),
    "academia": ("#5a3e2b", "#efe6d2", "#2f4a35", "#c9b48a", "blazer", "tweed", "glasses_book", "", "#b9a27a"),
    "slavic": ("#1d2f8c", "#f2f2f2", "#f7f7f7", "#9aa6c9", "tracksuit", "track_stripes", "flat_cap", "", "#8f9aa6"),
    "punk": ("#1b1b1d", "#c8102e", "#e03a3e", "#e7e7e7", "leather", "tartan", "spike_collar", "#38d14a", "#d8d2c4"),
    "wave": ("#ff71ce", "#01cdfe", "#b967ff", "#fffb96", "bomber", "grid", "shades", "#ff9ee0", "#3b1d6e"),
    "heritage": ("#a3202f", "#f4e6c8", "#1f5130", "#d8a31c", "folk_vest", "embroidery", "headscarf", "", "#e9d8b4"),
    "kawaii": ("#ffb3d1", "#ffffff", "#8fd3ff", "#fff2a8", "pinafore", "polka", "bow", "#ffc2e0", "#ffe3ef"),
    "food": ("#f4a259", "#fff8e8", "#bc4b51", "#8cb369", "apron", "gingham", "chef_hat", "", "#fbe7c6"),
    "cyber": ("#15161d", "#2b2d3a", "#00f0ff", "#ff2a6d", "techwear", "circuit", "visor", "#c8f7ff", "#0b0e1a"),
    "art-movement": ("#1f3a93", "#f2f2f2", "#f5c518", "#d7263d", "smock", "mondrian", "beret", "", "#efe7d5"),
    "music": ("#232326", "#e94f37", "#f6f7eb", "#ffcc33", "band_tee", "bolt", "headphones", "", "#d9d4cc"),
    "street": ("#ff6b35", "#f0f0f0", "#004e89", "#ffd23f", "hoodie", "blocks", "cap", "", "#cfd8e3"),
    "eclectic": ("#ef476f", "#ffd166", "#06d6a0", "#118ab2", "patchwork", "patchwork", "scarf", "", "#fff1d6"),
    "feminine": ("#f7b2c4", "#fff5f7", "#e05a84", "#ffe0e9", "blouse", "floral", "pearls", "", "#fde8ee"),
    "internet": ("#6a00f4", "#00ff66", "#ff00c8", "#ffffff", "tee", "pixels", "cat_ears", "#7df9ff", "#e8e1ff"),
    "fantasy": ("#3d2c8d", "#e8dcff", "#f0c75e", "#916bbf", "cloak", "stars", "circlet", "", "#2c2458"),
    "nature-core": ("#606c38", "#fefae0", "#bc6c25", "#dda15e", "cardigan", "leaves", "flower_crown", "", "#e3ead0"),
    "fallback": ("#8d99ae", "#edf2f4", "#2b2d42", "#ef233c", "labcoat", "plain", "badge", "", "#dfe5ea"),
    "horror": ("#2b0a0a", "#d9d3c7", "#8a0303", "#4a4a4a", "tattered", "splatter", "stitches", "#1a1010", "#3a2a2a"),
    "military": ("#4b5320", "#6b705c", "#2e3117", "#c2b280", "field_jacket", "camo", "beret", "", "#b7b59c"),
    "literary": ("#3b2f2f", "#f3ead7", "#7b2d26", "#c9a66b", "waistcoat", "pinstripe", "quill", "", "#d9c9a8"),
    "rave": ("#1a1a1a", "#39ff14", "#ff073a", "#00e5ff", "mesh_top", "neon_zigzag", "glowsticks", "#39ff14", "#120c24"),
    "interior": ("#9a8c98", "#f2e9e4", "#4a4e69", "#c9ada7", "cardigan", "floral", "pearls", "", "#efe4dc"),
    "craft": ("#e07a5f", "#f4f1de", "#3d405b", "#81b29a", "knit", "argyle", "scarf", "", "#f2e3c9"),
    "cinema": ("#0b0b0b", "#f5f5f5", "#e0c068", "#7a0019", "tuxedo", "plain", "bowtie", "", "#3a3026"),
    "beach": ("#00b4d8", "#fefae0", "#ef476f", "#ffd166", "hawaiian", "hibiscus", "sunhat", "", "#bdeef6"),
    "preppy": ("#1d3557", "#f1faee", "#e63946", "#a8dadc", "polo", "argyle", "headband", "", "#e7eef3"),
    "space": ("#e6e6ea", "#0b1d51", "#ff9f1c", "#8fb8de", "spacesuit", "stars", "antenna_band", "", "#0b1030"),
    "glitch": ("#0f0f0f", "#ff0040", "#00ffd0", "#f5f5f5", "tee", "scanline", "shades", "#00ffd0", "#101018"),
}

FAMILIES = tuple(_FAMILIES)


def look_for(style: str, family: str) -> Look:
    """The look of one aesthetic style: its family's look, varied by a stable hash of the name."""
    base = _FAMILIES.get(family) or _FAMILIES["fallback"]
    main, second, accent, light, garment, pattern, accessory, hair, background = base
    h = stable_hash("look", style)
    turn = ((h & 0xFF) / 255 - 0.5) * 0.12  # +-0.06 of a hue turn
    sat = 0.85 + ((h >> 8) & 0xFF) / 255 * 0.35
    lift = (((h >> 16) & 0xFF) / 255 - 0.5) * 0.16
    look = Look(
        family=family if family in _FAMILIES else "fallback",
        main=shade(hue_shift(main, turn, sat), lift),
        second=hue_shift(second, turn * 0.5),
        accent=hue_shift(accent, turn, sat),
        light=hue_shift(light, turn),
        garment=garment,
        pattern=pattern,
        accessory=accessory,
        hair=hue_shift(hair, turn) if hair else "",
        background=hue_shift(background, turn * 0.5),
    )
    # a third of the styles swap in an alternate pattern of a related kind
    alternates = {
        "lace": "fishnet",
        "tweed": "plaid",
        "track_stripes": "track_stripes",
        "tartan": "studs",
        "grid": "gradient_bands",
        "embroidery": "diamonds",
        "polka": "hearts",
        "gingham": "fruit",
        "circuit": "grid",
        "mondrian": "brush_dots",
        "floral": "polka",
        "stars": "moons",
        "leaves": "floral",
        "camo": "camo",
        "pinstripe": "plaid",
        "argyle": "tweed",
    }
    if (h >> 24) % 3 == 0 and pattern in alternates:
        look = replace(look, pattern=alternates[pattern])
    return look


# --------------------------------------------------------------------------------------------
# patterns (SVG <pattern> bodies), drawn in colours of a look


def pattern_def(pid: str, kind: str, look: Look, scale: float = 1.0) -> str:
    """An SVG <pattern> element or "" when the kind draws nothing."""
    a, b, c, m = look.accent, look.second, look.light, look.main
    s = 40 * scale

    def pat(w, h, body, transform=""):
        tr = f' patternTransform="{transform}"' if transform else ""
        return (
            f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="{w:.1f}" height="{h:.1f}"{tr}>{body}</pattern>'
        )

    if kind == "lace":
        return pat(
            s,
            s,
            f'<circle cx="{s / 2:.1f}" cy="{s / 2:.1f}" r="{s * 0.3:.1f}" fill="none" stroke="{c}" stroke-opacity="0.45" stroke-width="2"/>'
            f'<circle cx="0" cy="0" r="{s * 0.18:.1f}" fill="none" stroke="{c}" stroke-opacity="0.45" stroke-width="2"/>'
            f'<circle cx="{s / 2:.1f}" cy="{s / 2:.1f}" r="3" fill="{c}" fill-opacity="0.5"/>',
        )
    if kind == "fishnet":
        return pat(
            s * 0.5,
            s * 0.5,
            f'<path d="M0 0L{s * 0.5:.1f} {s * 0.5:.1f}M{s * 0.5:.1f} 0L0 {s * 0.5:.1f}" stroke="{c}" stroke-opacity="0.4" stroke-width="1.6"/>',
        )
    if kind in ("tweed", "plaid", "tartan", "gingham"):
        op = {"tweed": 0.25, "plaid": 0.35, "tartan": 0.55, "gingham": 0.45}[kind]
        col = {"tweed": c, "plaid": a, "tartan": "#111111", "gingham": "#ffffff"}[kind]
        w = s * (1.6 if kind != "gingham" else 0.8)
        body = (
            f'<rect x="0" y="{w * 0.35:.1f}" width="{w:.1f}" height="{w * 0.3:.1f}" fill="{col}" fill-opacity="{op}"/>'
            f'<rect x="{w * 0.35:.1f}" y="0" width="{w * 0.3:.1f}" height="{w:.1f}" fill="{col}" fill-opacity="{op}"/>'
        )
        if kind in ("tweed", "plaid", "tartan"):
            body += (
                f'<path d="M0 {w * 0.1:.1f}H{w:.1f}M{w * 0.1:.1f} 0V{w:.1f}" stroke="{a if kind != "tartan" else "#f2d21b"}" '
                f'stroke-opacity="0.7" stroke-width="2"/>'
            )
        return pat(w, w, body)
    if kind == "track_stripes":
        return ""  # drawn as sleeve and leg stripes instead
    if kind == "studs":
        return pat(
            s * 0.7,
            s * 0.7,
            f'<circle cx="{s * 0.35:.1f}" cy="{s * 0.35:.1f}" r="4" fill="#d9d9d9" stroke="#555" stroke-width="1"/>',
        )
    if kind == "grid":
        return pat(s, s, f'<path d="M0 0H{s:.1f}M0 0V{s:.1f}" stroke="{a}" stroke-opacity="0.8" stroke-width="2.5"/>')
    if kind == "gradient_bands":
        return pat(
            s * 3,
            s * 3,
            f'<rect width="{s * 3:.1f}" height="{s:.1f}" fill="{a}" fill-opacity="0.5"/>'
            f'<rect y="{s:.1f}" width="{s * 3:.1f}" height="{s:.1f}" fill="{c}" fill-opacity="0.4"/>',
        )
    if kind in ("embroidery", "diamonds"):
        return pat(
            s,
            s,
            f'<path d="M{s / 2:.1f} {s * 0.1:.1f}L{s * 0.9:.1f} {s / 2:.1f}L{s / 2:.1f} {s * 0.9:.1f}L{s * 0.1:.1f} {s / 2:.1f}Z" fill="none" '
            f'stroke="{c}" stroke-width="3"/><circle cx="{s / 2:.1f}" cy="{s / 2:.1f}" r="4" fill="{a}"/>',
        )
    if kind == "polka":
        return pat(
            s,
            s,
            f'<circle cx="{s * 0.25:.1f}" cy="{s * 0.25:.1f}" r="{s * 0.12:.1f}" fill="{b}"/><circle cx="{s * 0.75:.1f}" cy="{s * 0.75:.1f}" r="{s * 0.12:.1f}" fill="{b}"/>',
        )
    if kind == "hearts":
        r = s * 0.12
        return pat(
            s,
            s,
            f'<path d="M{s / 2:.1f} {s * 0.7:.1f}l-{r * 1.6:.1f} -{r * 1.6:.1f}a{r:.1f} {r:.1f} 0 0 1 {r * 1.6:.1f} -{r * 1.1:.1f}'
            f'a{r:.1f} {r:.1f} 0 0 1 {r * 1.6:.1f} {r * 1.1:.1f}z" fill="{c if luminance(m) < 0.8 else a}"/>',
        )
    if kind == "fruit":
        return pat(
            s * 1.2,
            s * 1.2,
            f'<circle cx="{s * 0.4:.1f}" cy="{s * 0.5:.1f}" r="{s * 0.16:.1f}" fill="{a}"/>'
            f'<path d="M{s * 0.4:.1f} {s * 0.34:.1f}q4 -8 10 -8" stroke="{c}" stroke-width="3" fill="none"/>',
        )
    if kind == "circuit":
        return pat(
            s * 1.5,
            s * 1.5,
            f'<path d="M0 {s * 0.4:.1f}H{s * 0.6:.1f}V{s * 1.1:.1f}H{s * 1.5:.1f}M{s * 0.9:.1f} 0V{s * 0.5:.1f}" stroke="{a}" '
            f'stroke-width="2.5" fill="none"/><circle cx="{s * 0.6:.1f}" cy="{s * 1.1:.1f}" r="4" fill="{c}"/>',
        )
    if kind == "mondrian":
        w = s * 3
        return pat(
            w,
            w,
            f'<rect x="0" y="0" width="{w * 0.45:.1f}" height="{w * 0.4:.1f}" fill="{c}"/>'
            f'<rect x="{w * 0.6:.1f}" y="{w * 0.55:.1f}" width="{w * 0.4:.1f}" height="{w * 0.45:.1f}" fill="{a}"/>'
            f'<path d="M{w * 0.45:.1f} 0V{w:.1f}M0 {w * 0.4:.1f}H{w:.1f}M{w * 0.6:.1f} {w * 0.4:.1f}V{w:.1f}M{w * 0.6:.1f} {w * 0.55:.1f}H{w:.1f}" stroke="#111" stroke-width="6"/>',
        )
    if kind == "brush_dots":
        return pat(
            s,
            s,
            f'<ellipse cx="{s * 0.3:.1f}" cy="{s * 0.3:.1f}" rx="{s * 0.2:.1f}" ry="{s * 0.1:.1f}" fill="{a}" fill-opacity="0.8"/>'
            f'<ellipse cx="{s * 0.8:.1f}" cy="{s * 0.75:.1f}" rx="{s * 0.12:.1f}" ry="{s * 0.18:.1f}" fill="{c}" fill-opacity="0.8"/>',
        )
    if kind == "bolt":
        return pat(
            s * 2,
            s * 2,
            f'<path d="M{s:.1f} {s * 0.3:.1f}l-{s * 0.3:.1f} {s * 0.7:.1f}h{s * 0.3:.1f}l-{s * 0.2:.1f} {s * 0.7:.1f}l{s * 0.5:.1f} -{s * 0.9:.1f}h-{s * 0.3:.1f}z" fill="{c}" fill-opacity="0.9"/>',
        )
    if kind == "blocks":
        w = s * 2.5
        return pat(
            w,
            w,
            f'<rect width="{w:.1f}" height="{w * 0.3:.1f}" fill="{a}"/><rect y="{w * 0.3:.1f}" width="{w:.1f}" height="{w * 0.08:.1f}" fill="{c}"/>',
        )
    if kind == "patchwork":
        w = s * 1.4
        return pat(
            w * 2,
            w * 2,
            f'<rect width="{w:.1f}" height="{w:.1f}" fill="{b}"/><rect x="{w:.1f}" y="{w:.1f}" width="{w:.1f}" height="{w:.1f}" fill="{a}"/>'
            f'<rect x="{w:.1f}" width="{w:.1f}" height="{w:.1f}" fill="{c}"/>'
            f'<path d="M0 0H{w * 2:.1f}V{w * 2:.1f}H0Z M{w:.1f} 0V{w * 2:.1f}M0 {w:.1f}H{w * 2:.1f}" fill="none" stroke="#333" stroke-width="2" stroke-dasharray="5 4"/>',
        )
    if kind == "floral":
        r = s * 0.09
        petals = "".join(
            f'<circle cx="{s / 2 + math.cos(k * 1.2566) * r * 1.6:.1f}" cy="{s / 2 + math.sin(k * 1.2566) * r * 1.6:.1f}" r="{r:.1f}" fill="{a}"/>'
            for k in range(5)
        )
        return pat(
            s * 1.2, s * 1.2, petals + f'<circle cx="{s / 2:.1f}" cy="{s / 2:.1f}" r="{r * 0.8:.1f}" fill="{c}"/>'
        )
    if kind == "hibiscus":
        r = s * 0.16
        petals = "".join(
            f'<ellipse cx="{s / 2 + math.cos(k * 1.2566) * r:.1f}" cy="{s / 2 + math.sin(k * 1.2566) * r:.1f}" rx="{r:.1f}" ry="{r * 0.6:.1f}" '
            f'transform="rotate({k * 72} {s / 2 + math.cos(k * 1.2566) * r:.1f} {s / 2 + math.sin(k * 1.2566) * r:.1f})" fill="{a}"/>'
            for k in range(5)
        )
        return pat(
            s * 1.8, s * 1.8, petals + f'<circle cx="{s / 2:.1f}" cy="{s / 2:.1f}" r="{r * 0.4:.1f}" fill="{c}"/>'
        )
    if kind == "pixels":
        q = s / 4
        return pat(
            s,
            s,
            f'<rect width="{q:.1f}" height="{q:.1f}" fill="{b}"/><rect x="{q * 2:.1f}" y="{q * 2:.1f}" width="{q:.1f}" height="{q:.1f}" fill="{a}"/>'
            f'<rect x="{q * 3:.1f}" y="{q:.1f}" width="{q:.1f}" height="{q:.1f}" fill="{c}"/>',
        )
    if kind in ("stars", "moons"):
        if kind == "stars":
            body = f'<path d="{star_path(s * 0.5, s * 0.5, s * 0.16, s * 0.06, 5)}" fill="{a}"/><circle cx="{s * 0.1:.1f}" cy="{s * 0.85:.1f}" r="2" fill="{c}"/>'
        else:
            body = (
                f'<circle cx="{s * 0.5:.1f}" cy="{s * 0.5:.1f}" r="{s * 0.15:.1f}" fill="{a}"/>'
                f'<circle cx="{s * 0.56:.1f}" cy="{s * 0.45:.1f}" r="{s * 0.13:.1f}" fill="{look.main}"/>'
            )
        return pat(s * 1.3, s * 1.3, body)
    if kind == "leaves":
        return pat(
            s * 1.2,
            s * 1.2,
            f'<path d="M{s * 0.2:.1f} {s * 0.9:.1f}Q{s * 0.2:.1f} {s * 0.3:.1f} {s * 0.9:.1f} {s * 0.2:.1f}Q{s * 0.8:.1f} {s * 0.8:.1f} {s * 0.2:.1f} {s * 0.9:.1f}Z" '
            f'fill="{c}" fill-opacity="0.8"/>',
        )
    if kind == "splatter":
        return pat(
            s * 2.5,
            s * 2.5,
            f'<circle cx="{s * 0.8:.1f}" cy="{s * 0.7:.1f}" r="{s * 0.25:.1f}" fill="{a}"/><circle cx="{s * 1.2:.1f}" cy="{s * 0.9:.1f}" r="{s * 0.08:.1f}" fill="{a}"/>'
            f'<path d="M{s * 0.8:.1f} {s * 0.9:.1f}v{s * 0.6:.1f}" stroke="{a}" stroke-width="5" stroke-linecap="round"/>',
        )
    if kind == "camo":
        w = s * 3
        return pat(
            w,
            w,
            f'<path d="M0 {w * 0.2:.1f}q{w * 0.2:.1f} -{w * 0.2:.1f} {w * 0.4:.1f} 0t{w * 0.3:.1f} {w * 0.1:.1f}q-{w * 0.2:.1f} {w * 0.3:.1f} -{w * 0.5:.1f} {w * 0.1:.1f}z" fill="{a}"/>'
            f'<path d="M{w * 0.5:.1f} {w * 0.6:.1f}q{w * 0.2:.1f} -{w * 0.15:.1f} {w * 0.4:.1f} {w * 0.05:.1f}q-{w * 0.1:.1f} {w * 0.3:.1f} -{w * 0.4:.1f} {w * 0.2:.1f}z" fill="{c}"/>'
            f'<path d="M{w * 0.1:.1f} {w * 0.7:.1f}q{w * 0.15:.1f} -{w * 0.1:.1f} {w * 0.25:.1f} {w * 0.05:.1f}q-{w * 0.1:.1f} {w * 0.2:.1f} -{w * 0.25:.1f} -{w * 0.05:.1f}z" fill="{b}"/>',
        )
    if kind == "pinstripe":
        return pat(s * 0.5, s, f'<path d="M1 0V{s:.1f}" stroke="{c}" stroke-opacity="0.6" stroke-width="1.5"/>')
    if kind == "argyle":
        w = s * 1.4
        return pat(
            w,
            w * 1.4,
            f'<path d="M{w / 2:.1f} 0L{w:.1f} {w * 0.7:.1f}L{w / 2:.1f} {w * 1.4:.1f}L0 {w * 0.7:.1f}Z" fill="{a}" fill-opacity="0.55"/>'
            f'<path d="M0 0L{w:.1f} {w * 1.4:.1f}M{w:.1f} 0L0 {w * 1.4:.1f}" stroke="{c}" stroke-width="1.5" stroke-dasharray="4 4"/>',
        )
    if kind == "neon_zigzag":
        return pat(
            s,
            s * 0.8,
            f'<path d="M0 {s * 0.4:.1f}l{s * 0.25:.1f} -{s * 0.2:.1f}l{s * 0.5:.1f} {s * 0.4:.1f}l{s * 0.25:.1f} -{s * 0.2:.1f}" stroke="{b}" stroke-width="4" fill="none"/>',
        )
    if kind == "scanline":
        return pat(s, s * 0.3, f'<rect width="{s:.1f}" height="{s * 0.1:.1f}" fill="{b}" fill-opacity="0.7"/>')
    return ""


def star_path(cx: float, cy: float, r1: float, r2: float, n: int, rot: float = -math.pi / 2) -> str:
    pts = []
    for k in range(n * 2):
        r = r1 if k % 2 == 0 else r2
        ang = rot + k * math.pi / n
        pts.append(f"{cx + math.cos(ang) * r:.1f} {cy + math.sin(ang) * r:.1f}")
    return "M" + "L".join(pts) + "Z"


# --------------------------------------------------------------------------------------------
# fantastic features: phrase -> (body parts, material)

# material word -> (fill, stroke/detail, glow)
MATERIALS: dict[str, tuple[str, str, bool]] = {
    "metal": ("#a9b0b8", "#5d6670", False),
    "iron": ("#6e7379", "#3b3f44", False),
    "steel": ("#9aa3ad", "#4f5861", False),
    "chrome": ("#d9dee4", "#6d7782", False),
    "tin": ("#b9bcbf", "#6b6f73", False),
    "mirrored": ("#e8eef4", "#7f8b96", False),
    "brass": ("#c9a23f", "#7a5c14", False),
    "bronze": ("#b0793a", "#6a4217", False),
    "copper": ("#c26a3d", "#7a3817", False),
    "clockwork": ("#c49a3a", "#6e4f12", False),
    "amber": ("#e39b23", "#8a5407", False),
    "rusty": ("#9c4f2a", "#5a2a12", False),
    "bone": ("#eee6cf", "#9d9271", False),
    "porcelain": ("#f7f5f0", "#8fa3c4", False),
    "pearl": ("#f3ece6", "#b9a9b8", False),
    "marble": ("#ecebe7", "#8d8d94", False),
    "ivory": ("#f2ead3", "#a39a7c", False),
    "white": ("#f4f4f4", "#9a9a9a", False),
    "crystal": ("#bfe9ff", "#5aa8d6", True),
    "glass": ("#cdefff", "#6fb4d8", True),
    "icy": ("#d8f3ff", "#7cc4e6", True),
    "frosted": ("#e2f4fb", "#8ab8cc", False),
    "salt": ("#f5f5f0", "#b8b8ad", False),
    "sugar": ("#fff6fb", "#e3a8c9", False),
    "ember": ("#ff7a1a", "#a3260a", True),
    "molten": ("#ff5a1f", "#8f1d06", True),
    "flaming": ("#ff8c1a", "#c2260c", True),
    "crackling": ("#ffe14d", "#d18b00", True),
    "smouldering": ("#ff5a1f", "#7a1a00", True),
    "chili": ("#d7261e", "#6e0f0b", False),
    "obsidian": ("#23202a", "#5b5468", False),
    "smoky": ("#5b5a63", "#2d2c33", False),
    "jade": ("#3fa873", "#1d5c3c", False),
    "mossy": ("#6f8f3a", "#3b4f1c", False),
    "leafy": ("#5fae4a", "#2f6424", False),
    "lichen": ("#9bb07a", "#56663f", False),
    "vine": ("#4c8a3a", "#244a1a", False),
    "thorny": ("#3e5c2b", "#1d2d12", False),
    "gnarled": ("#7a5a3a", "#3f2c1a", False),
    "root": ("#7a5a3a", "#3f2c1a", False),
    "coral": ("#ff7f6a", "#b23f2e", False),
    "petal": ("#ff9ec4", "#c2477a", False),
    "mushroom": ("#d93a32", "#f4efe6", False),
    "velvet": ("#6b2d7b", "#361040", False),
    "silken": ("#e7c8f0", "#9a6aa8", False),
    "origami": ("#fbfbf6", "#b0b0a6", False),
    "paper": ("#fbfbf6", "#b0b0a6", False),
    "starry": ("#1f2a6b", "#ffe27a", False),
    "cloud": ("#fbfdff", "#b6c6d8", False),
    "feathery": ("#f4efe4", "#b3a78f", False),
    "stained": ("#3b6fd6", "#1d1d1d", False),
    "opal": ("#dff3f0", "#b07fc4", True),
    "bioluminescent": ("#5ff5d2", "#11806a", True),
    "glowing": ("#fff27a", "#d4a017", True),
    "sandstone": ("#d9b27a", "#8f6a3a", False),
    "granite": ("#8a8a8f", "#4a4a50", False),
    "spotted": ("#f0c33c", "#5a3a12", False),
    "striped": ("#f08c1a", "#1d1d1d", False),
    "candle": ("#f6eed5", "#c9b88a", False),
    "wax": ("#f6eed5", "#c9b88a", False),
    "lemon": ("#f4e13a", "#9a8a10", False),
    "sulphur": ("#e8d53a", "#7a6a10", False),
    "golden": ("#e6b422", "#8a6a0a", False),
    "siren": ("#e0181b", "#7a0a0a", True),
    "rainbow": ("#ff6f91", "#845ec2", True),
    "zebra": ("#f4f4f4", "#111111", False),
    "demon": ("#2a1216", "#a3131f", False),
    "fox": ("#e06a1f", "#f7efe4", False),
    "pig": ("#f4a7b9", "#b8536e", False),
    "tiger": ("#f08c1a", "#1d1d1d", False),
}

# body-part keywords in priority order (first match wins per group) -> part kind
PART_WORDS: list[tuple[str, str]] = [
    ("unicorn horn", "unicorn_horn"),
    ("corkscrew horn", "unicorn_horn"),
    ("antler", "antlers"),
    ("triceratops", "frill_horns"),
    ("horn", "horns"),
    ("fox ears", "fox_ears"),
    ("rabbit ears", "rabbit_ears"),
    ("bloodhound ears", "droopy_ears"),
    ("satellite-dish ears", "dish_ears"),
    ("ears", "animal_ears"),
    ("earring", "earrings"),
    ("tail", "tail"),
    ("flagellum", "tail"),
    ("trail", "slime"),
    ("butterfly wings", "butterfly_wings"),
    ("dragonfly wings", "butterfly_wings"),
    ("bat wings", "bat_wings"),
    ("membrane wings", "bat_wings"),
    ("vestigial wings", "stubby_wings"),
    ("wings", "bat_wings"),
    ("kite frame", "kite"),
    ("propeller", "propeller"),
    ("pig nose", "pig_nose"),
    ("snout", "pig_nose"),
    ("nose", "odd_nose"),
    ("trunk", "trunk"),
    ("beak", "beak"),
    ("eye stalks", "eye_stalks"),
    ("third eye", "third_eye"),
    ("six eyes", "six_eyes"),
    ("eyes", "odd_eyes"),
    ("pupils", "odd_eyes"),
    ("monocle", "monocle"),
    ("metal hands", "metal_hands"),
    ("gauntlets", "metal_hands"),
    ("claws", "claws"),
    ("talons", "claws"),
    ("pincer", "pincers"),
    ("paws", "paws"),
    ("fingers", "fingers"),
    ("fingertips", "fingers"),
    ("knuckles", "metal_hands"),
    ("hands", "metal_hands"),
    ("hand", "tool_hand"),
    ("palms", "metal_hands"),
    ("arm", "tool_arm"),
    ("forearms", "bracers"),
    ("bangles", "bracers"),
    ("wrists", "bracers"),
    ("biceps", "muscles"),
    ("shoulder pad", "pauldrons"),
    ("pauldrons", "pauldrons"),
    ("shoulders", "pauldrons"),
    ("plume", "plume"),
    ("mane", "mane"),
    ("crest", "crest"),
    ("quills", "quills"),
    ("spines", "quills"),
    ("back spikes", "back_spikes"),
    ("spine ridge", "back_spikes"),
    ("back plates", "back_spikes"),
    ("spikes", "back_spikes"),
    ("hair", "odd_hair"),
    ("beard", "beard"),
    ("whiskers", "whiskers"),
    ("fleece", "fleece"),
    ("scale armour", "scales"),
    ("scales", "scales"),
    ("skin", "skin_pattern"),
    ("stripes", "skin_pattern"),
    ("armour", "scales"),
    ("plates", "scales"),
    ("blubber", "skin_pattern"),
    ("freckles", "freckles"),
    ("halo", "halo"),
    ("crown", "crown"),
    ("tiara", "crown"),
    ("hat", "odd_hat"),
    ("nightcap", "odd_hat"),
    ("mask", "mask"),
    ("antenna", "antennae"),
    ("tendrils", "tendrils"),
    ("tentacle", "tendrils"),
    ("vines", "tendrils"),
    ("fins", "fins"),
    ("fin", "fins"),
    ("gills", "gills"),
    ("blowhole", "blowhole"),
    ("shell", "shell"),
    ("fangs", "fangs"),
    ("tusks", "tusks"),
    ("mandibles", "mandibles"),
    ("jaw", "fangs"),
    ("mouth", "big_mouth"),
    ("grin", "big_mouth"),
    ("tongue", "tongue"),
    ("lure", "lure"),
    ("collar", "collar"),
    ("neck frill", "neck_frill"),
    ("hooves", "hooves"),
    ("feet", "odd_feet"),
    ("toe pads", "odd_feet"),
    ("knee spurs", "knee_spurs"),
    ("legs", "odd_legs"),
    ("stinger", "stinger"),
    ("belly", "belly"),
    ("abdomen", "belly"),
    ("navel", "belly"),
    ("chest", "chest_device"),
    ("heart", "chest_device"),
    ("lungs", "chest_device"),
    ("head", "odd_head"),
    ("cape", "cape"),
    ("cloak", "cape"),
    ("apron", "apron"),
    ("satchel", "bag"),
    ("backpack", "bag"),
    ("pouch", "pouch"),
    ("tears", "tears"),
    ("cheeks", "cheeks"),
    ("tattoo", "tattoo"),
    ("badge", "tattoo"),
    ("key", "back_key"),
    ("lever", "back_key"),
    ("vents", "vents"),
    ("seams", "zippers"),
    ("hoop", "hoop"),
    ("skirt", "hoop"),
    ("yarn", "bag"),
    ("flags", "tool_hand"),
    ("trident", "tool_hand"),
    ("shield", "tool_hand"),
    ("growths", "scales"),
    ("bandage", "bracers"),
]

REQUIRED_FEATURES = ("demon horns", "metal hands", "fox ears and tail", "pig nose")


def parse_feature(phrase: str) -> tuple[list[str], tuple[str, str, bool]]:
    """Body-part kinds and a material (fill, detail, glow) for a feature phrase.

    Several parts may be drawn ("fox ears and tail" -> fox ears + tail). The material comes from
    the first material word found; unknown phrases get a stable hashed colour.
    """
    text = phrase.lower().strip()
    if not text:
        return [], ("#000000", "#000000", False)
    parts: list[str] = []
    remaining = text
    for word, kind in PART_WORDS:
        if word in remaining and kind not in parts:
            parts.append(kind)
            remaining = remaining.replace(word, " ")
            if len(parts) >= 2:
                break
    if text == "fox ears and tail":
        parts = ["fox_ears", "tail"]
    if not parts:
        parts = ["aura"]
    material = None
    for token in text.replace("-", " ").replace("'", " ").split():
        if token in MATERIALS:
            material = MATERIALS[token]
            break
    if material is None:
        h = stable_hash("feature-material", text)
        base = hue_shift("#d9534f", (h % 360) / 360)
        material = (base, shade(base, -0.45), False)
    return parts, material


# --------------------------------------------------------------------------------------------
# the character's own look: the axes that no trait fixes

FACE_SHAPES = ("round", "oval", "square", "heart", "long")
EYE_SHAPES = ("round", "almond", "sleepy", "wide", "narrow")
HAIR_CUTS = {
    "male": ("crop", "quiff", "afro", "spiky", "buzz", "side"),
    "female": ("long", "bob", "bun", "twintails", "ponytail", "afro"),
}
PROPS = ("none", "balloon", "flower", "mug", "book", "lollipop", "handbag", "pennant")
POSES = ("down", "wave", "hips", "hold")
SLEEVES = ("long", "short")
HEMS = ("long", "short")  # a skirt to the ankle or to the knee
HAIR_TONES = ("#2b1d14", "#4a2f1d", "#6b4423", "#7a5a2a", "#161616", "#8c3b1f", "#3b2a20", "#5a2a3a")
IRISES = ("#3b6fb6", "#4a8c4a", "#6b4423", "#2b2b2b", "#8a6bbf", "#2a9d8f", "#b5651d")


@dataclass(frozen=True)
class Character:
    """How one gene's character looks where its traits leave a choice.

    Relatives share the axes seeded by the family stem (face shape and hair cut), so a family
    reads as one; every other axis is seeded by the symbol, so no two members are copies.
    """

    face: str
    eyes: str
    hair_cut: int  # index into HAIR_CUTS[sex]: the same family keeps the same cut for both sexes
    hair_tone: str
    dyed: bool  # wears the style's hair dye where the style has one
    iris: str
    build: float  # -1 narrow shoulders and wide hips .. 1 broad shoulders and narrow hips
    sleeves: str
    hem: str
    prop: str
    pose: str


def character_for(symbol: str, family: str = "") -> Character:
    """The seeded look of a gene: each axis from its own sub-seed, so axes vary independently."""

    def seed(axis: str, key: str) -> int:
        return stable_hash("character", axis, key)

    stem = family or symbol
    return Character(
        face=FACE_SHAPES[seed("face", stem) % len(FACE_SHAPES)],
        eyes=EYE_SHAPES[seed("eyes", symbol) % len(EYE_SHAPES)],
        hair_cut=seed("hair_cut", stem) % len(HAIR_CUTS["male"]),
        hair_tone=HAIR_TONES[seed("hair_tone", symbol) % len(HAIR_TONES)],
        dyed=seed("dyed", symbol) % 2 == 1,
        iris=IRISES[seed("iris", symbol) % len(IRISES)],
        build=(seed("build", symbol) % 201) / 100 - 1,
        sleeves=SLEEVES[seed("sleeves", symbol) % len(SLEEVES)],
        hem=HEMS[seed("hem", symbol) % len(HEMS)],
        prop=PROPS[seed("prop", symbol) % len(PROPS)],
        pose=POSES[seed("pose", symbol) % len(POSES)],
    )
