"""`publish init`: a new organisation's project that builds as it is; nothing invented."""

from __future__ import annotations

from datetime import date

from conftest import publish

import pipeline

WROTE = (
    "wrote clinic/publish.yml\n"
    "wrote clinic/.gitignore\n"
    "wrote clinic/source/welcome-to-riverside-pain-clinic.md\n"
    "Then: cd clinic && publish build\n"
)
PLACEHOLDERS = [
    "publish.yml:12: warning: 'organization.address.street' in publish.yml is still a "
    "placeholder from publish init. Give the organisation's own value",
    "publish.yml:13: warning: 'organization.address.locality' in publish.yml is still a "
    "placeholder from publish init. Give the organisation's own value",
    "publish.yml:14: warning: 'organization.address.region' in publish.yml is still a "
    "placeholder from publish init. Give the organisation's own value",
    "publish.yml:15: warning: 'organization.address.postal_code' in publish.yml is still a "
    "placeholder from publish init. Give the organisation's own value",
    "publish.yml:29: warning: 'disclaimer' in publish.yml is still a placeholder from publish "
    "init. Give the organisation's own value",
]


def test_init_starts_a_project_that_builds_and_names_what_to_replace(tmp_path):
    result = publish("init", "clinic", "--name", "Riverside Pain Clinic", cwd=tmp_path)
    assert (result.exit_code, result.output) == (0, WROTE)
    root = tmp_path / "clinic"
    config = (root / "publish.yml").read_text()
    assert 'base_url: "https://riverside-pain-clinic.example/"' in config
    assert 'from: "Riverside Pain Clinic <newsletter@riverside-pain-clinic.example>"' in config
    assert "phone" not in config.split("# hours")[0]  # no contact data is made up
    built = publish("build", cwd=root)
    assert built.exit_code == 0, built.output
    assert (root / "output/print/welcome-to-riverside-pain-clinic.pdf").is_file()
    checked = publish("check", cwd=root)
    assert checked.exit_code == 0
    assert checked.output.splitlines()[:5] == PLACEHOLDERS


def test_init_asks_on_a_terminal_for_what_it_needs(tmp_path):
    asked = []

    def ask(question: str, default: str) -> str:
        asked.append((question, default))
        return {"Postal address: street and number": "12 River Rd."}.get(question, default)

    pipeline.init_project(tmp_path / "clinic", "Riverside Pain Clinic", ask, date(2026, 12, 1))
    assert asked[:2] == [
        ("Web address of the site", "https://riverside-pain-clinic.example/"),
        ("Postal address: street and number", "Replace this: street and number"),
    ]
    config = (tmp_path / "clinic/publish.yml").read_text()
    assert 'street: "12 River Rd."' in config
    assert 'locality: "Replace this: town or city"' in config


def test_init_never_overwrites_a_project(tmp_path):
    assert publish("init", "clinic", "--name", "A", cwd=tmp_path).exit_code == 0
    again = publish("init", "clinic", "--name", "B", cwd=tmp_path)
    assert (again.exit_code, again.output) == (
        1,
        "Error: clinic/publish.yml: already holds a project, and publish init never "
        "overwrites. Give publish init a new folder\n",
    )


def test_init_needs_a_name_when_it_cannot_ask(tmp_path):
    result = publish("init", "clinic", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.output.endswith("Error: publish init needs --name: the organisation's name\n")
