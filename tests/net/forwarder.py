#!/usr/bin/env python3
"""A lossy UDP forwarder between test nodes, for tests/partitions.rs.

This machine's kernel has no netem (CONFIG_NET_SCH_NETEM is not set), so packets are lost,
delayed and reordered here instead. It runs inside the router namespace the test builds:
node i (1..N) is 10.204.i.1 on its own link to the router, which is 10.204.i.254 there and
does not route. Node j "as seen by node i" is the router's socket X(i, j) =
10.204.i.254:(47000 + 10 i + j); a packet node i sends to X(i, j) leaves through X(j, i)
to node j's port, so node j sees node i at X(j, i). Nothing else connects the nodes.

    forwarder.py N PORT_1 … PORT_N

Commands on stdin, one per line (pairs are unordered, both directions):
    rule I J LOSS DELAY_MS JITTER_MS   lose a fraction, delay, and jitter (which reorders)
    cut I J / heal I J                 drop everything between I and J / stop dropping
    stats                              print "stats forwarded F dropped D reordered R"
    directions                         print "directions I>J:PACKETS …" (received per direction)
It prints "ready" once every socket is bound.
"""

import heapq
import random
import selectors
import socket
import sys
import threading
import time


def main():
    n = int(sys.argv[1])
    ports = [int(p) for p in sys.argv[2 : 2 + n]]
    rng = random.Random(14)
    lock = threading.Lock()
    rules = {}  # frozenset({i, j}) -> (loss, delay_s, jitter_s)
    cut = set()
    counts = {"forwarded": 0, "dropped": 0, "reordered": 0}
    per_direction = {}  # (from, to) -> packets received from node `from` for node `to`

    sel = selectors.DefaultSelector()
    sockets = {}
    for i in range(1, n + 1):
        for j in range(1, n + 1):
            if i == j:
                continue
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((f"10.204.{i}.254", 47000 + 10 * i + j))
            s.setblocking(False)
            sockets[(i, j)] = s
            sel.register(s, selectors.EVENT_READ, (i, j))

    def commands():
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            with lock:
                if words[0] == "rule":
                    i, j = int(words[1]), int(words[2])
                    rules[frozenset((i, j))] = (
                        float(words[3]),
                        float(words[4]) / 1000,
                        float(words[5]) / 1000,
                    )
                elif words[0] == "cut":
                    cut.add(frozenset((int(words[1]), int(words[2]))))
                elif words[0] == "heal":
                    cut.discard(frozenset((int(words[1]), int(words[2]))))
                elif words[0] == "directions":
                    print(
                        "directions "
                        + " ".join(f"{i}>{j}:{c}" for (i, j), c in sorted(per_direction.items())),
                        flush=True,
                    )
                elif words[0] == "stats":
                    print(
                        "stats forwarded {forwarded} dropped {dropped} reordered {reordered}".format(
                            **counts
                        ),
                        flush=True,
                    )
        # stdin closed: the test is gone.
        sel.close()
        sys.exit(0)

    threading.Thread(target=commands, daemon=True).start()
    print("ready", flush=True)

    queue = []  # (due, seq, out socket, packet, destination)
    seq = 0
    last_due = {}  # direction -> latest due time scheduled (to count reorders)
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 0.5
        for key, _ in sel.select(timeout):
            i, j = key.data
            try:
                packet, _ = key.fileobj.recvfrom(65536)
            except (BlockingIOError, ConnectionRefusedError):
                continue
            with lock:
                per_direction[(i, j)] = per_direction.get((i, j), 0) + 1
                pair = frozenset((i, j))
                loss, delay, jitter = rules.get(pair, (0.0, 0.0, 0.0))
                if pair in cut or rng.random() < loss:
                    counts["dropped"] += 1
                    continue
                due = time.monotonic() + delay + rng.random() * jitter
                if due < last_due.get((i, j), 0.0):
                    counts["reordered"] += 1
                last_due[(i, j)] = max(due, last_due.get((i, j), 0.0))
            seq += 1
            heapq.heappush(
                queue, (due, seq, sockets[(j, i)], packet, (f"10.204.{j}.1", ports[j - 1]))
            )
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, packet, dest = heapq.heappop(queue)
            try:
                out.sendto(packet, dest)
                with lock:
                    counts["forwarded"] += 1
            except OSError:
                with lock:
                    counts["dropped"] += 1


if __name__ == "__main__":
    main()
