"""A mistyped slug is an error with a "did you mean" hint for close matches, never a silent empty answer."""

from __future__ import annotations

import pytest

from entraide.suggestions import closest
from tests.conftest import example_project

THREAD = "conflit-entre-deux-collaborateurs"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return example_project(tmp_path_factory.mktemp("example"), build=False)


@pytest.mark.parametrize(("args", "hint"), [
    (["search", "--theme", "feedbak", "x"], "unknown theme 'feedbak'; did you mean 'feedback'?"),
    (["search", "--theme", "teletravial", "x"], "did you mean 'teletravail'?"),
    (["search", "--tag", "conflitt", "x"], "unknown tag 'conflitt'; did you mean 'conflit'?"),
    (["search", "--tag", "feedback,onbording", "x"], "unknown tag 'onbording'; did you mean 'onboarding'?"),
    (["withdraw", THREAD[:-1], "--reason", "test"], f"no published thread '{THREAD[:-1]}'; did you mean '{THREAD}'?"),
    (["curate", THREAD[:-1], "--feature"], f"did you mean '{THREAD}'?"),
    (["curate", THREAD, "--theme", "conflit"], "unknown theme 'conflit'; did you mean 'conflits'?"),
    (["curate", THREAD, "--related", "dire-non-a-son-propre-manger"], "did you mean 'dire-non-a-son-propre-manager'?"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_a_mistyped_slug_is_an_error_with_a_close_match(example, run, args, hint):
    result = run(example, *args)
    assert result.exit_code == 1
    assert hint in result.output
    assert "threads found" not in result.output


@pytest.mark.parametrize("args", [
    ["search", "--theme", "zzzz", "x"], ["search", "--tag", "qwertyuiop", "x"], ["withdraw", "qwertyuiop", "--reason", "t"],
])
def test_an_unrelated_slug_gets_no_hint_but_is_still_an_error(example, run, args):
    result = run(example, *args)
    assert result.exit_code == 1
    assert "did you mean" not in result.output


@pytest.mark.parametrize(("word", "expected"), [
    ("feedbak", "feedback"), ("feedback", "feedback"), ("carier", "carriere"), ("x", None), ("recrutements", "recrutement"),
])
def test_close_matches_only(word, expected):
    assert closest(word, ["feedback", "carriere", "recrutement", "conflits"]) == expected
