"""The one CSV writer: formula cells neutralised, a byte-order mark, numbers untouched."""

import csv
import io

import pytest

from kapclinic.spreadsheets import csv_text, safe_cell


@pytest.mark.parametrize(
    "cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"]
)
def test_a_cell_that_starts_a_formula_becomes_text(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Montréal", "a=b", "", 140, -140, None])
def test_other_cells_are_unchanged(cell: object) -> None:
    assert safe_cell(cell) == cell


def test_the_file_starts_with_a_byte_order_mark_and_reads_back() -> None:
    text = csv_text([["clinic", "note"], ["Montréal", "=2+3"], ["Québec", -5]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["clinic", "note"], ["Montréal", "'=2+3"], ["Québec", "-5"]]
