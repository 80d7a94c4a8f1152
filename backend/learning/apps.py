from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "backend.learning"
    label = "learning"
    verbose_name = "learning (spaced-repetition review and Anki decks)"
