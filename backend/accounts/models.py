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


class ProviderKey(models.Model):
    """A user's API key for an image provider (bring your own key), encrypted at rest.

    The plain key is never stored or returned; ``fingerprint`` identifies it to its
    owner. Encryption and fingerprints: :mod:`backend.accounts.keys`.
    """

    OPENAI = "openai"
    PROVIDERS = [(OPENAI, "OpenAI images API")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_key")
    provider = models.CharField(max_length=32, choices=PROVIDERS)
    model = models.CharField(max_length=128)
    encrypted_key = models.TextField(help_text="Fernet token; never the plain key")
    fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} {self.provider} {self.fingerprint}"
