"""Artist opt-out requests and the artists blocked because of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ArtistOptOut(models.Model):
    """A request from an artist (or on their behalf) to stop imitating their style. Private."""

    NEW, BLOCKED, DISMISSED = "new", "blocked", "dismissed"
    STATUSES = [(NEW, "new"), (BLOCKED, "blocked"), (DISMISSED, "dismissed")]

    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=254)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=STATUSES, default=NEW, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "artist opt-out"

    def __str__(self) -> str:
        return f"opt-out #{self.pk} ({self.status})"


class BlockedArtist(models.Model):
    """An artist whose name hides every emulsion and portrait that used it. Private."""

    name = models.CharField(max_length=200, unique=True)
    blocked_at = models.DateTimeField(auto_now_add=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
