"""``make bench`` (messaging): delivery latency and throughput over real
WebSockets.

For N sockets, N/2 conversations each have a resident socket that sends and
a worker socket that receives. Latency is send → stored → received on the
other socket; throughput is delivered messages per second. The server is
Daphne on loopback; the load is bounded (a fixed number of messages).
Run on the default (SQLite, in-memory layer) and, with DATABASE_URL and
REDIS_URL set, on PostgreSQL + Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="samenspraak-bench-ws-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.settings_test")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(WORKDIR / "bench.sqlite3")
os.environ["MESSAGE_RATE_LIMIT"] = "1000000"

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

SOCKET_COUNTS = [int(n) for n in os.environ.get("BENCH_SOCKETS", "50,200,500").split(",")]
MESSAGES_PER_SENDER = int(os.environ.get("BENCH_MESSAGES", "5"))
# "paced": every sender sends one message a second (people chatting), for the
# latency; "burst": all senders as fast as they can, for the capacity.
MODES = {"paced": 1.0, "burst": 0.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(conversations: int) -> list[tuple[str, str, str]]:
    """(conversation id, resident cookie, worker cookie) per conversation."""
    from blend.services import channel_consent_set
    from messaging.services import conversation_direct_open
    from organisations.demo import demo_organisation_create

    demo = demo_organisation_create(slug=f"ws{time.time_ns() % 10**12}", name="Bench", resident_count=conversations)
    result = []
    for resident in demo.residents:
        worker = resident.worker_assignments.get().worker
        channel_consent_set(resident=resident, channel="chat", is_given=True, recorded_by=resident)
        conversation = conversation_direct_open(resident=resident, opened_by=worker)
        cookies = []
        for user in (resident, worker):
            client = Client()
            client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
            cookies.append(f"sessionid={client.cookies['sessionid'].value}")
        result.append((str(conversation.public_id), cookies[0], cookies[1]))
    return result


async def run_load(address: str, pairs: list[tuple[str, str, str]], *, mode: str, interval: float) -> dict[str, Any]:
    origin = f"http://{address}"
    latencies: list[float] = []
    sent_at: dict[str, float] = {}

    async def open_socket(conversation: str, cookie: str) -> Any:
        socket_ = await websockets.connect(
            f"ws://{address}/ws/gesprekken/{conversation}/",
            additional_headers={"Cookie": cookie, "Origin": origin},
            open_timeout=60,
        )
        await socket_.recv()  # hello
        return socket_

    senders = await asyncio.gather(*(open_socket(c, r) for c, r, _w in pairs))
    receivers = await asyncio.gather(*(open_socket(c, w) for c, _r, w in pairs))

    async def receive(receiver: Any) -> None:
        got = 0
        while got < MESSAGES_PER_SENDER:
            frame = json.loads(await asyncio.wait_for(receiver.recv(), timeout=120))
            if frame["type"] == "message":
                key = frame["message"]["body"]
                latencies.append(time.perf_counter() - sent_at[key])
                got += 1

    async def send(index: int, sender: Any) -> None:
        for n in range(MESSAGES_PER_SENDER):
            body = f"{mode}-c{index}-m{n}"
            sent_at[body] = time.perf_counter()
            await sender.send(
                json.dumps({"type": "send", "client_key": f"bench-{mode}-{index:05d}-{n:05d}", "body": body})
            )
            await asyncio.sleep(interval)

    start = time.perf_counter()
    await asyncio.gather(*(receive(r) for r in receivers), *(send(i, s) for i, s in enumerate(senders)))
    duration = time.perf_counter() - start
    for s in [*senders, *receivers]:
        await s.close()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {
        "mode": mode,
        "offered_messages_per_second": round(len(pairs) / interval, 1) if interval else "as fast as possible",
        "sockets": 2 * len(pairs),
        "messages": len(latencies),
        "seconds": round(duration, 2),
        "messages_per_second": round(len(latencies) / duration, 1),
        "latency_p50_ms": pct(0.50),
        "latency_p99_ms": pct(0.99),
        "latency_mean_ms": round(statistics.fmean(latencies) * 1000, 1),
    }


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    results = []
    for count in SOCKET_COUNTS:
        pairs = prepare(count // 2)
        port = free_port()
        env = dict(os.environ)
        server = subprocess.Popen(  # noqa: S603 - fixed argv, loopback only
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "samenspraak.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
            for mode, interval in MODES.items():
                results.append(asyncio.run(run_load(f"127.0.0.1:{port}", pairs, mode=mode, interval=interval)))
                print(json.dumps(results[-1]))
        finally:
            server.terminate()
            server.wait(timeout=10)
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    layer = str(settings.CHANNEL_LAYERS["default"]["BACKEND"]).rsplit(".", 1)[-1]
    out = ROOT / "bench" / "results.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[f"messaging_{database}_{layer}"] = {
        "server": "one Daphne process",
        "messages_per_sender": MESSAGES_PER_SENDER,
        "runs": results,
    }
    out.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
