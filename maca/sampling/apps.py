from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "maca.sampling"
    label = "sampling"

    def ready(self) -> None:
        from maca.identifiers.retention import register_sample_hashes
        from maca.sampling.retention import SAMPLE_HASHES

        register_sample_hashes("sampling.SampledChild", SAMPLE_HASHES)
