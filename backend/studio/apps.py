from django.apps import AppConfig


class StudioConfig(AppConfig):
    """Where portraits are made: the generation queue, the first-portrait backfill and bring-your-own-key."""

    name = "backend.studio"
    label = "studio"
    verbose_name = "Studio"
