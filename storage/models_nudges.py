"""Tables of the nudge to log hours (docs/product.md §11): what it knows of each person. Re-exported by
`storage.models`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema_base import Base, UserId, utcnow


class NudgePerson(Base):
    """A person's own choice about nudges in a workspace (`varsler av|på`; none: on, as the workspace has them),
    and whether Slack said their account is deactivated (users.info `deleted`), checked when. Nobody but the
    person reads their choice: no admin view lists it."""

    __tablename__ = "nudge_people"
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(UserId, primary_key=True)
    nudges_off: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[dt.datetime | None] = mapped_column()  # when they last switched (None: never)
    deactivated: Mapped[bool] = mapped_column(default=False)
    checked_at: Mapped[dt.datetime | None] = mapped_column()  # when users.info was last asked (None: never)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
