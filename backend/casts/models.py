"""A cast: a pathway scenario told as genes in factions (sides), built in or composed by a user."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.genes.models import Gene


class Cast(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # None for the built-in scenarios (loaded by `manage.py load_casts`).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="casts"
    )
    builtin = models.BooleanField(default=False)
    public = models.BooleanField(default=False, help_text="listed on the browse page (anyone with the link may view)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-builtin", "title", "id"]

    def __str__(self) -> str:
        return self.title


class CastSide(models.Model):
    """One faction of a cast, e.g. "self-destruct first"."""

    cast = models.ForeignKey(Cast, on_delete=models.CASCADE, related_name="sides")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["cast", "position"]
        constraints = [models.UniqueConstraint(fields=["cast", "position"], name="one_side_per_cast_position")]

    def __str__(self) -> str:
        return f"{self.cast}: {self.name}"


class CastMember(models.Model):
    side = models.ForeignKey(CastSide, on_delete=models.CASCADE, related_name="members")
    gene = models.ForeignKey(Gene, on_delete=models.CASCADE, related_name="cast_roles")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["side", "position"]
        constraints = [models.UniqueConstraint(fields=["side", "gene"], name="one_role_per_side_gene")]

    def __str__(self) -> str:
        return f"{self.gene.symbol} in {self.side}"
