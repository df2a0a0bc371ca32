from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "maca.planning"
    label = "planning"
