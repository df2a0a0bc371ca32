"""The action tracker as CSV and XLSX.

Cells that a spreadsheet would read as a formula (starting =, +, -, @, or a tab or carriage
return before one) are neutralised: in CSV with a leading apostrophe, as OWASP advises; in XLSX
by storing every cell as a plain string, which Excel and LibreOffice never evaluate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from maca.core.spreadsheets import safe_cell
from maca.learning.selectors import TrackerRow

HEADERS = (
    "Audit",
    "Action",
    "Owners",
    "Lead",
    "Due",
    "Status",
    "Overdue",
    "Done on",
    "Measure of success",
    "Evidence of impact",
    "Verified on",
    "Latest update",
)


def tracker_table(rows: Sequence[TrackerRow]) -> list[list[str]]:
    table = []
    for row in rows:
        action = row.action
        lead = action.lead_name or (action.lead.full_name if action.lead else "")
        latest = row.last_update
        table.append(
            [
                action.audit.title,
                action.description,
                ", ".join(agency.short_name for agency in action.owners.all()),
                lead,
                str(action.due) if action.due else "",
                action.get_status_display(),
                "Yes" if row.is_overdue else "No",
                str(action.done_on) if action.done_on else "",
                action.measure_of_success,
                action.evidence_of_impact,
                f"{action.verified_at:%d %B %Y}" if action.verified_at else "",
                f"{latest.at:%d %B %Y}: {latest.text}" if latest else "",
            ]
        )
    return table


def tracker_csv(rows: Sequence[TrackerRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for line in tracker_table(rows):
        writer.writerow([safe_cell(value) for value in line])
    # A byte-order mark lets Excel read the file as UTF-8 (names with accents, en dashes).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def tracker_xlsx(rows: Sequence[TrackerRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Actions"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in tracker_table(rows):
        sheet.append([None] * len(line))
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            # Control characters cannot be stored in XLSX at all.
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            # openpyxl reads "=…" as a formula; store every cell as text instead.
            cell.data_type = "s"  # type: ignore[assignment]
    sheet.freeze_panes = "A2"
    for letter, width in zip(
        "ABCDEFGHIJKL", (30, 50, 20, 20, 12, 12, 9, 14, 40, 40, 14, 40), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
