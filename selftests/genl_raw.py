#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one raw request to the clnet genl family and report the answer.

The selftests use it to reach the kernel's validation directly, past
clnetctl's own checks: out-of-range values, unknown or misplaced
attributes, names the CLI would refuse.

    genl_raw.py CMD [ATTR:TYPE:VALUE ...]

CMD and ATTR are numbers or names from include/uapi/linux/clnet.h without
their prefix (LINK_NEW, IFNAME); TYPE is u8, u32, str or flag. Prints
"ok" or "errno NAME: EXTACK-MESSAGE" and exits 0 on ok, 1 on an error. A
missing attribute the kernel names (NLMSGERR_ATTR_MISS_TYPE) is printed
as "missing attribute ATTR", after the message if there is one.
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


def uapi_enums():
    """Name -> value for the CLNET_* enumerators of the ABI header."""
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, "../include/uapi/linux/clnet.h")).read()
    names = {}
    for body in re.findall(r"enum \w+ \{(.*?)\};", text, re.S):
        for i, name in enumerate(re.findall(r"^\s*(\w+),", body, re.M)):
            names[name] = i
    return names


def attr(atype, payload):
    hdr = struct.pack("HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def encode(spec, names):
    name, typ, value = spec.split(":", 2)
    num = int(name) if name.isdigit() else names["CLNET_LINK_A_" + name]
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


def attr_set(cmd_name):
    """The attribute-name prefix of a command: LINK_NEW -> CLNET_LINK_A_."""
    return "CLNET_%s_A_" % cmd_name.split("_")[0]


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
    names = uapi_enums()
    cmd_name = sys.argv[1]
    cmd = int(cmd_name) if cmd_name.isdigit() else names["CLNET_CMD_" + cmd_name]
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

    payload = b"".join(encode(a, names) for a in sys.argv[2:])
    for mtype, flags, body in request(sock, family, cmd, payload, 2):
        if mtype == NLMSG_ERROR:
            err, msg, missing = parse_error(flags, body)
            if err == 0:
                print("ok")
                return 0
            if missing is not None:
                prefix = attr_set(cmd_name)
                what = [n[len(prefix):] for n, v in names.items()
                        if n.startswith(prefix) and v == missing]
                msg = " ".join(filter(None, [msg, "missing attribute " +
                                             (what[0] if what else str(missing))]))
            print("errno %s: %s" % (errno.errorcode.get(err, str(err)), msg))
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
