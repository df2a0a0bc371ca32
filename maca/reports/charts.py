"""Charts: one Vega-Lite spec per chart (built with Altair), rendered on the server by
vl-convert, to SVG for the web page and PDF and to PNG for Word.

Every chart carries a text summary (its text alternative, said in words) and the numbers in a
table, shown beside it, so nobody needs to see the picture to get the figures. The SVG goes
inline in the page: vl-convert writes presentation attributes, never `style` attributes or
scripts, so it passes the strict CSP; Vega's own ARIA markup is switched off and the whole
picture becomes one `role="img"` labelled by the summary.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import vl_convert as vlc
from django.core.cache import caches

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
TEXT = "#0b0c0c"
# Drawn at about the width of a half column, so labels keep a readable size on the page.
WIDTH = 260

# GOV.UK colours, best to worst, for ordered categories (grades, outcomes); the tables beside
# each chart carry the numbers, so colour is never the only way to read them.
_BEST_TO_WORST = {
    1: ["#1d70b8"],
    2: ["#00703c", "#d4351c"],
    3: ["#00703c", "#f47738", "#d4351c"],
    4: ["#00703c", "#85994b", "#f47738", "#d4351c"],
    5: ["#00703c", "#85994b", "#ffdd00", "#f47738", "#d4351c"],
}
NEUTRAL = "#1d70b8"
COMPARE = ["#1d70b8", "#b1b4b6", "#4c2c92"]


def ordered_palette(count: int) -> list[str]:
    if count in _BEST_TO_WORST:
        return _BEST_TO_WORST[count]
    # Long scales (0 to 10): a blue ramp, darkest first.
    return [f"#{int(0x1D + (0xD2 - 0x1D) * i / max(count - 1, 1)):02x}70b8" for i in range(count)]


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]  # the first heads the row labels
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str
    table: Table
    spec: dict[str, Any] = field(repr=False)

    @property
    def is_empty(self) -> bool:
        return not self.table.rows

    def svg(self) -> str:
        return _svg(json.dumps(self.spec, sort_keys=True), self.key, self.summary)

    def png(self) -> bytes:
        return _png(json.dumps(self.spec, sort_keys=True))


def _config(chart: alt.Chart | alt.LayerChart, title: str) -> dict[str, Any]:
    # No title inside the picture: the page's heading and the caption say what it is.
    spec: dict[str, Any] = (
        chart.properties(width=WIDTH, description=title)
        .configure(font=FONT, aria=False, background="white")
        .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=12, titleFontSize=12)
        .configure_legend(
            labelColor=TEXT,
            titleColor=TEXT,
            labelFontSize=12,
            orient="bottom",
            columns=2,
            labelLimit=0,
        )
        .configure_view(stroke=None)
        # Altair's JSON-schema check costs ~30 ms a chart; the specs are built here from fixed
        # shapes, and the tests render every one, so it is skipped on each request.
        .to_dict(validate=False)
    )
    return spec


# vl-convert takes a moment per chart; the same numbers always draw the same picture. Each
# process keeps the pictures it drew, and the shared cache (the database) keeps them for every
# web worker and server, so a chart is drawn once, not once per worker.
_CHART_CACHE_SECONDS = 30 * 24 * 3600


@functools.lru_cache(maxsize=512)
def _svg(spec_json: str, key: str, summary: str) -> str:
    name = "chart-svg:" + hashlib.sha256(f"{spec_json}|{key}|{summary}".encode()).hexdigest()
    kept = caches["charts"].get(name)
    if isinstance(kept, str):
        return kept
    svg = _accessible_svg(vlc.vegalite_to_svg(json.loads(spec_json)), key, summary)
    caches["charts"].set(name, svg, _CHART_CACHE_SECONDS)
    return svg


def warm_up() -> None:
    """Draw one tiny chart, so the renderer's engine is running before the first page needs
    it (web workers call this as they start)."""
    vlc.vegalite_to_svg(
        {"data": {"values": [{"n": 1}]}, "mark": "bar", "encoding": {"x": {"field": "n"}}}
    )


@functools.lru_cache(maxsize=128)
def _png(spec_json: str) -> bytes:
    return bytes(vlc.vegalite_to_png(json.loads(spec_json), scale=2))


_ROOT = re.compile(r"<svg\b([^>]*)>")


def _accessible_svg(svg: str, key: str, summary: str) -> str:
    """One image with a text alternative, that scales to its column."""
    svg = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", svg)
    match = _ROOT.search(svg)
    assert match is not None, "vl-convert returned no <svg>"
    attributes = re.sub(r'\s(?:width|height|class)="[^"]*"', "", match.group(1))
    title_id = f"chart-{key}-title"
    root = (
        f'<svg{attributes} width="100%" role="img" aria-labelledby="{title_id}" '
        'focusable="false" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{title_id}">{html.escape(summary)}</title>'
    )
    svg = svg[: match.start()] + root + svg[match.end() :]
    if "style=" in svg or "<script" in svg:  # never ship what the CSP would block
        raise ValueError("vl-convert produced inline style or script")
    return svg


# --- Chart builders -------------------------------------------------------------------------


def _values(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)


def horizontal_bars(
    *,
    key: str,
    title: str,
    summary: str,
    table: Table,
    rows: Sequence[tuple[str, float]],
    x_title: str,
) -> Chart:
    data = [{"label": label, "value": value} for label, value in rows]
    chart = (
        alt.Chart(_values(data))
        .mark_bar(color=NEUTRAL)
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=180)),
            x=alt.X("value:Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
        )
        .properties(height=max(40, 22 * len(data)))
    )
    return Chart(key, title, summary, table, _config(chart, title))


def percent_bars(
    *, key: str, title: str, summary: str, table: Table, rows: list[tuple[str, float | None]]
) -> Chart:
    data = [{"label": label, "value": value} for label, value in rows if value is not None]
    chart = (
        alt.Chart(_values(data))
        .mark_bar(color=NEUTRAL)
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("value:Q", title="Per cent met", scale=alt.Scale(domain=[0, 100])),
        )
        .properties(height=max(40, 22 * len(data)))
    )
    return Chart(key, title, summary, table, _config(chart, title))


def stacked_bars(
    *,
    key: str,
    title: str,
    summary: str,
    table: Table,
    rows: list[tuple[str, tuple[int, ...]]],
    categories: tuple[str, ...],
    colours: list[str] | None = None,
    x_title: str = "Count",
) -> Chart:
    data = [
        {"label": label, "category": category, "order": index, "value": value}
        for label, values in rows
        for index, (category, value) in enumerate(zip(categories, values, strict=True))
        if value
    ]
    palette = colours or ordered_palette(len(categories))
    chart = (
        alt.Chart(_values(data))
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N",
                sort=[label for label, _ in rows],
                title=None,
                axis=alt.Axis(labelLimit=180),
            ),
            x=alt.X("sum(value):Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "category:N",
                title=None,
                sort=list(categories),
                scale=alt.Scale(domain=list(categories), range=palette),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(height=max(40, 24 * len(rows)))
    )
    return Chart(key, title, summary, table, _config(chart, title))
