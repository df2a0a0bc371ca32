"""The demo's copy of the ready-made tool "Children looked after placed out of area".

The tool itself ships with every deployment (`maca.planning.library.cla_out_of_area`). The
demo's version 1 differs in two ways: its section on learning from previous reviews asks one
question per learning point of the fictional SCR Georgia, and it is frozen, as it was when the
first return of the March 2022 audit was answered against it.

The questions are real practice questions; only the SCR Georgia learning points they link to
are fictional (see `maca.demo.data`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from maca.audits.models import AuditTool, GradingScale, Question, ToolSection, ToolVersion
from maca.demo.data import SCR_GEORGIA
from maca.demo.upsert import Tally, upsert
from maca.learning.models import LearningPoint, Review
from maca.planning.library import cla_out_of_area as library
from maca.planning.library.cla_out_of_area import K, Q, S

__all__ = ["SECTIONS", "K", "Q", "S", "all_questions", "ensure_cla_out_of_area_tool"]

TOOL_SLUG = library.TOOL_SLUG
TOOL_NAME = library.TOOL_NAME
TOOL_VERSION = 1
# The version was frozen when the first return was answered against it.
FROZEN_AT = dt.datetime(2022, 2, 1, 9, 0, tzinfo=dt.UTC)

SECTIONS: tuple[S, ...] = library.sections(
    library.learning_section(
        SCR_GEORGIA.short_name,
        ((point.order, point.question) for point in SCR_GEORGIA.learning_points),
    )
)


def all_questions() -> list[Q]:
    return library.all_questions(SECTIONS)


@transaction.atomic
def ensure_scr_georgia(*, tally: Tally | None = None) -> Review:
    tally = tally or Tally()
    spec = SCR_GEORGIA
    review = upsert(
        tally,
        Review,
        lookup={"short_name": spec.short_name},
        values={
            "title": spec.title,
            "kind": Review.Kind.SCR,
            "published": spec.published,
            "summary": spec.summary,
            "url": spec.url,
        },
    )
    for point in spec.learning_points:
        upsert(
            tally,
            LearningPoint,
            lookup={"review": review, "order": point.order},
            values={"text": point.text},
        )
    return review


@transaction.atomic
def ensure_cla_out_of_area_tool(*, tally: Tally | None = None) -> ToolVersion:
    """Create or refresh the tool, version 1, and return that version."""
    tally = tally or Tally()
    review = ensure_scr_georgia(tally=tally)
    points = {point.order: point for point in review.learning_points.all()}
    scales = {scale.slug: scale for scale in GradingScale.objects.all()}
    tool = upsert(
        tally,
        AuditTool,
        lookup={"slug": TOOL_SLUG},
        values={
            "name": TOOL_NAME,
            "description": "Multi-agency case audit of children looked after and placed out "
            "of area: recognition of risk, assessment, voice of the child, planning, "
            "information sharing, statutory compliance, oversight, impact and learning from "
            "SCR Georgia.",
        },
    )
    version = upsert(
        tally,
        ToolVersion,
        lookup={"tool": tool, "number": TOOL_VERSION},
        values={"notes": "First version, used for the March 2022 audit.", "frozen_at": FROZEN_AT},
    )
    for order, spec in enumerate(SECTIONS, start=1):
        section = upsert(
            tally,
            ToolSection,
            lookup={"version": version, "order": order},
            values=library.section_values(spec, scales),
        )
        for q_order, question in enumerate(spec.questions, start=1):
            upsert(
                tally,
                Question,
                lookup={"section": section, "order": q_order},
                values=library.question_values(question, scales, points),
            )
    return version
