"""The pages in a real headless Chromium (Playwright) against pytest-django's live server.

Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM calls
from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the ``browser``
fixture sets it for exactly as long as the browser runs. ``ICONOPLASM_SCREENSHOTS=/some/dir``
keeps screenshots of every page at desktop and phone widths.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

from backend.accounts.services import record_discoveries
from backend.portraits.models import Portrait, Vote
from backend.studio.keys import provider_key_get
from backend.studio.models import GenerationRequest

from .factories import PASSWORD, PLAIN_KEY, build_site

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(transactional_db, catalogue_files):
    return build_site(*catalogue_files)


class Problems:
    """Script errors, console errors and failed same-site responses seen by a page."""

    def __init__(self, page: Page, origin: str):
        self.seen: list[str] = []
        page.on("pageerror", lambda error: self.seen.append(f"script error: {error}"))
        page.on("console", self._console)
        page.on("response", lambda response: self._response(response, origin))
        self.expected_statuses: set[int] = set()

    def _console(self, message) -> None:
        # Chromium also logs every failed response; those are judged in _response, where some are expected.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.seen.append(f"console: {message.text}")

    def _response(self, response, origin: str) -> None:
        if response.url.startswith(origin) and response.status >= 400 and response.status not in self.expected_statuses:
            self.seen.append(f"{response.status} {response.url}")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = Problems(page, live_server.url)
    yield page
    context.close()
    assert page.problems.seen == []


def sign_in(page: Page, username: str = "ada") -> None:
    page.goto("/")
    page.locator(".account").get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def candidate(page: Page, portrait: Portrait):
    return page.locator(f"#candidate-{portrait.pk}")


def test_sign_in_shows_the_archive_with_its_counter(page, site):
    sign_in(page)
    assert page.url.endswith("/")
    expect(page.locator("#archive-counter")).to_have_text("2 / 5 genes discovered")
    expect(page.locator(".gallery a[data-symbol]")).to_have_count(2)
    record_discoveries(user=site.user, names=["SIGP1"])
    page.reload()
    expect(page.locator("#archive-counter")).to_have_text("3 / 5 genes discovered")
    page.get_by_role("link", name="SIGP1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SIGP1")


def test_wrong_password_is_refused_with_a_message(page, site):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_vote_from_the_gene_page_changes_the_score_and_is_stored(page, site):
    sign_in(page)
    page.goto("/genes/TP53/")
    card = candidate(page, site.second)
    expect(card.locator(".score")).to_have_text("0")
    card.get_by_role("button", name="+1").click()
    expect(page.get_by_role("status")).to_have_text(f"You voted +1 on candidate #{site.second.pk}.")
    card = candidate(page, site.second)
    expect(card.locator(".score")).to_have_text("1")
    expect(card.get_by_role("button", name="+1")).to_have_attribute("aria-pressed", "true")
    assert Vote.objects.get(user=site.user, portrait=site.second).value == 1
    site.second.refresh_from_db()
    assert (site.second.score, site.second.votes_count) == (1, 1)

    card.get_by_role("button", name="−1").click()
    expect(candidate(page, site.second).locator(".score")).to_have_text("-1")
    assert Vote.objects.get(user=site.user, portrait=site.second).value == -1
    candidate(page, site.second).get_by_role("button", name="clear").click()
    expect(candidate(page, site.second).locator(".score")).to_have_text("0")
    expect(candidate(page, site.second).get_by_role("button", name="clear")).to_be_disabled()
    assert not Vote.objects.filter(portrait=site.second).exists()


def test_request_from_the_gene_page_is_queued_and_listed(page, site):
    sign_in(page)
    page.goto("/genes/TP53/")
    picker = page.get_by_role("group", name="Emulsion (style)")
    assert picker.get_by_role("radio").count() == 1
    picker.get_by_role("radio", name="Risograph Field Guide").check()
    page.get_by_role("button", name="Queue request").click()
    queued = GenerationRequest.objects.get()
    assert (queued.user, queued.gene.symbol, queued.emulsion.emulsion_id, queued.status) == (
        site.user,
        "TP53",
        "E0001",
        "queued",
    )
    expect(page.get_by_role("status")).to_have_text(f"Request #{queued.pk} queued: TP53 in Risograph Field Guide.")
    row = page.locator(f"tr[data-request='{queued.pk}']")
    expect(row).to_contain_text("Risograph Field Guide")
    expect(row.locator(".status")).to_have_text("queued")


def test_rate_limited_vote_is_explained_and_the_page_still_works(page, site, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "vote": (1, 60)}
    page.problems.expected_statuses.add(429)
    sign_in(page)
    page.goto("/genes/TP53/")
    candidate(page, site.first).get_by_role("button", name="+1").click()
    expect(page.get_by_role("status")).to_be_visible()
    candidate(page, site.second).get_by_role("button", name="+1").click()
    expect(page.locator("#page-error")).to_contain_text("Too many votes for now: please try again in")
    assert not Vote.objects.filter(portrait=site.second).exists()
    expect(candidate(page, site.first).locator(".score")).to_have_text("1")


def test_transfer_from_the_gene_page_keeps_a_mistyped_name_then_copies(page, site):
    page.problems.expected_statuses.add(400)
    sign_in(page)
    page.goto("/genes/TP53/")
    card = candidate(page, site.first)
    card.get_by_text("Transfer").click()
    card.get_by_label("Copy to gene").fill("NOTAGENE")
    card.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("alert")).to_contain_text("no gene is called “NOTAGENE”")
    field = candidate(page, site.first).get_by_label("Copy to gene")
    expect(field).to_have_value("NOTAGENE")
    field.fill("lair1")
    candidate(page, site.first).get_by_role("button", name="Copy").click()
    copy = Portrait.objects.get(gene__symbol="LAIR1")
    expect(page.get_by_role("status")).to_contain_text(f"to LAIR1 as candidate #{copy.pk}")
    assert page.url.endswith(f"/genes/LAIR1/#candidate-{copy.pk}")
    expect(page.locator(f"#candidate-{copy.pk} img")).to_be_visible()


def test_guest_is_asked_to_sign_in_and_comes_back(page, site):
    page.goto("/genes/TP53/")
    expect(page.get_by_role("button", name="+1")).to_have_count(0)
    page.locator("#request").get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/genes/TP53/")
    expect(page.get_by_role("button", name="Queue request")).to_be_visible()


def test_search_box_opens_a_gene(page, site):
    page.goto("/")
    page.get_by_label("Find a gene").fill("oldg1")
    page.get_by_role("button", name="Open").click()
    assert page.url.endswith("/genes/NEWG1/")


def test_provider_key_is_set_and_deleted_from_settings(page, site):
    sign_in(page)
    page.get_by_role("link", name="Settings").click()
    expect(page.locator("#provider-key")).to_have_text("No provider key stored.")
    page.get_by_label("API key").fill(PLAIN_KEY)
    page.get_by_role("button", name="Save key").click()
    key = provider_key_get(site.user)
    expect(page.locator(".fingerprint")).to_have_text(key.fingerprint)
    assert PLAIN_KEY not in page.content()
    page.get_by_role("button", name="Delete key").click()
    expect(page.get_by_role("status")).to_have_text("Provider key deleted.")
    assert provider_key_get(site.user) is None


# the style gallery before the gene page, which then shows its samples as the picker's thumbnails
PAGES = [
    "/",
    "/?view=others",
    "/styles/",
    "/genes/TP53/",
    "/genes/LAIR1/",
    "/accounts/settings/",
    "/stats/",
    "/artist-optout/",
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pages_fit_the_screen_and_load_without_errors(browser, live_server, site, settings, viewport):
    screenshots = os.environ.get("ICONOPLASM_SCREENSHOTS")
    plots = Path(settings.ICONOPLASM_DATA_DIR) / "plots"
    plots.mkdir(parents=True)
    for name, colour in [("weight", "#4c6a92"), ("sex_ratio", "#c0607a")]:
        Image.new("RGB", (800, 450), colour).save(plots / f"{name}.png")
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    problems = Problems(page, live_server.url)
    for url in ["/", "/accounts/login/", "/accounts/signup/"]:
        page.goto(url)
        _check_layout(page, viewport, screenshots, f"guest{url}")
    sign_in(page)
    for url in PAGES:
        page.goto(url)
        _check_layout(page, viewport, screenshots, url)
    context.close()
    assert problems.seen == []


def _check_layout(page: Page, viewport: dict, screenshots: str | None, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {viewport['width']}px"
    page.evaluate(
        "Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }))"
    )
    broken = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)")
    assert broken == [], f"{page.url}: images failed to load: {broken}"
    if screenshots:
        slug = name.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"
        page.screenshot(path=str(Path(screenshots) / f"{viewport['width']}-{slug}.png"), full_page=True)


def test_sign_up_starts_an_archive_with_the_starter_genes(page, site):
    page.goto("/")
    page.locator(".account").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Email (optional)").fill("grace@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".account")).to_contain_text("grace")
    expect(page.locator("#archive-counter")).to_have_text(
        "1 / 5 genes discovered"
    )  # TP53, the starter gene in the catalogue
    expect(page.locator(".gallery a[data-symbol='TP53']")).to_be_visible()


def test_a_double_click_queues_one_request(page, site):
    sign_in(page)
    page.goto("/genes/TP53/")
    page.get_by_role("button", name="Queue request").dblclick()
    expect(page.get_by_role("status")).to_contain_text("queued: TP53 in Risograph Field Guide")
    page.wait_for_load_state("networkidle")
    assert GenerationRequest.objects.count() == 1
