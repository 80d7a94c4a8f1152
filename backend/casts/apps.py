from django.apps import AppConfig


class CastsConfig(AppConfig):
    name = "backend.casts"
    label = "casts"
    verbose_name = "casts (pathway scenarios as genes in factions)"
