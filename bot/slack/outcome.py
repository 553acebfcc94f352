"""What handling a Slack request produces: the ack payload, and Slack calls to make after the ack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.export import ExportFilter


@dataclass(frozen=True)
class OpenModal:
    trigger_id: str
    view: dict[str, Any]


@dataclass(frozen=True)
class UpdateModal:
    """Replace an open modal (views.update); `hash` is the one Slack sent, so a newer view is never overwritten."""

    view_id: str
    hash: str | None
    view: dict[str, Any]


@dataclass(frozen=True)
class PostCard:
    """Post the project card in its channel and remember it as the card to keep up to date."""

    team_id: str
    project_id: int
    channel_id: str
    response_url: str | None = None  # where to explain if the bot may not post in the channel


@dataclass(frozen=True)
class RefreshCard:
    """Re-render the project's card in place (chat.update) after a change; and the clicked message, if any."""

    team_id: str
    project_id: int
    channel_id: str | None = None
    ts: str | None = None
    response_url: str | None = None  # the clicked card was ephemeral: replace it through its response_url


@dataclass(frozen=True)
class Respond:
    """One more ephemeral message through a response_url (after the ack; Slack allows five per URL)."""

    response_url: str
    text: str
    blocks: list[dict[str, Any]] | None = None
    replace_original: bool = False  # replace the message the response_url belongs to (a list clicked from)


@dataclass(frozen=True)
class Ephemeral:
    channel_id: str
    user_id: str
    text: str
    blocks: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class ThreadReply:
    channel_id: str
    thread_ts: str
    text: str


@dataclass(frozen=True)
class RefreshFollowup:
    """Re-render a follow-up message in place (chat.update) after a reaction or a button changed it."""

    team_id: str
    followup_id: int


@dataclass(frozen=True)
class OpenModalForMessage:
    """Open a modal about a message: its permalink is asked of Slack first (None if Slack cannot tell) and the
    view is rendered with it."""

    trigger_id: str
    channel_id: str
    message_ts: str
    view: Callable[[str | None], dict[str, Any]]


@dataclass(frozen=True)
class RefreshHome:
    """Publish App Home again for these users (coalesced per user; a storm of changes costs one publish each)."""

    team_id: str
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class RefreshHomes:
    """Publish App Home again for everyone it shows this project to (None: everyone in the workspace) who has
    opened it. Added for every card refresh: whatever changes a project's card changes its people's Home."""

    team_id: str
    project_id: int | None


@dataclass(frozen=True)
class UploadFile:
    """Send a file to a user in their direct message with the bot (a routine's YAML)."""

    user_id: str
    filename: str
    content: bytes
    title: str
    comment: str | None = None


@dataclass(frozen=True)
class SendExport:
    """Write the hours export's CSV and Excel files and send them to the user in their direct message with the bot
    (bot.usecases.export.send). `what` and `period` name it in the files' message."""

    team_id: str
    user_id: str
    lang: str
    filter: ExportFilter
    stem: str  # the files' name without .csv / .xlsx
    what: str
    period: str


@dataclass(frozen=True)
class UpdateMessage:
    """Replace a message the bot posted (chat.update) with `message` (text, blocks)."""

    channel_id: str
    ts: str
    message: dict[str, Any]


Effect = (OpenModal | PostCard | RefreshCard | Ephemeral | ThreadReply | RefreshFollowup | OpenModalForMessage
          | Respond | RefreshHome | RefreshHomes | UploadFile | UpdateModal | SendExport | UpdateMessage)


@dataclass
class Outcome:
    """`ack` holds the keyword arguments for Bolt's ack(); `effects` run after it, off the request thread."""

    ack: dict[str, Any] = field(default_factory=dict)
    effects: list[Effect] = field(default_factory=list)
