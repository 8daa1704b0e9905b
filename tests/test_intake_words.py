"""Every problem the form can show is in French on a French page: generated from every field's bad values."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from entraide.intake import forms
from entraide.intake.words import message
from entraide.loading.loader import load_content
from tests.conftest import REPO

BAD_VALUES = {
    "title": ["", "x" * 300, "deux\nlignes", "<b>gras</b>", "<script>alert(1)</script>"],
    "theme": ["", "nope"],
    "tags": ["Pas Bon", ",".join(f"t{n}" for n in range(12)), "a" * 80],
    "lang": ["de", "FR"],
    "body": ["", "x" * 70_000, "Écrivez-moi : jean@example.com", "Appelez le 06 12 34 56 78",
             "[x](javascript:alert(1))", "IBAN FR76 3000 6000 0112 3456 7890 189", "<a href='data:text/html,x'>y</a>",
             "Mon numéro : 1 85 05 78 006 084 91"],
    "author": ["", "x" * 200, "jean@example.com"],
    "consent": [False],
    "license": ["MIT", ""],
}
VALID = forms.PostForm(title="Un titre correct", theme="charge", body="Un texte qui passe toutes les vérifications.",
                       author="Nadia K.", consent=True)


@pytest.fixture(scope="module")
def tree():  # type: ignore[no-untyped-def]
    return load_content(REPO / "content", base=REPO)


CASES = [(field, value) for field, values in BAD_VALUES.items() for value in values]


@pytest.mark.parametrize(("field", "value"), CASES, ids=[f"{field}-{n}" for n, (field, _v) in enumerate(CASES)])
def test_every_problem_of_every_field_reads_in_french(tree, field: str, value: object) -> None:  # type: ignore[no-untyped-def]
    form = replace(VALID, **{field: value})
    outcome = forms.problems(form, tree, REPO, datetime(2026, 1, 5, 10, 0))
    messages = [text for texts in outcome.errors.values() for text in texts]
    assert messages, f"{field}={value!r} should be refused"
    for text in messages:
        assert message(text, "fr") != text, f"no French for: {text}"
        assert message(text, "en") == text


def test_a_reply_to_a_thread_that_is_not_published_reads_in_french(tree) -> None:  # type: ignore[no-untyped-def]
    outcome = forms.problems(replace(VALID, reply_to="nulle-part"), tree, REPO, datetime(2026, 1, 5, 10, 0))
    assert [message(t, "fr") for t in outcome.errors["general"]] == ["la discussion «\u202fnulle-part\u202f» n'est pas publiée"]
