#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print values from the JSON document on standard input.

    json_get.py PATH...

Each PATH is a dot-separated list of object keys and list indexes
(0.mtu, module.version); the values are printed on one line, separated
by spaces, as Python prints them (True, 9000, l3). Exits 1 when a PATH
does not exist.
"""
import json
import sys


def lookup(doc, path):
    for key in path.split("."):
        doc = doc[int(key)] if isinstance(doc, list) else doc[key]
    return doc


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    doc = json.load(sys.stdin)
    values = []
    for path in sys.argv[1:]:
        try:
            values.append(lookup(doc, path))
        except (KeyError, IndexError, ValueError, TypeError):
            print("json_get: no %s in the document" % path, file=sys.stderr)
            return 1
    print(" ".join(str(v) for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
