"""One lock per project: concurrent commands that write wait for each other instead of corrupting state."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import valid_files
from tests.test_convergence import entraide, finished
from tests.test_moderation import sub_reply

HOLD = """\
import sys, time
from pathlib import Path
from entraide.locking import project_lock
with project_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_two_index_rebuilds_at_once_both_succeed(make_project):
    project = make_project(valid_files())
    both = [entraide(project, "index", "--rebuild"), entraide(project, "index", "--rebuild")]
    for code, output in map(finished, both):
        assert code == 0 and "Traceback" not in output, output
    assert (project / ".entraide/lock").exists()
    code, output = finished(entraide(project, "search", "collègues"))
    assert code == 0 and "conflit-collegues" in output, output


def test_two_accepts_of_one_submission_decide_once(make_project):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply()
    project = make_project(files)
    both = [entraide(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.") for _ in range(2)]
    results = sorted(map(finished, both))
    assert [code for code, _output in results] == [0, 1], results
    refused = results[1][1]
    assert "'2025-06-02-hugo' is no longer pending: accepted by Anne E." in refused and "Traceback" not in refused
    lines = (project / "moderation/log.jsonl").read_text(encoding="utf-8").splitlines()
    assert [(entry["action"], entry["post"]) for entry in map(json.loads, lines)] == [("accept", "2025-06-02-hugo")]
    assert (project / "content/threads/conflit-collegues/2025-06-02-hugo.md").is_file()


def test_a_command_waits_then_says_another_is_running(make_project):
    project = make_project(valid_files())
    assert finished(entraide(project, "build", "-q"))[0] == 0
    site = {path: path.read_bytes() for path in (project / "site").rglob("*") if path.is_file()}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(project)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for command in (["build"], ["accept", "x"], ["themes", "remove", "running"]):
            code, output = finished(entraide(project, *command, ENTRAIDE_LOCK_TIMEOUT="0.5"))
            assert code == 1 and "Traceback" not in output, output
            assert output.count(f"waiting for another entraide command (pid {holder.pid}) to finish…") == 1, output
            assert f"another entraide command (pid {holder.pid}) is still running" in output, output
        mkdocs = subprocess.run(
            [Path(sys.executable).parent / "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True,
            env={"ENTRAIDE_LOCK_TIMEOUT": "0.5", "NO_MKDOCS_2_WARNING": "1", "PATH": ""},
        )
        assert mkdocs.returncode == 1 and "is still running" in mkdocs.stderr, mkdocs.stderr
    finally:
        holder.kill()
        holder.wait()
    assert {path: path.read_bytes() for path in (project / "site").rglob("*") if path.is_file()} == site
    assert finished(entraide(project, "build", "-q"))[0] == 0  # the holder's death released the lock


def test_a_bad_timeout_is_a_clear_error(make_project):
    project = make_project(valid_files())
    code, output = finished(entraide(project, "build", ENTRAIDE_LOCK_TIMEOUT="soon"))
    assert code == 1 and "ENTRAIDE_LOCK_TIMEOUT: expected a number of seconds; found 'soon'" in output, output
