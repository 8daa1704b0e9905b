"""Shared steps of the import tests: a small project, an import, then the editors' usual path."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import THEMES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
EDITOR = "Anne E."


def small_project(make_project) -> Path:  # noqa: ANN001
    return make_project({"content/themes.yml": THEMES, "submissions/README.md": "Pending posts.\n"})


def submission_files(project: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((project / "submissions").glob("*.md"))
            if p.name != "README.md"}


def accept_all(run, project: Path) -> None:  # noqa: ANN001
    """``entraide accept ID`` for each pending submission: new threads first, then the replies."""
    pending = submission_files(project)
    threads = [name for name, text in pending.items() if "\nreply_to:" not in text]
    for name in threads + [name for name in pending if name not in threads]:
        result = run(project, "accept", name, "--editor", EDITOR)
        assert result.exit_code == 0, result.output


def import_and_publish(run, project: Path, *args: str) -> str:  # noqa: ANN001
    """Import, check, accept everything, build; the import's summary line."""
    imported = run(project, "import", *args)
    assert imported.exit_code == 0, imported.output
    checked = run(project, "check")
    assert checked.exit_code == 0, checked.output
    accept_all(run, project)
    built = run(project, "build")
    assert built.exit_code == 0, built.output
    return imported.output.strip().splitlines()[-1]


def published_slug(project: Path) -> str:
    """The slug of the only published thread."""
    (folder,) = (project / "content" / "threads").iterdir()
    return folder.name
