"""App Home: each person sees their projects with health, their tasks due in the next 14 days, what is overdue and
their projects at risk; it is published when they open it and again when a change touches them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.slack.coalesce import Coalescer
from bot.usecases import projects
from storage.models import HomeUser
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot, Clock, flat


def publishes(bot: Bot, user: str) -> list[dict[str, Any]]:
    bot.settle()
    calls = [c for c in bot.fake.calls_to("views.publish") if c.args["user_id"] == user]
    assert all(c.response["ok"] for c in calls), [c.response for c in calls]
    return [c.args["view"] for c in calls]


def home(bot: Bot, user: str) -> str:
    views = publishes(bot, user)
    assert views, f"no Home published for {user}"
    return flat(views[-1]["blocks"])


def test_a_person_with_no_projects_gets_a_home_with_a_way_to_start(bot: Bot) -> None:
    assert bot.slack.home_opened(OTHER, event_id="EvHOME0001").status_code == 200
    shown = home(bot, OTHER)
    assert "Mine prosjekter (0)" in shown and "Du er ikke prosjektleder eller medlem i noe prosjekt ennå" in shown
    assert "Ingen oppgaver med frist de neste 14 dagene." in shown and "Nytt prosjekt" in shown
    # Slack's retry of the same event, and the Messages tab, publish nothing more
    bot.slack.home_opened(OTHER, event_id="EvHOME0001", retry=1)
    bot.slack.home_opened(OTHER, tab="messages")
    assert len(publishes(bot, OTHER)) == 1
    with bot.svc.sessions() as session:
        assert session.get(HomeUser, (bot.team_id, OTHER)) is not None
        assert session.get(HomeUser, (bot.team_id, PM)) is None


def test_home_shows_my_projects_tasks_overdue_and_risks(bot: Bot, clock: Clock) -> None:
    bot.run(f"ny Kampanje kunde:Tine frist:15.12.2026 timer:40 medlemmer:<@{MEMBER}|ola>")
    bot.run("ny Nettside kunde:Fjordkraft frist:04.12.2026 timer:100", channel="C0ANDRE01")
    for title, deadline, project in (("Levere tekster", "30.11.2026", "P-1"), ("Bannere", "27.11.2026", "P-1"),
                                     ("Rapport", "31.12.2026", "P-1"), ("Skisser", "01.12.2026", "P-2")):
        bot.run(f'oppgave {project} "{title}" frist:{deadline} ansvarlig:<@{MEMBER}|ola>')
    bot.run("logg P-1 20t Skrev tekster")
    bot.run("logg P-1 15t Bannere")
    clock.set(dt.date(2026, 11, 30))  # Monday: Bannere (Friday) is overdue, Levere tekster is due today
    bot.slack.home_opened(MEMBER)
    shown = home(bot, MEMBER)
    assert "Mine prosjekter (1)" in shown and "*P-1* Kampanje" in shown and "frist tir. 15. des." in shown
    assert "*P-2* Nettside ·" not in shown.split("Mine oppgaver")[0]  # not a member of P-2 …
    assert "*i dag* – Levere tekster" in shown and "*tir. 1. des.* – Skisser · *P-2* Nettside" in shown  # … its task
    assert "Rapport" not in shown  # due in more than 14 days
    assert "🔴 Bannere · *P-1* Kampanje · frist fre. 27. nov. (3 dager over fristen)" in shown
    risk = shown.split("Prosjekter i faresonen")[1]
    assert "🟡 *P-1* Kampanje – 87,5 % av timene brukt" in risk
    assert publishes(bot, PM) == []  # the PL has never opened the Home: nothing is published for her


def test_many_projects_are_condensed_and_slack_accepts_the_home(bot: Bot) -> None:
    with bot.svc.unit(bot.team_id, write=True) as unit:
        actor = projects.Actor(bot.team_id, PM, bot.svc.now())
        for n in range(210):  # more than the Home reads (200): the rest are counted
            draft = projects.ProjectDraft(name=f"Kampanje {n:03d} " + "x" * 80, customer="Tine",
                                          channel_id=f"C{n:08d}", pm_user_id=PM, start=unit.today,
                                          deadline=unit.today + dt.timedelta(days=30), frame_minutes=600)
            projects.create_project(unit.session, actor, draft, today=unit.today)
    bot.slack.home_opened(PM)
    [view] = publishes(bot, PM)
    assert len(view["blocks"]) <= 100
    shown = flat(view["blocks"])
    assert "Mine prosjekter (210)" in shown and "…og 170 til. Se `/prosjekt liste mine`." in shown
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in view["blocks"])


def test_home_is_published_again_after_a_change_that_touches_the_user(bot: Bot) -> None:
    bot.run(f"ny Kampanje kunde:Tine frist:15.12.2026 timer:40 medlemmer:<@{MEMBER}|ola>")
    bot.slack.home_opened(MEMBER)
    bot.slack.home_opened(OTHER)
    assert "🟢 *P-1* Kampanje" in home(bot, MEMBER) and "I rute" in home(bot, MEMBER)
    before_other = len(publishes(bot, OTHER))
    bot.run("logg P-1 20t Skrev tekster")  # by the PL; Ola is a member
    bot.run("logg P-1 15t Bannere")
    assert "🟡 *P-1* Kampanje" in home(bot, MEMBER) and "87,5 % av timene brukt" in home(bot, MEMBER)
    assert len(publishes(bot, OTHER)) == before_other  # Per is not on the project
    bot.run(f'oppgave P-1 "Sette opp sporing" frist:01.12.2026 ansvarlig:<@{OTHER}|per>')
    assert "*tir. 1. des.* – Sette opp sporing · *P-1* Kampanje" in home(bot, OTHER)
    assert publishes(bot, PM) == []


def test_the_new_project_button_on_home_opens_the_new_project_modal(bot: Bot) -> None:
    bot.slack.home_opened(OTHER)
    [view] = publishes(bot, OTHER)
    published = bot.fake.home_view(OTHER)
    assert published is not None
    assert bot.slack.click_in_home(published, "home.new_project", user=OTHER).status_code == 200
    modal = bot.opened_view()
    assert modal["callback_id"] == "project.new"
    channel = next(b for b in modal["blocks"] if b.get("block_id") == "channel")
    assert "initial_conversation" not in channel["element"]
    answer = bot.slack.submit(modal, {"name": "Lansering", "customer": "Acme", "channel": "C0LANSERE",
                                      "deadline": "2026-12-18", "hours": "20"}, user=OTHER)
    assert answer.text == ""
    assert "*P-1* Lansering · <#C0LANSERE> · frist fre. 18. des." in home(bot, OTHER)


def test_a_language_change_publishes_every_home_in_the_new_language(bot: Bot) -> None:
    bot.slack.home_opened(MEMBER)
    assert "Mine prosjekter (0)" in home(bot, MEMBER)
    assert bot.run("innstillinger", user=ADMIN) == {}
    bot.slack.submit(bot.opened_view(), {"language": "en"}, user=ADMIN)
    assert "My projects (0)" in home(bot, MEMBER) and "New project" in home(bot, MEMBER)


def test_coalescer_runs_a_burst_once_and_once_more_for_a_change_during_the_run() -> None:
    queue: list[tuple[Any, tuple[Any, ...]]] = []
    coalescer, runs = Coalescer(), list[int]()

    def submit(fn: Any, *args: Any) -> None:
        queue.append((fn, args))

    def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:  # a change while the job runs: it must run once more, not in parallel
            assert coalescer.request("k", submit, job) is False

    assert coalescer.request("k", submit, job) is True
    assert coalescer.request("k", submit, job) is False  # queued, not started: it will see this change anyway
    assert len(queue) == 1
    fn, args = queue.pop()
    fn(*args)
    assert runs == [0, 1] and queue == []
    assert coalescer.request("k", submit, job) is True  # idle again: a new change queues a new run


def test_a_paced_coalescer_waits_out_its_interval_with_a_delayed_submit_and_runs_the_last_change() -> None:
    queue: list[tuple[Any, tuple[Any, ...], float]] = []
    coalescer, runs = Coalescer(min_interval=60.0), list[int]()

    def submit(fn: Any, *args: Any, delay: float = 0.0) -> None:
        queue.append((fn, args, delay))

    def job() -> None:
        runs.append(len(runs))
        if len(runs) == 2:  # a change while the second run runs
            assert coalescer.request("k", submit, job) is False

    assert coalescer.request("k", submit, job) is True
    fn, args, delay = queue.pop()
    assert delay == 0.0  # never ran: at once
    fn(*args)
    assert coalescer.request("k", submit, job) is True  # idle, but it ran just now: it waits out the minute
    assert coalescer.request("k", submit, job) is False  # and meanwhile a change adds nothing
    fn, args, delay = queue.pop()
    assert 59.0 < delay <= 60.0 and runs == [0]
    fn(*args)
    assert runs == [0, 1]  # the change made during that run is not run at once on the same thread...
    fn, args, delay = queue.pop()
    assert 59.0 < delay <= 60.0 and queue == []  # ...but queued, a minute after the run began
    fn(*args)
    assert runs == [0, 1, 2] and queue == []


def test_user_text_on_home_is_shown_inert(bot: Bot) -> None:
    bot.run(f'ny "Fest & <!here>" kunde:Tine frist:15.12.2026 medlemmer:<@{MEMBER}|ola>')
    bot.run(f'oppgave P-1 "Ring <@{OTHER}>" frist:01.12.2026 ansvarlig:<@{MEMBER}|ola>')
    bot.slack.home_opened(MEMBER)
    shown = home(bot, MEMBER)
    assert "*P-1* Fest &amp; &lt;!here&gt;" in shown and f"Ring &lt;@{OTHER}&gt;" in shown
    assert "<!here>" not in shown and f"<@{OTHER}>" not in shown
