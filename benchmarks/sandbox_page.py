"""The sandbox page in a real browser: how long a person waits for what they did to show.

A script that prints figures (not a test). It starts the sandbox in this process (`bot.sandbox.run.start` on a fresh
temporary folder: the demo agency seeded) and drives Debian's Chromium (`/usr/bin/chromium`) through Playwright:

    python -m benchmarks.sandbox_page            # 30 commands, 10 page loads, 5 time moves
    python -m benchmarks.sandbox_page --smoke    # 5 / 2 / 2 (CI)

load      `goto` the page → the channel's messages shown (the first `article` visible): p50 and max
command   Enter on `/prosjekt status P-1` in the composer → the bot's answer in the page (one more *Bare synlig for
          deg* article), timed in the page (keydown to the DOM change): p50 and p95
baseline  the same command through the page's API with no browser, as the page does it: `POST /sandbox/command`
          (the stand-in sends the signed slash command and keeps the ack as an ephemeral message), then `GET
          /sandbox/messages`: p50. command / baseline is what the page adds (its read after the action, rendering).
time      *+1 time* → the time bar shows the new *now* (the sandbox clock's pass as of it, then the page's read)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.sandbox.agency import FJORDKRAFT, KARI  # noqa: E402
from bot.sandbox.run import start  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
COMMAND = "status P-1"


# In the page: when Enter went down in the composer, and when the next ephemeral article was in the document (a
# MutationObserver runs before the next paint), both on the page's own clock, so the figure has no Playwright in it.
WATCH = """() => {
  window.bench = {enter: 0, shown: 0, count: 0};
  const count = () => document.querySelectorAll('#messages article.ephemeral').length;
  document.getElementById('message').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') Object.assign(window.bench, {enter: performance.now(), shown: 0, count: count()});
  }, true);
  new MutationObserver(() => {
    const now = count();
    if (window.bench.enter && !window.bench.shown && now > window.bench.count) {
      Object.assign(window.bench, {shown: performance.now(), count: now});
    }
  }).observe(document.getElementById('messages'), {childList: true});
}"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


def ephemerals(page: Page) -> int:
    return int(page.locator("#messages article.ephemeral").count())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=30, help="commands (default 30)")
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--moves", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="5 commands, 2 loads, 2 moves")
    args = parser.parse_args()
    if args.smoke:
        args.n, args.loads, args.moves = 5, 2, 2
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        sandbox = start(Path(tmp) / "data", port=0)
        print(f"sandbox started and seeded in-process: {time.perf_counter() - began:.1f} s")
        try:
            run(sandbox.url, args)
        finally:
            sandbox.stop()


def run(url: str, args: argparse.Namespace) -> None:
    channel_url = f"{url}#/c/{FJORDKRAFT}"
    api = requests.Session()
    baseline = []
    for _ in range(args.n):
        t0 = time.perf_counter()
        answer = api.post(f"{url}sandbox/command", json={"user": KARI, "channel": FJORDKRAFT, "text": COMMAND},
                          timeout=30).json()
        api.get(f"{url}sandbox/messages", params={"channel": FJORDKRAFT, "user": KARI}, timeout=30).raise_for_status()
        baseline.append(time.perf_counter() - t0)
        assert answer["ok"], answer

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 860}).new_page()
        loads = []
        for _ in range(args.loads):
            t0 = time.perf_counter()
            page.goto(channel_url)
            expect(page.get_by_role("article").first).to_be_visible(timeout=30_000)
            loads.append(time.perf_counter() - t0)
        page.wait_for_function("document.body.dataset.version !== undefined")
        box = page.get_by_role("textbox", name="Melding")
        page.evaluate(WATCH)
        commands = []
        for _ in range(args.n):
            before = ephemerals(page)
            box.fill(f"/prosjekt {COMMAND}")
            box.press("Enter")
            page.wait_for_function(f"window.bench.shown > 0 && window.bench.count > {before}", timeout=30_000)
            commands.append(page.evaluate("(window.bench.shown - window.bench.enter) / 1000"))
        moves = []
        for _ in range(args.moves):
            shown = page.locator("#now").inner_text()
            t0 = time.perf_counter()
            page.get_by_role("button", name="+1 time", exact=True).click()
            expect(page.locator("#now")).not_to_have_text(shown, timeout=60_000)
            moves.append(time.perf_counter() - t0)
        browser.close()

    base, cmd = statistics.median(baseline), statistics.median(commands)
    print(f"load      goto → messages shown: p50 {ms(statistics.median(loads))}, max {ms(max(loads))} "
          f"({len(loads)} loads)")
    print(f"command   Enter → answer rendered: p50 {ms(cmd)}, p95 {ms(p95(commands))} ({len(commands)} commands)")
    print(f"baseline  POST /sandbox/command + GET /sandbox/messages: p50 {ms(base)}, p95 {ms(p95(baseline))}")
    print(f"ratio     command / baseline (p50): {cmd / base:.1f}×")
    print(f"time      +1 time → now shown: p50 {ms(statistics.median(moves))}, max {ms(max(moves))} "
          f"({len(moves)} moves)")


if __name__ == "__main__":
    main()
