from django.apps import AppConfig


class GenesConfig(AppConfig):
    name = "backend.genes"
    label = "genes"

    def ready(self) -> None:
        from . import signals

        signals.connect()
