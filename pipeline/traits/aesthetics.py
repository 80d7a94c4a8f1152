"""Fashion style(s) of a character: Pfam clan -> Aesthetics Wiki style.

Two curated tables in ``gene_data/mappings`` drive this trait:

``aesthetics.csv`` (name, family, description)
    Every style the project may dress a character in.  ``name`` is an
    Aesthetics Wiki page title, ``family`` a small grouping label (related
    clans get styles of one family), ``description`` a one-line summary written
    for this project.  Rows whose family is ``fallback`` form the fallback
    pool: they are never mapped to a clan and dress genes that have no clan.

``clan_aesthetics.csv`` (clan_acc, clan_name, aesthetic, curated[, rationale])
    Exactly one style per Pfam clan, one clan per style, so a style on a
    character always points back to a single fold.  ``curated`` is ``true`` for
    hand-picked rows and ``false`` for rows filled by
    :mod:`pipeline.traits.suggest`; the suggester never touches curated rows.

Both loaders validate eagerly and raise :class:`AestheticsError` naming the
file and the offending rows, because a silently broken mapping would give
thousands of characters the wrong clothes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import IconoplasmError
from ..paths import GENE_DATA

MAPPINGS_DIR = GENE_DATA / "mappings"
AESTHETICS_CSV = MAPPINGS_DIR / "aesthetics.csv"
CLAN_AESTHETICS_CSV = MAPPINGS_DIR / "clan_aesthetics.csv"

AESTHETIC_COLUMNS = ["name", "family", "description"]
CLAN_COLUMNS = ["clan_acc", "clan_name", "aesthetic", "curated"]
OPTIONAL_CLAN_COLUMNS = ["rationale"]

FALLBACK_FAMILY = "fallback"
MAX_AESTHETICS = 4

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class AestheticsError(IconoplasmError, ValueError):
    """A mapping table is malformed (missing columns, duplicates, unknown names)."""


@dataclass(frozen=True)
class AestheticMapping:
    """Everything needed to dress a gene: clan -> style and the fallback pool."""

    aesthetics: pd.DataFrame
    clans: pd.DataFrame
    clan_to_aesthetic: dict[str, str]
    fallback_pool: list[str]


def _read_csv(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """Read a CSV as strings and check that the required columns are present."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise AestheticsError(f"{path}: file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise AestheticsError(f"{path}: not a readable CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise AestheticsError(
            f"{path}: missing columns {', '.join(missing)} (expected {', '.join(required)}; found {', '.join(frame.columns)})"
        )
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame


def _duplicates(values: pd.Series) -> list[str]:
    return sorted(values[values.duplicated(keep=False)].unique().tolist())


def load_aesthetics(path: Path = AESTHETICS_CSV) -> pd.DataFrame:
    """Read and validate ``aesthetics.csv``: unique, non-empty names, family and description."""
    frame = _read_csv(path, AESTHETIC_COLUMNS)
    for column in AESTHETIC_COLUMNS:
        empty = frame.index[frame[column] == ""].tolist()
        if empty:
            raise AestheticsError(f"{path}: empty {column} in data rows {[i + 1 for i in empty[:10]]}")
    duplicated = _duplicates(frame["name"])
    if duplicated:
        raise AestheticsError(f"{path}: duplicate aesthetic names: {', '.join(duplicated[:20])}")
    return frame[AESTHETIC_COLUMNS].reset_index(drop=True)


def _parse_curated(frame: pd.DataFrame, path: Path) -> pd.Series:
    lowered = frame["curated"].str.lower()
    bad = frame.loc[~lowered.isin(_TRUE | _FALSE), "clan_acc"].tolist()
    if bad:
        raise AestheticsError(f"{path}: curated must be true or false; bad rows for clans {', '.join(bad[:20])}")
    return lowered.isin(_TRUE)


def validate_clan_aesthetics(
    frame: pd.DataFrame, aesthetics: pd.DataFrame, path: Path | str = "<clan aesthetics>"
) -> None:
    """Raise :class:`AestheticsError` unless ``frame`` is a valid one-to-one clan -> style map.

    Checks: no clan mapped twice, no style used by two clans, every style known
    in ``aesthetics``, and no fallback-pool style given to a clan (those must
    stay free so clan-less genes never look like they had a fold).
    """
    for column in ("clan_acc", "aesthetic"):
        empty = frame.index[frame[column] == ""].tolist()
        if empty:
            raise AestheticsError(f"{path}: empty {column} in data rows {[i + 1 for i in empty[:10]]}")
    twice = _duplicates(frame["clan_acc"])
    if twice:
        raise AestheticsError(f"{path}: clan mapped twice: {', '.join(twice[:20])}")
    shared = _duplicates(frame["aesthetic"])
    if shared:
        raise AestheticsError(f"{path}: duplicate aesthetic (used by more than one clan): {', '.join(shared[:20])}")
    known = set(aesthetics["name"])
    unknown = sorted(set(frame["aesthetic"]) - known)
    if unknown:
        raise AestheticsError(f"{path}: unknown aesthetic (not in aesthetics.csv): {', '.join(unknown[:20])}")
    pool = set(aesthetics.loc[aesthetics["family"] == FALLBACK_FAMILY, "name"])
    reserved = sorted(set(frame["aesthetic"]) & pool)
    if reserved:
        raise AestheticsError(f"{path}: fallback aesthetics must not be mapped to a clan: {', '.join(reserved[:20])}")


def load_clan_aesthetics(path: Path = CLAN_AESTHETICS_CSV, aesthetics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate ``clan_aesthetics.csv``; ``curated`` becomes a bool column.

    ``aesthetics`` defaults to :func:`load_aesthetics` on the file beside ``path``.
    """
    frame = _read_csv(path, CLAN_COLUMNS)
    if aesthetics is None:
        aesthetics = load_aesthetics(Path(path).with_name(AESTHETICS_CSV.name))
    frame["curated"] = _parse_curated(frame, path)
    validate_clan_aesthetics(frame, aesthetics, path)
    if "rationale" not in frame.columns:
        frame["rationale"] = ""
    return frame[CLAN_COLUMNS + OPTIONAL_CLAN_COLUMNS].reset_index(drop=True)


def fallback_pool(aesthetics: pd.DataFrame) -> list[str]:
    """Styles reserved for clan-less genes (family ``fallback``), sorted by name.

    Sorting makes the pool, and hence every fallback choice, independent of the
    row order in the CSV.
    """
    return sorted(aesthetics.loc[aesthetics["family"] == FALLBACK_FAMILY, "name"].tolist())


def load_mapping(aesthetics_path: Path = AESTHETICS_CSV, clans_path: Path = CLAN_AESTHETICS_CSV) -> AestheticMapping:
    """Load both tables, validated, ready for :func:`gene_aesthetics`."""
    aesthetics = load_aesthetics(aesthetics_path)
    clans = load_clan_aesthetics(clans_path, aesthetics)
    pool = fallback_pool(aesthetics)
    if not pool:
        raise AestheticsError(
            f"{aesthetics_path}: no aesthetics with family '{FALLBACK_FAMILY}' (the fallback pool is empty)"
        )
    return AestheticMapping(
        aesthetics=aesthetics,
        clans=clans,
        clan_to_aesthetic=dict(zip(clans["clan_acc"], clans["aesthetic"], strict=True)),
        fallback_pool=pool,
    )


def unmapped_clans(clan_accs: Iterable[str], clan_to_aesthetic: Mapping[str, str]) -> list[str]:
    """Clans in ``clan_accs`` that have no style yet (sorted); empty when coverage is complete."""
    return sorted(set(clan_accs) - set(clan_to_aesthetic))


def fallback_aesthetic(family: str, pool: Sequence[str]) -> str:
    """The fallback style of a clan-less gene, chosen from ``pool`` by its family stem.

    Rule: ``pool[int(sha256(family.strip().upper())) mod len(pool)]``.  SHA-256
    is stable across processes and Python versions (unlike ``hash()``), and
    keying on the family stem rather than the symbol makes relatives (e.g. all
    clan-less ``OR`` or ``KRTAP`` genes) share one look.
    """
    if not pool:
        raise AestheticsError("fallback pool is empty")
    digest = hashlib.sha256(family.strip().upper().encode("utf-8")).digest()
    return pool[int.from_bytes(digest[:8], "big") % len(pool)]


def gene_aesthetics(
    clans: Sequence[str] | None,
    clan_to_aesthetic: Mapping[str, str],
    family: str,
    fallback_pool: Sequence[str],
) -> tuple[list[str], list[str], bool]:
    """Styles of one gene: ``(aesthetics, aesthetic_clans, fallback)``.

    ``clans`` are the gene's Pfam clan accessions, most-covered first.  The
    first :data:`MAX_AESTHETICS` distinct clans that have a style give the
    styles, in that order, and ``aesthetic_clans`` lists the clans used (same
    length, same order).  A gene without any mapped clan gets exactly one style
    from :func:`fallback_aesthetic` on ``family`` (pass the gene's family stem,
    or its symbol when it has none); then ``aesthetic_clans`` is empty and
    ``fallback`` is true.
    """
    styles: list[str] = []
    used: list[str] = []
    for clan in clans if clans is not None else ():
        if clan in used or clan not in clan_to_aesthetic:
            continue
        styles.append(clan_to_aesthetic[clan])
        used.append(clan)
        if len(styles) == MAX_AESTHETICS:
            break
    if styles:
        return styles, used, False
    return [fallback_aesthetic(family, fallback_pool)], [], True
