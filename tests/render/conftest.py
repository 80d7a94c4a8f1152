from __future__ import annotations

import pytest

from pipeline.render import diffusion


@pytest.fixture
def encoded_texts(monkeypatch) -> list[str]:
    """Every text the diffusion renderer hands its text encoder, in order (the real encoding still runs)."""
    seen: list[str] = []
    original = diffusion.encode_long_prompt

    def spy(tokenizer, text_encoder, text, *args):
        seen.append(text)
        return original(tokenizer, text_encoder, text, *args)

    monkeypatch.setattr(diffusion, "encode_long_prompt", spy)
    return seen
