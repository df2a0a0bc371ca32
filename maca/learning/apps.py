from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "maca.learning"
    label = "learning"
