"""A problem found in an article or the config: how bad, what, where, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PublishError, display_path, where_text

# ERROR fails the article (and `publish check`); WARNING is told (and fails under --strict);
# NOTE says what publish did for the writer, and fails nothing.
ERROR, WARNING, NOTE = "error", "warning", "note"


@dataclass(frozen=True)
class Problem:
    severity: str  # ERROR, WARNING or NOTE
    message: str
    path: Path | None = None
    line: int | None = None
    hint: str | None = None

    @classmethod
    def of(cls, error: PublishError, severity: str = ERROR) -> Problem:
        path = Path(error.path) if error.path else None
        return cls(severity, error.message, path, error.line, error.hint)

    def text(self) -> str:
        where = where_text(self.path, self.line)
        said = f"{self.severity}: {self.message}" + (f". {self.hint}" if self.hint else "")
        return f"{where}: {said}" if where else said

    def error(self) -> PublishError:
        """The problem as the exception a build stops at."""
        return PublishError(self.message, self.path, self.line, self.hint)

    def as_json(self) -> dict:
        return {
            "file": display_path(self.path) if self.path else None,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


def errors(problems: list[PublishError]) -> list[Problem]:
    return [Problem.of(problem) for problem in problems]


def warnings(problems: list[PublishError]) -> list[Problem]:
    return [Problem.of(problem, WARNING) for problem in problems]
