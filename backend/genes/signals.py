"""Every save or delete of a gene or one of its names bumps the catalogue version (the lexicon's stamp)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .models import Gene, GeneName
from .services import bump_catalogue_version


def _changed(sender, **kwargs) -> None:
    bump_catalogue_version()


def connect() -> None:
    for model in (Gene, GeneName):
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalogue-version-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"catalogue-version-delete-{model.__name__}")
