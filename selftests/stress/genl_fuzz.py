#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A generic netlink fuzzer for the clnet family.

    genl_fuzz.py [--seed N] [--messages N] [--mode root|unpriv|userns]
                 [--timeout S] [--progress N]

Sends random and mutated requests for every command of the YNL spec
(Documentation/netlink/specs/clnet.yaml, read through lib/genl.py, so a
new command or attribute is fuzzed without a change here): unknown
commands, every attribute with wrong types and lengths (0, short, long,
huge), garbage in nests, strings without their NUL, duplicated and
unknown attributes, out-of-range enums and checked values, truncated and
inconsistent headers, odd header flags, netns fds that are not a netns (a
pipe, /dev/null, a regular file, a user namespace, a closed fd) and real
ones, ifindexes that do not exist, dumps abandoned halfway. Interleaved
are valid commands that build deep state for the mutated ones to hit:
pairs with the peer in other namespaces, clnet routes to them (over
rtnetlink), the fast path, masquerade of an uplink, announcements with
short leases and refresh timers, pod announcements, tables large enough
for multi-part dumps; and valid deletes, so objects come and go.

Modes:
  root    (the default) in the netns it is started in, which it fills
          and empties again: an uplink veth (fzup0, fzup1) and namespaces
          of its own, made with unshare(2) and gone when it exits;
  unpriv  without CAP_NET_ADMIN (run it under setpriv): builds nothing;
          every well-formed request for a mutating command must fail
          with EPERM;
  userns  as the root of a user namespace of its own (run it under
          unshare --user --map-root-user): keeps a socket and an fd of
          the netns it was started in, moves to a netns of its own and
          fuzzes there as in root mode; every mutating request on the
          kept socket, and every pair whose peer would go to the kept
          netns (by fd or by pid 1), must fail with EPERM, and that
          netns' pairs must stay as they were.

Deterministic from --seed: all randomness comes from one
random.Random(seed). It prints the seed first (a kernel crash kills the
VM, so the console log has it), progress every --progress messages, and
at the end exactly one summary line

    fuzz: sent N messages in S s (R msg/s), seed X, errors by errno: ...

On an unexpected outcome (no answer within --timeout, an answer that
breaks netlink framing, a wrong errno, the module no longer answering a
valid request) it prints what was sent, the seed, the message index and
the command that replays it, and exits 1.
"""
import argparse
import ctypes
import errno
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import genl  # noqa: E402

CLONE_NEWNET = 0x40000000
IFF_UP = 1
RTM_NEWLINK, RTM_NEWROUTE, RTM_DELROUTE = 16, 24, 25
RTA_DST, RTA_OIF = 1, 4
UPLINK, UPLINK_PEER = "fzup0", "fzup1"
UPLINK_ADDR = "10.0.192.11"
# Valid pairs and entries the fuzzer itself makes and tracks.
MAX_PAIRS = 10
MAX_BULK = 240

_libc = ctypes.CDLL(None, use_errno=True)


def _netns_call(fn, *args):
    if fn(*args):
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


class Unexpected(Exception):
    """An outcome the kernel must not produce."""


def ip4(s):
    return socket.inet_aton(s)


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.mode = args.mode
        self.rng = random.Random(args.seed)
        self.spec = genl.Spec()
        self.ops = self.spec.requests()
        self.by_name = {o.name: o for o in self.ops}
        self.errors = Counter()
        self.no_extack = Counter()
        self.sent = 0
        self.index = 0
        self.last = b""
        self.privileged = self.mode in ("root", "userns")
        self.foreign = None         # userns: socket in the netns we came from
        self.foreign_links = None
        self.fds = {}               # fd -> kind, for PEER_NETNS_FD
        self.pids = {}              # pid -> kind, for PEER_NETNS_PID
        self.peer_ns = []           # (netns fd, rtnetlink socket in it)
        self.children = []
        self.tmpfile = None
        self.pairs = {}             # valid pairs: name -> peer name
        self.routes = {}            # /32 dst -> pair name
        self.anns = {}              # valid announce addr -> lease ms
        self.bulk = []              # static entries for multi-part dumps
        self.counter = 0
        self.spare = set(filter(None, args.spare.split(",")))
        self.names = []
        self.ifindexes = []

    # -- set-up ------------------------------------------------------------

    def setup(self):
        if self.mode == "userns":
            # Before leaving it: a socket in and an fd of the netns we were
            # started in, owned by a user namespace we have no rights in.
            self.foreign = genl.Socket(timeout=self.args.timeout)
            self.foreign_family = self.foreign.resolve(self.spec.name)
            fd = os.open("/proc/self/ns/net", os.O_RDONLY)
            self.fds[fd] = "foreign"
            self.pids[1] = "foreign"
            _netns_call(_libc.unshare, CLONE_NEWNET)
            subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        self.sock = genl.Socket(timeout=self.args.timeout)
        self.family = self.sock.resolve(self.spec.name)
        if self.family is None:
            raise SystemExit("fuzz: the %s family is not there: load the module"
                             % self.spec.name)
        if self.foreign is not None:
            self.foreign_links = self.link_names(self.foreign, self.foreign_family)
        self.pids.update({os.getpid(): "own", 0: "bad", 999999: "bad",
                          0x7fffffff: "bad"})
        # Netns fds that are not a netns.
        r, w = os.pipe()
        self.fds[r], self.fds[w] = "pipe", "pipe"
        self.fds[os.open("/dev/null", os.O_RDONLY)] = "devnull"
        self.tmpfile = tempfile.TemporaryFile()
        self.fds[self.tmpfile.fileno()] = "file"
        self.fds[os.open("/proc/self/ns/user", os.O_RDONLY)] = "userns"
        closed = os.open("/dev/null", os.O_RDONLY)
        os.close(closed)
        self.fds[closed] = "closed"
        self.fds[4000] = "closed"
        self.fds[os.open("/proc/self/ns/net", os.O_RDONLY)] = "own"
        if self.privileged:
            self.rt = genl.Socket(genl.NETLINK_ROUTE, timeout=self.args.timeout)
            own = os.open("/proc/self/ns/net", os.O_RDONLY)
            for _ in range(2):
                _netns_call(_libc.unshare, CLONE_NEWNET)
                nsfd = os.open("/proc/self/ns/net", os.O_RDONLY)
                rt = genl.Socket(genl.NETLINK_ROUTE, timeout=self.args.timeout)
                if not self.children:
                    # A process in a peer netns, for PEER_NETNS_PID.
                    child = subprocess.Popen(["sleep", "100000"])
                    self.children.append(child)
                    self.pids[child.pid] = "netns"
                _netns_call(_libc.setns, own, CLONE_NEWNET)
                self.peer_ns.append((nsfd, rt))
                self.fds[nsfd] = "netns"
            os.close(own)
            for cmd in (["link", "add", UPLINK, "type", "veth", "peer", "name", UPLINK_PEER],
                        ["addr", "add", UPLINK_ADDR + "/24", "dev", UPLINK],
                        ["link", "set", UPLINK, "up"],
                        ["link", "set", UPLINK_PEER, "up"]):
                subprocess.run(["ip"] + cmd, check=True)
        self.refresh_devices()

    def cleanup(self):
        """Leave the netns as it was: no pairs, entries, masquerade, fast
        path, pod announcements or uplink of ours."""
        if not self.privileged:
            return
        for name in list(self.link_names(self.sock, self.family, primary=True)):
            self.call("link-del", [("ifname", name)])
        for attrs in self.dump(self.sock, self.family, "announce-pods-get"):
            self.call("announce-pods-set", [("ifindex", attrs["ifindex"]),
                                            ("pods", 0)])
        for attrs in self.dump(self.sock, self.family, "announce-get"):
            self.call("announce-del", [("addr", attrs["addr"]),
                                       ("ifindex", attrs["ifindex"])])
        self.call("masq-del", [])
        self.call("fastpath-set", [("enabled", 0)])
        subprocess.run(["ip", "link", "del", UPLINK], check=False)
        for child in self.children:
            child.kill()
            child.wait()
        for fd, rt in self.peer_ns:
            rt.close()
            os.close(fd)

    def refresh_devices(self):
        devs = socket.if_nameindex()
        self.ifindexes = [i for i, _ in devs]
        self.names = [n for _, n in devs]

    # -- encoding ----------------------------------------------------------

    def encode_attrs(self, set_name, attrs):
        """[(name, python value)] of a set, encoded as its types say."""
        aset = self.spec.sets[set_name]
        out = b""
        for name, value in attrs:
            a = aset.attrs[name]
            out += genl.attr(a.value | (genl.NLA_F_NESTED if a.type == "nest" else 0),
                             self.pack(a, value))
        return out

    def pack(self, a, value):
        if isinstance(value, bytes):
            return value
        if a.type == "nest":
            return self.encode_attrs(a.nested, value)
        if a.type == "string":
            return value.encode() + b"\0" if isinstance(value, str) else value
        if a.type == "flag":
            return b""
        fmt = {"u8": "B", "u16": "H", "u32": "I", "u64": "Q", "s32": "i"}[a.type]
        return struct.pack(("!" if a.big_endian else "=") + fmt, value)

    def request(self, sock, family, op, attrs, dump=False, flags=None):
        seq = sock.next_seq()
        if flags is None:
            flags = genl.NLM_F_REQUEST | genl.NLM_F_ACK
            if dump:
                flags |= genl.NLM_F_DUMP
        payload = attrs if isinstance(attrs, bytes) else \
            self.encode_attrs(op.attr_set, attrs)
        return seq, genl.genlmsg(family, op.value, flags, seq, payload)

    # -- talking to the kernel ---------------------------------------------

    def exchange(self, sock, data, seq, sentinel=False):
        """Send DATA, read its answer: (errno or None for no answer, extack
        message, [reply payloads]). With sentinel, a GET_INFO follows it and
        its answer ends the wait, for requests that may get no answer."""
        self.last = data
        self.sent += 1
        sock.send(data)
        sseq = None
        if sentinel:
            sseq = sock.next_seq()
            info = self.by_name["get-info"]
            sock.send(genl.genlmsg(self.family if sock is self.sock else
                                   self.foreign_family, info.value,
                                   genl.NLM_F_REQUEST, sseq, b""))
            self.sent += 1
        err, msg, replies, dump_open = None, "", [], False
        sentinel_seen = not sentinel
        while True:
            try:
                msgs = sock.recv()
            except socket.timeout:
                raise Unexpected("no answer within %s s" % self.args.timeout)
            except genl.FramingError as e:
                raise Unexpected("answer breaks netlink framing: %s" % e)
            for mtype, flags, mseq, payload in msgs:
                self.check_frame(mtype, flags, payload)
                if mseq == sseq and sseq is not None:
                    if mtype == genl.NLMSG_ERROR:
                        raise Unexpected("GET_INFO after the request failed: errno %d"
                                         % genl.parse_error(flags, payload)[0])
                    sentinel_seen = True
                elif mseq == seq:
                    if mtype == genl.NLMSG_ERROR:
                        e, m, missing = genl.parse_error(flags, payload)
                        if missing is not None:
                            m = (m + " " if m else "") + "missing attribute %d" % missing
                        if err is None:
                            err, msg = e, m
                    elif mtype == genl.NLMSG_DONE:
                        err = -struct.unpack_from("i", payload)[0]
                        if flags & genl.NLM_F_ACK_TLVS:
                            for t, d in genl.parse_attrs(payload[4:]):
                                if t == genl.NLMSGERR_ATTR_MSG:
                                    msg = d.rstrip(b"\0").decode(errors="replace")
                        dump_open = False
                    else:
                        replies.append(payload)
                        dump_open = bool(flags & genl.NLM_F_MULTI)
            if sentinel_seen and not dump_open and (sentinel or err is not None):
                return err, msg, replies

    def check_frame(self, mtype, flags, payload):
        if mtype == genl.NLMSG_ERROR:
            if len(payload) < 20:
                raise Unexpected("NLMSG_ERROR of %d bytes" % len(payload))
            genl.parse_error(flags, payload)
        elif mtype == genl.NLMSG_DONE:
            if len(payload) < 4:
                raise Unexpected("NLMSG_DONE of %d bytes" % len(payload))
            genl.parse_attrs(payload[4:]) if flags & genl.NLM_F_ACK_TLVS else None
        elif mtype in (self.family, getattr(self, "foreign_family", None)):
            if len(payload) < 4:
                raise Unexpected("genl message of %d bytes" % len(payload))
            try:
                self.decode(payload)
            except genl.FramingError as e:
                raise Unexpected("reply's attributes break framing: %s" % e)
        else:
            raise Unexpected("answer of type %d" % mtype)

    def decode(self, payload):
        """A reply's attributes by name, nests decoded (framing checked)."""
        cmd = payload[0]
        op = next((o for o in self.ops if o.value == cmd), None)
        if op is None:
            raise genl.FramingError("reply with command %d" % cmd)
        return self.decode_set(op.attr_set, payload[4:])

    def decode_set(self, set_name, data):
        aset = self.spec.sets[set_name]
        out = {}
        for t, d in genl.parse_attrs(data):
            a = aset.by_value(t)
            if a is None:
                continue
            if a.type == "nest":
                out[a.name] = self.decode_set(a.nested, d)
            elif a.type in ("u8", "u16", "u32", "u64", "s32"):
                fmt = {"u8": "B", "u16": "H", "u32": "I", "u64": "Q", "s32": "i"}[a.type]
                if len(d) != struct.calcsize(fmt):
                    raise genl.FramingError("%s of %d bytes" % (a.name, len(d)))
                out[a.name] = struct.unpack(("!" if a.big_endian else "=") + fmt, d)[0]
            elif a.type == "string":
                out[a.name] = d.rstrip(b"\0").decode(errors="replace")
            else:
                out[a.name] = d
        return out

    def count(self, err, op_name):
        name = "ok" if err == 0 else errno.errorcode.get(err, str(err))
        self.errors[name] += 1
        return name

    def call(self, op_name, attrs, sock=None, want=None):
        """A valid request; WANT: errnos that are fine (0 always is).
        Returns the errno."""
        sock = sock or self.sock
        family = self.family if sock is self.sock else self.foreign_family
        op = self.by_name[op_name]
        seq, data = self.request(sock, family, op, attrs)
        err, msg, _ = self.exchange(sock, data, seq)
        self.count(err, op_name)
        if err and (want is None or err not in want):
            raise Unexpected("valid %s %s failed: %s %s" %
                             (op_name, attrs, errno.errorcode.get(err, err), msg))
        return err

    def dump(self, sock, family, op_name, attrs=()):
        op = self.by_name[op_name]
        seq, data = self.request(sock, family, op, list(attrs), dump=True)
        err, msg, replies = self.exchange(sock, data, seq)
        if err:
            raise Unexpected("dump %s failed: %s %s" %
                             (op_name, errno.errorcode.get(err, err), msg))
        return [self.decode(r) for r in replies]

    def link_names(self, sock, family, primary=False):
        return sorted(a["ifname"] for a in self.dump(sock, family, "link-get")
                      if not primary or "primary" in a)

    def rtnl(self, sock, mtype, flags, body):
        seq = sock.next_seq()
        replies = sock.transact(genl.nlmsg(mtype, genl.NLM_F_REQUEST |
                                           genl.NLM_F_ACK | flags, seq, body), seq)
        self.sent += 1
        return genl.parse_error(replies[-1][1], replies[-1][2])

    def link_up(self, sock, ifindex):
        return self.rtnl(sock, RTM_NEWLINK, 0,
                         struct.pack("=BxHiII", 0, 0, ifindex, IFF_UP, IFF_UP))

    def route(self, add, dst, oif):
        body = struct.pack("=BBBBBBBBI", socket.AF_INET, 32, 0, 0, 254,
                           self.spec.consts["rtprot"], 253, 1, 0)
        body += genl.attr(RTA_DST, ip4(dst)) + genl.attr(RTA_OIF, struct.pack("I", oif))
        if add:
            return self.rtnl(self.rt, RTM_NEWROUTE, genl.NLM_F_CREATE |
                             genl.NLM_F_REPLACE, body)
        return self.rtnl(self.rt, RTM_DELROUTE, 0, body)

    # -- valid commands that build state -----------------------------------

    def valid_op(self):
        rng = self.rng
        ops = [self.v_link_new, self.v_link_new, self.v_link_del, self.v_link_set,
               self.v_route, self.v_route, self.v_fastpath, self.v_masq,
               self.v_masq_del, self.v_ann_add, self.v_ann_add, self.v_ann_renew,
               self.v_ann_del, self.v_pods, self.v_bulk, self.v_dumps,
               self.v_abandon]
        if self.mode == "userns":
            ops.append(self.v_foreign_peer)
        rng.choice(ops)()

    def v_link_new(self):
        if len(self.pairs) >= MAX_PAIRS:
            return self.v_link_del()
        self.counter += 1
        name, peer = "vz%d" % self.counter, "vp%d" % self.counter
        attrs = [("ifname", name), ("peer-ifname", peer)]
        where = self.rng.randrange(len(self.peer_ns) + 2)
        if where < len(self.peer_ns):
            attrs.append(("peer-netns-fd", self.peer_ns[where][0]))
        elif where == len(self.peer_ns) and self.children:
            where = 0
            attrs.append(("peer-netns-pid", self.children[0].pid))
        else:
            where = None
        if self.rng.random() < 0.3:
            attrs.append(("mode", self.rng.randrange(2)))
        if self.rng.random() < 0.3:
            attrs.append(("mtu", self.rng.choice([68, 1280, 1500, 9000, 65535])))
        self.call("link-new", attrs)
        self.pairs[name] = peer
        ifindex = socket.if_nametoindex(name)
        self.link_up(self.rt, ifindex)
        if where is not None:
            rt = self.peer_ns[where][1]
            for a in self.dump_peer_index(rt, peer):
                self.link_up(rt, a)
        else:
            self.link_up(self.rt, socket.if_nametoindex(peer))
        self.refresh_devices()

    def dump_peer_index(self, rt, name):
        """The ifindex of NAME in the netns of rtnetlink socket RT."""
        seq = rt.next_seq()
        body = struct.pack("=BxHiII", 0, 0, 0, 0, 0) + \
            genl.attr(3, name.encode() + b"\0")     # IFLA_IFNAME
        replies = rt.transact(genl.nlmsg(18, genl.NLM_F_REQUEST | genl.NLM_F_ACK,
                                         seq, body), seq)  # RTM_GETLINK
        for mtype, _, payload in replies:
            if mtype == 16:
                return [struct.unpack_from("=BxHiII", payload)[2]]
        return []

    def v_link_del(self):
        if not self.pairs:
            return self.v_link_new()
        name = self.rng.choice(sorted(self.pairs))
        del self.pairs[name]
        for dst in [d for d, n in self.routes.items() if n == name]:
            del self.routes[dst]
        self.call("link-del", [("ifname", name)], want={errno.ENODEV})
        self.refresh_devices()

    def v_link_set(self):
        if not self.pairs:
            return self.v_link_new()
        name = self.rng.choice(sorted(self.pairs))
        attrs = [("ifname", name)]
        if self.rng.random() < 0.5:
            attrs.append(("mtu", self.rng.choice([1400, 1500, 9000])))
        else:
            attrs.append((self.rng.choice(["policy", "peer-policy"]), self.rng.randrange(2)))
        self.call("link-set", attrs, want={errno.ENODEV})

    def v_route(self):
        if not self.pairs:
            return self.v_link_new()
        if self.routes and self.rng.random() < 0.3:
            dst = self.rng.choice(sorted(self.routes))
            name = self.routes.pop(dst)
            if name in self.names:
                self.route(False, dst, socket.if_nametoindex(name))
            return
        name = self.rng.choice(sorted(self.pairs))
        dst = "10.0.208.%d" % self.rng.randrange(1, 250)
        if name in self.names:
            err = self.route(True, dst, socket.if_nametoindex(name))[0]
            if err == 0:
                self.routes[dst] = name

    def v_fastpath(self):
        self.call("fastpath-set", [("enabled", self.rng.randrange(2))])

    def v_masq(self):
        rng = self.rng
        dev = [("ifindex", socket.if_nametoindex(UPLINK))] if rng.random() < 0.5 \
            else [("ifname", UPLINK)]
        attrs = [("dev", dev),
                 ("native-cidr", [("addr", ip4("10.0.208.0")), ("prefixlen", 20)])]
        for _ in range(rng.randrange(3)):
            attrs.append(("exclude", [("addr", ip4("10.0.%d.0" % rng.randrange(256))),
                                      ("prefixlen", 24)]))
        if rng.random() < 0.3:
            attrs.append(("src", ip4(UPLINK_ADDR)))
        self.call("masq-set", attrs)

    def v_masq_del(self):
        self.call("masq-del", [])

    def v_ann_add(self):
        rng = self.rng
        if len(self.anns) >= 16:
            return self.v_ann_del()
        self.counter += 1
        addr = "10.0.194.%d" % (self.counter % 250 + 1)
        lease = rng.choice([None, 100, 300, 1000, 3000])
        attrs = [("addr", ip4(addr)), ("ifname", UPLINK)]
        if lease:
            attrs.append(("lease-ms", lease))
        attrs += [("garp-count", rng.randrange(4)),
                  ("garp-interval-ms", rng.choice([10, 20, 50])),
                  ("refresh-ms", rng.choice([0, 1000, 1500]))]
        if self.call("announce-add", attrs, want={errno.EEXIST}) == 0:
            self.anns[addr] = lease

    def v_ann_renew(self):
        if not self.anns:
            return self.v_ann_add()
        addr = self.rng.choice(sorted(self.anns))
        attrs = [("addr", ip4(addr)), ("ifname", UPLINK)]
        if self.rng.random() < 0.5:
            attrs.append(("lease-ms", self.rng.choice([100, 500, 2000])))
        # A static entry cannot be renewed (EINVAL); a fuzzed del may have
        # removed it (ENOENT).
        self.call("announce-renew", attrs, want={errno.EINVAL, errno.ENOENT})

    def v_ann_del(self):
        if not self.anns:
            return self.v_ann_add()
        addr = self.rng.choice(sorted(self.anns))
        del self.anns[addr]
        self.call("announce-del", [("addr", ip4(addr)), ("ifname", UPLINK)],
                  want={errno.ENOENT})

    def v_pods(self):
        attrs = [("ifname", UPLINK), ("pods", self.rng.randrange(2))]
        if self.rng.random() < 0.5:
            attrs += [("garp-count", self.rng.randrange(3)), ("garp-interval-ms", 10)]
        self.call("announce-pods-set", attrs)

    def v_bulk(self):
        """Enough entries for dumps of several parts, or fewer again."""
        if len(self.bulk) >= MAX_BULK or (self.bulk and self.rng.random() < 0.3):
            for addr in self.bulk[:40]:
                self.call("announce-del", [("addr", ip4(addr)), ("ifname", UPLINK)],
                          want={errno.ENOENT})
            del self.bulk[:40]
            return
        base = len(self.bulk)
        for i in range(base, base + 40):
            addr = "10.0.%d.%d" % (195 + i // 250, i % 250 + 1)
            if self.call("announce-add", [("addr", ip4(addr)), ("ifname", UPLINK),
                                          ("garp-count", 0)],
                         want={errno.EEXIST}) == 0:
                self.bulk.append(addr)

    def v_dumps(self):
        for op in self.ops:
            if op.dump is not None:
                self.dump(self.sock, self.family, op.name)
        self.dump(self.sock, self.family, "announce-get", [("ifname", UPLINK)])

    def v_abandon(self):
        """A dump left halfway: one part read, or none, then the socket
        closed."""
        op = self.rng.choice([o for o in self.ops if o.dump is not None])
        s = genl.Socket(timeout=self.args.timeout)
        if self.rng.random() < 0.5:
            s.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        seq, data = self.request(s, self.family, op, [], dump=True)
        s.send(data)
        self.sent += 1
        if self.rng.random() < 0.7:
            try:
                for mtype, flags, _, payload in s.recv():
                    self.check_frame(mtype, flags, payload)
            except socket.timeout:
                raise Unexpected("abandoned dump %s: no first part" % op.name)
        s.close()

    def v_foreign_peer(self):
        """userns: a pair whose peer would go to the netns we came from."""
        self.counter += 1
        fd = next(f for f, k in self.fds.items() if k == "foreign")
        which = self.rng.choice([("peer-netns-fd", fd), ("peer-netns-pid", 1)])
        err = self.call("link-new", [("ifname", "vf%d" % self.counter),
                                     ("peer-ifname", "vg%d" % self.counter), which],
                        want={errno.EPERM})
        if err != errno.EPERM:
            raise Unexpected("a pair was created with its peer in a netns "
                             "this user namespace does not own")

    # -- mutated requests ----------------------------------------------------

    def value(self, set_name, a, depth=0):
        """A value for attribute A: mostly plausible, often at an edge."""
        rng = self.rng
        n = a.name
        if a.type == "nest":
            if depth > 2 or rng.random() < 0.15:
                return self.garbage()
            nested = self.spec.sets[a.nested]
            return [(x.name, self.value(a.nested, x, depth + 1))
                    for x in nested.attrs.values()
                    if x.type not in ("unused", "pad") and rng.random() < 0.6]
        if a.type == "string":
            pool = self.names + [UPLINK, "lo", "fz0", "fz1", "vz1", "", "x" * 15,
                                 "y" * 16, "a%d", "a/b", " ", "..", "eth0"]
            v = rng.choice(pool)
            return v
        if a.type == "flag":
            return None
        if a.type in ("binary", "pad", "unused"):
            return self.garbage()
        if n.endswith("netns-fd"):
            return rng.choice(sorted(self.fds))
        if n.endswith("netns-pid"):
            return rng.choice(sorted(self.pids))
        bits = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "s32": 32}[a.type]
        top = (1 << bits) - 1
        pool = [0, 1, 2, top, rng.randrange(top + 1)]
        if n.endswith("ifindex"):
            pool += self.ifindexes * 2 + [9999, 0x7fffffff]
        if a.enum:
            count = len(self.spec.enums[a.enum])
            pool += list(range(count + 2)) + [count + 100]
        for k in ("min", "max"):
            if k in a.checks:
                v = int(a.checks[k])
                pool += [max(v - 1, 0), v, min(v + 1, top)]
        if n in ("lease-ms", "garp-interval-ms", "refresh-ms"):
            pool += [99, 100, 999, 1000, 10, 60000, 60001, 86400000, 86400001]
        if n == "addr":
            pool = [struct.unpack("!I", ip4(x))[0] for x in
                    list(self.anns)[:4] + self.bulk[:4] +
                    ["10.0.193.1", "10.0.193.2", UPLINK_ADDR, "0.0.0.0", "0.1.2.3",
                     "127.0.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
                     "10.0.208.0", "10.0.208.1"]] + [rng.randrange(1 << 32)]
        if a.type == "s32":
            pool = [v - (1 << 32) if v >= 1 << 31 else v for v in pool]
        if a.type == "u8" and rng.random() < 0.1:
            return rng.randrange(256)
        return rng.choice(pool)

    def garbage(self):
        rng = self.rng
        kind = rng.randrange(5)
        if kind == 0:
            return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        if kind == 1:       # an inner attribute longer than the nest
            return struct.pack("HH", rng.randrange(9, 300), rng.randrange(8)) + b"\0" * 4
        if kind == 2:       # an inner attribute shorter than its header
            return struct.pack("HH", rng.randrange(4), rng.randrange(8))
        if kind == 3:       # nests in nests
            inner = genl.attr(rng.randrange(8), b"\1\0\0\0")
            for _ in range(rng.randrange(1, 30)):
                inner = genl.attr(rng.randrange(8) | genl.NLA_F_NESTED, inner)
            return inner
        return b""

    def mutated(self):
        """A request for a random command, mutated: (op or None, seq, data,
        whether the header is well-formed, notes on what it carries)."""
        rng = self.rng
        notes = set()
        if rng.random() < 0.04:
            cmd = rng.choice([0, self.spec.cmd_max + 1, self.spec.cmd_max + 2, 200, 255] +
                             [v for v in range(self.spec.cmd_max + 1)
                              if v not in {o.value for o in self.ops}])
            op = None
            attrs_bytes = genl.attr(1, b"\0\0\0\0") if rng.random() < 0.5 else b""
            seq = self.sock.next_seq()
            return None, seq, genl.genlmsg(self.family, cmd, genl.NLM_F_REQUEST |
                                           genl.NLM_F_ACK, seq, attrs_bytes), True, notes
        op = rng.choice(self.ops)
        aset = self.spec.sets[op.attr_set] if op.attr_set else None
        dump = op.dump is not None and (op.do is None or rng.random() < 0.3)
        names = (op.dump if dump else op.do) or []
        if aset:
            attrs = [(a.value | (genl.NLA_F_NESTED if a.type == "nest" else 0), a,
                      self.value(op.attr_set, a))
                     for n in names for a in [aset.attrs[n]] if rng.random() < 0.7]
            if rng.random() < 0.15:
                others = [a for a in aset.attrs.values() if a.name not in names]
                if others:
                    a = rng.choice(others)
                    attrs.append((a.value | (genl.NLA_F_NESTED if a.type == "nest" else 0),
                                  a, self.value(op.attr_set, a)))
            encoded = []
            for t, a, v in attrs:
                encoded.append([t, self.pack(a, v) if v is not None or a.type == "flag"
                                else b"", "%s.%s" % (op.attr_set, a.name) in self.spare])
                if a.name.endswith("netns-fd"):
                    notes.add("fd:" + self.fds.get(v, "?"))
                if a.name.endswith("netns-pid"):
                    notes.add("pid:" + self.pids.get(v, "?"))
        else:
            encoded = []
        mutations = 0 if rng.random() < 0.35 else rng.randrange(1, 4)
        suffix = b""
        for _ in range(mutations):
            m = rng.randrange(8)
            # A spared attribute keeps its type and length (--spare).
            free = [e for e in encoded if not e[2]]
            if m in (0, 1, 3, 5):
                encoded, all_encoded = free, encoded
            if m == 0 and encoded:         # wrong length
                e = rng.choice(encoded)
                ln = rng.choice([0, 1, 2, 3, 5, 7, 9, 17, rng.randrange(100, 2000),
                                 rng.choice([4096, 20000, 65000])])
                e[1] = bytes(rng.randrange(256) for _ in range(min(ln, 64))) * \
                    (ln // 64 + 1)
                e[1] = e[1][:ln]
            elif m == 1 and encoded:       # unknown or flagged type
                e = rng.choice(encoded)
                e[0] = rng.choice([0, aset.max + 1 if aset else 1, 0x3fff,
                                   e[0] | genl.NLA_F_NESTED,
                                   e[0] | genl.NLA_F_NET_BYTEORDER])
            elif m == 2 and encoded:       # duplicated
                e = rng.choice(encoded)
                encoded.insert(rng.randrange(len(encoded) + 1), list(e))
            elif m == 3 and encoded:       # garbage payload
                rng.choice(encoded)[1] = self.garbage()
            elif m == 4 and encoded:       # dropped
                encoded.pop(rng.randrange(len(encoded)))
            elif m == 5 and encoded:       # a string without its NUL
                e = rng.choice(encoded)
                e[1] = e[1].rstrip(b"\0") or b"x"
            elif m == 6:                   # trailing bytes
                suffix = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4)))
            elif m == 7:                   # a header that lies
                suffix = struct.pack("HH", rng.choice([0, 2, 3, 200]), rng.randrange(16))
            if m in (0, 1, 3, 5):
                encoded = all_encoded
            if mutations:
                notes.add("mutated")
        payload = b"".join(genl.attr(t, p) for t, p, _ in encoded) + suffix
        seq = self.sock.next_seq()
        flags = genl.NLM_F_REQUEST | genl.NLM_F_ACK | (genl.NLM_F_DUMP if dump else 0)
        return op, seq, genl.genlmsg(self.family, op.value, flags, seq, payload), \
            True, notes

    def header_mutated(self):
        """A request whose netlink or genl header is wrong: (seq, data)."""
        rng = self.rng
        op = rng.choice(self.ops)
        seq = self.sock.next_seq()
        payload = genl.attr(1, b"\0\0\0\0") if rng.random() < 0.5 else b""
        flags = genl.NLM_F_REQUEST | genl.NLM_F_ACK
        m = rng.randrange(7)
        if m == 0:      # flags: anything
            return seq, genl.genlmsg(self.family, op.value, rng.randrange(1 << 16),
                                     seq, payload)
        if m == 1:      # genl reserved or version
            return seq, genl.genlmsg(self.family, op.value, flags, seq, payload,
                                     version=rng.randrange(256),
                                     reserved=rng.choice([0, 1, 0xffff]))
        body = struct.pack("BBH", op.value, 1, 0) + payload
        if m == 2:      # truncated genl header
            cut = rng.randrange(4)
            return seq, genl.NLMSG_HDR.pack(16 + cut, self.family, flags, seq, 0) + body[:cut]
        if m == 3:      # nlmsg_len beyond the datagram
            return seq, genl.NLMSG_HDR.pack(16 + len(body) + rng.randrange(1, 200),
                                            self.family, flags, seq, 0) + body
        if m == 4:      # nlmsg_len below the header
            return seq, genl.NLMSG_HDR.pack(rng.randrange(16), self.family, flags,
                                            seq, 0) + body
        if m == 5:      # a datagram shorter than a netlink header
            return seq, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        # two requests in one datagram, the second cut short
        first = genl.genlmsg(self.family, op.value, flags, seq, payload)
        second = genl.genlmsg(self.family, op.value, flags, seq, payload)
        return seq, first + second[:rng.randrange(len(second))]

    def judge(self, op, err, msg, notes, on_foreign):
        """Whether a well-formed request's errno is one the kernel may give."""
        if err is None:
            raise Unexpected("no answer to a well-formed request")
        if err and (err >= 512 or err not in errno.errorcode):
            raise Unexpected("errno %d is not a userspace errno" % err)
        if op is None:
            if err != errno.EOPNOTSUPP:
                raise Unexpected("unknown command answered errno %d, not EOPNOTSUPP" % err)
            return
        if op.mutating and (on_foreign or self.mode == "unpriv"):
            if err != errno.EPERM:
                raise Unexpected("%s without CAP_NET_ADMIN over the netns: %s, not EPERM"
                                 % (op.name, errno.errorcode.get(err, err) if err else "ok"))
            return
        if err == errno.EPERM:
            allowed = self.mode == "userns" and op.name == "link-new" and \
                ({"fd:foreign", "pid:foreign"} & notes)
            if not allowed:
                raise Unexpected("%s: EPERM for a caller with CAP_NET_ADMIN (%s)"
                                 % (op.name, msg))
        if err == 0 and op.name == "link-new" and "mutated" not in notes:
            bad = {"fd:pipe", "fd:devnull", "fd:file", "fd:userns", "fd:closed",
                   "pid:bad", "fd:foreign", "pid:foreign"} & notes
            if bad:
                raise Unexpected("link-new succeeded with its peer netns given as %s"
                                 % ", ".join(sorted(bad)))
        if err and not msg:
            key = "%s %s" % (op.name, errno.errorcode.get(err, err))
            self.no_extack[key] += 1
            if self.args.verbose and self.no_extack[key] == 1:
                print("fuzz: %s without an extack message, for %s" %
                      (key, self.last.hex()))

    def fuzz_one(self):
        rng = self.rng
        r = rng.random()
        if self.privileged and r < 0.08:
            return self.valid_op()
        if r < 0.16:
            seq, data = self.header_mutated()
            err, _, _ = self.exchange(self.sock, data, seq, sentinel=True)
            self.errors["silent" if err is None else
                        ("ok" if err == 0 else errno.errorcode.get(err, str(err)))] += 1
            if err is not None and (err >= 512 or (err and err not in errno.errorcode)):
                raise Unexpected("errno %d is not a userspace errno" % err)
            return
        if r < 0.19:
            return self.v_abandon()
        op, seq, data, _, notes = self.mutated()
        sock = self.sock
        on_foreign = self.foreign is not None and rng.random() < 0.2
        if on_foreign:
            # The same request in the netns we came from.
            sock = self.foreign
            hdr = genl.NLMSG_HDR.unpack_from(data)
            seq = sock.next_seq()
            data = genl.NLMSG_HDR.pack(hdr[0], self.foreign_family, hdr[2], seq, 0) + data[16:]
        err, msg, replies = self.exchange(sock, data, seq)
        self.count(err, op.name if op else "unknown")
        self.judge(op, err, msg, notes, on_foreign)
        if op is not None and op.mutating and err == 0:
            self.refresh_devices()

    def alive(self):
        """The module still answers valid requests, and its tables dump."""
        seq, data = self.request(self.sock, self.family, self.by_name["get-info"], [])
        err, msg, replies = self.exchange(self.sock, data, seq)
        if err or not replies or "version" not in self.decode(replies[0]):
            raise Unexpected("the module no longer answers GET_INFO (%s)" % err)
        for op in self.ops:
            if not op.mutating and op.do == [] and op.name != "get-info":
                seq, data = self.request(self.sock, self.family, op, [])
                err, msg, _ = self.exchange(self.sock, data, seq)
                if err:
                    raise Unexpected("%s failed: %s" % (op.name, err))
        self.link_names(self.sock, self.family)
        if self.foreign is not None:
            now = self.link_names(self.foreign, self.foreign_family)
            if now != self.foreign_links:
                raise Unexpected("the pairs of the netns we came from changed: %s -> %s"
                                 % (self.foreign_links, now))

    def run(self):
        n = self.args.messages
        start = time.monotonic()
        last_progress = 0
        while self.sent < n:
            self.index += 1
            self.fuzz_one()
            if self.index % 200 == 0:
                self.alive()
            if self.sent - last_progress >= self.args.progress:
                last_progress = self.sent
                el = time.monotonic() - start
                print("fuzz: %d/%d messages, %.0f msg/s" % (self.sent, n, self.sent / el),
                      flush=True)
        self.alive()
        return time.monotonic() - start


def replay_command(args):
    cmd = "selftests/stress/genl_fuzz.py --seed %d --messages %d" % (args.seed, args.messages)
    if args.mode != "root":
        cmd += " --mode " + args.mode
    if args.spare:
        cmd += " --spare " + args.spare
    return cmd


def main():
    ap = argparse.ArgumentParser(description="Fuzz the clnet genl family.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--mode", choices=["root", "unpriv", "userns"], default="root")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds to wait for an answer before calling it a hang")
    ap.add_argument("--progress", type=int, default=1000)
    ap.add_argument("--verbose", action="store_true",
                    help="show a request for each kind of error without a message")
    ap.add_argument("--spare", default="",
                    help="SET.ATTR,...: attributes whose type and length are never "
                    "mutated, to steer around a known defect until it is fixed")
    args = ap.parse_args()
    print("fuzz: seed %d, %d messages, mode %s (replay: %s)" %
          (args.seed, args.messages, args.mode, replay_command(args)), flush=True)
    fz = Fuzzer(args)
    try:
        fz.setup()
        secs = fz.run()
        fz.cleanup()
    except (Unexpected, genl.FramingError, OSError) as e:
        print("fuzz: FAIL at message index %d (%d sent), seed %d: %s" %
              (fz.index, fz.sent, args.seed, e))
        print("fuzz: last request sent: %s" % fz.last[:256].hex())
        print("fuzz: replay: %s" % replay_command(args), flush=True)
        try:
            fz.cleanup()
        except Exception as e2:  # noqa: BLE001 (best effort after a failure)
            print("fuzz: cleanup after the failure failed too: %s" % e2)
        return 1
    errs = ", ".join("%s %d" % kv for kv in sorted(fz.errors.items(),
                                                     key=lambda kv: (-kv[1], kv[0])))
    if fz.no_extack:
        print("fuzz: errors without an extack message: %s" %
              ", ".join("%s %d" % kv for kv in sorted(fz.no_extack.items())))
    print("fuzz: sent %d messages in %.1f s (%.0f msg/s), seed %d, errors by errno: %s" %
          (fz.sent, secs, fz.sent / secs, args.seed, errs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
