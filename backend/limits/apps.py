from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "backend.limits"
    label = "limits"
    verbose_name = "Rate-limit hits"
