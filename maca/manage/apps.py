from django.apps import AppConfig


class ManageConfig(AppConfig):
    name = "maca.manage"
    label = "manage"
