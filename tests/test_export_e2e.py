"""The hours export over real signed HTTP (issue 13, docs/product.md): `/prosjekt eksport` answers with what is
coming and sends a CSV and an Excel file to the user's DM; the bytes are read back the way Excel with Norwegian
settings reads them (`;`, decimal comma, BOM) and with openpyxl (cell types, number formats, the totals sheet).
Rights (member / PL / admin), the filters (project, customer, week, fra/til), approved months, and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from storage.models import MonthApproval
from tests.conftest import ADMIN, MEMBER, OTHER, PM, SECRET, TOKEN, Bot, Clock, flat
from tests.test_cli import CLI, env

OLA = f"<@{MEMBER}|ola>"
HEADER = ["Dato", "Prosjekt", "Prosjektnavn", "Kunde", "Person", "Oppgave", "Timer", "Fakturerbar", "Timepris",
          "Beløp", "Beskrivelse", "Godkjent"]


def seed(bot: Bot, clock: Clock) -> None:
    """P-1 «Nettside» for Tine (PL Kari, rate 1250, Ola 1100) and P-2 «SEO Fjord» for Fjordkraft (PL Ola), with
    logs on 3 and 4 November (week 45), 24 November (week 48) and 2 December."""
    bot.fake.add_user(PM, name="kari", real_name="Kari Nordmann")
    bot.fake.add_user(MEMBER, name="ola", real_name="Ola Åsen")
    clock.set(dt.date(2026, 11, 3))
    bot.run(f"ny Nettside kunde:Tine frist:18.12.2026 timer:100 budsjett:150000 medlemmer:{OLA} timepris:1250")
    bot.run(f"ramme P-1 timepris:{OLA}=1100")
    bot.run('oppgave P-1 "Teknisk revisjon" frist:20.11.2026')
    bot.run(f'ny "SEO Fjord" kunde:"Fjordkraft AS" frist:18.12.2026 pl:{OLA} timepris:1000')
    bot.run('logg P-1 2,5t oppgave:"Teknisk revisjon" Fant 40 feil; rettet 38')
    bot.run("logg P-1 1t 30m intern Internmøte", user=MEMBER)
    clock.set(dt.date(2026, 11, 4))
    bot.run("logg P-1 1t =SUM(A1:A9) og mer", user=MEMBER)
    bot.run("logg P-2 2t Søkeordsanalyse", user=MEMBER)
    clock.set(dt.date(2026, 11, 24))
    bot.run("logg P-2 45m Rapport", user=PM)
    clock.set(dt.date(2026, 12, 2))
    bot.run("logg P-1 1t Desember")


def approve(bot: Bot, key_number: int, month: dt.date) -> None:
    """The PL's approval of a month, written through storage (approving is issue 13's other part)."""
    from storage.models import Project

    with bot.svc.sessions.begin() as session:
        project_id = session.query(Project.id).filter_by(team_id=bot.team_id, number=key_number).scalar()
        session.add(MonthApproval(team_id=bot.team_id, project_id=project_id, month=month, approved_by=PM,
                                  approved_at=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)))


def export(bot: Bot, text: str, user: str = PM) -> tuple[str, dict[str, dict[str, Any]]]:
    """Run `eksport …`; the answer, and the files sent (name -> upload) by this run."""
    before = {f["id"] for f in bot.fake.files()}
    answer = flat(bot.run(f"eksport {text}".strip(), user=user).get("text", ""))
    bot.settle()
    return answer, {f["name"]: f for f in bot.fake.files() if f["id"] not in before}


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads æøå
    text = content.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")[:200]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def number(text: str) -> Decimal:
    assert "." not in text
    return Decimal(text.replace(",", "."))


def workbook(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_a_project_month_as_csv_and_excel_read_back(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    approve(bot, 1, dt.date(2026, 11, 1))
    answer, files = export(bot, "P-1 november")
    assert answer == ("Sender deg 3 timeføringer for P-1 Nettside, november 2026, som CSV og Excel på "
                      "direktemelding.")
    assert sorted(files) == ["timer-P-1-2026-11.csv", "timer-P-1-2026-11.xlsx"]
    opened = bot.fake.calls_to("conversations.open")[-1]
    assert opened.args["users"] == PM
    assert {f["channel"] for f in files.values()} == {opened.response["channel"]["id"]}
    assert all(f["shared"] for f in files.values())

    rows = read_csv(files["timer-P-1-2026-11.csv"]["content"])
    assert rows[0] == HEADER
    assert rows[1] == ["03.11.2026", "P-1", "Nettside", "Tine", "Kari Nordmann", "Teknisk revisjon", "2,50", "Ja",
                       "1250", "3125,00", "Fant 40 feil; rettet 38", "Ja"]
    assert rows[2][:10] == ["03.11.2026", "P-1", "Nettside", "Tine", "Ola Åsen", "", "1,50", "Nei", "1100", ""]
    assert rows[3][4] == "Ola Åsen" and rows[3][10] == "'=SUM(A1:A9) og mer"  # never a formula in Excel
    assert number(rows[3][9]) == Decimal("1100.00") and rows[3][11] == "Ja"
    assert len(rows) == 4  # one row per log, no totals row; December's log and P-2's are not in it
    raw = files["timer-P-1-2026-11.csv"]["content"].decode("utf-8-sig")
    assert '"Fant 40 feil; rettet 38"' in raw  # quoted as the csv module does, for the `;`

    book = workbook(files["timer-P-1-2026-11.xlsx"]["content"])
    assert book.sheetnames == ["Timer", "Summer"]
    sheet = book["Timer"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == HEADER and len(cells) == 4
    first = [c for c in sheet[2]]
    assert first[0].value == dt.datetime(2026, 11, 3) and first[0].number_format == "dd.mm.yyyy"
    assert first[6].value == 2.5 and first[6].number_format == "#,##0.00" and first[6].data_type == "n"
    assert first[8].value == 1250 and first[8].number_format == '#,##0 "kr"'
    assert first[9].value == 3125 and first[9].number_format == '#,##0.00 "kr"'
    assert [c.value for c in sheet[3]][7:12] == ["Nei", 1100, None, "Internmøte", "Ja"]
    assert sheet[4][10].value == "=SUM(A1:A9) og mer" and sheet[4][10].data_type == "s"  # text, not a formula
    totals = list(book["Summer"].iter_rows(values_only=True))
    assert totals == [
        ("Prosjekt", "Prosjektnavn", "Person", "Timer", "Fakturerbare timer", "Beløp"),
        ("P-1", "Nettside", "Kari Nordmann", 2.5, 2.5, 3125),
        ("P-1", "Nettside", "Ola Åsen", 2.5, 1, 1100),
        ("Sum", None, None, 5, 3.5, 4225),
    ]
    assert book["Summer"]["F2"].number_format == '#,##0.00 "kr"'
    _, december = export(bot, "P-1 desember")  # a month not approved
    assert [r[11] for r in read_csv(december["timer-P-1-2026-12.csv"]["content"])[1:]] == ["Nei"]
    assert workbook(december["timer-P-1-2026-12.xlsx"]["content"])["Timer"]["L2"].value == "Nei"


def test_rights_member_own_hours_pl_their_projects_admin_everything(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    answer, files = export(bot, "november", user=MEMBER)  # Ola: his own hours, and all of P-2 (he leads it)
    assert "Sender deg 4 timeføringer for alle prosjekter, november 2026" in answer
    assert "Bare dine egne timer og timene på prosjektene du leder er med." in answer
    rows = read_csv(files["timer-2026-11.csv"]["content"])[1:]
    assert sorted((r[1], r[4]) for r in rows) == [("P-1", "Ola Åsen"), ("P-1", "Ola Åsen"), ("P-2", "Kari Nordmann"),
                                                  ("P-2", "Ola Åsen")]
    answer, files = export(bot, "P-1 november", user=MEMBER)  # not his project: his own hours on it, and said so
    assert "Sender deg 2 timeføringer for P-1 Nettside" in answer
    assert f"alle timene på P-1 kan PL (<@{PM}>) eller en administrator eksportere" in answer
    assert {r[4] for r in read_csv(files["timer-P-1-2026-11.csv"]["content"])[1:]} == {"Ola Åsen"}

    answer, files = export(bot, "P-1 november", user=OTHER)  # Per has no hours there: told, no empty files
    assert answer.startswith("Ingen timer å eksportere for P-1 Nettside, november 2026. Bare dine egne timer")
    assert files == {}
    answer, files = export(bot, "alle november", user=MEMBER)
    assert answer.startswith("Bare en administrator kan eksportere alle timene.") and files == {}

    answer, files = export(bot, "alle november", user=ADMIN)
    assert "Sender deg 5 timeføringer for alle prosjekter, november 2026" in answer
    assert "Bare dine" not in answer
    assert len(read_csv(files["timer-2026-11.csv"]["content"])) == 6
    answer, files = export(bot, "P-2 november", user=ADMIN)  # an admin: everyone's hours on any project
    assert "Sender deg 2 timeføringer for P-2 SEO Fjord" in answer


def test_filters_customer_week_range_and_the_default_month(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    answer, files = export(bot, 'kunde:"fjordkraft as" november', user=ADMIN)  # any case
    assert "for kunden Fjordkraft AS, november 2026" in answer
    assert [r[1] for r in read_csv(files["timer-Fjordkraft-AS-2026-11.csv"]["content"])[1:]] == ["P-2", "P-2"]
    answer, files = export(bot, "uke 45", user=ADMIN)
    assert "Sender deg 4 timeføringer for alle prosjekter, uke 45 2026" in answer
    assert sorted(files) == ["timer-2026-w45.csv", "timer-2026-w45.xlsx"]
    answer, files = export(bot, "fra:04.11.2026 til:24.11.2026", user=ADMIN)
    assert "04.11.2026–24.11.2026" in answer
    assert [r[0] for r in read_csv(files["timer-2026-11-04_2026-11-24.csv"]["content"])[1:]] == [
        "04.11.2026", "04.11.2026", "24.11.2026"]
    answer, _ = export(bot, "fra:4.11 til:24.11", user=ADMIN)  # no year: the latest such days, not next year's
    assert "Sender deg 3 timeføringer for alle prosjekter, 04.11.2026–24.11.2026" in answer
    answer, files = export(bot, "", user=PM)  # no period: this month so far (December: one log)
    assert "Sender deg 1 timeføringer for alle prosjekter, desember 2026" in answer
    answer, files = export(bot, "Nettside november", user=PM)  # the project by name, then the period
    assert "for P-1 Nettside, november 2026" in answer
    answer, _ = export(bot, "P-1 desember 2026", user=PM)
    assert "Sender deg 1 timeføringer for P-1 Nettside, desember 2026" in answer


@pytest.mark.parametrize(("text", "says"), [
    ("novembr", "Skjønner ikke perioden «novembr». Skriv en måned (`november`, `2026-11`)"),
    ("P-1 2027-01", "«2027-01» har ikke begynt ennå."),
    ("uke 2 2027", "«uke 2 2027» har ikke begynt ennå."),
    ("fra:20.11.2026 til:01.11.2026", "`fra:` (20.11.2026) er etter `til:` (01.11.2026)."),
    ("til:01.11.2026", "`til:` trenger en `fra:`."),
    ("kunde:Ukjent november", "Finner ingen kunde «Ukjent». Kundene her: Fjordkraft AS, Tine."),
    ("P-99 november", "P-99"),
    ("P-1 kunde:Tine", "Velg enten et prosjekt eller `kunde:`"),
])
def test_bad_input_is_answered_with_how_to_write_it_and_sends_nothing(
        bot: Bot, clock: Clock, text: str, says: str) -> None:
    seed(bot, clock)
    answer, files = export(bot, text, user=ADMIN)
    assert says in answer, answer
    assert files == {}


def test_in_english(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    bot.run("innstillinger", user=ADMIN)
    bot.slack.submit(bot.opened_view(), {"language": "en"}, user=ADMIN)
    answer, files = export(bot, "P-1 november")
    assert answer.startswith("Sending you 3 logs for P-1 Nettside, November 2026")
    rows = read_csv(files["hours-P-1-2026-11.csv"]["content"])
    assert rows[0][:4] == ["Date", "Project", "Project name", "Customer"] and rows[1][7] == "Yes"
    assert workbook(files["hours-P-1-2026-11.xlsx"]["content"]).sheetnames == ["Hours", "Totals"]


def test_the_operator_cli_writes_the_same_rows_as_csv_and_xlsx(bot: Bot, clock: Clock, database_url: str,
                                                                 tmp_path: Path) -> None:
    seed(bot, clock)
    approve(bot, 1, dt.date(2026, 11, 1))
    _, files = export(bot, "P-1 november", user=ADMIN)
    slack = env(DATABASE_URL=database_url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                SLACK_API_URL=bot.fake.url)

    def cli(*args: str, environment: dict[str, str] = slack) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CLI, "export", "--team", bot.team_id, *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120, env=environment)

    done = cli("--month", "2026-11", "--project", "P-1", "--format", "csv", "-o", "p1.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "wrote 3 rows to p1.csv"
    assert (tmp_path / "p1.csv").read_bytes() == files["timer-P-1-2026-11.csv"]["content"]  # the same content
    done = cli("--month", "november", "--customer", "Tine", "--format", "xlsx", "-o", "tine.xlsx")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tmp_path / "tine.xlsx")
    assert [row[4] for row in book["Timer"].iter_rows(min_row=2, values_only=True)] == [
        "Kari Nordmann", "Ola Åsen", "Ola Åsen"]
    assert book["Summer"]["A4"].value == "Sum" and book["Summer"]["F4"].value == 4225

    no_slack = env(DATABASE_URL=database_url)  # no token: people by their Slack id
    done = cli("--month", "2026-11", "--lang", "en", "--format", "csv", "-o", "all.csv", environment=no_slack)
    assert done.returncode == 0, done.stderr
    rows = read_csv((tmp_path / "all.csv").read_bytes())
    assert rows[0][0] == "Date" and len(rows) == 6 and {r[4] for r in rows[1:]} == {PM, MEMBER}
    bad = cli("--month", "2099-01", "--format", "csv", "-o", "x.csv", environment=no_slack)
    assert bad.returncode == 2 and "«2099-01» has not begun yet" in bad.stderr
    assert not (tmp_path / "x.csv").exists()
    unknown = cli("--project", "P-99", "--format", "csv", "-o", "x.csv", environment=no_slack)
    assert unknown.returncode == 2 and "P-99" in unknown.stderr


def test_help_shows_the_export(bot: Bot) -> None:
    assert "`/prosjekt eksport P-3 november`" in flat(bot.run("hjelp")["blocks"])


def test_files_slack_refuses_are_explained_in_the_dm(bot: Bot, clock: Clock) -> None:
    seed(bot, clock)
    bot.fake.deny_scope("files:write")
    answer, files = export(bot, "P-1 november")
    assert answer.startswith("Sender deg 3 timeføringer") and not any(f["shared"] for f in files.values())
    told = bot.fake.messages(PM)[-1]["text"]
    assert told.startswith("Eksportfilene kunne ikke sendes: Slack tok ikke imot dem")
