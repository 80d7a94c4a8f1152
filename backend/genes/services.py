"""Writes to the gene catalogue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from pipeline.catalogue import read_catalogue
from pipeline.records import ROW_FIELDS

from .models import CatalogueVersion, Gene, GeneName


def bump_catalogue_version() -> None:
    """Say that the catalogue changed (the lexicon index rebuilds its lexicon on the next request)."""
    version = uuid.uuid4().hex
    if CatalogueVersion.objects.filter(pk=1).update(version=version):
        return
    try:
        with transaction.atomic():
            CatalogueVersion.objects.create(pk=1, version=version)
    except IntegrityError:  # another writer created the row meanwhile
        CatalogueVersion.objects.filter(pk=1).update(version=version)


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int
    names: int


@transaction.atomic
def load_genes(genes_path: Path, traits_path: Path, batch_size: int = 1000) -> LoadReport:
    """Upsert every gene and its other names; a second run with the same files changes nothing."""
    rows = read_catalogue(genes_path, traits_path)
    existing = {gene.symbol: gene for gene in Gene.objects.all()}
    to_create, to_update = [], []
    now = timezone.now()
    for row in rows:
        gene = existing.get(row["symbol"])
        if gene is None:
            to_create.append(Gene(**row))
        elif any(getattr(gene, field) != value for field, value in row.items()):
            for field, value in row.items():
                setattr(gene, field, value)
            gene.updated_at = now
            to_update.append(gene)
    Gene.objects.bulk_create(to_create, batch_size=batch_size)
    # bulk_update skips auto_now: set updated_at by hand, since card ETags and the lexicon's
    # freshness check read it.
    Gene.objects.bulk_update(to_update, [*ROW_FIELDS, "updated_at"], batch_size=batch_size)

    ids = dict(Gene.objects.values_list("symbol", "id"))
    wanted = {
        (name, ids[row["symbol"]], kind)
        for row in rows
        for kind, names in ((GeneName.ALIAS, row["aliases"]), (GeneName.PREVIOUS, row["prev_symbols"]))
        for name in names or []
    }
    have = set(GeneName.objects.values_list("name", "gene_id", "kind"))
    GeneName.objects.bulk_create(
        [GeneName(name=n, gene_id=g, kind=k) for n, g, k in sorted(wanted - have)], batch_size=batch_size
    )
    stale = have - wanted
    for name, gene_id, kind in stale:
        GeneName.objects.filter(name=name, gene_id=gene_id, kind=kind).delete()
    if to_create or to_update or wanted - have:  # the bulk writes above send no signals
        bump_catalogue_version()
    return LoadReport(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
        names=len(wanted - have) + len(stale),
    )
