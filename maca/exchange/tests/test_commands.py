"""`maca export-audit` and `maca import-audit`: operator tools with clear errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maca.audits.models import Audit
from maca.demo import data
from maca.exchange.tests.conftest import HOSTILE_DOCUMENTS, row_counts, without_volatile

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
