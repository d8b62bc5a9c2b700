"""The copy's type: the settings copyfitting chooses among, within publish.yml's limits.

A setting is one step from the smallest type (every limit of `print.copyfit` at its low end)
to the largest (every limit at its high end): body size, leading, the gap between columns and
the space around headings grow together, so each step sets more readable type on more paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.project.config import Copyfit

STEPS = 7  # settings tried: 9.5 to 11 pt in quarter points, with the default limits


@dataclass(frozen=True)
class Setting:
    """One setting of the copy's type; `step` counts from 0, the smallest."""

    step: int
    body_size: float  # points
    leading: float  # times the body size
    column_gap: float  # inches
    heading_space: float  # times the layout's space around headings
    margins: float  # inches, at the sides of a booklet's copy pages

    def css(self) -> str:
        """The setting as the CSS variables the print layouts' copy is set with (common.css.j2)
        and a booklet's copy pages' margins (booklet.css.j2), as a user stylesheet: WeasyPrint
        ranks those under the document's own unless they are important."""
        return (
            f":root {{ --body-size: {self.body_size:g}pt !important; "
            f"--leading: {self.leading:g} !important; "
            f"--column-gap: {self.column_gap:g}in !important; "
            f"--heading-space: {self.heading_space:g} !important; }}\n"
            f"@page copy {{ margin: {self.page_margins} !important; }}\n"
        )

    @property
    def page_margins(self) -> str:
        """A booklet's copy page margins, top, sides and bottom: more room below, for the folio."""
        return f"{self.margins + 0.15:g}in {self.margins:g}in {self.margins + 0.2:g}in"

    def __str__(self) -> str:
        return f"{self.body_size:g} pt on {self.body_size * self.leading:.1f} pt"


def settings(limits: Copyfit) -> list[Setting]:
    """Every setting the fitting may choose, smallest type first."""
    return [_at(limits, step) for step in range(STEPS)]


def smallest(limits: Copyfit) -> Setting:
    return _at(limits, 0)


def largest(limits: Copyfit) -> Setting:
    return _at(limits, STEPS - 1)


def _at(limits: Copyfit, step: int) -> Setting:
    share = step / (STEPS - 1)

    def between(low_high: list[float], digits: int) -> float:
        low, high = low_high
        return round(low + (high - low) * share, digits)

    return Setting(
        step,
        between(limits.body_size, 3),
        between(limits.leading, 3),
        between(limits.column_gap, 3),
        between(limits.heading_space, 3),
        between(limits.margins, 3),
    )
