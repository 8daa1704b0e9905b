"""Tags of imported threads: spelt so that different source tags stay different, mapped and added by the editor.

Generated classes: source tags that differ only by a sign (``c``, ``c++``, ``c#``), signs at either end,
case and accents; maps with one tag, a list, a drop, case-insensitive keys, and every kind of mistake
(all reported at once, each with its file and line, and nothing imported).
"""

from __future__ import annotations

import html
from pathlib import Path

import frontmatter
import pytest

from entraide.identifiers import tag_problem
from entraide.importing.model import ExportError
from entraide.importing.tagmap import spelt, tag_map
from tests.importing import small_project, submission_files

BASIS = "licence CC BY-SA de la source"

SIGNED = ["c", "c++", "c#", "f#", "f", ".net", "net", "node.js", "node-js", "r&d", "q&a", "@mention"]


def test_source_tags_that_differ_by_a_sign_stay_different_tags():
    tags = [spelt(name) for name in SIGNED]
    assert all(tag is not None and tag_problem(tag) is None for tag in tags), tags
    assert dict(zip(SIGNED, tags, strict=True)) == {
        "c": "c", "c++": "c-plus-plus", "c#": "c-sharp", "f#": "f-sharp", "f": "f", ".net": "dot-net", "net": "net",
        "node.js": "node-js", "node-js": "node-js", "r&d": "r-and-d", "q&a": "q-and-a", "@mention": "at-mention",
    }


@pytest.mark.parametrize("name", ["Télétravail", "  Remote_Work  ", "team--management", "équipe/agile", "Ünïcode"])
def test_a_source_tag_is_spelt_as_a_valid_tag_keeping_accents(name):
    tag = spelt(name)
    assert tag is not None and tag_problem(tag) is None
    assert tag == tag.lower() and "_" not in tag and "--" not in tag
    assert spelt(name.upper()) == tag


@pytest.mark.parametrize("name", ["", "---", "___", "!!!", "  "])
def test_a_source_tag_with_no_word_is_left_out(name):
    assert spelt(name) is None


def _dump(folder: Path, tags: str) -> Path:
    """A one-question Stack Exchange dump whose question has ``tags`` (``<a><b>``)."""
    folder.mkdir(parents=True)
    question = html.escape("<p>How do I run a one-to-one with a quiet engineer?</p>")
    (folder / "Posts.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
        f'  <row Id="1" PostTypeId="1" CreationDate="2020-01-02T10:00:00.000" Body="{question}" '
        f'OwnerDisplayName="Ana" Title="Quiet engineer one-to-ones" Tags="{html.escape(tags)}" '
        'ContentLicense="CC BY-SA 4.0" />\n</posts>\n',
        encoding="utf-8",
    )
    return folder


def _imported_tags(run, project: Path, dump: Path, *args: str) -> list[str]:  # noqa: ANN001
    result = run(project, "import", "stackexchange", str(dump), "--theme", "conflits", "--lang", "en",
                 "--basis", BASIS, *args)
    assert result.exit_code == 0, result.output
    (text,) = submission_files(project).values()
    return list(frontmatter.loads(text)["tags"])


def test_a_map_renames_splits_and_drops_source_tags_and_added_tags_follow(make_project, run, tmp_path):
    project = small_project(make_project)
    dump = _dump(tmp_path / "se.stackexchange.com", "<Interviewing><off-topic><c++><c#><Télétravail><c>")
    tag_map_file = tmp_path / "tag-map.yml"
    tag_map_file.write_text(
        "# source tag: what it becomes\n"
        "interviewing: [recrutement, entretien]\n"
        "OFF-TOPIC: []\n"
        "teletravail: remote-work\n"
        "unused: whatever\n",
        encoding="utf-8",
    )
    tags = _imported_tags(run, project, dump, "--map-tags", str(tag_map_file), "--add-tags", "import, entretien")
    assert tags == ["recrutement", "entretien", "c-plus-plus", "c-sharp", "remote-work", "c", "import"]


def test_without_a_map_every_source_tag_is_spelt_and_at_most_eight_are_kept(make_project, run, tmp_path):
    project = small_project(make_project)
    names = ["c++", "c#", "c", ".net", "node.js", "team-management", "Remote_Work", "a", "b", "d"]
    dump = _dump(tmp_path / "se.stackexchange.com", "".join(f"<{name}>" for name in names))
    assert _imported_tags(run, project, dump) == [spelt(name) for name in names][:8]


MISTAKES = {
    "not a mapping": ("- conflit\n- equipe\n", ["tag-map.yml:1: expected a mapping from source tags to tags"]),
    "bad target": ("interviewing: Recrutement RH\n", ["tag-map.yml:1: interviewing: tag 'Recrutement RH' must be"]),
    "bad item": ("a: [ok, 'No Way', {x: 1}]\n",
                 ["tag-map.yml:1: a: tag 'No Way' must be", "tag-map.yml:1: a: expected a tag or a list of tags"]),
    "same key twice": ("Interviewing: a\ninterviewing: b\n", ["tag-map.yml:2: interviewing: already mapped on line 1"]),
    "malformed": ("a: [b\n", ["tag-map.yml:"]),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_every_mistake_in_a_map_is_reported_with_its_line_and_nothing_is_imported(make_project, run, tmp_path, mistake):
    project = small_project(make_project)
    dump = _dump(tmp_path / "se.stackexchange.com", "<interviewing>")
    text, expected = MISTAKES[mistake]
    (tmp_path / "tag-map.yml").write_text(text, encoding="utf-8")
    result = run(project, "import", "stackexchange", str(dump), "--theme", "conflits", "--lang", "en",
                 "--basis", BASIS, "--map-tags", str(tmp_path / "tag-map.yml"), "--add-tags", "Bad Tag,ok")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line.split(str(tmp_path) + "/", 1)[-1] for line in result.output.splitlines()]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert any("--add-tags: tag 'Bad Tag' must be" in line for line in lines), lines
    assert submission_files(project) == {}


def test_a_missing_map_file_is_named(tmp_path):
    with pytest.raises(ExportError) as raised:
        tag_map(tmp_path / "absent.yml", None)
    assert raised.value.problems == [f"{tmp_path / 'absent.yml'}: cannot be read: No such file or directory"]
