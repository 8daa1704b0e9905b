"""accept ID… / accept --all / reject ID… / reject --all: many decisions at once, each its own log entry,
crash-safe in the middle of a batch, the refused ones listed with why."""

from __future__ import annotations

import json
import signal

import pytest

from tests.conftest import valid_files
from tests.test_crash_safety import entraide, journal_file, log_lines
from tests.test_moderation import sub_reply, sub_thread

VOCABULARY = "tags:\n  - name: conflit\n  - name: médiation\n  - name: recrutement\n"


def thread(n: int, tags: str = "recrutement") -> str:
    return sub_thread(f"Message {n}.").replace("Mon premier recrutement", f"Recrutement {n}").replace(
        "tags: [recrutement]", f"tags: [{tags}]"
    )


def reply_to(slug: str, n: int) -> str:
    return sub_reply(f"Réponse {n}.").replace("reply_to: conflit-collegues", f"reply_to: {slug}")


@pytest.fixture
def queue(make_project):
    files = valid_files()
    files["content/tags.yml"] = VOCABULARY
    for n in range(1, 4):
        files[f"submissions/2025-06-0{n}-thread.md"] = thread(n)
    # A reply to a thread accepted in the same batch, named before it in sorted order.
    files["submissions/2025-06-00-early-reply.md"] = reply_to("recrutement-2-par-ou-commencer", 1)
    files["submissions/2025-06-05-reply.md"] = reply_to("conflit-collegues", 2)
    files["submissions/2025-06-06-personal.md"] = reply_to("conflit-collegues", 3).replace(
        "Réponse 3.", "Appelez-moi au 06 12 34 56 78."
    )
    files["submissions/2025-06-07-tagged.md"] = thread(7, "inconnu, recrutement")
    files["submissions/2025-06-08-tagged.md"] = thread(8, "inconnu, mediation")
    return make_project(files)


def test_accept_all_accepts_the_clean_ones_and_lists_the_others(queue, run):
    result = run(queue, "accept", "--all", "--editor", "Anne E.")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Accepted 5 of 8 submissions (3 new threads, 2 replies) in "
        + result.stdout.split(" in ", 1)[1].split(" s;")[0]
        + " s; 3 not accepted, listed above.\n"
    )
    assert result.stderr.splitlines() == [
        "not accepted: 2025-06-06-personal: cannot be accepted yet (redact it with `entraide redact`, or override "
        "with --override-personal-data REASON):",
        "    submissions/2025-06-06-personal.md:8: personal data: a phone number (06 12 34 56 78)",
        "not accepted: 2 submissions with tags outside content/tags.yml (add them with `entraide tags add TAG`, "
        "or accept each with --tags):",
        "    'inconnu': 2 submissions (2025-06-07-tagged, 2025-06-08-tagged)",
        "    'mediation': 1 submission (2025-06-08-tagged); did you mean 'médiation'?",
    ]
    for n in range(1, 4):
        assert (queue / f"content/threads/recrutement-{n}-par-ou-commencer/thread.md").is_file()
    assert (queue / "content/threads/recrutement-2-par-ou-commencer/2025-06-00-early-reply.md").is_file()
    assert (queue / "content/threads/conflit-collegues/2025-06-05-reply.md").is_file()
    remaining = sorted(p.name for p in (queue / "submissions").iterdir())
    assert remaining == ["2025-06-06-personal.md", "2025-06-07-tagged.md", "2025-06-08-tagged.md"]
    entries = log_lines(queue)
    assert sorted(e["post"] for e in entries) == [
        "2025-06-00-early-reply", "2025-06-01-thread", "2025-06-02-thread", "2025-06-03-thread", "2025-06-05-reply",
    ]
    assert all(e["action"] == "accept" and e["editor"] == "Anne E." for e in entries)
    posts = [e["post"] for e in entries]
    assert posts.index("2025-06-02-thread") < posts.index("2025-06-00-early-reply")
    assert run(queue, "check").exit_code == 1  # the personal data is still pending
    assert run(queue, "build", "--quiet").exit_code == 0


def test_accept_all_json_agrees_with_its_exit_status_and_lists_what_stays(queue, run):
    """With --all, posts left pending with a reason are no failure: status 0 and ``ok`` true, the
    refused posts still listed."""
    result = run(queue, "accept", "--all", "--editor", "Anne E.", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert [r["post"] for r in data["refused"]] == ["2025-06-06-personal", "2025-06-07-tagged", "2025-06-08-tagged"]
    assert len(data["done"]) == 5


@pytest.mark.parametrize("args", [
    pytest.param(("accept", "2025-06-01-thread", "nope"), id="accept-named"),
    pytest.param(("reject", "2025-06-01-thread", "nope", "--reason", "Hors sujet"), id="reject-named"),
])
def test_a_batch_json_ok_is_false_exactly_when_it_fails(queue, run, args):
    result = run(queue, *args, "--editor", "Anne E.", "--json")
    data = json.loads(result.stdout)
    assert (result.exit_code, data["ok"]) == (1, False)
    assert [r["post"] for r in data["refused"]] == ["nope"]
    clean = run(queue, *[a for a in args if a not in ("2025-06-01-thread", "nope")], "2025-06-02-thread",
                "2025-06-03-thread", "--editor", "Anne E.", "--json")
    assert (clean.exit_code, json.loads(clean.stdout)["ok"]) == (0, True), clean.output


def test_accept_named_ids_fails_when_one_cannot_be_accepted(queue, run):
    result = run(queue, "accept", "2025-06-01-thread", "2025-06-06-personal", "nope", "--editor", "Anne E.", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [o["post"] for o in data["done"]] == ["2025-06-01-thread"]
    assert [r["post"] for r in data["refused"]] == ["2025-06-06-personal", "nope"]
    assert data["refused"][1]["message"].startswith("no pending submission 'nope' (")
    assert data["ok"] is False
    override = run(queue, "accept", "2025-06-06-personal", "2025-06-05-reply", "--editor", "Anne E.",
                   "--override-personal-data", "numéro public", "--quiet")
    assert override.exit_code == 0 and override.output == ""
    overridden = {e["post"]: e.get("override_personal_data") for e in log_lines(queue)}
    assert overridden["2025-06-06-personal"] == "numéro public" and overridden["2025-06-05-reply"] is None
    again = run(queue, "accept", "2025-06-05-reply", "2025-06-02-thread", "--editor", "Anne E.")
    assert again.exit_code == 1
    assert "not accepted: 2025-06-05-reply: is no longer pending: accepted by Anne E. at " in again.stderr


def test_a_reply_to_a_refused_thread_is_refused_with_it(make_project, run):
    files = valid_files()
    files["submissions/2025-06-01-thread.md"] = thread(1).replace("Message 1.", "Mon mail : a@exemple.fr")
    files["submissions/2025-06-02-reply.md"] = reply_to("recrutement-1-par-ou-commencer", 1)
    files["submissions/2025-06-03-twin.md"] = reply_to("conflit-collegues", 2)
    files["submissions/2025-06-04-twin.md"] = reply_to("conflit-collegues", 2)
    project = make_project(files)
    result = run(project, "accept", "--all", "--editor", "Anne E.")
    assert result.exit_code == 0
    assert ("not accepted: 2025-06-02-reply: replies to 'recrutement-1-par-ou-commencer', whose submission "
            "2025-06-01-thread is not accepted") in result.stderr
    assert ("not accepted: 2025-06-04-twin: has the same text as '2025-06-03-twin', accepted in this batch"
            in result.stderr)


def test_batch_options_that_apply_to_one_post_are_refused(queue, run):
    both = run(queue, "accept", "2025-06-01-thread", "--all", "--editor", "A")
    assert both.exit_code == 1 and "give the IDs to accept, or --all, not both" in both.stderr
    none = run(queue, "accept", "--editor", "A")
    assert none.exit_code == 1 and "give their IDs" in none.stderr
    slug = run(queue, "accept", "2025-06-01-thread", "2025-06-02-thread", "--slug", "x", "--editor", "A")
    assert slug.exit_code == 1 and "apply to one submission" in slug.stderr
    own = run(queue, "accept", "--all", "--allow-own", "seul", "--editor", "A")
    assert own.exit_code == 1 and "not to --all" in own.stderr
    assert log_lines(queue) == []


def test_reject_many_and_reject_all_asks_first(queue, run):
    result = run(queue, "reject", "2025-06-01-thread", "2025-06-02-thread", "nope", "--reason", "Hors sujet",
                 "--editor", "Anne E.")
    assert result.exit_code == 1
    assert result.stderr.startswith("not rejected: nope: no pending submission 'nope' (")
    assert result.stdout.startswith("Rejected 2 of 3 submissions in ")
    assert [(e["action"], e["post"], e["reason"]) for e in log_lines(queue)] == [
        ("reject", "2025-06-01-thread", "Hors sujet"), ("reject", "2025-06-02-thread", "Hors sujet"),
    ]
    refused = run(queue, "reject", "--all", "--reason", "Spam", "--editor", "Anne E.")
    assert refused.exit_code == 1
    assert "This rejects all 6 pending submissions:" in refused.stderr
    assert "Error: nothing rejected: confirm with --yes" in refused.stderr
    assert len(list((queue / "submissions").glob("*.md"))) == 6
    done = run(queue, "reject", "--all", "--reason", "Spam", "--yes", "--editor", "Anne E.")
    assert done.exit_code == 0, done.output
    assert list((queue / "submissions").glob("*.md")) == []
    assert len(log_lines(queue)) == 8


def many_submissions(count: int) -> dict[str, str]:
    files = valid_files()
    for n in range(count):
        files[f"submissions/2025-07-{n:02d}-post.md"] = thread(n) if n % 3 else reply_to("conflit-collegues", n)
    return files


# "written#3": the third file write (mid-group); "logged#2": after the second group's log append
# (the first group of 50 is done); "deleted#60": in the middle of the second group's deletions.
@pytest.mark.parametrize("checkpoint", ["journal-written", "written#3", "logged", "logged#2", "deleted#60"])
def test_a_batch_killed_in_the_middle_loses_nothing_and_a_rerun_converges(make_project, checkpoint):
    project = make_project(many_submissions(70))
    killed = entraide(project, "accept", "--all", "--editor", "Anne E.", kill_at=checkpoint)
    assert killed.returncode == -signal.SIGKILL
    assert journal_file(project).exists()
    review = entraide(project, "review", "--json")  # any command finishes the group under way
    assert review.returncode == 0, review.stderr
    assert not journal_file(project).exists()
    decided = [e["post"] for e in log_lines(project)]
    pending = {p.stem for p in (project / "submissions").glob("*.md")}
    assert len(decided) == len(set(decided)) and not pending & set(decided)
    assert len(decided) + len(pending) == 70 and len(decided) in (50, 70)
    rerun = entraide(project, "accept", "--all", "--editor", "Anne E.")
    assert rerun.returncode == 0, rerun.stderr
    decided = [e["post"] for e in log_lines(project)]
    assert len(decided) == len(set(decided)) == 70
    assert list((project / "submissions").glob("*.md")) == []
    assert len(list((project / "content/threads").glob("*/thread.md"))) == 1 + 46
    assert entraide(project, "check").returncode == 0


def test_review_counts_the_wait_from_the_arrival_not_the_post_date(make_project, run):
    """Outside git: the file's modification time; in git: the time of the commit that added the file."""
    import os
    import subprocess
    import time

    files = valid_files()
    files["submissions/2025-06-01-old.md"] = thread(1)  # written in 2025, arrives now
    files["submissions/2025-06-02-reply.md"] = reply_to("conflit-collegues", 2)
    project = make_project(files)
    week = time.time() - 7 * 86400
    os.utime(project / "submissions/2025-06-02-reply.md", (week, week))
    data = {item["id"]: item["age_days"] for item in json.loads(run(project, "review", "--json").stdout)}
    assert data == {"2025-06-01-old": 0, "2025-06-02-reply": 7}
    assert "waiting 7 days" in run(project, "review").stdout
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    three_days = f"@{int(time.time() - 3 * 86400)} +0000"
    subprocess.run([*git, "commit", "-qm", "x"], cwd=project, check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": three_days, "GIT_AUTHOR_DATE": three_days})
    data = {item["id"]: item["age_days"] for item in json.loads(run(project, "review", "--json").stdout)}
    assert data == {"2025-06-01-old": 3, "2025-06-02-reply": 3}


def test_a_journal_of_one_operation_as_older_versions_wrote_it_is_still_replayed(make_project):
    from dataclasses import asdict

    from entraide import atomic, sealed, statedir
    from entraide.moderation.journal import Operation
    from entraide.project import Project

    files = valid_files()
    files["submissions/2025-06-05-reply.md"] = reply_to("conflit-collegues", 2)
    project_dir = make_project(files)
    project = Project.from_config(project_dir / "mkdocs.yml")
    text = (project_dir / "submissions/2025-06-05-reply.md").read_text()
    operation = Operation(
        entry={"op": "old", "action": "accept", "post": "2025-06-05-reply", "editor": "A", "when": "2025-06-05T00:00:00Z"},
        writes={"content/threads/conflit-collegues/2025-06-05-reply.md": text},
        deletes=["submissions/2025-06-05-reply.md"],
    )
    folder = statedir.ensure(project.journal_file.parent)
    atomic.write_text(project.journal_file, sealed.seal(folder, {"project": str(project.root), "operation": asdict(operation)}))
    assert entraide(project_dir, "review", "--json").returncode == 0
    assert not project.journal_file.exists()
    assert (project_dir / "content/threads/conflit-collegues/2025-06-05-reply.md").read_text() == text
    assert not (project_dir / "submissions/2025-06-05-reply.md").exists()
    assert [e["post"] for e in log_lines(project_dir)] == ["2025-06-05-reply"]
