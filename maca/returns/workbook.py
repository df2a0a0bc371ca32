"""The offline return: an agency's return for one child as an Excel workbook, and reading it back.

Layout of the sheet "Return" (one row per thing to fill in):

    A Section | B Code | C Question | D Help | E Allowed answers | F Answer | G Evidence | H Reason

Column I (hidden) holds each row's key (`q:<question id>`, `s:<section id>:grade`, …), so a
row is matched by what it is, not where it is. Only F, G and H can be edited (the sheet is
protected); answers with a fixed list get an in-cell drop-down from the hidden sheet "Lists".
The hidden sheet "Meta" carries the return, the child, the agency and the revision the
workbook was made from, so a workbook for another return, or one made before someone saved the
return online, is refused rather than written over newer answers.

Text that a spreadsheet would run as a formula (starting = + - @) is written as text.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from maca.core.errors import Refused
from maca.core.spreadsheets import looks_like_formula
from maca.returns.forms import parse_number, yes_no_text
from maca.returns.selectors import ReturnContext
from maca.returns.structure import (
    FIELD_LABELS,
    SHORT_TEXT_LIMIT,
    TEXT_LIMIT,
    AnswerInput,
    Option,
    QuestionItem,
    ReturnInput,
    SummaryInput,
    display_answer,
    problems_for_submit,
)

FORMAT = "maca-return-workbook-1"
SHEET = "Return"
LISTS = "Lists"
META = "Meta"
COLUMNS = ["Section", "Code", "Question", "Help", "Allowed answers", "Answer", "Evidence", "Reason"]
ANSWER, EVIDENCE, REASON, KEY = "F", "G", "H", "I"
HEADER_ROW = 7
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A real return workbook is tens of kilobytes; anything that unpacks to more is not one.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

YES_NO = (Option("yes", "Yes"), Option("no", "No"))


class WorkbookInvalid(Refused):
    """A workbook refused whole, nothing saved; `errors` names each problem by its cell, for the
    page that lists them one by one."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class RowSpec:
    key: str
    section: str
    code: str
    text: str
    help: str = ""
    kind: str = "text"  # option, multi, date, number, text, short, yes_no
    options: tuple[Option, ...] = ()
    answer: Any = None
    evidence: str | None = None  # None: no evidence cell on this row
    reason: str | None = None  # None: no reason cell on this row
    reason_label: str = ""
    reason_required: bool = False
    item: QuestionItem | None = None

    @property
    def allowed(self) -> str:
        """What the answer may be and, on rows with a reason cell, whether it is needed."""
        if self.reason is None:
            return self._answer_allowed
        needed = "required" if self.reason_required else "optional"
        return f"{self._answer_allowed}\nReason in column H: {needed}"

    @property
    def _answer_allowed(self) -> str:
        if self.kind == "option" or self.kind == "yes_no":
            return "One of: " + ", ".join(option.label for option in self.options)
        if self.kind == "multi":
            return "One or more, separated by semicolons: " + "; ".join(
                option.label for option in self.options
            )
        if self.kind == "date":
            return "A date (day/month/year)"
        if self.kind == "number":
            return "A number"
        return "Text"


def _rows(context: ReturnContext, data: ReturnInput) -> list[RowSpec]:
    structure = context.structure
    about = "About this return"
    rows = [
        RowSpec("h:auditor_role", about, "", FIELD_LABELS["auditor_role"], kind="short",
                answer=data.auditor_role),
        RowSpec("h:period_reviewed", about, "", FIELD_LABELS["period_reviewed"], kind="short",
                help="For example '1 March 2025 to 28 February 2026'.",
                answer=data.period_reviewed),
        RowSpec("h:records_examined", about, "", FIELD_LABELS["records_examined"],
                answer=data.records_examined),
        RowSpec("h:auditor_was_involved", about, "", FIELD_LABELS["auditor_was_involved"],
                kind="yes_no", options=YES_NO,
                answer=yes_no_text(data.auditor_was_involved, "Yes", "No")),
    ]  # fmt: skip
    for section in structure.sections:
        title = f"{section.section.order}. {section.section.title}"
        for item in section.questions:
            answer = data.answer(item.question.pk)
            rows.append(_question_row(title, item, answer))
        summary = data.summary(section.section.pk)
        prefix = f"s:{section.section.pk}"
        for name in ("good_practice", "areas_for_development", "recommendations"):
            rows.append(
                RowSpec(f"{prefix}:{name}", title, "", f"{FIELD_LABELS[name]} (this section)",
                        answer=getattr(summary, name))
            )  # fmt: skip
        if section.is_graded:
            option = next((o for o in section.grade_options if o.value == summary.grade), None)
            rows.append(
                RowSpec(f"{prefix}:grade", title, "", "Section grade (give the reason in H)",
                        kind="option", options=section.grade_options,
                        answer=option.label if option else "", reason=summary.grade_reason,
                        reason_label="Reason for the section grade", reason_required=True)
            )  # fmt: skip
    summary_title = "Summary"
    for name in ("good_practice", "areas_for_development", "recommendations"):
        rows.append(
            RowSpec(f"o:{name}", summary_title, "", FIELD_LABELS[name], answer=getattr(data, name))
        )
    if structure.overall_options:
        option = structure.overall_option(data.overall_grade)
        rows.append(
            RowSpec("o:overall_grade", summary_title, "", "Overall grade (give the reason in H)",
                    kind="option", options=structure.overall_options,
                    answer=option.label if option else "", reason=data.overall_reason,
                    reason_label="Reason for the overall grade", reason_required=True)
        )  # fmt: skip
    rows.append(
        RowSpec("o:immediate_concern", summary_title, "",
                "Immediate concern about the child's safety now? (Also raise an escalation "
                "online or tell the partnership at once.)",
                kind="yes_no", options=YES_NO, answer="Yes" if data.immediate_concern else "No")
    )  # fmt: skip
    return rows


def _question_row(title: str, item: QuestionItem, answer: AnswerInput) -> RowSpec:
    question = item.question
    help_text = " ".join(part for part in (question.help_text, question.standard) if part)
    kind = {
        "multiple_choice": "multi",
        "date": "date",
        "number": "number",
        "text": "text",
    }.get(item.kind, "option")
    value: Any
    if kind == "date":
        value = answer.date_value
    elif kind == "number":
        value = answer.number_value
    else:
        value = display_answer(item, answer)
    return RowSpec(
        key=f"q:{question.pk}",
        section=title,
        code=item.code,
        text=question.text,
        help=help_text,
        kind=kind,
        options=item.options,
        answer=value,
        evidence=answer.evidence if item.shows_evidence else None,
        reason=answer.reason if item.shows_reason else None,
        reason_required=item.needs_reason,
        item=item,
    )


# --- Writing --------------------------------------------------------------------------------


def put(cell: Cell, value: Any) -> None:
    """Write a value so no spreadsheet runs it: text that looks like a formula stays text."""
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
ANSWER_FILL = PatternFill("solid", fgColor="FFF7E0")
BOLD = Font(bold=True)


def build_return_workbook(context: ReturnContext) -> bytes:
    data = context.saved
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    meta = workbook.create_sheet(META)
    meta.sheet_state = "hidden"
    _write_meta(meta, context)
    _write_intro(sheet, context)
    list_ranges: dict[tuple[str, ...], str] = {}
    validations: dict[str, DataValidation] = {}
    for column, (title, width) in enumerate(
        zip(COLUMNS, (22, 8, 50, 40, 28, 30, 45, 35), strict=True), start=1
    ):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        put(cell, title)
        cell.font = BOLD
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.cell(row=HEADER_ROW, column=9, value="Key")
    sheet.column_dimensions[KEY].hidden = True
    for index, spec in enumerate(_rows(context, data)):
        row = HEADER_ROW + 1 + index
        for column, value in enumerate(
            (spec.section, spec.code, spec.text, spec.help, spec.allowed), start=1
        ):
            cell = sheet.cell(row=row, column=column)
            put(cell, value)
            cell.alignment = WRAP
        sheet.cell(row=row, column=9, value=spec.key)
        answer_cell = sheet[f"{ANSWER}{row}"]
        put(answer_cell, _cell_value(spec))
        _unlock(answer_cell)
        if spec.kind == "date":
            answer_cell.number_format = "dd/mm/yyyy"
        if spec.options and spec.kind in {"option", "yes_no"}:
            labels = tuple(option.label for option in spec.options)
            if labels not in list_ranges:
                list_ranges[labels] = _write_list(lists, len(list_ranges) + 1, labels)
            reference = list_ranges[labels]
            if reference not in validations:
                validation = DataValidation(
                    type="list",
                    formula1=reference,
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Not an allowed answer",
                    error="Choose one of the answers in the list.",
                )
                sheet.add_data_validation(validation)
                validations[reference] = validation
            validations[reference].add(answer_cell)
        if spec.evidence is not None:
            cell = sheet[f"{EVIDENCE}{row}"]
            put(cell, spec.evidence)
            _unlock(cell)
        if spec.reason is not None:
            cell = sheet[f"{REASON}{row}"]
            put(cell, spec.reason)
            _unlock(cell)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # people may widen columns and rows to read answers
    protection.formatRows = False
    lists.protection.sheet = True
    meta.protection.sheet = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unlock(cell: Cell) -> None:
    cell.protection = UNLOCKED
    cell.alignment = WRAP
    cell.fill = ANSWER_FILL


def _cell_value(spec: RowSpec) -> Any:
    if spec.answer is None:
        return None
    if isinstance(spec.answer, Decimal):
        return int(spec.answer) if spec.answer == spec.answer.to_integral() else float(spec.answer)
    return spec.answer if spec.answer != "" else None


def _write_list(lists: Worksheet, column: int, labels: tuple[str, ...]) -> str:
    for row, label in enumerate(labels, start=1):
        put(lists.cell(row=row, column=column), label)
    letter = lists.cell(row=1, column=column).column_letter
    return f"{LISTS}!${letter}$1:${letter}${len(labels)}"


def _write_intro(sheet: Worksheet, context: ReturnContext) -> None:
    due = context.due_date
    lines = [
        (f"Agency return: {context.audit.title}", True),
        (f"Child: {context.case.pseudonym}    Agency: {context.agency.name}", False),
        (f"Returns due: {due.day} {due:%B %Y}" if due else "Returns due: not set", False),
        (
            "Fill in the shaded cells in columns F (answer), G (evidence) and H (reason) only. "
            "Where column E says 'Reason in column H: required', give a reason. Choose answers "
            "from the drop-down lists. Do not type formulas. Upload the file on the return's "
            "page in maca; every problem is listed at once, by sheet, row and column, and "
            "nothing is saved until every cell is right.",
            False,
        ),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        put(cell, text)
        if bold:
            cell.font = Font(bold=True, size=14)


def _write_meta(meta: Worksheet, context: ReturnContext) -> None:
    values = [
        ("format", FORMAT),
        ("return_id", context.agency_return.pk if context.agency_return else ""),
        ("case_id", context.case.pk),
        ("agency_id", context.agency.pk),
        ("revision", context.revision),
        ("tool_version_id", context.structure.version.pk if context.structure.version else ""),
    ]
    for row, (name, value) in enumerate(values, start=1):
        meta.cell(row=row, column=1, value=name)
        meta.cell(row=row, column=2, value=value)


def workbook_filename(context: ReturnContext) -> str:
    def slug(text: str) -> str:
        return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-").lower()

    parts = (context.audit.slug, context.case.pseudonym, context.agency.short_name)
    return "-".join(slug(part) for part in parts) + "-return.xlsx"


# --- Reading --------------------------------------------------------------------------------


COLUMN_NAMES = {ANSWER: "Answer", EVIDENCE: "Evidence", REASON: "Reason", KEY: "Key"}


def cell_place(sheet: str, cell: str) -> str:
    """Where a cell is, as a person looks for it: "Sheet Return, row 12, column F (Answer)"."""
    column, row = coordinate_from_string(cell)
    name = COLUMN_NAMES.get(column) if sheet == SHEET else None
    return f"Sheet {sheet}, row {row}, column {column}" + (f" ({name})" if name else "")


@dataclass
class _Reader:
    context: ReturnContext
    errors: list[str] = field(default_factory=list)
    # Cells whose value was refused: "missing" would only repeat what is already said there.
    refused: set[str] = field(default_factory=set)

    def error(self, cell: str, message: str) -> None:
        self.refused.add(cell)
        self.errors.append(f"{cell_place(SHEET, cell)}: {message}")


def read_return_workbook(context: ReturnContext, content: bytes) -> tuple[ReturnInput, int]:
    """The values in a filled workbook and the revision it was made from, or `WorkbookInvalid`
    listing every problem with its sheet, row and column, all found in one pass: a refused
    value, a formula, a missing answer or reason, a workbook out of date. Only a workbook that
    cannot be read at all, or is for another return, stops at the first problem."""
    workbook = _open(content)
    if SHEET not in workbook.sheetnames:
        names = ", ".join(f"'{name}'" for name in workbook.sheetnames)
        raise WorkbookInvalid(
            [
                f"The workbook has no sheet called '{SHEET}' (it has {names}). Upload the "
                "workbook downloaded from this return's page, with its sheets as they were."
            ]
        )
    if META not in workbook.sheetnames:
        raise WorkbookInvalid(
            [f"The workbook has no '{META}' sheet, so maca cannot tell which return it is for. "
             "Download a fresh workbook from this return's page."]
        )  # fmt: skip
    revision, out_of_date = _check_meta(context, workbook[META])
    sheet = workbook[SHEET]
    reader = _Reader(context)
    if out_of_date:
        reader.errors.append(out_of_date)
    _check_formulas(reader, sheet)
    rows_by_key = _rows_by_key(reader, sheet)
    specs = _rows(context, ReturnInput())
    data = ReturnInput()
    cells: dict[str, str] = {}
    for spec in specs:
        row = rows_by_key.get(spec.key)
        if row is None:
            label = f"{spec.code} {spec.text}".strip()
            reader.errors.append(
                f"{SHEET}: the row for '{label}' is missing. Download a fresh workbook."
            )
            continue
        _read_row(reader, sheet, spec, row, data, cells)
    for problem in problems_for_submit(context.structure, data):
        cell = cells.get(problem.key)
        if cell in reader.refused:
            continue
        reader.errors.append(
            f"{cell_place(SHEET, cell)}: {problem.message}" if cell else problem.message
        )
    if reader.errors:
        raise WorkbookInvalid(reader.errors)
    return data, revision


def _open(content: bytes) -> Any:
    not_xlsx = WorkbookInvalid(
        ["The file is not an Excel workbook (.xlsx). Upload the workbook downloaded from this "
         "return's page, saved as .xlsx."]
    )  # fmt: skip
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES or len(archive.infolist()) > 500:
                raise WorkbookInvalid(["The workbook is too large to be a return workbook."])
    except zipfile.BadZipFile:
        raise not_xlsx from None
    try:
        return load_workbook(io.BytesIO(content), data_only=False, keep_links=False)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile):
        raise not_xlsx from None


def _check_meta(context: ReturnContext, meta: Worksheet) -> tuple[int, str]:
    """The revision the workbook was made from, and the problem if the return has been saved
    since (reported with the rest, not alone); refuses at once a workbook that is not for this
    return."""
    values = {
        str(meta.cell(row=row, column=1).value or ""): meta.cell(row=row, column=2).value
        for row in range(1, 10)
    }
    if values.get("format") != FORMAT:
        raise WorkbookInvalid(
            [f"{cell_place(META, 'B1')}: this is not a maca return workbook. Download a fresh one."]
        )
    try:
        case_id = int(values.get("case_id") or 0)
        agency_id = int(values.get("agency_id") or 0)
        revision = int(values.get("revision") or 0)
    except (TypeError, ValueError):
        raise WorkbookInvalid(
            [f"{META}: the workbook's hidden details were changed. Download a fresh one."]
        ) from None
    if case_id != context.case.pk or agency_id != context.agency.pk:
        raise WorkbookInvalid(
            [
                f"{cell_place(META, 'B3')}: this workbook is for a different child or agency, not "
                f"{context.agency.short_name}'s return for {context.case.pseudonym}."
            ]
        )
    if revision != context.revision:
        return revision, (
            f"{cell_place(META, 'B5')}: the return has been saved since this workbook was "
            f"downloaded (the workbook is of version {revision}; the return is now at version "
            f"{context.revision}). Nothing has been saved. Download a fresh workbook, copy your "
            "answers into it and upload that."
        )
    return revision, ""


def _check_formulas(reader: _Reader, sheet: Worksheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            is_formula = cell.data_type == "f" or not isinstance(
                value, str | int | float | Decimal | dt.date | dt.datetime | dt.time | bool | None
            )
            if not is_formula and cell.column_letter in {ANSWER, EVIDENCE, REASON}:
                is_formula = isinstance(value, str) and value.startswith("=")
            if is_formula:
                reader.error(
                    cell.coordinate,
                    "contains a formula; maca accepts only typed answers. Replace it with the "
                    "value itself.",
                )


def _rows_by_key(reader: _Reader, sheet: Worksheet) -> dict[str, int]:
    expected = {spec.key for spec in _rows(reader.context, ReturnInput())}
    rows: dict[str, int] = {}
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        key = sheet[f"{KEY}{row}"].value
        if key is None or key == "":
            continue
        key = str(key)
        if key not in expected:
            reader.error(
                f"{KEY}{row}",
                "this row is not part of this return (the tool may have changed). Download a "
                "fresh workbook.",
            )
        elif key in rows:
            reader.error(f"{KEY}{row}", "this row appears twice. Download a fresh workbook.")
        else:
            rows[key] = row
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def _read_row(
    reader: _Reader,
    sheet: Worksheet,
    spec: RowSpec,
    row: int,
    data: ReturnInput,
    cells: dict[str, str],
) -> None:
    answer_ref = f"{ANSWER}{row}"
    raw = sheet[answer_ref].value
    reason = _text(sheet[f"{REASON}{row}"].value) if spec.reason is not None else ""
    evidence = _text(sheet[f"{EVIDENCE}{row}"].value) if spec.evidence is not None else ""
    for ref, text in ((f"{EVIDENCE}{row}", evidence), (f"{REASON}{row}", reason)):
        if len(text) > TEXT_LIMIT:
            reader.error(ref, f"must be {TEXT_LIMIT:,} characters or fewer")
    value = _read_value(reader, spec, raw, answer_ref)
    kind, _, rest = spec.key.partition(":")
    if kind == "h":
        name = rest
        cells[name] = answer_ref
        if name == "auditor_was_involved":
            data.auditor_was_involved = {"yes": True, "no": False}.get(str(value or ""))
        else:
            setattr(data, name, value or "")
    elif kind == "o":
        name = rest
        if name == "overall_grade":
            cells["overall_grade"] = answer_ref
            cells["overall_reason"] = f"{REASON}{row}"
            data.overall_grade = value or ""
            data.overall_reason = reason
        elif name == "immediate_concern":
            data.immediate_concern = value == "yes"
        else:
            setattr(data, name, value or "")
    elif kind == "s":
        section_id, _, name = rest.partition(":")
        summary = data.summaries.setdefault(int(section_id), SummaryInput())
        if name == "grade":
            cells[f"s{section_id}_grade"] = answer_ref
            cells[f"s{section_id}_grade_reason"] = f"{REASON}{row}"
            summary.grade = value or ""
            summary.grade_reason = reason
        else:
            setattr(summary, name, value or "")
    else:
        item = spec.item
        assert item is not None
        cells[item.key] = answer_ref
        cells[f"{item.key}_reason"] = f"{REASON}{row}"
        answer = AnswerInput(evidence=evidence, reason=reason)
        if spec.kind == "multi":
            answer.choices = tuple(value or ())
        elif spec.kind == "date":
            answer.date_value = value
        elif spec.kind == "number":
            answer.number_value = value
        elif spec.kind == "text":
            answer.text_value = value or ""
        else:
            answer.option = value or ""
        if not answer.is_blank():
            data.answers[item.question.pk] = answer


def _read_value(reader: _Reader, spec: RowSpec, raw: Any, ref: str) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec.kind in {"option", "yes_no"}:
        text = _text(raw)
        option = next(
            (
                o
                for o in spec.options
                if o.label.casefold() == text.casefold() or o.value.casefold() == text.casefold()
            ),
            None,
        )
        if option is None:
            allowed = ", ".join(option.label for option in spec.options)
            reader.error(ref, f"'{text}' is not one of {allowed}")
            return None
        return option.value
    if spec.kind == "multi":
        chosen = []
        for part in _text(raw).split(";"):
            part = part.strip()
            if not part:
                continue
            option = next((o for o in spec.options if o.label.casefold() == part.casefold()), None)
            if option is None:
                allowed = "; ".join(o.label for o in spec.options)
                reader.error(ref, f"'{part}' is not one of {allowed}")
                return None
            chosen.append(option.value)
        return tuple(o.value for o in spec.options if o.value in chosen)
    if spec.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = _text(raw)
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        reader.error(ref, f"'{text}' is not a date; enter it as day/month/year, like 27/03/2026")
        return None
    if spec.kind == "number":
        if isinstance(raw, bool):
            reader.error(ref, f"'{raw}' is not a number")
            return None
        number = parse_number(_text(raw) if not isinstance(raw, int | float) else repr(raw))
        if number is None:
            reader.error(ref, f"'{_text(raw)}' is not a number")
        return number
    text = _text(raw)
    limit = SHORT_TEXT_LIMIT if spec.kind == "short" else TEXT_LIMIT
    if len(text) > limit:
        reader.error(ref, f"must be {limit:,} characters or fewer")
    return text
