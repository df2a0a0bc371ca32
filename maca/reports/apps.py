from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maca.reports"
    label = "reports"
