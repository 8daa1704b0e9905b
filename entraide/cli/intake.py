"""``entraide intake``: serve the submission form, under uvicorn."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from entraide.cli.options import config_option, project


@click.command()
@config_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--min-fill", type=click.FloatRange(0), default=3.0, show_default=True,
              help="Seconds a person needs at least to fill the form; faster posts are held back.")
@click.option("--rate", metavar="COUNT/SECONDS", default="10/3600", show_default=True,
              help="Posts allowed per client address and per display name in a window.")
@click.option("--max-bytes", type=click.IntRange(1024), default=64 * 1024, show_default=True,
              help="Largest request body accepted (413 beyond).")
@click.option("--max-links", type=click.IntRange(0), default=5, show_default=True, help="Links allowed per post.")
@click.option("--max-quarantine", type=click.IntRange(0), default=10_000, show_default=True,
              help="Held-back posts kept at most; beyond, posts failing the abuse checks are refused.")
@click.option("--proof-of-work", type=click.IntRange(0, 10_000_000), default=0, show_default=True, metavar="N",
              help="Ask each browser for a self-hosted proof of work (ALTCHA) of up to N hashes; 0: off. "
                   "50000 takes a phone about a second.")
def intake(config_file: Path, host: str, port: int, workers: int, min_fill: float, rate: str, max_bytes: int,
           max_links: int, max_quarantine: int, proof_of_work: int) -> None:
    """Serve the form where anyone submits a post into submissions/, checked as `entraide check` does.

    Nothing is published: editors still review and accept every post. Behind a reverse proxy on the
    same machine, client addresses come from its X-Forwarded-For header.

    \b
    Example:
      entraide intake
      entraide intake --host 0.0.0.0 --port 8001 --workers 2
    """
    import uvicorn

    from entraide.errors import EntraideError
    from entraide.intake import settings

    found = project(config_file)
    count, _slash, window = rate.partition("/")
    if not (count.isdigit() and window.isdigit() and int(window) > 0):
        raise EntraideError(f"--rate must read COUNT/SECONDS, such as 10/3600, not {rate!r}")
    os.environ.update({
        "ENTRAIDE_CONFIG": str(found.config_file),
        "ENTRAIDE_INTAKE_MIN_FILL": str(min_fill),
        "ENTRAIDE_INTAKE_RATE_COUNT": count,
        "ENTRAIDE_INTAKE_RATE_WINDOW": window,
        "ENTRAIDE_INTAKE_MAX_BYTES": str(max_bytes),
        "ENTRAIDE_INTAKE_MAX_LINKS": str(max_links),
        "ENTRAIDE_INTAKE_MAX_QUARANTINE": str(max_quarantine),
        "ENTRAIDE_INTAKE_PROOF_OF_WORK": str(proof_of_work),
    })
    ready = settings.from_environment()  # any problem in the settings is reported here, before a worker starts
    from entraide.intake.spool import sweep

    for folder in (ready.project.submissions_dir, ready.quarantine_dir):
        sweep(folder)  # no worker runs yet: what an interrupted write left is never acknowledged
    click.echo(f"entraide intake: http://{host}:{port}/new (health: /healthz)", err=True)
    config = uvicorn.Config("entraide.intake.app:create_app", factory=True, host=host, port=port, workers=workers,
                            log_level="warning", proxy_headers=True, server_header=False, date_header=True)
    if workers == 1:
        uvicorn.Server(config).run()
        return
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    # Workers get this socket through pickling, which loses its protocol number, so asyncio no longer
    # sets TCP_NODELAY on the connections: each response would wait for a delayed ACK (about 40 ms).
    # Set on the listening socket, Linux passes it on to every accepted connection.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()
