"""The compose/edit form of a cast; its sides are typed as text, one side per line (the rules live in services)."""

from __future__ import annotations

import re

from django import forms

from pipeline.casts import SideSpec

from .models import Cast
from .services import MAX_DESCRIPTION, MAX_GENES, MAX_SIDES, MAX_TITLE

# Gene names on a side line are separated by commas, semicolons or spaces.
NAME_SEPARATORS = re.compile(r"[\s,;]+")
SIDES_HELP = (
    "One side per line: the side's name, a colon, then its genes separated by commas or spaces, e.g. "
    "“self-destruct first: TP53, BAX, BBC3”. Aliases are fine; a family range like WNT1..WNT11 adds every "
    f"gene in it. At most {MAX_SIDES} sides and {MAX_GENES} genes."
)
# A typed cast is at most this long (60 names and 12 side names fit many times over).
MAX_SIDES_TEXT = 8000


def parse_sides(text: str) -> list[SideSpec]:
    """``name: GENE1, GENE2`` per line as sides; ValidationError naming each line without a colon."""
    sides, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, colon, genes = line.partition(":")
        if not colon:
            problems.append(
                f"Line {number}: write the side's name, a colon, then its genes (e.g. “guards: TP53, MDM2”)."
            )
            continue
        sides.append(SideSpec(name.strip(), tuple(gene for gene in NAME_SEPARATORS.split(genes) if gene)))
    if problems:
        raise forms.ValidationError(problems)
    return sides


def sides_text(cast: Cast) -> str:
    """A cast's sides as the form writes them, so editing starts from what is stored."""
    return "\n".join(
        f"{side.name}: {', '.join(member.gene.symbol for member in side.members.select_related('gene'))}"
        for side in cast.sides.all()
    )


class CastForm(forms.Form):
    title = forms.CharField(max_length=MAX_TITLE)
    description = forms.CharField(
        max_length=MAX_DESCRIPTION, required=False, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )
    public = forms.BooleanField(required=False, label="List it on the casts page (anyone with the link can view it)")
    sides = forms.CharField(
        max_length=MAX_SIDES_TEXT, widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}), help_text=SIDES_HELP
    )

    def clean_sides(self) -> list[SideSpec]:
        return parse_sides(self.cleaned_data["sides"])

    @classmethod
    def for_cast(cls, cast: Cast) -> CastForm:
        return cls(
            initial={
                "title": cast.title,
                "description": cast.description,
                "public": cast.public,
                "sides": sides_text(cast),
            }
        )
