"""A gene nobody has drawn yet gets its first portrait when its card is asked for.

Drawing is the studio's job, and the studio is downstream of this app (it hands its images
here), so the card endpoint cannot import it: the studio registers its drawer when the apps are
ready (``StudioConfig.ready``). Without a studio, or with ``ICONOPLASM_FIRST_PORTRAIT_ON_DEMAND``
off, cards keep the colour block until the backfill draws the gene.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from backend.common.change_feed import forget_kept_stamps

from .models import Portrait

_drawer: dict[str, Callable[[int], Portrait | None]] = {}


def register_first_portrait_drawer(draw: Callable[[int], Portrait | None]) -> None:
    _drawer["draw"] = draw


def first_portrait_on_demand(gene_id: int) -> Portrait | None:
    """The gene's first portrait, drawn now if a drawer is registered (None: nothing new)."""
    draw = _drawer.get("draw")
    if draw is None or not settings.ICONOPLASM_FIRST_PORTRAIT_ON_DEMAND:
        return None
    portrait = draw(gene_id)
    if portrait is not None:
        # The card is read again at once: it must not wait for the change feed to hear the new portrait.
        forget_kept_stamps()
    return portrait
