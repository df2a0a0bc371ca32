"""Request bodies are read as strictly as a whole-audit import: a body nested thousands of
levels deep, with numbers no column can hold, very long field names or a field given twice is
a 400 naming the place (e.g. `answers[0].number_value`), never a 500 or a silent choice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from maca.api.errors import FieldErrors
from maca.exchange.document import DocumentInvalid, parse_json


def _field(path: str) -> str:
    """`$.answers[0].option` as the API names fields: `answers[0].option`."""
    return path.removeprefix("$").removeprefix(".")


class StrictJSONParser(JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(f"The body is not {encoding} text (byte {error.start})") from None
        try:
            return parse_json(text)
        except DocumentInvalid as error:
            pairs = [(_field(problem.path), problem.message) for problem in error.problems]
            detail = pairs[0][1] if len(pairs) == 1 else "The body is not JSON this API accepts."
            raise FieldErrors(detail, pairs) from None
