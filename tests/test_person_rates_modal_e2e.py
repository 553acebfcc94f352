"""People's own rates on a project in the modals, over real signed HTTP (docs/product.md §10): the `ramme` modal shows
them prefilled (a person and a rate a row, two empty rows after), changes, adds and removes them (each in the
history); the `ny` modal gives them to the PL or members chosen in it; a person not in the project, a rate that is
not a positive amount, a rate without a person and a person twice are refused on their field in the user's
language, and nothing is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from storage.models import Project, ProjectRate
from tests.conftest import ADMIN, MEMBER, OTHER, PM, Bot, Clock, flat
from tests.test_money_e2e import NEW, OLA, block, logs, rate_history


def opened(bot: Bot, command: str, user: str = PM) -> dict[str, Any]:
    count = len(bot.fake.calls_to("views.open"))
    assert bot.run(command, user=user) == {}
    return bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]


def own_rates(bot: Bot, number: int = 1) -> dict[str, int]:
    with bot.svc.sessions() as session:
        return dict(session.execute(
            select(ProjectRate.user_id, ProjectRate.rate_nok).join(
                Project, (Project.team_id == ProjectRate.team_id) & (Project.id == ProjectRate.project_id))
            .where(ProjectRate.team_id == bot.team_id, Project.number == number)).all())


def errors(bot: Bot, view: dict[str, Any], values: dict[str, Any], user: str = PM) -> dict[str, str]:
    answer = bot.slack.submit(view, values, user=user).json()
    assert answer["response_action"] == "errors", answer
    return {field: flat(message) for field, message in answer["errors"].items()}


def test_own_rates_in_the_frame_modal_prefilled_changed_added_removed_and_refused(bot: Bot, clock: Clock) -> None:
    clock.set(dt.date(2026, 12, 1))
    bot.run(f"{NEW} timepris:1250 timepris:{OLA}=900")
    view = opened(bot, "ramme P-1")
    assert block(view, "person_1")["element"]["initial_user"] == MEMBER
    assert block(view, "person_rate_1")["element"]["initial_value"] == "900"
    for row in (2, 3):  # two empty rows after those with a rate
        assert "initial_user" not in block(view, f"person_{row}")["element"]
        assert "initial_value" not in block(view, f"person_rate_{row}")["element"]
    assert not any(b.get("block_id") == "person_4" for b in view["blocks"])
    assert block(view, "person_1")["label"]["text"] == "Egen timepris 1: person"
    # refused on their fields, nothing stored (Ola's change in the same form neither)
    assert errors(bot, view, {"person_rate_1": "950", "person_2": OTHER, "person_rate_2": "1000"}) == {
        "person_2": "Personen er ikke med i P-1. Egen timepris kan bare settes for prosjektlederen, medlemmer og dem "
                    "som har oppgaver i prosjektet."}
    assert errors(bot, view, {"person_2": PM, "person_rate_2": "-5"}) == {
        "person_rate_2": "Timeprisen «-5» går ikke: skriv hele kroner per time over 0 (høyst 100 000), f.eks. 1250."}
    assert errors(bot, view, {"person_rate_2": "0", "person_2": PM})["person_rate_2"].startswith("Timeprisen «0»")
    assert errors(bot, view, {"person_rate_3": "800"}) == {
        "person_3": "Velg personen timeprisen gjelder, eller tøm timeprisen."}
    assert errors(bot, view, {"person_2": MEMBER, "person_rate_2": "700"}) == {
        "person_2": "Personen står to ganger. Gi hver person én timepris."}
    assert own_rates(bot) == {MEMBER: 900}
    assert rate_history(bot) == []  # (a new project's rates are not changes)
    # Ola's changed, the PL's added
    assert bot.slack.submit(view, {"person_rate_1": "950", "person_2": PM, "person_rate_2": "1 500 kr"},
                            user=PM).text == ""
    assert own_rates(bot) == {MEMBER: 950, PM: 1500}
    assert rate_history(bot) == [("person_rate", f"{MEMBER}=900", f"{MEMBER}=950"),
                                     ("person_rate", None, f"{PM}=1500")]
    bot.run("logg P-1 1t Design")
    bot.run("logg P-1 2t Utvikling", user=MEMBER)
    assert logs(bot) == [(PM, 60, 1500, True), (MEMBER, 120, 950, True)]
    # opened again: both prefilled (by user id), two empty rows; Ola's emptied: the project's rate from now on
    view = opened(bot, "ramme P-1")
    assert [block(view, f"person_{row}")["element"].get("initial_user") for row in (1, 2, 3, 4)] == \
        sorted([PM, MEMBER]) + [None, None]
    ola_row = 1 + sorted([PM, MEMBER]).index(MEMBER)
    assert bot.slack.submit(view, {f"person_rate_{ola_row}": ""}, user=PM).text == ""
    assert own_rates(bot) == {PM: 1500}
    assert rate_history(bot)[-1] == ("person_rate", f"{MEMBER}=950", None)
    bot.run("logg P-1 1t Mer", user=MEMBER)
    assert logs(bot)[-1] == (MEMBER, 60, 1250, True)
    # the card's *Endre rammer* opens the same form, prefilled
    count = len(bot.fake.calls_to("views.open"))
    bot.slack.click(bot.card(), "card.frame", user=PM)
    view = bot.fake.wait_for("views.open", count=count + 1)[-1].response["view"]
    assert (block(view, "person_1")["element"]["initial_user"], block(view, "person_rate_1")["element"]
            ["initial_value"]) == (PM, "1500")
    assert "initial_user" not in block(view, "person_2")["element"]
    # in English
    settings = opened(bot, "innstillinger", user=ADMIN)
    assert bot.slack.submit(settings, {"language": "en"}, user=ADMIN).text == ""
    view = opened(bot, "frame P-1")
    assert block(view, "person_rate_1")["label"]["text"] == "Own rate 1: NOK an hour"
    assert errors(bot, view, {"person_2": OTHER, "person_rate_2": "900"}) == {
        "person_2": "This person is not in P-1. An own rate can only be set for the project manager, members and "
                    "those with tasks in the project."}
    assert errors(bot, view, {"person_rate_3": "900"}) == {
        "person_3": "Choose the person the rate is for, or empty the rate."}
    assert own_rates(bot) == {PM: 1500}


def test_own_rates_in_the_new_project_modal_for_the_pl_and_members_chosen_in_it(bot: Bot, clock: Clock) -> None:
    clock.set(dt.date(2026, 12, 1))
    view = opened(bot, "ny")
    assert block(view, "person_1")["element"]["type"] == "users_select"
    project = {"name": "Annonser", "customer": "Tine", "deadline": "2026-12-20", "rate": "1000"}
    assert errors(bot, view, {**project, "person_1": MEMBER, "person_rate_1": "900"}) == {
        "person_1": "Personen er ikke med i prosjektet. Velg personen som prosjektleder eller medlem for å gi egen "
                    "timepris."}
    assert errors(bot, view, {**project, "members": [MEMBER], "person_1": MEMBER, "person_rate_1": "ni hundre"}) \
        == {"person_rate_1": "Timeprisen «ni hundre» går ikke: skriv hele kroner per time over 0 (høyst 100 000), "
                             "f.eks. 1250."}
    with bot.svc.sessions() as session:
        assert session.scalars(select(Project).where(Project.team_id == bot.team_id)).all() == []
    assert bot.slack.submit(view, {**project, "members": [MEMBER], "person_1": MEMBER, "person_rate_1": "900",
                                   "person_2": PM, "person_rate_2": ""}, user=PM).text == ""
    assert own_rates(bot) == {MEMBER: 900}  # the PL with no rate: none of their own
    bot.run("logg P-1 1t Tekster", user=MEMBER, channel=bot.slack.channel_id)
    assert logs(bot) == [(MEMBER, 60, 900, True)]
