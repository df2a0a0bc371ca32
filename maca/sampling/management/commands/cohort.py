"""`maca cohort --import ID [filters…]`: the number of children after each filter."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maca.sampling import selectors
from maca.sampling.cli_args import add_filter_arguments, batch_from, filters_from


class Command(BaseCommand):
    help = "Count the children in a cohort of an imported 903 extract, filter by filter."

    def add_arguments(self, parser: CommandParser) -> None:
        add_filter_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        batch = batch_from(options)
        built = selectors.cohort_for(batch, filters_from(options, batch))
        width = max(len(step.label) for step in built.steps)
        for step in built.steps:
            self.stdout.write(f"{step.label.ljust(width)}  {step.count:>7}")
        for note in built.notes:
            self.stdout.write(f"Note: {note}")
