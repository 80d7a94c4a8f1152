"""Style samples: one reference gene drawn in every emulsion the procedural renderer offers.

The style gallery (``/styles/``) and the request form's emulsion picker show them. Each sample
is rendered once and kept as a stored file whose name is a digest of everything it is drawn
from (the renderer version, the emulsion's procedural fields and the gene's row), indexed by a
:class:`~.models.StyleSample` row: a page view reads one query and the files, and a changed
emulsion or renderer gets a fresh sample rather than a stale one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

from backend.genes.models import Gene
from backend.portraits.models import Emulsion
from backend.portraits.selectors import procedural_emulsions
from backend.studio.style_drawing import SAMPLE_RENDERER, draw_style_sample

from .models import StyleSample as StoredSample

REFERENCE_GENE = "TP53"
"""The gene every style sample shows: well known, and the site's starter gene."""

SAMPLE_SIZE = (288, 384)
"""Samples are drawn at this size (3:4, like portraits), not shrunk from a full render, so a
pixel style keeps its grid and the files stay small."""

FOLDER = "styles"
_DRAWN_FROM = ("line_weight", "palette", "texture", "finish")


@dataclass(frozen=True)
class StyleSample:
    """An emulsion and where the page loads its sample from (None when not rendered yet)."""

    emulsion: Emulsion
    url: str | None


def reference_gene() -> Gene | None:
    """The gene the samples show, or None when the catalogue does not have it."""
    return Gene.objects.filter(symbol=REFERENCE_GENE).first()


def sample_names(gene: Gene, emulsions: Iterable[Emulsion]) -> dict[str, str]:
    """Each emulsion's sample file name by emulsion id: a digest of what the sample is drawn from."""
    drawn_from = json.dumps([SAMPLE_RENDERER, SAMPLE_SIZE, gene.row()], sort_keys=True, default=str)
    names = {}
    for emulsion in emulsions:
        style = json.dumps([getattr(emulsion, field) for field in _DRAWN_FROM])
        digest = hashlib.sha256(f"{drawn_from}{style}".encode()).hexdigest()[:16]
        names[emulsion.emulsion_id] = f"{FOLDER}/{gene.symbol}-{emulsion.emulsion_id}-{digest}.png"
    return names


def _indexed(names: dict[str, str]) -> set[str]:
    """Which of these sample names are stored (one query)."""
    return set(StoredSample.objects.filter(name__in=names.values()).values_list("name", flat=True))


def stored_samples(emulsions: Iterable[Emulsion], storage: Storage = default_storage) -> list[StyleSample]:
    """Each emulsion with its sample where one is already stored (never renders)."""
    emulsions = list(emulsions)
    gene = reference_gene()
    names = sample_names(gene, emulsions) if gene is not None else {}
    stored = _indexed(names)
    return [
        StyleSample(e, storage.url(names[e.emulsion_id]) if names.get(e.emulsion_id) in stored else None)
        for e in emulsions
    ]


def ensure_samples(gene: Gene | None, storage: Storage = default_storage) -> list[StyleSample]:
    """Every procedurally offered emulsion with its sample of ``gene`` (the reference gene),
    rendering and storing (once) any missing.

    Without the reference gene in the catalogue there is nothing to draw: every url is None.
    """
    emulsions = list(procedural_emulsions())
    if gene is None:
        return [StyleSample(emulsion, None) for emulsion in emulsions]
    names = sample_names(gene, emulsions)
    stored = _indexed(names)
    for emulsion in emulsions:
        if names[emulsion.emulsion_id] not in stored:
            _store(gene, emulsion, names[emulsion.emulsion_id], storage)
    return [StyleSample(e, storage.url(names[e.emulsion_id])) for e in emulsions]


def _store(gene: Gene, emulsion: Emulsion, name: str, storage: Storage) -> None:
    """Render ``gene``'s sample in ``emulsion`` into the storage under ``name`` and index it."""
    png = draw_style_sample(gene, emulsion, SAMPLE_SIZE)
    if storage.exists(name):  # stored by a run that died before indexing it: the same bytes
        storage.delete(name)
    storage.save(name, ContentFile(png))
    # another request may have stored and indexed the same sample meanwhile: same name, same bytes
    StoredSample.objects.get_or_create(name=name, defaults={"emulsion": emulsion})
