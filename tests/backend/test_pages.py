"""The server-rendered pages, through Django's test client: content, escaping, privacy and the page writes."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from backend.accounts.models import Preferences
from backend.accounts.services import record_discoveries
from backend.genes.models import Gene
from backend.portraits import services
from backend.portraits.models import Portrait, Vote
from backend.studio.keys import provider_key_get, provider_key_set
from backend.studio.models import GenerationRequest

from .factories import PASSWORD, PLAIN_KEY, SECRET_ARTIST

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


# ---------------------------------------------------------------- the site (factories.build_site; catalogue_files in conftest.py)


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- every page


PAGES = [
    "/",
    "/?view=others",
    "/genes/TP53/",
    "/genes/LAIR1/",
    "/stats/",
    "/styles/",
    "/search/",
    "/accounts/settings/",
    "/accounts/login/",
    "/accounts/signup/",
    "/artist-optout/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_uses_the_site_layout_and_never_names_an_artist(member, client, url):
    if url.startswith(("/accounts/login/", "/accounts/signup/")):
        client.logout()  # signed-in users are sent home from these
    response = client.get(url)
    assert response.status_code == 200, url
    page = text(response)
    assert "iconoplasm/site.css" in page and 'name="viewport"' in page
    assert 'href="/stats/"' in page and 'href="/artist-optout/"' in page
    assert SECRET_ARTIST not in page and "artists" not in page


def test_navigation_offers_sign_in_to_guests_and_sign_out_by_post_to_members(client, site):
    page = text(client.get("/"))
    assert 'href="/accounts/login/' in page and 'href="/accounts/signup/"' in page and "Settings" not in page
    client.force_login(site.user)
    page = text(client.get("/"))
    assert 'action="/accounts/logout/"' in page and 'href="/accounts/settings/"' in page
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- home and archive


def test_guest_home_explains_and_offers_search_and_sign_in(client, site):
    response = client.get("/")
    page = text(response)
    assert "Every human protein-coding gene as a character" in page
    assert 'action="/search/"' in page and 'name="q"' in page
    assert 'id="gene-count"' in page and "has not been built yet" in page
    assert "archive-counter" not in page


def test_archive_shows_the_users_genes_and_the_counter(member, site):
    page = text(member.get("/"))
    assert 'id="archive-counter"' in page and "2 <small>/ 5 genes discovered" in page
    assert 'href="/genes/TP53/"' in page and 'href="/genes/LAIR1/"' in page and 'href="/genes/SIGP1/"' not in page
    assert site.first.image.url in page  # TP53's canonical portrait as its thumbnail
    assert 'class="swatch"' in page  # LAIR1 has no portrait: its colour instead


def test_guest_home_counts_the_built_gene_table(client, site, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "genes.parquet").write_bytes(b"")
    (tmp_path / "data" / "coverage.json").write_text(json.dumps({"genes": 19290}))
    assert "19290 genes in the gene table" in text(client.get("/"))


def test_counter_counts_thousands_with_a_separator(member, site):
    Gene.objects.bulk_create(
        [Gene(**{**_gene_values(site.tp53), "symbol": f"X{i}", "hgnc_id": f"HGNC:X{i}"}) for i in range(1000)]
    )
    page = text(member.get("/"))
    assert "2 <small>/ 1,005 genes discovered" in page


def _gene_values(gene: Gene) -> dict:
    return {
        f.attname: getattr(gene, f.attname) for f in Gene._meta.concrete_fields if f.name not in ("id", "updated_at")
    }


def test_others_view_lists_recent_and_most_discovered_genes(client, site):
    other = get_user_model().objects.create_user("grace", password=PASSWORD)
    record_discoveries(user=other, names=["SIGP1", "LAIR1"])
    for sharer in (other, site.user):
        Preferences.set_for(sharer, share_discoveries=True)
    client.force_login(site.user)
    page = text(client.get("/?view=others"))
    assert "found by grace" in page and 'href="/genes/SIGP1/"' in page
    assert "found by ada" not in page  # the viewer's own finds are in their archive
    assert "2 discoverers" in page  # LAIR1: ada and grace
    assert "Yours are shared" in page


def test_others_view_lists_only_users_who_share(client, site):
    """Issue 12, defect 9: discoveries are private until their finder shares them."""
    other = get_user_model().objects.create_user("grace", password=PASSWORD)
    record_discoveries(user=other, names=["SIGP1", "LAIR1"])
    client.force_login(site.user)
    page = text(client.get("/?view=others"))
    assert "found by grace" not in page and "discoverer" not in page
    assert "Your discoveries are private; share them to appear in others' discoveries" in page
    assert 'href="/accounts/settings/"' in page
    Preferences.set_for(other, share_discoveries=True)
    page = text(client.get("/?view=others"))
    assert "found by grace" in page
    assert "1 discoverer" in page and "2 discoverers" not in page  # ada does not share


def test_settings_page_turns_sharing_on_and_off(member, site):
    page = text(member.get("/accounts/settings/"))
    assert "Your discoveries are private; share them to appear in others' discoveries" in page
    assert 'name="share_discoveries"' in page and "checked" not in page.split('id="share-discoveries"')[1][:40]
    response = member.post("/accounts/settings/", {"form": "sharing", "share_discoveries": "on"})
    assert response.status_code == 302
    assert Preferences.objects.get(user=site.user).share_discoveries is True
    page = text(member.get("/accounts/settings/"))
    assert "Your discoveries are shared" in page
    member.post("/accounts/settings/", {"form": "sharing"})  # an unticked box is not sent
    assert Preferences.objects.get(user=site.user).share_discoveries is False
    assert provider_key_get(site.user) is None  # the sharing form stores no key


def test_archive_escapes_gene_names(member, site):
    Gene.objects.filter(symbol="LAIR1").update(name=SCRIPT)
    page = text(member.get("/"))
    assert SCRIPT not in page and ESCAPED_SCRIPT in page


# ---------------------------------------------------------------- search


def test_search_opens_the_gene_by_symbol_alias_or_lower_case(client, site):
    assert client.get("/search/", {"q": "TP53"})["Location"] == "/genes/TP53/"
    assert client.get("/search/", {"q": "tp53"})["Location"] == "/genes/TP53/"
    assert client.get("/search/", {"q": "OLDG1"})["Location"] == "/genes/NEWG1/"


def test_search_for_nothing_known_says_so_escaped(client, site):
    response = client.get("/search/", {"q": SCRIPT})
    assert response.status_code == 404
    page = text(response)
    assert SCRIPT not in page and ESCAPED_SCRIPT in page and 'role="alert"' in page


# ---------------------------------------------------------------- gene page


def test_gene_page_shows_card_candidates_and_request_form(member, site):
    page = text(member.get("/genes/TP53/"))
    assert "tumor protein p53" in page and "This gene encodes a tumor suppressor." in page
    assert "← soluble" in page and "kDa" in page and "LOEUF" in page
    assert 'href="/genes/TP53/print.png"' in page and f'href="/genes/TP53/print.png?portrait={site.second.pk}"' in page
    assert f'id="candidate-{site.first.pk}"' in page and f'id="candidate-{site.second.pk}"' in page
    assert (
        f'action="/portraits/{site.first.pk}/vote/"' in page
        and f'action="/portraits/{site.first.pk}/transfer/"' in page
    )
    assert 'action="/genes/TP53/request/"' in page
    assert '<input type="radio" name="emulsion_id" value="E0001" required checked>' in page
    assert "<span>Risograph Field Guide</span>" in page
    assert "E0002" not in page and "Withdrawn Style" not in page
    assert "csrfmiddlewaretoken" in page


def test_gene_page_marks_the_users_own_vote(member, site):
    services.vote(site.user, site.second.pk, -1)
    page = text(member.get("/genes/TP53/"))
    own = page.split(f'id="candidate-{site.second.pk}"')[1].split("</li>")[0]
    assert 'value="-1" aria-pressed="true"' in own and 'value="1" aria-pressed="false"' in own and "You voted −1" in own
    assert '<span class="score" title="1 vote">-1</span>' in own


def test_guests_see_scores_and_sign_in_links_but_no_write_forms(client, site):
    page = text(client.get("/genes/TP53/"))
    assert '<span class="score">0</span>' in page and "sign in to vote" in page
    assert "/vote/" not in page and "/transfer/" not in page and "/request/" not in page
    assert 'href="/accounts/login/?next=/genes/TP53/"' in page


def test_gene_page_escapes_gene_data(client, site):
    Gene.objects.filter(symbol="TP53").update(name=SCRIPT, summary=SCRIPT, sample=SCRIPT)
    page = text(client.get("/genes/TP53/"))
    assert SCRIPT not in page and page.count(ESCAPED_SCRIPT) >= 3


def test_gene_page_redirects_aliases_and_404s_unknown_genes(client, site):
    assert client.get("/genes/OLDG1/")["Location"] == "/genes/NEWG1/"
    assert client.get("/genes/NOTAGENE/").status_code == 404


def test_gene_page_in_another_case_redirects_to_the_symbol(client, site):
    """Issue 12, defect 10: /genes/tp53/ was a 404 although search accepts tp53."""
    response = client.get("/genes/tp53/")
    assert response.status_code == 302 and response["Location"] == "/genes/TP53/"
    assert client.get("/genes/oldg1/")["Location"] == "/genes/NEWG1/"
    assert client.get("/genes/TP53/").status_code == 200


def test_hidden_candidates_stay_off_the_page(client, site):
    services.set_hidden([site.first], True)
    page = text(client.get("/genes/TP53/"))
    assert f'id="candidate-{site.first.pk}"' not in page and f'id="candidate-{site.second.pk}"' in page


# ---------------------------------------------------------------- votes


def test_vote_is_recorded_and_shown(member, site):
    response = member.post(f"/portraits/{site.first.pk}/vote/", {"value": "1"})
    assert response.status_code == 302 and response["Location"] == f"/genes/TP53/#candidate-{site.first.pk}"
    assert Vote.objects.get(user=site.user, portrait=site.first).value == 1
    page = text(member.get(response["Location"]))
    assert f"You voted +1 on candidate #{site.first.pk}." in page
    member.post(f"/portraits/{site.first.pk}/vote/", {"value": "0"})
    assert not Vote.objects.filter(portrait=site.first).exists()


def test_bad_vote_value_is_a_clear_400(member, site):
    response = member.post(f"/portraits/{site.first.pk}/vote/", {"value": "5"})
    assert response.status_code == 400
    assert "Could not vote: value must be 1, -1 or 0" in text(response)
    assert not Vote.objects.exists()


def test_signed_out_vote_asks_to_sign_in_and_changes_nothing(client, site):
    response = client.post(f"/portraits/{site.first.pk}/vote/", {"value": "1"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/genes/TP53/"
    assert "Please sign in to vote." in text(client.get(response["Location"]))
    assert not Vote.objects.exists()


def test_votes_on_hidden_or_unknown_portraits_are_404(member, site):
    services.set_hidden([site.first], True)
    assert member.post(f"/portraits/{site.first.pk}/vote/", {"value": "1"}).status_code == 404
    assert member.post("/portraits/999999/vote/", {"value": "1"}).status_code == 404


def test_vote_rate_limit_is_a_429_with_retry_after(member, site, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "vote": (1, 60)}
    member.post(f"/portraits/{site.first.pk}/vote/", {"value": "1"})
    response = member.post(f"/portraits/{site.second.pk}/vote/", {"value": "1"})
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert "Too many votes for now: please try again in" in text(response)
    assert not Vote.objects.filter(portrait=site.second).exists()


@pytest.mark.parametrize(
    "url, data",
    [
        ("/portraits/{pk}/vote/", {"value": "1"}),
        ("/portraits/{pk}/transfer/", {"to": "LAIR1"}),
        ("/genes/TP53/request/", {"emulsion_id": "E0001"}),
        ("/accounts/settings/", {"provider": "openai", "api_key": PLAIN_KEY}),
        ("/accounts/settings/provider-key/delete/", {}),
        ("/artist-optout/", {"name": "A", "contact": "a@example.org"}),
    ],
)
def test_page_writes_require_the_csrf_token(site, url, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(site.user)
    response = client.post(url.format(pk=site.first.pk), data)
    assert response.status_code == 403
    assert not Vote.objects.exists() and not GenerationRequest.objects.exists() and provider_key_get(site.user) is None
    assert Portrait.objects.count() == 2


# ---------------------------------------------------------------- transfers


def test_transfer_copies_the_candidate_and_opens_the_target(member, site):
    response = member.post(f"/portraits/{site.first.pk}/transfer/", {"to": "lair1"})
    copy = Portrait.objects.get(gene__symbol="LAIR1")
    assert response.status_code == 302 and response["Location"] == f"/genes/LAIR1/#candidate-{copy.pk}"
    assert copy.transferred_from == site.first and copy.origin == Portrait.TRANSFER
    page = text(member.get(response["Location"]))
    assert f"Copied candidate #{site.first.pk} of TP53 to LAIR1 as candidate #{copy.pk}." in page
    again = member.post(f"/portraits/{site.first.pk}/transfer/", {"to": "LAIR1"})
    assert "LAIR1 already has this image" in text(member.get(again["Location"]))
    assert Portrait.objects.filter(gene__symbol="LAIR1").count() == 1


def test_transfer_to_an_unknown_gene_keeps_what_was_typed(member, site):
    response = member.post(f"/portraits/{site.first.pk}/transfer/", {"to": SCRIPT})
    assert response.status_code == 400
    page = text(response)
    assert SCRIPT not in page and "no gene is called “" + ESCAPED_SCRIPT in page
    assert f'value="{ESCAPED_SCRIPT}"' in page  # the typed name is still in the form
    assert Portrait.objects.count() == 2


def test_transfer_to_the_same_gene_is_refused(member, site):
    response = member.post(f"/portraits/{site.first.pk}/transfer/", {"to": "TP53"})
    assert response.status_code == 400 and "already belongs to TP53" in text(response)
    assert member.post(f"/portraits/{site.first.pk}/transfer/", {"to": ""}).status_code == 400


# ---------------------------------------------------------------- generation requests


def test_request_is_queued_and_listed_with_its_status(member, site):
    response = member.post("/genes/TP53/request/", {"emulsion_id": "E0001"})
    queued = GenerationRequest.objects.get()
    assert (queued.user, queued.gene, queued.emulsion, queued.status) == (site.user, site.tp53, site.emulsion, "queued")
    assert response.status_code == 302 and response["Location"] == "/genes/TP53/#request"
    page = text(member.get(response["Location"]))
    assert f"Request #{queued.pk} queued: TP53 in Risograph Field Guide." in page
    row = page.split(f'data-request="{queued.pk}"')[1].split("</tr>")[0]
    assert "Risograph Field Guide" in row and 'class="status status-queued">queued<' in row


def test_failed_requests_show_their_error_escaped(member, site):
    GenerationRequest.objects.create(
        user=site.user, gene=site.tp53, emulsion=site.emulsion, status="failed", error=SCRIPT
    )
    page = text(member.get("/genes/TP53/"))
    assert "status-failed" in page and SCRIPT not in page and ESCAPED_SCRIPT in page


def test_request_with_a_withdrawn_emulsion_is_a_clear_400(member, site):
    response = member.post("/genes/TP53/request/", {"emulsion_id": "E0002"})
    assert response.status_code == 400 and "unknown or was withdrawn" in text(response)
    assert member.post("/genes/TP53/request/", {}).status_code == 400
    assert not GenerationRequest.objects.exists()


def test_request_rate_limit_is_a_429_with_retry_after(member, site, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "request": (1, 3600)}
    member.post("/genes/TP53/request/", {"emulsion_id": "E0001"})
    response = member.post("/genes/TP53/request/", {"emulsion_id": "E0001"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    page = text(response)
    assert "Too many portrait requests for now" in page and 'value="E0001" required checked>' in page
    assert GenerationRequest.objects.count() == 1


def test_signed_out_request_asks_to_sign_in(client, site):
    response = client.post("/genes/TP53/request/", {"emulsion_id": "E0001"})
    assert response["Location"] == "/accounts/login/?next=/genes/TP53/"
    assert not GenerationRequest.objects.exists()


# ---------------------------------------------------------------- settings (provider key)


def test_settings_need_sign_in(client, site):
    assert client.get("/accounts/settings/")["Location"] == "/accounts/login/?next=/accounts/settings/"


def test_provider_key_is_stored_and_shown_only_as_fingerprint(member, site):
    assert "No provider key stored." in text(member.get("/accounts/settings/"))
    response = member.post("/accounts/settings/", {"provider": "openai", "api_key": PLAIN_KEY, "model": "dall-e-2"})
    assert response.status_code == 302
    key = provider_key_get(site.user)
    assert (key.provider, key.model) == ("openai", "dall-e-2")
    page = text(member.get("/accounts/settings/"))
    assert key.fingerprint in page and "dall-e-2" in page
    assert PLAIN_KEY not in page and PLAIN_KEY[-10:] not in page and key.encrypted_key not in page


def test_bad_provider_key_input_keeps_provider_and_model_but_never_echoes_the_key(member, site):
    response = member.post("/accounts/settings/", {"provider": "openai", "api_key": "short", "model": "my-model"})
    assert response.status_code == 400
    page = text(response)
    assert "at least 8 characters" in page and 'value="my-model"' in page and 'value="short"' not in page
    response = member.post("/accounts/settings/", {"provider": "nobody", "api_key": PLAIN_KEY})
    assert response.status_code == 400 and "is not a valid choice" in text(response) and PLAIN_KEY not in text(response)
    assert provider_key_get(site.user) is None


def test_provider_key_can_be_replaced_and_deleted(member, site):
    provider_key_set(user=site.user, provider="openai", api_key=PLAIN_KEY)
    member.post("/accounts/settings/", {"provider": "openai", "api_key": "sk-another-key-987654321"})
    assert provider_key_get(site.user).fingerprint.startswith("sk-…4321")
    response = member.post("/accounts/settings/provider-key/delete/")
    assert response.status_code == 302 and provider_key_get(site.user) is None
    assert "Provider key deleted." in text(member.get("/accounts/settings/"))
    assert member.get("/accounts/settings/provider-key/delete/").status_code == 405


# ---------------------------------------------------------------- stats and plots


def test_stats_says_when_the_plots_are_not_built(client, site):
    page = text(client.get("/stats/"))
    assert 'id="no-plots"' in page and "iconoplasm traits build" in page


def test_stats_shows_and_serves_the_built_plots(client, site, tmp_path):
    plots = tmp_path / "data" / "plots"
    plots.mkdir(parents=True)
    (plots / "weight.png").write_bytes(b"\x89PNG weight")
    (plots / "sex_ratio.png").write_bytes(b"\x89PNG sex")
    (plots / "notes.txt").write_text("not a plot")
    page = text(client.get("/stats/"))
    assert page.index('src="/stats/plots/weight.png"') < page.index('src="/stats/plots/sex_ratio.png"')
    assert "no-plots" not in page and "notes" not in page
    response = client.get("/stats/plots/weight.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG weight"


@pytest.mark.parametrize(
    "url",
    [
        "/stats/plots/missing.png",
        "/stats/plots/..%2Fcoverage.png",
        "/stats/plots/Weight.png",
        "/stats/plots/notes.png",
        "/stats/plots/a.b.png",
    ],
)
def test_only_plot_files_with_safe_names_are_served(client, site, tmp_path, url):
    (tmp_path / "data" / "plots").mkdir(parents=True)
    (tmp_path / "data" / "coverage.png").write_bytes(b"outside the plots folder")
    (tmp_path / "data" / "plots" / "a.b.png").write_bytes(b"dotted name")
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- opt-out and accounts


def test_optout_errors_render_escaped(client, site):
    response = client.post("/artist-optout/", {"name": SCRIPT, "contact": "", "message": SCRIPT})
    assert response.status_code == 400
    page = text(response)
    assert SCRIPT not in page and ESCAPED_SCRIPT in page


def test_optout_success_does_not_publish_the_request(client, site):
    response = client.post("/artist-optout/", {"name": SCRIPT, "contact": "me@example.org", "message": "please"})
    assert response.status_code == 201
    assert SCRIPT not in text(response) and ESCAPED_SCRIPT not in text(response)
    assert SCRIPT not in text(client.get("/"))


def test_sign_in_page_signs_in_and_returns_to_next(client, site):
    bad = client.post("/accounts/login/", {"username": "ada", "password": "wrong", "next": "/genes/TP53/"})
    assert bad.status_code == 200 and 'role="alert"' in text(bad) and 'value="/genes/TP53/"' in text(bad)
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD, "next": "/genes/TP53/"})
    assert response.status_code == 302 and response["Location"] == "/genes/TP53/"
