"""Spaced-repetition review: a card per (user, gene, kind of question) with its FSRS state, and a log per answer.

A card holds exactly what ``fsrs.Card`` needs (state, step, stability, difficulty, due,
last_review; see :mod:`backend.learning.scheduler`) plus ``reps``, its number of reviews, which is
also its version: an answer updates the card only where ``reps`` is still what the question was
shown with, so two answers to one showing record one review.

The log is the history and outlives the cards: it keeps the user, the gene and the kind itself
(its card is SET_NULL), and a gene with review history cannot be deleted (PROTECT).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.genes.models import Gene


class Kind(models.TextChoices):
    """The questions a gene is reviewed with."""

    PORTRAIT_TO_GENE = "portrait-gene", "portrait → gene"
    SYMBOL_TO_PORTRAIT = "symbol-portrait", "symbol → portrait"
    WEIGHT = "weight", "how heavy?"
    AGE = "age", "how old?"
    FACTION = "faction", "which faction?"
    FASHION = "fashion", "which fashion (← clan)?"


# Asked only of genes with a canonical portrait.
PORTRAIT_KINDS = (Kind.PORTRAIT_TO_GENE, Kind.SYMBOL_TO_PORTRAIT)


class CardState(models.IntegerChoices):
    """``fsrs.State``'s values; NEW is the log's word for a card never reviewed before (fsrs calls it Learning)."""

    NEW = 0, "new"
    LEARNING = 1, "learning"
    REVIEW = 2, "review"
    RELEARNING = 3, "relearning"


class ReviewCard(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    gene = models.ForeignKey(Gene, on_delete=models.CASCADE, related_name="review_cards")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The FSRS card (fsrs.Card's fields; a new card is Learning at step 0 with no stability yet).
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0, help_text="reviews so far; 0: a new card (and the card's version)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "gene", "kind"], name="one_review_card_per_kind")]
        indexes = [
            models.Index(fields=["user", "due", "id"], name="review_card_user_due"),  # the due list, in order
            # The new cards of a user in the order they were enrolled (the due list takes the first few).
            models.Index(fields=["user", "id"], condition=models.Q(reps=0), name="review_card_new"),
        ]

    def __str__(self) -> str:
        return f"{self.gene.symbol} {self.kind} for {self.user}"

    @property
    def is_new(self) -> bool:
        return self.reps == 0


class ReviewLog(models.Model):
    """One answer: what was graded, whether the choice was right, and the card's state before and after."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_logs")
    gene = models.ForeignKey(Gene, on_delete=models.PROTECT, related_name="review_logs")
    card = models.ForeignKey(ReviewCard, null=True, blank=True, on_delete=models.SET_NULL, related_name="logs")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reps_before = models.PositiveIntegerField(help_text="the card's version the question was shown with")
    grade = models.PositiveSmallIntegerField(help_text="1 Again, 2 Hard, 3 Good, 4 Easy (a wrong choice is Again)")
    correct = models.BooleanField()
    reviewed_at = models.DateTimeField()
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.PositiveSmallIntegerField(choices=CardState.choices)
    state_after = models.PositiveSmallIntegerField(choices=CardState.choices)
    due_after = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=4), name="review_grade_1_to_4"),
            # One review per showing, whatever the application does (NULL cards, of deleted cards, never clash).
            models.UniqueConstraint(fields=["card", "reps_before"], name="one_review_per_card_version"),
        ]
        indexes = [models.Index(fields=["user", "reviewed_at"], name="review_log_user_time")]

    def __str__(self) -> str:
        return f"{self.user} graded {self.gene.symbol} {self.kind} {self.grade}"
