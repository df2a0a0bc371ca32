from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "maca.sampling"
    label = "sampling"
