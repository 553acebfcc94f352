"""The demo agency the sandbox opens on: four people, five channels, eight projects in every state the product
knows, with weeks of history. Seeded THROUGH THE BOT, as people would have made it: the sandbox's now starts some
weeks back, the projects are made with slash commands and forms (signed HTTP, Slack's shapes), hours and progress
are logged day by day while now moves forward, and the clock runs as it goes, so past reminders, nags, alerts and
Monday summaries are in the channels. It ends at the real time the sandbox was first started."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.domain.workdays import add_working_days, is_working_day
from bot.sandbox.clock import SandboxClock

ZONE = ZoneInfo("Europe/Oslo")
TEAM_ID, TEAM_NAME = "T0DEMO0001", "Demobyrået"
KARI, OLA, INGRID, PER = "UKARI0001", "UOLA00001", "UINGRID01", "UPER00001"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    real_name: str
    title: str
    is_admin: bool = False


PEOPLE = (
    Person(KARI, "kari", "Kari Nordmann", "Prosjektleder", is_admin=True),
    Person(OLA, "ola", "Ola Hansen", "SEO-rådgiver"),
    Person(INGRID, "ingrid", "Ingrid Berg", "Annonsering og design"),
    Person(PER, "per", "Per Lie", "Daglig leder"),
)
FJORDKRAFT, TINE, REMA, SPAREBANKEN, LEDELSE = "C0FJORDKRAFT", "C0TINE0001", "C0REMA0001", "C0SPAREBANK", "C0LEDELSE1"
CHANNELS = ((FJORDKRAFT, "kunde-fjordkraft"), (TINE, "kunde-tine"), (REMA, "kunde-rema"),
            (SPAREBANKEN, "kunde-sparebanken"), (LEDELSE, "ledelse"))
DAYS = 10  # working days of history (two weeks, two Monday summaries), and no more: startup stays < 10 s


class People(Protocol):
    """How the demo's people act (bot.sandbox.page.Page: the page's API)."""

    def command(self, user: str, channel: str, text: str) -> None: ...
    def form(self, user: str, channel: str, text: str, values: dict[str, Any]) -> None: ...


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


class Seeding:
    """One seeding run: `people` act, `clock` moves the sandbox's now."""

    def __init__(self, clock: SandboxClock, people: People, end: dt.datetime):
        self.clock, self.people, self.end = clock, people, end
        self.requests = 0

    def run(self, user: str, channel: str, text: str) -> None:
        self.requests += 1
        self.people.command(user, channel, text)

    def form(self, user: str, channel: str, text: str, values: dict[str, Any]) -> None:
        self.requests += 2
        self.people.form(user, channel, text, values)

    def to(self, moment: dt.datetime) -> None:
        """Move the sandbox's now forward (the clock runs at each send hour on the way)."""
        if moment > self.clock.now():
            self.clock.advance(moment.isoformat())


def beginning(end: dt.datetime) -> dt.datetime:
    """Where a new sandbox's now starts: 08:00 on the first day of the history that ends at `end`."""
    return _at(add_working_days(end.astimezone(ZONE).date(), -DAYS), 8)


def seed(clock: SandboxClock, people: People, *, end: dt.datetime) -> Seeding:
    """Play two weeks of the agency's work up to `end`, starting at `beginning(end)`. Each working day the clock
    runs at 09:00 (what was due goes out), then the day's work is done at 10:00 (planned by the next morning's
    pass, as a real clock's passes would have found it within the day)."""
    today = end.astimezone(ZONE).date()
    first = add_working_days(today, -DAYS)
    work = [d for d in (first + dt.timedelta(days=n) for n in range((today - first).days)) if is_working_day(d)]
    s = Seeding(clock, people, end)

    def wd(n: int) -> str:  # the date n working days from today (the end)
        return _date(add_working_days(today, n))

    # The leadership channel gets the portfolio from the last Monday on: one chart drawn while seeding, not three.
    monday = max(d for d in (today - dt.timedelta(days=n) for n in range(8)) if d.weekday() == 0 and _at(d, 9) < end)
    for number, day in enumerate(work):
        s.to(_at(day, 9))
        clock.skip_to(_at(day, 10))
        if day == max(d for d in work if d < monday):
            s.form(KARI, LEDELSE, "innstillinger", {"summary_on": ["enabled", "portfolio"],
                                                    "portfolio_channel": LEDELSE})
        _day(s, number, wd)
    s.to(end)
    return s


def _day(s: Seeding, n: int, wd: Callable[[int], str]) -> None:
    """What the agency does on its n-th working day (0 = two weeks ago)."""
    if n == 0:
        s.run(KARI, FJORDKRAFT, f'ny "Nettside Fjordkraft" kunde:"Fjordkraft AS" frist:{wd(15)} timer:160 '
                                f'budsjett:180000 pl:<@{KARI}|kari> type:avgrenset')
        s.run(KARI, FJORDKRAFT, f'oppgave P-1 "Designskisser" frist:{wd(-7)} ansvarlig:<@{INGRID}|ingrid>')
        s.run(KARI, FJORDKRAFT, f'oppgave P-1 "Sette opp publiseringsløsning" frist:{wd(-3)} ansvarlig:<@{OLA}|ola>')
        s.run(KARI, FJORDKRAFT, f'oppgave P-1 "Tekster til alle sider" frist:{wd(1)} ansvarlig:<@{INGRID}|ingrid>')
        s.run(KARI, FJORDKRAFT, f'oppgave P-1 "Lansering" frist:{wd(15)}')
        s.run(KARI, FJORDKRAFT, 'mål P-1 "Konverteringsrate" mål:3 nå:1,2')
        s.run(KARI, TINE, f'ny "SEO Tine" kunde:Tine frist:{wd(12)} rutine:seo-oppstart rolle:seo=<@{OLA}|ola> '
                          f'rolle:innhold=<@{INGRID}|ingrid> rolle:utvikler=<@{OLA}|ola> budsjett:65000')
        s.run(KARI, TINE, 'mål P-2 "Organisk trafikk" mål:12000 nå:7400')
        s.run(KARI, REMA, f'ny "Google Ads Rema" kunde:"Rema 1000" frist:{wd(6)} rutine:google-ads-kampanje '
                          f'rolle:ads=<@{INGRID}|ingrid> rolle:design=<@{INGRID}|ingrid> timer:24 budsjett:40000')
        s.run(KARI, REMA, f'ny "Merkevareanalyse Rema" kunde:"Rema 1000" frist:{wd(-3)} timer:30 budsjett:50000')
    elif n == 2:
        s.form(KARI, SPAREBANKEN, "ny", {
            "name": "Vinterkampanje Sparebanken", "customer": "Sparebanken Vest", "deadline": _iso(wd(4)),
            "hours": "40", "budget": "75 000", "goals": "Flere søknader om boliglån\nLavere kostnad per klikk",
            "members": [INGRID, OLA]})
        s.run(KARI, TINE, f'ny "SoMe Tine" kunde:Tine rutine:some-lopende rolle:some=<@{INGRID}|ingrid> '
                          f'rolle:design=<@{INGRID}|ingrid> budsjett:25000')
    elif n == 4:
        s.run(KARI, FJORDKRAFT, f'ny "Nyhetsbrev Fjordkraft" kunde:"Fjordkraft AS" frist:{wd(-2)} timer:20')
        s.run(KARI, SPAREBANKEN, 'ny "Innholdsplan Sparebanken" kunde:"Sparebanken Vest" type:løpende timer:15')
    _logs(s, n)
    if n == 7:
        s.run(KARI, REMA, "levert P-4")
    elif n == 8:
        s.run(KARI, SPAREBANKEN, "pause P-8")
    elif n == 9:
        s.run(KARI, FJORDKRAFT, "ramme P-1 budsjett:200000")


_SEO_STEPS = ("Oppstartsmøte med kunden", "Innhente tilganger", "Verifisere Google Search Console",
              "Sette opp GA4 og konverteringssporing", "Teknisk SEO-revisjon", "Søkeordsanalyse",
              "Konkurrentanalyse", "Prioritert tiltaksliste")  # the steps the routine's default answers give
_ADS_STEPS = ("Oppstartsmøte: mål, budsjett og målgruppe", "Sette opp konverteringssporing",
              "Søkeordsanalyse og målgrupper", "Kampanjestruktur og budsjettfordeling", "Skrive annonsetekster",
              "Kunden godkjenner annonsene", "Lansere kampanjen")
_SOME_STEPS = ("Oppstartsmøte", "Tilgang til Meta Business Suite og annonsekonto",
               "Kartlegge merkevare, tone og målgruppe")
_NOTES = ("Jobbet videre", "Møte med kunden", "Justerte etter tilbakemelding", "Gjennomgang internt")


def _logs(s: Seeding, n: int) -> None:
    """The day's hours and progress, by the people who did the work."""
    note = _NOTES[n % len(_NOTES)]
    # Nettside Fjordkraft: steady, on track (green)
    s.run(OLA if n % 2 else INGRID, FJORDKRAFT, f"logg P-1 3t {note} {4 + n * 3}%")
    if n == 3:
        s.run(INGRID, FJORDKRAFT, 'logg P-1 2t ferdig:"Designskisser" Skisser godkjent av kunden')
    elif n == 8:
        s.run(OLA, FJORDKRAFT, 'logg P-1 1t ferdig:"Sette opp publiseringsløsning" Publiseringsløsningen er klar')
    # SEO Tine: Ola works through the routine's steps, one a day
    if n < len(_SEO_STEPS):
        step = _SEO_STEPS[n]
        s.run(OLA, TINE, f'logg P-2 {2 + n % 3}t oppgave:"{step}" ferdig:"{step}" {step}')
    elif n == len(_SEO_STEPS):
        step = "Gjennomgang av tiltakslisten med kunden"
        s.run(KARI, TINE, f'logg P-2 1,5t ferdig:"{step}" Kunden godkjente tiltakslisten 55%')
    # Google Ads Rema: more hours than the frame holds (red)
    if n < len(_ADS_STEPS):
        s.run(INGRID, REMA, f'logg P-3 3t ferdig:"{_ADS_STEPS[n]}" {_ADS_STEPS[n]} {n * 8}%')
    elif n % 2:
        s.run(INGRID, REMA, f"logg P-3 2t Optimalisering av kampanjen {min(70, n * 4)}%")
    # Merkevareanalyse Rema: done in a week and a half, then delivered
    if n < 7:
        s.run(PER if n == 6 else KARI, REMA, f"logg P-4 4t Analyse og intervjuer {min(100, 15 * (n + 1))}%")
    # Vinterkampanje Sparebanken: most of the hours used (yellow)
    if n >= 2:
        s.run(INGRID, SPAREBANKEN, f"logg P-5 4t Annonsemateriell {min(75, (n - 1) * 9)}%")
    # SoMe Tine: the start-up steps, then a few hours a week (a monthly frame)
    if 2 <= n < 2 + len(_SOME_STEPS):
        step = _SOME_STEPS[n - 2]
        s.run(INGRID, TINE, f'logg P-6 1,5t ferdig:"{step}" {step}')
    elif n > 2 and n % 3 == 0:
        s.run(INGRID, TINE, "logg P-6 1,5t Publiserte innlegg og svarte på kommentarer")
    # Nyhetsbrev Fjordkraft: started, then left (overdue, quiet: red)
    if 4 <= n <= 6:
        s.run(KARI, FJORDKRAFT, f"logg P-7 2t Utkast til nyhetsbrev {(n - 3) * 10}%")
    if 4 <= n < 8 and n % 2:
        s.run(OLA, SPAREBANKEN, "logg P-8 2t Innholdsplan for neste måned")


def _iso(norwegian: str) -> str:
    day, month, year = norwegian.split(".")
    return f"{year}-{month}-{day}"
