"""The month-end report's pure parts: months as users write them, the first working day, when a report goes out and
until when, the read model and the customer's version, and rendering within Slack's limits."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.clock.month_reports import report_slot, still_due
from bot.domain.errors import UserError
from bot.domain.health import Health
from bot.domain.month_report import LogRow, build_report, customer_version
from bot.domain.months import first_working_day, last_ended, looks_like_month, parse_month
from bot.domain.readmodels import GoalLine, ProjectView
from bot.slack.render.month_report import customer_text, report_blocks

TODAY = dt.date(2027, 1, 10)


@pytest.mark.parametrize(("text", "month"), [
    ("november", dt.date(2026, 11, 1)), ("Nov", dt.date(2026, 11, 1)), ("januar", dt.date(2027, 1, 1)),
    ("desember", dt.date(2026, 12, 1)), ("december 2025", dt.date(2025, 12, 1)), ("2026-11", dt.date(2026, 11, 1)),
    ("11.2026", dt.date(2026, 11, 1)), ("mai", dt.date(2026, 5, 1)), ("May", dt.date(2026, 5, 1)),
    ("oktober", dt.date(2026, 10, 1)), ("okt.", dt.date(2026, 10, 1)),
])
def test_months_as_users_write_them(text: str, month: dt.date) -> None:
    assert parse_month(text, TODAY) == month
    assert looks_like_month(text.split()[0])


@pytest.mark.parametrize(("text", "key"), [
    ("2027-02", "month.future"), ("februar 2027", "month.future"), ("2026-13", "month.unknown"),
    ("smarch", "month.unknown"), ("13.2026", "month.unknown"), ("", "month.unknown"),
])
def test_bad_months(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_month(text, TODAY)
    assert caught.value.key == key and caught.value.field == "month"


def test_the_last_month_that_ended_and_the_first_working_day() -> None:
    assert last_ended(dt.date(2027, 1, 4)) == dt.date(2026, 12, 1)
    assert last_ended(dt.date(2026, 3, 31)) == dt.date(2026, 2, 1)
    assert first_working_day(dt.date(2026, 1, 1)) == dt.date(2026, 1, 2)  # 1 January: a holiday (Friday the 2nd)
    assert first_working_day(dt.date(2027, 1, 1)) == dt.date(2027, 1, 4)  # and then a weekend
    assert first_working_day(dt.date(2027, 5, 1)) == dt.date(2027, 5, 3)  # Saturday 1 May
    assert first_working_day(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)


def test_when_a_report_goes_out_and_until_when() -> None:
    oslo = "Europe/Oslo"
    assert report_slot(dt.date(2027, 1, 20), 9, oslo) == dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)  # 09:00 CET
    assert report_slot(dt.date(2026, 6, 1), 9, oslo) == dt.datetime(2026, 6, 1, 7, tzinfo=dt.UTC)  # 09:00 CEST
    december = dt.date(2026, 12, 1)
    assert still_due(december, dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC), oslo) is False  # 1 Feb in Oslo
    assert still_due(december, dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC), "UTC") is True
    assert still_due(december, dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC), oslo) is False


PROJECT = ProjectView(id=1, number=3, name="Retainer <b>", customer="Tine & Co", kind="lopende", state="active",
                      channel_id="C1", pm_user_id="UPM", start=dt.date(2026, 1, 1), deadline=None, frame_minutes=1200,
                      budget_nok=30000, created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), rate_nok=1000)
DAY = dt.date(2026, 12, 14)


def _report(logs: list[LogRow]):  # type: ignore[no-untyped-def]
    return build_report(PROJECT, dt.date(2026, 12, 1), logs, {7: "Annonser"}, goals=[GoalLine("Leads", 50, 20)],
                        approval=None, health=Health("green", "health.paused", {}),
                        frame_used=(sum(x.minutes for x in logs), sum(x.minutes for x in logs if x.billable)),
                        cost_kr=4500)


def test_the_report_and_its_customer_version() -> None:
    logs = [LogRow(1, "UA", 7, DAY, 180, True, 1000, "Skrev annonser"),
            LogRow(2, "UB", None, DAY, 120, False, 1000, "Internmøte"),
            LogRow(3, "UB", 99, DAY, 90, True, 1200, "Rapport"),  # a task since deleted: no task
            LogRow(4, "UC", None, DAY, 60, False, None, "Bare internt")]
    report = _report(logs)
    assert (report.billable, report.internal, report.total) == (270, 180, 450)
    assert [(p.user_id, p.billable, p.internal, p.amount_kr, p.rates) for p in report.people] == [
        ("UB", 90, 120, 1800, (1200,)), ("UA", 180, 0, 3000, (1000,)), ("UC", 0, 60, 0, ())]
    assert [(k.title, k.billable, k.internal) for k in report.tasks] == [("Annonser", 180, 0), (None, 90, 180)]
    customer = customer_version(report, with_rates=False)
    assert [p.user_id for p in customer.people] == ["UA", "UB"] and customer.internal == 0
    assert [x.text for k in customer.tasks for x in k.logs] == ["Skrev annonser", "Rapport"]
    assert customer.health is None and customer.frame_used == 270
    text = customer_text(customer, "nb")
    assert "Internmøte" not in text and "Bare internt" not in text and " kr" not in text
    assert "Tine &amp; Co" in text and "Retainer <b>" not in text and "Retainer &lt;b&gt;" in text.split("\n")[0]
    priced = customer_text(customer_version(report, with_rates=True), "en").replace("\xa0", " ")
    assert "- <@UA>: 3 h (NOK 1,000/h · NOK 3,000)" in priced and "Cost: NOK 4,500 of NOK 30,000 (15 %)" in priced


def test_a_long_month_stays_within_slacks_limits() -> None:
    long_text = "Ord " * 400 + "<!channel>"
    logs = [LogRow(i, f"U{i % 7}", i % 30, DAY, 30, i % 5 != 0, 1000, long_text) for i in range(1, 900)]
    report = build_report(PROJECT, dt.date(2026, 12, 1), logs, {i: f"Oppgave {i} " + "x" * 300 for i in range(30)},
                          goals=[GoalLine("Mål " * 100, 1, 2)] * 30, approval=None,
                          health=Health("green", "health.paused", {}), frame_used=(0, 0), cost_kr=None)
    blocks = report_blocks(report, "nb", approvable=True)
    assert len(blocks) <= 50 and blocks[-1]["type"] == "actions"
    for block in blocks:
        text = (block.get("text") or {}).get("text", "") if block["type"] != "context" else \
            block["elements"][0]["text"]
        assert len(text) <= (150 if block["type"] == "header" else 3000)
    assert "<!channel>" not in json.dumps(blocks)
    assert "… flere logger enn det er plass til her" in json.dumps(blocks, ensure_ascii=False)
    plain = customer_text(customer_version(report, with_rates=False), "nb")
    assert len(plain) <= 40_000 and plain.endswith("\n…") and "<!channel>" not in plain
