from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "backend.requests"
    label = "generation_requests"
