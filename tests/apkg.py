"""Open an ``.apkg`` the way Anki's importer does, for the deck tests (pipeline and site).

An Anki package is a zip holding ``collection.anki2`` (an SQLite collection: tables ``col``,
``notes``, ``cards``), ``media`` (a JSON map from the numbered member names to file names) and
the numbered media files themselves. Fields of a note are joined by ``\\x1f``.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

FIELD_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class OpenedNote:
    guid: str
    model_id: int
    fields: list[str]
    tags: str


@dataclass(frozen=True)
class OpenedDeck:
    notes: list[OpenedNote]
    cards: list[tuple[int, int, int]]  # (note id, template ordinal, deck id), in note order
    note_ids: list[int]
    decks: dict[int, str]  # id → name, Anki's built-in "Default" deck included
    models: dict[int, dict]
    media: dict[str, bytes]  # file name → bytes

    def note(self, symbol: str) -> OpenedNote:
        [found] = [note for note in self.notes if note.fields[0] == symbol]
        return found

    def cards_of(self, note: OpenedNote) -> list[int]:
        note_id = self.note_ids[self.notes.index(note)]
        return sorted(ordinal for nid, ordinal, _ in self.cards if nid == note_id)


def open_apkg(data: bytes | Path) -> OpenedDeck:
    """Read a package (its bytes or its path): the notes, cards, decks, note types and media files."""
    with tempfile.TemporaryDirectory() as work:
        package_path = Path(work) / "deck.apkg"
        package_path.write_bytes(data if isinstance(data, bytes) else data.read_bytes())
        with zipfile.ZipFile(package_path) as package:
            names = set(package.namelist())
            media_map = json.loads(package.read("media"))
            assert names == {"collection.anki2", "media", *media_map}, names
            media = {name: package.read(number) for number, name in media_map.items()}
            (Path(work) / "collection.anki2").write_bytes(package.read("collection.anki2"))
        connection = sqlite3.connect(Path(work) / "collection.anki2")
        try:
            rows = connection.execute("SELECT id, guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
            cards = connection.execute("SELECT nid, ord, did FROM cards ORDER BY nid, ord").fetchall()
            decks_json, models_json = connection.execute("SELECT decks, models FROM col").fetchone()
        finally:
            connection.close()
    notes = [OpenedNote(guid, mid, fields.split(FIELD_SEPARATOR), tags) for _, guid, mid, fields, tags in rows]
    decks = {int(key): deck["name"] for key, deck in json.loads(decks_json).items()}
    models = {int(key): model for key, model in json.loads(models_json).items()}
    return OpenedDeck(notes, cards, [row[0] for row in rows], decks, models, media)
