"""The shape of the code (docs/architecture.md): layers that import only downwards, no import cycles, small files.

Read from the source with `ast`, so an import under `TYPE_CHECKING` or inside a function counts like any other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")
# Lowest first: a module may import its own layer and the layers before it, never one after it.
LAYERS = (
    ("bot.settings",),
    ("bot.domain",),
    ("storage",),
    ("bot.slack",),
    ("bot.services",),
    ("bot.usecases",),
    ("bot.clock",),
    ("handlers",),
    ("bot.app", "bot.web", "bot.server", "bot.cli", "bot.sandbox"),
)
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """The project modules `name` imports (`from a import b` is module a.b when that is a module, else a)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up `level - 1` packages
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


GRAPH = {name: set(_imports(name, path)) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return rank
    if name in ("bot", "handlers", "storage"):
        return -1  # the packages' own __init__ files import nothing of ours
    raise AssertionError(f"{name} is in no layer: add it to LAYERS in this test and to docs/architecture.md")


def test_every_module_is_in_a_layer() -> None:
    for name in MODULES:
        _layer(name)


def test_layers_import_only_downwards() -> None:
    wrong = sorted(f"{name} -> {target}" for name, targets in GRAPH.items() for target in targets
                   if _layer(target) > _layer(name))
    assert wrong == []


def test_no_import_cycles() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)
    assert cycles == []


def test_domain_and_rendering_touch_neither_sql_nor_slack() -> None:
    """The domain is pure; rendering works from domain objects (not ORM rows) and calls no Slack API."""
    for name, targets in GRAPH.items():
        if name.startswith(("bot.domain", "bot.slack.render", "bot.slack.i18n")):
            assert not {t for t in targets if t.startswith("storage")}, name
        if name.startswith("bot.domain"):
            assert {t for t in targets if not t.startswith("bot.domain")} == set(), name
            source = MODULES[name].read_text()
            assert "sqlalchemy" not in source and "slack_sdk" not in source, name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_files_stay_small(name: str) -> None:
    assert len(MODULES[name].read_text().splitlines()) <= MAX_LINES


def test_the_checker_sees_a_cycle_and_an_upward_import() -> None:
    """The graph is read right: known edges of the real code are in it (so an empty list above means something)."""
    assert "bot.domain.health" in GRAPH["bot.usecases.projects"]
    assert "bot.usecases.effects" in {t for ts in GRAPH.values() for t in ts}
    assert _layer("bot.usecases.commands") > _layer("storage.projects") > _layer("bot.domain.errors")


@pytest.mark.parametrize("path", sorted((ROOT / "fakeslack").rglob("*.py")), ids=lambda p: p.name)
def test_the_stand_in_stays_small_and_apart_from_the_bot(path: Path) -> None:
    """fakeslack plays Slack: it imports nothing of the bot (the bot cannot tell it from Slack), in small files."""
    tree = ast.parse(path.read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level]
    assert [name for name in imported if name.split(".")[0] in PACKAGES] == []
    assert len(path.read_text().splitlines()) <= MAX_LINES
