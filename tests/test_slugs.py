"""Slugs from any text: transliterated, never losing letters, one rule for both apostrophes."""

from __future__ import annotations

import pytest

from entraide.slugs import slug_problem, slugify, tag_slug

CASES = {
    "sœur": "soeur",
    "l’œuvre": "l-oeuvre",
    "l’équipe": "l-equipe",
    "l'équipe": "l-equipe",
    "L‘équipe": "l-equipe",
    "Ça marche !": "ca-marche",
    "Straße": "strasse",
    "Æsop et Œdipe": "aesop-et-oedipe",
    "« Télétravail » : oui ?": "teletravail-oui",
    "ﬁnance": "finance",
    "x²": "x2",
    "привет": "privet",
    "İstanbul": "istanbul",
    "Conflit entre deux collaborateurs : comment intervenir ?": "conflit-entre-deux-collaborateurs-comment-intervenir",
    "e\u0301quipe": "equipe",  # a decomposed accent, as some keyboards type it
}


@pytest.mark.parametrize(("text", "slug"), CASES.items())
def test_slugs_keep_every_letter(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert slug_problem(slug) is None


@pytest.mark.parametrize("text", ["🎉", "!!!", "", "日本" * 100, "a" * 500, "-x-", "a\u200bb"])
def test_every_slug_is_valid_or_empty(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or slug_problem(slug) is None


def test_a_tag_with_no_letter_to_transliterate_still_gets_a_stable_page() -> None:
    assert tag_slug("🎉") == tag_slug("🎉") and tag_slug("🎉").startswith("t-")
    assert tag_slug("sœur") == "soeur"
