"""The cast pages: browse, a cast's line-up, composing and editing (permissions, validation, CSRF, limits)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from backend.casts.models import Cast
from backend.casts.services import MAX_GENES, MAX_SIDES, create_cast, resolve_builtin, save_builtin_cast
from backend.portraits.canonical import ensure_canonical
from backend.portraits.selectors import canonical_portrait
from pipeline.casts import CastSpec, SideSpec

from .factories import make_gene, make_portrait, make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def genes():
    """TP53 (alias p53, with a canonical portrait), MDM2 and three WNTs, each in its own colour."""
    made = {
        "TP53": make_gene("TP53", aliases=["p53"], color_hex="#aa3311", color_name="brick red", weight_kg=43.7, age=41),
        "MDM2": make_gene("MDM2", color_hex="#1155aa", faction="pro-growth"),
        **{symbol: make_gene(symbol, color_hex="#22aa55") for symbol in ("WNT1", "WNT2B", "WNT3A", "WNT16")},
    }
    make_portrait(made["TP53"])
    ensure_canonical(made["TP53"])
    return made


@pytest.fixture
def builtin(genes):
    sides = (SideSpec("guards", ("TP53",)), SideSpec("keeper", ("MDM2",)))
    cast, _ = save_builtin_cast(resolve_builtin(CastSpec("guardians", "Guardians", "p53 and its keeper.", sides)))
    return cast


@pytest.fixture
def owner():
    return make_user("owner")


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def users_cast(owner, **fields):
    values = dict(title="My cast", description="Mine.", public=True, sides=[SideSpec("guards", ("TP53", "MDM2"))])
    values.update(fields)
    return create_cast(owner, **values)


def text(response) -> str:
    return response.content.decode()


def reversible(name: str) -> bool:
    try:
        reverse(name, args=["x"])
    except NoReverseMatch:
        return False
    return True


# ---------------------------------------------------------------- browse


def test_the_list_shows_builtin_public_and_own_casts(client, builtin, owner, genes):
    mine_private = users_cast(owner, title="Private notes", public=False)
    other = make_user("other")
    shared = users_cast(other, title="Shared by other", sides=[SideSpec("signals", ("WNT1..WNT3",))])
    hidden = users_cast(other, title="Hidden by other", public=False)
    page = text(client.get("/casts/"))
    assert "Guardians" in page and "p53 and its keeper." in page and "Shared by other" in page
    assert "Private notes" not in page and hidden.title not in page
    assert "3 genes" in page and "2 genes" in page  # the WNT range: WNT1, WNT2B, WNT3A
    # Thumbnails: TP53's portrait, MDM2's colour block.
    assert canonical_portrait(genes["TP53"]).image.url in page
    assert '<span class="swatch" aria-hidden="true">MDM2</span>' in page
    client.force_login(owner)
    page = text(client.get("/casts/"))
    assert "Your casts" in page and mine_private.title in page and "unlisted" in page
    assert f'href="/casts/{shared.slug}/"' in page


def test_a_guest_is_invited_to_sign_in_to_compose(client, builtin):
    page = text(client.get("/casts/"))
    assert "Sign in</a> to compose" in page and "/casts/new/" not in page


# ---------------------------------------------------------------- one cast


def test_a_cast_page_shows_each_side_as_a_row_of_characters(client, builtin, genes):
    response = client.get(f"/casts/{builtin.slug}/")
    page = text(response)
    assert response.status_code == 200
    assert page.index(">guards <") < page.index(">keeper <")
    tp53 = genes["TP53"]
    assert f'src="{canonical_portrait(tp53).image.url}"' in page and 'alt="Portrait of TP53"' in page
    assert 'aria-label="MDM2 has no portrait yet"' in page  # the colour block instead
    assert "--gene: #aa3311" in page and "--gene: #1155aa" in page
    pills = re.search(r'<ul class="trait-pills" aria-label="Traits of TP53">(.*?)</ul>', page, re.S).group(1)
    for pill in ("female", "43.7 kg", "age 41", "no faction", "Cottagecore", "brick red #aa3311"):
        assert pill in pills
    assert "pro-growth" in page  # MDM2's faction
    # The card behind each portrait: every trait with the fact it encodes, and the gene page one click away.
    assert "43.7 kDa" in page and 'href="/genes/TP53/"' in page
    assert "iconoplasm/casts.js" in page


def test_an_unknown_cast_is_404(client, db):
    assert client.get("/casts/no-such-cast/").status_code == 404


def test_user_data_is_escaped(client, owner, genes):
    cast = users_cast(owner, title=SCRIPT, description=SCRIPT, sides=[SideSpec(SCRIPT, ("TP53",))])
    for url in (f"/casts/{cast.slug}/", "/casts/"):
        page = text(client.get(url))
        assert SCRIPT not in page and ESCAPED_SCRIPT in page


def test_a_users_cast_names_its_owner_and_its_link(client, owner, genes):
    cast = users_cast(owner, public=False)
    page = text(client.get(f"/casts/{cast.slug}/"))  # unlisted, but the link works
    assert "A cast by owner" in page and "unlisted" in page
    assert f'value="http://testserver/casts/{cast.slug}/"' in page and "Share this link" in page
    assert f"/casts/{cast.slug}/edit/" not in page
    client.force_login(owner)
    assert f'href="/casts/{cast.slug}/edit/"' in text(client.get(f"/casts/{cast.slug}/"))


def test_the_study_and_anki_actions_follow_their_views(client, builtin, owner):
    page = text(client.get(f"/casts/{builtin.slug}/"))
    if reversible("deck-cast"):
        assert f'href="{reverse("deck-cast", args=[builtin.slug])}"' in page and "Export to Anki" in page
    else:
        assert "Export to Anki" not in page
    client.force_login(owner)
    page = text(client.get(f"/casts/{builtin.slug}/"))
    if reversible("cast-study"):
        action = reverse("cast-study", args=[builtin.slug])
        assert f'<form method="post" action="{action}">' in page and "csrfmiddlewaretoken" in page
    else:
        assert "Study this cast" not in page


# ---------------------------------------------------------------- compose


def test_composing_needs_a_signed_in_user(client, genes):
    for url in ("/casts/new/",):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/casts/new/")
    response = client.post("/casts/new/", {"title": "T", "sides": "a: TP53"})
    assert response.status_code == 302 and not Cast.objects.exists()


def test_compose_a_cast_with_aliases_cases_and_ranges(signed_in, owner, genes):
    form = text(signed_in.get("/casts/new/"))
    assert 'name="sides"' in form and "csrfmiddlewaretoken" in form
    typed = "the guard: p53, mdm2\n\nsignals: WNT1..WNT11  TP53"
    response = signed_in.post("/casts/new/", {"title": "Keeping p53 in check", "description": "", "sides": typed})
    cast = Cast.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/casts/{cast.slug}/"
    assert re.fullmatch(r"keeping-p53-in-check-[a-z2-9]{6}", cast.slug)
    assert cast.owner == owner and not cast.builtin and not cast.public
    sides = [(side.name, [m.gene.symbol for m in side.members.all()]) for side in cast.sides.all()]
    assert sides == [("the guard", ["TP53", "MDM2"]), ("signals", ["WNT1", "WNT2B", "WNT3A", "TP53"])]


def test_two_casts_of_one_title_get_different_links(owner, genes):
    first, second = users_cast(owner, title="Same"), users_cast(owner, title="Same")
    assert first.slug != second.slug and first.slug.startswith("same-") and second.slug.startswith("same-")


def test_unknown_names_are_named_with_their_side_and_the_input_is_kept(signed_in, genes):
    typed = "resist: TP53, FOO\nsignals: BARGENE, WNT20..WNT30"
    response = signed_in.post("/casts/new/", {"title": "Typo cast", "description": "Kept.", "sides": typed})
    page = text(response)
    assert response.status_code == 400 and not Cast.objects.exists()
    assert "No gene is called FOO (in side &#x27;resist&#x27;)" in page
    assert "No gene is called BARGENE (in side &#x27;signals&#x27;)" in page
    assert "No genes are in the range WNT20..WNT30 (in side &#x27;signals&#x27;)" in page
    assert "resist: TP53, FOO\nsignals: BARGENE, WNT20..WNT30</textarea>" in page
    assert 'value="Typo cast"' in page and "Kept.</textarea>" in page


@pytest.mark.parametrize(
    ("sides", "message"),
    [
        ("\n".join(f"side {n}: TP53" for n in range(MAX_SIDES + 1)), f"at most {MAX_SIDES} sides"),
        ("many: " + ", ".join(["TP53"] * (MAX_GENES + 1)), f"at most {MAX_GENES} genes"),
        ("TP53, MDM2", "Line 1: write the side&#x27;s name, a colon"),
        ("empty:", "Side &#x27;empty&#x27; has no genes"),
        (": TP53", "Every side needs a name"),
        ("wnts: WNT3..WNT1", "runs backwards"),
        ("", "This field is required"),
    ],
)
def test_invalid_sides_are_explained(signed_in, genes, sides, message):
    response = signed_in.post("/casts/new/", {"title": "T", "sides": sides})
    assert response.status_code == 400 and message in text(response)
    assert not Cast.objects.exists()


def test_a_title_is_required_and_every_problem_is_shown_at_once(signed_in, genes):
    page = text(signed_in.post("/casts/new/", {"title": "   ", "sides": "a: NOPE"}))
    assert "This field is required" in page
    response = signed_in.post("/casts/new/", {"title": "x" * 121, "sides": "a: NOPE"})
    assert "at most 120 characters" in text(response)


# ---------------------------------------------------------------- edit


def test_the_owner_edits_and_the_link_stays(signed_in, owner, genes):
    cast = users_cast(owner)
    form = text(signed_in.get(f"/casts/{cast.slug}/edit/"))
    assert "guards: TP53, MDM2</textarea>" in form and 'value="My cast"' in form
    response = signed_in.post(
        f"/casts/{cast.slug}/edit/",
        {"title": "Renamed", "description": "New words", "public": "on", "sides": "one: MDM2"},
    )
    assert response.status_code == 302 and response["Location"] == f"/casts/{cast.slug}/"
    cast.refresh_from_db()
    assert (cast.title, cast.description, cast.public) == ("Renamed", "New words", True)
    assert [m.gene.symbol for side in cast.sides.all() for m in side.members.all()] == ["MDM2"]


def test_a_failed_edit_keeps_the_stored_cast(signed_in, owner, genes):
    cast = users_cast(owner)
    response = signed_in.post(f"/casts/{cast.slug}/edit/", {"title": "Renamed", "sides": "one: NOPE"})
    assert response.status_code == 400 and "No gene is called NOPE" in text(response)
    cast.refresh_from_db()
    assert cast.title == "My cast" and cast.sides.get().members.count() == 2


def test_only_the_owner_edits(client, owner, builtin, genes):
    cast = users_cast(owner)
    client.force_login(make_user("intruder"))
    assert client.get(f"/casts/{cast.slug}/edit/").status_code == 403
    assert client.post(f"/casts/{cast.slug}/edit/", {"title": "Mine now", "sides": "x: TP53"}).status_code == 403
    client.force_login(owner)
    assert client.get(f"/casts/{builtin.slug}/edit/").status_code == 403  # built-ins change in their data file
    cast.refresh_from_db()
    builtin.refresh_from_db()
    assert cast.title == "My cast" and builtin.title == "Guardians"
    assert Client().get(f"/casts/{cast.slug}/edit/").status_code == 302  # a guest signs in first


@pytest.mark.parametrize("url", ["/casts/new/", "/casts/{slug}/edit/"])
def test_page_forms_require_the_csrf_token(owner, genes, url):
    cast = users_cast(owner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(url.format(slug=cast.slug), {"title": "Forged", "sides": "x: TP53"})
    assert response.status_code == 403
    assert list(Cast.objects.values_list("title", flat=True)) == ["My cast"]


def test_saving_casts_is_rate_limited(signed_in, genes, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "cast": (1, 3600)}
    assert signed_in.post("/casts/new/", {"title": "One", "sides": "a: TP53"}).status_code == 302
    response = signed_in.post("/casts/new/", {"title": "Two", "sides": "a: TP53"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many casts saved" in text(response) and 'value="Two"' in text(response)
    assert Cast.objects.count() == 1
