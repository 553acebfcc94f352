"""Seeding many projects straight into the store for the summary's size tests (60 in a channel, 500 in a
workspace): creating them one by one over HTTP would only test the HTTP path again, hundreds of times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from storage import projects as project_db
from storage import workspaces as workspace_db
from storage.models import Goal, HistoryEntry, ProgressLog, Project, Task

NASTY = "<!channel> Kampanje & <https://evil.example|klikk> "


def seed(sessions: sessionmaker[Session], team_id: str, channels: list[str], per_channel: int, *,
         today: dt.date, users: tuple[str, ...], long_text: bool = True) -> list[int]:
    """`per_channel` active projects in each channel, with logs this week and before, open tasks due soon and
    overdue, and goals; names long, with user text that must be escaped. Returns the project ids."""
    at = dt.datetime.combine(today, dt.time(8), tzinfo=dt.UTC)
    ids: list[int] = []
    with sessions.begin() as session:
        workspace_db.ensure_workspace(session, team_id, language="nb", timezone="Europe/Oslo")
        for c, channel in enumerate(channels):
            for i in range(per_channel):
                number = project_db.next_project_number(session, team_id)
                name = (f"{NASTY}Prosjekt{number} " + "langtord " * 20) if long_text else f"Prosjekt {number}"
                project = Project(
                    team_id=team_id, number=number, name=name[:200].strip(), name_key=f"p{number}-{c}-{i}",
                    customer=(NASTY + "Kunde AS " * 20)[:200].strip(), kind="lopende" if i % 3 == 0 else "avgrenset",
                    state="active", channel_id=channel, pm_user_id=users[i % len(users)],
                    start=today - dt.timedelta(days=60), deadline=today + dt.timedelta(days=(i % 40) - 5),
                    frame_minutes=60 * (10 + i % 50), created_by=users[0], created_at=at - dt.timedelta(days=60))
                session.add(project)
                session.flush()
                ids.append(project.id)
        rows: dict[type, list[dict[str, Any]]] = {ProgressLog: [], Task: [], Goal: [], HistoryEntry: []}
        for n, pid in enumerate(ids):
            for d in range(0 if n % 4 else 10, 20, 2):  # every fourth project: nothing this week
                rows[ProgressLog].append(dict(
                    team_id=team_id, project_id=pid, user_id=users[(n + d) % len(users)], minutes=30 + 15 * d,
                    description="", percent=(d * 7) % 100 if d % 4 == 0 else None,
                    logged_on=today - dt.timedelta(days=d), created_at=at - dt.timedelta(days=d)))
            for k in range(6):
                title = (f"{NASTY}Oppgave {k} " + "ordentligLangtOrd " * 8) if long_text else f"Oppgave {k}"
                rows[Task].append(dict(team_id=team_id, project_id=pid, title=title[:300],
                                       owner_user_id=users[k % len(users)],
                                       deadline=today + dt.timedelta(days=k * 3 - 6), created_by=users[0],
                                       created_at=at - dt.timedelta(days=30)))
            for k in range(5):
                title = (f"{NASTY}Mål {k} " + "konvertering " * 12) if long_text else f"Mål {k}"
                rows[Goal].append(dict(team_id=team_id, project_id=pid, title=title[:300], title_key=f"g{k}",
                                       target_value=1000.0 * (k + 1), current_value=420.5 * k,
                                       created_at=at, updated_at=at))
        for model, values in rows.items():
            if values:
                session.execute(insert(model), values)
    return ids

