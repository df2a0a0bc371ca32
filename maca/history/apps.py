from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """The history of changes read back as timelines. Above the domain apps, because a
    timeline gathers an object's records with those of the things inside it; the recording
    itself stays in `maca.core.history`, which every app uses to write history."""

    name = "maca.history"
    label = "history"
