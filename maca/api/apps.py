from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "maca.api"
    label = "api"
    verbose_name = "REST API"
