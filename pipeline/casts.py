"""Casts: pathway scenarios told as genes in factions (sides), read from data and resolved to approved symbols.

The facts of the built-in casts (each scenario's id, title, sides and the gene names on each side)
come from the essay's scenarios file, ``../shared/casts/post_scenarios.json`` beside the
repository (:data:`SCENARIOS_FILE`), or the file named by ``$ICONOPLASM_CASTS``. Its summaries are
paraphrases we do not ship: each cast's description is the project's own, in
``gene_data/casts.toml`` (:data:`DESCRIPTIONS_FILE`), keyed by scenario id.

A side may name a family range, ``WNT1..WNT11``: every approved symbol of that prefix whose number
lies in the range (:func:`expand_ranges`). Names are resolved by the caller's name rule
(:func:`resolve_cast`); what does not resolve is kept in ``ResolvedCast.unresolved``, never dropped.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import IconoplasmError
from .paths import GENE_DATA, REPO_ROOT

SCENARIOS_FILE = REPO_ROOT.parent / "shared" / "casts" / "post_scenarios.json"
DESCRIPTIONS_FILE = GENE_DATA / "casts.toml"
RANGE_MARK = ".."
LAST_LETTER = "~"  # sorts after every paralog letter
# A range end and a family member: a prefix, a number, and at most one paralog letter (WNT2B, RSPO3).
_NUMBERED = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9-]*?)(?P<number>\d+)(?P<letter>[A-Za-z]?)$")


class CastDataError(IconoplasmError):
    """The scenarios file or the descriptions are missing, not valid JSON/TOML, or lack a field."""


class RangeError(IconoplasmError):
    """A family range that is not ``PREFIX<number>..PREFIX<number>`` with the same prefix, low to high."""


@dataclass(frozen=True)
class SideSpec:
    """One side of a cast: its name and the gene names on it as written (ranges unexpanded)."""

    name: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class CastSpec:
    """A built-in cast before its names are resolved."""

    id: str
    title: str
    description: str
    sides: tuple[SideSpec, ...]


@dataclass(frozen=True)
class ResolvedSide:
    name: str
    symbols: tuple[str, ...]


@dataclass(frozen=True)
class ResolvedCast:
    """A cast with approved symbols; ``unresolved`` lists ``(side name, name)`` for every name that named no gene."""

    spec: CastSpec
    sides: tuple[ResolvedSide, ...]
    unresolved: list[tuple[str, str]]

    @property
    def symbols(self) -> list[str]:
        """Every symbol of the cast, side by side, each once."""
        return list(dict.fromkeys(symbol for side in self.sides for symbol in side.symbols))


def scenarios_file() -> Path:
    """The scenarios file: ``$ICONOPLASM_CASTS`` when set, else :data:`SCENARIOS_FILE`."""
    return Path(os.environ.get("ICONOPLASM_CASTS") or SCENARIOS_FILE)


def read_descriptions(path: Path = DESCRIPTIONS_FILE) -> dict[str, str]:
    """The project's description of each built-in cast, by scenario id."""
    try:
        with open(path, "rb") as fh:
            descriptions = tomllib.load(fh).get("descriptions")
    except FileNotFoundError as exc:
        raise CastDataError(f"{path}: cast descriptions not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CastDataError(f"{path}: not valid TOML ({exc})") from exc
    if not isinstance(descriptions, dict) or not all(isinstance(text, str) for text in descriptions.values()):
        raise CastDataError(f"{path}: expected a [descriptions] table of scenario id = text")
    return {key: " ".join(text.split()) for key, text in descriptions.items()}


def _field(entry: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = entry.get(name)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise CastDataError(f"{where}: missing or invalid {name!r}")
    return value


def read_scenarios(path: Path | None = None, descriptions_path: Path = DESCRIPTIONS_FILE) -> list[CastSpec]:
    """The built-in casts of the scenarios file (:func:`scenarios_file` by default), in file order,
    each with its description from ``descriptions_path``.

    Raises :class:`CastDataError` naming the file and the scenario for a missing file, malformed
    JSON, a scenario or side missing a field, a repeated id, or a scenario without a description.
    """
    path = path or scenarios_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CastDataError(f"{path}: scenarios file not found (set ICONOPLASM_CASTS to its path)") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CastDataError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise CastDataError(f"{path}: expected an object with a 'scenarios' list")
    descriptions = read_descriptions(descriptions_path)
    casts: list[CastSpec] = []
    for number, entry in enumerate(data["scenarios"], 1):
        where = f"{path}: scenario {number}"
        if not isinstance(entry, dict):
            raise CastDataError(f"{where}: expected an object")
        scenario_id = _field(entry, "id", str, where)
        where = f"{path}: scenario {scenario_id!r}"
        title = _field(entry, "title", str, where)
        sides = []
        for side_number, side in enumerate(_field(entry, "sides", list, where), 1):
            side_where = f"{where}, side {side_number}"
            if not isinstance(side, dict):
                raise CastDataError(f"{side_where}: expected an object")
            genes = _field(side, "genes", list, side_where)
            if not all(isinstance(name, str) and name.strip() for name in genes):
                raise CastDataError(f"{side_where}: 'genes' must be a list of names")
            sides.append(SideSpec(_field(side, "name", str, side_where), tuple(name.strip() for name in genes)))
        if not sides:
            raise CastDataError(f"{where}: no sides")
        if scenario_id not in descriptions:
            raise CastDataError(f"{where}: no description in {descriptions_path}")
        if any(cast.id == scenario_id for cast in casts):
            raise CastDataError(f"{where}: id used twice")
        casts.append(CastSpec(scenario_id, title, descriptions[scenario_id], tuple(sides)))
    return casts


def is_range(name: str) -> bool:
    return RANGE_MARK in name


def _numbered(name: str) -> tuple[str, int, str] | None:
    match = _NUMBERED.match(name)
    if match is None:
        return None
    return match["prefix"].upper(), int(match["number"]), match["letter"].upper()


def expand_ranges(name: str, approved: Sequence[str]) -> list[str]:
    """The approved symbols a name stands for: a plain name as itself; a range ``WNT1..WNT11`` as
    every approved symbol of that prefix with a number from 1 to 11 and at most one letter after it
    (WNT2B, WNT3A, WNT11...), in natural order (by number, then letter). An end with a letter stops
    at that letter (``WNT3A..WNT5A`` holds WNT4 and WNT5A, not WNT3 or WNT5B). The prefix ignores
    case, so ``wnt1..wnt11`` is the same range. A range no approved symbol falls in gives an empty list.

    Raises :class:`RangeError` for a range whose ends are not numbered symbols of one prefix, low to high.
    """
    if not is_range(name):
        return [name]
    low_text, _, high_text = (part.strip() for part in name.partition(RANGE_MARK))
    low, high = _numbered(low_text), _numbered(high_text)
    if low is None or high is None or low[0] != high[0]:
        raise RangeError(f"{name!r} is not a family range like WNT1..WNT11 (same prefix, a number at each end)")
    # An end without a letter holds every letter of its number: WNT1..WNT3 ends with WNT3A.
    first, last = low[1:], (high[1], high[2] or LAST_LETTER)
    if first > last:
        raise RangeError(f"{name!r} runs backwards: write the lower number first")
    members = []
    for symbol in approved:
        member = _numbered(symbol)
        if member is not None and member[0] == low[0] and first <= member[1:] <= last:
            members.append((member[1], member[2], symbol))
    return [symbol for *_, symbol in sorted(members)]


def resolve_cast(spec: CastSpec, resolve: Callable[[str], str | None], approved: Sequence[str] = ()) -> ResolvedCast:
    """The cast with every name resolved to an approved symbol by ``resolve`` (the caller's one name
    rule: ``None`` when a name means no gene or several) and ranges expanded over ``approved`` (the
    approved symbols; only read when the cast has a range).

    Each side keeps its order and holds a symbol once. A name that resolves to nothing, and a range
    no approved symbol falls in, is listed in ``unresolved`` with its side. Raises :class:`RangeError`
    for a malformed range.
    """
    sides: list[ResolvedSide] = []
    unresolved: list[tuple[str, str]] = []
    for side in spec.sides:
        symbols: list[str] = []
        for name in side.names:
            if is_range(name):
                found = expand_ranges(name, approved)
            else:
                symbol = resolve(name)
                found = [] if symbol is None else [symbol]
            if not found:
                unresolved.append((side.name, name))
            symbols.extend(found)
        sides.append(ResolvedSide(side.name, tuple(dict.fromkeys(symbols))))
    return ResolvedCast(spec, tuple(sides), unresolved)
