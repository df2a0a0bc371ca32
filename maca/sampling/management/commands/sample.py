"""`maca sample --import ID --audit SLUG --size N --seed S [filters…]`: draw the sample and
create the cases. Prints the record written to the audit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.sampling import services
from maca.sampling.cli_args import add_filter_arguments, batch_from, filters_from
from maca.sampling.models import SampleDraw


class Command(BaseCommand):
    help = "Draw a reproducible sample from a cohort and add the children to an audit as cases."

    def add_arguments(self, parser: CommandParser) -> None:
        add_filter_arguments(parser)
        parser.add_argument("--audit", required=True, help="Slug of the audit.")
        parser.add_argument("--size", type=int, required=True)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--method", choices=SampleDraw.Method.values, default="random")
        parser.add_argument("--stratify-by", choices=SampleDraw.Strata.values, default="")
        parser.add_argument(
            "--exclude", action="append", default=[],
            help='"CHILD id,reason" to leave a child out; repeat for several.',
        )  # fmt: skip
        parser.add_argument("--by", help="Email of the coordinator drawing the sample.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = batch_from(options)
        audit = Audit.objects.filter(slug=options["audit"]).first()
        if audit is None:
            raise CommandError(f"--audit {options['audit']}: no such audit.")
        user = None
        if options["by"]:
            user = User.objects.filter(email__iexact=options["by"]).first()
            if user is None:
                raise CommandError(f"--by {options['by']}: no such user.")
        try:
            exclusions = services.parse_exclusions("\n".join(options["exclude"]))
            draw = services.draw_for_audit(
                audit=audit,
                batch=batch,
                filters=filters_from(options, batch),
                method=options["method"],
                stratify_by=options["stratify_by"],
                size=options["size"],
                seed=options["seed"],
                exclusions=exclusions,
                user=user,
            )
        except services.SamplingError as error:
            flag = f"--{error.field.replace('_', '-')}: " if error.field else ""
            raise CommandError(f"{flag}{error.text}") from None
        self.stdout.write(draw.record)
