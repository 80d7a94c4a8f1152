"""Copies of a portrait that need drawing: a transfer to another gene (a new blot with that gene's name)
and the print copy (the blot at print size)."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.storage import default_storage

from backend.genes.models import Gene
from backend.portraits.models import Portrait
from backend.portraits.services import register_candidate, save_file, storage_name
from pipeline.render.blot import make_blot, make_print_copy

log = logging.getLogger(__name__)


class SameGeneError(ValueError):
    """A transfer to the gene the portrait already belongs to."""


def _image_bytes(portrait: Portrait) -> bytes:
    with portrait.image.open("rb") as fh:
        return fh.read()


def transfer_portrait(portrait: Portrait, target: Gene, user=None) -> tuple[Portrait, bool]:
    """Copy ``portrait``'s image to ``target`` as a new candidate (origin ``transfer``); returns (portrait, created).

    The image is registered under the target gene with a new blot drawn with the target's symbol
    and name (no blot, and a warning, when the image cannot be blotted). If the target already has
    this image, the existing candidate is returned.
    """
    if target.pk == portrait.gene_id:
        raise SameGeneError(f"portrait #{portrait.pk} already belongs to {target.symbol}")
    existing = Portrait.objects.filter(gene=target, sha256=portrait.sha256).first()
    if existing is not None:
        return existing, False
    image = _image_bytes(portrait)
    try:
        blot = make_blot(image, target.symbol, target.name)
    except Exception as exc:  # noqa: BLE001 - a failed blot must not fail the transfer
        log.warning("blot for %s failed: %s", target.symbol, exc)
        blot = None
    return register_candidate(
        target,
        image,
        blot=blot,
        renderer=portrait.renderer,
        model=portrait.model,
        emulsion=portrait.emulsion,
        seed=portrait.seed,
        prompt=portrait.prompt,
        origin=Portrait.TRANSFER,
        created_by=user,
        transferred_from=portrait,
    )


def print_copy(portrait: Portrait) -> bytes:
    """The 1536×2048 PNG print copy of ``portrait`` with its gene's symbol and name, cached in storage."""
    gene = portrait.gene
    key = hashlib.sha256(f"{portrait.sha256}:{gene.symbol}:{gene.name}".encode()).hexdigest()
    name = storage_name("prints", gene.symbol, key, "png")
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            return fh.read()
    data = make_print_copy(_image_bytes(portrait), gene.symbol, gene.name)
    try:
        save_file(name, data)
    except OSError as exc:  # a cache miss next time, not an error now
        log.warning("could not cache print copy %s: %s", name, exc)
    return data
