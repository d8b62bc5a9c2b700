"""Read YAML with the file line of every key and item, within limits (depth, values once its
aliases are written out, characters no output can carry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import PublishError
from pipeline.project.text import FORBIDDEN, unreadable

Loc = tuple[str | int, ...]

# Limits on what a YAML file may hold, counted as if its aliases were written out (a few
# hundred bytes of nested aliases otherwise stand for billions of values).
MAX_DEPTH = 32  # lists and mappings inside each other
MAX_VALUES = 10_000  # values, lists and mappings in all


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: the models parse them, with a message and a line
    (PyYAML's own date parsing raises a bare ValueError on 2026-02-30). It stops composing
    past MAX_DEPTH, before its recursion could exhaust Python's stack."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Limit(
                    f"lists and mappings nest more than {MAX_DEPTH} deep", self.peek_event()
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Limit(Exception):
    def __init__(self, message: str, at):
        super().__init__(message)
        self.message, self.mark = message, getattr(at, "start_mark", None)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML; return the data and the file line of every key and item in it."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else None
        problem = error.problem or error.context or "unreadable"
        if error.context and error.problem and error.context_mark and mark is not None:
            start = first_line + error.context_mark.line
            if start != line:
                problem = f"{problem} ({error.context} that starts on line {start})"
        hint = "Check the indentation, the colons and the quotes on that line"
        raise PublishError(f"invalid YAML: {problem}", path, line, hint) from error
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, unescaped
        line = first_line + text.count("\n", 0, error.position)
        raise PublishError(
            f"invalid YAML: the character U+{error.character:04X} is not allowed here",
            path,
            line,
            'Delete it, or write it as an escape inside double quotes ("\\u0080")',
        ) from error
    except yaml.YAMLError as error:
        raise PublishError(f"invalid YAML: {error}", path) from error
    except _Limit as limit:
        line = first_line + limit.mark.line if limit.mark else None
        raise PublishError(limit.message, path, line, LIMIT_HINT) from limit
    lines: dict[Loc, int] = {}
    if node is not None:
        _check_expanded(node, path, first_line)
        _record_lines(node, (), lines, first_line)
    return data, lines


LIMIT_HINT = "Write the values out plainly: publish reads at most 32 levels and 10,000 values"


def _check_expanded(root: yaml.Node, path: Path, first_line: int) -> None:
    """Refuse a document whose aliases, written out, nest too deep, hold too many values or
    hold themselves; or that holds text no output can carry. Each node is visited once (the
    aliases make a graph of them, walked here without recursion)."""
    sizes: dict[int, tuple[int, int]] = {}  # node -> (values, depth) once written out
    ancestors: set[int] = set()
    keys: dict[int, str] = {}  # a mapping's value -> its key, for messages
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        line = first_line + node.start_mark.line
        if finished:
            ancestors.discard(id(node))
            inner = [sizes[id(child)] for child in _children(node)]
            values = 1 + sum(size for size, _ in inner)
            depth = 1 + max((depth for _, depth in inner), default=0)
            if values > MAX_VALUES or depth > MAX_DEPTH:
                said = (
                    f"more than {MAX_VALUES:,} values"
                    if values > MAX_VALUES
                    else (f"lists and mappings more than {MAX_DEPTH} deep")
                )
                raise PublishError(f"its aliases stand for {said}", path, line, LIMIT_HINT)
            sizes[id(node)] = (values, depth)
        elif id(node) in ancestors:
            raise PublishError(
                "an alias stands for the list or mapping it is part of", path, line, LIMIT_HINT
            )
        elif id(node) not in sizes:
            _check_text(node, keys.get(id(node)), path, line)
            ancestors.add(id(node))
            stack.append((node, True))
            if isinstance(node, yaml.MappingNode):
                keys.update((id(value), str(key.value)) for key, value in node.value)
            elif isinstance(node, yaml.SequenceNode) and id(node) in keys:  # its items: its key
                keys.update((id(item), keys[id(node)]) for item in node.value)
            stack += [(child, False) for child in _children(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _check_text(node: yaml.Node, key: str | None, path: Path, line: int) -> None:
    if isinstance(node, yaml.ScalarNode) and (problem := unreadable(node.value)):
        named = f"'{FORBIDDEN.sub('?', key)}'" if key else "a value"
        raise PublishError(f"{named} {problem}", path, line, "Delete that character")


def _record_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int], first_line: int) -> None:
    lines[loc] = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*loc, key.value)
            _record_lines(value, child, lines, first_line)
            lines[child] = first_line + key.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*loc, index), lines, first_line)
