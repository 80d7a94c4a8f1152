"""The compact lexicon the extension highlights with: every gene's names and colours.

Its URL contains the SHA-256 of its bytes, so it can be cached forever; the
current hash is recomputed only when the gene catalogue changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from .models import CatalogueVersion, Gene, GeneName

_CACHE_KEY = "lexicon:{stamp}"


@dataclass(frozen=True)
class Lexicon:
    hash: str
    body: bytes
    genes: int


def _catalogue_stamp() -> str:
    """The catalogue's version token (:class:`~backend.genes.models.CatalogueVersion`; "none" before
    the first change): one primary-key read, written out because building the ORM query costs more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {CatalogueVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else "none"


def build_lexicon() -> Lexicon:
    """``{"genes": [[symbol, color_hex, text_color_hex, name, aliases, previous, names], ...]}`` sorted by symbol.

    ``names`` are the gene's other names in words (HGNC alias and previous names), which the
    extension finds in text besides the symbols.
    """
    other: dict[int, tuple[list[str], list[str]]] = {}
    for name, gene_id, kind in GeneName.objects.order_by("name").values_list("name", "gene_id", "kind"):
        aliases, previous = other.setdefault(gene_id, ([], []))
        (aliases if kind == GeneName.ALIAS else previous).append(name)
    rows = [
        [symbol, color, text, name, *other.get(pk, ([], [])), names]
        for pk, symbol, color, text, name, names in Gene.objects.order_by("symbol").values_list(
            "id", "symbol", "color_hex", "text_color_hex", "name", "names"
        )
    ]
    body = json.dumps(
        {
            "format": 2,
            "fields": ["symbol", "color_hex", "text_color_hex", "name", "aliases", "previous_symbols", "names"],
            "genes": rows,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return Lexicon(hash=hashlib.sha256(body).hexdigest()[:20], body=body, genes=len(rows))


# The last lexicon this process used: a hit costs no cache round trip (the shared cache would
# unpickle the whole ~2 MB body on every request).
_last: dict[str, Lexicon] = {}


def current_lexicon() -> Lexicon:
    key = _CACHE_KEY.format(stamp=_catalogue_stamp())
    lexicon = _last.get(key)
    if lexicon is None:
        lexicon = cache.get(key)
        if lexicon is None:
            lexicon = build_lexicon()
            cache.set(key, lexicon, timeout=None)
        _last.clear()
        _last[key] = lexicon
    return lexicon
