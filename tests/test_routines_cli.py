"""`prosjektbot routines import FILE` / `export NAME`, as an operator runs them: a round trip through a file, and a
bad file answered with its line and field, exit code 2, nothing imported."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import create_engine, func, select

from bot.domain.routines import builtin_routines, dump_routine, load_routine
from storage.db import upgrade
from storage.models import RoutineRow, Workspace
from tests.test_cli import CLI, env


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "routines", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env=env(DATABASE_URL=f"sqlite:///{tmp_path}/ops.db"))


def test_import_then_export_round_trips_a_routine_as_a_new_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ops.db"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(Workspace.__table__.insert(), {"team_id": "T0OPS", "language": "nb", "timezone": "Europe/Oslo",
                                                    "last_project_number": 0})
    seo = builtin_routines()["seo-oppstart"]
    changed = seo.model_copy(update={"title": "SEO-oppstart (byrå)"})
    (tmp_path / "seo.yaml").write_text(dump_routine(changed), encoding="utf-8")
    first = run(tmp_path, "import", "seo.yaml")
    assert first.returncode == 0, first.stderr
    assert "imported seo-oppstart v1 (15 steps) into T0OPS" in first.stdout
    assert "v2" in run(tmp_path, "import", "seo.yaml", "--team", "T0OPS").stdout
    exported = run(tmp_path, "export", "seo-oppstart")
    assert exported.returncode == 0, exported.stderr
    back = load_routine(exported.stdout)
    assert back.title == "SEO-oppstart (byrå)" and back.version == 2 and back.steps == seo.steps
    builtin = run(tmp_path, "export", "ny-nettside")  # a built-in the workspace has no copy of
    assert load_routine(builtin.stdout) == builtin_routines()["ny-nettside"]
    unknown = run(tmp_path, "export", "finnes-ikke")
    assert unknown.returncode == 2 and "no routine 'finnes-ikke'" in unknown.stderr
    engine.dispose()


def test_a_bad_file_names_its_line_and_field_exits_2_and_imports_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ops.db"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(Workspace.__table__.insert(), {"team_id": "T0OPS", "language": "nb", "timezone": "Europe/Oslo",
                                                    "last_project_number": 0})
    text = dump_routine(builtin_routines()["seo-oppstart"]).replace("date: start+5", "date: start pluss 5", 1)
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "start pluss 5" in row)
    done = run(tmp_path, "import", "bad.yaml")
    assert done.returncode == 2
    assert f"bad.yaml: Line {line} (steps[5].date): Couldn't read the date rule “start pluss 5”" in done.stderr
    assert "Nothing was imported." in done.stderr
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RoutineRow)).scalar_one() == 0
    engine.dispose()


def test_with_several_workspaces_import_needs_team_and_export_without_one_gives_the_builtin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ops.db"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        for team in ("T0OPS", "T1OPS"):
            conn.execute(Workspace.__table__.insert(), {"team_id": team, "language": "nb", "timezone": "Europe/Oslo",
                                                        "last_project_number": 0})
    seo = builtin_routines()["seo-oppstart"]
    (tmp_path / "seo.yaml").write_text(dump_routine(seo.model_copy(update={"title": "Egen SEO"})), encoding="utf-8")
    unnamed = run(tmp_path, "import", "seo.yaml")
    assert unnamed.returncode == 2
    assert "give --team T: the database has 2 workspaces (T0OPS, T1OPS)" in unnamed.stderr
    unknown = run(tmp_path, "import", "seo.yaml", "--team", "T9")
    assert unknown.returncode == 2 and "no workspace T9 in the database (workspaces: T0OPS, T1OPS)" in unknown.stderr
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(RoutineRow)) == 0
    assert run(tmp_path, "import", "seo.yaml", "--team", "T1OPS").returncode == 0
    assert load_routine(run(tmp_path, "export", "seo-oppstart", "--team", "T1OPS").stdout).title == "Egen SEO"
    assert load_routine(run(tmp_path, "export", "seo-oppstart").stdout) == seo  # no --team: the built-in
    assert run(tmp_path, "export", "seo-oppstart", "--team", "T9").returncode == 2
    engine.dispose()
