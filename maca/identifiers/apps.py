from django.apps import AppConfig


class IdentifiersConfig(AppConfig):
    name = "maca.identifiers"
    label = "identifiers"

    def ready(self) -> None:
        from maca.core import history

        # An agency's reference changes are recorded like the identity's: that it changed,
        # never the value.
        history.track(
            "identifiers.AgencyReference", audit_path="case__audit_id", redacted=("reference",)
        )
