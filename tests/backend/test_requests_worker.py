"""The render worker: claim → render → register, retries, dead workers, and concurrent claims."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from backend.portraits.models import Portrait
from backend.studio import services
from backend.studio.models import GenerationRequest
from backend.studio.services import request_claim_next, request_process, run_worker
from pipeline.render.portrait import Renderer

from .factories import make_emulsion, make_gene, make_user
from .fakes import FakeRenderer


def queue(count: int = 1, symbol: str = "TP53"):
    gene, emulsion, user = make_gene(symbol), make_emulsion("E0042"), make_user()
    return [GenerationRequest.objects.create(user=user, gene=gene, emulsion=emulsion) for _ in range(count)]


@pytest.mark.django_db
def test_worker_renders_registers_and_marks_done():
    [request] = queue()
    fake = FakeRenderer()
    assert run_worker(worker_id="w1", renderer=fake.renderer(), once=True) == 1
    request.refresh_from_db()
    assert request.status == GenerationRequest.DONE and request.attempts == 1 and request.finished_at is not None
    assert request.claimed_by == "w1" and request.error == ""
    portrait = request.portrait
    assert portrait.origin == Portrait.REQUEST and portrait.created_by == request.user
    assert (portrait.renderer, portrait.model, portrait.emulsion.emulsion_id) == ("procedural", "fake-1", "E0042")
    assert portrait.prompt == "a stern guardian, silver armour, risograph print, two inks"
    assert portrait.seed == fake.calls[0][2] and (portrait.width, portrait.height) == (48, 64)
    assert portrait.image and portrait.blot
    # the queue is empty now
    assert run_worker(worker_id="w1", renderer=fake.renderer(), once=True) == 0


@pytest.mark.django_db
def test_a_failure_requeues_until_attempts_run_out(settings):
    settings.ICONOPLASM_MAX_ATTEMPTS = 2
    [request] = queue()
    fake = FakeRenderer(fail=5)
    claim = request_claim_next(worker_id="w1")
    assert request_process(claim, renderer=fake.renderer()) is None
    request.refresh_from_db()
    assert (request.status, request.attempts, request.claimed_by) == ("queued", 1, "")
    assert "renderer exploded" in request.error
    run_worker(worker_id="w1", renderer=fake.renderer(), once=True)
    request.refresh_from_db()
    assert (request.status, request.attempts) == ("failed", 2)
    assert request.error == "RuntimeError: renderer exploded" and request.finished_at is not None
    assert Portrait.objects.count() == 0
    assert run_worker(worker_id="w1", renderer=fake.renderer(), once=True) == 0  # failed stays failed


@pytest.mark.django_db
def test_a_renderer_that_returns_no_image_fails_the_attempt(settings):
    settings.ICONOPLASM_MAX_ATTEMPTS = 1
    [request] = queue()
    renderer = Renderer(name="procedural", model="broken", draw=lambda jobs, prompts: [b"not an image"])
    run_worker(worker_id="w1", renderer=renderer, once=True)
    request.refresh_from_db()
    assert request.status == "failed" and "not a readable image" in request.error
    assert Portrait.objects.count() == 0


@pytest.mark.django_db
def test_an_emulsion_withdrawn_while_queued_fails_without_rendering():
    [request] = queue()
    request.emulsion.blocked = True
    request.emulsion.save()
    fake = FakeRenderer()
    run_worker(worker_id="w1", renderer=fake.renderer(), once=True)
    request.refresh_from_db()
    assert (request.status, request.attempts) == ("failed", 1) and "withdrawn" in request.error
    assert fake.calls == [] and Portrait.objects.count() == 0


@pytest.mark.django_db
def test_a_dead_workers_claim_is_retried_and_finishes_exactly_once(settings):
    settings.ICONOPLASM_CLAIM_TIMEOUT_S = 60
    [request] = queue()
    fake = FakeRenderer()
    dead = request_claim_next(worker_id="dead")  # claims, then "dies" without finishing
    assert dead.attempt == 1
    # Before the timeout nobody else may take it.
    assert run_worker(worker_id="w2", renderer=fake.renderer(), once=True) == 0
    GenerationRequest.objects.filter(pk=request.pk).update(claimed_at=timezone.now() - dt.timedelta(seconds=61))
    assert run_worker(worker_id="w2", renderer=fake.renderer(), once=True) == 1
    request.refresh_from_db()
    assert (request.status, request.attempts, request.claimed_by) == ("done", 2, "w2")
    # The presumed-dead worker wakes up and tries to finish: its claim is gone, nothing is registered.
    assert request_process(dead, renderer=FakeRenderer().renderer()) is None
    assert services.request_fail(dead, "late") is None
    request.refresh_from_db()
    assert (request.status, request.attempts, request.error) == ("done", 2, "")
    assert Portrait.objects.count() == 1 and request.portrait is not None


@pytest.mark.django_db
def test_a_timed_out_claim_on_the_last_attempt_fails(settings):
    settings.ICONOPLASM_MAX_ATTEMPTS = 1
    settings.ICONOPLASM_CLAIM_TIMEOUT_S = 60
    [request] = queue()
    request_claim_next(worker_id="dead")
    later = timezone.now() + dt.timedelta(seconds=61)
    assert request_claim_next(worker_id="w2", now=later) is None
    request.refresh_from_db()
    assert request.status == "failed" and "did not finish within 60 s" in request.error


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_claim_the_same_job():
    jobs = queue(12)
    workers = 4
    barrier = threading.Barrier(workers)
    claims: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(name: str):
        mine = claims.setdefault(name, [])
        try:
            barrier.wait()
            while True:
                claim = request_claim_next(worker_id=name)
                if claim is None:
                    break
                mine.append(claim.request_id)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    claimed = [pk for ids in claims.values() for pk in ids]
    assert sorted(claimed) == sorted(job.pk for job in jobs)  # every job once, none twice
    for job in GenerationRequest.objects.all():
        assert job.status == "running" and job.attempts == 1 and job.pk in claims[job.claimed_by]


@pytest.mark.django_db(transaction=True)
def test_concurrent_worker_loops_process_every_job_once():
    jobs = queue(8)
    fake = FakeRenderer()
    counts: list[int] = []

    def work(name: str):
        try:
            counts.append(run_worker(worker_id=name, renderer=fake.renderer(), once=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(counts) == len(jobs) == len(fake.calls)
    assert set(GenerationRequest.objects.values_list("status", "attempts")) == {("done", 1)}
    assert Portrait.objects.count() == len(jobs)


@pytest.mark.django_db
def test_render_worker_command_once(monkeypatch):
    [request] = queue()
    fake = FakeRenderer()
    monkeypatch.setattr(services, "procedural_renderer", fake.renderer)
    monkeypatch.setattr(
        "backend.studio.management.commands.render_worker.run_worker",
        lambda **kw: services.run_worker(**{**kw, "renderer": fake.renderer()}),
    )
    call_command("render_worker", "--once", "--worker-id", "cmd-1", "--poll", "0.1")
    request.refresh_from_db()
    assert (request.status, request.claimed_by) == ("done", "cmd-1")


@pytest.mark.django_db
def test_the_real_procedural_renderer_and_blot(tmp_path):
    from backend.genes.services import load_genes

    from .catalogue import write_catalogue

    load_genes(*write_catalogue(tmp_path))
    from backend.genes.models import Gene

    gene, emulsion, user = (
        Gene.objects.get(symbol="TP53"),
        make_emulsion(palette="risograph", texture="grain"),
        make_user(),
    )
    request = GenerationRequest.objects.create(user=user, gene=gene, emulsion=emulsion)
    assert run_worker(worker_id="real", once=True) == 1
    request.refresh_from_db()
    assert request.status == "done", request.error
    portrait = request.portrait
    assert portrait.renderer == "procedural" and portrait.model.startswith("procedural-")
    assert portrait.width > 0 and portrait.height > 0 and portrait.blot
    assert portrait.prompt.endswith("risograph print, two inks")


@pytest.mark.django_db
def test_timed_out_claims_free_is_claimed_again_byok_is_failed(settings):
    settings.ICONOPLASM_CLAIM_TIMEOUT_S = 60
    [free] = queue()
    byok = GenerationRequest.objects.create(user=free.user, gene=free.gene, emulsion=None, kind=GenerationRequest.BYOK)
    assert {request_claim_next(worker_id="dead").request_id for _ in range(2)} == {free.pk, byok.pk}
    later = timezone.now() + dt.timedelta(seconds=61)
    again = request_claim_next(worker_id="w2", now=later)
    assert again.request_id == free.pk and again.attempt == 2
    assert request_claim_next(worker_id="w2", now=later) is None
    byok.refresh_from_db()
    assert (byok.status, byok.attempts, byok.error) == ("failed", 1, services.BYOK_STOPPED)


@pytest.mark.django_db
def test_a_free_request_needs_an_emulsion():
    gene, user = make_gene(), make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        GenerationRequest.objects.create(user=user, gene=gene, emulsion=None)
    assert GenerationRequest.objects.create(user=user, gene=gene, emulsion=None, kind="byok").kind == "byok"


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_requests_free():
    executor = MigrationExecutor(connection)
    executor.migrate([("studio", "0001_initial")])
    old = executor.loader.project_state([("studio", "0001_initial")]).apps
    gene, user = make_gene(), make_user()
    emulsion = make_emulsion("E0042")
    Old = old.get_model("studio", "GenerationRequest")
    Old.objects.create(user_id=user.pk, gene_id=gene.pk, emulsion_id=emulsion.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    [request] = GenerationRequest.objects.all()
    assert (request.kind, request.emulsion) == (GenerationRequest.FREE, emulsion)
