"""The studio's records: generation requests (the free queue render workers claim), claims on genes' first
portraits (drawn once, on demand or by the backfill) and users' provider keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.genes.models import Gene
from backend.portraits.models import Emulsion, Portrait


class GenerationRequest(models.Model):
    """A user's request for a new portrait of ``gene`` in ``emulsion``.

    ``queued`` → ``running`` (claimed by a worker; ``attempts`` counts claims)
    → ``done`` (``portrait`` set) or ``failed`` (``error`` set).

    ``kind`` says who draws it: ``free`` requests are drawn by the render worker's own
    renderer, and a running claim older than ``ICONOPLASM_CLAIM_TIMEOUT_S`` is claimed again;
    ``byok`` requests are drawn through the user's own image provider (bring your own key), the
    emulsion is optional, and they get exactly one attempt: a provider may bill every call, so a
    byok request is never retried — a failure, or a claim that timed out, fails it.
    """

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(QUEUED, "queued"), (RUNNING, "running"), (DONE, "done"), (FAILED, "failed")]
    FREE, BYOK = "free", "byok"
    KINDS = [(FREE, "free queue"), (BYOK, "own provider key")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generation_requests")
    gene = models.ForeignKey(Gene, on_delete=models.CASCADE, related_name="generation_requests")
    kind = models.CharField(max_length=8, choices=KINDS, default=FREE)
    emulsion = models.ForeignKey(
        Emulsion, null=True, blank=True, on_delete=models.PROTECT, related_name="generation_requests"
    )
    status = models.CharField(max_length=8, choices=STATUSES, default=QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=128, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    portrait = models.ForeignKey(Portrait, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "claimed_at"], name="genreq_status_claimed")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="byok") | models.Q(emulsion__isnull=False), name="genreq_free_has_emulsion"
            )
        ]

    def __str__(self) -> str:
        return f"request #{self.pk} {self.gene_id} {self.status}"


class FirstPortraitClaim(models.Model):
    """A gene's first portrait being drawn: by a page or card request that found the gene without one, or by
    the backfill. One row per gene (the unique key is the lock, on SQLite and PostgreSQL alike), so the
    portrait is drawn once however many processes ask for it at the same moment.

    The row goes when the portrait is registered. A drawing that failed leaves it with ``error`` until
    the claim times out (``ICONOPLASM_CLAIM_TIMEOUT_S``), so a failing gene is not drawn again on
    every request; so does a process that died while drawing.
    """

    gene = models.OneToOneField(Gene, on_delete=models.CASCADE, related_name="+")
    claimed_by = models.CharField(max_length=128)
    claimed_at = models.DateTimeField()
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"first portrait of {self.gene_id}, claimed by {self.claimed_by}"


class ProviderKey(models.Model):
    """A user's API key for an image provider (bring your own key), encrypted at rest.

    The plain key is never stored or returned; ``fingerprint`` identifies it to its
    owner. Encryption and fingerprints: :mod:`backend.studio.keys`.
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
