"""A gene and its character, loaded from genes.parquet + traits.parquet."""

from __future__ import annotations

from django.db import models


class Gene(models.Model):
    # Molecular facts (the gene table).
    symbol = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    hgnc_id = models.CharField(max_length=16, unique=True)
    entrez_id = models.BigIntegerField(null=True, blank=True)
    ensembl_id = models.CharField(max_length=24, blank=True)
    uniprot_id = models.CharField(max_length=16, blank=True)
    aliases = models.JSONField(default=list)
    prev_symbols = models.JSONField(default=list)
    length = models.IntegerField(null=True, blank=True)
    mass_da = models.FloatField(null=True, blank=True)
    mass_source = models.CharField(max_length=32)
    isoforms = models.IntegerField(null=True, blank=True)
    transmembrane = models.BooleanField(null=True)
    transmembrane_source = models.CharField(max_length=32)
    loeuf = models.FloatField(null=True, blank=True)
    tau = models.FloatField(null=True, blank=True)
    clans = models.JSONField(default=list)
    clan_names = models.JSONField(default=list)
    discovery_year = models.IntegerField(null=True, blank=True)
    discovery_year_source = models.CharField(max_length=32)
    summary = models.TextField(blank=True)
    cancer_role = models.CharField(max_length=24, blank=True)

    # The character (the traits table).
    sex = models.CharField(max_length=8)
    weight_kg = models.FloatField(null=True, blank=True)
    age = models.IntegerField(null=True, blank=True)
    aesthetics = models.JSONField(default=list)
    aesthetic_clans = models.JSONField(default=list)
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
    faction = models.CharField(max_length=16)
    sample_label = models.CharField(max_length=48)
    sample = models.TextField()
    tags = models.TextField()

    # Indexed: the lexicon's freshness check reads MAX(updated_at) on every request.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["symbol"]

    def __str__(self) -> str:
        return self.symbol


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
