"""Stack Exchange data dump: ``Posts.xml`` (with ``Users.xml`` beside it, when present, for names).

Questions (``PostTypeId="1"``) become threads, answers (``PostTypeId="2"``, ``ParentId``) their
replies; the question's ``AcceptedAnswerId`` marks the best reply; tags come from ``Tags``
(``<a><b>`` or ``|a|b|``); each post's ``ContentLicense`` (``CC BY-SA 3.0``…) is kept. Parsed with
defusedxml, incrementally: no entity expansion, no DTD, no network.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from entraide.importing.convert import clean_source_text
from entraide.importing.model import ExportError, Person, SourceExport, SourcePost, SourceThread
from entraide.importing.sources import parse_date
from entraide.wording import Noun

_TAGS = re.compile(r"<([^<>]+)>|\|([^|]+)")
_LICENSE = re.compile(r"^CC BY-SA (\d\.\d)$")


def license_of(written: str | None, date: datetime) -> str:
    """The SPDX id of a post's licence: as the dump says, else as Stack Exchange dated its changes."""
    if written and (match := _LICENSE.match(written.strip())):
        return f"CC-BY-SA-{match.group(1)}"
    if date < datetime(2011, 4, 8):
        return "CC-BY-SA-2.5"
    return "CC-BY-SA-3.0" if date < datetime(2018, 5, 2) else "CC-BY-SA-4.0"


def rows(path: Path):  # type: ignore[no-untyped-def]
    """Each ``<row>`` of a dump file as its attributes; malformed XML is an error naming file and line."""
    try:
        for _event, element in iterparse(str(path), events=("end",), forbid_dtd=True):
            if element.tag == "row":
                yield dict(element.attrib)
            element.clear()
    except ParseError as error:
        line, column = error.position
        raise ExportError([f"{path}:{line}: malformed XML at column {column} ({error.msg})"]) from None
    except DefusedXmlException as error:
        raise ExportError([f"{path}: refused XML construct ({error}): a dump holds plain rows"]) from None
    except OSError as error:
        raise ExportError([f"{path}: cannot be read: {error.strerror or error}"]) from None


def read(path: Path, site: str | None = None) -> SourceExport:
    folder = path if path.is_dir() else path.parent
    posts_file = path if path.is_file() else folder / "Posts.xml"
    if not posts_file.is_file():
        raise ExportError([f"{posts_file}: not found: a Stack Exchange dump holds Posts.xml"])
    site = site or (folder.name if "." in folder.name else "stackexchange.com")
    users_file = folder / "Users.xml"
    people = {}
    if users_file.is_file():
        for row in rows(users_file):
            if row.get("Id"):
                people[row["Id"]] = Person(row["Id"], row.get("DisplayName"))
    problems: list[str] = []
    questions: dict[str, dict[str, str]] = {}
    answers: dict[str, list[SourcePost]] = {}
    opening: dict[str, SourcePost] = {}
    for row in rows(posts_file):
        post_id = row.get("Id", "")
        where = f"{posts_file.name}: row Id={post_id or '?'}"
        kind = row.get("PostTypeId")
        if kind not in ("1", "2"):
            continue  # wiki excerpts, tag wikis, moderator nominations…
        if not post_id.isdigit():
            problems.append(f"{where}: Id: expected a number")
            continue
        date = parse_date(row.get("CreationDate"), where, problems)
        if date is None:
            continue
        owner = row.get("OwnerUserId")
        author = people.get(owner or "") or (
            Person(owner or f"name:{row.get('OwnerDisplayName')}", row.get("OwnerDisplayName"))
            if owner or row.get("OwnerDisplayName")
            else None
        )
        prefix = "q" if kind == "1" else "a"
        post = SourcePost(
            key=f"{prefix}{post_id}",
            author=author,
            date=date,
            text=clean_source_text(row.get("Body", "")),
            markup="html",
            where=where,
            url=f"https://{site}/{prefix}/{post_id}",
            license=license_of(row.get("ContentLicense"), date),
        )
        if kind == "1":
            questions[post_id] = row
            opening[post_id] = post
        elif row.get("ParentId"):
            answers.setdefault(row["ParentId"], []).append(post)
    if problems:
        raise ExportError(problems)
    export = SourceExport("stackexchange", site, True, [], base_url=f"https://{site}/", people=people)
    for question_id, row in questions.items():
        accepted = row.get("AcceptedAnswerId")
        replies = sorted(answers.pop(question_id, []), key=lambda p: (p.date, int(p.key[1:])))
        replies = [SourcePost(**{**r.__dict__, "best": r.key == f"a{accepted}"}) for r in replies]
        tags = tuple(a or b for a, b in _TAGS.findall(row.get("Tags", "")))
        export.threads.append(
            SourceThread(
                f"q{question_id}", clean_source_text(row.get("Title", "")), opening[question_id], tuple(replies), tags
            )
        )
    if answers:
        export.skip(Noun("answers whose question is not in the dump", "answer whose question is not in the dump"),
                    sum(len(a) for a in answers.values()))
    return export
