"""When each pending submission arrived: what ``review`` and ``stats`` count a wait from.

A post's own ``date`` is when its author wrote it (an imported discussion may be years old), not when
it reached the queue. A submission's arrival is the commit time of the commit that added its file
when the project is a git repository and the file is committed (a pull request's or the intake's
commit: the time it reached the repository); otherwise — a file not committed yet, a project outside
git — the file's modification time, when it was written into ``submissions/``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from entraide.errors import EntraideError
from entraide.gitrepo import Repository
from entraide.project import Project


def arrivals(project: Project, paths: list[Path]) -> dict[Path, datetime]:
    """``path → arrival`` (local time, naive like post dates) for each path that exists."""
    committed = _commit_times(project)
    found: dict[Path, datetime] = {}
    for path in paths:
        key = path.resolve()
        if key in committed:
            found[path] = datetime.fromtimestamp(committed[key])
        else:
            try:
                found[path] = datetime.fromtimestamp(path.stat().st_mtime)
            except OSError:
                continue
    return found


def _commit_times(project: Project) -> dict[Path, int]:
    """Each committed submission file's latest adding commit time, from one ``git log``."""
    repository = Repository(project.root)
    try:
        top = repository.toplevel()
        out = repository.run_log(
            "-c", "core.quotePath=false", "log", "--diff-filter=A", "--format=@%ct", "--name-only", "--",
            str(project.submissions_dir),
        )
    except EntraideError:
        return {}
    times: dict[Path, int] = {}
    current = 0
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("@") and line[1:].isdigit():
            current = int(line[1:])
        elif line.strip():
            times.setdefault((top / line).resolve(), current)  # newest first: the latest addition wins
    return times


def age_days(arrived: datetime | None, now: datetime | None = None) -> int | None:
    """Whole days since ``arrived``."""
    if arrived is None:
        return None
    return max(0, ((now or datetime.now()) - arrived).days)
