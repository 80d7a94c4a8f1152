"""The learning loop end to end, in real headless Chromium with the extension: meet five genes on
a page (the extension records them through the server's API), review them on the site with the
keyboard, export the deck, and open a cast of them."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.apkg import open_apkg

from .conftest import hover_for, sign_in, wait_until
from .live_site import PASSWORD, USERNAME

FIVE = ["TP53", "LAIR1", "NEWG1", "SIGP1", "NOSEQ1"]
PAPER = """<!doctype html><html><head><title>A paper</title></head><body>
<p id="prose">We followed TP53 and its partner LAIR1 in cells lacking NEWG1, then SIGP1 and NOSEQ1.</p>
</body></html>
"""
# Enough answers to show the loop works, few enough that the test stays short however many cards are due.
MAX_ANSWERS = 12


def reviews_today(site) -> int:
    return site.request("/api/review/summary/", token=site.token())["reviewed_today"]


def test_meet_five_genes_review_them_with_the_keyboard_export_the_deck_and_open_a_cast(
    configured, pages, site, tmp_path
):
    context, _ = configured
    sign_in(configured)
    paper = context.new_page()
    paper.goto(pages.write("paper.html", PAPER))
    paper.wait_for_function("document.querySelectorAll('span.iconoplasm-gene').length === 5", timeout=15_000)
    for symbol in FIVE:
        hover_for(paper, symbol, 1.3)
    wait_until(lambda: set(FIVE) <= site.discovered(), timeout=20)

    page = context.new_page()
    page.goto(f"{site.url}/accounts/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("#archive-counter")).to_contain_text("5")
    expect(page.locator("#review-counts")).to_contain_text("new /")

    page.click("#review-counts a")
    expect(page).to_have_url(f"{site.url}/review/")
    answered = 0
    while answered < MAX_ANSWERS:
        expect(page.locator("#review-card:visible, #review-done:visible")).to_be_visible()
        if page.locator("#review-done").is_visible():
            break
        expect(page.locator("#review-grades")).to_be_hidden()
        question = page.text_content("#review-question")
        page.keyboard.press("1")  # the first option
        expect(page.locator("#review-grades")).to_be_visible()
        expect(page.locator("#review-verdict")).not_to_be_empty()
        page.keyboard.press(" ")  # the suggested grade
        answered += 1
        wait_until(lambda n=answered: reviews_today(site) == n)
        assert question
    assert answered >= 5, f"only {answered} questions for five genes"
    # The answers shown were the ones recorded: once each, none lost.
    assert reviews_today(site) == answered
    expect(page.locator("#review-feedback")).to_be_visible()

    page.goto(f"{site.url}/")
    with page.expect_download() as download:
        page.click("#archive-deck")
    saved = tmp_path / "mine.apkg"
    download.value.save_as(saved)
    deck = open_apkg(Path(saved))
    assert sorted(note.fields[0] for note in deck.notes) == sorted(FIVE)
    assert len(deck.cards) == 2 * len(FIVE)

    cast = site.request(
        "/api/casts/",
        {
            "title": "Five genes met in one paper",
            "description": "The genes of the test page, in two factions.",
            "public": True,
            "sides": [{"name": "guardians", "genes": ["TP53", "LAIR1"]}, {"name": "newcomers", "genes": FIVE[2:]}],
        },
        token=site.token(),
    )
    page.goto(f"{site.url}/casts/{cast['slug']}/")
    expect(page.locator("h1")).to_have_text("Five genes met in one paper")
    for symbol in FIVE:
        expect(page.get_by_text(symbol, exact=True).first).to_be_visible()
    page.get_by_role("button", name="Study this cast").click()
    expect(page).to_have_url(f"{site.url}/review/")
