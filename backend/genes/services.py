"""Writes to the gene catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from .models import ROW_FIELDS, Gene, GeneName


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int
    names: int


def _clean(value: object) -> object:
    """Parquet values as plain Python: lists for arrays, None for missing, str for strings."""
    if isinstance(value, np.ndarray):
        return [str(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def read_catalogue(genes_path: Path, traits_path: Path) -> list[dict]:
    """One dict per gene with every Gene field, from the two tables."""
    genes = pd.read_parquet(genes_path)
    traits = pd.read_parquet(traits_path)
    merged = genes.merge(traits, on="symbol", how="inner", validate="one_to_one")
    rows = []
    for record in merged.to_dict("records"):
        row = {field: _clean(record.get(field)) for field in ROW_FIELDS}
        for text_field in ("ensembl_id", "uniprot_id", "summary", "cancer_role", "feature"):
            row[text_field] = row[text_field] or ""
        rows.append(row)
    return rows


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
    return LoadReport(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
        names=len(wanted - have) + len(stale),
    )
