"""Emulsions, candidate portraits, votes and the canonical choice per gene."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.common.choices import choices
from backend.genes.models import Gene
from pipeline.records import EMULSION_COLUMNS, Emulsion as EmulsionRecord, Finish, Palette, Sampler, Texture


class Emulsion(models.Model):
    """An image style (loaded from gene_data/emulsions.csv; fields are :class:`pipeline.records.Emulsion`'s).

    ``artists`` is private; ``blocked`` is the site's own (an artist opt-out).
    """

    emulsion_id = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=128)
    style_words = models.TextField(blank=True)
    negative_words = models.TextField(blank=True)
    sampler = models.CharField(max_length=32, choices=choices(Sampler))
    steps = models.IntegerField()
    guidance = models.FloatField()
    width = models.IntegerField()
    height = models.IntegerField()
    line_weight = models.FloatField(default=1.0)
    palette = models.CharField(max_length=32, choices=choices(Palette), default=Palette.NATURAL.value)
    texture = models.CharField(max_length=32, choices=choices(Texture), default=Texture.NONE.value)
    finish = models.CharField(max_length=32, choices=choices(Finish), default=Finish.DRAWN.value)
    artists = models.TextField(blank=True, help_text="private: never shown publicly")
    blocked = models.BooleanField(default=False, help_text="hidden after an artist opt-out")

    class Meta:
        ordering = ["emulsion_id"]

    def __str__(self) -> str:
        return f"{self.emulsion_id} {self.name}"

    def record(self) -> EmulsionRecord:
        """The emulsion as the pipeline reads it."""
        values = {name: getattr(self, name) for name in EMULSION_COLUMNS}
        values.update(
            sampler=Sampler(self.sampler),
            palette=Palette(self.palette),
            texture=Texture(self.texture),
            finish=Finish(self.finish),
        )
        return EmulsionRecord(**values)


class Portrait(models.Model):
    """One candidate image of a gene's character."""

    IMPORT, REQUEST, TRANSFER, BYOK, BACKFILL = "import", "request", "transfer", "byok", "backfill"
    ORIGINS = [
        (IMPORT, "batch import"),
        (REQUEST, "generation request"),
        (TRANSFER, "transfer"),
        (BYOK, "own provider key"),
        (BACKFILL, "first portrait, rendered for a gene that had none"),
    ]

    gene = models.ForeignKey(Gene, on_delete=models.CASCADE, related_name="portraits")
    image = models.FileField(upload_to="portraits/")
    blot = models.FileField(upload_to="blots/", blank=True)
    sha256 = models.CharField(max_length=64)
    renderer = models.CharField(max_length=32)
    model = models.CharField(max_length=255, blank=True)
    emulsion = models.ForeignKey(Emulsion, null=True, blank=True, on_delete=models.SET_NULL, related_name="portraits")
    seed = models.BigIntegerField(null=True, blank=True)
    prompt = models.TextField(blank=True)
    width = models.IntegerField()
    height = models.IntegerField()
    origin = models.CharField(max_length=16, choices=ORIGINS, default=IMPORT)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="transfers"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    hidden = models.BooleanField(default=False, help_text="removed from public view by moderation")
    score = models.IntegerField(default=0, help_text="sum of votes (kept in step with Vote rows)")
    votes_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["gene", "sha256"], name="unique_portrait_per_gene")]

    def __str__(self) -> str:
        return f"{self.gene.symbol} #{self.pk}"


class Vote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    portrait = models.ForeignKey(Portrait, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "portrait"], name="one_vote_per_user"),
            models.CheckConstraint(condition=models.Q(value__in=[-1, 1]), name="vote_is_plus_or_minus_one"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on portrait #{self.portrait_id}"


class Canonical(models.Model):
    """The portrait shown on a gene's card. ``pinned`` by an admin overrides the votes."""

    gene = models.OneToOneField(Gene, on_delete=models.CASCADE, related_name="canonical")
    portrait = models.ForeignKey(Portrait, on_delete=models.CASCADE, related_name="+")
    pinned = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.gene.symbol}: portrait #{self.portrait_id}"


class CanonicalChange(models.Model):
    """Every change of a gene's canonical portrait, with its reason."""

    gene = models.ForeignKey(Gene, on_delete=models.CASCADE, related_name="canonical_changes")
    old_portrait = models.ForeignKey(Portrait, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    new_portrait = models.ForeignKey(Portrait, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=255)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gene.symbol}: portrait #{self.old_portrait_id} -> #{self.new_portrait_id} ({self.reason})"
