"""Hostile and broken exports: markup inside an export is inert on the built page, and a malformed
export is refused with the file and the record named, no traceback, and nothing in submissions/."""

from __future__ import annotations

import html as htmllib
import json
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.importing import EDITOR, FIXTURES, small_project, submission_files
from tests.payloads import BODY_PAYLOADS, FIELD_PAYLOADS

DANGEROUS_TAGS = {"script", "iframe", "img", "svg", "math", "object", "embed", "style", "form", "input", "base",
                  "meta", "link", "template", "details", "body", "video", "audio"}


MATERIAL_TABS_SCRIPT = '<script>var target=document.getElementById(location.hash.slice(1))'
"""Material's own inline script after the page's content (its hash is in the page's CSP)."""


class _Active(HTMLParser):
    """Everything in a page region that a browser would run or load."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "src", "formaction"):
                self.found.append(f"{tag} {name}")
            scheme = (value or "").split(":", 1)[0].lower() if ":" in (value or "") else ""
            if name == "href" and scheme not in ("", "http", "https", "mailto"):
                self.found.append(f"{tag} href={value}")


def active_content(page: str) -> list[str]:
    """What could run or call out in the entraide part of a page (Material's own shell left aside)."""
    region = page.split('<div class="entraide entraide-', 1)[1].split('<footer class="md-footer"', 1)[0]
    region = region.split(MATERIAL_TABS_SCRIPT, 1)[0]
    parser = _Active()
    parser.feed(region)
    return parser.found


def _se_dump(folder: Path, bodies: list[str], titles: list[str] | None = None, names: list[str] | None = None) -> Path:
    """A Stack Exchange dump: one question per title, every body an answer to the first one."""
    folder.mkdir(parents=True)
    rows = []
    for number, title in enumerate(titles or ["A question about hostile answers"], start=1):
        rows.append(f'<row Id="{number}" PostTypeId="1" CreationDate="2020-01-0{min(number, 9)}T10:00:00.000" '
                    f'Body="{htmllib.escape("<p>Question body " + str(number) + "</p>")}" OwnerUserId="1" '
                    f'Title="{htmllib.escape(title)}" Tags="&lt;safety&gt;" ContentLicense="CC BY-SA 4.0" />')
    for number, body in enumerate(bodies, start=100):
        owner = 2 + (number - 100) % len(names) if names else 1
        rows.append(f'<row Id="{number}" PostTypeId="2" ParentId="1" CreationDate="2020-02-01T10:{number % 60:02d}:00.000" '
                    f'Body="{htmllib.escape(f"<p>Answer {number}</p>" + body)}" OwnerUserId="{owner}" '
                    'ContentLicense="CC BY-SA 4.0" />')
    (folder / "Posts.xml").write_text('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n' + "\n".join(rows)
                                      + "\n</posts>\n", encoding="utf-8")
    users = ['<row Id="1" DisplayName="Asker" />'] + [
        f'<row Id="{2 + i}" DisplayName="{htmllib.escape(name)}" />' for i, name in enumerate(names or [])]
    (folder / "Users.xml").write_text("<users>\n" + "\n".join(users) + "\n</users>\n", encoding="utf-8")
    return folder


def _accept_what_can_be(run, project: Path) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """Accept every submission the moderation rules allow; the ids accepted and refused."""
    pending = submission_files(project)
    order = sorted(pending, key=lambda name: "\nreply_to:" in pending[name])
    accepted, refused = [], []
    for name in order:
        result = run(project, "accept", name, "--editor", EDITOR)
        (accepted if result.exit_code == 0 else refused).append(name)
        assert "Traceback" not in result.output
    return accepted, refused


def test_hostile_html_in_stack_exchange_answers_is_inert_on_the_built_page(make_project, run, tmp_path):
    project = small_project(make_project)
    dump = _se_dump(tmp_path / "hostile.stackexchange.com", BODY_PAYLOADS)
    result = run(project, "import", "stackexchange", str(dump), "--theme", "conflits", "--basis", "test")
    assert result.exit_code == 0, result.output
    accepted, refused = _accept_what_can_be(run, project)
    assert len(accepted) > len(BODY_PAYLOADS) // 2, refused  # most are published, as text
    assert run(project, "build").exit_code == 0
    (folder,) = (project / "content/threads").iterdir()
    page = (project / "site" / folder.name / "index.html").read_text(encoding="utf-8")
    assert active_content(page) == []
    assert '<a href="https://evil.example" rel="nofollow noopener noreferrer ugc">survol</a>' in page  # no handler


@pytest.mark.parametrize("field", ["title", "author"])
def test_markup_in_an_imported_title_or_name_never_reaches_a_page(make_project, run, tmp_path, field):
    project = small_project(make_project)
    payloads = FIELD_PAYLOADS[:12]
    dump = _se_dump(tmp_path / "fields.stackexchange.com", [f"<p>Reply {i}</p>" for i in range(len(payloads))],
                    titles=payloads if field == "title" else None, names=payloads if field == "author" else None)
    result = run(project, "import", "stackexchange", str(dump), "--theme", "conflits", "--basis", "test")
    assert result.exit_code == 0, result.output
    _accept_what_can_be(run, project)
    assert run(project, "build").exit_code == 0
    for page in (project / "site").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if '<div class="entraide entraide-' in text and '<div class="entraide entraide-search' not in text:
            assert active_content(text) == [], page


def test_hostile_slack_messages_are_inert(make_project, run, tmp_path):
    export = tmp_path / "slack"
    shutil.copytree(FIXTURES / "slack" / "export", export)
    day = export / "managers" / "2025-03-04.json"
    messages = json.loads(day.read_text(encoding="utf-8"))
    messages += [{"type": "message", "user": "U02KARIM", "text": payload, "ts": f"17410870{n:02d}.000100",
                  "thread_ts": "1741082400.000200"} for n, payload in enumerate(BODY_PAYLOADS[:30])]
    messages += [{"type": "message", "user": "U02KARIM", "text": "<javascript:alert(1)|clic> <https://ok.example|ok>",
                  "ts": "1741087999.000100", "thread_ts": "1741082400.000200"}]
    day.write_text(json.dumps(messages), encoding="utf-8")
    project = small_project(make_project)
    result = run(project, "import", "slack", str(export), "--theme", "conflits", "--license", "CC-BY-SA-4.0",
                 "--basis", "test")
    assert result.exit_code == 0, result.output
    accepted, _refused = _accept_what_can_be(run, project)
    assert len(accepted) > 15
    assert run(project, "build").exit_code == 0
    (folder,) = (project / "content/threads").iterdir()
    assert active_content((project / "site" / folder.name / "index.html").read_text(encoding="utf-8")) == []


def _zip_with(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def _broken_cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """Each malformed export: the import's arguments and the line that must name its file and record."""
    truncated = tmp / "truncated.stackexchange.com"
    truncated.mkdir()
    text = (FIXTURES / "stackexchange/workplace.stackexchange.com/Posts.xml").read_text(encoding="utf-8")
    (truncated / "Posts.xml").write_text(text[: len(text) // 2], encoding="utf-8")
    bomb = tmp / "bomb.stackexchange.com"
    bomb.mkdir()
    (bomb / "Posts.xml").write_text('<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>\n'
                                    '<posts><row Id="1" PostTypeId="1" Body="&b;" /></posts>\n', encoding="utf-8")
    formula = tmp / "formula.csv"
    formula.write_text("Question,Contexte\nBonne question,Texte\n"
                       'Autre,"=HYPERLINK(""https://evil.example"",""clic"")"\n', encoding="utf-8")
    latin = tmp / "latin.csv"
    latin.write_bytes("Question,Contexte\nR\u00e9union,\u00c9quipe\n".encode("cp1252"))
    bad_json = tmp / "discourse"
    bad_json.mkdir()
    (bad_json / "t-9.json").write_text('{"id": 9,\n "title": "x",\n "post_stream": {"posts": [}\n', encoding="utf-8")
    channels = '[{"id": "C1", "name": "general"}]'
    traversal = _zip_with(tmp / "slack.zip", {"channels.json": channels, "../../evil.json": "[]"})
    csv_args = ["--map", "title=Question,body=Contexte", "--license", "CC-BY-4.0"]
    return {
        "truncated XML": (["stackexchange", str(truncated)], f"{truncated / 'Posts.xml'}:"),
        "XML entities": (["stackexchange", str(bomb)], f"{bomb / 'Posts.xml'}: refused XML construct"),
        "formula cell": (["csv", str(formula), *csv_args], f"{formula}:3: column 'Contexte': a spreadsheet formula"),
        "wrong encoding": (["csv", str(latin), *csv_args], f"{latin}:2: not UTF-8 text"),
        "invalid JSON": (["discourse", str(bad_json), "--source-url", "https://f.example", "--license", "CC0-1.0"],
                         f"{bad_json / 't-9.json'}:3: invalid JSON"),
        "zip path traversal": (["slack", str(traversal), "--license", "CC0-1.0"],
                               f"{traversal}: member '../../evil.json': a path outside the archive"),
    }


@pytest.mark.parametrize("case", ["truncated XML", "XML entities", "formula cell", "wrong encoding", "invalid JSON",
                                  "zip path traversal"])
def test_a_malformed_export_is_refused_naming_the_file_and_nothing_is_written(make_project, run, tmp_path, case):
    project = small_project(make_project)
    args, expected = _broken_cases(tmp_path)[case]
    result = run(project, "import", *args, "--theme", "conflits", "--basis", "test")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: " + expected), result.output
    assert result.output.strip().endswith("in the export; nothing was imported.")
    assert submission_files(project) == {}
    assert not (project / "moderation" / "log.jsonl").exists()


def test_an_unknown_licence_is_refused_until_editors_list_it(make_project, run, tmp_path):
    project = small_project(make_project)
    dump = tmp_path / "old.stackexchange.com"
    dump.mkdir()
    (dump / "Posts.xml").write_text(
        '<posts><row Id="1" PostTypeId="1" CreationDate="2010-05-01T10:00:00.000" Body="&lt;p&gt;Old&lt;/p&gt;" '
        'Title="An old question" ContentLicense="CC BY-SA 2.5" /></posts>', encoding="utf-8")
    args = ("import", "stackexchange", str(dump), "--theme", "conflits", "--basis", "licence de la source")
    refused = run(project, *args)
    assert refused.exit_code == 1
    assert refused.output.splitlines()[0] == (
        "Error: Posts.xml: row Id=1: license: expected one of CC-BY-SA-4.0, CC-BY-4.0, CC0-1.0, CC-BY-SA-3.0; "
        "found 'CC-BY-SA-2.5' (editors add licences in content/licenses.yml)")
    (project / "content/licenses.yml").write_text(
        "licenses:\n  - id: CC-BY-SA-2.5\n    url: https://creativecommons.org/licenses/by-sa/2.5/\n", encoding="utf-8")
    assert run(project, *args).exit_code == 0
    assert run(project, "accept", "se-old-stackexchange-com-q1", "--editor", EDITOR).exit_code == 0
    assert run(project, "build").exit_code == 0
    page = (project / "site/an-old-question/index.html").read_text(encoding="utf-8")
    assert '<a href="https://creativecommons.org/licenses/by-sa/2.5/" rel="license">CC-BY-SA-2.5</a>' in page


def test_an_imported_hostile_thread_runs_nothing_in_chromium(make_project, run, tmp_path, browser):
    from tests.browser import serve
    from tests.test_hostile_posts_in_browser import PROBE

    project = small_project(make_project)
    dump = _se_dump(tmp_path / "hostile.stackexchange.com", BODY_PAYLOADS, names=FIELD_PAYLOADS[:8])
    assert run(project, "import", "stackexchange", str(dump), "--theme", "conflits", "--basis", "test").exit_code == 0
    accepted, _refused = _accept_what_can_be(run, project)
    assert run(project, "build").exit_code == 0
    (folder,) = (project / "content/threads").iterdir()
    with serve(project / "site") as base:
        page = browser.new_page()
        dialogs: list[str] = []
        outside: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))
        page.goto(f"{base}/{folder.name}/", wait_until="load")
        result = page.evaluate(PROBE)
        page.close()
    assert (dialogs, result["pwned"], outside, result["bad"]) == ([], False, [], [])
    assert result["posts"] == len(accepted)
