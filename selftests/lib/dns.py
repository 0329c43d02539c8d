#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A tiny DNS responder over UDP, listening in several network namespaces.

    dns.py NETNS ADDR ANSWER [NETNS ADDR ANSWER]...

For each triple, binds UDP port 53 on ADDR inside the network namespace
NETNS (as "ip netns" names it, /run/netns/NETNS) and answers every
question of type A, whatever the name, with the address ANSWER (TTL 0,
authoritative); questions of other types get an answer without records.
One process serves them all, so that the slow start of python3 on the
debug kernel is paid once per script.

Prints "ready" once every socket is bound, then one line per question:

    ADDR PEER-ADDR PEER-PORT QNAME QTYPE

ADDR being the listening address that got it and PEER-ADDR the source
the question came from, as the responder saw it. Runs until killed.
"""
import ctypes
import os
import selectors
import socket
import struct
import sys

CLONE_NEWNET = 0x40000000
TYPE_A = 1
CLASS_IN = 1


def enter_netns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def read_question(msg):
    """The question of a query: (ID, flags, QNAME, the question's bytes,
    QTYPE), or None for anything but a well-formed query."""
    if len(msg) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qdcount != 1:
        return None
    labels = []
    pos = 12
    while True:
        if pos >= len(msg):
            return None
        n = msg[pos]
        pos += 1
        if n == 0:
            break
        if n > 63 or pos + n > len(msg):
            return None
        labels.append(msg[pos:pos + n].decode("ascii", "replace"))
        pos += n
    if pos + 4 > len(msg):
        return None
    qtype, _ = struct.unpack("!HH", msg[pos:pos + 4])
    return qid, flags, ".".join(labels), msg[12:pos + 4], qtype


def answer(question, addr):
    qid, flags, _, qbytes, qtype = question
    # A response (QR), authoritative (AA), the query's opcode and RD kept.
    rflags = 0x8000 | 0x0400 | (flags & 0x7900)
    ancount = 1 if qtype == TYPE_A else 0
    reply = struct.pack("!HHHHHH", qid, rflags, 1, ancount, 0, 0) + qbytes
    if ancount:
        # The name as a pointer to the question's, at offset 12.
        reply += struct.pack("!HHHIH", 0xC00C, TYPE_A, CLASS_IN, 0, 4)
        reply += socket.inet_aton(addr)
    return reply


def main(args):
    if not args or len(args) % 3:
        sys.exit(__doc__.strip())
    sel = selectors.DefaultSelector()
    for i in range(0, len(args), 3):
        ns, addr, ans = args[i:i + 3]
        enter_netns(ns)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((addr, 53))
        sel.register(sock, selectors.EVENT_READ, (addr, ans))
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            addr, ans = key.data
            msg, peer = key.fileobj.recvfrom(4096)
            question = read_question(msg)
            if question is None:
                continue
            print(addr, peer[0], peer[1], question[2], question[4], flush=True)
            key.fileobj.sendto(answer(question, ans), peer)


if __name__ == "__main__":
    main(sys.argv[1:])
