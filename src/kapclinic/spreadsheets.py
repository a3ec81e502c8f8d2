"""CSV files for spreadsheet programs: the one way every export writes them.

A text cell starting with = + - @ tab or carriage return is read as a formula by Excel,
LibreOffice and Google Sheets (OWASP "CSV Injection"), so such a cell is prefixed with a
single quote, which the programs show as text. The file starts with a UTF-8 byte-order mark
so that accents ("Montréal") open right in Excel. Numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

# OWASP CSV Injection: the characters that start a formula (tab and CR included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value: Any) -> Any:
    """The value, with a leading quote if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The CSV of `rows` (header first), every text cell neutralised, with a byte-order mark."""
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
