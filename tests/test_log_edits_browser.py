"""`/prosjekt timer` in the sandbox's page in headless Chromium: *Slett* asks first, as Slack does with a Block Kit
`confirm` object (Avbryt sends nothing; Slett deletes), and *Endre* opens the `logg` form filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from bot.sandbox.run import Sandbox, start
from tests.browser import Window, chromium

CHANNEL = "kunde-fjordkraft"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    running = start(tmp_path_factory.mktemp("sandbox") / "data", port=0)
    yield running
    running.stop()


@pytest.fixture
def window(sandbox: Sandbox) -> Iterator[Window]:
    browser: Browser
    with chromium() as browser:
        window = Window(browser, sandbox.url)
        yield window
        window.close()
        assert not window.errors, window.errors


def test_delete_asks_first_and_edit_opens_the_form_filled_in(window: Window) -> None:
    page = window.open().page
    window.channel(CHANNEL)
    window.send("/prosjekt logg P-1 1t 30m Slettes i nettleseren")
    window.message("Logget 1,5 t")
    window.send("/prosjekt timer")
    listing = window.message("Timene dine de siste 14 dagene", "Slettes i nettleseren")
    window.shot("timer-list", listing)

    listing.get_by_role("button", name="Slett", exact=True).first.click()
    asked = window.dialog("Slette loggen?")
    window.shot("timer-confirm")
    expect(asked).to_contain_text(re.compile(r"Loggen på P-1 fra .* \(1,5\st\) slettes"))
    asked.get_by_role("button", name="Avbryt").click()
    expect(asked).to_be_hidden()
    expect(listing).to_contain_text("Slettes i nettleseren")  # nothing was sent

    listing.get_by_role("button", name="Endre", exact=True).first.click()
    form = window.dialog("Endre logg")
    window.shot("timer-edit", form)
    expect(form.get_by_label("Timer")).to_have_value("1,5")
    expect(form.get_by_label("Hva ble gjort")).to_have_value("Slettes i nettleseren")
    form.get_by_role("button", name="Avbryt").click()
    expect(form).to_be_hidden()

    listing.get_by_role("button", name="Slett", exact=True).first.click()
    window.dialog("Slette loggen?").get_by_role("button", name="Slett", exact=True).click()
    expect(window.message(re.compile(r"Loggen \(1,5\st, .*\) på P-1 .* er slettet"))).to_be_visible()
    expect(page.get_by_role("log", name="Meldinger")).not_to_contain_text("Slettes i nettleseren")
