"""Upload limits: the whole request, and each file's size and type."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from maca.core.uploads import EXTRACT_903, JSON, XLSX, upload_problem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_request_over_the_limit_is_refused_with_413_before_it_is_read(client):
    client.force_login(UserFactory.create())
    with override_settings(REQUEST_MAX_BYTES=1024):
        response = client.post(
            "/audit-import/",
            {"document": SimpleUploadedFile("big.json", b"{" + b" " * 4096 + b"}")},
        )
    assert response.status_code == 413
    assert "the largest this service accepts is" in response.text
    assert "Nothing has been saved" in response.text


def test_an_api_request_over_the_limit_gets_json(client):
    with override_settings(REQUEST_MAX_BYTES=10):
        response = client.post(
            "/api/v1/audits/", data="{" + " " * 100 + "}", content_type="application/json"
        )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The upload is")


@pytest.mark.parametrize(
    ("kind", "name", "content", "expected"),
    [
        (XLSX, "return.xlsx", b"PK\x03\x04rest-of-zip", None),
        (XLSX, "return.xls", b"PK\x03\x04", "return.xls must be an Excel workbook (.xlsx)"),
        (XLSX, "return.xlsx", b"#!/bin/sh\necho", "contents are of another kind"),
        (JSON, "audit.json", b'\xef\xbb\xbf  {"a": 1}', None),
        (JSON, "audit.json", b"PK\x03\x04", "is not a JSON file (.json)"),
        (EXTRACT_903, "header.csv", b"CHILD,SEX,DOB\n", None),
        (EXTRACT_903, "903.XML", b"<?xml version='1.0'?>", None),
        (EXTRACT_903, "header.csv", b"PK\x03\x04\x00\x00", "is not a 903 CSV or XML file"),
        (EXTRACT_903, "header.txt", b"CHILD\n", "must be a 903 CSV or XML file"),
        (EXTRACT_903, "header.csv", b"", "header.csv is empty"),
    ],
)
def test_each_file_is_judged_by_its_name_and_its_first_bytes(kind, name, content, expected):
    upload = SimpleUploadedFile(name, content)
    problem = upload_problem(upload, kind, max_bytes=1024)
    if expected is None:
        assert problem is None
        assert upload.read() == content  # left at the start for the real reader
    else:
        assert problem is not None and expected in problem


def test_a_file_over_its_own_limit_names_both_sizes():
    upload = SimpleUploadedFile("return.xlsx", b"PK\x03\x04" + b"0" * (3 * 1024 * 1024))
    problem = upload_problem(upload, XLSX, max_bytes=2 * 1024 * 1024)
    assert problem == "return.xlsx is 3 MB; the largest accepted is 2 MB"
