# SPDX-License-Identifier: GPL-2.0
"""Generic netlink for the clnet selftests, standard library only.

What selftests/genl_raw.py, selftests/stress/genl_fuzz.py and the
privilege tests share: the wire format (netlink and genl headers,
attributes, extended ACKs), a socket that resolves the family and reads
answers with every message's framing checked, and the ABI as data, read
from the files that describe it:

- Uapi: the commands and attribute sets of include/uapi/linux/clnet.h
  (names and numbers, what genl_raw.py needs);
- Spec: Documentation/netlink/specs/clnet.yaml, read with the YAML
  reader of scripts/abi-check: every operation with its attribute set,
  its flags (uns-admin-perm: mutating), the attributes its do and dump
  requests take, and every attribute's type, checks, enum and nest.

A new command or attribute in those files is known here at once.
"""
import importlib.machinery
import importlib.util
import os
import re
import socket
import struct

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC_PATH = os.path.join(TOP, "Documentation/netlink/specs/clnet.yaml")
HEADER_PATH = os.path.join(TOP, "include/uapi/linux/clnet.h")

NETLINK_ROUTE = 0
NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10

NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN = 1, 2, 3, 4
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO = 1, 2, 4, 8
NLM_F_DUMP_INTR = 0x10
NLM_F_ROOT, NLM_F_MATCH = 0x100, 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE = 0x100, 0x200, 0x400
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_CMD_GETPOLICY = 10

NLMSG_HDR = struct.Struct("IHHII")
GENL_HDR = struct.Struct("BBH")


class FramingError(Exception):
    """An answer that breaks netlink framing."""


def attr(atype, payload):
    """One attribute, padded to 4 bytes."""
    hdr = struct.pack("HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def nlmsg(mtype, flags, seq, body, pid=0):
    return NLMSG_HDR.pack(16 + len(body), mtype, flags, seq, pid) + body


def genlmsg(family, cmd, flags, seq, payload, version=1, reserved=0):
    return nlmsg(family, flags, seq, GENL_HDR.pack(cmd, version, reserved) + payload)


def split_msgs(data):
    """The messages of one datagram: (type, flags, seq, payload) each.

    Raises FramingError when a length runs past the datagram or below the
    header, or when bytes are left over that are not a message.
    """
    msgs = []
    off = 0
    while off < len(data):
        if len(data) - off < 16:
            raise FramingError("%d trailing bytes after the last message" %
                               (len(data) - off))
        length, mtype, flags, seq, _ = NLMSG_HDR.unpack_from(data, off)
        if length < 16 or off + length > len(data):
            raise FramingError("message length %d at offset %d of a %d-byte datagram"
                               % (length, off, len(data)))
        msgs.append((mtype, flags, seq, data[off + 16:off + length]))
        off += (length + 3) & ~3
    return msgs


def parse_attrs(data, strict=True):
    """Attributes as a list of (type without flag bits, payload).

    strict: an attribute whose length runs past the data, or less than 4
    left over, is a FramingError.
    """
    out = []
    off = 0
    while len(data) - off >= 4:
        alen, atype = struct.unpack_from("HH", data, off)
        if alen < 4 or off + alen > len(data):
            if strict:
                raise FramingError("attribute type %d length %d at offset %d of %d"
                                   % (atype, alen, off, len(data)))
            break
        out.append((atype & ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER),
                    data[off + 4:off + alen]))
        off += (alen + 3) & ~3
    if strict and off < len(data) and len(data) - off < 4 and \
            any(data[off:]):
        raise FramingError("%d stray bytes after the attributes" % (len(data) - off))
    return out


def parse_error(flags, payload):
    """An NLMSG_ERROR's errno and extack: (err, message, missing attribute
    type or None). err is positive (0 for an ACK)."""
    if len(payload) < 4:
        raise FramingError("NLMSG_ERROR of %d bytes" % len(payload))
    err = -struct.unpack_from("i", payload)[0]
    msg, missing = "", None
    if flags & NLM_F_ACK_TLVS:
        if len(payload) < 20:
            raise FramingError("NLMSG_ERROR with TLVs but no request header")
        # The echoed request is padded to 4 bytes before the TLVs.
        off = 4 + (16 if flags & NLM_F_CAPPED else
                   (struct.unpack_from("I", payload, 4)[0] + 3) & ~3)
        if off > len(payload):
            raise FramingError("NLMSG_ERROR's echoed request runs past its end")
        for atype, data in parse_attrs(payload[off:]):
            if atype == NLMSGERR_ATTR_MSG:
                msg = data.rstrip(b"\0").decode(errors="replace")
            elif atype == NLMSGERR_ATTR_MISS_TYPE and len(data) >= 4:
                missing = struct.unpack_from("I", data)[0]
    return err, msg, missing


class Socket:
    """A netlink socket with extended ACKs on, bound to an automatic port."""

    def __init__(self, proto=NETLINK_GENERIC, timeout=None, capped=False):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        if capped:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind((0, 0))
        self.sock.settimeout(timeout)
        self.seq = 0

    def next_seq(self):
        self.seq = (self.seq + 1) & 0xffffffff or 1
        return self.seq

    def send(self, data):
        self.sock.send(data)

    def recv(self, bufsize=1 << 17):
        """One datagram's messages (framing checked). The buffer grows to
        the datagram's size: an error for a large request echoes it."""
        size = self.sock.recv_into(bytearray(16), 16, socket.MSG_PEEK | socket.MSG_TRUNC)
        bufsize = max(bufsize, size)
        data, _, flags, _ = self.sock.recvmsg(bufsize)
        if flags & socket.MSG_TRUNC:
            raise FramingError("datagram larger than %d bytes" % bufsize)
        return split_msgs(data)

    def close(self):
        self.sock.close()

    def fileno(self):
        return self.sock.fileno()

    def transact(self, data, seq):
        """Send DATA and read until the NLMSG_ERROR or NLMSG_DONE that ends
        the answer for SEQ: its messages, (type, flags, payload) each."""
        self.send(data)
        replies = []
        while True:
            for mtype, flags, mseq, payload in self.recv():
                if mseq != seq:
                    continue
                replies.append((mtype, flags, payload))
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    return replies

    def resolve(self, name="clnet"):
        """The family id of NAME, or None."""
        seq = self.next_seq()
        req = genlmsg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_ACK,
                      seq, attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        for mtype, _, payload in self.transact(req, seq):
            if mtype == GENL_ID_CTRL:
                for atype, data in parse_attrs(payload[4:]):
                    if atype == CTRL_ATTR_FAMILY_ID:
                        return struct.unpack_from("H", data)[0]
        return None


# --- the ABI as data -------------------------------------------------------

class Uapi:
    """The commands and every attribute set of the ABI header.

    Each "enum clnet_*_attrs" is an attribute set, named by the prefix of
    its enumerators (CLNET_LINK_A_); its names are kept without that
    prefix.
    """

    def __init__(self, path=HEADER_PATH):
        with open(path) as f:
            text = f.read()
        self.cmds = {}
        self.attr_sets = {}
        for tag, body in re.findall(r"enum (\w+) \{(.*?)\};", text, re.S):
            names = re.findall(r"^\s*(\w+),", body, re.M)
            if tag == "clnet_cmd":
                self.cmds = self._numbered(names, "CLNET_CMD_")
            elif tag.endswith("_attrs"):
                prefix = re.match(r"CLNET_\w+?_A_", names[0]).group(0)
                self.attr_sets[prefix[len("CLNET_"):-len("_A_")]] = \
                    self._numbered(names, prefix)

    @staticmethod
    def _numbered(names, prefix):
        return {n[len(prefix):]: i for i, n in enumerate(names)
                if n.startswith(prefix)}

    def attr_set(self, cmd_name):
        """The attribute set a command takes: the set named in it."""
        words = cmd_name.split("_")
        for set_name, attrs in self.attr_sets.items():
            if set_name in words:
                return attrs
        return {}

    @staticmethod
    def name_of(attrs, num):
        return next((n for n, v in attrs.items() if v == num), str(num))


def encode(spec, uapi, attrs):
    """One attribute from the command line, NAME:TYPE:VALUE: NAME a number
    or a name of the set ATTRS (SET.NAME for another set of UAPI); TYPE
    u8, u32, str or flag."""
    name, typ, value = spec.split(":", 2)
    set_name, dot, attr_name = name.rpartition(".")
    if dot:
        attrs = uapi.attr_sets.get(set_name, {})
    if attr_name.isdigit():
        num = int(attr_name)
    elif attr_name in attrs:
        num = attrs[attr_name]
    else:
        raise SystemExit("genl_raw: no attribute %s in the set (%s); sets: %s"
                         % (name, " ".join(attrs), " ".join(uapi.attr_sets)))
    if typ == "u8":
        return attr(num, struct.pack("B", int(value)))
    if typ == "u32":
        return attr(num, struct.pack("I", int(value)))
    if typ == "str":
        return attr(num, value.encode() + b"\0")
    if typ == "flag":
        return attr(num, b"")
    raise SystemExit("genl_raw: unknown attribute type " + typ)


def _abi_check_module():
    """scripts/abi-check as a module, for its YAML reader."""
    path = os.path.join(TOP, "scripts/abi-check")
    loader = importlib.machinery.SourceFileLoader("clnet_abi_check", path)
    spec = importlib.util.spec_from_loader("clnet_abi_check", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class Attr:
    def __init__(self, d, value):
        self.name = d["name"]
        self.value = value
        self.type = d.get("type", "unused")
        self.nested = d.get("nested-attributes")
        self.enum = d.get("enum")
        self.checks = d.get("checks") or {}
        self.multi = str(d.get("multi-attr", "false")) == "true"
        self.big_endian = d.get("byte-order") == "big-endian"


class AttrSet:
    def __init__(self, d):
        self.name = d["name"]
        self.attrs = {}
        value = -1
        for a in d.get("attributes", []):
            value = int(a["value"]) if "value" in a else value + 1
            self.attrs[a["name"]] = Attr(a, value)
        self.max = value

    def by_value(self, value):
        return next((a for a in self.attrs.values() if a.value == value), None)


class Op:
    def __init__(self, d, value):
        self.name = d["name"]
        self.value = value
        self.attr_set = d.get("attribute-set")
        self.flags = d.get("flags") or []
        self.mutating = "uns-admin-perm" in self.flags or "admin-perm" in self.flags
        self.do = self._request(d.get("do"))
        self.dump = self._request(d.get("dump"))
        self.notification = "notify" in d or "event" in d

    @staticmethod
    def _request(sub):
        """The attributes a do or dump request takes ([] for none), or None
        when the operation has no such handler."""
        if sub is None:
            return None
        req = sub.get("request") or {}
        return list(req.get("attributes") or [])


class Spec:
    """The YNL spec: operations (requests only, no notifications), attribute
    sets, enums and constants."""

    def __init__(self, path=SPEC_PATH):
        y = _abi_check_module().load_yaml(path)
        self.name = y["name"]
        self.version = int(y.get("version", 1))
        self.enums = {}
        self.consts = {}
        for d in y.get("definitions", []):
            if d["type"] in ("enum", "flags"):
                self.enums[d["name"]] = [e["name"] if isinstance(e, dict) else e
                                         for e in d["entries"]]
            elif d["type"] == "const":
                self.consts[d["name"]] = int(d["value"])
        self.sets = {s["name"]: AttrSet(s) for s in y["attribute-sets"]}
        self.ops = {}
        self.cmd_max = 0
        value = -1
        for d in y["operations"]["list"]:
            value = int(d["value"]) if "value" in d else value + 1
            self.cmd_max = max(self.cmd_max, value)
            op = Op(d, value)
            if op.do is not None or op.dump is not None:
                self.ops[op.name] = op

    def requests(self):
        """Every operation a request can invoke, in command order."""
        return sorted(self.ops.values(), key=lambda o: o.value)

    def mutating(self):
        return [o for o in self.requests() if o.mutating]

    def read_only(self):
        return [o for o in self.requests() if not o.mutating]


def _batch(spec, lines, out):
    """One request a line, "CMD [ATTR:TYPE:VALUE ...]" as genl_raw.py takes
    them, or "dump CMD"; one answer a line, "CMD ok", "CMD ok N" (a dump
    of N messages) or "CMD errno NAME: MESSAGE"."""
    import errno
    uapi = Uapi()
    ops = {o.name.upper().replace("-", "_"): o for o in spec.requests()}
    sock = Socket()
    family = sock.resolve(spec.name)
    for line in lines:
        words = line.split()
        if not words:
            continue
        dump = words[0] == "dump"
        if dump:
            words = words[1:]
        name = words[0]
        attrs = uapi.attr_set(name)
        payload = b"".join(encode(a, uapi, attrs) for a in words[1:])
        if family is None:
            print(name, "errno ENOENT: clnet family not found", file=out)
            continue
        seq = sock.next_seq()
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        replies = sock.transact(genlmsg(family, ops[name].value, flags, seq,
                                        payload), seq)
        mtype, rflags, body = replies[-1]
        if mtype == NLMSG_ERROR:
            err, msg, missing = parse_error(rflags, body)
            if missing is not None:
                msg = " ".join(filter(None, [
                    msg, "missing attribute " + uapi.name_of(attrs, missing)]))
        else:
            err, msg = -struct.unpack_from("i", body)[0], ""
        if err:
            print(name, "errno %s: %s" % (errno.errorcode.get(err, str(err)), msg),
                  file=out)
        else:
            print(name, "ok %d" % (len(replies) - 1) if dump else "ok", file=out)
    return 0


def _main(argv):
    """genl.py ops: every request the spec describes, one a line: its
    header name (LINK_NEW), "mutating" or "read-only", and "do", "dump" or
    both. genl.py dump OP: dump OP (header name) and print "ok N" (N
    messages) or "errno NAME: EXTACK-MESSAGE"; exits 0 or 1. genl.py
    policy: the family's policies as the controller describes them to
    anyone (CTRL_CMD_GETPOLICY), printed as "ok N" (N messages); exits 0
    or 1. genl.py batch: requests from standard input, one a line (see
    _batch)."""
    import errno
    import sys
    spec = Spec()
    if argv[1:] == ["ops"]:
        for op in spec.requests():
            print(op.name.upper().replace("-", "_"),
                  "mutating" if op.mutating else "read-only",
                  " ".join(k for k in ("do", "dump")
                           if getattr(op, k) is not None))
        return 0
    if argv[1:] == ["batch"]:
        return _batch(spec, sys.stdin, sys.stdout)
    if argv[1:] == ["policy"]:
        sock = Socket()
        seq = sock.next_seq()
        req = genlmsg(GENL_ID_CTRL, CTRL_CMD_GETPOLICY,
                      NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, seq,
                      attr(CTRL_ATTR_FAMILY_NAME, spec.name.encode() + b"\0"))
        replies = sock.transact(req, seq)
        mtype, flags, payload = replies[-1]
        err = -struct.unpack_from("i", payload)[0]
        if err:
            print("errno %s" % errno.errorcode.get(err, str(err)))
            return 1
        print("ok %d" % (len(replies) - 1))
        return 0
    if len(argv) == 3 and argv[1] == "dump":
        ops = {o.name.upper().replace("-", "_"): o for o in spec.requests()}
        op = ops[argv[2]]
        sock = Socket()
        family = sock.resolve(spec.name)
        if family is None:
            print("errno ENOENT: clnet family not found")
            return 1
        seq = sock.next_seq()
        replies = sock.transact(genlmsg(family, op.value, NLM_F_REQUEST | NLM_F_ACK |
                                        NLM_F_DUMP, seq, b""), seq)
        mtype, flags, payload = replies[-1]
        if mtype == NLMSG_ERROR:
            err, msg, _ = parse_error(flags, payload)
        else:
            err, msg = -struct.unpack_from("i", payload)[0], ""
        if err:
            print("errno %s: %s" % (errno.errorcode.get(err, str(err)), msg))
            return 1
        print("ok %d" % (len(replies) - 1))
        return 0
    print(_main.__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    import sys
    sys.exit(_main(sys.argv))
