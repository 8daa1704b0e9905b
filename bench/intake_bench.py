"""Intake throughput and latency: submissions/s, p50/p99 at 1, 10 and 50 concurrent clients, 2 workers.

Runs ``entraide intake --workers 2`` on a copy of the example content on loopback, posts distinct valid
submissions from N client threads (a bounded number each), then counts what was acknowledged (200 with
a receipt) against what is on disk in ``submissions/``, and duplicates (must be 0).

    python bench/intake_bench.py                    # 1, 10 and 50 clients
    python bench/intake_bench.py --clients 10 --posts 300
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import example_project  # noqa: E402
from tests.intake_server import VALID, aged_token, receipt_id, start  # noqa: E402


def run(url: str, clients: int, posts: int, tag: str) -> tuple[list[float], dict[str, int], int]:
    """``posts`` posts in all, spread over ``clients`` threads; latencies, acknowledged ids, errors."""
    latencies: list[float] = []
    acknowledged: dict[str, int] = {}
    errors = 0
    lock = threading.Lock()
    share = [posts // clients + (1 if n < posts % clients else 0) for n in range(clients)]

    def client(number: int) -> None:
        nonlocal errors
        # TCP_NODELAY as browsers set it: otherwise a POST's body waits for a delayed ACK (~40 ms)
        transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        with httpx.Client(base_url=url, timeout=30, transport=transport) as http:
            http.get("/new")
            token = aged_token(http)
            for n in range(share[number]):
                data = {**VALID, "title": f"Banc {tag} client {number} message {n}", "token": token}
                began = time.perf_counter()
                address = f"192.0.2.{number % 250}"  # a header only: the rate limit sees distinct clients
                response = http.post("/new", data=data, headers={"x-forwarded-for": address})
                took = time.perf_counter() - began
                with lock:
                    latencies.append(took)
                    if response.status_code == 200:
                        found = receipt_id(response.text)
                        acknowledged[found] = acknowledged.get(found, 0) + 1
                    else:
                        errors += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, acknowledged, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--posts", type=int, default=300, help="posts per run (bounded)")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as scratch:
        project = example_project(Path(scratch) / "project", build=False)
        server = start(project, Path(scratch) / "state", "--workers", str(options.workers), "--min-fill", "0",
                       "--rate", "1000000/3600")
        try:
            print(f"{'clients':>7} {'posts':>6} {'acked':>6} {'on disk':>8} {'dupes':>6} {'errors':>6} "
                  f"{'subm/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
            for clients in options.clients:
                tag = f"c{clients}"
                before = set(project.glob("submissions/*.md"))
                began = time.perf_counter()
                latencies, acked, errors = run(server.url, clients, options.posts, tag)
                elapsed = time.perf_counter() - began
                written = set(project.glob("submissions/*.md")) - before
                on_disk = {path.stem for path in written}
                dupes = sum(count - 1 for count in acked.values()) + len(on_disk - set(acked))
                assert set(acked) <= on_disk, "an acknowledged submission is missing on disk"
                cuts = statistics.quantiles(latencies, n=100)
                print(f"{clients:>7} {len(latencies):>6} {len(acked):>6} {len(on_disk):>8} {dupes:>6} {errors:>6} "
                      f"{len(acked) / elapsed:>8.1f} {cuts[49] * 1000:>8.1f} {cuts[98] * 1000:>8.1f}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
