"""Hourly rates and the cost frame over real signed HTTP (docs/product.md §10): the workspace default in the settings,
a project's rate and people's own rates (`ny`/`ramme … timepris:`, the modals), the rate each log keeps, internal
logs, the card's cost line, and bad rates refused with nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from storage.models import HistoryEntry, ProgressLog, Project, ProjectRate, Workspace
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot, Clock, flat

OLA = f"<@{MEMBER}|ola>"
NEW = f'ny Nettside kunde:Tine frist:18.12.2026 timer:100 budsjett:150000 medlemmer:{OLA}'


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def logs(bot: Bot) -> list[tuple[str, int, int | None, bool]]:
    """(user, minutes, rate, billable) of the workspace's logs, in order."""
    with bot.svc.sessions() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(ProgressLog.user_id, ProgressLog.minutes, ProgressLog.rate_nok, ProgressLog.billable)
            .where(ProgressLog.team_id == bot.team_id).order_by(ProgressLog.id))]


def rate_history(bot: Bot) -> list[tuple[str | None, str | None, str | None]]:
    with bot.svc.sessions() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(HistoryEntry.field, HistoryEntry.old_value, HistoryEntry.new_value)
            .where(HistoryEntry.team_id == bot.team_id, HistoryEntry.field.in_(
                ["rate_nok", "person_rate", "default_rate_nok"])).order_by(HistoryEntry.id))]


def card_text(bot: Bot) -> str:
    return flat(bot.run("status P-1")["blocks"])


def set_default_rate(bot: Bot, rate: str) -> None:
    count = len(bot.fake.calls_to("views.open"))
    assert bot.run("innstillinger", user=ADMIN) == {}
    view = bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]
    assert bot.slack.submit(view, {"default_rate": rate}, user=ADMIN).text == ""


def test_the_rate_a_log_gets_person_over_project_over_default_and_old_logs_keep_theirs(
        bot: Bot, clock: Clock) -> None:
    clock.set(dt.date(2026, 12, 1))
    bot.run(NEW)
    assert "ingen timepris satt" in card_text(bot)  # a cost frame, and no rate anywhere: said, not "0 kr"
    bot.run("logg P-1 1t før noen timepris")  # no rate known: hours, no cost
    set_default_rate(bot, "1 000")
    bot.run("logg P-1 2t Oppstart")  # the workspace default
    assert "Kostnad:* 2 000 kr av 150 000 kr (1 %)" in card_text(bot)
    assert bot.run("ramme P-1 timepris:1250")["text"].startswith("Rammene for P-1 er endret")
    bot.run("logg P-1 2t Design")  # the project's rate wins over the default
    bot.run(f"ramme P-1 timepris:{OLA}=1100")
    bot.run("logg P-1 4t Utvikling", user=MEMBER)  # Ola's own rate wins over the project's
    bot.run("logg P-1 1t Møte")  # Kari has none of her own: the project's
    clock.set(dt.date(2026, 12, 10))
    before = card_text(bot)
    assert "Kostnad:* 10 150 kr av 150 000 kr (7 %)" in before  # 2×1000 + 2×1250 + 4×1100 + 1×1250
    bot.run(f"ramme P-1 timepris:1500 timepris:{OLA}=1200")  # mid-month: the logs so far keep their rates
    assert "Kostnad:* 10 150 kr av 150 000 kr (7 %)" in card_text(bot)
    bot.run("logg P-1 1t Etter endringen")
    bot.run("logg P-1 1t Etter endringen", user=MEMBER)
    assert "Kostnad:* 12 850 kr av 150 000 kr (9 %)" in card_text(bot)  # + 1500 + 1200
    assert logs(bot) == [(PM, 60, None, True), (PM, 120, 1000, True), (PM, 120, 1250, True),
                         (MEMBER, 240, 1100, True), (PM, 60, 1250, True), (PM, 60, 1500, True),
                         (MEMBER, 60, 1200, True)]
    assert rate_history(bot) == [
        ("default_rate_nok", None, "1000"), ("rate_nok", None, "1250"), ("person_rate", None, f"{MEMBER}=1100"),
        ("rate_nok", "1250", "1500"), ("person_rate", f"{MEMBER}=1100", f"{MEMBER}=1200")]
    history = flat(bot.run("historikk P-1")["blocks"])
    assert "Timepris (kr): 1 250 kr → 1 500 kr" in history
    assert f"timepris for person: <@{MEMBER}> 1 100 kr → <@{MEMBER}> 1 200 kr" in history
    unchanged = bot.run("ramme P-1 timepris:1500")  # the same again: nothing changes, nothing recorded
    assert unchanged["text"].startswith("Rammene for P-1 var allerede slik") and len(rate_history(bot)) == 5


def test_internal_hours_count_as_hours_not_as_cost_on_the_line_and_in_the_modal(bot: Bot, clock: Clock) -> None:
    clock.set(dt.date(2026, 12, 1))
    bot.run(NEW + " timepris:1000")
    answer = flat(bot.run("logg P-1 1t intern Internmøte")["text"])
    assert "Logget 1 t på *P-1*" in answer and "Intern tid: teller som timer, ikke som kostnad." in answer
    bot.run("logg P-1 3t Kundemøte")
    english = bot.run("log P-1 30m internal Planning")
    assert "(totalt 4,5 t)" in flat(english["text"])
    card = bot.card()
    assert bot.slack.click(card, "card.log", user=MEMBER).status_code == 200
    view = bot.opened_view()
    assert block(view, "internal")["label"]["text"] == "Fakturering"
    assert bot.slack.submit(view, {"hours": "2t", "internal": ["internal"]}, user=MEMBER).text == ""
    assert bot.slack.click(card, "card.log", user=OTHER).status_code == 200
    again = bot.fake.wait_for("views.open", count=2)[-1].response["view"]
    assert bot.slack.submit(again, {"hours": "1t"}, user=OTHER).text == ""  # the box left empty: billable
    assert logs(bot) == [(PM, 60, 1000, False), (PM, 180, 1000, True), (PM, 30, 1000, False),
                         (MEMBER, 120, 1000, False), (OTHER, 60, 1000, True)]
    with bot.svc.sessions() as session:
        descriptions = session.scalars(select(ProgressLog.description).where(ProgressLog.team_id == bot.team_id)
                                       .order_by(ProgressLog.id)).all()
    assert descriptions[:3] == ["Internmøte", "Kundemøte", "Planning"]
    text = card_text(bot)
    assert "7,5 t av 100 t" in text and "Kostnad:* 4 000 kr av 150 000 kr (3 %)" in text


def test_a_project_rate_and_own_rates_from_ny_and_the_modals(bot: Bot, clock: Clock) -> None:
    clock.set(dt.date(2026, 12, 1))
    bot.run(f"{NEW} timepris:1250 timepris:{OLA}=900")
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
        assert project is not None and project.rate_nok == 1250
        assert session.execute(select(ProjectRate.user_id, ProjectRate.rate_nok)
                               .where(ProjectRate.team_id == bot.team_id)).all() == [(MEMBER, 900)]
    bot.run("logg P-1 1t a", user=MEMBER)
    assert logs(bot) == [(MEMBER, 60, 900, True)]
    # the frame modal shows the project's rate and changes it
    assert bot.run("ramme P-1") == {}
    view = bot.opened_view()
    assert block(view, "rate")["element"]["initial_value"] == "1250"
    assert bot.slack.submit(view, {"rate": "1 400 kr"}, user=PM).text == ""
    assert rate_history(bot)[-1] == ("rate_nok", "1250", "1400")
    # the ny modal: a rate of its own
    count = len(bot.fake.calls_to("views.open"))
    assert bot.run("ny") == {}
    view = bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]
    bad = bot.slack.submit(view, {"name": "Annonser", "customer": "Tine", "deadline": "2026-12-20",
                                  "rate": "mye"}, user=PM).json()
    assert bad["response_action"] == "errors" and bad["errors"]["rate"].startswith("Timeprisen «mye» går ikke")
    assert bot.slack.submit(view, {"name": "Annonser", "customer": "Tine", "deadline": "2026-12-20",
                                   "rate": "990"}, user=PM).text == ""
    with bot.svc.sessions() as session:
        assert session.scalar(select(Project.rate_nok).where(Project.team_id == bot.team_id,
                                                             Project.number == 2)) == 990


def test_the_workspace_default_rate_in_the_settings(bot: Bot) -> None:
    set_default_rate(bot, "1100")
    count = len(bot.fake.calls_to("views.open"))
    bot.run("innstillinger", user=ADMIN)
    view = bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]
    assert block(view, "default_rate")["element"]["initial_value"] == "1100"
    bad = bot.slack.submit(view, {"default_rate": "-5"}, user=ADMIN).json()
    assert {k: flat(v) for k, v in bad["errors"].items()} == {
        "default_rate": "Timeprisen «-5» går ikke: skriv hele kroner per time over 0 (høyst 100 000), f.eks. 1250."}
    assert bot.slack.submit(view, {"default_rate": ""}, user=ADMIN).text == ""  # empty: no default rate
    with bot.svc.sessions() as session:
        assert session.get(Workspace, bot.team_id).default_rate_nok is None  # type: ignore[union-attr]
    assert rate_history(bot) == [("default_rate_nok", None, "1100"), ("default_rate_nok", "1100", None)]


def test_bad_rates_are_refused_with_how_to_write_them_and_nothing_is_stored(bot: Bot) -> None:
    bot.run(NEW + " timepris:1000")
    for typed, says in (
        ("timepris:abc", "Timeprisen «abc» går ikke: skriv hele kroner per time over 0"),
        ("timepris:-5", "Timeprisen «-5» går ikke"),
        ("timepris:0", "Timeprisen «0» går ikke"),
        ("timepris:12,5", "Timeprisen «12,5» går ikke"),
        ("timepris:@ukjent=900", "«@ukjent» er ikke en person Slack kjenner igjen. Skriv timepris:@ola=1100"),
        (f"timer:200 timepris:<@{OTHER}|per>=900", f"<@{OTHER}> er ikke med i P-1."),
        ("timepris:1100 timepris:1200", "Timeprisen står to ganger."),
    ):
        answer = flat(bot.run(f"ramme P-1 {typed}")["text"])
        assert says in answer, (typed, answer)
    with bot.svc.sessions() as session:
        project = session.scalar(select(Project).where(Project.team_id == bot.team_id))
        assert project is not None and (project.rate_nok, project.frame_minutes) == (1000, 6000)
        assert session.scalars(select(ProjectRate).where(ProjectRate.team_id == bot.team_id)).all() == []
    assert rate_history(bot) == []
    refused = flat(bot.run(f"ny Annet kunde:Tine frist:18.12.2026 timepris:<@{OTHER}|per>=900")["text"])
    assert f"<@{OTHER}> er ikke med i prosjektet. Legg personen til som medlem (medlemmer:@ola)" in refused
    count = len(bot.fake.calls_to("views.open"))
    bot.run("innstillinger", user=ADMIN)
    view = bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]
    assert bot.slack.submit(view, {"language": "en"}, user=ADMIN).text == ""
    english = flat(bot.run("frame P-1 rate:lots")["text"])
    assert english.startswith("The rate “lots” does not work: give whole kroner an hour above 0 (at most 100,000), "
                              "e.g. rate:1250, or for one person rate:@ola=1100.")
    assert "NOK 150,000" in flat(bot.run("status P-1")["blocks"])
    # someone who only owns a task is in the project: they may have their own rate; not the PL's alone
    bot.run(f'task P-1 "Tekster" owner:<@{OTHER}|per>')
    assert flat(bot.run(f"frame P-1 rate:<@{OTHER}|per>=900")["text"]).startswith("The frames of P-1 are changed")
    refused = bot.run("frame P-1 rate:1300", user=MEMBER)
    assert "Only the project manager" in refused["text"]


def test_the_weekly_summary_and_the_portfolio_show_cost_where_a_cost_frame_exists(bot: Bot, clock: Clock) -> None:
    clock.set(dt.date(2026, 12, 2))
    bot.run("ny Nettside kunde:Tine frist:18.12.2026 timer:100 budsjett:15000 timepris:1000")
    bot.run("ny Annonser kunde:Tine frist:18.12.2026 timer:10 timepris:1000")  # no cost frame
    bot.run("logg P-1 8,5t Alt sammen")  # 8 500 kr of 15 000
    bot.run("logg P-2 2t Oppsett")
    bot.run("logg P-2 3t intern Opplæring")
    summary = flat(bot.run("oppsummering")["blocks"])
    p1, p2 = summary.split("*P-1*")[1].split("*P-2*")[0], summary.split("*P-2*")[1]
    assert "*Kostnad:* `▓▓▓▓▓▓░░░░` 57 % (8 500 kr av 15 000 kr)" in p1
    assert "Kostnad" not in p2 and "5 t av 10 t" in p2
    portfolio = flat(bot.run("oppsummering portefølje")["blocks"])
    assert "8 500 kr (57 %)" in portfolio and "2 000 kr" not in portfolio
    # at 80 % of the cost frame the project is at risk in the portfolio, with the reason
    bot.run("logg P-1 4t Mer")  # 12 500 kr: 83 %
    portfolio = flat(bot.run("oppsummering portefølje")["blocks"])
    assert "Rammer i faresonen" in portfolio and "83,3 % av kostnadsrammen brukt" in portfolio
