"""Generation requests: creating them, the render worker's claim → render → register cycle; and first
portraits, drawn on demand (a page or card request for a gene without one) and by the backfill, which
claim each gene so it is drawn once. All draw through :mod:`backend.studio.rendering` (the one
portrait path).

Claims are compare-and-swap UPDATEs (``WHERE id = ? AND attempts = ? AND
<claimable>``) that succeed for exactly one worker, on SQLite and PostgreSQL
alike. A claim is identified by (request, worker, attempt); only the holder of
the current claim can finish it, so a worker that was presumed dead and comes
back late cannot register a second portrait.

Bring-your-own-key requests (kind ``byok``) go through the same queue but are drawn with the
user's provider (:func:`backend.studio.byok.byok_renderer`) and get exactly one attempt: the
provider may bill every call, so any failure fails them, and a claim that timed out fails them
instead of being claimed again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from backend.common.db import retry_when_locked
from backend.genes.models import Gene
from backend.portraits.models import Emulsion, Portrait
from backend.portraits.selectors import public_portraits
from pipeline.emulsions import DEFAULT_EMULSION_ID
from pipeline.render.batch import draw_in_pool, portrait_pool
from pipeline.render.portrait import RenderedPortrait, Renderer, first_portrait_seed, render_portrait, request_seed

from .byok import ByokError, byok_renderer
from .models import FirstPortraitClaim, GenerationRequest
from .rendering import portrait_job, procedural_renderer, register_rendered
from .selectors import claimable, stale_before

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 2000
MAX_BUSY_RETRIES = 20
WITHDRAWN = "the emulsion was withdrawn (artist opt-out) before rendering"
BYOK_STOPPED = "the worker stopped during the provider call; it may have been billed; request again"


# Creating -------------------------------------------------------------------


def request_create(*, user, gene: Gene, emulsion: Emulsion) -> GenerationRequest:
    """Queue a request for a new portrait of ``gene`` in ``emulsion`` (the caller checked it is usable)."""
    return GenerationRequest.objects.create(user=user, gene=gene, emulsion=emulsion)


# Claiming -------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    request_id: int
    worker_id: str
    attempt: int


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def _held(claim: Claim):
    return GenerationRequest.objects.filter(
        pk=claim.request_id, status=GenerationRequest.RUNNING, claimed_by=claim.worker_id, attempts=claim.attempt
    )


def request_claim(request_id: int, attempts: int, *, worker_id: str, now: dt.datetime | None = None) -> Claim | None:
    """Claim one request seen with ``attempts`` claims so far; None when another worker got there first."""
    now = now or timezone.now()
    updated = retry_when_locked(
        lambda: (
            claimable(now)
            .filter(pk=request_id, attempts=attempts)
            .order_by()
            .update(
                status=GenerationRequest.RUNNING,
                attempts=F("attempts") + 1,
                claimed_by=worker_id,
                claimed_at=now,
                finished_at=None,
            )
        )
    )
    return Claim(request_id, worker_id, attempts + 1) if updated == 1 else None


def requests_expire(now: dt.datetime | None = None) -> int:
    """Fail running claims that timed out on their last allowed attempt, and every byok claim that timed
    out (its worker may have called the provider: it is not called again)."""
    now = now or timezone.now()
    stale = GenerationRequest.objects.filter(status=GenerationRequest.RUNNING, claimed_at__lt=stale_before(now))
    byok = stale.filter(kind=GenerationRequest.BYOK).update(
        status=GenerationRequest.FAILED, finished_at=now, error=BYOK_STOPPED
    )
    return byok + stale.filter(kind=GenerationRequest.FREE, attempts__gte=settings.ICONOPLASM_MAX_ATTEMPTS).update(
        status=GenerationRequest.FAILED,
        finished_at=now,
        error=f"the render worker did not finish within {settings.ICONOPLASM_CLAIM_TIMEOUT_S} s "
        f"on any of {settings.ICONOPLASM_MAX_ATTEMPTS} attempts",
    )


def request_claim_next(*, worker_id: str, now: dt.datetime | None = None, window: int = 20) -> Claim | None:
    """Claim the oldest claimable request (queued, or a timed-out free claim with attempts left)."""
    now = now or timezone.now()
    retry_when_locked(lambda: requests_expire(now))
    while True:
        candidates = retry_when_locked(lambda: list(claimable(now).values_list("pk", "attempts")[:window]))
        if not candidates:
            return None
        for request_id, attempts in candidates:
            claim = request_claim(request_id, attempts, worker_id=worker_id, now=now)
            if claim is not None:
                return claim
        # Every candidate went to other workers meanwhile: look again.


# Finishing ------------------------------------------------------------------


def request_complete(claim: Claim, rendered: RenderedPortrait) -> Portrait | None:
    """Register the portrait and mark the request done; None (nothing registered) when the claim was lost."""

    def finish() -> Portrait | None:
        with transaction.atomic():
            # Marking done first takes the row's write lock: a competing finisher waits, then matches nothing.
            if _held(claim).update(status=GenerationRequest.DONE, finished_at=timezone.now(), error="") != 1:
                return None
            request = GenerationRequest.objects.select_related("gene", "emulsion", "user").get(pk=claim.request_id)
            origin = Portrait.BYOK if request.kind == GenerationRequest.BYOK else Portrait.REQUEST
            portrait = register_rendered(
                rendered, gene=request.gene, emulsion=request.emulsion, origin=origin, created_by=request.user
            )
            GenerationRequest.objects.filter(pk=claim.request_id).update(portrait=portrait)
        return portrait

    return retry_when_locked(finish)


def request_fail(claim: Claim, error: str, *, final: bool = False) -> str | None:
    """Back to the queue, or ``failed`` once attempts reach ICONOPLASM_MAX_ATTEMPTS (or at once when
    ``final``); the new status or None if the claim was lost."""
    error = error[:ERROR_MAX_CHARS]
    if final or claim.attempt >= settings.ICONOPLASM_MAX_ATTEMPTS:
        status, fields = GenerationRequest.FAILED, {"finished_at": timezone.now()}
    else:
        status, fields = GenerationRequest.QUEUED, {"claimed_by": "", "claimed_at": None}
    return status if retry_when_locked(lambda: _held(claim).update(status=status, error=error, **fields)) == 1 else None


# Rendering ------------------------------------------------------------------

# A renderer, or a factory that builds one on first use (loading a model is slow; most runs find no work).
RendererSource = Renderer | Callable[[], Renderer]


def request_process(claim: Claim, *, renderer: RendererSource) -> Portrait | None:
    """Render, blot and register the claimed request. Any error sends a free request back to the queue
    (or fails it); any error fails a byok request, whose provider is never called a second time.

    ``renderer`` draws free requests; a byok request is drawn with its user's provider, unseeded.
    """
    byok = False
    try:
        request = retry_when_locked(
            lambda: GenerationRequest.objects.select_related("gene", "emulsion", "user").get(pk=claim.request_id)
        )
        byok = request.kind == GenerationRequest.BYOK
        if request.emulsion is not None and request.emulsion.blocked:  # withdrawn while queued: no retry
            retry_when_locked(
                lambda: _held(claim).update(
                    status=GenerationRequest.FAILED, finished_at=timezone.now(), error=WITHDRAWN
                )
            )
            return None
        if byok:
            if not retry_when_locked(lambda: _held(claim).exists()):  # the claim expired: never call the provider
                logger.warning("request %s: claim %s lost before the provider call", claim.request_id, claim.attempt)
                return None
            renderer, seed = byok_renderer(request), None
        else:
            renderer = _renderer(renderer)
            seed = request_seed(request.gene.symbol, request.emulsion.emulsion_id, request.pk)
        rendered = render_portrait(portrait_job(request.gene, request.emulsion, seed), renderer)
        portrait = request_complete(claim, rendered)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the request
        error = failure_text(exc)
        logger.warning("request %s attempt %s failed: %s", claim.request_id, claim.attempt, error)
        try:
            request_fail(claim, error, final=byok)
        except OperationalError as db_exc:  # the claim times out (free: retried; byok: failed)
            logger.error("request %s: could not record the failure: %s", claim.request_id, db_exc)
        return None
    if portrait is None:
        logger.warning("request %s: claim %s lost to another worker; result dropped", claim.request_id, claim.attempt)
    return portrait


# The worker loop ------------------------------------------------------------


class _LazyRenderer:
    """Builds the renderer on the first job, once per worker."""

    def __init__(self, factory: Callable[[], Renderer]):
        self.factory, self.renderer = factory, None

    def __call__(self) -> Renderer:
        if self.renderer is None:
            self.renderer = self.factory()
        return self.renderer


def run_worker(
    *,
    worker_id: str | None = None,
    renderer: RendererSource = procedural_renderer,
    once: bool = False,
    poll: float = 5.0,
    max_jobs: int | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Claim and process requests one at a time; with ``once``, stop when the queue is empty. Returns jobs processed."""
    worker_id = worker_id or default_worker_id()
    stop = stop or threading.Event()
    if not isinstance(renderer, Renderer):
        renderer = _LazyRenderer(renderer)
    processed = busy = 0
    while not stop.is_set() and (max_jobs is None or processed < max_jobs):
        if not connection.in_atomic_block:  # a caller's open transaction is not ours to close
            close_old_connections()
        try:
            claim = request_claim_next(worker_id=worker_id)
            busy = 0
        except OperationalError as exc:  # database locked or briefly unreachable: try again
            busy += 1
            if busy > MAX_BUSY_RETRIES:
                raise
            logger.warning("worker %s could not claim (%s); retrying", worker_id, exc)
            stop.wait(min(poll, 0.05 * busy))
            continue
        if claim is None:
            if once:
                break
            stop.wait(poll)
            continue
        logger.info("worker %s claimed request %s (attempt %s)", worker_id, claim.request_id, claim.attempt)
        request_process(claim, renderer=renderer)
        processed += 1
    return processed


# First portraits: claimed, then drawn once ----------------------------------


def first_portrait_claim(gene: Gene, *, worker_id: str, now: dt.datetime | None = None) -> bool:
    """Claim drawing ``gene``'s first portrait; False while someone else holds a claim that has not timed out.

    The claim is a row unique per gene (:class:`FirstPortraitClaim`): one INSERT wins, and a timed-out
    claim is taken over by a compare-and-swap UPDATE that succeeds for one claimant only.
    """
    now = now or timezone.now()

    def claim() -> bool:
        try:
            with transaction.atomic():
                FirstPortraitClaim.objects.create(gene=gene, claimed_by=worker_id, claimed_at=now)
            return True
        except IntegrityError:
            taken = FirstPortraitClaim.objects.filter(gene=gene, claimed_at__lt=stale_before(now))
            return taken.update(claimed_by=worker_id, claimed_at=now, error="") == 1

    return retry_when_locked(claim)


def first_portrait_release(gene: Gene, *, worker_id: str, error: str = "") -> None:
    """End a claim: gone once the portrait is registered; with ``error`` kept until it times out."""
    held = FirstPortraitClaim.objects.filter(gene=gene, claimed_by=worker_id)
    if error:
        retry_when_locked(lambda: held.update(error=error[:ERROR_MAX_CHARS]))
    else:
        retry_when_locked(held.delete)


def first_portrait_job(gene: Gene, emulsion: Emulsion):
    """The job of a gene's first portrait: the same emulsion and seed wherever and whoever draws it."""
    return portrait_job(gene, emulsion, first_portrait_seed(gene.symbol))


def first_portrait_emulsion(emulsion_id: str = DEFAULT_EMULSION_ID) -> Emulsion | None:
    """The emulsion first portraits are drawn in, unless it is unknown or withdrawn."""
    return Emulsion.objects.filter(emulsion_id=emulsion_id, blocked=False).first()


def register_first_portrait(gene: Gene, emulsion: Emulsion, rendered: RenderedPortrait, *, worker_id: str) -> Portrait:
    """Register a drawn first portrait (it becomes the canonical one) and end the claim on it."""
    portrait = retry_when_locked(
        lambda: register_rendered(rendered, gene=gene, emulsion=emulsion, origin=Portrait.BACKFILL)
    )
    first_portrait_release(gene, worker_id=worker_id)
    return portrait


def draw_first_portrait(gene: Gene, emulsion: Emulsion, renderer: Renderer, *, worker_id: str) -> Portrait | None:
    """Claim, draw and register ``gene``'s first portrait in this process; None when another holds the claim
    or has drawn it already.

    A failure is recorded on the claim (so nobody draws the gene again until it times out) and raised.
    """
    if not first_portrait_claim(gene, worker_id=worker_id):
        return None
    if Portrait.objects.filter(gene=gene, origin=Portrait.BACKFILL).exists():  # drawn while we looked
        first_portrait_release(gene, worker_id=worker_id)
        return None
    try:
        rendered = render_portrait(first_portrait_job(gene, emulsion), renderer)
    except Exception as exc:
        first_portrait_release(gene, worker_id=worker_id, error=failure_text(exc))
        raise
    return register_first_portrait(gene, emulsion, rendered, worker_id=worker_id)


# How long a page or card request waits for a first portrait another process is drawing; the
# procedural renderer takes a fraction of a second, so this is only reached when that one is stuck.
ON_DEMAND_WAIT_S = 10.0
ON_DEMAND_POLL_S = 0.05
# A gene that got no portrait on demand (its portraits hidden, its drawing failed, no emulsion) is not
# looked at again for this long: its card stays one query.
ON_DEMAND_RETRY_S = 300


def first_portrait_on_demand(gene_id: int, *, renderer: RendererSource | None = None) -> Portrait | None:
    """Give a gene that has no portrait at all its first one now, while its page or card request waits.

    Drawn in the request with the procedural renderer (a fraction of a second), claimed as the
    backfill claims it, so that concurrent requests (and the backfill) draw it once: the others wait
    for it, at most ``ON_DEMAND_WAIT_S``. A gene with any portrait, hidden ones included, is left as
    it is (moderation is not undone). Returns the new portrait, or None when there is nothing new to
    show; never raises: a failure is logged and the page or card shows the gene's colour instead.
    """
    nothing_key = f"no-first-portrait:{gene_id}"
    if cache.get(nothing_key):
        return None
    try:
        portrait = _first_portrait_now(gene_id, renderer or procedural_renderer)
    except Exception:
        logger.exception("drawing the first portrait of gene #%s on demand failed", gene_id)
        portrait = None
    if portrait is None:
        cache.set(nothing_key, True, ON_DEMAND_RETRY_S)
    return portrait


def _first_portrait_now(gene_id: int, renderer: RendererSource) -> Portrait | None:
    if Portrait.objects.filter(gene_id=gene_id).exists():
        return None
    emulsion = first_portrait_emulsion()
    if emulsion is None:
        logger.warning("no first portraits on demand: emulsion %s unknown or withdrawn", DEFAULT_EMULSION_ID)
        return None
    gene = Gene.objects.get(pk=gene_id)
    drawn = draw_first_portrait(gene, emulsion, _renderer(renderer), worker_id=default_worker_id())
    if drawn is not None:
        return drawn
    deadline = time.monotonic() + ON_DEMAND_WAIT_S
    drawing = FirstPortraitClaim.objects.filter(gene=gene, error="")
    while time.monotonic() < deadline and retry_when_locked(drawing.exists):
        time.sleep(ON_DEMAND_POLL_S)
    return Portrait.objects.filter(gene=gene).first()


def _renderer(source: RendererSource) -> Renderer:
    return source if isinstance(source, Renderer) else source()


def failure_text(exc: Exception) -> str:
    """What a failed drawing records. A ByokError's message is meant for the user (the provider's
    own, key redacted): kept as it is."""
    return exc.message if isinstance(exc, ByokError) else f"{type(exc).__name__}: {exc}"


# Backfilling portraits ------------------------------------------------------


def genes_without_portraits(first: list[str] | None = None):
    """Genes that have no public candidate drawn for them yet (a transfer shows another gene's traits):
    the ``first`` symbols, then the rest by symbol."""
    drawn = public_portraits().exclude(origin=Portrait.TRANSFER)
    missing = Gene.objects.exclude(pk__in=drawn.values("gene_id")).order_by("symbol")
    first = [symbol for symbol in (first or []) if missing.filter(symbol=symbol).exists()]
    return [*Gene.objects.filter(symbol__in=first), *missing.exclude(symbol__in=first).iterator()]


BackfillReport = Callable[[Gene, Portrait | None, Exception | None], None]


def backfill_portraits(
    *,
    renderer: RendererSource = procedural_renderer,
    emulsion_id: str = DEFAULT_EMULSION_ID,
    first: list[str] | None = None,
    limit: int | None = None,
    on_done: BackfillReport | None = None,
    workers: int = 1,
) -> int:
    """Give every gene that has none a first portrait (it becomes the canonical one), so all genes
    have a face without anyone asking. Resumable: each run starts from the genes still without one.
    A failing gene is reported through ``on_done`` and does not stop the others; a gene someone else
    is drawing (a page request, another backfill) is left to them. Returns portraits made.

    With ``workers`` > 1 the drawing runs in that many processes (``renderer`` must then be a
    factory they can import, such as ``procedural_renderer``), while this one claims the genes and
    registers what they drew.
    """
    emulsion = first_portrait_emulsion(emulsion_id)
    if emulsion is None:
        raise ValueError(f"unknown or withdrawn emulsion {emulsion_id!r}; run `manage.py load_emulsions`")
    genes = genes_without_portraits(first)
    if limit is not None:
        workers = min(workers, limit)
    if workers > 1:
        return _backfill_in_pool(genes, emulsion, renderer, workers=workers, limit=limit, on_done=on_done)
    worker_id = default_worker_id()
    made = 0
    for gene in genes:
        if limit is not None and made >= limit:
            break
        try:
            portrait = draw_first_portrait(gene, emulsion, _renderer(renderer), worker_id=worker_id)
        except Exception as exc:  # noqa: BLE001 - one gene's failure must not stop the others
            _report_failure(gene, exc, on_done)
            continue
        if portrait is not None:
            made += 1
            if on_done:
                on_done(gene, portrait, None)
    return made


def _report_failure(gene: Gene, exc: Exception, on_done: BackfillReport | None) -> None:
    logger.warning("backfill %s failed: %s: %s", gene.symbol, type(exc).__name__, exc)
    if on_done:
        on_done(gene, None, exc)


def _backfill_in_pool(
    genes: list[Gene],
    emulsion: Emulsion,
    renderer: RendererSource,
    *,
    workers: int,
    limit: int | None,
    on_done: BackfillReport | None,
) -> int:
    """:func:`backfill_portraits` with the drawing in ``workers`` processes: each gene is claimed here before
    its job is handed out (two jobs per process in flight), and registered here when it comes back."""
    worker_id = default_worker_id()
    pending = iter(genes)
    running: dict[Future, Gene] = {}
    made = 0
    with portrait_pool(renderer, workers) as pool:
        try:
            while True:
                while len(running) < 2 * workers and (limit is None or made + len(running) < limit):
                    gene = next(pending, None)
                    if gene is None:
                        break
                    if first_portrait_claim(gene, worker_id=worker_id):
                        running[pool.submit(draw_in_pool, first_portrait_job(gene, emulsion))] = gene
                if not running:
                    return made
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    gene = running.pop(future)
                    try:
                        portrait = register_first_portrait(gene, emulsion, future.result(), worker_id=worker_id)
                    except Exception as exc:  # noqa: BLE001 - one gene's failure must not stop the others
                        first_portrait_release(gene, worker_id=worker_id, error=failure_text(exc))
                        _report_failure(gene, exc, on_done)
                        continue
                    made += 1
                    if on_done:
                        on_done(gene, portrait, None)
        finally:
            for future, gene in running.items():  # stopped early (an interrupt): let others draw these
                future.cancel()
                first_portrait_release(gene, worker_id=worker_id)
