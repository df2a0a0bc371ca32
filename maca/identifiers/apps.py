from django.apps import AppConfig


class IdentifiersConfig(AppConfig):
    name = "maca.identifiers"
    label = "identifiers"
