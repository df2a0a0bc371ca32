from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "maca.moderation"
    label = "moderation"
    verbose_name = "Moderation"
