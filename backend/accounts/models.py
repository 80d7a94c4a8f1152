"""Accounts: the genes each user has discovered."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.genes.models import Gene


class Discovery(models.Model):
    """A gene a user has met (hovered in the extension, or one of the starter genes)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discoveries")
    gene = models.ForeignKey(Gene, on_delete=models.CASCADE, related_name="discoveries")
    discovered_at = models.DateTimeField(auto_now_add=True, db_index=True)
    starter = models.BooleanField(default=False, help_text="granted with the account, not found by the user")

    class Meta:
        ordering = ["-discovered_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "gene"], name="one_discovery_per_user_gene")]
        verbose_name_plural = "discoveries"

    def __str__(self) -> str:
        return f"{self.user} found {self.gene.symbol}"
