"""`maca brief`: the operator's way to write a brief to a file."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("extension", ["html", "pdf", "docx", "md"])
def test_command_writes_each_format(brief_audit, tmp_path, extension):
    target = tmp_path / f"brief.{extension}"
    out = io.StringIO()
    call_command(
        "brief", brief_audit.audit.slug, "--format", extension, "-o", str(target), stdout=out
    )
    data = target.read_bytes()
    assert str(target) in out.getvalue()
    assert "bytes" in out.getvalue() or "KB" in out.getvalue()
    if extension == "pdf":
        assert "Frequent placement moves" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    elif extension == "docx":
        texts = [paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs]
        assert "Frequent placement moves" in texts
    else:
        assert "Frequent placement moves" in data.decode("utf-8")


def test_command_sees_a_draft_as_the_coordinator_does(brief_audit, tmp_path):
    brief_audit.audit.status = "findings"
    brief_audit.audit.save()
    target = tmp_path / "draft.md"
    call_command(
        "brief", brief_audit.audit.slug, "--format", "md", "-o", str(target), stdout=io.StringIO()
    )
    assert "this brief has not been published" in target.read_text()


def test_command_writes_text_to_stdout(brief_audit):
    out = io.StringIO()
    call_command("brief", brief_audit.audit.slug, "--format", "md", "-o", "-", stdout=out)
    assert out.getvalue().startswith("# Children looked after placed out of area")


def test_command_refuses_binary_to_stdout(brief_audit):
    with pytest.raises(CommandError, match="binary"):
        call_command("brief", brief_audit.audit.slug, "--format", "pdf", "-o", "-")


def test_command_names_the_known_audits_for_an_unknown_slug(brief_audit):
    with pytest.raises(CommandError) as error:
        call_command("brief", "no-such-audit", "--format", "md", "-o", "-")
    assert str(error.value) == (
        "No audit with slug 'no-such-audit'. Known audits: fictional-cla-audit."
    )


def test_command_rejects_an_unknown_format(brief_audit):
    with pytest.raises(CommandError, match="invalid choice: 'odt'"):
        call_command("brief", brief_audit.audit.slug, "--format", "odt")


def test_command_explains_an_unwritable_path(brief_audit, tmp_path):
    target = tmp_path / "no-such-folder" / "brief.md"
    with pytest.raises(CommandError, match=r"Cannot write the brief to .*No such file"):
        call_command("brief", brief_audit.audit.slug, "--format", "md", "-o", str(target))
