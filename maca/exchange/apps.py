from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "maca.exchange"
    label = "exchange"
    verbose_name = "Whole-audit export and import"
