"""The hours export's two files, written row by row as the rows stream past (one pass feeds both):

- CSV for Excel with Norwegian settings: `;` between fields, decimal comma, dates `dd.mm.yyyy`, UTF-8 with a BOM
  (so Excel reads æøå), CRLF line ends, fields quoted as the csv module does. A text field that Excel would take
  for a formula (`=`, `+`, `@`, `-x`) gets a leading `'`: a log's description is user text.
- Excel (XlsxWriter in constant_memory mode: each row goes to disk as it is written): sheet 1 the rows with real
  date and number cells in Norwegian formats, sheet 2 the totals per project and person and a sum.

Both in the user's language for the headers and Ja/Nei; the number forms are Norwegian in both (the files are for
Norwegian accounting).
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import xlsxwriter

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
        self._sheet = book.add_worksheet(t("export.sheet.rows", lang))
        self._totals = book.add_worksheet(t("export.sheet.totals", lang))
        for column, width in enumerate(_WIDTHS):
            self._sheet.set_column(column, column, width)
        self._sheet.write_row(0, 0, headers(lang), self._bold)
        self._sheet.freeze_panes(1, 0)
        self._row = 0

    def write(self, row: ExportRow) -> None:
        self._row += 1
        r, sheet = self._row, self._sheet
        sheet.write_datetime(r, 0, row.day, self._date)
        sheet.write_string(r, 1, row.project_key)
        sheet.write_string(r, 2, row.project_name)
        sheet.write_string(r, 3, row.customer)
        sheet.write_string(r, 4, row.person)
        if row.task:
            sheet.write_string(r, 5, row.task)
        sheet.write_number(r, 6, row.minutes / 60, self._hours)
        sheet.write_string(r, 7, self._yes if row.billable else self._no)
        if row.rate is not None:
            sheet.write_number(r, 8, row.rate, self._rate)
        if row.amount_ore is not None:
            sheet.write_number(r, 9, row.amount_ore / 100, self._amount)
        if row.description:
            sheet.write_string(r, 10, row.description)
        sheet.write_string(r, 11, self._yes if row.approved else self._no)

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
