"""`maca export-audit` and `maca import-audit`: operator tools with clear errors."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from maca.accounts.models import Agency
from maca.audits.models import Audit
from maca.demo import data
from maca.exchange.tests.conftest import (
    HOSTILE_DOCUMENTS,
    as_bytes,
    changed,
    row_counts,
    without_volatile,
)

pytestmark = pytest.mark.django_db


def test_export_then_import_from_the_command_line(demo, tmp_path: Path):
    target = tmp_path / "audit.json"
    out = StringIO()
    call_command("export-audit", data.AUDIT_SLUG, "-o", str(target), stdout=out)
    assert "Wrote" in out.getvalue() and "9 cases" in out.getvalue()
    document = json.loads(target.read_text(encoding="utf-8"))

    out = StringIO()
    call_command("import-audit", str(target), "--coordinator", data.COORDINATOR, stdout=out)
    text = out.getvalue()
    assert f"as audit '{data.AUDIT_SLUG}-2'" in text
    assert "Matched:" in text
    imported = Audit.objects.get(slug=f"{data.AUDIT_SLUG}-2")
    assert imported.coordinators.get().email == data.COORDINATOR

    again = tmp_path / "again.json"
    call_command("export-audit", imported.slug, "-o", str(again), stdout=StringIO())
    assert without_volatile(json.loads(again.read_text())) == without_volatile(document)


def test_export_to_standard_output(demo):
    out = StringIO()
    call_command("export-audit", data.AUDIT_SLUG, "-o", "-", stdout=out)
    assert json.loads(out.getvalue())["audit"]["slug"] == data.AUDIT_SLUG


def test_export_of_an_unknown_audit_names_the_known_ones(demo):
    with pytest.raises(CommandError, match=f"No audit with slug 'nope'.*{data.AUDIT_SLUG}"):
        call_command("export-audit", "nope", "-o", "-", stdout=StringIO())


def test_import_prints_every_problem_and_saves_nothing(demo, tmp_path: Path):
    document = json.loads(
        (Path(__file__).resolve().parents[3] / "docs" / "examples")
        .joinpath("past-audit-cla-out-of-area-2018.json")
        .read_text()
    )
    document["cases"][1]["pseudonym"] = document["cases"][0]["pseudonym"]
    del document["audit"]["theme"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    before = row_counts()
    err = StringIO()
    with pytest.raises(CommandError, match=r"Not imported: 1 problem.*Nothing was saved"):
        call_command("import-audit", str(bad), stdout=StringIO(), stderr=err)
    assert "$.audit.theme: is required" in err.getvalue()
    assert row_counts() == before


@pytest.mark.parametrize(
    ("content", "path", "words"),
    [case[1:] for case in HOSTILE_DOCUMENTS],
    ids=[case[0] for case in HOSTILE_DOCUMENTS],
)
def test_a_hostile_file_is_refused_by_the_command(demo, tmp_path: Path, content, path, words):
    hostile = tmp_path / "hostile.json"
    hostile.write_bytes(content)
    before = row_counts()
    err = StringIO()
    with pytest.raises(CommandError, match=r"Not imported: .*Nothing was saved"):
        call_command("import-audit", str(hostile), stdout=StringIO(), stderr=err)
    assert any(
        line.strip().startswith(f"{path}: ") and words in line
        for line in err.getvalue().splitlines()
    )
    assert row_counts() == before


def test_import_of_a_missing_file_or_unknown_coordinator_is_clear(demo, tmp_path: Path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import-audit", str(tmp_path / "none.json"), stdout=StringIO())
    example = Path(__file__).resolve().parents[3] / "docs" / "examples"
    path = example / "past-audit-cla-out-of-area-2018.json"
    with pytest.raises(CommandError, match="nobody has the email"):
        call_command("import-audit", str(path), "--coordinator", "x@y.test", stdout=StringIO())
    with pytest.raises(CommandError, match="is not a coordinator"):
        call_command(
            "import-audit", str(path), "--coordinator", data.PANEL_CHAIR, stdout=StringIO()
        )


def test_an_oversized_file_is_refused_before_reading(demo, tmp_path: Path, settings):
    settings.AUDIT_IMPORT_MAX_BYTES = 10
    path = tmp_path / "big.json"
    path.write_text('{"format": "maca-audit-export"}')
    with pytest.raises(CommandError, match="largest accepted"):
        call_command("import-audit", str(path), stdout=StringIO())


# --- Entries that match a stored one only in part -------------------------------------------


def _with_similar_agencies(demo_document: dict[str, Any], tmp_path: Path) -> Path:
    """The demo audit with two agencies like stored ones but not the same: GPs by short name
    only, and Police differing only in letter case."""
    document = changed(demo_document)
    gps = next(a for a in document["agencies"] if a["short_name"] == "GPs")
    gps["name"] = "General practices"
    Agency.objects.filter(short_name="Police").update(name="POLICE")
    path = tmp_path / "similar.json"
    path.write_bytes(as_bytes(document))
    return path


def test_the_command_prints_the_plan_and_stops_without_a_choice(demo, demo_document, tmp_path):
    path = _with_similar_agencies(demo_document, tmp_path)
    before = row_counts()
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import-audit", str(path), stdout=out)
    plan = out.getvalue()
    assert "agency:Social Care: the same as the stored" in plan
    assert "agency:GPs: SIMILAR: 'General practices (GPs)' in the file" in plan
    assert "agency:Police: SIMILAR" in plan and "Only letter case differs" in plan
    message = str(refused.value)
    assert "Not imported: 2 entries of the file match a stored one only in part" in message
    assert "agency:GPs: 'General practices (GPs)' in the file, 'GP practices (GPs)' here" in (
        message
    )
    assert "--match agency:GPs=stored" in message and "--similar use-stored" in message
    assert row_counts() == before


def test_each_match_option_is_followed(demo, demo_document, tmp_path):
    path = _with_similar_agencies(demo_document, tmp_path)
    out = StringIO()
    call_command(
        "import-audit",
        str(path),
        "--match",
        "agency:GPs=new",
        "--match",
        "agency:Police=stored",
        stdout=out,
    )
    text = out.getvalue()
    assert "Agency 'General practices (GPs)' added as new (short name 'GPs (2)'), as chosen" in (
        text
    )
    assert "Agency 'Police (Police)' matched the stored 'POLICE (Police)', as chosen." in text
    assert Agency.objects.get(short_name="GPs (2)").name == "General practices"


@pytest.mark.parametrize(
    ("option", "gps_agencies"), [("use-stored", 0), ("add-new", 1)], ids=["stored", "new"]
)
def test_similar_chooses_for_all_and_match_overrides_it(
    demo, demo_document, tmp_path, option, gps_agencies
):
    path = _with_similar_agencies(demo_document, tmp_path)
    call_command(
        "import-audit",
        str(path),
        "--similar",
        option,
        "--match",
        "agency:Police=stored",
        stdout=StringIO(),
    )
    assert Agency.objects.filter(short_name="GPs (2)").count() == gps_agencies
    assert not Agency.objects.filter(short_name="Police (2)").exists()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("agency:GPs", "write KIND:KEY=stored or KIND:KEY=new"),
        ("agency:GPs=maybe", "write KIND:KEY=stored or KIND:KEY=new"),
        ("agency:Nobody=new", "'agency:Nobody' is not an entry that matches only in part"),
        ("agency:Social Care=new", "(those are: agency:GPs, agency:Police)"),
    ],
)
def test_a_bad_match_option_is_a_clear_error_and_saves_nothing(
    demo, demo_document, tmp_path, value, words
):
    path = _with_similar_agencies(demo_document, tmp_path)
    before = row_counts()
    with pytest.raises(CommandError, match=re.escape(words)):
        call_command("import-audit", str(path), "--match", value, stdout=StringIO())
    assert row_counts() == before


def test_a_bad_similar_option_is_refused_by_the_parser(demo, demo_document, tmp_path):
    path = _with_similar_agencies(demo_document, tmp_path)
    with pytest.raises(CommandError, match="invalid choice: 'yes'"):
        call_command("import-audit", str(path), "--similar", "yes", stdout=StringIO())


def test_a_stored_scale_without_the_files_levels_cannot_be_chosen(demo, demo_document, tmp_path):
    document = changed(demo_document)
    scale = next(s for s in document["scales"] if s["slug"] == "ynpna")
    scale["levels"].append(
        {"value": 99, "code": "unsure", "label": "Unsure", "description": "", "outcome": ""}
    )
    path = tmp_path / "scale.json"
    path.write_bytes(as_bytes(document))
    with pytest.raises(CommandError, match="has no level 'unsure', so it cannot be used"):
        call_command("import-audit", str(path), "--match", "scale:ynpna=stored", stdout=StringIO())
    out = StringIO()
    call_command("import-audit", str(path), "--match", "scale:ynpna=new", stdout=out)
    assert "Grading scale" in out.getvalue() and "slug 'ynpna-2'" in out.getvalue()
