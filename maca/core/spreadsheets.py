"""Text that a spreadsheet would run as a formula, and how exports keep it as text.

A cell starting with =, +, -, @, or a tab or carriage return before one, is read by Excel and
LibreOffice as a formula (OWASP: CSV injection). Every export and workbook maca writes goes
through here.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def safe_cell(value: str) -> str:
    """Text for a CSV cell that a spreadsheet shows as text, never runs: a leading apostrophe."""
    if looks_like_formula(value):
        return f"'{value}"
    return value
