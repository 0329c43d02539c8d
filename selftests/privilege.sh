#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Privilege, the complete table: every mutating command of the family is
# refused with EPERM to a user without CAP_NET_ADMIN and to a user
# namespace's root acting on a netns it does not own, through clnetctl
# and as a raw request; every read-only command works for both; and a
# refused command changes nothing (links, routes, fast path, masquerade
# and announcements dumped before and after).
#
# The commands come from the YNL spec (selftests/lib/genl.py ops), so a
# new one cannot be forgotten: table_complete fails for a command this
# script has no request for, and for a disagreement between the spec's
# uns-admin-perm flags and kmod/netlink.c's GENL_UNS_ADMIN_PERM.
# (link.sh, announce.sh, masq.sh and route-cmds.sh check some of these
# refusals where their commands are tested.)
#
#   privilege.sh [-t SCENARIO]...    (or TESTS="a b")
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	table_complete
	unprivileged
	userns_root
"

[ -f "$CLNET_KO" ] || bail "$CLNET_KO not built: run make"
[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"

GENL_PY=$TOP/selftests/lib/genl.py
NODE=pv-node
POD=pv-pod
# 10.0.193.20, .11 and .10 as genl_raw.py packs a u32 (host byte order):
# the bytes on the wire are the address in network byte order.
A20=$(python3 -c 'import socket,struct;print(struct.unpack("=I",socket.inet_aton("10.0.193.20"))[0])')
A11=$(python3 -c 'import socket,struct;print(struct.unpack("=I",socket.inet_aton("10.0.193.11"))[0])')
A10=$(python3 -c 'import socket,struct;print(struct.unpack("=I",socket.inet_aton("10.0.193.10"))[0])')

# For each command: a request as genl_raw.py arguments that root would
# get through, and the clnetctl command where clnetctl has it ("-": a
# dump only, through genl.py dump). MASQ_SET's raw request carries no
# attributes (genl_raw.py sends no nests); the permission check comes
# before any parsing, and clnetctl sends the full one.
declare -A RAW=(
	[GET_INFO]=""
	[LINK_NEW]="IFNAME:str:pv9 PEER_IFNAME:str:pv9p"
	[LINK_SET]="IFNAME:str:lxc1 MTU:u32:1400"
	[LINK_DEL]="IFNAME:str:lxc1"
	[LINK_GET]="IFNAME:str:lxc1"
	[FASTPATH_SET]="ENABLED:u8:0"
	[FASTPATH_GET]=""
	[MASQ_SET]=""
	[MASQ_DEL]=""
	[MASQ_GET]=""
	[ANNOUNCE_ADD]="ADDR:u32:$A20 IFNAME:str:up0"
	[ANNOUNCE_RENEW]="ADDR:u32:$A11 IFNAME:str:up0"
	[ANNOUNCE_DEL]="ADDR:u32:$A10 IFNAME:str:up0"
	[ANNOUNCE_GET]="ADDR:u32:$A10 IFNAME:str:up0"
	[ANNOUNCE_PODS_SET]="IFNAME:str:up0 PODS:u8:0"
	[ANNOUNCE_PODS_GET]="-"
)
declare -A CLI=(
	[GET_INFO]="version"
	[LINK_NEW]="link add pv9 peer pv9p"
	[LINK_SET]="link set lxc1 mtu 1400"
	[LINK_DEL]="link del lxc1"
	[LINK_GET]="link show"
	[FASTPATH_SET]="fastpath off"
	[FASTPATH_GET]="fastpath show"
	[MASQ_SET]="masq set dev up0 native-cidr 10.0.208.0/20 exclude 10.0.209.0/24"
	[MASQ_DEL]="masq off"
	[MASQ_GET]="masq show"
	[ANNOUNCE_ADD]="announce add 10.0.193.20 dev up0"
	[ANNOUNCE_RENEW]="announce renew 10.0.193.11 dev up0"
	[ANNOUNCE_DEL]="announce del 10.0.193.10 dev up0"
	[ANNOUNCE_GET]="announce show 10.0.193.10 dev up0"
	[ANNOUNCE_PODS_SET]="announce pods dev up0 off"
	[ANNOUNCE_PODS_GET]="announce show"
)

OPS=$(python3 "$GENL_PY" ops) || bail "cannot read the YNL spec"
# The debug kernel starts processes slowly: there the raw requests (the
# kernel's checks, which its sanitizers watch) and not clnetctl's half of
# the table, which the stock kernel runs.
CLI_TOO=1
if [ "$CLNET_VM_FLAVOUR" = debug ]; then
	CLI_TOO=
	echo "# debug kernel: raw requests only; the clnetctl half of the table runs on the stock kernel"
fi

# The state every refused command would change.
setup_state() {
	node_with_everything "$NODE" "$POD" &&
	ctl -n "$NODE" announce add 10.0.193.11 dev up0 lease 1h garp-count 0
}

# snapshot: the module's state in $NODE (the lease's countdown left out).
snapshot() {
	local what
	for what in "link show" "route show" "fastpath show" "masq show" "announce show"; do
		echo "== $what"
		# shellcheck disable=SC2086 # the words of the command
		ctl -n "$NODE" -j $what
	done | sed -E 's/"lease_left_ms":[0-9]+,?//g'
}

fresh_state() {
	load_module || bail "insmod $CLNET_KO failed"
	ip netns del "$NODE" 2>/dev/null
	ip netns del "$POD" 2>/dev/null
	netns_add "$NODE" "$POD" && setup_state ||
		bail "could not set up the state to check against"
}

# The spec, netlink.c and this script's table list the same commands.
table_complete() {
	local name kind missing="" spec_mut kmod_mut
	while read -r name kind _; do
		[ -n "${RAW[$name]+x}" ] && [ -n "${CLI[$name]+x}" ] || missing+=" $name"
	done <<<"$OPS"
	check "every command of the spec has a request in this table${missing:+ (missing:$missing)}" \
		test -z "$missing"
	spec_mut=$(awk '$2 == "mutating" { print $1 }' <<<"$OPS" | sort)
	# An op's block in clnet_genl_ops: ".cmd = CLNET_CMD_X" ... "},"
	kmod_mut=$(awk '/\.cmd[ \t]*=/ { cmd = $3; sub(/^CLNET_CMD_/, "", cmd); sub(/,$/, "", cmd) }
		/GENL_UNS_ADMIN_PERM|GENL_ADMIN_PERM/ && cmd != "" { print cmd }
		/^[ \t]*},/ { cmd = "" }' "$TOP/kmod/netlink.c" | sort)
	check "the spec's uns-admin-perm commands are netlink.c's GENL_UNS_ADMIN_PERM ones" \
		test "$spec_mut" = "$kmod_mut"
	check "there are mutating commands to check" test -n "$spec_mut"
}

# check_all WHO PREFIX...: every command run through PREFIX in $NODE:
# mutating ones refused with EPERM, read-only ones answered. The raw
# requests go in one genl.py batch (one python start-up, not one per
# request); each answer is checked on its own.
check_all() {
	local who=$1 name kind handlers res
	shift
	res=$(mktemp)
	while read -r name kind handlers; do
		[ "${RAW[$name]}" != - ] && echo "$name ${RAW[$name]}"
		case " $handlers " in *" dump "*) echo "dump $name" ;; esac
	done <<<"$OPS" | in_ns "$NODE" "$@" python3 "$GENL_PY" batch >"$res" 2>&1
	while read -r name kind handlers; do
		if [ "$kind" = mutating ]; then
			check_output "$who: $name refused: EPERM" 0 "^$name errno EPERM: \$" \
				grep "^$name " "$res"
			[ -n "$CLI_TOO" ] || continue
			# shellcheck disable=SC2086 # the command's words
			check_output "$who: clnetctl ${CLI[$name]}: Operation not permitted" 1 \
				'^Error: Operation not permitted' \
				in_ns "$NODE" "$@" "$CLNETCTL" ${CLI[$name]}
			continue
		fi
		if [ "${RAW[$name]}" != - ]; then
			check_output "$who: $name answered" 0 "^$name ok\$" grep -x "$name ok" "$res"
		fi
		case " $handlers " in *" dump "*)
			check_output "$who: $name dump answered" 0 "^$name ok [1-9]" \
				grep -E "^$name ok [0-9]+$" "$res" ;;
		esac
		[ -n "$CLI_TOO" ] || continue
		# shellcheck disable=SC2086
		check "$who: clnetctl ${CLI[$name]} works" in_ns "$NODE" "$@" "$CLNETCTL" ${CLI[$name]}
	done <<<"$OPS"
	rm -f "$res"
}

unprivileged() {
	local before
	fresh_state
	before=$(snapshot)
	check_all "nobody" setpriv --reuid=65534 --regid=65534 --clear-groups
	check "nothing changed in $NODE" test "$before" = "$(snapshot)"
}

# Root of a user namespace of its own, in $NODE, which the initial user
# namespace owns.
userns_root() {
	local before
	fresh_state
	before=$(snapshot)
	check_all "userns root" unshare --user --map-root-user
	check "nothing changed in $NODE" test "$before" = "$(snapshot)"
	check "... while the same root owns a netns of its own: LINK_NEW there works" \
		unshare --user --map-root-user --net "$GENL_RAW" LINK_NEW \
		IFNAME:str:ux0 PEER_IFNAME:str:ux1
}

tests_run "$@"
