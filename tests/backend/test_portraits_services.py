"""Services of the portraits app: votes (also under real concurrency), the canonical rule, transfer, moderation."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image

from backend.portraits import canonical, loading, selectors, services
from backend.portraits.models import Canonical, CanonicalChange, Emulsion, Portrait, Vote
from backend.studio import copies

from .factories import make_emulsion, make_gene, make_portrait, make_users, png_bytes

# ---------------------------------------------------------------- helpers


def votes(users, portrait, value=1):
    for user in users:
        services.vote(user, portrait.pk, value)
    portrait.refresh_from_db()
    return portrait


def canonical_of(gene):
    return Canonical.objects.get(gene=gene).portrait


# ---------------------------------------------------------------- votes


@pytest.mark.django_db
def test_vote_up_down_and_clear_keeps_totals_exact():
    gene = make_gene("TP53")
    portrait = make_portrait(gene)
    alice, bob = make_users(2)
    services.vote(alice, portrait.pk, 1)
    result = services.vote(bob, portrait.pk, -1).portrait
    assert (result.score, result.votes_count) == (0, 2)
    result = services.vote(bob, portrait.pk, 1).portrait  # one vote per user: changing replaces it
    assert (result.score, result.votes_count) == (2, 2)
    assert Vote.objects.filter(portrait=portrait).count() == 2
    result = services.vote(alice, portrait.pk, 0).portrait  # 0 clears
    assert (result.score, result.votes_count) == (1, 1)
    services.vote(alice, portrait.pk, 0)  # clearing twice is harmless
    portrait.refresh_from_db()
    assert (portrait.score, portrait.votes_count) == (1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [2, -2, "1", None, True, 0.5])
def test_vote_rejects_other_values(value):
    portrait = make_portrait(make_gene("TP53"))
    (user,) = make_users(1)
    with pytest.raises(ValidationError):
        services.vote(user, portrait.pk, value)
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_vote_on_a_portrait_out_of_public_view_is_refused_and_writes_nothing():
    gene = make_gene("TP53")
    hidden = make_portrait(gene, hidden=True)
    of_blocked = make_portrait(gene, emulsion=make_emulsion("E0009", blocked=True))
    (user,) = make_users(1)
    for portrait in (hidden, of_blocked):
        with pytest.raises(Portrait.DoesNotExist):
            services.vote(user, portrait.pk, 1)
        portrait.refresh_from_db()
        assert (portrait.score, portrait.votes_count) == (0, 0)
    with pytest.raises(Portrait.DoesNotExist):
        services.vote(user, 999_999, 1)
    assert not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_from_threads_lose_nothing():
    """20 users vote at the same moment, each thread on its own database connection."""
    gene = make_gene("TP53")
    portrait = make_portrait(gene)
    users = make_users(20)
    values = [1 if i % 4 else -1 for i in range(len(users))]  # 15 up, 5 down
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def cast(user, value):
        try:
            barrier.wait()
            services.vote(user, portrait.pk, value)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(u, v)) for u, v in zip(users, values, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    portrait.refresh_from_db()
    assert Vote.objects.filter(portrait=portrait).count() == 20
    assert portrait.votes_count == 20
    assert portrait.score == sum(values) == 10

    # And again: everyone flips or clears at once.
    new_values = [0 if i % 2 else -1 for i in range(len(users))]
    barrier = threading.Barrier(len(users))
    threads = [threading.Thread(target=cast, args=(u, v)) for u, v in zip(users, new_values, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    portrait.refresh_from_db()
    assert portrait.votes_count == 10 == Vote.objects.filter(portrait=portrait).count()
    assert portrait.score == -10


# ---------------------------------------------------------------- the canonical rule


@pytest.mark.django_db
def test_first_candidate_becomes_canonical_and_is_logged():
    gene = make_gene("TP53")
    first = make_portrait(gene)
    canonical.ensure_canonical(gene)
    make_portrait(gene)
    canonical.ensure_canonical(gene)
    assert canonical_of(gene) == first
    change = CanonicalChange.objects.get(gene=gene)
    assert (change.old_portrait, change.new_portrait, change.reason) == (None, first, "first candidate")


@pytest.mark.django_db
def test_register_candidate_gives_a_gene_its_first_canonical():
    gene = make_gene("TP53")
    portrait, created = services.register_candidate(gene, png_bytes(), renderer="procedural", origin=Portrait.REQUEST)
    assert canonical_of(gene) == portrait
    assert created and services.register_candidate(gene, png_bytes(), renderer="procedural") == (portrait, False)


@pytest.mark.django_db
def test_hysteresis_one_ahead_does_not_flip_two_ahead_does():
    gene = make_gene("TP53")
    current, challenger = make_portrait(gene), make_portrait(gene)
    canonical.ensure_canonical(gene)
    users = make_users(5)
    votes(users[:3], current)  # current: +3
    votes(users[:2], challenger)  # +2, below the vote minimum
    assert canonical_of(gene) == current
    votes(users[2:4], challenger)  # +4: one ahead
    assert canonical_of(gene) == current
    votes(users[4:], challenger)  # +5: two ahead, 5 votes
    assert canonical_of(gene) == challenger
    changes = list(CanonicalChange.objects.filter(gene=gene).order_by("id"))
    assert [(c.old_portrait, c.new_portrait) for c in changes] == [(None, current), (current, challenger)]
    assert "votes" in changes[-1].reason
    # Back within the margin: no flip back (no flip-flop).
    votes(users[3:], current)  # current +5, challenger +5
    assert canonical_of(gene) == challenger
    assert CanonicalChange.objects.filter(gene=gene).count() == 2


@pytest.mark.django_db
def test_leader_needs_the_minimum_number_of_votes():
    gene = make_gene("TP53")
    current, challenger = make_portrait(gene), make_portrait(gene)
    canonical.ensure_canonical(gene)
    votes(make_users(2), challenger)  # +2 vs 0, margin met but only 2 votes
    assert canonical_of(gene) == current
    votes(make_users(1, prefix="third"), challenger)
    assert canonical_of(gene) == challenger


@pytest.mark.django_db
def test_ties_go_to_the_older_candidate():
    gene = make_gene("TP53")
    shown, older, newer = make_portrait(gene), make_portrait(gene), make_portrait(gene)
    canonical.ensure_canonical(gene)
    assert canonical_of(gene) == shown
    # Both reach the same score at once (as the totals would after concurrent votes), then the rule runs.
    Portrait.objects.filter(pk__in=[older.pk, newer.pk]).update(score=3, votes_count=3)
    canonical.update_canonical(gene)
    assert canonical_of(gene) == older


@pytest.mark.django_db
def test_pinned_portrait_never_flips_by_votes_and_pins_are_logged():
    gene = make_gene("TP53")
    pinned, challenger = make_portrait(gene), make_portrait(gene)
    (admin,) = make_users(1, prefix="admin")
    canonical.pin_canonical(pinned, changed_by=admin)
    votes(make_users(10), challenger)
    votes(make_users(5, prefix="down"), pinned, -1)
    assert canonical_of(gene) == pinned
    assert Canonical.objects.get(gene=gene).pinned
    change = CanonicalChange.objects.get(gene=gene)
    assert (change.new_portrait, change.changed_by, change.reason) == (pinned, admin, "pinned by admin")
    canonical.unpin_canonical(gene, changed_by=admin)  # the votes decide again
    assert canonical_of(gene) == challenger
    assert [c.reason.split(":")[0] for c in CanonicalChange.objects.filter(gene=gene).order_by("id")] == [
        "pinned by admin",
        "unpinned by admin",
        "votes",
    ]


@pytest.mark.django_db
def test_hiding_the_canonical_hands_over_and_is_logged():
    gene = make_gene("TP53")
    first, second, third = make_portrait(gene), make_portrait(gene), make_portrait(gene)
    canonical.ensure_canonical(gene)
    services.set_hidden([first], True)
    assert canonical_of(gene) == second  # no candidate has enough votes: the oldest public one
    votes(make_users(3), third)
    assert canonical_of(gene) == third
    services.set_hidden([second, third], True)
    assert not Canonical.objects.filter(gene=gene).exists()
    assert selectors.canonical_portrait(gene) is None
    services.set_hidden([first], False)
    assert canonical_of(gene) == first
    assert CanonicalChange.objects.filter(gene=gene).count() == 5


@pytest.mark.django_db
def test_blocked_emulsion_is_not_public():
    gene = make_gene("TP53")
    blocked = make_emulsion("E0009", blocked=True)
    make_portrait(gene, emulsion=blocked)
    shown = make_portrait(gene)
    assert list(selectors.candidates(gene)) == [shown]
    canonical.update_canonical(gene)
    assert canonical_of(gene) == shown


# ---------------------------------------------------------------- transfer


@pytest.mark.django_db
def test_transfer_copies_the_image_as_a_new_candidate():
    source_gene, target = make_gene("TP53"), make_gene("INS", name="insulin")
    emulsion = make_emulsion()
    original = make_portrait(source_gene, emulsion=emulsion)
    (user,) = make_users(1)
    copy, created = copies.transfer_portrait(original, target, user)
    assert created
    assert (copy.gene, copy.origin, copy.transferred_from, copy.created_by) == (
        target,
        Portrait.TRANSFER,
        original,
        user,
    )
    assert (copy.sha256, copy.emulsion, copy.score, copy.votes_count) == (original.sha256, emulsion, 0, 0)
    assert copy.image.name != original.image.name
    assert default_storage.exists(copy.image.name)
    with copy.image.open("rb") as new, original.image.open("rb") as old:
        assert new.read() == old.read()
    assert copy.blot and default_storage.exists(copy.blot.name)  # a blot drawn for the target gene
    assert canonical_of(target) == copy
    again, created = copies.transfer_portrait(original, target, user)
    assert (again, created) == (copy, False)
    with pytest.raises(copies.SameGeneError):
        copies.transfer_portrait(original, source_gene, user)


# ---------------------------------------------------------------- transfers and the canonical rule (issue 12, defect 10)


def transferred(target, **fields):
    """A candidate of ``target`` copied from another gene's portrait (as copies.transfer_portrait makes them)."""
    source = make_portrait(make_gene(f"SRC{Portrait.objects.count() + 1}"))
    return make_portrait(target, origin=Portrait.TRANSFER, transferred_from=source, **fields)


@pytest.mark.django_db
def test_a_drawn_candidate_is_chosen_before_an_older_transferred_one():
    gene = make_gene("INS")
    transfer = transferred(gene)
    drawn = make_portrait(gene, origin=Portrait.BACKFILL)
    assert transfer.created_at <= drawn.created_at
    assert canonical.ensure_canonical(gene)
    assert canonical_of(gene) == drawn


@pytest.mark.django_db
def test_a_transfer_is_the_card_only_until_a_candidate_is_drawn_for_the_gene():
    gene = make_gene("INS")
    transfer = transferred(gene, set_canonical=True)
    assert canonical_of(gene) == transfer  # better than no portrait at all, with a notice on the candidate
    drawn = make_portrait(gene, origin=Portrait.REQUEST, set_canonical=True)
    assert canonical_of(gene) == drawn
    change = CanonicalChange.objects.filter(gene=gene).latest("id")
    assert (change.old_portrait, change.new_portrait) == (transfer, drawn)
    assert "transferred" in change.reason
    # another drawn candidate changes nothing: the rule only ever replaces a transfer
    make_portrait(gene, origin=Portrait.BACKFILL, set_canonical=True)
    assert canonical_of(gene) == drawn


@pytest.mark.django_db
def test_votes_can_still_make_a_transfer_the_card(settings):
    settings.ICONOPLASM_CANONICAL_MIN_VOTES, settings.ICONOPLASM_CANONICAL_MARGIN = 2, 2
    gene = make_gene("INS")
    drawn = make_portrait(gene, origin=Portrait.BACKFILL, set_canonical=True)
    transfer = transferred(gene, set_canonical=True)
    assert canonical_of(gene) == drawn
    votes(make_users(2), transfer)
    assert canonical_of(gene) == transfer
    # and it stays while it leads by votes, even when more candidates are drawn
    make_portrait(gene, origin=Portrait.BACKFILL, set_canonical=True)
    canonical.update_canonical(gene)
    assert canonical_of(gene) == transfer


@pytest.mark.django_db
def test_a_pinned_transfer_stays():
    gene = make_gene("INS")
    transfer = transferred(gene)
    canonical.pin_canonical(transfer)
    make_portrait(gene, origin=Portrait.BACKFILL, set_canonical=True)
    assert canonical_of(gene) == transfer


# ---------------------------------------------------------------- emulsions and print copy


EMULSION_CSV = """emulsion_id,name,style_words,negative_words,sampler,steps,guidance,width,height,line_weight,palette,texture,finish,artists
E0001,Risograph Field Guide,"risograph print, two-ink",lowres,euler_a,28,7.0,768,1024,2.0,risograph,halftone,drawn,
E0002,Ukiyo-e Woodblock,woodblock print,blurry,ddim,30,7.5,768,1024,2.5,muted,paper,woodblock,Katsushika Hokusai
"""


@pytest.mark.django_db
def test_load_emulsions_upserts_idempotently(tmp_path):
    csv = tmp_path / "emulsions.csv"
    csv.write_text(EMULSION_CSV)
    report = loading.load_emulsions(csv)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert Emulsion.objects.get(emulsion_id="E0002").artists == "Katsushika Hokusai"
    Emulsion.objects.filter(emulsion_id="E0001").update(blocked=True)
    assert (loading.load_emulsions(csv).unchanged) == 2
    csv.write_text(EMULSION_CSV.replace("Ukiyo-e Woodblock", "Woodblock"))
    report = loading.load_emulsions(csv)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Emulsion.objects.get(emulsion_id="E0002").name == "Woodblock"
    assert Emulsion.objects.get(emulsion_id="E0001").blocked  # opt-outs survive a reload


@pytest.mark.django_db
def test_load_emulsions_command(tmp_path):
    from django.core.management import call_command

    csv = tmp_path / "emulsions.csv"
    csv.write_text(EMULSION_CSV)
    out = io.StringIO()
    call_command("load_emulsions", "--csv", str(csv), stdout=out)
    call_command("load_emulsions", "--csv", str(csv), stdout=out)
    assert "2 created" in out.getvalue() and "2 unchanged" in out.getvalue()
    assert Emulsion.objects.count() == 2


@pytest.mark.django_db
def test_print_copy_is_1536_by_2048_png():
    gene = make_gene("TP53", name="tumor protein p53")
    portrait = make_portrait(gene)
    data = copies.print_copy(portrait)
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1536, 2048))
    assert copies.print_copy(portrait) == data  # cached in storage


@pytest.mark.django_db
def test_refresh_canonicals_after_a_bulk_block():
    gene = make_gene("TP53")
    emulsion = make_emulsion("E0003")
    blocked, other = make_portrait(gene, emulsion=emulsion), make_portrait(gene)
    canonical.ensure_canonical(gene)
    assert canonical_of(gene) == blocked
    Emulsion.objects.filter(pk=emulsion.pk).update(blocked=True)  # what an artist opt-out does
    assert canonical.refresh_canonicals(Portrait.objects.filter(emulsion=emulsion)) == 1
    assert canonical_of(gene) == other
    assert canonical.refresh_canonicals() == 1
