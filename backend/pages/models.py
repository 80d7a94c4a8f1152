"""What the pages keep of their own: the index of stored style samples."""

from __future__ import annotations

from django.db import models

from backend.portraits.models import Emulsion


class StyleSample(models.Model):
    """A stored style sample (``style_samples``): the reference gene drawn in one emulsion.

    The file name is a digest of everything the sample is drawn from, so a row is never stale:
    a changed emulsion or renderer has a new name, found missing and rendered. The index lets a
    page find every stored sample with one query instead of asking the storage (an S3 bucket in
    deployment) about each file.
    """

    emulsion = models.ForeignKey(Emulsion, on_delete=models.CASCADE, related_name="style_samples")
    name = models.CharField(max_length=255, unique=True, help_text="the file's name in the default storage")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
