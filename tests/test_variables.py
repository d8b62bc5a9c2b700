"""Variables: publish.yml and front matter values in the body of every channel, never code."""

from __future__ import annotations

import subprocess

import pytest
from conftest import article, make_project, publish

BODY = """\
Call {{< var organization.name >}} in {{< var organization.address.locality >}}.

## About {{< meta title >}}

Written on {{< meta date >}} ({{< meta slug >}}, subject: {{< meta subject >}}).
Tags: {{< meta tags >}}. Open {{< var organization.hours.0.opens >}}.

Visit <{{< var site.base_url >}}> or [the site]({{< var site.base_url >}}about/).

Code keeps it as written: `{{< var organization.name >}}`.

```
{{< var organization.name >}}
```

Jinja stays text: {{ site.name }} {% if true %}yes{% endif %} {# note #}.

Shown as written: {{{< var organization.name >}}}.
"""
# A name full of Markdown: a variable's value is text, never markup.
NAME = "Dr. *Pain* & [Co] <b>_Ltd_</b> #1"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(
        tmp_path_factory.mktemp("variables"),
        {"vars.md": article(title="Our Clinic", body=BODY, extra="tags: [pain, care]\n")},
    )
    config = (root / "publish.yml").read_text()
    (root / "publish.yml").write_text(
        config.replace(
            "organization:\n  name: Albany Ketamine Infusions", f'organization:\n  name: "{NAME}"'
        )
    )
    result = publish("build", "--strict", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "output"


def test_web_page_shows_the_values_as_text(built):
    page = (built / "web" / "vars" / "index.html").read_text()
    body = " ".join(page.split('<div class="article-body">')[1].split("</article>")[0].split())
    name = "Dr. *Pain* &amp; [Co] &lt;b&gt;_Ltd_&lt;/b&gt; #1"
    assert f"<p>Call {name} in Albany.</p>" in body
    assert '<h2 id="about-our-clinic">About Our Clinic</h2>' in body
    assert "Written on 2026-01-15 (vars, subject: Our Clinic)." in body
    assert "Tags: pain, care. Open 09:00." in body
    assert '<a href="https://albanyketamine.example/"' in body
    assert '<a href="https://albanyketamine.example/about/">the site</a>' in body
    assert f"<code>{name}</code>" in body
    assert f"<pre><code>{name}</code></pre>" in body
    assert "Jinja stays text: {{ site.name }} {% if true %}yes{% endif %} {# note #}." in body
    assert "Shown as written: {{&lt; var organization.name &gt;}}." in body


def test_email_shows_the_same_values(built):
    text = " ".join((built / "email" / "vars.txt").read_text().split())
    assert f"Call {NAME} in Albany." in text
    assert "About Our Clinic" in text
    assert "Jinja stays text: {{ site.name }} {% if true %}yes{% endif %} {# note #}." in text
    assert "Shown as written: {{< var organization.name >}}." in text


def test_brochure_shows_the_same_values(built):
    pdf = built / "print" / "vars.pdf"
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    assert "About Our Clinic" in text
    assert "Written on 2026-01-15" in " ".join(text.split())


@pytest.mark.parametrize(
    "shortcode, message",
    [
        (
            "{{< var organization.nme >}}",
            "unknown variable 'organization.nme': publish.yml has no such key. "
            "Keys under 'organization': address, email, hours, name, phone, url",
        ),
        (
            "{{< var sitee.name >}}",
            "unknown variable 'sitee.name': publish.yml has no such key. Keys at the top: "
            "bibliography, brand, build, csl, disclaimer, email, organization, print, site, web",
        ),
        (
            "{{< meta titel >}}",
            "unknown variable 'titel': the front matter has no such key. Keys at the top: "
            "date, lang, slug, subject, summary, title",
        ),
        (
            "{{< var organization.address >}}",
            "variable 'organization.address' is a group of keys in publish.yml, not one value. "
            "Name one of them: organization.address.country, organization.address.locality, "
            "organization.address.postal_code, organization.address.region, "
            "organization.address.street",
        ),
        (
            "{{< var organization.phone >}}",
            "variable 'organization.phone' has no value in publish.yml. "
            "Give it one there, or take it out",
        ),
        (
            "{{< include other.md >}}",  # an include inside a sentence (includes.py)
            "an include must stand alone on its line. Put {{< include FILE >}} on a line of "
            "its own, with nothing else on it",
        ),
        (
            "{{< recipient email >}}",
            "'{{< recipient email >}}' is not a recipient field. Write {{< recipient name >}}, "
            'or {{< recipient name fallback="friend" >}} to choose what readers without a name '
            "on the list see",
        ),
    ],
)
def test_an_unknown_key_names_the_key_the_article_and_the_line(tmp_path, shortcode, message):
    body = f"First paragraph.\n\nSecond, with {shortcode} in it.\n"
    root = make_project(tmp_path, {"unknown.md": article(body=body)})
    result = publish("build", "--channel", "email", cwd=root)
    assert result.exit_code == 1
    assert result.stderr == f"Error: source/unknown.md:9: {message}\n"
