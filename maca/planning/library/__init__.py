"""Ready-made audit tools that ship with every deployment.

A coordinator adds one from the tool library in one action; it then lives as an ordinary tool
(version 1, not frozen) that can be edited, versioned and copied.
"""

from __future__ import annotations

from dataclasses import dataclass

from maca.planning.library import cla_out_of_area
from maca.planning.library.cla_out_of_area import S


@dataclass(frozen=True)
class ReadyTool:
    slug: str
    name: str
    description: str
    sections: tuple[S, ...]

    @property
    def question_count(self) -> int:
        return sum(len(section.questions) for section in self.sections)


READY_TOOLS: dict[str, ReadyTool] = {
    tool.slug: tool
    for tool in (
        ReadyTool(
            slug=cla_out_of_area.TOOL_SLUG,
            name=cla_out_of_area.TOOL_NAME,
            description=cla_out_of_area.TOOL_DESCRIPTION,
            sections=cla_out_of_area.SECTIONS,
        ),
    )
}
