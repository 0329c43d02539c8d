#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP flows for the conntrack-table-full check of selftests/churn.sh.

  udpflows.py echo PORT
      Answer every datagram on PORT with the same bytes (run in the LAN
      host); prints "listening" once bound.
  udpflows.py client ADDR PORT OLD NEW
      Open OLD flows (one socket, one source port each) and make each
      "assured" in conntrack: a request answered, then, once the
      kernel's two-second stream rule allows, another one answered (an
      assured entry is never evicted to make room). Then open NEW flows,
      one datagram each, and count the answers; then ask on every old
      flow again. Prints "old A new B again C" (the flows answered in
      each phase) and exits 0; the caller decides what is expected.
"""
import select
import socket
import sys
import time


def echo(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    print("listening", flush=True)
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def ask_all(socks, addr, port, tag, wait):
    """Send one datagram on each socket; the number answered within wait s."""
    pending = {}
    for i, s in enumerate(socks):
        s.sendto(b"%s %d" % (tag, i), (addr, port))
        pending[s.fileno()] = s
    answered = 0
    deadline = time.monotonic() + wait
    while pending:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select(list(pending.values()), [], [], left)
        for s in ready:
            try:
                s.recv(2048)
            except OSError:
                continue
            del pending[s.fileno()]
            answered += 1
    return answered


def client(addr, port, n_old, n_new):
    old = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n_old)]
    first = ask_all(old, addr, port, b"first", 10)
    # nf_conntrack_udp_packet() marks a flow assured only once it has seen
    # a reply and is still active two seconds after it began: a fixed rule
    # of the kernel, so a fixed wait.
    time.sleep(2.5)
    second = ask_all(old, addr, port, b"assure", 10)
    new = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n_new)]
    fresh = ask_all(new, addr, port, b"new", 2) if n_new else 0
    again = ask_all(old, addr, port, b"again", 10)
    print("old %d new %d again %d" % (min(first, second), fresh, again), flush=True)
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "echo":
        echo(int(argv[2]))
        return 0
    if len(argv) == 6 and argv[1] == "client":
        return client(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
