from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maca.core"
    label = "core"
