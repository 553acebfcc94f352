"""The two message catalogs agree, and every message the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from bot.slack.i18n import CATALOG, fmt_date, fmt_hours, fmt_nok, fmt_number, t

ROOT = Path(__file__).parent.parent


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_nb_and_en_have_the_same_keys_and_placeholders() -> None:
    assert CATALOG["nb"].keys() == CATALOG["en"].keys()
    for key, template in CATALOG["nb"].items():
        assert placeholders(template) == placeholders(CATALOG["en"][key]), key


def test_every_literal_message_key_in_the_code_exists() -> None:
    used: set[str] = set()
    pattern = re.compile(r"""(?:\bt|say|UserError|NotAllowed|NotFound)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        used |= set(pattern.findall(path.read_text()))
    assert used, "the scan found no keys at all"
    missing = sorted(key for key in used if key not in CATALOG["nb"])
    assert missing == []


def test_dynamic_key_families_are_complete() -> None:
    for state in ("active", "paused", "delivered"):
        for prefix in ("state.", "state.changed.", "state.already."):
            assert prefix + state in CATALOG["nb"]
    for kind in ("avgrenset", "lopende"):
        assert f"kind.{kind}" in CATALOG["nb"]
    for action in ("created", "member_added", "task_added", "task_done", "frame_changed", "goal_added",
                   "goal_changed", "state"):
        assert f"history.{action}" in CATALOG["nb"]
    for field in ("start", "deadline", "frame_minutes", "budget_nok", "target_value", "current_value"):
        assert f"field.{field}" in CATALOG["nb"]


def test_norwegian_and_english_formatting() -> None:
    import datetime as dt

    day = dt.date(2026, 12, 18)
    assert fmt_date(day, "nb") == "fre. 18. des." and fmt_date(day, "en") == "Fri 18 Dec"
    assert fmt_hours(750, "nb") == "12,5\u00a0t" and fmt_hours(750, "en") == "12.5\u00a0h"
    assert fmt_nok(150000, "nb") == "150\u00a0000\u00a0kr" and fmt_nok(150000, "en") == "NOK\u00a0150,000"
    assert fmt_number(4500.0, "nb") == "4\u00a0500"
    assert t("log.saved", "nb", hours="1 t", key="P-1", name="X", total="2 t") == "Logget 1 t på *P-1* X (totalt 2 t)."
    assert t("log.saved", "xx", hours="1 t", key="P-1", name="X", total="2 t").startswith("Logget")
