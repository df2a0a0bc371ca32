"""Limits on what may be uploaded: overall request size, and each file's size and type.

A file's type is judged by its name and by its first bytes, so a renamed file (a script called
`.xlsx`, a spreadsheet called `.csv`) is refused with a message saying what was expected,
before anything reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

_SNIFF_BYTES = 512


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _is_json(head: bytes) -> bool:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


def _is_text(head: bytes) -> bool:
    # Text in any of the encodings a 903 extract may come in has no NUL bytes; binaries do.
    # (UTF-16 has NULs, and the 903 check reports it as a wrong encoding with its own message.)
    return bool(head) and (b"\x00" not in head or head[:2] in (b"\xff\xfe", b"\xfe\xff"))


@dataclass(frozen=True)
class FileKind:
    description: str
    suffixes: tuple[str, ...]
    looks_right: Callable[[bytes], bool]


XLSX = FileKind("an Excel workbook (.xlsx)", (".xlsx",), _is_zip)
JSON = FileKind("a JSON file (.json)", (".json",), _is_json)
EXTRACT_903 = FileKind("a 903 CSV or XML file (.csv or .xml)", (".csv", ".xml"), _is_text)


def megabytes(size: int) -> str:
    """A size as people read it: '3 MB', '2.5 MB', '800 KB'."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB".replace(".0 MB", " MB")


def upload_problem(upload: File, kind: FileKind, max_bytes: int) -> str | None:
    """What is wrong with an uploaded file, in words for the person, or None when it is fine.

    Reads only the first bytes, and leaves the file at its start for whoever reads it next.
    """
    name = upload.name or "The file"
    if not name.lower().endswith(kind.suffixes):
        return f"{name} must be {kind.description}"
    size = upload.size or 0
    if size == 0:
        return f"{name} is empty"
    if size > max_bytes:
        return f"{name} is {megabytes(size)}; the largest accepted is {megabytes(max_bytes)}"
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    if not kind.looks_right(head):
        return f"{name} is not {kind.description}: its contents are of another kind"
    return None


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MACA_REQUEST_MAX_BYTES before Django reads it.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size; this stops an oversized upload at the door with a 413 that says what
    the limit is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.REQUEST_MAX_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = (
                f"The upload is {megabytes(length)}; the largest this service accepts is "
                f"{megabytes(limit)}. Nothing has been saved."
            )
            if request.path.startswith("/api/"):
                body = json.dumps({"detail": message, "errors": []})
                return HttpResponse(body, status=413, content_type="application/json")
            page = render_to_string("413.html", {"message": message}, request=request)
            return HttpResponse(page, status=413)
        return self.get_response(request)
