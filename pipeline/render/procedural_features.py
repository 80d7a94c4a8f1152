"""Fantastic-feature drawers for the procedural renderer.

``draw_feature(phrase, geo, stroke)`` returns two SVG fragments: parts drawn behind the body
(tails, wings, shells) and parts drawn over the finished character (horns, ears, snouts,
gauntlets). ``geo`` is the layout dict built by :func:`pipeline.render.procedural.layout`.
"""

from __future__ import annotations

import math

from .procedural_parts import parse_feature, shade, stable_hash, star_path


def draw_feature(phrase: str, geo: dict, stroke: dict) -> tuple[str, str]:
    parts, (fill, detail, glow) = parse_feature(phrase)
    if phrase.strip().lower() == "demon horns":
        fill, detail = "#2a1216", "#b3172a"
    back, front = [], []
    h = stable_hash("feature", phrase)
    for kind in parts:
        b, f = _draw(kind, phrase.lower(), fill, detail, glow, geo, stroke, h)
        back.append(b)
        front.append(f)
    if glow:
        front.insert(0, "")
    return "".join(back), "".join(front)


def _pair(fn) -> str:
    return fn(-1) + fn(1)


def _draw(kind: str, text: str, fill: str, detail: str, glow: bool, g: dict, st: dict, h: int) -> tuple[str, str]:
    cx, cy, r, ry = g["cx"], g["head_cy"], g["head_r"], g["head_ry"]
    top = cy - ry
    sa = st["attr"]
    glow_attr = ' filter="url(#glow)"' if glow else ""
    A = f'fill="{fill}" {sa}'
    hands = g["hands"]
    hr = g["hand_r"]

    if kind in ("horns", "frill_horns"):
        curl = 0.8 + (h % 5) * 0.1

        def horn(s):
            bx = cx + s * r * 0.45
            by = top + ry * 0.28
            tipx = cx + s * r * (0.95 + 0.2 * curl)
            tipy = top - ry * 0.75 * curl
            return (
                f'<path d="M{bx - s * r * 0.16:.1f} {by:.1f}C{bx - s * r * 0.05:.1f} {by - ry * 0.5:.1f} {tipx - s * r * 0.35:.1f} {tipy + ry * 0.25:.1f} {tipx:.1f} {tipy:.1f}'
                f'C{tipx - s * r * 0.08:.1f} {tipy + ry * 0.45:.1f} {bx + s * r * 0.35:.1f} {by - ry * 0.15:.1f} {bx + s * r * 0.2:.1f} {by + ry * 0.05:.1f}Z" {A}{glow_attr}/>'
                f'<path d="M{bx - s * r * 0.02:.1f} {by - ry * 0.12:.1f}q{s * r * 0.12:.1f} -{ry * 0.05:.1f} {s * r * 0.22:.1f} {ry * 0.02:.1f}M{bx + s * r * 0.1:.1f} {by - ry * 0.32:.1f}q{s * r * 0.1:.1f} -{ry * 0.02:.1f} {s * r * 0.18:.1f} {ry * 0.04:.1f}" '
                f'stroke="{detail}" stroke-width="4" fill="none" stroke-linecap="round"/>'
            )

        svg = _pair(horn)
        if kind == "frill_horns":
            svg = (
                f'<path d="M{cx - r * 0.12:.1f} {top + ry * 0.15:.1f}L{cx:.1f} {top - ry * 0.55:.1f}L{cx + r * 0.12:.1f} {top + ry * 0.15:.1f}Z" {A}/>'
                + svg
            )
        return "", svg
    if kind == "unicorn_horn":
        bx, by = cx, top + ry * 0.2
        spiral = "".join(
            f'<path d="M{bx - r * 0.13 * (1 - k / 6):.1f} {by - k * ry * 0.13:.1f}l{r * 0.26 * (1 - k / 6):.1f} -{ry * 0.05:.1f}" stroke="{detail}" stroke-width="3"/>'
            for k in range(1, 6)
        )
        return (
            "",
            f'<path d="M{bx - r * 0.15:.1f} {by:.1f}L{bx:.1f} {top - ry * 0.85:.1f}L{bx + r * 0.15:.1f} {by:.1f}Z" {A}{glow_attr}/>'
            + spiral,
        )
    if kind == "antlers":

        def antler(s):
            bx = cx + s * r * 0.4
            by = top + ry * 0.25
            d = (
                f"M{bx:.1f} {by:.1f}Q{bx + s * r * 0.3:.1f} {by - ry * 0.5:.1f} {bx + s * r * 0.75:.1f} {by - ry * 0.95:.1f}"
                f"M{bx + s * r * 0.2:.1f} {by - ry * 0.35:.1f}L{bx + s * r * 0.05:.1f} {by - ry * 0.75:.1f}"
                f"M{bx + s * r * 0.45:.1f} {by - ry * 0.62:.1f}L{bx + s * r * 0.35:.1f} {by - ry * 1.05:.1f}"
                f"M{bx + s * r * 0.55:.1f} {by - ry * 0.72:.1f}L{bx + s * r * 0.95:.1f} {by - ry * 0.75:.1f}"
            )
            return (
                f'<path d="{d}" stroke="{st["color"]}" stroke-width="{r * 0.13 + st["w"] * 2:.1f}" stroke-linecap="round" fill="none"/>'
                f'<path d="{d}" stroke="{fill}" stroke-width="{r * 0.13:.1f}" stroke-linecap="round" fill="none"{glow_attr}/>'
            )

        return "", _pair(antler)
    if kind in ("fox_ears", "animal_ears", "rabbit_ears"):
        tall = 1.35 if kind == "rabbit_ears" else 0.75
        inner = "#f7efe4" if kind == "fox_ears" else shade(fill, 0.35)
        outer = "#e06a1f" if kind == "fox_ears" else fill

        def ear(s):
            bx = cx + s * r * 0.62
            by = top + ry * 0.35
            tx = cx + s * r * (0.95 if kind != "rabbit_ears" else 0.55)
            ty = top - ry * tall
            w = r * (0.32 if kind != "rabbit_ears" else 0.2)
            o = (
                f'<path d="M{bx - s * w:.1f} {by:.1f}Q{tx - s * w * 0.6:.1f} {ty + ry * 0.2:.1f} {tx:.1f} {ty:.1f}Q{tx + s * w * 0.2:.1f} {ty + ry * 0.5:.1f} {bx + s * w:.1f} {by + ry * 0.12:.1f}Z" '
                f'fill="{outer}" {sa}/>'
                f'<path d="M{bx - s * w * 0.45:.1f} {by - ry * 0.02:.1f}Q{tx - s * w * 0.35:.1f} {ty + ry * 0.35:.1f} {tx - s * w * 0.05:.1f} {ty + ry * 0.18:.1f}Q{tx:.1f} {ty + ry * 0.55:.1f} {bx + s * w * 0.5:.1f} {by + ry * 0.04:.1f}Z" fill="{inner}"/>'
            )
            if kind == "fox_ears":
                o += f'<path d="M{tx:.1f} {ty:.1f}l{-s * w * 0.25:.1f} {ry * 0.16:.1f}l{s * w * 0.32:.1f} {ry * 0.02:.1f}Z" fill="#2a1a12"/>'
            return o

        return "", _pair(ear)
    if kind in ("droopy_ears", "dish_ears", "earrings"):

        def ear(s):
            ex, ey = cx + s * r * 0.98, cy + ry * 0.05
            if kind == "droopy_ears":
                return f'<path d="M{ex - s * r * 0.05:.1f} {ey - ry * 0.35:.1f}q{s * r * 0.4:.1f} 0 {s * r * 0.3:.1f} {ry * 0.9:.1f}q-{s * r * 0.2:.1f} {ry * 0.1:.1f} -{s * r * 0.3:.1f} -{ry * 0.3:.1f}Z" {A}/>'
            if kind == "dish_ears":
                return (
                    f'<ellipse cx="{ex + s * r * 0.15:.1f}" cy="{ey:.1f}" rx="{r * 0.12:.1f}" ry="{ry * 0.4:.1f}" {A}/>'
                    f'<path d="M{ex + s * r * 0.15:.1f} {ey:.1f}l{s * r * 0.25:.1f} 0" stroke="{detail}" stroke-width="5"/><circle cx="{ex + s * r * 0.4:.1f}" cy="{ey:.1f}" r="8" fill="{detail}"/>'
                )
            return f'<circle cx="{ex:.1f}" cy="{ey + ry * 0.3:.1f}" r="{r * 0.1:.1f}" {A}{glow_attr}/>'

        return "", _pair(ear)
    if kind in ("tail", "slime"):
        hip_y, hw = g["hip_y"], g["hip_w"]
        s = 1 if h % 2 else -1
        sx = cx + s * hw * 0.6
        if "fox" in text or "feather" in text or "peacock" in text:
            tip = "#f7efe4" if "fox" in text else shade(fill, 0.4)
            col = "#e06a1f" if "fox" in text else fill
            d = (
                f"M{sx:.1f} {hip_y - 20:.1f}C{sx + s * hw * 1.2:.1f} {hip_y + 10:.1f} {sx + s * hw * 1.6:.1f} {hip_y - 260:.1f} {sx + s * hw * 1.05:.1f} {hip_y - 330:.1f}"
                f"C{sx + s * hw * 0.9:.1f} {hip_y - 220:.1f} {sx + s * hw * 0.5:.1f} {hip_y - 80:.1f} {sx - s * 10:.1f} {hip_y - 70:.1f}Z"
            )
            tipd = (
                f"M{sx + s * hw * 1.05:.1f} {hip_y - 330:.1f}C{sx + s * hw * 1.4:.1f} {hip_y - 300:.1f} {sx + s * hw * 1.45:.1f} {hip_y - 240:.1f} {sx + s * hw * 1.38:.1f} {hip_y - 215:.1f}"
                f"C{sx + s * hw * 1.2:.1f} {hip_y - 230:.1f} {sx + s * hw * 1.0:.1f} {hip_y - 260:.1f} {sx + s * hw * 1.05:.1f} {hip_y - 330:.1f}Z"
            )
            return f'<path d="{d}" fill="{col}" {sa}/><path d="{tipd}" fill="{tip}" {sa}/>', ""
        d = f"M{sx:.1f} {hip_y:.1f}C{sx + s * hw * 1.4:.1f} {hip_y + 60:.1f} {sx + s * hw * 1.3:.1f} {hip_y - 220:.1f} {sx + s * hw * 0.9:.1f} {hip_y - 250:.1f}"
        w = max(14.0, hw * 0.14)
        return (
            f'<path d="{d}" stroke="{st["color"]}" stroke-width="{w + st["w"] * 2:.1f}" fill="none" stroke-linecap="round"/>'
            f'<path d="{d}" stroke="{fill}" stroke-width="{w:.1f}" fill="none" stroke-linecap="round"{glow_attr}/>'
            f'<path d="{star_path(sx + s * hw * 0.9, hip_y - 250, w * 1.4, w * 0.6, 3)}" {A}/>'
        ), ""
    if kind in ("bat_wings", "butterfly_wings", "stubby_wings", "kite"):
        sy, sw = g["shoulder_y"], g["shoulder_w"]
        span = 0.5 if kind == "stubby_wings" else 1.0

        def wing(s):
            bx = cx + s * sw * 0.5
            if kind == "butterfly_wings":
                return (
                    f'<path d="M{bx:.1f} {sy + 40:.1f}C{bx + s * 300 * span:.1f} {sy - 330:.1f} {bx + s * 380 * span:.1f} {sy - 40:.1f} {bx + s * 60:.1f} {sy + 110:.1f}'
                    f'C{bx + s * 300 * span:.1f} {sy + 150:.1f} {bx + s * 200 * span:.1f} {sy + 330:.1f} {bx:.1f} {sy + 160:.1f}Z" {A} fill-opacity="0.9"{glow_attr}/>'
                    f'<circle cx="{bx + s * 190 * span:.1f}" cy="{sy - 60:.1f}" r="{34 * span:.1f}" fill="{detail}"/>'
                )
            pts = [(bx, sy + 10), (bx + s * 320 * span, sy - 260 * span)]
            d = f"M{bx:.1f} {sy + 10:.1f}L{bx + s * 330 * span:.1f} {sy - 250 * span:.1f}"
            for k in range(4):
                x0 = bx + s * (330 - k * 85) * span
                d += (
                    f"Q{x0 - s * 30 * span:.1f} {sy + (40 + k * 30) * span:.1f} {x0 - s * 85 * span:.1f} {sy + (60 + k * 40) * span:.1f}"
                    if k < 3
                    else f"Q{bx + s * 40:.1f} {sy + 200 * span:.1f} {bx:.1f} {sy + 150:.1f}"
                )
            ribs = "".join(
                f'<path d="M{bx:.1f} {sy + 20:.1f}L{bx + s * (330 - k * 85) * span - s * 85 * span:.1f} {sy + (60 + k * 40) * span:.1f}" stroke="{detail}" stroke-width="3"/>'
                for k in range(3)
            )
            _ = pts
            return f'<path d="{d}Z" {A}{glow_attr}/>' + ribs

        return _pair(wing), ""
    if kind in ("pig_nose", "odd_nose"):
        nx, ny = cx, cy + ry * 0.3
        col = "#f4a7b9" if kind == "pig_nose" and "pig" in text else fill
        w = r * 0.28
        return "", (
            f'<ellipse cx="{nx:.1f}" cy="{ny:.1f}" rx="{w:.1f}" ry="{w * 0.72:.1f}" fill="{col}" {sa}/>'
            f'<ellipse cx="{nx - w * 0.38:.1f}" cy="{ny:.1f}" rx="{w * 0.16:.1f}" ry="{w * 0.28:.1f}" fill="{shade(col, -0.55)}"/>'
            f'<ellipse cx="{nx + w * 0.38:.1f}" cy="{ny:.1f}" rx="{w * 0.16:.1f}" ry="{w * 0.28:.1f}" fill="{shade(col, -0.55)}"/>'
        )
    if kind == "trunk":
        nx, ny = cx, cy + ry * 0.22
        d = f"M{nx:.1f} {ny:.1f}C{nx:.1f} {ny + ry * 0.6:.1f} {nx + r * 0.5:.1f} {ny + ry * 0.8:.1f} {nx + r * 0.55:.1f} {ny + ry * 0.5:.1f}"
        return "", (
            f'<path d="{d}" stroke="{st["color"]}" stroke-width="{r * 0.26 + st["w"] * 2:.1f}" fill="none" stroke-linecap="round"/>'
            f'<path d="{d}" stroke="{fill}" stroke-width="{r * 0.26:.1f}" fill="none" stroke-linecap="round"{glow_attr}/>'
        )
    if kind in ("beak", "pouch"):
        nx, ny = cx, cy + ry * 0.22
        svg = f'<path d="M{nx - r * 0.2:.1f} {ny - ry * 0.08:.1f}L{nx:.1f} {ny + ry * 0.42:.1f}L{nx + r * 0.2:.1f} {ny - ry * 0.08:.1f}Q{nx:.1f} {ny - ry * 0.2:.1f} {nx - r * 0.2:.1f} {ny - ry * 0.08:.1f}Z" {A}/>'
        if kind == "pouch" or "pouch" in text:
            svg += f'<path d="M{nx - r * 0.16:.1f} {ny + ry * 0.1:.1f}Q{nx:.1f} {ny + ry * 0.75:.1f} {nx + r * 0.05:.1f} {ny + ry * 0.4:.1f}Z" fill="{shade(fill, 0.3)}" {sa}/>'
        return "", svg
    if kind in ("eye_stalks", "third_eye", "six_eyes", "odd_eyes", "monocle"):
        ey = cy + ry * 0.02
        if kind == "eye_stalks":

            def stalk(s):
                bx = cx + s * r * 0.3
                return (
                    f'<path d="M{bx:.1f} {top + ry * 0.2:.1f}Q{bx + s * r * 0.1:.1f} {top - ry * 0.3:.1f} {bx + s * r * 0.35:.1f} {top - ry * 0.55:.1f}" stroke="{fill}" stroke-width="{r * 0.09:.1f}" fill="none"/>'
                    f'<circle cx="{bx + s * r * 0.35:.1f}" cy="{top - ry * 0.55:.1f}" r="{r * 0.17:.1f}" fill="#ffffff" {sa}/>'
                    f'<circle cx="{bx + s * r * 0.37:.1f}" cy="{top - ry * 0.55:.1f}" r="{r * 0.08:.1f}" fill="{detail}"/>'
                )

            return "", _pair(stalk)
        if kind == "third_eye":
            return "", (
                f'<ellipse cx="{cx:.1f}" cy="{cy - ry * 0.38:.1f}" rx="{r * 0.14:.1f}" ry="{r * 0.09:.1f}" fill="#ffffff" {sa}/>'
                f'<circle cx="{cx:.1f}" cy="{cy - ry * 0.38:.1f}" r="{r * 0.065:.1f}" fill="{fill}"{glow_attr}/>'
            )
        if kind == "six_eyes":
            return "", "".join(
                f'<circle cx="{cx + s * r * dx:.1f}" cy="{ey + dy * ry:.1f}" r="{r * 0.07:.1f}" fill="#ffffff" {sa}/><circle cx="{cx + s * r * dx:.1f}" cy="{ey + dy * ry:.1f}" r="{r * 0.035:.1f}" fill="#111"/>'
                for s in (-1, 1)
                for dx, dy in ((0.22, -0.28), (0.62, -0.25))
            )
        if kind == "monocle":
            return (
                "",
                f'<circle cx="{cx + r * 0.38:.1f}" cy="{ey:.1f}" r="{r * 0.22:.1f}" fill="none" stroke="{fill}" stroke-width="6"/>',
            )
        # glowing / star / traffic-light eyes
        return "", "".join(
            f'<path d="{star_path(cx + s * r * 0.38, ey, r * 0.13, r * 0.05, 4 if "four" in text else 5)}" fill="{fill}" {sa}{glow_attr}/>'
            for s in (-1, 1)
        )
    if kind in ("metal_hands", "claws", "pincers", "paws", "fingers", "tool_hand", "bracers", "muscles"):
        out = []
        for hx, hy in hands:
            if kind == "metal_hands":
                out.append(
                    f'<rect x="{hx - hr * 1.05:.1f}" y="{hy - hr * 1.25:.1f}" width="{hr * 2.1:.1f}" height="{hr * 1.0:.1f}" rx="{hr * 0.25:.1f}" fill="{shade(fill, -0.12)}" {sa}/>'
                    f'<path d="M{hx - hr:.1f} {hy - hr * 0.35:.1f}h{hr * 2:.1f}v{hr * 0.6:.1f}q0 {hr * 0.9:.1f} -{hr:.1f} {hr * 0.9:.1f}q-{hr:.1f} 0 -{hr:.1f} -{hr * 0.9:.1f}Z" fill="{fill}" {sa}/>'
                    + "".join(
                        f'<path d="M{hx + k * hr * 0.5:.1f} {hy + hr * 0.1:.1f}v{hr * 0.75:.1f}" stroke="{detail}" stroke-width="3"/>'
                        for k in (-1, 0, 1)
                    )
                    + "".join(
                        f'<circle cx="{hx + k * hr * 0.7:.1f}" cy="{hy - hr * 0.8:.1f}" r="{max(2.5, hr * 0.09):.1f}" fill="{detail}"/>'
                        for k in (-1, 0, 1)
                    )
                    + f'<path d="M{hx - hr * 0.7:.1f} {hy - hr * 0.1:.1f}h{hr * 0.5:.1f}" stroke="#ffffff" stroke-opacity="0.8" stroke-width="4" stroke-linecap="round"/>'
                )
            elif kind == "claws":
                out.append(
                    "".join(
                        f'<path d="M{hx + k * hr * 0.55 - 6:.1f} {hy + hr * 0.6:.1f}q4 {hr * 0.9:.1f} {hr * 0.35:.1f} {hr * 1.1:.1f}q-6 -{hr * 0.6:.1f} 2 -{hr * 1.1:.1f}Z" {A}/>'
                        for k in (-1, 0, 1)
                    )
                )
            elif kind == "pincers":
                out.append(
                    f'<path d="M{hx - hr * 1.1:.1f} {hy:.1f}C{hx - hr * 1.5:.1f} {hy + hr * 2.2:.1f} {hx + hr * 0.8:.1f} {hy + hr * 2.4:.1f} {hx + hr * 0.2:.1f} {hy + hr * 0.8:.1f}L{hx - hr * 0.1:.1f} {hy + hr * 1.2:.1f}L{hx - hr * 0.3:.1f} {hy + hr * 0.2:.1f}Z" {A}/>'
                    f'<path d="M{hx + hr * 1.1:.1f} {hy:.1f}C{hx + hr * 1.6:.1f} {hy + hr * 1.6:.1f} {hx + hr * 0.9:.1f} {hy + hr * 1.9:.1f} {hx + hr * 0.5:.1f} {hy + hr * 1.1:.1f}Z" {A}/>'
                )
            elif kind == "paws":
                out.append(
                    f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="{hr * 1.15:.1f}" {A}/>'
                    + "".join(
                        f'<circle cx="{hx + k * hr * 0.45:.1f}" cy="{hy + hr * 0.5 - abs(k) * hr * 0.15:.1f}" r="{hr * 0.22:.1f}" fill="{detail}"/>'
                        for k in (-1, 0, 1)
                    )
                    + f'<ellipse cx="{hx:.1f}" cy="{hy - hr * 0.1:.1f}" rx="{hr * 0.4:.1f}" ry="{hr * 0.3:.1f}" fill="{detail}"/>'
                )
            elif kind == "fingers":
                out.append(
                    "".join(
                        f'<path d="M{hx + k * hr * 0.45:.1f} {hy + hr * 0.6:.1f}v{hr * 0.9:.1f}" stroke="{fill}" stroke-width="{hr * 0.28:.1f}" stroke-linecap="round"/>'
                        for k in (-1, 0, 1)
                    )
                )
            elif kind == "tool_hand":
                out.append(
                    f'<path d="M{hx:.1f} {hy - hr * 0.2:.1f}L{hx:.1f} {hy + hr * 3.2:.1f}" stroke="{detail}" stroke-width="{hr * 0.3:.1f}" stroke-linecap="round"/>'
                    f'<path d="{star_path(hx, hy + hr * 3.2, hr * 0.9, hr * 0.35, 3, math.pi / 2)}" {A}/>'
                )
                break
            elif kind == "bracers":
                out.append(
                    f'<rect x="{hx - hr * 0.95:.1f}" y="{hy - hr * 2.2:.1f}" width="{hr * 1.9:.1f}" height="{hr * 1.4:.1f}" rx="6" {A}/>'
                    f'<path d="M{hx - hr * 0.95:.1f} {hy - hr * 1.5:.1f}h{hr * 1.9:.1f}" stroke="{detail}" stroke-width="4"/>'
                )
            else:
                out.append(
                    f'<ellipse cx="{hx:.1f}" cy="{hy - hr * 3:.1f}" rx="{hr * 1.3:.1f}" ry="{hr * 1.1:.1f}" {A}/>'
                )
        return "", "".join(out)
    if kind in ("tool_arm",):
        hx, hy = hands[1]
        return "", (
            f'<rect x="{hx - hr * 0.6:.1f}" y="{hy - hr * 0.6:.1f}" width="{hr * 1.2:.1f}" height="{hr * 3.2:.1f}" rx="6" {A}/>'
            + "".join(
                f'<path d="M{hx - hr * 0.6:.1f} {hy + k * hr * 0.5:.1f}l-{hr * 0.3:.1f} {hr * 0.2:.1f}M{hx + hr * 0.6:.1f} {hy + k * hr * 0.5:.1f}l{hr * 0.3:.1f} {hr * 0.2:.1f}" stroke="{detail}" stroke-width="4"/>'
                for k in range(5)
            )
        )
    if kind == "pauldrons":
        sy, sw = g["shoulder_y"], g["shoulder_w"]
        return "", _pair(
            lambda s: (
                f'<path d="M{cx + s * sw * 0.55:.1f} {sy + 5:.1f}Q{cx + s * (sw + 45):.1f} {sy - 40:.1f} {cx + s * (sw + 35):.1f} {sy + 80:.1f}L{cx + s * sw * 0.7:.1f} {sy + 60:.1f}Z" {A}{glow_attr}/>'
            )
        )
    if kind in ("plume", "mane", "crest", "quills", "odd_hair", "fleece", "back_spikes"):
        n = 7 if kind != "plume" else 5
        spikes = []
        for k in range(n):
            a = math.pi * (1.05 + 0.9 * k / (n - 1))
            rr = (1.55 if kind in ("plume", "crest") else 1.35) * (1.1 if k in (n // 2,) else 1.0)
            bx, by = cx + math.cos(a) * r * 0.85, cy + math.sin(a) * ry * 0.85
            tx, ty = cx + math.cos(a) * r * rr, cy + math.sin(a) * ry * rr
            w = 0.16 if kind != "plume" else 0.22
            lx, ly = cx + math.cos(a - w) * r * 0.9, cy + math.sin(a - w) * ry * 0.9
            qx, qy = cx + math.cos(a + w) * r * 0.9, cy + math.sin(a + w) * ry * 0.9
            if kind in ("plume", "mane", "fleece"):
                spikes.append(
                    f'<path d="M{lx:.1f} {ly:.1f}Q{tx + (bx - cx) * 0.1:.1f} {ty - 30:.1f} {tx:.1f} {ty:.1f}Q{tx:.1f} {ty + 20:.1f} {qx:.1f} {qy:.1f}Z" {A}{glow_attr}/>'
                )
            else:
                spikes.append(f'<path d="M{lx:.1f} {ly:.1f}L{tx:.1f} {ty:.1f}L{qx:.1f} {qy:.1f}Z" {A}{glow_attr}/>')
        if kind == "back_spikes":
            return "".join(spikes), ""
        return "".join(spikes), ""
    if kind in ("beard", "whiskers"):
        if kind == "whiskers":
            return "", "".join(
                f'<path d="M{cx + s * r * 0.25:.1f} {cy + ry * 0.38 + k * 10:.1f}l{s * r * 0.6:.1f} {k * 14 - 12:.1f}" stroke="{fill}" stroke-width="4" stroke-linecap="round"{glow_attr}/>'
                for s in (-1, 1)
                for k in range(3)
            )
        return (
            "",
            f'<path d="M{cx - r * 0.7:.1f} {cy + ry * 0.3:.1f}Q{cx:.1f} {cy + ry * 0.7:.1f} {cx + r * 0.7:.1f} {cy + ry * 0.3:.1f}Q{cx + r * 0.4:.1f} {cy + ry * 1.9:.1f} {cx:.1f} {cy + ry * 2.0:.1f}Q{cx - r * 0.4:.1f} {cy + ry * 1.9:.1f} {cx - r * 0.7:.1f} {cy + ry * 0.3:.1f}Z" {A}{glow_attr}/>',
        )
    if kind in ("scales", "skin_pattern", "freckles", "tattoo", "zippers"):
        sy, sw, ww = g["shoulder_y"], g["shoulder_w"], g["waist_w"]
        if kind == "freckles":
            return "", "".join(
                f'<circle cx="{cx + s * r * (0.35 + 0.1 * (k % 3)):.1f}" cy="{cy + ry * (0.2 + 0.06 * (k // 3)):.1f}" r="4" fill="{fill}"/>'
                for s in (-1, 1)
                for k in range(6)
            )
        if kind == "tattoo":
            return (
                "",
                f'<rect x="{cx - r * 0.3:.1f}" y="{cy - ry * 0.55:.1f}" width="{r * 0.6:.1f}" height="{ry * 0.14:.1f}" fill="{fill}" {sa}/>',
            )
        if kind == "zippers":
            return "", "".join(
                f'<path d="M{cx + s * (sw + 10):.1f} {sy + 40:.1f}L{hands[0 if s < 0 else 1][0]:.1f} {hands[0][1] - hr * 1.5:.1f}" stroke="{fill}" stroke-width="6" stroke-dasharray="6 4"/>'
                for s in (-1, 1)
            )
        # scale plates across the shoulders and a patch on each cheek
        out = []
        for row in range(3):
            for k in range(-4, 5):
                x = cx + k * sw * 0.24 + (row % 2) * sw * 0.12
                y = sy + 25 + row * 26
                if abs(x - cx) < sw * 0.98:
                    out.append(f'<path d="M{x - 14:.1f} {y:.1f}q14 26 28 0" fill="{fill}" {sa}/>')
        out += [
            f'<path d="M{cx + s * r * 0.55:.1f} {cy + ry * 0.35:.1f}q8 14 16 0q8 14 16 0" fill="none" stroke="{fill}" stroke-width="4"/>'
            for s in (-1, 1)
        ]
        return "", "".join(out)
    if kind in ("halo", "crown"):
        if kind == "halo":
            return (
                f'<ellipse cx="{cx:.1f}" cy="{top - ry * 0.25:.1f}" rx="{r * 0.75:.1f}" ry="{ry * 0.16:.1f}" fill="none" stroke="{fill}" stroke-width="{r * 0.09:.1f}"{glow_attr}/>',
                f'<path d="M{cx - r * 0.75:.1f} {top - ry * 0.25:.1f}A{r * 0.75:.1f} {ry * 0.16:.1f} 0 0 0 {cx + r * 0.75:.1f} {top - ry * 0.25:.1f}" fill="none" stroke="{fill}" stroke-width="{r * 0.09:.1f}"{glow_attr}/>',
            )
        y0 = top + ry * 0.12
        return "", (
            f'<path d="M{cx - r * 0.55:.1f} {y0:.1f}L{cx - r * 0.62:.1f} {y0 - ry * 0.42:.1f}L{cx - r * 0.3:.1f} {y0 - ry * 0.2:.1f}L{cx:.1f} {y0 - ry * 0.5:.1f}L{cx + r * 0.3:.1f} {y0 - ry * 0.2:.1f}L{cx + r * 0.62:.1f} {y0 - ry * 0.42:.1f}L{cx + r * 0.55:.1f} {y0:.1f}Z" {A}/>'
            f'<circle cx="{cx:.1f}" cy="{y0 - ry * 0.14:.1f}" r="{r * 0.06:.1f}" fill="{detail}"/>'
        )
    if kind in ("odd_hat", "propeller", "odd_head"):
        y0 = top + ry * 0.2
        svg = (
            f'<path d="M{cx - r * 0.8:.1f} {y0:.1f}Q{cx:.1f} {y0 - ry * 1.3:.1f} {cx + r * 0.2:.1f} {y0 - ry * 1.15:.1f}Q{cx + r * 0.5:.1f} {y0 - ry * 0.6:.1f} {cx + r * 0.8:.1f} {y0:.1f}Z" {A}/>'
            f'<rect x="{cx - r * 0.88:.1f}" y="{y0 - 14:.1f}" width="{r * 1.76:.1f}" height="28" rx="12" fill="{detail}" {sa}/>'
        )
        if kind == "propeller":
            svg += f'<path d="M{cx + r * 0.2:.1f} {y0 - ry * 1.15:.1f}l-{r * 0.5:.1f} -20l0 40Zm0 0l{r * 0.5:.1f} -20l0 40Z" fill="{detail}" {sa}/>'
        return "", svg
    if kind == "mask":
        return "", (
            f'<path d="M{cx - r * 0.82:.1f} {cy - ry * 0.35:.1f}Q{cx:.1f} {cy - ry * 0.6:.1f} {cx + r * 0.82:.1f} {cy - ry * 0.35:.1f}L{cx + r * 0.7:.1f} {cy + ry * 0.45:.1f}Q{cx:.1f} {cy + ry * 0.85:.1f} {cx - r * 0.7:.1f} {cy + ry * 0.45:.1f}Z" {A} fill-opacity="0.92"/>'
            + "".join(
                f'<ellipse cx="{cx + s * r * 0.36:.1f}" cy="{cy:.1f}" rx="{r * 0.15:.1f}" ry="{ry * 0.1:.1f}" fill="#111"/>'
                for s in (-1, 1)
            )
        )
    if kind in ("antennae", "tendrils", "lure"):
        n = 1 if kind == "lure" else 2
        out = []
        for k in range(n):
            s = -1 if k == 0 and n == 2 else 1
            bx, by = cx + s * r * 0.25 * (n - 1), top + ry * 0.1
            wig = 1 if kind == "antennae" else 2.2
            d = f"M{bx:.1f} {by:.1f}C{bx + s * r * 0.2 * wig:.1f} {by - ry * 0.5:.1f} {bx - s * r * 0.3 * wig:.1f} {by - ry * 0.7:.1f} {bx + s * r * 0.35:.1f} {by - ry * 0.95:.1f}"
            out.append(
                f'<path d="{d}" stroke="{st["color"]}" stroke-width="{10 + st["w"] * 2:.1f}" fill="none" stroke-linecap="round"/>'
                f'<path d="{d}" stroke="{fill}" stroke-width="10" fill="none" stroke-linecap="round"/>'
                f'<circle cx="{bx + s * r * 0.35:.1f}" cy="{by - ry * 0.95:.1f}" r="{r * 0.1:.1f}" fill="{detail if kind != "lure" else "#fff27a"}" {sa}{glow_attr}/>'
            )
        if kind == "tendrils":
            hip_y = g["hip_y"]
            out.append(
                _pair(
                    lambda s: (
                        f'<path d="M{cx + s * g["waist_w"] * 0.8:.1f} {hip_y - 40:.1f}q{s * 80:.1f} 40 {s * 40:.1f} 120t{s * 60:.1f} 100" stroke="{fill}" stroke-width="16" fill="none" stroke-linecap="round"/>'
                    )
                )
            )
        return "", "".join(out)
    if kind in ("fins", "gills", "blowhole", "neck_frill", "collar"):
        if kind == "fins":
            return "", _pair(
                lambda s: (
                    f'<path d="M{cx + s * r * 0.95:.1f} {cy - ry * 0.2:.1f}L{cx + s * r * 1.45:.1f} {cy - ry * 0.5:.1f}L{cx + s * r * 1.3:.1f} {cy + ry * 0.1:.1f}L{cx + s * r * 1.45:.1f} {cy + ry * 0.4:.1f}L{cx + s * r * 0.95:.1f} {cy + ry * 0.25:.1f}Z" {A}{glow_attr}/>'
                )
            )
        if kind == "gills":
            return "", _pair(
                lambda s: "".join(
                    f'<path d="M{cx + s * r * (0.55 - k * 0.08):.1f} {cy + ry * (0.55 + k * 0.06):.1f}q{s * 12:.1f} 12 0 26" stroke="{fill}" stroke-width="5" fill="none"/>'
                    for k in range(3)
                )
            )
        if kind == "blowhole":
            return (
                "",
                f'<ellipse cx="{cx:.1f}" cy="{top + 12:.1f}" rx="20" ry="8" fill="#222"/><path d="M{cx:.1f} {top:.1f}q-30 -60 -60 -40M{cx:.1f} {top:.1f}q30 -60 60 -40M{cx:.1f} {top:.1f}v-70" stroke="#8fd3ff" stroke-width="8" fill="none" stroke-linecap="round"/>',
            )
        ny = g["shoulder_y"]
        if kind == "neck_frill":
            return f'<path d="{star_path(cx, ny - 10, r * 1.25, r * 0.85, 9)}" {A}{glow_attr}/>', ""
        return (
            "",
            f'<path d="M{cx - r * 0.6:.1f} {ny - 10:.1f}Q{cx:.1f} {ny + 40:.1f} {cx + r * 0.6:.1f} {ny - 10:.1f}L{cx + r * 0.6:.1f} {ny + 14:.1f}Q{cx:.1f} {ny + 64:.1f} {cx - r * 0.6:.1f} {ny + 14:.1f}Z" {A}{glow_attr}/>',
        )
    if kind == "shell":
        sy, sw = g["shoulder_y"], g["shoulder_w"]
        rr = max(sw, g["waist_w"]) * 1.2
        return (
            f'<ellipse cx="{cx:.1f}" cy="{sy + 130:.1f}" rx="{rr:.1f}" ry="{rr * 0.9 + 40:.1f}" {A}/>'
            + "".join(
                f'<path d="{star_path(cx + dx * rr * 0.5, sy + 130 + dy * rr * 0.45, rr * 0.28, rr * 0.24, 6, 0)}" fill="none" stroke="{detail}" stroke-width="4"/>'
                for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1))
            )
        ), ""
    if kind in ("fangs", "tusks", "mandibles", "big_mouth", "tongue"):
        my = cy + ry * 0.55
        if kind == "fangs":
            return "", _pair(
                lambda s: (
                    f'<path d="M{cx + s * r * 0.12:.1f} {my - 4:.1f}l{s * r * 0.07:.1f} 0l{-s * r * 0.035:.1f} {ry * 0.16:.1f}Z" {A}/>'
                )
            )
        if kind == "tusks":
            return "", _pair(
                lambda s: (
                    f'<path d="M{cx + s * r * 0.25:.1f} {my:.1f}Q{cx + s * r * 0.45:.1f} {my - ry * 0.05:.1f} {cx + s * r * 0.5:.1f} {my - ry * 0.35:.1f}Q{cx + s * r * 0.32:.1f} {my - ry * 0.1:.1f} {cx + s * r * 0.2:.1f} {my + 10:.1f}Z" {A}/>'
                )
            )
        if kind == "mandibles":
            return "", _pair(
                lambda s: (
                    f'<path d="M{cx + s * r * 0.4:.1f} {my - ry * 0.1:.1f}Q{cx + s * r * 0.55:.1f} {my + ry * 0.4:.1f} {cx + s * r * 0.08:.1f} {my + ry * 0.45:.1f}Q{cx + s * r * 0.35:.1f} {my + ry * 0.25:.1f} {cx + s * r * 0.25:.1f} {my:.1f}Z" {A}/>'
                )
            )
        if kind == "tongue":
            return (
                "",
                f'<path d="M{cx - 12:.1f} {my:.1f}q0 {ry * 0.5:.1f} 40 {ry * 0.6:.1f}q30 -5 10 -30" stroke="#e05a84" stroke-width="16" fill="none" stroke-linecap="round"/>',
            )
        return (
            "",
            f'<path d="M{cx - r * 0.45:.1f} {my - 10:.1f}Q{cx:.1f} {my + ry * 0.35:.1f} {cx + r * 0.45:.1f} {my - 10:.1f}Z" fill="#3a0d12" {sa}/>'
            + "".join(
                f'<path d="M{cx + k * r * 0.12 - 7:.1f} {my - 9:.1f}l7 14l7 -14Z" fill="#ffffff"/>'
                for k in range(-3, 4)
            ),
        )
    if kind in ("hooves", "odd_feet", "knee_spurs", "odd_legs"):
        fy = g["feet_y"]
        out = []
        for fx in g["feet_x"]:
            if kind == "knee_spurs":
                ky = (g["hip_y"] + fy) / 2
                out.append(f'<path d="M{fx - 14:.1f} {ky:.1f}l14 -40l14 40Z" {A}{glow_attr}/>')
            else:
                out.append(
                    f'<path d="M{fx - 36:.1f} {fy - 40:.1f}h72l8 40h-88Z" {A}/><path d="M{fx:.1f} {fy - 12:.1f}v12" stroke="{detail}" stroke-width="5"/>'
                )
        return "", "".join(out)
    if kind == "stinger":
        hip_y, hw = g["hip_y"], g["hip_w"]
        d = f"M{cx + hw * 0.5:.1f} {hip_y:.1f}C{cx + hw * 1.5:.1f} {hip_y + 40:.1f} {cx + hw * 1.6:.1f} {hip_y - 300:.1f} {cx + hw * 1.0:.1f} {hip_y - 320:.1f}"
        return (
            f'<path d="{d}" stroke="{fill}" stroke-width="26" fill="none" stroke-linecap="round" stroke-dasharray="34 6"/>'
            f'<path d="M{cx + hw * 1.0 - 20:.1f} {hip_y - 310:.1f}L{cx + hw * 0.7:.1f} {hip_y - 370:.1f}L{cx + hw * 1.0 + 20:.1f} {hip_y - 330:.1f}Z" {A}/>'
        ), ""
    if kind in (
        "belly",
        "chest_device",
        "back_key",
        "vents",
        "hoop",
        "apron",
        "bag",
        "cape",
        "tears",
        "cheeks",
        "aura",
    ):
        sy, ww = g["shoulder_y"], g["waist_w"]
        by = g["waist_y"]
        if kind == "belly":
            return (
                "",
                f'<circle cx="{cx:.1f}" cy="{by - 20:.1f}" r="{max(30, ww * 0.35):.1f}" {A}{glow_attr}/><circle cx="{cx:.1f}" cy="{by - 20:.1f}" r="{max(30, ww * 0.35) * 0.55:.1f}" fill="none" stroke="{detail}" stroke-width="5"/>',
            )
        if kind == "chest_device":
            return (
                "",
                f'<rect x="{cx - 40:.1f}" y="{sy + 60:.1f}" width="80" height="70" rx="12" {A}{glow_attr}/><path d="M{cx - 20:.1f} {sy + 95:.1f}h40M{cx:.1f} {sy + 75:.1f}v40" stroke="{detail}" stroke-width="6"/>',
            )
        if kind == "back_key":
            return (
                f'<path d="M{cx:.1f} {sy + 120:.1f}L{cx + ww + 90:.1f} {sy + 40:.1f}" stroke="{fill}" stroke-width="14"/><circle cx="{cx + ww + 110:.1f}" cy="{sy + 28:.1f}" r="34" fill="none" stroke="{fill}" stroke-width="14"/>',
                "",
            )
        if kind == "vents":
            return "", _pair(
                lambda s: (
                    f'<path d="M{cx + s * g["shoulder_w"] * 0.8:.1f} {sy:.1f}q{s * -20:.1f} -40 0 -70q{s * 20:.1f} -30 0 -60" stroke="#e8eef4" stroke-opacity="0.85" stroke-width="18" fill="none" stroke-linecap="round"/>'
                )
            )
        if kind == "hoop":
            return (
                "",
                f'<ellipse cx="{cx:.1f}" cy="{by + 30:.1f}" rx="{ww + 90:.1f}" ry="40" fill="none" stroke="{fill}" stroke-width="14"/>',
            )
        if kind in ("cape", "apron"):
            return (
                f'<path d="M{cx - g["shoulder_w"]:.1f} {sy:.1f}L{cx - g["shoulder_w"] - 80:.1f} {g["feet_y"] - 30:.1f}L{cx + g["shoulder_w"] + 80:.1f} {g["feet_y"] - 30:.1f}L{cx + g["shoulder_w"]:.1f} {sy:.1f}Z" {A}/>',
                "",
            )
        if kind == "bag":
            return (
                "",
                f'<path d="M{cx - ww:.1f} {sy + 20:.1f}L{cx + ww + 40:.1f} {by + 30:.1f}" stroke="{detail}" stroke-width="10"/><rect x="{cx + ww:.1f}" y="{by:.1f}" width="110" height="90" rx="14" {A}/>',
            )
        if kind == "tears":
            return "", _pair(
                lambda s: (
                    f'<path d="M{cx + s * r * 0.38:.1f} {cy + ry * 0.15:.1f}q-12 24 0 30q12 -6 0 -30Z" fill="{fill}" {sa}/>'
                )
            )
        if kind == "cheeks":
            return "", _pair(
                lambda s: (
                    f'<ellipse cx="{cx + s * r * 0.55:.1f}" cy="{cy + ry * 0.3:.1f}" rx="{r * 0.15:.1f}" ry="{ry * 0.08:.1f}" fill="{fill}" fill-opacity="0.8"/>'
                )
            )
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r * 1.5:.1f}" fill="{fill}" fill-opacity="0.35"/>', ""
    # unknown kind: a small floating emblem beside the head
    return "", f'<path d="{star_path(cx + r * 1.25, top + ry * 0.2, r * 0.25, r * 0.1, 6)}" {A}/>'
