from django.apps import AppConfig


class StudioConfig(AppConfig):
    """Where portraits are made: the generation queue, the first-portrait backfill and bring-your-own-key."""

    name = "backend.studio"
    label = "studio"
    verbose_name = "Studio"

    def ready(self):
        from backend.portraits.first_look import register_first_portrait_drawer

        from .services import first_portrait_on_demand

        register_first_portrait_drawer(first_portrait_on_demand)
