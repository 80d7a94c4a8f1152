from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The site's server-rendered pages: archive, search, the gene page and its forms, stats."""

    name = "backend.pages"
    label = "pages"
