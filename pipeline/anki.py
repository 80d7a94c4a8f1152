"""Anki decks (``.apkg``) of gene characters: one note per gene, two cards per note, stable ids.

A note has the fields Symbol, Name, Blot (an ``<img>`` of the gene's blot), Traits (the
``value ← fact`` lines of :func:`pipeline.card_facts.fact_lines`, one per line) and Summary; its
cards ask both ways, blot → gene and symbol → blot. Every field is HTML-escaped here, since
symbols, names and summaries are data.

Ids never change between exports, so importing a deck again updates the notes it imported before
instead of adding copies: the note type's id is fixed, a deck's id comes from its kind (:data:`DISCOVERIES`,
:data:`GENES` or :func:`cast_kind`), and a note's GUID from its symbol and the deck kind.

The package is written here rather than by ``genanki.Package.write_to_file``, which leaves its
SQLite file behind in the system temporary folder on every call (a site building decks on request
would fill its disk); the collection itself is still genanki's (``Package.write_to_db``).
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki  # type: ignore[import-untyped]  # genanki ships no type information

from .atomic import write_atomically
from .card_facts import Row, fact_lines
from .sources.base import SourceError

DISCOVERIES = "discoveries"
GENES = "genes"
CAST_PREFIX = "cast:"
MEDIA_TYPE = "application/apkg"
# Anki's own range for model and deck ids (genanki's documentation asks for ids in it).
_ID_LOW, _ID_HIGH = 1 << 30, 1 << 31
# Characters a media file name keeps from a symbol; any other becomes "_".
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")

FIELDS = ["Symbol", "Name", "Blot", "Traits", "Summary"]
# A gene without a blot yet is asked by its traits instead: Anki never shows an empty question.
BLOT_FRONT = """<div class="ask">Who is this?</div>
{{#Blot}}<div class="blot">{{Blot}}</div>{{/Blot}}
{{^Blot}}<div class="noblot">no blot yet: whose traits are these?</div><div class="traits">{{Traits}}</div>{{/Blot}}"""
BLOT_BACK = """{{FrontSide}}
<hr id="answer">
<div class="symbol">{{Symbol}}</div>
<div class="name">{{Name}}</div>
<div class="traits">{{Traits}}</div>
{{#Summary}}<div class="summary">{{Summary}}</div>{{/Summary}}"""
SYMBOL_FRONT = """<div class="ask">What does this gene look like?</div>
<div class="symbol">{{Symbol}}</div>"""
SYMBOL_BACK = """{{FrontSide}}
<hr id="answer">
{{#Blot}}<div class="blot">{{Blot}}</div>{{/Blot}}{{^Blot}}<div class="noblot">no blot yet</div>{{/Blot}}
<div class="name">{{Name}}</div>
<div class="traits">{{Traits}}</div>"""
CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: center; color: #1d1d1f; }
.ask { font-size: 14px; color: #6e6e73; margin-bottom: 8px; }
.symbol { font-size: 32px; font-weight: 700; letter-spacing: 0.02em; }
.name { font-style: italic; margin: 4px 0 12px; }
.blot img { max-width: 90%; max-height: 60vh; }
.noblot { color: #6e6e73; margin: 12px 0; }
.traits { display: inline-block; text-align: left; font-size: 15px; line-height: 1.5; }
.summary { font-size: 14px; text-align: left; margin: 12px auto 0; max-width: 36em; color: #3a3a3c; }
.nightMode .card, .night_mode .card { color: #f5f5f7; }"""


def stable_id(*parts: str) -> int:
    """An Anki model or deck id from a stable hash of ``parts``: the same words give the same id on every run."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return _ID_LOW + int.from_bytes(digest[:8], "big") % (_ID_HIGH - _ID_LOW)


# One note type for every deck: a later export with changed templates updates it in place.
MODEL = genanki.Model(
    stable_id("iconoplasm", "note type", "gene"),
    "Iconoplasm gene",
    fields=[{"name": name} for name in FIELDS],
    templates=[
        {"name": "Blot → gene", "qfmt": BLOT_FRONT, "afmt": BLOT_BACK},
        {"name": "Gene → blot", "qfmt": SYMBOL_FRONT, "afmt": SYMBOL_BACK},
    ],
    css=CSS,
)


def cast_kind(cast_id: str) -> str:
    """The deck kind of a cast's deck (``cast:oncogene-induced-apoptosis``)."""
    return CAST_PREFIX + cast_id


def check_kind(kind: str) -> str:
    """``kind`` if it is a deck kind (discoveries, genes, or ``cast:<id>``); ValueError otherwise."""
    if kind in (DISCOVERIES, GENES) or (kind.startswith(CAST_PREFIX) and len(kind) > len(CAST_PREFIX)):
        return kind
    raise ValueError(f"unknown deck kind {kind!r}: expected {DISCOVERIES!r}, {GENES!r} or '{CAST_PREFIX}<id>'")


@dataclass(frozen=True)
class Blot:
    """A blot image as stored: its bytes and its file suffix (``webp``, ``png``)."""

    data: bytes
    suffix: str

    def file_name(self, symbol: str) -> str:
        """The blot's file name in the deck, unique per image: ``TP53-blot-1a2b3c4d.webp``."""
        sha8 = hashlib.sha256(self.data).hexdigest()[:8]
        return f"{_UNSAFE_NAME.sub('_', symbol)}-blot-{sha8}.{_UNSAFE_NAME.sub('_', self.suffix)}"


@dataclass(frozen=True)
class DeckNote:
    """One gene's note, as plain text (escaped when written)."""

    symbol: str
    name: str
    facts: Sequence[str]
    summary: str
    blot: Blot | None = None


def gene_note(row: Row, blot: Blot | None) -> DeckNote:
    """The note of a gene row (a ``Gene.row()`` or a row of :func:`pipeline.catalogue.catalogue_rows`)."""
    return DeckNote(row["symbol"], row["name"], fact_lines(row), row["summary"] or "", blot)


def newest_blots(render_dir: Path, symbols: Sequence[str]) -> dict[str, Blot]:
    """The blot of each of these genes' newest image in a render folder (``iconoplasm render --out``).

    Genes the manifest does not name are left out. Raises :class:`SourceError` when the folder has
    no manifest, or a blot the manifest names is missing.
    """
    # Imported here: the site builds decks too, and only its studio may load the renderers.
    from .render.batch import read_manifest

    if not render_dir.is_dir():
        raise SourceError(f"{render_dir}: render folder not found")
    entries = read_manifest(render_dir)
    if not entries:
        raise SourceError(f"{render_dir}: no render manifest; run `iconoplasm render --out {render_dir}` first")
    wanted = set(symbols)
    newest: dict[str, dict] = {}
    # Later lines win ties: the manifest is appended in the order images were made.
    for entry in entries:
        symbol = entry.get("symbol")
        if symbol not in wanted or not entry.get("blot_path"):
            continue
        if symbol not in newest or entry.get("created_at", "") >= newest[symbol].get("created_at", ""):
            newest[symbol] = entry
    blots = {}
    for symbol, entry in newest.items():
        path = render_dir / entry["blot_path"]
        try:
            blots[symbol] = Blot(path.read_bytes(), path.suffix.lstrip("."))
        except OSError as exc:
            raise SourceError(f"{path}: the blot of {symbol} named in the manifest cannot be read ({exc})") from exc
    return blots


def note_guid(symbol: str, kind: str) -> str:
    """The note's GUID: the same gene in the same kind of deck is the same note in Anki."""
    return genanki.guid_for(symbol, check_kind(kind))


def note_fields(note: DeckNote) -> list[str]:
    """The five fields as Anki stores them, every piece of data escaped."""
    blot = (
        ""
        if note.blot is None
        else f'<img src="{html.escape(note.blot.file_name(note.symbol))}" alt="{html.escape(note.symbol)} blot">'
    )
    return [
        html.escape(note.symbol),
        html.escape(note.name),
        blot,
        "<br>".join(html.escape(line) for line in note.facts),
        html.escape(note.summary),
    ]


@dataclass(frozen=True)
class DeckReport:
    notes: int
    without_blot: list[str]


def write_deck(notes: Sequence[DeckNote], kind: str, title: str, out: Path) -> DeckReport:
    """Write the ``.apkg`` of ``notes`` to ``out`` (atomically: a failure leaves no partial file).

    ``kind`` fixes the deck's id and the notes' GUIDs; ``title`` names the deck in Anki
    (under "Iconoplasm::"). Each gene may appear once.
    """
    check_kind(kind)
    symbols = [note.symbol for note in notes]
    repeated = sorted({symbol for symbol in symbols if symbols.count(symbol) > 1})
    if repeated:
        raise ValueError(f"a deck holds each gene once: {', '.join(repeated)} repeated")
    deck = genanki.Deck(stable_id("iconoplasm", "deck", kind), f"Iconoplasm::{title}")
    media: dict[str, bytes] = {}
    for note in notes:
        deck.add_note(
            genanki.Note(model=MODEL, fields=note_fields(note), guid=note_guid(note.symbol, kind), tags=["iconoplasm"])
        )
        if note.blot is not None:
            media[note.blot.file_name(note.symbol)] = note.blot.data
    write_atomically(out, lambda tmp: _write_package(deck, media, tmp))
    return DeckReport(len(notes), [note.symbol for note in notes if note.blot is None])


def _write_package(deck: genanki.Deck, media: dict[str, bytes], path: Path) -> None:
    """The zip Anki imports: ``collection.anki2`` (SQLite), ``media`` (``{"0": name}``) and files ``0``, ``1``, …"""
    timestamp = time.time()
    with tempfile.TemporaryDirectory(prefix="iconoplasm-deck-") as work:
        collection = Path(work) / "collection.anki2"
        connection = sqlite3.connect(collection)
        try:
            genanki.Package(deck).write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        names = list(media)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(collection, "collection.anki2")
            package.writestr("media", json.dumps({str(index): name for index, name in enumerate(names)}))
            for index, name in enumerate(names):
                package.writestr(str(index), media[name])
