"""Publish one Markdown article to the web, a print-ready brochure and an email newsletter.

The library's face: all that the `publish` command calls, for a script or a notebook too.

    import pipeline

    project = pipeline.load_project("path/to/project")
    report = pipeline.build(project, pipeline.BuildOptions(channels=("web",)))
    for failure in report.failures:
        print(failure)

Each name is imported when it is first used (PEP 562): a command pays only for what it runs
(WeasyPrint alone takes 0.4 s to import).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Name -> the module that defines it.
FACE = {
    "PublishError": "pipeline.errors",
    "BuildBug": "pipeline.errors",
    "display_path": "pipeline.errors",
    "plural": "pipeline.errors",
    "Project": "pipeline.project",
    "load_project": "pipeline.project",
    "init_project": "pipeline.authoring.init",
    "CHANNELS": "pipeline.channels",
    "BuildOptions": "pipeline.engine.options",
    "BuildReport": "pipeline.engine.options",
    "build": "pipeline.engine.build",
    "versions": "pipeline.engine.inputs",
    "newsletter": "pipeline.engine.newsletter",
    "send_newsletter": "pipeline.channels.email.send",
    "ServerOptions": "pipeline.channels.email.send",
    "PASSWORD_VARIABLE": "pipeline.channels.email.delivery",
    "send_to_list": "pipeline.channels.email.mailing",
    "SendOptions": "pipeline.channels.email.mailing",
    "DEFAULT_LIST": "pipeline.channels.email.subscribers",
    "import_subscribers": "pipeline.channels.email.subscribers",
    "subscriber_counts": "pipeline.channels.email.subscribers",
    "export_subscribers": "pipeline.channels.email.subscribers",
    "unsubscribe": "pipeline.channels.email.subscribers",
    "read_bounces": "pipeline.channels.email.bounces",
    "database_path": "pipeline.channels.email.database",
    "SECRET_VARIABLE": "pipeline.channels.email.tokens",
    "preflight": "pipeline.channels.print.preflight",
    "check": "pipeline.authoring.check",
    "CheckReport": "pipeline.authoring.check",
    "new_article": "pipeline.authoring.new",
    "import_document": "pipeline.authoring.importer",
    "serve": "pipeline.preview.serve",
    "publication_state": "pipeline.source.schedule",
    "today": "pipeline.source.schedule",
}

__all__ = ["__version__", *FACE]


def __getattr__(name: str):
    if name not in FACE:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(FACE[name]), name)
    globals()[name] = value  # imported once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
