"""`maca generate-903 --children N --seed S -o DIR [--year YYYY] [--xml]`: a fictional 903
extract for tests, the demo and benchmarks. The same seed gives the same files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maca.sampling.generate import generate


class Command(BaseCommand):
    help = "Write a synthetic, fictional SSDA903 extract."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, required=True)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("-o", "--output", required=True, help="Folder to write to.")
        parser.add_argument(
            "--year", type=int, default=2024, help="Collection year (2024 = 2023/24)."
        )
        parser.add_argument("--xml", action="store_true", help="One XML file instead of CSVs.")
        parser.add_argument(
            "--with-location", action="store_true",
            help="Add PL_LA, PL_LOCATION and PL_DISTANCE, as DfE's derived extract has.",
        )  # fmt: skip
        parser.add_argument(
            "--episodes-per-child", type=float, default=3.0,
            help="Average episodes per child (about 11.7 gives a million for 85,000).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        result = generate(
            Path(options["output"]),
            children=options["children"],
            seed=options["seed"],
            year=options["year"],
            xml=options["xml"],
            with_location=options["with_location"],
            episodes_per_child=options["episodes_per_child"],
        )
        for path in result.paths:
            self.stdout.write(str(path))
        self.stdout.write(
            f"Fictional home postcode districts: {','.join(result.home_districts)} "
            "(set MACA_HOME_POSTCODE_DISTRICTS or --home-districts to these)."
        )
