#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one raw request to the clnet genl family and report the answer.

The selftests use it to reach the kernel's validation directly, past
clnetctl's own checks: out-of-range values, unknown or misplaced
attributes, names the CLI would refuse.

    genl_raw.py CMD [ATTR:TYPE:VALUE ...]

CMD and ATTR are numbers or names from include/uapi/linux/clnet.h without
their prefix (LINK_NEW, IFNAME; ATTR from the command's attribute set, the
one whose name is in the command's: LINK_A_ for LINK_NEW, INFO_A_ for
GET_INFO; or SET.ATTR for another set: FP_FALLBACK.TTL); TYPE is u8, u32,
str or flag. Prints "ok" or "errno NAME:
EXTACK-MESSAGE" and exits 0 on ok, 1 on an error. A missing attribute the
kernel names (NLMSGERR_ATTR_MISS_TYPE) is printed as "missing attribute
ATTR", after the message if there is one.
"""
import errno
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NETLINK_EXT_ACK = 11
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_MISS_TYPE = 5
NLM_F_ACK_TLVS = 0x200
NLM_F_CAPPED = 0x100
SOL_NETLINK = 270


class Uapi:
    """The commands and every attribute set of the ABI header.

    Each "enum clnet_*_attrs" is an attribute set, named by the prefix of
    its enumerators (CLNET_LINK_A_); its names are kept without that
    prefix. Nothing here is written down twice: a new set or attribute in
    the header is known at once.
    """

    def __init__(self):
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "../include/uapi/linux/clnet.h")) as f:
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

    def cmd(self, name):
        if name.isdigit():
            return int(name)
        if name not in self.cmds:
            raise SystemExit("genl_raw: no command %s (commands: %s)" %
                             (name, " ".join(self.cmds)))
        return self.cmds[name]

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


def attr(atype, payload):
    hdr = struct.pack("HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def encode(spec, uapi, attrs):
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


def request(sock, family, cmd, payload, seq):
    body = struct.pack("BBH", cmd, 1, 0) + payload
    msg = struct.pack("IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK, seq, 0)
    sock.send(msg + body)
    replies = []
    # Read until the ACK (or error) for this request's sequence number.
    while True:
        data = sock.recv(65536)
        while data:
            length, mtype, flags, mseq, _ = struct.unpack("IHHII", data[:16])
            if mseq == seq:
                replies.append((mtype, flags, data[16:length]))
                if mtype == NLMSG_ERROR:
                    return replies
            data = data[(length + 3) & ~3:]


def parse_error(flags, payload):
    """errno and the extack: (err, message, missing attribute type or None)."""
    err = -struct.unpack("i", payload[:4])[0]
    msg, missing = "", None
    if flags & NLM_F_ACK_TLVS:
        off = 4 + (16 if flags & NLM_F_CAPPED else struct.unpack("I", payload[4:8])[0])
        tlvs = payload[off:]
        while len(tlvs) >= 4:
            alen, atype = struct.unpack("HH", tlvs[:4])
            if atype == NLMSGERR_ATTR_MSG:
                msg = tlvs[4:alen].rstrip(b"\0").decode()
            elif atype == NLMSGERR_ATTR_MISS_TYPE:
                missing = struct.unpack("I", tlvs[4:8])[0]
            tlvs = tlvs[(alen + 3) & ~3:]
    return err, msg, missing


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    uapi = Uapi()
    cmd_name = sys.argv[1]
    cmd = uapi.cmd(cmd_name)
    attrs = uapi.attr_set(cmd_name)
    request_attrs = b"".join(encode(a, uapi, attrs) for a in sys.argv[2:])
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.bind((0, 0))

    # Resolve the family id.
    family = None
    for mtype, flags, payload in request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                         attr(CTRL_ATTR_FAMILY_NAME, b"clnet\0"), 1):
        if mtype == GENL_ID_CTRL:
            tlvs = payload[4:]
            while len(tlvs) >= 4:
                alen, atype = struct.unpack("HH", tlvs[:4])
                if atype == CTRL_ATTR_FAMILY_ID:
                    family = struct.unpack("H", tlvs[4:6])[0]
                tlvs = tlvs[(alen + 3) & ~3:]
    if family is None:
        print("errno ENOENT: clnet family not found")
        return 1

    for mtype, flags, body in request(sock, family, cmd, request_attrs, 2):
        if mtype == NLMSG_ERROR:
            err, msg, missing = parse_error(flags, body)
            if err == 0:
                print("ok")
                return 0
            if missing is not None:
                msg = " ".join(filter(None, [
                    msg, "missing attribute " + uapi.name_of(attrs, missing)]))
            print("errno %s: %s" % (errno.errorcode.get(err, str(err)), msg))
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
