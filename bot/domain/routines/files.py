"""Routines as YAML files: read with `safe_load`'s constructor, errors pointed at their line; written back so
that reading gives the same routine. The built-in routines are files in `builtin/`, shipped as package data."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from bot.domain.routines.model import Loc, Routine, RoutineError, build_routine

__all__ = ["MAX_FILE_CHARS", "builtin_routines", "dump_routine", "load_routine"]

MAX_FILE_CHARS = 1_000_000  # 200 steps with long descriptions fit; a runaway file does not


def load_routine(text: str) -> Routine:
    """The routine in a YAML file, or a RoutineError with the `line` (from 1) and `field` that are wrong."""
    if len(text) > MAX_FILE_CHARS:
        raise RoutineError("routine.file_too_large", max=MAX_FILE_CHARS, reason="file too large")
    node, data = _parse(text)
    if node is None or not isinstance(data, dict):
        raise RoutineError("routine.not_a_routine", line=1, reason="the file is not a YAML mapping")
    return build_routine(data, locate=lambda loc: _line_of(node, loc))


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for line numbers) and its data, as `yaml.safe_load` would build it."""
    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)  # refuses control characters already
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_duplicate_keys(node)  # before constructing, which folds `<<` merges into the mapping
        return node, loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise RoutineError("routine.yaml_invalid", line=_error_line(exc, text),
                           reason=str(exc).splitlines()[0]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _error_line(exc: yaml.YAMLError, text: str) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    position = getattr(exc, "position", None)  # the reader's: characters from the start
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else None


def _refuse_duplicate_keys(root: yaml.Node) -> None:
    """YAML keeps the last of two equal keys: a second `steps:` would drop the first list without a word."""
    seen_nodes: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen_nodes:  # an alias shares its anchor's node
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):  # a mapping or list as a key: construction refuses it
                    if key.value in keys:
                        raise RoutineError("routine.duplicate_key", line=key.start_mark.line + 1, name=key.value,
                                           reason=f"the key {key.value!r} appears twice")
                    keys.add(key.value)
                todo += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            todo += node.value


def _line_of(node: yaml.Node, loc: Loc) -> int:
    """The line of the deepest node on the way to `loc`: a missing field is reported on its parent's line,
    a field (even a nested list) on its key's line, a list item on its first line."""
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            entry = next((pair for pair in node.value if getattr(pair[0], "value", None) == part), None)
            if entry is None:
                break
            line, node = entry[0].start_mark.line + 1, entry[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def dump_routine(routine: Routine) -> str:
    """The routine as a YAML file, defaults left out, `load_routine` reads it back equal."""
    data = routine.model_dump(mode="json", exclude_defaults=True)
    head = {"name": routine.name, "title": routine.title, "version": routine.version, "kind": routine.kind}
    return yaml.safe_dump({**head, **data}, allow_unicode=True, sort_keys=False, width=110)


def builtin_routines() -> dict[str, Routine]:
    """The routines that ship with Prosjektbot, by name (read-only: a workspace copies one to change it)."""
    return dict(_builtins())


@functools.cache
def _builtins() -> Mapping[str, Routine]:
    folder = resources.files(__package__ or "bot.domain.routines") / "builtin"
    routines: dict[str, Routine] = {}
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not entry.name.endswith(".yaml"):
            continue
        try:
            routine = load_routine(entry.read_text(encoding="utf-8"))
        except RoutineError as exc:  # a broken built-in is our bug: say exactly where
            raise RuntimeError(f"{entry.name} line {exc.line}, {exc.field}: {exc.key} {exc.params}") from exc
        if f"{routine.name}.yaml" != entry.name:
            raise RuntimeError(f"{entry.name} holds the routine {routine.name!r}: name the file after it")
        routines[routine.name] = routine
    return MappingProxyType(routines)
