"""The sandbox in a real browser (issue 12): the newcomer's story through the real page, the real stand-in and the
real bot (`prosjektbot sandbox`'s own start, on a fresh data folder with the demo agency), in headless Chromium.
Screenshots of the main screens go to test-output/sandbox/ (gitignored)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, expect

from bot.clock.followup_posts import PRE_ADDED_REACTIONS
from bot.domain.workdays import add_working_days
from bot.sandbox.run import Sandbox, start
from bot.usecases.reactions import REACTION_ACTS
from tests.browser import OSLO, Window, chromium

CHANNEL = "kunde-fjordkraft"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    running = start(tmp_path_factory.mktemp("sandbox") / "data", port=0)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def window(browser: Browser, sandbox: Sandbox) -> Iterator[Window]:
    window = Window(browser, sandbox.url)
    yield window
    window.close()
    assert not window.errors, window.errors  # no uncaught script error on any page


def now(sandbox: Sandbox) -> dt.datetime:
    return sandbox.clock.now().astimezone(OSLO)


def test_the_first_screen_is_a_channel_with_no_modal_open(window: Window) -> None:
    page = window.open().page  # the first channel, Kari (the first person), no form the seeding sent left open
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^#"))
    expect(page.get_by_role("combobox", name="Du er")).to_have_value("UKARI0001")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_newcomers_story(window: Window, sandbox: Sandbox) -> None:
    page = window.open().page
    window.channel(CHANNEL)
    window.shot("channel")
    today = now(sandbox).date()
    deadline = add_working_days(today, 2)
    name = f"Kampanjeside {today:%d%m}"

    # /prosjekt ny → the modal → fill it → the card appears in the channel
    window.send("/prosjekt ny")
    dialog = window.dialog("Nytt prosjekt")
    dialog.get_by_label("Navn").fill(name)
    dialog.get_by_label("Kunde").fill("Fjordkraft")
    dialog.get_by_label("Frist").fill(deadline.isoformat())
    dialog.get_by_label("Timeramme").fill("40")
    dialog.get_by_label("Rutine").select_option(label="SEO-oppstart")  # dispatch_action: block_actions, views.update
    expect(dialog).to_contain_text("Forhåndsvisning")
    expect(dialog.get_by_label("Navn")).to_have_value(name)  # the updated view keeps what was typed
    dialog.get_by_label("Rutine").select_option(label="Ingen rutine")
    expect(dialog).not_to_contain_text("Forhåndsvisning")
    window.shot("modal-new")
    dialog.get_by_role("button", name="Opprett").click()
    expect(dialog).to_be_hidden()
    card = window.card(name)
    key = re.search(r"P-\d+", card.inner_text())
    assert key, card.inner_text()
    ts = card.get_attribute("data-ts")
    expect(card).to_contain_text("40 t")
    window.shot("card", card)

    # Logg fremdrift → 3 t → the same card (same ts) shows them
    card.get_by_role("button", name="Logg fremdrift").click()
    log = window.dialog("Logg fremdrift")
    log.get_by_label("Timer").fill("3")
    log.get_by_role("button", name="Lagre").click()
    expect(log).to_be_hidden()
    updated = page.locator(f'article[data-ts="{ts}"]')
    expect(updated).to_contain_text(re.compile(r"Timer:\s*3\s*t av 40\s*t"))
    window.shot("card-logged", updated)

    # a bad date → the bot's error on that field, the modal still open with what was typed
    window.send("/prosjekt ny")
    dialog = window.dialog("Nytt prosjekt")
    dialog.get_by_label("Navn").fill("Feil datoer")
    dialog.get_by_label("Kunde").fill("Fjordkraft")
    dialog.get_by_label("Start").fill(deadline.isoformat())
    dialog.get_by_label("Frist").fill(today.isoformat())
    dialog.get_by_role("button", name="Opprett").click()
    frist = dialog.get_by_label("Frist")
    expect(frist).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator(".field-error")).to_contain_text("Fristen kan ikke være før start")
    expect(dialog.get_by_label("Navn")).to_have_value("Feil datoer")
    frist.scroll_into_view_if_needed()
    window.shot("modal-error")
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()

    # a specialist tries to change the frames: refused, only to them
    window.be("Ola Hansen")
    window.send(f"/prosjekt ramme {key.group(0)} timer:80")
    refusal = window.message("Bare prosjektlederen")
    expect(refusal).to_contain_text("Bare synlig for deg")
    window.be("Kari Nordmann")
    expect(page.get_by_role("article").filter(has_text="Bare prosjektlederen")).to_have_count(0)

    # the day before the deadline → the reminder, with the bot's reactions; ✅ → a reply in its thread, updated
    window.go_to(dt.datetime.combine(add_working_days(deadline, -1), dt.time(9, 0), tzinfo=OSLO))
    reminder = window.message("Frist om 1 arbeidsdag", key.group(0))
    pills = reminder.get_by_role("group", name="Reaksjoner")
    for emoji in ("white_check_mark", "alarm_clock", "eyes"):
        expect(pills.get_by_role("button", name=emoji, exact=True)).to_have_text(re.compile(r"1$"))
    window.shot("reminder", reminder)
    pills.get_by_role("button", name="white_check_mark", exact=True).click()
    expect(pills.get_by_role("button", name="white_check_mark", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(reminder).to_contain_text("Kari Nordmann")  # the updated message says who
    reminder.get_by_role("button", name=re.compile("svar")).click()
    thread = page.get_by_role("complementary", name="Tråd")
    reply = window.message("Kari Nordmann", within=thread)
    expect(reply).to_contain_text("✅")
    window.shot("thread")

    # Monday 09:00 → a new weekly summary in the channel
    summaries = page.get_by_role("log", name="Meldinger").get_by_role("article").filter(has_text="Ukesoppsummering uke")
    before = summaries.count()  # the demo's earlier weeks (and one this Monday when the deadline's eve was a Monday)
    window.move_time("Mandag 09:00")
    assert now(sandbox).weekday() == 0 and (now(sandbox).hour, now(sandbox).minute) == (9, 0)
    expect(summaries).to_have_count(before + 1)
    window.shot("summary", summaries.last)

    # App Home: the person's projects and deadlines (ours is delivered now: ✅ on its deadline marked it done)
    page.get_by_role("link", name="Hjem").click()
    home = page.locator("#home")
    expect(home.get_by_role("heading", name=re.compile(r"Mine prosjekter \(\d+\)"))).to_be_visible()
    expect(home.get_by_role("button", name="Nytt prosjekt")).to_be_visible()
    expect(page.get_by_role("textbox", name="Melding")).to_be_hidden()  # App Home has no composer
    expect(home).to_contain_text("P-1 Nettside Fjordkraft")
    window.shot("home")
    assert not window.outside_hosts(), window.outside_hosts()


def test_the_page_loads_nothing_from_outside_127_0_0_1(window: Window) -> None:
    window.open()
    window.channel("ledelse")
    portfolio = window.message(re.compile("svar"))  # the Monday portfolio: its chart is a file in its thread
    portfolio.get_by_role("button", name=re.compile("svar")).click()
    chart = window.page.get_by_role("complementary", name="Tråd").locator(".files img").first
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 100"), chart.get_attribute("src")
    window.shot("ledelse")
    window.page.get_by_role("link", name="Hjem").click()
    expect(window.page.locator("#home")).not_to_be_empty()
    assert any(url.endswith("/page/app.js") for url in window.requests)  # what was recorded is the page's own
    assert not window.outside_hosts(), sorted(window.requests)


def test_accessible_names(window: Window, sandbox: Sandbox) -> None:
    page = window.open().page
    expect(page.get_by_role("textbox", name="Melding")).to_be_visible()
    expect(page.get_by_role("link", name="Hjem")).to_be_visible()
    names = page.get_by_role("navigation", name="Kanaler").get_by_role("listitem").all_inner_texts()
    assert f"#{CHANNEL}" in names and "#ledelse" in names and all(n.startswith("#") for n in names), names
    people = page.get_by_role("combobox", name="Du er").locator("option").all_inner_texts()
    assert any(re.fullmatch(r"Kari Nordmann \(.+, admin\)", p) for p in people), people
    assert all(re.fullmatch(r".+ \(.+\)", p) for p in people), people
    for button in ("+1 time", "Neste arbeidsdag 09:00", "Mandag 09:00", "Gå til tidspunktet"):
        expect(page.get_by_role("button", name=button, exact=True)).to_be_enabled()
    window.channel(CHANNEL)
    expect(page.get_by_role("article").first).to_be_visible()
    card = window.card()
    card.get_by_role("button", name="Flere handlinger").click()
    expect(card.get_by_role("menuitem", name="Logg som fremdrift")).to_be_visible()

    # +1 time moves now one hour on
    before = now(sandbox)
    window.move_time("+1 time")
    assert now(sandbox) - before == dt.timedelta(hours=1)


def test_direct_messages_with_the_bot(window: Window) -> None:
    page = window.open().page
    nav = page.get_by_role("navigation", name="Kanaler")
    nav.get_by_role("link", name=re.compile("bot", re.I)).click()  # under Direktemeldinger, named as the bot is
    window.send("/prosjekt hjelp")
    answer = window.message("Bare synlig for deg", "/prosjekt ny")
    expect(answer).to_contain_text("/prosjekt status")
    assert page.evaluate("location.hash") == "#/dm"


def test_a_message_gets_reactions_a_thread_and_the_shortcut(window: Window) -> None:
    page = window.open().page
    window.channel(CHANNEL)
    window.send("Satte opp sporing i GA4 i dag")
    mine = window.message("Satte opp sporing i GA4")

    # a reaction from the picker, then its pill toggles mine off and on
    pills = mine.get_by_role("group", name="Reaksjoner")
    pills.get_by_role("button", name="Legg til reaksjon").click()
    pills.get_by_role("menuitem", name="Reager med tada").click()
    tada = pills.get_by_role("button", name="tada", exact=True)
    expect(tada).to_have_text("🎉 1")
    expect(tada).to_have_attribute("aria-pressed", "true")
    tada.click()
    expect(tada).to_have_count(0)
    pills.get_by_role("button", name="Legg til reaksjon").click()
    pills.get_by_role("menuitem", name="Reager med tada").click()
    expect(tada).to_have_text("🎉 1")

    # a reply in its thread
    mine.get_by_role("button", name="Flere handlinger").click()
    mine.get_by_role("menuitem", name="Svar i tråd").click()
    thread = page.get_by_role("complementary", name="Tråd")
    thread.get_by_role("textbox", name="Svar").fill("Tallene kommer i morgen")
    thread.get_by_role("textbox", name="Svar").press("Enter")
    expect(window.message("Tallene kommer i morgen", within=thread)).to_be_visible()
    expect(mine.get_by_role("button", name=re.compile("1 svar"))).to_be_visible()

    # the message shortcut from its menu
    mine.get_by_role("button", name="Flere handlinger").click()
    mine.get_by_role("menuitem", name="Logg som fremdrift").click()
    dialog = window.dialog("Logg fremdrift")
    expect(dialog.get_by_label("Hva ble gjort")).to_have_value(re.compile("Satte opp sporing i GA4"))
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()


def test_an_unknown_block_type_shows_a_placeholder_live(window: Window, sandbox: Sandbox) -> None:
    window.open()
    window.channel(CHANNEL)
    sandbox.fake.add_message(f"#{CHANNEL}", "En tabell", user="UOLA00001",
                             blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "Før tabellen"}},
                                     {"type": "table", "rows": []}])
    message = window.message("Før tabellen")  # no reload: the server-sent event makes the page read again
    expect(message.get_by_role("note")).to_have_text("Ukjent blokktype: table")


def test_a_message_slack_would_reject_shows_its_error_in_red(window: Window, sandbox: Sandbox) -> None:
    too_long = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}  # Slack's limit: 150
    answer = requests.post(f"{sandbox.fake.url}chat.postMessage", timeout=10,
                           headers={"Authorization": f"Bearer {sandbox.fake.token}"},
                           json={"channel": f"#{CHANNEL}", "text": "For lang overskrift", "blocks": [too_long]}).json()
    assert answer["ok"] is False, answer
    window.open()
    window.channel(CHANNEL)
    rejected = window.message("Slack ville ha avvist denne meldingen")
    alert = rejected.get_by_role("alert")
    expect(alert).to_contain_text(str(answer["error"]))
    color = alert.evaluate("node => getComputedStyle(node).color")
    red, green, blue = (int(c) for c in re.findall(r"\d+", color)[:3])
    assert red > 120 and green < 60 and blue < 60, color
    window.shot("rejected", rejected)


def test_mrkdwn_is_rendered(window: Window, sandbox: Sandbox) -> None:
    text = ("*fet* _kursiv_ ~streket~ `kode` <https://example.com|lenke> <@UKARI0001> <#C0FJORDKRAFT> <!here> "
            ":white_check_mark: :ukjent_emoji:\n&gt; sitat\n```blokk```")
    sandbox.fake.add_message(f"#{CHANNEL}", text, user="UOLA00001")
    window.open()
    window.channel(CHANNEL)
    message = window.message("fet")
    body: dict[str, Any] = message.locator(".mrkdwn").evaluate("""node => ({
        b: node.querySelector('b')?.textContent, i: node.querySelector('i')?.textContent,
        s: node.querySelector('s')?.textContent, code: node.querySelector('code')?.textContent,
        a: [node.querySelector('a')?.textContent, node.querySelector('a')?.getAttribute('href')],
        quote: node.querySelector('blockquote')?.textContent, pre: node.querySelector('pre')?.textContent,
        text: node.textContent})""")
    assert (body["b"], body["i"], body["s"], body["code"]) == ("fet", "kursiv", "streket", "kode")
    assert body["a"] == ["lenke", "https://example.com"]
    assert (body["quote"], body["pre"]) == ("sitat", "blokk")
    for shown in ("@Kari Nordmann", f"#{CHANNEL}", "@here", "✅", ":ukjent_emoji:"):
        assert shown in body["text"], body["text"]


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def test_block_kit_elements_are_controls_with_names(window: Window, sandbox: Sandbox) -> None:
    choices = [option("Åpen", "open"), option("Lukket", "closed")]
    blocks = [
        {"type": "header", "text": plain("Alle elementene")},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Felt 1*"}, {"type": "mrkdwn", "text": "*Felt 2*"}],
         "accessory": {"type": "button", "text": plain("Åpne"), "action_id": "x.open", "value": "1"}},
        {"type": "actions", "block_id": "all", "elements": [
            {"type": "button", "text": plain("Godkjenn"), "style": "primary", "action_id": "x.ok", "value": "1"},
            {"type": "button", "text": plain("Slett"), "style": "danger", "action_id": "x.del", "value": "2"},
            {"type": "static_select", "placeholder": plain("Velg status"), "action_id": "x.s", "options": choices},
            {"type": "multi_static_select", "placeholder": plain("Velg flere"), "action_id": "x.m", "options": choices},
            {"type": "overflow", "action_id": "x.o", "options": [option("Rediger", "edit")]},
            {"type": "datepicker", "placeholder": plain("Velg dato"), "action_id": "x.d", "initial_date": "2026-12-24"},
            {"type": "users_select", "placeholder": plain("Velg person"), "action_id": "x.u"},
            {"type": "conversations_select", "placeholder": plain("Velg kanal"), "action_id": "x.c"},
            {"type": "checkboxes", "action_id": "x.cb", "options": [option("Ferdig", "done")]},
            {"type": "radio_buttons", "action_id": "x.r", "options": [option("Ja", "y"), option("Nei", "n")]}]},
        {"type": "input", "block_id": "note", "label": plain("Kommentar"),
         "element": {"type": "plain_text_input", "multiline": True, "action_id": "v"}},
        {"type": "input", "block_id": "count", "label": plain("Antall"),
         "element": {"type": "number_input", "is_decimal_allowed": False, "action_id": "v"}},
        {"type": "divider"},
        {"type": "image", "image_url": "https://example.com/chart.png", "alt_text": "ekstern graf"},
        {"type": "rich_text", "elements": [{"type": "rich_text_list", "style": "bullet", "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "punkt", "style": {"bold": True}}]}]}]},
    ]
    sandbox.fake.add_message(f"#{CHANNEL}", "Elementer", user="UOLA00001", blocks=blocks)
    window.open()
    window.channel(CHANNEL)
    message = window.message("Alle elementene")
    expect(message.get_by_role("heading", name="Alle elementene")).to_be_visible()
    expect(message.get_by_role("button", name="Godkjenn")).to_have_class(re.compile(r"\bprimary\b"))
    expect(message.get_by_role("button", name="Slett")).to_have_class(re.compile(r"\bdanger\b"))
    expect(message.get_by_role("button", name="Åpne")).to_be_visible()
    expect(message.get_by_role("combobox", name="Velg status").locator("option")).to_have_text(
        ["Velg status", "Åpen", "Lukket"])
    expect(message.get_by_role("listbox", name="Velg flere")).to_be_visible()
    message.get_by_role("button", name="Flere valg").click()
    expect(message.get_by_role("menuitem", name="Rediger")).to_be_visible()
    expect(message.get_by_label("Velg dato")).to_have_attribute("type", "date")
    expect(message.get_by_label("Velg dato")).to_have_value("2026-12-24")
    expect(message.get_by_role("combobox", name="Velg person")).to_contain_text("Kari Nordmann")
    expect(message.get_by_role("combobox", name="Velg kanal")).to_contain_text(f"#{CHANNEL}")
    expect(message.get_by_role("checkbox", name="Ferdig")).to_be_visible()
    expect(message.get_by_role("radio", name="Nei")).to_be_visible()
    expect(message.get_by_role("textbox", name="Kommentar")).to_be_visible()
    expect(message.get_by_role("spinbutton", name="Antall")).to_have_attribute("step", "1")
    expect(message.get_by_role("img", name="ekstern graf")).to_have_text(re.compile("bilde"))  # not loaded
    expect(message.locator(".bk-rich-text li b")).to_have_text("punkt")
    window.shot("elements", message)


def test_the_page_knows_every_emoji_the_bot_uses() -> None:
    """`:name:` codes in the bot's texts, and the reactions it reads or adds, are in the page's emoji table."""
    root = Path(__file__).resolve().parent.parent
    table = (root / "fakeslack" / "page" / "mrkdwn.js").read_text(encoding="utf-8")
    known = set(re.findall(r'"?([a-z0-9_+-]+)"?: "[^"]+"', table[table.index("EMOJI = {"):table.index("};")]))
    codes = {code for path in (root / "bot").rglob("*.py")
             for code in re.findall(r":([a-z_]+):", path.read_text(encoding="utf-8"))}
    used = codes | set(REACTION_ACTS) | set(PRE_ADDED_REACTIONS)
    assert "warning" in used and "white_check_mark" in used  # what the search finds
    assert used <= known, sorted(used - known)
