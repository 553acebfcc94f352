"""The month-end report's health is the health at the month's end (docs/product.md §10), over signed HTTP: read
later in the next month, after more hours were logged and a task was done, a report shows the hours, cost and
tasks of the month's last day, and the frame as it was then."""

from __future__ import annotations

from tests.conftest import MEMBER, Bot, Clocks, flat
from tests.conftest import Clock as TimeNow
from tests.test_clock_delivery import at


def report(bot: Bot, key: str, channel: str | None = None) -> str:
    """December's report (without its buttons: *Godkjenn måneden* comes once the month has ended)."""
    blocks = bot.run(f"rapport {key} desember", channel=channel)["blocks"]
    return flat([b for b in blocks if b["type"] != "actions"])


def test_a_report_read_later_in_the_next_month_shows_the_health_at_the_months_end(bot: Bot, clock: TimeNow,
                                                                              clocks: Clocks) -> None:
    clock.now = at("2026-12-01", 10)
    bot.run("ny Retainer kunde:Tine type:løpende timer:20")
    bot.run("ny Kampanje kunde:Tine frist:31.03.2027 timer:40", channel="CKAMPANJE")
    for task in ("Bannere", "Landingsside"):
        bot.run(f"oppgave P-2 {task}", channel="CKAMPANJE")
    clock.now = at("2026-12-14", 10)
    bot.run("logg P-1 17t Annonser", user=MEMBER)
    bot.run("logg P-2 10t Bannere", channel="CKAMPANJE")
    clock.now = at("2026-12-31", 10)
    at_end = {"P-1": report(bot, "P-1"), "P-2": report(bot, "P-2", "CKAMPANJE")}
    assert "Månedens ramme: 17 t av 20 t (85 %)" in at_end["P-1"] and "🟡 *Gul* – 85 % av timene brukt" in at_end["P-1"]
    assert "Rammen totalt så langt: 10 t av 40 t (25 %)" in at_end["P-2"]
    assert "🟡 *Gul* – Fremdrift 0 % mot 26,8 % av tiden" in at_end["P-2"]
    # January: the retainer's new month has hardly begun; the campaign has logged 42 h more, its tasks are done and
    # its frame was raised to 80 h: both are green today
    clock.now = at("2027-01-05", 10)
    bot.run("logg P-1 2t Januar", user=MEMBER)
    for _ in range(2):
        bot.run("logg P-2 20t Mer", channel="CKAMPANJE")
    bot.run('logg P-2 1t Ferdig ferdig:"Bannere"', channel="CKAMPANJE")
    bot.run('logg P-2 1t Ferdig ferdig:"Landingsside"', channel="CKAMPANJE")
    bot.run("ramme P-2 timer:80", channel="CKAMPANJE")
    assert "🟢 *Grønn* – I rute" in flat(bot.run("status P-1")["blocks"])
    assert "🟢 *Grønn* – I rute" in flat(bot.run("status P-2", channel="CKAMPANJE")["blocks"])
    # December's reports, read now, are what they were on 31 December
    assert report(bot, "P-1") == at_end["P-1"]
    assert report(bot, "P-2", "CKAMPANJE") == at_end["P-2"]
    # the report the clock posts in January says the same
    clocks().run_pass(at("2027-01-05", 10, 5))
    bot.settle()
    [posted] = [m for m in bot.fake.messages(bot.slack.channel_id) if str(m.get("text", "")).startswith("📊")]
    assert "🟡 *Gul* – 85 % av timene brukt" in flat(posted["blocks"])
    assert "Månedens ramme: 17 t av 20 t (85 %)" in flat(posted["blocks"])
