"""Emulsions: numbered, named image styles a portrait is rendered in.

``gene_data/emulsions.csv`` holds one row per emulsion. Ids (``E0042``) are
stable forever: a row may be retired but never renumbered. The diffusion
renderer uses the style words, negative words, sampler, steps, guidance and
size; the procedural renderer uses ``line_weight``, ``palette``, ``texture`` and
``finish`` (the style family whose look it gives, see ``pipeline.render.styles``; a
``diffusion_only`` emulsion is never offered for procedural rendering). ``artists`` is private: never shown publicly, and an artist's
opt-out removes every emulsion that names them.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import UnknownNameError
from .paths import GENE_DATA
from .records import EMULSION_COLUMNS as COLUMNS, Emulsion, Finish, Palette, Sampler, Texture, values
from .sources.base import SourceError, read_table

EMULSIONS_CSV = GENE_DATA / "emulsions.csv"

DEFAULT_EMULSION_ID = "E0001"
"""The emulsion of a gene's first portrait, and of ``iconoplasm render`` without ``--emulsion``."""

SAMPLERS = values(Sampler)
PALETTES = values(Palette)
TEXTURES = values(Texture)
FINISHES = values(Finish)

_ID = re.compile(r"^E\d{4}$")


class UnknownEmulsionError(UnknownNameError):
    """An emulsion id that is not in the table."""


def load_emulsions(path: Path = EMULSIONS_CSV) -> dict[str, Emulsion]:
    """All emulsions by id, validated (unique well-formed ids, known sampler/palette/texture/finish)."""
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
        unknown = [
            f"{eid}: {field} {row[field]!r} not one of {', '.join(allowed)}"
            for field, allowed in (
                ("sampler", SAMPLERS),
                ("palette", PALETTES),
                ("texture", TEXTURES),
                ("finish", FINISHES),
            )
            if row[field] not in allowed
        ]
        if unknown:
            problems.extend(unknown)
            continue
        try:
            emulsions[eid] = Emulsion(
                emulsion_id=eid,
                name=row["name"],
                style_words=row["style_words"],
                negative_words=row["negative_words"],
                sampler=Sampler(row["sampler"]),
                steps=int(row["steps"]),
                guidance=float(row["guidance"]),
                width=int(row["width"]),
                height=int(row["height"]),
                line_weight=float(row["line_weight"]),
                palette=Palette(row["palette"]),
                texture=Texture(row["texture"]),
                finish=Finish(row["finish"]),
                artists=row.get("artists", "") or "",
            )
        except ValueError as exc:
            problems.append(f"{eid}: {exc}")
    if problems:
        raise SourceError(f"{path}: invalid emulsions: " + "; ".join(problems[:10]))
    return emulsions


def procedural_emulsions(emulsions: dict[str, Emulsion] | None = None) -> dict[str, Emulsion]:
    """The emulsions the procedural renderer draws (every one not marked ``diffusion_only``)."""
    emulsions = emulsions if emulsions is not None else load_emulsions()
    return {eid: emulsion for eid, emulsion in emulsions.items() if emulsion.procedural}


def get_emulsion(emulsion_id: str, emulsions: dict[str, Emulsion] | None = None) -> Emulsion:
    emulsions = emulsions if emulsions is not None else load_emulsions()
    try:
        return emulsions[emulsion_id]
    except KeyError:
        raise UnknownEmulsionError(
            f"unknown emulsion {emulsion_id!r} (ids look like E0042; see gene_data/emulsions.csv)"
        ) from None
