"""Every identifier a user types goes through one validator before a path is built from it.

The table below names every command argument or option that takes a submission id, a thread slug, a
reply id, a theme slug or tags; each is tried with every hostile value, and a test checks that the
table misses no parameter of the CLI.
"""

from __future__ import annotations

import click
import pytest

from entraide import identifiers
from entraide.cli import main
from entraide.slugs import WINDOWS_DEVICE_NAMES, slug_problem, tag_slug
from tests.conftest import valid_files

SUB = "2025-06-02-hugo"
SUB_REPLY = """\
---
reply_to: conflit-collegues
author: "Hugo L."
anonymous: false
date: 2025-06-02 18:00
consent: true
---
Parlez-leur séparément.
"""

HOSTILE = [
    "../../x", "/tmp/x", "a/b", "a\\b", "..", ".", "con", "nul", "aux", "prn", "com1", "lpt9", "con.md", "",
    " conflits", "C:x", "~root", "x" * 200,
]

# (command prefix, how to put the identifier in, the rest of a valid command line)
SLOTS = [
    (("new", "--no-input", "--lang", "fr", "--author", "A", "--consent", "--body-file", "-", "--title", "T",
      "--theme", "conflits"), "--id", ()),
    (("new", "--no-input", "--lang", "fr", "--author", "A", "--consent", "--body-file", "-"), "--reply-to", ()),
    (("new", "--no-input", "--lang", "fr", "--author", "A", "--consent", "--body-file", "-", "--title", "T"),
     "--theme", ()),
    (("accept",), "ARG", ("--editor", "E")),
    (("import", "stackexchange", "tests/fixtures/import/stackexchange/workplace.stackexchange.com", "--basis", "b"),
     "--theme", ()),
    (("accept", SUB, "--editor", "E"), "--theme", ()),
    (("accept", SUB, "--editor", "E"), "--slug", ()),
    (("reject",), "ARG", ("--reason", "r", "--editor", "E")),
    (("show",), "ARG", ()),
    (("redact",), "ARG", ("--personal-data",)),
    (("withdraw",), "ARG", ("--reason", "r", "--editor", "E")),
    (("curate",), "ARG", ("--feature", "--editor", "E")),
    (("curate", "conflit-collegues", "--editor", "E"), "--theme", ()),
    (("curate", "conflit-collegues", "--editor", "E"), "--best-reply", ()),
    (("curate", "conflit-collegues", "--editor", "E"), "--related", ()),
    (("themes", "add"), "ARG", ("--title-fr", "T", "--editor", "E")),
    (("themes", "add", "nouveau", "--title-fr", "T", "--editor", "E"), "--after", ()),
    (("themes", "edit"), "ARG", ("--title-fr", "T", "--editor", "E")),
    (("themes", "move"), "ARG", ("--position", "1", "--editor", "E")),
    (("themes", "move", "conflits", "--editor", "E"), "--before", ()),
    (("themes", "move", "conflits", "--editor", "E"), "--after", ()),
    (("themes", "remove"), "ARG", ("--editor", "E")),
    (("search", "conflit"), "--theme", ()),
]
TAG_SLOTS = [
    (("new", "--no-input", "--lang", "fr", "--author", "A", "--consent", "--body-file", "-", "--title", "T",
      "--theme", "conflits"), "--tags"),
    (("accept", "2025-06-01-t", "--editor", "E"), "--tags"),
    (("curate", "conflit-collegues", "--editor", "E"), "--tags"),
    (("search", "conflit"), "--tag"),
]


def _args(prefix: tuple[str, ...], slot: str, value: str, rest: tuple[str, ...]) -> list[str]:
    if slot == "ARG":
        return [*prefix, value, *rest]
    return [*prefix, slot, value, *rest]


@pytest.fixture
def project(make_project):
    files = valid_files()
    files[f"submissions/{SUB}.md"] = SUB_REPLY
    return make_project(files)


def _snapshot(root):
    return sorted((str(p.relative_to(root)), p.read_bytes() if p.is_file() else b"") for p in root.rglob("*")
                  if ".entraide" not in p.parts)


CASES = [
    pytest.param(prefix, slot, rest, value, id=f"{' '.join(prefix)} {slot} {value!r}")
    for prefix, slot, rest in SLOTS
    for value in HOSTILE
    if not (slot == "--best-reply" and value == "")  # an empty --best-reply unmarks the best reply: allowed
]


@pytest.mark.parametrize(("prefix", "slot", "rest", "value"), CASES)
def test_hostile_identifiers_are_refused_before_any_path_is_built(project, run, prefix, slot, rest, value, tmp_path):
    before = _snapshot(tmp_path)
    result = run(project, *_args(prefix, slot, value, rest))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.output.strip().splitlines()[-1]
    assert message.startswith("Error: "), result.output
    label = "ID" if prefix[0] in ("accept", "reject", "show", "redact") and slot == "ARG" else None
    if label:
        assert message.startswith(f"Error: {label}: "), message
    assert len(message) < 240
    assert _snapshot(tmp_path) == before  # nothing written, inside the project or beside it


@pytest.mark.parametrize("value", ["Médiation", "a b", "../x", "x" * 41])
@pytest.mark.parametrize(("prefix", "slot"), TAG_SLOTS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_hostile_tags_are_refused(project, run, prefix, slot, value):
    result = run(project, *prefix, slot, f"conflit,{value}")
    assert result.exit_code == 1, result.output
    if prefix[0] == "new":  # refused with every other problem of the post, in the check's words; nothing submitted
        assert result.output.startswith("Erreur : la soumission n'a pas été écrite :\n"), result.output
        assert ":4: tags: l'étiquette «\u202f" in result.output, result.output
        assert not list((project / "submissions").glob("*-t.md"))
        return
    assert result.output.startswith(f"Error: {slot}: tag '"), result.output


def _parameters(command: click.Command, path: tuple[str, ...] = ()):
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _parameters(sub, (*path, name))
        return
    for param in command.params:
        yield path, param


IDENTIFIER_NAMES = {"submission_id", "submission_ids", "slug", "target", "reply_to", "theme", "best_reply", "related", "after",
                    "before", "tags"}


def test_every_identifier_parameter_of_the_cli_is_validated():
    """A new option naming a submission, thread, reply, theme or tag cannot skip the validator."""
    seen = []
    for path, param in _parameters(main):
        if param.name in IDENTIFIER_NAMES:
            seen.append((path, param.name))
            assert isinstance(param.type, identifiers.Identifier | identifiers.TagList), (path, param.name)
    assert len(seen) >= 25
    covered = {(prefix[0], slot) for prefix, slot, _rest in SLOTS} | {(p[0], s) for p, s in TAG_SLOTS}
    for path, _name in seen:
        assert any(command == path[0] for command, _slot in covered), path


def test_withdraw_with_a_trailing_slash_does_not_take_the_thread_down(project, run):
    result = run(project, "withdraw", "conflit-collegues/", "--reason", "r", "--editor", "E")
    assert result.exit_code == 1
    assert result.output == "Error: SLUG[/REPLY-ID]: 'conflit-collegues/' is neither SLUG nor SLUG/REPLY-ID\n"
    assert (project / "content/threads/conflit-collegues/thread.md").is_file()


def test_new_with_a_path_as_id_writes_nothing(project, run, tmp_path):
    result = run(project, "new", "--no-input", "--lang", "fr", "--title", "Titre", "--theme", "conflits",
                 "--author", "A", "--consent", "--body-file", "-", "--id", "../../x")
    assert result.output == "Error: --id: '../../x' is not a valid submission id: give a name, not a path\n"
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize("name", sorted(WINDOWS_DEVICE_NAMES))
def test_windows_device_names_are_not_slugs(name):
    assert slug_problem(name) == (
        f"'{name}' is a device name on Windows (like con, nul, com1, lpt1); choose another name"
    )


def test_windows_device_names_are_refused_as_file_names(make_project, run):
    files = valid_files()
    files["submissions/con.md"] = SUB_REPLY
    files["content/threads/conflit-collegues/nul.md"] = SUB_REPLY.replace("reply_to: conflit-collegues\n", "")
    result = run(make_project(files), "check")
    assert result.exit_code == 1
    errors = result.stdout.splitlines()
    device = "is a device name on Windows (like con, nul, com1, lpt1); choose another name"
    assert f"submissions/con.md:1: id: submission file name 'con' {device}" in errors
    assert f"content/threads/conflit-collegues/nul.md:1: id: reply file name 'nul' {device}" in errors


@pytest.mark.parametrize("tag", ["переговоры", "会議", "🎉", "ελληνικά", "дом"])
def test_a_tag_without_ascii_letters_gets_its_own_stable_page(tag):
    slug = tag_slug(tag)
    assert slug.startswith("t-") and len(slug) == 12 and slug == tag_slug(tag)
    assert slug_problem(slug) is None
    from builder import routes

    assert routes.tag(tag) == f"tags/{slug}/index.md" != routes.TAGS
