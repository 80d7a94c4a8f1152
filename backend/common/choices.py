"""Model ``choices`` from the pipeline's enums, so a category is declared once (in :mod:`pipeline.records`)."""

from __future__ import annotations

from enum import StrEnum


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """``[(value, label)]`` for a model field; the label is the value with spaces for underscores."""
    return [(member.value, member.value.replace("_", " ")) for member in enum]
