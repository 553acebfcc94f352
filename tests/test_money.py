"""Rates and cost, the pure parts (bot.domain.money, the cost frame in bot.domain.health and bot.domain.followups,
and the card's cost line): what a rate may be written as, which rate a log gets, cost in kroner, cost health and
its reason, the cost alert's thresholds, and Norwegian and English amounts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.domain import followups as fu
from bot.domain.errors import UserError
from bot.domain.health import FrameInputs, frame_figures, frame_health
from bot.domain.money import RateChange, cost_nok, parse_rate, parse_rates, rate_for
from bot.domain.occasion import CostCrossed, Rule
from bot.domain.rules import FollowupRules
from bot.slack.i18n import t
from bot.slack.render.cards import cost_line, render_project_card
from fakeslack.validation import check_message
from tests.conftest import flat
from tests.test_health import BASE, RETAINER, make
from tests.test_render import a_project, snapshot


@pytest.mark.parametrize("text, rate", [
    ("1250", 1250), ("1 250", 1250), ("1\u00a0250", 1250), ("1.250", 1250), ("1250 kr", 1250), ("kr 1250", 1250),
    ("1250,-", 1250), ("NOK 900", 900), ("1250kr", 1250), ("1250 kr/t", 1250), ("100000", 100_000), (" 7 ", 7),
])
def test_a_rate_is_whole_kroner_an_hour(text: str, rate: int) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["abc", "-5", "−5", "0", "12,5", "12.50", "100001", "1 2 3", "", "kr", "1e3",
                                  "@ola=1100", "1250 euro"])
def test_what_is_not_a_rate_says_how_to_write_one(text: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_rate(text)
    assert raised.value.key == "rate.invalid" and raised.value.field == "rate"
    message = t(raised.value.key, "nb", **raised.value.params)
    assert "timepris:1250" in message and "timepris:@ola=1100" in message and "100 000" in message.replace(
        "\u00a0", " ")
    with pytest.raises(UserError) as in_form:
        parse_rate(text, form=True)
    assert in_form.value.key == "rate.invalid_form"


def test_rates_for_the_project_and_for_people() -> None:
    assert parse_rates([]) == RateChange() and not RateChange()
    assert parse_rates(["1250"]) == RateChange(1250, ())
    found = parse_rates(["<@U0OLA|ola>=1100", "1300", "<@U0KARI>= 1 500 kr"])
    assert found == RateChange(1300, (("U0OLA", 1100), ("U0KARI", 1500))) and found
    for values, key in ((["@ukjent=900"], "rate.person_invalid"), (["ola=900"], "rate.person_invalid"),
                        (["<@U0OLA>=abc"], "rate.invalid"), (["<@U0OLA>=-5"], "rate.invalid"),
                        (["1000", "1100"], "rate.twice"), (["<@U0OLA>=1", "<@U0OLA|ola>=2"], "rate.twice")):
        with pytest.raises(UserError) as raised:
            parse_rates(values)
        assert raised.value.key == key, values


def test_a_log_gets_the_persons_rate_else_the_projects_else_the_default() -> None:
    assert rate_for(1100, 1250, 1000) == 1100
    assert rate_for(None, 1250, 1000) == 1250
    assert rate_for(None, None, 1000) == 1000
    assert rate_for(None, None, None) is None


def test_cost_in_kroner_from_minutes_times_rate() -> None:
    assert cost_nok(0) == 0
    assert cost_nok(90 * 1250) == 1875  # 1,5 t × 1 250 kr
    assert cost_nok(1 * 1250) == 21  # one minute: 20,83 → 21
    assert cost_nok(30) == 1  # 0,5 kr rounds half up


# --- health on cost ----------------------------------------------------------------------------------------------

def costly(base: FrameInputs = BASE, *, budget: int = 100_000, kr: int) -> FrameInputs:
    return make(base, budget_nok=budget, cost_kr_minutes=kr * 60)


def test_health_turns_on_cost_with_its_reason() -> None:
    on_track = costly(kr=50_000)
    assert frame_health(on_track).reason == "health.on_track"
    assert frame_figures(on_track).cost_used_pct == 50.0
    high = frame_health(costly(kr=80_000))
    assert (high.level, high.reason) == ("yellow", "health.cost_high")
    assert t(high.reason, "nb", **high.params) == "80\u00a0% av kostnadsrammen brukt"
    used_up = frame_health(costly(kr=125_000))
    assert (used_up.level, used_up.reason) == ("red", "health.cost_exhausted")
    assert t(used_up.reason, "nb", **used_up.params).replace("\u00a0", " ") == \
        "Kostnadsrammen er brukt opp: 125 000 av 100 000 kr (125 %)"
    assert t(used_up.reason, "en", **used_up.params).replace("\u00a0", " ") == \
        "Cost frame used up: NOK 125,000 of 100,000 (125%)"
    # hours first: the hours frame used up outranks cost, cost outranks being behind
    both = frame_health(make(costly(kr=125_000), logged_minutes=6000))
    assert both.reason == "health.hours_exhausted"
    behind = frame_health(make(costly(kr=85_000), reported_progress=25, logged_minutes=1200))
    assert behind.reason == "health.cost_high"
    # no cost frame, or a delivered project: cost does not count
    assert frame_health(costly(budget=0, kr=999_999)).reason == "health.on_track"
    assert frame_figures(make(BASE, cost_kr_minutes=60)).cost_used_pct is None
    assert frame_health(make(costly(kr=125_000), state="delivered")).reason == "health.delivered"


# --- the cost alert ------------------------------------------------------------------------------------------------

RULES = FollowupRules()


def planned(inputs: FrameInputs, rules: FollowupRules = RULES) -> dict[str, str]:
    now = dt.datetime.combine(inputs.today, dt.time(10), tzinfo=fu.ZoneInfo("Europe/Oslo"))
    found = fu.plan_frame(1, inputs, frame_figures(inputs), inputs.frame_minutes, now, rules, "Europe/Oslo")
    return {p.rule: p.occasion for p in found if p.rule in (Rule.COST, Rule.HOURS)}


def test_the_cost_alert_names_the_highest_threshold_crossed_and_the_cost_frame() -> None:
    assert planned(costly(kr=79_999)) == {}
    assert planned(costly(kr=80_000)) == {Rule.COST: "80:100000"}
    assert planned(costly(kr=100_000)) == {Rule.COST: "100:100000"}
    assert planned(make(costly(kr=100_000), logged_minutes=4800)) == {Rule.COST: "100:100000",
                                                                      Rule.HOURS: "80:6000"}
    # a retainer's cost frame is this month's: the occasion names the month (a new month, a new alert)
    assert planned(costly(RETAINER, budget=40_000, kr=33_000)) == {Rule.COST: "80:40000:2027-01"}
    # the hours frame's switch and thresholds rule it
    assert planned(costly(kr=95_000), FollowupRules(hours_thresholds=(60, 90))) == {Rule.COST: "90:100000"}
    assert planned(costly(kr=95_000), FollowupRules(hours_frame=False)) == {}
    assert planned(make(costly(kr=95_000), state="paused")) == {}
    assert str(CostCrossed(80, 40_000, dt.date(2027, 1, 1))) == "80:40000:2027-01"


# --- the card's cost line, in Norwegian and English ------------------------------------------------------------------

def test_the_card_shows_cost_against_the_cost_frame_with_a_bar() -> None:
    snap = snapshot(a_project())
    figures = dataclasses.replace(snap.figures, cost_used_pct=62_500 * 100 / 150_000)
    costed = dataclasses.replace(snap, figures=figures, cost_kr_minutes=62_500 * 60, rate_known=True)
    assert flat(cost_line(costed, "nb")) == "*Kostnad:* 62 500 kr av 150 000 kr (42 %) `▓▓▓▓░░░░░░`"
    assert flat(cost_line(costed, "en")) == "*Cost:* NOK 62,500 of NOK 150,000 (42%) `▓▓▓▓░░░░░░`"
    retainer = dataclasses.replace(costed, project=a_project(kind="lopende"))
    assert flat(cost_line(retainer, "nb")).startswith("*Kostnad denne måneden:* 62 500 kr av 150 000 kr")
    no_rate = dataclasses.replace(costed, cost_kr_minutes=0, rate_known=False)
    assert flat(cost_line(no_rate, "nb")) == ("*Kostnadsramme:* 150 000 kr · ingen timepris satt "
                                              "(`/prosjekt ramme P-7 timepris:1250`)")
    no_frame = dataclasses.replace(costed, project=a_project(budget_nok=None))
    assert flat(cost_line(no_frame, "en")) == "*Cost:* NOK 62,500 (no cost frame)"
    assert cost_line(dataclasses.replace(no_frame, cost_kr_minutes=0), "nb") is None
    for lang in ("nb", "en"):
        assert check_message({"blocks": render_project_card(costed, lang)}) is None
