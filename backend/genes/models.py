"""A gene and its character, loaded from genes.parquet + traits.parquet.

The fields are those of :class:`pipeline.records.GeneFacts` then :class:`pipeline.records.Traits`
(a test holds them to it), with the records' enums as ``choices``.
"""

from __future__ import annotations

from django.db import models

from backend.common.choices import choices
from pipeline.records import (
    ROW_FIELDS,
    CancerRole,
    DiscoveryYearSource,
    Faction,
    MassSource,
    Sex,
    TransmembraneSource,
)


class Gene(models.Model):
    # Molecular facts (the gene table).
    symbol = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    hgnc_id = models.CharField(max_length=16, unique=True)
    entrez_id = models.BigIntegerField(null=True, blank=True)
    ensembl_id = models.CharField(max_length=24, blank=True)
    uniprot_id = models.CharField(max_length=16, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    prev_symbols = models.JSONField(default=list, blank=True)
    names = models.JSONField(default=list, blank=True)
    length = models.IntegerField(null=True, blank=True)
    mass_da = models.FloatField(null=True, blank=True)
    mass_source = models.CharField(max_length=32, choices=choices(MassSource))
    isoforms = models.IntegerField(null=True, blank=True)
    transmembrane = models.BooleanField(null=True, blank=True)
    transmembrane_source = models.CharField(max_length=32, choices=choices(TransmembraneSource))
    loeuf = models.FloatField(null=True, blank=True)
    tau = models.FloatField(null=True, blank=True)
    clans = models.JSONField(default=list, blank=True)
    clan_names = models.JSONField(default=list, blank=True)
    discovery_year = models.IntegerField(null=True, blank=True)
    discovery_pmid = models.BigIntegerField(null=True, blank=True, help_text="the publication the year comes from")
    discovery_year_source = models.CharField(max_length=32, choices=choices(DiscoveryYearSource))
    summary = models.TextField(blank=True)
    cancer_role = models.CharField(max_length=24, blank=True, choices=choices(CancerRole))

    # The character (the traits table).
    sex = models.CharField(max_length=8, choices=choices(Sex))
    weight_kg = models.FloatField(null=True, blank=True)
    age = models.IntegerField(null=True, blank=True)
    aesthetics = models.JSONField(default=list)
    aesthetic_clans = models.JSONField(default=list, blank=True)
    aesthetic_fallback = models.BooleanField(default=False)
    family = models.CharField(max_length=32)
    family_size = models.IntegerField(default=1)
    feature = models.CharField(max_length=128, blank=True)
    hue = models.FloatField(null=True, blank=True)
    saturation = models.FloatField()
    lightness = models.FloatField()
    color_hex = models.CharField(max_length=7)
    text_color_hex = models.CharField(max_length=7)
    color_name = models.CharField(max_length=64)
    faction = models.CharField(max_length=16, choices=choices(Faction))
    sample_label = models.CharField(max_length=48)
    sample = models.TextField()
    tags = models.TextField(blank=True)

    # Indexed: the lexicon's freshness check reads MAX(updated_at) on every request.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["symbol"]

    def __str__(self) -> str:
        return self.symbol

    def row(self) -> dict:
        """The gene's facts and traits as one row of the two tables (what the renderers read)."""
        return {name: getattr(self, name) for name in ROW_FIELDS}


class GeneName(models.Model):
    """Another name a gene answers to: an alias or a previous symbol (for lookups and the lexicon)."""

    ALIAS = "alias"
    PREVIOUS = "previous"
    KINDS = [(ALIAS, "alias"), (PREVIOUS, "previous symbol")]

    name = models.CharField(max_length=64, db_index=True)
    gene = models.ForeignKey(Gene, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=16, choices=KINDS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "gene", "kind"], name="unique_gene_name")]

    def __str__(self) -> str:
        return f"{self.name} → {self.gene.symbol} ({self.kind})"


class CatalogueVersion(models.Model):
    """One row whose token is new after every change to the genes or their names.

    The lexicon index reads it on every request to know whether its cached lexicon is current:
    one primary-key lookup, where counting and maxing the two tables cost 7–12 ms on PostgreSQL.
    Every write path bumps it: saves and deletes through signals (backend/genes/signals.py),
    the bulk loader explicitly (:func:`backend.genes.services.load_genes`). A random token, not
    a counter: a rolled-back transaction or a restored backup never brings back a number that
    already named another catalogue (a cached lexicon is keyed by it).
    """

    version = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"catalogue version {self.version}"
