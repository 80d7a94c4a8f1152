"""Emulsions: numbered, named image styles a portrait is rendered in.

``gene_data/emulsions.csv`` holds one row per emulsion. Ids (``E0042``) are
stable forever: a row may be retired but never renumbered. The diffusion
renderer uses the style words, negative words, sampler, steps, guidance and
size; the procedural renderer uses ``line_weight``, ``palette`` and
``texture``. ``artists`` is private: never shown publicly, and an artist's
opt-out removes every emulsion that names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnknownNameError
from ..paths import GENE_DATA
from ..sources.base import SourceError, read_table

EMULSIONS_CSV = GENE_DATA / "emulsions.csv"

COLUMNS = [
    "emulsion_id", "name", "style_words", "negative_words", "sampler", "steps", "guidance",
    "width", "height", "line_weight", "palette", "texture", "artists",
]
SAMPLERS = ("euler", "euler_a", "dpmpp_2m", "dpmpp_2m_karras", "ddim", "pndm", "lms", "heun", "unipc")
PALETTES = ("natural", "pastel", "noir", "sepia", "duotone", "neon", "muted", "vivid", "risograph", "watercolour")
TEXTURES = ("none", "grain", "halftone", "hatching", "paper", "scanlines", "canvas", "stipple")

_ID = re.compile(r"^E\d{4}$")


class UnknownEmulsionError(UnknownNameError):
    """An emulsion id that is not in the table."""


@dataclass(frozen=True)
class Emulsion:
    emulsion_id: str
    name: str
    style_words: str
    negative_words: str
    sampler: str
    steps: int
    guidance: float
    width: int
    height: int
    line_weight: float
    palette: str
    texture: str
    artists: str = ""

    @property
    def public(self) -> dict:
        """Every field except the private artist names."""
        return {k: v for k, v in self.__dict__.items() if k != "artists"}


def load_emulsions(path: Path = EMULSIONS_CSV) -> dict[str, Emulsion]:
    """All emulsions by id, validated (unique well-formed ids, known sampler/palette/texture)."""
    frame = read_table(path, [c for c in COLUMNS if c != "artists"], sep=",", dtype=str, keep_default_na=False)
    problems: list[str] = []
    duplicated = frame.loc[frame["emulsion_id"].duplicated(), "emulsion_id"].tolist()
    if duplicated:
        problems.append(f"duplicate ids {duplicated}")
    emulsions: dict[str, Emulsion] = {}
    for row in frame.to_dict("records"):
        eid = row["emulsion_id"]
        if not _ID.match(eid):
            problems.append(f"{eid!r}: id must look like E0042")
        for field, allowed in (("sampler", SAMPLERS), ("palette", PALETTES), ("texture", TEXTURES)):
            if row[field] not in allowed:
                problems.append(f"{eid}: {field} {row[field]!r} not one of {', '.join(allowed)}")
        try:
            emulsions[eid] = Emulsion(
                emulsion_id=eid, name=row["name"], style_words=row["style_words"], negative_words=row["negative_words"],
                sampler=row["sampler"], steps=int(row["steps"]), guidance=float(row["guidance"]),
                width=int(row["width"]), height=int(row["height"]), line_weight=float(row["line_weight"]),
                palette=row["palette"], texture=row["texture"], artists=row.get("artists", "") or "",
            )
        except ValueError as exc:
            problems.append(f"{eid}: {exc}")
    if problems:
        raise SourceError(f"{path}: invalid emulsions: " + "; ".join(problems[:10]))
    return emulsions


def get_emulsion(emulsion_id: str, emulsions: dict[str, Emulsion] | None = None) -> Emulsion:
    emulsions = emulsions if emulsions is not None else load_emulsions()
    try:
        return emulsions[emulsion_id]
    except KeyError:
        raise UnknownEmulsionError(f"unknown emulsion {emulsion_id!r} (ids look like E0042; see gene_data/emulsions.csv)") from None
