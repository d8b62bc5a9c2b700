"""Validate data read from YAML against typed models: every problem names its key, what was
expected, what arrived, and its file and line."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import PublishError, warn
from pipeline.project.yaml_reader import Loc

M = typing.TypeVar("M", bound="Model")


class Model(BaseModel):
    """Base of every config and front matter model: frozen, unknown keys kept so we can warn."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)


def validate(model: type[M], data: Any, path: Path, lines: dict[Loc, int], what: str) -> M:
    """Build `model` from `data`; the first problem becomes a PublishError naming key and line."""
    data = _mapping(data, path, lines, what)
    try:
        result = model.model_validate(data)
    except ValidationError as error:
        raise _problems(error, path, lines, what)[0] from error
    for problem in unknown_key_problems(model, data, path, lines, what):
        warn(problem.message, path, problem.line)
    return result


def validation_problems(
    model: type[BaseModel], data: Any, path: Path, lines: dict[Loc, int], what: str
) -> list[PublishError]:
    """Every problem of `data` against `model`, each naming its key and line."""
    try:
        model.model_validate(_mapping(data, path, lines, what))
    except PublishError as problem:
        return [problem]
    except ValidationError as error:
        return _problems(error, path, lines, what)
    return []


def _mapping(data: Any, path: Path, lines: dict[Loc, int], what: str) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PublishError(
            f"{what} must be a mapping of keys to values, got {_kind(data)}", path, lines.get(())
        )
    return data


def _problems(
    error: ValidationError, path: Path, lines: dict[Loc, int], what: str
) -> list[PublishError]:
    problems = [_problem(detail, path, lines, what) for detail in error.errors()]
    return list({str(problem): problem for problem in problems}.values())  # once each


def unknown_key_problems(
    model: type[BaseModel], data: Any, path: Path, lines: dict[Loc, int], what: str
) -> list[PublishError]:
    """A warning for each key of `data` that `model` does not declare."""
    return [
        PublishError(
            f"unknown key '{_dotted(loc)}' in {what} (ignored; check its spelling)",
            path,
            _line_of(loc, lines),
        )
        for loc in unknown_keys(model, data)
    ]


def _problem(problem: Any, path: Path, lines: dict[Loc, int], what: str) -> PublishError:
    loc = tuple(part for part in problem["loc"] if not str(part).startswith("function-"))
    key = _dotted(loc)
    if problem["type"] == "missing":
        return PublishError(
            f"{what} is missing the required key '{key}'",
            path,
            _line_of(loc[:-1], lines) or lines.get(()),
            f"Add '{loc[-1]}:' with a value",
        )
    message = problem["msg"]
    message = message[0].lower() + message[1:]
    message = message.removeprefix("value error, ")
    if not loc:  # a rule about several keys together
        return PublishError(f"{what}: {message}", path, lines.get(()))
    return PublishError(
        f"'{key}' in {what}: {message}, got {_shown(problem['input'])}", path, _line_of(loc, lines)
    )


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc)


def unknown_keys(model: type[BaseModel], data: Any, loc: Loc = ()) -> list[Loc]:
    """Keys of `data` that `model` does not declare, at any depth."""
    if not isinstance(data, dict):
        return []
    found = []
    fields = model.model_fields
    names = {field.alias or name: name for name, field in fields.items()}
    for key, value in data.items():
        if key not in names:
            found.append((*loc, key))
            continue
        inner = _model_in(fields[names[key]].annotation)
        if inner is None:
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = (*loc, key, index) if isinstance(value, list) else (*loc, key)
            found.extend(unknown_keys(inner, item, where))
    return found


def model_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key `model` reads, dotted, at every depth: `site`, `site.name`... (for the docs)."""
    found = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{field.alias or name}"
        found.append(key)
        inner = _model_in(field.annotation)
        if inner is not None:
            found += model_keys(inner, key + ".")
    return found


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as `Site`, `list[Hours]` or `Logo | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _kind(value: Any) -> str:
    return {
        list: "a list",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
    }.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value if not hasattr(value, "isoformat") else value.isoformat())
    return text if len(text) <= 60 else text[:57] + "..."
