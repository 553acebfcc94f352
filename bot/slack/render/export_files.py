"""The hours export's two files, written row by row as the rows stream past (one pass feeds both):

- CSV for Excel with Norwegian settings: `;` between fields, decimal comma, dates `dd.mm.yyyy`, UTF-8 with a BOM
  (so Excel reads æøå), CRLF line ends, fields quoted as the csv module does. A text field that Excel would take
  for a formula (`=`, `+`, `@`, `-x`) gets a leading `'`: a log's description is user text.
- Excel (XlsxWriter in constant_memory mode: each row goes to disk as it is written): sheet 1 the rows with real
  date and number cells in Norwegian formats, sheet 2 the totals per project and person and a sum. Sheet 1 writes
  a row's cells at once and their XML itself (`_RowsSheet`): the library's cell by cell path was most of the
  export's CPU (docs/benchmarks.md).

Both in the user's language for the headers and Ja/Nei; the number forms are Norwegian in both (the files are for
Norwegian accounting).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

from bot.domain.export import ExportRow, Total, Totals, hundredths
from bot.slack.i18n import t

COLUMNS = ("date", "project", "project_name", "customer", "person", "task", "hours", "billable", "rate", "amount",
           "description", "approved")
TOTAL_COLUMNS = ("project", "project_name", "person", "hours", "billable_hours", "amount")
DATE_FORMAT = "dd.mm.yyyy"
HOURS_FORMAT = "#,##0.00"
RATE_FORMAT = '#,##0 "kr"'
AMOUNT_FORMAT = '#,##0.00 "kr"'
_WIDTHS = (11, 9, 30, 22, 22, 26, 8, 11, 11, 13, 50, 10)
_RISKY = frozenset("=+@-\t\r")  # first characters Excel may read as a formula


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # a date cell holds its days since then (1900 date system)


class _RowsSheet(Worksheet):
    """XlsxWriter's worksheet with its innermost loop written for the export's rows. In constant_memory mode each
    finished row is written as a `<row>` of `<c>` elements, and the library builds each cell generically (an
    attribute list, two regex escapes per attribute, a class-name test, three regex passes per string) and writes
    it on its own. Here a row of numbers, dates and strings, each with its own format or none, is written as the
    same bytes in one write: the cell reference from a table, the format's style index and a short string's escaped
    XML (the library's own escaping) remembered. A row with anything else (another kind of cell, a cell styled by
    its row or column, row options, a comment) goes the library's way. tests/test_export_xlsx.py compares the file
    with the library's own, byte for byte."""

    _CACHE_MAX = 4096  # strings remembered (their XML); emptied when full, so memory stays bounded
    _CACHE_LEN = 200  # longer strings (descriptions) are escaped each time

    def __init__(self) -> None:
        super().__init__()
        self._refs = [xl_col_to_name(col) for col in range(64)]
        self._styles: dict[int, str] = {}
        self._strings: dict[str, str] = {}

    def write_cells(self, row: int, cells: list[tuple[int, str | int | float, Format | None]]) -> None:
        """A new row's cells (column, a string or a number, its format), by column: stored as write_string and
        write_number store them, the row's dimensions checked once (a long string: the library's checks, cell by
        cell)."""
        if row <= self.previous_row or any(isinstance(v, str) and len(v) > self.xls_strmax // 2 for _, v, _ in cells) \
                or self._check_dimensions(row, cells[0][0]) or self._check_dimensions(row, cells[-1][0]):
            for col, value, cell_format in cells:
                if isinstance(value, str):
                    self._write_string(row, col, value, cell_format)
                else:
                    self._write_number(row, col, value, cell_format)
            return
        self._write_single_row(row)  # the row before it, finished
        self.table[row] = {col: CellStringTuple(value, cell_format) if isinstance(value, str)
                           else CellNumberTuple(value, cell_format) for col, value, cell_format in cells}

    def _write_single_row(self, current_row_num: int = 0) -> None:
        row: int = self.previous_row  # type: ignore[has-type]
        cells = self.table.get(row)
        if not cells or row in self.row_info or row in self.comments:
            super()._write_single_row(current_row_num)
            return
        parts = [self._cell_xml(row, col, cells[col]) for col in sorted(cells)]
        if None in parts:
            super()._write_single_row(current_row_num)
            return
        self.previous_row = current_row_num
        self._write_row(row, None)  # the <row> start tag, as the library writes it
        self.fh.write("".join(parts) + "</row>")  # type: ignore[arg-type]
        self.table.clear()

    def _cell_xml(self, row: int, col: int, cell: Any) -> str | None:
        """A cell's `<c>` element as XlsxWriter writes it (None: one this does not write)."""
        kind, cell_format = cell.__class__.__name__, cell.format
        if col >= 64 or kind not in ("Number", "Datetime", "String") or (
                cell_format is None and col in self.col_info and self.col_info[col].column_format is not None):
            return None
        if cell_format is None:
            style = ""
        else:
            style = self._styles.get(id(cell_format), "")
            if not style:
                style = self._styles[id(cell_format)] = f' s="{cell_format._get_xf_index()}"'
        if kind != "String":
            return f'<c r="{self._refs[col]}{row + 1}"{style}><v>{cell.number:.16G}</v></c>'
        string = cell.string
        tail = self._strings.get(string)
        if tail is None:
            escaped = self._escape_control_characters(string)
            if escaped.startswith("<r>") and escaped.endswith("</r>"):  # as the library takes it: a rich string
                tail = f' t="inlineStr"><is>{escaped}</is></c>'
            else:
                preserve = ' xml:space="preserve"' if _preserve_whitespace(escaped) else ""
                tail = f' t="inlineStr"><is><t{preserve}>{self._escape_data(escaped)}</t></is></c>'
            if len(string) <= self._CACHE_LEN:
                if len(self._strings) >= self._CACHE_MAX:
                    self._strings.clear()
                self._strings[string] = tail
        return f'<c r="{self._refs[col]}{row + 1}"{style}{tail}'


def headers(lang: str) -> list[str]:
    return [t(f"export.col.{name}", lang) for name in COLUMNS]


def _cents(value: int | None) -> str:
    """Hundredths as `2,50` (decimal comma, no grouping: Excel reads it as a number); None as empty."""
    return "" if value is None else f"{value // 100},{value % 100:02d}"


def _text(value: str) -> str:
    if value[:1] in _RISKY and (value[0] != "-" or (value[1:2] not in ("", " ") and not value[1:2].isdigit())):
        return "'" + value
    return value


class CsvWriter:
    def __init__(self, stream: IO[str], lang: str) -> None:
        self._csv = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        self._yes, self._no = t("export.yes", lang), t("export.no", lang)
        self._csv.writerow(headers(lang))

    def write(self, row: ExportRow) -> None:
        yes, no = self._yes, self._no
        self._csv.writerow((
            f"{row.day:%d.%m.%Y}", row.project_key, _text(row.project_name), _text(row.customer), _text(row.person),
            _text(row.task), _cents(hundredths(row.minutes)), yes if row.billable else no,
            "" if row.rate is None else str(row.rate), _cents(row.amount_ore), _text(row.description),
            yes if row.approved else no,
        ))


class XlsxWriter:
    def __init__(self, path: Path, lang: str) -> None:
        self._book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "in_memory": False,
                                                    "strings_to_numbers": False, "strings_to_formulas": False,
                                                    "strings_to_urls": False})
        self._lang = lang
        self._yes, self._no = t("export.yes", lang), t("export.no", lang)
        book = self._book
        self._bold = book.add_format({"bold": True})
        self._date = book.add_format({"num_format": DATE_FORMAT})
        self._hours = book.add_format({"num_format": HOURS_FORMAT})
        self._rate = book.add_format({"num_format": RATE_FORMAT})
        self._amount = book.add_format({"num_format": AMOUNT_FORMAT})
        self._sheet: _RowsSheet = book.add_worksheet(t("export.sheet.rows", lang),  # type: ignore[assignment]
                                                     worksheet_class=_RowsSheet)
        self._days: dict[dt.date, int] = {}  # a date's cell value (a month has 30)
        self._totals = book.add_worksheet(t("export.sheet.totals", lang))
        for column, width in enumerate(_WIDTHS):
            self._sheet.set_column(column, column, width)
        self._sheet.write_row(0, 0, headers(lang), self._bold)
        self._sheet.freeze_panes(1, 0)
        self._row = 0

    def write(self, row: ExportRow) -> None:
        self._row += 1
        serial = self._days.get(row.day)
        if serial is None:
            serial = self._days[row.day] = (row.day - _EXCEL_EPOCH).days  # a date cell: its serial, a date format
        yes, no = self._yes, self._no
        cells: list[tuple[int, str | int | float, Format | None]] = [
            (0, serial, self._date), (1, row.project_key, None), (2, row.project_name, None),
            (3, row.customer, None), (4, row.person, None)]
        if row.task:
            cells.append((5, row.task, None))
        cells += ((6, row.minutes / 60, self._hours), (7, yes if row.billable else no, None))
        if row.rate is not None:
            cells.append((8, row.rate, self._rate))
        if row.amount_ore is not None:
            cells.append((9, row.amount_ore / 100, self._amount))
        if row.description:
            cells.append((10, row.description, None))
        cells.append((11, yes if row.approved else no, None))
        self._sheet.write_cells(self._row, cells)

    def close(self, totals: Totals) -> None:
        lang, sheet = self._lang, self._totals
        self._sheet.autofilter(0, 0, max(self._row, 1), len(COLUMNS) - 1)
        for column, width in enumerate((9, 30, 22, 10, 16, 15)):
            sheet.set_column(column, column, width)
        sheet.write_row(0, 0, [t(f"export.col.{name}", lang) for name in TOTAL_COLUMNS], self._bold)
        r = 0
        for r, total in enumerate(totals.sorted(), start=1):
            sheet.write_string(r, 0, total.project_key)
            sheet.write_string(r, 1, total.project_name)
            sheet.write_string(r, 2, total.person)
            self._sums(r, total)
        whole = totals.grand()
        sheet.write_string(r + 1, 0, t("export.sum", lang), self._bold)
        self._sums(r + 1, whole)
        self._book.close()

    def _sums(self, r: int, total: Total) -> None:
        self._totals.write_number(r, 3, total.minutes / 60, self._hours)
        self._totals.write_number(r, 4, total.billable_minutes / 60, self._hours)
        self._totals.write_number(r, 5, total.amount_ore / 100, self._amount)


def write_files(rows: Iterable[ExportRow], lang: str, *, csv_path: Path | None = None,
                xlsx_path: Path | None = None) -> Totals:
    """Write the rows to the CSV file, the Excel file, or both, in one pass; the totals (and the row count)."""
    totals = Totals()
    writers: list[CsvWriter | XlsxWriter] = []
    with contextlib.ExitStack() as stack:
        if csv_path is not None:
            writers.append(CsvWriter(stack.enter_context(open(csv_path, "w", encoding="utf-8-sig", newline="")),
                                     lang))
        xlsx = XlsxWriter(xlsx_path, lang) if xlsx_path is not None else None
        if xlsx is not None:
            writers.append(xlsx)
        for row in rows:
            totals.add(row)
            for writer in writers:
                writer.write(row)
        if xlsx is not None:
            xlsx.close(totals)
    return totals
