"""The export's Excel writer writes the same workbook as XlsxWriter's own cell methods (bot.slack.render.export_files:
its rows sheet writes a row's cells at once and their XML itself, for speed). The oracle is the plain library, cell by
cell with write_datetime / write_string / write_number, as the writer did before: every part of the two files is
compared byte for byte (but the creation time), over rows with any text (hypothesis: control characters, `_x0000_`
escapes, XML, leading and trailing spaces, `<r>…</r>`, emoji, strings past Excel's limit) and a row count past the
string cache."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.export import ExportRow, Totals, amount_ore
from bot.slack.render import export_files
from bot.slack.render.export_files import COLUMNS, XlsxWriter, headers


class Oracle(XlsxWriter):
    """The writer as it was: the library's own cell methods, one cell at a time, on a plain worksheet."""

    def __init__(self, path: Path, lang: str) -> None:
        plain = xlsxwriter.Workbook.add_worksheet

        def add_worksheet(book: xlsxwriter.Workbook, name: str | None = None, worksheet_class: object = None) -> object:
            return plain(book, name)

        xlsxwriter.Workbook.add_worksheet = add_worksheet  # type: ignore[assignment,method-assign]
        try:
            super().__init__(path, lang)
        finally:
            xlsxwriter.Workbook.add_worksheet = plain  # type: ignore[method-assign]

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


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def both(rows: list[ExportRow], lang: str = "nb") -> tuple[dict[str, bytes], dict[str, bytes]]:
    with tempfile.TemporaryDirectory() as folder:
        out = []
        for writer_class, name in ((XlsxWriter, "fast.xlsx"), (Oracle, "plain.xlsx")):
            path = Path(folder) / name
            writer, totals = writer_class(path, lang), Totals()
            assert (type(writer._sheet) is xlsxwriter.worksheet.Worksheet) is (writer_class is Oracle)
            for row in rows:
                totals.add(row)
                writer.write(row)
            writer.close(totals)
            out.append(parts(path))
    return out[0], out[1]


def row(i: int, text: str = "", *, task: str = "", minutes: int = 90, rate: int | None = 1100,
        billable: bool = True) -> ExportRow:
    return ExportRow(dt.date(2026, 11, 1) + dt.timedelta(days=i % 30), f"P-{i % 20 + 1}", f"Prosjekt {i % 20}",
                     "Tine", f"Person {i % 7}", task, minutes, billable, rate, amount_ore(minutes, rate, billable),
                     text, i % 2 == 0)


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", " leading", "trailing ", "<r>rich</r>", "_x0000_ escaped", "a\x00b\x1fc", "æøå & <tag> \"q\" 'a'",
     "=SUM(A1)", "🎉 fest", "x" * 20000, "\t tab", "line\nbreak"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(texts, texts, st.integers(1, 24 * 60), st.one_of(st.none(), st.integers(1, 100_000)),
                          st.booleans()), min_size=1, max_size=12), st.sampled_from(["nb", "en"]))
@example([("x" * 40_000, "", 60, 1000, True)], "nb")  # past Excel's 32,767: the library truncates it
def test_the_excel_file_is_the_librarys_own_byte_for_byte(
        given_rows: list[tuple[str, str, int, int | None, bool]], lang: str) -> None:
    rows = [row(i, text, task=task, minutes=minutes, rate=rate, billable=billable)
            for i, (text, task, minutes, rate, billable) in enumerate(given_rows)]
    fast, plain = both(rows, lang)
    assert fast.keys() == plain.keys()
    for name in plain:
        assert fast[name] == plain[name], name


def test_many_rows_past_the_string_cache_are_the_same_bytes() -> None:
    count = export_files._RowsSheet._CACHE_MAX + 500
    rows = [row(i, f"Gjorde ting {i % 5000}", task=f"Oppgave {i}" if i % 3 else "") for i in range(count)]
    fast, plain = both(rows)
    assert fast == plain
    assert b"Oppgave 4501" in fast["xl/worksheets/sheet1.xml"] and len(headers("nb")) == len(COLUMNS)
