"""Anki decks from the site: the genes of a deck read from the database, written by :mod:`pipeline.anki`.

A note's blot is the gene's canonical portrait's blot, read through ``default_storage`` (local
media or S3 alike); a gene without one still gets a note. Decks are built in a temporary file
that is gone once the download has been streamed.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.core.files.storage import default_storage

from backend.accounts.selectors import user_discoveries
from backend.casts.models import Cast
from backend.casts.selectors import cast_gene_ids
from backend.genes.models import Gene
from backend.portraits.models import Portrait
from backend.portraits.selectors import canonical_portraits
from pipeline import anki

log = logging.getLogger(__name__)

MAX_DECK_GENES = 500
DISCOVERIES_TITLE = "My discoveries"
GENES_TITLE = "Genes"


def discovered_genes(user) -> list[Gene]:
    """The genes the user has met (starter genes too: they are on the user's archive), newest first."""
    return [discovery.gene for discovery in user_discoveries(user)]


def cast_genes(cast: Cast) -> list[Gene]:
    """The cast's genes, side by side in order, each once."""
    ids = cast_gene_ids(cast)
    found = Gene.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _blot(portrait: Portrait | None) -> anki.Blot | None:
    if portrait is None or not portrait.blot:
        return None
    try:
        with default_storage.open(portrait.blot.name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        # A lost file costs the note its image, not the whole deck its download.
        log.warning("deck: the blot of portrait #%s cannot be read (%s); the note goes without it", portrait.pk, exc)
        return None
    return anki.Blot(data, PurePosixPath(portrait.blot.name).suffix.lstrip("."))


def deck_notes(genes: Iterable[Gene]) -> list[anki.DeckNote]:
    """One note per gene, with the blot of its canonical portrait when it has a public one."""
    genes = list(genes)
    portraits = canonical_portraits(gene.pk for gene in genes)
    return [anki.gene_note(gene.row(), _blot(portraits.get(gene.pk))) for gene in genes]


def open_deck(genes: Iterable[Gene], kind: str, title: str) -> BinaryIO:
    """The ``.apkg`` of these genes as a file open for reading; the file has no name left on disk,
    so it disappears when the handle is closed (a streamed response closes it when done)."""
    notes = deck_notes(genes)
    fd, name = tempfile.mkstemp(prefix="iconoplasm-deck-", suffix=".apkg")
    os.close(fd)
    path = Path(name)
    try:
        anki.write_deck(notes, kind, title, path)
        return path.open("rb")
    finally:
        path.unlink(missing_ok=True)
