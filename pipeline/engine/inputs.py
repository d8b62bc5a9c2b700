"""What an output is made from, as hashes: the article, the files it uses, publish.yml, the
layouts its channel reads, the tools and the build options. Equal hashes, equal bytes."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
from functools import cache, cached_property
from pathlib import Path

import pypandoc

from pipeline.channels import CHANNELS
from pipeline.project.config import CONFIG_NAME
from pipeline.project.folder import Project
from pipeline.project.templates import BUILTIN_LAYOUTS, within

PACKAGE = Path(__file__).resolve().parent.parent  # the pipeline package: its code is a tool
DISTRIBUTION = "publish-pipeline"
BUILTIN = "builtin:"  # how a file of the built-in layouts is named (the project's: by its path)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key(components: dict) -> str:
    """One hash for all the components of an output."""
    return digest(json.dumps(components, sort_keys=True).encode())


class Inputs:
    """The hashes of one build's inputs; each file is read at most once per build."""

    def __init__(self, project: Project, options: dict):
        self.project = project
        self.options = options
        self._files: dict[Path, str | None] = {}
        self._layouts: dict[str, dict[str, str]] = {}
        self._names: dict[str, tuple[bool, str]] = {}

    def file(self, path: Path) -> str | None:
        """The sha256 of a file's bytes, or None when there is no such file."""
        if path not in self._files:
            try:
                self._files[path] = digest(path.read_bytes())
            except OSError:
                self._files[path] = None
        return self._files[path]

    def name(self, path: Path) -> str:
        """A file as the cache names it: by its path in the project, or in the built-in layouts."""
        if path.is_relative_to(self.project.root):
            return path.relative_to(self.project.root).as_posix()
        if path.is_relative_to(BUILTIN_LAYOUTS):
            return BUILTIN + path.relative_to(BUILTIN_LAYOUTS).as_posix()
        return path.as_posix()

    def path(self, name: str) -> Path:
        if name.startswith(BUILTIN):
            return BUILTIN_LAYOUTS / name.removeprefix(BUILTIN)
        return self.project.root / name  # an absolute name stays itself

    def layouts(self, channel: str) -> dict[str, str]:
        """Every file below the layout folders the channel declares, in every layout folder
        (so a new file overriding a built-in one counts too)."""
        if channel not in self._layouts:
            found: dict[str, str] = {}
            for folder in self.project.layout_dirs:
                for prefix in CHANNELS[channel].layouts:
                    base = folder / prefix
                    files = [base] if base.is_file() else sorted(base.rglob("*"))
                    for file in files:
                        if file.is_file() and within(file, folder):
                            found[self.name(file)] = self.file(file) or ""
            self._layouts[channel] = found
        return self._layouts[channel]

    @cached_property
    def project_key(self) -> str:
        """Changes when publish.yml or any layout does (a worker then loads the project again)."""
        every = {name: self.layouts(name) for name in self.project.channels}
        return key({"config": self.file(self.project.root / CONFIG_NAME), "layouts": every})

    def components(self, channel: str, used: list[str], source: Path | None = None) -> dict:
        """The hashes an output of `channel` depends on; `used` names the files its last render
        read (images, fonts, filters), whichever folder they are in."""
        layouts = dict(self.layouts(channel))
        files: dict[str, str | None] = {}
        for name in used:
            layout, sha = self._named(name)
            target = layouts if layout or name in layouts else files
            target[name] = sha
        found = {
            "config": self.file(self.project.root / CONFIG_NAME),
            "layouts": layouts,
            "files": files,
            "tools": tools(),
            "options": self.options,
        }
        if source is not None:
            found["article"] = self.file(source)
        return found

    def _named(self, name: str) -> tuple[bool, str]:
        """Whether the file named `name` is a layout, and its hash ("" when there is none):
        worked out once a build, as most articles name the same fonts, filters and layouts."""
        if name not in self._names:
            path = self.path(name)
            layout = name.startswith(BUILTIN) or any(
                path.is_relative_to(folder) for folder in self.project.layout_dirs
            )
            self._names[name] = (layout, self.file(path) or "")
        return self._names[name]


def layout_name(name: str, project: Project) -> str:
    """A layout file as a person names it: its path inside its layouts folder."""
    if name.startswith(BUILTIN):
        return name.removeprefix(BUILTIN)
    for folder in project.layout_dirs:
        if (project.root / name).is_relative_to(folder):
            return (project.root / name).relative_to(folder).as_posix()
    return name


def versions() -> dict[str, str]:
    """The versions of publish, pandoc and WeasyPrint, for `publish --version`."""
    return {
        "publish": importlib.metadata.version(DISTRIBUTION),
        "pandoc": pypandoc.get_pandoc_version(),
        "WeasyPrint": importlib.metadata.version("weasyprint"),
    }


@cache
def tools() -> dict[str, str]:
    """The versions of everything that makes the bytes: publish (its code, so an edit counts
    too), pandoc, WeasyPrint and every Python package publish runs on."""
    code = sorted(
        path
        for path in PACKAGE.rglob("*")
        if path.suffix in (".py", ".lua")
        and path.is_file()
        and path.relative_to(PACKAGE).parts[0] != "layouts"
    )
    pandoc = Path(pypandoc.get_pandoc_path()).resolve()
    stat = pandoc.stat()
    publish = importlib.metadata.version(DISTRIBUTION)
    return {
        "publish": f"{publish}+{digest(b''.join(path.read_bytes() for path in code))[:12]}",
        "pandoc": f"{pandoc}:{stat.st_size}:{stat.st_mtime_ns}",
        "WeasyPrint": importlib.metadata.version("weasyprint"),
        "Python packages": digest("\n".join(dependencies(DISTRIBUTION)).encode())[:12],
    }


def dependencies(name: str) -> list[str]:
    """'name==version' of every package `name` needs, and of the packages they need."""
    installed = _installed()
    found: dict[str, str] = {}
    waiting = [name]
    while waiting:
        _, needs = installed.get(_normal(waiting.pop()), ("", []))
        for requirement in needs:
            if "extra ==" in requirement:
                continue  # optional: tests, documentation...
            wanted = re.match(r"[A-Za-z0-9._-]+", requirement)[0].lower().replace("_", "-")
            if wanted not in found and _normal(wanted) in installed:
                found[wanted] = installed[_normal(wanted)][0]
                waiting.append(wanted)
    return sorted(f"{package}=={version}" for package, version in found.items())


def _installed() -> dict[str, tuple[str, list[str]]]:
    """Each installed distribution's version and requirements, by normalised name. Read from
    the headers of its METADATA: importlib.metadata parses every header of every file with
    the email package, which took 25 ms of each build; this takes 10."""
    installed: dict[str, tuple[str, list[str]]] = {}
    for distribution in importlib.metadata.distributions():
        text = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO") or ""
        headers = re.findall(r"^(Name|Version|Requires-Dist): *(.*?) *$", text, re.M)
        name = next((value for header, value in headers if header == "Name"), "")
        version = next((value for header, value in headers if header == "Version"), "")
        needs = [value for header, value in headers if header == "Requires-Dist"]
        installed.setdefault(_normal(name), (version, needs))  # the first on sys.path wins
    return installed


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
