"""Retired sites as skeletons: the next build starts from their folders, never from their files.

A skeleton must hold no file (a build writes only new files into it, never into one the live site
shares), a build from one must be a clean build byte for byte and folder for folder (the folders the
new site does not use are removed, as after a withdrawal), a build never takes a skeleton being
emptied or deleted, and a mark that names folders outside the skeleton is not one.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import pytest

from builder.trash import DOOMED, LOCK, MARK, prune, take_skeleton, tidy
from tests.conftest import cli_in, example_project
from tests.sitetree import assert_same_site, files_of, folders_of
from tests.test_convergence import clean_copy
from tests.test_incremental_pages import new_reply, new_thread, withdrawal


def _retired_site(trash: Path, name: str, stamp: int) -> Path:
    """A retired site as ``retire`` leaves it: pages in folders, a hard link, a symbolic link."""
    site = trash / f".{name}-build-1-{stamp}"
    (site / "threads/un-fil").mkdir(parents=True)
    (site / "assets/empty").mkdir(parents=True)
    (site / "index.html").write_text("<p>accueil</p>", encoding="utf-8")
    (site / "threads/un-fil/index.html").write_text("<p>un fil</p>", encoding="utf-8")
    os.link(site / "index.html", site / "threads/index.html")
    os.symlink("threads", site / "assets/link")
    return site


def _skeletons(trash: Path) -> list[Path]:
    return [trash / name for name in os.listdir(trash) if (trash / name / MARK).is_file()]


def _wait_for_skeleton(trash: Path, patience: float = 20.0) -> Path:
    """The skeleton the detached process makes of the site a build just retired."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        found = _skeletons(trash) if trash.is_dir() else []
        if found and not [name for name in os.listdir(trash) if name.endswith(DOOMED)]:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no skeleton in {trash}: {sorted(os.listdir(trash)) if trash.is_dir() else 'no trash'}")


def test_tidy_keeps_the_newest_site_as_folders_without_any_file(tmp_path):
    trash = tmp_path / "trash"
    older = _retired_site(trash, "site", 100)
    newer = _retired_site(trash, "site", 200)
    (trash / "stray-file").write_text("x", encoding="utf-8")
    tidy(trash)
    assert sorted(os.listdir(trash)) == sorted([LOCK, newer.name]), "older sites and strays are deleted"
    assert not older.exists()
    left = [path for path in newer.rglob("*") if not path.is_dir() or path.is_symlink()]
    assert left == [newer / MARK], f"a skeleton holds no file nor link: {left}"
    assert set(json.loads((newer / MARK).read_text(encoding="utf-8"))) == folders_of(newer)
    tidy(trash)  # a second pass keeps the skeleton as it is
    assert sorted(os.listdir(trash)) == sorted([LOCK, newer.name]) and (newer / MARK).is_file()


def test_the_skeleton_mark_lists_deeper_folders_before_their_parents(tmp_path):
    trash = tmp_path / "trash"
    site = _retired_site(trash, "site", 100)
    tidy(trash)
    listed = json.loads((site / MARK).read_text(encoding="utf-8"))
    assert set(listed) == folders_of(site)
    for position, name in enumerate(listed):
        assert not any(other.startswith(name + "/") for other in listed[position + 1:]), f"{name} before a child"


def test_a_skeleton_is_taken_once_then_pruned_to_what_the_build_wrote(tmp_path):
    trash = tmp_path / "trash"
    site = _retired_site(trash, "site", 100)
    tidy(trash)
    fresh = tmp_path / ".site-build-2"
    folders = take_skeleton(trash, fresh)
    assert set(folders) == {"threads", "threads/un-fil", "assets", "assets/empty"}
    assert not site.exists() and fresh.is_dir() and not (fresh / MARK).exists()
    assert take_skeleton(trash, tmp_path / ".site-build-3") == [] and not (tmp_path / ".site-build-3").exists()
    (fresh / "threads/un-fil/index.html").write_text("<p>nouveau</p>", encoding="utf-8")
    prune(fresh, folders)
    assert folders_of(fresh) == {"threads", "threads/un-fil"}, "the folders left empty are removed"


@pytest.mark.parametrize("state", ["being tidied", "not yet marked", "doomed", "marked outside", "marked absolute",
                                   "mark not a list"])
def test_a_build_never_takes_a_folder_that_is_not_a_whole_skeleton(tmp_path, state):
    trash = tmp_path / "trash"
    site = _retired_site(trash, "site", 100)
    if state != "not yet marked":
        tidy(trash)
    if state == "doomed":
        site = site.rename(site.with_name(site.name + DOOMED))
    elif state == "marked outside":
        (site / MARK).write_text(json.dumps(["threads", "../../elsewhere"]), encoding="utf-8")
    elif state == "marked absolute":
        (site / MARK).write_text(json.dumps(["threads", str(tmp_path)]), encoding="utf-8")
    elif state == "mark not a list":
        (site / MARK).write_text(json.dumps({"threads": 1}), encoding="utf-8")
    fresh = tmp_path / ".site-build-2"
    holder = os.open(trash / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        if state == "being tidied":
            fcntl.flock(holder, fcntl.LOCK_EX)  # as the detached process holds it while it empties a site
        assert take_skeleton(trash, fresh) == []
    finally:
        os.close(holder)
    assert not fresh.exists() and site.is_dir(), "nothing was moved"


def test_no_trash_no_skeleton(tmp_path):
    assert take_skeleton(None, tmp_path / "fresh") == []
    assert take_skeleton(tmp_path / "missing", tmp_path / "fresh") == []
    assert not (tmp_path / "fresh").exists()


@pytest.mark.parametrize("change", [withdrawal, new_thread], ids=lambda change: change.__name__)
def test_a_build_from_a_skeleton_is_a_clean_build_and_writes_no_file_of_the_live_site(tmp_path, change):
    """The second build retires the first site; its skeleton (the folders of a site with the withdrawn
    thread still in it) is what the third build starts from."""
    project = example_project(tmp_path / "project")
    trash = project / ".entraide/trash"
    new_reply(project)
    assert cli_in(project, "build", "-q").exit_code == 0
    skeleton = _wait_for_skeleton(trash)
    witness = tmp_path / "witness"  # a second name for every file of the live site
    live = files_of(project / "site")
    for name in live:
        (witness / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(project / "site" / name, witness / name)
    skeleton_inode = skeleton.stat().st_ino
    change(project)
    result = cli_in(project, "build", "-q")
    assert result.exit_code == 0, result.output
    assert (project / "site").stat().st_ino == skeleton_inode, "the build did not start from the skeleton"
    assert files_of(witness) == live, "a file of the previous site was written to"
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")
