"""One way to name a project, in every sub-command that takes one (docs/product.md §2): by key (`P-1`), by the
start of its name or its full name in quotes, with `prosjekt:`, or left out when the channel has one active
project. Where a first word could be the project or the start of a title (`oppgave`, `mål`), it is the project
only when it names exactly one project and more words follow."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Goal, Project, Task
from tests.conftest import Bot, flat

BARS_CHANNEL, QUIET_CHANNEL = "C0BARS0001", "C0QUIET001"  # Bars' own channel; a channel without projects


def workspace(bot: Bot) -> None:
    """P-1 *Bars Kampanje* in its own channel; P-2 *Nettside Fjordkraft*, the only project of the test's channel."""
    assert "P-1" in bot.run(f'ny "Bars Kampanje" kunde:Bars frist:15.12.2026 timer:40 kanal:<#{BARS_CHANNEL}|bars>')[
        "text"]
    assert "P-2" in bot.run('ny "Nettside Fjordkraft" kunde:Fjordkraft frist:15.12.2026 timer:120')["text"]


def frame_hours(bot: Bot, number: int) -> float:
    with bot.svc.sessions() as session:
        minutes = session.scalar(select(Project.frame_minutes).where(Project.team_id == bot.team_id,
                                                                     Project.number == number))
    assert minutes is not None
    return minutes / 60


def titles(bot: Bot, model: type[Task] | type[Goal]) -> list[tuple[int, str]]:
    """(project number, title) of every task or goal, oldest first."""
    with bot.svc.sessions() as session:
        rows = session.execute(select(Project.number, model.title).join(Project, Project.id == model.project_id)
                               .where(model.team_id == bot.team_id).order_by(model.id))
        return [(number, title) for number, title in rows.all()]


def test_ramme_names_its_project_by_prefix_quoted_name_key_option_or_channel(bot: Bot) -> None:
    workspace(bot)
    assert "Rammene for P-1 er endret" in bot.run("ramme Bars timer:60", channel=QUIET_CHANNEL)["text"]
    assert frame_hours(bot, 1) == 60
    assert "Rammene for P-1 er endret" in bot.run('ramme "Bars Kampanje" timer:70', channel=QUIET_CHANNEL)["text"]
    assert frame_hours(bot, 1) == 70
    assert "Rammene for P-1 er endret" in bot.run("ramme P-1 timer:80", channel=QUIET_CHANNEL)["text"]
    assert frame_hours(bot, 1) == 80
    assert "Rammene for P-1 er endret" in bot.run("ramme prosjekt:Bars timer:85", channel=QUIET_CHANNEL)["text"]
    assert frame_hours(bot, 1) == 85
    assert "Rammene for P-1 er endret" in bot.run("ramme timer:90", channel=BARS_CHANNEL)["text"]  # inferred
    assert frame_hours(bot, 1) == 90
    assert frame_hours(bot, 2) == 120  # the other project is untouched throughout


def test_every_project_sub_command_takes_the_full_name_in_quotes_and_the_option(bot: Bot) -> None:
    workspace(bot)
    assert bot.run('status "Bars Kampanje"', channel=QUIET_CHANNEL)["text"] == "P-1 Bars Kampanje"
    assert bot.run("status prosjekt:P-2", channel=QUIET_CHANNEL)["text"] == "P-2 Nettside Fjordkraft"
    assert "Logget 1 t på *P-1*" in flat(bot.run('logg "Bars Kampanje" 1t Oppstart', channel=QUIET_CHANNEL)["text"])
    assert "satt på pause" in bot.run('pause "Bars Kampanje"', channel=QUIET_CHANNEL)["text"]
    assert "åpnet igjen" in bot.run('gjenåpne "Bars Kampanje"', channel=QUIET_CHANNEL)["text"]
    assert "markert som levert" in bot.run('levert "Bars Kampanje"', channel=QUIET_CHANNEL)["text"]
    assert bot.run('historikk "Bars Kampanje"', channel=QUIET_CHANNEL)["text"] == "P-1"


def test_oppgave_first_word_is_the_project_only_when_it_names_one_and_a_title_follows(bot: Bot) -> None:
    workspace(bot)
    assert "«Levere rapport» på P-1" in bot.run('oppgave Bars "Levere rapport"')["text"]
    assert "«Sluttrapport» på P-1" in bot.run('oppgave "Bars Kampanje" Sluttrapport')["text"]
    # not a project: the first word starts the title, the project is the channel's
    assert "«Levere rapport» på P-2" in bot.run("oppgave Levere rapport")["text"]
    # a project's name with nothing after it is the title
    assert "«Bars» på P-2" in bot.run("oppgave Bars")["text"]
    assert titles(bot, Task) == [(1, "Levere rapport"), (1, "Sluttrapport"), (2, "Levere rapport"), (2, "Bars")]


def test_mal_first_word_is_the_project_only_when_it_names_one_and_a_title_follows(bot: Bot) -> None:
    workspace(bot)
    assert "«Organisk trafikk» på P-1" in bot.run('mål Bars "Organisk trafikk" mål:10000')["text"]
    assert "«Organisk trafikk» på P-2" in bot.run("mål Organisk trafikk mål:5000 nå:10")["text"]
    assert "«Bars» på P-2" in bot.run('mål "Bars" nå:3')["text"]
    assert titles(bot, Goal) == [(1, "Organisk trafikk"), (2, "Organisk trafikk"), (2, "Bars")]


def test_a_prefix_of_several_projects_gets_asked_which_and_changes_nothing(bot: Bot) -> None:
    workspace(bot)
    bot.run(f'ny "Bars Nettside" kunde:Bars frist:15.12.2026 timer:10 kanal:<#{BARS_CHANNEL}|bars>')
    for text in ("ramme Bars timer:60", 'oppgave Bars "Levere rapport"', "mål Bars Trafikk", "status Bars",
                 "logg Bars 2t Oppstart"):
        answer = bot.run(text, channel=QUIET_CHANNEL)["text"]
        assert "«Bars» passer på flere prosjekter" in answer, (text, answer)
        assert "P-1 Bars Kampanje" in answer and "P-3 Bars Nettside" in answer, (text, answer)
    assert frame_hours(bot, 1) == 40 and frame_hours(bot, 3) == 10
    assert titles(bot, Task) == [] and titles(bot, Goal) == []


def test_the_help_says_how_to_name_the_project(bot: Bot) -> None:
    footer = flat(bot.run("hjelp")["blocks"])
    assert "prosjekt:" in footer and "anførselstegn" in footer
