"""The popup's review in real headless Chromium with the extension, against a live test server:
"N genes due", a question answered with the keyboard, and what it says signed out and offline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import open_popup, sign_in

DUE = re.compile(r"^(\d+) genes? due$")


def shown_due(popup) -> int:
    expect(popup.locator("#review-due")).to_have_text(DUE)
    return int(DUE.match(popup.text_content("#review-due")).group(1))


@pytest.fixture(scope="module")
def reviewer(configured, site):
    """The extension signed in as a user who has met four genes; their token for the server."""
    token = site.token()
    site.request("/api/me/discoveries/", {"symbols": ["TP53", "LAIR1", "NEWG1", "SIGP1"]}, token=token)
    sign_in(configured)
    return token


def test_signed_out_the_popup_asks_to_sign_in(configured):
    popup = open_popup(configured)
    expect(popup.locator("#review-due")).to_have_text("Sign in on the options page to review")
    expect(popup.locator("#review-start")).to_be_hidden()
    popup.close()


def test_a_question_answered_with_the_keyboard_brings_the_due_count_down(configured, site, reviewer):
    popup = open_popup(configured)
    due = shown_due(popup)
    assert due == site.request("/api/review/summary/", token=reviewer)["due"]
    assert due >= 2, "four genes give at least one trait card each"
    expect(popup.locator("#review-stats")).to_contain_text("0 reviewed today")

    # A card shows the same question until it is answered, so the server says what the popup should show.
    items = site.request("/api/review/next/?limit=5", token=reviewer)["items"]
    first = items[0]
    popup.click("#review-start")
    expect(popup.locator("#review-panel .progress")).to_have_text(f"Question 1 of {len(items)}")
    expect(popup.locator("#review-panel .question")).to_have_text(first["question"])
    # Each choice button: its key, then its label, or for a portrait choice only the image.
    shown = [f"{key}{'' if choice['image_url'] else choice['label']}" for key, choice in enumerate(first["choices"], 1)]
    expect(popup.locator("#review-panel button.choice")).to_have_text(shown)
    popup.keyboard.press("1")
    expect(popup.locator("#review-panel .verdict")).to_have_text(re.compile(r"^(Right!|Not quite: it was .+\.)$"))
    right = popup.text_content("#review-panel .verdict") == "Right!"
    expect(popup.locator("#review-panel button.grade[aria-pressed=true]")).to_have_text("3Good" if right else "1Again")
    popup.keyboard.press("Space")

    expect(popup.locator("#review-panel .progress")).to_have_text(f"Question 2 of {len(items)}")
    expect(popup.locator("#review-due")).to_have_text(re.compile(rf"^{due - 1} genes? due$"))
    expect(popup.locator("#review-panel .fact")).to_have_text(re.compile(r".+ ← .+ \(next review in .+\)$"))
    summary = site.request("/api/review/summary/", token=reviewer)
    assert (summary["due"], summary["reviewed_today"]) == (due - 1, 1)
    popup.close()


def test_offline_the_review_and_the_popup_say_so_and_keep_the_last_due_count_seen(configured, site, reviewer):
    popup = open_popup(configured)
    due = shown_due(popup)
    popup.click("#review-start")
    expect(popup.locator("#review-panel .progress")).to_have_text(re.compile(r"^Question 1 of \d$"))
    site.stop()
    try:
        popup.keyboard.press("1")
        popup.keyboard.press("Space")
        expect(popup.locator("#review-panel .message.error")).to_have_text(
            f"Cannot reach the Iconoplasm server at {site.url}. Is it running, and is the address right? "
            "Answers sent before this one are saved; press a grade to send it again."
        )
        expect(popup.locator("#review-panel .verdict")).to_be_visible()
        popup.close()

        popup = open_popup(configured)
        expect(popup.locator("#review-due")).to_have_text(
            f"Offline: reviews need the server ({due} due when last seen just now)"
        )
        expect(popup.locator("#review-start")).to_be_hidden()
        popup.close()
    finally:
        site.start()
