from django.apps import AppConfig


class GenesConfig(AppConfig):
    name = "backend.genes"
    label = "genes"
