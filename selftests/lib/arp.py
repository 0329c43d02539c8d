#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send and watch ARP frames on one device, over an AF_PACKET socket.

Run it inside the network namespace of the device (nsrun, ip netns exec);
it needs CAP_NET_RAW there.

    arp.py ask DEV TARGET [--sender IP | --probe] [--unicast MAC]
               [--timeout S]
        Sends one ARP request for TARGET out of DEV (broadcast, or to MAC
        with --unicast), from DEV's first IPv4 address, from IP with
        --sender, or from 0.0.0.0 with --probe. Prints every reply that
        answers it (op 2, sender IP TARGET, target IP the request's
        sender IP) within S seconds (default 1):
            reply TARGET is-at MAC from ETH-SRC to ETH-DST tip IP tha MAC
                latency_us N
        (on one line), then "replies N". Exit status 0 if at least one
        reply came, 1 if none.

    arp.py reply DEV TARGET [--sender IP] [--unicast MAC] [--timeout S]
        Sends one ARP reply "IP is-at DEV's MAC" addressed to TARGET
        (target IP TARGET, target MAC zero; broadcast, or to MAC), then
        prints, as ask does, every ARP reply from TARGET to IP within S
        seconds: nothing should answer a reply. Exit status as for ask.

    arp.py capture DEV --for S [--addr IP] [--count N] [--quiet Q]
                   [--realtime]
        Prints "listening" once the socket is bound, then one line per
        ARP frame DEV receives or sends within S seconds (only those whose
        sender or target IP is IP, with --addr; stopping after N frames
        with --count, or once Q seconds passed without one after the
        first, with --quiet):
            t SECONDS in|out op N sip IP tip IP sha MAC tha MAC
                src MAC dst MAC
        t is CLOCK_MONOTONIC seconds (the kernel's receive time; with
        --realtime CLOCK_REALTIME, as date +%s.%N), "in" or "out" the
        direction. Ends with "frames N"; exit status 0.

    arp.py rate DEV TARGET {--for S | --count N} [--sender IP]
        Asks for TARGET again and again for S seconds (or N times), one
        request at a time (the next as soon as the answer came, or after 1 s without
        one), and prints
            sent N replies N rate_per_s R median_latency_us N
                p90_latency_us N
        (on one line). Exit status 0 if at least one reply came.

    arp.py serve
        Reads commands from standard input, one a line, each the arguments
        of one of the above ("ask eth0 10.0.193.10 --timeout 0.5"), runs
        them one after the other and prints, after each one's output, a
        line "end RC" with its exit status. A test that asks many times
        pays python's start-up once.

Exit status 2 on a usage error or when the socket cannot be opened.
"""
import argparse
import fcntl
import os
import select
import shlex
import socket
import struct
import sys
import time

ETH_P_ARP = 0x0806
ARPHRD_ETHER = 1
ETH_P_IP = 0x0800
ARPOP_REQUEST = 1
ARPOP_REPLY = 2
PACKET_OUTGOING = 4
SIOCGIFADDR = 0x8915
SIOCGIFHWADDR = 0x8927
SO_TIMESTAMPNS = 35
BROADCAST = b"\xff" * 6
ZERO_MAC = b"\0" * 6
ZERO_IP = b"\0" * 4
# An Ethernet header, then the ARP header and body for IPv4 over Ethernet.
FRAME = struct.Struct("!6s6sH HHBBH 6s4s6s4s")


def fail(msg):
    print("arp.py: " + msg, file=sys.stderr, flush=True)
    sys.exit(2)


def mac_text(raw):
    return ":".join("%02x" % b for b in raw)


def mac_bytes(text):
    parts = text.split(":")
    if len(parts) != 6:
        fail("%r is not a MAC address (aa:bb:cc:dd:ee:ff)" % text)
    try:
        return bytes(int(p, 16) for p in parts)
    except ValueError:
        fail("%r is not a MAC address (aa:bb:cc:dd:ee:ff)" % text)
    return None


def ip_bytes(text):
    try:
        return socket.inet_aton(text)
    except OSError:
        fail("%r is not an IPv4 address" % text)
    return None


def ifreq(sock, request, dev):
    """The ifreq ioctl REQUEST on DEV; the union part of the answer."""
    buf = struct.pack("16s16s", dev.encode(), b"")
    return fcntl.ioctl(sock.fileno(), request, buf)[16:]


def dev_mac(sock, dev):
    family, addr = struct.unpack("H6s8x", ifreq(sock, SIOCGIFHWADDR, dev))
    if family != ARPHRD_ETHER:
        fail("%s is not an Ethernet device (ARPHRD %d)" % (dev, family))
    return addr


def dev_ipv4(dev):
    """DEV's first IPv4 address, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            return ifreq(s, SIOCGIFADDR, dev)[4:8]
        except OSError:
            return None


def open_socket(dev):
    """A packet socket bound to DEV for ARP only, with receive times."""
    try:
        # Protocol 0 until bound: no frame of another device gets queued.
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sock.bind((dev, ETH_P_ARP))
    except OSError as e:
        fail("cannot open a packet socket on %s: %s (it needs root, or "
             "CAP_NET_RAW, in the device's netns)" % (dev, e.strerror))
    return sock


def build(dst, src, op, sha, spa, tha, tpa):
    return FRAME.pack(dst, src, ETH_P_ARP, ARPHRD_ETHER, ETH_P_IP, 6, 4,
                      op, sha, spa, tha, tpa)


def parse(frame):
    """(dst, src, op, sha, spa, tha, tpa) of an IPv4-over-Ethernet ARP
    frame, else None."""
    if len(frame) < FRAME.size:
        return None
    (dst, src, proto, htype, ptype, hlen, plen, op, sha, spa, tha,
     tpa) = FRAME.unpack_from(frame)
    if (proto != ETH_P_ARP or htype != ARPHRD_ETHER or ptype != ETH_P_IP
            or hlen != 6 or plen != 4):
        return None
    return dst, src, op, sha, spa, tha, tpa


def receive(sock, deadline_ns):
    """The next frame before DEADLINE_NS (monotonic): (frame, outgoing,
    the kernel's receive time in CLOCK_REALTIME ns), or None at the
    deadline. (Send times are taken on the same clock: under TCG the
    offset between CLOCK_REALTIME and CLOCK_MONOTONIC wanders by tenths
    of a millisecond.)"""
    while True:
        left = deadline_ns - time.monotonic_ns()
        if left <= 0:
            return None
        ready, _, _ = select.select([sock], [], [], left / 1e9)
        if not ready:
            return None
        frame, anc, _, addr = sock.recvmsg(2048, socket.CMSG_SPACE(16))
        when = time.time_ns()
        for level, ctype, data in anc:
            if level == socket.SOL_SOCKET and ctype == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", data[:16])
                when = sec * 1000000000 + nsec
        return frame, addr[2] == PACKET_OUTGOING, when


def answers(sock, target, asker_ip, timeout, sent_ns):
    """Print the replies from TARGET to ASKER_IP until TIMEOUT; their
    number."""
    n = 0
    deadline = time.monotonic_ns() + int(timeout * 1e9)
    while True:
        got = receive(sock, deadline)
        if got is None:
            break
        frame, outgoing, when = got
        arp = parse(frame)
        if outgoing or arp is None:
            continue
        dst, src, op, sha, spa, tha, tpa = arp
        if op != ARPOP_REPLY or spa != target or tpa != asker_ip:
            continue
        n += 1
        print("reply %s is-at %s from %s to %s tip %s tha %s latency_us %d" %
              (socket.inet_ntoa(spa), mac_text(sha), mac_text(src),
               mac_text(dst), socket.inet_ntoa(tpa), mac_text(tha),
               max(0, when - sent_ns) // 1000), flush=True)
    print("replies %d" % n, flush=True)
    return n


def sender_ip(args):
    if getattr(args, "probe", False):
        return ZERO_IP
    if args.sender:
        return ip_bytes(args.sender)
    addr = dev_ipv4(args.dev)
    if addr is None:
        fail("%s has no IPv4 address: give --sender IP (or --probe)" %
             args.dev)
    return addr


def cmd_ask(args):
    target = ip_bytes(args.target)
    sock = open_socket(args.dev)
    mac = dev_mac(sock, args.dev)
    spa = sender_ip(args)
    dst = mac_bytes(args.unicast) if args.unicast else BROADCAST
    frame = build(dst, mac, ARPOP_REQUEST, mac, spa, ZERO_MAC, target)
    sent = time.time_ns()
    sock.send(frame)
    return 0 if answers(sock, target, spa, args.timeout, sent) else 1


def cmd_reply(args):
    target = ip_bytes(args.target)
    sock = open_socket(args.dev)
    mac = dev_mac(sock, args.dev)
    spa = sender_ip(args)
    dst = mac_bytes(args.unicast) if args.unicast else BROADCAST
    frame = build(dst, mac, ARPOP_REPLY, mac, spa, ZERO_MAC, target)
    sent = time.time_ns()
    sock.send(frame)
    return 0 if answers(sock, target, spa, args.timeout, sent) else 1


def cmd_capture(args):
    addr = ip_bytes(args.addr) if args.addr else None
    sock = open_socket(args.dev)
    print("listening", flush=True)
    n = 0
    deadline = end = time.monotonic_ns() + int(args.for_s * 1e9)
    while args.count is None or n < args.count:
        got = receive(sock, end)
        if got is None:
            break
        frame, outgoing, when = got
        arp = parse(frame)
        if arp is None:
            continue
        dst, src, op, sha, spa, tha, tpa = arp
        if addr is not None and addr not in (spa, tpa):
            continue
        n += 1
        if args.quiet is not None:
            end = min(deadline, time.monotonic_ns() + int(args.quiet * 1e9))
        if not args.realtime:
            # As CLOCK_MONOTONIC, by the clocks' offset now.
            when += time.clock_gettime_ns(time.CLOCK_MONOTONIC) - time.time_ns()
        print("t %.6f %s op %d sip %s tip %s sha %s tha %s src %s dst %s" %
              (when / 1e9, "out" if outgoing else "in", op,
               socket.inet_ntoa(spa), socket.inet_ntoa(tpa), mac_text(sha),
               mac_text(tha), mac_text(src), mac_text(dst)), flush=True)
    print("frames %d" % n, flush=True)
    return 0


def cmd_rate(args):
    target = ip_bytes(args.target)
    sock = open_socket(args.dev)
    mac = dev_mac(sock, args.dev)
    spa = sender_ip(args)
    frame = build(BROADCAST, mac, ARPOP_REQUEST, mac, spa, ZERO_MAC, target)
    latencies = []
    sent = 0
    start = time.monotonic_ns()
    end = start + int((args.for_s or 0) * 1e9)
    while (sent < args.count if args.count is not None
           else time.monotonic_ns() < end):
        t0 = time.time_ns()
        sock.send(frame)
        sent += 1
        deadline = time.monotonic_ns() + 1000000000
        while True:
            got = receive(sock, deadline)
            if got is None:
                break
            reply, outgoing, when = got
            arp = parse(reply)
            if outgoing or arp is None:
                continue
            if arp[2] == ARPOP_REPLY and arp[4] == target and arp[6] == spa:
                latencies.append(max(0, when - t0) // 1000)
                break
    elapsed = (time.monotonic_ns() - start) / 1e9
    latencies.sort()

    def pct(p):
        if not latencies:
            return 0
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))]
    print("sent %d replies %d rate_per_s %.1f median_latency_us %d "
          "p90_latency_us %d" % (sent, len(latencies),
                                 len(latencies) / elapsed, pct(0.5), pct(0.9)),
          flush=True)
    return 0 if latencies else 1


def parser():
    p = argparse.ArgumentParser(prog="arp.py",
                                description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    ask = sub.add_parser("ask")
    ask.add_argument("dev")
    ask.add_argument("target")
    who = ask.add_mutually_exclusive_group()
    who.add_argument("--sender")
    who.add_argument("--probe", action="store_true")
    ask.add_argument("--unicast")
    ask.add_argument("--timeout", type=float, default=1.0)
    rep = sub.add_parser("reply")
    rep.add_argument("dev")
    rep.add_argument("target")
    rep.add_argument("--sender")
    rep.add_argument("--unicast")
    rep.add_argument("--timeout", type=float, default=1.0)
    cap = sub.add_parser("capture")
    cap.add_argument("dev")
    cap.add_argument("--for", dest="for_s", type=float, required=True)
    cap.add_argument("--addr")
    cap.add_argument("--count", type=int)
    cap.add_argument("--realtime", action="store_true")
    cap.add_argument("--quiet", type=float)
    rate = sub.add_parser("rate")
    rate.add_argument("dev")
    rate.add_argument("target")
    how = rate.add_mutually_exclusive_group(required=True)
    how.add_argument("--for", dest="for_s", type=float)
    how.add_argument("--count", type=int)
    rate.add_argument("--sender")
    sub.add_parser("serve")
    return p


def run(p, argv):
    args = p.parse_args(argv)
    if args.cmd in ("ask", "reply") and args.timeout < 0:
        fail("--timeout must not be negative")
    if args.cmd == "serve":
        return serve(p)
    return {"ask": cmd_ask, "reply": cmd_reply, "capture": cmd_capture,
            "rate": cmd_rate}[args.cmd](args)


def serve(p):
    for line in sys.stdin:
        words = shlex.split(line)
        if not words:
            continue
        try:
            rc = 2 if words[0] == "serve" else run(p, words)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 2
        except OSError as e:
            print("arp.py: %s" % e, flush=True)
            rc = 2
        sys.stderr.flush()
        print("end %d" % rc, flush=True)
    return 0


def main():
    return run(parser(), sys.argv[1:])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        os._exit(1)
