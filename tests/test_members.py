"""Who logs joins the project: the membership is written once, and a member this process has seen committed is
known without a statement (`storage.projects.add_member`), but never one whose transaction rolled back."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, func, select, text

from storage import projects as project_db
from storage.db import unit_of_work
from storage.models import HistoryEntry, Member
from tests.conftest import MEMBER, OTHER, Bot, flat


class Writes:
    """The INSERTs into `members` the bot's engine sends (from any thread)."""

    def __init__(self) -> None:
        self.count, self.lock = 0, threading.Lock()

    def __call__(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO MEMBERS"):
            with self.lock:
                self.count += 1


@pytest.fixture
def member_writes(bot: Bot) -> Iterator[Writes]:
    engine = bot.svc.sessions.kw["bind"]
    writes = Writes()
    event.listen(engine, "before_cursor_execute", writes)
    yield writes
    event.remove(engine, "before_cursor_execute", writes)


def memberships(bot: Bot, user: str) -> tuple[int, int]:
    """(rows in members, `member_added` history entries) of the user in the bot's workspace."""
    with bot.svc.sessions() as session:
        rows = session.scalar(select(func.count()).select_from(Member).where(
            Member.team_id == bot.team_id, Member.user_id == user))
        added = session.scalar(select(func.count()).select_from(HistoryEntry).where(
            HistoryEntry.team_id == bot.team_id, HistoryEntry.action == "member_added",
            HistoryEntry.new_value == user))
        return int(rows or 0), int(added or 0)


def test_a_logger_joins_once_and_later_logs_send_no_membership_write(bot: Bot, member_writes: Writes) -> None:
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026 timer:100")
    before = member_writes.count
    bot.run("logg P-1 2t Innhold", user=MEMBER)
    assert memberships(bot, MEMBER) == (1, 1) and member_writes.count == before + 1
    for hours in ("1t", "30m", "1,5t"):
        assert "Logget" in flat(bot.run(f"logg P-1 {hours} mer", user=MEMBER)["text"])
    assert memberships(bot, MEMBER) == (1, 1)
    assert member_writes.count == before + 1  # known since the first log committed


def test_a_membership_whose_transaction_rolled_back_is_not_remembered(bot: Bot, member_writes: Writes) -> None:
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026 timer:100")
    with bot.svc.sessions() as session:
        project_id = project_db.project_by_number(session, bot.team_id, 1).id  # type: ignore[union-attr]
    with pytest.raises(RuntimeError), unit_of_work(bot.svc.sessions, write=True) as session:
        assert project_db.add_member(session, bot.team_id, project_id, OTHER)
        raise RuntimeError("the rest of the change failed")
    assert memberships(bot, OTHER) == (0, 0)
    bot.run("logg P-1 1t Innhold", user=OTHER)  # so this log must write the membership after all
    assert memberships(bot, OTHER) == (1, 1)


def test_logg_by_a_new_member_then_by_a_known_one_writes_each_thing_once(
        bot: Bot, engine: Engine) -> None:
    """Over HTTP: the first log of a member writes the membership, its history entry and the log in one transaction;
    the next is the log alone; both are there, once each."""
    bot.run("ny Kampanje kunde:Tine frist:31.12.2026 timer:100")
    assert "Logget" in flat(bot.run("logg P-1 1t først", user=MEMBER)["text"])  # a new member: member + history + log
    assert "Logget" in flat(bot.run("logg P-1 1t igjen", user=MEMBER)["text"])  # a known one: the log alone
    with engine.connect() as conn:
        logs = conn.execute(text(
            "select l.minutes, m.user_id is not null from progress_logs l left join members m"
            " on m.team_id = l.team_id and m.project_id = l.project_id and m.user_id = l.user_id"
            " where l.team_id = :team order by l.id"), {"team": bot.team_id}).all()
        added = conn.execute(text("select count(*) from history where team_id = :team and action = 'member_added'"),
                             {"team": bot.team_id}).scalar_one()
    assert [tuple(row) for row in logs] == [(60, True), (60, True)] and added == 1
