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
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import genl  # noqa: E402
from genl import Uapi as _Uapi, encode  # noqa: E402


class Uapi(_Uapi):
    """The header's commands and attribute sets (lib/genl.py), with the
    command-line lookups of this tool."""

    def cmd(self, name):
        if name.isdigit():
            return int(name)
        if name not in self.cmds:
            raise SystemExit("genl_raw: no command %s (commands: %s)" %
                             (name, " ".join(self.cmds)))
        return self.cmds[name]


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    uapi = Uapi()
    cmd_name = sys.argv[1]
    cmd = uapi.cmd(cmd_name)
    attrs = uapi.attr_set(cmd_name)
    request_attrs = b"".join(encode(a, uapi, attrs) for a in sys.argv[2:])
    sock = genl.Socket()
    family = sock.resolve("clnet")
    if family is None:
        print("errno ENOENT: clnet family not found")
        return 1

    seq = sock.next_seq()
    req = genl.genlmsg(family, cmd, genl.NLM_F_REQUEST | genl.NLM_F_ACK, seq,
                       request_attrs)
    for mtype, flags, body in sock.transact(req, seq):
        if mtype == genl.NLMSG_ERROR:
            err, msg, missing = genl.parse_error(flags, body)
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
