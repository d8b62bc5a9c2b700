"""A picture on another site (a badge, a tracking pixel) is a warning naming the file and line,
in the build and in check, saying what each channel does with it: the web page and the HTML
email load it when a reader opens them; the PDFs leave it out."""

from __future__ import annotations

from conftest import article, make_project, publish

BODY = """![build](https://img.shields.io/badge/build-passing-green.svg) and the same badge again:
![build again](https://img.shields.io/badge/build-passing-green.svg)

<div class="logos"><img src="https://example.org/logo.png" alt="Logo"></div>

Text with a pixel <img src="http://t.example/p.gif" width="1" height="1" alt="Pixel">.

::: {.content-visible when-channel="print"}
![Only on paper: the PDFs fetch nothing](https://example.org/paper.png)
:::

![A local picture is no concern](media/local.png)
"""
HERO = "image: https://cdn.example/hero.jpg\nimage_alt: The clinic's front door\n"
TRACKED = (
    "whenever a reader opens the web page or the HTML email, telling that site who reads it "
    "and when"
)
TO_DO = ": save the picture in the project and show that file, or remove it"
ONLINE = f"{TRACKED}{TO_DO}"
EVERYWHERE = f"{TRACKED}, and is left out of the PDFs{TO_DO}"
WARNINGS = [  # line, address, what the warning says of it
    ("5", "https://cdn.example/hero.jpg", "loads from cdn.example " + ONLINE),
    (
        "9",
        "https://img.shields.io/badge/build-passing-green.svg",
        "loads from img.shields.io " + EVERYWHERE,
    ),
    ("12", "https://example.org/logo.png", "loads from example.org " + EVERYWHERE),
    ("14", "http://t.example/p.gif", "loads from t.example " + EVERYWHERE),
    (
        "17",
        "https://example.org/paper.png",
        "is on another site (example.org): the PDFs, which embed the project's files, leave it out"
        + TO_DO,
    ),
]


def project(tmp_path):
    from PIL import Image

    root = make_project(tmp_path, {"badges.md": article("Badges", BODY, HERO)})
    (root / "source" / "media").mkdir()
    Image.new("RGB", (40, 40), "white").save(root / "source" / "media" / "local.png")
    return root


def test_the_build_warns_once_per_remote_picture(tmp_path):
    root = project(tmp_path)
    result = publish("build", "-c", "web", "-c", "email", cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stderr == "".join(
        f"Warning: source/badges.md:{line}: image '{url}' {said}\n" for line, url, said in WARNINGS
    )
    strict = publish("build", "--strict", "-c", "web", cwd=root)
    assert strict.exit_code == 1


def test_check_says_the_same(tmp_path):
    result = publish("check", cwd=project(tmp_path))
    assert result.exit_code == 0
    assert (
        result.output
        == "".join(
            f"source/badges.md:{line}: warning: image '{url}' {said}\n"
            for line, url, said in WARNINGS
        )
        + "Checked 1 article: 0 errors, 5 warnings\n"
    )
