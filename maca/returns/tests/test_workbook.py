"""The offline return: a workbook downloaded, filled by a script and uploaded becomes a complete
return; a damaged one is refused whole, with each problem named by its cell."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from maca.audits.models import AgencyReturn, Answer, ReturnStatus
from maca.returns import services
from maca.returns.tests.conftest import World
from maca.returns.workbook import ANSWER, EVIDENCE, KEY, REASON

pytestmark = pytest.mark.django_db


def label(answer: Answer) -> str:
    return answer.grade.label if answer.grade else ""


def _url(world: World, name: str) -> str:
    return reverse(f"returns:{name}", args=[world.audit.slug, world.case.pk, world.agency_a.pk])


def download(client, world: World) -> Any:
    response = client.get(_url(world, "workbook"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def rows_by_key(sheet) -> dict[str, int]:
    return {
        str(sheet[f"{KEY}{row}"].value): row
        for row in range(1, sheet.max_row + 1)
        if sheet[f"{KEY}{row}"].value
    }


def fill(workbook, world: World) -> None:
    """Fill every answer cell as an auditor would, by what each row asks."""
    sheet = workbook["Return"]
    for key, row in rows_by_key(sheet).items():
        allowed = str(sheet[f"E{row}"].value)
        cell = sheet[f"{ANSWER}{row}"]
        if key == "h:auditor_was_involved" or key == "o:immediate_concern":
            cell.value = "No"
        elif key.startswith("h:"):
            cell.value = "Fictional header value"
        elif key.endswith(":grade") or key == "o:overall_grade":
            cell.value = "Good"
            sheet[f"{REASON}{row}"].value = "Met, with evidence."
        elif allowed.startswith("One of: "):
            cell.value = allowed.removeprefix("One of: ").split(", ")[0]
        elif allowed.startswith("One or more"):
            cell.value = "Assessment; Other"
        elif allowed.startswith("A date"):
            cell.value = dt.date(2026, 2, 3)
        elif allowed == "A number":
            cell.value = 3
        else:
            cell.value = "Fictional text"
        if key.startswith("q:"):
            sheet[f"{EVIDENCE}{row}"].value = "Fictional evidence"
            sheet[f"{REASON}{row}"].value = "Fictional reason"


def upload(client, world: World, workbook, name: str = "filled.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile(name, buffer.getvalue())
    return client.post(_url(world, "upload"), {"workbook": file})


def row_of(workbook, world: World, code: str) -> int:
    from maca.audits.models import Question

    question = Question.objects.get(section__version=world.version, code=code)
    return rows_by_key(workbook["Return"])[f"q:{question.pk}"]


def test_downloaded_workbook_has_lists_protection_and_the_return_id(client, world: World):
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    assert workbook.sheetnames[0] == "Return"
    assert workbook["Lists"].sheet_state == "hidden"
    assert workbook["Meta"].sheet_state == "hidden"
    sheet = workbook["Return"]
    assert [sheet.cell(row=7, column=c).value for c in range(1, 9)] == [
        "Section",
        "Code",
        "Question",
        "Help",
        "Allowed answers",
        "Answer",
        "Evidence",
        "Reason",
    ]
    assert sheet.protection.sheet
    q21 = row_of(workbook, world, "Q2.1")
    assert sheet[f"C{q21}"].protection.locked
    assert not sheet[f"F{q21}"].protection.locked
    validations = [dv for dv in sheet.data_validations.dataValidation if f"F{q21}" in dv.sqref]
    assert validations and validations[0].type == "list"
    assert validations[0].formula1.startswith("Lists!")
    assert sheet.column_dimensions[KEY].hidden
    meta = {row[0].value: row[1].value for row in workbook["Meta"].iter_rows()}
    assert meta["case_id"] == world.case.pk and meta["revision"] == 0


def test_round_trip_a_script_filled_workbook_is_a_complete_return(client, world: World):
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    fill(workbook, world)
    response = upload(client, world, workbook)
    assert response.status_code == 302, response.text
    saved = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    assert saved.status == ReturnStatus.DRAFT
    assert saved.overall_grade is not None and saved.overall_grade.label == "Good"
    answers = {a.question.code: a for a in Answer.objects.filter(agency_return=saved)}
    assert answers["Q1.2"].date_value == dt.date(2026, 2, 3)
    assert answers["Q1.3"].choices == ["Assessment", "Other"]
    assert label(answers["Q2.1"]) == "Yes"
    assert label(answers["Q2.4"]) == "0"
    # What was uploaded is complete: it can be submitted as it stands.
    context = world.context(world.auditor_a)
    services.return_submit(context=context, user=world.auditor_a, revision=saved.revision)
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.SUBMITTED


def _refused(client, world: World, workbook) -> str:
    response = upload(client, world, workbook)
    assert response.status_code == 200
    assert "Nothing has been saved" in response.text
    assert not AgencyReturn.objects.filter(case=world.case, agency=world.agency_a).exists()
    return response.text


def test_answer_outside_the_allowed_list_is_refused_with_its_cell(client, world: World):
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    fill(workbook, world)
    row = row_of(workbook, world, "Q2.1")
    workbook["Return"][f"F{row}"].value = "Maybe"
    page = _refused(client, world, workbook)
    assert (
        f"Sheet Return, row {row}, column F (Answer): &#x27;Maybe&#x27; is not one of Yes, No, "
        "Partial, N/A" in page
    )


def test_missing_required_value_is_refused_with_its_cell(client, world: World):
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    fill(workbook, world)
    q24 = row_of(workbook, world, "Q2.4")
    q21 = row_of(workbook, world, "Q2.1")
    workbook["Return"][f"H{q24}"].value = None
    workbook["Return"][f"F{q21}"].value = None
    page = _refused(client, world, workbook)
    assert f"Sheet Return, row {q24}, column H (Reason): Q2.4: give a reason for the grade" in page
    assert (
        f"Sheet Return, row {q21}, column F (Answer): Q2.1 Was a transfer document sent?: "
        "choose an answer" in page
    )


def test_formula_in_a_cell_is_refused(client, world: World):
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    fill(workbook, world)
    row = row_of(workbook, world, "Q1.1")
    workbook["Return"][f"G{row}"].value = '=HYPERLINK("http://example.org","x")'
    page = _refused(client, world, workbook)
    assert f"Sheet Return, row {row}, column G (Evidence): contains a formula" in page


def test_wrong_sheet_is_refused(client, world: World):
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    fill(workbook, world)
    workbook["Return"].title = "Sheet1"
    page = _refused(client, world, workbook)
    assert "no sheet called &#x27;Return&#x27;" in page


def test_stale_workbook_is_refused(client, world: World):
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    fill(workbook, world)
    context = world.context(world.auditor_a)
    services.return_save_draft(
        context=context,
        user=world.lead_a,
        data=services.ReturnInput(auditor_role="Saved online"),
        revision=0,
    )
    response = upload(client, world, workbook)
    assert "has been saved since this workbook was downloaded" in response.text
    assert AgencyReturn.objects.get(case=world.case, agency=world.agency_a).auditor_role == (
        "Saved online"
    )


def test_not_a_workbook_and_too_big_are_refused(client, world: World, settings):
    client.force_login(world.auditor_a)
    text = SimpleUploadedFile("return.xlsx", b"not a zip file")
    response = client.post(_url(world, "upload"), {"workbook": text})
    assert "not an Excel workbook" in response.text
    csv = SimpleUploadedFile("return.csv", b"a,b")
    page = client.post(_url(world, "upload"), {"workbook": csv}).text
    assert "return.csv must be an Excel workbook (.xlsx)" in page
    settings.RETURN_WORKBOOK_MAX_BYTES = 1024
    big = SimpleUploadedFile("return.xlsx", b"PK\x03\x04" + b"x" * 2048)
    page = client.post(_url(world, "upload"), {"workbook": big}).text
    assert "return.xlsx is 3 KB; the largest accepted is 1 KB" in page


def test_text_that_looks_like_a_formula_is_exported_as_text(client, world: World):
    context = world.context(world.auditor_a)
    data = services.ReturnInput(records_examined="=cmd|' /C calc'!A0", good_practice="@SUM(1)")
    services.return_save_draft(context=context, user=world.auditor_a, data=data, revision=0)
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    sheet = workbook["Return"]
    rows = rows_by_key(sheet)
    cell = sheet[f"F{rows['h:records_examined']}"]
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s" and cell.quotePrefix
    assert sheet[f"F{rows['o:good_practice']}"].quotePrefix
    for row in sheet.iter_rows():
        assert all(c.data_type != "f" for c in row)


def test_every_problem_is_reported_on_the_first_upload(client, world: World):
    """A workbook with problems of every kind (a value not allowed, a date that is no date, a
    formula, answers and reasons left out, and saved online since it was downloaded) is
    refused once, listing all of them with sheet, row and column."""
    client.force_login(world.auditor_a)
    workbook = download(client, world)
    fill(workbook, world)
    sheet = workbook["Return"]
    rows = rows_by_key(sheet)
    q12, q21, q24, q11 = (
        row_of(workbook, world, code) for code in ("Q1.2", "Q2.1", "Q2.4", "Q1.1")
    )
    sheet[f"F{q21}"].value = "Maybe"
    sheet[f"F{q12}"].value = "last spring"
    sheet[f"G{q11}"].value = "=1+1"
    sheet[f"H{q24}"].value = None
    sheet[f"F{rows['h:auditor_role']}"].value = None
    sheet[f"H{rows['o:overall_grade']}"].value = None
    services.return_save_draft(
        context=world.context(world.auditor_a),
        user=world.lead_a,
        data=services.ReturnInput(auditor_role="Saved online"),
        revision=0,
    )
    page = upload(client, world, workbook).text
    expected = [
        "Sheet Meta, row 5, column B: the return has been saved since",
        f"Sheet Return, row {q11}, column G (Evidence): contains a formula",
        f"Sheet Return, row {q21}, column F (Answer): &#x27;Maybe&#x27; is not one of",
        f"Sheet Return, row {q12}, column F (Answer): &#x27;last spring&#x27; is not a date",
        f"Sheet Return, row {q24}, column H (Reason): Q2.4: give a reason for the grade",
        f"Sheet Return, row {rows['h:auditor_role']}, column F (Answer): Your role",
        f"Sheet Return, row {rows['o:overall_grade']}, column H (Reason): Overall grade: give a "
        "reason",
    ]
    missing = [text for text in expected if text not in page]
    assert not missing, missing
    # A refused value is not also reported as missing.
    assert f"row {q21}, column F (Answer): Q2.1 Was a transfer document sent?: choose" not in page
    assert AgencyReturn.objects.get(case=world.case, agency=world.agency_a).auditor_role == (
        "Saved online"
    )


def test_the_workbook_says_which_rows_need_a_reason(client, world: World):
    client.force_login(world.auditor_a)
    sheet = download(client, world)["Return"]
    rows = rows_by_key(sheet)
    allowed = {key: str(sheet[f"E{row}"].value) for key, row in rows.items()}
    q24, q21, q11 = (row_of_key(world, code) for code in ("Q2.4", "Q2.1", "Q1.1"))
    assert allowed[q24].endswith("Reason in column H: required")  # a graded question
    assert allowed[q21].endswith("Reason in column H: optional")  # compliance
    assert "Reason in column H" not in allowed[q11]  # no reason cell
    assert allowed["o:overall_grade"].endswith("Reason in column H: required")
    assert "Reason in column H: required" in str(sheet["A4"].value)


def row_of_key(world: World, code: str) -> str:
    from maca.audits.models import Question

    return f"q:{Question.objects.get(section__version=world.version, code=code).pk}"
