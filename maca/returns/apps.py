from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "maca.returns"
    label = "returns"
