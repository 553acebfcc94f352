"""The sandbox's now (bot/sandbox/now.py, clock.py): what the page's time controls name, only forward, kept in the
data folder; and the production app's now, which no setting or environment variable can move."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import _app
from bot.sandbox.clock import stops
from bot.sandbox.now import SandboxNow, TimeError, target
from bot.settings import Settings, load_settings

OSLO = ZoneInfo("Europe/Oslo")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=OSLO)


def local(moment: dt.datetime) -> str:
    return moment.astimezone(OSLO).strftime("%a %Y-%m-%d %H:%M")


def test_steps_and_named_moments() -> None:
    now = at("2026-12-03T10:15")  # a Thursday
    assert local(target("+1h", now, "Europe/Oslo")) == "Thu 2026-12-03 11:15"
    assert local(target("+30m", now, "Europe/Oslo")) == "Thu 2026-12-03 10:45"
    assert local(target("+2d", now, "Europe/Oslo")) == "Sat 2026-12-05 10:15"
    assert local(target("next_workday_09", now, "Europe/Oslo")) == "Fri 2026-12-04 09:00"
    assert local(target("next_workday_09", at("2026-12-04T08:00"), "Europe/Oslo")) == "Fri 2026-12-04 09:00"
    assert local(target("monday_09", now, "Europe/Oslo")) == "Mon 2026-12-07 09:00"
    assert local(target("monday_09", at("2026-12-07T09:00"), "Europe/Oslo")) == "Mon 2026-12-14 09:00"
    assert local(target("monday_09", at("2026-12-07T08:59"), "Europe/Oslo")) == "Mon 2026-12-07 09:00"
    assert local(target("2026-12-24T12:00", now, "Europe/Oslo")) == "Thu 2026-12-24 12:00"  # the page's picker
    assert local(target("2026-12-24T12:00:00+00:00", now, "Europe/Oslo")) == "Thu 2026-12-24 13:00"


def test_the_next_working_day_skips_weekends_and_norwegian_holidays() -> None:
    assert local(target("next_workday_09", at("2026-12-24T10:00"), "Europe/Oslo")) == "Mon 2026-12-28 09:00"
    # Easter 2027: Maundy Thursday 25 March to Easter Monday 29 March
    assert local(target("next_workday_09", at("2027-03-24T15:00"), "Europe/Oslo")) == "Tue 2027-03-30 09:00"
    assert local(target("next_workday_09", at("2027-05-14T12:00"), "Europe/Oslo")) == "Tue 2027-05-18 09:00"  # 17 May


def test_the_past_and_the_unreadable_are_refused_with_how_to_write_it() -> None:
    now = at("2026-12-03T10:15")
    with pytest.raises(TimeError, match="only moves forward"):
        target("2026-12-01T09:00+01:00", now, "Europe/Oslo")
    with pytest.raises(TimeError, match="only moves forward"):
        target("2026-12-03T10:15", now, "Europe/Oslo")  # now itself is no move
    for text in ("i morgen", "+1y", "-1h", "", "+0"):
        with pytest.raises(TimeError, match="next_workday_09"):
            target(text, now, "Europe/Oslo")
    with pytest.raises(TimeError, match="only moves forward"):
        target("+0h", now, "Europe/Oslo")


def test_now_is_kept_in_the_data_folder_and_only_moves_forward(tmp_path: Path) -> None:
    path = tmp_path / "now.json"
    before = dt.datetime.now(dt.UTC)
    first = SandboxNow(path)
    assert before - dt.timedelta(seconds=1) <= first() <= dt.datetime.now(dt.UTC)  # the real time, the first time
    moved = first.move_to(first() + dt.timedelta(hours=5))
    with pytest.raises(TimeError):
        first.move_to(moved - dt.timedelta(minutes=1))
    assert first() == moved
    again = SandboxNow(path, start=at("2020-01-01T00:00"))  # a start is only for a new folder
    assert again() == moved
    assert json.loads(path.read_text())["now"] == moved.isoformat()
    path.write_text("{}")
    with pytest.raises(TimeError, match="--fresh"):
        SandboxNow(path)


def test_a_move_runs_the_send_hour_passes_on_the_way() -> None:
    start, end = at("2026-12-03T10:00"), at("2026-12-08T10:00")
    moments = [local(m) for m in stops(start, end, "Europe/Oslo", ((9, 0), (9, 0)))]
    assert moments == ["Fri 2026-12-04 09:00", "Mon 2026-12-07 09:00", "Tue 2026-12-08 09:00",
                       "Tue 2026-12-08 10:00"]
    assert [local(m) for m in stops(start, at("2026-12-03T11:00"), "Europe/Oslo", ((9, 0),))] == [
        "Thu 2026-12-03 11:00"]


@pytest.mark.parametrize("name", ["PROSJEKT_NOW", "SANDBOX_NOW", "NOW", "FAKETIME", "PROSJEKTBOT_SANDBOX",
                                  "CLOCK_NOW", "SANDBOX", "TIME"])
def test_the_production_app_reads_the_system_clock_whatever_the_environment_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """`prosjektbot web` builds its app from the environment (bot.cli.web_app → _app): no variable there, and no
    setting, gives it any now but the system clock's. Only the sandbox passes `now=` to create_app."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret-0123456789")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/web.db")
    monkeypatch.setenv(name, "2020-01-06T09:00:00+01:00")
    assert not [field for field in Settings.model_fields if any(w in field for w in ("now", "sandbox", "clock"))]
    app, engine = _app(load_settings())
    try:
        seen = app.services.now()  # type: ignore[attr-defined]
        assert abs((seen - dt.datetime.now(dt.UTC)).total_seconds()) < 5
    finally:
        app.services.executor.shutdown()  # type: ignore[attr-defined]
        engine.dispose()
