from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "maca.exchange"
    label = "exchange"
    verbose_name = "Whole-audit export and import"

    def ready(self) -> None:
        from maca.exchange.pending import pending_imports_expire
        from maca.exchange.selectors import audit_export, export_as_read
        from maca.manage.daily import register_daily_step
        from maca.reports.disclosure_check import Exporter, register_exporter

        # The disclosure check (reports, below this app) reads the export as it is downloaded.
        register_exporter(Exporter(build=audit_export, as_read=export_as_read))
        # A waiting upload is a whole audit, children's details included: one its uploader
        # left is deleted by the next day's run even if nobody uploads again.
        register_daily_step("expired waiting uploads", lambda day, now: pending_imports_expire())
