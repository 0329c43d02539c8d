#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs Documentation/using-clnet.rst, so that the guide cannot rot: every
# command block there ("code-block:: sh") is marked by the comment line
# just above it,
#
#     .. guide: run NAME            run here, in the guide's node
#     .. guide: install.sh SCENARIO run by that install.sh scenario
#
# and a block without a marker fails the script. The "run" blocks run in
# file order, each as one "bash -e" script, in node1 of the tiles-test
# LAN (lib/topology.sh, tiles_node1_bare_up: node1 has nothing but its
# uplink), in the checkout's top directory; after a block, after_NAME (if
# there is one) checks what it did with other tools, from the LAN's
# point of view where it can. For an "install.sh" block, each "make
# TARGET" line must be run by that scenario of selftests/install.sh.
#
# The guide writes to the checkout (make), /lib/modules, /usr/local and
# /etc: the script runs in a mount namespace of its own with a tmpfs
# overlay on each, gone when it ends; what the guide's removal leaves
# there is compared with what was there before.
#
#   guide.sh    (one scenario, "guide": the blocks depend on each other)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib/topology.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="guide"

GUIDE=$TOP/Documentation/using-clnet.rst
INSTALL_SH=$TOP/selftests/install.sh
KVER=$(uname -r)
MODS=/lib/modules/$KVER
LB=10.0.193.10
UNIT=/etc/systemd/system/clnet.service
OVERLAID="$TOP /lib/modules /usr/local /etc"

if [ -z "${CLNET_GUIDE_MNTNS:-}" ]; then
	export CLNET_GUIDE_MNTNS=1
	exec unshare -m --propagation private "$0" "$@"
fi

work=$(mktemp -d)
on_exit rm -rf "$work"

. "$(dirname "$0")/lib/overlay.sh"

# parse_guide: the marked blocks into KIND[i], NAME[i], TEXT[i] (the
# block's lines, unindented); fails, saying where, on a command block
# without a marker or a marker without a block.
KIND=()
NAME=()
TEXT=()
parse_guide() {
	local line n=0 mark='' inblock=0 text='' bad=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		if [ $inblock = 1 ]; then
			case $line in
			'') text+=$'\n'; continue ;;
			'   '*) text+="${line#   }"$'\n'; continue ;;
			esac
			TEXT+=("$text")
			inblock=0
		fi
		case $line in
		'.. guide: '*)
			set -- ${line#.. guide: }
			mark="$1 ${2:-}" ;;
		'.. code-block:: sh')
			if [ -z "$mark" ]; then
				echo "$GUIDE:$n: a command block without a '.. guide:' marker"
				bad=1
				mark='none -'
			fi
			set -- $mark
			KIND+=("$1")
			NAME+=("$2")
			mark=''
			inblock=1
			text='' ;;
		'') ;;
		*)
			if [ -n "$mark" ]; then
				echo "$GUIDE:$n: a '.. guide:' marker not followed by a command block"
				bad=1
				mark=''
			fi ;;
		esac
	done <"$GUIDE"
	[ $inblock = 1 ] && TEXT+=("$text")
	[ ${#KIND[@]} -gt 0 ] || { echo "no command block in $GUIDE"; bad=1; }
	return $bad
}

# run_block I: block I, in node1, from the checkout's top directory.
run_block() {
	printf '%s' "${TEXT[$1]}"
	echo "----"
	in_ns tt-node1 bash -e -x -c "cd '$TOP' && ${TEXT[$1]}"
}

# install_sh_runs SCENARIO TEXT: install.sh has SCENARIO, and each "make
# TARGET" line of TEXT is run there (make -s -C "$TOP" TARGET).
install_sh_runs() {
	local line bad=0
	grep -qE "^[[:space:]]+$1\$" "$INSTALL_SH" &&
		grep -q "^$1() {" "$INSTALL_SH" || { echo "install.sh has no scenario $1"; return 1; }
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		case $line in
		'make '*)
			grep -qF "make -s -C \"\$TOP\" ${line#make }" "$INSTALL_SH" ||
				{ echo "install.sh does not run: $line"; bad=1; } ;;
		*) echo "not a make command, which install.sh cannot be checked for: $line"; bad=1 ;;
		esac
	done <<<"$2"
	return $bad
}

# mac_of NETNS DEV
mac_of() {
	local l
	l=$(ip -n "$1" -br link show dev "$2") || return 1
	set -- $l
	echo "$3"
}

# arp_answer ADDR: the MAC that answers raconteur's ARP request for ADDR.
arp_answer() {
	in_ns tt-rac arping -c 1 -w 2 -I eth0 "$1" 2>&1 |
		sed -nE 's/.* bytes from ([0-9a-f:]{17}) .*/\1/p' | head -n 1
}

# answered_by ADDR MAC
answered_by() {
	local mac
	mac=$(arp_answer "$1")
	echo "$1 is-at ${mac:-nobody}, wanted $2"
	[ "$mac" = "$2" ]
}

after_build() {
	check_output "[build] depmod indexed the module in extra/ (modinfo -n clnet)" 0 \
		"^$MODS/extra/clnet\\.ko\$" modinfo -n clnet
	check_output "[build] clnetctl is on PATH, from /usr/local/sbin" 0 \
		'^/usr/local/sbin/clnetctl$' command -v clnetctl
}

after_load() {
	check "[load] clnet is loaded" module_loaded
}

after_pod() {
	check_output "[pod] the pod's eth0 is a clnet pair end (ip -d link)" 0 '^ +clnet ' \
		ip -n pod1 -d link show eth0
	check "[pod] node1 reaches the pod" pings tt-node1 2 $TT_N1P1
}

after_routes() {
	check_output "[routes] the kernel's route to node2's pods, via node2" 0 \
		"^10\\.0\\.209\\.0/24 via $TT_NODE2 dev enp3s0 proto " ip -n tt-node1 route show 10.0.209.0/24
	check "[routes] node2's pod reaches the pod on node1, from its own address" \
		pings tt-n2p1 2 $TT_N1P1
}

after_fastpath() {
	check "[fastpath] node1 fast-pathed the pings (forwarded > 0)" \
		test "$(fp_counter tt-node1 forwarded)" -gt 0
}

after_masq() {
	check_output "[masq] node1's conntrack: the pod's echo to raconteur left as node1's address" 0 \
		"src=$TT_N1P1 dst=$TT_RAC .* src=$TT_RAC dst=$TT_NODE1 " \
		in_ns tt-node1 conntrack -L -p icmp --src-nat
	check_fail "[masq] (raconteur has no route to the pods: only the translation brings replies back)" \
		sh -c "ip -n tt-rac route get $TT_N1P1 | grep -q via"
}

after_announce() {
	check "[announce] raconteur's ARP for $LB: node1 answers" answered_by $LB "$N1_MAC"
	check "[announce] raconteur's ARP for the pod $TT_N1P1: node1 answers" \
		answered_by $TT_N1P1 "$N1_MAC"
	check "[announce] raconteur's ARP for node2's pod $TT_N2P1: not node1" \
		sh -c "[ \"\$(in_ns tt-rac arping -c 1 -w 2 -I eth0 $TT_N2P1 2>&1 | grep -c '$N1_MAC')\" = 0 ]"
}

# unit_commands: the ExecStart= command lines of the installed unit.
unit_commands() {
	sed -n 's/^ExecStart=//p' "$UNIT"
}

after_persist() {
	local cmd i
	check_output "[persist] systemctl: clnet.service is enabled" 0 '^enabled$' \
		systemctl is-enabled clnet.service
	check "[persist] systemd-analyze verify clnet.service" systemd-analyze verify "$UNIT"
	# A reboot, as far as clnet can tell: no pod, no module, no routes.
	ip netns del pod1
	in_ns tt-node1 "$CLNETCTL" route flush
	check "[persist] a reboot: the pod, clnet's routes and the module gone" modprobe -r clnet
	check_output "[persist] the unit's commands (ExecStart=) are there" 0 'clnetctl -b /etc/clnet/clnet.batch' \
		unit_commands
	while IFS= read -r cmd; do
		check "[persist] at boot: $cmd" in_ns tt-node1 sh -c "$cmd"
	done < <(unit_commands)
	check_output "[persist] the fast path is on again" 0 '^fastpath on' ctl -n tt-node1 fastpath show
	check_output "[persist] the route to node2's pods is back" 0 \
		"^10\\.0\\.209\\.0/24 via $TT_NODE2 " ctl -n tt-node1 route show
	check_output "[persist] masquerade is configured again" 0 "^native-cidr $TT_NATIVE_CIDR" \
		ctl -n tt-node1 masq show
	check_output "[persist] pod announcements are on again" 0 '^pods dev enp3s0 ' \
		ctl -n tt-node1 announce show
	check "[persist] the unit's commands run again without failing (a restart)" \
		in_ns tt-node1 sh -c "$(unit_commands | tail -n 1)"
	for i in "${!NAME[@]}"; do
		[ "${NAME[$i]}" = pod ] &&
			check "[persist] the pod comes back (the guide's pod block again)" run_block "$i"
	done
	check "[persist] the pod reaches raconteur again, masqueraded" pings pod1 2 $TT_RAC
}

after_remove() {
	check_fail "[remove] clnet is unloaded" module_loaded
	check "[remove] no route of clnet's is left in node1" no_output ctl -n tt-node1 route show
	check "[remove] /lib/modules, /usr/local and /etc are as they were" \
		no_changes /lib/modules /usr/local /etc
	check_fail "[remove] no pod1 namespace" dev_exists pod1 eth0
}

guide() {
	local i kind name f
	for i in "${!KIND[@]}"; do
		kind=${KIND[$i]}
		name=${NAME[$i]}
		case $kind in
		run)
			check "guide: the '$name' block runs" run_block "$i" || true
			f=after_$name
			[ "$(type -t "$f")" = function ] && $f ;;
		install.sh)
			check "guide: the '$name' block is run by install.sh's $name" \
				install_sh_runs "$name" "${TEXT[$i]}" ;;
		*)
			check "guide: block ${name:-?} has a marker (.. guide: run NAME)" false ;;
		esac
	done
}

[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"
# The debug kernel's module is built elsewhere (build/debug) and make
# install installs the stock one: there is nothing to check there.
if [ "$CLNET_VM_FLAVOUR" != stock ]; then
	skip "guide.sh" "it checks the stock kernel's module: run it on the stock kernel (selftests/run_tests guide.sh)"
	tap_done
	exit
fi
for t in arping conntrack systemctl systemd-analyze; do
	command -v $t >/dev/null || bail "$t is not installed: make deps"
done
out=$(parse_guide) || bail "$out"
parse_guide >/dev/null
module_loaded && { rmmod clnet || bail "clnet is loaded and cannot be removed"; }
on_exit unload_module
for d in $OVERLAID; do
	overlay "$d" || bail "cannot put a tmpfs overlay on $d (overlayfs)"
done
on_exit ip netns del pod1
tiles_node1_bare_up || bail "cannot build the tiles-test LAN with a bare node1"
N1_MAC=$(mac_of tt-node1 enp3s0) || bail "no MAC for node1's enp3s0"
on_exit tiles_down
cd "$TOP" || bail "cannot cd to $TOP"
tests_run "$@"
