"""The sandbox page driven in headless Chromium (Debian's `chromium`, through Playwright for Python): a `Window` is the
page as one person sees it, addressed the way a person (or a screen reader) finds things: by role and name."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's package (.ci/run installs it); never `playwright install`
SHOTS = Path(__file__).resolve().parent.parent / "test-output" / "sandbox"  # screenshots (gitignored)
TIMEOUT = 20_000  # ms: a move of time runs the clock's passes for every working day on the way
OSLO = ZoneInfo("Europe/Oslo")


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y -q chromium (see README)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield browser
        finally:
            browser.close()


class Window:
    """The sandbox page in a browser tab; `requests` holds every URL the page asked for."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.url = url
        self.context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo",
                                           viewport={"width": 1280, "height": 860})
        self.context.set_default_timeout(TIMEOUT)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def close(self) -> None:
        self.context.close()

    def open(self) -> Window:
        self.page.goto(self.url)
        expect(self.page.get_by_role("textbox", name="Melding")).to_be_visible()
        expect(self.page.get_by_role("article").first).to_be_visible()
        self.page.wait_for_function("document.body.dataset.version !== undefined")  # the first read is shown
        return self

    def outside_hosts(self) -> set[str]:
        return {urlsplit(url).hostname or url for url in self.requests} - {"127.0.0.1"}

    # -- where you are and who you are ------------------------------------------------------------------------
    def channel(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Kanaler").get_by_role("link", name=f"#{name}", exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(f"#{name}")

    def be(self, real_name: str) -> None:
        """Switch to the person whose option starts with `real_name` ("Ola Hansen (SEO-rådgiver)")."""
        switcher = self.page.get_by_role("combobox", name="Du er")
        label = next(o for o in switcher.locator("option").all_inner_texts() if o.startswith(real_name + " ("))
        switcher.select_option(label=label)

    def now(self) -> str:
        return self.page.locator("#now").inner_text()

    # -- what you do --------------------------------------------------------------------------------------------
    def send(self, text: str) -> None:
        box = self.page.get_by_role("textbox", name="Melding")
        box.fill(text)
        box.press("Enter")
        expect(box).to_have_value("")

    def dialog(self, title: str) -> Locator:
        dialog = self.page.get_by_role("dialog", name=title)
        expect(dialog).to_be_visible()
        return dialog

    def move_time(self, button: str) -> None:
        before = self.now()
        self.page.get_by_role("button", name=button, exact=True).click()
        expect(self.page.locator("#now")).not_to_have_text(before)

    def go_to(self, moment: dt.datetime) -> None:
        before = self.now()
        self.page.get_by_label("Tidspunkt").fill(moment.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M"))
        self.page.get_by_role("button", name="Gå til tidspunktet").click()
        expect(self.page.locator("#now")).not_to_have_text(before)

    # -- what you see -------------------------------------------------------------------------------------------
    def message(self, *texts: str | re.Pattern[str], within: Locator | None = None) -> Locator:
        """The last message (an `article`) that shows every one of `texts`."""
        found = (within or self.page.get_by_role("log", name="Meldinger")).get_by_role("article")
        for text in texts:
            found = found.filter(has_text=text)
        expect(found.last).to_be_visible()
        return found.last

    def card(self, *texts: str) -> Locator:
        """The last project card (a message with the button *Logg fremdrift*) that shows every one of `texts`."""
        found = self.page.get_by_role("log", name="Meldinger").get_by_role("article").filter(
            has=self.page.get_by_role("button", name="Logg fremdrift", exact=True))
        for text in texts:
            found = found.filter(has_text=text)
        expect(found.last).to_be_visible()
        return found.last

    def shot(self, name: str, target: Locator | None = None) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        (target or self.page).screenshot(path=path)
        return path
