"""The commands work by the names people type: `maca import-903`, `maca cohort`,
`maca sample`, `maca generate-903`."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maca.audits.models import Case
from maca.sampling.models import ImportBatch
from maca.sampling.tests.conftest import EPISODE_COLUMNS
from tests.factories import build_audit

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_generate_import_cohort_and_sample(tmp_path):
    folder = tmp_path / "extract"
    printed = _run("generate-903", "--children", "90", "--seed", "8", "-o", str(folder))
    assert "episodes.csv" in printed and "Z1" in printed
    built = build_audit(cases=0, agencies=1, findings=0, status="sampling")
    printed = _run(
        "import-903", str(folder), "--year", "2024",
        "--home-districts", "Z1,Z2,Z3,Z4,Z5,Z6,Z7,Z8,Z9", "--audit", built.audit.slug,
    )  # fmt: skip
    found = re.search(r"Import id: (\S+)", printed)
    assert found
    public_id = found.group(1)
    counts = _run("cohort", "--import", public_id, "--census", "31/03/2024", "--location", "out")
    assert "Placed out of area" in counts
    record = _run(
        "sample", "--import", public_id, "--audit", built.audit.slug, "--size", "4", "--seed", "77",
        "--location", "out", "--census", "31/03/2024",
    )  # fmt: skip
    assert "seed 77" in record
    assert Case.objects.filter(audit=built.audit).count() == 4


def test_generator_is_deterministic_and_xml_matches_csv(tmp_path):
    _run("generate-903", "--children", "30", "--seed", "3", "-o", str(tmp_path / "a"))
    _run("generate-903", "--children", "30", "--seed", "3", "-o", str(tmp_path / "b"))
    assert (tmp_path / "a" / "episodes.csv").read_bytes() == (
        tmp_path / "b" / "episodes.csv"
    ).read_bytes()
    _run("generate-903", "--children", "30", "--seed", "3", "-o", str(tmp_path / "x"), "--xml")
    csv_import = _run("import-903", str(tmp_path / "a"), "--year", "2024", "--home-districts", "Z1")
    xml_import = _run("import-903", str(tmp_path / "x"), "--year", "2024", "--home-districts", "Z1")
    pattern = r"Imported (\d+) children \((\d+) episodes\)"
    csv_counts, xml_counts = re.search(pattern, csv_import), re.search(pattern, xml_import)
    assert csv_counts and xml_counts and csv_counts.groups() == xml_counts.groups()


def test_import_errors_name_file_row_and_column(tmp_path):
    (tmp_path / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2015,WBRI,UN1,,\n"
    )
    (tmp_path / "episodes.csv").write_text(
        f"{EPISODE_COLUMNS}\n1,1 May 2023,S,C2,N1,U4,PR1,,,,,,\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was kept"):
        call_command(
            "import-903", str(tmp_path), "--year", "2024", stdout=out, stderr=io.StringIO()
        )
    assert "episodes.csv, row 2, column DECOM" in out.getvalue()
    assert not ImportBatch.objects.exists()
    printed = _run("import-903", str(tmp_path), "--year", "2024", "--leave-out-problem-rows")
    assert "Import id" in printed


def test_fatal_import_errors_stop_the_command(tmp_path):
    (tmp_path / "header.csv").write_bytes("CHILD,SEX\n1,1\n".encode("utf-16"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was kept"):
        call_command(
            "import-903",
            str(tmp_path / "header.csv"),
            "--year",
            "2024",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "header.csv" in err.getvalue() and "UTF-16" in err.getvalue()
    assert not ImportBatch.objects.exists()


def test_unknown_import_id_is_a_clear_error():
    with pytest.raises(CommandError, match="not an import id"):
        call_command("cohort", "--import", "nonsense", stdout=io.StringIO())
