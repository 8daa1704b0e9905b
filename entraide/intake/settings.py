"""What one intake process is told: the project, its secret, its limits; read from the environment.

Several worker processes (``uvicorn --workers N``) each build their own app from the same
environment, so every setting is an environment variable that ``entraide intake`` sets from its
options. The secret lives in the project's private state folder (``statedir``, out of any pull
request's reach) unless ``ENTRAIDE_INTAKE_SECRET`` gives it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from entraide import siteconfig, statedir
from entraide.errors import EntraideError
from entraide.model import LANGUAGES
from entraide.project import Project, _plugin_options

SECRET_FILE = "intake-secret"
RATE_FILE = "intake-rate.sqlite"


@dataclass(frozen=True)
class Settings:
    project: Project
    secret: bytes
    lang: str = "fr"
    """Interface language when the page names none (the site's)."""
    site_url: str = ""
    min_fill_seconds: float = 3.0
    """A person takes longer than this to fill the form; a script does not."""
    max_token_age: float = 6 * 3600.0
    max_body_bytes: int = 64 * 1024
    max_links: int = 5
    rate_count: int = 10
    rate_window: float = 3600.0
    """At most ``rate_count`` posts per client address (and per display name) in ``rate_window`` seconds."""
    delivery: str = "folder"
    remote: str = ""
    max_backoff: float = 300.0
    """Longest wait between two pushes to an unreachable remote (git delivery), in seconds."""
    contact: str = ""
    """How authors reach the editors (the plugin's ``contact``), shown where a takedown is explained."""
    proof_of_work: int = 0
    """ALTCHA's ``maxnumber`` (the work asked of each browser); 0 turns the proof of work off."""
    max_quarantine: int = 10_000
    """Posts the quarantine holds at most: beyond, a post is refused (and its text shown again), not kept."""

    @property
    def quarantine_dir(self) -> Path:
        from entraide.moderation import quarantine

        return quarantine.folder(self.project)

    @property
    def rate_file(self) -> Path:
        return self.project.state_dir / RATE_FILE


def from_environment() -> Settings:
    """The settings of this process, as ``entraide intake`` (or a unit file) put them in the environment."""
    config_file = Path(os.environ.get("ENTRAIDE_CONFIG", "mkdocs.yml"))
    project = Project.from_config(config_file)
    config = siteconfig.read(config_file)
    options = _plugin_options(config, config_file)
    delivery = str(options.get("intake_delivery") or "folder")
    remote = str(options.get("intake_remote") or "")
    if delivery not in ("folder", "git"):
        raise EntraideError(f"{config_file}: intake_delivery must be folder or git, not {delivery!r}")
    if delivery == "git" and not remote:
        raise EntraideError(f"{config_file}: intake_delivery: git needs intake_remote (a remote's name, URL or path)")
    return Settings(
        project=project,
        secret=_secret(project),
        lang=_site_language(config),
        site_url=str(config.get("site_url") or ""),
        min_fill_seconds=_number("ENTRAIDE_INTAKE_MIN_FILL", 3.0),
        max_body_bytes=int(_number("ENTRAIDE_INTAKE_MAX_BYTES", 64 * 1024)),
        max_links=int(_number("ENTRAIDE_INTAKE_MAX_LINKS", 5)),
        rate_count=int(_number("ENTRAIDE_INTAKE_RATE_COUNT", 10)),
        rate_window=_number("ENTRAIDE_INTAKE_RATE_WINDOW", 3600.0),
        delivery=delivery,
        remote=remote,
        max_backoff=_number("ENTRAIDE_INTAKE_MAX_BACKOFF", 300.0),
        contact=str(options.get("contact") or ""),
        max_quarantine=int(_number("ENTRAIDE_INTAKE_MAX_QUARANTINE", 10_000)),
        proof_of_work=int(_number("ENTRAIDE_INTAKE_PROOF_OF_WORK", 0)),
    )


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise EntraideError(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise EntraideError(f"{name} must not be negative")
    return value


def _site_language(config: dict[str, object]) -> str:
    theme = config.get("theme")
    lang = theme.get("language") if isinstance(theme, dict) else None
    return lang if lang in LANGUAGES else "fr"


def _secret(project: Project) -> bytes:
    """The signing key: from the environment, else a random key made once and kept private."""
    given = os.environ.get("ENTRAIDE_INTAKE_SECRET")
    if given:
        if len(given) < 16:
            raise EntraideError("ENTRAIDE_INTAKE_SECRET must be at least 16 characters long")
        return given.encode("utf-8")
    folder = statedir.ensure(project.state_dir)
    path = folder / SECRET_FILE
    try:  # several workers may start at once: the first to create the file wins, the others read it
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
    for _attempt in range(50):  # bounded: a file just created by another worker may still be empty
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key.encode("ascii")
        import time

        time.sleep(0.02)
    raise EntraideError(f"{path}: the intake's secret is empty; remove the file to make a new one")
