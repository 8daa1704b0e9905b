"""Comparing two built sites file by file: the one place tests say "byte-identical"."""

from __future__ import annotations

from pathlib import Path


def files_of(site: Path) -> dict[str, bytes]:
    """Every file under ``site`` by relative path, with its bytes."""
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def folders_of(site: Path) -> set[str]:
    """Every folder under ``site`` by relative path (an empty one is part of the tree too)."""
    return {str(path.relative_to(site)) for path in site.rglob("*") if path.is_dir() and not path.is_symlink()}


def differences(site: Path, expected: Path) -> list[str]:
    """What differs between two site folders: files and folders only in one, and files whose bytes differ."""
    ours, theirs = files_of(site), files_of(expected)
    left, right = (f"{folder.parent.name}/{folder.name}" for folder in (site, expected))
    found = [f"only in {left}: {name}" for name in sorted(ours.keys() - theirs.keys())]
    found += [f"only in {right}: {name}" for name in sorted(theirs.keys() - ours.keys())]
    our_folders, their_folders = folders_of(site), folders_of(expected)
    found += [f"folder only in {left}: {name}/" for name in sorted(our_folders - their_folders)]
    found += [f"folder only in {right}: {name}/" for name in sorted(their_folders - our_folders)]
    found += [f"differs: {name}" for name in sorted(ours.keys() & theirs.keys()) if ours[name] != theirs[name]]
    return found


def assert_same_site(site: Path, expected: Path) -> None:
    """Fail listing the differing files (the first 40 of them) unless both sites are byte-identical."""
    found = differences(site, expected)
    shown = "\n  ".join(found[:40]) + (f"\n  … and {len(found) - 40} more" if len(found) > 40 else "")
    assert not found, f"{len(found)} differences between {site} and {expected}:\n  {shown}"
