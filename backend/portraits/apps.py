from django.apps import AppConfig


class PortraitsConfig(AppConfig):
    name = "backend.portraits"
    label = "portraits"
