"""The brief as Markdown (CommonMark), for intranets, wikis and e-mail."""

from __future__ import annotations

import re

from maca.reports.brief import Brief
from maca.reports.renderers.outline import (
    Bullets,
    Heading,
    Inline,
    Link,
    Para,
    Table,
    Text,
    outline,
)

# Characters that would otherwise turn a practitioner's words into markup.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# A line that starts like a heading, list item, quote or numbered item.
_BLOCK_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])")


def escape(text: str) -> str:
    return _BLOCK_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", text))


def _link_target(url: str) -> str:
    # Angle brackets let a URL hold spaces or parentheses without ending the link early.
    return f"<{url.replace('<', '%3C').replace('>', '%3E')}>"


def _inline(runs: tuple[Inline, ...]) -> str:
    out = []
    for run in runs:
        if isinstance(run, Link):
            out.append(f"[{escape(run.text)}]({_link_target(run.url)})")
            continue
        assert isinstance(run, Text)
        text = escape(run.text)
        stripped = text.strip()
        if stripped and (run.bold or run.italic):
            marker = "**" if run.bold else "*"
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            text = f"{lead}{marker}{stripped}{marker}{trail}"
        out.append(text)
    return "".join(out)


def render_markdown(brief: Brief) -> str:
    chunks: list[str] = []
    for block in outline(brief):
        if isinstance(block, Heading):
            chunks.append(f"{'#' * block.level} {escape(block.text)}")
        elif isinstance(block, Para):
            text = _inline(block.runs)
            chunks.append(f"*{text}*" if block.subtitle else text)
        elif isinstance(block, Bullets):
            chunks.append("\n".join(f"- {_inline(item)}" for item in block.items))
        elif isinstance(block, Table):
            chunks.append(_table(block))
    return "\n\n".join(chunks) + "\n"


def _table(table: Table) -> str:
    """A GitHub-flavoured table after its caption; CommonMark shows it as plain lines."""

    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape(cell) for cell in cells) + " |"

    lines = [escape(table.caption), "", row(table.header)]
    lines.append("|" + "|".join(" --- " for _ in table.header) + "|")
    lines += [row(cells) for cells in table.rows]
    return "\n".join(lines)
