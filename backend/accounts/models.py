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


class Preferences(models.Model):
    """A user's choices about what others see. A user without a row has the defaults (nothing shared)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    share_discoveries = models.BooleanField(
        default=False,
        help_text="list this user's discoveries (username, gene, when) in others' discoveries and /api/discoveries/",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"preferences of {self.user}"

    @classmethod
    def of(cls, user) -> Preferences:
        """The user's preferences; an unsaved default row (nothing shared) for a user who never chose."""
        found = cls.objects.filter(user=user).first()
        return found if found is not None else cls(user=user)

    @classmethod
    def set_for(cls, user, *, share_discoveries: bool) -> Preferences:
        """Store the user's choice (creating the row on first use)."""
        preferences, _ = cls.objects.update_or_create(user=user, defaults={"share_discoveries": share_discoveries})
        return preferences
