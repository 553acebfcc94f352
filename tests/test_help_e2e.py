"""`/prosjekt hjelp` over real signed HTTP, in Norwegian and in English: it shows every routine sub-command
(issue 11) as the user writes it in that language, and every spelling the grammar knows for one."""

from __future__ import annotations

from sqlalchemy import update

from bot.usecases.command_line import KEYS, SUBCOMMANDS
from storage.models import Workspace
from storage.workspaces import ensure_workspace
from tests.conftest import Bot

# As written in each language's help: the sub-command (or key) and an example of it in use.
ROUTINE_HELP = {
    "nb": ["`/prosjekt rutiner`", "`rutine vis seo-oppstart`", '`rutine lagre P-3 "', "`rutine eksport NAVN`",
           "`/prosjekt oppgaver P-3`", '`/prosjekt logg P-3 2t oppgave:"', " rutine:seo-oppstart ", " rolle:seo=@ola"],
    "en": ["`/prosjekt routines`", "`routine show seo-oppstart`", '`routine save P-3 "', "`routine export NAME`",
           "`/prosjekt tasks P-3`", '`/prosjekt log P-3 2h task:"', " routine:seo-oppstart ", " role:seo=@ola"],
}


def help_text(bot: Bot, lang: str) -> str:
    if lang == "en":
        bot.settle()  # the work queued after earlier acks (cards, Homes) done first: on SQLite it would hold the lock
        with bot.svc.sessions.begin() as session:  # the workspace speaks English (the settings modal's job)
            ensure_workspace(session, bot.team_id, language="en", timezone="Europe/Oslo")  # (help writes nothing)
            session.execute(update(Workspace).where(Workspace.team_id == bot.team_id).values(language="en"))
        bot.svc.forget_workspace(bot.team_id)
    blocks = bot.run("hjelp" if lang == "nb" else "help")["blocks"]
    return "\n".join(block["text"]["text"] for block in blocks if block["type"] == "section").replace("\u00a0", " ")


def test_the_help_lists_every_routine_sub_command_in_both_languages(bot: Bot) -> None:
    shown = {lang: help_text(bot, lang) for lang in ("nb", "en")}
    for lang, examples in ROUTINE_HELP.items():
        missing = [example for example in examples if example not in shown[lang]]
        assert missing == [], (lang, missing)
    # and every spelling the grammar has for them is in one of the two (a new alias needs its help line)
    spellings = [word for word, name in SUBCOMMANDS.items() if name in ("routines", "routine", "tasks")]
    spellings += [f"{key}:" for key, name in KEYS["new"].items() if name in ("routine", "role")]
    spellings += [f"{key}:" for key, name in KEYS["log"].items() if name == "against"]
    assert [word for word in spellings if word not in shown["nb"] + shown["en"]] == []


def test_the_help_shows_my_week_in_both_languages(bot: Bot) -> None:
    shown = {lang: help_text(bot, lang) for lang in ("nb", "en")}
    assert "`/prosjekt timer uke`" in shown["nb"] and "`/prosjekt hours week`" in shown["en"]


def test_the_help_shows_logging_for_another_day_in_both_languages(bot: Bot) -> None:
    nb, en = help_text(bot, "nb"), help_text(bot, "en")
    assert "`/prosjekt logg P-3 2t dato:i går Møte med kunden`" in nb and "`dato:fredag`" in nb
    assert "`/prosjekt log P-3 2h date:yesterday Customer meeting`" in en and "`date:friday`" in en
    assert [f"{key}:" for key, name in KEYS["log"].items() if name == "date"] == ["dato:", "date:"]


def test_the_help_shows_switching_nudges_off_and_on_in_both_languages(bot: Bot) -> None:
    shown = {lang: help_text(bot, lang) for lang in ("nb", "en")}
    assert "`/prosjekt varsler av` · `varsler på`" in shown["nb"] and "`innstillinger`" in shown["nb"]
    assert "`/prosjekt notifications off` · `notifications on`" in shown["en"]
    spellings = [word for word, name in SUBCOMMANDS.items() if name == "notifications"]
    assert [word for word in spellings if f"`{word}" not in shown["nb"] + shown["en"]
            and f"prosjekt {word}" not in shown["nb"] + shown["en"]] == []
