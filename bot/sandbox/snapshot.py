"""What the stand-in showed, kept across restarts in the data folder (`standin.json`).

A workaround until the stand-in can save and load its own state: it keeps channels' messages, threads, reactions,
files and App Homes in memory, so without this a restart would show empty channels beside a database full of
projects (and the bot's card updates would find no message to update). This reads and writes the stand-in's
workspace fields by name; if they change shape, loading says so once and the sandbox starts with empty channels.
"""

from __future__ import annotations

import base64
import itertools
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from fakeslack import FakeSlack

log = logging.getLogger("prosjektbot.sandbox")
KEPT = ("messages", "ephemerals", "rejected", "views", "homes", "files", "last_ts")  # not open modals, triggers
_ID = re.compile(r"^[A-Z]+([0-9A-F]{8})$")


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode()}
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _decode(value: dict[str, Any]) -> Any:
    return base64.b64decode(value["__bytes__"]) if set(value) == {"__bytes__"} else value


def save(fake: FakeSlack, path: Path) -> None:
    ws = fake._ws
    with fake._cond:
        state: dict[str, Any] = {name: getattr(ws, name) for name in KEPT}
        state["reactions"] = [[channel, ts, names] for (channel, ts), names in ws.reactions.items()]
        state["views"] = {vid: view for vid, view in ws.views.items() if vid in ws.homes.values()}
        text = json.dumps(state, default=_encode)
    partial = path.with_suffix(".tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def load(fake: FakeSlack, path: Path) -> bool:
    """Put back what `save` kept; False (and the stand-in as it was) when there is nothing, or it does not fit."""
    if not path.exists():
        return False
    ws = fake._ws
    try:
        state = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode)
        values = {name: state[name] for name in KEPT}
        reactions = {(channel, ts): names for channel, ts, names in state["reactions"]}
        used = [int(m.group(1), 16) for key in (*values["views"], *values["files"]) if (m := _ID.match(key))]
        with fake._cond:
            for name, value in values.items():
                if not isinstance(getattr(ws, name), type(value)):
                    raise TypeError(f"{name} is a {type(getattr(ws, name)).__name__} now")
            for name, value in values.items():
                setattr(ws, name, value)
            ws.reactions = reactions
            ws.ids = itertools.count(max(used, default=0) + 1000)  # new ids never meet the kept ones
            ws.bump()
        return True
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("could not put back what the page showed before the restart (%s); the channels start empty", exc)
        return False
